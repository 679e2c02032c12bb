package rules

import (
	"regexp"
	"strings"

	"github.com/ogicheck/ogicheck/internal/norm"
	"github.com/ogicheck/ogicheck/result"
)

var feeRe = regexp.MustCompile(`信息处理费|处理费|收取.{0,10}费|收费|费用`)

// Sec6Fee checks that section 六 of a 2021-format report states the
// 信息处理费 collected.
var Sec6Fee = register(&Rule{
	ID:       "SEC6-FEE",
	Category: result.CatMissingContent,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "第六部分未报告信息处理费收取情况", En: "Section 六 does not report information-processing fees"},
	Doc:      result.Text{Zh: "2021年格式要求在「六、其他需要报告的事项」中报告依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费的情况，未收取也应写明。依据：国办公开办函〔2021〕30号格式第六部分说明；规范第3.6节。", En: "The 2021 format asks section 六 to report the information-processing fees collected under 国办函〔2020〕109号, and to say so when none were. Basis: the 2021 format's note to section 六; spec §3.6."},

	Spec: "§3.6",
	Run: func(p *Pass) {
		r := whole(annualReport(p))
		if r == nil || r.Template != result.Template2021 {
			return
		}
		s := r.Section(6)
		if s == nil {
			return // SEC-MISSING reports the section itself
		}
		text := norm.Key(s.Heading + strings.Join(s.Text, ""))
		if feeRe.MatchString(text) {
			return
		}
		p.Reportf(result.Evidence{Section: 6, Snippet: strings.Join(s.Text, " ")}, "第六部分未说明信息处理费收取情况（未收取也应写明）", "section 六 does not state the information-processing fees collected (or that none were)")
	},
})
