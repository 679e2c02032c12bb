package simnet

// The test reader of the script-built columns: for each mechanism it does
// what the page's script would, from the served markup and data alone.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// siteCount is how many sites cfg serves.
func siteCount(cfg Config) int {
	if cfg.NoListSites {
		return cfg.Sites
	}
	return cfg.Sites + len(ListMechanisms)
}

var (
	recordTestRe  = regexp.MustCompile(`(?s)<record><!\[CDATA\[(.*?)\]\]></record>`)
	nextGroupTest = regexp.MustCompile(`<nextgroup><!\[CDATA\[<a href="([^"]+)"></a>\]\]></nextgroup>`)
	totalTestRe   = regexp.MustCompile(`<totalrecord>(\d+)</totalrecord>`)
	ajaxTestRe    = regexp.MustCompile(`ajaxParam: \{([^}]*)\}`)
	jpageTestRe   = regexp.MustCompile(`perPage: (\d+),\s*totalRecord: (\d+),\s*groupSize: (\d+)`)
	jsonpTestRe   = regexp.MustCompile(`url: "([^"]+)"[\s\S]*data: \{columnId: columnId, siteId: (\d+), pageIndex: page, pageSize: pageSize\}`)
	varTestRe     = regexp.MustCompile(`var (\w+) = "?(\w+)"?;`)
	itemObjTestRe = regexp.MustCompile(`var itemObj = (\[.*\]);`)
	base64TestRe  = regexp.MustCompile(`var pageHtml = "([A-Za-z0-9+/=]+)"`)
	gkmlptTestRe  = regexp.MustCompile(`var SID = '(\d+)';\s*window\.GKMLPT = \{sid: SID, catalog: \{annualreport: (\d+)\}, pageSize: (\d+)\}`)
	searchTestRe  = regexp.MustCompile(`var searchUrl = "([^"]+)";`)
	scriptSrcRe   = regexp.MustCompile(`<script type="text/javascript" src="(/js/xxgk_list_\d+\.js)"></script>`)
	xorTestRe     = regexp.MustCompile(`var k = (\d+), d = \[([\d,]+)\];`)
)

// anchorEntries reads entries from list markup: links with a title, and the
// date in the element after them.
func anchorEntries(t *testing.T, base, markup string) []listEntry {
	t.Helper()
	var out []listEntry
	for _, a := range findAll(parseHTML(t, markup), "a") {
		if title := attr(a, "title"); title != "" {
			date := ""
			if sib := a.NextSibling; sib != nil && sib.Type == html.ElementNode {
				date = nodeText(sib)
			} else if td := a.Parent; td != nil && td.Data == "td" && td.NextSibling != nil {
				date = nodeText(td.NextSibling)
			}
			out = append(out, listEntry{title, resolve(base, attr(a, "href")), date})
		}
	}
	return out
}

// jcmsForm is the form a JCMS page's jpage call posts, from its ajaxParam.
func jcmsForm(t *testing.T, page string) url.Values {
	t.Helper()
	m := ajaxTestRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no ajaxParam in the page")
	}
	form := url.Values{}
	for _, kv := range strings.Split(m[1], ",") {
		k, v, _ := strings.Cut(kv, ":")
		form.Set(strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), "'"))
	}
	return form
}

// dataRequest is how the page's script asks for u: a POST with the form
// for a JCMS proxy of a POST site, a GET otherwise.
func dataRequest(t *testing.T, c *http.Client, n *Internet, u string) *http.Request {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	s := n.Site(pu.Host)
	if s == nil || s.Pagination != PageJCMSPost || pu.Path != jcmsProxy {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		return req
	}
	form := jcmsForm(t, pageText(t, s, get(t, c, s.Column).body))
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func getText(t *testing.T, c *http.Client, s *Site, req *http.Request) string {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		k, err := resp.Body.Read(buf)
		sb.Write(buf[:k])
		if err != nil {
			break
		}
	}
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: status %d", req.Method, req.URL, resp.StatusCode)
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		return pageText(t, s, []byte(sb.String()))
	}
	return sb.String()
}

