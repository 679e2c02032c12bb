package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/internal/store/storetest"
	"github.com/ogicheck/ogicheck/result"
)

const siteURL = "http://www.example.invalid/"

// fixture is a store with one site in one list and a clock the test moves.
type fixture struct {
	t    *testing.T
	s    *Store
	list *List
	site int64
	now  time.Time
}

func newFixture(t *testing.T, s *Store) *fixture {
	f := &fixture{t: t, s: s, now: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	s.now = func() time.Time { return f.now }
	list, err := s.SaveList(context.Background(), "sites.csv", []Site{
		{URL: siteURL, Name: "滨江市东湖区人民政府", Level: result.LevelGovernment, Tier: "county", Region: "滨江市", Parent: "滨江市人民政府"},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.list, f.site = list, list.Sites[0].ID
	return f
}

// scan stores res as the site's result of a new scan and returns the scan.
func (f *fixture) scan(res *result.Result, pages ...Fetched) (*Scan, *Saved) {
	f.t.Helper()
	ctx := context.Background()
	f.now = f.now.Add(24 * time.Hour)
	sc, err := f.s.CreateScan(ctx, f.list.ID, TriggerCommand, "ogicheck test", []byte(`{}`))
	if err != nil {
		f.t.Fatal(err)
	}
	if st, err := f.s.Claim(ctx, sc.ID, f.site, "w1", time.Minute); err != nil || st != Claimed {
		f.t.Fatalf("claim: %q, %v", st, err)
	}
	a := f.s.NewArchive()
	for _, p := range pages {
		a.Page(ctx, p)
	}
	for _, d := range res.Documents {
		a.Document(ctx, d.Source, "正文 "+d.Title)
	}
	saved, err := f.s.SaveSite(ctx, sc.ID, f.site, "w1", res, a)
	if err != nil {
		f.t.Fatal(err)
	}
	sc, err = f.s.Scan(ctx, sc.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return sc, saved
}

func intp(i int) *int { return &i }

// report is a site's result with reports of the given years, each with
// the findings given for its year.
func report(years []int, findings map[int][]result.Finding, siteFindings ...result.Finding) *result.Result {
	sr := &result.Site{URL: siteURL, Column: siteURL + "zfxxgknb/", Pages: 3, Bytes: 1000, Errors: []result.FetchError{}, Findings: siteFindings, Duration: "1.5s"}
	res := &result.Result{Schema: result.Schema, Sites: []*result.Site{sr}, Documents: []*result.Document{}}
	for _, y := range years {
		u := siteURL + "nb/" + string(rune('0'+y%10)) + ".html"
		fs := findings[y]
		if fs == nil {
			fs = []result.Finding{}
		}
		res.Documents = append(res.Documents, &result.Document{Source: u, Site: siteURL, Format: "html", Kind: result.KindAnnualReport,
			Title: "东湖区政府信息公开工作年度报告", Agency: "滨江市东湖区人民政府", Year: intp(y), Findings: fs})
		sr.Reports = append(sr.Reports, result.SiteReport{Title: "年度报告", URL: u, Year: y, Kind: result.KindAnnualReport})
		sr.Years = append(sr.Years, y)
	}
	return res
}

func t3col(row, msg string) result.Finding {
	return result.Finding{Rule: "T3-COL", Category: result.CatTableIdentity, Severity: result.SeverityError,
		Messages: result.Text{Zh: msg, En: msg}, Evidence: result.Evidence{Table: "三", Row: row, Column: "总计"}}
}

func missing(year int) result.Finding {
	return result.Finding{Rule: "SITE-MISSING-REPORT", Category: result.CatMissingReport, Severity: result.SeverityError,
		Messages: result.Text{Zh: "缺少年报", En: "missing report"}, Evidence: result.Evidence{Year: year}}
}

func states(h *History) []string {
	var out []string
	for _, f := range h.Findings {
		out = append(out, f.Rule+"/"+f.State)
	}
	sort.Strings(out)
	return out
}

// TestFindingsAcrossScans follows findings over four scans: new, then
// persisting (with other wording), resolved when the report is read
// again, not resolved when it could not be read, and new again.
func TestFindingsAcrossScans(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		one, saved := f.scan(report([]int{2023, 2024}, map[int][]result.Finding{2024: {t3col("行政复议", "总计不符")}}, missing(2022)))
		if saved.New != 2 || saved.Resolved != 0 || !one.Complete || one.Finished.IsZero() {
			t.Fatalf("first scan: saved %+v, complete %v finished %v", saved, one.Complete, one.Finished)
		}
		two, saved := f.scan(report([]int{2023, 2024}, map[int][]result.Finding{2024: {t3col("行政复议", "总计与各项之和不符（改了措辞）")}}, missing(2022)))
		if saved.New != 0 {
			t.Errorf("second scan: %d new, want the two findings persisting", saved.New)
		}
		h, err := s.History(ctx, HistoryQuery{Scan: two.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := states(h), []string{"SITE-MISSING-REPORT/persisting", "T3-COL/persisting"}; !reflect.DeepEqual(got, want) {
			t.Errorf("second scan: %v, want %v", got, want)
		}
		for _, hf := range h.Findings {
			if hf.FirstScan != one.ID || hf.LastScan != two.ID || hf.Agency != "滨江市东湖区人民政府" || hf.Site != siteURL {
				t.Errorf("finding %+v: want first scan %d, last %d, the site's name and URL", hf, one.ID, two.ID)
			}
		}
		// the list not read whole and the 2024 report not read: neither
		// finding is known to be gone
		res := report([]int{2023}, nil)
		res.Sites[0].ListUnread = "a list page failed"
		if _, saved = f.scan(res); saved.Resolved != 0 {
			t.Errorf("a list not read whole resolved %d findings", saved.Resolved)
		}
		// 2024 read again without the error; the 2022 report published
		three, saved := f.scan(report([]int{2022, 2023, 2024}, nil))
		if saved.Resolved != 2 || saved.New != 0 {
			t.Errorf("third scan: saved %+v, want both resolved", saved)
		}
		h, _ = s.History(ctx, HistoryQuery{Scan: three.ID})
		if got, want := states(h), []string{"SITE-MISSING-REPORT/resolved", "T3-COL/resolved"}; !reflect.DeepEqual(got, want) {
			t.Errorf("third scan: %v, want %v", got, want)
		}
		for _, hf := range h.Findings {
			if hf.LastScan != two.ID || hf.FirstScan != one.ID {
				t.Errorf("resolved %+v: want first scan %d, last %d", hf, one.ID, two.ID)
			}
		}
		// the error is back: new, first seen now
		four, _ := f.scan(report([]int{2022, 2023, 2024}, map[int][]result.Finding{2024: {t3col("行政复议", "x")}}))
		h, _ = s.History(ctx, HistoryQuery{})
		if h.Scan.ID != four.ID || len(h.Scans) != 5 {
			t.Fatalf("latest scan %d of %d, want %d of 5", h.Scan.ID, len(h.Scans), four.ID)
		}
		if got, want := states(h), []string{"T3-COL/new"}; !reflect.DeepEqual(got, want) || h.Findings[0].FirstScan != four.ID {
			t.Errorf("fourth scan: %v (%+v), want %v first seen in it", got, h.Findings, want)
		}
		// the 2024 report cannot be read: its error is not resolved
		res = report([]int{2022, 2023, 2024}, nil)
		res.Documents[2].Error = "not read"
		res.Documents[2].Year = nil
		_, saved = f.scan(res)
		if saved.Resolved != 0 {
			t.Errorf("a report that could not be read resolved %d findings", saved.Resolved)
		}
		// an unreachable site resolves nothing
		res = report(nil, nil)
		res.Sites[0].Unchecked = result.Text{Zh: "无法访问", En: "unreachable"}
		if _, saved = f.scan(res); saved.Resolved != 0 {
			t.Errorf("an unreachable site resolved %d findings", saved.Resolved)
		}
	})
}

// TestHistoryFindings: a report whose bytes change is HIST-CHANGED, with
// both hashes and dates; a report gone from the list is HIST-GONE, unless
// another report of its year is listed or the list was not read whole.
func TestHistoryFindings(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		file := func(res *result.Result, body string) *result.Result {
			d := res.Documents[0]
			d.Source = siteURL + "P020240120.pdf"
			d.Format = "pdf"
			res.Sites[0].Reports[0].URL = d.Source
			return res
		}
		page := func(body string) Fetched {
			return Fetched{URL: siteURL + "P020240120.pdf", Role: RoleAttachment, ContentType: "application/pdf", Status: 200, Body: []byte(body)}
		}
		f.scan(file(report([]int{2023}, nil), "v1"), page("%PDF-1.4 v1"))
		_, saved := f.scan(file(report([]int{2023}, nil), "v1"), page("%PDF-1.4 v1"))
		if len(saved.History) != 0 {
			t.Fatalf("unchanged report: %+v", saved.History)
		}
		_, saved = f.scan(file(report([]int{2023}, nil), "v2"), page("%PDF-1.4 v2"))
		if len(saved.History) != 1 || saved.History[0].Rule != "HIST-CHANGED" {
			t.Fatalf("changed report: %+v, want HIST-CHANGED", saved.History)
		}
		ev := saved.History[0].Evidence
		if ev.Expected == ev.Actual || !strings.Contains(ev.Expected, "2026-03-02") || !strings.Contains(ev.Actual, "2026-03-04") || ev.Year != 2023 {
			t.Errorf("evidence %+v: want both hashes with their dates and the year", ev)
		}
		m := saved.History[0].Messages
		if m.Zh == "" || m.En == "" || strings.Contains(m.Zh, "{") {
			t.Errorf("messages %+v", m)
		}
		// still changed next time: persisting
		_, saved = f.scan(file(report([]int{2023}, nil), "v2"), page("%PDF-1.4 v2"))
		if len(saved.History) != 1 || saved.New != 0 {
			t.Errorf("still changed: %+v, want HIST-CHANGED persisting", saved)
		}

		// the list is cut short: nothing is said of what it lacks
		res := report(nil, nil)
		res.Sites[0].Incomplete = "canceled"
		if _, saved = f.scan(res); len(saved.History) != 0 {
			t.Errorf("incomplete crawl: %+v", saved.History)
		}
		// a list page failed, or the column was not found: nothing said
		for _, tune := range []func(*result.Site){
			func(s *result.Site) { s.ListUnread = "list page 2 failed" },
			func(s *result.Site) { s.Column = "" },
			func(s *result.Site) { s.Column, s.ColumnBlocked = "", siteURL+"zfxxgk/" },
		} {
			res := report([]int{2024}, nil)
			tune(res.Sites[0])
			if _, saved = f.scan(res); len(saved.History) != 0 {
				t.Errorf("list not read whole (%+v): %+v", res.Sites[0], saved.History)
			}
		}
		// read whole without the 2023 report: gone
		_, saved = f.scan(report([]int{2024}, nil))
		if len(saved.History) != 1 || saved.History[0].Rule != "HIST-GONE" || saved.History[0].Evidence.Year != 2023 {
			t.Fatalf("gone: %+v, want HIST-GONE for 2023", saved.History)
		}
		// the 2023 report listed at another URL: not gone
		moved := report([]int{2023, 2024}, nil)
		if _, saved = f.scan(moved); len(saved.History) != 0 {
			t.Errorf("a report of the year at another URL: %+v", saved.History)
		}
	})
}

// TestLeases: one worker at a time holds a site; a lease that ran out is
// taken over and the old holder cannot store; released sites are taken at
// once; a stored site is done for everyone.
func TestLeases(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		sc, err := s.CreateScan(ctx, f.list.ID, TriggerCommand, "t", []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		claim := func(w string) string {
			st, err := s.Claim(ctx, sc.ID, f.site, w, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		if got := claim("a"); got != Claimed {
			t.Fatalf("first claim: %s", got)
		}
		if got := claim("b"); got != Held {
			t.Errorf("second claim while held: %s, want held", got)
		}
		f.now = f.now.Add(2 * time.Minute)
		if got := claim("b"); got != Claimed {
			t.Errorf("claim after the lease ran out: %s, want claimed", got)
		}
		if err := s.Renew(ctx, sc.ID, f.site, "a", time.Minute); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("renewal by the old holder: %v, want ErrLeaseLost", err)
		}
		if _, err := s.SaveSite(ctx, sc.ID, f.site, "a", report([]int{2023}, nil), nil); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("save by the old holder: %v, want ErrLeaseLost", err)
		}
		if err := s.Release(ctx, sc.ID, f.site, "b"); err != nil {
			t.Fatal(err)
		}
		if got := claim("c"); got != Claimed {
			t.Errorf("claim after release: %s", got)
		}
		if _, err := s.SaveSite(ctx, sc.ID, f.site, "c", report([]int{2023}, nil), nil); err != nil {
			t.Fatal(err)
		}
		if got := claim("d"); got != Done {
			t.Errorf("claim of a stored site: %s, want done", got)
		}
		left, err := s.SitesLeft(ctx, sc.ID)
		if err != nil || len(left) != 0 {
			t.Errorf("sites left %v, %v", left, err)
		}
		if ok, _ := s.Lock(ctx, "coordinator", "p1", time.Minute); !ok {
			t.Error("lock not taken")
		}
		if ok, _ := s.Lock(ctx, "coordinator", "p2", time.Minute); ok {
			t.Error("a held lock taken by another")
		}
		f.now = f.now.Add(2 * time.Minute)
		if ok, _ := s.Lock(ctx, "coordinator", "p2", time.Minute); !ok {
			t.Error("an expired lock not taken over")
		}
	})
}

// TestResultRoundTrip: the stored result reads back as it was checked,
// history findings included.
func TestResultRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		res := report([]int{2023, 2024}, map[int][]result.Finding{2024: {t3col("行政复议", "总计不符")}}, missing(2022))
		res.Documents[1].Tables = []result.Table{{ID: "三", Columns: []string{"总计"}, Rows: []result.Row{{Label: "行政复议", Cells: []result.Cell{{Column: "总计", Raw: "3", State: result.CellNumber}}}}}}
		want, _ := json.Marshal(res)
		sc, _ := f.scan(res)
		got, err := s.Result(ctx, sc.ID, SiteFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got.Tool = ""
		gotJS, _ := json.Marshal(got)
		if string(gotJS) != string(want) {
			t.Errorf("stored result differs:\ngot  %s\nwant %s", gotJS, want)
		}
		if sc.Errors != 2 || sc.Documents != 2 || sc.Pages != 3 || sc.Bytes != 1000 {
			t.Errorf("scan sums %+v", sc)
		}
		other, err := s.Result(ctx, sc.ID, SiteFilter{Region: "别处"})
		if err != nil || len(other.Sites) != 0 {
			t.Errorf("filtered by another region: %d sites, %v", len(other.Sites), err)
		}
		if max, err := s.MaxSeverity(ctx, sc.ID); err != nil || max != result.SeverityError {
			t.Errorf("max severity %q, %v", max, err)
		}
	})
}

