// Package docx reads Word 2007+ documents (Office Open XML, .docx) into a
// document.Document: paragraphs in reading order and tables as aligned grids
// with their gridSpan/vMerge spans expanded.
//
// It streams word/document.xml with encoding/xml; nothing else of the package
// is needed for text. Headers, footers, footnotes and comments are not read.
package docx

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/zipped"
)

// Read parses a .docx file. It returns an error only when nothing usable
// could be read; a document cut short by a limit or damage comes back with
// Notes. For encrypted files the returned Document carries a NoteEncrypted
// note next to the error.
func Read(ctx context.Context, in document.Input) (doc *document.Document, err error) {
	defer document.Guard(&doc, &err, "docx: %s: damaged document", in.Source)
	doc, lim, err := document.Begin(in, "docx", "docx")
	if err != nil {
		return doc, err
	}
	if !bytes.HasPrefix(in.Data, []byte("PK")) {
		if document.EncryptedOOXML(in.Data) {
			doc.AddNote(document.NoteEncrypted, "Word 文档设有密码", "password-protected Word document")
			return doc, fmt.Errorf("docx: %s: document is encrypted (password protected)", in.Source)
		}
		return nil, fmt.Errorf("docx: %s is not a DOCX file (%s): %w", in.Source, document.Describe(in.Data), document.ErrUnsupported)
	}
	pk, err := zipped.Open(in.Data, lim.MaxUnpacked)
	if err != nil {
		return nil, fmt.Errorf("docx: %s: damaged zip container: %w", in.Source, err)
	}

	main := mainPart(pk)
	f := pk.Find(main)
	if f == nil {
		return nil, fmt.Errorf("docx: %s: zip archive without %s, not a Word document (%s): %w", in.Source, main, pk.Kind(), document.ErrUnsupported)
	}
	props := readCoreProps(pk)
	doc.Meta = append(doc.Meta, props.meta()...)

	p := newParser(ctx, lim)
	rc, err := pk.OpenXML(f)
	if err != nil {
		return nil, fmt.Errorf("docx: %s: %s: %w", in.Source, f.Name, err)
	}
	perr := p.parse(rc)
	rc.Close()
	doc.Blocks = p.blocks
	switch {
	case errors.Is(perr, errNotWord):
		return nil, fmt.Errorf("docx: %s: %s is not a Word document body (%s): %w", in.Source, f.Name, pk.Kind(), document.ErrUnsupported)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("docx: %s: %w", in.Source, ctx.Err())
	case errors.Is(perr, errTextLimit):
		doc.AddNote(document.NoteLimit, "正文超过%d个字符：其后的内容未读", "more than %d characters of text: the rest was not read", lim.MaxText)
	case errors.Is(perr, errCellLimit):
		// Reading on would cost the time of the whole part for text that a
		// document with such tables is unlikely to have.
		doc.AddNote(document.NoteLimit, "表格超过%d个单元格：其后的内容未读", "tables of more than %d cells: the rest was not read", lim.MaxCells)
	case errors.Is(perr, errDepthLimit):
		doc.AddNote(document.NoteLimit, "%[2]s的元素嵌套超过%[1]d层：其后的内容未读", "elements of %[2]s nested deeper than %[1]d levels: the rest was not read", maxDepth, f.Name)
	case errors.Is(perr, zipped.ErrBudget), perr != nil && pk.Remaining() <= 0:
		// The cut may fall inside a character or tag; the decoder then
		// reports a syntax error instead of ErrBudget.
		doc.AddNote(document.NoteLimit, "解压%d字节后停止：压缩包解压后超过上限", "stopped after %d decompressed bytes: the archive expands beyond the limit", lim.MaxUnpacked)
	case perr != nil && rc.Cut > 0:
		doc.AddNote(document.NoteLimit, "%[1]s中有超过%[2]d字节的文字或标签，截断后无法继续读取", "%[1]s holds a text or tag longer than %[2]d bytes and could not be read on once it was cut", f.Name, zipped.MaxRun)
	case perr != nil:
		doc.AddNote(document.NoteCorrupt, "%s 在第%d个段落之后损坏：%v", "%s is damaged after %d blocks: %v", f.Name, len(doc.Blocks), perr)
	}
	if perr == nil && rc.Cut > 0 {
		doc.AddNote(document.NoteLimit, "%[1]s中超过%[2]d字节的文字被截断", "texts of %[1]s longer than %[2]d bytes were cut", f.Name, zipped.MaxRun)
	}
	if p.cellLimitHit && !errors.Is(perr, errCellLimit) {
		doc.AddNote(document.NoteLimit, "超过%d个上限的表格单元格被舍弃", "table cells beyond the limit of %d were dropped", lim.MaxCells)
	}
	if perr != nil && len(doc.Blocks) == 0 {
		return doc, fmt.Errorf("docx: %s: no text could be read from %s: %w", in.Source, f.Name, perr)
	}
	if len(doc.Blocks) == 0 {
		doc.AddNote(document.NoteNoText, "文档正文没有文字", "the document body has no text")
	}
	doc.Title = document.MeaningfulTitle(props.Title)
	if doc.Title == "" {
		if lines := doc.Lines(); len(lines) > 0 {
			doc.Title = lines[0]
		}
	}
	return doc, nil
}

