package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/result"
	"github.com/ogicheck/ogicheck/rules"
)

// TestPrefectureReportPDF checks the real 2024 report of 淮安市人民政府, a
// prefecture-level government: its own report is due by 2025-03-10
// (国办公开办函〔2021〕30号), on time on the day and late the day after.
func TestPrefectureReportPDF(t *testing.T) {
	path := filepath.Join("..", "testdata", "pdfs", "2024-jiangsu-huaian-shi-government.pdf")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		published string
		late      bool
	}{{"2025-03-10", false}, {"2025-03-11", true}} {
		opts := scan.Options{Rules: []*rules.Rule{rules.PubLate}}
		opts.Now, opts.Published = now, tt.published
		r := scan.Analyze(context.Background(), document.Input{Source: path, Data: data}, opts, annual.Hints{})
		d := scan.Assemble(opts, []*annual.Report{r}, nil).Documents[0]
		if d.AgencyTier == nil || *d.AgencyTier != result.TierPrefecture || d.AgencyTierFrom != "agency-name" {
			t.Fatalf("tier %v from %q, want prefecture from the agency name (%s)", d.AgencyTier, d.AgencyTierFrom, d.Agency)
		}
		if d.Deadline == nil || *d.Deadline != "2025-03-10" || d.DeadlineBasis != annual.BasisPrefecture {
			t.Fatalf("deadline %v (%s), want 2025-03-10 (prefecture)", d.Deadline, d.DeadlineBasis)
		}
		if d.Provenance.AgencyTier.Zh == "" || d.Provenance.Deadline.En == "" {
			t.Errorf("provenance %+v: want the tier and deadline explained in both languages", d.Provenance)
		}
		late := len(d.Findings) == 1 && d.Findings[0].Rule == "PUB-LATE"
		if late != tt.late || (!tt.late && len(d.Findings) != 0) {
			t.Errorf("published %s: findings %v, want late %v", tt.published, d.Findings, tt.late)
		}
	}
}
