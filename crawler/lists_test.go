package crawler

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestJSLiteral(t *testing.T) {
	tests := []struct {
		in   string
		want any
		n    int // bytes read; -1: all
	}{
		{`{col: 1, 'appid': '1', "webname": "浙江省\u4eba民政府", path: '/', x: null,}`,
			map[string]any{"col": 1.0, "appid": "1", "webname": "浙江省人民政府", "path": "/", "x": nil}, -1},
		{`[{"aT":"a","aPd":"2024-01-20"}, {aT: 'b\'c', n: -2.5e1},] ;rest`,
			[]any{map[string]any{"aT": "a", "aPd": "2024-01-20"}, map[string]any{"aT": "b'c", "n": -25.0}}, 57},
		{"/* list */ [1, // one\n 2]", []any{1.0, 2.0}, -1},
		{`{page: pageNo, ok: true, off: false}`, map[string]any{"page": jsIdent("pageNo"), "ok": true, "off": false}, -1},
		{`"\ud83d\ude00\x41"`, "😀A", -1},
		{`[]`, []any{}, -1},
	}
	for _, tt := range tests {
		got, n, err := jsLiteral(tt.in)
		if err != nil {
			t.Errorf("jsLiteral(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("jsLiteral(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
		want := tt.n
		if want < 0 {
			want = len(tt.in)
		}
		if n != want {
			t.Errorf("jsLiteral(%q) read %d bytes, want %d", tt.in, n, want)
		}
	}
	for _, bad := range []string{`{a: 1`, `"open`, `{a 1}`, `[1, }`, `(function(){})`, strings.Repeat("[", 100) + strings.Repeat("]", 100), "'a\nb'"} {
		if v, _, err := jsLiteral(bad); err == nil {
			t.Errorf("jsLiteral(%q) = %#v, want an error", bad, v)
		}
	}
}

// jcmsPage is a JCMS column page's list part as the CMS writes it.
const jcmsPage = `<div id="4985075"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=2&appid=1&webid=3&path=%2F&columnid=1229019365&unitid=4985075&webname=%E6%B5%99%E6%B1%9F&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[
<li><a href="/art/2024/1/20/art_1229019365_59123.html" target="_blank" title="2023年政府信息公开工作年度报告">2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>
]]></record>
<record><![CDATA[
<li><a href="/art/2023/1/18/art_1229019365_58001.html" target="_blank" title="2022年政府信息公开工作年度报告">2022年政府…</a><span>2023-01-18</span></li>
]]></record>
</recordset></datastore></script></div>
<script language="javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
<script>
$(document).ready(function(){ $('#4985075').jpage({ dataStore: dataStore, proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 15,
  totalRecord: 103, groupSize: 3, barPosition: 'bottom', dataBefore: '<ul>', dataAfter: '</ul>',
  ajaxParam: {col: 1, appid: 1, webid: 3, path: '/', columnid: 1229019365, sourceContentType: 1, unitid: '4985075', webname: '浙江省人民政府', permissiontype: 0}
}); });
</script>`

func TestDatastoreAndJPage(t *testing.T) {
	base := mustParse("http://www.example.gov.cn/col/col1229019365/index.html")
	d, ok := parseDatastore(jcmsPage)
	if !ok || len(d.records) != 2 || !strings.Contains(d.records[1], "art_1229019365_58001.html") {
		t.Fatalf("datastore: ok %v, %d records %q", ok, len(d.records), d.records)
	}
	if !strings.HasPrefix(d.nextGroup, "/module/web/jpage/dataproxy.jsp?page=2&appid=1") {
		t.Errorf("nextgroup %q", d.nextGroup)
	}
	j, ok := parseJPage(jcmsPage)
	if !ok || j.proxy != "/module/web/jpage/dataproxy.jsp" || j.total != 103 || j.perPage != 15 || j.groupSize != 3 {
		t.Fatalf("jpage %+v", j)
	}
	wantParams := "appid=1&col=1&columnid=1229019365&path=%2F&permissiontype=0&sourceContentType=1&unitid=4985075&webid=3&webname=%E6%B5%99%E6%B1%9F%E7%9C%81%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
	if got := j.params.Encode(); got != wantParams {
		t.Errorf("ajaxParam %s, want %s", got, wantParams)
	}
	p, ok := jcmsPlanOf(d, j, base)
	if !ok {
		t.Fatal("no plan")
	}
	// 103 records, 2 in the page, 45 per group: 3 more requests
	if p.groups() != 3 {
		t.Errorf("groups %d, want 3", p.groups())
	}
	u, form := p.request(1)
	if u.String() != "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?endrecord=92&perpage=15&startrecord=48" || form.Get("columnid") != "1229019365" {
		t.Errorf("POST request 1: %s %v", u, form)
	}
	// the GET form of the same page: the nextgroup link, page numbering groups
	p.post = nil
	u, form = p.request(1)
	if form != nil || u.Query().Get("page") != "3" || u.Query().Get("columnid") != "1229019365" || u.Path != "/module/web/jpage/dataproxy.jsp" {
		t.Errorf("GET request 1: %s %v", u, form)
	}

	answer := `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>103</totalrecord><totalpage>7</totalpage>
<recordset><record>&lt;li&gt;&lt;a href="/art/2019/1/8/art_1_1.html"&gt;2018年年报&lt;/a&gt;&lt;/li&gt;</record>
<record><![CDATA[<li><a href="/art/2018/1/9/art_1_2.html">2017年年报</a></li>]]></record></recordset></datastore>`
	d, ok = parseDatastore(answer)
	if !ok || d.total != 103 || d.pages != 7 || len(d.records) != 2 || !strings.HasPrefix(d.records[0], `<li><a href="/art/2019/1/8/art_1_1.html">`) {
		t.Errorf("answer: %+v", d)
	}
	if _, ok := parseDatastore("<html><body>no records</body></html>"); ok {
		t.Error("a page without a datastore read as one")
	}
	if _, ok := parseJPage("var x = 1;"); ok {
		t.Error("a script without jpage read as one")
	}
}

func TestJSONP(t *testing.T) {
	scripts := `var pageSize = 15; var colId = "1229123456"; var site = 12345;
function loadList(page){
  $.ajax({ url: "/common/jpage/list.jsp", type: "get", dataType: "jsonp", jsonp: "callback",
    data: {columnId: colId, siteId: site, pageIndex: page, pageSize: pageSize},
    success: function(res){ render(res.result); } });
}
loadList(1);`
	base := mustParse("http://www.example.gov.cn/xxgk/ndbg/index.html")
	c, ok := parseJSONPCall(scripts, base)
	if !ok {
		t.Fatal("no JSONP call found")
	}
	u := c.request(3)
	q := u.Query()
	if u.Path != "/common/jpage/list.jsp" || q.Get("pageIndex") != "3" || q.Get("columnId") != "1229123456" || q.Get("siteId") != "12345" ||
		q.Get("pageSize") != "15" || q.Get("callback") == "" {
		t.Errorf("request 3: %s", u)
	}
	if _, ok := parseJSONPCall(`$.ajax({url: "/a.json", dataType: "json", data: {page: 1}})`, base); ok {
		t.Error("a JSON call taken for JSONP")
	}
	if _, ok := parseJSONPCall(`$.ajax({url: "/stat/count.jsp", dataType: "jsonp", data: {id: 123}})`, base); ok {
		t.Error("a visit counter's JSONP call taken for a list")
	}
	for _, body := range []string{
		`jQuery1830({"result":"<datastore><totalrecord>3</totalrecord><recordset><record><![CDATA[<li><a href=\"/a.html\">a</a></li>]]></record></recordset></datastore>"});`,
		`/**/ cb && cb({'result': '<datastore><totalrecord>3</totalrecord><recordset><record><![CDATA[<li><a href="/a.html">a</a></li>]]></record></recordset></datastore>'})`,
		`{"data":{"html":"<datastore><totalrecord>3</totalrecord><recordset><record><![CDATA[<li><a href=\"/a.html\">a</a></li>]]></record></recordset></datastore>"}}`,
	} {
		v, ok := unwrapJSONP(body)
		if !ok {
			t.Errorf("unwrapJSONP(%q) failed", body)
			continue
		}
		d, ok := datastoreIn(v)
		if !ok || d.total != 3 || len(d.records) != 1 || !strings.Contains(d.records[0], `href="/a.html"`) {
			t.Errorf("datastore in %q: %+v", body, d)
		}
	}
	for _, bad := range []string{`alert(1); cb({"a":1})`, `<html>`, `cb({"a":`} {
		if v, ok := unwrapJSONP(bad); ok {
			t.Errorf("unwrapJSONP(%q) = %v, want failure", bad, v)
		}
	}
}

func TestObjectItems(t *testing.T) {
	base := mustParse("http://www.example.gov.cn/zwgk/gknb/index.html")
	tests := []struct {
		name  string
		in    string
		want  []string // title|url|date
		total int
	}{
		{"itemObj", `[{"aT":"某局2023年政府信息公开工作年度报告","aPd":"2024-01-20","aU":"./202401/t20240120_1.html"},
			{"aT":"某局2022年政府信息公开工作年度报告","aPd":"2023/1/18","aU":"./202301/t20230118_2.html"}]`,
			[]string{"某局2023年政府信息公开工作年度报告|http://www.example.gov.cn/zwgk/gknb/202401/t20240120_1.html|2024-01-20",
				"某局2022年政府信息公开工作年度报告|http://www.example.gov.cn/zwgk/gknb/202301/t20230118_2.html|2023-01-18"}, 0},
		// 2024-01-19 17:30 UTC is 2024-01-20 01:30 in China
		{"gkmlpt", `{"total": 12, "articles": [{"id": 4123456, "title": "2023年政府信息公开工作年度报告", "url": "http://www.example.gov.cn/gkmlpt/content/4/4123/post_4123456.html#2865", "create_time": 1705685400, "publisher": "某局"}]}`,
			[]string{"2023年政府信息公开工作年度报告|http://www.example.gov.cn/gkmlpt/content/4/4123/post_4123456.html|2024-01-20"}, 12},
		{"trs docs", `{"count":"34","pagecount":"3","docs":[{"DOCTITLE":"<font color=red>2023年</font>政府信息公开工作年度报告","DOCPUBURL":"/zwgk/gknb/202401/t20240120_9.html","DOCRELTIME":"2024-01-20 09:12:00"}]}`,
			[]string{"2023年政府信息公开工作年度报告|http://www.example.gov.cn/zwgk/gknb/202401/t20240120_9.html|2024-01-20"}, 34},
		{"unknown keys", `{"data":{"totalCount":2,"rows":[{"a":"2023年度报告全文","b":"/art/1.html","c":"2024-02-01"},{"a":"no link","c":"2024-02-01"}]}}`,
			[]string{"2023年度报告全文|http://www.example.gov.cn/art/1.html|2024-02-01"}, 2},
		{"ms timestamps", `[{"title":"年报","url":"/a.html","createTime":1705685400000}]`,
			[]string{"年报|http://www.example.gov.cn/a.html|2024-01-20"}, 0},
	}
	for _, tt := range tests {
		v, ok := unwrapJSONP(tt.in)
		if !ok {
			t.Errorf("%s: not parsed", tt.name)
			continue
		}
		got := objectItems(v, base)
		var lines []string
		for _, it := range got.items {
			lines = append(lines, it.title+"|"+urlKeyString(it.u)+"|"+it.date)
		}
		if !reflect.DeepEqual(lines, tt.want) || got.total != tt.total {
			t.Errorf("%s: got %q total %d, want %q total %d", tt.name, lines, got.total, tt.want, tt.total)
		}
	}
}

func urlKeyString(u *url.URL) string {
	c := *u
	c.Fragment = ""
	return c.String()
}

func TestScriptArrays(t *testing.T) {
	scripts := `var pageSize = 15;
var itemObj = [{aT:'某局2023年政府信息公开工作年度报告', aPd:'2024-01-20', aU:'/art/2024/1/20/art_1_1.html'},
  {aT:'某局2022年政府信息公开工作年度报告', aPd:'2023-01-18', aU:'/art/2023/1/18/art_1_2.html'}];
window.cfg.items = [{"title": "x", "url": "/x.html"}];
var nums = [1, 2, 3];
function show(n){ var html = ''; for (var i = 0; i < itemObj.length; i++) { html += itemObj[i].aT; } }`
	arrs := scriptArrays(scripts)
	if len(arrs) != 2 {
		t.Fatalf("%d arrays, want 2: %#v", len(arrs), arrs)
	}
	items := objectItems(arrs[0], mustParse("http://a.gov.cn/col/col1/index.html")).items
	if len(items) != 2 || items[1].date != "2023-01-18" || items[1].u.Path != "/art/2023/1/18/art_1_2.html" {
		t.Errorf("items %+v", items)
	}
}

func TestBase64Fragments(t *testing.T) {
	pager := `<a href="index_1.html">2</a> <a href="index_1.html">下一页</a> 共3页`
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(pager)
	tests := []struct {
		name, scripts string
		want          int
	}{
		{"utf-8", fmt.Sprintf(`var pageHtml = "%s"; document.getElementById("page").innerHTML = decodeURIComponent(escape(atob(pageHtml)));`,
			base64.StdEncoding.EncodeToString([]byte(pager))), 1},
		{"gbk", fmt.Sprintf(`document.write(Base64.decode('%s'));`, base64.StdEncoding.EncodeToString([]byte(gbk))), 1},
		{"uri-encoded", fmt.Sprintf(`x.innerHTML = decodeURIComponent(atob("%s"));`, base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(pager)))), 1},
		{"not markup", fmt.Sprintf(`var k = "%s";`, base64.StdEncoding.EncodeToString([]byte("just some words, no links here"))), 0},
		{"not base64", `var s = "ABCDEFGHIJKLMNOPQ%";`, 0},
	}
	for _, tt := range tests {
		got := base64Fragments(tt.scripts)
		if len(got) != tt.want {
			t.Errorf("%s: %d fragments %q, want %d", tt.name, len(got), got, tt.want)
			continue
		}
		if tt.want == 1 && got[0] != pager {
			t.Errorf("%s: decoded %q, want %q", tt.name, got[0], pager)
		}
	}
}

func TestGkmlpt(t *testing.T) {
	base := mustParse("http://www.example.gov.cn/gkmlpt/annualreport")
	tests := []struct {
		name, scripts, want string
	}{
		{"config", `var SID = '755034'; window.CONFIG = {catalog: {annualreport: 2865}};`, "http://www.example.gov.cn/gkmlpt/api/all/2865?page=2&sid=755034"},
		{"api url", `var sid = "755034"; var api = "/gkmlpt/api/all/2871?page=";`, "http://www.example.gov.cn/gkmlpt/api/all/2871?page=2&sid=755034"},
		{"no sid", `var x = {annualreport: 2865};`, ""},
	}
	for _, tt := range tests {
		g, ok := parseGkmlpt(tt.scripts, base)
		got := ""
		if ok {
			got = g.request(2).String()
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if _, ok := parseGkmlpt(`var sid = 1; var catalog = 2;`, mustParse("http://a.gov.cn/col/index.html")); ok {
		t.Error("a page outside gkmlpt read as gkmlpt")
	}
}

func TestDataPager(t *testing.T) {
	scripts := `var searchUrl = "/was5/web/search?channelid=239471&searchword=chnlid%3D1234&perpage=5";
function searchPage(n){ $.getJSON(searchUrl + "&page=" + n, function(d){ render(d); }); }
function other(n){ location.href = "list_" + n + ".html"; }`
	calls := pagerCalls([]string{"javascript:void(0)", "searchPage(2)", "javascript:searchPage(3)", "other(2)"})
	if !reflect.DeepEqual(calls["searchPage"], []int{2, 3}) {
		t.Fatalf("calls %v", calls)
	}
	d, ok := parseDataPager(scripts, func() map[string][]int { return calls }, func() int { return 4 })
	if !ok || d.fn != "searchPage" || !reflect.DeepEqual(d.pages, []int{2, 3, 4}) {
		t.Fatalf("pager %+v ok %v", d, ok)
	}
	u := d.request(mustParse("http://a.gov.cn/zwgk/gknb/index.html"), 3)
	if u == nil || u.String() != "http://a.gov.cn/was5/web/search?channelid=239471&searchword=chnlid%3D1234&perpage=5&page=3" {
		t.Errorf("request 3: %v", u)
	}
	// a pager navigating to pages is not a data pager
	if d, ok := parseDataPager(scripts, func() map[string][]int { return map[string][]int{"other": {2}} }, func() int { return 2 }); ok {
		t.Errorf("location pager taken for a data pager: %+v", d)
	}
}
