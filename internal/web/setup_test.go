package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/internal/simnet"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/internal/store/storetest"
	"github.com/ogicheck/ogicheck/result"
)

var testNow = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// hostileTitle is page text a crawled site could carry: markup and an
// event handler that must stay text.
const hostileTitle = `<script>document.title="PWNED"</script><img src=x onerror="document.body.setAttribute('data-pwned','1')">年度报告`

// eachDB runs f on a SQLite store, and on PostgreSQL when the environment
// names one (storetest logs the skip otherwise).
func eachDB(t *testing.T, f func(t *testing.T, st *store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := store.Open(context.Background(), t.TempDir()+"/ogicheck.db")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f(t, st)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.Postgres(t)
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f(t, st)
	})
}

// regionOf gives the simulated sites two regions.
func regionOf(i int) string {
	if i%2 == 0 {
		return "滨江市"
	}
	return "临川市"
}

// scanned is a store holding one scan of a simulated internet.
type scanned struct {
	st    *store.Store
	scan  *store.Scan
	sites []store.Site
	// a report whose table 三 breaks an identity, and the finding
	t3Doc  int64
	t3Rule string
	// the stored report whose title carries markup
	hostileDoc int64
}

// scanSim crawls a simulated internet of n sites and stores the result as
// one scan, site by site, as ogicheck scan does; the first annual report
// gets a title with markup, as a hostile site could print.
func scanSim(t *testing.T, st *store.Store, n int) *scanned {
	t.Helper()
	ctx := context.Background()
	net, err := simnet.Start(simnet.Config{Seed: 1, Sites: n, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(net.Close)
	var sites []store.Site
	var homes []string
	for i, s := range net.Sites {
		sites = append(sites, store.Site{URL: s.Home, Name: s.Agency, Level: result.Level(s.Level), Region: regionOf(i)})
		homes = append(homes, s.Home)
	}
	list, err := st.SaveList(ctx, "sites.csv", sites)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := st.CreateScan(ctx, list.ID, store.TriggerCommand, "ogicheck test", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, s := range list.Sites {
		ids[s.URL] = s.ID
	}
	ccfg := crawler.Config{Delay: -1, Timeout: 5 * time.Second, Retries: 1, BackoffBase: 5 * time.Millisecond, MaxBodySize: 2 << 20, Parallel: 8}
	var opts scan.Options
	opts.Now = testNow
	var mu sync.Mutex
	var saveErr error
	hostile := false
	scan.Sites(ctx, homes, ccfg, opts, func(r *result.Result) {
		mu.Lock()
		defer mu.Unlock()
		id := ids[r.Sites[0].URL]
		if !hostile {
			for _, d := range r.Documents {
				if d.Kind == result.KindAnnualReport {
					d.Title = hostileTitle
					hostile = true
					break
				}
			}
		}
		if _, err := st.Claim(ctx, sc.ID, id, "test", time.Hour); err != nil && saveErr == nil {
			saveErr = err
		}
		if _, err := st.SaveSite(ctx, sc.ID, id, "test", r, nil); err != nil && saveErr == nil {
			saveErr = fmt.Errorf("save %s: %w", r.Sites[0].URL, err)
		}
	})
	if saveErr != nil {
		t.Fatal(saveErr)
	}
	if sc, err = st.Scan(ctx, sc.ID); err != nil {
		t.Fatal(err)
	}
	out := &scanned{st: st, scan: sc, sites: list.Sites}
	// find the reports named in the tests
	for _, s := range list.Sites {
		a, err := st.Agency(ctx, sc.ID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range a.Documents {
			if d.Title == hostileTitle {
				out.hostileDoc = d.ID
			}
			if out.t3Doc != 0 {
				continue
			}
			doc, err := st.Document(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range doc.Result.Findings {
				if (f.Rule == "T3-COL" || f.Rule == "T3-SUM") && len(f.Evidence.Cells) > 0 {
					out.t3Doc, out.t3Rule = d.ID, f.Rule
				}
			}
		}
	}
	if out.hostileDoc == 0 {
		t.Fatal("the simulated internet has no annual report")
	}
	return out
}

// addUser adds an account with the password "correct horse".
func addUser(t *testing.T, st *store.Store, name, role string) {
	t.Helper()
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddUser(context.Background(), store.User{Name: name, Role: role, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
}

// serve starts the app on a test server.
func serve(t *testing.T, st *store.Store, opts Options) *httptest.Server {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	app, err := New(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// client is a browser without script: cookies, forms, redirects.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar}}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = fmt.Fprint(&b, readAll(resp))
	return resp.StatusCode, b.String()
}

func readAll(resp *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, readAll(resp)
}

// csrf is the token of the last form seen.
func csrf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%.500s", page)
	}
	return m[1]
}

// login logs in and returns the overview page.
func (c *client) login(name string) string {
	c.t.Helper()
	_, page := c.get("/login")
	code, body := c.post("/login", url.Values{"csrf": {csrf(c.t, page)}, "name": {name}, "password": {"correct horse"}})
	if code != http.StatusOK || !strings.Contains(body, `id="who"`) {
		c.t.Fatalf("login as %s: HTTP %d\n%.800s", name, code, body)
	}
	return body
}