// TestUnstoredSites: the sites of a scan whose result was not stored, a
// failed one with its reason, are those Result leaves out.
func TestUnstoredSites(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		list, err := s.SaveList(ctx, "three.csv", []Site{
			{URL: siteURL, Name: "滨江市东湖区人民政府", Region: "滨江市"},
			{URL: "http://failed.example.invalid/", Name: "滨江市西湖区人民政府", Region: "滨江市"},
			{URL: "http://pending.example.invalid/", Name: "临川市人民政府", Region: "临川市"},
		})
		if err != nil {
			t.Fatal(err)
		}
		sc, err := s.CreateScan(ctx, list.ID, TriggerCommand, "t", []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		done, failed := list.Sites[0].ID, list.Sites[1].ID
		if st, err := s.Claim(ctx, sc.ID, done, "w", time.Minute); err != nil || st != Claimed {
			t.Fatalf("claim: %q, %v", st, err)
		}
		if _, err := s.SaveSite(ctx, sc.ID, done, "w", report([]int{2024}, nil), nil); err != nil {
			t.Fatal(err)
		}
		if err := s.Fail(ctx, sc.ID, failed, "crawl panicked"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			filter SiteFilter
			want   []string // URL state error
		}{
			{"all", SiteFilter{}, []string{"http://failed.example.invalid/ failed crawl panicked", "http://pending.example.invalid/ pending "}},
			{"one region", SiteFilter{Region: "临川市"}, []string{"http://pending.example.invalid/ pending "}},
			{"by agency", SiteFilter{Agency: "西湖区"}, []string{"http://failed.example.invalid/ failed crawl panicked"}},
			{"a stored site", SiteFilter{URL: siteURL}, nil},
		}
		for _, tt := range tests {
			us, err := s.UnstoredSites(ctx, sc.ID, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range us {
				got = append(got, u.URL+" "+u.State+" "+u.Error)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		}
		res, err := s.Result(ctx, sc.ID, SiteFilter{})
		if err != nil || len(res.Sites) != 1 {
			t.Fatalf("result: %v, want the one stored site", err)
		}
	})
}

// TestReviews: every decision is kept; the one in force is on the tracked
// finding; an expired dismissal no longer hides it.
func TestReviews(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		sc, _ := f.scan(report([]int{2024}, map[int][]result.Finding{2024: {t3col("行政复议", "总计不符")}}))
		h, _ := s.History(ctx, HistoryQuery{})
		fp := h.Findings[0].Fingerprint
		u, err := s.AddUser(ctx, User{Name: "张三", Role: RoleReviewer, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddReview(ctx, Review{Fingerprint: fp, Decision: Dismissed, Reviewer: "张三"}); err == nil {
			t.Error("a dismissal without a reason was accepted")
		}
		if _, err := s.AddReview(ctx, Review{Fingerprint: fp, Decision: Confirmed, User: u.ID, Reviewer: u.Name, Scan: sc.ID}); err != nil {
			t.Fatal(err)
		}
		until := f.now.Add(48 * time.Hour)
		if _, err := s.AddReview(ctx, Review{Fingerprint: fp, Decision: Dismissed, Reason: "已更正", User: u.ID, Reviewer: u.Name, Expires: until}); err != nil {
			t.Fatal(err)
		}
		rs, err := s.Reviews(ctx, fp)
		if err != nil || len(rs) != 2 || rs[1].Reason != "已更正" || !rs[1].Expires.Equal(until) || rs[0].Scan != sc.ID {
			t.Fatalf("reviews %+v, %v", rs, err)
		}
		h, _ = s.History(ctx, HistoryQuery{})
		if h.Findings[0].Review != Dismissed || !h.Findings[0].Expires.Equal(until) {
			t.Errorf("in force: %q until %v, want the dismissal", h.Findings[0].Review, h.Findings[0].Expires)
		}
		f.now = until.Add(time.Hour)
		h, _ = s.History(ctx, HistoryQuery{})
		if h.Findings[0].Review != "" {
			t.Errorf("after expiry: %q, want no decision in force", h.Findings[0].Review)
		}
	})
}

// TestHTTPCache: entries come back whole, bodies are shared with the
// archive, a missing key is cache.ErrNotFound.
func TestHTTPCache(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		c := s.HTTPCache(1 << 20)
		if _, err := c.Get("http://x.invalid/a"); !errors.Is(err, cache.ErrNotFound) {
			t.Fatalf("missing key: %v", err)
		}
		e := &cache.Entry{FinalURL: "http://x.invalid/b", ETag: `"v1"`, LastModified: "Mon, 02 Jan 2026 15:04:05 GMT", ContentType: "text/html; charset=gbk", Body: []byte("年报")}
		if err := c.Put("http://x.invalid/a", e); err != nil {
			t.Fatal(err)
		}
		got, err := c.Get("http://x.invalid/a")
		if err != nil {
			t.Fatal(err)
		}
		if got.ETag != e.ETag || got.LastModified != e.LastModified || got.ContentType != e.ContentType || string(got.Body) != "年报" || got.FinalURL != e.FinalURL || got.Size != 6 {
			t.Errorf("got %+v", got)
		}
		if err := c.Put("http://x.invalid/a", &cache.Entry{ETag: `"v2"`, Body: []byte("新")}); err != nil {
			t.Fatal(err)
		}
		if got, _ := c.Get("http://x.invalid/a"); got == nil || got.ETag != `"v2"` || string(got.Body) != "新" {
			t.Errorf("replaced entry: %+v", got)
		}
		if err := c.Put("http://x.invalid/big", &cache.Entry{Body: make([]byte, 2<<20)}); err == nil {
			t.Error("a body over the limit was stored")
		}
		if err := c.Delete("http://x.invalid/a"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Get("http://x.invalid/a"); !errors.Is(err, cache.ErrNotFound) {
			t.Errorf("deleted key: %v", err)
		}
	})
}

