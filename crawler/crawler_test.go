package crawler

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/result"
)

func crawlOne(t *testing.T, cfg Config, start string) *Site {
	t.Helper()
	var logs []string
	cfg.Logf = func(format string, args ...any) {
		logs = append(logs, strings.TrimSpace(fmt.Sprintf(format, args...)))
	}
	sites := Crawl(context.Background(), cfg, []string{start})
	if len(sites) != 1 {
		t.Fatalf("Crawl returned %d sites, want 1", len(sites))
	}
	if t.Failed() || testing.Verbose() {
		for _, l := range logs {
			t.Log(l)
		}
	}
	return sites[0]
}

type wantEntry struct {
	title, path, date string
}

func checkEntries(t *testing.T, base string, got []Entry, want []wantEntry) {
	t.Helper()
	if len(got) != len(want) {
		for _, e := range got {
			t.Logf("entry %q %s %s", e.Title, e.URL, e.ListDate)
		}
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Title != w.title || g.URL != base+w.path || g.ListDate != w.date {
			t.Errorf("entry %d = {%q %s %q}, want {%q %s %q}", i, g.Title, g.URL, g.ListDate, w.title, base+w.path, w.date)
		}
	}
}

func errorsByURL(s *Site) map[string]result.FetchError {
	m := map[string]result.FetchError{}
	for _, e := range s.Errors {
		m[e.URL] = e
	}
	return m
}

