// Command pdf benchmarks the PDF reader (internal/pdf) against
// `pdftotext -layout` on the same files in one run: time per file and the
// ratio ours/pdftotext, plus how many cells of table 三 each recovers,
// checked against the hand-written ground truth in truth.json.
//
//	go run ./bench/pdf [-n 20] [-truth bench/pdf/truth.json] [file.pdf ...]
//
// Without files it reads the two real reports in internal/pdf/testdata.
// The tools run interleaved and the median time per file is reported.
// Our time is measured twice: in-process (the library as the crawler uses
// it) and as a process per file (this binary re-run with -extract), which
// is the fair comparison with pdftotext's process per file.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/pdf"
)

type truthRow struct {
	Label  string   `json:"label"`
	Values []string `json:"values"`
}

type truthFile struct {
	Table3 []truthRow `json:"table3"`
}

type result struct {
	file                  string
	ours, oursProc, poppl time.Duration // per iteration
	oursCells, popCells   int
	totalCells            int
}

func main() {
	n := flag.Int("n", 20, "iterations per file and tool")
	truthPath := flag.String("truth", filepath.Join("bench", "pdf", "truth.json"), "ground truth for table 三")
	extract := flag.String("extract", "", "read one file and exit (used to time our reader as a process)")
	flag.Parse()
	if *extract != "" {
		if err := extractOnce(*extract); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	files := flag.Args()
	if len(files) == 0 {
		files = []string{
			filepath.Join("testdata", "pdfs", "2023-jiangsu-huaian-hongzequ.pdf"),
			filepath.Join("testdata", "pdfs", "2024-jiangsu-huaian-hongzequ.pdf"),
		}
	}
	truth := map[string]truthFile{}
	if raw, err := os.ReadFile(*truthPath); err != nil {
		fail("read ground truth: %v", err)
	} else if err := json.Unmarshal(raw, &truth); err != nil {
		fail("parse ground truth %s: %v", *truthPath, err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		fail("pdftotext not found: install poppler-utils (bench/pdf/run.sh does)")
	}
	self, err := os.Executable()
	if err != nil {
		fail("locate this binary: %v", err)
	}
	var results []result
	for _, f := range files {
		r, err := benchFile(f, *n, self, truth[filepath.Base(f)].Table3)
		if err != nil {
			fail("%s: %v", f, err)
		}
		results = append(results, r)
	}
	report(results, *n)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench/pdf: "+format+"\n", args...)
	os.Exit(1)
}

func extractOnce(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, err := pdf.Read(context.Background(), document.Input{Source: path, Data: data})
	if err != nil {
		return err
	}
	_, err = os.Stdout.WriteString(doc.Text())
	return err
}

func benchFile(path string, n int, self string, truth []truthRow) (result, error) {
	r := result{file: filepath.Base(path), totalCells: 7 * len(truth)}
	data, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	ctx := context.Background()
	// Warm both once (page cache, lazy init) and keep their output.
	doc, err := pdf.Read(ctx, document.Input{Source: path, Data: data})
	if err != nil {
		return r, err
	}
	layout, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		return r, fmt.Errorf("pdftotext: %w", err)
	}
	if out, err := exec.Command(self, "-extract", path).Output(); err != nil || len(out) == 0 {
		return r, fmt.Errorf("run %s -extract: %v", self, err)
	}

	// The three are interleaved and the median kept, so that load from
	// other processes hits all of them alike and spikes do not count.
	var ours, proc, pop []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		if _, err := pdf.Read(ctx, document.Input{Source: path, Data: data}); err != nil {
			return r, err
		}
		ours = append(ours, time.Since(start))

		start = time.Now()
		if err := exec.Command(self, "-extract", path).Run(); err != nil {
			return r, err
		}
		proc = append(proc, time.Since(start))

		start = time.Now()
		var out bytes.Buffer
		cmd := exec.Command("pdftotext", "-layout", path, "-")
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			return r, err
		}
		pop = append(pop, time.Since(start))
	}
	r.ours, r.oursProc, r.poppl = median(ours), median(proc), median(pop)

	r.oursCells = score(truth, ourRows(doc))
	r.popCells = score(truth, layoutRows(string(layout)))
	return r, nil
}

type row struct {
	label  string
	values []string
}

var numRe = regexp.MustCompile(`^(?:-?[0-9][0-9,]*(?:\.[0-9]+)?|[-—/])$`)

// ourRows takes the table rows the reader produced: the last text cell
// before the trailing numbers is the label.
func ourRows(doc *document.Document) []row {
	var out []row
	for _, b := range doc.Blocks {
		if b.Table == nil {
			continue
		}
		for _, cells := range b.Table.Rows {
			first := len(cells)
			for first > 0 && numRe.MatchString(cells[first-1].Text) {
				first--
			}
			if len(cells)-first < 7 {
				continue
			}
			label := ""
			for i := first - 1; i >= 0; i-- {
				if cells[i].Text != "" {
					label = cells[i].Text
					break
				}
			}
			var vals []string
			for _, c := range cells[first:] {
				vals = append(vals, c.Text)
			}
			out = append(out, row{label, vals})
		}
	}
	return out
}

// layoutRows parses pdftotext -layout output as label + trailing numbers.
func layoutRows(text string) []row {
	var out []row
	for _, line := range strings.Split(text, "\n") {
		fields := strings.Fields(line)
		first := len(fields)
		for first > 0 && numRe.MatchString(fields[first-1]) {
			first--
		}
		if len(fields)-first < 7 {
			continue
		}
		out = append(out, row{strings.Join(fields[:first], " "), fields[first:]})
	}
	return out
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// score counts the truth cells found: each truth row takes the first
// unused extracted row whose label contains the truth label, and its last
// seven values are compared position by position.
func score(truth []truthRow, rows []row) int {
	used := make([]bool, len(rows))
	correct := 0
	for _, t := range truth {
		want := squash(t.Label)
		for i, r := range rows {
			if used[i] || !strings.Contains(squash(r.label), want) {
				continue
			}
			used[i] = true
			vals := r.values[len(r.values)-len(t.Values):]
			for k, v := range t.Values {
				if vals[k] == v {
					correct++
				}
			}
			break
		}
	}
	return correct
}

func report(results []result, n int) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "file\tours in-process\tours as process\tpdftotext -layout\tratio in-process\tratio process\tours cells\tpdftotext cells\t\n")
	var tot result
	for _, r := range results {
		line(w, r)
		tot.ours += r.ours
		tot.oursProc += r.oursProc
		tot.poppl += r.poppl
		tot.oursCells += r.oursCells
		tot.popCells += r.popCells
		tot.totalCells += r.totalCells
	}
	tot.file = "total"
	line(w, tot)
	w.Flush()
	fmt.Printf("\n%d interleaved iterations per file; times are medians per file. Ratio = ours / pdftotext (goal ≤ 1.0).\n", n)
	fmt.Println("Cells: table 三 values equal to bench/pdf/truth.json (7 per row).")
}

func line(w *tabwriter.Writer, r result) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%.2f\t%.2f\t%d/%d\t%d/%d\t\n", r.file, ms(r.ours), ms(r.oursProc), ms(r.poppl),
		float64(r.ours)/float64(r.poppl), float64(r.oursProc)/float64(r.poppl),
		r.oursCells, r.totalCells, r.popCells, r.totalCells)
}
