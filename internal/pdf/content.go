package pdf

import (
	"github.com/ogicheck/ogicheck/internal/document"
	"math"
	"strings"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: apply m first, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

func translate(tx, ty float64) matrix { return matrix{1, 0, 0, 1, tx, ty} }

// glyph is one shown character code in display space (y grows upwards,
// page rotation applied).
type glyph struct {
	x0, x1, y0, y1 float64
	base           float64 // baseline for horizontal text
	size           float64
	text           string
	vert           bool // vertical writing or rotated by ±90°
	space          bool // a drawn space: marks a word gap, has no text
	seq            int  // order shown, for stable sorting
}

func (g *glyph) cx() float64 { return (g.x0 + g.x1) / 2 }
func (g *glyph) cy() float64 { return (g.y0 + g.y1) / 2 }

// seg is an axis-parallel ruling line.
type seg struct{ x0, y0, x1, y1 float64 }

type pageData struct {
	glyphs     []glyph
	hsegs      []seg
	vsegs      []seg
	images     int
	imageArea  float64
	w, h       float64
	overLimit  bool // glyph or operator limit hit
	formErrors int
}

const (
	maxGlyphsPerPage = 200000
	maxSegsPerPage   = 100000
	maxOpsPerPage    = 5000000
	maxGStack        = 512
	maxFormDepth     = 12
	maxPathPoints    = 100000
)

type gstate struct {
	ctm         matrix
	font        *font
	fontSize    float64
	charSpace   float64
	wordSpace   float64
	hscale      float64
	leading     float64
	rise        float64
	strokeWhite bool
	fillWhite   bool
}

type pathPt struct {
	x, y  float64
	move  bool // starts a subpath
	curve bool // reached by a curve, not a straight line
	close bool // closes the subpath back to its start after this point
}

type interp struct {
	o     *objects
	page  *pageData
	gs    gstate
	stack []gstate
	tm    matrix
	tlm   matrix
	path  []pathPt
	ops   int
	seq   int
	forms []int // form XObjects being run, for cycle detection
	stop  *document.Interrupt
}

// run interprets one content stream with the given resources.
func (in *interp) run(data []byte, res types.Dict, depth int) {
	l := &lexer{buf: data}
	var args []operand
	for {
		o, op, ok := l.next(0)
		if !ok {
			return
		}
		if op == nil {
			if len(args) < maxOperands {
				args = append(args, o)
			}
			continue
		}
		in.ops++
		if in.ops > maxOpsPerPage || len(in.page.glyphs) >= maxGlyphsPerPage {
			in.page.overLimit = true
			return
		}
		if in.stop.Stop() {
			return
		}
		in.do(string(op), args, res, depth, l)
		args = args[:0]
	}
}

func nums(args []operand, n int) ([]float64, bool) {
	if len(args) < n {
		return nil, false
	}
	out := make([]float64, n)
	for i, a := range args[len(args)-n:] {
		if a.kind != opNum {
			return nil, false
		}
		out[i] = a.num
	}
	return out, true
}

func (in *interp) do(op string, args []operand, res types.Dict, depth int, l *lexer) {
	gs := &in.gs
	switch op {
	case "q":
		if len(in.stack) < maxGStack {
			in.stack = append(in.stack, *gs)
		}
	case "Q":
		if n := len(in.stack); n > 0 {
			*gs = in.stack[n-1]
			in.stack = in.stack[:n-1]
		}
	case "cm":
		if v, ok := nums(args, 6); ok {
			gs.ctm = matrix{v[0], v[1], v[2], v[3], v[4], v[5]}.mul(gs.ctm)
		}
	case "G", "RG", "K", "SC", "SCN":
		gs.strokeWhite = isWhite4(args, op == "K")
	case "g", "rg", "k", "sc", "scn":
		gs.fillWhite = isWhite4(args, op == "k")
	case "CS":
		gs.strokeWhite = false
	case "cs":
		gs.fillWhite = false
	case "m":
		if v, ok := nums(args, 2); ok && len(in.path) < maxPathPoints {
			x, y := gs.ctm.apply(v[0], v[1])
			in.path = append(in.path, pathPt{x: x, y: y, move: true})
		}
	case "l":
		if v, ok := nums(args, 2); ok && len(in.path) < maxPathPoints {
			x, y := gs.ctm.apply(v[0], v[1])
			in.path = append(in.path, pathPt{x: x, y: y, move: len(in.path) == 0})
		}
	case "c", "v", "y":
		n := 6
		if op != "c" {
			n = 4
		}
		if v, ok := nums(args, n); ok && len(in.path) < maxPathPoints {
			x, y := gs.ctm.apply(v[n-2], v[n-1])
			in.path = append(in.path, pathPt{x: x, y: y, curve: true, move: len(in.path) == 0})
		}
	case "h":
		if n := len(in.path); n > 0 {
			in.path[n-1].close = true
		}
	case "re":
		if v, ok := nums(args, 4); ok && len(in.path)+4 < maxPathPoints {
			x0, y0 := gs.ctm.apply(v[0], v[1])
			x1, y1 := gs.ctm.apply(v[0]+v[2], v[1])
			x2, y2 := gs.ctm.apply(v[0]+v[2], v[1]+v[3])
			x3, y3 := gs.ctm.apply(v[0], v[1]+v[3])
			in.path = append(in.path,
				pathPt{x: x0, y: y0, move: true}, pathPt{x: x1, y: y1},
				pathPt{x: x2, y: y2}, pathPt{x: x3, y: y3, close: true})
		}
	case "S", "s":
		in.paint(true, false)
	case "f", "F", "f*":
		in.paint(false, true)
	case "B", "B*", "b", "b*":
		in.paint(true, true)
	case "n":
		in.path = in.path[:0]
	case "BT":
		in.tm, in.tlm = identity, identity
	case "Tc":
		if v, ok := nums(args, 1); ok {
			gs.charSpace = v[0]
		}
	case "Tw":
		if v, ok := nums(args, 1); ok {
			gs.wordSpace = v[0]
		}
	case "Tz":
		if v, ok := nums(args, 1); ok {
			gs.hscale = v[0] / 100
		}
	case "TL":
		if v, ok := nums(args, 1); ok {
			gs.leading = v[0]
		}
	case "Ts":
		if v, ok := nums(args, 1); ok {
			gs.rise = v[0]
		}
	case "Tf":
		if len(args) >= 2 && args[len(args)-2].kind == opName && args[len(args)-1].kind == opNum {
			gs.font = in.o.loadFont(res, string(args[len(args)-2].str))
			gs.fontSize = args[len(args)-1].num
		}
	case "Td":
		if v, ok := nums(args, 2); ok {
			in.tlm = translate(v[0], v[1]).mul(in.tlm)
			in.tm = in.tlm
		}
	case "TD":
		if v, ok := nums(args, 2); ok {
			gs.leading = -v[1]
			in.tlm = translate(v[0], v[1]).mul(in.tlm)
			in.tm = in.tlm
		}
	case "Tm":
		if v, ok := nums(args, 6); ok {
			in.tlm = matrix{v[0], v[1], v[2], v[3], v[4], v[5]}
			in.tm = in.tlm
		}
	case "T*":
		in.nextLine()
	case "Tj":
		if n := len(args); n > 0 && args[n-1].kind == opStr {
			in.show(args[n-1].str)
		}
	case "'":
		in.nextLine()
		if n := len(args); n > 0 && args[n-1].kind == opStr {
			in.show(args[n-1].str)
		}
	case "\"":
		if len(args) >= 3 && args[len(args)-1].kind == opStr {
			if args[len(args)-3].kind == opNum {
				gs.wordSpace = args[len(args)-3].num
			}
			if args[len(args)-2].kind == opNum {
				gs.charSpace = args[len(args)-2].num
			}
			in.nextLine()
			in.show(args[len(args)-1].str)
		}
	case "TJ":
		if n := len(args); n > 0 && args[n-1].kind == opArr {
			for _, e := range args[n-1].arr {
				switch e.kind {
				case opStr:
					in.show(e.str)
				case opNum:
					in.adjust(e.num)
				}
			}
		}
	case "Do":
		if n := len(args); n > 0 && args[n-1].kind == opName {
			in.xobject(res, string(args[n-1].str), depth)
		}
	case "BI":
		in.skipInline(l)
	}
}

// isWhite4 reports whether colour operands mean white: gray 1, RGB 1 1 1,
// or CMYK 0 0 0 0.
func isWhite4(args []operand, cmyk bool) bool {
	var v []float64
	for _, a := range args {
		if a.kind == opNum {
			v = append(v, a.num)
		} else if a.kind == opName {
			return false // pattern
		}
	}
	if len(v) == 0 {
		return false
	}
	if cmyk || len(v) == 4 {
		for _, x := range v {
			if x > 0.05 {
				return false
			}
		}
		return true
	}
	for _, x := range v {
		if x < 0.95 {
			return false
		}
	}
	return true
}

func (in *interp) nextLine() {
	in.tlm = translate(0, -in.gs.leading).mul(in.tlm)
	in.tm = in.tlm
}

func (in *interp) adjust(n float64) {
	gs := &in.gs
	if gs.font != nil && gs.font.vertical {
		in.tm = translate(0, -n/1000*gs.fontSize).mul(in.tm)
		return
	}
	in.tm = translate(-n/1000*gs.fontSize*gs.hscale, 0).mul(in.tm)
}

func (in *interp) show(s []byte) {
	gs := &in.gs
	f := gs.font
	if f == nil {
		if in.o.fallback == nil {
			in.o.fallback = newFallbackFont()
		}
		f = in.o.fallback
	}
	f.decode(s, func(text string, w float64, wordSpace bool) {
		trm := matrix{gs.fontSize * gs.hscale, 0, 0, gs.fontSize, 0, gs.rise}.mul(in.tm).mul(gs.ctm)
		in.emit(trm, text, w, f.vertical)
		extra := gs.charSpace
		if wordSpace {
			extra += gs.wordSpace
		}
		if f.vertical {
			in.tm = translate(0, -w*gs.fontSize+extra).mul(in.tm)
		} else {
			in.tm = translate((w*gs.fontSize+extra)*gs.hscale, 0).mul(in.tm)
		}
	})
}

// newFallbackFont stands in when text is shown before any Tf: single-byte
// codes, standard encoding, half-em widths.
func newFallbackFont() *font {
	f := &font{scale: 0.001, dw: 1000, w1y: -1000, simple: standardEncoding, hasWidths: true, cache: map[uint64]glyphInfo{}}
	for i := range f.simpleW {
		f.simpleW[i] = 500
	}
	return f
}

// emit records one glyph given its text rendering matrix.
func (in *interp) emit(trm matrix, text string, w float64, vertical bool) {
	// One operator can show millions of glyphs.
	if in.stop.Stop() || len(in.page.glyphs) >= maxGlyphsPerPage {
		return
	}
	space := false
	if text != "" && strings.TrimSpace(text) == "" {
		space = true
	}
	text = cleanGlyphText(text)
	if text == "" && !space {
		return
	}
	ox, oy := trm.apply(0, 0)
	ax, ay := trm[0], trm[1] // text x axis in display space
	ux, uy := trm[2], trm[3] // text y axis
	size := math.Hypot(ux, uy)
	if size < 0.5 || size > 2000 || math.IsNaN(size) || math.IsInf(ox+oy, 0) {
		return
	}
	if w <= 0 {
		w = 1
		if r := []rune(text); len(r) == 1 && r[0] < 0x2E80 {
			w = 0.5
		}
	}
	g := glyph{text: text, size: size, seq: in.seq, space: space}
	in.seq++
	horizontal := ax > 0 && math.Abs(ay) <= 0.2*ax
	switch {
	case vertical && space:
		return
	case vertical:
		// The vertical origin is the glyph's top centre.
		g.vert = true
		g.x0, g.y0 = ox-size/2, oy-size
		g.x1, g.y1 = ox+size/2, oy
		g.base = oy - 0.88*size
	case horizontal:
		g.x0, g.x1 = ox, ox+w*math.Hypot(ax, ay)
		g.y0, g.y1 = oy-0.15*size, oy+0.85*size
		g.base = oy
	default:
		alen := math.Hypot(ax, ay)
		if alen == 0 {
			return
		}
		// Only text turned by a right angle is kept (stacked labels);
		// slanted text is a watermark or a stamp.
		if math.Abs(ax) > 0.2*alen && math.Abs(ay) > 0.2*alen {
			return
		}
		x1, y1 := trm.apply(w, 1)
		g.vert = true
		g.x0, g.x1 = math.Min(ox, x1), math.Max(ox, x1)
		g.y0, g.y1 = math.Min(oy, y1), math.Max(oy, y1)
		g.base = g.y0
	}
	in.page.glyphs = append(in.page.glyphs, g)
}

// cleanGlyphText drops control characters, spaces and U+FFFD, and maps
// the Kangxi radicals and compatibility ideographs that some ToUnicode
// maps produce (⼀ U+2F00 for 一) to the unified ideographs.
func cleanGlyphText(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x21 || r == 0xFFFD || unicode.IsSpace(r) || unicode.IsControl(r) || isRadical(r) || r == 0xFEFF {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x21 || r == 0xFFFD || r == 0xFEFF || unicode.IsSpace(r) || unicode.IsControl(r):
			continue
		case isRadical(r):
			out = append(out, radicalToIdeograph(r))
		default:
			out = append(out, r)
		}
	}
	return string(out)
}

