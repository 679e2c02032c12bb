// Package textdoc reads plain-text reports: copies of web pages with tables
// flattened as "a | b | c" lines (header rows split over several lines), and
// text extracted from PDFs, where a table row is a label followed by
// whitespace-separated numbers.
package textdoc

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ogicheck/ogicheck/internal/charset"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/norm"
	"github.com/ogicheck/ogicheck/internal/num"
)

// maxLine bounds one line; longer lines are split rather than rejected.
const maxLine = 1 << 20

// Read parses a text file. Bytes are decoded like HTML (BOM, detection,
// GB18030 fallback).
func Read(ctx context.Context, in document.Input) (*document.Document, error) {
	lim := in.Limits.WithDefaults()
	data := in.Data
	d := &document.Document{Source: in.Source, Format: "text"}
	if int64(len(data)) > lim.MaxBytes {
		data = charset.Cut(data, int(lim.MaxBytes))
		d.AddNote(document.NoteLimit, "文件大于%d字节，只读取了前面部分", "file larger than %d bytes: only the first part was read", lim.MaxBytes)
	}
	dec := charset.Decode(data, in.ContentType)
	d.Charset = dec.Label
	if dec.Repaired > 0 {
		d.Notes = append(d.Notes, document.RepairedUTF8(dec.Repaired))
	}
	if err := parse(ctx, d, dec.Text, lim); err != nil {
		return nil, fmt.Errorf("read text %s: %w", in.Source, err)
	}
	return d, nil
}

func parse(ctx context.Context, d *document.Document, text []byte, lim document.Limits) error {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 64<<10), maxLine)
	sc.Split(scanLines)
	var lines []string
	for sc.Scan() {
		if len(lines)&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return err
	}

	var table *document.Table
	cells := 0
	endTable := func() {
		if table != nil {
			d.Blocks = append(d.Blocks, document.Block{Table: table})
			table = nil
		}
	}
	addRow := func(row []document.Cell, compact bool) bool {
		if cells += len(row); cells > lim.MaxCells {
			if cells-len(row) <= lim.MaxCells {
				d.AddNote(document.NoteLimit, "表格单元格超过%d个，其余部分按文字读取", "more than %d table cells: the rest read as text", lim.MaxCells)
			}
			return false
		}
		if table != nil && table.Compact != compact {
			endTable()
		}
		if table == nil {
			table = &document.Table{Ragged: true, Compact: compact}
		}
		table.Rows = append(table.Rows, row)
		return true
	}
	// run collects the values of cells copied one per line: a line holding
	// a number alone, then the next… form one row of values (the empty
	// cells are gone, so the row is compact).
	var run []document.Cell
	endRun := func() {
		if len(run) > 0 && !addRow(run, true) {
			for _, c := range run {
				d.Blocks = append(d.Blocks, document.Block{Text: c.Text})
			}
		}
		run = nil
	}
	var paras []string
	stop := document.NewInterrupt(ctx)
	for _, raw := range lines {
		if stop.Stop() {
			return stop.Err()
		}
		raw = markdown(raw)
		line := norm.Clean(raw)
		if line == "" || pageNumber(line) {
			continue
		}
		if cellLine(line) {
			if len(run) == 0 {
				endTable()
			}
			run = append(run, document.Cell{Text: line})
			continue
		}
		endRun()
		if row, compact, ok := tableRow(raw); ok && addRow(row, compact) {
			continue
		}
		endTable()
		line = norm.JoinCJK(line)
		d.Blocks = append(d.Blocks, document.Block{Text: line})
		paras = append(paras, line)
	}
	endRun()
	endTable()

	// The dates printed in the text are read by the analysis, as for
	// every format.
	d.Title = title(paras)
	return nil
}

