package rules

import (
	"github.com/ogicheck/ogicheck/result"
)

// PubUnknown notes a report whose publication date cannot be found, rather
// than guessing one.
var PubUnknown = register(&Rule{
	ID:       "PUB-UNKNOWN",
	Category: result.CatUnknownPublicationDate,
	Severity: result.SeverityInfo,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "未找到发布日期", En: "Publication date not found"},
	Doc:      result.Text{Zh: "页面没有发布日期、发布时间、发文日期等标注，网址和列表中也没有日期，无法判断是否按时发布。不做猜测；可用 --published 提供。成文日期和落款日期不作为发布日期。规范第6节。", En: "The page has no 发布日期, 发布时间 or 发文日期 label, and neither the URL nor the list gives a date, so timeliness cannot be judged. Nothing is guessed; give --published. The drafting date (成文日期) and the signature date are not publication dates. Spec §6."},

	Spec: "§6",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil || r.Published != "" || len(r.Impossible) > 0 {
			// impossible dates are PUB-IMPOSSIBLE's, which says so
			return
		}
		p.Reportf(result.Evidence{Year: r.Year}, "未找到发布日期，无法判断是否按时发布", "no publication date found; timeliness cannot be judged")
	},
})