func (in *interp) paint(stroke, fill bool) {
	gs := &in.gs
	keepStroke := stroke && !gs.strokeWhite
	keepFill := fill && !gs.fillWhite
	if keepStroke || keepFill {
		in.collect(keepStroke, keepFill)
	}
	in.path = in.path[:0]
}

// collect turns the current path into ruling lines: stroked straight
// axis-parallel segments, and filled rectangles thin enough to be a rule.
func (in *interp) collect(stroke, fill bool) {
	start := 0
	for start < len(in.path) {
		end := start + 1
		for end < len(in.path) && !in.path[end].move {
			end++
		}
		sub := in.path[start:end]
		start = end
		closed := sub[len(sub)-1].close
		if stroke {
			for i := 1; i < len(sub); i++ {
				if !sub[i].curve {
					in.addSeg(sub[i-1].x, sub[i-1].y, sub[i].x, sub[i].y)
				}
			}
			if closed && len(sub) > 2 {
				in.addSeg(sub[len(sub)-1].x, sub[len(sub)-1].y, sub[0].x, sub[0].y)
			}
		}
		if fill && len(sub) >= 4 && len(sub) <= 5 {
			x0, y0, x1, y1 := sub[0].x, sub[0].y, sub[0].x, sub[0].y
			curved := false
			for _, q := range sub {
				x0, x1 = math.Min(x0, q.x), math.Max(x1, q.x)
				y0, y1 = math.Min(y0, q.y), math.Max(y1, q.y)
				curved = curved || q.curve
			}
			if curved || !axisRect(sub) {
				continue
			}
			w, h := x1-x0, y1-y0
			switch {
			case h <= 2.5 && w > h:
				in.addSeg(x0, (y0+y1)/2, x1, (y0+y1)/2)
			case w <= 2.5 && h > w:
				in.addSeg((x0+x1)/2, y0, (x0+x1)/2, y1)
			}
		}
	}
}

