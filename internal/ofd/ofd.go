// Package ofd reads OFD documents (GB/T 33190-2016, the Chinese fixed-layout
// format): a zip of XML parts, OFD.xml → DocBody/DocRoot → Document.xml →
// Pages/Page_N/Content.xml, where text is drawn as TextObject/TextCode
// elements at X/Y positions.
//
// OFD has no paragraphs or tables, only positioned glyphs. The reader groups
// glyphs into lines by baseline, splits lines at wide gaps into segments,
// joins wrapped lines into paragraphs, and turns runs of multi-segment lines
// whose segments line up in columns into tables (cells of wrapped text are
// joined). Spans are not recovered: a cell covered by a merged cell is
// empty, and the merged cell's text sits in the column where it starts.
// Template pages (headers, watermarks), annotations and signatures are not
// read; an OFD of scanned images has no text.
package ofd

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/zipped"
)

// Read parses an .ofd file. It returns an error only when nothing usable
// could be read.
func Read(ctx context.Context, in document.Input) (doc *document.Document, err error) {
	defer document.Guard(&doc, &err, "ofd: %s: damaged document", in.Source)
	doc, lim, err := document.Begin(in, "ofd", "ofd")
	if err != nil {
		return doc, err
	}
	if !bytes.HasPrefix(in.Data, []byte("PK")) {
		return nil, fmt.Errorf("ofd: %s is not an OFD file (%s): %w", in.Source, document.Describe(in.Data), document.ErrUnsupported)
	}
	pk, err := zipped.Open(in.Data, lim.MaxUnpacked)
	if err != nil {
		return nil, fmt.Errorf("ofd: %s: damaged zip container: %w", in.Source, err)
	}
	var root ofdRoot
	if err := decode(pk, "OFD.xml", &root); err != nil {
		if errors.Is(err, errMissing) {
			return nil, fmt.Errorf("ofd: %s: zip archive without OFD.xml, not an OFD document (%s): %w", in.Source, pk.Kind(), document.ErrUnsupported)
		}
		return nil, fmt.Errorf("ofd: %s: OFD.xml: %w", in.Source, err)
	}
	if len(root.DocBody) == 0 || strings.TrimSpace(root.DocBody[0].DocRoot) == "" {
		return nil, fmt.Errorf("ofd: %s: OFD.xml names no document (DocBody/DocRoot)", in.Source)
	}
	body := root.DocBody[0]
	doc.Title = document.MeaningfulTitle(body.DocInfo.Title)
	for _, m := range []document.Meta{{Label: "property:author", Value: body.DocInfo.Author}, {Label: "property:created", Value: body.DocInfo.CreationDate}, {Label: "property:modified", Value: body.DocInfo.ModDate}} {
		if m.Value = strings.TrimSpace(m.Value); m.Value != "" {
			doc.Meta = append(doc.Meta, m)
		}
	}
	docPath := resolve("", body.DocRoot)
	var d ofdDocument
	if err := decode(pk, docPath, &d); err != nil {
		return nil, fmt.Errorf("ofd: %s: %s: %w", in.Source, docPath, err)
	}
	if t := encryptedPart(pk.Files()); t != "" {
		doc.AddNote(document.NoteEncrypted, "文件包中含有加密数据（%s）", "the package holds encryption data (%s)", t)
	}
	doc.Pages = len(d.Pages)
	// Each page is laid out as soon as it is read, so that only one
	// page's glyphs are held; its characters are charged to the text
	// limit.
	stop := document.NewInterrupt(ctx)
	cells, chars, openEnd := 0, 0, false
	cutPages, firstCut := 0, 0
	for i, pg := range d.Pages {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ofd: %s: %w", in.Source, err)
		}
		if i >= lim.MaxPages {
			doc.AddNote(document.NoteLimit, "读取了%d页（共%d页，页数上限）", "read %d of %d pages (page limit)", lim.MaxPages, len(d.Pages))
			break
		}
		p := resolve(path.Dir(docPath), pg.BaseLoc)
		gs, cut, err := pageGlyphs(pk, p, stop, min(maxGlyphs, lim.MaxText-chars))
		chars += len(gs)
		if cut {
			if cutPages++; cutPages == 1 {
				firstCut = i + 1
			}
		}
		last := true
		switch {
		case stop.Stop():
			return nil, fmt.Errorf("ofd: %s: %w", in.Source, stop.Err())
		case errors.Is(err, zipped.ErrBudget) || pk.Remaining() <= 0:
			doc.AddNote(document.NoteLimit, "在第%d页停止：压缩包解压后超过%d字节", "stopped at page %d: the archive expands beyond %d bytes", i+1, lim.MaxUnpacked)
		case errors.Is(err, errGlyphs) && chars >= lim.MaxText:
			doc.AddNote(document.NoteLimit, "在第%d页停止：文字超过%d个字符", "stopped at page %d: more than %d characters of text", i+1, lim.MaxText)
		case errors.Is(err, errGlyphs):
			doc.AddNote(document.NoteLimit, "第%d页的字符超过%d个：其余未读", "page %d has more than %d characters: the rest of it was not read", i+1, maxGlyphs)
			last = false
		case errors.Is(err, errDepth):
			doc.AddNote(document.NoteLimit, "第%d页（%s）的元素嵌套超过%d层：其余未读", "page %d (%s): elements nested deeper than %d levels; the rest of it was not read", i+1, p, maxDepth)
			last = false
		case err != nil:
			doc.AddNote(document.NoteCorrupt, "第%d页（%s）无法读取：%v", "page %d (%s) could not be read: %v", i+1, p, err)
			last = false
		default:
			last = false
		}
		pt := layout(gs, lim.MaxCells-cells, stop)
		cells += pt.cells
		blocks := pt.blocks
		if n := len(doc.Blocks); openEnd && pt.flushStart && n > 0 && doc.Blocks[n-1].Table == nil && len(blocks) > 0 {
			// A paragraph broken by the page end.
			prev := doc.Blocks[n-1].Text
			if needsSpace(prev, blocks[0].Text) {
				prev += " "
			}
			doc.Blocks[n-1].Text = prev + blocks[0].Text
			blocks = blocks[1:]
		}
		openEnd = pt.openEnd
		doc.Blocks = append(doc.Blocks, blocks...)
		if pt.hit {
			doc.AddNote(document.NoteLimit, "超过%d个上限的表格单元格被舍弃", "table cells beyond the limit of %d were dropped", lim.MaxCells)
			break
		}
		if last {
			break
		}
	}
	if stop.Stop() {
		return nil, fmt.Errorf("ofd: %s: %w", in.Source, stop.Err())
	}
	if cutPages > 0 {
		doc.AddNote(document.NoteLimit, "%[1]d页中超过%[3]d字节的文字被截断（第一处在第%[2]d页）", "texts longer than %[3]d bytes were cut on %[1]d pages (the first on page %[2]d)", cutPages, firstCut, zipped.MaxRun)
	}
	if len(doc.Blocks) == 0 {
		if len(d.Pages) == 0 {
			return doc, fmt.Errorf("ofd: %s: document has no pages", in.Source)
		}
		doc.AddNote(document.NoteNoText, "%d页没有文字对象，只有扫描图片或轮廓", "no text objects on %d pages: scanned images or outlines only", len(d.Pages))
	}
	if doc.Title == "" {
		if lines := doc.Lines(); len(lines) > 0 {
			doc.Title = lines[0]
		}
	}
	return doc, nil
}