func getReq(u string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return req
}

// walkMechanism reads a script-built column. It returns the style it
// recognised from the markup, "" when none.
func walkMechanism(t *testing.T, c *http.Client, s *Site, col string) (entries []listEntry, pages []string, style string) {
	t.Helper()
	page := pageText(t, s, get(t, c, col).body)
	pages = []string{col}
	switch {
	case strings.Contains(page, `<script type="text/xml"><datastore>`) && ajaxTestRe.MatchString(page):
		style = PageJCMSPost
		m := jpageTestRe.FindStringSubmatch(page)
		perPage, _ := strconv.Atoi(m[1])
		total, _ := strconv.Atoi(m[2])
		group, _ := strconv.Atoi(m[3])
		per := perPage * group
		for _, r := range recordTestRe.FindAllStringSubmatch(page, -1) {
			entries = append(entries, anchorEntries(t, col, r[1])...)
		}
		// GET is refused where the page posts
		if resp, err := c.Get(resolve(col, jcmsProxy+"?startrecord=1&endrecord=45&perpage=15")); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: GET of the POST proxy: %v %v", s.Home, resp, err)
		}
		form := jcmsForm(t, page)
		for start := len(entries) + 1; start <= total; start += per {
			u := resolve(col, fmt.Sprintf("%s?startrecord=%d&endrecord=%d&perpage=%d", jcmsProxy, start, start+per-1, perPage))
			req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			answer := getText(t, c, s, req)
			if tm := totalTestRe.FindStringSubmatch(answer); tm == nil || tm[1] != strconv.Itoa(total) {
				t.Errorf("%s: answer announces %v records, page %d", u, tm, total)
			}
			for _, r := range recordTestRe.FindAllStringSubmatch(answer, -1) {
				entries = append(entries, anchorEntries(t, col, r[1])...)
			}
		}
		// without the form, nothing
		req, _ := http.NewRequest(http.MethodPost, resolve(col, fmt.Sprintf("%s?startrecord=%d&endrecord=%d&perpage=%d", jcmsProxy, per+1, 2*per, perPage)), nil)
		if total > per && recordTestRe.MatchString(getText(t, c, s, req)) {
			t.Errorf("%s: the proxy answers records to a POST without the column's form", s.Home)
		}
	case strings.Contains(page, `<script type="text/xml"><datastore>`):
		style = PageJCMSGet
		text := page
		for range 100 {
			for _, r := range recordTestRe.FindAllStringSubmatch(text, -1) {
				entries = append(entries, anchorEntries(t, col, r[1])...)
			}
			m := nextGroupTest.FindStringSubmatch(text)
			if m == nil {
				break
			}
			text = getText(t, c, s, getReq(resolve(col, m[1])))
		}
	case jsonpTestRe.MatchString(page):
		style = PageJSONP
		m := jsonpTestRe.FindStringSubmatch(page)
		vars := map[string]string{}
		for _, v := range varTestRe.FindAllStringSubmatch(page, -1) {
			vars[v[1]] = v[2]
		}
		for k := 1; k < 100; k++ {
			u := resolve(col, fmt.Sprintf("%s?columnId=%s&siteId=%s&pageIndex=%d&pageSize=%s&callback=cb_%d", m[1], vars["columnId"], m[2], k, vars["pageSize"], k))
			body := getText(t, c, s, getReq(u))
			prefix := fmt.Sprintf("cb_%d(", k)
			if !strings.HasPrefix(body, prefix) || !strings.HasSuffix(body, ");") {
				t.Fatalf("%s: answer %.40q… is not wrapped in its callback", u, body)
			}
			var v struct{ Result string }
			if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(body, prefix), ");")), &v); err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			rs := recordTestRe.FindAllStringSubmatch(v.Result, -1)
			if len(rs) == 0 {
				break
			}
			for _, r := range rs {
				entries = append(entries, anchorEntries(t, col, r[1])...)
			}
		}
	case itemObjTestRe.MatchString(page):
		style = PageScriptArray
		var items []struct{ AT, APd, AU string }
		if err := json.Unmarshal([]byte(itemObjTestRe.FindStringSubmatch(page)[1]), &items); err != nil {
			t.Fatalf("%s: itemObj: %v", s.Home, err)
		}
		for _, it := range items {
			entries = append(entries, listEntry{it.AT, resolve(col, it.AU), it.APd})
		}
	case base64TestRe.MatchString(page):
		style = PageBase64
		seen := map[string]bool{col: true}
		queue := []string{col}
		pages = nil
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			pages = append(pages, u)
			text := pageText(t, s, get(t, c, u).body)
			entries = append(entries, anchorEntries(t, u, text)...)
			b, err := base64.StdEncoding.DecodeString(base64TestRe.FindStringSubmatch(text)[1])
			if err != nil {
				t.Fatalf("%s: pager: %v", u, err)
			}
			for _, l := range links(parseHTML(t, string(b))) {
				if n := resolve(u, l.href); staticRe.MatchString(l.href) && !seen[n] {
					seen[n] = true
					queue = append(queue, n)
				}
			}
		}
	case gkmlptTestRe.MatchString(page):
		style = PageGkmlpt
		m := gkmlptTestRe.FindStringSubmatch(page)
		for k := 1; k < 100; k++ {
			u := resolve(col, fmt.Sprintf("/gkmlpt/api/all/%s?page=%d&sid=%s", m[2], k, m[1]))
			var v struct {
				Total    int
				Articles []struct {
					Title      string
					URL        string
					CreateTime int64 `json:"create_time"`
				}
			}
			if err := json.Unmarshal([]byte(getText(t, c, s, getReq(u))), &v); err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			if len(v.Articles) == 0 {
				break
			}
			for _, a := range v.Articles {
				link, _, _ := strings.Cut(a.URL, "#")
				entries = append(entries, listEntry{a.Title, link, time.Unix(a.CreateTime, 0).In(cst).Format("2006-01-02")})
			}
		}
	case searchTestRe.MatchString(page):
		style = PageSearch
		entries = anchorEntries(t, col, page)
		n := 1
		if tm := totalRe.FindStringSubmatch(page); tm != nil {
			n, _ = strconv.Atoi(tm[1])
		}
		base := searchTestRe.FindStringSubmatch(page)[1]
		for k := 2; k <= n; k++ {
			var v struct {
				Docs []struct{ DOCTITLE, DOCPUBURL, DOCRELTIME string }
			}
			u := resolve(col, base+"&page="+strconv.Itoa(k))
			if err := json.Unmarshal([]byte(getText(t, c, s, getReq(u))), &v); err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			for _, d := range v.Docs {
				date, _, _ := strings.Cut(d.DOCRELTIME, " ")
				entries = append(entries, listEntry{d.DOCTITLE, d.DOCPUBURL, date})
			}
		}
	case scriptSrcRe.MatchString(page):
		style = PageBrowser
		if len(anchorEntries(t, col, page)) > 0 {
			t.Errorf("%s: the browser-only list has links in its markup", s.Home)
		}
		js := getText(t, c, s, getReq(resolve(col, scriptSrcRe.FindStringSubmatch(page)[1])))
		m := xorTestRe.FindStringSubmatch(js)
		if m == nil {
			t.Fatalf("%s: list script not recognised", s.Home)
		}
		key, _ := strconv.Atoi(m[1])
		var sb strings.Builder
		for _, d := range strings.Split(m[2], ",") {
			x, _ := strconv.Atoi(d)
			sb.WriteRune(rune(x ^ key))
		}
		var rows [][3]string
		if err := json.Unmarshal([]byte(sb.String()), &rows); err != nil {
			t.Fatalf("%s: decoded list: %v", s.Home, err)
		}
		for _, r := range rows {
			entries = append(entries, listEntry{r[0], resolve(col, r[1]), r[2]})
		}
	}
	return entries, pages, style
}

