package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/result"
)

// SiteLimit reports every limit of the checker a crawl reached: bodies over
// the size limit, the page limit, the list-page cap, the time per site and
// a capped Crawl-delay, so that a limit hit is seen rather than read as a
// short document, a broken link or a missing report.
var SiteLimit = register(&Rule{
	ID:       "SITE-LIMIT",
	Category: result.CatLimitExceeded,
	Severity: result.SeverityWarning,
	Scope:    SiteScope,
	Title:    result.Text{Zh: "抓取达到检查工具的限制", En: "Crawl reached a limit of the checker"},
	Doc: result.Text{Zh: "抓取达到检查工具自身的限制，相应内容未检查：文件大于 --max-body（默认50 MiB）；每站页面数达到 --max-pages（默认500）；年报栏目列表页超过100页；每站用时达到 --site-timeout（默认10分钟）；robots.txt 要求的 Crawl-delay 超过上限而按上限执行；robots.txt 重定向到站外而未跟随。这是检查工具的限制，不是网站的问题：未读到的部分不报链接失效、栏目缺失或年报缺失；需要时调高限制再查。规范第5节。",
		En: "The crawl reached a limit of the checker itself and what lies beyond it was not checked: a file larger than --max-body (default 50 MiB); --max-pages URLs per site (default 500); more than 100 list pages in the column; --site-timeout per site (default 10 min); a robots.txt Crawl-delay over the cap, honoured up to the cap; a robots.txt redirect off the site, not followed. These are the checker's limits, not the site's fault: what was not read is never reported as a broken link, a missing column or a missing report. Raise the limit to check it. Spec §5."},

	Spec: "§5",
	Run: func(p *Pass) {
		seen := map[string]bool{}
		tooLarge := func(fe result.FetchError, year int, title string) {
			if fe.Class != result.FetchBodyTooLarge || seen[fe.URL] {
				return
			}
			seen[fe.URL] = true
			p.Reportf(result.Evidence{URL: fe.URL, Year: year, Actual: fe.Error, Snippet: title},
				"文件超过大小限制，未检查：%s（%s）", "file over the size limit, not checked: %s (%s)", fe.URL, fe.Error)
		}
		for _, e := range p.Site.Entries {
			for _, b := range e.Broken {
				tooLarge(b, e.Year, e.Title)
			}
		}
		for _, e := range p.Site.Errors {
			tooLarge(e, 0, "")
		}
		for _, l := range p.Site.Limits {
			ev := result.Evidence{URL: l.URL, Expected: fmt.Sprint(l.Max), Actual: fmt.Sprint(l.Count)}
			switch l.Name {
			case "max-pages":
				p.Reportf(ev, "已达到每站 %d 个页面的上限，其余页面未抓取（从 %s 起）", "page limit of %d per site reached; the rest was not fetched (from %s on)", l.Max, l.URL)
			case "list-pages":
				p.Reportf(ev, "年报栏目 %[3]s 有 %[2]d 个列表页，只读取了上限 %[1]d 页", "the column %[3]s has %[2]d list pages; only the cap of %[1]d was read", l.Max, l.Count, l.URL)
			case "site-timeout":
				p.Reportf(ev, "已达到每站 %d 秒的时间上限，抓取在 %s 处停止", "time budget of %d s per site reached; the crawl stopped at %s", l.Max, l.URL)
			case "robots-redirect":
				p.Reportf(ev, "robots.txt 重定向到 %s，未跟随（不访问站外或内部地址），按没有 robots.txt 抓取", "robots.txt redirects to %s; not followed (nothing off the site or internal is requested), crawled as without robots.txt", l.URL)
			case "crawl-delay":
				p.Reportf(ev, "%[3]s 要求 Crawl-delay %[2]d 秒，超过上限，按 %[1]d 秒执行", "%[3]s asks for a Crawl-delay of %[2]d s, over the cap: %[1]d s was used", l.Max, l.Count, l.URL)
			default:
				p.Reportf(ev, "已达到限制 %s（%d，实际 %d）：%s", "limit %s reached (%d; needed %d): %s", l.Name, l.Max, l.Count, l.URL)
			}
		}
	},
})
