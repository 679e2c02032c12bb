package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestListPageCap(t *testing.T) {
	page := func(n int) string {
		return html5("政府信息公开年报", "<ul>"+li(fmt.Sprintf("/cap/t%d.html", n), fmt.Sprintf("%d年政府信息公开工作年度报告", 2024-n), "2024-01-10")+
			`</ul><div>共150页 <a href="index_1.html">下一页</a></div>`)
	}
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		var n int
		switch {
		case r.URL.Path == "/cap/":
			serveHTML(w, page(0))
		case strings.HasPrefix(r.URL.Path, "/cap/index_"):
			fmt.Sscanf(r.URL.Path, "/cap/index_%d.html", &n)
			serveHTML(w, page(n))
		default:
			http.NotFound(w, r)
		}
	})
	cfg, _ := testConfig()
	cfg.MaxPages = 1000
	s := crawlOne(t, cfg, cs.URL+"/cap/")
	if len(s.ListPages) != maxListPages {
		t.Errorf("%d list pages read, want the cap %d", len(s.ListPages), maxListPages)
	}
	want := Limit{Name: LimitListPages, Max: maxListPages, Count: 150, URL: cs.URL + "/cap/"}
	if len(s.Limits) != 1 || s.Limits[0] != want {
		t.Errorf("limits = %+v, want %+v", s.Limits, want)
	}
	if !strings.Contains(s.ListUnread, "list page cap of 100 reached: 100 of 150") {
		t.Errorf("list unread = %q, want the cap with the counts", s.ListUnread)
	}
}

func serveHTML(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(s))
}

func TestColumnBlockedByRobots(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			w.Write([]byte("User-agent: *\nDisallow: /gk/nb/\n"))
		case "/":
			serveHTML(w, html5("某某区人民政府", `<a href="/gk/nb/">政府信息公开年报</a><a href="/news/">新闻</a>`))
		default:
			http.NotFound(w, r)
		}
	})
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, cs.URL+"/")
	if s.Column != "" || s.ColumnBlocked != cs.URL+"/gk/nb/" {
		t.Errorf("column %q, blocked %q; want no column and the blocked %s/gk/nb/", s.Column, s.ColumnBlocked, cs.URL)
	}
	if cs.count("/gk/nb/") != 0 {
		t.Error("the forbidden column was requested")
	}
}

func TestListPageFailureLeavesListUnread(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/lf/":
			serveHTML(w, html5("政府信息公开年报", "<ul>"+li("/lf/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10")+
				`</ul><a href="index_1.html">下一页</a>`))
		case "/lf/t1.html":
			serveHTML(w, reportPage("2023年政府信息公开工作年度报告", "<p>一</p>"))
		default:
			http.NotFound(w, r)
		}
	})
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, cs.URL+"/lf/")
	if !strings.Contains(s.ListUnread, "/lf/index_1.html could not be read (not-found)") {
		t.Errorf("list unread = %q, want the failed list page", s.ListUnread)
	}
	if len(s.Limits) != 0 {
		t.Errorf("limits = %+v, want none", s.Limits)
	}
}

// The site's time budget ends its crawl with a limit, not with errors.
func TestSiteTimeout(t *testing.T) {
	t.Parallel()
	var list strings.Builder
	for i := range 20 {
		list.WriteString(li(fmt.Sprintf("/st/t%d.html", i), fmt.Sprintf("%d年政府信息公开工作年度报告", 2024-i), "2024-01-10"))
	}
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/st/":
			serveHTML(w, html5("政府信息公开年报", "<ul>"+list.String()+"</ul>"))
		case strings.HasPrefix(r.URL.Path, "/st/t"):
			select { // slow pages: 20 of them take 6 s
			case <-r.Context().Done():
			case <-time.After(300 * time.Millisecond):
			}
			serveHTML(w, reportPage("年度报告", "<p>一</p>"))
		default:
			http.NotFound(w, r)
		}
	})
	cfg, _ := testConfig()
	cfg.SiteTimeout = 2 * time.Second
	s := runWithin(t, 20*time.Second, context.Background(), cfg, cs.URL+"/st/")
	if len(s.Limits) != 1 || s.Limits[0].Name != LimitSiteTime || s.Limits[0].Max != 2 || !strings.HasPrefix(s.Limits[0].URL, cs.URL+"/st/t") {
		t.Errorf("limits = %+v, want the site time limit of 2 s at an entry", s.Limits)
	}
	if !strings.Contains(s.Incomplete, "site time limit") {
		t.Errorf("incomplete = %q, want the site time limit", s.Incomplete)
	}
	if len(s.Errors) != 0 {
		t.Errorf("errors = %+v, want none: the budget is the crawler's limit", s.Errors)
	}
	if len(s.Entries) != 20 || s.ListUnread != "" {
		t.Errorf("%d entries, list unread %q; want the whole list read", len(s.Entries), s.ListUnread)
	}
}