// TestArchive: a document's bytes and text are kept once per content.
func TestArchive(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		body := "<html><body>东湖区2023年报</body></html>"
		res := report([]int{2023}, nil)
		page := Fetched{URL: res.Documents[0].Source, Role: RoleEntry, ContentType: "text/html", Charset: "gbk", Status: 200, Body: []byte(body)}
		f.scan(res, page)
		sc, _ := f.scan(report([]int{2023}, nil), page)
		var sum string
		var n int
		if err := s.db.QueryRow(`SELECT blob FROM documents WHERE scan_id = $1`, sc.ID).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRow(`SELECT count(*) FROM blobs`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d blobs (%v), want one for both scans", n, err)
		}
		b, err := s.Blob(ctx, sum)
		if err != nil {
			t.Fatal(err)
		}
		if string(b.Data) != body || b.Charset != "gbk" || !strings.Contains(b.Text, "正文") {
			t.Errorf("blob %+v", b)
		}
		if err := s.db.QueryRow(`SELECT count(*) FROM pages WHERE scan_id = $1 AND blob = $2`, sc.ID, sum).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d pages of the scan name the blob (%v)", n, err)
		}
	})
}

// TestConcurrentSaves: sites stored at once by several goroutines all end
// up stored, and the scan finishes once, complete.
func TestConcurrentSaves(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var sites []Site
		for i := range 8 {
			sites = append(sites, Site{URL: "http://s" + string(rune('a'+i)) + ".invalid/", Name: "site"})
		}
		list, err := s.SaveList(ctx, "x.csv", sites)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := s.CreateScan(ctx, list.ID, TriggerCommand, "t", []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(sites))
		for _, st := range list.Sites {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := "w" + st.URL
				if _, err := s.Claim(ctx, sc.ID, st.ID, w, time.Minute); err != nil {
					errs <- err
					return
				}
				res := report([]int{2024}, map[int][]result.Finding{2024: {t3col("行政复议", "x")}})
				res.Sites[0].URL = st.URL
				if _, err := s.SaveSite(ctx, sc.ID, st.ID, w, res, nil); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := s.Scan(ctx, sc.ID)
		if err != nil || !got.Complete || got.Done != 8 {
			t.Errorf("scan %+v, %v: want complete with 8 sites done", got, err)
		}
	})
}

