package crawler

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Guangdong's 政府信息公开目录平台 (gkmlpt), used by every agency in the
// province. Its 年报 page, /gkmlpt/annualreport, is a script application
// backed by a JSON API:
//
//	/gkmlpt/api/all/{catalog}?page=N&sid={site}
//	→ {"total": 34, "articles": [{"title": …, "url": …, "create_time": 1706000000, …}]}
//
// create_time is Unix seconds. The site and catalog ids are in the page
// source.

// gkmlptAPI is the list API of one gkmlpt page.
type gkmlptAPI struct {
	base    *url.URL
	catalog string
	sid     string
}

var (
	gkmlptAPIRe     = regexp.MustCompile(`/gkmlpt/api/all/(\d{1,12})`)
	gkmlptSIDRe     = regexp.MustCompile(`(?i)(?:\bsid\b\s*[:=]\s*['"]?|[?&]sid=)(\d{1,12})`)
	gkmlptCatalogRe = regexp.MustCompile(`(?i)\b(?:annualreport|annual_report|catalog_?id|catalog)\b['"]?\s*[:=]\s*['"]?(\d{1,12})`)
)

// parseGkmlpt finds the API of a gkmlpt list page from its URL and scripts.
func parseGkmlpt(scripts string, base *url.URL) (gkmlptAPI, bool) {
	if !strings.Contains(base.Path, "/gkmlpt/") && !strings.Contains(scripts, "gkmlpt") {
		return gkmlptAPI{}, false
	}
	g := gkmlptAPI{base: base}
	if m := gkmlptSIDRe.FindStringSubmatch(scripts); m != nil {
		g.sid = m[1]
	}
	if m := gkmlptAPIRe.FindStringSubmatch(scripts); m != nil {
		g.catalog = m[1]
	} else if m := gkmlptCatalogRe.FindStringSubmatch(scripts); m != nil {
		g.catalog = m[1]
	}
	return g, g.sid != "" && g.catalog != ""
}

// request is the URL of API page n (from 1).
func (g gkmlptAPI) request(n int) *url.URL {
	return parseLink(g.base, "/gkmlpt/api/all/"+g.catalog+"?page="+strconv.Itoa(n)+"&sid="+url.QueryEscape(g.sid))
}

// readGkmlpt reads a gkmlpt list page through its API, page by page until
// the announced total.
func readGkmlpt(ctx context.Context, lf listFetcher, p *listPage) (listRead, bool) {
	g, ok := parseGkmlpt(p.scripts, p.base)
	if !ok {
		return listRead{}, false
	}
	r := listRead{mechanism: MechanismGkmlpt}
	seen := recordCounter{}
	total := r.readPages(ctx, lf, 1, -1, 0, seen, func(n int) (*url.URL, url.Values) { return g.request(n), nil }, p.dataAnswer)
	r.short(g.request(1).String(), len(seen), total)
	return r, true
}
