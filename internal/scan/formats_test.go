package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/result"
)

// fingerprint is what must not depend on the file format: the report's
// facts and every finding with its evidence.
func fingerprint(d *result.Document) []string {
	out := []string{fmt.Sprintf("kind=%s year=%v template=%v published=%v level=%v agency=%s title=%s sections=%d tables=%d",
		d.Kind, deref(d.Year), deref(d.Template), deref(d.Published), deref(d.AgencyLevel), d.Agency, d.Title, len(d.Sections), len(d.Tables))}
	for _, f := range d.Findings {
		e := f.Evidence
		out = append(out, fmt.Sprintf("%s %s table=%s row=%s column=%s expected=%s actual=%s", f.Rule, f.Severity, e.Table, e.Row, e.Column, e.Expected, e.Actual))
	}
	sort.Strings(out[1:])
	return out
}

// TestSameReportEveryFormat checks one report saved by LibreOffice as
// DOCX, DOC, PDF, XLSX and XLS (scripts/make-fixtures.sh), in GBK HTML, as
// OFD and as text: every format must give the findings the HTML gives.
func TestSameReportEveryFormat(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "roundtrip")
	ref := checkFile(t, filepath.Join(dir, "report.html"))
	want := fingerprint(ref)
	if n := len(ref.Findings); n != 2 {
		t.Fatalf("report.html: %d findings, want the two planted T3-COL failures: %v", n, want)
	}
	for _, f := range []string{"report.docx", "report.doc", "report.pdf", "report.xlsx", "report.xls", "report_gbk.html", "report.ofd", "report.txt"} {
		t.Run(f, func(t *testing.T) {
			got := fingerprint(checkFile(t, filepath.Join(dir, f)))
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s differs from report.html\ngot:\n  %s\nwant:\n  %s", f, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

func checkFile(t *testing.T, path string) *result.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return checkText(t, path, data, Options{})
}

// TestRealPDFs checks the two real PDF reports of 淮安市洪泽区人民政府: the
// 2023 one prints 行政复议 结果维持 10 + 结果纠正 1 with 总计 0 (and
// 复议后起诉 5 with 总计 0); the 2024 one is consistent.
func TestRealPDFs(t *testing.T) {
	tests := []struct {
		file       string
		year       int
		identities []string // "row column" of every table-identity finding
	}{
		{"2023-jiangsu-huaian-hongzequ.pdf", 2023, []string{"复议后起诉 复议后起诉/总计", "行政复议 行政复议/总计"}},
		{"2024-jiangsu-huaian-hongzequ.pdf", 2024, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d := checkFile(t, filepath.Join("..", "..", "testdata", "pdfs", tt.file))
			if deref(d.Year) != tt.year || deref(d.Template) != result.Template2021 || d.Kind != result.KindAnnualReport {
				t.Errorf("year %v template %v kind %s, want %d 2021 annual-report", deref(d.Year), deref(d.Template), d.Kind, tt.year)
			}
			if deref(d.AgencyLevel) != result.LevelGovernment {
				t.Errorf("level %v, want government", deref(d.AgencyLevel))
			}
			var secs []int
			for _, s := range d.Sections {
				secs = append(secs, s.Number)
			}
			if fmt.Sprint(secs) != "[1 2 3 4 5 6]" {
				t.Errorf("sections %v, want all six in order", secs)
			}
			tables := map[string]int{}
			for _, tb := range d.Tables {
				tables[tb.ID] = len(tb.Rows)
			}
			// table 三 prints the 2019 single （六）其他处理 row: 19 result rows
			// plus 一, 二, （七） and 四: 23 rows, the （六） row kept as its subtotal
			if tables["二"] != 6 || tables["三"] != 23 || tables["四"] != 1 {
				t.Errorf("rows per table %v, want 二:6 三:23 四:1", tables)
			}
			// the PDF's pages: sections and tables in order, from page 1
			// to the last (the reports have 4 to 6 pages)
			last := 1
			var pages []string
			for _, s := range d.Sections {
				pages = append(pages, fmt.Sprintf("%d:p%d", s.Number, s.Page))
				if s.Page < last || s.Page > 8 {
					t.Errorf("section %d on page %d, after page %d", s.Number, s.Page, last)
				}
				last = max(last, s.Page)
			}
			for _, tb := range d.Tables {
				pages = append(pages, fmt.Sprintf("%s:p%d", tb.ID, tb.Page))
				if tb.Page < 1 || tb.Page > 8 {
					t.Errorf("table %s on page %d", tb.ID, tb.Page)
				}
			}
			if d.Sections[0].Page != 1 || last < 2 {
				t.Errorf("pages %v: want the first section on page 1 and the last ones further on", pages)
			}
			var got []string
			for _, f := range d.Findings {
				if f.Category == result.CatTableIdentity {
					got = append(got, f.Evidence.Row+" "+f.Evidence.Column)
					if len(f.Evidence.Cells) != 5 {
						t.Errorf("%s names %d cells, want the group's 5", f.Rule, len(f.Evidence.Cells))
					}
				}
			}
			sort.Strings(got)
			if strings.Join(got, "|") != strings.Join(tt.identities, "|") {
				t.Errorf("table-identity findings %q, want %q", got, tt.identities)
			}
		})
	}
}
