package scan

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/simnet"
	"github.com/ogicheck/ogicheck/result"
)

// crawlSim crawls the simulated internet of seed 0 with the faults armed;
// tune adjusts the crawl's configuration (rendering).
func crawlSim(t *testing.T, faults simnet.Faults, tune func(*crawler.Config)) (*simnet.Internet, *result.Result) {
	t.Helper()
	faults.TimeoutAfter = 20 * time.Second
	faults.SlowBodyTime = 300 * time.Millisecond
	faults.OversizedBytes = 3 << 20
	n, err := simnet.Start(simnet.Config{Seed: 0, Now: testNow, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	var homes []string
	for _, s := range n.Sites {
		homes = append(homes, s.Home)
	}
	// A request times out after 2 s where the servers hang on purpose,
	// else after 10 s: on a loaded machine a slow answer is not a fault.
	timeout := 10 * time.Second
	if faults.Timeouts {
		timeout = 2 * time.Second
	}
	ccfg := crawler.Config{Delay: time.Millisecond, Timeout: timeout, Retries: 3, BackoffBase: 5 * time.Millisecond,
		MaxBodySize: 2 << 20, Parallel: 32}
	if tune != nil {
		tune(&ccfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	opts := testOptions()
	opts.Limits = documentLimits(2 << 20)
	res := Collect(ctx, homes, ccfg, opts)
	if ctx.Err() != nil {
		t.Fatal("the crawl did not finish in time")
	}
	return n, res
}

// TestSimulatedInternet crawls the simulated internet with each fault mode
// armed and compares the findings with its ground truth: every expected
// finding found, nothing else (precision and recall 100%).
func TestSimulatedInternet(t *testing.T) {
	t.Parallel()
	modes := []struct {
		name   string
		faults simnet.Faults
	}{
		{"no faults", simnet.Faults{}},
		{"transient 5xx", simnet.Faults{Transient5xx: true}},
		{"permanent 5xx", simnet.Faults{Permanent5xx: true}},
		{"resets", simnet.Faults{Resets: true}},
		{"slow bodies", simnet.Faults{SlowBodies: true}},
		{"timeouts", simnet.Faults{Timeouts: true}},
		{"redirect loops", simnet.Faults{RedirectLoops: true}},
		{"oversized", simnet.Faults{Oversized: true}},
		{"lying charsets", simnet.Faults{LyingCharsets: true}},
		{"all", simnet.Faults{Transient5xx: true, Permanent5xx: true, Resets: true, SlowBodies: true, Timeouts: true,
			RedirectLoops: true, Oversized: true, LyingCharsets: true}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			if testing.Short() && m.name != "all" {
				t.Skip("-short runs only the all-faults crawl")
			}
			// the crawls wait on simulated latency and timeouts far more
			// than they compute: side by side they take the time of the
			// slowest
			t.Parallel()
			// Chromium renders the browser-only site with no fault and
			// with all of them; the single faults are crawled without it,
			// so that ten browsers do not share two cores.
			var tune func(*crawler.Config)
			rendered := m.name == "no faults" || m.name == "all"
			if !rendered {
				tune = func(c *crawler.Config) { c.Render = crawler.RenderNever }
			}
			n, res := crawlSim(t, m.faults, tune)
			if len(n.Sites) < 20 {
				t.Fatalf("only %d sites", len(n.Sites))
			}
			// with a browser the browser-only site is read; without
			// one its list is unreadable and nothing there is judged
			sc := n.Score(res)
			if !rendered || !haveBrowser(t) {
				sc = n.ScoreUnrendered(res)
			}
			if len(sc.Missing) > 0 || len(sc.Unexpected) > 0 {
				t.Errorf("%d expected findings, %d found; precision %.3f, recall %.3f\nmissing (%d):\n  %s\nunexpected (%d):\n  %s",
					sc.Expected, sc.Found, sc.Precision(), sc.Recall(),
					len(sc.Missing), strings.Join(sc.Missing, "\n  "), len(sc.Unexpected), strings.Join(sc.Unexpected, "\n  "))
			}
			if sc.Expected < 30 {
				t.Errorf("only %d expectations: the simulated internet plants too little to test", sc.Expected)
			}
		})
	}
}

// TestSimulatedInternetUnrendered crawls without rendering, and as without
// a browser installed: the browser-only site's list is unreadable
// (SITE-LIST-UNREADABLE on its column), and no year of it is reported
// missing although one is.
func TestSimulatedInternetUnrendered(t *testing.T) {
	t.Parallel()
	for _, m := range []struct {
		name string
		tune func(*crawler.Config)
	}{
		{"render never", func(c *crawler.Config) { c.Render = crawler.RenderNever }},
		{"no browser installed", func(c *crawler.Config) { c.Browser = "/nonexistent/chromium" }},
	} {
		t.Run(m.name, func(t *testing.T) {
			if testing.Short() && m.name != "render never" {
				t.Skip("-short runs only the render never crawl")
			}
			t.Parallel()
			n, res := crawlSim(t, simnet.Faults{}, m.tune)
			sc := n.ScoreUnrendered(res)
			if len(sc.Missing) > 0 || len(sc.Unexpected) > 0 {
				t.Errorf("%d expected findings, %d found; precision %.3f, recall %.3f\nmissing (%d):\n  %s\nunexpected (%d):\n  %s",
					sc.Expected, sc.Found, sc.Precision(), sc.Recall(),
					len(sc.Missing), strings.Join(sc.Missing, "\n  "), len(sc.Unexpected), strings.Join(sc.Unexpected, "\n  "))
			}
			browser := n.Sites[len(n.Sites)-1]
			missing := 0
			for _, e := range n.Truth {
				if e.Site == browser.Home && e.Rule == "SITE-MISSING-REPORT" {
					missing++
				}
			}
			if browser.Pagination != simnet.PageBrowser || missing == 0 {
				t.Errorf("the browser-only site %s (%s) has %d missing years planted; the test needs one", browser.Home, browser.Pagination, missing)
			}
		})
	}
}

// haveBrowser says whether Chromium is installed for rendering; without it
// the test logs that rendering was not tested, and fails where CI requires
// a browser.
func haveBrowser(t *testing.T) bool {
	t.Helper()
	if crawler.FindBrowser("") != "" {
		return true
	}
	if os.Getenv("OGICHECK_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium installed and OGICHECK_REQUIRE_BROWSER is set")
	}
	t.Log("no Chromium installed: the browser-only site is scored as unreadable (rendering not tested)")
	return false
}

// TestUnreachableSite: a site that cannot be reached is reported as such,
// not as a site without a 年报 column, and the run still ends.
func TestUnreachableSite(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	res := Collect(context.Background(), []string{"http://" + addr}, crawler.Config{Timeout: time.Second, Retries: 1, BackoffBase: time.Millisecond},
		testOptions())
	if len(res.Sites) != 1 {
		t.Fatalf("%d sites", len(res.Sites))
	}
	var rules []string
	for _, f := range res.Sites[0].Findings {
		rules = append(rules, f.Rule)
	}
	if strings.Join(rules, ",") != "SITE-FETCH" {
		t.Errorf("findings %v, want only SITE-FETCH; errors %v", rules, res.Sites[0].Errors)
	}
}

// TestRescanUsesCache crawls twice with a cache: the second crawl sends
// conditional requests, gets 304s, and finds the same.
func TestRescanUsesCache(t *testing.T) {
	t.Parallel()
	n, err := simnet.Start(simnet.Config{Seed: 3, Sites: 3, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ch, err := cache.Open(t.TempDir(), 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	var homes []string
	for _, s := range n.Sites {
		homes = append(homes, s.Home)
	}
	cfg := crawler.Config{Delay: time.Millisecond, Timeout: 10 * time.Second, BackoffBase: time.Millisecond, Cache: ch}
	first := Collect(context.Background(), homes, cfg, testOptions())
	second := Collect(context.Background(), homes, cfg, testOptions())
	notModified := 0
	for _, s := range second.Sites {
		notModified += s.NotModified
	}
	if notModified == 0 {
		t.Errorf("the rescan got no 304: no conditional requests were sent")
	}
	a, b := n.Score(first), n.Score(second)
	if a.Found != b.Found || len(a.Unexpected) != len(b.Unexpected) || len(first.Documents) != len(second.Documents) {
		t.Errorf("rescan differs: %d/%d found, %d/%d unexpected, %d/%d documents", a.Found, b.Found, len(a.Unexpected), len(b.Unexpected),
			len(first.Documents), len(second.Documents))
	}
	// Within FreshFor the entries' pages and files are not asked for
	// again, and the findings are the same.
	cfg.FreshFor = 24 * time.Hour
	third := Collect(context.Background(), homes, cfg, testOptions())
	requests := func(r *result.Result) (n int) {
		for _, s := range r.Sites {
			n += s.Requests
		}
		return n
	}
	if r2, r3 := requests(second), requests(third); r3 == 0 || r3*2 > r2 {
		t.Errorf("rescan within FreshFor sent %d requests, the full rescan %d: want under half", r3, r2)
	}
	if c := n.Score(third); c.Found != a.Found || len(c.Unexpected) != len(a.Unexpected) || len(third.Documents) != len(first.Documents) {
		t.Errorf("rescan within FreshFor differs: %d/%d found, %d/%d unexpected, %d/%d documents", c.Found, a.Found, len(c.Unexpected),
			len(a.Unexpected), len(third.Documents), len(first.Documents))
	}
}

func documentLimits(maxBytes int64) document.Limits {
	return document.Limits{MaxBytes: maxBytes}.WithDefaults()
}
