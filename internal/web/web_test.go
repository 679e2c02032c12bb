package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/jobs"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/result"
)

var numberRe = func(id string) *regexp.Regexp { return regexp.MustCompile(`id="` + id + `">([0-9]+)<`) }

func number(t *testing.T, page, id string) int {
	t.Helper()
	m := numberRe(id).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no number #%s on the page", id)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// storeTotals sums the scan's findings in two ways: the scorecard columns
// of scan_sites, and the findings rows themselves.
func storeTotals(t *testing.T, st *store.Store, scan int64) (sites, errs, warns int) {
	t.Helper()
	ctx := context.Background()
	if err := st.DB().QueryRowContext(ctx, `SELECT count(*), coalesce(sum(errors), 0), coalesce(sum(warnings), 0) FROM scan_sites WHERE scan_id = $1`, scan).
		Scan(&sites, &errs, &warns); err != nil {
		t.Fatal(err)
	}
	var e2, w2 int
	if err := st.DB().QueryRowContext(ctx, `SELECT coalesce(sum(CASE WHEN severity = 'error' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN severity = 'warning' THEN 1 ELSE 0 END), 0) FROM findings WHERE scan_id = $1`, scan).Scan(&e2, &w2); err != nil {
		t.Fatal(err)
	}
	if e2 != errs || w2 != warns {
		t.Fatalf("the store disagrees with itself: scan_sites %d errors %d warnings, findings %d and %d", errs, warns, e2, w2)
	}
	return sites, errs, warns
}

func TestPages(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, st *store.Store) {
		sim := scanSim(t, st, 6)
		if sim.t3Doc == 0 {
			t.Fatal("the simulated internet has no report with a broken table 三")
		}
		addUser(t, st, "李审核", store.RoleReviewer)
		addUser(t, st, "王查看", store.RoleViewer)
		srv := serve(t, st, Options{})

		// not logged in: to the login page
		anon := newClient(t, srv.URL)
		if code, page := anon.get("/"); code != http.StatusOK || !strings.Contains(page, `action="/login"`) {
			t.Fatalf("anonymous overview: HTTP %d, not the login form", code)
		}
		if code, _ := anon.post("/review", url.Values{"decision": {"dismissed"}}); code != http.StatusForbidden {
			t.Errorf("anonymous review: HTTP %d, want 403", code)
		}

		rev := newClient(t, srv.URL)
		page := rev.login("李审核")
		sites, errs, warns := storeTotals(t, st, sim.scan.ID)
		if got := number(t, page, "total-sites"); got != sites {
			t.Errorf("overview shows %d sites, the store has %d", got, sites)
		}
		if got := number(t, page, "total-errors"); got != errs {
			t.Errorf("overview shows %d errors, the store has %d", got, errs)
		}
		if got := number(t, page, "total-warnings"); got != warns {
			t.Errorf("overview shows %d warnings, the store has %d", got, warns)
		}
		if strings.Count(page, `<tr data-site=`) != sites {
			t.Errorf("overview lists %d agencies, want %d", strings.Count(page, `<tr data-site=`), sites)
		}
		// filtered by region: only that region's sites
		_, page = rev.get("/?region=" + url.QueryEscape("滨江市"))
		if got, want := number(t, page, "total-sites"), (sites+1)/2; got != want {
			t.Errorf("region filter: %d sites, want %d", got, want)
		}

		// the report with a broken table 三: cells marked, arithmetic beside
		code, page := rev.get("/report/" + strconv.FormatInt(sim.t3Doc, 10))
		if code != http.StatusOK || !strings.Contains(page, `id="table-三"`) || !strings.Contains(page, `mark focus`) || !strings.Contains(page, "<code>"+sim.t3Rule+"</code>") {
			t.Errorf("report page: HTTP %d, no marked cell of table 三 with %s", code, sim.t3Rule)
		}

		// a PDF report says on which page its tables and sections are
		if sim.pdfDoc == 0 {
			t.Fatal("the simulated internet has no PDF report with table 三")
		}
		want := fmt.Sprintf(`<h3>%s <span class="muted page">PDF 页码 %d</span></h3>`, tableName("三", "zh"), sim.pdfPage)
		if code, page := rev.get("/report/" + strconv.FormatInt(sim.pdfDoc, 10)); code != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("PDF report page: HTTP %d, without %q", code, want)
		}

		// the archived copy: the text read, and the file as fetched, only
		// ever as a download
		if code, page := rev.get(fmt.Sprintf("/report/%d/text", sim.t3Doc)); code != http.StatusOK || !strings.Contains(page, "本年新收") {
			t.Errorf("archived text: HTTP %d, without the report's table text", code)
		}
		resp, err := rev.http.Get(fmt.Sprintf("%s/report/%d/file", srv.URL, sim.t3Doc))
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/octet-stream" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || len(body) == 0 {
			t.Errorf("archived file: HTTP %d, %q, %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), len(body))
		}

		// markup in a crawled title stays text
		code, page = rev.get("/report/" + strconv.FormatInt(sim.hostileDoc, 10))
		if code != http.StatusOK || strings.Contains(page, "<script>document") || strings.Contains(page, "<img src=x") ||
			!strings.Contains(page, "&lt;script&gt;document.title") {
			t.Errorf("hostile title not escaped: HTTP %d\n%.600s", code, page)
		}

		// review: dismiss the first open finding; it moves to the dismissed list
		_, page = rev.get("/findings")
		open := listOf(page, "open")
		if len(open) == 0 {
			t.Fatal("no open finding to review")
		}
		fp := open[0]
		code, page = rev.post("/review", url.Values{"csrf": {csrf(t, page)}, "fingerprint": {fp}, "decision": {"dismissed"},
			"reason": {"已在网站更正"}, "back": {"/findings"}})
		if code != http.StatusOK {
			t.Fatalf("dismiss: HTTP %d", code)
		}
		if contains(listOf(page, "open"), fp) || !contains(listOf(page, "dismissed"), fp) {
			t.Errorf("after dismissal the finding is not in the dismissed list")
		}
		_, page = rev.get("/finding/" + fp)
		if !strings.Contains(page, "李审核") || !strings.Contains(page, "已在网站更正") {
			t.Errorf("the decision's history lacks who and why")
		}
		// a dismissal needs a reason
		if code, _ := rev.post("/review", url.Values{"csrf": {csrf(t, page)}, "fingerprint": {open[1%len(open)]}, "decision": {"dismissed"}}); code != http.StatusBadRequest {
			t.Errorf("dismissal without reason: HTTP %d, want 400", code)
		}
		// without the form's token: refused
		if code, _ := rev.post("/review", url.Values{"fingerprint": {fp}, "decision": {"confirmed"}}); code != http.StatusForbidden {
			t.Errorf("review without CSRF token: HTTP %d, want 403", code)
		}

		// a viewer reads but cannot decide
		viewer := newClient(t, srv.URL)
		viewer.login("王查看")
		_, page = viewer.get("/findings")
		if strings.Contains(page, `action="/review"`) {
			t.Error("a viewer is offered the review form")
		}
		code, _ = viewer.post("/review", url.Values{"csrf": {csrf(t, page)}, "fingerprint": {fp}, "decision": {"confirmed"}})
		if code != http.StatusForbidden {
			t.Errorf("viewer's review: HTTP %d, want 403", code)
		}
		if rs, _ := st.Reviews(context.Background(), fp); len(rs) != 1 {
			t.Errorf("%d decisions kept, want the reviewer's one", len(rs))
		}
	})
}

