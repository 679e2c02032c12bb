package crawler

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Lists given as data rather than markup: an array literal in a page's
// script (var itemObj = [{"aT": title, "aPd": date, "aU": url}, …]) or a
// JSON answer of a list API (gkmlpt's articles, a TRS search's docs). Each
// object of the array is one entry; its fields are recognised by name where
// the CMS is known and by their values otherwise: the link is the value
// that looks like a page URL, the date the value that reads as a date, the
// title the longest other text.

// Known field names, most specific first.
var (
	urlKeys   = []string{"aU", "url", "URL", "href", "link", "linkurl", "linkUrl", "LinkUrl", "DOCPUBURL", "docpuburl", "docUrl", "pubUrl", "path"}
	titleKeys = []string{"aT", "title", "Title", "DOCTITLE", "doctitle", "name", "subject", "text", "t"}
	dateKeys  = []string{"aPd", "create_time", "createTime", "publish_time", "publishTime", "pubDate", "pubdate", "pubTime", "pubtime",
		"DOCRELTIME", "docreltime", "releaseTime", "date", "time", "created", "first_publish_time", "display_publish_time"}
	totalKeys = []string{"total", "count", "totalRecord", "totalrecord", "totalCount", "total_count", "recordCount", "recordcount", "totalNum", "totalnum", "records"}
	pagesKeys = []string{"totalPage", "totalpage", "pageCount", "pagecount", "total_page", "pages", "totalPages"}
)

// dataItems are the entries found in a data list.
type dataItems struct {
	items []listItem
	total int // records announced by the answer (total, count…); 0 when not
	pages int // pages announced (totalPage, pagecount…); 0 when not
}

