package crawler

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Hanweb JCMS (大汉) columns. The column page carries its first group of
// records in a script:
//
//	<script type="text/xml"><datastore>
//	  <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=2&…"></a>]]></nextgroup>
//	  <recordset><record><![CDATA[<li><a href=…>…</a><span>2024-01-20</span></li>]]></record>…</recordset>
//	</datastore></script>
//
// and a jpage call naming the proxy that serves the later groups:
//
//	$('#5678').jpage({proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 15,
//	  totalRecord: 103, groupSize: 3, ajaxParam: {col: 1, appid: 1, webid: 3, …}})
//
// The proxy answers POST with the ajaxParam form fields and startrecord,
// endrecord and perpage in the query, or GET with page=N (the nextgroup
// link's form), with the same datastore XML plus totalrecord and totalpage.

// datastore is a JCMS record set: the one in a column page or a proxy's
// answer.
type datastore struct {
	records   []string // the HTML of each <record>
	total     int      // <totalrecord>; 0 when not given
	pages     int      // <totalpage>; 0 when not given
	nextGroup string   // href of the <nextgroup> link; "" when none
}

var (
	datastoreRe = regexp.MustCompile(`(?i)<(?:datastore|recordset)[\s>]`)
	recordRe    = regexp.MustCompile(`(?is)<record(?:\s[^>]*)?>(.*?)</record>`)
	nextGroupRe = regexp.MustCompile(`(?is)<nextgroup(?:\s[^>]*)?>(.*?)</nextgroup>`)
	hrefRe      = regexp.MustCompile(`(?i)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
	tagNumRe    = map[string]*regexp.Regexp{
		"totalrecord": regexp.MustCompile(`(?i)<totalrecord>\s*(\d{1,7})\s*</totalrecord>`),
		"totalpage":   regexp.MustCompile(`(?i)<totalpage>\s*(\d{1,7})\s*</totalpage>`),
	}
)

// parseDatastore reads a datastore from s (page script or proxy answer).
// ok is false when s holds none.
func parseDatastore(s string) (datastore, bool) {
	if !datastoreRe.MatchString(s) {
		return datastore{}, false
	}
	var d datastore
	for _, m := range recordRe.FindAllStringSubmatch(s, maxListItemsPerPage) {
		if r := strings.TrimSpace(cdataOrText(m[1])); r != "" {
			d.records = append(d.records, r)
		}
	}
	if m := tagNumRe["totalrecord"].FindStringSubmatch(s); m != nil {
		d.total, _ = strconv.Atoi(m[1])
	}
	if m := tagNumRe["totalpage"].FindStringSubmatch(s); m != nil {
		d.pages, _ = strconv.Atoi(m[1])
	}
	if m := nextGroupRe.FindStringSubmatch(s); m != nil {
		if h := hrefRe.FindStringSubmatch(cdataOrText(m[1])); h != nil {
			d.nextGroup = html.UnescapeString(strings.TrimSpace(h[1] + h[2] + h[3]))
		}
	}
	return d, true
}

// cdataOrText returns the content of the CDATA sections of s, or s
// unescaped when it has none (some proxies escape the markup instead).
func cdataOrText(s string) string {
	ms := cdataRe.FindAllStringSubmatch(s, -1)
	if ms == nil {
		return html.UnescapeString(s)
	}
	var sb strings.Builder
	for _, m := range ms {
		sb.WriteString(m[1])
	}
	return sb.String()
}

// jpage is the pager call of a JCMS column page.
type jpage struct {
	proxy     string     // proxyUrl
	params    url.Values // ajaxParam: the form fields of a POST
	total     int        // totalRecord
	perPage   int
	groupSize int
}

var (
	jpageCallRe  = regexp.MustCompile(`\.jpage\s*\(`)
	proxyURLRe   = regexp.MustCompile(`\bproxyUrl\s*[:=]\s*(?:"([^"\n]*)"|'([^'\n]*)')`)
	ajaxParamRe  = regexp.MustCompile(`\bajaxParam\s*[:=]\s*\{`)
	jpageNumRes  = map[string]*regexp.Regexp{}
	jpageNumKeys = []string{"totalRecord", "perPage", "groupSize"}
)

func init() {
	for _, k := range jpageNumKeys {
		jpageNumRes[k] = regexp.MustCompile(`\b` + k + `\s*[:=]\s*['"]?(\d{1,7})\b`)
	}
}

// parseJPage reads the jpage parameters from a page's scripts; ok is false
// when there is no jpage call or proxyUrl.
func parseJPage(scripts string) (jpage, bool) {
	var j jpage
	m := proxyURLRe.FindStringSubmatch(scripts)
	if m == nil && !jpageCallRe.MatchString(scripts) {
		return j, false
	}
	if m != nil {
		j.proxy = strings.TrimSpace(m[1] + m[2])
	}
	nums := map[string]int{}
	for _, k := range jpageNumKeys {
		if m := jpageNumRes[k].FindStringSubmatch(scripts); m != nil {
			nums[k], _ = strconv.Atoi(m[1])
		}
	}
	j.total, j.perPage, j.groupSize = nums["totalRecord"], nums["perPage"], nums["groupSize"]
	if loc := ajaxParamRe.FindStringIndex(scripts); loc != nil {
		if v, _, err := jsLiteral(scripts[loc[1]-1:]); err == nil {
			if obj, ok := v.(map[string]any); ok {
				j.params = url.Values{}
				for k, x := range obj {
					if s := literalString(x); s != "" || x != nil {
						j.params.Set(k, s)
					}
				}
			}
		}
	}
	return j, j.proxy != "" || j.params != nil
}

// jcmsPlan is how to ask a column's proxy for the groups of records after
// the first.
type jcmsPlan struct {
	get     *url.URL   // the nextgroup link: GET, page=N numbering groups
	post    *url.URL   // proxyUrl: POST of params, record range in the query
	params  url.Values // form fields of the POST
	pageKey string     // the GET link's group parameter
	page0   int        // group number in the nextgroup link
	total   int        // records announced; 0 when unknown
	first   int        // records in the page itself
	per     int        // records per group
	size    int        // records per page of the pager (perpage)
}

// jcmsPlanOf combines a page's datastore and jpage call. ok is false when
// the page names no proxy.
func jcmsPlanOf(d datastore, j jpage, base *url.URL) (jcmsPlan, bool) {
	p := jcmsPlan{total: max(d.total, j.total), first: len(d.records)}
	p.per = j.perPage * max(j.groupSize, 1)
	if j.groupSize == 0 && p.first > 0 {
		p.per = max(p.first, j.perPage)
	}
	if p.per <= 0 {
		p.per = max(p.first, 1)
	}
	p.size = j.perPage
	if p.size <= 0 {
		p.size = p.per
	}
	if j.proxy != "" && j.params != nil {
		p.post = parseLink(base, j.proxy)
		p.params = j.params
	}
	if d.nextGroup != "" {
		if u := parseLink(base, d.nextGroup); u != nil {
			q := u.Query()
			for _, k := range []string{"page", "pageNo", "pageIndex", "currentPage"} {
				if n, err := strconv.Atoi(q.Get(k)); err == nil {
					p.get, p.pageKey, p.page0 = u, k, n
					break
				}
			}
		}
	}
	if p.get == nil && p.post == nil && j.proxy != "" {
		// a proxy without form fields: its own query says which column
		p.post = parseLink(base, j.proxy)
		p.params = url.Values{}
	}
	return p, p.get != nil || p.post != nil
}

// groups is how many requests the plan needs after the page's own group;
// -1 when the total is unknown (ask until a group adds nothing).
func (p jcmsPlan) groups() int {
	if p.total <= 0 {
		return -1
	}
	left := p.total - p.first
	if left <= 0 {
		return 0
	}
	return (left + p.per - 1) / p.per
}

// request returns the k-th request after the page (k from 0): its URL and,
// for a POST, its form.
func (p jcmsPlan) request(k int) (*url.URL, url.Values) {
	if p.post != nil {
		start := p.first + k*p.per + 1
		u := *p.post
		q := u.Query()
		q.Set("startrecord", strconv.Itoa(start))
		q.Set("endrecord", strconv.Itoa(start+p.per-1))
		q.Set("perpage", strconv.Itoa(p.size))
		u.RawQuery = q.Encode()
		return &u, p.params
	}
	u := *p.get
	q := u.Query()
	q.Set(p.pageKey, strconv.Itoa(p.page0+k))
	u.RawQuery = q.Encode()
	return &u, nil
}

// readJCMS reads a JCMS column: the page's own group of records, then
// every later group from the proxy, by POST with the column's form when
// the page gives one, else by GET of the nextgroup link.
func readJCMS(ctx context.Context, lf listFetcher, p *listPage) (listRead, bool) {
	d, ok := parseDatastore(p.scripts)
	if !ok {
		return listRead{}, false
	}
	r := listRead{mechanism: MechanismJCMS}
	seen := recordCounter{}
	seen.add(d.records...)
	r.items = p.markupItems(d.records...)
	j, _ := parseJPage(p.scripts)
	plan, ok := jcmsPlanOf(d, j, p.base)
	if !ok {
		r.short(p.base.String(), len(seen), max(d.total, j.total)) // the page holds the whole list
		return r, true
	}
	last := -1
	if g := plan.groups(); g == 0 {
		return r, true
	} else if g > 0 {
		last = g - 1
	}
	parse := func(text string) (pageData, bool) {
		a, ok := parseDatastore(text)
		return pageData{records: a.records, items: p.markupItems(a.records...), total: a.total}, ok
	}
	total := r.readPages(ctx, lf, 0, last, plan.total, seen, plan.request, parse)
	proxy, _ := plan.request(0)
	r.short(proxy.String(), len(seen), total)
	return r, true
}
