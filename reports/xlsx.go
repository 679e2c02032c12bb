package reports

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ogicheck/ogicheck/result"
)

// xlsxRow is one finding as a spreadsheet row, before neutralisation.
type xlsxRow struct {
	region string
	cells  []any // strings, and the year as an int
}

// maxSheetName is Excel's limit on a sheet name's length, in characters.
const maxSheetName = 31

// writeXLSX writes a workbook with one sheet per region (one sheet named
// after the findings when no region is known), one row per finding, the
// header frozen and filters on every column. Every text cell goes through
// csvCell: a value from a page that starts with = + - @ stays text even
// when the sheet is exported to CSV and opened again.
func writeXLSX(w *bytes.Buffer, v *view) error {
	t := v.t
	header := []string{
		t.hAgency, t.hRegion, t.hSite, t.hSource, t.hYear, t.hKind, t.hRule, t.hCategory, t.hSeverity, t.hMessage,
		t.hTable, t.hRow, t.hColumn, t.hExpected, t.hActual, t.hSnippet,
		t.hReview, t.hReviewer, t.hReviewedAt, t.hReason,
	}
	widths := []float64{28, 12, 30, 40, 8, 12, 16, 16, 8, 60, 8, 24, 16, 24, 24, 40, 10, 12, 18, 30}

	var rows []xlsxRow
	for _, r := range v.findingRows() {
		var year any = ""
		if r.year > 0 {
			year = r.year
		}
		c := r.cells(v) // rule … snippet, region, review
		row := []any{r.agency, c[10], r.siteURL, r.source, year, r.kind}
		for _, s := range c[:10] {
			row = append(row, s)
		}
		for _, s := range c[11:] {
			row = append(row, s)
		}
		rows = append(rows, xlsxRow{region: c[10], cells: row})
	}

	// One sheet per region, in name order, the region-less last; without
	// regions at all, one sheet.
	var regions []string
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.region] {
			seen[r.region] = true
			regions = append(regions, r.region)
		}
	}
	slices.SortFunc(regions, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "":
			return 1
		case b == "":
			return -1
		}
		return strings.Compare(a, b)
	})
	if v.opts.Regions == nil || len(regions) == 0 {
		regions = []string{""}
	}

	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx header style: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return fmt.Errorf("xlsx cell style: %w", err)
	}
	names := sheetNames(regions, v)
	for i, region := range regions {
		name := names[i]
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("xlsx sheet %q: %w", name, err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
		for c, wd := range widths {
			if err := sw.SetColWidth(c+1, c+1, wd); err != nil {
				return fmt.Errorf("xlsx column width: %w", err)
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("xlsx freeze header: %w", err)
		}
		hdr := make([]any, len(header))
		for c, h := range header {
			hdr[c] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A1", hdr); err != nil {
			return fmt.Errorf("xlsx header: %w", err)
		}
		n := 1
		for _, r := range rows {
			if len(regions) > 1 && r.region != region {
				continue
			}
			n++
			vals := make([]any, len(r.cells))
			for c, val := range r.cells {
				if s, ok := val.(string); ok {
					val = xlsxText(s)
				}
				vals[c] = excelize.Cell{StyleID: wrap, Value: val}
			}
			if err := sw.SetRow("A"+strconv.Itoa(n), vals); err != nil {
				return fmt.Errorf("xlsx row %d of %q: %w", n, name, err)
			}
		}
		last, err := excelize.CoordinatesToCellName(len(header), max(n, 2))
		if err != nil {
			return fmt.Errorf("xlsx range: %w", err)
		}
		off := false
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Findings" + strconv.Itoa(i+1),
			StyleName: "TableStyleLight1", ShowRowStripes: &off}); err != nil {
			return fmt.Errorf("xlsx filters of %q: %w", name, err)
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
	}
	if err := uncheckedSheet(f, v, names, bold, wrap); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: t.title, Creator: oneLine(v.res.Tool), Language: t.htmlLang}); err != nil {
		return fmt.Errorf("xlsx properties: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// uncheckedSheet adds a sheet of the sites that could not be checked, with
// the reason: they have no finding rows, and a region's sheet would
// otherwise leave them out without a word. No sheet when there are none.
func uncheckedSheet(f *excelize.File, v *view, used []string, bold, wrap int) error {
	t := v.t
	var rows [][]any
	for _, s := range v.res.Sites {
		if s.Unchecked == (result.Text{}) {
			continue
		}
		rows = append(rows, []any{xlsxText(s.Agency), xlsxText(v.region(s.URL)), xlsxText(s.URL), xlsxText(s.Unchecked.In(v.opts.Lang))})
	}
	if len(rows) == 0 {
		return nil
	}
	name := t.hUnchecked
	for k := 2; slices.ContainsFunc(used, func(u string) bool { return strings.EqualFold(u, name) }); k++ {
		name = t.hUnchecked + " (" + strconv.Itoa(k) + ")"
	}
	if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("xlsx sheet %q: %w", name, err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("xlsx sheet %q: %w", name, err)
	}
	for c, wd := range []float64{28, 12, 30, 60} {
		if err := sw.SetColWidth(c+1, c+1, wd); err != nil {
			return fmt.Errorf("xlsx column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx freeze header: %w", err)
	}
	hdr := []any{excelize.Cell{StyleID: bold, Value: t.hAgency}, excelize.Cell{StyleID: bold, Value: t.hRegion},
		excelize.Cell{StyleID: bold, Value: t.hSite}, excelize.Cell{StyleID: bold, Value: t.hUnchecked}}
	if err := sw.SetRow("A1", hdr); err != nil {
		return fmt.Errorf("xlsx header: %w", err)
	}
	for i, r := range rows {
		for c := range r {
			r[c] = excelize.Cell{StyleID: wrap, Value: r[c]}
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), r); err != nil {
			return fmt.Errorf("xlsx row %d of %q: %w", i+2, name, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx sheet %q: %w", name, err)
	}
	return nil
}

// xlsxText is untrusted text for a cell: cleaned, formula-neutralised as in
// CSV, and cut to Excel's limit of 32,767 characters per cell.
func xlsxText(s string) string {
	s = csvCell(s)
	if r := []rune(s); len(r) > excelize.TotalCellChars {
		s = string(r[:excelize.TotalCellChars-1]) + "…"
	}
	return s
}

// sheetNames makes a valid, unique sheet name for each region: no
// : \ / ? * [ ], no leading or trailing apostrophe, at most 31 characters,
// unique regardless of case.
func sheetNames(regions []string, v *view) []string {
	out := make([]string, len(regions))
	used := map[string]bool{}
	for i, r := range regions {
		name := oneLine(r)
		if v.opts.Regions == nil {
			name = v.t.findings
		} else if name == "" {
			name = v.t.noRegion
		}
		name = strings.Map(func(c rune) rune {
			if strings.ContainsRune(`:\/?*[]`, c) {
				return '_'
			}
			return c
		}, name)
		name = strings.Trim(name, "' ")
		if name == "" || strings.EqualFold(name, "History") {
			name = "_" + name
		}
		name = cutRunes(name, maxSheetName)
		base := name
		for k := 2; used[strings.ToLower(name)]; k++ {
			suffix := " (" + strconv.Itoa(k) + ")"
			name = cutRunes(base, maxSheetName-len(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
