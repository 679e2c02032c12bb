package docx

import (
	"context"
	"os"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

// BenchmarkRead reads the round-trip report (report.docx).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(roundtrip.File(b, "report.docx"))
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
