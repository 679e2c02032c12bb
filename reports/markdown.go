package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// mdEscaper escapes the characters that Markdown (CommonMark, GFM and the
// common extensions: tables, strikethrough, math) would interpret. Angle
// brackets and ampersands become entities rather than backslash escapes so
// that no renderer, however old, passes HTML from a page through.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"|", `\|`, "~", `\~`, "#", `\#`, "$", `\$`, "!", `\!`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;",
)

// mdAutolink matches what a renderer would turn into a link by itself
// (GFM's extended autolinks: www., http(s)://, ftp://, mailto:, xmpp: and
// e-mail addresses). Pipes and backticks end a match so that the code span
// it becomes never needs a longer fence or breaks a table cell.
var mdAutolink = regexp.MustCompile("(?i)(?:https?://|ftp://|www\\.|mailto:|xmpp:)[^\\s|`<>]*|[a-z0-9._+-]+@[a-z0-9-]+\\.[a-z0-9.-]+")

// mdText escapes untrusted text on one line. URLs from page text are put in
// code spans, shown in full and never clickable: a report must not carry a
// link a page chose.
func mdText(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range mdAutolink.FindAllStringIndex(s, -1) {
		b.WriteString(mdEscaper.Replace(s[last:m[0]]))
		b.WriteString("`" + s[m[0]:m[1]] + "`")
		last = m[1]
	}
	b.WriteString(mdEscaper.Replace(s[last:]))
	return b.String()
}

// mdInline is untrusted text for a heading, list item or table cell, on one
// line.
func mdInline(s string) string {
	return mdText(oneLine(s))
}

// mdCell is untrusted text for a table cell: line breaks become <br>, the
// only way to break a line inside a GFM table cell.
func mdCell(s string) string {
	lines := strings.Split(clean(s, true), "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, mdText(l))
		}
	}
	return strings.Join(out, "<br>")
}

var mdIdent = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]*$`)

// mdCode shows an identifier (rule ID, category code) as code when it is a
// plain identifier, escaped text otherwise.
func mdCode(s string) string {
	if mdIdent.MatchString(s) {
		return "`" + s + "`"
	}
	return mdInline(s)
}

// mdURL shows a URL from page text in full as a code span, never as a
// link; one that cannot be a code span as it is (a pipe, a backtick,
// spaces) is shown as escaped text, its URL parts still in code spans.
func mdURL(u string) string {
	u = oneLine(u)
	if u != "" && !strings.ContainsAny(u, "|`<> ") {
		return "`" + u + "`"
	}
	return mdInline(u)
}

var mdBlockStart = regexp.MustCompile(`^([-+*=#>]|[0-9]+[.)])`)

