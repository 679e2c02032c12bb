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
	db := filepath.Join(t.TempDir(), "ogicheck.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	const url = "http://www.example.invalid/"
	list, err := st.SaveList(ctx, "sites.csv", []store.Site{{URL: url, Name: "滨江市东湖区人民政府", Region: "滨江市"}})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := st.CreateScan(ctx, list.ID, store.TriggerCommand, "test", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	site := list.Sites[0].ID
	if _, err := st.Claim(ctx, sc.ID, site, "w", time.Minute); err != nil {
		t.Fatal(err)
	}
	year := 2024
	res := &result.Result{Schema: result.Schema, Sites: []*result.Site{{URL: url, Errors: []result.FetchError{}, Findings: []result.Finding{}}},
		Documents: []*result.Document{{Source: url + "2024.html", Site: url, Format: "html", Kind: result.KindAnnualReport, Title: "年报",
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