// TestListSites checks what makes each list site what it is: nothing a
// reader of markup alone would find, data requests that answer only when
// asked as the page's script asks, and the city column's size.
func TestListSites(t *testing.T) {
	n := defaultInternet(t)
	c := newClient()
	var mechs []string
	for _, s := range n.Sites {
		if !slices.Contains(ListMechanisms, s.Pagination) {
			continue
		}
		mechs = append(mechs, s.Pagination)
		page := pageText(t, s, get(t, c, s.Column).body)
		markup := anchorEntries(t, s.Column, page)
		switch s.Pagination {
		case PageBase64, PageSearch:
			if len(markup) == 0 || len(markup) >= len(s.Entries) {
				t.Errorf("%s: %s shows %d of %d entries in the first page's markup; want some, not all", s.Home, s.Pagination, len(markup), len(s.Entries))
			}
			if strings.Contains(page, "共") && s.Pagination == PageBase64 {
				t.Errorf("%s: the page count is in plain sight", s.Home)
			}
		default:
			if len(markup) != 0 {
				t.Errorf("%s: %s shows %d entries in plain markup", s.Home, s.Pagination, len(markup))
			}
		}
		if s.Pagination != PageScriptArray && s.Pagination != PageBase64 && len(s.ListData) == 0 {
			t.Errorf("%s: %s has no list data requests", s.Home, s.Pagination)
		}
		switch s.Pagination {
		case PageJCMSGet:
			if len(s.ListData) < 2 {
				t.Errorf("%s: %d dataproxy groups after the page's; want several", s.Home, len(s.ListData))
			}
		case PageJCMSPost:
			agencies := map[string]bool{}
			for _, e := range s.Entries {
				agencies[e.Agency] = true
			}
			if len(s.Entries) < 150 || len(agencies) < 10 || s.Charset != "gbk" || len(s.ListData) < 3 {
				t.Errorf("%s: city column of %d entries by %d agencies in %s, %d proxy groups", s.Home, len(s.Entries), len(agencies), s.Charset, len(s.ListData))
			}
		case PageGkmlpt:
			// a wrong site id is refused
			u := strings.Replace(s.ListData[0], "sid=", "sid=9", 1)
			if resp, err := c.Get(u); err != nil || resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: wrong sid: %v %v", u, resp, err)
			}
		}
	}
	if !slices.Equal(mechs, ListMechanisms) {
		t.Errorf("list sites %v, want %v", mechs, ListMechanisms)
	}
	var unreadable []string
	for _, e := range n.Unrendered {
		if e.Rule == "SITE-LIST-UNREADABLE" {
			unreadable = append(unreadable, e.URL)
		}
	}
	browser := n.Sites[len(n.Sites)-1]
	if browser.Pagination != PageBrowser || !slices.Equal(unreadable, []string{browser.Column}) {
		t.Errorf("unrendered truth: SITE-LIST-UNREADABLE on %v, want the browser-only column %s", unreadable, browser.Column)
	}
	for _, e := range n.Unrendered {
		if e.Site == browser.Home && e.Rule != "SITE-LIST-UNREADABLE" {
			t.Errorf("unrendered truth expects %v on the browser-only site", e)
		}
	}
	if len(n.TruthFor(browser.Home)) == 0 {
		t.Errorf("no expectation on the browser-only site: rendering it tests nothing")
	}
}

func TestNoListSites(t *testing.T) {
	a := start(t, Config{Seed: 3, Sites: 6, NoListSites: true})
	b := start(t, Config{Seed: 3, Sites: 6})
	if len(a.Sites) != 6 || len(b.Sites) != 6+len(ListMechanisms) {
		t.Fatalf("%d and %d sites", len(a.Sites), len(b.Sites))
	}
	// the generated sites do not depend on the list sites being there
	for i := range a.Sites {
		x, y := a.Sites[i], b.Sites[i]
		if x.Agency != y.Agency || x.Layout != y.Layout || x.Pagination != y.Pagination || x.Charset != y.Charset {
			t.Errorf("site %d: %s %s/%s/%s, %s %s/%s/%s", i, x.Agency, x.Layout, x.Pagination, x.Charset, y.Agency, y.Layout, y.Pagination, y.Charset)
		}
	}
}
