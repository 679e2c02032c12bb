package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// T219XYear checks the 2019 format's running item counts: this year's
// 上一年项目数量 is last year's plus last year's change.
var T219XYear = register(&Rule{
	ID:       "T2-19-XYEAR",
	Category: result.CatCrossYear,
	Severity: result.SeverityWarning,
	Scope:    AgencyScope,
	Title:    result.Text{Zh: "表二：上一年项目数量与上年报告不衔接", En: "Table 2: item counts do not carry over from last year"},
	Doc:      result.Text{Zh: "2019年格式表二第（五）（六）（八）项：Y年「上一年项目数量」应等于Y−1年「上一年项目数量」加「本年增/减」（减用负值表示，如-8）。两年都须为2019年格式。依据：规范第3.5节 T2-19-XYEAR。", En: "2019 format, table 二 blocks （五）（六）（八）: 上一年项目数量 of year Y equals 上一年项目数量 of Y−1 plus its 本年增/减 (decreases written negative, e.g. -8). Both years must use the 2019 format. Basis: spec §3.5 (T2-19-XYEAR)."},

	Spec: "§3.5 T2-19-XYEAR",
	Run: func(p *Pass) {
		consecutive(p, func(prev, cur *annual.Report) {
			if prev.Template != result.Template2019 || cur.Template != result.Template2019 || prev.Tables["二"] == nil || cur.Tables["二"] == nil {
				return
			}
			for _, key := range []string{"二.五.行政许可", "二.五.其他", "二.六.行政处罚", "二.六.行政强制", "二.八.收费"} {
				c, p0 := cur.Tables["二"].Row(key), prev.Tables["二"].Row(key)
				now, ok1 := value(c, "上一年项目数量")
				was, ok2 := value(p0, "上一年项目数量")
				delta, ok3 := value(p0, "本年增/减")
				if !ok1 || !ok2 || !ok3 || now == was+delta {
					continue
				}
				p.Report(Diagnostic{On: cur, Evidence: result.Evidence{Table: "二", Row: c.Spec.Label, Column: "上一年项目数量", Year: cur.Year, Related: prev.Source,
					Cells:    []result.CellRef{ref(c, "上一年项目数量"), ref(p0, "上一年项目数量"), ref(p0, "本年增/减")},
					Expected: fmt.Sprintf("%s + %s = %s", fmtNum(was), fmtNum(delta), fmtNum(was+delta)), Actual: fmtNum(now)}, Message: result.Msg("表二「%[1]s」：%[2]d年上一年项目数量为%[3]s，按%[4]d年报告应为%[5]s", "table 2, %[1]s: %[2]d reports %[3]s items for the previous year; the %[4]d report implies %[5]s",
					c.Spec.Label, cur.Year, fmtNum(now), prev.Year, fmtNum(was+delta))})
			}
		})
	},
})
