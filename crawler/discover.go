package crawler

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/ogicheck/ogicheck/result"
)

// maxDiscoveryHops bounds the walk from the start page to the column
// (home → 专栏 → column, with one spare level).
const maxDiscoveryHops = 4

// Column link texts, best first. Scores order candidates on one page.
var columnNames = map[string]int{
	"政府信息公开年报":     110,
	"政府信息公开年报专栏":   108,
	"政府信息公开年报栏目":   108,
	"政府信息公开工作年度报告": 106,
	"政府信息公开年度报告":   106,
	"信息公开年报":       104,
	"政务公开年报":       102,
	"部门信息公开年报":     100,
	"部门年报":         98,
	"信息公开年度报告":     98,
	"年度报告":         92,
	"年报":           90,
	"工作年度报告":       90,
	"年度工作报告":       88,
}

// Words that make a 年报-like link something else: website statistics
// (网站工作年度报表), enterprise annual reports of market regulators, budgets.
var columnExcluded = []string{"报表", "网站", "企业", "工商", "个体", "统计", "财务", "决算", "预算", "农民专业合作社"}

// URL path segments of 年报 columns (also matched as "slug_123").
var columnSlugs = []string{"zfxxgknb", "xxgknb", "bmxxgknb", "gknb", "ndbg", "bmnb", "ndgzbg", "zwgknb", "xxgk-xxgknb", "nb"}

// 专栏 link texts and slugs.
var zoneNames = map[string]int{
	"政府信息公开":   100,
	"政府信息公开专栏": 100,
	"政府信息公开平台": 98,
	"政府信息公开目录": 96,
	"信息公开":     94,
	"政务公开":     94,
	"政务公开专栏":   94,
	"信息公开专栏":   92,
	"信息公开目录":   92,
	"政务信息公开":   90,
	"部门信息公开":   88,
	"基层政务公开":   70,
	"法定主动公开内容": 60,
	"主动公开":     50,
}

var zoneExcluded = []string{"指南", "制度", "申请", "规定", "意见箱", "监督", "年报", "年度报告"}

var zoneSlugs = []string{"zfxxgk", "xxgk", "zwgk", "zfxxgkpt", "xxgkml", "gkml", "zfxxgkml", "zwgkml", "zfxxgkzl", "xxgkzl", "gk"}

// yearRe finds a report year in a link text: a report, not a column.
var yearRe = regexp.MustCompile(`(19|20)\d{2}\s*年|(19|20)\d{2}年度|[〇零一二][〇零一二三四五六七八九]{3}年`)

// reportRe recognises annual-report titles.
var reportRe = regexp.MustCompile(`年度报告|年报|年度工作报告`)

// squash removes all white space, for matching link texts.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
}

// tidy collapses white space runs to one space, for display.
func tidy(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' || r == '\u200b' || r == '\ufeff'
	}), " ")
}

// isReportTitle says whether a title names an annual report.
func isReportTitle(t string) bool {
	t = squash(t)
	return reportRe.MatchString(t) && !strings.Contains(t, "报表") && !strings.Contains(t, "企业年报")
}

// hasYear says whether t names a year (a report rather than a column).
func hasYear(t string) bool { return yearRe.MatchString(squash(t)) }

// link is a hyperlink of a page.
type link struct {
	u     *url.URL
	text  string // visible text, or the alt/title of an image link
	title string // title attribute
	sel   *goquery.Selection
}

// label is the best text to match a link by.
func (l link) label() string {
	if t := squash(l.text); t != "" {
		return t
	}
	return squash(l.title)
}

// pageLinks lists the <a href> links of a page, resolved against base.
// javascript:, mailto: and other non-http links are left out.
func pageLinks(sel *goquery.Selection, base *url.URL) []link {
	var out []link
	sel.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u := parseLink(base, href)
		if u == nil {
			return
		}
		out = append(out, link{u: u, text: linkText(a), title: tidy(a.AttrOr("title", "")), sel: a})
	})
	return out
}

// linkText is the visible text of a, or for image links the image's alt
// or title.
func linkText(a *goquery.Selection) string {
	t := tidy(a.Text())
	if t == "" {
		img := a.Find("img").First()
		t = tidy(img.AttrOr("alt", img.AttrOr("title", "")))
	}
	return t
}

// lastDir returns the last meaningful path segment of u: the directory of
// a directory index, or the file name without extension.
func lastDir(u *url.URL) string {
	p := strings.TrimSuffix(u.Path, "/")
	dir, file := path.Split(p)
	if indexNames[strings.ToLower(file)] || strings.HasPrefix(strings.ToLower(file), "index_") {
		file = path.Base(strings.TrimSuffix(dir, "/"))
	}
	return strings.ToLower(strings.TrimSuffix(file, path.Ext(file)))
}

