package xls

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/internal/ole"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

func readFile(t testing.TB, path string, lim document.Limits) *document.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), document.Input{Source: path, Data: data, Limits: lim})
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return d
}

func TestReadRoundtrip(t *testing.T) {
	d := readFile(t, roundtrip.File(t, "report.xls"), document.Limits{})
	if d.Format != "xls" || d.Title != "桐溪县人民政府办公室2023年政府信息公开工作年度报告" || len(d.Notes) != 0 {
		t.Errorf("format %q title %q notes %+v", d.Format, d.Title, d.Notes)
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Table == nil {
		t.Fatalf("%d blocks, want the one sheet as a table", len(d.Blocks))
	}
	tb := d.Blocks[0].Table
	for i, r := range tb.Rows {
		if len(r) != len(tb.Rows[0]) {
			t.Fatalf("row %d has %d cells, want %d (aligned grid)", i, len(r), len(tb.Rows[0]))
		}
	}
	roundtrip.CheckCellTexts(t, tb)
	golden := roundtrip.Golden(t)
	roundtrip.CheckGoldenRows(t, tb, golden, "T2")
	roundtrip.CheckGoldenRows(t, tb, golden, "T3")
	var gou, group int
	for _, r := range tb.Rows {
		if strings.HasPrefix(r[0].Text, "（本列数据的勾稽关系") && (gou == 0) == !r[0].Spanned {
			gou++
		}
		if r[0].Text == "三、本年度办理结果" && (group == 0) == !r[0].Spanned {
			group++
		}
	}
	if gou != 3 || group != 22 {
		t.Errorf("勾稽关系 cell covers %d rows (want 3), 三、本年度办理结果 %d (want 22)", gou, group)
	}
}

// TestReadMatchesXLSX: the same sheet saved by LibreOffice as .xls and as
// .xlsx reads into the same grid.
func TestReadMatchesXLSX(t *testing.T) {
	d := readFile(t, roundtrip.File(t, "report.xls"), document.Limits{})
	got := d.Text()
	for _, want := range []string{
		"一、本年新收政府信息公开申请数量 | 142 | 17 | 1 | 3 | 8 | 2 | 173\n",
		"行政事业性收费 |",
		"| 236.52\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

// TestReadSSTContinue reads a register whose shared string table spans
// several CONTINUE records, with strings split across them.
func TestReadSSTContinue(t *testing.T) {
	data, err := os.ReadFile("testdata/applications.xls")
	if err != nil {
		t.Fatal(err)
	}
	streams, err := ole.Streams(data, 1<<30, "Workbook")
	if err != nil {
		t.Fatal(err)
	}
	p := &parser{ctx: context.Background(), data: streams["Workbook"], maxCells: 1 << 20}
	if err := p.parse(); err != nil {
		t.Fatal(err)
	}
	if p.sstParts < 2 || p.sstSplits == 0 {
		t.Fatalf("SST in %d records with %d split strings: the fixture no longer exercises CONTINUE", p.sstParts, p.sstSplits)
	}
	html, err := os.ReadFile("testdata/applications.html")
	if err != nil {
		t.Fatal(err)
	}
	d := readFile(t, "testdata/applications.xls", document.Limits{})
	tb := d.Blocks[0].Table
	if len(tb.Rows) != 81 {
		t.Fatalf("%d rows, want 81", len(tb.Rows))
	}
	for i, r := range tb.Rows[1:] {
		// Every cell text must appear in the source as a whole cell.
		for _, c := range []int{0, 2, 3, 4} {
			if !strings.Contains(string(html), "<td>"+r[c].Text+"</td>") {
				t.Errorf("row %d cell %d %q is not a cell of the source", i+1, c, r[c].Text)
			}
		}
		if len(r[1].Text) != 10 || !strings.HasPrefix(r[1].Text, "2023-") {
			t.Errorf("row %d date %q, want 2023-MM-DD", i+1, r[1].Text)
		}
	}
}

func TestReadSample(t *testing.T) {
	d := readFile(t, "testdata/sample.xls", document.Limits{})
	tb := d.Blocks[0].Table
	for _, w := range []struct{ label, want string }{
		{"一、本年新收政府信息公开申请数量", "600 50 28 678"},
		{"二、上年结转政府信息公开申请数量", "10 0 0 10"},
		{"行政规范性文件", "27 5 312"},
	} {
		if got := strings.Join(roundtrip.ValuesAfter(tb, w.label), " "); got != w.want {
			t.Errorf("%s: %q, want %q", w.label, got, w.want)
		}
	}
}

func TestNumberFormats(t *testing.T) {
	p := &parser{formats: map[int]string{164: `yyyy"年"m"月"d"日"`, 165: "0.000", 166: "[Red]0.0%"}, xfFormat: []int{0, 164, 165, 166, 14, 2}}
	tests := []struct {
		v    float64
		xf   int
		want string
	}{
		{600, 0, "600"},
		{236.52, 0, "236.52"},
		{0.1 + 0.2, 0, "0.3"},
		{-8, 0, "-8"},
		{45320, 1, "2024-01-29"},
		{45320, 4, "2024-01-29"},
		{1.5, 2, "1.500"},
		{0.125, 3, "12.5%"},
		{3, 5, "3.00"},
		{1e20, 0, "100000000000000000000"},
	}
	for _, tc := range tests {
		if got := p.number(tc.v, tc.xf); got != tc.want {
			t.Errorf("number(%v, xf %d) = %q, want %q", tc.v, tc.xf, got, tc.want)
		}
	}
	if got := rk(0x02F1_0002 | 2); got != float64(int32(0x02F10002)>>2) {
		t.Errorf("rk integer = %v", got)
	}
	if got := rk(uint32(600<<2) | 3); got != 6 {
		t.Errorf("rk integer/100 = %v, want 6", got)
	}
}

// biff builds a Workbook stream from records.
func biff(recs ...[]byte) []byte {
	var out []byte
	for _, r := range recs {
		out = append(out, r...)
	}
	return out
}

func rec(typ uint16, data []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, typ)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

// bof is a BIFF8 BOF record of the given substream type.
func bof(dt uint16) []byte {
	return rec(recBOF, binary.LittleEndian.AppendUint16([]byte{0x00, 0x06}, dt))
}

func TestParseRecords(t *testing.T) {
	label := func(r, c int, s string) []byte {
		b := []byte{byte(r), 0, byte(c), 0, 0, 0, byte(len(s)), 0, 0}
		return rec(recLABEL, append(b, s...))
	}
	num := func(r, c int, v uint32) []byte {
		return rec(recRK, binary.LittleEndian.AppendUint32([]byte{byte(r), 0, byte(c), 0, 0, 0}, v<<2|2))
	}
	// Formula with a cached string result, a merged range A3:B3.
	formula := rec(recFORMULA, append([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 6)...))
	str := rec(recSTRING, []byte{3, 0, 0, 'a', 'b', 'c'})
	merge := rec(recMERGEDCELLS, []byte{1, 0, 2, 0, 2, 0, 0, 0, 1, 0})
	stream := biff(bof(5), rec(recEOF, nil),
		bof(0x10), label(0, 0, "x"), num(0, 1, 42), formula, str, label(2, 0, "m"), merge, rec(recEOF, nil))
	p := &parser{ctx: context.Background(), data: stream, maxCells: 100}
	if err := p.parse(); err != nil {
		t.Fatal(err)
	}
	tb, _, _, _ := p.sheets[0].table(100, document.NewInterrupt(context.Background()))
	got := strings.TrimSpace((&document.Document{Blocks: []document.Block{{Table: tb}}}).Text())
	// the merged m once, the position it covers left out
	if want := "x | 42\nabc | \nm"; got != want {
		t.Errorf("grid:\n%s\nwant:\n%s", got, want)
	}

	// FILEPASS in the globals: encrypted.
	p = &parser{ctx: context.Background(), data: biff(bof(5), rec(recFILEPASS, []byte{1, 0})), maxCells: 100}
	if err := p.parse(); !errors.Is(err, errEncrypted) {
		t.Errorf("FILEPASS: err = %v", err)
	}
	// BIFF5 BOF.
	p = &parser{ctx: context.Background(), data: rec(recBOF, []byte{0x00, 0x05, 0x05, 0x00}), maxCells: 100}
	if err := p.parse(); !errors.Is(err, errOldBIFF) {
		t.Errorf("BIFF5: err = %v", err)
	}
}

func TestReadErrors(t *testing.T) {
	good, err := os.ReadFile(roundtrip.File(t, "report.xls"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(roundtrip.File(t, "report.doc"))
	if err != nil {
		t.Fatal(err)
	}
	xlsx, err := os.ReadFile(roundtrip.File(t, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, want  string
		data        []byte
		unsupported bool
	}{
		{"html saved as xls", "an HTML page", []byte("<html><head><meta charset=gbk></head><table><tr><td>1</td></tr></table></html>"), true},
		{"xlsx named xls", "zip archive", xlsx, true},
		{"word document", "a Word document", doc, true},
		{"truncated header", "damaged OLE2", good[:300], false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(context.Background(), document.Input{Source: "x.xls", Data: tc.data})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.xls") {
				t.Fatalf("err = %v, want one naming x.xls and %q", err, tc.want)
			}
			if errors.Is(err, document.ErrUnsupported) != tc.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", !tc.unsupported, tc.unsupported)
			}
		})
	}
	// Cut in the middle: an error or a partial read, never a panic.
	for _, n := range []int{len(good) / 2, len(good) - 700} {
		d, err := Read(context.Background(), document.Input{Source: "cut.xls", Data: good[:n]})
		if err == nil && (d == nil || len(d.Notes) == 0 && len(d.Blocks) == 0) {
			t.Errorf("cut at %d: no error and nothing read", n)
		}
	}
}

func TestReadLimits(t *testing.T) {
	d := readFile(t, roundtrip.File(t, "report.xls"), document.Limits{MaxCells: 300})
	n := 0
	for _, b := range d.Blocks {
		for _, r := range b.Table.Rows {
			n += len(r)
		}
	}
	if n == 0 || n > 300 || len(d.Notes) != 1 || d.Notes[0].Kind != document.NoteLimit {
		t.Errorf("%d cells, notes %+v; want 1..300 cells and a limit note", n, d.Notes)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, _ := os.ReadFile("testdata/applications.xls")
	if _, err := Read(ctx, document.Input{Source: "c.xls", Data: data}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: err = %v", err)
	}
}

func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/sample.xls"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d *document.Document
		var err error
		hostile.Within(t, func(ctx context.Context) {
			d, err = Read(ctx, document.Input{Source: "f.xls", Data: data, Limits: document.Limits{MaxCells: 10000}})
		})
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}

// FuzzWorkbookStream fuzzes the BIFF parser directly: the OLE2 layer
// rarely lets random bytes through to it.
func FuzzWorkbookStream(f *testing.F) {
	data, err := os.ReadFile("testdata/sample.xls")
	if err != nil {
		f.Fatal(err)
	}
	streams, err := ole.Streams(data, 1<<20, "Workbook")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(streams["Workbook"])
	f.Add(mergeBomb(300))
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, wb []byte) {
		hostile.Within(t, func(ctx context.Context) {
			p := &parser{ctx: ctx, data: wb, maxCells: 10000}
			_ = p.parse()
			stop := document.NewInterrupt(ctx)
			for _, sh := range p.sheets {
				sh.table(10000, stop)
			}
		})
	})
}
