package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/result"
)

// TestChromeChangesNothing checks every corpus page alone and wrapped in a
// real site's chrome: the reader must find the article inside the chrome,
// so that the facts and findings are the same, and the benchmark measures
// the cost of the chrome, not of reading it as the report.
func TestChromeChangesNothing(t *testing.T) {
	root := filepath.Join("..", "..")
	files, pages, err := corpus([]string{filepath.Join(root, "testdata", "corpus"), filepath.Join(root, "testdata", "roundtrip", "report_gbk.html")}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pages {
		plain := fingerprint(t, files[i], p)
		wrapped := withChrome(p, uint64(i))
		if len(wrapped) < len(p)+60_000 {
			t.Errorf("%s: %d bytes of chrome, want a real site's (60 KB or more)", files[i], len(wrapped)-len(p))
		}
		if got := fingerprint(t, files[i], wrapped); got != plain {
			t.Errorf("%s in chrome:\n%s\nalone:\n%s", files[i], got, plain)
		}
	}
}

func fingerprint(t *testing.T, name string, page []byte) string {
	t.Helper()
	r := scan.Analyze(context.Background(), document.Input{Source: name, Data: page}, opts, annual.Hints{})
	d := scan.Assemble(opts, []*annual.Report{r}, nil).Documents[0]
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s %s %v %v %d sections", d.Kind, d.Title, d.Agency, deref(d.Year), deref(d.Published), len(d.Sections))
	for _, tb := range d.Tables {
		fmt.Fprintf(&sb, " table %s: %d rows", tb.ID, len(tb.Rows))
	}
	for _, f := range d.Findings {
		fmt.Fprintf(&sb, "\n  %s %s %s", f.Rule, f.Evidence.Row, f.Evidence.Column)
	}
	if d.Kind != result.KindAnnualReport {
		t.Errorf("%s: kind %s, want an annual report", name, d.Kind)
	}
	return sb.String()
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
