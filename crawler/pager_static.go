package crawler

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// staticPageRe is a static list page name: index_3.html, list_2.shtml.
var staticPageRe = regexp.MustCompile(`^([A-Za-z]+)_(\d{1,4})\.(s?html?)$`)

// staticPrefixes are the usual names of static list pages.
var staticPrefixes = map[string]bool{"index": true, "list": true, "default": true, "page": true, "more": true}

type staticTemplate struct{ dir, prefix, suffix string }

// staticPager reads static pages, index_N.html: the highest index linked
// (尾页) or the total gives them all.
type staticPager struct {
	last map[staticTemplate]int // template → highest index seen
}

// claim takes links to index_N.html in the list's directory named as a
// pager's, with a usual prefix, or with the list page's own.
func (sp *staticPager) claim(p *pager, l pagerLink) bool {
	_, file := path.Split(l.u.Path)
	m := staticPageRe.FindStringSubmatch(file)
	if m == nil || !(l.pagerText || staticPrefixes[strings.ToLower(m[1])] || m[1] == p.basePrefix) {
		return false
	}
	n, _ := strconv.Atoi(m[2])
	t := staticTemplate{p.dir, m[1], m[3]}
	sp.last[t] = max(sp.last[t], n)
	p.add(l.u)
	return true
}

func (sp *staticPager) expand(p *pager) {
	keys := make([]staticTemplate, 0, len(sp.last))
	for t := range sp.last {
		keys = append(keys, t)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].prefix < keys[j].prefix })
	for _, t := range keys {
		last := min(max(sp.last[t], p.total-1), maxListPages)
		for i := 1; i <= last; i++ {
			p.add(parseLink(p.base, fmt.Sprintf("%s%s_%d.%s", t.dir, t.prefix, i, t.suffix)))
		}
	}
}