// slugMatch says whether the last segment of u is one of slugs, also as
// "slug_15" or "xxgk-slug".
func slugMatch(u *url.URL, slugs []string) string {
	seg := lastDir(u)
	for _, s := range slugs {
		if seg == s || strings.HasPrefix(seg, s+"_") || strings.HasSuffix(seg, "-"+s) {
			return s
		}
	}
	return ""
}

// columnScore rates a link as the 年报 column; 0 means it is not one.
func columnScore(l link) (int, string) {
	if docExts[extOf(l.u)] {
		return 0, ""
	}
	t := l.label()
	for _, x := range columnExcluded {
		if strings.Contains(t, x) {
			return 0, ""
		}
	}
	if hasYear(t) {
		return 0, ""
	}
	score, from := 0, ""
	if s, ok := columnNames[t]; ok {
		score, from = s, fmt.Sprintf("link %q", t)
	} else if reportRe.MatchString(t) && utf8.RuneCountInString(t) <= 16 {
		score, from = 70, fmt.Sprintf("link %q", t)
	}
	slug := slugMatch(l.u, columnSlugs)
	if slug == "" && strings.Contains(strings.ToLower(l.u.Path), "annualreport") {
		slug = "annualreport"
	}
	if slug != "" {
		if score > 0 {
			score += 10
		} else if t == "" || utf8.RuneCountInString(t) <= 12 {
			// A slug alone: the text must not name something else.
			score, from = 50, "url slug "+slug
			if slug == "nb" {
				score = 40
			}
		}
	}
	return score, from
}

// zoneScore rates a link as the 政府信息公开 专栏.
func zoneScore(l link) (int, string) {
	if docExts[extOf(l.u)] {
		return 0, ""
	}
	t := l.label()
	for _, x := range zoneExcluded {
		if strings.Contains(t, x) {
			return 0, ""
		}
	}
	score, from := 0, ""
	if s, ok := zoneNames[t]; ok && s > 0 {
		score, from = s, fmt.Sprintf("link %q", t)
	} else if (strings.Contains(t, "信息公开") || strings.Contains(t, "政务公开")) && utf8.RuneCountInString(t) <= 10 {
		score, from = 70, fmt.Sprintf("link %q", t)
	}
	if slug := slugMatch(l.u, zoneSlugs); slug != "" {
		if score > 0 {
			score += 10
		} else if utf8.RuneCountInString(t) <= 12 {
			score, from = 45, "url slug "+slug
			if slug == "gk" {
				score = 30
			}
		}
	}
	return score, from
}

type candidate struct {
	l     link
	score int
	from  string
}

