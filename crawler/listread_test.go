package crawler

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// fakeLists answers list data requests from a map keyed by "GET url" or
// "POST url form", and records what was asked.
type fakeLists struct {
	answers map[string]string
	fail    map[string]error
	asked   []string
}

func (f *fakeLists) data(_ context.Context, u *url.URL, form url.Values) (string, error) {
	k := "GET " + u.String()
	if form != nil {
		k = "POST " + u.String() + " " + form.Encode()
	}
	f.asked = append(f.asked, k)
	if err := f.fail[k]; err != nil {
		return "", err
	}
	if a, ok := f.answers[k]; ok {
		return a, nil
	}
	return "", fmt.Errorf("HTTP 404 Not Found")
}

func testListPage(t *testing.T, base, body string) *listPage {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	u := mustParse(base)
	return newListPage(doc, u, newScope(u))
}

func jcmsRecord(i int) string {
	return fmt.Sprintf(`<li><a href="/art/%d/1/20/art_5_%d.html" title="%d年政府信息公开工作年度报告">%d年政府信息公开工作年度报告</a><span>%d-01-20</span></li>`, 2025-i, i, 2024-i, 2024-i, 2025-i)
}

func jcmsRecords(from, to int) string {
	var sb strings.Builder
	for i := from; i <= to; i++ {
		sb.WriteString("<record><![CDATA[" + jcmsRecord(i) + "]]></record>\n")
	}
	return sb.String()
}

func jcmsAnswer(total, from, to int) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>%d</totalrecord><totalpage>%d</totalpage><recordset>%s</recordset></datastore>`,
		total, (total+1)/2, jcmsRecords(from, to))
}

func jcmsColumn(total int, post bool) string {
	ajax := ""
	if post {
		ajax = `, ajaxParam: {col: 1, appid: 1, webid: 3, path: '/', columnid: 5, unitid: '77', webname: '某局', permissiontype: 0}`
	}
	return `<html><body><div id="77"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=2&columnid=5&unitid=77&webid=3"></a>]]></nextgroup>
<recordset>` + jcmsRecords(1, 2) + `</recordset></datastore></script></div>
<script>$('#77').jpage({proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 2, totalRecord: ` + fmt.Sprint(total) + `, groupSize: 1` + ajax + `});</script></body></html>`
}

func titles(items []listItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.title+" "+it.date)
	}
	sort.Strings(out)
	return out
}

func TestReadJCMS(t *testing.T) {
	const base = "http://a.gov.cn/col/col5/index.html"
	const proxy = "http://a.gov.cn/module/web/jpage/dataproxy.jsp"
	form := "appid=1&col=1&columnid=5&path=%2F&permissiontype=0&unitid=77&webid=3&webname=%E6%9F%90%E5%B1%80"
	post := func(from, to int) string {
		return fmt.Sprintf("POST %s?endrecord=%d&perpage=2&startrecord=%d %s", proxy, to, from, form)
	}
	get := func(page int) string {
		return fmt.Sprintf("GET %s?columnid=5&page=%d&unitid=77&webid=3", proxy, page)
	}
	tests := []struct {
		name      string
		page      string
		answers   map[string]string
		fail      map[string]error
		items     int
		asked     []string
		gapReason string
	}{
		{"post, every group", jcmsColumn(7, true),
			map[string]string{post(3, 4): jcmsAnswer(7, 3, 4), post(5, 6): jcmsAnswer(7, 5, 6), post(7, 8): jcmsAnswer(7, 7, 7)},
			nil, 7, []string{post(3, 4), post(5, 6), post(7, 8)}, ""},
		{"get, a group fails", jcmsColumn(6, false),
			map[string]string{get(2): jcmsAnswer(6, 3, 4), get(4): jcmsAnswer(6, 5, 6)},
			map[string]error{get(3): errors.New("HTTP 503 Service Unavailable")}, 4, []string{get(2), get(3)}, GapRequest},
		{"post, the proxy answers nothing", jcmsColumn(6, true),
			map[string]string{post(3, 4): jcmsAnswer(6, 0, -1)},
			nil, 2, []string{post(3, 4)}, GapShort},
		{"get, the crawl stops", jcmsColumn(6, false),
			map[string]string{get(2): jcmsAnswer(6, 3, 4)},
			map[string]error{get(3): errListStopped}, 4, []string{get(2), get(3)}, GapLimit},
		{"page holds the whole list", strings.Replace(jcmsColumn(2, false), "proxyUrl", "x", 1), nil, nil, 2, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeLists{answers: tt.answers, fail: tt.fail}
			p := testListPage(t, base, tt.page)
			r, ok := readJCMS(context.Background(), f, p)
			if !ok {
				t.Fatal("JCMS not recognised")
			}
			if len(r.items) != tt.items {
				t.Errorf("%d items %q, want %d", len(r.items), titles(r.items), tt.items)
			}
			if tt.asked != nil && !reflect.DeepEqual(f.asked, tt.asked) && tt.gapReason != GapRequest {
				t.Errorf("asked\n%q\nwant\n%q", f.asked, tt.asked)
			}
			for _, a := range tt.asked {
				if !strings.Contains(strings.Join(f.asked, "\n"), a) {
					t.Errorf("%q not asked: %q", a, f.asked)
				}
			}
			var reasons []string
			for _, g := range r.gaps {
				reasons = append(reasons, g.Reason)
				if g.Mechanism != MechanismJCMS || g.URL == "" {
					t.Errorf("gap %+v", g)
				}
			}
			want := []string(nil)
			if tt.gapReason != "" {
				want = []string{tt.gapReason}
			}
			if !reflect.DeepEqual(reasons, want) {
				t.Errorf("gaps %+v, want reasons %v", r.gaps, want)
			}
		})
	}
}

func TestReadJSONPAndAPIs(t *testing.T) {
	ds := func(total, pages int, from, to int) string {
		return fmt.Sprintf(`jQuery1({"result":%q})`, fmt.Sprintf(`<datastore><totalrecord>%d</totalrecord><totalpage>%d</totalpage><recordset>%s</recordset></datastore>`, total, pages, jcmsRecords(from, to)))
	}
	jsonpPage := `<html><body><ul id="l"></ul><script>var pageSize = 2;
