package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
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
	d := readFile(t, roundtrip.File(t, "report.xlsx"), document.Limits{})
	if d.Format != "xlsx" || d.Title != "桐溪县人民政府办公室2023年政府信息公开工作年度报告" || len(d.Notes) != 0 {
		t.Errorf("format %q title %q notes %+v", d.Format, d.Title, d.Notes)
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Table == nil {
		t.Fatalf("%d blocks, want the one sheet as a table", len(d.Blocks))
	}
	tb := d.Blocks[0].Table
	width := len(tb.Rows[0])
	for i, r := range tb.Rows {
		if len(r) != width {
			t.Fatalf("row %d has %d cells, want %d (aligned grid)", i, len(r), width)
		}
	}
	roundtrip.CheckCellTexts(t, tb)
	golden := roundtrip.Golden(t)
	roundtrip.CheckGoldenRows(t, tb, golden, "T2")
	roundtrip.CheckGoldenRows(t, tb, golden, "T3")

	// The 勾稽关系 header cell spans three rows; the group cell 22.
	var gou, group, t4 []document.Cell
	for _, r := range tb.Rows {
		switch {
		case strings.HasPrefix(r[0].Text, "（本列数据的勾稽关系"):
			gou = append(gou, r[0])
		case r[0].Text == "三、本年度办理结果":
			group = append(group, r[0])
		case r[0].Text == "3" && len(t4) == 0:
			t4 = r
		}
	}
	if len(gou) != 3 || gou[0].Spanned || !gou[1].Spanned || !gou[2].Spanned {
		t.Errorf("勾稽关系 cells %+v, want 3 with the last two spanned", gou)
	}
	if len(group) != 22 || group[0].Spanned || !group[21].Spanned {
		t.Errorf("%d 三、本年度办理结果 cells, want 22 (first origin, rest spanned)", len(group))
	}
	var got []string
	for _, c := range t4 {
		if !c.Spanned && c.Text != "" {
			got = append(got, c.Text)
		}
	}
	for _, g := range golden {
		if g.Table == "T4" && strings.Join(got, " ") != strings.Join(g.Nums, " ") {
			t.Errorf("table 四 numbers %q, want %q", got, g.Nums)
		}
	}
}

func TestReadSample(t *testing.T) {
	d := readFile(t, "testdata/sample.xlsx", document.Limits{})
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

// TestReadNumbers checks that values come out as a person reads them in
// Excel, including a merged range with the value in its first cell.
func TestReadNumbers(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "项目")
	set("B1", "金额")
	set("A2", "行政事业性收费")
	set("B2", 236.52)
	set("A3", "件数")
	set("B3", 600)
	set("A5", "合计说明")
	if err := f.MergeCell(sh, "A5", "B6"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: "表格标题", Creator: "县政府办"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), document.Input{Source: "n.xlsx", Data: buf.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "表格标题" || len(d.Meta) == 0 || d.Meta[0].Value != "县政府办" {
		t.Errorf("title %q meta %+v", d.Title, d.Meta)
	}
	got := strings.TrimSpace(d.Text())
	// the merged 合计说明 cell once; the positions it covers are left out
	want := "项目 | 金额\n行政事业性收费 | 236.52\n件数 | 600\n合计说明"
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	if r := d.Blocks[0].Table.Rows[4]; !r[0].Spanned || !r[1].Spanned || d.Blocks[0].Table.Rows[3][0].Spanned {
		t.Errorf("merge flags wrong: %+v", d.Blocks[0].Table.Rows[3:])
	}
}

func TestReadErrors(t *testing.T) {
	good, err := os.ReadFile(roundtrip.File(t, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	docx, err := os.ReadFile(roundtrip.File(t, "report.docx"))
	if err != nil {
		t.Fatal(err)
	}
	xls, err := os.ReadFile(roundtrip.File(t, "report.xls"))
	if err != nil {
		t.Fatal(err)
	}
	// An OLE2 signature and, further on, the UTF-16LE stream name.
	encrypted := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...)
	encrypted = append(encrypted, strings.Join(strings.Split("EncryptedPackage", ""), "\x00")+"\x00"...)
	tests := []struct {
		name, want  string
		data        []byte
		unsupported bool
		note        string
	}{
		{"html saved as xlsx", "an HTML page", []byte("<html><body><table><tr><td>1</td></tr></table></body></html>"), true, ""},
		{"word document", "a Word document", docx, true, ""},
		{"xls", "OLE2", xls, true, ""},
		{"truncated", "damaged zip", good[:len(good)/2], false, ""},
		{"encrypted", "encrypted", encrypted, false, document.NoteEncrypted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Read(context.Background(), document.Input{Source: "x.xlsx", Data: tc.data})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.xlsx") {
				t.Fatalf("err = %v, want one naming x.xlsx and %q", err, tc.want)
			}
			if errors.Is(err, document.ErrUnsupported) != tc.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", !tc.unsupported, tc.unsupported)
			}
			if tc.note != "" && (d == nil || len(d.Notes) == 0 || d.Notes[0].Kind != tc.note) {
				t.Errorf("doc %+v, want note %s", d, tc.note)
			}
		})
	}
}

func TestReadLimits(t *testing.T) {
	d := readFile(t, roundtrip.File(t, "report.xlsx"), document.Limits{MaxCells: 300})
	n := 0
	for _, r := range d.Blocks[0].Table.Rows {
		n += len(r)
	}
	// the merges of the rows read exceed the limit too
	if n == 0 || n > 300 || len(d.Notes) != 2 || d.Notes[0].Kind != document.NoteLimit || d.Notes[1].Kind != document.NoteLimit ||
		!strings.Contains(d.Notes[0].Message.En, "merged ranges") || !strings.Contains(d.Notes[1].Message.En, "cells beyond the limit of 300") {
		t.Errorf("%d cells, notes %+v; want 1..300 cells and two limit notes", n, d.Notes)
	}

	// A sheet part that inflates beyond the unpack limit is refused before
	// excelize reads it.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"xl/workbook.xml":          `<workbook/>`,
		"xl/worksheets/sheet1.xml": `<worksheet>` + strings.Repeat("<row/>", 200000) + `</worksheet>`,
	} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	d, err := Read(context.Background(), document.Input{Source: "bomb.xlsx", Data: buf.Bytes(), Limits: document.Limits{MaxUnpacked: 64 << 10}})
	if err == nil || d == nil || len(d.Notes) != 1 || d.Notes[0].Kind != document.NoteLimit {
		t.Errorf("zip bomb: err %v doc %+v, want error and a limit note", err, d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, _ := os.ReadFile(roundtrip.File(t, "report.xlsx"))
	if _, err := Read(ctx, document.Input{Source: "c.xlsx", Data: data}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: err = %v", err)
	}
}

func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/sample.xlsx"} {
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
			d, err = Read(ctx, document.Input{Source: "f.xlsx", Data: data, Limits: document.Limits{MaxUnpacked: 8 << 20, MaxCells: 10000}})
		})
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}