func axisRect(sub []pathPt) bool {
	for i := 1; i < len(sub); i++ {
		dx, dy := math.Abs(sub[i].x-sub[i-1].x), math.Abs(sub[i].y-sub[i-1].y)
		if dx > 0.5 && dy > 0.5 {
			return false
		}
	}
	return true
}

func (in *interp) addSeg(x0, y0, x1, y1 float64) {
	p := in.page
	if len(p.hsegs)+len(p.vsegs) >= maxSegsPerPage {
		return
	}
	dx, dy := math.Abs(x1-x0), math.Abs(y1-y0)
	switch {
	case dy <= 0.8 && dx >= 2:
		y := (y0 + y1) / 2
		p.hsegs = append(p.hsegs, seg{math.Min(x0, x1), y, math.Max(x0, x1), y})
	case dx <= 0.8 && dy >= 2:
		x := (x0 + x1) / 2
		p.vsegs = append(p.vsegs, seg{x, math.Min(y0, y1), x, math.Max(y0, y1)})
	}
}

func (in *interp) imageDrawn() {
	p := in.page
	p.images++
	m := in.gs.ctm
	area := math.Abs(m[0]*m[3] - m[1]*m[2])
	if !math.IsNaN(area) && !math.IsInf(area, 0) {
		p.imageArea += math.Min(area, p.w*p.h)
	}
}

