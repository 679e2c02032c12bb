package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/result"
)

var update = flag.Bool("update", false, "rewrite golden files")

// storeTwoScans fills a store with two scans of one site: a table error
// that persists, a missing year that is resolved, and a late report that
// is new.
func storeTwoScans(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "h.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.SaveList(ctx, "sites.csv", []store.Site{{URL: "http://www.dhq.binjiang.invalid/", Name: "滨江市东湖区人民政府", Level: result.LevelGovernment, Region: "滨江市"}})
	if err != nil {
		t.Fatal(err)
	}
	year := func(y int) *int { return &y }
	doc := func(fs ...result.Finding) *result.Document {
		return &result.Document{Source: "http://www.dhq.binjiang.invalid/nb/2024.html", Format: "html", Kind: result.KindAnnualReport,
			Title: "2024年政府信息公开工作年度报告", Agency: "滨江市东湖区人民政府", Year: year(2024), Findings: fs}
	}
	t3 := result.Finding{Rule: "T3-COL", Category: result.CatTableIdentity, Severity: result.SeverityError,
		Messages: result.Text{Zh: "表三“总计”列不等于各列之和", En: "table 三: the 总计 column is not the sum of the others"}, Evidence: result.Evidence{Table: "三", Row: "行政复议", Column: "总计"}}
	late := result.Finding{Rule: "PUB-LATE", Category: result.CatLatePublication, Severity: result.SeverityError,
		Messages: result.Text{Zh: "逾期公布", En: "published late"}}
	miss := result.Finding{Rule: "SITE-MISSING-REPORT", Category: result.CatMissingReport, Severity: result.SeverityError,
		Messages: result.Text{Zh: "缺少2022年度报告", En: "no report for 2022"}, Evidence: result.Evidence{Year: 2022}}
	for i, res := range []*result.Result{
		{Documents: []*result.Document{doc(t3)}, Sites: []*result.Site{{URL: "http://www.dhq.binjiang.invalid/", Column: "http://www.dhq.binjiang.invalid/zfxxgknb/", Pages: 5, Bytes: 2048, Findings: []result.Finding{miss}}}},
		{Documents: []*result.Document{doc(t3, late)}, Sites: []*result.Site{{URL: "http://www.dhq.binjiang.invalid/", Column: "http://www.dhq.binjiang.invalid/zfxxgknb/", Pages: 5, Bytes: 100, NotModified: 4}}},
	} {
		sc, err := st.CreateScan(ctx, list.ID, store.TriggerCommand, "ogicheck test", []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Claim(ctx, sc.ID, list.Sites[0].ID, "w", time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveSite(ctx, sc.ID, list.Sites[0].ID, "w", res, nil); err != nil {
			t.Fatalf("scan %d: %v", i+1, err)
		}
	}
	return db
}

var timestamps = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^"]*"`)

// TestHistoryJSONContract: 'ogicheck history --format json' against the
// golden file (times replaced), ogicheck/history/v1.
func TestHistoryJSONContract(t *testing.T) {
	db := storeTwoScans(t)
	code, out, errs := runCLI(t, "history", "--db", db, "--format", "json", "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got := timestamps.ReplaceAllString(out, `"TIME"`)
	golden := filepath.Join("testdata", "history.golden.json")
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("history JSON differs from %s:\n%s", golden, got)
	}
	// the filters narrow both lists
	_, out, _ = runCLI(t, "history", "--db", db, "--format", "json", "--site", "http://other.invalid/")
	if want := `"scans": []`; !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(out) {
		t.Errorf("another site's history: %s", out)
	}
	code, out, _ = runCLI(t, "history", "--db", db, "--scan", "1", "--lang", "zh")
	if code != exitOK || !regexp.MustCompile(`新发现 2，仍存在 0，已解决 0`).MatchString(out) {
		t.Errorf("first scan as a table: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "history", "--db", db, "--scan", "x"); code != exitUsage {
		t.Errorf("--scan x: exit %d, want a usage error", code)
	}
}

// TestReportFromStore: report writes a stored scan with check's writers
// and exit statuses.
func TestReportFromStore(t *testing.T) {
	db := storeTwoScans(t)
	code, out, errs := runCLI(t, "report", "--db", db, "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (errors found): %s", code, errs)
	}
	res := decode(t, out)
	if len(res.Documents) != 1 || len(res.Documents[0].Findings) != 2 || len(res.Sites) != 1 {
		t.Errorf("report of the latest scan: %d documents, %+v", len(res.Documents), res.Documents)
	}
	if code, _, _ := runCLI(t, "report", "--db", db, "--scan", "1", "--fail-on", "none", "--format", "summary"); code != exitOK {
		t.Errorf("--fail-on none: exit %d", code)
	}
}

// TestReportIncompleteScan: a report of a scan that lacks sites, failed
// or not worked yet, says the scan is incomplete, lists each missing site
// as unchecked with the reason, and exits 3 as check does for sites it
// could not check.
func TestReportIncompleteScan(t *testing.T) {
	ctx := context.Background()
	sites := []store.Site{{URL: "http://a.example.invalid/", Name: "东湖区人民政府"}, {URL: "http://b.example.invalid/", Name: "西湖区人民政府"},
		{URL: "http://c.example.invalid/", Name: "南湖区人民政府"}}
	tests := []struct {
		name       string
		failed     map[int]string // site index: why it failed; the others after the first are left pending
		incomplete string
		unchecked  []string // per site, part of the English reason; "" for checked
	}{
		{"finished incomplete", map[int]string{1: "crawl panicked", 2: "database is locked"}, "scan-incomplete",
			[]string{"", "could not check and store this site: crawl panicked", "could not check and store this site: database is locked"}},
		{"unfinished", map[int]string{1: "crawl panicked"}, "scan-unfinished",
			[]string{"", "could not check and store this site: crawl panicked", "has not checked this site yet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "r.db")
			st, err := store.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			list, err := st.SaveList(ctx, "sites.csv", sites)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := st.CreateScan(ctx, list.ID, store.TriggerCommand, "ogicheck test", []byte(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			first := list.Sites[0]
			if _, err := st.Claim(ctx, sc.ID, first.ID, "w", time.Minute); err != nil {
				t.Fatal(err)
			}
			res := &result.Result{Documents: []*result.Document{}, Sites: []*result.Site{{URL: first.URL, Errors: []result.FetchError{}, Findings: []result.Finding{}}}}
			if _, err := st.SaveSite(ctx, sc.ID, first.ID, "w", res, nil); err != nil {
				t.Fatal(err)
			}
			for i, why := range tt.failed {
				if err := st.Fail(ctx, sc.ID, list.Sites[i].ID, why); err != nil {
					t.Fatal(err)
				}
			}
			st.Close()

			code, out, stderr := runCLI(t, "report", "--db", db, "--format", "json", "--lang", "en")
			if code != exitUnchecked {
				t.Errorf("exit %d, want %d (sites could not be checked): %s", code, exitUnchecked, stderr)
			}
			got := decode(t, out)
			if got.Incomplete != tt.incomplete {
				t.Errorf("incomplete %q, want %q", got.Incomplete, tt.incomplete)
			}
			if len(got.Sites) != len(sites) {
				t.Fatalf("%d sites in the report, want all %d", len(got.Sites), len(sites))
			}
			for i, s := range got.Sites {
				want := tt.unchecked[i]
				if s.URL != sites[i].URL || (want == "") != (s.Unchecked.En == "") || !strings.Contains(s.Unchecked.En, want) || s.Unchecked.Zh == "" && want != "" {
					t.Errorf("site %d: %s unchecked %q, want %s unchecked %q", i, s.URL, s.Unchecked.En, sites[i].URL, want)
				}
			}
			// the terminal table says it too
			code, out, _ = runCLI(t, "report", "--db", db, "--lang", "en")
			if code != exitUnchecked || !strings.Contains(out, "Not checked: the scan "+tt.unchecked[1]) || !strings.Contains(out, "could not be checked") {
				t.Errorf("table: exit %d, no unchecked site or sentence:\n%s", code, out)
			}
		})
	}
}

// TestScanSummaryNamesTheStore: the commands a scan's summary suggests name
// its store unless it is the default one, its password hidden.
func TestScanSummaryNamesTheStore(t *testing.T) {
	sc := &store.Scan{ID: 7, Complete: true}
	for _, tt := range []struct{ db, want, not string }{
		{"ogicheck.db", "ogicheck history --scan 7", "--db"},
		{"/tmp/demo/ogicheck.db", `ogicheck history --db "/tmp/demo/ogicheck.db" --scan 7`, ""},
		{"postgres://u:secret@db.invalid/ogi", `ogicheck report --db "postgres://u:xxxxx@db.invalid/ogi" --scan 7`, "secret"},
	} {
		for _, lang := range []string{"en", "zh"} {
			got := scanSummary(sc, tt.db, lang, time.UTC)
			if !strings.Contains(got, tt.want) || (tt.not != "" && strings.Contains(got, tt.not)) {
				t.Errorf("%s, %s: %q, want %q and not %q", tt.db, lang, got, tt.want, tt.not)
			}
		}
	}
}
