package scan

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

// FuzzCheck runs the whole pipeline, from bytes of any format through the
// analysis and every rule, on arbitrary input: no input may panic.
func FuzzCheck(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "seeds", "*.txt"))
	seeds = append(seeds, filepath.Join("..", "..", "testdata", "roundtrip", "report.html"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data, s)
		}
	}
	f.Add([]byte("一、本年新收政府信息公开申请数量 | 1 | 2\n四、结转下年度继续办理 | x |\n行政复议\n1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"), "x.txt")
	for _, s := range hostile.Seeds() {
		f.Add(s.Data, s.Name)
	}
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		opts := testOptions()
		opts.defaults()
		hostile.Within(t, func(ctx context.Context) {
			r := Analyze(ctx, document.Input{Source: name, Data: data}, opts, annual.Hints{})
			res := Assemble(opts, []*annual.Report{r, r}, nil)
			if len(res.Documents) != 2 {
				t.Fatalf("%d documents", len(res.Documents))
			}
		})
	})
}
