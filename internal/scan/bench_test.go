package scan

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
)

func corpus(b *testing.B) ([]string, [][]byte) {
	files, _ := filepath.Glob("../../testdata/corpus/*.html")
	files = append(files, "../../testdata/roundtrip/report.html", "../../testdata/roundtrip/report_gbk.html")
	var pages [][]byte
	for _, f := range files {
		p, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, p)
	}
	return files, pages
}

// BenchmarkCheckCorpus checks the benchmark corpus; compare it with
// BenchmarkParseCorpus (or run go run ./bench/check, which prints the ratio).
func BenchmarkCheckCorpus(b *testing.B) {
	files, pages := corpus(b)
	opts := testOptions()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var rs []*annual.Report
		for j, p := range pages {
			rs = append(rs, Analyze(context.Background(), document.Input{Source: files[j], Data: p}, opts, annual.Hints{}))
		}
		Assemble(opts, rs, nil)
	}
}

// BenchmarkParseCorpus is the baseline: goquery parsing the same pages.
func BenchmarkParseCorpus(b *testing.B) {
	_, pages := corpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
