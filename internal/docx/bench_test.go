package docx

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
)

// BenchmarkRead reads the round-trip report (report.docx).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(roundtrip, "report.docx"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(context.Background(), document.Input{Source: "report.docx", Data: data}); err != nil {
			b.Fatal(err)
		}
	}
}
