package msdoc

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

// The text is read up to the text limit: each character costs eight bytes
// until the paragraphs are built.
func TestTextLimit(t *testing.T) {
	d, err := Read(context.Background(), document.Input{Source: "t.doc", Data: load(t, roundtrip.File(t, "report.doc")), Limits: document.Limits{MaxText: 500}})
	if err != nil {
		t.Fatal(err)
	}
	if notes := hostile.LimitNotes(d); len(notes) != 1 || !strings.Contains(notes[0], "more than 500 characters of text") {
		t.Errorf("limit notes = %q", notes)
	}
	n := 0
	for _, b := range d.Blocks {
		n += utf8.RuneCountInString(b.Text)
		if b.Table != nil {
			for _, r := range b.Table.Rows {
				for _, c := range r {
					if !c.Spanned {
						n += utf8.RuneCountInString(c.Text)
					}
				}
			}
		}
	}
	if n == 0 || n > 500 {
		t.Errorf("%d characters read, want 1..500", n)
	}
	for _, n := range d.Notes {
		if n.Kind == document.NoteCorrupt {
			t.Errorf("a cut text is taken for damage: %s", n.Message.En)
		}
	}
}

func TestDeadline(t *testing.T) {
	hostile.ReadDeadlines(t, Read, []hostile.Case{
		{Name: "report", Data: load(t, roundtrip.File(t, "report.doc")), Looks: 2},
	})
}
