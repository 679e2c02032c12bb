package pdf

import (
	"math"
	"sort"

	"github.com/ogicheck/ogicheck/internal/document"
)

// Ruled tables. Reports made with WPS, Word or LibreOffice draw every cell
// border, so the grid is read from the rules rather than guessed from text
// gaps: rowspans (group labels such as 「（三）不予公开」), colspans and
// multi-line labels then fall out of the geometry, and numbers centred on a
// different baseline than their label still land in the label's row.

const (
	snapTol      = 2.5     // points: rules closer than this are one rule
	touchTol     = 3.0     // points: a rule ending this close to another touches it
	maxGridLines = 1000    // rows or columns of one grid
	maxGridCells = 100_000 // positions of one grid; a report's table has about 1,000
	maxRules     = 6000    // rules on a page considered for tables
)

type grid struct {
	xs     []float64 // column boundaries, left to right
	ys     []float64 // row boundaries, top to bottom (descending y)
	id     [][]int   // merged-cell id for each row/column position
	ncell  int
	x0, x1 float64
	y0, y1 float64
}

// mergeSegs joins collinear overlapping rules. horizontal selects which
// coordinate is the line's position.
func mergeSegs(ss []seg, horizontal bool) []seg {
	pos := func(s seg) float64 {
		if horizontal {
			return s.y0
		}
		return s.x0
	}
	lo := func(s seg) float64 {
		if horizontal {
			return s.x0
		}
		return s.y0
	}
	hi := func(s seg) float64 {
		if horizontal {
			return s.x1
		}
		return s.y1
	}
	sort.Slice(ss, func(i, j int) bool {
		if math.Abs(pos(ss[i])-pos(ss[j])) > 0.01 {
			return pos(ss[i]) < pos(ss[j])
		}
		return lo(ss[i]) < lo(ss[j])
	})
	var out []seg
	used := make([]bool, len(ss))
	for i := range ss {
		if used[i] {
			continue
		}
		p, a, b := pos(ss[i]), lo(ss[i]), hi(ss[i])
		for j := i + 1; j < len(ss) && pos(ss[j])-p <= 1.0; j++ {
			if used[j] {
				continue
			}
			if lo(ss[j]) <= b+touchTol && hi(ss[j]) >= a-touchTol {
				a, b = math.Min(a, lo(ss[j])), math.Max(b, hi(ss[j]))
				used[j] = true
			}
		}
		if b-a < 3 {
			continue
		}
		if horizontal {
			out = append(out, seg{a, p, b, p})
		} else {
			out = append(out, seg{p, a, p, b})
		}
	}
	return out
}

// findGrids returns the ruled tables of a page: connected groups of
// horizontal and vertical rules that form at least a 2×2 grid… or a row of
// cells (1×2) — a single framed box is not a table. big counts the groups
// that would form grids of more than maxGridCells positions, which are
// left out.
func findGrids(hs, vs []seg) (out []*grid, big int) {
	hs = mergeSegs(hs, true)
	vs = mergeSegs(vs, false)
	n := len(hs) + len(vs)
	if len(hs) < 2 || len(vs) < 2 || n > maxRules {
		return nil, 0
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, h := range hs {
		for j, v := range vs {
			if v.x0 >= h.x0-touchTol && v.x0 <= h.x1+touchTol && h.y0 >= v.y0-touchTol && h.y0 <= v.y1+touchTol {
				a, b := find(i), find(len(hs)+j)
				if a != b {
					parent[a] = b
				}
			}
		}
	}
	groups := map[int][2][]seg{}
	for i, h := range hs {
		r := find(i)
		g := groups[r]
		g[0] = append(g[0], h)
		groups[r] = g
	}
	for j, v := range vs {
		r := find(len(hs) + j)
		g := groups[r]
		g[1] = append(g[1], v)
		groups[r] = g
	}
	for _, g := range groups {
		gr, tooBig := buildGrid(g[0], g[1])
		if gr != nil {
			out = append(out, gr)
		}
		if tooBig {
			big++
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].y1 > out[j].y1 })
	return out, big
}

// cluster returns the distinct positions in vals, merging those within
// snapTol of the previous one.
func cluster(vals []float64) []float64 {
	sort.Float64s(vals)
	var out []float64
	var sum float64
	var cnt int
	for i, v := range vals {
		if i > 0 && v-vals[i-1] > snapTol {
			out = append(out, sum/float64(cnt))
			sum, cnt = 0, 0
		}
		sum += v
		cnt++
	}
	if cnt > 0 {
		out = append(out, sum/float64(cnt))
	}
	return out
}

