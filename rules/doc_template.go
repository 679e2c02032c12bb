package rules

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// DocTemplate reports a report whose tables follow another template than
// its year requires, e.g. a 2021 report on the 2019 tables.
var DocTemplate = register(&Rule{
	ID:       "DOC-TEMPLATE",
	Category: result.CatTemplateMismatch,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表格格式与报告年度不符", En: "Table template does not match the report year"},
	Doc:      result.Text{Zh: "2019、2020年度报告应使用国办公开办函〔2019〕60号格式（试行），2021年度起应使用国办公开办函〔2021〕30号格式。表格用语（如「本年制发件数」「现行有效件数」与「本年新制作数量」「上一年项目数量」「第二十条第（九）项」）表明实际使用的格式。规范第3.0节、第3.6节。", En: "Reports for 2019 and 2020 use the 2019 trial format (国办公开办函〔2019〕60号); reports from 2021 use the 2021 format (〔2021〕30号). The table wording (本年制发件数/现行有效件数 versus 本年新制作数量/上一年项目数量/第二十条第（九）项) shows which one was used. Spec §3.0, §3.6."},

	Spec: "§3.0, §3.6",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil || r.Year < 2019 || r.Vocabulary == "" {
			return
		}
		want := annual.YearTemplate(r.Year)
		if r.Vocabulary == want {
			return
		}
		p.Reportf(result.Evidence{Expected: string(want), Actual: string(r.Vocabulary), Year: r.Year}, "%d年度报告应使用%s年格式，表格用语却属于%s年格式", "a %d report must use the %s template, but its tables use the %s template's wording",
			r.Year, want, r.Vocabulary)
	},
})
