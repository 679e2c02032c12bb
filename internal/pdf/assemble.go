package pdf

import (
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/document"
)

// assemble turns page layouts into blocks: paragraphs joined across wrapped
// lines (and across page breaks), tables joined across page breaks.
func assemble(doc *document.Document, pages []pageLayout, lim document.Limits) {
	dropMargins(pages)
	body := bodySize(pages)
	var all []item
	for _, p := range pages {
		all = append(all, p.items...)
	}
	st := statsOf(all, body)

	var para *paragraph
	var pageW float64
	flush := func() {
		if para != nil {
			if text := normalizeCell(para.text.String()); text != "" {
				doc.Blocks = append(doc.Blocks, document.Block{Text: text, Page: para.page})
			}
		}
		para = nil
	}
	var lastTable *item // the last block is this table (for page joins)
	cells := 0
	limited := false
	for pi, p := range pages {
		pageW = p.w
		items := textTables(p.items)
		for k, it := range items {
			if it.table != nil {
				flush()
				n := countCells(it.table)
				if cells+n > lim.MaxCells {
					if !limited {
						doc.AddNote(document.NoteLimit, "超过%d个的表格单元格未保留", "table cells beyond %d were not kept", lim.MaxCells)
						limited = true
					}
					continue
				}
				cells += n
				if k == 0 && pi > 0 && lastTable != nil && len(doc.Blocks) > 0 && doc.Blocks[len(doc.Blocks)-1].Table == lastTable.table {
					if m, ok := columnMap(lastTable, &it); ok {
						appendRows(lastTable.table, it.table, m)
						continue
					}
				}
				cp := it
				doc.Blocks = append(doc.Blocks, document.Block{Table: cp.table, Page: pi + 1})
				lastTable = &cp
				continue
			}
			l := it.line
			if para != nil && continues(para.lines[len(para.lines)-1], l, st, pageW) {
				para.add(l)
				continue
			}
			// First line on a new page continuing a paragraph left open.
			if para != nil && k == 0 && para.open && !l.vert && l.x0 <= st.left+0.8*l.size &&
				math.Abs(l.size-para.lines[len(para.lines)-1].size) <= 0.2*l.size && !enumRe.MatchString(l.text()) {
				para.add(l)
				continue
			}
			flush()
			para = &paragraph{page: pi + 1}
			para.add(l)
		}
		if para != nil {
			para.open = lineFull(para.lines[len(para.lines)-1], st, pageW)
		}
	}
	flush()
}

func (p *paragraph) add(l *line) {
	p.lines = append(p.lines, l)
	p.text.add(l.text(), true)
}

func countCells(t *document.Table) int {
	n := 0
	for _, r := range t.Rows {
		n += len(r)
	}
	return n
}

// columnMap decides whether table b, at the top of a page, continues table
// a that ended the previous page. Ruled tables continue when their outer
// edges agree and each of b's column boundaries is one of a's (b may
// have fewer columns where its rows span several of a's); text tables when
// they have as many columns. It returns, for each of b's columns, the first
// of a's columns it covers, plus a final entry for a's width.
func columnMap(a, b *item) ([]int, bool) {
	wa, wb := width(a.table), width(b.table)
	if a.cols == nil || b.cols == nil {
		if a.cols != nil || b.cols != nil || wa != wb {
			return nil, false
		}
		m := make([]int, wa+1)
		for i := range m {
			m[i] = i
		}
		return m, true
	}
	if len(a.cols) != wa+1 || len(b.cols) != wb+1 {
		return nil, false
	}
	const tol = 4.0
	m := make([]int, 0, wb+1)
	k := 0
	for _, x := range b.cols {
		for k < len(a.cols) && a.cols[k] < x-tol {
			k++
		}
		if k == len(a.cols) || math.Abs(a.cols[k]-x) > tol {
			return nil, false
		}
		m = append(m, k)
	}
	if m[0] != 0 || m[len(m)-1] != wa {
		return nil, false
	}
	return m, true
}

// appendRows adds the rows of b to a, laid out on a's columns. A repeated
// header (leading rows of b equal to leading rows of a) is skipped, and a
// rowspan cut by the page break (an empty cell at the top of b under a
// label of a's last row) gets that label back, marked Spanned.
func appendRows(a, b *document.Table, m []int) {
	rows := make([][]document.Cell, 0, len(b.Rows))
	for _, r := range b.Rows {
		if len(r)+1 != len(m) {
			continue
		}
		out := make([]document.Cell, m[len(m)-1])
		for j, c := range r {
			for k := m[j]; k < m[j+1]; k++ {
				out[k] = document.Cell{Text: c.Text, Spanned: c.Spanned || k > m[j]}
			}
		}
		rows = append(rows, out)
	}
	skip := 0
	for skip < len(rows) && skip < len(a.Rows) && rowText(a.Rows[skip]) == rowText(rows[skip]) && !allNumeric(rows[skip]) {
		skip++
	}
	rows = rows[skip:]
	if len(a.Rows) > 0 && len(rows) > 0 {
		last := a.Rows[len(a.Rows)-1]
		for c := range rows[0] {
			if c >= len(last) || rows[0][c].Text != "" || last[c].Text == "" || isNumeric(last[c].Text) {
				continue
			}
			for i := 0; i < len(rows) && rows[i][c].Text == "" && (i == 0 || rows[i][c].Spanned); i++ {
				rows[i][c] = document.Cell{Text: last[c].Text, Spanned: true}
			}
		}
	}
	a.Rows = append(a.Rows, rows...)
}

func rowText(r []document.Cell) string {
	var sb strings.Builder
	for _, c := range r {
		sb.WriteString(c.Text)
		sb.WriteByte('|')
	}
	return sb.String()
}

func allNumeric(r []document.Cell) bool {
	for _, c := range r {
		if c.Text != "" && !isNumeric(c.Text) {
			return false
		}
	}
	return true
}

var genericTitleRe = regexp.MustCompile(`(?i)^(untitled|无标题|新建|文档\d*|document\d*|microsoft word|wps|pdf|标题)$|\.(docx?|wps|pdf|xlsx?|txt|rtf)$|^microsoft word - `)

// title prefers the Info dictionary's title when it says more than the
// first lines of the page, else the leading (large, centred) title lines.
func title(o *objects, doc *document.Document) string {
	info := ""
	if o.x.Info != nil {
		if d := o.dict(*o.x.Info); d != nil {
			if b, ok := o.bytesOf(d["Title"]); ok {
				info = normalizeCell(textString(b))
			}
		}
	}
	first := ""
	for _, b := range doc.Blocks {
		if b.Text != "" {
			first = b.Text
			break
		}
	}
	if meaningfulTitle(info) {
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if first == "" || !strings.Contains(squash(first), squash(info)) || utf8.RuneCountInString(first) > 80 {
			return info
		}
	}
	if utf8.RuneCountInString(first) > 120 {
		r := []rune(first)
		first = string(r[:120])
	}
	return first
}

func meaningfulTitle(s string) bool {
	if utf8.RuneCountInString(s) < 4 {
		return false
	}
	if genericTitleRe.MatchString(strings.TrimSpace(s)) {
		return false
	}
	letters := 0
	for _, r := range s {
		if isWide(r) || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') {
			letters++
		}
	}
	return letters >= 2
}
