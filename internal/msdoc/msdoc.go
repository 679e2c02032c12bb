// Package msdoc reads Word 97–2003 documents (.doc, MS-DOC binary format in
// an OLE2 compound file) and the Kingsoft WPS files (.wps, WPS Office 2005
// and later) that use the same WordDocument layout.
//
// The main text comes from the piece table (Clx); paragraph properties from
// the PAPX FKPs (PlcBtePapx) say which paragraph marks end table cells and
// which end table rows (sprmPFInTable, sprmPFTtp, sprmPItap), and the row's
// table properties (sprmTDefTable cell boundaries and merge flags,
// sprmTVertMerge, sprmTMerge) turn rows into an aligned grid.
//
// Not supported: Word 6.0/95 and older files (nFib < 193), pre-2005 WPS
// formats (no WordDocument stream), encrypted or XOR-obfuscated files,
// property modifiers stored in the piece table (Prm), sprmTInsert and
// sprmTDelete, and text outside the main document (headers, footers,
// footnotes, comments, text boxes). Nested tables are flattened into the
// cell that holds them.
package msdoc

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/ole"
)

// Read parses a .doc or .wps file. It returns an error only when nothing
// usable could be read; for encrypted or unsupported variants the returned
// Document carries a note next to the error.
func Read(ctx context.Context, in document.Input) (doc *document.Document, err error) {
	defer document.Guard(&doc, &err, "msdoc: %s: damaged document", in.Source)
	doc, lim, err := document.Begin(in, "msdoc", formatOf(in.Source))
	if err != nil {
		return doc, err
	}
	if !ole.HasSignature(in.Data) {
		if len(in.Data) >= 2 && in.Data[0] == 0xDB && in.Data[1] == 0xA5 {
			doc.AddNote(document.NoteUnsupported, "Word 2.0 文档", "Word 2.0 document")
			return doc, fmt.Errorf("msdoc: %s: Word 2.0 documents are not supported: %w", in.Source, document.ErrUnsupported)
		}
		return nil, fmt.Errorf("msdoc: %s is not a Word 97-2003 or WPS file (%s): %w", in.Source, document.Describe(in.Data), document.ErrUnsupported)
	}
	st, err := ole.Streams(in.Data, lim.MaxUnpacked, "WordDocument", "0Table", "1Table", "Data", "Workbook", "EncryptedPackage", "SummaryInformation")
	if err != nil {
		return nil, fmt.Errorf("msdoc: %s: damaged OLE2 container: %w", in.Source, err)
	}
	wd := st["WordDocument"]
	switch {
	case st["EncryptedPackage"] != nil:
		doc.AddNote(document.NoteEncrypted, "Office 文档设有密码", "password-protected Office document")
		return doc, fmt.Errorf("msdoc: %s: document is encrypted (password protected)", in.Source)
	case wd == nil && st["Workbook"] != nil:
		return nil, fmt.Errorf("msdoc: %s is an Excel workbook, not a Word document: %w", in.Source, document.ErrUnsupported)
	case wd == nil:
		doc.AddNote(document.NoteUnsupported, "OLE2 文件中没有 WordDocument 流（WPS 2005 以前的旧格式，或不是文字文档）", "OLE2 file without a WordDocument stream (old WPS format before WPS 2005, or not a text document)")
		return doc, fmt.Errorf("msdoc: %s: OLE2 file without a WordDocument stream: old WPS formats (before WPS Office 2005) and other OLE2 documents are not supported: %w", in.Source, document.ErrUnsupported)
	}
	f, err := parseFIB(wd)
	if err != nil {
		var u unsupportedError
		if errors.As(err, &u) {
			doc.AddNote(document.NoteUnsupported, "%s", "%s", u.what)
			return doc, fmt.Errorf("msdoc: %s: %w: %w", in.Source, err, document.ErrUnsupported)
		}
		return nil, fmt.Errorf("msdoc: %s: %w", in.Source, err)
	}
	if f.encrypted {
		doc.AddNote(document.NoteEncrypted, "Word 文档设有密码", "password-protected Word document")
		return doc, fmt.Errorf("msdoc: %s: document is encrypted (password protected)", in.Source)
	}
	tableName := "0Table"
	if f.whichTable {
		tableName = "1Table"
	}
	ts := st[tableName]
	if ts == nil {
		return nil, fmt.Errorf("msdoc: %s: the %s stream named by the FIB is missing", in.Source, tableName)
	}
	sum := ole.ParseSummary(st["SummaryInformation"])
	doc.Meta = sum.Meta()

	if err := readBody(ctx, doc, f, wd, ts, st["Data"], lim); err != nil {
		return nil, fmt.Errorf("msdoc: %s: %w", in.Source, err)
	}
	if len(doc.Blocks) == 0 {
		doc.AddNote(document.NoteNoText, "文档正文没有文字", "the document body has no text")
	}
	doc.Title = document.MeaningfulTitle(sum.Title)
	if doc.Title == "" {
		if lines := doc.Lines(); len(lines) > 0 {
			doc.Title = lines[0]
		}
	}
	return doc, nil
}