func TestDiscoveryByTextStaticPagesAndAttachments(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/a/")

	if s.Column != ts.URL+"/a/channel/15/" || s.ColumnFrom != `link "政府信息公开年报"` {
		t.Errorf("column = %s (%s), want %s/a/channel/15/ by link text", s.Column, s.ColumnFrom, ts.URL)
	}
	wantPages := []string{ts.URL + "/a/channel/15/", ts.URL + "/a/channel/15/index_1.html", ts.URL + "/a/channel/15/index_2.html"}
	if strings.Join(s.ListPages, " ") != strings.Join(wantPages, " ") {
		t.Errorf("list pages = %v, want %v", s.ListPages, wantPages)
	}
	checkEntries(t, ts.URL, s.Entries, []wantEntry{
		{"某某区2023年政府信息公开工作年度报告", "/a/channel/15/202401/t20240120_1.html", "2024-01-20"},
		{"某某区2022年政府信息公开工作年度报告", "/a/channel/15/202301/t20230131_2.html", "2023-01-31"},
		{"某某区2021年政府信息公开工作年度报告", "/a/channel/15/202201/t20220130_3.html", "2022-01-30"},
		{"某某区2020年政府信息公开工作年度报告", "/a/files/2020report.pdf", "2021-01-29"},
		{"某某区2018年政府信息公开工作年度报告", "/a/channel/15/201901/t20190125_5.html", "2019-01-25"},
	})
	if t.Failed() {
		return
	}
	// Decoys and side lists are not followed.
	for _, p := range []string{"/a/wzbb/", "/a/news/202401/t20240101_9.html", "/a/news/202312/t20231201_8.html", "/a/channel/13/"} {
		if n := ts.requests(p); n != 0 {
			t.Errorf("%s requested %d times, want 0 (not part of the column)", p, n)
		}
	}

	e := s.Entries[0]
	if e.Page == nil || !bytes.Contains(e.Page.Body, []byte("正文见附件")) || e.Page.Charset != "utf-8" {
		t.Fatalf("entry 0 page = %+v, want the decoded report page", e.Page)
	}
	var got []string
	for _, a := range e.Attachments {
		got = append(got, strings.TrimPrefix(a.URL, ts.URL)+"|"+a.LinkText)
		if a.Err != nil || !bytes.HasPrefix(a.Body, []byte("%PDF")) && !bytes.HasPrefix(a.Body, []byte("PK")) {
			t.Errorf("attachment %s: err %v, body %q…; want a file", a.URL, a.Err, a.Body[:min(len(a.Body), 8)])
		}
	}
	want := []string{
		"/a/channel/15/202401/P020240120001.pdf|某某区2023年政府信息公开工作年度报告.pdf",
		"/a/channel/15/202401/P020240120002.docx|附表.docx",
		"/a/download.jsp?id=7|2023年报告全文.pdf",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("attachments of entry 0:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if pdf := readTestdata(t, "report_ucs2_cmap_no_tounicode.pdf"); len(e.Attachments) == 3 && !bytes.Equal(e.Attachments[2].Body, pdf) {
		t.Errorf("PDF served as octet-stream with a charset was altered: %d bytes, want %d", len(e.Attachments[2].Body), len(pdf))
	}
	if n := len(ts.offsite.allHits()); n != 0 {
		t.Errorf("off-site server got %d requests, want 0", n)
	}

	// Direct PDF entry: no page, the file is the one attachment.
	pdfEntry := s.Entries[3]
	if pdfEntry.Page != nil || len(pdfEntry.Attachments) != 1 || !bytes.HasPrefix(pdfEntry.Attachments[0].Body, []byte("%PDF")) {
		t.Errorf("direct PDF entry: page %v, %d attachments; want no page and the PDF", pdfEntry.Page, len(pdfEntry.Attachments))
	}

	// Broken attachments of entry 1.
	errs := errorsByURL(s)
	base := ts.URL + "/a/channel/15/202301/"
	for name, class := range map[string]result.FetchClass{
		"tiny.pdf":    result.FetchBadContent,
		"errpage.pdf": result.FetchBadContent,
		"gone.pdf":    result.FetchNotFound,
	} {
		fe, ok := errs[base+name]
		if !ok || fe.Class != class {
			t.Errorf("error for %s = %+v, want class %s", name, fe, class)
		}
	}
	if len(s.Errors) != 3 {
		t.Errorf("site errors = %+v, want the 3 broken attachments", s.Errors)
	}
	a := s.Entries[1].Attachments
	if len(a) != 3 || a[0].Err == nil || a[0].Err.Class != result.FetchBadContent {
		t.Errorf("entry 1 attachments = %+v, want 3 with the tiny PDF marked bad-content", a)
	}
	if s.Pages == 0 || s.Bytes == 0 || s.Requests < s.Pages || s.Incomplete != "" {
		t.Errorf("counters: pages %d requests %d bytes %d incomplete %q", s.Pages, s.Requests, s.Bytes, s.Incomplete)
	}
}

func TestDiscoveryBySlugAndTRSPager(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/b/")
	if s.Column != ts.URL+"/b/zfxxgk/zfxxgknb/" || s.ColumnFrom != "url slug zfxxgknb" {
		t.Errorf("column = %s (%s), want …/zfxxgknb/ by url slug", s.Column, s.ColumnFrom)
	}
	checkEntries(t, ts.URL, s.Entries, []wantEntry{
		{"某某县2023年政府信息公开工作年度报告", "/b/zfxxgk/zfxxgknb/202401/t20240115_11.html", "2024-01-15"},
		{"某某县2022年政府信息公开工作年度报告", "/b/zfxxgk/zfxxgknb/202301/t20230116_12.html", "2023-01-16"},
		{"某某县2021年政府信息公开工作年度报告", "/b/zfxxgk/zfxxgknb/202201/t20220117_13.html", "2022-01-17"},
	})
	if ts.requests("/b/zfxxgk/zfxxgknb/index_3.html") != 0 {
		t.Error("index_3.html requested: createPageHTML(3, …) has pages index, index_1, index_2")
	}
}

func TestStartAtColumnWithJSPager(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/c/nb/index.html")
	if s.Column != ts.URL+"/c/nb/index.html" || s.ColumnFrom != `page title "部门年报"` {
		t.Errorf("column = %s (%s), want the start URL", s.Column, s.ColumnFrom)
	}
	checkEntries(t, ts.URL, s.Entries, []wantEntry{
		{"某某局2023年政府信息公开工作年度报告", "/c/art/2024/1/20/art_1_101.html", "2024-01-20"},
		{"某某局2022年政府信息公开工作年度报告", "/c/art/2023/1/18/art_1_102.html", "2023-01-18"},
		{"某某局2021年政府信息公开工作年度报告", "/c/art/2022/1/19/art_1_103.html", "2022-01-19"},
	})
	if n := ts.requests("/c/nb/list_1.html"); n != 0 {
		t.Errorf("list_1.html requested %d times: the pager sends page 1 to index.html", n)
	}
	for _, e := range s.Entries {
		if e.Page == nil {
			t.Errorf("entry %s has no page", e.URL)
		}
	}
}

func TestStartAtZoneWithQueryPager(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/d/xxgk/")
	if s.Column != ts.URL+"/d/xxgk/list.jsp?cid=9" || s.ColumnFrom != `link "信息公开年报"` {
		t.Errorf("column = %s (%s)", s.Column, s.ColumnFrom)
	}
	checkEntries(t, ts.URL, s.Entries, []wantEntry{
		{"2023年度政府信息公开工作年度报告", "/d/xxgk/detail.jsp?id=201", "2024-01-21"},
		{"2022年度政府信息公开工作年度报告", "/d/xxgk/detail.jsp?id=202", "2023-01-22"},
		{"2021年度政府信息公开工作年度报告", "/d/xxgk/detail.jsp?id=203", "2022-01-23"},
	})
	if ts.requests("/d/xxgk/list.jsp?cid=9&currentPage=4") != 0 {
		t.Error("page 4 requested though the list says 共3页")
	}
}

func TestJCMSRecordList(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/j/col/col123/index.html")
	checkEntries(t, ts.URL, s.Entries, []wantEntry{
		{"某某市2023年政府信息公开工作年度报告", "/j/art/2024/1/22/art_123_1.html", "2024-01-22"},
		{"某某市2022年政府信息公开工作年度报告", "/j/art/2023/1/20/art_123_2.html", "2023-01-20"},
	})
}

func TestColumnFromReportLink(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/m/")
	if s.Column != ts.URL+"/m/gk/nbml/" || s.ColumnFrom != `parent of report link "某某镇2023年政府信息公开工作年度报告"` {
		t.Errorf("column = %s (%s)", s.Column, s.ColumnFrom)
	}
	if len(s.Entries) != 2 {
		t.Errorf("%d entries, want 2", len(s.Entries))
	}
}

func TestSubColumns(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/k/nb/")
	checkEntries(t, ts.URL, s.Entries, []wantEntry{
		{"2024年政府信息公开工作年度报告", "/k/nb/2024/t1.html", "2025-01-15"},
		{"2023年政府信息公开工作年度报告", "/k/nb/2023/t2.html", "2024-01-15"},
	})
	s = crawlOne(t, cfg, ts.URL+"/k/land/")
	if s.Column != ts.URL+"/k/land/" {
		t.Errorf("column = %s, want the landing page itself", s.Column)
	}
	checkEntries(t, ts.URL, s.Entries, []wantEntry{
		{"2024年区政府信息公开工作年度报告", "/k/land/qzf/t3.html", "2025-01-16"},
		{"某局2024年政府信息公开工作年度报告", "/k/land/bm/t4.html", "2025-01-17"},
	})
}

func TestCharsets(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/e/nb/")
	want := map[string][2]string{ // page → charset, from
		"header":   {"gb18030", "header"},
		"meta":     {"gb18030", "meta"},
		"none":     {"gb18030", "detect"},
		"lie-utf8": {"gb18030", "detect"},
		"lie-gbk":  {"utf-8", "header-mismatch"},
		"gbk-list": {"gb18030", "header"},
	}
	if len(s.Entries) != len(want) {
		t.Fatalf("got %d entries, want %d", len(s.Entries), len(want))
	}
	for _, e := range s.Entries {
		name := strings.TrimSuffix(strings.TrimPrefix(e.URL, ts.URL+"/e/nb/"), ".html")
		if e.Page == nil {
			t.Errorf("%s: no page", name)
			continue
		}
		w := want[name]
		if e.Page.Charset != w[0] || (e.Page.CharsetFrom != w[1] && !(w[1] == "detect" && e.Page.CharsetFrom == "default")) {
			t.Errorf("%s: charset %s from %s, want %s from %s", name, e.Page.Charset, e.Page.CharsetFrom, w[0], w[1])
		}
		if !utf8.Valid(e.Page.Body) || !bytes.Contains(e.Page.Body, []byte("政府信息公开工作年度报告")) {
			t.Errorf("%s: body not decoded: %q", name, e.Page.Body[:min(80, len(e.Page.Body))])
		}
	}
	last := s.Entries[len(s.Entries)-1]
	if len(last.Attachments) != 1 || last.Attachments[0].Err != nil || !bytes.HasPrefix(last.Attachments[0].Body, []byte("%PDF")) {
		t.Errorf("attachment with a Chinese file name linked from a GBK page: %+v", last.Attachments)
	}
}

func TestRobots(t *testing.T) {
	t.Run("disallow and crawl-delay", func(t *testing.T) {
		ts := newTestServer(t, "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n")
		cfg, fc := testConfig()
		cfg.Delay = 10 * time.Millisecond
		s := crawlOne(t, cfg, ts.URL+"/f/nb/")
		for _, p := range []string{"/private/t2.html", "/private/a.pdf"} {
			if n := ts.requests(p); n != 0 {
				t.Errorf("%s requested %d times though robots.txt disallows it", p, n)
			}
			if fe := errorsByURL(s)[ts.URL+p]; fe.Class != result.FetchRobotsDisallowed || fe.Attempts != 0 {
				t.Errorf("error for %s = %+v, want robots-disallowed with 0 attempts", p, fe)
			}
		}
		if len(s.Entries) != 3 || s.Entries[1].Page != nil || s.Entries[0].Page == nil || s.Entries[2].Page == nil {
			t.Fatalf("entries = %+v, want 3 with the disallowed one without page", s.Entries)
		}
		if a := s.Entries[0].Attachments; len(a) != 1 || a[0].Err == nil || a[0].Err.Class != result.FetchRobotsDisallowed {
			t.Errorf("disallowed attachment = %+v", a)
		}
		if n := ts.requests("/robots.txt"); n != 1 {
			t.Errorf("robots.txt requested %d times, want once (colly's check is served from our copy)", n)
		}
		hits := ts.allHits()
		waits := fc.recorded()
		if len(waits) != len(hits)-1 {
			t.Errorf("%d waits for %d requests, want one before every request but the first", len(waits), len(hits))
		}
		for i, w := range waits {
			if w != 2*time.Second {
				t.Errorf("wait %d = %v, want the Crawl-delay 2s", i, w)
			}
		}
		if ts.maxInflight != 1 {
			t.Errorf("max requests in flight to one host = %d, want 1", ts.maxInflight)
		}
		for _, h := range hits {
			if ua := h.header.Get("User-Agent"); ua != cfg.UserAgent {
				t.Errorf("%s sent User-Agent %q, want %q", h.path, ua, cfg.UserAgent)
			}
		}
	})
	t.Run("own group wins", func(t *testing.T) {
		ts := newTestServer(t, "User-agent: *\nDisallow: /\n\nUser-agent: ogicheck-test\nDisallow: /f/nb/t3.html\n")
		cfg, _ := testConfig()
		s := crawlOne(t, cfg, ts.URL+"/f/nb/")
		if len(s.Entries) != 3 || ts.requests("/f/nb/t3.html") != 0 || ts.requests("/f/nb/t1.html") != 1 {
			t.Errorf("entries %d, t3 requested %d, t1 requested %d; want 3, 0, 1",
				len(s.Entries), ts.requests("/f/nb/t3.html"), ts.requests("/f/nb/t1.html"))
		}
	})
	t.Run("ignored when asked", func(t *testing.T) {
		ts := newTestServer(t, "User-agent: *\nDisallow: /\n")
		cfg, _ := testConfig()
		cfg.IgnoreRobots = true
		s := crawlOne(t, cfg, ts.URL+"/f/nb/")
		if ts.requests("/private/t2.html") != 1 || ts.requests("/robots.txt") != 0 || len(s.Errors) != 0 {
			t.Errorf("with IgnoreRobots: private requested %d, robots.txt %d, errors %+v",
				ts.requests("/private/t2.html"), ts.requests("/robots.txt"), s.Errors)
		}
	})
	t.Run("5xx robots disallows all", func(t *testing.T) {
		ts := newTestServer(t, "")
		cfg, _ := testConfig()
		cfg.Transport = &statusRobots{status: 503}
		s := crawlOne(t, cfg, ts.URL+"/f/nb/")
		if len(ts.allHits()) != 0 || len(s.Errors) != 1 || s.Errors[0].Class != result.FetchRobotsDisallowed {
			t.Errorf("robots.txt 503: %d requests, errors %+v; want none and one robots-disallowed", len(ts.allHits()), s.Errors)
		}
	})
}

func TestFailures(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, "")
	cfg, fc := testConfig()
	cfg.Timeout = 1500 * time.Millisecond // below the trickle's 2s total, far above the drip's 80ms (a loaded machine)
	cfg.MaxBodySize = 5000
	s := crawlOne(t, cfg, ts.URL+"/g/nb/")
	if len(s.Entries) != 16 {
		t.Fatalf("got %d entries, want 16", len(s.Entries))
	}
	errs := errorsByURL(s)
	tests := []struct {
		name     string
		class    result.FetchClass // "" for no error
		status   int
		attempts int
		requests int // server-side, 0 to skip
	}{
		{"flaky.html", "", 200, 0, 3},
		{"resetonce.html", "", 200, 0, 0},
		{"busy.html", "", 200, 0, 2},
		{"down.html", result.FetchHTTP5xx, 503, 3, 3},
		{"notimpl.html", result.FetchHTTP5xx, 501, 1, 1},
		{"reset.html", result.FetchConnectionReset, 0, 3, 0},
		{"slow.html", result.FetchTimeout, 0, 3, 3},
		{"loop.html", result.FetchTooManyRedirects, 0, 1, 0},
		{"missing.html", result.FetchNotFound, 404, 1, 1},
		{"forbidden.html", result.FetchHTTP4xx, 403, 1, 1},
		{"big.pdf", result.FetchBodyTooLarge, 200, 1, 1},
		{"bigchunked.pdf", result.FetchBodyTooLarge, 200, 1, 1},
		{"offsite-redirect.html", result.FetchOther, 0, 1, 1},
		{"trickle.pdf", result.FetchTimeout, 0, 3, 3}, // Timeout bounds the whole request, body included
		{"drip.pdf", "", 200, 0, 1},
		{"stall.pdf", result.FetchTimeout, 0, 3, 3},
	}
	for _, tt := range tests {
		u := ts.URL + "/g/" + tt.name
		fe, failed := errs[u]
		switch {
		case tt.class == "" && failed:
			t.Errorf("%s: error %+v, want none (transient failure within the retry budget)", tt.name, fe)
		case tt.class != "" && !failed:
			t.Errorf("%s: no error, want %s", tt.name, tt.class)
		case tt.class != "" && (fe.Class != tt.class || fe.Attempts != tt.attempts || (tt.status != 0 && fe.Status != tt.status)):
			t.Errorf("%s: error %+v, want class %s status %d attempts %d", tt.name, fe, tt.class, tt.status, tt.attempts)
		}
		if tt.requests != 0 {
			if n := ts.requests("/g/" + tt.name); n != tt.requests {
				t.Errorf("%s: %d requests, want %d", tt.name, n, tt.requests)
			}
		}
	}
	if len(s.Errors) != 12 {
		t.Errorf("%d errors, want 12: %+v", len(s.Errors), s.Errors)
	}
	retryAfterSeen := false
	for _, w := range fc.recorded() {
		if w >= 2*time.Second {
			retryAfterSeen = true
		}
		if w > maxRetryAfter {
			t.Errorf("wait %v over the cap", w)
		}
	}
	if !retryAfterSeen {
		t.Errorf("waits %v: none honours Retry-After: 2", fc.recorded())
	}
	for _, e := range s.Entries {
		if strings.Contains(e.URL, "flaky") && (e.Page == nil || !bytes.Contains(e.Page.Body, []byte("总体情况"))) {
			t.Errorf("flaky entry page = %+v, want the page after retries", e.Page)
		}
	}
}