var (
	// errNotWord reports a main part whose root is not w:document.
	errNotWord = errors.New("root element is not w:document")
	// errTextLimit: more than Limits.MaxText characters were read.
	errTextLimit = errors.New("text limit reached")
	// errDepthLimit: elements nest deeper than maxDepth.
	errDepthLimit = errors.New("nesting limit reached")
	// errCellLimit: the tables hold more than Limits.MaxCells positions.
	errCellLimit = errors.New("cell limit reached")
)

// maxDepth bounds the nesting of elements: encoding/xml keeps a record of
// every open element, and 25 MB of "<w:p>" (a few kilobytes zipped) open
// five million of them. A Word body nests a few dozen deep.
const maxDepth = 1000

// mainPart follows the package relationship to the main document part.
func mainPart(pk *zipped.Package) string {
	const def = "word/document.xml"
	f := pk.Find("_rels/.rels")
	if f == nil || f.UncompressedSize64 > 1<<20 {
		return def
	}
	data, err := pk.ReadAll(f)
	if err != nil {
		return def
	}
	var rels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(data, &rels) != nil {
		return def
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/officeDocument") && r.Target != "" {
			return path.Clean(strings.TrimPrefix(r.Target, "/"))
		}
	}
	return def
}

type coreProps struct {
	Title    string `xml:"title"`
	Creator  string `xml:"creator"`
	Created  string `xml:"created"`
	Modified string `xml:"modified"`
}

func readCoreProps(pk *zipped.Package) coreProps {
	var cp coreProps
	f := pk.Find("docProps/core.xml")
	if f == nil || f.UncompressedSize64 > 1<<20 {
		return cp
	}
	data, err := pk.ReadAll(f)
	if err == nil {
		_ = xml.Unmarshal(data, &cp) // properties are optional; a bad part only loses them
	}
	return cp
}

func (cp coreProps) meta() []document.Meta {
	var out []document.Meta
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, document.Meta{Label: label, Value: v})
		}
	}
	add("property:author", cp.Creator)
	add("property:created", cp.Created)
	add("property:modified", cp.Modified)
	return out
}

// item is what a container (the body or a table cell) holds, in order.
type item struct {
	text  string
	table *document.Table
}

type cellBuild struct {
	items  []item
	span   int
	vmerge int // 0 none, 1 restart, 2 continue
	hmerge bool
}

type rowBuild struct {
	before int
	cells  []*cellBuild
}

type tableBuild struct {
	rows []*rowBuild
}

type parser struct {
	stop         *document.Interrupt
	maxCells     int
	cells        int // positions of the grids built
	positions    int // positions of the cells read, spans included
	cellLimitHit bool
	text         int // characters written
	maxText      int
	depth        int // elements open

	body   []item
	tables []*tableBuild
	paras  []*strings.Builder // open paragraphs (text boxes nest them)
	blocks []document.Block
}

func newParser(ctx context.Context, lim document.Limits) *parser {
	return &parser{stop: document.NewInterrupt(ctx), maxCells: lim.MaxCells, maxText: lim.MaxText}
}

func isW(n xml.Name) bool {
	return strings.HasSuffix(n.Space, "wordprocessingml/2006/main") || strings.HasSuffix(n.Space, "wordprocessingml/main")
}

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// currentCell is the innermost open cell, or nil in the body.
func (p *parser) currentCell() *cellBuild {
	if len(p.tables) == 0 {
		return nil
	}
	t := p.tables[len(p.tables)-1]
	if len(t.rows) == 0 {
		return nil
	}
	r := t.rows[len(t.rows)-1]
	if len(r.cells) == 0 {
		return nil
	}
	return r.cells[len(r.cells)-1]
}

