package msdoc

import (
	"bytes"
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

func load(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func read(t testing.TB, source string, data []byte) *document.Document {
	t.Helper()
	d, err := Read(context.Background(), document.Input{Source: source, Data: data})
	if err != nil {
		t.Fatalf("Read(%s): %v", source, err)
	}
	return d
}

func TestReadRoundtrip(t *testing.T) {
	d := read(t, "report.doc", load(t, roundtrip.File(t, "report.doc")))
	if d.Format != "doc" || d.Title != "桐溪县人民政府办公室2023年政府信息公开工作年度报告" || len(d.Notes) != 0 {
		t.Errorf("format %q title %q notes %+v", d.Format, d.Title, d.Notes)
	}
	roundtrip.CheckHeadings(t, d)
	golden := roundtrip.Golden(t)
	t2, t3, t4 := roundtrip.FindTable(d, "第二十条第（一）项"), roundtrip.FindTable(d, "申请人情况"), roundtrip.FindTable(d, "复议后起诉")
	if t2 == nil || t3 == nil || t4 == nil {
		t.Fatalf("tables 二 %v 三 %v 四 %v: one is missing", t2 != nil, t3 != nil, t4 != nil)
	}
	roundtrip.CheckGoldenRows(t, t2, golden, "T2")
	roundtrip.CheckGoldenRows(t, t3, golden, "T3")
	roundtrip.CheckTable3Spans(t, t3)
	if len(t4.Rows) != 4 || len(t4.Rows[3]) != 15 {
		t.Fatalf("table 四: %d rows, want 4 with 15 numbers in the last", len(t4.Rows))
	}
	var got []string
	for _, c := range t4.Rows[3] {
		got = append(got, c.Text)
	}
	if want := "3 1 0 1 5 2 0 1 0 3 1 0 0 1 2"; strings.Join(got, " ") != want {
		t.Errorf("table 四 numbers %q, want %s", got, want)
	}
	if c := t4.Rows[2][0]; c.Text != "结果维持" || !c.Spanned {
		t.Errorf("table 四 (2,0) = %+v, want spanned 结果维持", c)
	}
}

// TestReadText: LibreOffice wrote report.doc and report.docx from the same
// page; report.txt is the text both readers must give (the DOCX reader's
// test checks it too).
func TestReadText(t *testing.T) {
	d := read(t, "report.doc", load(t, roundtrip.File(t, "report.doc")))
	want := load(t, roundtrip.File(t, "report.txt"))
	if got := d.Text(); got != string(want) {
		t.Errorf("text differs from report.txt:\n%s", got)
	}
}

func TestReadCells(t *testing.T) {
	d := read(t, "cells.wps", load(t, "testdata/cells.doc"))
	if d.Format != "wps" {
		t.Errorf("format %q, want wps for a .wps source", d.Format)
	}
	want := "表格边界情况\n" +
		"甲 |  | 丙\n" +
		" | 乙 | \n" +
		" | 合并\n" + // the merged cell once: Text leaves out span copies
		"x | \n" + // the first position is covered by the cell above
		"第一段 第二段 |  | \n" +
		"两表之间\n" +
		"外层 内1 内2 | 右\n" +
		"结尾\n"
	if got := d.Text(); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	tb := d.Blocks[1].Table
	if !tb.Rows[3][0].Spanned || tb.Rows[2][0].Spanned || !tb.Rows[2][2].Spanned || tb.Ragged {
		t.Errorf("span flags: %+v", tb.Rows)
	}
}

func TestReadSample(t *testing.T) {
	d := read(t, "sample.doc", load(t, "testdata/sample.doc"))
	tb := roundtrip.FindTable(d, "自然人")
	if tb == nil || len(tb.Rows) != 4 {
		t.Fatalf("table with 自然人: %+v", tb)
	}
	if got := strings.Join(roundtrip.ValuesAfter(tb, "一、本年新收政府信息公开申请数量"), " "); got != "600 50 28 678" {
		t.Errorf("row 一: %q", got)
	}
	if d.Title != "2024年政府信息公开工作年度报告" {
		t.Errorf("title %q, want the document property", d.Title)
	}
}

// fibFieldOffset returns the offset of fc/lcb pair i in the FIB.
func fibFieldOffset(wd []byte, i int) int {
	pos := 32
	pos += 2 + 2*int(binary.LittleEndian.Uint16(wd[pos:]))
	pos += 2 + 4*int(binary.LittleEndian.Uint16(wd[pos:]))
	return pos + 2 + 8*i
}

// patchWordDocument rewrites bytes of the WordDocument stream in place in
// an OLE2 file: the stream is found by its FIB signature and content.
func patchWordDocument(t *testing.T, data []byte, patch func(wd []byte)) []byte {
	t.Helper()
	st, err := ole.Streams(data, 1<<30, "WordDocument")
	if err != nil {
		t.Fatal(err)
	}
	wd := st["WordDocument"]
	i := bytes.Index(data, wd[:512])
	if i < 0 {
		t.Fatal("WordDocument start not found contiguously")
	}
	out := append([]byte{}, data...)
	patch(out[i : i+512])
	return out
}

func TestReadWithoutParagraphProperties(t *testing.T) {
	// Without PlcBtePapx the reader falls back to the cell-mark rule.
	data := patchWordDocument(t, load(t, "testdata/sample.doc"), func(fibBytes []byte) {
		binary.LittleEndian.PutUint32(fibBytes[fibFieldOffset(fibBytes, 13)+4:], 0)
	})
	d := read(t, "nopapx.doc", data)
	if len(d.Notes) == 0 || d.Notes[0].Kind != document.NoteCorrupt {
		t.Errorf("notes %+v, want a corrupt note", d.Notes)
	}
	tb := roundtrip.FindTable(d, "自然人")
	if tb == nil {
		t.Fatal("no table")
	}
	if got := strings.Join(roundtrip.ValuesAfter(tb, "一、本年新收政府信息公开申请数量"), " "); got != "600 50 28 678" {
		t.Errorf("row 一: %q", got)
	}
}

func TestReadErrors(t *testing.T) {
	sample := load(t, "testdata/sample.doc")
	word6 := patchWordDocument(t, sample, func(wd []byte) { binary.LittleEndian.PutUint16(wd[2:], 104) })
	noWord := bytes.ReplaceAll(sample, []byte("W\x00o\x00r\x00d\x00D\x00o\x00c\x00"), []byte("X\x00o\x00r\x00d\x00D\x00o\x00c\x00"))
	tests := []struct {
		name, want  string
		data        []byte
		unsupported bool
		note        string
	}{
		{"html saved as doc", "an HTML page", []byte("<html><head><title>报告</title></head><body>正文</body></html>"), true, ""},
		{"rtf", "an RTF file", []byte(`{\rtf1\ansi 报告}`), true, ""},
		{"docx named doc", "zip archive", load(t, roundtrip.File(t, "report.docx")), true, ""},
		{"workbook", "Excel workbook", load(t, roundtrip.File(t, "report.xls")), true, ""},
		{"encrypted", "encrypted", load(t, "testdata/encrypted.doc"), false, document.NoteEncrypted},
		{"word 6", "Word 6.0/95", word6, true, document.NoteUnsupported},
		{"no WordDocument stream", "old WPS formats", noWord, true, document.NoteUnsupported},
		{"word 2", "Word 2.0", append([]byte{0xDB, 0xA5, 0x2D, 0}, make([]byte, 100)...), true, document.NoteUnsupported},
		{"truncated header", "damaged OLE2", sample[:400], false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Read(context.Background(), document.Input{Source: "x.doc", Data: tc.data})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.doc") {
				t.Fatalf("err = %v, want one naming x.doc and %q", err, tc.want)
			}
			if errors.Is(err, document.ErrUnsupported) != tc.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", !tc.unsupported, tc.unsupported)
			}
			if tc.note != "" && (d == nil || len(d.Notes) == 0 || d.Notes[0].Kind != tc.note) {
				t.Errorf("doc %+v, want note %s", d, tc.note)
			}
		})
	}
	// Cut or damaged files: an error or a partial document, never a panic.
	report := load(t, roundtrip.File(t, "report.doc"))
	for _, n := range []int{len(report) / 3, len(report) / 2, len(report) - 1000} {
		d, err := Read(context.Background(), document.Input{Source: "cut.doc", Data: report[:n]})
		if err == nil && d == nil {
			t.Errorf("cut at %d: nil document without error", n)
		}
	}
}

