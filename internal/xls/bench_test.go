package xls

import (
	"context"
	"os"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

// BenchmarkRead reads the round-trip report (report.xls).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(roundtrip.File(b, "report.xls"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(context.Background(), document.Input{Source: "report.xls", Data: data}); err != nil {
			b.Fatal(err)
		}
	}
}