// listOf returns the fingerprints in one list of the findings page.
func listOf(page, id string) []string {
	start := strings.Index(page, `id="list-`+id+`"`)
	if start < 0 {
		return nil
	}
	end := strings.Index(page[start:], "</table>")
	var out []string
	for _, m := range regexp.MustCompile(`data-fingerprint="([0-9a-f]+)"`).FindAllStringSubmatch(page[start:start+end], -1) {
		out = append(out, m[1])
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestExpiredDismissal: a dismissal whose expiry has passed no longer
// hides its finding, and the decision stays in the history.
func TestExpiredDismissal(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), t.TempDir()+"/ogicheck.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sim := scanSim(t, st, 2)
	addUser(t, st, "李审核", store.RoleReviewer)
	srv := serve(t, st, Options{})
	c := newClient(t, srv.URL)
	c.login("李审核")
	_, page := c.get("/findings")
	open := listOf(page, "open")
	if len(open) < 2 {
		t.Fatal("fewer than two open findings")
	}
	now := time.Now()
	ctx := context.Background()
	for i, exp := range []time.Time{now.Add(-time.Hour), now.Add(30 * 24 * time.Hour)} {
		if _, err := st.AddReview(ctx, store.Review{Fingerprint: open[i], Scan: sim.scan.ID, Decision: store.Dismissed, Reason: "暂缓",
			Reviewer: "李审核", Decided: now.Add(-48 * time.Hour), Expires: exp}); err != nil {
			t.Fatal(err)
		}
	}
	_, page = c.get("/findings")
	if !contains(listOf(page, "open"), open[0]) || !strings.Contains(page, "排除已过期") {
		t.Errorf("the expired dismissal's finding is not open again")
	}
	if !contains(listOf(page, "dismissed"), open[1]) {
		t.Errorf("the dismissal still in force does not hide its finding")
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), t.TempDir()+"/ogicheck.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addUser(t, st, "admin", store.RoleAdmin)
	srv := serve(t, st, Options{})
	resp, err := http.Get(srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") || strings.Contains(got, "unsafe") || strings.Contains(got, "script-src") {
		t.Errorf("CSP %q", got)
	}
	for _, c := range resp.Cookies() {
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("cookie %s: HttpOnly %v SameSite %v", c.Name, c.HttpOnly, c.SameSite)
		}
	}
	// the wrong password: 401 and no session
	c := newClient(t, srv.URL)
	_, page := c.get("/login")
	code, page := c.post("/login", url.Values{"csrf": {csrf(t, page)}, "name": {"admin"}, "password": {"wrong"}})
	if code != http.StatusUnauthorized || !strings.Contains(page, `id="login-error"`) {
		t.Errorf("wrong password: HTTP %d", code)
	}
	// no scan yet: the overview says so
	page = c.login("admin")
	if !strings.Contains(page, "还没有扫描结果") {
		t.Errorf("empty store: the overview does not say there is no scan")
	}
	// English from the browser, or from the server when fixed
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/login", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9,zh;q=0.5")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(resp); !strings.Contains(body, "Log in") || !strings.Contains(body, `lang="en"`) {
		t.Errorf("Accept-Language en: not English")
	}
	for _, p := range []string{"/x", "//evil.example/", "/\\evil", "https://evil.example/"} {
		if got := localPath(p); got != "/" && p != "/x" || p == "/x" && got != "/x" {
			t.Errorf("localPath(%q) = %q", p, got)
		}
	}
}