func TestReadLimits(t *testing.T) {
	data := load(t, roundtrip.File(t, "report.doc"))
	d, err := Read(context.Background(), document.Input{Source: "l.doc", Data: data, Limits: document.Limits{MaxCells: 100}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range d.Blocks {
		if b.Table != nil {
			for _, r := range b.Table.Rows {
				n += len(r)
			}
		}
	}
	if n == 0 || n > 100 || len(d.Notes) != 1 || d.Notes[0].Kind != document.NoteLimit {
		t.Errorf("%d cells, notes %+v; want 1..100 cells and a limit note", n, d.Notes)
	}
	if _, err := Read(context.Background(), document.Input{Source: "big.doc", Data: data, Limits: document.Limits{MaxBytes: 1000}}); err == nil {
		t.Error("a file over MaxBytes was read")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, document.Input{Source: "c.doc", Data: data}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: err = %v", err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(load(f, "testdata/sample.doc"))
	f.Add(load(f, "testdata/cells.doc"))
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d *document.Document
		var err error
		hostile.Within(t, func(ctx context.Context) {
			d, err = Read(ctx, document.Input{Source: "f.doc", Data: data, Limits: document.Limits{MaxCells: 10000}})
		})
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}

// FuzzStreams fuzzes the MS-DOC parsing below the OLE2 layer, which random
// bytes rarely get through.
func FuzzStreams(f *testing.F) {
	for _, p := range []string{"testdata/sample.doc", "testdata/cells.doc"} {
		st, err := ole.Streams(load(f, p), 1<<30, "WordDocument", "1Table", "Data")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(st["WordDocument"], st["1Table"], st["Data"])
	}
	for _, s := range hostile.Seeds() {
		f.Add(s.Data, s.Data, s.Data)
	}
	f.Fuzz(func(t *testing.T, wd, ts, data []byte) {
		fb, err := parseFIB(wd)
		if err != nil {
			return
		}
		hostile.Within(t, func(ctx context.Context) {
			_ = readBody(ctx, &document.Document{}, fb, wd, ts, data, document.Limits{MaxCells: 10000}.WithDefaults())
		})
	})
}