// readBody fills doc.Blocks from the WordDocument, table and Data streams.
func readBody(ctx context.Context, doc *document.Document, f fib, wd, ts, data []byte, lim document.Limits) error {
	pieces, err := parseClx(ts, f)
	if err != nil {
		return err
	}
	// Each character costs eight bytes until the paragraphs are built:
	// the text is read up to the text limit.
	ccp := f.ccpText
	if int64(ccp) > int64(lim.MaxText) {
		ccp = uint32(lim.MaxText)
		doc.AddNote(document.NoteLimit, "正文超过%d个字符：其后的内容未读", "more than %d characters of text: the rest was not read", lim.MaxText)
	}
	text, fcs, truncated := readText(wd, pieces, ccp)
	if truncated && ccp == f.ccpText {
		doc.AddNote(document.NoteCorrupt, "文字片段在文档声明的长度之前结束", "the text pieces end before the document's stated length")
	}
	papx, perr := parsePapx(ts, wd, data, f)
	if perr != nil {
		doc.AddNote(document.NoteCorrupt, "段落属性无法读取（%v），表格结构按单元格标记推断", "paragraph properties unreadable (%v): table structure guessed from cell marks", perr)
	}
	b := &builder{stop: document.NewInterrupt(ctx), papx: papx, maxCells: lim.MaxCells}
	if err := b.run(text, fcs); err != nil {
		return err
	}
	doc.Blocks = b.blocks
	if b.limitHit {
		doc.AddNote(document.NoteLimit, "超过%d个上限的表格单元格被舍弃", "table cells beyond the limit of %d were dropped", lim.MaxCells)
	}
	if b.guessed > 0 && perr == nil {
		doc.AddNote(document.NoteCorrupt, "%d个表格行缺少可用的行属性：各列可能没有对齐", "%d table rows without usable properties: columns may not line up", b.guessed)
	}
	return nil
}

// formatOf names the format by the source's extension: .wps files are read
// the same way but reported as wps.
func formatOf(source string) string {
	p := source
	if u, err := url.Parse(source); err == nil && u.Path != "" {
		p = u.Path
	}
	if strings.EqualFold(path.Ext(p), ".wps") {
		return "wps"
	}
	return "doc"
}

type unsupportedError struct{ what string }

func (e unsupportedError) Error() string { return e.what + " is not supported" }

type fib struct {
	nFib          uint16
	encrypted     bool
	whichTable    bool
	ccpText       uint32
	fcClx, lcbClx uint32
	fcPapx, lcbPx uint32
}

