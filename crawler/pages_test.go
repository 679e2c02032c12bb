package crawler

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/result"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func doc(t testing.TB, html string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestURLNormalisation(t *testing.T) {
	tests := []struct{ in, clean, key string }{
		{"http://Example.GOV.cn:80/a/index.html#x", "http://example.gov.cn/a/index.html", "http://example.gov.cn/a/"},
		{"https://x.gov.cn:443/a/;jsessionid=ABC123?b=2&a=1", "https://x.gov.cn/a/?b=2&a=1", "https://x.gov.cn/a/?a=1&b=2"},
		{"http://x.gov.cn/list.jsp?JSESSIONID=1&page=2", "http://x.gov.cn/list.jsp?page=2", "http://x.gov.cn/list.jsp?page=2"},
		{"http://x.gov.cn", "http://x.gov.cn/", "http://x.gov.cn/"},
		{"http://x.gov.cn/a/default.htm", "http://x.gov.cn/a/default.htm", "http://x.gov.cn/a/"},
		{"http://x.gov.cn:8080/a/index.shtml", "http://x.gov.cn:8080/a/index.shtml", "http://x.gov.cn:8080/a/"},
		{"http://user:pw@x.gov.cn/a", "http://x.gov.cn/a", "http://x.gov.cn/a"},
	}
	for _, tt := range tests {
		u := parseLink(nil, tt.in)
		if u == nil {
			t.Errorf("parseLink(%q) = nil", tt.in)
			continue
		}
		if u.String() != tt.clean || urlKey(u) != tt.key {
			t.Errorf("parseLink(%q) = %s key %s, want %s key %s", tt.in, u, urlKey(u), tt.clean, tt.key)
		}
	}
	base := mustURL(t, "http://x.gov.cn/zfxxgk/nb/index.html")
	for _, ref := range []string{"mailto:a@x.gov.cn", "javascript:void(0)", "ftp://x.gov.cn/a.pdf", "data:text/html,hi", "#top", "", "tel:123"} {
		if u := parseLink(base, ref); u != nil {
			t.Errorf("parseLink(%q) = %s, want nil (not fetchable)", ref, u)
		}
	}
	if u := parseLink(base, `.\files\a.pdf`); u == nil || u.String() != "http://x.gov.cn/zfxxgk/nb/files/a.pdf" {
		t.Errorf("backslash link resolved to %v", u)
	}
}

func TestScope(t *testing.T) {
	s := newScope(mustURL(t, "http://www.huaian.gov.cn/"))
	for in, want := range map[string]bool{
		"http://www.huaian.gov.cn/a":    true,
		"https://xxgk.huaian.gov.cn/b":  true,
		"http://www.hongze.gov.cn/":     false, // another registrable domain under gov.cn
		"http://huaian.gov.cn.evil.com": false,
		"ftp://www.huaian.gov.cn/":      false,
	} {
		if got := s.contains(mustURL(t, in)); got != want {
			t.Errorf("scope of www.huaian.gov.cn contains %s = %v, want %v", in, got, want)
		}
	}
	ip := newScope(mustURL(t, "http://127.0.0.1:8080/"))
	for in, want := range map[string]bool{
		"http://127.0.0.1:8080/x": true,
		"http://127.0.0.1:8081/x": false,
		"http://127.0.0.2:8080/x": false,
	} {
		if got := ip.contains(mustURL(t, in)); got != want {
			t.Errorf("scope of 127.0.0.1:8080 contains %s = %v, want %v", in, got, want)
		}
	}
}

