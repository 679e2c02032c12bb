package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// T221XYear checks the 2021 format's documents in force: last year's plus
// this year's new ones minus this year's repealed ones.
var T221XYear = register(&Rule{
	ID:       "T2-21-XYEAR",
	Category: result.CatCrossYear,
	Severity: result.SeverityWarning,
	Scope:    AgencyScope,
	Title:    result.Text{Zh: "表二：现行有效件数与上年不衔接", En: "Table 2: documents in force do not carry over"},
	Doc:      result.Text{Zh: "2021年格式表二第（一）项：Y年「现行有效件数」≈ Y−1年「现行有效件数」+ Y年「本年制发件数」− Y年「本年废止件数」。修订、失效的统计口径不一，只作警告。依据：规范第3.5节 T2-21-XYEAR。", En: "2021 format, table 二 block （一）: 现行有效件数 of Y ≈ that of Y−1 + 本年制发件数 of Y − 本年废止件数 of Y. Revisions and expiry are counted inconsistently, so only a warning. Basis: spec §3.5 (T2-21-XYEAR)."},

	Spec: "§3.5 T2-21-XYEAR",
	Run: func(p *Pass) {
		consecutive(p, func(prev, cur *annual.Report) {
			if prev.Template != result.Template2021 || cur.Template != result.Template2021 || prev.Tables["二"] == nil || cur.Tables["二"] == nil {
				return
			}
			for _, key := range []string{"二.一.规章", "二.一.规范性文件"} {
				c, p0 := cur.Tables["二"].Row(key), prev.Tables["二"].Row(key)
				now, ok1 := value(c, "现行有效件数")
				made, ok2 := value(c, "本年制发件数")
				gone, ok3 := value(c, "本年废止件数")
				was, ok4 := value(p0, "现行有效件数")
				if !ok1 || !ok2 || !ok3 || !ok4 || now == was+made-gone {
					continue
				}
				want := was + made - gone
				p.Report(Diagnostic{On: cur, Evidence: result.Evidence{Table: "二", Row: c.Spec.Label, Column: "现行有效件数", Year: cur.Year, Related: prev.Source,
					Cells:    []result.CellRef{ref(c, "现行有效件数"), ref(c, "本年制发件数"), ref(c, "本年废止件数"), ref(p0, "现行有效件数")},
					Expected: fmt.Sprintf("%s + %s - %s = %s", fmtNum(was), fmtNum(made), fmtNum(gone), fmtNum(want)), Actual: fmtNum(now)}, Message: result.Msg("表二「%[1]s」：%[2]d年现行有效%[3]s件，按上年%[4]s件加制发减废止应为%[5]s件", "table 2, %[1]s: %[2]d has %[3]s in force; last year's %[4]s plus new minus repealed gives %[5]s",
					c.Spec.Label, cur.Year, fmtNum(now), fmtNum(was), fmtNum(want))})
			}
		})
	},
})
