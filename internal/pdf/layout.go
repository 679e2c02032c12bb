package pdf

import (
	"math"
	"regexp"
	"sort"

	"github.com/ogicheck/ogicheck/internal/document"
)

// item is one piece of a page in reading order: a text line or a table.
type item struct {
	top, bottom float64
	line        *line
	table       *document.Table
	cols        []float64 // column boundaries of a ruled table, for page joins
}

type pageLayout struct {
	items []item
	w, h  float64
	text  bool // any glyph at all
	cells int  // table positions kept
	// bigGrids: rule groups over maxGridCells, read as text; droppedGrids:
	// tables over the cell budget, left out
	bigGrids, droppedGrids int
}

// layoutPage splits a page into ruled tables and free lines. Tables are
// kept while they fit in maxCells positions.
func layoutPage(p *pageData, maxCells int) pageLayout {
	pl := pageLayout{w: p.w, h: p.h, text: len(p.glyphs) > 0}
	grids, big := findGrids(p.hsegs, p.vsegs)
	pl.bigGrids = big
	inGrid := make([][]glyph, len(grids))
	var free []glyph
	for _, g := range p.glyphs {
		placed := false
		for i, gr := range grids {
			if gr.contains(g.cx(), g.cy()) {
				inGrid[i] = append(inGrid[i], g)
				placed = true
				break
			}
		}
		if !placed {
			free = append(free, g)
		}
	}
	for i, gr := range grids {
		if n := (len(gr.ys) - 1) * (len(gr.xs) - 1); pl.cells+n > maxCells {
			pl.droppedGrids++
			continue
		}
		t, bounds, ok := gr.table(inGrid[i])
		if !ok {
			continue
		}
		if width(t) < 2 {
			// A framed block of text, not a table: read it as lines.
			free = append(free, inGrid[i]...)
			continue
		}
		pl.cells += countCells(t)
		pl.items = append(pl.items, item{top: gr.y1, bottom: gr.y0, table: t, cols: bounds})
	}
	for _, l := range buildLines(free) {
		pl.items = append(pl.items, item{top: l.y1, bottom: l.y0, line: l})
	}
	sortItems(pl.items)
	return pl
}

func sortItems(items []item) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.line != nil && b.line != nil {
			if math.Abs(a.line.base-b.line.base) > 0.5 {
				return a.line.base > b.line.base
			}
			return a.line.x0 < b.line.x0
		}
		return a.top > b.top
	})
}

func width(t *document.Table) int {
	w := 0
	for _, r := range t.Rows {
		w = max(w, len(r))
	}
	return w
}

var pageNumberRe = regexp.MustCompile(`^(?:[-－—–‒\s]*\d{1,4}[-－—–‒\s]*|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$`)

var digitsRe = regexp.MustCompile(`\d+`)

// dropMargins removes page numbers and running headers/footers: lines in
// the top or bottom margin band that are page numbers, or whose text
// (digits ignored) repeats on at least half of the pages.
func dropMargins(pages []pageLayout) {
	inBand := func(p pageLayout, it item) bool {
		return it.line != nil && (it.bottom < 0.12*p.h || it.top > 0.90*p.h)
	}
	count := map[string]int{}
	for _, p := range pages {
		seen := map[string]bool{}
		for _, it := range p.items {
			if inBand(p, it) {
				k := digitsRe.ReplaceAllString(it.line.text(), "#")
				if !seen[k] {
					seen[k] = true
					count[k]++
				}
			}
		}
	}
	for i := range pages {
		p := &pages[i]
		out := p.items[:0]
		for _, it := range p.items {
			if inBand(*p, it) {
				txt := it.line.text()
				k := digitsRe.ReplaceAllString(txt, "#")
				if pageNumberRe.MatchString(txt) || (len(pages) >= 3 && count[k]*2 >= len(pages) && count[k] >= 2) {
					continue
				}
			}
			out = append(out, it)
		}
		p.items = out
	}
}

var enumRe = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十\d]+[章节条部分])`)

// textStats describes the body text: the usual font size and margins.
type textStats struct {
	size        float64
	left, right float64
}

func statsOf(items []item, body float64) textStats {
	st := textStats{size: body, left: math.Inf(1), right: math.Inf(-1)}
	starts := map[int]int{}
	for _, it := range items {
		if it.line == nil || it.line.vert {
			continue
		}
		l := it.line
		if math.Abs(l.size-body) > 0.2*body {
			continue
		}
		starts[int(math.Round(l.x0))]++
		st.right = math.Max(st.right, l.x1)
	}
	best := 0
	for x, n := range starts {
		if n > best || (n == best && float64(x) < st.left) {
			best = n
			st.left = float64(x)
		}
	}
	return st
}

// bodySize is the font size that most glyphs have.
func bodySize(pages []pageLayout) float64 {
	hist := map[int]int{}
	for _, p := range pages {
		for _, it := range p.items {
			if it.line != nil {
				hist[int(math.Round(it.line.size*2))] += len(it.line.glyphs)
			}
		}
	}
	best, size := 0, 12.0
	for k, n := range hist {
		if n > best {
			best, size = n, float64(k)/2
		}
	}
	return size
}

// paragraph is a run of lines read as one block.
type paragraph struct {
	text  words // the lines' texts, normalised once the paragraph ends
	lines []*line
	open  bool // ends on a full line: may continue on the next page
	page  int  // the page it starts on, 1-based
}

// continues reports whether line n continues the paragraph ending with p.
func continues(p, n *line, st textStats, pageW float64) bool {
	if single(p) && single(n) {
		// Characters stacked one under another read as one text.
		pc, nc := (p.x0+p.x1)/2, (n.x0+n.x1)/2
		return math.Abs(pc-nc) < 0.5*p.size && p.base > n.base && p.base-n.base < 1.8*p.size
	}
	if p.vert || n.vert {
		return false
	}
	if math.Abs(p.size-n.size) > 0.2*math.Max(p.size, n.size) {
		return false
	}
	gap := p.base - n.base
	if gap <= 0 || gap > 2.6*p.size {
		return false
	}
	// Centred title lines in a larger font belong together.
	big := p.size >= 1.15*st.size && n.size >= 1.15*st.size
	if big && centred(p, pageW) && centred(n, pageW) {
		return true
	}
	if !lineFull(p, st, pageW) {
		return false // the previous line stops short: paragraph end
	}
	if n.x0 > st.left+0.8*n.size {
		return false // indented: a new paragraph
	}
	return !enumRe.MatchString(n.text())
}

// single reports whether l is one character: a vertical glyph or a lone
// horizontal one.
func single(l *line) bool {
	return l.vert || l.textGlyphs() == 1
}

func centred(l *line, pageW float64) bool {
	c := (l.x0 + l.x1) / 2
	return math.Abs(c-pageW/2) < 0.08*pageW && l.x0 > 0.12*pageW
}

// lineFull reports whether l reaches the right margin of a text column
// that is wide enough for wrapping to be the reason a line ends there.
func lineFull(l *line, st textStats, pageW float64) bool {
	return !l.vert && l.x1 >= st.right-2*l.size && st.right-st.left >= 0.55*pageW
}