func buildGrid(hs, vs []seg) (_ *grid, tooBig bool) {
	if len(hs) < 2 || len(vs) < 2 {
		return nil, false
	}
	var xv, yv []float64
	// Rules that run past the outermost perpendicular rule bound an open
	// row or column: a table cut by a page break has no bottom rule.
	for _, v := range vs {
		xv = append(xv, v.x0)
		yv = append(yv, v.y0, v.y1)
	}
	for _, h := range hs {
		yv = append(yv, h.y0)
		xv = append(xv, h.x0, h.x1)
	}
	xs := cluster(xv)
	ys := cluster(yv)
	if len(xs) < 2 || len(ys) < 2 {
		return nil, false
	}
	// Top to bottom.
	for i, j := 0, len(ys)-1; i < j; i, j = i+1, j-1 {
		ys[i], ys[j] = ys[j], ys[i]
	}
	nr, nc := len(ys)-1, len(xs)-1
	if nr*nc < 2 {
		return nil, false
	}
	if nr > maxGridLines || nc > maxGridLines || nr*nc > maxGridCells {
		return nil, true
	}
	g := &grid{xs: xs, ys: ys, x0: xs[0], x1: xs[nc], y0: ys[nr], y1: ys[0]}
	// Rules by the boundary they lie on, so that each test below looks
	// only at the rules of one boundary.
	atX := make([][]seg, len(xs))
	for _, v := range vs {
		if k := nearest(xs, v.x0); k >= 0 {
			atX[k] = append(atX[k], v)
		}
	}
	atY := make([][]seg, len(ys))
	for _, h := range hs {
		if k := nearest(ys, h.y0); k >= 0 {
			atY[k] = append(atY[k], h)
		}
	}
	// hasV: a rule at xs[k] separates row r's cells k-1 and k.
	hasV := func(r, k int) bool {
		mid := (ys[r] + ys[r+1]) / 2
		for _, v := range atX[k] {
			if v.y0-touchTol <= mid && v.y1+touchTol >= mid {
				return true
			}
		}
		return false
	}
	hasH := func(k, c int) bool {
		mid := (xs[c] + xs[c+1]) / 2
		for _, h := range atY[k] {
			if h.x0-touchTol <= mid && h.x1+touchTol >= mid {
				return true
			}
		}
		return false
	}
	parent := make([]int, nr*nc)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		a, b = find(a), find(b)
		if a != b {
			if a < b {
				parent[b] = a
			} else {
				parent[a] = b
			}
		}
	}
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			if c+1 < nc && !hasV(r, c+1) {
				union(r*nc+c, r*nc+c+1)
			}
			if r+1 < nr && !hasH(r+1, c) {
				union(r*nc+c, (r+1)*nc+c)
			}
		}
	}
	g.id = make([][]int, nr)
	ids := map[int]int{}
	for r := 0; r < nr; r++ {
		g.id[r] = make([]int, nc)
		for c := 0; c < nc; c++ {
			root := find(r*nc + c)
			id, ok := ids[root]
			if !ok {
				id = len(ids)
				ids[root] = id
			}
			g.id[r][c] = id
		}
	}
	g.ncell = len(ids)
	if g.ncell < 2 {
		return nil, false
	}
	return g, false
}

func (g *grid) contains(x, y float64) bool {
	return x >= g.x0-1 && x <= g.x1+1 && y >= g.y0-1 && y <= g.y1+1
}

// cellAt returns the merged cell id at a point inside the grid.
func (g *grid) cellAt(x, y float64) int {
	c := sort.SearchFloat64s(g.xs, x) - 1
	c = max(0, min(c, len(g.xs)-2))
	// ys descends.
	r := sort.Search(len(g.ys), func(i int) bool { return g.ys[i] < y }) - 1
	r = max(0, min(r, len(g.ys)-2))
	return g.id[r][c]
}

// table fills the grid's cells with the glyphs given and returns the
// table, spans expanded, empty rows and degenerate columns dropped.
func (g *grid) table(gs []glyph) (*document.Table, []float64, bool) {
	cells := make([][]glyph, g.ncell)
	for _, gl := range gs {
		id := g.cellAt(gl.cx(), gl.cy())
		cells[id] = append(cells[id], gl)
	}
	texts := make([]string, g.ncell)
	filled := 0
	for id, cg := range cells {
		if len(cg) == 0 {
			continue
		}
		texts[id] = normalizeCell(joinLines(buildLines(cg)))
		if texts[id] != "" {
			filled++
		}
	}
	if filled == 0 {
		return nil, nil, false
	}
	nr, nc := len(g.id), len(g.id[0])
	// Columns that add nothing: every position continues the cell on the
	// left, or is an empty sliver between doubled rules.
	keepCol := make([]bool, nc)
	for c := 0; c < nc; c++ {
		narrow := g.xs[c+1]-g.xs[c] < 6
		for r := 0; r < nr && !keepCol[c]; r++ {
			id := g.id[r][c]
			if c > 0 && g.id[r][c-1] == id {
				continue
			}
			if narrow && texts[id] == "" {
				continue
			}
			keepCol[c] = true
		}
	}
	t := &document.Table{}
	for r := 0; r < nr; r++ {
		var row []document.Cell
		any := false
		newCell := false
		for c := 0; c < nc; c++ {
			if !keepCol[c] {
				continue
			}
			id := g.id[r][c]
			spanned := (r > 0 && g.id[r-1][c] == id) || (c > 0 && g.id[r][c-1] == id)
			if !spanned {
				newCell = true
			}
			if texts[id] != "" {
				any = true
			}
			row = append(row, document.Cell{Text: texts[id], Spanned: spanned})
		}
		// A row that only continues cells from above (a rule that crosses
		// only part of the table) or holds nothing is dropped.
		if !any || !newCell {
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		return nil, nil, false
	}
	// Boundaries of the kept columns: a dropped column's area belongs to
	// the kept column on its left.
	var bounds []float64
	for c := 0; c < nc; c++ {
		if keepCol[c] {
			bounds = append(bounds, g.xs[c])
		}
	}
	bounds = append(bounds, g.xs[nc])
	return t, bounds, true
}

// nearest returns the index of the value in vals closest to x, or -1 when
// none is within two snapping tolerances (a clustered position is the mean
// of a chain of rules, which may drift from its ends).
func nearest(vals []float64, x float64) int {
	best, bestD := -1, 2*snapTol
	for i, v := range vals {
		if d := math.Abs(v - x); d <= bestD {
			best, bestD = i, d
		}
	}
	return best
}
