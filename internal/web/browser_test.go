package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ogicheck/ogicheck/internal/jobs"
	"github.com/ogicheck/ogicheck/internal/store"
)

// requireBrowserEnv makes the browser tests fail instead of skipping when
// no Chromium is installed (CI installs one and sets it).
const requireBrowserEnv = "OGICHECK_REQUIRE_BROWSER"

// chromium returns the Chromium to test with, or skips the test saying
// why; with OGICHECK_REQUIRE_BROWSER set it fails instead.
func chromium(t *testing.T) string {
	t.Helper()
	names := []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv(requireBrowserEnv) != "" {
		t.Fatalf("no Chromium on PATH (%s) and %s is set", strings.Join(names, ", "), requireBrowserEnv)
	}
	t.Skipf("SKIPPED: no Chromium on PATH (%s): the app is not tested in a browser here; set %s to make this a failure", strings.Join(names, ", "), requireBrowserEnv)
	return ""
}

// tab is one browser tab of a test, with what the page's scripts did.
type tab struct {
	t   *testing.T
	ctx context.Context
	url string

	mu         sync.Mutex
	exceptions []string
	console    []string
}

func newBrowser(t *testing.T, base string) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, tcancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { tcancel(); cancel(); acancel() })
	tb := &tab{t: t, ctx: ctx, url: base}
	err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			tb.exceptions = append(tb.exceptions, e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			tb.console = append(tb.console, string(e.Type))
		}
	})
	if err != nil {
		t.Fatalf("start %s: %v", chromium(t), err)
	}
	return tb
}

func (tb *tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// shot saves a screenshot of the whole page in the test's artefact
// directory.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	p := filepath.Join(tb.t.ArtifactDir(), name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot: %s", p)
}

