package rules

import (
	"github.com/ogicheck/ogicheck/result"
)

// T321Other notes a 2021-format table 三 that prints （六）其他处理 as the
// 2019 format's single row instead of the 2021 format's three.
var T321Other = register(&Rule{
	ID:       "T3-21-OTHER",
	Category: result.CatMissingRow,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表三：「（六）其他处理」未按2021年格式分为三行", En: "Table 3: （六）其他处理 not split into the 2021 format's three rows"},
	Doc:      result.Text{Zh: "2021年格式表三把「（六）其他处理」分为「1.申请人无正当理由逾期不补正…」「2.申请人逾期未按收费通知要求缴纳费用…」「3.其他」三行；报告仍按2019年格式只印一行时，这三行的数字无从核对，报警告（该行本身仍作为小计参与勾稽核对）。依据：国办公开办函〔2021〕30号附件表三；规范第3.3节、第3.6节。", En: "The 2021 format splits table 三's （六）其他处理 into three rows (1. no correction in time…, 2. fee not paid in time…, 3. other). A report that still prints the 2019 format's single row leaves those three unchecked: a warning (the single row still takes part in the identities as a subtotal). Basis: the table 三 of the 〔2021〕30号 notice; spec §3.3 and §3.6."},

	Spec: "§3.3, §3.6",
	Run: func(p *Pass) {
		r := whole(templated(p))
		if r == nil || r.Tables["三"] == nil {
			return
		}
		t := r.Tables["三"]
		for _, row := range t.Rows {
			if !row.Found && otherAsOne(t, row) {
				p.Reportf(result.Evidence{Table: "三", Row: rowName(row), Expected: row.Spec.Label},
					"表三「（六）其他处理」只印了一行，2021年格式应分为三行，缺少「%s」", "table 3 prints （六）其他处理 as one row; the 2021 format splits it into three, and %s is missing",
					row.Spec.Label)
			}
		}
	},
})
