// Package xls reads Excel 97–2003 workbooks (BIFF8 in an OLE2 compound
// file). Every worksheet becomes one table, merged ranges expanded into
// spanned cells; numbers are written as Excel shows them (integers without
// a decimal point, dates as dates, percentages with %).
//
// Formula cells give their cached results. Not supported: BIFF5/BIFF7
// (Excel 5.0/95) and older workbooks, encrypted workbooks (FILEPASS), and
// text in drawing objects, comments and charts.
package xls

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/ole"
)

// Record types used here ([MS-XLS] 2.3).
const (
	recFORMULA     = 0x0006
	recEOF         = 0x000A
	recFILEPASS    = 0x002F
	recCONTINUE    = 0x003C
	recBOUNDSHEET  = 0x0085
	recMULRK       = 0x00BD
	recRSTRING     = 0x00D6
	recXF          = 0x00E0
	recMERGEDCELLS = 0x00E5
	recSST         = 0x00FC
	recLABELSST    = 0x00FD
	recNUMBER      = 0x0203
	recLABEL       = 0x0204
	recBOOLERR     = 0x0205
	recSTRING      = 0x0207
	recRK          = 0x027E
	recFORMAT      = 0x041E
	recBOF         = 0x0809
	rec1904        = 0x0022
)

// Read parses an .xls workbook. It returns an error only when nothing
// usable could be read; for encrypted workbooks the returned Document
// carries a NoteEncrypted note next to the error.
func Read(ctx context.Context, in document.Input) (doc *document.Document, err error) {
	defer document.Guard(&doc, &err, "xls: %s: damaged workbook", in.Source)
	doc, lim, err := document.Begin(in, "xls", "xls")
	if err != nil {
		return doc, err
	}
	if !ole.HasSignature(in.Data) {
		return nil, fmt.Errorf("xls: %s is not an XLS file (%s): %w", in.Source, document.Describe(in.Data), document.ErrUnsupported)
	}
	streams, err := ole.Streams(in.Data, lim.MaxUnpacked, "Workbook", "Book", "WordDocument", "EncryptedPackage", "SummaryInformation")
	if err != nil {
		return nil, fmt.Errorf("xls: %s: damaged OLE2 container: %w", in.Source, err)
	}
	wb := streams["Workbook"]
	switch {
	case streams["EncryptedPackage"] != nil:
		doc.AddNote(document.NoteEncrypted, "工作簿设有密码", "password-protected workbook")
		return doc, fmt.Errorf("xls: %s: workbook is encrypted (password protected)", in.Source)
	case wb == nil && streams["Book"] != nil:
		doc.AddNote(document.NoteUnsupported, "Excel 5.0/95 工作簿（BIFF5）", "Excel 5.0/95 workbook (BIFF5)")
		return doc, fmt.Errorf("xls: %s: Excel 5.0/95 workbook (BIFF5) is not supported: %w", in.Source, document.ErrUnsupported)
	case wb == nil && streams["WordDocument"] != nil:
		return nil, fmt.Errorf("xls: %s is a Word document, not a workbook: %w", in.Source, document.ErrUnsupported)
	case wb == nil:
		return nil, fmt.Errorf("xls: %s: OLE2 file without a Workbook stream, not an Excel workbook: %w", in.Source, document.ErrUnsupported)
	}
	sum := ole.ParseSummary(streams["SummaryInformation"])
	doc.Meta = sum.Meta()

	p := &parser{ctx: ctx, data: wb, maxCells: lim.MaxCells}
	perr := p.parse()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("xls: %s: %w", in.Source, ctx.Err())
	case errors.Is(perr, errEncrypted):
		doc.AddNote(document.NoteEncrypted, "工作簿设有密码（FILEPASS）", "password-protected workbook (FILEPASS)")
		return doc, fmt.Errorf("xls: %s: workbook is encrypted (password protected)", in.Source)
	case errors.Is(perr, errOldBIFF):
		doc.AddNote(document.NoteUnsupported, "%v", "%v", perr)
		return doc, fmt.Errorf("xls: %s: %w: %w", in.Source, perr, document.ErrUnsupported)
	case perr != nil && len(p.sheets) == 0:
		return nil, fmt.Errorf("xls: %s: %w", in.Source, perr)
	case perr != nil:
		doc.AddNote(document.NoteCorrupt, "工作簿数据流已损坏：%v", "workbook stream damaged: %v", perr)
	}
	cells := 0
	stop := document.NewInterrupt(ctx)
	for _, sh := range p.sheets {
		tb, n, full, merges := sh.table(lim.MaxCells-cells, stop)
		if stop.Stop() {
			return nil, fmt.Errorf("xls: %s: %w", in.Source, stop.Err())
		}
		cells += n
		if tb != nil {
			doc.Blocks = append(doc.Blocks, document.Block{Table: tb})
		}
		if merges > 0 {
			doc.AddNote(document.NoteLimit, "工作表%[1]q有%[2]d个合并单元格超出%[3]d个单元格的限制，未展开", "%[2]d merged ranges of sheet %[1]q exceed the limit of %[3]d cells and were not expanded", sh.name, merges, lim.MaxCells)
		}
		if !full || p.cellLimitHit {
			doc.AddNote(document.NoteLimit, "超过%d个上限的表格单元格被舍弃（工作表%q）", "table cells beyond the limit of %d were dropped (sheet %q)", lim.MaxCells, sh.name)
			break
		}
	}
	if len(doc.Blocks) == 0 {
		doc.AddNote(document.NoteNoText, "工作簿没有单元格内容", "the workbook has no cell values")
	}
	doc.Title = document.MeaningfulTitle(sum.Title)
	if doc.Title == "" {
		doc.Title = document.FirstCell(doc)
	}
	return doc, nil
}

