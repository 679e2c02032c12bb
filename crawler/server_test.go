package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The test internet: one mux with a route per scenario, as in colly's own
// tests. Each scenario is a small site under its own path prefix.

type hit struct {
	path   string
	header http.Header
}

type testServer struct {
	*httptest.Server
	mu          sync.Mutex
	hits        []hit
	counts      map[string]int
	inflight    int
	maxInflight int
	offsite     *testServer // another site, linked from site a
}

// requests returns how often path (with query) was requested.
func (ts *testServer) requests(path string) int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.counts[path]
}

func (ts *testServer) hitsOf(path string) []hit {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var out []hit
	for _, h := range ts.hits {
		if h.path == path {
			out = append(out, h)
		}
	}
	return out
}

func (ts *testServer) allHits() []hit {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]hit(nil), ts.hits...)
}

func (ts *testServer) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.RequestURI()
		ts.mu.Lock()
		ts.hits = append(ts.hits, hit{p, r.Header.Clone()})
		ts.counts[p]++
		ts.inflight++
		ts.maxInflight = max(ts.maxInflight, ts.inflight)
		ts.mu.Unlock()
		defer func() {
			ts.mu.Lock()
			ts.inflight--
			ts.mu.Unlock()
		}()
		next.ServeHTTP(w, r)
	})
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// html5 wraps a body in a UTF-8 page.
func html5(title, body string) string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `</title></head><body>` + body + `</body></html>`
}

// li is a list item as TRS columns write them.
func li(href, title, date string) string {
	return fmt.Sprintf(`<li><a href="%s" title="%s" target="_blank">%s</a><span>%s</span></li>`, href, title, title, date)
}

func reportPage(title, body string) string {
	return html5(title, `<div class="nav"><a href="/">首页</a></div><h1>`+title+`</h1>
<div class="info">发布日期：2024-01-20 来源：办公室</div><div class="content">`+body+`</div>`)
}

type page struct {
	ct   string
	body []byte
}

func htmlPage(s string) page { return page{"text/html; charset=utf-8", []byte(s)} }