func (tb *tab) login(name string) {
	tb.t.Helper()
	tb.run("log in as "+name,
		chromedp.Navigate(tb.url+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "correct horse"),
		chromedp.Click(chromedp.CSS(`#login`)),
		chromedp.WaitVisible(chromedp.CSS(`#who`)))
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// eval evaluates a script expression in the page (through DevTools, so
// the page's CSP does not apply to it) and decodes its value.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// TestBrowser drives the app in Chromium over a scanned simulated
// internet: log in, the overview's numbers against the store, a broken
// table 三 with its cell highlighted, a dismissal moving a finding, a
// viewer refused, markup from a crawled title running nothing.
func TestBrowser(t *testing.T) {
	t.Parallel()
	chromium(t)
	st, err := store.Open(context.Background(), t.TempDir()+"/ogicheck.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sim := scanSim(t, st, 6)
	if sim.t3Doc == 0 {
		t.Fatal("the simulated internet has no report with a broken table 三")
	}
	addUser(t, st, "李审核", store.RoleReviewer)
	addUser(t, st, "王查看", store.RoleViewer)
	addUser(t, st, "admin", store.RoleAdmin)
	ui, closeUI, err := jobs.UI(context.Background(), st, "/jobs", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeUI()
	srv := serve(t, st, Options{Lang: "zh", LangFixed: true, Jobs: ui})

	t.Run("River's UI for admins", func(t *testing.T) {
		tb := newBrowser(t, srv.URL)
		tb.login("admin")
		tb.run("open River's UI", chromedp.Navigate(srv.URL+"/jobs/"))
		// the single-page app renders under its policy: text appears
		if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`document.body.innerText.length > 20`,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Errorf("River's UI rendered nothing: %v", err)
		}
		// a change sent by the UI's page carries its origin and reaches
		// River's API (which knows no such job), not the app's 403
		status, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`fetch('/jobs/api/jobs/cancel', {method: 'POST',
			headers: {'Content-Type': 'application/json'}, body: '{"ids":["12345"]}'}).then(r => r.status)`, chromedp.EvalAwaitPromise))
		if err != nil || status != http.StatusNotFound {
			t.Errorf("a POST from River's UI: HTTP %d, %v; want 404 from River's API", status, err)
		}
		tb.shot("river-ui")
	})

	t.Run("login and overview", func(t *testing.T) {
		tb := newBrowser(t, srv.URL)
		tb.login("李审核")
		sites, errs, warns := storeTotals(t, st, sim.scan.ID)
		for id, want := range map[string]int{"#total-sites": sites, "#total-errors": errs, "#total-warnings": warns} {
			if got := tb.text(id); got != strconv.Itoa(want) {
				t.Errorf("%s shows %q, the store has %d", id, got, want)
			}
		}
		rows := eval[int](tb, `document.querySelectorAll('#scorecards tbody tr').length`)
		if rows != sites {
			t.Errorf("%d scorecards, want %d", rows, sites)
		}
		// the style sheet is applied under the CSP: the error count is red
		color := eval[string](tb, `getComputedStyle(document.querySelector('#total-errors')).color`)
		if color != "rgb(179, 38, 30)" {
			t.Errorf("error count colour %q: the style sheet did not load", color)
		}
		tb.shot("overview")
	})

	t.Run("broken table 三 highlighted", func(t *testing.T) {
		tb := newBrowser(t, srv.URL)
		tb.login("李审核")
		tb.run("open the report", chromedp.Navigate(fmt.Sprintf("%s/report/%d", srv.URL, sim.t3Doc)), chromedp.WaitVisible(chromedp.CSS(`#table-三`)))
		marked := eval[int](tb, `document.querySelectorAll('#table-三 td.mark').length`)
		focus := eval[int](tb, `document.querySelectorAll('#table-三 td.focus').length`)
		if marked < 2 || focus < 1 {
			t.Errorf("table 三: %d marked cells, %d in focus; want the identity's cells marked and one in focus", marked, focus)
		}
		bg := eval[string](tb, `getComputedStyle(document.querySelector('#table-三 td.mark')).backgroundColor`)
		if bg != "rgb(253, 230, 138)" {
			t.Errorf("a marked cell's background is %q, not highlighted", bg)
		}
		// the finding beside the table names the marked cell's number
		n := eval[string](tb, `document.querySelector('#table-三 td.focus').dataset.findings.split(',')[0]`)
		if got := tb.text("#f" + n + " code"); got != "T3-COL" && got != "T3-SUM" {
			t.Errorf("finding %s beside the table is %q, want the table 三 identity", n, got)
		}
		tb.shot("report-table-3")
	})

	t.Run("dismiss moves the finding", func(t *testing.T) {
		tb := newBrowser(t, srv.URL)
		tb.login("李审核")
		tb.run("open the findings", chromedp.Navigate(srv.URL+"/findings"), chromedp.WaitVisible(chromedp.CSS(`#list-open`)))
		fp := eval[string](tb, `document.querySelector('#list-open tbody tr').dataset.fingerprint`)
		row := `#list-open tr[data-fingerprint="` + fp + `"]`
		tb.run("dismiss",
			chromedp.SendKeys(chromedp.CSS(row+` input[name=reason]`), "网站已更正"),
			chromedp.Click(chromedp.CSS(row+` button[value=dismissed]`)),
			chromedp.WaitVisible(chromedp.CSS(`#list-dismissed tr[data-fingerprint="`+fp+`"]`)))
		stillOpen := eval[int](tb, `document.querySelectorAll('#list-open tr[data-fingerprint="`+fp+`"]').length`)
		if stillOpen != 0 {
			t.Error("the dismissed finding is still in the open list")
		}
		if got := tb.text(`#list-dismissed tr[data-fingerprint="` + fp + `"]`); !strings.Contains(got, "李审核") || !strings.Contains(got, "网站已更正") {
			t.Errorf("the dismissed row does not say who and why: %q", got)
		}
		tb.shot("findings-after-dismissal")
	})

	t.Run("viewer refused", func(t *testing.T) {
		tb := newBrowser(t, srv.URL)
		tb.login("王查看")
		tb.run("open the findings", chromedp.Navigate(srv.URL+"/findings"), chromedp.WaitVisible(chromedp.CSS(`#list-open`)))
		forms := eval[int](tb, `document.querySelectorAll('form[action="/review"]').length`)
		if forms != 0 {
			t.Errorf("a viewer sees %d review forms", forms)
		}
		// a form posted anyway (built by hand, with the session's token)
		fp := eval[string](tb, `document.querySelector('#list-open tbody tr').dataset.fingerprint`)
		tb.run("post a decision as a viewer", chromedp.Evaluate[chromedp.Void](`(() => {
			const f = document.createElement('form'); f.method = 'post'; f.action = '/review';
			const add = (n, v) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i); };
			add('csrf', document.querySelector('input[name=csrf]').value); add('fingerprint', '`+fp+`'); add('decision', 'confirmed');
			document.body.appendChild(f); f.submit(); return true; })()`),
			chromedp.WaitVisible(chromedp.CSS(`#status`)))
		if got := tb.text("#status"); got != "403" {
			t.Errorf("a viewer's decision: status %q, want 403", got)
		}
		if rs, _ := st.Reviews(context.Background(), fp); len(rs) != 0 {
			t.Errorf("the viewer's decision was kept: %+v", rs)
		}
		tb.shot("viewer-refused")
	})

	t.Run("crawled markup runs nothing", func(t *testing.T) {
		tb := newBrowser(t, srv.URL)
		tb.login("李审核")
		for _, p := range []string{fmt.Sprintf("/report/%d", sim.hostileDoc), "/findings", "/"} {
			tb.run("open "+p, chromedp.Navigate(srv.URL+p), chromedp.WaitReady(chromedp.CSS(`body`)))
			title := eval[string](tb, `document.title`)
			pwned := eval[string](tb, `String(document.body.getAttribute('data-pwned'))`)
			imgs := eval[int](tb, `document.querySelectorAll('img, script').length`)
			if title == "PWNED" || pwned != "null" || imgs != 0 {
				t.Errorf("%s: title %q, data-pwned %q, %d img/script elements: page text became markup", p, title, pwned, imgs)
			}
		}
		tb.run("open the report", chromedp.Navigate(fmt.Sprintf("%s/report/%d", srv.URL, sim.hostileDoc)), chromedp.WaitVisible(chromedp.CSS(`#report-title`)))
		if got := tb.text("#report-title"); !strings.Contains(got, "<script>") || !strings.Contains(got, "onerror") {
			t.Errorf("the title is not shown as text: %q", got)
		}
		tb.mu.Lock()
		if len(tb.exceptions) > 0 || len(tb.console) > 0 {
			t.Errorf("scripts ran: exceptions %q, console calls %q", tb.exceptions, tb.console)
		}
		tb.mu.Unlock()
		tb.shot("hostile-title")
	})
}
