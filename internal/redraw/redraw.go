// Package redraw lays out a document's recognised tables (二, 三, 四) for
// display, with the cells that findings involve marked, so that a reader
// sees the rows and columns an identity spans and not only their names.
// Reports and the reviewers' app draw tables from it.
package redraw

import (
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// Table is one recognised table, its cells aligned with Columns.
type Table struct {
	ID       string
	Template result.Template
	Columns  []string
	Rows     []Row
	// Marked tells whether any cell or row of the table is marked.
	Marked bool
}

// Row is one data row.
type Row struct {
	Block string
	Label string // the template's label
	Found string // the label as printed, when it differs
	Cells []Cell // one per column of the table
	// Marks are the findings that name this row without naming cells
	// (a missing or misprinted row), by index into the findings given.
	Marks []int
}

// Cell is one value; a column the row has no cell for is State missing.
type Cell struct {
	Column string
	Raw    string
	State  string
	// Marks are the findings that involve this cell, by index into the
	// findings given.
	Marks []int
	// Focus is set when a finding's own row and column name this cell (the
	// total that does not add up, the text in a number cell), as against
	// the other cells its identity involves.
	Focus bool
}

// Layout returns every table of d with the cells and rows of fs marked.
// Findings about other tables, or naming cells the table does not have, mark
// nothing.
func Layout(d *result.Document, fs []result.Finding) []Table {
	if d == nil {
		return nil
	}
	out := make([]Table, 0, len(d.Tables))
	for _, t := range d.Tables {
		out = append(out, layout(t, fs))
	}
	return out
}

// ForFinding returns the part of d's table that finding f involves: the
// rows and columns of its cells (or its row, whole, when it names no
// cells), marked. ok is false when f names no table of d or none of its
// rows and cells is in it.
func ForFinding(d *result.Document, f result.Finding) (t Table, ok bool) {
	if d == nil || f.Evidence.Table == "" {
		return Table{}, false
	}
	for _, src := range d.Tables {
		if src.ID != f.Evidence.Table {
			continue
		}
		full := layout(src, []result.Finding{f})
		if !full.Marked {
			return Table{}, false
		}
		keepCol := make([]bool, len(full.Columns))
		anyCell := false
		for _, r := range full.Rows {
			for j, c := range r.Cells {
				if len(c.Marks) > 0 {
					keepCol[j] = true
					anyCell = true
				}
			}
		}
		cut := Table{ID: full.ID, Template: full.Template, Marked: true}
		for j, c := range full.Columns {
			if keepCol[j] || !anyCell {
				cut.Columns = append(cut.Columns, c)
			}
		}
		for _, r := range full.Rows {
			marked := len(r.Marks) > 0
			var cells []Cell
			for j, c := range r.Cells {
				if len(c.Marks) > 0 {
					marked = true
				}
				if keepCol[j] || !anyCell {
					cells = append(cells, c)
				}
			}
			if marked {
				r.Cells = cells
				cut.Rows = append(cut.Rows, r)
			}
		}
		return cut, true
	}
	return Table{}, false
}

func layout(t result.Table, fs []result.Finding) Table {
	out := Table{ID: t.ID, Template: t.Template, Columns: append([]string(nil), t.Columns...)}
	colIndex := map[string]int{}
	for i, c := range out.Columns {
		if _, dup := colIndex[c]; !dup {
			colIndex[c] = i
		}
	}
	// Cells beyond the template's columns are kept, as columns of their own.
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if _, ok := colIndex[c.Column]; !ok {
				colIndex[c.Column] = len(out.Columns)
				out.Columns = append(out.Columns, c.Column)
			}
		}
	}
	for _, r := range t.Rows {
		row := Row{Block: r.Block, Label: r.Label, Found: r.Found, Cells: make([]Cell, len(out.Columns))}
		for j, c := range out.Columns {
			row.Cells[j] = Cell{Column: c, State: result.CellMissing}
		}
		for _, c := range r.Cells {
			j := colIndex[c.Column]
			row.Cells[j] = Cell{Column: c.Column, Raw: c.Raw, State: c.State}
		}
		out.Rows = append(out.Rows, row)
	}
	for i, f := range fs {
		e := f.Evidence
		if e.Table != t.ID {
			continue
		}
		for _, ref := range e.Cells {
			ri, ci := out.findRow(ref.Row), out.findColumn(ref.Column)
			if ri < 0 || ci < 0 {
				continue
			}
			c := &out.Rows[ri].Cells[ci]
			c.Marks = appendOnce(c.Marks, i)
			out.Marked = true
		}
		ri := out.findRow(e.Row)
		if ri < 0 {
			continue
		}
		if ci := out.findColumn(e.Column); ci >= 0 {
			c := &out.Rows[ri].Cells[ci]
			c.Marks = appendOnce(c.Marks, i)
			c.Focus = true
			out.Marked = true
		} else if len(e.Cells) == 0 {
			out.Rows[ri].Marks = appendOnce(out.Rows[ri].Marks, i)
			out.Marked = true
		}
	}
	return out
}

func (t *Table) findRow(name string) int {
	if name == "" {
		return -1
	}
	for i, r := range t.Rows {
		if rowMatches(r, name) {
			return i
		}
	}
	return -1
}

// rowMatches tells whether a finding's row name is r: the rules name a row
// by its label, prefixed with its group for grouped rows ("（三）不予公开
// 1.属于国家秘密").
func rowMatches(r Row, name string) bool {
	if name == "" {
		return false
	}
	return r.Label == name || r.Block != "" && r.Block+" "+r.Label == name
}

func (t *Table) findColumn(name string) int {
	if name == "" {
		return -1
	}
	for i, c := range t.Columns {
		if c == name {
			return i
		}
	}
	for i, c := range t.Columns {
		if columnMatches(c, name) {
			return i
		}
	}
	return -1
}

// columnMatches tells whether a finding's column name is col, exactly or
// as the last part of a grouped column ("行政复议/总计" is 总计 of 行政复议).
func columnMatches(col, name string) bool {
	return name != "" && (col == name || strings.HasSuffix(col, "/"+name) || strings.HasSuffix(col, " "+name))
}

func appendOnce(s []int, i int) []int {
	for _, v := range s {
		if v == i {
			return s
		}
	}
	return append(s, i)
}
