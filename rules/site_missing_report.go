package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/result"
)

// SiteMissingReport reports each year without a report in the column.
var SiteMissingReport = register(&Rule{
	ID:       "SITE-MISSING-REPORT",
	Category: result.CatMissingReport,
	Severity: result.SeverityError,
	Scope:    SiteScope,
	Title:    result.Text{Zh: "缺少年度报告", En: "Annual report missing for a year"},
	Doc:      result.Text{Zh: "年报栏目中应能找到每一年度的报告。检查范围为 --years 指定的年度；未指定时，从找到的最早年度到截止日期已过的最近年度（部门1月31日；政府2020年度及以前3月31日，2021年度起按层级：县级2月20日、地级3月10日、省级3月31日，层级未知按3月31日）。栏目中列出但链接失效的报告算作已发布，另报链接失效。列表未读完（见 SITE-LIST-UNREADABLE：达到限制、被中断、列表页或列表数据请求失败、被 robots.txt 禁止、由脚本生成而未能渲染）时，未读部分可能包含的年度不报缺失：只因达到限制而未读完、且列表按从新到旧排列时，不报已读到的最后一个年度及更早的年度；否则不报任何年度。栏目中有年度不明的报告（标题和正文都未给出年度）、或有未能读取（未抓取、无法读取、链接失效）且标题未给出年度的条目时，它可能就是任何一年的报告，不报缺失。依据：条例第四十九条；国办公开办函〔2019〕61号（历年年报可查）；规范第2节、第5节。", En: "The column must hold a report for every year: the years given by --years, or else from the first year found to the last year whose deadline has passed (January 31 for departments; for governments March 31 up to the 2020 reports, and from 2021 by tier: county February 20, prefecture March 10, province or unknown March 31). A listed report whose link is broken counts as published; the broken link is reported separately. When part of the list was not read (SITE-LIST-UNREADABLE: a limit, an interruption, a list page or list data request that failed, robots.txt, a list built by scripts that could not be rendered), no year the unread part could hold is reported: when only a limit cut the list and it is in newest-first order, none up to the last year read; otherwise none at all. Nor is any year reported while the column lists a report whose year is unknown (neither its title nor its content gives it), or an entry that could not be read (not fetched, unreadable, a broken link) and whose title gives no year: it may be the report of any year. Basis: Regulation Art. 49; 国办公开办函〔2019〕61号 (history browsable); spec §2 and §5."},

	Spec: "§2, §5",
	Run: func(p *Pass) {
		s := p.Site
		if s.Column == "" {
			return
		}
		have := map[int]bool{}
		first := 0
		for _, e := range s.Entries {
			if !e.Report {
				continue
			}
			for _, y := range append([]int{e.Year}, e.Years...) {
				if y > 0 {
					have[y] = true
					if first == 0 || y < first {
						first = y
					}
				}
			}
		}
		from, to := p.Config.FirstYear, p.Config.LastYear
		if from == 0 {
			from = first
		}
		if to == 0 {
			to = p.Config.Deadlines.LastDue(p.Config.Now, s.Level, s.Tier)
		}
		// Part of the list unread: a year it could hold is not known to be
		// missing. A part cut off by a limit is the list's end, which in a
		// newest-first list holds only years up to its last one read; any
		// other unread part (a failed list page or data request, a list
		// not rendered) may sit anywhere and hold any year.
		unreadUpTo := 0
		if s.ListUnread != "" || len(s.Unread) > 0 {
			unreadUpTo = 1 << 30
			if y, ok := newestFirst(s.Entries); ok && tailOnly(s.Unread) {
				unreadUpTo = y
			}
		}
		// A listed report, or an entry that could not be read, whose year
		// is unknown may be the report of any year.
		for _, e := range s.Entries {
			if e.Year == 0 && len(e.Years) == 0 && (e.Report || e.Unread != "" || len(e.Broken) > 0) {
				unreadUpTo = 1 << 30
			}
		}
		if from == 0 {
			if unreadUpTo == 0 {
				p.Reportf(result.Evidence{URL: s.Column}, "年报栏目中没有找到任何年度报告", "the annual-report column holds no annual report")
			}
			return
		}
		for y := from; y <= to; y++ {
			if !have[y] && y > unreadUpTo {
				p.Reportf(result.Evidence{URL: s.Column, Year: y, Expected: fmt.Sprint(y)}, "年报栏目中没有%d年度报告", "no report for %d in the annual-report column", y)
			}
		}
	},
})

// newestFirst says whether the column's reports are listed newest first,
// and returns the year of the last one.
func newestFirst(entries []Entry) (int, bool) {
	last := 0
	for _, e := range entries {
		if !e.Report || e.Year == 0 {
			continue
		}
		if last != 0 && e.Year > last {
			return 0, false
		}
		last = e.Year
	}
	return last, last != 0
}

// tailOnly says whether every unread part of a list is its end: cut off by
// a limit.
func tailOnly(gaps []ListGap) bool {
	for _, g := range gaps {
		if g.Reason != "limit" {
			return false
		}
	}
	return true
}
