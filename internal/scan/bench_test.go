package scan

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
)

func BenchmarkCorpus(b *testing.B) {
	files, _ := filepath.Glob("../../testdata/corpus/*.html")
	var pages [][]byte
	for _, f := range files {
		p, _ := os.ReadFile(f)
		pages = append(pages, p)
	}
	opts := Options{Now: testNow}
	for i := 0; i < b.N; i++ {
		var rs []*annual.Report
		for j, p := range pages {
			rs = append(rs, Analyze(context.Background(), document.Input{Source: files[j], Data: p}, opts, annual.Options{}, ""))
		}
		Assemble(opts, rs, nil, nil)
	}
}
