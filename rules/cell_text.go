package rules

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// tableRows returns the found rows of a table, template rows then
// non-standard subtotal rows.
func tableRows(t *annual.Table) []*annual.Row {
	var out []*annual.Row
	for _, r := range t.Rows {
		if r.Found {
			out = append(out, r)
		}
	}
	for _, r := range t.Optional {
		if r.Found {
			out = append(out, r)
		}
	}
	return out
}

// CellText reports words where a table needs a number.
var CellText = register(&Rule{
	ID:       "CELL-TEXT",
	Category: result.CatInvalidCell,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表格单元格不是数字", En: "Table cell is not a number"},
	Doc:      result.Text{Zh: "表格的数据单元格应填写数字。空白、「0」、「—」、「-」、「/」、「无」按0计算（另报 CELL-BLANK）；「增413」「减5」「-8」、带单位的金额（「251000元」「万元」）可以识别；其他文字（如「详见附件」）无法计算，相关勾稽关系不予核对。依据：2021年格式“数据精确”；规范第3.5节。", En: "Table data cells hold numbers. Blank, 0, —, -, / and 无 count as 0 (reported by CELL-BLANK); 增413, 减5, -8 and amounts with units (251000元, 万元) are understood; other words (详见附件) cannot be computed and the identities involving them are not checked. Basis: the 2021 format's 数据精确; spec §3.5."},

	Spec: "§3.5",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil {
			return
		}
		for _, id := range []string{"二", "三", "四"} {
			t := r.Tables[id]
			if t == nil {
				continue
			}
			for _, row := range tableRows(t) {
				for _, c := range row.Cells {
					if c.Missing || c.Value.Kind != num.Text {
						continue
					}
					p.Report(Diagnostic{Evidence: result.Evidence{Table: id, Row: rowName(row), Column: c.Column, Actual: c.Value.Raw, Expected: "数字 / a number",
						Cells: []result.CellRef{ref(row, c.Column)}, Snippet: snippet(row)}, Message: result.Text{Zh: "表" + id + "「" + rowName(row) + "」行「" + c.Column + "」列应为数字，实为「" + c.Value.Raw + "」", En: "table " + tableNamesEn[id] + ", row " + rowName(row) + ", column " + c.Column + ": expected a number, found " + quote(c.Value.Raw)}})
				}
			}
		}
	},
})

func quote(s string) string { return "「" + s + "」" }