// scanLines splits on \n, \r\n and lone \r (old Mac and some converters),
// and cuts overlong lines instead of failing.
func scanLines(data []byte, atEOF bool) (int, []byte, error) {
	for i, c := range data {
		switch c {
		case '\n':
			return i + 1, data[:i], nil
		case '\r':
			if i+1 < len(data) {
				if data[i+1] == '\n' {
					return i + 2, data[:i], nil
				}
				return i + 1, data[:i], nil
			}
			if atEOF {
				return i + 1, data[:i], nil
			}
			return 0, nil, nil // need one more byte to see \r\n
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	if len(data) >= maxLine {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// tableRow recognises the flattened table forms: "a | b | c" (cells in
// their places, empty ones kept), and "label 1 2 3" with at least two
// trailing numeric tokens, or one set off by a wide gap as PDF layout text
// prints a one-column row, and a row of only numbers. Rows split on
// whitespace are compact: their empty cells are gone.
func tableRow(raw string) (row []document.Cell, compact, ok bool) {
	if strings.Contains(raw, "|") {
		parts := strings.Split(raw, "|")
		row := make([]document.Cell, 0, len(parts))
		for _, p := range parts {
			row = append(row, document.Cell{Text: norm.JoinCJK(norm.Clean(p))})
		}
		// a trailing "|" ends the last cell; it does not open a new one
		if len(row) > 1 && row[len(row)-1].Text == "" && strings.HasSuffix(strings.TrimSpace(raw), "|") {
			row = row[:len(row)-1]
		}
		return row, false, len(row) > 1
	}
	fields := strings.Fields(strings.ReplaceAll(raw, "\u3000", " "))
	n := 0
	for i := len(fields) - 1; i >= 0; i-- {
		v := num.Parse(fields[i])
		if v.Kind == num.Text || (v.Kind == num.Blank && fields[i] != "-" && fields[i] != "—" && fields[i] != "/") {
			break
		}
		n++
	}
	if n == 0 || (n == 1 && (len(fields) == 1 || !wideGap(raw, fields[len(fields)-1]))) {
		return nil, false, false
	}
	label := norm.JoinCJK(norm.Clean(strings.Join(fields[:len(fields)-n], " ")))
	// A sentence that ends in numbers ("…共计 2019 2020") is prose, not a row.
	if strings.ContainsAny(label, "。；;") || len([]rune(label)) > 80 {
		return nil, false, false
	}
	if n == 1 && (len([]rune(label)) > 30 || strings.ContainsAny(label, "，,：:") || !strings.ContainsFunc(label, norm.CJK)) {
		return nil, false, false
	}
	if label != "" {
		row = append(row, document.Cell{Text: label})
	}
	for _, f := range fields[len(fields)-n:] {
		row = append(row, document.Cell{Text: f})
	}
	return row, true, true
}

// wideGap reports whether the last token stands after two or more spaces
// (or a tab or ideographic space): a column of layout text, not a number
// ending a phrase ("电话 0517").
func wideGap(raw, last string) bool {
	i := strings.LastIndex(raw, last)
	if i < 0 {
		return false
	}
	gap := raw[:i]
	trimmed := strings.TrimRight(gap, " \t\u3000")
	ws := gap[len(trimmed):]
	return strings.Count(ws, " ") >= 2 || strings.ContainsAny(ws, "\t\u3000")
}

// cellLine reports a line holding one value alone: a number, or a dash or
// slash written for nothing (never 无, which is also a whole answer).
func cellLine(line string) bool {
	if strings.ContainsAny(line, " ") {
		return false
	}
	switch line {
	case "-", "—", "/", "－", "／", "--", "——":
		return true
	}
	v := num.Parse(line)
	return v.Kind == num.Number
}

// pageNumber reports a page number or footer line: 「-4-」, 「— 5 —」,
// 「第 3 页」, 「第3页 共5页」.
func pageNumber(line string) bool {
	return pageNumberRe.MatchString(line)
}

var pageNumberRe = regexp.MustCompile(`^(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|共\s*\d{1,3}\s*页\s*[,，/]?\s*第\s*\d{1,3}\s*页)$`)

// markdown strips what Markdown and OCR output add to text: heading marks
// (「# 一、总体情况」), bold marks around a line, and the separator row of
// a pipe table, which becomes an empty line.
func markdown(raw string) string {
	t := strings.TrimSpace(raw)
	if t == "" {
		return raw
	}
	switch t[0] {
	case '#':
		if h := strings.TrimLeft(t, "#"); len(t)-len(h) <= 6 && (h == "" || h[0] == ' ' || h[0] == '\t') {
			return strings.TrimSpace(h)
		}
	case '*':
		if strings.HasPrefix(t, "**") && strings.HasSuffix(t, "**") && len(t) > 4 {
			return t[2 : len(t)-2]
		}
	case '|', '-', ':':
		if separatorRe.MatchString(t) {
			return ""
		}
	}
	return raw
}

var separatorRe = regexp.MustCompile(`^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$`)

// title is the first line, joined with the second when a heading was
// broken over two lines ("红桥区市场监管局2019年" / "政务公开工作要点").
func title(paras []string) string {
	// a breadcrumb line opening a copied page is not the title, though its
	// last step may be
	for len(paras) > 0 {
		last, crumb := norm.Uncrumb(paras[0])
		if !crumb {
			break
		}
		if last != "" && len(paras) == 1 {
			return last
		}
		paras = paras[1:]
	}
	if len(paras) == 0 {
		return ""
	}
	t := paras[0]
	if len(paras) > 1 {
		next := paras[1]
		short := len([]rune(next)) <= 30 && !strings.ContainsAny(next, "。，,：:；")
		if short && (strings.HasSuffix(t, "年") || strings.HasSuffix(t, "年度") ||
			strings.HasPrefix(next, "政府信息公开") || strings.HasPrefix(next, "政务公开") ||
			strings.HasPrefix(next, "20")) && len([]rune(t)) <= 40 {
			t += next
		}
	}
	if len([]rune(t)) > 120 {
		return string([]rune(t)[:120])
	}
	return t
}