function load(page){ $.ajax({url: "/cms/list.jsp", dataType: "jsonp", jsonpCallback: "jQuery1", data: {col: 9, pageIndex: page, pageSize: pageSize}}); }
load(1);</script></body></html>`
	jsonpURL := func(n int) string {
		return fmt.Sprintf("GET http://b.gov.cn/cms/list.jsp?callback=jQuery1&col=9&pageIndex=%d&pageSize=2", n)
	}
	gkPage := `<html><body><div id="app"></div><script>var SID = '755001'; window.GKMLPT = {sid: SID, catalog: {annualreport: 2865}};</script></body></html>`
	gkURL := func(n int) string {
		return fmt.Sprintf("GET http://b.gov.cn/gkmlpt/api/all/2865?page=%d&sid=755001", n)
	}
	article := func(i int) string {
		return fmt.Sprintf(`{"title":"%d年政府信息公开工作年度报告","url":"http://b.gov.cn/gkmlpt/content/4/4%03d/post_4%06d.html#2865","create_time":%d}`, 2024-i, i, i, 1705685400-i*86400*365)
	}
	searchPage := `<html><body><ul>` + jcmsRecord(1) + jcmsRecord(2) + `</ul><div>共3页 <a href="javascript:void(0)" onclick="searchPage(2)">下一页</a></div>