type ofdRoot struct {
	DocBody []struct {
		DocInfo struct {
			Title        string `xml:"Title"`
			Author       string `xml:"Author"`
			CreationDate string `xml:"CreationDate"`
			ModDate      string `xml:"ModDate"`
		} `xml:"DocInfo"`
		DocRoot string `xml:"DocRoot"`
	} `xml:"DocBody"`
}

type ofdDocument struct {
	Pages []struct {
		BaseLoc string `xml:"BaseLoc,attr"`
	} `xml:"Pages>Page"`
}

// errMissing reports a part the package does not hold.
var errMissing = errors.New("part missing from the package")

// openPart opens an XML part by name within the package's budget.
func openPart(pk *zipped.Package, name string) (*zipped.XMLReader, error) {
	f := pk.Find(name)
	if f == nil {
		return nil, fmt.Errorf("%s: %w", name, errMissing)
	}
	return pk.OpenXML(f)
}

// decode unmarshals the XML part name into v.
func decode(pk *zipped.Package, name string, v any) error {
	rc, err := openPart(pk, name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// resolve turns a part reference into a package path: absolute when it
// starts with "/", else relative to dir.
func resolve(dir, ref string) string {
	ref = strings.TrimSpace(strings.ReplaceAll(ref, "\\", "/"))
	if strings.HasPrefix(ref, "/") {
		return path.Clean(strings.TrimPrefix(ref, "/"))
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, ref)), "/")
}