func (p *parser) addItem(it item) {
	if c := p.currentCell(); c != nil {
		c.items = append(c.items, it)
		return
	}
	p.body = append(p.body, it)
}

func (p *parser) write(s string) {
	if len(p.paras) > 0 {
		p.paras[len(p.paras)-1].WriteString(s)
		p.text += utf8.RuneCountInString(s)
	}
}

func (p *parser) parse(r io.Reader) error {
	d := xml.NewDecoder(r)
	root := true
	defer p.finish()
	for {
		tok, err := p.token(d)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case p.text > p.maxText:
			return errTextLimit
		case p.cellLimitHit:
			return errCellLimit
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root {
				if !isW(t.Name) || t.Name.Local != "document" {
					return errNotWord
				}
				root = false
				continue
			}
			if t.Name.Space == "http://schemas.openxmlformats.org/markup-compatibility/2006" && t.Name.Local == "Fallback" {
				// The Choice branch already holds the same content.
				if err := p.skip(d); err != nil {
					return err
				}
				continue
			}
			if !isW(t.Name) {
				continue
			}
			if err := p.start(d, t); err != nil {
				return err
			}
		case xml.EndElement:
			if isW(t.Name) {
				p.end(t)
			}
		}
	}
}

// token is the decoder's next token, counting the open elements; it
// fails once the context has ended or they nest deeper than maxDepth.
func (p *parser) token(d *xml.Decoder) (xml.Token, error) {
	if p.stop.Stop() {
		return nil, p.stop.Err()
	}
	tok, err := d.Token()
	switch tok.(type) {
	case xml.StartElement:
		if p.depth++; p.depth > maxDepth {
			return nil, errDepthLimit
		}
	case xml.EndElement:
		p.depth--
	}
	return tok, err
}

// skip reads to the end of the element just started, like
// xml.Decoder.Skip, within the parser's limits.
func (p *parser) skip(d *xml.Decoder) error {
	for open := p.depth; p.depth >= open; {
		if _, err := p.token(d); err != nil {
			return err
		}
	}
	return nil
}

// textOf reads the character data of the element just started (not that
// of elements inside it, as xml.Decoder.DecodeElement into a string),
// within the parser's limits.
func (p *parser) textOf(d *xml.Decoder) (string, error) {
	var sb strings.Builder
	for open := p.depth; p.depth >= open; {
		tok, err := p.token(d)
		if err != nil {
			return sb.String(), err
		}
		if c, ok := tok.(xml.CharData); ok && p.depth == open {
			sb.Write(c)
		}
	}
	return sb.String(), nil
}

func (p *parser) start(d *xml.Decoder, t xml.StartElement) error {
	switch t.Name.Local {
	case "del", "moveFrom", "delText", "instrText", "delInstrText":
		return p.skip(d)
	case "t":
		s, err := p.textOf(d)
		if err != nil {
			return err
		}
		p.write(s)
	case "tab", "br", "cr", "ptab":
		p.write(" ")
	case "noBreakHyphen", "softHyphen":
		if t.Name.Local == "noBreakHyphen" {
			p.write("-")
		}
	case "p":
		p.paras = append(p.paras, &strings.Builder{})
	case "tbl":
		p.tables = append(p.tables, &tableBuild{})
	case "tr":
		if tb := p.table(); tb != nil {
			tb.rows = append(tb.rows, &rowBuild{})
		}
	case "gridBefore":
		if r := p.row(); r != nil {
			r.before = p.charge(r.before, atoiAttr(t, 0))
		}
	case "tc":
		// Cells past the limit are not kept, not even as empty records:
		// a row can hold millions.
		if r := p.row(); r != nil && p.positions < p.maxCells {
			r.cells = append(r.cells, &cellBuild{span: p.charge(0, 1)})
		} else if r != nil {
			p.cellLimitHit = true
		}
	case "gridSpan":
		if c := p.currentCell(); c != nil {
			c.span = p.charge(c.span, atoiAttr(t, 1))
		}
	case "vMerge":
		if c := p.currentCell(); c != nil {
			if v, _ := attr(t, "val"); v == "restart" {
				c.vmerge = 1
			} else {
				c.vmerge = 2
			}
		}
	case "hMerge":
		if c := p.currentCell(); c != nil {
			if v, _ := attr(t, "val"); v != "restart" {
				c.hmerge = true
			}
		}
	}
	return nil
}