// TestHostGate: two holders of one host take turns, the second waiting
// the delay after the first ended; other hosts do not wait.
func TestHostGate(t *testing.T) {
	s, err := Open(context.Background(), storetest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if g := (&Store{kind: SQLite}).HostGate(); g != nil {
		t.Error("a SQLite store has a host gate")
	}
	g := s.HostGate()
	var mu sync.Mutex
	var log []string
	var waits []time.Duration
	note := func(e string) { mu.Lock(); log = append(log, e); mu.Unlock() }
	g.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return nil
	}
	ctx := context.Background()
	rel, err := g.Acquire(ctx, "a.invalid", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	note("first+")
	done := make(chan struct{})
	go func() {
		defer close(done)
		r2, err := g.Acquire(ctx, "a.invalid", time.Hour)
		if err != nil {
			t.Error(err)
			return
		}
		note("second+")
		r2()
	}()
	other, err := g.Acquire(ctx, "b.invalid", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other()
	time.Sleep(100 * time.Millisecond) // give the second a chance to get in wrongly
	note("first-")
	rel()
	<-done
	if got := strings.Join(log, " "); got != "first+ first- second+" {
		t.Errorf("order %q, want the second after the first", got)
	}
	if len(waits) != 1 || waits[0] <= 0 || waits[0] > time.Hour {
		t.Errorf("waits %v, want one wait of up to the delay, by the second holder of a.invalid", waits)
	}
	canceled, cancel := context.WithCancel(ctx)
	rel, _ = g.Acquire(ctx, "c.invalid", 0)
	cancel()
	if _, err := g.Acquire(canceled, "c.invalid", 0); err == nil {
		t.Error("a canceled wait acquired the host")
	}
	rel()
	if r, err := g.Acquire(ctx, "c.invalid", 0); err != nil {
		t.Errorf("after a canceled wait: %v", err)
	} else {
		r()
	}
}

// TestHostGateWaitsWithoutConnections: requests waiting for a host hold
// no connection of the pool, which River and the leases share.
func TestHostGateWaitsWithoutConnections(t *testing.T) {
	dsn := storetest.Postgres(t) + "&pool_max_conns=3"
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := s.HostGate()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rel, err := g.Acquire(ctx, "a.invalid", 0)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, err := g.Acquire(ctx, "a.invalid", 0); err == nil {
				r()
			}
		}()
	}
	time.Sleep(200 * time.Millisecond) // the five are waiting
	short, stop := context.WithTimeout(ctx, 2*time.Second)
	defer stop()
	for i := range 2 {
		c, err := s.pool.Acquire(short)
		if err != nil {
			t.Fatalf("connection %d of the pool's other two while five wait for a host: %v", i+1, err)
		}
		defer c.Release()
	}
	rel()
	wg.Wait()
}