func encryptedPart(files []*zip.File) string {
	for _, f := range files {
		if strings.EqualFold(path.Base(f.Name), "Encryptions.xml") {
			return f.Name
		}
	}
	return ""
}

// maxGlyphs bounds the glyphs of one page (a dense A4 page has ~3000).
const maxGlyphs = 500_000

// maxDepth bounds the nesting of a page's elements: encoding/xml keeps a
// record of every open element. A page nests a few levels deep.
const maxDepth = 1000

var (
	// errGlyphs: the page has more glyphs than were asked for.
	errGlyphs = errors.New("too many glyphs")
	// errDepth: the page's elements nest deeper than maxDepth.
	errDepth = errors.New("elements nested too deep")
)

// glyph is one character at its baseline position, in millimetres.
type glyph struct {
	x, y, size, adv float64
	r               rune
}

// pageGlyphs streams a page's content and returns its glyphs, at most
// limit of them (errGlyphs beyond), and whether a text longer than
// zipped.MaxRun was cut.
func pageGlyphs(pk *zipped.Package, name string, stop *document.Interrupt, limit int) (_ []glyph, cut bool, _ error) {
	rc, err := openPart(pk, name)
	if err != nil {
		return nil, false, err
	}
	defer func() { cut = rc.Cut > 0 }()
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var out []glyph
	type textObj struct {
		bx, by, size float64
		ctm          [6]float64
		lastX, lastY float64
	}
	var obj *textObj
	// The current TextCode: its pen position and glyph index survive the
	// several CharData tokens one text can arrive in.
	type textCode struct {
		x, y   float64
		dx, dy deltas
	}
	var code *textCode
	depth := 0
	for {
		if stop.Stop() {
			return out, false, stop.Err()
		}
		tok, err := dec.Token()
		if err == io.EOF {
			return out, false, nil
		}
		if err != nil {
			return out, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return out, false, errDepth
			}
			switch t.Name.Local {
			case "TextObject":
				b := floats(attr(t, "Boundary"))
				o := &textObj{size: parseFloat(attr(t, "Size"), 3.5), ctm: [6]float64{1, 0, 0, 1, 0, 0}}
				if len(b) >= 2 {
					o.bx, o.by = b[0], b[1]
				}
				if c := floats(attr(t, "CTM")); len(c) == 6 {
					copy(o.ctm[:], c)
				}
				obj = o
			case "TextCode":
				if obj != nil {
					code = &textCode{
						x:  parseFloat(attr(t, "X"), obj.lastX),
						y:  parseFloat(attr(t, "Y"), obj.lastY),
						dx: parseDeltas(attr(t, "DeltaX")),
						dy: parseDeltas(attr(t, "DeltaY")),
					}
				}
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "TextObject":
				obj = nil
			case "TextCode":
				if obj != nil && code != nil {
					obj.lastX, obj.lastY = code.x, code.y
				}
				code = nil
			}
		case xml.CharData:
			if obj == nil || code == nil {
				continue
			}
			hs, vs := math.Hypot(obj.ctm[0], obj.ctm[1]), math.Hypot(obj.ctm[2], obj.ctm[3])
			for _, r := range string(t) {
				if stop.Stop() {
					return out, false, stop.Err()
				}
				adv, ok := code.dx.next()
				if !ok {
					adv = obj.size
					if r < 0x2E80 {
						adv = obj.size / 2
					}
				}
				px := obj.ctm[0]*code.x + obj.ctm[2]*code.y + obj.ctm[4]
				py := obj.ctm[1]*code.x + obj.ctm[3]*code.y + obj.ctm[5]
				if !unicode.IsSpace(r) || r == '\u3000' {
					if len(out) >= limit {
						return out, false, errGlyphs
					}
					out = append(out, glyph{x: obj.bx + px, y: obj.by + py, size: obj.size * vs, adv: adv * hs, r: r})
				}
				code.x += adv
				if dy, ok := code.dy.next(); ok {
					code.y += dy
				}
			}
		}
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func parseFloat(s string, def float64) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return def
	}
	return v
}

func floats(s string) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		out = append(out, parseFloat(f, 0))
	}
	return out
}

