package rules

import (
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// SiteNoColumn reports a site without a 政府信息公开年报 column.
var SiteNoColumn = register(&Rule{
	ID:       "SITE-NO-COLUMN",
	Category: result.CatMissingReportColumn,
	Severity: result.SeverityError,
	Scope:    SiteScope,
	Title:    result.Text{Zh: "未设置政府信息公开年报栏目", En: "No annual-report column"},
	Doc:      result.Text{Zh: "政府信息公开专栏应设置「政府信息公开年报」栏目，集中发布历年年度报告。依据：条例第二十四条（统一的政府信息公开平台）；国办公开办函〔2019〕61号（专栏统一设置“政府信息公开年报”）；规范第6节。", En: "The 政府信息公开 platform must have a 政府信息公开年报 column holding the reports of every year. Basis: Regulation Art. 24; 国办公开办函〔2019〕61号 (the platform's fixed sub-columns); spec §6."},

	Spec: "§6",
	Run: func(p *Pass) {
		s := p.Site
		if s.Column != "" || s.StartErr != nil || s.Incomplete != "" || s.ColumnBlocked != "" {
			// A site that could not be read at all, or whose column
			// robots.txt forbids, is SITE-FETCH's; a crawl that stopped
			// early may not have reached the column.
			return
		}
		p.Reportf(result.Evidence{URL: s.URL}, "未找到政府信息公开年报栏目", "no 政府信息公开年报 column was found on the site")
	},
})

func sameURL(a, b string) bool {
	return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}
