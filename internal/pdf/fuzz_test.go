package pdf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

func FuzzRead(f *testing.F) {
	// Every fixture except the two full reports, whose embedded fonts make
	// them ten times larger than their -nofonts copies (same text, font
	// programs emptied, object streams): large seeds stall the fuzzer's
	// input minimisation.
	files, err := filepath.Glob(filepath.Join("testdata", "*.pdf"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed PDFs in testdata: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 100<<10 {
			continue
		}
		f.Add(data)
	}
	f.Add(onePage("BT /F1 12 Tf 72 700 Td (Hello) Tj 0 -14 Td [(W) 120 (orld)] TJ ET 10 10 m 100 10 l S", ""))
	f.Add(onePage("q 0.5 0 0 0.5 0 0 cm 0 0 200 100 re S 100 0 m 100 100 l S BT /F1 9 Tf 10 60 Td (a) Tj 110 60 Td (1) Tj ET Q", ""))
	f.Add(onePage("BT /F1 12 Tf 72 700 Td ("+strings.Repeat("a", 3000)+") Tj ET", ""))
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := document.Limits{MaxPages: 8, MaxUnpacked: 16 << 20, MaxCells: 20000}
		var doc *document.Document
		var err error
		hostile.Within(t, func(ctx context.Context) {
			doc, err = Read(ctx, document.Input{Source: "fuzz.pdf", Data: data, Limits: lim})
		})
		if errors.Is(err, errInternal) {
			t.Fatalf("recovered panic: %v", err)
		}
		if err != nil {
			return
		}
		if doc == nil || doc.Format != "pdf" {
			t.Fatalf("doc %+v without error", doc)
		}
		for _, n := range doc.Notes {
			if strings.Contains(n.Message.En, errInternal.Error()) {
				t.Fatalf("recovered panic on a page: %s", n.Message.En)
			}
		}
		for _, b := range doc.Blocks {
			if b.Table != nil && len(b.Table.Rows) == 0 {
				t.Fatal("table without rows")
			}
		}
	})
}
