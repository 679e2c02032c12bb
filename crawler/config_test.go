package crawler

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/result"
)

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if c.Delay != DefaultDelay || c.Retries != DefaultRetries || c.MaxPages != DefaultMaxPages || c.Timeout != DefaultTimeout ||
		c.MaxBodySize != DefaultMaxBodySize || c.Parallel != DefaultParallel || c.UserAgent == "" ||
		c.SiteTimeout != DefaultSiteTimeout || c.MaxCrawlDelay != DefaultMaxCrawlDelay || c.MemoryBudget != DefaultMemoryBudget {
		t.Errorf("DefaultConfig() = %+v, want every default", c)
	}
	z := Config{}.withDefaults()
	if z.Delay != 0 || z.Retries != 0 {
		t.Errorf("zero Config: delay %v retries %d, want 0 and 0 (zero means none)", z.Delay, z.Retries)
	}
}

// countingServer answers every path with status and counts requests.
type countingServer struct {
	*httptest.Server
	mu     sync.Mutex
	counts map[string]int
}

func newCountingServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) *countingServer {
	cs := &countingServer{counts: map[string]int{}}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.counts[r.URL.Path]++
		cs.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(cs.Close)
	return cs
}

func (cs *countingServer) count(path string) int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.counts[path]
}

// Retries 0 means one request per failing URL, not the default.
func TestRetriesZeroSendsOneRequest(t *testing.T) {
	list := html5("政府信息公开年报", `<ul>`+li("/nb/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10")+
		li("/nb/t2.pdf", "2022年政府信息公开工作年度报告", "2023-01-10")+`</ul>`)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/nb/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(list))
			return
		}
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	cfg, fc := testConfig()
	cfg.Retries = 0
	s := crawlOne(t, cfg, cs.URL+"/nb/")
	for _, p := range []string{"/nb/t1.html", "/nb/t2.pdf", "/robots.txt"} {
		if n := cs.count(p); n != 1 {
			t.Errorf("%s: %d requests with Retries 0, want exactly 1", p, n)
		}
	}
	if len(s.Errors) != 2 {
		t.Errorf("errors = %+v, want the two 503s", s.Errors)
	}
	for _, e := range s.Errors {
		if e.Class != result.FetchHTTP5xx || e.Attempts != 1 {
			t.Errorf("error %+v, want http-5xx after 1 attempt", e)
		}
	}
	if w := fc.recorded(); len(w) != 0 {
		t.Errorf("waits %v with Delay 0 and no retries, want none", w)
	}
}

// A canceled crawl stops soon, even mid-download or in a politeness wait,
// and leaves no fetch error behind: the site is marked interrupted.
func TestCancelIsNotAFailure(t *testing.T) {
	list := html5("政府信息公开年报", `<ul>`+li("/nb/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10")+
		li("/nb/t2.pdf", "2022年政府信息公开工作年度报告", "2023-01-10")+`</ul>`)
	started := make(chan string, 4)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/nb/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(list))
		case "/nb/t1.html": // drips forever
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<html><body>"))
			w.(http.Flusher).Flush()
			started <- r.URL.Path
			for {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
					if _, err := w.Write([]byte("<p>一</p>")); err != nil {
						return
					}
					w.(http.Flusher).Flush()
				}
			}
		default:
			http.NotFound(w, r)
		}
	})
	tests := []struct {
		name  string
		delay time.Duration
		wait  func(cancel context.CancelFunc)
	}{
		{"mid-download", 0, func(cancel context.CancelFunc) { <-started; cancel() }},
		{"politeness wait", time.Hour, func(cancel context.CancelFunc) { time.Sleep(50 * time.Millisecond); cancel() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := testConfig()
			cfg.clock = realClock{}
			cfg.Delay = tt.delay
			cfg.Timeout = time.Hour
			ctx, cancel := context.WithCancel(context.Background())
			go tt.wait(cancel)
			s := runWithin(t, 20*time.Second, ctx, cfg, cs.URL+"/nb/")
			if s.Incomplete != "interrupted" {
				t.Errorf("incomplete = %q, want interrupted", s.Incomplete)
			}
			if len(s.Errors) != 0 {
				t.Errorf("errors = %+v, want none: canceled requests are not failures", s.Errors)
			}
			for _, e := range s.Entries {
				if e.Page != nil && e.Page.Err != nil {
					t.Errorf("entry %s: page error %+v", e.URL, e.Page.Err)
				}
				for _, a := range e.Attachments {
					t.Errorf("entry %s: attachment %s recorded after the cancel (err %v)", e.URL, a.URL, a.Err)
				}
			}
		})
	}
}

func TestCanceledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg, _ := testConfig()
	sites := Crawl(ctx, cfg, []string{"http://127.0.0.1:9/", "http://127.0.0.1:9/x/"})
	for _, s := range sites {
		if s.Incomplete != "interrupted" || len(s.Errors) != 0 {
			t.Errorf("%s: incomplete %q errors %+v, want interrupted and none", s.Start, s.Incomplete, s.Errors)
		}
	}
}

// memCache is a Cache kept in memory, as a store other than the directory
// may provide.
type memCache struct {
	mu sync.Mutex
	m  map[string]cache.Entry
}

func (c *memCache) Get(key string) (*cache.Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, cache.ErrNotFound
	}
	return &e, nil
}

func (c *memCache) Put(key string, e *cache.Entry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = *e
	return nil
}

func TestCacheInterface(t *testing.T) {
	ts := newTestServer(t, "")
	mc := &memCache{m: map[string]cache.Entry{}}
	cfg, _ := testConfig()
	cfg.Cache = mc
	crawlOne(t, cfg, ts.URL+"/h/nb/")
	second := crawlOne(t, cfg, ts.URL+"/h/nb/")
	// the list, the page, the PDF and robots.txt are kept
	if second.NotModified != 3 || len(mc.m) != 4 {
		t.Errorf("with a cache in memory: %d answered 304 of %d stored, want 3 of 4", second.NotModified, len(mc.m))
	}
	if p := second.Entries[0].Page; p == nil || !p.NotModified || !bytes.Contains(p.Body, []byte("政府信息公开工作年度报告")) {
		t.Errorf("page from the cache = %+v", p)
	}
}
