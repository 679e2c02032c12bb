package rules

import "github.com/ogicheck/ogicheck/result"

// T4Int checks that table 四 holds counts: non-negative whole numbers.
var T4Int = register(&Rule{
	ID:       "T4-INT",
	Category: result.CatTableIdentity,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表四：件数不是非负整数", En: "Table 4: count is not a whole number ≥ 0"},
	Doc:      result.Text{Zh: "表四统计行政复议、行政诉讼案件数，每个单元格都应是非负整数。依据：规范第3.5节 T4-INT。", En: "Table 四 counts review and litigation cases: every cell is a whole number ≥ 0. Basis: spec §3.5 (T4-INT)."},

	Spec: "§3.5 T4-INT",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["四"] == nil {
			return
		}
		nonNegInt(p, r.Tables["四"], "四")
	},
})
