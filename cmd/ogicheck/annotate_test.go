package main

import (
	"context"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/result"
)

// TestReportShowsRegionsAndReviews: a report of a stored scan carries each
// site's region and the reviewers' decisions, an expired dismissal shown
// as reopened.
func TestReportShowsRegionsAndReviews(t *testing.T) {
	ctx := context.Background()
	db, st, sc, site := claimedSite(t)
	year := 2024
	res := &result.Result{Schema: result.Schema, Sites: []*result.Site{{URL: siteURL, Errors: []result.FetchError{}, Findings: []result.Finding{}}},
		Documents: []*result.Document{{Source: siteURL + "2024.html", Site: siteURL, Format: "html", Kind: result.KindAnnualReport, Title: "年报",
			Agency: "滨江市东湖区人民政府", Year: &year, Findings: []result.Finding{{Rule: "T3-COL", Category: result.CatTableIdentity,
				Severity: result.SeverityError, Messages: result.Text{Zh: "表三不符", En: "table 3 does not add up"},
				Evidence: result.Evidence{Table: "三", Row: "（七）总计", Column: "总计"}}}}}}
	if _, err := st.SaveSite(ctx, sc.ID, site, "w", res, nil); err != nil {
		t.Fatal(err)
	}
	h, err := st.History(ctx, store.HistoryQuery{Scan: sc.ID})
	if err != nil || len(h.Findings) != 1 {
		t.Fatalf("history: %v, %d findings", err, len(h.Findings))
	}
	past := time.Now().Add(-time.Hour)
	if _, err := st.AddReview(ctx, store.Review{Fingerprint: h.Findings[0].Fingerprint, Decision: store.Dismissed, Reason: "已更正",
		Reviewer: "李审核", Decided: past.Add(-24 * time.Hour), Expires: past}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, out, stderr := runCLI(t, "report", "--db", db, "--lang", "en", "--format", "csv")
	if code != exitFindings {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv: %v, %d records", err, len(recs))
	}
	row := recs[1]
	if got := row[len(row)-5:]; got[0] != "滨江市" || got[1] != "reopened" {
		t.Errorf("region and review columns %q, want 滨江市 and reopened", got)
	}
	code, out, _ = runCLI(t, "report", "--db", db, "--lang", "en", "--format", "markdown")
	if code != exitFindings || !strings.Contains(out, "dismissed, 李审核") || !strings.Contains(out, "Reason: 已更正") {
		t.Errorf("markdown lacks the decision:\n%s", out)
	}
}

// TestReportReviewTimes: review times are shown in --tz (Asia/Shanghai by
// default), and an expiry the reviewers' app took as a day stays that day,
// not the day before as in UTC.
func TestReportReviewTimes(t *testing.T) {
	ctx := context.Background()
	db, st, sc, site := claimedSite(t)
	res := &result.Result{Schema: result.Schema, Sites: []*result.Site{{URL: siteURL, Errors: []result.FetchError{}, Findings: []result.Finding{{
		Rule: "SITE-MISSING-REPORT", Category: result.CatMissingReport, Severity: result.SeverityError,
		Messages: result.Text{Zh: "缺少2022年度报告", En: "no report for 2022"}, Evidence: result.Evidence{Year: 2022}}}}},
		Documents: []*result.Document{}}
	if _, err := st.SaveSite(ctx, sc.ID, site, "w", res, nil); err != nil {
		t.Fatal(err)
	}
	h, err := st.History(ctx, store.HistoryQuery{Scan: sc.ID})
	if err != nil || len(h.Findings) != 1 {
		t.Fatalf("history: %v, %d findings", err, len(h.Findings))
	}
	// as the reviewers' app takes them: a day from the form, midnight in
	// Asia/Shanghai, and the clock's time
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	expires, err := time.ParseInLocation("2006-01-02", "2025-07-01", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	decided := time.Date(2025, 6, 20, 2, 30, 0, 0, time.UTC) // 10:30 in Shanghai
	if _, err := st.AddReview(ctx, store.Review{Fingerprint: h.Findings[0].Fingerprint, Decision: store.Dismissed, Reason: "暂缓",
		Reviewer: "李审核", Decided: decided, Expires: expires}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"markdown, default zone", []string{"--format", "markdown"}, []string{"2025-06-20 10:30", "Expires 2025-07-01"}},
		{"csv, default zone", []string{"--format", "csv"}, []string{"reopened,,2025-07-01 00:00"}}, // the dismissal expired
		{"markdown, --tz UTC", []string{"--format", "markdown", "--tz", "UTC"}, []string{"2025-06-20 02:30", "Expires 2025-06-30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"report", "--db", db, "--lang", "en", "--fail-on", "none"}, tt.args...)
			code, out, stderr := runCLI(t, args...)
			if code != exitOK {
				t.Fatalf("report: exit %d: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("got a report without %q:\n%s", w, out)
				}
			}
		})
	}
}

// claimedSite is a store with one site (siteURL, 滨江市) in a new scan, claimed
// by worker "w" so that a result can be saved for it.
func claimedSite(t *testing.T) (db string, st *store.Store, sc *store.Scan, site int64) {
	t.Helper()
	ctx := context.Background()
	db = filepath.Join(t.TempDir(), "ogicheck.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.SaveList(ctx, "sites.csv", []store.Site{{URL: siteURL, Name: "滨江市东湖区人民政府", Region: "滨江市"}})
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = st.CreateScan(ctx, list.ID, store.TriggerCommand, "test", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	site = list.Sites[0].ID
	if _, err := st.Claim(ctx, sc.ID, site, "w", time.Minute); err != nil {
		t.Fatal(err)
	}
	return db, st, sc, site
}

// siteURL is the site of claimedSite.
const siteURL = "http://www.example.invalid/"
