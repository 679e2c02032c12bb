package pdf

import (
	"math"
	"sort"
	"strings"
)

// line is a run of glyphs sharing a baseline, left to right.
type line struct {
	glyphs         []glyph
	x0, x1, y0, y1 float64
	base, size     float64
	vert           bool
}

// frag is a piece of a line separated from its neighbours by a wide gap:
// a table cell in a table without rules, or a tab stop.
type frag struct {
	x0, x1 float64
	text   string
}

// buildLines groups glyphs into lines by baseline. Vertical glyphs (stacked
// one per position) each become their own line, so that cells and
// paragraphs read them top to bottom.
func buildLines(gs []glyph) []*line {
	if len(gs) == 0 {
		return nil
	}
	sorted := make([]glyph, len(gs))
	copy(sorted, gs)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].base != sorted[j].base {
			return sorted[i].base > sorted[j].base
		}
		return sorted[i].x0 < sorted[j].x0
	})
	var lines []*line
	var cur *line
	for i := range sorted {
		g := sorted[i]
		if g.vert {
			lines = append(lines, newLine(g))
			continue
		}
		if cur != nil && !cur.vert {
			tol := math.Max(1.5, 0.4*math.Min(g.size, cur.size))
			if math.Abs(cur.base-g.base) <= tol {
				cur.glyphs = append(cur.glyphs, g)
				continue
			}
		}
		cur = newLine(g)
		lines = append(lines, cur)
	}
	for _, l := range lines {
		l.finish()
	}
	sort.SliceStable(lines, func(i, j int) bool {
		if math.Abs(lines[i].base-lines[j].base) > 0.5 {
			return lines[i].base > lines[j].base
		}
		return lines[i].x0 < lines[j].x0
	})
	return lines
}

func newLine(g glyph) *line {
	return &line{glyphs: []glyph{g}, base: g.base, size: g.size, vert: g.vert}
}

// finish sorts glyphs by x, drops duplicates drawn twice for fake bold or
// shadow effects, and computes the bounding box.
func (l *line) finish() {
	sort.SliceStable(l.glyphs, func(i, j int) bool { return l.glyphs[i].x0 < l.glyphs[j].x0 })
	out := l.glyphs[:0]
	for _, g := range l.glyphs {
		if n := len(out); n > 0 {
			p := out[n-1]
			if p.text == g.text && math.Abs(p.x0-g.x0) < 0.3*math.Max(1, p.x1-p.x0) && math.Abs(p.base-g.base) < 0.3*g.size {
				continue
			}
		}
		out = append(out, g)
	}
	l.glyphs = out
	l.x0, l.y0 = math.Inf(1), math.Inf(1)
	l.x1, l.y1 = math.Inf(-1), math.Inf(-1)
	sizes := 0.0
	for _, g := range l.glyphs {
		if g.space {
			continue
		}
		l.x0 = math.Min(l.x0, g.x0)
		l.x1 = math.Max(l.x1, g.x1)
		l.y0 = math.Min(l.y0, g.y0)
		l.y1 = math.Max(l.y1, g.y1)
		sizes += g.size
	}
	if math.IsInf(l.x0, 1) { // spaces only
		l.x0, l.x1, l.y0, l.y1 = 0, 0, 0, 0
	}
	if n := l.textGlyphs(); n > 0 {
		l.size = sizes / float64(n)
	}
}

func (l *line) textGlyphs() int {
	n := 0
	for _, g := range l.glyphs {
		if !g.space {
			n++
		}
	}
	return n
}

// Gaps, in multiples of the font size, that separate two table cells (or
// tab stops) on one line. A gap the producer left by moving the pen is a
// cell gap from 0.75 em (justified Chinese text stays under 0.5 em); a gap
// holding drawn spaces only from 1.8 em, as one space can be 1 em wide in
// CJK fonts while alignment with spaces takes several.
const (
	fragGap      = 0.75
	fragGapSpace = 1.8
)

// wordGap is the gap, in multiples of the font size, above which two narrow
// characters are separate words.
const wordGap = 0.18

func (l *line) frags() []frag {
	var out []frag
	var cur frag
	var text words
	var prev *glyph
	spaced := false
	for i := range l.glyphs {
		g := &l.glyphs[i]
		if g.space {
			spaced = true
			continue
		}
		sawSpace := spaced
		spaced = false
		if prev != nil {
			gap := g.x0 - prev.x1
			size := math.Max(g.size, prev.size)
			limit := fragGap
			if sawSpace {
				limit = fragGapSpace
			}
			if gap > limit*size {
				cur.text = text.String()
				out = append(out, cur)
				prev = nil
			} else {
				text.add(g.text, sawSpace || gap > wordGap*size)
				cur.x1 = math.Max(cur.x1, g.x1)
				prev = g
				continue
			}
		}
		cur = frag{x0: g.x0, x1: g.x1}
		text = words{}
		text.add(g.text, false)
		prev = g
	}
	if prev != nil {
		cur.text = text.String()
		out = append(out, cur)
	}
	return out
}

// text is the line's text; wide gaps become one space (kept only between
// narrow characters).
func (l *line) text() string {
	var s words
	for _, f := range l.frags() {
		s.add(f.text, true)
	}
	return s.String()
}

// joinLines joins the lines of one cell or paragraph: lines are
// concatenated, with a space only between two narrow characters.
func joinLines(ls []*line) string {
	var s words
	for _, l := range ls {
		s.add(l.text(), true)
	}
	return strings.TrimSpace(s.String())
}