// rank returns the links of a page scoring above zero, best first, one per
// URL.
func rank(links []link, score func(link) (int, string)) []candidate {
	best := map[string]candidate{}
	var order []string
	for _, l := range links {
		s, from := score(l)
		if s <= 0 {
			continue
		}
		k := urlKey(l.u)
		if c, ok := best[k]; !ok || s > c.score {
			if !ok {
				order = append(order, k)
			}
			best[k] = candidate{l, s, from}
		}
	}
	out := make([]candidate, 0, len(order))
	for _, k := range order {
		out = append(out, best[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// titleNamesColumn says whether a page's title or heading names a column.
func titleNamesColumn(doc *goquery.Document) (string, bool) {
	for _, sel := range []string{"title", "h1", ".title", ".lm_name", ".column-name"} {
		t := squash(doc.Find(sel).First().Text())
		if t == "" || hasYear(t) {
			continue
		}
		best := ""
		for name := range columnNames {
			if utf8.RuneCountInString(name) >= 4 && strings.Contains(t, name) && len(name) > len(best) {
				best = name
			}
		}
		if best != "" {
			return best, true
		}
	}
	return "", false
}

// discover walks from the start page to the 年报 column and returns the
// column's first list page, or nil when none was found.
func (s *siteCrawl) discover(ctx context.Context, start *fetched) *fetched {
	cur := start
	via, viaFrom, viaScore := "start", "start URL", 0
	visited := map[string]bool{}
	var reportLinks []listItem
	for hop := 0; hop < maxDiscoveryHops && cur != nil && cur.doc != nil && !s.halted(); hop++ {
		curURL := cur.base
		if fu, err := url.Parse(cur.res.FinalURL); err == nil {
			curURL = fu
		}
		selfKey := urlKey(curURL)
		visited[selfKey] = true
		visited[urlKey(mustParse(cur.res.URL))] = true
		links := pageLinks(cur.doc.Selection, cur.base)
		items, _ := listEntries(cur.doc, cur.base, s.scope, nil, "")
		reports := 0
		for _, it := range items {
			if isReportTitle(it.title) && hasYear(it.title) {
				reports++
				reportLinks = append(reportLinks, it)
			}
		}
		// A column lists mostly reports; a home page's news list may
		// hold one among many other items.
		listsReports := reports > 0 && reports*2 >= len(items)
		var cols, zones []candidate
		selfCol, selfFrom := false, ""
		for _, c := range rank(links, columnScore) {
			k := urlKey(c.l.u)
			if k == selfKey {
				selfCol, selfFrom = true, c.from
				continue
			}
			if !visited[k] && s.scope.contains(c.l.u) && trap(c.l.u) == "" {
				cols = append(cols, c)
			}
		}
		if !selfCol {
			if slug := slugMatch(curURL, columnSlugs); slug != "" && slug != "nb" {
				selfCol, selfFrom = true, "url slug "+slug
			} else if name, ok := titleNamesColumn(cur.doc); ok {
				selfCol, selfFrom = true, fmt.Sprintf("page title %q", name)
			}
		}
		for _, c := range rank(links, zoneScore) {
			k := urlKey(c.l.u)
			if !visited[k] && s.scope.contains(c.l.u) && trap(c.l.u) == "" {
				zones = append(zones, c)
			}
		}
		s.logf("discovery %s: %d report entries, %d column links, %d zone links", curURL, reports, len(cols), len(zones))
		if via == "column" && (listsReports || len(cols) == 0 || cols[0].score <= viaScore) {
			// Reached by a column link: this is the column, even when
			// empty (an agency that never published is a finding, not a
			// discovery failure).
			return s.setColumn(cur, viaFrom)
		}
		if via == "start" && selfCol {
			return s.setColumn(cur, selfFrom)
		}
		if next, c := s.follow(ctx, cols, visited); next != nil {
			cur, via, viaFrom, viaScore = next, "column", c.from, c.score
			continue
		}
		if via == "column" {
			return s.setColumn(cur, viaFrom) // the better link was broken
		}
		if listsReports {
			if via == "start" {
				return s.setColumn(cur, "start page lists reports")
			}
			return s.setColumn(cur, "page lists reports")
		}
		if next, c := s.follow(ctx, zones, visited); next != nil {
			cur, via, viaFrom, viaScore = next, "zone", c.from, c.score
			continue
		}
		break
	}
	// Last resort: the directory of a report link (TRS keeps reports in
	// column/YYYYMM/tYYYYMMDD_n.html).
	for _, it := range reportLinks {
		dir := reportParent(it.u)
		if dir == nil || visited[urlKey(dir)] || s.halted() {
			continue
		}
		visited[urlKey(dir)] = true
		f := s.fetch(ctx, dir, "", rolePage)
		if f.doc == nil {
			continue
		}
		items, _ := listEntries(f.doc, f.base, s.scope, nil, "")
		for _, e := range items {
			if isReportTitle(e.title) {
				return s.setColumn(f, fmt.Sprintf("parent of report link %q", it.title))
			}
		}
	}
	// The way on is forbidden: the column is not known to be missing.
	s.site.ColumnBlocked = s.blocked
	return nil
}

// follow fetches the best candidate that answers with a page.
func (s *siteCrawl) follow(ctx context.Context, cands []candidate, visited map[string]bool) (*fetched, candidate) {
	for i, c := range cands {
		if i >= 3 || s.halted() {
			break
		}
		visited[urlKey(c.l.u)] = true
		f := s.fetch(ctx, c.l.u, c.l.label(), rolePage)
		if f.doc != nil {
			return f, c
		}
		if fe := f.res.Err; fe != nil && fe.Class == result.FetchRobotsDisallowed && s.blocked == "" {
			s.blocked = f.res.URL
		}
	}
	return nil, candidate{}
}

func (s *siteCrawl) setColumn(f *fetched, from string) *fetched {
	s.site.Column = f.res.FinalURL
	s.site.ColumnFrom = from
	s.logf("column %s (%s)", s.site.Column, from)
	return f
}

var yyyymmRe = regexp.MustCompile(`^\d{6}$`)

// reportParent is the column directory a TRS report URL lives in, or nil.
func reportParent(u *url.URL) *url.URL {
	dir := dirOf(u)
	segs := strings.Split(strings.Trim(dir, "/"), "/")
	if len(segs) > 0 && yyyymmRe.MatchString(segs[len(segs)-1]) {
		segs = segs[:len(segs)-1]
	}
	if len(segs) == 0 || segs[0] == "" {
		return nil
	}
	p := *u
	p.Path = "/" + strings.Join(segs, "/") + "/"
	p.RawPath, p.RawQuery = "", ""
	return &p
}

func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{}
	}
	return u
}
