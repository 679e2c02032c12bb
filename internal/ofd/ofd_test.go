package ofd

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

func readOFD(t testing.TB, data []byte, lim document.Limits) (*document.Document, error) {
	t.Helper()
	return Read(context.Background(), document.Input{Source: "r.ofd", Data: data, Limits: lim})
}

func TestReadRoundtrip(t *testing.T) {
	data, err := os.ReadFile(roundtrip.File(t, "report.ofd"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := readOFD(t, data, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != "ofd" || d.Title != "桐溪县人民政府办公室2023年政府信息公开工作年度报告" || len(d.Notes) != 0 || d.Pages < 2 {
		t.Errorf("format %q title %q notes %+v pages %d", d.Format, d.Title, d.Notes, d.Pages)
	}
	roundtrip.CheckHeadings(t, d)
	// Paragraphs come back whole, also the one broken by a page end.
	src, err := os.ReadFile(roundtrip.File(t, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range d.Lines() {
		lines[l] = true
	}
	for _, m := range blockRe.FindAllStringSubmatch(string(src), -1) {
		if p := m[5]; p != "" && !lines[p] {
			t.Errorf("paragraph not found whole: %q", p)
		}
	}

	golden := roundtrip.Golden(t)
	t3, t4 := roundtrip.FindTable(d, "申请人情况"), roundtrip.FindTable(d, "复议后起诉")
	if t3 == nil || t4 == nil {
		t.Fatalf("table 三 %v, 四 %v: missing", t3 != nil, t4 != nil)
	}
	roundtrip.CheckGoldenRows(t, t3, golden, "T3")
	for i, r := range t3.Rows {
		if len(r) != 10 {
			t.Errorf("table 三 row %d has %d cells, want 10", i, len(r))
		}
	}
	if got := t3.Rows[0][0].Text; got != "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" {
		t.Errorf("wrapped header cell = %q", got)
	}
	var nums []string
	for _, c := range t4.Rows[len(t4.Rows)-1] {
		nums = append(nums, c.Text)
	}
	for _, g := range golden {
		if g.Table == "T4" && strings.Join(nums, " ") != strings.Join(g.Nums, " ") {
			t.Errorf("table 四 numbers %q, want %q", nums, g.Nums)
		}
		if g.Table != "T2" {
			continue
		}
		// Table 二's block headings span the table as single lines, so it
		// comes out in pieces: look for the row in any table.
		found := false
		for _, b := range d.Blocks {
			if b.Table != nil && strings.Join(roundtrip.ValuesAfter(b.Table, g.Label), " ") == strings.Join(g.Nums, " ") {
				found = true
			}
		}
		if !found {
			t.Errorf("table 二 row %q %q not found", g.Label, g.Nums)
		}
	}
}

const ns = `xmlns:ofd="http://www.ofdspec.org/2016"`

func ofdZip(t testing.TB, pages ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	put("OFD.xml", `<ofd:OFD `+ns+`><ofd:DocBody><ofd:DocInfo><ofd:Title>无标题</ofd:Title></ofd:DocInfo><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`)
	var refs string
	for i, p := range pages {
		refs += `<ofd:Page ID="1" BaseLoc="Pages/P` + string(rune('0'+i)) + `.xml"/>`
		put("Doc_0/Pages/P"+string(rune('0'+i))+".xml", `<ofd:Page `+ns+`><ofd:Content><ofd:Layer>`+p+`</ofd:Layer></ofd:Content></ofd:Page>`)
	}
	put("Doc_0/Document.xml", `<ofd:Document `+ns+`><ofd:Pages>`+refs+`</ofd:Pages></ofd:Document>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadPositions(t *testing.T) {
	// Text drawn out of order, split over TextCodes, scaled by a CTM, with
	// "g" compressed advances; a two-column table of three rows.
	page := `<ofd:TextObject Boundary="20 60 100 10" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 2 4">第二行</ofd:TextCode></ofd:TextObject>` +
		`<ofd:TextObject Boundary="20 50 100 10" Size="2" CTM="2 0 0 2 0 0"><ofd:TextCode X="0" Y="2" DeltaX="2">第一</ofd:TextCode><ofd:TextCode X="4">行</ofd:TextCode></ofd:TextObject>` +
		`<ofd:TextObject Boundary="20 80 100 10" Size="4"><ofd:TextCode X="0" Y="4">项目</ofd:TextCode><ofd:TextCode X="40" Y="4">数量</ofd:TextCode></ofd:TextObject>` +
		`<ofd:TextObject Boundary="20 88 100 10" Size="4"><ofd:TextCode X="0" Y="4">行政许可</ofd:TextCode><ofd:TextCode X="40" Y="4">3826</ofd:TextCode></ofd:TextObject>` +
		`<ofd:TextObject Boundary="20 96 100 10" Size="4"><ofd:TextCode X="0" Y="4">行政处罚</ofd:TextCode><ofd:TextCode X="40" Y="4">12</ofd:TextCode></ofd:TextObject>`
	d, err := readOFD(t, ofdZip(t, page), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got := d.Text()
	want := "第一行\n第二行\n项目 | 数量\n行政许可 | 3826\n行政处罚 | 12\n"
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	if d.Title != "第一行" {
		t.Errorf("title %q: a placeholder DocInfo title must fall back to the first line", d.Title)
	}
}

func TestReadNoText(t *testing.T) {
	d, err := readOFD(t, ofdZip(t, `<ofd:ImageObject ID="5" Boundary="0 0 210 297" ResourceID="7"/>`), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || d.Notes[0].Kind != document.NoteNoText {
		t.Errorf("notes %+v, want no-text", d.Notes)
	}
}

func TestReadErrors(t *testing.T) {
	good, err := os.ReadFile(roundtrip.File(t, "report.ofd"))
	if err != nil {
		t.Fatal(err)
	}
	docx, err := os.ReadFile(roundtrip.File(t, "report.docx"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, want  string
		data        []byte
		unsupported bool
	}{
		{"html saved as ofd", "an HTML page", []byte("<!DOCTYPE html><html><body>报告</body></html>"), true},
		{"docx named ofd", "a Word document", docx, true},
		{"pdf", "a PDF file", []byte("%PDF-1.7\n"), true},
		{"truncated", "damaged zip", good[:len(good)/2], false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(context.Background(), document.Input{Source: "x.ofd", Data: tc.data})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.ofd") {
				t.Fatalf("err = %v, want one naming x.ofd and %q", err, tc.want)
			}
			if errors.Is(err, document.ErrUnsupported) != tc.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", !tc.unsupported, tc.unsupported)
			}
		})
	}
}

func TestReadLimits(t *testing.T) {
	data, err := os.ReadFile(roundtrip.File(t, "report.ofd"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := readOFD(t, data, document.Limits{MaxPages: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || d.Notes[0].Kind != document.NoteLimit || roundtrip.FindTable(d, "申请人情况") != nil {
		t.Errorf("page limit: notes %+v", d.Notes)
	}
	// A page that inflates past the budget: what was read is kept.
	big := strings.Repeat(`<ofd:TextObject Boundary="20 50 100 10" Size="4"><ofd:TextCode X="0" Y="4">政务公开</ofd:TextCode></ofd:TextObject>`, 20000)
	d, err = readOFD(t, ofdZip(t, big), document.Limits{MaxUnpacked: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) == 0 || d.Notes[0].Kind != document.NoteLimit || len(d.Blocks) == 0 {
		t.Errorf("zip bomb: notes %+v, %d blocks", d.Notes, len(d.Blocks))
	}
	d, err = readOFD(t, data, document.Limits{MaxCells: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || d.Notes[0].Kind != document.NoteLimit {
		t.Errorf("cell limit: notes %+v", d.Notes)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, document.Input{Source: "c.ofd", Data: data}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: err = %v", err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(ofdZip(f, `<ofd:TextObject Boundary="20 50 100 10" Size="4" CTM="1 0 0 1 0 0"><ofd:TextCode X="0" Y="4" DeltaX="g 3 4">政务公开</ofd:TextCode><ofd:TextCode X="40" Y="4">12</ofd:TextCode></ofd:TextObject>`))
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d *document.Document
		var err error
		hostile.Within(t, func(ctx context.Context) {
			d, err = Read(ctx, document.Input{Source: "f.ofd", Data: data, Limits: document.Limits{MaxUnpacked: 8 << 20}})
		})
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}

// FuzzPage fuzzes the content stream parsing and layout directly.
func FuzzPage(f *testing.F) {
	f.Add(`<ofd:TextObject Boundary="20 50 100 10" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 3 4">政务公开</ofd:TextCode><ofd:TextCode X="40" Y="4">12</ofd:TextCode></ofd:TextObject><ofd:TextObject Boundary="20 58 100 10" Size="4"><ofd:TextCode X="0" Y="4">行政许可</ofd:TextCode><ofd:TextCode X="40" Y="4">3826</ofd:TextCode></ofd:TextObject>`)
	// a "g" run of a billion advances, nesting past the limit, a long text
	f.Add(`<ofd:TextObject Boundary="20 50 100 10" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 1000000000 4" DeltaY="g 1000000000 1">政务公开</ofd:TextCode></ofd:TextObject>`)
	f.Add(strings.Repeat("<ofd:PageBlock>", 1200) + `<ofd:TextObject Size="4"><ofd:TextCode X="0" Y="4">政</ofd:TextCode></ofd:TextObject>`)
	f.Add(`<ofd:TextObject Size="4"><ofd:TextCode X="0" Y="4">` + strings.Repeat("政", 3000) + `</ofd:TextCode></ofd:TextObject>`)
	f.Fuzz(func(t *testing.T, page string) {
		var d *document.Document
		var err error
		hostile.Within(t, func(ctx context.Context) {
			d, err = Read(ctx, document.Input{Source: "p.ofd", Data: ofdZip(t, page)})
		})
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}
