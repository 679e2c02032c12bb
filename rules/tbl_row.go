package rules

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// TblRow reports template rows not found in a recognised table.
var TblRow = register(&Rule{
	ID:       "TBL-ROW",
	Category: result.CatMissingRow,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表格缺少规定的行", En: "Template row missing"},
	Doc:      result.Text{Zh: "表二、表三的每一行都由格式规定（表三2019年格式20个办理结果行，2021年格式22个）。行标题按内容和顺序识别，容许错字、换行和全半角差异。2021年格式报告把「（六）其他处理」印成一行而没有分成三行时，见 T3-21-OTHER。依据：规范第3.2节、第3.3节、第3.6节。", En: "Every row of tables 二 and 三 is fixed by the format (table 三 has 20 result rows in the 2019 format, 22 in the 2021 format). Rows are recognised by wording and order, tolerating typos, line breaks and full/half-width differences. A 2021-format report printing （六）其他处理 as one row instead of three is T3-21-OTHER's. Basis: spec §3.2, §3.3, §3.6."},

	Spec: "§3.2, §3.3, §3.6",
	Run: func(p *Pass) {
		r := whole(templated(p))
		if r == nil {
			return
		}
		for _, id := range []string{"二", "三"} {
			t := r.Tables[id]
			if t == nil || unreadable(t) {
				continue
			}
			for _, row := range t.Rows {
				if row.Found {
					continue
				}
				ev := result.Evidence{Table: id, Row: rowName(row), Expected: row.Spec.Label}
				if otherAsOne(t, row) {
					continue
				}
				p.Report(Diagnostic{Evidence: ev, Message: result.Text{Zh: "表" + id + "缺少「" + rowName(row) + "」行", En: "table " + tableNamesEn[id] + " has no row " + rowName(row)}})
			}
		}
	},
})

// otherAsOne: a 2021 table 三 printing （六）其他处理 as one row, the 2019
// way, lacks the three rows it splits into; T3-21-OTHER says so.
func otherAsOne(t *annual.Table, row *annual.Row) bool {
	single := t.Row("三.三.六")
	return t.ID == "三" && single != nil && single.Found && row.Spec.Block == "（六）其他处理"
}
