package crawler

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
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
