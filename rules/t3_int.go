package rules

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// nonNegInt reports the cells of a table that are negative or fractional.
func nonNegInt(p *Pass, t *annual.Table, id string) {
	for _, row := range tableRows(t) {
		for _, c := range row.Cells {
			if c.Missing || c.Value.Kind != num.Number {
				continue
			}
			if c.Value.N >= 0 && c.Value.Int() {
				continue
			}
			p.Reportf(result.Evidence{Table: id, Row: rowName(row), Column: c.Column, Actual: c.Value.Raw, Expected: "≥ 0, whole number",
				Cells: []result.CellRef{ref(row, c.Column)}, Snippet: snippet(row)}, "表%[1]s「%[2]s」行「%[3]s」列为%[4]s，申请件数应为非负整数", "table %[1]s, row %[2]s, column %[3]s is %[4]s: counts must be whole numbers ≥ 0",
				id, rowName(row), c.Column, c.Value.Raw)
		}
	}
}

// T3Int checks that table 三 holds counts: non-negative whole numbers.
var T3Int = register(&Rule{
	ID:       "T3-INT",
	Category: result.CatTableIdentity,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表三：件数不是非负整数", En: "Table 3: count is not a whole number ≥ 0"},
	Doc:      result.Text{Zh: "表三统计申请件数，每个单元格都应是非负整数；负数或小数说明填写错误。依据：规范第3.5节 T3-INT。", En: "Table 三 counts applications: every cell is a whole number ≥ 0; a negative or fractional value is an error. Basis: spec §3.5 (T3-INT)."},

	Spec: "§3.5 T3-INT",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["三"] == nil {
			return
		}
		nonNegInt(p, r.Tables["三"], "三")
	},
})
