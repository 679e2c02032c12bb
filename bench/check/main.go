// Command check measures how long ogicheck takes to check HTML reports
// against merely parsing the same pages with goquery, in one run, and
// prints the ratio. Run: go run ./bench/check [-rounds 3] [dir or files...]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/scan"
)

func main() {
	rounds := flag.Int("rounds", 3, "alternating measurement rounds")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		args = []string{"testdata/corpus", "testdata/roundtrip/report.html", "testdata/roundtrip/report_gbk.html"}
	}
	var files []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/check:", err)
			os.Exit(2)
		}
		if fi.IsDir() {
			m, _ := filepath.Glob(filepath.Join(a, "*.html"))
			files = append(files, m...)
		} else {
			files = append(files, a)
		}
	}
	var pages [][]byte
	total := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/check:", err)
			os.Exit(2)
		}
		pages = append(pages, b)
		total += len(b)
	}
	if len(pages) == 0 {
		fmt.Fprintln(os.Stderr, "bench/check: no .html files")
		os.Exit(2)
	}
	var opts scan.Options
	opts.Now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	check := func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var reports []*annual.Report
			for j, p := range pages {
				reports = append(reports, scan.Analyze(context.Background(), document.Input{Source: files[j], Data: p}, opts, annual.Hints{}))
			}
			scan.Assemble(opts, reports, nil)
		}
	}
	parse := func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for _, p := range pages {
				if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p)); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	var best [2]time.Duration
	for r := 0; r < *rounds; r++ {
		for k, f := range []func(*testing.B){check, parse} {
			res := testing.Benchmark(f)
			d := time.Duration(res.NsPerOp())
			if best[k] == 0 || d < best[k] {
				best[k] = d
			}
		}
	}
	fmt.Printf("corpus: %d HTML reports, %d KiB\n", len(pages), total/1024)
	fmt.Printf("%-34s %12s %12s\n", "", "per corpus", "per report")
	fmt.Printf("%-34s %12s %12s\n", "ogicheck check (read+analyse+rules)", best[0].Round(time.Microsecond), (best[0] / time.Duration(len(pages))).Round(time.Microsecond))
	fmt.Printf("%-34s %12s %12s\n", "goquery parse only (baseline)", best[1].Round(time.Microsecond), (best[1] / time.Duration(len(pages))).Round(time.Microsecond))
	fmt.Printf("ratio check/parse: %.2f (goal ≤ 2.0)\n", float64(best[0])/float64(best[1]))
}
