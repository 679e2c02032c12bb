package xlsx

import (
	"context"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

// The 1.5 KB workbook that merges A1:XFD1048576 over cells at XFD1 and
// A1048576 once filled 17 billion cells. The merge is measured before it
// is expanded: it is left as it is and said to be over the limit, and the
// cells stored are kept.
func TestMergeBomb(t *testing.T) {
	data := hostile.XLSXMerge()
	if len(data) > 2048 {
		t.Fatalf("the workbook is %d bytes, want about 1.5 KB", len(data))
	}
	d, err := Read(context.Background(), document.Input{Source: "merge.xlsx", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, n := range d.Notes {
		if n.Kind == document.NoteLimit {
			notes = append(notes, n.Message.En)
		}
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "merged ranges of sheet \"Sheet1\" (A1:XFD1048576)") {
		t.Errorf("limit notes = %q, want the merge over the limit", notes)
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Table == nil {
		t.Fatalf("blocks = %+v, want the sheet's table", d.Blocks)
	}
	tb := d.Blocks[0].Table
	cells := 0
	for _, r := range tb.Rows {
		cells += len(r)
	}
	if cells > document.DefaultMaxCells {
		t.Errorf("%d cells kept, over the limit of %d", cells, document.DefaultMaxCells)
	}
	if got := tb.Rows[0][0].Text; got != "政府信息公开" {
		t.Errorf("A1 = %q, want 政府信息公开", got)
	}
	if got := tb.Rows[0][len(tb.Rows[0])-1].Text; got != "x" {
		t.Errorf("XFD1 = %q, want x", got)
	}
}

// A 25 KB workbook of rows with cells in columns A and XFD once took
// gigabytes when its merged ranges were asked of excelize, which loads the
// whole sheet and fills every column of every row. The rows that fit the
// cell limit are kept, and the limit is said.
func TestWideRows(t *testing.T) {
	d, err := Read(context.Background(), document.Input{Source: "wide.xlsx", Data: hostile.XLSXWide(3000)})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Table == nil {
		t.Fatalf("blocks = %+v, want the sheet's table", d.Blocks)
	}
	rows := d.Blocks[0].Table.Rows
	if want := document.DefaultMaxCells / 16384; len(rows) != want {
		t.Errorf("%d rows kept, want the %d that fit in %d cells", len(rows), want, document.DefaultMaxCells)
	}
	if len(rows) > 2 && (rows[0][0].Text != "1" || rows[0][16383].Text != "2" || !rows[0][1].Spanned || !rows[1][1].Spanned || rows[2][1].Spanned) {
		t.Errorf("first rows %+v…, %+v…, %+v…: want A=1, XFD=2, A1:B2 merged", rows[0][:2], rows[1][:2], rows[2][:2])
	}
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0].Message.En, "cells beyond the limit") {
		t.Errorf("notes = %+v, want the cell limit", d.Notes)
	}
}

func TestDeadline(t *testing.T) {
	hostile.ReadDeadlines(t, Read, []hostile.Case{
		{Name: "merge bomb", Data: hostile.XLSXMerge(), Looks: 100},
		{Name: "wide rows", Data: hostile.XLSXWide(3000), Looks: 3},
	})
}