// deltas is a DeltaX/DeltaY list as written, where "g n v" stands for n
// times v: read in turn without being expanded, since a few bytes can ask
// for billions.
type deltas struct {
	runs []deltaRun
	used int // values taken from runs[0]
}

type deltaRun struct {
	n int
	v float64
}

func parseDeltas(s string) deltas {
	f := strings.Fields(s)
	var d deltas
	for i := 0; i < len(f); i++ {
		if f[i] == "g" && i+2 < len(f) {
			if n, err := strconv.Atoi(f[i+1]); err == nil && n > 0 {
				d.runs = append(d.runs, deltaRun{n: n, v: parseFloat(f[i+2], 0)})
			}
			i += 2
			continue
		}
		d.runs = append(d.runs, deltaRun{n: 1, v: parseFloat(f[i], 0)})
	}
	return d
}

// next takes the next value; false when the list is spent.
func (d *deltas) next() (float64, bool) {
	if len(d.runs) == 0 {
		return 0, false
	}
	v := d.runs[0].v
	if d.used++; d.used >= d.runs[0].n {
		d.runs, d.used = d.runs[1:], 0
	}
	return v, true
}

// maxTableLines bounds the lines of a table on one page: an A4 page has
// fewer than a hundred.
const maxTableLines = 500

// segment is a run of glyphs on one line without a wide gap.
type segment struct {
	x0, x1 float64
	text   string
}

type line struct {
	y, size float64
	segs    []segment
}

