package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// T3Row checks each table 三 row: 总计 = the six applicant columns.
var T3Row = register(&Rule{
	ID:       "T3-ROW",
	Category: result.CatTableIdentity,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表三：行总计不等于各申请人类型之和", En: "Table 3: row total ≠ sum of applicant types"},
	Doc:      result.Text{Zh: "表三每一数据行的「总计」应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。总计填了但不相等为错误；总计未填的行见 T3-ROW-BLANK。依据：规范第3.5节 T3-ROW。", En: "In every data row of table 三, 总计 equals the sum of the six applicant columns. A filled total that differs is an error; rows whose total is blank are T3-ROW-BLANK's. Basis: spec §3.5 (T3-ROW)."},

	Spec: "§3.5 T3-ROW",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["三"] == nil {
			return
		}
		t := r.Tables["三"]
		rowTotals(t, func(row *annual.Row, ev result.Evidence, total *annual.Cell, sum float64) {
			if total.Value.Kind != num.Blank {
				p.Reportf(ev, "表三「%[1]s」行：总计为%[2]s，各列之和为%[3]s", "table 3, row %[1]s: 总计 is %[2]s but the columns sum to %[3]s",
					rowName(row), fmtNum(total.Value.N), fmtNum(sum))
			}
		})
	},
})

// rowTotals calls f for each table 三 row whose 总计 differs from the sum
// of its six applicant columns, with the evidence naming every cell.
func rowTotals(t *annual.Table, f func(row *annual.Row, ev result.Evidence, total *annual.Cell, sum float64)) {
	cols := annual.T3Applicants()
	const totalCol = "总计"
	for _, row := range tableRows(t) {
		tc := row.Cell(totalCol)
		if tc == nil || tc.Missing {
			continue
		}
		tv, ok := value(row, totalCol)
		if !ok {
			continue
		}
		sum, ok := rowSum(row, cols)
		if !ok || sum == tv {
			continue
		}
		var ts []term
		var refs []result.CellRef
		for _, c := range cols {
			v, _ := value(row, c)
			ts = append(ts, term{c, v})
			refs = append(refs, ref(row, c))
		}
		expr, _ := sumExpr(ts)
		f(row, result.Evidence{Table: "三", Row: rowName(row), Column: totalCol, Cells: append(refs, ref(row, totalCol)),
			Expected: fmt.Sprintf("%s = %s", expr, fmtNum(sum)), Actual: tc.Value.Raw, Snippet: snippet(row)}, tc, sum)
	}
}
