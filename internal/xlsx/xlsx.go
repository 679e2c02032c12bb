// Package xlsx reads Excel 2007+ workbooks (.xlsx) with excelize: every
// sheet becomes one table, merged ranges expanded into spanned cells. Cell
// values come formatted with their number formats, as Excel shows them.
package xlsx

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/zipped"
)

// Read parses an .xlsx workbook. It returns an error only when nothing
// usable could be read; for encrypted files the returned Document carries a
// NoteEncrypted note next to the error.
func Read(ctx context.Context, in document.Input) (doc *document.Document, err error) {
	defer document.Guard(&doc, &err, "xlsx: %s: damaged workbook", in.Source)
	doc, lim, err := document.Begin(in, "xlsx", "xlsx")
	if err != nil {
		return doc, err
	}
	if document.EncryptedOOXML(in.Data) {
		doc.AddNote(document.NoteEncrypted, "工作簿设有密码", "password-protected workbook")
		return doc, fmt.Errorf("xlsx: %s: workbook is encrypted (password protected)", in.Source)
	}
	if !bytes.HasPrefix(in.Data, []byte("PK")) {
		return nil, fmt.Errorf("xlsx: %s is not an XLSX file (%s): %w", in.Source, document.Describe(in.Data), document.ErrUnsupported)
	}
	// Check the package before excelize inflates all of it into memory.
	// Only the relationships and the merged ranges are read through pk:
	// excelize inflates the parts itself under UnzipSizeLimit.
	pk, err := zipped.Open(in.Data, lim.MaxUnpacked)
	if err != nil {
		return nil, fmt.Errorf("xlsx: %s: damaged zip container: %w", in.Source, err)
	}
	if pk.Find("xl/workbook.xml") == nil {
		return nil, fmt.Errorf("xlsx: %s: zip archive without xl/workbook.xml, not a workbook (%s): %w", in.Source, pk.Kind(), document.ErrUnsupported)
	}
	var total uint64
	for _, f := range pk.Files() {
		total += f.UncompressedSize64
	}
	if total > uint64(lim.MaxUnpacked) {
		doc.AddNote(document.NoteLimit, "压缩包解压后有%d字节，超过%d字节的上限", "the archive expands to %d bytes, beyond the %d-byte limit", total, lim.MaxUnpacked)
		return doc, fmt.Errorf("xlsx: %s: archive expands to %d bytes, beyond the %d-byte limit", in.Source, total, lim.MaxUnpacked)
	}

	f, err := excelize.OpenReader(bytes.NewReader(in.Data), excelize.Options{
		UnzipSizeLimit: lim.MaxUnpacked,
		// Equal limits keep excelize from spilling big sheets to temp files.
		UnzipXMLSizeLimit: lim.MaxUnpacked,
	})
	if err != nil {
		return nil, fmt.Errorf("xlsx: %s: cannot open workbook: %w", in.Source, err)
	}
	defer f.Close()

	if p, err := f.GetDocProps(); err == nil && p != nil {
		doc.Title = document.MeaningfulTitle(p.Title)
		for _, m := range []document.Meta{{Label: "property:author", Value: p.Creator}, {Label: "property:created", Value: p.Created}, {Label: "property:modified", Value: p.Modified}} {
			if m.Value = strings.TrimSpace(m.Value); m.Value != "" {
				doc.Meta = append(doc.Meta, m)
			}
		}
	}

	cells := 0
	parts := sheetParts(f, pk)
	for _, sheet := range f.GetSheetList() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("xlsx: %s: %w", in.Source, err)
		}
		tb, n, full, tooLarge, over, err := readSheet(ctx, f, pk, parts[sheet], sheet, lim.MaxCells-cells)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("xlsx: %s: %w", in.Source, ctx.Err())
			}
			doc.AddNote(document.NoteCorrupt, "工作表%q未能完整读取：%v", "sheet %q could not be read completely: %v", sheet, err)
		}
		cells += n
		if tb != nil {
			doc.Blocks = append(doc.Blocks, document.Block{Table: tb})
		}
		if over > 0 {
			some := strings.Join(tooLarge, ", ")
			if over > len(tooLarge) {
				some += "…"
			}
			doc.AddNote(document.NoteLimit, "工作表%[1]q有%[2]d个合并单元格（%[3]s）超出%[4]d个单元格的限制，未展开",
				"%[2]d merged ranges of sheet %[1]q (%[3]s) exceed the limit of %[4]d cells and were not expanded", sheet, over, some, lim.MaxCells)
		}
		if !full {
			doc.AddNote(document.NoteLimit, "超过%d个上限的表格单元格被舍弃（工作表%q）", "table cells beyond the limit of %d were dropped (sheet %q)", lim.MaxCells, sheet)
			break
		}
	}
	if len(doc.Blocks) == 0 {
		doc.AddNote(document.NoteNoText, "工作簿没有单元格内容", "the workbook has no cell values")
	}
	if doc.Title == "" {
		doc.Title = document.FirstCell(doc)
	}
	return doc, nil
}