// lines groups glyphs into baselines and splits them at wide gaps.
func lines(gs []glyph) []line {
	slices.SortStableFunc(gs, func(a, b glyph) int { return cmpFloat(a.y, b.y) })
	var out []line
	for i := 0; i < len(gs); {
		j := i + 1
		size := gs[i].size
		for j < len(gs) && gs[j].y-gs[i].y <= 0.4*max(size, gs[j].size) {
			size = max(size, gs[j].size)
			j++
		}
		row := slices.Clone(gs[i:j])
		slices.SortStableFunc(row, func(a, b glyph) int { return cmpFloat(a.x, b.x) })
		l := line{y: gs[i].y, size: size}
		var sb strings.Builder
		start, end := row[0].x, row[0].x
		for k, g := range row {
			if k > 0 {
				gap := g.x - end
				switch {
				case gap > 0.8*size:
					l.segs = append(l.segs, segment{x0: start, x1: end, text: sb.String()})
					sb.Reset()
					start = g.x
				case gap > 0.25*size && g.r < 0x2E80:
					sb.WriteByte(' ')
				}
			}
			sb.WriteRune(g.r)
			end = max(end, g.x+g.adv)
		}
		l.segs = append(l.segs, segment{x0: start, x1: end, text: sb.String()})
		out = append(out, l)
		i = j
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pageText is the layout of one page.
type pageText struct {
	blocks []document.Block
	cells  int
	hit    bool // maxCells reached
	// openEnd: the last block is a paragraph whose last line runs to the
	// right edge; flushStart: the first block is a paragraph whose first
	// line starts at the left edge. Together they mean a paragraph goes on
	// across the page break.
	openEnd, flushStart bool
}

// layout turns a page's glyphs into paragraphs and tables. It gives up,
// returning what it has, once stop says so.
func layout(gs []glyph, maxCells int, stop *document.Interrupt) pageText {
	var pt pageText
	if len(gs) == 0 {
		return pt
	}
	ls := lines(gs)
	right, leftEdge := 0.0, math.Inf(1)
	for _, l := range ls {
		right = max(right, l.segs[len(l.segs)-1].x1)
		leftEdge = min(leftEdge, l.segs[0].x0)
	}
	full := func(l *line) bool { return l.segs[len(l.segs)-1].x1 >= right-1.5*l.size }
	var blocks []document.Block
	var para strings.Builder
	var prev *line
	cells := 0
	flush := func() {
		if para.Len() > 0 {
			blocks = append(blocks, document.Block{Text: document.CleanLine(para.String())})
			para.Reset()
		}
	}
	for i := 0; i < len(ls); {
		if stop.Stop() {
			break
		}
		if len(ls[i].segs) >= 2 {
			if tb, next := table(ls, i, stop); tb != nil {
				flush()
				n := 0
				for _, r := range tb.Rows {
					n += len(r)
				}
				if cells+n > maxCells {
					flush()
					return pageText{blocks: blocks, cells: cells, hit: true}
				}
				cells += n
				blocks = append(blocks, document.Block{Table: tb})
				prev = nil
				i = next
				continue
			}
		}
		l := &ls[i]
		text := joinSegs(l.segs)
		if i == 0 {
			pt.flushStart = len(l.segs) == 1 && l.segs[0].x0 <= leftEdge+0.5*l.size
		}
		// A wrapped line continues the paragraph when it follows closely
		// and the line before ran to the right edge.
		if prev != nil && l.y-prev.y <= 1.8*prev.size && full(prev) {
			if needsSpace(para.String(), text) {
				para.WriteByte(' ')
			}
			para.WriteString(text)
		} else {
			flush()
			para.WriteString(text)
		}
		prev = l
		i++
	}
	pt.openEnd = prev != nil && prev == &ls[len(ls)-1] && full(prev)
	flush()
	pt.blocks, pt.cells = blocks, cells
	return pt
}

func joinSegs(segs []segment) string {
	var parts []string
	for _, s := range segs {
		parts = append(parts, s.text)
	}
	return strings.Join(parts, " ")
}

// needsSpace tells whether text wrapped between a and b was separated by a
// space: between Latin words, not inside numbers or CJK text.
func needsSpace(a, b string) bool {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return ra < 0x2E80 && rb < 0x2E80 && unicode.IsLetter(ra) && unicode.IsLetter(rb)
}

// table tries to read a table starting at line i: the run of lines with two
// or more segments, plus lines that continue a cell of the row above
// (wrapped cell text). Columns are the left edges shared by the rows; the
// run is a table only when each row's segments fall into distinct columns.
// It returns nil when the lines do not form a table. A table is looked for
// in at most maxTableLines lines, so that trying it at every line of a page
// stays linear in the page's lines.
func table(ls []line, i int, stop *document.Interrupt) (*document.Table, int) {
	type row struct {
		l     *line
		extra []*line // wrapped continuation lines
	}
	var rows []row
	j := i
	for j < len(ls) && j-i < maxTableLines && !stop.Stop() {
		l := &ls[j]
		if len(rows) > 0 {
			last := rows[len(rows)-1]
			prevY := last.l.y
			if n := len(last.extra); n > 0 {
				prevY = last.extra[n-1].y
			}
			if l.y-prevY > 4*l.size {
				break // a wide vertical gap ends the table
			}
			// Wrapped cell text sits one line pitch below the line before; a
			// new row starts after the cell padding, nearer or farther.
			if gap := l.y - prevY; gap >= 1.1*l.size && gap <= 1.45*l.size && len(l.segs) < len(last.l.segs) {
				rows[len(rows)-1].extra = append(rows[len(rows)-1].extra, l)
				j++
				continue
			}
		}
		if len(l.segs) < 2 {
			break
		}
		rows = append(rows, row{l: l})
		j++
	}
	if len(rows) < 2 {
		return nil, i
	}
	// Column anchors from the left edges of the fuller rows.
	most := 0
	for _, r := range rows {
		most = max(most, len(r.l.segs))
	}
	size := rows[0].l.size
	var xs []float64
	for _, r := range rows {
		if float64(len(r.l.segs)) >= 0.6*float64(most) {
			for _, s := range r.l.segs {
				xs = append(xs, s.x0)
			}
		}
	}
	slices.Sort(xs)
	tol := 0.6 * size
	var anchors []float64
	for k, x := range xs {
		if k == 0 || x-xs[k-1] > tol {
			anchors = append(anchors, x)
		}
	}
	col := func(x float64) int { // the last anchor at or left of x
		k, _ := slices.BinarySearch(anchors, x+tol)
		return max(k-1, 0)
	}
	tb := &document.Table{}
	clashes, segs := 0, 0
	for _, r := range rows {
		cells := make([]document.Cell, len(anchors))
		for _, s := range r.l.segs {
			c := col(s.x0)
			segs++
			if cells[c].Text != "" {
				clashes++
				cells[c].Text += " " + s.text
			} else {
				cells[c].Text = s.text
			}
		}
		for _, e := range r.extra {
			for _, s := range e.segs {
				c := col(s.x0)
				if needsSpace(cells[c].Text, s.text) {
					cells[c].Text += " "
				}
				cells[c].Text += s.text
			}
		}
		tb.Rows = append(tb.Rows, cells)
	}
	if len(anchors) < 2 || float64(clashes) > 0.1*float64(segs) {
		return nil, i
	}
	return tb, j
}