// statusRobots answers robots.txt with a fixed status and passes the rest
// to the default transport.
type statusRobots struct{ status int }

func (s *statusRobots) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == "/robots.txt" {
		return &http.Response{StatusCode: s.status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestConditionalRequests(t *testing.T) {
	ts := newTestServer(t, "")
	dir := t.TempDir()
	c, err := cache.Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := testConfig()
	cfg.Cache = c
	first := crawlOne(t, cfg, ts.URL+"/h/nb/")
	if first.NotModified != 0 || len(first.Entries) != 1 || first.Entries[0].Page == nil {
		t.Fatalf("first crawl: %d not modified, entries %+v", first.NotModified, first.Entries)
	}
	second := crawlOne(t, cfg, ts.URL+"/h/nb/")
	if second.NotModified != 3 {
		t.Errorf("second crawl: %d answered 304, want 3 (list, page, pdf)", second.NotModified)
	}
	if second.Bytes != 0 {
		t.Errorf("second crawl received %d body bytes, want 0", second.Bytes)
	}
	hits := ts.hitsOf("/h/nb/t1.html")
	if len(hits) != 2 || hits[0].header.Get("If-None-Match") != "" || hits[1].header.Get("If-None-Match") == "" ||
		hits[1].header.Get("If-Modified-Since") != "Mon, 20 Jan 2025 01:02:03 GMT" {
		t.Errorf("conditional headers of the two requests: %+v", hits)
	}
	p1, p2 := first.Entries[0].Page, second.Entries[0].Page
	if p2 == nil || !p2.NotModified || p2.Status != 304 || !bytes.Equal(p1.Body, p2.Body) || p2.Charset != "gb18030" {
		t.Errorf("second page = %+v, want the cached page decoded again", p2)
	}
	a1, a2 := first.Entries[0].Attachments, second.Entries[0].Attachments
	if len(a2) != 1 || !a2[0].NotModified || !bytes.Equal(a1[0].Body, a2[0].Body) || !bytes.HasPrefix(a2[0].Body, []byte("%PDF")) {
		t.Errorf("second attachment = %+v", a2)
	}
}

// TestFreshFor: within FreshFor of its last validation an entry's page and
// file come from the cache without a request, while the list is requested
// again; past it they are revalidated.
func TestFreshFor(t *testing.T) {
	ts := newTestServer(t, "")
	c, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	cfg, fc := testConfig()
	cfg.Cache, cfg.FreshFor = c, 24*time.Hour
	first := crawlOne(t, cfg, ts.URL+"/h/nb/")
	if len(first.Entries) != 1 || first.Entries[0].Page == nil || len(first.Entries[0].Attachments) != 1 {
		t.Fatalf("first crawl: entries %+v", first.Entries)
	}
	fc.advance(23 * time.Hour)
	second := crawlOne(t, cfg, ts.URL+"/h/nb/")
	if got := []int{len(ts.hitsOf("/h/nb/")), len(ts.hitsOf("/h/nb/t1.html"))}; got[0] != 2 || got[1] != 1 {
		t.Errorf("within FreshFor: list requested %d times, entry page %d times; want 2 and 1", got[0], got[1])
	}
	if n := len(ts.hitsOf("/robots.txt")); n != 1 {
		t.Errorf("within FreshFor and a day: robots.txt requested %d times, want once", n)
	}
	p := second.Entries[0].Page
	if p == nil || !p.Fresh || !p.NotModified || !bytes.Equal(p.Body, first.Entries[0].Page.Body) || p.Charset != "gb18030" {
		t.Errorf("fresh page = %+v, want the cached page decoded again", p)
	}
	if a := second.Entries[0].Attachments; len(a) != 1 || !a[0].Fresh || !bytes.HasPrefix(a[0].Body, []byte("%PDF")) {
		t.Errorf("fresh attachment = %+v", a)
	}
	if second.NotModified != 3 || second.Pages != 3 {
		t.Errorf("within FreshFor: %d not modified of %d pages, want 3 of 3", second.NotModified, second.Pages)
	}
	fc.advance(2 * time.Hour) // 25 h after the copy was stored
	third := crawlOne(t, cfg, ts.URL+"/h/nb/")
	if n := len(ts.hitsOf("/h/nb/t1.html")); n != 2 {
		t.Errorf("past FreshFor: entry page requested %d times in all, want 2", n)
	}
	if n := len(ts.hitsOf("/robots.txt")); n != 2 {
		t.Errorf("past a day: robots.txt requested %d times in all, want twice (RFC 9309 §2.4)", n)
	}
	if p := third.Entries[0].Page; p == nil || p.Fresh || !p.NotModified {
		t.Errorf("past FreshFor: page = %+v, want revalidated (304)", p)
	}
	fc.advance(time.Hour) // revalidated an hour ago: fresh again
	crawlOne(t, cfg, ts.URL+"/h/nb/")
	if n := len(ts.hitsOf("/h/nb/t1.html")); n != 2 {
		t.Errorf("after revalidation: entry page requested %d times in all, want 2", n)
	}
}

func TestMaxPages(t *testing.T) {
	ts := newTestServer(t, "")
	cfg, _ := testConfig()
	cfg.MaxPages = 4
	s := crawlOne(t, cfg, ts.URL+"/a/")
	if !strings.Contains(s.Incomplete, "page limit of 4") {
		t.Errorf("incomplete = %q, want the page limit", s.Incomplete)
	}
	n := 0
	for _, h := range ts.allHits() {
		if h.path != "/robots.txt" {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d pages requested, want 4", n)
	}
	if len(s.Errors) != 0 {
		t.Errorf("errors = %+v, want none: the limit is the crawler's, not a broken link", s.Errors)
	}
	if len(s.Limits) != 1 || s.Limits[0].Name != LimitPages || s.Limits[0].Max != 4 || s.Limits[0].URL == "" {
		t.Errorf("limits = %+v, want the page limit of 4 with the first URL not fetched", s.Limits)
	}
	// /a/, 专栏, column, index_1.html: index_2.html is not read.
	if s.ListUnread != "page limit of 4 reached" {
		t.Errorf("list unread %q, want the page limit: the third list page was not read", s.ListUnread)
	}
}

// silentServer accepts connections and never answers.
func silentServer(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String()
}

func TestNeverAnswers(t *testing.T) {
	addr := silentServer(t)
	t.Run("timeout", func(t *testing.T) {
		cfg, _ := testConfig()
		cfg.Timeout = 300 * time.Millisecond
		cfg.Retries = -1
		s := runWithin(t, 20*time.Second, context.Background(), cfg, addr+"/")
		if len(s.Errors) != 1 || s.Errors[0].Class != result.FetchTimeout || s.Errors[0].Attempts != 1 {
			t.Errorf("errors = %+v, want one timeout after 1 attempt", s.Errors)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		cfg, _ := testConfig()
		cfg.Timeout = time.Minute
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		s := runWithin(t, 20*time.Second, ctx, cfg, addr+"/")
		if s.Incomplete != "interrupted" || len(s.Errors) != 0 {
			t.Errorf("incomplete %q, errors %+v; want interrupted and no error (a canceled request is not the site's failure)", s.Incomplete, s.Errors)
		}
	})
}

// runWithin fails the test when Crawl does not return in time.
func runWithin(t *testing.T, limit time.Duration, ctx context.Context, cfg Config, start string) *Site {
	t.Helper()
	done := make(chan []*Site, 1)
	go func() { done <- Crawl(ctx, cfg, []string{start}) }()
	select {
	case sites := <-done:
		return sites[0]
	case <-time.After(limit):
		t.Fatalf("Crawl of %s did not return within %v", start, limit)
		return nil
	}
}

func TestStartFailures(t *testing.T) {
	ts := newTestServer(t, "")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/"
	l.Close()
	cfg, _ := testConfig()
	sites := Crawl(context.Background(), cfg, []string{
		closed,
		ts.URL + "/nowhere/",
		"ftp://example.gov.cn/",
		"javascript:alert(1)",
		ts.URL + "/a/channel/15/202401/P020240120001.pdf",
		ts.URL + "/b/",
	})
	wantClass := []result.FetchClass{result.FetchConnection, result.FetchNotFound, result.FetchOther, result.FetchOther, result.FetchBadContent, ""}
	for i, s := range sites {
		if s.Start == "" {
			t.Errorf("site %d has no start URL", i)
		}
		switch {
		case wantClass[i] == "" && (len(s.Errors) != 0 || s.Column == ""):
			t.Errorf("site %s: errors %+v, column %q; want a column", s.Start, s.Errors, s.Column)
		case wantClass[i] != "" && (len(s.Errors) != 1 || s.Errors[0].Class != wantClass[i] || s.Column != ""):
			t.Errorf("site %s: errors %+v, want one %s", s.Start, s.Errors, wantClass[i])
		}
	}
}

// COLLY_* variables change colly's defaults in NewCollector; the crawler
// must not be affected.
func TestCollyEnvironmentIgnored(t *testing.T) {
	t.Setenv("COLLY_MAX_BODY_SIZE", "100")
	t.Setenv("COLLY_DETECT_CHARSET", "yes")
	t.Setenv("COLLY_IGNORE_ROBOTSTXT", "yes")
	t.Setenv("COLLY_CACHE_DIR", t.TempDir())
	t.Setenv("COLLY_FOLLOW_REDIRECTS", "no")
	ts := newTestServer(t, "User-agent: *\nDisallow: /private/\n")
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, ts.URL+"/e/nb/")
	if len(s.Entries) != 6 || len(s.Errors) != 0 {
		t.Fatalf("entries %d, errors %+v; want 6 and none", len(s.Entries), s.Errors)
	}
	if p := s.Entries[0].Page; p == nil || p.CharsetFrom != "header" || !bytes.Contains(p.Body, []byte("政府信息公开工作年度报告")) {
		t.Errorf("GBK page under COLLY_DETECT_CHARSET: %+v", p)
	}
	a := s.Entries[5].Attachments
	if pdf := readTestdata(t, "report_ucs2_cmap_no_tounicode.pdf"); len(a) != 1 || !bytes.Equal(a[0].Body, pdf) {
		t.Errorf("PDF under COLLY_MAX_BODY_SIZE=100: %+v", a)
	}
	f := crawlOne(t, cfg, ts.URL+"/f/nb/")
	if ts.requests("/private/t2.html") != 0 || len(f.Errors) != 2 {
		t.Errorf("robots.txt not obeyed under COLLY_IGNORE_ROBOTSTXT: errors %+v", f.Errors)
	}
}

func TestParallelSitesOneRequestPerHost(t *testing.T) {
	ts1 := newTestServer(t, "")
	ts2 := newTestServer(t, "")
	cfg, _ := testConfig()
	cfg.clock = realClock{}
	cfg.Delay = 2 * time.Millisecond
	cfg.Parallel = 6
	var starts []string
	for _, ts := range []*testServer{ts1, ts2} {
		starts = append(starts, ts.URL+"/a/", ts.URL+"/b/", ts.URL+"/c/nb/index.html")
	}
	sites := Crawl(context.Background(), cfg, starts)
	for i, s := range sites {
		if s.Start != starts[i] || s.Column == "" || len(s.Entries) == 0 {
			t.Errorf("site %d: start %s column %q entries %d", i, s.Start, s.Column, len(s.Entries))
		}
	}
	for i, ts := range []*testServer{ts1, ts2} {
		if ts.maxInflight != 1 {
			t.Errorf("server %d: %d requests in flight at once, want 1", i, ts.maxInflight)
		}
	}
}
