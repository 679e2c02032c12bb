package ofd

// LibreOffice cannot write OFD, so the OFD fixture is built by this
// test helper from testdata/roundtrip/report.html, following the structure
// of GB/T 33190-2016 the way converters lay out a Word document: A4 pages in
// millimetres, OFD.xml → Doc_0/Document.xml → Doc_0/Pages/Page_N/Content.xml,
// one TextObject per line of text with per-glyph DeltaX, paragraphs wrapped
// at the margins, tables drawn as PathObject borders with the cell text
// left-aligned at the top of each cell (Word's default), merged cells drawn
// once. Regenerate with:
//
//	go test ./internal/ofd -run TestFixture -update

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"html"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

var update = flag.Bool("update", false, "rewrite testdata/roundtrip/report.ofd from report.html")

func TestFixture(t *testing.T) {
	fixturePath := roundtrip.File(t, "report.ofd")
	src, err := os.ReadFile(roundtrip.File(t, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	built := buildOFD(t, src)
	if *update {
		if err := os.WriteFile(fixturePath, built, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, built) {
		t.Fatalf("%s is stale: run go test ./internal/ofd -run TestFixture -update", fixturePath)
	}
}

// Page geometry in millimetres.
const (
	pageW, pageH     = 210.0, 297.0
	left, right      = 25.0, 185.0
	top, bottom      = 30.0, 272.0
	bodySize         = 3.7 // 小四/五号 body text
	tableSize        = 3.2
	cellPad          = 1.2
	bodyPitch        = bodySize * 1.6
	tablePitch       = tableSize * 1.35
	paragraphSpacing = 2.0
)

func advance(r rune, size float64) float64 {
	if r >= 0x2000 {
		return size
	}
	return size / 2
}

func width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += advance(r, size)
	}
	return w
}

// wrap breaks s into lines no wider than w.
func wrap(s string, size, w, indent float64) []string {
	var out []string
	var cur []rune
	cw := indent
	for _, r := range s {
		a := advance(r, size)
		if cw+a > w && len(cur) > 0 {
			out = append(out, string(cur))
			cur, cw = nil, 0
		}
		cur = append(cur, r)
		cw += a
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}

type ofdWriter struct {
	pages [][]string // XML objects per page
	y     float64    // next baseline position on the current page
	id    int
}

func (w *ofdWriter) nextID() int { w.id++; return w.id }

func (w *ofdWriter) newPage() {
	w.pages = append(w.pages, nil)
	w.y = top
}

func (w *ofdWriter) add(obj string) {
	w.pages[len(w.pages)-1] = append(w.pages[len(w.pages)-1], obj)
}

// text draws one line with its baseline at (x, y).
func (w *ofdWriter) text(x, y, size float64, s string, font int) {
	var deltas []string
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		deltas = append(deltas, ff(advance(rs[i], size)))
	}
	// Converters compress runs of equal advances as "g n v".
	dx := strings.Join(deltas, " ")
	if len(deltas) > 1 && strings.Count(dx, deltas[0]) == len(deltas) {
		dx = fmt.Sprintf("g %d %s", len(deltas), deltas[0])
	}
	w.add(fmt.Sprintf(`<ofd:TextObject ID="%d" Boundary="%s %s %s %s" Font="%d" Size="%s"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="%s" DeltaX="%s">%s</ofd:TextCode></ofd:TextObject>`,
		w.nextID(), ff(x), ff(y-size), ff(width(s, size)+1), ff(size*1.3), font, ff(size), ff(size), dx, html.EscapeString(s)))
}

func (w *ofdWriter) rule(x0, y0, x1, y1 float64) {
	w.add(fmt.Sprintf(`<ofd:PathObject ID="%d" Boundary="%s %s %s %s" LineWidth="0.25"><ofd:AbbreviatedData>M 0 0 L %s %s</ofd:AbbreviatedData></ofd:PathObject>`,
		w.nextID(), ff(x0), ff(y0), ff(max(x1-x0, 0.25)), ff(max(y1-y0, 0.25)), ff(x1-x0), ff(y1-y0)))
}

func ff(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (w *ofdWriter) paragraph(s string, size float64, align string, font int) {
	indent := 0.0
	if align == "indent" {
		indent = 2 * size
	}
	lines := wrap(s, size, right-left, indent)
	for i, l := range lines {
		if w.y+size > bottom {
			w.newPage()
		}
		x := left
		switch {
		case align == "center":
			x = left + (right-left-width(l, size))/2
		case align == "right":
			x = right - width(l, size)
		case i == 0:
			x += indent
		}
		w.text(x, w.y+size, size, l, font)
		w.y += size * 1.6
	}
	w.y += paragraphSpacing
}

type htmlCell struct {
	text             string
	rowspan, colspan int
}

var (
	blockRe = regexp.MustCompile(`(?s)<h1>(.*?)</h1>|<h2>(.*?)</h2>|<h3>(.*?)</h3>|<p([^>]*)>(.*?)</p>|<table[^>]*>(.*?)</table>`)
	trRe    = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	tdRe    = regexp.MustCompile(`(?s)<td([^>]*)>(.*?)</td>`)
	spanRe  = regexp.MustCompile(`(rowspan|colspan)="(\d+)"`)
)

// columnWidths for the report's tables, by column count (mm).
var columnWidths = map[int][]float64{
	4:  {52, 36, 36, 36},
	10: {24, 20, 46, 10, 10, 10, 10, 10, 10, 10},
	15: {10.6, 10.6, 10.6, 10.6, 10.7, 10.7, 10.7, 10.7, 10.7, 10.7, 10.7, 10.7, 10.7, 10.7, 10.7},
}

func (w *ofdWriter) table(t *testing.T, body string) {
	var rows [][]htmlCell
	for _, tr := range trRe.FindAllStringSubmatch(body, -1) {
		var row []htmlCell
		for _, td := range tdRe.FindAllStringSubmatch(tr[1], -1) {
			c := htmlCell{text: html.UnescapeString(td[2]), rowspan: 1, colspan: 1}
			for _, m := range spanRe.FindAllStringSubmatch(td[1], -1) {
				n, _ := strconv.Atoi(m[2])
				if m[1] == "rowspan" {
					c.rowspan = n
				} else {
					c.colspan = n
				}
			}
			row = append(row, c)
		}
		rows = append(rows, row)
	}
	// Place cells on the grid.
	type placed struct {
		htmlCell
		r, c int
	}
	var cells []placed
	taken := map[[2]int]bool{}
	ncol := 0
	for r, row := range rows {
		c := 0
		for _, cell := range row {
			for taken[[2]int{r, c}] {
				c++
			}
			cells = append(cells, placed{cell, r, c})
			for dr := 0; dr < cell.rowspan; dr++ {
				for dc := 0; dc < cell.colspan; dc++ {
					taken[[2]int{r + dr, c + dc}] = true
				}
			}
			c += cell.colspan
			ncol = max(ncol, c)
		}
	}
	widths := columnWidths[ncol]
	if widths == nil {
		t.Fatalf("no column widths for a %d-column table", ncol)
	}
	xs := []float64{left}
	for _, cw := range widths {
		xs = append(xs, xs[len(xs)-1]+cw)
	}
	lines := func(p placed) []string {
		return wrap(p.text, tableSize, xs[p.c+p.colspan]-xs[p.c]-2*cellPad, 0)
	}
	// Row heights from single-row cells; merged cells stretch their last row.
	heights := make([]float64, len(rows))
	for _, p := range cells {
		if p.rowspan == 1 {
			heights[p.r] = max(heights[p.r], float64(len(lines(p)))*tablePitch+2*cellPad)
		}
	}
	for _, p := range cells {
		need := float64(len(lines(p)))*tablePitch + 2*cellPad
		have := 0.0
		for r := p.r; r < p.r+p.rowspan; r++ {
			have += heights[r]
		}
		if need > have {
			heights[p.r+p.rowspan-1] += need - have
		}
	}
	total := 0.0
	for _, h := range heights {
		total += h
	}
	if w.y+total > bottom {
		w.newPage() // the table is kept on one page
	}
	ys := []float64{w.y}
	for _, h := range heights {
		ys = append(ys, ys[len(ys)-1]+h)
	}
	for _, p := range cells {
		x0, x1, y0, y1 := xs[p.c], xs[p.c+p.colspan], ys[p.r], ys[p.r+p.rowspan]
		w.rule(x0, y0, x1, y0)
		w.rule(x0, y1, x1, y1)
		w.rule(x0, y0, x0, y1)
		w.rule(x1, y0, x1, y1)
		for i, l := range lines(p) {
			w.text(x0+cellPad, y0+cellPad+tableSize*0.9+float64(i)*tablePitch, tableSize, l, 2)
		}
	}
	w.y = ys[len(ys)-1] + paragraphSpacing + 2
}

func buildOFD(t *testing.T, src []byte) []byte {
	t.Helper()
	w := &ofdWriter{id: 10}
	w.newPage()
	title := ""
	for _, m := range blockRe.FindAllStringSubmatch(string(src), -1) {
		switch {
		case m[1] != "":
			title = html.UnescapeString(m[1])
			w.paragraph(title, 5.6, "center", 3)
			w.y += 2
		case m[2] != "":
			w.paragraph(html.UnescapeString(m[2]), 3.9, "left", 3)
		case m[3] != "":
			w.paragraph(html.UnescapeString(m[3]), bodySize, "indent", 3)
		case m[5] != "":
			align := "indent"
			if strings.Contains(m[4], "right") {
				align = "right"
			} else if strings.Contains(m[4], "info") {
				align = "center"
			}
			w.paragraph(html.UnescapeString(m[5]), bodySize, align, 2)
		case m[6] != "":
			w.table(t, m[6])
		}
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	stamp := time.Date(2024, 1, 29, 16, 30, 0, 0, time.UTC)
	put := func(name, body string) {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + body)); err != nil {
			t.Fatal(err)
		}
	}
	const ns = `xmlns:ofd="http://www.ofdspec.org/2016"`
	put("OFD.xml", `<ofd:OFD `+ns+` Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>6b1a9e0c2f4d4c1e9a7b3d5f8e2c4a61</ofd:DocID><ofd:Title>`+html.EscapeString(title)+`</ofd:Title><ofd:Author>桐溪县人民政府办公室</ofd:Author><ofd:CreationDate>2024-01-29</ofd:CreationDate><ofd:Creator>OFD Writer</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`)
	var pages strings.Builder
	for i := range w.pages {
		fmt.Fprintf(&pages, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, i+1, i)
	}
	put("Doc_0/Document.xml", fmt.Sprintf(`<ofd:Document %s><ofd:CommonData><ofd:MaxUnitID>%d</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 %s %s</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>%s</ofd:Pages></ofd:Document>`,
		ns, w.id, ff(pageW), ff(pageH), pages.String()))
	put("Doc_0/PublicRes.xml", `<ofd:Res `+ns+` BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/><ofd:Font ID="3" FontName="黑体" FamilyName="黑体"/></ofd:Fonts></ofd:Res>`)
	for i, objs := range w.pages {
		put(fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i),
			fmt.Sprintf(`<ofd:Page %s><ofd:Content><ofd:Layer ID="%d" Type="Body">%s</ofd:Layer></ofd:Content></ofd:Page>`, ns, 3+i, strings.Join(objs, "")))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