func (in *interp) skipInline(l *lexer) {
	for {
		_, op, ok := l.next(0)
		if !ok {
			return
		}
		if op != nil && string(op) == "ID" {
			l.skipInlineImage()
			in.imageDrawn()
			return
		}
	}
}

func (in *interp) xobject(res types.Dict, name string, depth int) {
	o := in.o
	xobjs := o.dict(o.get(res, "XObject"))
	ref, ok := xobjs[name]
	if !ok {
		return
	}
	ir, isRef := ref.(types.IndirectRef)
	var sd types.StreamDict
	switch v := o.resolve(ref).(type) {
	case types.StreamDict:
		sd = v
	default:
		return
	}
	switch o.name(o.get(sd.Dict, "Subtype")) {
	case "Image":
		in.imageDrawn()
		return
	case "Form":
	default:
		return
	}
	if depth >= maxFormDepth {
		in.page.formErrors++
		return
	}
	objNr := 0
	if isRef {
		objNr = ir.ObjectNumber.Value()
		for _, f := range in.forms {
			if f == objNr {
				in.page.formErrors++
				return
			}
		}
	}
	data, cached := o.forms[objNr]
	if !cached || objNr == 0 {
		var err error
		data, err = o.stream(sd)
		if err != nil {
			in.page.formErrors++
			return
		}
		// Forms drawn again are kept decoded, within a bound: the rest
		// are decoded, and charged, at each use.
		if objNr != 0 && o.formBytes+len(data) <= maxFormCache {
			o.forms[objNr] = data
			o.formBytes += len(data)
		}
	}
	formRes := o.dict(sd.Dict["Resources"])
	if formRes == nil {
		formRes = res
	}
	saved := in.gs
	savedStack := len(in.stack)
	savedTm, savedTlm := in.tm, in.tlm
	if m := o.array(o.get(sd.Dict, "Matrix")); len(m) == 6 {
		var mm matrix
		for i := range mm {
			mm[i] = o.numOr(m[i], identity[i])
		}
		in.gs.ctm = mm.mul(in.gs.ctm)
	}
	in.forms = append(in.forms, objNr)
	in.path = in.path[:0]
	in.run(data, formRes, depth+1)
	in.forms = in.forms[:len(in.forms)-1]
	in.gs = saved
	if len(in.stack) > savedStack {
		in.stack = in.stack[:savedStack]
	}
	in.tm, in.tlm = savedTm, savedTlm
}
