package docx

import (
	"context"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

// Each of these Word documents is a few kilobytes to a few hundred, and
// once took gigabytes or minutes: cells spanning 1000 columns each (a 3 MB
// one took 2.7 GB and 55 s), text that compresses to nothing, elements
// nested millions deep, one text run of tens of megabytes. Each ends with
// what fits in the limits and a limit note.
func TestBombs(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		lim   document.Limits
		note  string // in the only limit note
		lines []string
		cells int // table positions kept, at most
	}{
		{"spans", hostile.DOCXSpans(300_000), document.Limits{}, "tables of more than 200000 cells", []string{"政府信息公开工作年度报告"}, document.DefaultMaxCells},
		{"spans under a small limit", hostile.DOCXSpans(1000), document.Limits{MaxCells: 5000}, "tables of more than 5000 cells", []string{"政府信息公开工作年度报告"}, 5000},
		{"text", hostile.DOCXText(200_000), document.Limits{MaxText: 100_000}, "more than 100000 characters of text", nil, 0},
		{"nesting", hostile.DOCXNested(2_000_000), document.Limits{}, "nested deeper than 1000 levels", []string{"政府信息公开工作年度报告"}, 0},
		{"long run", hostile.DOCXLongRun(1 << 20), document.Limits{}, "longer than 1048576 bytes were cut", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Read(context.Background(), document.Input{Source: tt.name + ".docx", Data: tt.data, Limits: tt.lim})
			if err != nil {
				t.Fatal(err)
			}
			var notes []string
			for _, n := range d.Notes {
				notes = append(notes, n.Kind+": "+n.Message.En)
			}
			if len(notes) != 1 || !strings.Contains(notes[0], "limit: ") || !strings.Contains(notes[0], tt.note) {
				t.Errorf("notes = %q, want one limit note saying %q", notes, tt.note)
			}
			cells, text := 0, 0
			for _, b := range d.Blocks {
				text += len([]rune(b.Text))
				if b.Table != nil {
					for _, r := range b.Table.Rows {
						cells += len(r)
					}
				}
			}
			if cells > tt.cells {
				t.Errorf("%d table positions kept, want at most %d", cells, tt.cells)
			}
			if max := tt.lim.WithDefaults().MaxText; text > max+100 {
				t.Errorf("%d characters kept, over the limit of %d", text, max)
			}
			if lines := d.Lines(); tt.lines != nil && strings.Join(lines, "|") != strings.Join(tt.lines, "|") {
				t.Errorf("lines = %q, want %q", lines, tt.lines)
			}
		})
	}
}

func TestLongRunKeepsWholeCharacters(t *testing.T) {
	d, err := Read(context.Background(), document.Input{Source: "run.docx", Data: hostile.DOCXLongRun(1 << 20)})
	if err != nil {
		t.Fatal(err)
	}
	lines := d.Lines()
	if len(lines) != 3 || lines[2] != "后文" || strings.Trim(lines[1], "政") != "" || len(lines[1]) < 1<<20-64 {
		t.Errorf("%d lines, want the title, the cut run of 政 and 后文", len(lines))
	}
}

func TestDeadline(t *testing.T) {
	hostile.ReadDeadlines(t, Read, []hostile.Case{
		{Name: "spans", Data: hostile.DOCXSpans(300_000), Looks: 2},
		{Name: "text", Data: hostile.DOCXText(100_000), Looks: 100},
		{Name: "nesting", Data: hostile.DOCXNested(100_000), Looks: 1},
	})
}