// charge changes a count of grid positions from old to n, charged to the
// cell limit, and returns what fits: 3 MB of cells spanning 1000 columns
// each would fill billions of positions.
func (p *parser) charge(old, n int) int {
	n = max(n, 0)
	fit := min(n, old+p.maxCells-p.positions)
	if fit < n {
		p.cellLimitHit = true
	}
	p.positions += fit - old
	return fit
}

func atoiAttr(t xml.StartElement, def int) int {
	v, ok := attr(t, "val")
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return def
	}
	return min(n, 1000) // the OOXML grid has at most 63 columns; Word allows wider
}

func (p *parser) table() *tableBuild {
	if len(p.tables) == 0 {
		return nil
	}
	return p.tables[len(p.tables)-1]
}

func (p *parser) row() *rowBuild {
	t := p.table()
	if t == nil || len(t.rows) == 0 {
		return nil
	}
	return t.rows[len(t.rows)-1]
}

func (p *parser) end(t xml.EndElement) {
	switch t.Name.Local {
	case "p":
		if len(p.paras) == 0 {
			return
		}
		b := p.paras[len(p.paras)-1]
		p.paras = p.paras[:len(p.paras)-1]
		p.addItem(item{text: document.CleanLine(b.String())})
	case "tbl":
		if len(p.tables) == 0 {
			return
		}
		tb := p.tables[len(p.tables)-1]
		p.tables = p.tables[:len(p.tables)-1]
		p.closeTable(tb)
	}
}

// finish closes whatever a truncated document left open.
func (p *parser) finish() {
	for len(p.paras) > 0 {
		p.end(xml.EndElement{Name: xml.Name{Space: "wordprocessingml/main", Local: "p"}})
	}
	for len(p.tables) > 0 {
		p.end(xml.EndElement{Name: xml.Name{Space: "wordprocessingml/main", Local: "tbl"}})
	}
	for _, it := range p.body {
		switch {
		case it.table != nil:
			p.blocks = append(p.blocks, document.Block{Table: it.table})
		case it.text != "":
			p.blocks = append(p.blocks, document.Block{Text: it.text})
		}
	}
	p.body = nil
}

// closeTable turns a finished table into items of the enclosing container.
// A one-column table is a frame around text (a common layout trick), so its
// content is passed through as paragraphs and tables. Tables nested in a
// cell of a real table follow it as tables of their own.
func (p *parser) closeTable(tb *tableBuild) {
	width := 0
	for _, r := range tb.rows {
		w := r.before
		for _, c := range r.cells {
			w += max(c.span, 1)
		}
		width = max(width, w)
	}
	if width <= 1 {
		for _, r := range tb.rows {
			for _, c := range r.cells {
				for _, it := range c.items {
					p.addItem(it)
				}
			}
		}
		return
	}
	var nested []item
	grid := &document.Table{}
	for ri, r := range tb.rows {
		var row []document.Cell
		for i := 0; i < r.before; i++ {
			row = append(row, document.Cell{})
		}
		for _, c := range r.cells {
			var texts []string
			for _, it := range c.items {
				if it.table != nil {
					nested = append(nested, it)
				} else if it.text != "" {
					texts = append(texts, it.text)
				}
			}
			text := strings.Join(texts, " ")
			span := max(c.span, 1)
			for k := 0; k < span; k++ {
				col := len(row)
				switch {
				case c.vmerge == 2:
					row = append(row, document.Cell{Text: above(grid, ri, col), Spanned: true})
				case c.hmerge && len(row) > 0:
					row = append(row, document.Cell{Text: row[len(row)-1].Text, Spanned: true})
				case k > 0:
					row = append(row, document.Cell{Text: text, Spanned: true})
				default:
					row = append(row, document.Cell{Text: text})
				}
			}
		}
		if p.cells+len(row) > p.maxCells {
			p.cellLimitHit = true
			break
		}
		p.cells += len(row)
		grid.Rows = append(grid.Rows, row)
	}
	if len(grid.Rows) > 0 {
		p.addItem(item{table: grid})
	}
	for _, it := range nested {
		p.addItem(it)
	}
}

// above is the text of the grid cell above (row ri-1, column col), which for
// a vertically merged cell is the text of the cell that starts the merge.
func above(t *document.Table, ri, col int) string {
	if ri == 0 || ri-1 >= len(t.Rows) || col >= len(t.Rows[ri-1]) {
		return ""
	}
	return t.Rows[ri-1][col].Text
}