// readSheet returns the sheet as an aligned grid (nil when empty), the
// number of cells kept, whether the whole sheet fit within maxCells, and
// the merged ranges too large to expand (at most three) with their count.
func readSheet(ctx context.Context, f *excelize.File, pk *zipped.Package, part, sheet string, maxCells int) (*document.Table, int, bool, []string, int, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, 0, true, nil, 0, err
	}
	defer rows.Close()
	stop := document.NewInterrupt(ctx)
	// Rows are kept by index and only when they hold cells: a sheet can
	// name row 1048576 and leave the million rows before it empty.
	grid := map[int][]document.Cell{}
	n, raw, full := 0, 0, true
	for ; rows.Next(); n++ {
		if stop.Stop() {
			return nil, 0, true, nil, 0, stop.Err()
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, 0, true, nil, 0, err
		}
		if len(cols) == 0 {
			continue
		}
		if raw += len(cols); raw > maxCells {
			full = false
			break
		}
		row := make([]document.Cell, len(cols))
		for j, v := range cols {
			row[j].Text = document.CleanLine(v)
		}
		grid[n] = row
	}
	if err := rows.Error(); err != nil {
		return nil, 0, true, nil, 0, err
	}
	merges, err := mergeRanges(pk, part, stop)
	if err != nil {
		return nil, 0, full, nil, 0, err
	}
	widest := 0
	for _, r := range grid {
		widest = max(widest, len(r))
	}
	// The positions a merge fills are charged to a budget of maxCells
	// before they are filled: a 1.5 KB sheet can merge A1:XFD1048576, 17
	// billion cells.
	budget := int64(maxCells)
	var tooLarge []string
	over := 0
	for _, m := range merges {
		if stop.Stop() {
			return nil, 0, true, nil, 0, stop.Err()
		}
		c0, r0, c1, r1, ok := bounds(m)
		if !ok || r0 > n+1 {
			continue // damaged, or beyond the rows read
		}
		// A range reaching past the data (A1:XFD1048576) is clamped to it.
		// Rows past the last stored row exist only through the merge; a few
		// are kept (a note merged over two rows), not a million.
		c1 = min(c1, max(widest, c0))
		r1 = min(r1, max(n, r0)+64)
		if area := int64(r1-r0+1) * int64(c1-c0+1); area > budget {
			if over++; len(tooLarge) < 3 {
				tooLarge = append(tooLarge, m)
			}
			continue
		} else {
			budget -= area
		}
		n = max(n, r1)
		text := ""
		if first := grid[r0-1]; c0-1 < len(first) {
			text = first[c0-1].Text
		}
		for r := r0; r <= r1; r++ {
			row := grid[r-1]
			for len(row) < c1 {
				row = append(row, document.Cell{})
			}
			for c := c0; c <= c1; c++ {
				if r != r0 || c != c0 {
					row[c-1] = document.Cell{Text: text, Spanned: true}
				}
			}
			grid[r-1] = row
		}
	}
	tb, kept, fit := trimGrid(grid, n, maxCells)
	return tb, kept, full && fit, tooLarge, over, nil
}