// A Crawl-delay over the cap is honoured up to the cap and reported.
func TestCrawlDelayCapped(t *testing.T) {
	ts := newTestServer(t, "User-agent: *\nCrawl-delay: 3600\n")
	cfg, fc := testConfig()
	cfg.MaxCrawlDelay = 5 * time.Second
	s := crawlOne(t, cfg, ts.URL+"/f/nb/")
	want := Limit{Name: LimitCrawlDelay, Max: 5, Count: 3600, URL: ts.URL + "/robots.txt"}
	if len(s.Limits) != 1 || s.Limits[0] != want {
		t.Errorf("limits = %+v, want %+v", s.Limits, want)
	}
	for _, w := range fc.recorded() {
		if w != 5*time.Second {
			t.Errorf("wait %v, want the cap 5s", w)
		}
	}
}

// A robots.txt fetch cut short by one site's context is not kept for the
// other sites on the host.
func TestRobotsCutShortIsNotKept(t *testing.T) {
	var n atomic.Int32
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-r.Context().Done() // the first fetch hangs until its site gives up
			return
		}
		w.Write([]byte("User-agent: *\nDisallow: /x/\n"))
	})
	cfg, fc := testConfig()
	cfg = cfg.withDefaults()
	run := &crawlRun{cfg: cfg, gate: newHostGate(fc, 0), robots: newRobotsCache(), clock: fc}
	u, _ := url.Parse(cs.URL + "/a")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if e := run.robots.get(ctx, run, http.DefaultTransport, u); !e.cut {
		t.Fatalf("entry of a canceled fetch = %+v, want it cut", e)
	}
	e := run.robots.get(context.Background(), run, http.DefaultTransport, u)
	if e.err != nil || e.allowed(mustURL(t, cs.URL+"/x/1"), cfg.UserAgent) || cs.count("/robots.txt") != 2 {
		t.Errorf("second site: err %v, /x/ allowed %v, %d fetches; want robots.txt read again and obeyed",
			e.err, e.allowed(mustURL(t, cs.URL+"/x/1"), cfg.UserAgent), cs.count("/robots.txt"))
	}
}

// A pager announcing more pages than were read leaves the list unread:
// the years on the pages not read are unknown, not missing.
func TestAnnouncedPagesUnread(t *testing.T) {
	list := func(year int, pager string) string {
		return html5("政府信息公开年报", "<ul>"+li(fmt.Sprintf("t%d.html", year), fmt.Sprintf("%d年政府信息公开工作年度报告", year), fmt.Sprintf("%d-01-20", year+1))+
			"</ul><div>"+pager+"</div>")
	}
	jsNext := `<a href="javascript:void(0)" onclick="turnPage(2)">下一页</a>`
	pages := map[string]string{
		// page 2 and 3 exist, but only a script without a URL leads there
		"/js/":                 list(2024, "共3页 "+jsNext),
		"/js/index_1.html":     list(2023, "共3页"),
		"/js/index_2.html":     list(2022, "共3页"),
		"/dup/":                list(2024, `共3页 <a href="index_1.html">下一页</a>`),
		"/dup/index_1.html":    list(2024, `共3页 <a href="index_1.html">下一页</a>`), // page 1 again
		"/dup/index_2.html":    list(2023, "共3页 "+jsNext),
		"/dup/index_3.html":    list(2022, "共3页"),
		"/static/":             list(2024, `共2页 <a href="index_1.html">下一页</a>`),
		"/static/index_1.html": list(2023, `共2页 <a href="index.html">上一页</a>`),
	}
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if p, ok := pages[r.URL.Path]; ok {
			serveHTML(w, p)
			return
		}
		http.NotFound(w, r)
	})
	tests := []struct {
		column  string
		wantGap string // detail of the gap; "" for none
	}{
		{"/js/", "1 of 3 list pages read"},
		{"/dup/", "2 of 3 list pages read"},
		{"/static/", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Trim(tt.column, "/"), func(t *testing.T) {
			cfg, _ := testConfig()
			s := crawlOne(t, cfg, cs.URL+tt.column)
			var got []string
			for _, g := range s.ListGaps {
				got = append(got, g.Reason+": "+g.Detail)
			}
			var want []string
			if tt.wantGap != "" {
				want = []string{GapShort + ": " + tt.wantGap}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("list gaps = %q, want %q", got, want)
			}
			if (s.ListUnread != "") != (tt.wantGap != "") {
				t.Errorf("list unread = %q, want it set: %v", s.ListUnread, tt.wantGap != "")
			}
		})
	}
}
