package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// consecutive calls f for each pair of readable reports of one agency for
// years Y−1 and Y; each rule checks the templates it needs.
func consecutive(p *Pass, f func(prev, cur *annual.Report)) {
	rs := p.Agency
	for i := 1; i < len(rs); i++ {
		prev, cur := rs[i-1], rs[i]
		if cur.Year != prev.Year+1 || cur.Unreadable() || prev.Unreadable() {
			continue
		}
		f(prev, cur)
	}
}

// T3XYear checks that applications carried into year Y are those carried
// forward out of Y−1.
var T3XYear = register(&Rule{
	ID:       "T3-XYEAR",
	Category: result.CatCrossYear,
	Severity: result.SeverityWarning,
	Scope:    AgencyScope,
	Title:    result.Text{Zh: "表三：上年结转与上一年度结转下年度不一致", En: "Table 3: carried over ≠ last year's carried forward"},
	Doc:      result.Text{Zh: "同一机关相邻两年的报告：Y年表三「二、上年结转」每一列应等于Y−1年表三「四、结转下年度继续办理」同一列（Y ≥ 2020，两年都使用2019年起的格式）。机构改革合并或拆分机关时可能不相等，故为警告。依据：规范第3.5节 T3-XYEAR。", En: "For two consecutive reports of one agency: table 三 row 二 (carried over) of year Y equals row 四 (carried forward) of year Y−1, column by column (Y ≥ 2020, both years in a 2019+ format). Mergers and splits of agencies can break it, hence a warning. Basis: spec §3.5 (T3-XYEAR)."},

	Spec: "§3.5 T3-XYEAR",
	Run: func(p *Pass) {
		consecutive(p, func(prev, cur *annual.Report) {
			if cur.Year < 2020 || prev.Tables["三"] == nil || cur.Tables["三"] == nil {
				return
			}
			in := cur.Tables["三"].Row(annual.KeyCarried)
			out := prev.Tables["三"].Row(annual.KeyForward)
			for _, col := range cur.Tables["三"].Columns {
				a, ok1 := value(in, col)
				b, ok2 := value(out, col)
				if !ok1 || !ok2 || a == b {
					continue
				}
				p.Report(Diagnostic{On: cur, Evidence: result.Evidence{Table: "三", Row: rowName(in), Column: col, Year: cur.Year, Related: prev.Source,
					Cells:    []result.CellRef{ref(in, col), ref(out, col)},
					Expected: fmt.Sprintf("%s (%d: %s)", fmtNum(b), prev.Year, rowName(out)), Actual: fmtNum(a)}, Message: result.Msg("表三「%[1]s」列：%[2]d年上年结转为%[3]s，但%[4]d年报告的结转下年度继续办理为%[5]s",
					"table 3, column %[1]s: %[2]d reports %[3]s carried over, but the %[4]d report carried %[5]s forward",
					col, cur.Year, fmtNum(a), prev.Year, fmtNum(b))})
			}
		})
	},
})
