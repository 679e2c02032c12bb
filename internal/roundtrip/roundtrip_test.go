package roundtrip

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
)

// recorder is a testing.TB that collects failures instead of failing the
// test, so that the checks can be shown to catch what they should.
type recorder struct {
	testing.TB
	errs  []string
	fatal bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// check runs f against a recorder on its own goroutine, as Fatal stops it.
func check(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

func cells(texts ...string) []document.Cell {
	out := make([]document.Cell, len(texts))
	for i, s := range texts {
		out[i] = document.Cell{Text: s}
	}
	return out
}

func TestDir(t *testing.T) {
	dir := Dir(t)
	if !filepath.IsAbs(dir) || filepath.Base(dir) != "roundtrip" {
		t.Errorf("Dir = %q, want an absolute path ending in testdata/roundtrip", dir)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(dir)), "go.mod")); err != nil {
		t.Errorf("Dir = %q is not under the module root: %v", dir, err)
	}
	for _, name := range []string{"tables.tsv", "report.html"} {
		if _, err := os.Stat(File(t, name)); err != nil {
			t.Errorf("File(%q): %v", name, err)
		}
	}
}

func TestGolden(t *testing.T) {
	rows := Golden(t)
	count := map[string]int{}
	for _, g := range rows {
		count[g.Table]++
		if g.Label == "" || len(g.Nums) == 0 {
			t.Errorf("row %+v: empty label or no numbers", g)
		}
	}
	if count["T2"] == 0 || count["T3"] == 0 || count["T4"] != 1 || len(count) != 3 {
		t.Errorf("rows per table %v, want T2 and T3 rows and one T4 row", count)
	}
	want := Row{Table: "T3", Label: "一、本年新收政府信息公开申请数量", Nums: []string{"142", "17", "1", "3", "8", "2", "173"}}
	i := slices.IndexFunc(rows, func(g Row) bool { return g.Label == want.Label })
	if i < 0 || rows[i].Table != want.Table || !slices.Equal(rows[i].Nums, want.Nums) {
		t.Errorf("golden rows lack %+v", want)
	}
}

