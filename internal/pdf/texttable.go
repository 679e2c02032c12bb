package pdf

import (
	"math"
	"sort"

	"github.com/ogicheck/ogicheck/internal/document"
)

// Tables without rules: consecutive lines that break into several
// fragments at wide gaps, at least one of them a number, are read as table
// rows. Columns come from the numeric rows, whose fragments line up;
// header fragments are put in the column they overlap most.

func isTableLine(fs []frag) bool {
	if len(fs) < 2 {
		return false
	}
	for _, f := range fs[1:] {
		if isNumeric(f.text) {
			return true
		}
	}
	return len(fs) >= 3
}

func hasNumber(fs []frag) bool {
	for _, f := range fs[1:] {
		if isNumeric(f.text) {
			return true
		}
	}
	return false
}

// textTables replaces runs of table-like lines in items with tables.
func textTables(items []item) []item {
	var out []item
	for i := 0; i < len(items); {
		if items[i].line == nil || items[i].line.vert || !isTableLine(items[i].line.frags()) {
			out = append(out, items[i])
			i++
			continue
		}
		j := i + 1
		for j < len(items) && items[j].line != nil && !items[j].line.vert {
			prev, cur := items[j-1].line, items[j].line
			if prev.base-cur.base > 3.2*prev.size {
				break
			}
			if !isTableLine(cur.frags()) && !labelOnly(cur, items[i:j]) {
				break
			}
			j++
		}
		// Trailing label-only lines belong to what follows, not to the table.
		for j > i+1 && !isTableLine(items[j-1].line.frags()) {
			j--
		}
		run := items[i:j]
		numeric := 0
		for _, it := range run {
			if hasNumber(it.line.frags()) {
				numeric++
			}
		}
		if len(run) < 2 || numeric == 0 {
			out = append(out, items[i])
			i++
			continue
		}
		t := buildTextTable(run)
		out = append(out, item{top: run[0].top, bottom: run[len(run)-1].bottom, table: t})
		i = j
	}
	return out
}

// labelOnly reports whether l is a one-fragment line starting at the
// table's left edge: a label wrapped onto its own line.
func labelOnly(l *line, run []item) bool {
	fs := l.frags()
	if len(fs) != 1 || isNumeric(fs[0].text) {
		return false
	}
	left := math.Inf(1)
	for _, it := range run {
		left = math.Min(left, it.line.x0)
	}
	return fs[0].x0 < left+4*l.size
}

type span struct{ x0, x1 float64 }

func buildTextTable(run []item) *document.Table {
	var cols []span
	var all [][]frag
	for _, it := range run {
		fs := it.line.frags()
		all = append(all, fs)
		if !hasNumber(fs) {
			continue
		}
		for _, f := range fs {
			cols = append(cols, span{f.x0, f.x1})
		}
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].x0 < cols[j].x0 })
	var merged []span
	for _, c := range cols {
		if n := len(merged); n > 0 && c.x0 <= merged[n-1].x1 {
			merged[n-1].x1 = math.Max(merged[n-1].x1, c.x1)
			continue
		}
		merged = append(merged, c)
	}
	// Columns must separate the fragments of every numeric row; when they
	// do not (text aligned with tabs of varying width), the rows are kept
	// as they are, marked ragged.
	for _, fs := range all {
		if !hasNumber(fs) {
			continue
		}
		used := map[int]bool{}
		for _, f := range fs {
			c := bestColumn(merged, f)
			if used[c] {
				return raggedTable(all)
			}
			used[c] = true
		}
	}
	t := &document.Table{}
	labelOnlyRows := 0
	for ri, fs := range all {
		row := make([]document.Cell, len(merged))
		texts := make([]words, len(merged))
		for _, f := range fs {
			texts[bestColumn(merged, f)].add(f.text, true)
		}
		for c := range row {
			row[c].Text = normalizeCell(texts[c].String())
		}
		// A wrapped label (label-only rows) followed by a row of numbers
		// without a label: one row.
		// Only lines set at the line spacing of one cell count: a group
		// label further up stays a row of its own.
		tight := ri > 0 && run[ri-1].line.base-run[ri].line.base <= 1.5*run[ri].line.size
		switch {
		case tight && row[0].Text == "" && hasValues(row) && labelOnlyRows > 0:
			var label words
			for _, prev := range t.Rows[len(t.Rows)-labelOnlyRows:] {
				label.add(prev[0].Text, true)
			}
			t.Rows = t.Rows[:len(t.Rows)-labelOnlyRows]
			row[0].Text = normalizeCell(label.String())
			labelOnlyRows = 0
		case row[0].Text != "" && !hasValues(row):
			if tight && labelOnlyRows > 0 {
				labelOnlyRows++
			} else {
				labelOnlyRows = 1
			}
		default:
			labelOnlyRows = 0
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func hasValues(row []document.Cell) bool {
	for _, c := range row[1:] {
		if c.Text != "" {
			return true
		}
	}
	return false
}

func bestColumn(cols []span, f frag) int {
	best, bestOv := -1, 0.0
	for i, c := range cols {
		ov := math.Min(c.x1, f.x1) - math.Max(c.x0, f.x0)
		if ov > bestOv {
			best, bestOv = i, ov
		}
	}
	if best >= 0 {
		return best
	}
	mid := (f.x0 + f.x1) / 2
	bestD := math.Inf(1)
	for i, c := range cols {
		d := math.Abs((c.x0+c.x1)/2 - mid)
		if d < bestD {
			best, bestD = i, d
		}
	}
	return max(best, 0)
}

func raggedTable(all [][]frag) *document.Table {
	// a row lists its fragments only: an empty cell has none
	t := &document.Table{Ragged: true, Compact: true}
	for _, fs := range all {
		row := make([]document.Cell, len(fs))
		for i, f := range fs {
			row[i].Text = normalizeCell(f.text)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