func TestTrap(t *testing.T) {
	tests := []struct {
		in   string
		trap bool
	}{
		{"http://x.gov.cn/zfxxgk/zfxxgknb/index_3.html", false},
		{"http://x.gov.cn/list.jsp?cid=9&currentPage=3", false},
		{"http://x.gov.cn/xxgkAnnualReport.jsp?fbtime=2024&area=1", false},
		{"http://x.gov.cn/cal.jsp?date=2024-01", true},
		{"http://x.gov.cn/a/b/a/b/a/b/", true},
		{"http://x.gov.cn/" + strings.Repeat("d/", 20), true},
		{"http://x.gov.cn/s?a=1&a=2&a=3", true},
		{"http://x.gov.cn/" + strings.Repeat("x", 3000), true},
	}
	for _, tt := range tests {
		if got := trap(mustURL(t, tt.in)); (got != "") != tt.trap {
			t.Errorf("trap(%s) = %q, want trap %v", tt.in, got, tt.trap)
		}
	}
}

func TestLinkScores(t *testing.T) {
	tests := []struct {
		text, href   string
		column, zone bool
	}{
		{"政府信息公开年报", "/c/15/", true, false},
		{"政府信息公开工作年度报告", "/c/15/", true, false},
		{"部门年报", "/c/bmnb/", true, false},
		{"", "/zfxxgk/zfxxgknb/", true, false}, // by slug
		{"更多", "/xxgkml/ndgzbg_15/", true, false},
		{"网站工作年度报表", "/wzbb/", false, false},
		{"企业年报公示", "/qynb/", false, false},
		{"某某区2023年政府信息公开工作年度报告", "/zfxxgknb/202401/t20240101_1.html", false, false},
		{"年报.pdf", "/a/nb.pdf", false, false},
		{"政府信息公开", "/col/col12/", false, true},
		{"政务公开", "/zwgk/", false, true},
		{"", "/zfxxgk/", false, true},
		{"政府信息公开指南", "/zfxxgk/zn/", false, false},
		{"新闻中心", "/xwzx/", false, false},
	}
	base := mustURL(t, "http://x.gov.cn/")
	for _, tt := range tests {
		l := link{u: parseLink(base, tt.href), text: tt.text}
		c, cfrom := columnScore(l)
		z, zfrom := zoneScore(l)
		if (c > 0) != tt.column || (z > 0) != tt.zone {
			t.Errorf("%q %s: column score %d (%s), zone score %d (%s); want column %v, zone %v",
				tt.text, tt.href, c, cfrom, z, zfrom, tt.column, tt.zone)
		}
	}
	// Exact names beat generic ones.
	a, _ := columnScore(link{u: base, text: "政府信息公开年报"})
	b, _ := columnScore(link{u: base, text: "年报"})
	if a <= b {
		t.Errorf("score of 政府信息公开年报 %d <= score of 年报 %d", a, b)
	}
}

func TestFindDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024-01-20":            "2024-01-20",
		"[2024-1-5]":            "2024-01-05",
		"2024/01/20":            "2024-01-20",
		"2024.01.20":            "2024-01-20",
		"发布时间：2024年1月20日":       "2024-01-20",
		"2024 年 01 月 20 日":      "2024-01-20",
		"2024-13-40 2023-02-01": "2023-02-01",
		"第2024号":                "",
	} {
		if got := findDate(in); got != want {
			t.Errorf("findDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestListPages(t *testing.T) {
	tests := []struct {
		name, base, html string
		want             []string
	}{
		{"static links with 尾页", "http://x.gov.cn/nb/", `<a href="index_1.html">下一页</a><a href="index_4.html">尾页</a>`,
			[]string{"/nb/index_1.html", "/nb/index_4.html", "/nb/index_2.html", "/nb/index_3.html"}},
		{"static numbers and total", "http://x.gov.cn/nb/index.html", `<a href="list_1.html">2</a> 共4页`,
			[]string{"/nb/list_1.html", "/nb/list_2.html", "/nb/list_3.html"}},
		{"entry names are not pages", "http://x.gov.cn/nb/", `<a href="t20240120_123.html">某某报告</a><a href="art_1_2.html">x</a>`, nil},
		{"TRS script", "http://x.gov.cn/nb/", `<script>createPageHTML(4, 0, "index", "html");</script>`,
			[]string{"/nb/index_1.html", "/nb/index_2.html", "/nb/index_3.html"}},
		{"TRS script with id and variables", "http://x.gov.cn/nb/", `<script>var countPage = 3; var currentPage = 0;
createPageHTML('page_div', countPage, currentPage, 'fwzwgk', 'shtml', 55);</script>`,
			[]string{"/nb/fwzwgk_1.shtml", "/nb/fwzwgk_2.shtml"}},
		{"javascript pager", "http://x.gov.cn/nb/index.html", `<a href="javascript:next(2)">2</a><a href="#" onclick="next(4);return false;">尾页</a>
<script>function next(n){ location.href = "list_" + n + ".html"; }</script>`,
			[]string{"/nb/list_2.html", "/nb/list_3.html", "/nb/list_4.html"}},
		{"javascript pager with offset", "http://x.gov.cn/nb/index.html", `<a href="javascript:goPage('3')">3</a>
<script>var goPage = function(p) { window.location.href = "/nb/index_" + (p-1) + ".html"; };</script>`,
			[]string{"/nb/index_1.html", "/nb/index_2.html"}},
		{"void href with onclick pager", "http://x.gov.cn/nb/index.html", `<script>function goPage(n){ location.href = "page_" + n + ".html"; }</script>共3页
<a href="javascript:void(0);" onclick="goPage(2)">2</a> <a href="javascript:void(0);" onclick="goPage(3)">尾页</a>`,
			[]string{"/nb/page_2.html", "/nb/page_3.html"}},
		{"query with total", "http://x.gov.cn/list.jsp?cid=9", `<a href="list.jsp?cid=9&currentPage=1">首页</a> 共3页`,
			[]string{"/list.jsp?cid=9&currentPage=1", "/list.jsp?cid=9&currentPage=2", "/list.jsp?cid=9&currentPage=3"}},
		{"query pageNo", "http://x.gov.cn/list.do", `<a href="list.do?pageNo=2">下一页</a><a href="list.do?pageNo=3">末页</a>`,
			[]string{"/list.do?pageNo=2", "/list.do?pageNo=3"}},
		{"other directories ignored", "http://x.gov.cn/nb/", `<a href="/news/index_1.html">下一页</a>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := mustURL(t, tt.base)
			var got []string
			for _, u := range listPages(doc(t, tt.html), base) {
				got = append(got, strings.TrimPrefix(u.String(), "http://x.gov.cn"))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("listPages = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListEntries(t *testing.T) {
	html := `<div class="nav"><a href="/">首页</a><a href="/zfxxgk/">政府信息公开</a><a href="/zfxxgk/nb/">政府信息公开年报</a></div>
<div class="list">
<a href="./202401/t20240120_1.html">某某县2023年政府信息公开工作年度报告</a> 2024-01-20<br>
<a href="./202301/t20230120_2.html">关于印发2023年政务公开工作要点的通知</a> 2023-01-20<br>
</div>
<div class="pages"><a href="index_1.html">2</a><a href="index_1.html">下一页</a></div>`
	items, _ := listEntries(doc(t, html), mustURL(t, "http://x.gov.cn/zfxxgk/nb/"), nil, nil, "")
	want := []string{
		"某某县2023年政府信息公开工作年度报告|http://x.gov.cn/zfxxgk/nb/202401/t20240120_1.html|2024-01-20",
		"关于印发2023年政务公开工作要点的通知|http://x.gov.cn/zfxxgk/nb/202301/t20230120_2.html|2023-01-20",
	}
	var got []string
	for _, it := range items {
		got = append(got, it.title+"|"+it.u.String()+"|"+it.date)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAttachmentLinks(t *testing.T) {
	html := `<div class="nav"><a href="/">首页</a><a href="/xzzx/">下载中心</a><a href="/fujian/">附件管理说明.html</a></div>
<p><a href="./P020240120.pdf">报告.pdf</a><a href="./P020240120.PDF#page=2">同一文件</a></p>
<p><a href="/module/download/downfile.jsp?classid=0&filename=a1.doc">附件1</a></p>
<p><a href="/getFile?id=5">2023年年度报告.wps</a></p>
<p><a href="/attach/abc">附件：统计表</a></p>
<p><a href="/other/page.html">附件说明</a></p>
<iframe src="/pdfjs/web/viewer.html?file=/files/r.ofd"></iframe>
<embed src="/files/r2.pdf">`
	base := mustURL(t, "http://x.gov.cn/zfxxgk/nb/202401/t20240120_1.html")
	var got []string
	for _, l := range attachmentLinks(doc(t, html), base, newScope(base)) {
		got = append(got, strings.TrimPrefix(l.u.String(), "http://x.gov.cn"))
	}
	want := []string{
		"/zfxxgk/nb/202401/P020240120.pdf",
		"/zfxxgk/nb/202401/P020240120.PDF",
		"/module/download/downfile.jsp?classid=0&filename=a1.doc",
		"/getFile?id=5",
		"/attach/abc",
		"/files/r.ofd",
		"/files/r2.pdf",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("attachments:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadDocument(t *testing.T) {
	u := mustURL(t, "http://x.gov.cn/a.doc")
	pdf := []byte("%PDF-1.7\n" + strings.Repeat("x", 100))
	wordHTML := []byte(`<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=ProgId content=Word.Document></head><body>` + strings.Repeat("报告", 50) + `</body></html>`)
	errPage := []byte(`<!DOCTYPE html><html><head><title>404</title></head><body>` + strings.Repeat("页面不存在", 20) + `</body></html>`)
	tests := []struct {
		name string
		body []byte
		bad  bool
	}{
		{"pdf", pdf, false},
		{"word html", wordHTML, false},
		{"error page", errPage, true},
		{"tiny", []byte("%PDF"), true},
		{"empty", nil, true},
	}
	for _, tt := range tests {
		if got := badDocument(tt.body, u, ""); (got != "") != tt.bad {
			t.Errorf("%s: badDocument = %q, want bad %v", tt.name, got, tt.bad)
		}
	}
}

func TestErrClass(t *testing.T) {
	tests := []struct {
		err  error
		want result.FetchClass
	}{
		{&url.Error{Op: "Get", URL: "u", Err: &net.DNSError{Err: "no such host", Name: "x.gov.cn", IsNotFound: true}}, result.FetchDNS},
		{&url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}, result.FetchConnection},
		{&url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}, result.FetchConnectionReset},
		{&url.Error{Op: "Get", URL: "u", Err: io.ErrUnexpectedEOF}, result.FetchConnectionReset},
		{&url.Error{Op: "Get", URL: "u", Err: x509.UnknownAuthorityError{}}, result.FetchTLS},
		{&url.Error{Op: "Get", URL: "u", Err: &timeoutError{"stalled"}}, result.FetchTimeout},
		{&url.Error{Op: "Get", URL: "u", Err: context.DeadlineExceeded}, result.FetchTimeout},
		{fmt.Errorf("x: %w", errTooManyRedirects), result.FetchTooManyRedirects},
		{fmt.Errorf("x: %w", errTooLarge), result.FetchBodyTooLarge},
		{fmt.Errorf("x: %w", errRobots), result.FetchRobotsDisallowed},
		{errors.New("something odd"), result.FetchOther},
	}
	for _, tt := range tests {
		if got := errClass(tt.err); got != tt.want {
			t.Errorf("errClass(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
}

func TestBackoffAndRetryAfter(t *testing.T) {
	for attempt := 1; attempt <= 12; attempt++ {
		d := backoff(500*time.Millisecond, attempt)
		full := min(500*time.Millisecond<<(attempt-1), maxBackoff)
		if d < full/2 || d > full {
			t.Errorf("backoff(500ms, %d) = %v, want in [%v, %v]", attempt, d, full/2, full)
		}
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"3":                             3 * time.Second,
		"-1":                            0,
		"soon":                          0,
		"Wed, 01 Jan 2025 00:00:10 GMT": 10 * time.Second,
		"":                              0,
	} {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		if got := retryAfter(h, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestRobotsParsing(t *testing.T) {
	agent := "ogicheck/1 (+https://github.com/ogicheck/ogicheck)"
	tests := []struct {
		name    string
		status  int
		body    string
		path    string
		allowed bool
		delay   time.Duration
	}{
		{"plain", 200, "User-agent: *\nDisallow: /private/\n", "/private/a", false, 0},
		{"own group", 200, "User-agent: *\nDisallow: /\n\nUser-agent: ogicheck\nAllow: /\nCrawl-delay: 3\n", "/a", true, 3 * time.Second},
		{"bad crawl-delay line dropped", 200, "User-agent: *\nCrawl-delay: soon\nDisallow: /x/\n", "/x/1", false, 0},
		{"html page as robots.txt", 200, "<!DOCTYPE html><html><body>欢迎</body></html>", "/a", true, 0},
		{"404", 404, "", "/a", true, 0},
		{"503 disallows all", 503, "", "/a", false, 0},
		{"no answer", 0, "", "/a", true, 0},
		{"huge delay capped", 200, "User-agent: *\nCrawl-delay: 3600\n", "/a", true, time.Minute},
	}
	for _, tt := range tests {
		e := &robotsEntry{}
		e.fill(tt.status, []byte(tt.body), agent, time.Minute)
		if got := e.allowed(mustURL(t, "http://x.gov.cn"+tt.path), agent); got != tt.allowed || e.delay != tt.delay {
			t.Errorf("%s: allowed %v delay %v, want %v %v", tt.name, got, e.delay, tt.allowed, tt.delay)
		}
	}
}

func TestSniff(t *testing.T) {
	for in, want := range map[string]bool{
		"\xEF\xBB\xBF  <!DOCTYPE html>": true,
		"<HTML><body>":                  true,
		"\n\n<meta charset=gbk>":        true,
		"%PDF-1.4":                      false,
		"PK\x03\x04":                    false,
		"plain text":                    false,
	} {
		if got := sniffHTML([]byte(in)); got != want {
			t.Errorf("sniffHTML(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzPage runs the page analysis on arbitrary HTML: it must not panic.
func FuzzPage(f *testing.F) {
	f.Add(`<ul><li><a href="./t20240120_1.html" title="2023年年度报告">x</a><span>2024-01-20</span></li></ul>`)
	f.Add(`<script>createPageHTML('d', a, b, 'index', 'html');function next(n){location.href="l_"+(n-1)+".html"}</script><a href="javascript:next(3)">3</a>`)
	f.Add(`<script type="text/xml"><record><![CDATA[<li><a href="/art/2024/1/1/art_1_1.html">2023年年报</a>2024-01-01</li>]]></record></script>`)
	f.Add(`<a href="list.jsp?currentPage=99999">尾页</a>共9999页<iframe src="viewer.html?file=%zz"></iframe><base href="javascript:x">`)
	f.Add(`<a href="\\\\x"><img alt="政府信息公开年报"></a><a href="http://[::1">x</a><object data="a.pdf"></object>`)
	for _, s := range hostile.Seeds() {
		f.Add(string(s.Data))
	}
	base, _ := url.Parse("http://x.gov.cn/zfxxgk/nb/index.html")
	f.Fuzz(func(t *testing.T, html string) {
		hostile.Within(t, func(context.Context) { fuzzPage(t, base, html) })
	})
}

// fuzzPage runs the page analysis on one page.
func fuzzPage(t *testing.T, base *url.URL, html string) {
	d, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		return
	}
	sc := newScope(base)
	items, _ := listEntries(d, base, sc, nil, "")
	for _, it := range items {
		if it.u == nil || !sc.contains(it.u) {
			t.Errorf("entry %v out of scope", it.u)
		}
	}
	if pages := listPages(d, base); len(pages) > 4*maxListPages {
		t.Errorf("%d list pages from one page", len(pages))
	}
	attachmentLinks(d, base, sc)
	links := pageLinks(d.Selection, base)
	rank(links, columnScore)
	rank(links, zoneScore)
	titleNamesColumn(d)
}
