package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/result"
)

// SiteBrokenLink reports report pages and attachments that fail.
var SiteBrokenLink = register(&Rule{
	ID:       "SITE-BROKEN-LINK",
	Category: result.CatBrokenLink,
	Severity: result.SeverityError,
	Scope:    SiteScope,
	Title:    result.Text{Zh: "年度报告链接失效", En: "Broken report link"},
	Doc:      result.Text{Zh: "年报栏目中报告页面或附件链接无法打开：4xx、重试后仍然5xx、超时或连接重置、重定向循环，或PDF/Word附件返回的是极小文件或HTML错误页。依据：条例第二十三条、第二十四条；国办公开办函〔2019〕61号；规范第5节（发布后应稳定可查）。", En: "A report page or attachment in the column cannot be opened: 4xx, 5xx after retries, timeouts or resets after retries, redirect loops, or a PDF/Word link answering with a tiny body or an HTML error page. Basis: Regulation Arts. 23–24; 国办公开办函〔2019〕61号; spec §5 (reports stay available)."},

	Spec: "§5",
	Run: func(p *Pass) {
		for _, e := range p.Site.Entries {
			for _, b := range e.Broken {
				if b.Class == result.FetchBodyTooLarge || b.Class == result.FetchRobotsDisallowed {
					continue
				}
				status := string(b.Class)
				if b.Status != 0 {
					status = fmt.Sprintf("%s (HTTP %d)", b.Class, b.Status)
				}
				p.Reportf(result.Evidence{URL: b.URL, Year: e.Year, Actual: status, Snippet: e.Title}, "「%s」的链接无法打开：%s", "the link of %q cannot be opened: %s", e.Title, status)
			}
		}
	},
})