// TestSitesLeftSlowestFirst: a new scan's sites come longest-first by
// their duration in the last scan, sites never scanned in list order after.
func TestSitesLeftSlowestFirst(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var sites []Site
		for i := range 4 {
			sites = append(sites, Site{URL: fmt.Sprintf("http://s%d.example.invalid/", i), Name: fmt.Sprintf("站点%d", i)})
		}
		list, err := s.SaveList(ctx, "sites.csv", sites)
		if err != nil {
			t.Fatal(err)
		}
		one, err := s.CreateScan(ctx, list.ID, TriggerCommand, "t", []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		// the first three sites took 1 s, 9 s and 4 s; the fourth was not stored
		for i, d := range []string{"1s", "9s", "4s"} {
			site := list.Sites[i]
			if _, err := s.Claim(ctx, one.ID, site.ID, "w", time.Minute); err != nil {
				t.Fatal(err)
			}
			res := &result.Result{Schema: result.Schema, Documents: []*result.Document{},
				Sites: []*result.Site{{URL: site.URL, Errors: []result.FetchError{}, Findings: []result.Finding{}, Duration: d}}}
			if _, err := s.SaveSite(ctx, one.ID, site.ID, "w", res, s.NewArchive()); err != nil {
				t.Fatal(err)
			}
		}
		two, err := s.CreateScan(ctx, list.ID, TriggerCommand, "t", []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		left, err := s.SitesLeft(ctx, two.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := list.Sites
		if want := []int64{ids[1].ID, ids[2].ID, ids[0].ID, ids[3].ID}; !reflect.DeepEqual(left, want) {
			t.Errorf("sites left %v, want %v (9 s, 4 s, 1 s, never scanned)", left, want)
		}
	})
}