func TestNorm(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"行政 许可", "行政许可"},
		{" 一、\t总体\n情况\u3000", "一、总体情况"},
		{"（一）主动公开", "（一）主动公开"},
	} {
		if got := Norm(tc.in); got != tc.want {
			t.Errorf("Norm(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValuesAfter(t *testing.T) {
	tab := &document.Table{Rows: [][]document.Cell{
		cells("信息内容", "本年制发件数"),
		append(cells("行政许可", "行政许可", "3826", ""), document.Cell{Text: "3826", Spanned: true}),
		cells("行 政 处 罚", "1275", "7"),
	}}
	for _, tc := range []struct {
		label string
		want  []string
	}{
		{"行政许可", []string{"3826"}}, // after the last label cell; spanned and empty cells left out
		{"行政处罚", []string{"1275", "7"}},
		{"本年制发件数", []string{}},
		{"行政强制", nil},
	} {
		got := ValuesAfter(tab, tc.label)
		if !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("ValuesAfter(%q) = %#v, want %#v", tc.label, got, tc.want)
		}
	}
}

func TestFindTable(t *testing.T) {
	t1 := &document.Table{Rows: [][]document.Cell{cells("信息内容")}}
	t2 := &document.Table{Rows: [][]document.Cell{cells("申请人 情况", "自然人")}}
	d := &document.Document{Blocks: []document.Block{{Text: "申请人情况"}, {Table: t1}, {Table: t2}}}
	if got := FindTable(d, "申请人情况"); got != t2 {
		t.Errorf("FindTable(申请人情况) = %+v, want the second table", got)
	}
	if got := FindTable(d, "复议后起诉"); got != nil {
		t.Errorf("FindTable(复议后起诉) = %+v, want nil", got)
	}
}

func TestCheckGoldenRows(t *testing.T) {
	rows := []Row{
		{Table: "T2", Label: "行政许可", Nums: []string{"3826"}},
		{Table: "T2", Label: "行政处罚", Nums: []string{"1275"}},
		{Table: "T4", Label: "-", Nums: []string{"1"}},
	}
	tab := &document.Table{Rows: [][]document.Cell{cells("行政许可", "3826"), cells("行政处罚", "1276")}}
	r := check(t, func(tb testing.TB) { CheckGoldenRows(tb, tab, rows, "T2") })
	if r.fatal || len(r.errs) != 1 || !strings.Contains(r.errs[0], "行政处罚") {
		t.Errorf("wrong number: fatal %v errors %q, want one error for 行政处罚", r.fatal, r.errs)
	}
	r = check(t, func(tb testing.TB) { CheckGoldenRows(tb, tab, rows, "T4") })
	if !r.fatal {
		t.Errorf("only unlabelled rows: errors %q, want a fatal failure", r.errs)
	}
	tab.Rows[1][1].Text = "1275"
	if r := check(t, func(tb testing.TB) { CheckGoldenRows(tb, tab, rows, "T2") }); len(r.errs) != 0 {
		t.Errorf("matching table: errors %q", r.errs)
	}
}

func TestCheckHeadings(t *testing.T) {
	var d document.Document
	for _, h := range headings {
		d.Blocks = append(d.Blocks, document.Block{Text: h})
	}
	d.Blocks = append(d.Blocks, document.Block{Text: "发布日期：2024-01-29"}, document.Block{Text: "（一）本年度未收取信息处理费。"})
	if r := check(t, func(tb testing.TB) { CheckHeadings(tb, &d) }); len(r.errs) != 0 {
		t.Errorf("complete document: errors %q", r.errs)
	}
	d.Blocks[1].Text += "。本年度主动公开……" // heading run into its paragraph
	d.Blocks = d.Blocks[:len(d.Blocks)-1]
	r := check(t, func(tb testing.TB) { CheckHeadings(tb, &d) })
	if len(r.errs) != 2 {
		t.Errorf("merged heading and missing sentence: errors %q, want 2", r.errs)
	}
}

func TestCheckCellTexts(t *testing.T) {
	var tab document.Table
	for _, h := range headings {
		tab.Rows = append(tab.Rows, cells(h, ""))
	}
	if r := check(t, func(tb testing.TB) { CheckCellTexts(tb, &tab) }); len(r.errs) != 2 {
		t.Errorf("sheet without the two sentences: errors %q, want 2", r.errs)
	}
	tab.Rows = append(tab.Rows,
		cells("发布日期：2024-01-29　来源：桐溪县人民政府办公室　索引号：11331127002645513X/2024-00012"),
		cells("（一）收取信息处理费情况。 本年度未收取信息处理费。"))
	if r := check(t, func(tb testing.TB) { CheckCellTexts(tb, &tab) }); len(r.errs) != 0 {
		t.Errorf("complete sheet: errors %q", r.errs)
	}
	if len(headings) != 11 {
		t.Errorf("CheckCellTexts changed headings: %d entries", len(headings))
	}
}

func TestCheckTable3Spans(t *testing.T) {
	short := &document.Table{Rows: [][]document.Cell{cells("申请人情况")}}
	if r := check(t, func(tb testing.TB) { CheckTable3Spans(tb, short) }); !r.fatal {
		t.Errorf("one-row table: errors %q, want a fatal failure", r.errs)
	}
	blank := &document.Table{Rows: make([][]document.Cell, 28)}
	for i := range blank.Rows {
		blank.Rows[i] = make([]document.Cell, 10)
	}
	// 9 header cells and 18 group cells, all wrong.
	if r := check(t, func(tb testing.TB) { CheckTable3Spans(tb, blank) }); r.fatal || len(r.errs) != 27 {
		t.Errorf("blank 28×10 table: fatal %v, %d errors, want 27", r.fatal, len(r.errs))
	}
}
