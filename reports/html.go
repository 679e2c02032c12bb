package reports

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"

	"github.com/ogicheck/ogicheck/internal/redraw"
	"github.com/ogicheck/ogicheck/result"
)

//go:embed html.tmpl
var htmlSource string

// reportCSS is the page's only style sheet, inlined so that the file opens
// from disk with nothing else.
//
//go:embed report.css
var reportCSS string

// htmlTemplate is parsed once; html/template escapes every value by its
// context (text, attribute, URL), so page text can never become markup.
var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// htmlCSP allows nothing but the page's own style element, by its hash, and
// data: images: no script, no inline style attribute, no fetch, no form.
var htmlCSP = func() string {
	sum := sha256.Sum256([]byte(reportCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; img-src data:; base-uri 'none'; form-action 'none'"
}()

// htmlPage is everything the template shows, already localised and
// cleaned; the template only lays it out.
type htmlPage struct {
	CSP        string
	CSS        template.CSS
	HasRegions bool
	HasReviews bool
	Scores     []htmlScore
	Legend     []yearMark
	Lang       string
	L          htmlLabels
	Generated  string
	Tool       string
	Totals     string
	Summary    []card
	SevChart   svgChart
	CatChart   svgChart
	Categories []categoryCount
	Blocks     []htmlBlock
}

// card is one number of the summary.
type card struct {
	Label string
	Value int
	Class string // "", or a severity class for colour
}

// htmlLabels are the fixed texts the template needs.
type htmlLabels struct {
	Title, Generated, Tool, Summary, ByCategory, Category, Code, Total, Count, Item, Value  string
	Error, Warning, Info                                                                    string
	Findings, NoFindings, Evidence, Year, ReportsPerYear, FetchErrors, Class, URL, Status   string
	Attempts, ErrorText, Severity, Rule, Message, Where, Expected, Actual, Row, Column, Raw string
	Snippet, Link, Related, Contents, Colon, ListSep                                        string
	Timeline, Region, Agency, Review, TableInvolved                                         string
}

// htmlScore is one site's line of the overview: its years and counts.
type htmlScore struct {
	ID, Region, Agency string
	Years              []yearMark
	Errors, Warnings   int
}

// htmlGrid is a table cut to the rows and columns a finding involves.
type htmlGrid struct {
	Name    string
	Columns []string
	Rows    []htmlGridRow
}

type htmlGridRow struct {
	Label string
	Cells []htmlGridCell
}

type htmlGridCell struct {
	Raw         string
	Mark, Focus bool
}

// htmlBlock is one site or one document.
type htmlBlock struct {
	ID        string // anchor, ours: site-1, doc-2
	Heading   string
	Facts     []fact
	Timeline  []yearMark
	Classes   []classCount
	Errors    []htmlFetchError
	Findings  []htmlFinding
	IsSite    bool
	FindingsH string
	ErrorsH   string
	NavCount  string
}

type htmlFetchError struct {
	URL, Href, Class, Status, Attempts, Error string
}

type htmlFinding struct {
	N                                          int
	Severity, SevClass                         string
	Rule, Category, Code                       string
	Message, Where, Expected, Actual           string
	Cells                                      []result.CellRef
	Snippet, URL, URLHref, Related, RelatedRef string
	HasEvidence                                bool
	Table                                      *htmlGrid
	Reviews                                    []string
	ReviewState                                string
}

// svgChart is a horizontal bar chart drawn as inline SVG.
type svgChart struct {
	Title         string
	Width, Height int
	LabelWidth    int
	Bars          []svgBar
}

type svgBar struct {
	Label      string
	Count      int
	Class      string
	Y, W       int
	TextY      int
	CountX     int
	LabelRight int
}

const (
	barHeight   = 22
	barGap      = 8
	barArea     = 240
	chartMargin = 4
)

// newChart lays out bars scaled to the largest count, the label column as
// wide as the longest label (13px text: wide characters 13px, others ~7.5),
// so that the chart stays legible when a phone scales it down.
func newChart(title string, bars []svgBar) svgChart {
	most, labelWidth := 0, 40
	for _, b := range bars {
		most = max(most, b.Count)
		w := 0.0
		for _, r := range b.Label {
			if r >= 0x1100 {
				w += 13
			} else {
				w += 7.5
			}
		}
		labelWidth = max(labelWidth, int(w)+12)
	}
	for i := range bars {
		b := &bars[i]
		b.Y = chartMargin + i*(barHeight+barGap)
		b.TextY = b.Y + barHeight/2 + 5
		if most > 0 {
			b.W = b.Count * barArea / most
		}
		if b.Count > 0 {
			b.W = max(b.W, 2)
		}
		b.LabelRight = labelWidth - 8
		b.CountX = labelWidth + b.W + 6
	}
	return svgChart{
		Title:      title,
		Width:      labelWidth + barArea + 50,
		Height:     max(2*chartMargin+len(bars)*(barHeight+barGap)-barGap, 2*chartMargin),
		LabelWidth: labelWidth,
		Bars:       bars,
	}
}

// writeHTML renders one self-contained page: inline CSS and SVG, no
// scripts, no external resources (the Content-Security-Policy forbids
// them), readable on a phone and printable.
func writeHTML(w *bytes.Buffer, v *view) error {
	t := v.t
	c := v.counts
	sev := func(s result.Severity) string { return t.severity(s) }
	p := htmlPage{
		CSP:        htmlCSP,
		CSS:        template.CSS(reportCSS),
		HasRegions: v.opts.Regions != nil,
		HasReviews: v.opts.Reviews != nil,
		Lang:       t.htmlLang,
		Generated:  oneLine(v.res.Generated),
		Tool:       oneLine(v.res.Tool),
		Totals:     v.totals(),
		L: htmlLabels{
			Title: t.title, Generated: t.generated, Tool: t.tool, Summary: t.summary, ByCategory: t.byCategory,
			Category: t.hCategory, Code: t.code, Total: t.total, Count: t.count, Item: t.item, Value: t.value,
			Error: sev(result.SeverityError), Warning: sev(result.SeverityWarning), Info: sev(result.SeverityInfo),
			Findings: t.findings, NoFindings: t.noFindings, Evidence: t.evidence, Year: t.hYear,
			ReportsPerYear: t.hReportsPerYear, FetchErrors: t.hFetchErrors, Class: t.hClass, URL: t.hURL,
			Status: t.hStatus, Attempts: t.hAttempts, ErrorText: t.hError, Severity: t.hSeverity, Rule: t.hRule,
			Message: t.hMessage, Where: t.hWhere, Expected: t.hExpected, Actual: t.hActual, Row: t.hRow,
			Column: t.hColumn, Raw: t.rawValue, Snippet: t.snippet, Link: t.link, Related: t.related,
			Contents: t.contents, Colon: t.colon, ListSep: t.listSep,
			Timeline: t.timeline, Region: t.hRegion, Agency: t.hAgency, Review: t.hReview, TableInvolved: t.tableInvolved,
		},
		Summary: []card{
			{Label: t.documents, Value: len(v.res.Documents)},
			{Label: t.annual, Value: v.annual},
			{Label: t.sites, Value: len(v.res.Sites)},
			{Label: sev(result.SeverityError), Value: c.Error, Class: "error"},
			{Label: sev(result.SeverityWarning), Value: c.Warning, Class: "warning"},
			{Label: sev(result.SeverityInfo), Value: c.Info, Class: "info"},
		},
	}
	p.SevChart = newChart(t.chartSev, []svgBar{
		{Label: sev(result.SeverityError), Count: c.Error, Class: "error"},
		{Label: sev(result.SeverityWarning), Count: c.Warning, Class: "warning"},
		{Label: sev(result.SeverityInfo), Count: c.Info, Class: "info"},
	})
	cats := v.categories()
	for i := range cats {
		cats[i].Label = oneLine(cats[i].Label)
		cats[i].Code = oneLine(cats[i].Code)
	}
	p.Categories = cats
	catBars := make([]svgBar, len(cats))
	for i, k := range cats {
		catBars[i] = svgBar{Label: truncate(k.Label, 24), Count: k.Total, Class: "category"}
	}
	if len(catBars) > 0 {
		p.CatChart = newChart(t.chartCat, catBars)
	}

	nSites, nDocs := len(v.res.Sites), len(v.res.Documents)
	site, doc := 0, 0
	for _, g := range v.groups() {
		if s := g.site; s != nil {
			site++
			name := oneLine(s.URL)
			if s.Agency != "" {
				name = oneLine(s.Agency) + " " + name
			}
			b := htmlBlock{
				ID:       fmt.Sprintf("site-%d", site),
				Heading:  fmt.Sprintf("%s %d/%d%s%s", t.site, site, nSites, t.colon, name),
				Facts:    cleanFacts(v.siteFacts(s)),
				Classes:  v.errorsByClass(s),
				Findings: v.htmlFindings(s, nil, s.Findings, true),
				IsSite:   true,
				Timeline: v.timeline(s, g.docs),
			}
			score := htmlScore{ID: b.ID, Region: oneLine(v.region(s.URL)), Agency: oneLine(s.Agency), Years: b.Timeline}
			if score.Agency == "" {
				score.Agency = oneLine(s.URL)
			}
			var c result.Counts
			add(&c, s.Findings)
			for _, d := range g.docs {
				add(&c, d.Findings)
			}
			score.Errors, score.Warnings = c.Error, c.Warning
			p.Scores = append(p.Scores, score)
			for i := range b.Classes {
				b.Classes[i].Label = oneLine(b.Classes[i].Label)
				b.Classes[i].Class = result.FetchClass(oneLine(string(b.Classes[i].Class)))
			}
			for _, e := range s.Errors {
				status := ""
				if e.Status != 0 {
					status = itoa(e.Status)
				}
				b.Errors = append(b.Errors, htmlFetchError{
					URL: oneLine(e.URL), Href: webURL(e.URL), Class: oneLine(t.fetchClass(e.Class)),
					Status: status, Attempts: itoa(e.Attempts), Error: clean(e.Error, true),
				})
			}
			b.FindingsH = t.withCount(t.findings, len(b.Findings))
			b.ErrorsH = t.withCount(t.hFetchErrors, len(b.Errors))
			b.NavCount = b.FindingsH
			p.Blocks = append(p.Blocks, b)
		}
		for _, d := range g.docs {
			doc++
			title := d.Title
			if title == "" {
				title = d.Source
			}
			b := htmlBlock{
				ID:       fmt.Sprintf("doc-%d", doc),
				Heading:  fmt.Sprintf("%s %d/%d%s%s", t.document, doc, nDocs, t.colon, oneLine(title)),
				Facts:    cleanFacts(v.docFacts(d)),
				Findings: v.htmlFindings(nil, d, d.Findings, false),
			}
			b.FindingsH = t.withCount(t.findings, len(b.Findings))
			b.NavCount = b.FindingsH
			p.Blocks = append(p.Blocks, b)
		}
	}
	for _, st := range []string{yearOnTime, yearLate, yearUndated, yearUnread, yearMissing, yearNotSeen} {
		p.Legend = append(p.Legend, yearMark{State: st, Label: t.yearState(st)})
	}
	if err := htmlTemplate.Execute(w, &p); err != nil {
		return fmt.Errorf("execute html template: %w", err)
	}
	return nil
}

// truncate shortens s to n runes with an ellipsis, for chart labels that
// must fit beside their bar.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// cleanFacts cleans each fact's text; the template escapes it.
func cleanFacts(fs []fact) []fact {
	for i := range fs {
		fs[i].Label = oneLine(fs[i].Label)
		fs[i].Text = clean(fs[i].Text, true)
	}
	return fs
}

var sevClass = map[result.Severity]string{
	result.SeverityError:   "error",
	result.SeverityWarning: "warning",
	result.SeverityInfo:    "info",
}

func (v *view) htmlFindings(s *result.Site, d *result.Document, fs []result.Finding, withURL bool) []htmlFinding {
	t := v.t
	out := make([]htmlFinding, len(fs))
	for i, f := range fs {
		e := f.Evidence
		cells := make([]result.CellRef, len(e.Cells))
		for j, c := range e.Cells {
			cells[j] = result.CellRef{Row: oneLine(c.Row), Column: oneLine(c.Column), Raw: clean(c.Raw, true)}
		}
		cls, ok := sevClass[f.Severity]
		if !ok {
			cls = "other"
		}
		out[i] = htmlFinding{
			N:           i + 1,
			Severity:    oneLine(t.severity(f.Severity)),
			SevClass:    cls,
			Rule:        oneLine(f.Rule),
			Category:    oneLine(t.category(f.Category)),
			Code:        oneLine(f.Category),
			Message:     clean(f.Message, true),
			Where:       oneLine(t.where(e, withURL)),
			Expected:    clean(e.Expected, true),
			Actual:      clean(e.Actual, true),
			Cells:       cells,
			Snippet:     clean(e.Snippet, true),
			URL:         oneLine(e.URL),
			URLHref:     webURL(e.URL),
			Related:     oneLine(e.Related),
			RelatedRef:  webURL(e.Related),
			HasEvidence: hasEvidence(e, withURL),
		}
		if tb, ok := redraw.ForFinding(d, f); ok {
			out[i].Table = v.htmlGrid(tb)
			out[i].HasEvidence = true
		}
		for _, r := range v.reviews(s, d, f) {
			out[i].Reviews = append(out[i].Reviews, clean(v.reviewLine(r), false))
			out[i].ReviewState = oneLine(t.reviewState(r.State))
			out[i].HasEvidence = true
		}
	}
	return out
}

// htmlGrid is a cut table, cleaned: the rows and columns a finding
// involves, its cells marked.
func (v *view) htmlGrid(tb redraw.Table) *htmlGrid {
	g := &htmlGrid{Name: oneLine(v.t.tableName(tb.ID))}
	for _, c := range tb.Columns {
		g.Columns = append(g.Columns, oneLine(c))
	}
	for _, r := range tb.Rows {
		label := r.Label
		if r.Found != "" && r.Found != r.Label {
			label += v.t.paren(r.Found)
		}
		row := htmlGridRow{Label: oneLine(label)}
		for _, c := range r.Cells {
			row.Cells = append(row.Cells, htmlGridCell{Raw: oneLine(c.Raw), Mark: len(c.Marks) > 0, Focus: c.Focus})
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}