func newTestServer(t testing.TB, robots string) *testServer {
	off := &testServer{counts: map[string]int{}}
	off.Server = httptest.NewServer(off.track(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(readTestdata(t, "report_ucs2_cmap_no_tounicode.pdf"))
	})))
	t.Cleanup(off.Close)
	ts := &testServer{counts: map[string]int{}, offsite: off}
	pdf := readTestdata(t, "report_ucs2_cmap_no_tounicode.pdf")
	docx := readTestdata(t, "report.docx")
	gbkMeta := readTestdata(t, "report_gbk_meta.html")
	gbkNoMeta := readTestdata(t, "report_gbk_nometa.html")
	utf8Report := readTestdata(t, "report.html")

	pages := map[string]page{}
	add := func(path string, p page) { pages[path] = p }

	// Site a: discovery by link text through neutral URLs, static
	// pagination (index_N.html), list dates in four formats,
	// attachments by extension and by link text, broken attachments.
	add("/a/", htmlPage(html5("某某区人民政府", `
<div class="nav"><a href="/a/">首页</a><a href="/a/news/">新闻</a>
<a href="/a/channel/12/">政府信息公开</a><a href="/a/wzbb/">网站工作年度报表</a>
<a href="mailto:zfb@example.gov.cn">联系我们</a><a href="javascript:void(0)">收藏</a></div>
<ul class="news">`+li("/a/news/202401/t20240101_9.html", "区长调研", "2024-01-01")+
		li("/a/channel/15/202401/t20240120_1.html", "某某区2023年政府信息公开工作年度报告", "2024-01-20")+
		li("/a/news/202312/t20231201_8.html", "冬季防火通知", "2023-12-01")+`</ul>`)))
	add("/a/channel/12/", htmlPage(html5("政府信息公开", `
<ul class="menu"><li><a href="/a/channel/13/">政府信息公开指南</a></li>
<li><a href="/a/channel/14/">政府信息公开制度</a></li>
<li><a href="/a/channel/16/">法定主动公开内容</a></li>
<li><a href="/a/channel/15/">政府信息公开年报</a></li></ul>`)))
	colA := func(items, pager string) page {
		return htmlPage(html5("政府信息公开年报", `<div class="menu"><a href="/a/channel/15/">政府信息公开年报</a>
<a href="/a/channel/13/">政府信息公开指南</a></div><ul class="list">`+items+`</ul><div class="page">`+pager+`</div>
<div class="side"><ul><li><a href="/a/news/202401/t20240101_9.html">区长调研</a><span>2024-01-01</span></li>
<li><a href="/a/news/202312/t20231201_8.html">冬季防火通知</a><span>2023-12-01</span></li></ul></div>`))
	}
	add("/a/channel/15/", colA(
		li("./202401/t20240120_1.html", "某某区2023年政府信息公开工作年度报告", "2024-01-20")+
			li("./202301/t20230131_2.html", "某某区2022年政府信息公开工作年度报告", "2023年01月31日"),
		`<span>1</span><a href="index_1.html">2</a><a href="index_1.html">下一页</a><a href="index_2.html">尾页</a>`))
	add("/a/channel/15/index_1.html", colA(
		`<li><a href="./202201/t20220130_3.html" title="某某区2021年政府信息公开工作年度报告">某某区2021年政府信息公开...</a> [2022-01-30]</li>`+
			li("/a/files/2020report.pdf", "某某区2020年政府信息公开工作年度报告", "2021/01/29"),
		`<a href="index.html">首页</a><a href="index.html">上一页</a><span>2</span><a href="index_2.html">下一页</a>`))
	add("/a/channel/15/index_2.html", colA(
		li("./201901/t20190125_5.html", "某某区2018年政府信息公开工作年度报告", "2019-01-25"),
		`<a href="index.html">首页</a><a href="index_1.html">上一页</a><span>3</span>`))
	add("/a/channel/15/202401/t20240120_1.html", htmlPage(reportPage("某某区2023年政府信息公开工作年度报告",
		`<p>正文见附件。</p><p>附件：<a href="./P020240120001.pdf">某某区2023年政府信息公开工作年度报告.pdf</a></p>
<p><a href="./P020240120002.docx">附表.docx</a></p>
<p><a href="/a/download.jsp?id=7">2023年报告全文.pdf</a></p>
<p><a href="`+"OFFSITE"+`/x.pdf">省平台转载.pdf</a></p>
<p><a href="ftp://example.gov.cn/report.pdf">FTP下载.pdf</a></p>
<p><a href="#top">返回顶部</a></p>`)))
	add("/a/channel/15/202401/P020240120001.pdf", page{"application/pdf", pdf})
	add("/a/channel/15/202401/P020240120002.docx", page{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx})
	// A charset on a binary type: colly would transcode the PDF.
	add("/a/download.jsp?id=7", page{"application/octet-stream; charset=GBK", pdf})
	add("/a/channel/15/202301/t20230131_2.html", htmlPage(reportPage("某某区2022年政府信息公开工作年度报告",
		`<p>附件：<a href="./tiny.pdf">报告.pdf</a> <a href="./errpage.pdf">报告（备用）.pdf</a> <a href="./gone.pdf">旧版.pdf</a></p>`)))
	add("/a/channel/15/202301/tiny.pdf", page{"application/pdf", []byte("%P")})
	add("/a/channel/15/202301/errpage.pdf", htmlPage(html5("出错了", "<p>您访问的页面不存在，请返回首页。"+strings.Repeat("。", 40)+"</p>")))
	add("/a/channel/15/202201/t20220130_3.html", htmlPage(reportPage("某某区2021年政府信息公开工作年度报告", "<p>一、总体情况</p>")))
	add("/a/files/2020report.pdf", page{"application/pdf", pdf})
	add("/a/channel/15/201901/t20190125_5.html", htmlPage(reportPage("某某区2018年政府信息公开工作年度报告", "<p>一、概述</p>")))

	// Site b: discovery by URL slug (image links, 「更多」), TRS
	// createPageHTML pagination without links.
	add("/b/", htmlPage(html5("某某县", `<a href="/b/zfxxgk/"><img src="/b/gk.png"></a><a href="/b/zwdt/">政务动态</a>`)))
	add("/b/zfxxgk/", htmlPage(html5("某某县", `<div><a href="/b/zfxxgk/fdzdgknr/">法定主动公开内容</a></div>
<div class="box"><h3>年度报告</h3><a href="/b/zfxxgk/zfxxgknb/">更多</a></div>`)))
	trs := func(items string, cur int) page {
		return htmlPage(html5("某某县", `<ul>`+items+`</ul><div class="pager"><script>createPageHTML(3, `+strconv.Itoa(cur)+`, "index", "html");</script></div>`))
	}
	add("/b/zfxxgk/zfxxgknb/", trs(li("./202401/t20240115_11.html", "某某县2023年政府信息公开工作年度报告", "2024-01-15"), 0))
	add("/b/zfxxgk/zfxxgknb/index_1.html", trs(li("./202301/t20230116_12.html", "某某县2022年政府信息公开工作年度报告", "2023-01-16"), 1))
	add("/b/zfxxgk/zfxxgknb/index_2.html", trs(li("./202201/t20220117_13.html", "某某县2021年政府信息公开工作年度报告", "2022-01-17"), 2))
	for _, p := range []string{"202401/t20240115_11", "202301/t20230116_12", "202201/t20220117_13"} {
		add("/b/zfxxgk/zfxxgknb/"+p+".html", htmlPage(reportPage("某某县年度报告", "<p>一、总体情况</p>")))
	}

	// Site c: the start URL is the column; javascript: pager functions.
	jsPager := `<div class="page"><a href="javascript:void(0)" onclick="next(1)">1</a> <a href="javascript:next(2)">2</a> <a href="javascript:next(3)">3</a> <a href="javascript:next(2)">下一页</a></div>
<script>function next(n){ if (n == 1) { location.href = "index.html"; } else { location.href = "list_" + n + ".html"; } }</script>`
	add("/c/nb/index.html", htmlPage(html5("部门年报", `<h2>部门年报</h2><ul>`+li("/c/art/2024/1/20/art_1_101.html", "某某局2023年政府信息公开工作年度报告", "2024-01-20")+`</ul>`+jsPager)))
	add("/c/nb/list_2.html", htmlPage(html5("部门年报", `<ul>`+li("/c/art/2023/1/18/art_1_102.html", "某某局2022年政府信息公开工作年度报告", "2023-01-18")+`</ul>`+jsPager)))
	add("/c/nb/list_3.html", htmlPage(html5("部门年报", `<ul>`+li("/c/art/2022/1/19/art_1_103.html", "某某局2021年政府信息公开工作年度报告", "2022-01-19")+`</ul>`+jsPager)))
	for _, p := range []string{"2024/1/20/art_1_101", "2023/1/18/art_1_102", "2022/1/19/art_1_103"} {
		add("/c/art/"+p+".html", htmlPage(reportPage("某某局年度报告", "<p>一、总体情况</p>")))
	}

	// Site d: the start URL is the 专栏; query-parameter pages with only
	// 「共3页」 and page 1 linked; entries in a table with dates in cells.
	add("/d/xxgk/", htmlPage(html5("信息公开", `<a href="/d/xxgk/list.jsp?cid=9">信息公开年报</a>`)))
	qpage := func(rows string) page {
		return htmlPage(html5("信息公开年报", `<table><tbody>`+rows+`</tbody></table><div>共3页 <a href="list.jsp?cid=9&currentPage=1">首页</a></div>`))
	}
	row := func(href, title, date string) string {
		return `<tr><td><a href="` + href + `">` + title + `</a></td><td>` + date + `</td></tr>`
	}
	add("/d/xxgk/list.jsp?cid=9", qpage(row("/d/xxgk/detail.jsp?id=201", "2023年度政府信息公开工作年度报告", "2024-01-21")))
	add("/d/xxgk/list.jsp?cid=9&currentPage=1", qpage(row("/d/xxgk/detail.jsp?id=201", "2023年度政府信息公开工作年度报告", "2024-01-21")))
	add("/d/xxgk/list.jsp?cid=9&currentPage=2", qpage(row("/d/xxgk/detail.jsp?id=202", "2022年度政府信息公开工作年度报告", "2023-01-22")))
	add("/d/xxgk/list.jsp?cid=9&currentPage=3", qpage(row("/d/xxgk/detail.jsp?id=203", "2021年度政府信息公开工作年度报告", "2022-01-23")))
	for _, id := range []string{"201", "202", "203"} {
		add("/d/xxgk/detail.jsp?id="+id, htmlPage(reportPage("年度报告", "<p>一、总体情况</p>")))
	}

	// Site e: charsets. Real GBK pages with the charset in the header
	// only, in <meta> only, nowhere, and lying declarations.
	add("/e/nb/", htmlPage(html5("政府信息公开年报", `<ul>`+
		li("/e/nb/header.html", "2024年年度报告（header）", "2025-01-20")+
		li("/e/nb/meta.html", "2024年年度报告（meta）", "2025-01-20")+
		li("/e/nb/none.html", "2024年年度报告（none）", "2025-01-20")+
		li("/e/nb/lie-utf8.html", "2024年年度报告（lie-utf8）", "2025-01-20")+
		li("/e/nb/lie-gbk.html", "2024年年度报告（lie-gbk）", "2025-01-20")+
		li("/e/nb/gbk-list.html", "2024年年度报告（gbk-list）", "2025-01-20")+`</ul>`)))
	add("/e/nb/header.html", page{"text/html; charset=GBK", gbkNoMeta})
	add("/e/nb/meta.html", page{"text/html", gbkMeta})
	add("/e/nb/none.html", page{"text/html", gbkNoMeta})
	add("/e/nb/lie-utf8.html", page{"text/html; charset=utf-8", gbkNoMeta})
	add("/e/nb/lie-gbk.html", page{"text/html; charset=gbk", utf8Report})
	add("/e/nb/gbk-list.html", page{"text/html; charset=gb2312", gbk(reportPage("某某市2024年政府信息公开工作年度报告",
		`<p>附件：<a href="/e/nb/附件.pdf">某某市2024年年度报告.pdf</a></p>`))})
	add("/e/nb/附件.pdf", page{"application/pdf", pdf})

	// Site f: robots.txt (served by a server of its own, see below).
	add("/f/nb/", htmlPage(html5("政府信息公开年报", `<ul>`+
		li("/f/nb/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10")+
		li("/private/t2.html", "2022年政府信息公开工作年度报告", "2023-01-10")+
		li("/f/nb/t3.html", "2021年政府信息公开工作年度报告", "2022-01-10")+`</ul>`)))
	add("/f/nb/t1.html", htmlPage(reportPage("2023年报告", `<a href="/private/a.pdf">附件.pdf</a>`)))
	add("/f/nb/t3.html", htmlPage(reportPage("2021年报告", "<p>一</p>")))
	add("/private/t2.html", htmlPage(reportPage("2022年报告", "<p>一</p>")))
	add("/private/a.pdf", page{"application/pdf", pdf})

	// Site h: conditional requests, ETag and Last-Modified.
	add("/h/nb/", htmlPage(html5("政府信息公开年报", `<ul>`+
		li("/h/nb/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10")+`</ul>`)))
	add("/h/nb/t1.html", page{"text/html; charset=gbk", gbk(reportPage("2023年政府信息公开工作年度报告",
		`<a href="/h/nb/r.pdf">报告.pdf</a>`))})
	add("/h/nb/r.pdf", page{"application/pdf", pdf})

	// Site j: a JCMS column whose list is in <record><![CDATA[…]]>.
	add("/j/col/col123/index.html", htmlPage(html5("政府信息公开年报",
		`<div id="div123"><script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/j/art/2024/1/22/art_123_1.html" title="某某市2023年政府信息公开工作年度报告">某某市2023年…</a><span>2024-01-22</span></li>]]></record>
<record><![CDATA[<li><a href="/j/art/2023/1/20/art_123_2.html" title="某某市2022年政府信息公开工作年度报告">某某市2022年…</a><span>2023-01-20</span></li>]]></record>
</recordset></datastore></script></div>`)))
	add("/j/art/2024/1/22/art_123_1.html", htmlPage(reportPage("某某市2023年政府信息公开工作年度报告", "<p>一</p>")))
	add("/j/art/2023/1/20/art_123_2.html", htmlPage(reportPage("某某市2022年政府信息公开工作年度报告", "<p>一</p>")))

	// Site k: a column split by year, and a landing page of sub-columns.
	add("/k/nb/", htmlPage(html5("政府信息公开年报", `<div class="years"><a href="/k/nb/2024/">2024年</a> <a href="/k/nb/2023/">2023年度</a></div>`)))
	add("/k/nb/2024/", htmlPage(html5("政府信息公开年报", `<ul>`+li("/k/nb/2024/t1.html", "2024年政府信息公开工作年度报告", "2025-01-15")+`</ul>`)))
	add("/k/nb/2023/", htmlPage(html5("政府信息公开年报", `<ul>`+li("/k/nb/2023/t2.html", "2023年政府信息公开工作年度报告", "2024-01-15")+`</ul>`)))
	add("/k/land/", htmlPage(html5("政府信息公开年报", `<ul class="sub"><li><a href="/k/land/qzf/">区政府年报</a></li><li><a href="/k/land/bm/">部门年报</a></li></ul>`)))
	add("/k/land/qzf/", htmlPage(html5("区政府年报", `<ul>`+li("/k/land/qzf/t3.html", "2024年区政府信息公开工作年度报告", "2025-01-16")+`</ul>`)))
	add("/k/land/bm/", htmlPage(html5("部门年报", `<ul>`+li("/k/land/bm/t4.html", "某局2024年政府信息公开工作年度报告", "2025-01-17")+`</ul>`)))
	for _, p := range []string{"/k/nb/2024/t1.html", "/k/nb/2023/t2.html", "/k/land/qzf/t3.html", "/k/land/bm/t4.html"} {
		add(p, htmlPage(reportPage("年度报告", "<p>一</p>")))
	}

	// Site m: no 专栏 or column link at all; a report in the news list
	// leads to its column directory.
	add("/m/", htmlPage(html5("某某镇", `<ul>`+li("/m/news/202401/t20240101_1.html", "镇长调研", "2024-01-01")+
		li("/m/gk/nbml/202401/t20240115_2.html", "某某镇2023年政府信息公开工作年度报告", "2024-01-15")+
		li("/m/news/202312/t20231201_3.html", "冬季防火", "2023-12-01")+`</ul>`)))
	add("/m/gk/nbml/", htmlPage(html5("某某镇", `<ul>`+li("./202401/t20240115_2.html", "某某镇2023年政府信息公开工作年度报告", "2024-01-15")+
		li("./202301/t20230115_1.html", "某某镇2022年政府信息公开工作年度报告", "2023-01-15")+`</ul>`)))
	add("/m/gk/nbml/202401/t20240115_2.html", htmlPage(reportPage("年度报告", "<p>一</p>")))
	add("/m/gk/nbml/202301/t20230115_1.html", htmlPage(reportPage("年度报告", "<p>一</p>")))

	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		if robots == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, robots)
	})

	// Site g: failures. The column lists one entry per failure mode.
	var gmu sync.Mutex
	gcount := map[string]int{}
	nth := func(r *http.Request) int {
		gmu.Lock()
		defer gmu.Unlock()
		gcount[r.URL.Path]++
		return gcount[r.URL.Path]
	}
	gEntries := []string{"flaky", "down", "reset", "resetonce", "slow", "loop", "missing", "forbidden", "busy", "notimpl"}
	var gl strings.Builder
	for _, e := range gEntries {
		gl.WriteString(li("/g/"+e+".html", "2023年年度报告（"+e+"）", "2024-01-01"))
	}
	gl.WriteString(li("/g/big.pdf", "2022年年度报告（big）", "2023-01-01"))
	gl.WriteString(li("/g/bigchunked.pdf", "2021年年度报告（bigchunked）", "2022-01-01"))
	gl.WriteString(li("/g/offsite-redirect.html", "2020年年度报告（offsite-redirect）", "2021-01-01"))
	gl.WriteString(li("/g/trickle.pdf", "2019年年度报告（trickle）", "2020-01-01"))
	gl.WriteString(li("/g/stall.pdf", "2018年年度报告（stall）", "2019-01-01"))
	gl.WriteString(li("/g/drip.pdf", "2017年年度报告（drip）", "2018-01-01"))
	pages["/g/nb/"] = htmlPage(html5("政府信息公开年报", `<ul>`+gl.String()+`</ul>`))
	okPage := reportPage("年度报告", "<p>一、总体情况</p>")
	hijack := func(w http.ResponseWriter) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
		}
	}
	mux.HandleFunc("/g/", func(w http.ResponseWriter, r *http.Request) {
		n := nth(r)
		switch r.URL.Path {
		case "/g/flaky.html":
			if n <= 2 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
		case "/g/down.html":
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		case "/g/notimpl.html":
			http.Error(w, "no", http.StatusNotImplemented)
			return
		case "/g/reset.html":
			hijack(w)
			return
		case "/g/resetonce.html":
			if n == 1 {
				hijack(w)
				return
			}
		case "/g/slow.html":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		case "/g/loop.html":
			http.Redirect(w, r, "/g/loop2.html", http.StatusFound)
			return
		case "/g/loop2.html":
			http.Redirect(w, r, "/g/loop.html", http.StatusFound)
			return
		case "/g/missing.html":
			http.NotFound(w, r)
			return
		case "/g/forbidden.html":
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		case "/g/busy.html":
			if n == 1 {
				w.Header().Set("Retry-After", "2")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
		case "/g/big.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Length", "10000")
			w.Write(append([]byte("%PDF-1.4\n"), make([]byte, 9991)...))
			return
		case "/g/bigchunked.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4\n"))
			w.(http.Flusher).Flush() // no Content-Length: chunked
			w.Write(make([]byte, 9991))
			return
		case "/g/drip.pdf":
			drip(w, 4, 20*time.Millisecond) // slow but within the timeout
			return
		case "/g/trickle.pdf":
			// Slower in total than the timeout, never stalling that long:
			// the timeout bounds the whole request.
			drip(w, 8, 250*time.Millisecond)
			return
		case "/g/stall.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(append([]byte("%PDF-1.4\n"), make([]byte, 100)...))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		case "/g/offsite-redirect.html":
			http.Redirect(w, r, "http://elsewhere.invalid/x.html", http.StatusFound)
			return
		case "/g/nb/":
			p := pages["/g/nb/"]
			w.Header().Set("Content-Type", p.ct)
			w.Write(p.body)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, okPage)
	})

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.RequestURI()]
		if !ok {
			p, ok = pages[r.URL.Path]
		}
		if !ok && strings.HasSuffix(r.URL.Path, "/index.html") {
			p, ok = pages[strings.TrimSuffix(r.URL.Path, "index.html")]
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		body := p.body
		if strings.HasPrefix(r.URL.Path, "/a/channel/15/202401/t") {
			body = []byte(strings.ReplaceAll(string(body), "OFFSITE", off.URL))
		}
		if strings.HasPrefix(r.URL.Path, "/h/") {
			etag := fmt.Sprintf(`"%x"`, len(body))
			lm := "Mon, 20 Jan 2025 01:02:03 GMT"
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", lm)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", p.ct)
		w.Write(body)
	})
	ts.Server = httptest.NewServer(ts.track(mux))
	t.Cleanup(ts.Close)
	return ts
}

// drip sends a PDF in pieces with a gap before each.
func drip(w http.ResponseWriter, pieces int, gap time.Duration) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Write([]byte("%PDF-1.4\n"))
	for range pieces {
		w.(http.Flusher).Flush()
		time.Sleep(gap)
		w.Write(make([]byte, 100))
	}
}

// fakeClock records the waits asked of it and returns at once.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// testConfig is fast: no politeness delay, tiny backoff, fake clock.
func testConfig() (Config, *fakeClock) {
	fc := newFakeClock()
	return Config{
		UserAgent:   "ogicheck-test/1.0 (+https://github.com/ogicheck/ogicheck)",
		Delay:       -1,
		Timeout:     5 * time.Second,
		Retries:     2,
		BackoffBase: time.Millisecond,
		clock:       fc,
	}, fc
}

// advance moves the clock on without recording a wait.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