var (
	errEncrypted = errors.New("workbook is encrypted")
	errOldBIFF   = errors.New("workbook older than Excel 97 (BIFF8) is not supported")
)

type cell struct {
	row, col int
	text     string
}

type sheet struct {
	name   string
	cells  []cell
	merges [][4]int // rowFirst, rowLast, colFirst, colLast
}

type parser struct {
	ctx          context.Context
	data         []byte
	maxCells     int
	cellCount    int
	cellLimitHit bool

	sst       []string
	sstParts  int            // SST record plus its CONTINUE records
	sstSplits int            // strings whose characters cross a record boundary
	names     map[int]string // BOF stream offset -> sheet name
	formats   map[int]string // custom number formats by index
	xfFormat  []int          // XF index -> number format index
	date1904  bool
	sheets    []*sheet
	cur       *sheet
	depth     int  // nesting of BOF/EOF (charts inside sheets)
	skipSheet bool // chart, macro or VB sheet
	pendingFm *cell
}

// record is one BIFF record with the CONTINUE records that follow it.
type record struct {
	typ   uint16
	off   int      // stream offset of the header
	parts [][]byte // payload, then each CONTINUE payload
}

func (r record) data() []byte { return r.parts[0] }

func (p *parser) parse() error {
	p.names = map[int]string{}
	p.formats = map[int]string{}
	recs := 0
	pos := 0
	first := true
	for pos+4 <= len(p.data) {
		if recs++; recs%4096 == 0 && p.ctx.Err() != nil {
			return p.ctx.Err()
		}
		rec := record{typ: binary.LittleEndian.Uint16(p.data[pos:]), off: pos}
		n := int(binary.LittleEndian.Uint16(p.data[pos+2:]))
		pos += 4
		if pos+n > len(p.data) {
			return fmt.Errorf("record 0x%04X at offset %d runs past the end of the stream", rec.typ, rec.off)
		}
		rec.parts = append(rec.parts, p.data[pos:pos+n])
		pos += n
		for pos+4 <= len(p.data) && binary.LittleEndian.Uint16(p.data[pos:]) == recCONTINUE {
			m := int(binary.LittleEndian.Uint16(p.data[pos+2:]))
			if pos+4+m > len(p.data) {
				break
			}
			rec.parts = append(rec.parts, p.data[pos+4:pos+4+m])
			pos += 4 + m
		}
		if first {
			if rec.typ != recBOF {
				if rec.typ == 0x0009 || rec.typ == 0x0209 || rec.typ == 0x0409 {
					return fmt.Errorf("%w (BIFF2-4 workbook)", errOldBIFF)
				}
				return fmt.Errorf("workbook stream does not start with a BOF record (0x%04X)", rec.typ)
			}
			first = false
		}
		if err := p.record(rec); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) record(rec record) error {
	d := rec.data()
	switch rec.typ {
	case recBOF:
		if len(d) < 4 {
			return fmt.Errorf("short BOF record at offset %d", rec.off)
		}
		if v := binary.LittleEndian.Uint16(d); v != 0x0600 {
			return fmt.Errorf("%w (BOF version 0x%04X, Excel 5.0/95 or older)", errOldBIFF, v)
		}
		p.depth++
		if p.depth > 1 {
			return nil // an embedded chart substream
		}
		switch dt := binary.LittleEndian.Uint16(d[2:]); dt {
		case 0x0005: // workbook globals
		case 0x0010: // worksheet (also dialog sheets)
			name := p.names[rec.off]
			if name == "" {
				name = fmt.Sprintf("Sheet%d", len(p.sheets)+1)
			}
			p.cur = &sheet{name: name}
			p.sheets = append(p.sheets, p.cur)
		default: // chart, macro sheet, VB module
			p.skipSheet = true
		}
	case recEOF:
		if p.depth > 0 {
			p.depth--
		}
		if p.depth == 0 {
			p.cur, p.skipSheet = nil, false
		}
	case recFILEPASS:
		return errEncrypted
	case rec1904:
		p.date1904 = len(d) >= 2 && d[0] == 1
	case recBOUNDSHEET:
		if len(d) >= 8 {
			off := int(binary.LittleEndian.Uint32(d))
			name, _ := shortString(d[6:])
			p.names[off] = name
		}
	case recFORMAT:
		if len(d) >= 5 {
			s := newStrReader(rec.parts)
			s.skip(2)
			if f, ok := s.unicodeString(true); ok {
				p.formats[int(binary.LittleEndian.Uint16(d))] = f
			}
		}
	case recXF:
		if len(d) >= 4 {
			p.xfFormat = append(p.xfFormat, int(binary.LittleEndian.Uint16(d[2:])))
		}
	case recSST:
		p.readSST(rec)
	}
	if p.cur == nil || p.skipSheet || p.depth != 1 {
		return nil
	}
	return p.cellRecord(rec)
}

func (p *parser) readSST(rec record) {
	s := newStrReader(rec.parts)
	s.skip(4)
	unique, ok := s.u32()
	if !ok {
		return
	}
	// Each string takes at least 3 bytes: a damaged count cannot make a
	// huge allocation.
	unique = min(unique, uint32(s.remaining()/3+1))
	p.sst = make([]string, 0, unique)
	for i := uint32(0); i < unique; i++ {
		str, ok := s.unicodeString(true)
		if !ok {
			return
		}
		p.sst = append(p.sst, str)
	}
	p.sstParts, p.sstSplits = len(rec.parts), s.splits
}

func (p *parser) add(row, col int, text string) {
	if text == "" {
		return
	}
	if p.cellCount >= p.maxCells {
		p.cellLimitHit = true
		return
	}
	p.cellCount++
	p.cur.cells = append(p.cur.cells, cell{row: row, col: col, text: text})
}

func (p *parser) cellRecord(rec record) error {
	d := rec.data()
	if len(d) < 6 && rec.typ != recMERGEDCELLS && rec.typ != recSTRING {
		return nil
	}
	var row, col, xf int
	if len(d) >= 6 {
		row, col, xf = int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), int(binary.LittleEndian.Uint16(d[4:]))
	}
	switch rec.typ {
	case recLABELSST:
		if len(d) >= 10 {
			if i := int(binary.LittleEndian.Uint32(d[6:])); i < len(p.sst) {
				p.add(row, col, document.CleanLine(p.sst[i]))
			}
		}
	case recLABEL, recRSTRING:
		s := newStrReader(rec.parts)
		s.skip(6)
		if str, ok := s.unicodeString(false); ok {
			p.add(row, col, document.CleanLine(str))
		}
	case recNUMBER:
		if len(d) >= 14 {
			p.add(row, col, p.number(math.Float64frombits(binary.LittleEndian.Uint64(d[6:])), xf))
		}
	case recRK:
		if len(d) >= 10 {
			p.add(row, col, p.number(rk(binary.LittleEndian.Uint32(d[6:])), xf))
		}
	case recMULRK:
		for i := 0; 4+6*i+6+2 <= len(d); i++ { // (ixfe, rk) pairs, then colLast
			o := 4 + 6*i
			x := int(binary.LittleEndian.Uint16(d[o:]))
			p.add(row, col+i, p.number(rk(binary.LittleEndian.Uint32(d[o+2:])), x))
		}
	case recBOOLERR:
		if len(d) >= 8 {
			p.add(row, col, boolErr(d[6], d[7]))
		}
	case recFORMULA:
		if len(d) < 14 {
			return nil
		}
		v := d[6:14]
		if v[6] == 0xFF && v[7] == 0xFF {
			switch v[0] {
			case 0: // string: the value follows in a STRING record
				p.pendingFm = &cell{row: row, col: col}
				return nil
			case 1:
				p.add(row, col, boolErr(v[2], 0))
			case 2:
				p.add(row, col, boolErr(v[2], 1))
			}
		} else {
			p.add(row, col, p.number(math.Float64frombits(binary.LittleEndian.Uint64(v)), xf))
		}
	case recSTRING:
		if p.pendingFm != nil {
			s := newStrReader(rec.parts)
			if str, ok := s.unicodeString(false); ok {
				p.add(p.pendingFm.row, p.pendingFm.col, document.CleanLine(str))
			}
		}
	case recMERGEDCELLS:
		if len(d) < 2 {
			return nil
		}
		n := int(binary.LittleEndian.Uint16(d))
		for i := 0; i < n && 2+8*i+8 <= len(d); i++ {
			o := 2 + 8*i
			r0, r1 := int(binary.LittleEndian.Uint16(d[o:])), int(binary.LittleEndian.Uint16(d[o+2:]))
			c0, c1 := int(binary.LittleEndian.Uint16(d[o+4:])), int(binary.LittleEndian.Uint16(d[o+6:]))
			if r1 >= r0 && c1 >= c0 {
				p.cur.merges = append(p.cur.merges, [4]int{r0, r1, c0, c1})
			}
		}
	}
	if rec.typ != recSTRING && rec.typ != recCONTINUE {
		p.pendingFm = nil
	}
	return nil
}

