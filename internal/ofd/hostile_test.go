package ofd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

// Pages that all draw one shared content part of many glyphs, with their
// advances written as one "g" run: a few kilobytes that once took
// gigabytes (a 257 KB one took 810 MB). Pages are read until the text
// limit, one at a time.
func TestGlyphBomb(t *testing.T) {
	d, err := readOFD(t, hostile.OFDGlyphs(300, 30_000), document.Limits{MaxText: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], "stopped at page 4: more than 100000 characters of text") {
		t.Errorf("limit notes = %q, want the text limit at page 4", notes)
	}
	if chars := charCount(d, "政"); chars != 100_000 {
		t.Errorf("%d characters kept, want 100000", chars)
	}
}

func charCount(d *document.Document, s string) int {
	n := 0
	for _, b := range d.Blocks {
		n += strings.Count(b.Text, s)
	}
	return n
}

// One page of more than maxGlyphs glyphs: the page is cut, the next read.
func TestPageGlyphLimit(t *testing.T) {
	code := `<ofd:TextCode X="0" Y="4">` + strings.Repeat("政", 1000) + `</ofd:TextCode>`
	big := `<ofd:TextObject Boundary="20 50 100 10" Size="4">` + strings.Repeat(code, maxGlyphs/1000+1) + `</ofd:TextObject>`
	next := `<ofd:TextObject Boundary="20 50 100 10" Size="4"><ofd:TextCode X="0" Y="4">第二页</ofd:TextCode></ofd:TextObject>`
	d, err := readOFD(t, ofdZip(t, big, next), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], "page 1 has more than 500000 characters") {
		t.Errorf("limit notes = %q", notes)
	}
	if n := charCount(d, "政"); n != maxGlyphs {
		t.Errorf("%d characters of page 1 kept, want %d", n, maxGlyphs)
	}
	// page 2 continues the paragraph that runs to the end of page 1
	if lines := d.Lines(); len(lines) == 0 || !strings.HasSuffix(lines[len(lines)-1], "政第二页") {
		t.Error("page 2 not read")
	}
}

// A text longer than zipped.MaxRun is cut, and said to be.
func TestLongText(t *testing.T) {
	d, err := readOFD(t, hostile.OFDGlyphs(1, 400_000), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], "texts longer than 1048576 bytes were cut on 1 pages (the first on page 1)") {
		t.Errorf("limit notes = %q", notes)
	}
	if n := charCount(d, "政"); n < 349_000 || n >= 400_000 {
		t.Errorf("%d characters kept, want the 1 MiB that fit", n)
	}
}

// A "g" run asks for billions of advances in a few bytes; they are taken
// one glyph at a time, never expanded.
func TestDeltaRuns(t *testing.T) {
	d := parseDeltas("1 g 2000000000 2.5 g 2 x 3 g -4 1 7")
	var got []float64
	for range 5 {
		v, ok := d.next()
		if !ok {
			t.Fatal("deltas spent early")
		}
		got = append(got, v)
	}
	if fmt.Sprint(got) != "[1 2.5 2.5 2.5 2.5]" {
		t.Errorf("first deltas %v", got)
	}
	// left: the run of 2e9 (4 used), "g 2 x" (0 twice), 3 and 7; "g -4 1"
	// is dropped
	if fmt.Sprint(d.runs, d.used) != "[{2000000000 2.5} {2 0} {1 3} {1 7}] 4" {
		t.Errorf("runs left %v, %d used", d.runs, d.used)
	}
	var page strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&page, `<ofd:TextObject Boundary="20 %d 100 10" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 2000000000 4" DeltaY="g 2000000000 0">政务公开</ofd:TextCode></ofd:TextObject>`, 10+5*i)
	}
	doc, err := readOFD(t, ofdZip(t, page.String()), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if n := charCount(doc, "政务公开"); n != 2000 {
		t.Errorf("政务公开 read %d times, want 2000", n)
	}
}

func TestDepthLimit(t *testing.T) {
	page := strings.Repeat("<ofd:PageBlock>", 2*maxDepth) + `<ofd:TextObject Boundary="20 50 100 10" Size="4"><ofd:TextCode X="0" Y="4">政务公开</ofd:TextCode></ofd:TextObject>`
	d, err := readOFD(t, ofdZip(t, `<ofd:TextObject Boundary="20 50 100 10" Size="4"><ofd:TextCode X="0" Y="4">第一页</ofd:TextCode></ofd:TextObject>`, page), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], "page 2 (Doc_0/Pages/P1.xml): elements nested deeper than 1000 levels") {
		t.Errorf("limit notes = %q", notes)
	}
	if lines := d.Lines(); len(lines) != 1 || lines[0] != "第一页" {
		t.Errorf("lines = %q, want the first page's", lines)
	}
}

func TestDeadline(t *testing.T) {
	// Lines that each look like a table row but whose cells clash: a table
	// is tried, and refused, at every line.
	var rows strings.Builder
	for i := range 3000 {
		y := 10 + float64(i)*5
		fmt.Fprintf(&rows, `<ofd:TextObject Boundary="0 %g 200 5" Size="4"><ofd:TextCode X="0" Y="4">甲</ofd:TextCode><ofd:TextCode X="%d" Y="4">乙</ofd:TextCode></ofd:TextObject>`, y, 20+i%50)
	}
	hostile.ReadDeadlines(t, Read, []hostile.Case{
		{Name: "glyph bomb", Data: hostile.OFDGlyphs(10, 30_000), Looks: 100},
		{Name: "clashing rows", Data: ofdZip(t, rows.String()), Looks: 10},
	})
}