// bounds reads a range "A1:C3" as 1-based columns and rows.
func bounds(ref string) (c0, r0, c1, r1 int, ok bool) {
	from, to, found := strings.Cut(ref, ":")
	if !found {
		return 0, 0, 0, 0, false
	}
	c0, r0, err1 := excelize.CellNameToCoordinates(from)
	c1, r1, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil || r1 < r0 || c1 < c0 {
		return 0, 0, 0, 0, false
	}
	return c0, r0, c1, r1, true
}

// sheetParts maps the workbook's sheet names to their parts, through the
// workbook's relationships. excelize keeps the map to itself, and its
// GetMergeCells would load the whole sheet, filling every row and column
// up to the last cell named: a few rows with a cell at XFD cost gigabytes.
func sheetParts(f *excelize.File, pk *zipped.Package) map[string]string {
	out := map[string]string{}
	rf := pk.Find("xl/_rels/workbook.xml.rels")
	if rf == nil || rf.UncompressedSize64 > 4<<20 || f.WorkBook == nil {
		return out
	}
	data, err := pk.ReadAll(rf)
	if err != nil {
		return out
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(data, &rels) != nil {
		return out
	}
	targets := map[string]string{}
	for _, r := range rels.Rel {
		t := strings.ReplaceAll(r.Target, "\\", "/")
		if strings.HasPrefix(t, "/") {
			t = path.Clean(strings.TrimPrefix(t, "/"))
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	for _, sh := range f.WorkBook.Sheets.Sheet {
		if t, ok := targets[sh.ID]; ok {
			out[sh.Name] = t
		}
	}
	return out
}

// mergeRanges lists the refs of the <mergeCell> elements of a sheet part,
// streaming it tag by tag.
func mergeRanges(pk *zipped.Package, part string, stop *document.Interrupt) ([]string, error) {
	zf := pk.Find(part)
	if part == "" || zf == nil {
		return nil, nil
	}
	rc, err := pk.Open(zf)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	var out []string
	for !stop.Stop() {
		if _, err := br.ReadSlice('<'); err != nil {
			if err == bufio.ErrBufferFull {
				continue
			}
			return out, ignoreEOF(err)
		}
		tag, err := br.ReadSlice('>')
		switch {
		case err == bufio.ErrBufferFull:
			continue // a tag longer than the buffer is no mergeCell
		case err != nil:
			return out, ignoreEOF(err)
		}
		name, attrs, _ := bytes.Cut(tag, []byte(" "))
		if _, local, ok := bytes.Cut(name, []byte(":")); ok {
			name = local
		}
		if string(name) != "mergeCell" {
			continue
		}
		if m := refAttr.FindSubmatch(attrs); m != nil {
			out = append(out, string(m[1]))
		}
	}
	return out, stop.Err()
}

var refAttr = regexp.MustCompile(`(?:^|\s)ref\s*=\s*["']([^"']*)["']`)

func ignoreEOF(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

// trimGrid turns the first n rows of the sparse grid into a table: empty
// rows dropped, the rest padded to the width of the widest non-empty row,
// at most maxCells positions. It returns the table (nil when empty), the
// cells kept and whether all fit.
func trimGrid(grid map[int][]document.Cell, n, maxCells int) (*document.Table, int, bool) {
	width := 0
	for _, r := range grid {
		for j := len(r) - 1; j >= 0; j-- {
			if r[j].Text != "" || r[j].Spanned {
				width = max(width, j+1)
				break
			}
		}
	}
	idx := make([]int, 0, len(grid))
	for i := range grid {
		if i < n {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	tb := &document.Table{}
	kept, full := 0, true
	for _, i := range idx {
		r := grid[i]
		empty := true
		for _, c := range r {
			if c.Text != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		if kept+width > maxCells {
			full = false
			break
		}
		row := make([]document.Cell, width)
		copy(row, r)
		tb.Rows = append(tb.Rows, row)
		kept += width
	}
	if len(tb.Rows) == 0 {
		return nil, 0, full
	}
	return tb, kept, full
}
