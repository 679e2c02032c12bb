package crawler

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A pager whose later pages come from a data request instead of a page
// load, as with TRS 检索 (WAS) behind a column: page 1 is static, and
//
//	var searchUrl = "/was5/web/search?channelid=239471&searchword=chnlid%3D1234&perpage=15";
//	function searchPage(n){ $.getJSON(searchUrl + "&page=" + n, render); }
//	<a href="javascript:void(0)" onclick="searchPage(2)">下一页</a> 共3页
//
// fetches page n from the endpoint, answering JSON ({"count": …, "docs":
// [{"DOCTITLE": …, "DOCPUBURL": …, "DOCRELTIME": …}]}) or an HTML list.

// dataPager is a pager function that loads pages from an endpoint.
type dataPager struct {
	fn    string
	pages []int // page numbers to ask for, after page 1
	tmpl  func(n int) (string, bool)
}

var (
	// funcDefRe finds one-parameter functions: function f(n){ and f = function(n){.
	funcDefRe = regexp.MustCompile(`(?:function\s+([\w$]+)\s*\(\s*([\w$]+)\s*\)\s*\{|([\w$]+)\s*[:=]\s*function\s*\(\s*([\w$]+)\s*\)\s*\{)`)
	// dataCallRe finds a data request and the start of its URL argument.
	dataCallRe = regexp.MustCompile(`(?:\.getJSON|\$\.get|\$\.post|jQuery\.get|\.load|\bfetch)\s*\(|\burl\s*:`)
)

// parseDataPager finds a pager function that requests its pages from an
// endpoint. calls gives the page's pager calls (function name → page
// numbers linked, from onclick and javascript: links); total the page count
// the page announces (共N页), 0 when none. Both are asked only when the
// scripts define a one-parameter function.
func parseDataPager(scripts string, calls func() map[string][]int, total func() int) (dataPager, bool) {
	if !strings.Contains(scripts, "function") {
		return dataPager{}, false
	}
	defs := funcDefRe.FindAllStringSubmatchIndex(scripts, 64)
	if len(defs) == 0 {
		return dataPager{}, false
	}
	linkedCalls := calls()
	for _, m := range defs {
		name, param := sub(scripts, m, 1), sub(scripts, m, 2)
		if name == "" {
			name, param = sub(scripts, m, 3), sub(scripts, m, 4)
		}
		linked, ok := linkedCalls[name]
		if !ok {
			continue
		}
		body := braceBody(scripts[m[1]-1:])
		for _, c := range dataCallRe.FindAllStringIndex(body, 8) {
			expr := strings.TrimSpace(argExpr(body[c[1]:]))
			if !containsWord(expr, param) {
				continue
			}
			tmpl := func(n int) (string, bool) { return evalConcat(expr, param, n, scripts) }
			if _, ok := tmpl(2); !ok {
				continue
			}
			last := total()
			for _, n := range linked {
				last = max(last, n)
			}
			last = min(last, maxListPages)
			var pages []int
			for n := 2; n <= last; n++ {
				pages = append(pages, n)
			}
			return dataPager{fn: name, pages: pages, tmpl: tmpl}, true
		}
	}
	return dataPager{}, false
}

func sub(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// argExpr returns the expression at the start of s up to the first comma,
// semicolon or closing parenthesis outside quotes and parentheses.
func argExpr(s string) string {
	return s[:jsTop(s, func(_ int, c byte, depth int) bool {
		return depth != 0 || !strings.ContainsRune("),]};\n", rune(c))
	})]
}

// pagerCallRe is a call of a pager function with a page number.
var pagerCallRe = regexp.MustCompile(`([A-Za-z_$][\w$.]*)\s*\(\s*['"]?(\d{1,4})['"]?\s*\)`)

// pagerCalls collects the function calls with a page number in the page's
// links: onclick="searchPage(2)", href="javascript:goPage(3)".
func pagerCalls(attrs []string) map[string][]int {
	out := map[string][]int{}
	for _, a := range attrs {
		for _, m := range pagerCallRe.FindAllStringSubmatch(a, 4) {
			name := m[1][strings.LastIndexByte(m[1], '.')+1:]
			n, _ := strconv.Atoi(m[2])
			if !slices.Contains(out[name], n) {
				out[name] = append(out[name], n)
			}
		}
	}
	return out
}

// request is the URL of page n.
func (d dataPager) request(base *url.URL, n int) *url.URL {
	s, ok := d.tmpl(n)
	if !ok {
		return nil
	}
	return parseLink(base, s)
}

// readDataPager reads the later pages of a list whose pager loads them from
// an endpoint; the page's own entries count as its first page.
func readDataPager(ctx context.Context, lf listFetcher, p *listPage) (listRead, bool) {
	d, ok := parseDataPager(p.scripts, p.calls, p.total)
	if !ok || len(d.pages) == 0 {
		return listRead{}, false
	}
	r := listRead{mechanism: MechanismSearch}
	own, _ := listEntries(p.doc, p.base, p.scope, nil, "")
	seen := recordCounter{}
	seen.add(itemKeys(own)...)
	ask := func(n int) (*url.URL, url.Values) { return d.request(p.base, n), nil }
	total := r.readPages(ctx, lf, d.pages[0], d.pages[len(d.pages)-1], 0, seen, ask, p.dataAnswer)
	if u := d.request(p.base, d.pages[0]); u != nil {
		r.short(u.String(), len(seen), total)
	}
	return r, true
}
