package rules

import (
	"fmt"
	"unicode"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// dupThreshold is the share of a report's text (as 8-character shingles)
// found in the previous year's report above which it mostly repeats it.
const dupThreshold = 0.8

// DupContent reports a report whose text mostly repeats the same agency's
// previous-year report (内容雷同).
var DupContent = register(&Rule{
	ID:       "DUP-CONTENT",
	Category: result.CatDuplicateContent,
	Severity: result.SeverityWarning,
	Scope:    AgencyScope,
	Title:    result.Text{Zh: "报告内容与上年雷同", En: "Report repeats last year's"},
	Doc:      result.Text{Zh: "同一机关相邻两年的报告，去掉数字和年份后，Y年正文八字片段有80%以上出现在Y−1年正文中，视为内容雷同。2021年格式明确把“内容雷同、敷衍塞责”列为追责情形。依据：国办公开办函〔2021〕30号（四）明确责任、条例第四十七条；规范第3.7节、第5节。", En: "For two consecutive reports of one agency, with digits and years removed: when 80% or more of year Y's 8-character shingles occur in Y−1's text, the report repeats last year's. The 2021 format names 内容雷同、敷衍塞责 among the failings to be held to account. Basis: 〔2021〕30号 (四) 明确责任, Regulation Art. 47; spec §3.7 and §5."},

	Spec: "§3.7, §5",
	Run: func(p *Pass) {
		consecutive(p, func(prev, cur *annual.Report) {
			a, b := shingles(cur.BodyText()), shingles(prev.BodyText())
			if len(a) < 50 {
				return
			}
			common := 0
			for s := range a {
				if b[s] {
					common++
				}
			}
			share := float64(common) / float64(len(a))
			if share < dupThreshold {
				return
			}
			pct := fmt.Sprintf("%.0f%%", share*100)
			p.Report(Diagnostic{On: cur, Evidence: result.Evidence{Year: cur.Year, Related: prev.Source, Actual: pct, Expected: fmt.Sprintf("< %.0f%%", dupThreshold*100)}, Message: result.Msg("%[1]d年报告正文有%[2]s与%[3]d年报告相同（内容雷同）", "%[2]s of the %[1]d report's text repeats the %[3]d report", cur.Year, pct, prev.Year)})
		})
	},
})

// shingles are the 8-character pieces of the text's letters, with digits,
// spaces and punctuation removed so that changed figures and years do not
// hide copied prose.
func shingles(text string) map[string]bool {
	var rs []rune
	for _, r := range text {
		if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) {
			rs = append(rs, r)
		}
	}
	out := map[string]bool{}
	for i := 0; i+8 <= len(rs); i++ {
		out[string(rs[i:i+8])] = true
	}
	return out
}
