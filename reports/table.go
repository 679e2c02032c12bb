package reports

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/clipperhouse/uax29/v2/graphemes"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/ogicheck/ogicheck/result"
)

// ANSI colours of the severity cells, used only with Options.Color.
var sevColor = map[result.Severity]string{
	result.SeverityError:   "\x1b[1;31m",
	result.SeverityWarning: "\x1b[33m",
	result.SeverityInfo:    "\x1b[36m",
}

const ansiReset = "\x1b[0m"

// writeTable renders the terminal view: per site a summary and its
// findings, per document a header line and a findings table, then totals.
// Every string from a page goes through termText, so the page cannot move
// the cursor, recolour the terminal or break the table's alignment.
func writeTable(w *bytes.Buffer, v *view) error {
	t := v.t
	// Widths are measured before each table is built, so set what
	// WithEastAsian(tw.Off) sets (a process-wide switch) up front.
	tb := newTable(w)
	colon := t.colon
	field := func(label, value string) string { return label + colon + value }

	nSites, nDocs := len(v.res.Sites), len(v.res.Documents)
	site, doc := 0, 0
	for _, g := range v.groups() {
		if s := g.site; s != nil {
			site++
			title := termText(s.URL)
			if s.Agency != "" {
				title += t.paren(termText(s.Agency))
			}
			fmt.Fprintf(w, "%s %d/%d%s%s\n", t.site, site, nSites, colon, title)
			if s.Unchecked != (result.Text{}) {
				fmt.Fprintf(w, "  %s\n", field(t.hUnchecked, termText(s.Unchecked.In(v.opts.Lang))))
			}
			col := t.none
			if s.Column != "" {
				col = t.from(termText(s.Column), termText(s.ColumnFrom))
			}
			line := []string{
				field(t.hColumnFound, col),
				field(t.hPages, itoa(s.Pages)),
				field(t.hBytes, humanBytes(s.Bytes)),
			}
			if s.NotModified > 0 {
				line = append(line, field(t.hNotModified, itoa(s.NotModified)))
			}
			if s.Duration != "" {
				line = append(line, field(t.hDuration, termText(s.Duration)))
			}
			fmt.Fprintf(w, "  %s\n", strings.Join(line, "  "))
			errs := t.none
			if cs := v.errorsByClass(s); len(cs) > 0 {
				parts := make([]string, len(cs))
				for i, c := range cs {
					parts[i] = termText(c.Label) + " " + itoa(c.Count)
				}
				errs = strings.Join(parts, t.comma)
			}
			fmt.Fprintf(w, "  %s\n", field(t.hFetchErrors, errs))
			years := t.none
			if ys := reportsPerYear(s); len(ys) > 0 {
				parts := make([]string, len(ys))
				for i, y := range ys {
					parts[i] = t.yearLabel(y.Year) + strings.TrimSpace(t.colon) + itoa(y.Count)
				}
				years = strings.Join(parts, t.comma)
			}
			fmt.Fprintf(w, "  %s\n", field(t.hReportsPerYear, years))
			if err := v.findingsTable(w, tb, s.Findings, true); err != nil {
				return fmt.Errorf("site %s: %w", s.URL, err)
			}
			w.WriteString("\n")
		}
		for _, d := range g.docs {
			doc++
			title := termText(d.Title)
			if title == "" {
				title = termText(d.Source)
			}
			fmt.Fprintf(w, "%s %d/%d%s%s\n", t.document, doc, nDocs, colon, title)
			published := t.str(d.Published)
			if d.Deadline != nil && *d.Deadline != "" {
				published += t.paren(field(t.hDeadline, *d.Deadline))
			}
			agency := t.unknown
			if d.Agency != "" {
				agency = termText(d.Agency)
			}
			line := []string{
				field(t.hSource, termText(d.Source)),
				field(t.hKind, t.kind(d.Kind)),
				field(t.hAgency, agency+t.paren(t.level(d.AgencyLevel))),
				field(t.hYear, t.year(d.Year)),
				field(t.hTemplate, t.template(d.Template)),
				field(t.hPublished, termText(published)),
			}
			fmt.Fprintf(w, "  %s\n", strings.Join(line, "  "))
			if d.Kind != result.KindAnnualReport && d.KindReason != "" {
				fmt.Fprintf(w, "  %s\n", field(t.kindReason, termText(d.KindReason)))
			}
			if d.Error != "" {
				fmt.Fprintf(w, "  %s\n", field(t.readError, termText(d.Error)))
			}
			if err := v.findingsTable(w, tb, d.Findings, false); err != nil {
				return fmt.Errorf("document %s: %w", d.Source, err)
			}
			w.WriteString("\n")
		}
	}
	w.WriteString(v.totals() + "\n")
	return nil
}

