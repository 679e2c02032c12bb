package crawler

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/internal/simnet"
)

var (
	listNetOnce sync.Once
	listNet     *simnet.Internet
	listNetErr  error
)

// listInternet is a simulated internet with one generated site and the
// list sites, shared by the tests below (it is read only).
func listInternet(t *testing.T) *simnet.Internet {
	t.Helper()
	listNetOnce.Do(func() { listNet, listNetErr = simnet.Start(simnet.Config{Seed: 5, Sites: 1}) })
	if listNetErr != nil {
		t.Fatal(listNetErr)
	}
	return listNet
}

func fastConfig() Config {
	return Config{Delay: time.Millisecond, Timeout: 5 * time.Second, BackoffBase: time.Millisecond}
}

// sameEntries compares a crawl's entries with the site's: the same links,
// titles and list dates, in any order.
func sameEntries(t *testing.T, s *simnet.Site, got []Entry) {
	t.Helper()
	var g, w []string
	for _, e := range got {
		g = append(g, e.URL+" "+e.Title+" "+e.ListDate)
	}
	for _, e := range s.Entries {
		w = append(w, e.URL+" "+e.Title+" "+e.ListDate)
	}
	sort.Strings(g)
	sort.Strings(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s (%s): %d entries, want %d\ngot  %q\nwant %q", s.Home, s.Pagination, len(g), len(w), g, w)
	}
}

// TestScriptListSites crawls each list site without a browser: every
// mechanism but the browser-only one is read whole by its reader.
func TestScriptListSites(t *testing.T) {
	t.Parallel()
	n := listInternet(t)
	for _, s := range n.Sites {
		if !slices.Contains(simnet.ListMechanisms, s.Pagination) || s.Pagination == simnet.PageBrowser {
			continue
		}
		t.Run(s.Pagination, func(t *testing.T) {
			cfg := fastConfig()
			cfg.Render = RenderNever
			site := crawlOne(t, cfg, s.Home)
			if site.Column != s.Column {
				t.Fatalf("column %q, want %q", site.Column, s.Column)
			}
			sameEntries(t, s, site.Entries)
			if len(site.ListGaps) != 0 || len(site.Errors) != 0 {
				t.Errorf("gaps %+v, errors %+v", site.ListGaps, site.Errors)
			}
			// every data request the column's script makes was made, once
			reqs := n.Requests(s.Home)
			for _, d := range s.ListData {
				uri := strings.TrimPrefix(d, strings.TrimSuffix(s.Home, "/"))
				if c := countRequests(reqs, uri); c != 1 {
					t.Errorf("%s requested %d times, want once", uri, c)
				}
			}
		})
	}
}

// countRequests counts the requests for uri, whatever the order of their
// query parameters.
func countRequests(reqs []string, uri string) int {
	want := mustParse("http://x" + uri)
	c := 0
	for _, r := range reqs {
		got := mustParse("http://x" + r)
		q := got.Query()
		q.Del("callback")
		if got.Path == want.Path && q.Encode() == want.Query().Encode() {
			c++
		}
	}
	return c
}

func browserSite(t *testing.T, n *simnet.Internet) *simnet.Site {
	t.Helper()
	for _, s := range n.Sites {
		if s.Pagination == simnet.PageBrowser {
			return s
		}
	}
	t.Fatal("no browser-only site")
	return nil
}

// TestBrowserOnlyList: the browser-only list is read by rendering, every
// request of the page made by the crawler; without rendering it is a gap of
// the list, never an empty list.
func TestBrowserOnlyList(t *testing.T) {
	t.Parallel()
	n := listInternet(t)
	s := browserSite(t, n)
	t.Run("render never", func(t *testing.T) {
		cfg := fastConfig()
		cfg.Render = RenderNever
		site := crawlOne(t, cfg, s.Home)
		if len(site.Entries) != 0 || len(site.ListGaps) != 1 || site.ListGaps[0].Reason != GapNotRendered ||
			site.ListGaps[0].URL != s.Column || site.ListGaps[0].Mechanism != MechanismScript {
			t.Errorf("entries %d, gaps %+v; want none and one not-rendered gap on %s", len(site.Entries), site.ListGaps, s.Column)
		}
	})
	t.Run("no browser", func(t *testing.T) {
		cfg := fastConfig()
		cfg.Browser = "/nonexistent/chromium"
		var logs []string
		var mu sync.Mutex
		cfg.Logf = func(format string, args ...any) {
			mu.Lock()
			logs = append(logs, fmt.Sprintf(format, args...))
			mu.Unlock()
		}
		// two starts that both need the browser: it is missed once
		sites := Crawl(t.Context(), cfg, []string{s.Home, s.Column})
		said := 0
		for _, l := range logs {
			if strings.Contains(l, "no Chromium found") {
				said++
			}
		}
		if said != 1 {
			t.Errorf("said %d times that no Chromium is installed, want once", said)
		}
		for _, site := range sites {
			if len(site.Entries) != 0 || len(site.ListGaps) != 1 || site.ListGaps[0].Reason != GapNoBrowser {
				t.Errorf("%s: entries %d, gaps %+v", site.Start, len(site.Entries), site.ListGaps)
			}
		}
	})
	t.Run("rendered", func(t *testing.T) {
		browserPath(t)
		cfg := fastConfig()
		before := len(n.Requests(s.Home))
		site := crawlOne(t, cfg, s.Home)
		sameEntries(t, s, site.Entries)
		if len(site.ListGaps) != 0 || len(site.Errors) != 0 {
			t.Errorf("gaps %+v, errors %+v", site.ListGaps, site.Errors)
		}
		// the page and its script were each asked for once, by the
		// crawler (the rendering's requests are the crawl's: none is
		// repeated, none is outside the crawl's count)
		reqs := n.Requests(s.Home)[before:]
		script := strings.TrimPrefix(s.ListData[0], strings.TrimSuffix(s.Home, "/"))
		col := strings.TrimPrefix(s.Column, strings.TrimSuffix(s.Home, "/"))
		if countRequests(reqs, script) != 1 || countRequests(reqs, col) != 1 || slices.Contains(reqs, "/favicon.ico") {
			t.Errorf("requests during the crawl: %q", reqs)
		}
		if site.Requests != len(reqs)-countRequests(reqs, "/robots.txt") {
			t.Errorf("the crawl counted %d requests, the site received %d (robots.txt aside): %q", site.Requests, len(reqs)-1, reqs)
		}
	})
}