// TestRiverUI: River's own UI is mounted under /jobs/ for admins only,
// with its API answering; others get 403.
func TestRiverUI(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir()+"/ogicheck.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ui, closeUI, err := jobs.UI(ctx, st, "/jobs", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeUI()
	addUser(t, st, "admin", store.RoleAdmin)
	addUser(t, st, "李审核", store.RoleReviewer)
	srv := serve(t, st, Options{Jobs: ui})
	admin := newClient(t, srv.URL)
	admin.login("admin")
	if code, page := admin.get("/jobs"); code != http.StatusOK || !strings.Contains(page, `id="river-ui"`) {
		t.Errorf("scans page for an admin: HTTP %d, no link to River's UI", code)
	}
	if code, page := admin.get("/jobs/"); code != http.StatusOK || !strings.Contains(page, "<title>River</title>") {
		t.Errorf("River's UI: HTTP %d\n%.300s", code, page)
	}
	if code, page := admin.get("/jobs/api/jobs?state=available&limit=5"); code != http.StatusOK || !strings.Contains(page, `"data"`) {
		t.Errorf("River's API: HTTP %d %.200s", code, page)
	}
	// River's API has no CSRF token: a request that changes something
	// must come from a page of the app
	for _, tt := range []struct {
		name            string
		origin, referer string
		want            bool // passed on to River's UI
	}{
		{"same origin", srv.URL, "", true},
		{"same-origin Referer, no Origin", "", srv.URL + "/jobs/jobs", true},
		{"foreign origin", "https://evil.example", "", false},
		{"sibling port", "http://127.0.0.1:1", "", false},
		{"null origin", "null", "", false},
		{"foreign Referer, no Origin", "", "https://evil.example/jobs/", false},
		{"foreign origin, same-origin Referer", "https://evil.example", srv.URL + "/jobs/", false},
		{"neither", "", "", false},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/jobs/api/jobs/cancel", strings.NewReader(`{"ids":["12345"]}`))
		req.Header.Set("Content-Type", "application/json")
		if tt.origin != "" {
			req.Header.Set("Origin", tt.origin)
		}
		if tt.referer != "" {
			req.Header.Set("Referer", tt.referer)
		}
		resp, err := admin.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		resp.Body.Close()
		fromRiver := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
		if got := resp.StatusCode != http.StatusForbidden && fromRiver; got != tt.want {
			t.Errorf("%s: POST to River's API: HTTP %d %s %.200s; want passed on %v", tt.name, resp.StatusCode, resp.Header.Get("Content-Type"), body, tt.want)
		}
	}
	rev := newClient(t, srv.URL)
	rev.login("李审核")
	if code, _ := rev.get("/jobs/"); code != http.StatusForbidden {
		t.Errorf("River's UI for a reviewer: HTTP %d, want 403", code)
	}
	if code, page := rev.get("/jobs"); code != http.StatusOK || strings.Contains(page, `id="river-ui"`) {
		t.Errorf("scans page for a reviewer: HTTP %d, or a link to River's UI", code)
	}
}

