package rules

import (
	"github.com/ogicheck/ogicheck/result"
)

// SiteFetch reports pages of the site other than reports that failed, such
// as list pages of the column: reports listed there may have been missed.
var SiteFetch = register(&Rule{
	ID:       "SITE-FETCH",
	Category: result.CatFetchError,
	Severity: result.SeverityError,
	Scope:    SiteScope,
	Title:    result.Text{Zh: "站点页面无法访问", En: "Site page could not be fetched"},
	Doc:      result.Text{Zh: "年报栏目的列表页或站点导航页重试后仍无法打开（公众同样无法访问），列在其中的报告可能未被检查。起始页面无法访问（包括 robots.txt 禁止抓取整个站点）时，站点无法检查，只报本条，不报“未设置年报栏目”。robots.txt 禁止年报栏目（或通往栏目的专栏页面）时，报本条说明栏目被禁止抓取，不报“未设置年报栏目”。其他被 robots.txt 禁止的页面不抓取，也不报告。规范第6节。", En: "A list page of the column, or a page on the way to it, failed after retries (the public cannot open it either): reports listed there may not have been checked. When the start URL itself fails (robots.txt disallowing the whole site included), the site cannot be checked: this finding says so, and SITE-NO-COLUMN is not reported. When robots.txt forbids the column (or the 专栏 page leading to it), this finding says so, and SITE-NO-COLUMN is not reported. Other pages disallowed by robots.txt are not fetched and not reported. Spec §6."},

	Spec: "§6",
	Run: func(p *Pass) {
		broken := map[string]bool{}
		for _, e := range p.Site.Entries {
			for _, b := range e.Broken {
				broken[b.URL] = true
			}
		}
		if u := p.Site.ColumnBlocked; u != "" {
			p.Reportf(result.Evidence{URL: u, Actual: string(result.FetchRobotsDisallowed)},
				"robots.txt 禁止抓取年报栏目或通往栏目的页面，栏目未检查：%s", "robots.txt forbids the annual-report column or the way to it; the column was not checked: %s", u)
		}
		for _, e := range p.Site.Errors {
			if broken[e.URL] || e.Class == result.FetchBodyTooLarge {
				continue
			}
			if (e.Class == result.FetchRobotsDisallowed && (p.Site.StartErr == nil || e.URL != p.Site.StartErr.URL)) || sameURL(e.URL, p.Site.ColumnBlocked) {
				continue // a link robots.txt keeps us from is not the site's fault
			}
			p.Reportf(result.Evidence{URL: e.URL, Actual: string(e.Class)}, "页面无法访问（%s）：%s", "page could not be fetched (%s): %s", e.Class, e.URL)
		}
	},
})
