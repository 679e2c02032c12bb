// Package xlsx reads Excel 2007+ workbooks (.xlsx) with excelize: every
// sheet becomes one table, merged ranges expanded into spanned cells. Cell
// values come formatted with their number formats, as Excel shows them.
package xlsx

import (
	"bytes"
	"context"
	"fmt"
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
	// Nothing is read through pk, so its budget is not charged: excelize
	// inflates the parts itself under UnzipSizeLimit.
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
	for _, sheet := range f.GetSheetList() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("xlsx: %s: %w", in.Source, err)
		}
		tb, n, full, err := readSheet(ctx, f, sheet, lim.MaxCells-cells)
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
// number of cells kept, and whether the whole sheet fit within maxCells.
func readSheet(ctx context.Context, f *excelize.File, sheet string, maxCells int) (*document.Table, int, bool, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, 0, true, err
	}
	defer rows.Close()
	var grid [][]document.Cell
	raw, full := 0, true
	for i := 0; rows.Next(); i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, 0, true, ctx.Err()
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, 0, true, err
		}
		if raw += len(cols); raw > maxCells {
			full = false
			break
		}
		row := make([]document.Cell, len(cols))
		for j, v := range cols {
			row[j].Text = document.CleanLine(v)
		}
		grid = append(grid, row)
	}
	if err := rows.Error(); err != nil {
		return nil, 0, true, err
	}
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, 0, full, err
	}
	widest := 0
	for _, r := range grid {
		widest = max(widest, len(r))
	}
	for _, m := range merges {
		c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 < r0 || c1 < c0 {
			continue
		}
		// A range reaching past the data (A1:XFD1048576) is clamped to it.
		// Rows past the last stored row exist only through the merge; a few
		// are kept (a note merged over two rows), not a million.
		c1 = min(c1, max(widest, c0))
		r1 = min(r1, max(len(grid), r0)+64)
		for len(grid) < r1 && len(grid) >= r0-1 {
			grid = append(grid, nil)
		}
		text := ""
		if r0-1 < len(grid) && c0-1 < len(grid[r0-1]) {
			text = grid[r0-1][c0-1].Text
		}
		for r := r0; r <= r1 && r <= len(grid); r++ {
			for c := c0; c <= c1; c++ {
				if r == r0 && c == c0 {
					continue
				}
				row := grid[r-1]
				for len(row) < c {
					row = append(row, document.Cell{})
				}
				row[c-1] = document.Cell{Text: text, Spanned: true}
				grid[r-1] = row
			}
		}
	}
	return trimGrid(grid, maxCells)
}

// trimGrid drops empty rows, pads the rest to the width of the widest
// non-empty row, and enforces maxCells.
func trimGrid(grid [][]document.Cell, maxCells int) (*document.Table, int, bool, error) {
	width := 0
	for _, r := range grid {
		for j := len(r) - 1; j >= 0; j-- {
			if r[j].Text != "" || r[j].Spanned {
				width = max(width, j+1)
				break
			}
		}
	}
	tb := &document.Table{}
	n, full := 0, true
	for _, r := range grid {
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
		if n+width > maxCells {
			full = false
			break
		}
		row := make([]document.Cell, width)
		copy(row, r)
		tb.Rows = append(tb.Rows, row)
		n += width
	}
	if len(tb.Rows) == 0 {
		return nil, 0, full, nil
	}
	return tb, n, full, nil
}