// mdQuote renders multi-line untrusted text as a block quote, escaping line
// starts that would open a list, heading, rule or nested quote.
func mdQuote(w *bytes.Buffer, s string) {
	for _, l := range strings.Split(strings.TrimSpace(clean(s, true)), "\n") {
		l = strings.Join(strings.Fields(l), " ")
		e := mdText(l)
		if m := mdBlockStart.FindString(e); m != "" {
			e = m[:len(m)-1] + `\` + e[len(m)-1:]
		}
		w.WriteString(strings.TrimRight("> "+e, " ") + "\n")
	}
}

// mdTable writes a GFM table. Cells must already be escaped; align holds
// one of "", "r" per column.
func mdTable(w *bytes.Buffer, header []string, align []string, rows [][]string) {
	line := func(cells []string) {
		w.WriteString("|")
		for _, c := range cells {
			if c == "" {
				c = " "
			}
			w.WriteString(" " + c + " |")
		}
		w.WriteString("\n")
	}
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
		if i < len(align) && align[i] == "r" {
			sep[i] = "---:"
		}
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	w.WriteString("\n")
}

// writeMarkdown renders the reviewer's report: summary counts, then per
// site and per document their facts, findings and evidence.
func writeMarkdown(w *bytes.Buffer, v *view) error {
	t := v.t
	c := v.counts
	fmt.Fprintf(w, "# %s\n\n", mdInline(t.title))
	if v.res.Generated != "" {
		fmt.Fprintf(w, "- %s%s%s\n", t.generated, t.colon, mdInline(v.res.Generated))
	}
	if v.res.Tool != "" {
		fmt.Fprintf(w, "- %s%s%s\n", t.tool, t.colon, mdInline(v.res.Tool))
	}
	if v.res.Generated != "" || v.res.Tool != "" {
		w.WriteString("\n")
	}

	fmt.Fprintf(w, "## %s\n\n", t.summary)
	fmt.Fprintf(w, "%s\n\n", mdInline(v.totals()))
	mdTable(w, []string{t.item, t.count}, []string{"", "r"}, [][]string{
		{t.documents, itoa(len(v.res.Documents))},
		{t.annual, itoa(v.annual)},
		{t.sites, itoa(len(v.res.Sites))},
		{t.severity(result.SeverityError), itoa(c.Error)},
		{t.severity(result.SeverityWarning), itoa(c.Warning)},
		{t.severity(result.SeverityInfo), itoa(c.Info)},
	})
	if cats := v.categories(); len(cats) > 0 {
		fmt.Fprintf(w, "### %s\n\n", t.byCategory)
		rows := make([][]string, len(cats))
		for i, k := range cats {
			rows[i] = []string{mdInline(k.Label), mdCode(k.Code), itoa(k.Error), itoa(k.Warning), itoa(k.Info), itoa(k.Total)}
		}
		mdTable(w, []string{t.hCategory, t.code, t.severity(result.SeverityError), t.severity(result.SeverityWarning),
			t.severity(result.SeverityInfo), t.total}, []string{"", "", "r", "r", "r", "r"}, rows)
	}

	facts := func(fs []fact) {
		rows := make([][]string, len(fs))
		for i, f := range fs {
			val := mdCell(f.Text)
			if f.Href != "" {
				val = mdURL(f.Text)
			}
			rows[i] = []string{mdInline(f.Label), val}
		}
		mdTable(w, []string{t.item, t.value}, nil, rows)
	}
	nSites, nDocs := len(v.res.Sites), len(v.res.Documents)
	site, doc := 0, 0
	for _, g := range v.groups() {
		if s := g.site; s != nil {
			site++
			title := mdInline(s.URL)
			if s.Agency != "" {
				title = mdInline(s.Agency) + " " + title
			}
			fmt.Fprintf(w, "## %s %d/%d%s%s\n\n", t.site, site, nSites, t.colon, title)
			facts(v.siteFacts(s))
			if marks := v.timeline(s, g.docs); len(marks) > 0 {
				fmt.Fprintf(w, "### %s\n\n", t.timeline)
				rows := make([][]string, len(marks))
				for i, m := range marks {
					rows[i] = []string{itoa(m.Year), m.Label}
				}
				mdTable(w, []string{t.hYear, t.value}, nil, rows)
			}
			if ys := reportsPerYear(s); len(ys) > 0 {
				fmt.Fprintf(w, "### %s\n\n", t.hReportsPerYear)
				rows := make([][]string, len(ys))
				for i, y := range ys {
					rows[i] = []string{t.yearLabel(y.Year), itoa(y.Count)}
				}
				mdTable(w, []string{t.hYear, t.count}, []string{"", "r"}, rows)
			}
			if len(s.Errors) > 0 {
				fmt.Fprintf(w, "### %s\n\n", t.withCount(t.hFetchErrors, len(s.Errors)))
				cs := v.errorsByClass(s)
				rows := make([][]string, len(cs))
				for i, k := range cs {
					rows[i] = []string{mdInline(k.Label), mdCode(string(k.Class)), itoa(k.Count)}
				}
				mdTable(w, []string{t.hClass, t.code, t.count}, []string{"", "", "r"}, rows)
				rows = make([][]string, len(s.Errors))
				for i, e := range s.Errors {
					status := ""
					if e.Status != 0 {
						status = itoa(e.Status)
					}
					rows[i] = []string{mdURL(e.URL), mdInline(t.fetchClass(e.Class)), status, itoa(e.Attempts), mdCell(e.Error)}
				}
				mdTable(w, []string{t.hURL, t.hClass, t.hStatus, t.hAttempts, t.hError}, []string{"", "", "r", "r", ""}, rows)
			}
			v.mdFindings(w, s, nil, s.Findings, true)
		}
		for _, d := range g.docs {
			doc++
			title := d.Title
			if title == "" {
				title = d.Source
			}
			fmt.Fprintf(w, "## %s %d/%d%s%s\n\n", t.document, doc, nDocs, t.colon, mdInline(title))
			facts(v.docFacts(d))
			v.mdFindings(w, nil, d, d.Findings, false)
		}
	}
	return nil
}

// mdFindings writes the findings table and, below it, the evidence of each
// finding that has more than fits in a cell: the cells of a table identity,
// a snippet, a URL or a related document.
func (v *view) mdFindings(w *bytes.Buffer, s *result.Site, d *result.Document, fs []result.Finding, withURL bool) {
	t := v.t
	fmt.Fprintf(w, "### %s\n\n", t.withCount(t.findings, len(fs)))
	if len(fs) == 0 {
		fmt.Fprintf(w, "%s\n\n", t.noFindings)
		return
	}
	rows := make([][]string, len(fs))
	for i, f := range fs {
		rows[i] = []string{
			itoa(i + 1), mdInline(t.severity(f.Severity)), mdCode(f.Rule), mdInline(t.category(f.Category)),
			mdCell(f.Message), mdCell(t.where(f.Evidence, withURL)), mdCell(f.Evidence.Expected), mdCell(f.Evidence.Actual),
		}
	}
	mdTable(w, []string{"#", t.hSeverity, t.hRule, t.hCategory, t.hMessage, t.hWhere, t.hExpected, t.hActual},
		[]string{"r"}, rows)

	header := false
	for i, f := range fs {
		e := f.Evidence
		reviews := v.reviews(s, d, f)
		if !hasEvidence(e, withURL) && len(reviews) == 0 {
			continue
		}
		if !header {
			fmt.Fprintf(w, "#### %s\n\n", t.evidence)
			header = true
		}
		line := fmt.Sprintf("**#%d** %s", i+1, mdCode(f.Rule))
		if where := t.where(e, false); where != "" {
			line += " " + mdInline(where)
		}
		w.WriteString(line + "\n\n")
		if len(e.Cells) > 0 {
			rows := make([][]string, len(e.Cells))
			for j, c := range e.Cells {
				rows[j] = []string{mdCell(c.Row), mdCell(c.Column), mdCell(c.Raw)}
			}
			mdTable(w, []string{t.hRow, t.hColumn, t.rawValue}, []string{"", "", "r"}, rows)
		}
		var items []string
		if e.Expected != "" {
			items = append(items, t.hExpected+t.colon+mdInline(e.Expected))
		}
		if e.Actual != "" {
			items = append(items, t.hActual+t.colon+mdInline(e.Actual))
		}
		if e.URL != "" {
			items = append(items, t.link+t.colon+mdURL(e.URL))
		}
		if e.Related != "" {
			items = append(items, t.related+t.colon+mdURL(e.Related))
		}
		for _, r := range reviews {
			items = append(items, t.hReview+t.colon+mdInline(v.reviewLine(r)))
		}
		for _, it := range items {
			w.WriteString("- " + it + "\n")
		}
		if len(items) > 0 {
			w.WriteString("\n")
		}
		if e.Snippet != "" {
			mdQuote(w, e.Snippet)
			w.WriteString("\n")
		}
	}
}