func boolErr(v, isErr byte) string {
	if isErr == 0 {
		if v != 0 {
			return "TRUE"
		}
		return "FALSE"
	}
	switch v {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	case 0x2A:
		return "#N/A"
	}
	return "#ERROR"
}

// rk decodes an RK number ([MS-XLS] 2.5.217).
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

// number formats a value by its cell's number format: dates as dates,
// percentages with %, fixed decimals when the format asks for them, and
// otherwise the shortest form at Excel's 15 significant digits.
func (p *parser) number(v float64, xf int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	fmtID := 0
	if xf >= 0 && xf < len(p.xfFormat) {
		fmtID = p.xfFormat[xf]
	}
	code := p.formats[fmtID]
	switch {
	case isDateFormat(fmtID, code) && v >= 0 && v < 2958466:
		return excelDate(v, p.date1904, code)
	case fmtID == 9 || fmtID == 10 || strings.HasSuffix(strings.TrimSpace(code), "%"):
		return plain(v*100, decimals(fmtID, code)) + "%"
	}
	return plain(v, decimals(fmtID, code))
}

// plain writes v without exponent or grouping; dec < 0 means as needed.
func plain(v float64, dec int) string {
	if dec >= 0 {
		return strconv.FormatFloat(v, 'f', dec, 64)
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		r = v
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// decimals returns the fixed number of decimals of a number format, or -1.
func decimals(id int, code string) int {
	switch id {
	case 1, 3, 9:
		return 0
	case 2, 4, 10, 11:
		return 2
	}
	if code == "" || strings.EqualFold(code, "General") {
		return -1
	}
	sec := code
	if i := strings.IndexByte(sec, ';'); i >= 0 {
		sec = sec[:i]
	}
	if !strings.ContainsAny(sec, "0#") {
		return -1
	}
	i := strings.IndexByte(sec, '.')
	if i < 0 {
		return 0
	}
	n := 0
	for _, c := range sec[i+1:] {
		if c != '0' && c != '#' {
			break
		}
		n++
	}
	return n
}

func isDateFormat(id int, code string) bool {
	switch {
	case id >= 14 && id <= 22, id >= 27 && id <= 36, id >= 45 && id <= 47, id >= 50 && id <= 58:
		return true
	case code == "":
		return false
	}
	// Date tokens outside quoted text and [colour]/[$-locale] brackets.
	inQuote, inBracket := false, false
	for _, c := range strings.ToLower(code) {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '[':
			inBracket = true
		case c == ']':
			inBracket = false
		case inBracket:
		case c == 'y' || c == 'd' || c == 'm' || c == 'h' || c == 's' || c == '年' || c == '月' || c == '日':
			return true
		}
	}
	return false
}

func excelDate(v float64, is1904 bool, code string) string {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if is1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(v)
	secs := math.Round((v - days) * 86400)
	t := base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
	lc := strings.ToLower(code)
	switch {
	case days == 0 && secs > 0:
		return t.Format("15:04:05")
	case secs != 0 || strings.Contains(lc, "h"):
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02")
}

// table builds the aligned grid of a sheet: merged ranges expanded, empty
// rows dropped, rows padded to the sheet width. It returns the grid (nil
// when empty), the cells kept, whether the sheet fit in maxCells, and the
// merged ranges left unexpanded because they exceed the limit.
func (sh *sheet) table(maxCells int, stop *document.Interrupt) (*document.Table, int, bool, int) {
	if len(sh.cells) == 0 {
		return nil, 0, true, 0
	}
	rowIdx := map[int]int{} // sheet row -> grid row
	var rows []int
	width := 0
	for _, c := range sh.cells {
		if _, ok := rowIdx[c.row]; !ok {
			rowIdx[c.row] = 0
			rows = append(rows, c.row)
		}
		width = max(width, c.col+1)
	}
	// Merged ranges add rows only where they overlap stored rows; a range's
	// columns are clamped to the data width.
	slices.Sort(rows)
	for i, r := range rows {
		rowIdx[r] = i
	}
	if int64(len(rows))*int64(width) > int64(maxCells) {
		keep := max(maxCells/max(width, 1), 0)
		rows = rows[:keep]
		if keep == 0 {
			return nil, 0, false, 0
		}
		sh.cells = filterCells(sh.cells, rowIdx, keep)
		tb, over := sh.grid(rows, rowIdx, width, maxCells, stop)
		return tb, len(rows) * width, false, over
	}
	tb, over := sh.grid(rows, rowIdx, width, maxCells, stop)
	return tb, len(rows) * width, true, over
}

func filterCells(cells []cell, rowIdx map[int]int, keep int) []cell {
	out := cells[:0]
	for _, c := range cells {
		if rowIdx[c.row] < keep {
			out = append(out, c)
		}
	}
	return out
}

// grid fills the table. The positions merges fill are charged to a
// budget of maxCells before they are filled: each merge may cover the
// whole grid, and a sheet can hold any number of them. It returns the
// table and how many merges exceeded the budget.
func (sh *sheet) grid(rows []int, rowIdx map[int]int, width, maxCells int, stop *document.Interrupt) (*document.Table, int) {
	tb := &document.Table{Rows: make([][]document.Cell, len(rows))}
	for i := range tb.Rows {
		tb.Rows[i] = make([]document.Cell, width)
	}
	for _, c := range sh.cells {
		if i, ok := rowIdx[c.row]; ok && i < len(rows) && rows[i] == c.row && c.col < width {
			tb.Rows[i][c.col].Text = c.text
		}
	}
	budget, over := maxCells, 0
	for _, m := range sh.merges {
		if stop.Stop() {
			break
		}
		r0, r1, c0, c1 := m[0], m[1], m[2], min(m[3], width-1)
		i0, ok := rowIdx[r0]
		if !ok || i0 >= len(rows) || rows[i0] != r0 || c0 >= width || c1 < c0 {
			continue
		}
		i1, _ := slices.BinarySearch(rows, r1+1) // rows[i0:i1] are in the range
		if area := (i1 - i0) * (c1 - c0 + 1); area > budget {
			over++
			continue
		} else {
			budget -= area
		}
		text := tb.Rows[i0][c0].Text
		for i := i0; i < len(rows) && rows[i] <= r1; i++ {
			for c := c0; c <= c1; c++ {
				if rows[i] == r0 && c == c0 {
					continue
				}
				tb.Rows[i][c] = document.Cell{Text: text, Spanned: true}
			}
		}
	}
	return tb, over
}

// strReader reads BIFF8 strings across CONTINUE boundaries: when the
// characters of a string continue in the next record, that record starts
// with a fresh option byte telling whether they are 8- or 16-bit.
type strReader struct {
	splits int // strings continued in a following record
	parts  [][]byte
	i      int // current part
	off    int // offset in the current part
}

func newStrReader(parts [][]byte) *strReader { return &strReader{parts: parts} }

func (s *strReader) remaining() int {
	n := 0
	for j := s.i; j < len(s.parts); j++ {
		n += len(s.parts[j])
	}
	return n - s.off
}

// next makes sure a byte is available, moving to the next part.
func (s *strReader) next() bool {
	for s.i < len(s.parts) && s.off >= len(s.parts[s.i]) {
		s.i++
		s.off = 0
	}
	return s.i < len(s.parts)
}

func (s *strReader) byte() (byte, bool) {
	if !s.next() {
		return 0, false
	}
	b := s.parts[s.i][s.off]
	s.off++
	return b, true
}

func (s *strReader) skip(n int) bool {
	for ; n > 0; n-- {
		if _, ok := s.byte(); !ok {
			return false
		}
	}
	return true
}

func (s *strReader) u16() (uint16, bool) {
	a, ok1 := s.byte()
	b, ok2 := s.byte()
	return uint16(a) | uint16(b)<<8, ok1 && ok2
}

func (s *strReader) u32() (uint32, bool) {
	a, ok1 := s.u16()
	b, ok2 := s.u16()
	return uint32(a) | uint32(b)<<16, ok1 && ok2
}

// unicodeString reads an XLUnicodeString (rich: XLUnicodeRichExtendedString,
// which may carry formatting runs and phonetic data after the characters).
func (s *strReader) unicodeString(rich bool) (string, bool) {
	cch, ok := s.u16()
	if !ok {
		return "", false
	}
	flags, ok := s.byte()
	if !ok {
		return "", false
	}
	var runs, ext uint32
	if rich && flags&0x08 != 0 {
		r, ok := s.u16()
		if !ok {
			return "", false
		}
		runs = uint32(r)
	}
	if rich && flags&0x04 != 0 {
		if ext, ok = s.u32(); !ok {
			return "", false
		}
	}
	wide := flags&0x01 != 0
	u := make([]uint16, 0, cch)
	for len(u) < int(cch) {
		if s.i < len(s.parts) && s.off >= len(s.parts[s.i]) {
			// Characters continue in the next record after an option byte.
			s.i++
			s.off = 0
			f, ok := s.byte()
			if !ok {
				return "", false
			}
			wide = f&0x01 != 0
			s.splits++
		}
		if wide {
			c, ok := s.u16()
			if !ok {
				return "", false
			}
			u = append(u, c)
		} else {
			c, ok := s.byte()
			if !ok {
				return "", false
			}
			u = append(u, uint16(c))
		}
	}
	// Formatting runs and phonetic data; when they are cut short the string
	// itself is still whole, and the next read fails.
	s.skip(int(runs) * 4)
	s.skip(int(min(ext, 1<<24)))
	return string(utf16.Decode(u)), true
}

// shortString reads a ShortXLUnicodeString (8-bit count) from b.
func shortString(b []byte) (string, bool) {
	if len(b) < 2 {
		return "", false
	}
	n, wide := int(b[0]), b[1]&1 != 0
	b = b[2:]
	if wide {
		if len(b) < 2*n {
			return "", false
		}
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u)), true
	}
	if len(b) < n {
		return "", false
	}
	r := make([]rune, n)
	for i := range r {
		r[i] = rune(b[i])
	}
	return string(r), true
}
