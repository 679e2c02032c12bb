package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/jobs"
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
	// a PDF report, and the page its table 三 starts on
	pdfDoc  int64
	pdfPage int
}

// scanSim scans a simulated internet of n sites into the store as
// ogicheck scan does (River jobs, one per site, archive included), then
// gives the first annual report a title with markup, as a hostile site
// could print it.
func scanSim(t *testing.T, st *store.Store, n int) *scanned {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	net, err := simnet.Start(simnet.Config{Seed: 1, Sites: n, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(net.Close)
	var sites []store.Site
	for i, s := range net.Sites {
		sites = append(sites, store.Site{URL: s.Home, Name: s.Agency, Level: result.Level(s.Level), Region: regionOf(i)})
	}
	list, err := st.SaveList(ctx, "sites.csv", sites)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := json.Marshal(jobs.Settings{Now: testNow, Timeout: 5 * time.Second, Retries: 1, BackoffBase: 5 * time.Millisecond,
		MaxBytes: 2 << 20, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	rn, err := jobs.New(ctx, jobs.Config{Store: st, Worker: "web-test", Parallel: n, Leader: true, Poll: 100 * time.Millisecond, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer rn.Close()
	sc, _, err := rn.StartScan(ctx, list.ID, store.TriggerCommand, settings)
	if err != nil {
		t.Fatal(err)
	}
	if err := rn.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer rn.Stop(context.Background())
	for sc.Finished.IsZero() {
		select {
		case <-ctx.Done():
			t.Fatalf("scan %d did not finish: %v", sc.ID, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
		if sc, err = st.Scan(ctx, sc.ID); err != nil {
			t.Fatal(err)
		}
	}
	out := &scanned{st: st, scan: sc, sites: list.Sites}
	for _, s := range list.Sites {
		a, err := st.Agency(ctx, sc.ID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range a.Documents {
			doc, err := st.Document(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if out.hostileDoc == 0 && d.Kind == result.KindAnnualReport {
				out.hostileDoc = d.ID
				doc.Result.Title = hostileTitle
				js, _ := json.Marshal(doc.Result)
				if _, err := st.DB().ExecContext(ctx, `UPDATE documents SET title = $1, result = $2 WHERE id = $3`, hostileTitle, string(js), d.ID); err != nil {
					t.Fatal(err)
				}
			}
			for _, tb := range doc.Result.Tables {
				if out.pdfDoc == 0 && doc.Result.Format == "pdf" && tb.ID == "三" && tb.Page > 0 {
					out.pdfDoc, out.pdfPage = d.ID, tb.Page
				}
			}
			for _, f := range doc.Result.Findings {
				if out.t3Doc == 0 && (f.Rule == "T3-COL" || f.Rule == "T3-SUM") && len(f.Evidence.Cells) > 0 {
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
