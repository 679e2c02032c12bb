package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/result"
)

var testNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func seedPath(t *testing.T, prefix string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join("..", "..", "testdata", "seeds", prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s: %v %v", prefix, m, err)
	}
	return m[0]
}

func checkText(t *testing.T, name string, text []byte, opts Options) *result.Document {
	t.Helper()
	opts.Now = testNow
	opts.defaults()
	r := Analyze(context.Background(), document.Input{Source: name, Data: text}, opts, annual.Hints{})
	res := Assemble(opts, []*annual.Report{r}, nil)
	return res.Documents[0]
}

func categories(d *result.Document) map[string]int {
	m := map[string]int{}
	for _, f := range d.Findings {
		m[f.Category]++
	}
	return m
}

func missingSections(d *result.Document) []int {
	var out []int
	for _, f := range d.Findings {
		if f.Category == result.CatMissingSection {
			out = append(out, f.Evidence.Section)
		}
	}
	sort.Ints(out)
	return out
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestSeeds checks the five real documents against what the core checker
// must say about them.
func TestSeeds(t *testing.T) {
	tests := []struct {
		seed      string
		kind      result.Kind
		year      any
		template  any
		published any
		missing   []int
		cats      map[string]int // exact counts of these categories
		sections  int
	}{
		{seed: "000", kind: result.KindAnnualReport, year: 2018, template: result.TemplatePre2019, published: "2019-04-23",
			cats: map[string]int{result.CatLatePublication: 1, result.CatMissingSection: 0}},
		{seed: "001", kind: result.KindOther, template: nil,
			cats: map[string]int{result.CatMissingSection: 0, result.CatNotAnnualReport: 1, result.CatMissingTable: 0}},
		{seed: "002", kind: result.KindAnnualReport, year: 2020, template: result.Template2019, published: nil, missing: []int{3, 4},
			cats: map[string]int{result.CatUnknownPublicationDate: 1}},
		{seed: "003", kind: result.KindAnnualReport, year: 2013, template: result.TemplatePre2019, published: "2014-03-31",
			cats: map[string]int{result.CatLatePublication: 0}},
		{seed: "004", kind: result.KindAnnualReport, year: 2019, template: result.Template2019, sections: 6,
			cats: map[string]int{result.CatTableIdentity: 0, result.CatMissingSection: 0, result.CatMissingTable: 0, result.CatMissingRow: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			p := seedPath(t, tt.seed)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			d := checkText(t, p, data, Options{})
			if d.Kind != tt.kind {
				t.Errorf("kind = %s, want %s (%s)", d.Kind, tt.kind, d.KindReason)
			}
			if tt.year != nil && deref(d.Year) != tt.year {
				t.Errorf("year = %v, want %v", deref(d.Year), tt.year)
			}
			if deref(d.Template) != tt.template {
				t.Errorf("template = %v, want %v", deref(d.Template), tt.template)
			}
			if tt.kind == result.KindAnnualReport && deref(d.Published) != tt.published {
				t.Errorf("published = %v, want %v", deref(d.Published), tt.published)
			}
			if got := missingSections(d); fmt.Sprint(got) != fmt.Sprint(tt.missing) && !(len(got) == 0 && len(tt.missing) == 0) {
				t.Errorf("missing sections = %v, want %v", got, tt.missing)
			}
			got := categories(d)
			for c, n := range tt.cats {
				if got[c] != n {
					t.Errorf("%s findings = %d, want %d; all: %v", c, got[c], n, got)
				}
			}
			if tt.sections > 0 && len(d.Sections) != tt.sections {
				t.Errorf("sections = %d, want %d", len(d.Sections), tt.sections)
			}
		})
	}
}

// TestSeed004EveryCellChanged changes each number of tables 三 and 四 of
// seed 004 in turn: every change must give a table-identity error naming
// the changed cell's row and column.
func TestSeed004EveryCellChanged(t *testing.T) {
	p := seedPath(t, "004")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "(本列数据的勾稽关系") {
			start = i
		}
	}
	if start < 0 {
		t.Fatal("table 三 not found in seed 004")
	}
	mutations := 0
	for i := start; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "五、") {
			break
		}
		cells := strings.Split(lines[i], "|")
		for j, c := range cells {
			n, err := strconv.Atoi(strings.TrimSpace(c))
			if err != nil {
				continue
			}
			changed := append([]string(nil), cells...)
			newVal := strconv.Itoa(n + 7) // a value found nowhere else in the tables
			changed[j] = " " + newVal + " "
			mutated := append(append(append([]string(nil), lines[:i]...), strings.Join(changed, "|")), lines[i+1:]...)
			mutations++
			name := fmt.Sprintf("line %d cell %d", i+1, j)
			opts := testOptions()
			opts.defaults()
			r := Analyze(context.Background(), document.Input{Source: name, Data: []byte(strings.Join(mutated, "\n"))}, opts, annual.Hints{})
			row, col := locate(r, newVal, cells[0])
			if row == "" {
				t.Errorf("%s: the changed cell %q was not read into any table row", name, newVal)
				continue
			}
			d := Assemble(opts, []*annual.Report{r}, nil).Documents[0]
			if !namesCell(d, row, col, newVal) {
				t.Errorf("%s (%s / %s = %s): no table-identity error names the cell; findings: %v", name, row, col, newVal, d.Findings)
			}
		}
	}
	if mutations < 7*22+15 {
		t.Errorf("only %d cells changed; tables 三 and 四 have %d numbers", mutations, 7*22+15)
	}
}

// locate finds which template row and column hold the changed value.
func locate(r *annual.Report, val, firstCell string) (row, col string) {
	for _, id := range []string{"三", "四"} {
		t := r.Tables[id]
		if t == nil {
			continue
		}
		for _, rw := range t.Rows {
			for _, c := range rw.Cells {
				if c.Value.Raw == val && val != "0" {
					if id == "四" || strings.Contains(rw.Printed, strings.TrimSpace(firstCell)) || strings.TrimSpace(firstCell) == "" ||
						strings.Contains(strings.TrimSpace(firstCell), rw.Spec.Label[:3]) {
						return rw.Spec.Label, c.Column
					}
				}
			}
		}
	}
	return "", ""
}

func namesCell(d *result.Document, row, col, val string) bool {
	for _, f := range d.Findings {
		if f.Category != result.CatTableIdentity || f.Severity != result.SeverityError {
			continue
		}
		for _, c := range f.Evidence.Cells {
			if c.Column == col && c.Raw == val && (strings.Contains(c.Row, row) || row == "政府信息公开行政复议、行政诉讼情况") {
				return true
			}
		}
	}
	return false
}

// TestSeed004SectionRemoved removes each section heading of seed 004 in
// turn: exactly that section must be reported missing.
func TestSeed004SectionRemoved(t *testing.T) {
	p := seedPath(t, "004")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for n, h := range annual.SectionTitles {
		if n == 0 {
			continue
		}
		text := strings.Replace(string(data), h+"\n", "", 1)
		if text == string(data) {
			t.Fatalf("heading %q not in seed 004", h)
		}
		d := checkText(t, h, []byte(text), Options{})
		if got := missingSections(d); fmt.Sprint(got) != fmt.Sprint([]int{n}) {
			t.Errorf("without %s: missing sections %v, want [%d]", h, got, n)
		}
		for _, f := range d.Findings {
			if f.Category == result.CatSectionOrder || f.Category == result.CatDuplicateSection {
				t.Errorf("without %s: unexpected %s", h, f.Rule)
			}
		}
	}
}

func testOptions() Options {
	var o Options
	o.Now = testNow
	return o
}
