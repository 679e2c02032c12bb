package crawler

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Pagination. A column's other list pages are found by four strategies,
// one per file: static index_N.html links (pager_static.go), the TRS
// createPageHTML script (pager_trs.go), ?currentPage=N query parameters
// (pager_query.go) and javascript: pager functions with a URL template
// (pager_jsfunc.go). Each link of the page is claimed by at most one of them;
// each then adds the pages it infers, up to the total from 「共N页」.

// totalRe finds a page count in pager text: 共5页, 页次：1/5, 第1/5页.
var totalRe = regexp.MustCompile(`(?:共\s*(\d{1,4})\s*页)|(?:页次\s*[:：]?\s*\d{1,4}\s*/\s*(\d{1,4}))|(?:第\s*\d{1,4}\s*/\s*(\d{1,4})\s*页)|(?:总页数\s*[:：]?\s*(\d{1,4}))`)

// announcedTotal is the page count a pager in text states (共5页, 页次：1/5), 0 if none.
func announcedTotal(text string) int {
	n := 0
	for _, m := range totalRe.FindAllStringSubmatch(text, -1) {
		for _, g := range m[1:] {
			if v, err := strconv.Atoi(g); err == nil {
				n = max(n, v)
			}
		}
	}
	return n
}

// pager is what the strategies share while reading one list page.
type pager struct {
	base       *url.URL
	dir        string // directory of base, ending in /
	basePrefix string // name of base without extension or _N: index, list
	total      int    // pages announced by 「共N页」, capped
	scripts    string // the page's scripts, for the script strategies
	seen       map[string]bool
	out        []*url.URL
}

// pagerLink is one link or onclick of a list page.
type pagerLink struct {
	href, onclick string
	u             *url.URL // href resolved; nil for javascript: and bad links
	javascript    bool     // href is a javascript: URL
	pagerText     bool     // the text is a pager's (下一页, 2, 尾页…)
}

// listPages returns the other list pages of a column that page doc shows,
// in page order: the pages linked, in document order, then those each
// strategy infers.
func listPages(doc *goquery.Document, base *url.URL) []*url.URL {
	return pagerPages(doc, base, announcedTotal(doc.Text()))
}

// pagerPages is listPages for a page whose pager announces total pages
// (共N页), read by the caller.
func pagerPages(doc *goquery.Document, base *url.URL, total int) []*url.URL {
	p := newPager(doc, base, total)
	js := &jsPager{pages: map[string][]int{}}
	static := &staticPager{last: map[staticTemplate]int{}}
	query := &queryPager{}
	p.eachLink(doc, func(l pagerLink) {
		switch {
		case js.claim(l):
		case l.javascript, l.u == nil:
		case query.claim(p, l):
		case dirOf(l.u) != p.dir:
		case static.claim(p, l):
		case l.pagerText && l.u.RawQuery == "":
			p.add(l.u)
		}
	})
	trsPages(p)
	static.expand(p)
	query.expand(p)
	js.expand(p)
	return p.out
}

func newPager(doc *goquery.Document, base *url.URL, total int) *pager {
	var sb strings.Builder
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if sb.Len() < 1<<20 {
			sb.WriteString(s.Text())
			sb.WriteByte('\n')
		}
	})
	_, baseFile := path.Split(base.Path)
	basePrefix := strings.TrimSuffix(baseFile, path.Ext(baseFile))
	if m := staticPageRe.FindStringSubmatch(baseFile); m != nil {
		basePrefix = m[1]
	}
	return &pager{
		base:       base,
		dir:        dirOf(base),
		basePrefix: basePrefix,
		total:      min(total, maxListPages),
		scripts:    sb.String(),
		seen:       map[string]bool{urlKey(base): true},
	}
}

// add appends u to the pages found unless it is known already.
func (p *pager) add(u *url.URL) {
	if u == nil {
		return
	}
	if k := urlKey(u); !p.seen[k] {
		p.seen[k] = true
		p.out = append(p.out, u)
	}
}

// eachLink calls f for every link and onclick of the page, then for every
// <option value="index_2.html"> of a page picker.
func (p *pager) eachLink(doc *goquery.Document, f func(pagerLink)) {
	mk := func(href, onclick, txt string) pagerLink {
		l := pagerLink{href: href, onclick: onclick}
		l.javascript = strings.HasPrefix(strings.ToLower(strings.TrimSpace(href)), "javascript:")
		if !l.javascript {
			l.u = parseLink(p.base, href)
		}
		l.pagerText = pagerTextRe.MatchString(strings.ToLower(squash(txt)))
		return l
	}
	doc.Find("a, [onclick]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		onclick, _ := a.Attr("onclick")
		if href == "" && onclick == "" {
			return
		}
		f(mk(href, onclick, linkText(a)))
	})
	doc.Find("select option[value]").Each(func(_ int, o *goquery.Selection) {
		v, _ := o.Attr("value")
		if _, file := path.Split(v); staticPageRe.MatchString(file) {
			f(mk(v, "", ""))
		}
	})
}
