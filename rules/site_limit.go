package rules

import "github.com/ogicheck/ogicheck/result"

// SiteLimit reports bodies larger than the size limit, so that a limit hit is
// seen rather than read as a short document.
var SiteLimit = register(&Rule{
	ID:       "SITE-LIMIT",
	Category: result.CatLimitExceeded,
	Severity: result.SeverityWarning,
	Scope:    SiteScope,
	Title:    result.Text{Zh: "文件超过大小限制，未检查", En: "File over the size limit, not checked"},
	Doc:      result.Text{Zh: "文件大于 --max-body（默认50 MiB），未下载完整，因此未检查。这是检查工具的限制，不一定是网站的问题；需要时调高限制再查。规范第5节。", En: "A file is larger than --max-body (default 50 MiB); it was not downloaded whole and so not checked. This is the checker's limit, not necessarily the site's fault: raise the limit to check it. Spec §5."},

	Spec: "§5",
	Run: func(p *Pass) {
		seen := map[string]bool{}
		for _, e := range p.Site.Entries {
			for _, b := range e.Broken {
				if b.Class == result.FetchBodyTooLarge && !seen[b.URL] {
					seen[b.URL] = true
					p.Reportf(result.Evidence{URL: b.URL, Year: e.Year, Actual: b.Error, Snippet: e.Title}, "文件超过大小限制，未检查：%s", "file over the size limit, not checked: %s", b.URL)
				}
			}
		}
		for _, e := range p.Site.Errors {
			if e.Class == result.FetchBodyTooLarge && !seen[e.URL] {
				seen[e.URL] = true
				p.Reportf(result.Evidence{URL: e.URL, Actual: e.Error}, "文件超过大小限制，未检查：%s", "file over the size limit, not checked: %s", e.URL)
			}
		}
	},
})