<script>var searchUrl = "/was5/web/search?channelid=1&perpage=2"; function searchPage(n){ $.getJSON(searchUrl + "&page=" + n, show); }</script></body></html>`
	searchURL := func(n int) string {
		return fmt.Sprintf("GET http://b.gov.cn/was5/web/search?channelid=1&perpage=2&page=%d", n)
	}
	doc := func(i int) string {
		return fmt.Sprintf(`{"DOCTITLE":"%d年政府信息公开工作年度报告","DOCPUBURL":"http://b.gov.cn/art/%d/1/20/art_5_%d.html","DOCRELTIME":"%d-01-20 09:00:00"}`, 2024-i, 2025-i, i, 2025-i)
	}
	tests := []struct {
		name    string
		base    string
		page    string
		read    func(context.Context, listFetcher, *listPage) (listRead, bool)
		answers map[string]string
		items   int
		asked   int
		gaps    int
	}{
		{"jsonp", "http://b.gov.cn/xxgk/ndbg/index.html", jsonpPage, readJSONP,
			map[string]string{jsonpURL(1): ds(5, 3, 1, 2), jsonpURL(2): ds(5, 3, 3, 4), jsonpURL(3): ds(5, 3, 5, 5)}, 5, 3, 0},
		{"jsonp short", "http://b.gov.cn/xxgk/ndbg/index.html", jsonpPage, readJSONP,
			map[string]string{jsonpURL(1): ds(5, 3, 1, 2), jsonpURL(2): ds(5, 3, 1, 2)}, 4, 2, 1},
		{"gkmlpt", "http://b.gov.cn/gkmlpt/annualreport", gkPage, readGkmlpt,
			map[string]string{gkURL(1): `{"total":3,"articles":[` + article(1) + `,` + article(2) + `]}`, gkURL(2): `{"total":3,"articles":[` + article(3) + `]}`}, 3, 2, 0},
		{"search pages", "http://b.gov.cn/zwgk/gknb/index.html", searchPage, readDataPager,
			map[string]string{searchURL(2): `{"count":"5","docs":[` + doc(3) + `,` + doc(4) + `]}`, searchURL(3): `{"count":"5","docs":[` + doc(5) + `]}`}, 3, 2, 0},
		{"search page fails", "http://b.gov.cn/zwgk/gknb/index.html", searchPage, readDataPager,
			map[string]string{searchURL(3): `{"count":"5","docs":[` + doc(5) + `]}`}, 1, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeLists{answers: tt.answers}
			r, ok := tt.read(context.Background(), f, testListPage(t, tt.base, tt.page))
			if !ok {
				t.Fatal("not recognised")
			}
			if len(r.items) != tt.items || len(f.asked) != tt.asked || len(r.gaps) != tt.gaps {
				t.Errorf("%d items %q, asked %q, gaps %+v; want %d items, %d requests, %d gaps", len(r.items), titles(r.items), f.asked, r.gaps, tt.items, tt.asked, tt.gaps)
			}
			for _, it := range r.items {
				if it.date == "" || it.u.Fragment != "" && !strings.HasPrefix(it.u.Path, "/gkmlpt/") {
					t.Errorf("item %+v", it)
				}
			}
		})
	}
}

func TestReadArraysAndBase64(t *testing.T) {
	p := testListPage(t, "http://c.gov.cn/zwgk/nb/index.html", `<html><body><ul id="l"></ul><div id="pager"></div>
<script>var itemObj = [{"aT":"2024年政府信息公开工作年度报告","aPd":"2025-01-20","aU":"./202501/t20250120_1.html"},
{"aT":"off site","aPd":"2025-01-20","aU":"http://elsewhere.example/x.html"}];
var menu = [{"name":"首页","url":"/index.html"},{"name":"政务公开","url":"/zwgk/"}];
var pageHtml = "`+b64(`<a href="index_1.html">2</a> <a href="index_2.html">尾页</a> 共3页`)+`";</script></body></html>`)
	r, ok := readArrays(context.Background(), nil, p)
	if !ok || len(r.items) != 1 || r.items[0].u.String() != "http://c.gov.cn/zwgk/nb/202501/t20250120_1.html" || r.items[0].date != "2025-01-20" {
		t.Errorf("arrays: %v %+v", ok, r.items)
	}
	r, ok = readBase64(context.Background(), nil, p)
	var pages []string
	for _, u := range r.pages {
		pages = append(pages, u.String())
	}
	if !ok || !reflect.DeepEqual(pages, []string{"http://c.gov.cn/zwgk/nb/index_1.html", "http://c.gov.cn/zwgk/nb/index_2.html"}) {
		t.Errorf("base64 pager: %v %q", ok, pages)
	}
	none := testListPage(t, "http://c.gov.cn/zwgk/nb/index.html", `<html><body><ul><li><a href="a.html">2024年报告</a></li></ul><script>var x = 1;</script></body></html>`)
	if got := readScriptLists(context.Background(), &fakeLists{}, none); len(got) != 0 {
		t.Errorf("a static page read as script-built: %+v", got)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