// parseFIB reads the File Information Block ([MS-DOC] 2.5.1), walking the
// variable-size parts by their counts rather than fixed offsets.
func parseFIB(wd []byte) (fib, error) {
	var f fib
	if len(wd) < 34 {
		return f, errors.New("WordDocument stream too short for a FIB")
	}
	le := binary.LittleEndian
	switch ident := le.Uint16(wd); ident {
	case 0xA5EC:
	case 0xA5DC:
		return f, unsupportedError{"Word 6.0/95 document"}
	default:
		return f, fmt.Errorf("WordDocument stream has no Word FIB (wIdent 0x%04X)", ident)
	}
	f.nFib = le.Uint16(wd[2:])
	if f.nFib < 193 && f.nFib != 0 {
		return f, unsupportedError{fmt.Sprintf("Word 6.0/95 document (nFib %d)", f.nFib)}
	}
	flags := le.Uint16(wd[0x0A:])
	f.encrypted = flags&0x0100 != 0 // also set with fObfuscated (XOR)
	f.whichTable = flags&0x0200 != 0
	pos := 32
	csw := int(le.Uint16(wd[pos:]))
	pos += 2 + 2*csw
	if pos+2 > len(wd) {
		return f, errors.New("FIB truncated in fibRgW")
	}
	cslw := int(le.Uint16(wd[pos:]))
	pos += 2
	if cslw < 4 || pos+4*cslw+2 > len(wd) {
		return f, errors.New("FIB truncated in fibRgLw")
	}
	f.ccpText = le.Uint32(wd[pos+12:])
	pos += 4 * cslw
	n := int(le.Uint16(wd[pos:]))
	pos += 2
	pair := func(i int) (uint32, uint32, bool) {
		o := pos + 8*i
		if i >= n || o+8 > len(wd) {
			return 0, 0, false
		}
		return le.Uint32(wd[o:]), le.Uint32(wd[o+4:]), true
	}
	var ok bool
	if f.fcClx, f.lcbClx, ok = pair(33); !ok {
		return f, errors.New("FIB truncated before fcClx")
	}
	f.fcPapx, f.lcbPx, _ = pair(13)
	return f, nil
}

type piece struct {
	cpStart, cpEnd uint32
	fc             uint32 // byte offset in WordDocument
	compressed     bool   // 8-bit text
}

