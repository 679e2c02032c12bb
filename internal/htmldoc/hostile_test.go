package htmldoc

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

// The 142-byte table once looped forever: the rowspan cell of row 1 starts
// at the 200-column cap. It must end, keep both rows at the cap, and say
// that the table was cut.
func TestHangTable(t *testing.T) {
	if len(hostile.HangTable) != 142 {
		t.Fatalf("the table is %d bytes, want the 142 of the report", len(hostile.HangTable))
	}
	d, err := Read(context.Background(), document.Input{Source: "hang.html", Data: []byte(hostile.HangTable)})
	if err != nil {
		t.Fatal(err)
	}
	tb := firstTable(t, d)
	if len(tb.Rows) != 2 {
		t.Fatalf("got %d rows, want 2", len(tb.Rows))
	}
	for i, r := range tb.Rows {
		if len(r) != maxCols {
			t.Errorf("row %d has %d cells, want %d", i, len(r), maxCols)
		}
	}
	if got, want := tb.Rows[1][100].Text, "e"; got != want {
		t.Errorf("row 2, column 101 = %q, want %q", got, want)
	}
	notes := hostile.LimitNotes(d)
	if len(notes) != 1 || !strings.Contains(notes[0], "wider than 200 columns") {
		t.Errorf("limit notes = %q, want one about the 200-column cap", notes)
	}
}

func TestSpanCuts(t *testing.T) {
	rows := func(n int) string { return strings.Repeat("<tr><td>x</td></tr>", n) }
	tests := []struct {
		name, table string
		want        []string // substrings of the limit notes, in order
	}{
		{"spans within the caps", `<tr><td colspan=100>a</td><td rowspan=500>b</td></tr>` + rows(3), nil},
		{"colspan over the cap", `<tr><td colspan=101>a</td><td>b</td></tr>`, []string{"1 table cells span more than 100 columns"}},
		{"colspan beyond int", `<tr><td colspan=99999999999999999999>a</td></tr>`, []string{"span more than 100 columns"}},
		{"rowspan over the cap in a short table", `<tr><td rowspan=9999>a</td></tr>` + rows(3), nil},
		{"rowspan over the cap in a long table", `<tr><td rowspan=9999>a</td></tr>` + rows(maxRowSpan+1), []string{"span more than 500 rows"}},
		{"cells past the last column", `<tr>` + strings.Repeat(`<td colspan=100>a</td>`, 3) + `</tr>`, []string{"100 cell positions beyond the last column"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Read(context.Background(), document.Input{Source: "t.html", Data: []byte("<table>" + tt.table + "</table>")})
			if err != nil {
				t.Fatal(err)
			}
			notes := hostile.LimitNotes(d)
			if len(notes) != len(tt.want) {
				t.Fatalf("limit notes = %q, want %d", notes, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(notes[i], w) {
					t.Errorf("note %d = %q, want it to contain %q", i, notes[i], w)
				}
			}
		})
	}
}

// A table larger than the cell limit is dropped before it is built whole:
// 7.6 MB of colspan=100 cells once took 1.2 GB.
func TestTableOverCellLimit(t *testing.T) {
	page := "<table>" + strings.Repeat("<tr><td colspan=100>1<td colspan=100>2", 1000) + "</table><p>后文</p>"
	d, err := Read(context.Background(), document.Input{Source: "wide.html", Data: []byte(page), Limits: document.Limits{MaxCells: 10_000}})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.Blocks {
		if b.Table != nil {
			t.Fatalf("a table of %d rows was kept over the limit", len(b.Table.Rows))
		}
	}
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], "more than 10000 table cells") {
		t.Errorf("limit notes = %q", notes)
	}
	if lines := d.Lines(); len(lines) == 0 || lines[len(lines)-1] != "后文" {
		t.Errorf("text after the table lost: %q", lines)
	}
}

func TestTagLimit(t *testing.T) {
	page := "<html><body>" + strings.Repeat("<p>a", maxTags) + "<p>end"
	d, err := Read(context.Background(), document.Input{Source: "many.html", Data: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	lines := d.Lines()
	if n := len(lines); n != maxTags-2 || lines[n-1] != "a" {
		t.Errorf("got %d lines ending %q, want %d ending in a", n, lines[len(lines)-1], maxTags-2)
	}
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], fmt.Sprintf("more than %d tags", maxTags)) {
		t.Errorf("limit notes = %q", notes)
	}
}

// Every loop over the page checks the context: whenever the deadline
// passes, Read ends with the context's error.
func TestDeadline(t *testing.T) {
	hostile.ReadDeadlines(t, Read, []hostile.Case{
		{Name: "hang table", Data: []byte(hostile.HangTable), Looks: 2},
		{Name: "wide table", Data: []byte("<table>" + strings.Repeat("<tr><td colspan=100>1<td colspan=100>2", 3000) + "</table>"), Looks: 20},
		{Name: "many tags", Data: []byte("<html><body>" + strings.Repeat("<p>a", 50_000)), Looks: 50},
		{Name: "nested containers", Data: []byte(strings.Repeat(`<div class="content">`, 500) + strings.Repeat("<span>x</span>", 20_000)), Looks: 50},
	})
}

// A report page that declares UTF-8 and has one stray byte was decoded as
// Big5 and not checked. It is UTF-8, and the repair is noted.
func TestStrayByte(t *testing.T) {
	d, err := Read(context.Background(), document.Input{Source: "stray.html", Data: hostile.StrayByte()})
	if err != nil {
		t.Fatal(err)
	}
	if d.Charset != "utf-8" {
		t.Errorf("charset %s, want utf-8", d.Charset)
	}
	if d.Title != "某某局2023年政府信息公开工作年度报告" {
		t.Errorf("title %q", d.Title)
	}
	if !strings.Contains(d.Text(), "《中华人民共和国政府信息公开条例》，主动公开政府信息") {
		t.Errorf("text %q", d.Text())
	}
	if len(d.Notes) != 1 || d.Notes[0].Kind != document.NoteRepaired || !strings.Contains(d.Notes[0].Message.En, "has 1 invalid UTF-8 byte sequences") || !strings.Contains(d.Notes[0].Message.Zh, "有1处无效的UTF-8字节") {
		t.Errorf("notes = %+v, want the repair", d.Notes)
	}
}
