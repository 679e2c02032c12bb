package rules

import (
	"github.com/ogicheck/ogicheck/result"
)

// T221FeeUnit notes a 2021-format fee amount written in yuan where the
// format prints 万元.
var T221FeeUnit = register(&Rule{
	ID:       "T2-21-FEE-UNIT",
	Category: result.CatInvalidCell,
	Severity: result.SeverityInfo,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表二（八）：收费金额单位应为万元", En: "Table 2 (八): fee amount should be in 万元"},
	Doc:      result.Text{Zh: "2021年格式表二第二十条第（八）项「本年收费金额（单位：万元）」以万元计。单元格写了「元」时，数值可能按元填写，需要核实。依据：规范第3.2节、第3.5节 T2-21-FEE-UNIT。", En: "2021 format, table 二 block 第二十条第（八）项: 本年收费金额 is in 万元. A cell written with 元 may hold yuan and should be checked. Basis: spec §3.2 and §3.5 (T2-21-FEE-UNIT)."},

	Spec: "§3.5 T2-21-FEE-UNIT",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Template != result.Template2021 || r.Tables["二"] == nil {
			return
		}
		row := r.Tables["二"].Row("二.八.收费")
		if row == nil || !row.Found || len(row.Cells) == 0 {
			return
		}
		c := row.Cells[0]
		if c.Missing || (c.Value.Unit != "元" && c.Value.Unit != "千元") {
			return
		}
		p.Reportf(result.Evidence{Table: "二", Row: row.Spec.Label, Column: c.Column, Actual: c.Value.Raw, Expected: "万元",
			Cells: []result.CellRef{ref(row, c.Column)}}, "表二「行政事业性收费」金额写作「%[1]s」，格式规定单位为万元", "table 2, 行政事业性收费: the amount is written %[1]q, but the format's unit is 万元", c.Value.Raw)
	},
})