// newTable makes the one table writer a view uses, Reset between boxes:
// NewTable allocates a large cache.
func newTable(w *bytes.Buffer) *tablewriter.Table {
	twwidth.SetEastAsian(false)
	return tablewriter.NewTable(w,
		// East Asian mode is otherwise guessed from LANG/TERM and then
		// counts the box-drawing characters double: always off.
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		// Cells arrive wrapped by wrapCell: tablewriter's own wrapping
		// drops CJK text that has no spaces (WrapNormal) or marks breaks
		// with an East-Asian-ambiguous arrow (WrapBreak).
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
}

// findingsTable draws one box of findings with tb, or a "no findings" line.
func (v *view) findingsTable(w *bytes.Buffer, tb *tablewriter.Table, fs []result.Finding, withURL bool) error {
	t := v.t
	if len(fs) == 0 {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(t.paren(t.noFindings)))
		return nil
	}
	header := []string{t.hSeverity, t.hRule, t.hMessage, t.hWhere, t.hExpected, t.hActual}
	rows := make([][]string, len(fs))
	for i, f := range fs {
		rows[i] = []string{
			termText(t.severity(f.Severity)),
			termText(f.Rule),
			termText(f.Message),
			termText(t.where(f.Evidence, withURL)),
			termText(f.Evidence.Expected),
			termText(f.Evidence.Actual),
		}
	}
	caps := columnCaps(header, rows, v.opts.Width)
	tb.Reset()
	tb.Header(header)
	for i, r := range rows {
		cells := make([]string, len(r))
		for j, c := range r {
			cells[j] = strings.Join(wrapCell(c, caps[j]), "\n")
		}
		if v.opts.Color {
			if col, ok := sevColor[fs[i].Severity]; ok {
				cells[0] = col + cells[0] + ansiReset
			}
		}
		if err := tb.Append(cells); err != nil {
			return fmt.Errorf("add table row: %w", err)
		}
	}
	if err := tb.Render(); err != nil {
		return fmt.Errorf("render table: %w", err)
	}
	return nil
}

// Upper bounds of the narrow columns (rule, where, expected, actual); the
// message column takes what is left of the line width.
var narrowCaps = [...]int{1: 22, 3: 26, 4: 14, 5: 14}

// columnCaps returns the wrap width of each column: its natural width
// (widest cell) bounded by narrowCaps, the message column getting the rest
// of width, but never below 20 or any header.
func columnCaps(header []string, rows [][]string, width int) []int {
	nat := make([]int, len(header))
	for j, h := range header {
		nat[j] = twwidth.Width(h)
	}
	for _, r := range rows {
		for j, c := range r {
			nat[j] = max(nat[j], twwidth.Width(c))
		}
	}
	caps := make([]int, len(header))
	used := 3*len(header) + 1 // borders and one space of padding each side
	for j := range caps {
		caps[j] = nat[j]
		if j < len(narrowCaps) && narrowCaps[j] > 0 {
			caps[j] = max(min(nat[j], narrowCaps[j]), twwidth.Width(header[j]))
		}
		if j != 2 {
			used += caps[j]
		}
	}
	caps[2] = max(min(nat[2], width-used), 20, twwidth.Width(header[2]))
	return caps
}

// closing punctuation may hang past the wrap width rather than start a line.
const closing = "，。、；：！？）」』】》〉,.;:!?)]}%"

// wrapCell breaks one line of text into lines of at most width columns as
// twwidth measures them: Latin words break at spaces, CJK text between any
// two characters, and a word longer than the width is cut. Grapheme
// clusters are never split.
func wrapCell(s string, width int) []string {
	if s == "" || twwidth.Width(s) <= width {
		return []string{s}
	}
	var (
		lines []string
		line  strings.Builder
		lw    int
		word  []string // graphemes of the pending Latin word
		ww    int
		space bool // a space is pending before the next token
	)
	newline := func() {
		lines = append(lines, line.String())
		line.Reset()
		lw = 0
		space = false
	}
	put := func(g string, gw int) {
		if space && lw > 0 {
			if lw+1+gw <= width {
				line.WriteByte(' ')
				lw++
			} else {
				newline()
			}
		}
		space = false
		if lw > 0 && lw+gw > width && !strings.Contains(closing, g) {
			newline()
		}
		line.WriteString(g)
		lw += gw
	}
	flush := func() {
		if len(word) == 0 {
			return
		}
		need := ww
		if space && lw > 0 {
			need++
		}
		switch {
		case lw+need <= width:
			// fits on this line
		case ww <= width:
			newline()
		}
		for _, g := range word {
			put(g, twwidth.Width(g))
		}
		word, ww = word[:0], 0
	}
	it := graphemes.FromString(s)
	for it.Next() {
		g := it.Value()
		gw := twwidth.Width(g)
		switch {
		case g == " ":
			flush()
			space = true
		case gw >= 2: // wide: a line may break before and after it
			flush()
			put(g, gw)
		default:
			word = append(word, g)
			ww += gw
		}
	}
	flush()
	if lw > 0 || len(lines) == 0 {
		lines = append(lines, line.String())
	}
	return lines
}
