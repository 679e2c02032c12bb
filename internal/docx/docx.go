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

	p := newParser(ctx, lim.MaxCells)
	rc, err := pk.Open(f)
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
	case errors.Is(perr, zipped.ErrBudget), perr != nil && pk.Remaining() <= 0:
		// The cut may fall inside a character or tag; the decoder then
		// reports a syntax error instead of ErrBudget.
		doc.AddNote(document.NoteLimit, "解压%d字节后停止：压缩包解压后超过上限", "stopped after %d decompressed bytes: the archive expands beyond the limit", lim.MaxUnpacked)
	case perr != nil:
		doc.AddNote(document.NoteCorrupt, "%s 在第%d个段落之后损坏：%v", "%s is damaged after %d blocks: %v", f.Name, len(doc.Blocks), perr)
	}
	if p.cellLimitHit {
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

// errNotWord reports a main part whose root is not w:document.
var errNotWord = errors.New("root element is not w:document")

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
	ctx          context.Context
	maxCells     int
	cells        int
	cellLimitHit bool

	body   []item
	tables []*tableBuild
	paras  []*strings.Builder // open paragraphs (text boxes nest them)
	blocks []document.Block
}

func newParser(ctx context.Context, maxCells int) *parser {
	return &parser{ctx: ctx, maxCells: maxCells}
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
	}
}

func (p *parser) parse(r io.Reader) error {
	d := xml.NewDecoder(r)
	var n int
	root := true
	defer p.finish()
	for {
		if n++; n%4096 == 0 && p.ctx.Err() != nil {
			return p.ctx.Err()
		}
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
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
				if err := d.Skip(); err != nil {
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

func (p *parser) start(d *xml.Decoder, t xml.StartElement) error {
	switch t.Name.Local {
	case "del", "moveFrom", "delText", "instrText", "delInstrText":
		return d.Skip()
	case "t":
		var s string
		if err := d.DecodeElement(&s, &t); err != nil {
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
			r.before = atoiAttr(t, 0)
		}
	case "tc":
		if r := p.row(); r != nil {
			r.cells = append(r.cells, &cellBuild{span: 1})
		}
	case "gridSpan":
		if c := p.currentCell(); c != nil {
			c.span = atoiAttr(t, 1)
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