// objectItems reads the best list of entry objects in v (the array whose
// objects yield most entries) and the totals announced next to it.
func objectItems(v any, base *url.URL) dataItems {
	var best []listItem
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxLiteralDepth {
			return
		}
		switch x := v.(type) {
		case []any:
			var items []listItem
			for _, e := range x {
				if m, ok := e.(map[string]any); ok {
					if it, ok := objectItem(m, base); ok {
						items = append(items, it)
					}
				}
			}
			if len(items) > len(best) {
				best = items
			}
			for _, e := range x {
				walk(e, depth+1)
			}
		case map[string]any:
			for _, k := range sortedKeys(x) {
				walk(x[k], depth+1)
			}
		}
	}
	walk(v, 0)
	out := dataItems{items: best}
	if m, ok := v.(map[string]any); ok {
		out.total = firstInt(m, totalKeys)
		out.pages = firstInt(m, pagesKeys)
		// {"data": {"total": …, "list": […]}}
		for _, k := range sortedKeys(m) {
			if sub, ok := m[k].(map[string]any); ok {
				if out.total == 0 {
					out.total = firstInt(sub, totalKeys)
				}
				if out.pages == 0 {
					out.pages = firstInt(sub, pagesKeys)
				}
			}
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func firstInt(m map[string]any, keys []string) int {
	for _, k := range keys {
		if n, ok := literalInt(m[k]); ok {
			return n
		}
	}
	return 0
}

// objectItem reads one entry object; ok is false when it has no link.
func objectItem(m map[string]any, base *url.URL) (listItem, bool) {
	var it listItem
	used := map[string]bool{}
	for _, k := range urlKeys {
		if s, ok := m[k].(string); ok {
			if u := parseLink(base, strings.TrimSpace(s)); u != nil {
				it.u, used[k] = u, true
				break
			}
		}
	}
	if it.u == nil {
		for _, k := range sortedKeys(m) {
			if s, ok := m[k].(string); ok && pageURLRe.MatchString(strings.TrimSpace(s)) {
				if u := parseLink(base, strings.TrimSpace(s)); u != nil {
					it.u, used[k] = u, true
					break
				}
			}
		}
	}
	if it.u == nil {
		return it, false
	}
	for _, k := range dateKeys {
		if d := literalDate(m[k]); d != "" {
			it.date, used[k] = d, true
			break
		}
	}
	for _, k := range titleKeys {
		if s, ok := m[k].(string); ok && !used[k] {
			if t := plainText(s); t != "" {
				it.title, used[k] = t, true
				break
			}
		}
	}
	longest := ""
	for _, k := range sortedKeys(m) {
		s, ok := m[k].(string)
		if !ok || used[k] {
			continue
		}
		if it.date == "" {
			if d := findDate(s); d != "" && len([]rune(s)) <= 24 {
				it.date, used[k] = d, true
				continue
			}
		}
		if t := plainText(s); hasHan(t) && len([]rune(t)) > len([]rune(longest)) {
			longest = t
		}
	}
	if it.title == "" {
		it.title = longest
	}
	return it, true
}

// pageURLRe is a value that looks like a link to a page or file.
var pageURLRe = regexp.MustCompile(`(?i)^(?:https?://|/|\./|\.\./)[^\s<>"]*$|^[^\s<>"]+\.(?:s?html?|jsp|aspx?|php|pdf|docx?|wps|xlsx?|ofd)(?:[?#][^\s<>"]*)?$`)

// literalDate reads a date field: a date in text, or Unix seconds or
// milliseconds, which are dates in China Standard Time.
func literalDate(v any) string {
	switch x := v.(type) {
	case string:
		if d := findDate(x); d != "" {
			return d
		}
		if n, ok := literalInt(x); ok {
			return unixDate(int64(n))
		}
	case float64:
		return unixDate(int64(x))
	}
	return ""
}

// cst is China Standard Time, the zone of every list date.
var cst = time.FixedZone("CST", 8*3600)

// unixDate reads Unix seconds (or milliseconds) between 1995 and 2100.
func unixDate(n int64) string {
	if n > 1e11 {
		n /= 1000
	}
	if n < 788918400 || n > 4102444800 {
		return ""
	}
	return time.Unix(n, 0).In(cst).Format("2006-01-02")
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// plainText drops markup (search results highlight words) and squeezes
// spaces.
func plainText(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(s, ""))), " ")
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// scriptArrayRe finds an array of objects assigned in a script:
// var itemObj = [{…}, …].
var scriptArrayRe = regexp.MustCompile(`(?:\bvar\s+|\blet\s+|\bconst\s+|[\w$\]]\s*\.\s*|^|[;\s{(,])[\w$]+\s*=\s*\[\s*\{`)

// scriptArrays returns the arrays of objects assigned in scripts.
func scriptArrays(scripts string) []any {
	if !hasObjectArray(scripts) {
		return nil
	}
	var out []any
	for _, loc := range scriptArrayRe.FindAllStringIndex(scripts, 64) {
		open := strings.LastIndexByte(scripts[loc[0]:loc[1]], '[') + loc[0]
		if v, _, err := jsLiteral(scripts[open:]); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// readArrays reads the entries of item arrays in a page's scripts: those
// that look like entries, as in markup (a date, a report file, a detail
// page, or a report's title), not a menu's links.
func readArrays(_ context.Context, _ listFetcher, p *listPage) (listRead, bool) {
	r := listRead{mechanism: MechanismArray}
	for _, a := range scriptArrays(p.scripts) {
		for _, it := range p.inScope(objectItems(a, p.base).items) {
			if it.date != "" || docExts[extOf(it.u)] || detailRe.MatchString(it.u.Path+"?"+it.u.RawQuery) || (isReportTitle(it.title) && hasYear(it.title)) {
				r.items = append(r.items, it)
			}
		}
	}
	return r, len(r.items) > 0
}

// hasObjectArray says whether s has a [ followed by a {, spaces aside: a
// cheap test before the array search.
func hasObjectArray(s string) bool {
	for i := strings.IndexByte(s, '['); i >= 0; {
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
			j++
		}
		if j < len(s) && s[j] == '{' {
			return true
		}
		k := strings.IndexByte(s[j:], '[')
		if k < 0 {
			return false
		}
		i = j + k
	}
	return false
}
