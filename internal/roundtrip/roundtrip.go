// Package roundtrip holds the checks the format readers' tests share over
// the round-trip fixtures: one report (testdata/roundtrip/report.html)
// converted by scripts/make-fixtures.sh into each format, and tables.tsv,
// the data rows of its tables. Only tests import it.
package roundtrip

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/ogicheck/ogicheck/internal/document"
)

// Dir returns the fixture directory, testdata/roundtrip under the module
// root: the first directory holding go.mod, walking up from the working
// directory (a package directory under go test).
func Dir(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		_, err := os.Stat(filepath.Join(d, "go.mod"))
		if err == nil {
			return filepath.Join(d, "testdata", "roundtrip")
		}
		if !errors.Is(err, os.ErrNotExist) {
			tb.Fatal(err)
		}
		if filepath.Dir(d) == d {
			tb.Fatalf("no go.mod in %s or above", wd)
		}
	}
}

// File returns the path of the fixture called name, such as "report.doc".
func File(tb testing.TB, name string) string {
	tb.Helper()
	return filepath.Join(Dir(tb), name)
}

// Row is a line of tables.tsv: a data row of table T2, T3 or T4 with its
// label and numbers as written. Label "-" marks a row without its own label.
type Row struct {
	Table, Label string
	Nums         []string
}

// Golden reads the rows of tables.tsv.
func Golden(tb testing.TB) []Row {
	tb.Helper()
	data, err := os.ReadFile(File(tb, "tables.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	var rows []Row
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			tb.Fatalf("tables.tsv: short line %q", line)
		}
		rows = append(rows, Row{Table: f[0], Label: f[1], Nums: f[2:]})
	}
	return rows
}

// Norm drops all white space, which the formats keep differently.
func Norm(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// FindTable returns the first table having a cell that contains marker.
func FindTable(d *document.Document, marker string) *document.Table {
	for _, b := range d.Blocks {
		if b.Table == nil {
			continue
		}
		for _, r := range b.Table.Rows {
			for _, c := range r {
				if strings.Contains(Norm(c.Text), marker) {
					return b.Table
				}
			}
		}
	}
	return nil
}

// ValuesAfter returns the texts of the cells that follow the last cell
// labelled label, in the first row holding such a cell, leaving out spanned
// copies and empty cells (spreadsheet rows are padded to the sheet width).
func ValuesAfter(tab *document.Table, label string) []string {
	for _, r := range tab.Rows {
		last := -1
		for i, c := range r {
			if Norm(c.Text) == Norm(label) {
				last = i
			}
		}
		if last < 0 {
			continue
		}
		out := []string{}
		for _, c := range r[last+1:] {
			if !c.Spanned && c.Text != "" {
				out = append(out, c.Text)
			}
		}
		return out
	}
	return nil
}

// CheckGoldenRows compares every golden row of table name with the grid.
func CheckGoldenRows(tb testing.TB, tab *document.Table, rows []Row, name string) {
	tb.Helper()
	n := 0
	for _, g := range rows {
		if g.Table != name || g.Label == "-" {
			continue
		}
		n++
		if got := ValuesAfter(tab, g.Label); strings.Join(got, " ") != strings.Join(g.Nums, " ") {
			tb.Errorf("%s row %q: got %q, want %q", name, g.Label, got, g.Nums)
		}
	}
	if n == 0 {
		tb.Fatalf("no golden rows for %s", name)
	}
}

var headings = []string{
	"一、总体情况", "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障",
	"二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
	"五、存在的主要问题及改进情况", "六、其他需要报告的事项",
}

// CheckHeadings checks that each section heading of the report is a
// paragraph of its own and that the text holds two key sentences.
func CheckHeadings(tb testing.TB, d *document.Document) {
	tb.Helper()
	have := map[string]bool{}
	for _, l := range d.Lines() {
		have[Norm(l)] = true
	}
	for _, h := range headings {
		if !have[Norm(h)] {
			tb.Errorf("heading %q is not a paragraph of its own", h)
		}
	}
	text := d.Text()
	for _, s := range []string{"发布日期：2024-01-29", "本年度未收取信息处理费。"} {
		if !strings.Contains(text, s) {
			tb.Errorf("text lacks %q", s)
		}
	}
}

// CheckCellTexts checks that the headings and key sentences are cells of the
// sheet: a spreadsheet has no paragraphs, each text line is a row.
func CheckCellTexts(tb testing.TB, tab *document.Table) {
	tb.Helper()
	have := map[string]bool{}
	for _, r := range tab.Rows {
		for _, c := range r {
			have[Norm(c.Text)] = true
		}
	}
	for _, h := range append(headings, "发布日期：2024-01-29　来源：桐溪县人民政府办公室　索引号：11331127002645513X/2024-00012", "（一）收取信息处理费情况。本年度未收取信息处理费。") {
		if !have[Norm(h)] {
			tb.Errorf("no cell %q", h)
		}
	}
}

// CheckTable3Spans checks the expanded header and group cells of table 三
// for an aligned 10-column grid.
func CheckTable3Spans(tb testing.TB, tab *document.Table) {
	tb.Helper()
	if len(tab.Rows) != 28 {
		tb.Fatalf("table 三 has %d rows, want 28", len(tab.Rows))
	}
	for i, r := range tab.Rows {
		if len(r) != 10 {
			tb.Fatalf("table 三 row %d has %d cells, want 10: %+v", i, len(r), r)
		}
	}
	const gou = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
	for ri := 0; ri < 3; ri++ {
		for ci := 0; ci < 3; ci++ {
			c := tab.Rows[ri][ci]
			if Norm(c.Text) != gou || c.Spanned != (ri != 0 || ci != 0) {
				tb.Errorf("header cell (%d,%d) = %+v, want the 勾稽关系 cell, spanned=%v", ri, ci, c, ri != 0 || ci != 0)
			}
		}
	}
	want := []struct {
		r, c    int
		text    string
		spanned bool
	}{
		{0, 3, "申请人情况", false}, {0, 9, "申请人情况", true},
		{1, 3, "自然人", false}, {2, 3, "自然人", true},
		{1, 4, "法人或其他组织", false}, {1, 8, "法人或其他组织", true},
		{1, 9, "总计", false}, {2, 9, "总计", true},
		{2, 4, "商业企业", false}, {2, 8, "其他", false},
		{5, 0, "三、本年度办理结果", false}, {26, 0, "三、本年度办理结果", true},
		{7, 1, "（三）不予公开", false}, {14, 1, "（三）不予公开", true},
		{26, 1, "（七）总计", false}, {26, 2, "（七）总计", true},
		{27, 0, "四、结转下年度继续办理", false}, {27, 2, "四、结转下年度继续办理", true},
	}
	for _, w := range want {
		c := tab.Rows[w.r][w.c]
		if Norm(c.Text) != w.text || c.Spanned != w.spanned {
			tb.Errorf("cell (%d,%d) = %+v, want %q spanned=%v", w.r, w.c, c, w.text, w.spanned)
		}
	}
}