// TestReviewUnknownScan: a review form naming a scan the store does not
// have (stale, or made up) is a bad request with a message, not a server
// error from the foreign key, and records nothing.
func TestReviewUnknownScan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir()+"/ogicheck.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// one stored site with one finding, without a crawl
	const site = "http://www.example.invalid/"
	list, err := st.SaveList(ctx, "sites.csv", []store.Site{{URL: site, Name: "滨江市东湖区人民政府", Region: "滨江市"}})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := st.CreateScan(ctx, list.ID, store.TriggerCommand, "test", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Claim(ctx, sc.ID, list.Sites[0].ID, "w", time.Minute); err != nil {
		t.Fatal(err)
	}
	res := &result.Result{Documents: []*result.Document{}, Sites: []*result.Site{{URL: site, Errors: []result.FetchError{}, Findings: []result.Finding{{
		Rule: "SITE-MISSING-REPORT", Category: result.CatMissingReport, Severity: result.SeverityError,
		Messages: result.Text{Zh: "缺少2022年度报告", En: "no report for 2022"}, Evidence: result.Evidence{Year: 2022}}}}}}
	if _, err := st.SaveSite(ctx, sc.ID, list.Sites[0].ID, "w", res, nil); err != nil {
		t.Fatal(err)
	}
	addUser(t, st, "李审核", store.RoleReviewer)
	srv := serve(t, st, Options{})
	c := newClient(t, srv.URL)
	c.login("李审核")
	_, page := c.get("/findings")
	open := listOf(page, "open")
	if len(open) != 1 {
		t.Fatalf("%d open findings, want 1", len(open))
	}
	for _, tt := range []struct {
		scan string
		want int
	}{
		{"999999", http.StatusBadRequest},
		{"x", http.StatusBadRequest},
		{"99999999999999999999", http.StatusBadRequest},
		{strconv.FormatInt(sc.ID, 10), http.StatusOK}, // redirected to the list
	} {
		code, body := c.post("/review", url.Values{"csrf": {csrf(t, page)}, "fingerprint": {open[0]}, "decision": {"confirmed"},
			"scan": {tt.scan}, "back": {"/findings"}})
		if code != tt.want {
			t.Errorf("scan %q: HTTP %d, want %d", tt.scan, code, tt.want)
		}
		if tt.want == http.StatusBadRequest && !strings.Contains(body, "表单所属的扫描不存在") {
			t.Errorf("scan %q: the answer does not say what is wrong:\n%.500s", tt.scan, body)
		}
	}
	rs, err := st.Reviews(ctx, open[0])
	if err != nil || len(rs) != 1 || rs[0].Scan != sc.ID {
		t.Errorf("decisions %+v, %v; want the one with a known scan", rs, err)
	}
}

// TestLoginThrottle: after five wrong passwords an account is refused even
// the right one until the oldest failure is 15 minutes old; other accounts
// from the same address still log in; a login resets the account's count.
func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), t.TempDir()+"/ogicheck.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addUser(t, st, "甲", store.RoleReviewer)
	addUser(t, st, "乙", store.RoleReviewer)
	var mu sync.Mutex
	now := testNow
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := serve(t, st, Options{Now: clock})
	try := func(c *client, name, password string) int {
		t.Helper()
		_, page := c.get("/login")
		code, _ := c.post("/login", url.Values{"csrf": {csrf(t, page)}, "name": {name}, "password": {password}})
		return code
	}
	c := newClient(t, srv.URL)
	for i := range 5 {
		if code := try(c, "甲", "wrong"); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: HTTP %d, want 401", i+1, code)
		}
		advance(time.Minute)
	}
	if code := try(c, "甲", "correct horse"); code != http.StatusTooManyRequests {
		t.Errorf("after five failures, the right password: HTTP %d, want 429", code)
	}
	other := newClient(t, srv.URL)
	other.login("乙")
	advance(11 * time.Minute) // the first failure is now 15 minutes old
	c.login("甲")
	for i := range 4 {
		if code := try(newClient(t, srv.URL), "甲", "wrong"); code != http.StatusUnauthorized {
			t.Fatalf("after a login, wrong password %d: HTTP %d, want 401 (the count starts again)", i+1, code)
		}
	}
}