// parseClx reads the piece table from the table stream ([MS-DOC] 2.9.38).
func parseClx(ts []byte, f fib) ([]piece, error) {
	le := binary.LittleEndian
	start, end := int64(f.fcClx), int64(f.fcClx)+int64(f.lcbClx)
	if f.lcbClx == 0 || end > int64(len(ts)) {
		return nil, fmt.Errorf("piece table (Clx at %d, %d bytes) outside the table stream of %d bytes", f.fcClx, f.lcbClx, len(ts))
	}
	c := ts[start:end]
	i := 0
	for i < len(c) && c[i] == 0x01 { // Prc: property modifiers, skipped
		if i+3 > len(c) {
			return nil, errors.New("truncated Prc in the piece table")
		}
		i += 3 + int(le.Uint16(c[i+1:]))
	}
	if i+5 > len(c) || c[i] != 0x02 {
		return nil, errors.New("piece table without a Pcdt")
	}
	lcb := int(le.Uint32(c[i+1:]))
	i += 5
	if lcb < 4 || i+lcb > len(c) {
		return nil, errors.New("piece table size out of bounds")
	}
	plc := c[i : i+lcb]
	n := (lcb - 4) / 12
	var out []piece
	for k := 0; k < n; k++ {
		cp0, cp1 := le.Uint32(plc[4*k:]), le.Uint32(plc[4*k+4:])
		pcd := plc[4*(n+1)+8*k:]
		fc := le.Uint32(pcd[2:])
		p := piece{cpStart: cp0, cpEnd: cp1}
		if fc&0x40000000 != 0 {
			p.compressed = true
			p.fc = (fc & 0x3FFFFFFF) / 2
		} else {
			p.fc = fc
		}
		if cp1 > cp0 {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("piece table has no text pieces")
	}
	return out, nil
}

// readText decodes the main document text (CPs 0 to ccpText) and the file
// offset of every character, which keys the paragraph properties.
func readText(wd []byte, pieces []piece, ccpText uint32) ([]rune, []uint32, bool) {
	ccp := min(int(ccpText), len(wd)) // a character takes at least one byte
	text := make([]rune, 0, ccp)
	fcs := make([]uint32, 0, ccp)
	cp1252 := charmap.Windows1252
	truncated := false
	for _, p := range pieces {
		if int(p.cpStart) >= ccp {
			break
		}
		n := int(min(p.cpEnd, uint32(ccp)) - p.cpStart)
		for k := 0; k < n; k++ {
			if p.compressed {
				o := int(p.fc) + k
				if o >= len(wd) {
					truncated = true
					break
				}
				text = append(text, cp1252.DecodeByte(wd[o]))
				fcs = append(fcs, uint32(o))
				continue
			}
			o := int(p.fc) + 2*k
			if o+2 > len(wd) {
				truncated = true
				break
			}
			u := binary.LittleEndian.Uint16(wd[o:])
			r := rune(u)
			if utf16.IsSurrogate(r) && k+1 < n && o+4 <= len(wd) {
				if r2 := utf16.DecodeRune(r, rune(binary.LittleEndian.Uint16(wd[o+2:]))); r2 != unicode.ReplacementChar {
					text = append(text, r2, 0) // 0 keeps one entry per CP; dropped later
					fcs = append(fcs, uint32(o), uint32(o+2))
					k++
					continue
				}
			}
			text = append(text, r)
			fcs = append(fcs, uint32(o))
		}
	}
	if len(text) < ccp && ccp == int(ccpText) {
		truncated = true
	}
	return text, fcs, truncated
}

// paraProps are the paragraph and table properties this reader uses.
type paraProps struct {
	inTable   bool
	ttp       bool // table terminating paragraph: the row-end mark
	itap      int  // table depth
	innerCell bool // nested table cell end
	innerTtp  bool // nested table row end
	tap       *tap
}

// tap describes one table row ([MS-DOC] TDefTableOperand).
type tap struct {
	centers []int   // cell boundaries, itcMac+1 values in twips
	vmerge  []uint8 // per cell: 0 none, 1 merged with the cell above, 3 first of a merge
	hmerged []bool  // per cell: merged into the preceding cell
}

type papxRun struct {
	fcStart, fcEnd uint32
	props          *paraProps
}

// parsePapx reads the paragraph property runs from the PAPX FKPs listed in
// PlcBtePapx, sorted by file offset.
func parsePapx(ts, wd, data []byte, f fib) ([]papxRun, error) {
	le := binary.LittleEndian
	end := int64(f.fcPapx) + int64(f.lcbPx)
	if f.lcbPx < 12 || end > int64(len(ts)) {
		return nil, fmt.Errorf("PlcBtePapx (%d bytes at %d) outside the table stream", f.lcbPx, f.fcPapx)
	}
	plc := ts[f.fcPapx:end]
	n := (len(plc) - 4) / 8
	var runs []papxRun
	seen := map[uint32]bool{}
	for k := 0; k < n; k++ {
		pn := le.Uint32(plc[4*(n+1)+4*k:]) & 0x3FFFFF
		if seen[pn] {
			continue // a damaged PLC listing one page many times
		}
		seen[pn] = true
		off := int64(pn) * 512
		if off+512 > int64(len(wd)) {
			return runs, fmt.Errorf("PAPX page %d beyond the WordDocument stream", pn)
		}
		page := wd[off : off+512]
		crun := int(page[511])
		if 4*(crun+1)+13*crun > 511 {
			return runs, fmt.Errorf("PAPX page %d has an impossible run count %d", pn, crun)
		}
		for i := 0; i < crun; i++ {
			r := papxRun{fcStart: le.Uint32(page[4*i:]), fcEnd: le.Uint32(page[4*i+4:])}
			bx := 4*(crun+1) + 13*i
			if b := int(page[bx]) * 2; b > 0 {
				r.props = parsePapxInFkp(page, b, data)
			}
			runs = append(runs, r)
		}
	}
	slices.SortFunc(runs, func(a, b papxRun) int {
		switch {
		case a.fcStart < b.fcStart:
			return -1
		case a.fcStart > b.fcStart:
			return 1
		}
		return 0
	})
	return runs, nil
}

func parsePapxInFkp(page []byte, off int, data []byte) *paraProps {
	if off >= 511 {
		return nil
	}
	cb := int(page[off])
	start, size := off+1, 2*cb-1
	if cb == 0 {
		if off+1 >= 511 {
			return nil
		}
		start, size = off+2, 2*int(page[off+1])
	}
	if size < 2 || start+size > 511 {
		return nil
	}
	p := &paraProps{}
	applySprms(p, page[start+2:start+size], data, true) // after the 2-byte istd
	return p
}

// Sprms read here.
const (
	sprmPFInTable        = 0x2416
	sprmPFTtp            = 0x2417
	sprmPItap            = 0x6649
	sprmPFInnerTableCell = 0x244B
	sprmPFInnerTtp       = 0x244C
	sprmPHugePapx        = 0x6646
	sprmPChgTabs         = 0xC615
	sprmTDefTable        = 0xD608
	sprmTVertMerge       = 0xD62B
	sprmTMerge           = 0x5624
	sprmTSplit           = 0x5625
)

// sprmLen returns the operand size of the sprm at g[0:2], or -1.
func sprmLen(g []byte) int {
	sprm := binary.LittleEndian.Uint16(g)
	switch sprm >> 13 {
	case 0, 1:
		return 1
	case 2, 4, 5:
		return 2
	case 3:
		return 4
	case 7:
		return 3
	}
	if len(g) < 3 {
		return -1
	}
	switch sprm {
	case sprmTDefTable:
		if len(g) < 4 {
			return -1
		}
		return int(binary.LittleEndian.Uint16(g[2:])) + 1
	case sprmPChgTabs:
		if g[2] != 255 {
			return 1 + int(g[2])
		}
		// PChgTabsPapxOperand with cb 255: deletions, then additions.
		i := 3
		if i >= len(g) {
			return -1
		}
		del := int(g[i])
		i += 1 + 4*del
		if i >= len(g) {
			return -1
		}
		add := int(g[i])
		i += 1 + 3*add
		return i - 2
	}
	return 1 + int(g[2])
}

func applySprms(p *paraProps, g, data []byte, allowHuge bool) {
	le := binary.LittleEndian
	for len(g) >= 2 {
		sprm := le.Uint16(g)
		n := sprmLen(g)
		if n < 0 || 2+n > len(g) {
			return
		}
		op := g[2 : 2+n]
		switch sprm {
		case sprmPFInTable:
			p.inTable = op[0] != 0
		case sprmPFTtp:
			p.ttp = op[0] != 0
		case sprmPItap:
			p.itap = int(int32(le.Uint32(op)))
		case sprmPFInnerTableCell:
			p.innerCell = op[0] != 0
		case sprmPFInnerTtp:
			p.innerTtp = op[0] != 0
		case sprmPHugePapx:
			// The properties are too large for the FKP and live in the Data
			// stream: a 2-byte size, then the sprms.
			if o := int64(le.Uint32(op)); allowHuge && o+2 <= int64(len(data)) {
				cb := int64(le.Uint16(data[o:]))
				if o+2+cb <= int64(len(data)) {
					applySprms(p, data[o+2:o+2+cb], data, false)
				}
			}
		case sprmTDefTable:
			p.tap = parseTDefTable(op[2:])
		case sprmTVertMerge:
			if p.tap != nil && len(op) >= 3 {
				if i := int(op[1]); i < len(p.tap.vmerge) {
					p.tap.vmerge[i] = op[2]
				}
			}
		case sprmTMerge, sprmTSplit:
			if p.tap != nil {
				first, lim := int(op[0]), min(int(op[1]), len(p.tap.hmerged))
				for i := first + 1; i < lim; i++ {
					p.tap.hmerged[i] = sprm == sprmTMerge
				}
			}
		}
		g = g[2+n:]
	}
}

// parseTDefTable reads itcMac, the cell boundaries and the TC80 merge flags.
func parseTDefTable(b []byte) *tap {
	if len(b) < 1 {
		return nil
	}
	n := int(b[0])
	if n == 0 || 1+2*(n+1) > len(b) {
		return nil
	}
	t := &tap{centers: make([]int, n+1), vmerge: make([]uint8, n), hmerged: make([]bool, n)}
	for i := range t.centers {
		t.centers[i] = int(int16(binary.LittleEndian.Uint16(b[1+2*i:])))
	}
	tcs := b[1+2*(n+1):]
	for i := 0; i < n && 20*i+2 <= len(tcs); i++ { // TC80s may be fewer than cells
		grf := binary.LittleEndian.Uint16(tcs[20*i:])
		t.hmerged[i] = grf&0x3 >= 2
		t.vmerge[i] = uint8(grf>>5) & 0x3
	}
	return t
}

// propsAt returns the properties of the paragraph whose mark is at fc.
func propsAt(runs []papxRun, fc uint32) (*paraProps, bool) {
	i, _ := slices.BinarySearchFunc(runs, fc, func(r papxRun, fc uint32) int {
		switch {
		case r.fcStart > fc:
			return 1
		case r.fcEnd <= fc:
			return -1
		}
		return 0
	})
	if i < len(runs) && runs[i].fcStart <= fc && fc < runs[i].fcEnd {
		return runs[i].props, true
	}
	// Runs may overlap in damaged files; fall back to a scan of neighbours.
	for j := max(i-2, 0); j < min(i+2, len(runs)); j++ {
		if runs[j].fcStart <= fc && fc < runs[j].fcEnd {
			return runs[j].props, true
		}
	}
	return nil, false
}

type rowBuild struct {
	cells [][]string // paragraphs of each cell
	tap   *tap
}

// builder turns the character stream into paragraphs and tables.
type builder struct {
	stop     *document.Interrupt
	papx     []papxRun
	maxCells int
	cells    int
	limitHit bool
	guessed  int

	blocks    []document.Block
	cur       strings.Builder
	cellParas []string
	row       [][]string
	rows      []rowBuild
}

func (b *builder) run(text []rune, fcs []uint32) error {
	type field struct{ inResult bool }
	var fields []field
	for i, r := range text {
		if b.stop.Stop() {
			return b.stop.Err()
		}
		switch r {
		case 0x13:
			if len(fields) < 64 {
				fields = append(fields, field{})
			}
			continue
		case 0x14:
			if len(fields) > 0 {
				fields[len(fields)-1].inResult = true
			}
			continue
		case 0x15:
			if len(fields) > 0 {
				fields = fields[:len(fields)-1]
			}
			continue
		}
		inCode := false
		for _, f := range fields {
			if !f.inResult {
				inCode = true
			}
		}
		if inCode && r != 0x0D && r != 0x07 {
			continue
		}
		switch r {
		case 0x0D, 0x07:
			props, known := propsAt(b.papx, fcs[i])
			b.mark(r, props, known, i > 0 && text[i-1] == 0x07)
		case 0x0B, 0x09, 0xA0, 0x3000:
			if r == 0x3000 {
				b.cur.WriteRune(r)
			} else {
				b.cur.WriteByte(' ')
			}
		case 0x0C: // page or section break
			b.mark(0x0D, nil, true, false)
		case 0x1E:
			b.cur.WriteByte('-')
		default:
			if r >= 0x20 && r != 0xFFFF {
				b.cur.WriteRune(r)
			}
		}
	}
	if b.cur.Len() > 0 {
		b.mark(0x0D, nil, true, false)
	}
	b.endTable()
	return nil
}

// mark handles a paragraph mark (\r) or cell mark (\x07). Without known
// properties a cell mark right after another one is taken as a row end:
// the plain-text rule, which cannot tell an empty cell from a row end.
func (b *builder) mark(r rune, props *paraProps, known, afterCellMark bool) {
	line := document.CleanLine(b.cur.String())
	b.cur.Reset()
	inTable := props != nil && (props.inTable || props.itap > 0)
	nested := props != nil && (props.itap > 1 || props.innerCell || props.innerTtp)
	switch {
	case r == 0x07 && !known:
		if afterCellMark && line == "" && len(b.cellParas) == 0 {
			b.endRow(nil)
			b.guessed++
		} else {
			b.endCell(line)
		}
	case nested:
		// A nested table: its cells and rows become text of the outer cell.
		if line != "" {
			b.cellParas = append(b.cellParas, line)
		}
	case r == 0x07 && props != nil && props.ttp:
		b.endRow(props.tap)
	case r == 0x07:
		b.endCell(line)
	case inTable && props.ttp:
		// Row end marked with \r (seen in some writers).
		if line != "" {
			b.endCell(line)
		}
		b.endRow(props.tap)
	case inTable:
		if line != "" {
			b.cellParas = append(b.cellParas, line)
		}
	default:
		if len(b.row) > 0 || len(b.cellParas) > 0 {
			// Text after cells without a row end: keep the row.
			if line != "" {
				b.cellParas = append(b.cellParas, line)
			}
			b.endCell("")
			b.endRow(nil)
			b.guessed++
			return
		}
		b.endTable()
		if line != "" {
			b.blocks = append(b.blocks, document.Block{Text: line})
		}
	}
}

func (b *builder) endCell(line string) {
	if line != "" {
		b.cellParas = append(b.cellParas, line)
	}
	b.row = append(b.row, b.cellParas)
	b.cellParas = nil
}

func (b *builder) endRow(t *tap) {
	if len(b.cellParas) > 0 {
		b.endCell("")
	}
	b.rows = append(b.rows, rowBuild{cells: b.row, tap: t})
	b.row = nil
}

// endTable builds the grid of the rows collected so far.
func (b *builder) endTable() {
	if len(b.row) > 0 || len(b.cellParas) > 0 {
		b.endRow(nil)
	}
	if len(b.rows) == 0 {
		return
	}
	rows := b.rows
	b.rows = nil
	if frame(rows) {
		// A one-column table is a frame around text: keep its paragraphs.
		for _, r := range rows {
			for _, c := range r.cells {
				for _, p := range c {
					b.blocks = append(b.blocks, document.Block{Text: p})
				}
			}
		}
		return
	}
	tb, full := buildGrid(rows, b.maxCells-b.cells)
	b.limitHit = b.limitHit || !full
	for _, r := range tb.Rows {
		b.cells += len(r)
	}
	if len(tb.Rows) > 0 {
		b.blocks = append(b.blocks, document.Block{Table: tb})
	}
}

// buildGrid aligns rows on the union of their cell boundaries: a cell
// spanning several boundaries is a colspan, a cell flagged as merged with the
// one above a rowspan. Rows whose properties do not match their cells are
// kept as they are and the table is marked ragged. Rows are built while
// they fit in maxCells positions; full is false when some did not.
func buildGrid(rows []rowBuild, maxCells int) (_ *document.Table, full bool) {
	var xs []int
	for _, r := range rows {
		if usable(r) {
			xs = append(xs, r.tap.centers...)
		}
	}
	slices.Sort(xs)
	var bounds []int // clusters of boundaries closer than tol twips
	const tol = 30
	for _, x := range xs {
		if len(bounds) == 0 || x-bounds[len(bounds)-1] > tol {
			bounds = append(bounds, x)
		}
	}
	col := func(x int) int {
		i, _ := slices.BinarySearch(bounds, x+tol+1)
		return max(i-1, 0)
	}
	width := max(len(bounds)-1, 0)
	tb := &document.Table{}
	cells := 0
	full = true
	for ri, r := range rows {
		n := width
		if !usable(r) {
			n = len(r.cells)
		}
		if cells += n; cells > maxCells {
			full = false
			break
		}
		if !usable(r) {
			row := make([]document.Cell, len(r.cells))
			for i, c := range r.cells {
				row[i].Text = strings.Join(c, " ")
			}
			tb.Rows = append(tb.Rows, row)
			tb.Ragged = true
			continue
		}
		row := make([]document.Cell, width)
		for i, paras := range r.cells {
			text := strings.Join(paras, " ")
			c0, c1 := col(r.tap.centers[i]), col(r.tap.centers[i+1])
			if c1 <= c0 {
				c1 = c0 + 1
			}
			for c := c0; c < c1 && c < width; c++ {
				switch {
				case r.tap.vmerge[i] == 1 && ri > 0 && c < len(tb.Rows[ri-1]):
					row[c] = document.Cell{Text: tb.Rows[ri-1][c].Text, Spanned: true}
				case r.tap.hmerged[i] && c == c0 && c > 0:
					row[c] = document.Cell{Text: row[c-1].Text, Spanned: true}
				case c > c0:
					row[c] = document.Cell{Text: row[c0].Text, Spanned: true}
				default:
					row[c] = document.Cell{Text: text}
				}
			}
		}
		tb.Rows = append(tb.Rows, row)
	}
	if tb.Ragged {
		for _, r := range tb.Rows {
			if len(r) != len(tb.Rows[0]) {
				return tb, full
			}
		}
		tb.Ragged = false
	}
	return tb, full
}

func frame(rows []rowBuild) bool {
	for _, r := range rows {
		if len(r.cells) > 1 {
			return false
		}
	}
	return true
}

func usable(r rowBuild) bool {
	return r.tap != nil && len(r.tap.centers) == len(r.cells)+1 && slices.IsSorted(r.tap.centers)
}
