package pdf

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

func readPDF(t *testing.T, data []byte, lim document.Limits) *document.Document {
	t.Helper()
	d, err := Read(context.Background(), document.Input{Source: "h.pdf", Data: data, Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A content stream of a few hundred kilobytes of Flate that inflates past
// the limit of one stream (once 550 MB of memory at the 200 MiB budget) is
// left unread and said to be; with a smaller budget, the budget stops it.
// Neither is taken for a page without text.
func TestFlateBomb(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		lim  document.Limits
		note string
	}{
		{"past the stream limit", hostile.PDFFlate(maxStream + 1<<20), document.Limits{}, "page 1: a content stream decodes to more than 33554432 bytes"},
		{"past the budget", hostile.PDFFlate(16 << 20), document.Limits{MaxUnpacked: 8 << 20}, "decoded data exceeded 8388608 bytes at page 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readPDF(t, tt.data, tt.lim)
			var notes []string
			for _, n := range d.Notes {
				notes = append(notes, n.Kind+": "+n.Message.En)
			}
			if len(notes) != 1 || !strings.Contains(notes[0], "limit: "+tt.note) {
				t.Errorf("notes = %q, want only the limit %q", notes, tt.note)
			}
		})
	}
}

// Rules that would form a grid of 160,000 positions are read as text, and
// said to be.
func TestRuleGrid(t *testing.T) {
	var c strings.Builder
	for i := range 400 {
		fmt.Fprintf(&c, "0 %d m 1200 %d l S %d 0 m %d 1200 l S\n", 3*i, 3*i, 3*i, 3*i)
	}
	c.WriteString("BT /F1 12 Tf 100 100 Td (Hello) Tj ET")
	d := readPDF(t, onePage(c.String(), ""), document.Limits{})
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], "grids of more than 100000 cells were read as text (pages 1)") {
		t.Errorf("limit notes = %q", notes)
	}
	if lines := d.Lines(); len(lines) != 1 || lines[0] != "Hello" {
		t.Errorf("lines = %q, want the text of the grid", lines)
	}
}

// Tables past the cell limit are left out page by page, before the
// document is assembled.
func TestTableCellLimit(t *testing.T) {
	var c strings.Builder
	for i := range 11 {
		fmt.Fprintf(&c, "50 %d m 550 %d l S %d 400 m %d 700 l S\n", 400+30*i, 400+30*i, 50+50*i, 50+50*i)
	}
	c.WriteString("BT /F1 12 Tf")
	for r := range 10 {
		for col := range 10 {
			fmt.Fprintf(&c, " 1 0 0 1 %d %d Tm (%d) Tj", 60+50*col, 410+30*r, r*10+col)
		}
	}
	c.WriteString(" ET")
	d := readPDF(t, onePage(c.String(), ""), document.Limits{MaxCells: 50})
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], "tables beyond the limit of 50 cells were not kept (pages 1)") {
		t.Errorf("limit notes = %q", notes)
	}
	for _, b := range d.Blocks {
		if b.Table != nil {
			t.Errorf("a table of %d rows kept", len(b.Table.Rows))
		}
	}
	d = readPDF(t, onePage(c.String(), ""), document.Limits{})
	if tb := findTable(d, "99"); tb == nil || len(tb.Rows) != 10 {
		t.Errorf("the 10×10 table is not read within the default limits")
	}
}

func TestDeadline(t *testing.T) {
	text := "BT /F1 12 Tf 72 700 Td " + strings.Repeat("(Hello) Tj 0 -1 Td ", 20_000) + "ET"
	hostile.ReadDeadlines(t, Read, []hostile.Case{
		{Name: "many glyphs", Data: onePage(text, ""), Looks: 50},
		{Name: "one long string", Data: onePage("BT /F1 12 Tf 72 700 Td ("+strings.Repeat("a", 200_000)+") Tj ET", ""), Looks: 50},
		{Name: "flate", Data: hostile.PDFFlate(4 << 20), Looks: 10},
	})
}
