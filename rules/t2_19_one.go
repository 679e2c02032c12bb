package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/result"
)

// T219One checks table 二 （一） of the 2019 format: documents newly made
// public this year cannot outnumber all documents public.
var T219One = register(&Rule{
	ID:       "T2-19-ONE",
	Category: result.CatTableIdentity,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表二（一）：本年新公开数量大于对外公开总数量", En: "Table 2 (一): newly published exceeds total published"},
	Doc:      result.Text{Zh: "2019年格式表二第二十条第（一）项：规章、规范性文件的「本年新公开数量」不应大于「对外公开总数量」。这是推断规则，为警告。依据：规范第3.2节、第3.5节 T2-19-ONE。", En: "2019 format, table 二 block 第二十条第（一）项: for 规章 and 规范性文件, 本年新公开数量 should not exceed 对外公开总数量. A heuristic, so a warning. Basis: spec §3.2 and §3.5 (T2-19-ONE)."},

	Spec: "§3.5 T2-19-ONE",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Template != result.Template2019 || r.Tables["二"] == nil {
			return
		}
		for _, key := range []string{"二.一.规章", "二.一.规范性文件"} {
			row := r.Tables["二"].Row(key)
			pub, ok1 := value(row, "本年新公开数量")
			total, ok2 := value(row, "对外公开总数量")
			if !ok1 || !ok2 || pub <= total {
				continue
			}
			p.Reportf(result.Evidence{Table: "二", Row: row.Spec.Label, Column: "本年新公开数量",
				Cells:    []result.CellRef{ref(row, "本年新公开数量"), ref(row, "对外公开总数量")},
				Expected: fmt.Sprintf("≤ %s", fmtNum(total)), Actual: fmtNum(pub)}, "表二「%[1]s」：本年新公开数量%[2]s大于对外公开总数量%[3]s", "table 2, %[1]s: 本年新公开数量 %[2]s exceeds 对外公开总数量 %[3]s",
				row.Spec.Label, fmtNum(pub), fmtNum(total))
		}
	},
})
