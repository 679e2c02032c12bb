package crawler

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Lists loaded after the page by a JSONP request (TrueCMS-style sites):
//
//	$.ajax({url: "/common/list.jsp", dataType: "jsonp", jsonp: "callback",
//	        data: {columnId: "2345", pageIndex: page, pageSize: 15}, …})
//
// answered by callback({"result": "<datastore>…</datastore>"}): the JCMS
// record set (jcms.go) wrapped in JSON, or by a JSON object of items
// (items.go).

// jsonpCall is the request a page's script makes for its list: a JSONP
// call with a page parameter (one without is no paged list).
type jsonpCall struct {
	u        *url.URL   // the endpoint, with its own query
	data     url.Values // the fixed parameters
	pageKey  string     // the parameter numbering pages; "" when none
	callback string     // the parameter naming the callback
	name     string     // the callback name sent
}

var (
	ajaxCallRe  = regexp.MustCompile(`(?:\$|jQuery)\s*\.\s*ajax\s*\(\s*\{`)
	jsonpTypeRe = regexp.MustCompile(`\bdataType\s*:\s*['"]jsonp['"]`)
	ajaxURLRe   = regexp.MustCompile(`\burl\s*:\s*([^,\n}]+)`)
	ajaxDataRe  = regexp.MustCompile(`\bdata\s*:\s*\{`)
	jsonpKeyRe  = regexp.MustCompile(`\bjsonp\s*:\s*['"]([\w$]+)['"]`)
	jsonpNameRe = regexp.MustCompile(`\bjsonpCallback\s*:\s*['"]([\w$]+)['"]`)
)

// parseJSONPCall finds the first JSONP $.ajax call of a page's scripts.
func parseJSONPCall(scripts string, base *url.URL) (jsonpCall, bool) {
	if !strings.Contains(scripts, "jsonp") {
		return jsonpCall{}, false
	}
	for _, loc := range ajaxCallRe.FindAllStringIndex(scripts, 16) {
		body := braceBody(scripts[loc[1]-1:])
		if !jsonpTypeRe.MatchString(body) {
			continue
		}
		m := ajaxURLRe.FindStringSubmatch(body)
		if m == nil {
			continue
		}
		raw, ok := evalConcat(strings.TrimSpace(m[1]), "", 0, scripts)
		if !ok {
			continue
		}
		u := parseLink(base, raw)
		if u == nil {
			continue
		}
		c := jsonpCall{u: u, data: url.Values{}, callback: "callback", name: "jQuery" + strconv.Itoa(1830000000+len(scripts)%100000)}
		if k := jsonpKeyRe.FindStringSubmatch(body); k != nil {
			c.callback = k[1]
		}
		if k := jsonpNameRe.FindStringSubmatch(body); k != nil {
			c.name = k[1]
		}
		if d := ajaxDataRe.FindStringIndex(body); d != nil {
			if v, _, err := jsLiteral(body[d[1]-1:]); err == nil {
				obj, _ := v.(map[string]any)
				keys := make([]string, 0, len(obj))
				for k := range obj {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				for _, k := range keys {
					switch x := obj[k].(type) {
					case jsIdent:
						if slices.Contains(pageParams, k) {
							c.pageKey = k
						} else if v, ok := scriptValue(scripts, string(x)); ok {
							c.data.Set(k, v)
						}
					default:
						if s := literalString(x); s != "" {
							c.data.Set(k, s)
						}
						if slices.Contains(pageParams, k) && c.pageKey == "" {
							c.pageKey = k
						}
					}
				}
			}
		}
		if c.pageKey == "" {
			continue // not a paged list: a visit counter, a weather box…
		}
		return c, true
	}
	return jsonpCall{}, false
}

// request is the URL of list page n (from 1).
func (c jsonpCall) request(n int) *url.URL {
	u := *c.u
	q := u.Query()
	for k, v := range c.data {
		q[k] = v
	}
	if c.pageKey != "" {
		q.Set(c.pageKey, strconv.Itoa(n))
	}
	q.Set(c.callback, c.name)
	u.RawQuery = q.Encode()
	return &u
}

// unwrapJSONP parses a JSON or JSONP answer: cb({…}), cb && cb({…});,
// /**/cb({…}).
func unwrapJSONP(body string) (any, bool) {
	s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(body), "\ufeff"))
	s = strings.TrimPrefix(s, "/**/")
	if s != "" && s[0] != '{' && s[0] != '[' {
		open := strings.IndexByte(s, '(')
		end := strings.LastIndexByte(s, ')')
		if open < 0 || end < open || !jsonpHeadRe.MatchString(s[:open]) {
			return nil, false
		}
		s = s[open+1 : end]
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err == nil {
		return v, true
	}
	// not strict JSON: single quotes, bare keys
	if v, n, err := jsLiteral(s); err == nil && strings.TrimSpace(s[n:]) == "" {
		return v, true
	}
	return nil, false
}

// jsonpHeadRe is what may stand before the ( of a JSONP answer.
var jsonpHeadRe = regexp.MustCompile(`^\s*(?:[\w$.]+\s*&&\s*)?[\w$.]+\s*$`)

// datastoreIn finds a JCMS datastore in a parsed answer: a string field
// holding <datastore>, at any depth.
func datastoreIn(v any) (datastore, bool) {
	switch x := v.(type) {
	case string:
		return parseDatastore(x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if d, ok := datastoreIn(x[k]); ok {
				return d, true
			}
		}
	case []any:
		for _, e := range x {
			if d, ok := datastoreIn(e); ok {
				return d, true
			}
		}
	}
	return datastore{}, false
}

// readJSONP reads a list a page loads by JSONP: every page of it, each a
// JCMS record set or a JSON object of items.
func readJSONP(ctx context.Context, lf listFetcher, p *listPage) (listRead, bool) {
	c, ok := parseJSONPCall(p.scripts, p.base)
	if !ok {
		return listRead{}, false
	}
	r := listRead{mechanism: MechanismJSONP}
	seen := recordCounter{}
	total := r.readPages(ctx, lf, 1, -1, 0, seen, func(n int) (*url.URL, url.Values) { return c.request(n), nil },
		func(text string) (pageData, bool) { return p.dataAnswer(text) })
	r.short(c.u.String(), len(seen), total)
	return r, true
}

// dataAnswer reads an answer of a list request: a JCMS record set in JSON
// or JSONP, a JSON object of items, or HTML list markup.
func (p *listPage) dataAnswer(text string) (pageData, bool) {
	v, ok := unwrapJSONP(text)
	if !ok {
		items := p.markupItems(text)
		return pageData{records: itemKeys(items), items: items}, len(items) > 0 || strings.Contains(text, "<")
	}
	if d, ok := datastoreIn(v); ok {
		pages := d.pages
		if d.total > 0 && len(d.records) > 0 && pages == 0 {
			pages = (d.total + len(d.records) - 1) / len(d.records)
		}
		return pageData{records: d.records, items: p.markupItems(d.records...), total: d.total, pages: pages}, true
	}
	di := objectItems(v, p.base)
	items := p.inScope(di.items)
	return pageData{records: itemKeys(di.items), items: items, total: di.total, pages: di.pages}, true
}

// itemKeys are the items' links, which tell records apart.
func itemKeys(items []listItem) []string {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = urlKey(it.u)
	}
	return keys
}
