package rules

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// SecMissing reports each of the six sections a 2019+ report lacks.
var SecMissing = register(&Rule{
	ID:       "SEC-MISSING",
	Category: result.CatMissingSection,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "缺少报告部分", En: "Missing report section"},
	Doc:      result.Text{Zh: "2019年度起的报告应包括六部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。标题按内容识别，容许常见变体和错字（如「行政法复议」）。依据：条例第五十条；国办公开办函〔2021〕30号格式；规范第3.1节。", En: "Reports from 2019 have six sections: 一 overview, 二 proactive disclosure, 三 applications received and handled, 四 administrative review and litigation, 五 problems and improvements, 六 other matters. Headings are recognised by content, with common variants and typos (such as 行政法复议). Basis: Regulation Art. 50; the 2021 format; spec §3.1."},

	Spec: "§3.1",
	Run: func(p *Pass) {
		r := whole(annualReport(p))
		if r == nil || !(r.Year >= 2019 || r.Template == result.Template2019 || r.Template == result.Template2021) {
			return
		}
		have := sectionNumbers(r)
		for n := 1; n <= 6; n++ {
			if have[n] == 0 {
				p.Report(Diagnostic{Evidence: result.Evidence{Section: n, Expected: annual.SectionTitles[n]}, Message: result.Text{Zh: "缺少第" + cn(n) + "部分「" + annual.SectionTitles[n] + "」", En: "section " + cn(n) + " (" + annual.SectionTitles[n] + ") is missing"}})
			}
		}
	},
})

func cn(n int) string { return string([]rune("〇一二三四五六七八九十")[n]) }
