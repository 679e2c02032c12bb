package pdf

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ogicheck/ogicheck/internal/document"
)

func TestNormalizeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"总 计", "总计"},
		{"（二）部分公开（区分处理的，只计这一情 形，不 计其他情形）", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"},
		{"4.无正当理由大量反复 申请", "4.无正当理由大量反复申请"},
		{"三 、本 年 度办 理 结果", "三、本年度办理结果"},
		{"国令第 711 号", "国令第711号"},
		{"hzzwgk @ 126.com", "hzzwgk @ 126.com"},
		{"  Page  one \t two ", "Page one two"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalizeCell(tt.in); got != tt.want {
			t.Errorf("normalizeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsNumeric(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"0", true}, {"7730.28", true}, {"1,234", true}, {"-5", true}, {"12%", true},
		{"—", true}, {"１２", true}, {"", false}, {"1.属于国家秘密", false}, {"2023年", false},
		{"5-", false}, {"总计", false},
	}
	for _, tt := range tests {
		if got := isNumeric(tt.in); got != tt.want {
			t.Errorf("isNumeric(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPageNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"-3-", true}, {"- 12 -", true}, {"—3—", true}, {"3", true}, {"第 3 页", true},
		{"第3页 共5页", true}, {"3/5", true}, {"Page 2 of 9", true},
		{"一、总体情况", false}, {"2023年", false}, {"-3-4-", false},
	}
	for _, tt := range tests {
		if got := pageNumberRe.MatchString(tt.in); got != tt.want {
			t.Errorf("page number %q: %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseCMap(t *testing.T) {
	m := parseCMap([]byte(`/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0611> <4FE1> endbfchar
2 beginbfrange <0010> <0012> <0030> <0100> <0101> [<6C49> <D840DC00>] endbfrange
1 beginbfrange <1000> <1FFF> <4E00> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`))
	tests := []struct {
		code uint32
		want string
	}{
		{0x0003, " "}, {0x0611, "信"}, {0x0010, "0"}, {0x0012, "2"},
		{0x0100, "汉"}, {0x0101, "\U00020000"}, {0x1005, "丅"},
	}
	for _, tt := range tests {
		got, ok := m.lookup(tt.code, 2)
		if !ok || got != tt.want {
			t.Errorf("lookup(%04X) = %q %v, want %q", tt.code, got, ok, tt.want)
		}
	}
	if _, ok := m.lookup(0x0013, 2); ok {
		t.Error("lookup(0013) found a mapping outside the ranges")
	}
	if n := m.codeLen([]byte{0x06, 0x11, 0x00}); n != 2 {
		t.Errorf("codeLen = %d, want 2", n)
	}
}

func TestPredefinedCMaps(t *testing.T) {
	gbk := &font{composite: true, predef: predefGBK, dw: 1000, w1y: -1000, scale: 0.001, cache: map[uint64]glyphInfo{}}
	gbk.predef, _, gbk.legacy = predefFor("GBK-EUC-H")
	var got []string
	gbk.decode([]byte{0xD6, 0xD0, 0xCE, 0xC4, '1'}, func(text string, w float64, _ bool) {
		got = append(got, fmt.Sprintf("%s:%g", text, w))
	})
	if want := []string{"中:1", "文:1", "1:1"}; !slices.Equal(got, want) {
		t.Errorf("GBK-EUC-H decode = %v, want %v", got, want)
	}
	p, vertical, _ := predefFor("UniGB-UCS2-V")
	if p != predefUCS2 || !vertical {
		t.Errorf("UniGB-UCS2-V: %v %v, want UCS2 vertical", p, vertical)
	}
}

func TestRadicalsNormalised(t *testing.T) {
	// ⼀ (U+2F00 KANGXI RADICAL ONE) and 﨑 (U+FA11 compatibility ideograph).
	if got := cleanGlyphText("⼀\u2F08"); got != "一人" {
		t.Errorf("cleanGlyphText = %q, want 一人", got)
	}
	if got := cleanGlyphText("（）"); got != "（）" {
		t.Errorf("full-width brackets changed to %q", got)
	}
}

func TestGlyphNames(t *testing.T) {
	tests := []struct {
		name string
		want rune
	}{{"one", '1'}, {"uni4E2D", '中'}, {"u1F600", '😀'}, {"A", 'A'}, {"period.sc", '.'}, {"g123", 0}}
	for _, tt := range tests {
		if got := glyphRune(tt.name); got != tt.want {
			t.Errorf("glyphRune(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// textAt draws s with a non-embedded STSong-Light under UniGB-UCS2-H.
func textAt(x, y float64, s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return fmt.Sprintf("BT /F1 12 Tf %g %g Td <%s> Tj ET\n", x, y, strings.ToUpper(hex.EncodeToString(b)))
}

func cjkPage(content string) []byte {
	return pdfFile(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
		streamObj("", content),
		"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 /W [1 95 500] >>",
	)
}

// A table without rules: the wrapped label of row 5 sits on two lines and
// its numbers on a third; the group label 「（五）不予处理」 has no numbers.
func TestTextTableWrappedLabel(t *testing.T) {
	var c strings.Builder
	c.WriteString(textAt(72, 760, "年度报告"))
	row := func(y float64, label string, nums ...string) {
		if label != "" {
			c.WriteString(textAt(72, y, label))
		}
		for i, n := range nums {
			c.WriteString(textAt(360+float64(i)*48, y, n))
		}
	}
	row(700, "4.无正当理由大量反复申请", "0", "0", "0")
	row(680, "（五）不予处理")
	row(660, "5.要求行政机关确认或重新出具")
	row(646, "已获取信息")
	row(632, "", "1", "0", "1")
	row(612, "（六）其他处理", "2", "0", "2")
	doc, err := Read(context.Background(), document.Input{Source: "text-table.pdf", Data: cjkPage(c.String())})
	if err != nil {
		t.Fatal(err)
	}
	var tbl *document.Table
	for _, b := range doc.Blocks {
		if b.Table != nil {
			tbl = b.Table
		}
	}
	if tbl == nil {
		t.Fatalf("no table; blocks %+v", doc.Blocks)
	}
	var got []string
	for _, r := range tbl.Rows {
		var cells []string
		for _, c := range r {
			cells = append(cells, c.Text)
		}
		got = append(got, strings.Join(cells, "|"))
	}
	want := []string{
		"4.无正当理由大量反复申请|0|0|0",
		"（五）不予处理|||",
		"5.要求行政机关确认或重新出具已获取信息|1|0|1",
		"（六）其他处理|2|0|2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n got %q\nwant %q", got, want)
	}
	if !slices.Contains(doc.Lines(), "年度报告") {
		t.Errorf("lines %q lack the heading", doc.Lines())
	}
}

// Rules drawn as thin filled rectangles (Word's export) make a grid; a
// label cell spanning two rows is repeated as Spanned.
func TestRuledTableFromFilledRules(t *testing.T) {
	var c strings.Builder
	hline := func(y float64) { fmt.Fprintf(&c, "72 %g 300 0.5 re f\n", y) }
	vline := func(x, y0, y1 float64) { fmt.Fprintf(&c, "%g %g 0.5 %g re f\n", x, y0, y1-y0) }
	hline(700)
	hline(680)
	fmt.Fprintf(&c, "172 660 200 0.5 re f\n") // splits only the right part
	hline(640)
	vline(72, 640, 700.5)
	vline(172, 640, 700.5)
	vline(272, 640, 700.5)
	vline(372, 640, 700.5)
	c.WriteString(textAt(80, 686, "项目"))
	c.WriteString(textAt(180, 686, "甲"))
	c.WriteString(textAt(280, 686, "乙"))
	c.WriteString(textAt(80, 656, "合 计"))
	c.WriteString(textAt(180, 666, "1"))
	c.WriteString(textAt(280, 666, "2"))
	c.WriteString(textAt(180, 646, "3"))
	c.WriteString(textAt(280, 646, "4"))
	doc, err := Read(context.Background(), document.Input{Source: "ruled.pdf", Data: cjkPage(c.String())})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) != 1 || doc.Blocks[0].Table == nil {
		t.Fatalf("blocks %+v, want one table", doc.Blocks)
	}
	want := [][]document.Cell{
		{{Text: "项目"}, {Text: "甲"}, {Text: "乙"}},
		{{Text: "合计"}, {Text: "1"}, {Text: "2"}},
		{{Text: "合计", Spanned: true}, {Text: "3"}, {Text: "4"}},
	}
	if got := doc.Blocks[0].Table.Rows; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows:\n got %+v\nwant %+v", got, want)
	}
}

// Characters stacked vertically outside a table read as one line.
func TestStackedCharacters(t *testing.T) {
	var c strings.Builder
	for i, r := range []rune("办理结果") {
		c.WriteString(textAt(100, 700-float64(i)*14, string(r)))
	}
	c.WriteString(textAt(72, 600, "正文第一行"))
	doc, err := Read(context.Background(), document.Input{Source: "stacked.pdf", Data: cjkPage(c.String())})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := doc.Lines(), []string{"办理结果", "正文第一行"}; !slices.Equal(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}
}