// TestListProxyFails: a dataproxy group that keeps failing is a gap naming
// the request; the groups around it are read.
func TestListProxyFails(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.Method+" "+r.URL.RequestURI()]++
		mu.Unlock()
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/col/col5/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, jcmsColumn(6, true))
		case r.URL.Path == "/module/web/jpage/dataproxy.jsp" && r.Method == http.MethodPost:
			if err := r.ParseForm(); err != nil || r.PostForm.Get("columnid") != "5" || r.PostForm.Get("unitid") != "77" {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			switch r.URL.Query().Get("startrecord") {
			case "3":
				http.Error(w, "busy", http.StatusServiceUnavailable)
			case "5":
				fmt.Fprint(w, jcmsAnswer(6, 5, 6))
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := fastConfig()
	cfg.Retries = 1
	cfg.Render = RenderNever
	site := crawlOne(t, cfg, srv.URL+"/col/col5/index.html")
	if len(site.Entries) != 4 {
		t.Errorf("%d entries, want the 4 of the groups read", len(site.Entries))
	}
	want := srv.URL + "/module/web/jpage/dataproxy.jsp?endrecord=4&perpage=2&startrecord=3"
	if len(site.ListGaps) != 1 || site.ListGaps[0].URL != want || site.ListGaps[0].Reason != GapRequest || site.ListGaps[0].Mechanism != MechanismJCMS {
		t.Errorf("gaps %+v, want one failed request %s", site.ListGaps, want)
	}
	if c := asked["POST /module/web/jpage/dataproxy.jsp?endrecord=4&perpage=2&startrecord=3"]; c != 2 {
		t.Errorf("the failing group was asked %d times, want 2 (one retry): %v", c, asked)
	}
}

// TestListPostNotCached: a POST is never made conditional from the cache
// (a server answers 412 to that), so a rescan reads the proxy's groups again.
func TestListPostNotCached(t *testing.T) {
	var mu sync.Mutex
	conditionalPosts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && (r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "") {
			mu.Lock()
			conditionalPosts++
			mu.Unlock()
		}
		switch {
		case r.URL.Path == "/col/col5/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("ETag", `"page"`)
			http.ServeContent(w, r, "", time.Time{}, strings.NewReader(jcmsColumn(4, true)))
		case r.URL.Path == "/module/web/jpage/dataproxy.jsp" && r.Method == http.MethodPost:
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			w.Header().Set("ETag", `"group2"`)
			http.ServeContent(w, r, "", time.Time{}, strings.NewReader(jcmsAnswer(4, 3, 4)))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ch, err := cache.Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	cfg := fastConfig()
	cfg.Cache = ch
	cfg.Render = RenderNever
	for round := range 2 {
		site := crawlOne(t, cfg, srv.URL+"/col/col5/index.html")
		if len(site.Entries) != 4 || len(site.ListGaps) != 0 {
			t.Errorf("round %d: %d entries, gaps %+v", round, len(site.Entries), site.ListGaps)
		}
	}
	if conditionalPosts != 0 {
		t.Errorf("%d conditional POSTs", conditionalPosts)
	}
}

// TestRenderAlwaysStatic: rendering every list page of a site whose list is
// in its markup (with a script-decoded pager) adds nothing and, without a
// browser, takes nothing away: what was not needed is no gap.
func TestRenderAlwaysStatic(t *testing.T) {
	t.Parallel()
	n := listInternet(t)
	var s *simnet.Site
	for _, x := range n.Sites {
		if x.Pagination == simnet.PageBase64 {
			s = x
		}
	}
	for _, browser := range []string{"/nonexistent/chromium", ""} {
		if browser == "" {
			browserPath(t)
		}
		cfg := fastConfig()
		cfg.Render = RenderAlways
		cfg.Browser = browser
		site := crawlOne(t, cfg, s.Home)
		sameEntries(t, s, site.Entries)
		if len(site.ListGaps) != 0 || len(site.ListPages) < 2 {
			t.Errorf("browser %q: gaps %+v, %d list pages", browser, site.ListGaps, len(site.ListPages))
		}
	}
}
