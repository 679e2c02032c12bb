// Package reports renders a checked result (package result) as a terminal
// table, JSON, CSV, Markdown or a self-contained HTML page, in Chinese or
// English. It reads *result.Result only and never changes the caller's value:
// every writer works on a private copy whose findings are filtered by
// severity, localised and sorted.
package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

// Output formats.
const (
	FormatTable    = "table"
	FormatSummary  = "summary"
	FormatJSON     = "json"
	FormatCSV      = "csv"
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
	FormatXLSX     = "xlsx"
)

// Languages of the fixed text.
const (
	LangZh = "zh"
	LangEn = "en"
)

// Options selects a writer and how it renders.
type Options struct {
	// Format is one of Formats(); empty means table.
	Format string
	// Lang is "zh" or "en"; empty means the result's own Lang, else "zh".
	// It selects the finding messages and all fixed text. Rule IDs and
	// category codes are never translated.
	Lang string
	// Color turns on ANSI colour for severities in the table format.
	Color bool
	// MinSeverity drops findings less serious than it from every format,
	// counts included; empty keeps all.
	MinSeverity result.Severity
	// Width is the line width the table format aims at; 0 means 120.
	// Other formats ignore it.
	Width int
	// Regions maps a site's URL to its region (from the sites file). The
	// XLSX writer makes one sheet per region, the others show the region
	// beside the agency. Nil: no regions, one sheet.
	Regions map[string]string
	// Reviews returns the reviewers' decisions on a finding of a site (doc
	// nil) or of a document, oldest first; writers show them beside the
	// finding. Nil shows none.
	Reviews func(site *result.Site, doc *result.Document, f result.Finding) []Review
}

// Review states.
const (
	ReviewConfirmed = "confirmed"
	ReviewDismissed = "dismissed"
	ReviewReopened  = "reopened" // a dismissal that expired, or was withdrawn
)

// Review is one reviewer's decision on a finding, as kept by the store.
// Its times are printed in their own location: give them in the reader's.
type Review struct {
	State   string // ReviewConfirmed, ReviewDismissed or ReviewReopened
	Reason  string
	By      string
	At      time.Time
	Expires time.Time // zero: the decision does not expire
}

// Formats lists the accepted values of Options.Format.
func Formats() []string {
	return []string{FormatTable, FormatSummary, FormatJSON, FormatCSV, FormatMarkdown, FormatHTML, FormatXLSX}
}

// Supports reports whether format is one of Formats.
func Supports(format string) bool { return slices.Contains(Formats(), format) }

// ErrOptions is wrapped by every error about invalid Options.
var ErrOptions = errors.New("invalid report options")

// Write renders r to w as opts asks. The output is built in full before
// anything is written, so a rendering error leaves w untouched.
func Write(w io.Writer, r *result.Result, opts Options) (err error) {
	if r == nil {
		return fmt.Errorf("reports: nil result: %w", ErrOptions)
	}
	if opts.Format == "" {
		opts.Format = FormatTable
	}
	if !slices.Contains(Formats(), opts.Format) {
		return fmt.Errorf("reports: format %q is not one of %v: %w", opts.Format, Formats(), ErrOptions)
	}
	if opts.Lang == "" {
		opts.Lang = LangZh
		if r.Lang == LangEn {
			opts.Lang = LangEn
		}
	}
	if opts.Lang != LangZh && opts.Lang != LangEn {
		return fmt.Errorf("reports: language %q is not zh or en: %w", opts.Lang, ErrOptions)
	}
	if opts.MinSeverity != "" && opts.MinSeverity.Rank() == 0 {
		return fmt.Errorf("reports: minimum severity %q is not error, warning or info: %w", opts.MinSeverity, ErrOptions)
	}
	if opts.Width <= 0 {
		opts.Width = 120
	}
	// tablewriter and template execution are third-party code on untrusted
	// text: a panic there becomes an error, never a crash of the caller.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reports: %s writer failed: %v", opts.Format, p)
		}
	}()

	v := newView(r, opts)
	var buf bytes.Buffer
	switch opts.Format {
	case FormatTable:
		err = writeTable(&buf, v)
	case FormatSummary:
		err = writeSummary(&buf, v)
	case FormatJSON:
		err = writeJSON(&buf, v)
	case FormatCSV:
		err = writeCSV(&buf, v)
	case FormatMarkdown:
		err = writeMarkdown(&buf, v)
	case FormatHTML:
		err = writeHTML(&buf, v)
	case FormatXLSX:
		err = writeXLSX(&buf, v)
	}
	if err != nil {
		return fmt.Errorf("reports: render %s: %w", opts.Format, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("reports: write %s output: %w", opts.Format, err)
	}
	return nil
}

// view is the private copy every writer renders.
type view struct {
	opts   Options
	t      *labels
	res    *result.Result // shallow copy: Documents and Sites are copies too
	counts result.Counts
	// byCategory counts shown findings per category code and severity.
	byCategory map[string]*result.Counts
	annual     int // documents of kind annual-report
}

// newView copies r: the Result, each Document and Site, and each findings
// slice are new values, so localising and filtering never reach the caller.
// Other slices are shared read-only.
func newView(r *result.Result, opts Options) *view {
	v := &view{opts: opts, t: labelsFor(opts.Lang), byCategory: map[string]*result.Counts{}}
	res := *r
	res.Schema = result.Schema
	res.Lang = opts.Lang
	res.Documents = make([]*result.Document, 0, len(r.Documents))
	for _, d := range r.Documents {
		if d == nil {
			continue
		}
		c := *d
		c.Findings = v.findings(d.Findings)
		if c.Kind == result.KindAnnualReport {
			v.annual++
		}
		res.Documents = append(res.Documents, &c)
	}
	res.Sites = nil
	for _, s := range r.Sites {
		if s == nil {
			continue
		}
		c := *s
		c.Findings = v.findings(s.Findings)
		res.Sites = append(res.Sites, &c)
	}
	v.res = &res
	v.counts = res.Count()
	return v
}

// findings returns the shown findings: a new slice, filtered by
// MinSeverity, Message set in the chosen language, sorted most serious
// first. A finding whose Messages are both empty keeps its Message.
func (v *view) findings(in []result.Finding) []result.Finding {
	out := make([]result.Finding, 0, len(in))
	for _, f := range in {
		if v.opts.MinSeverity != "" && f.Severity.Rank() < v.opts.MinSeverity.Rank() {
			continue
		}
		if m := f.Messages.In(v.opts.Lang); m != "" {
			f.Message = m
		}
		f.Evidence.Cells = slices.Clone(f.Evidence.Cells)
		out = append(out, f)
		c := v.byCategory[f.Category]
		if c == nil {
			c = &result.Counts{}
			v.byCategory[f.Category] = c
		}
		switch f.Severity {
		case result.SeverityError:
			c.Error++
		case result.SeverityWarning:
			c.Warning++
		case result.SeverityInfo:
			c.Info++
		}
	}
	result.SortFindings(out)
	return out
}

// categoryCount is one line of the per-category summary.
type categoryCount struct {
	Code  string
	Label string
	result.Counts
	Total int
}

// categories returns the per-category counts, most findings first, then by
// code, so that summaries are stable.
func (v *view) categories() []categoryCount {
	out := make([]categoryCount, 0, len(v.byCategory))
	for code, c := range v.byCategory {
		out = append(out, categoryCount{Code: code, Label: v.t.category(code), Counts: *c, Total: c.Error + c.Warning + c.Info})
	}
	slices.SortFunc(out, func(a, b categoryCount) int {
		if a.Total != b.Total {
			return b.Total - a.Total
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

// group is a site with the documents found on it; the last group of a
// result has no site and holds the documents of no listed site.
type group struct {
	site *result.Site
	docs []*result.Document
}

// groups puts each document under the site it was found on, keeping the
// result's order of sites and of documents within a site.
func (v *view) groups() []group {
	out := make([]group, 0, len(v.res.Sites)+1)
	index := map[string]int{}
	for _, s := range v.res.Sites {
		if _, dup := index[s.URL]; !dup {
			index[s.URL] = len(out)
		}
		out = append(out, group{site: s})
	}
	var rest []*result.Document
	for _, d := range v.res.Documents {
		if i, ok := index[d.Site]; ok && d.Site != "" {
			out[i].docs = append(out[i].docs, d)
			continue
		}
		rest = append(rest, d)
	}
	if len(rest) > 0 {
		out = append(out, group{docs: rest})
	}
	return out
}

// totals is the closing sentence: documents, annual reports, others, sites
// and the shown findings per severity, then what the result lacks.
func (v *view) totals() string {
	docs, sites, c := len(v.res.Documents), len(v.res.Sites), v.counts
	if v.opts.Lang == LangEn {
		plural := func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return itoa(n) + " " + many
		}
		return fmt.Sprintf("Total: %s (%s, %d other), %s; %s, %s, %d info.",
			plural(docs, "document", "documents"), plural(v.annual, "annual report", "annual reports"),
			docs-v.annual, plural(sites, "site", "sites"),
			plural(c.Error, "error", "errors"), plural(c.Warning, "warning", "warnings"), c.Info) + v.gaps()
	}
	return fmt.Sprintf("合计：%d 份文档（年度报告 %d 份，其他 %d 份），%d 个站点；错误 %d，警告 %d，提示 %d。",
		docs, v.annual, docs-v.annual, sites, c.Error, c.Warning, c.Info) + v.gaps()
}

// gaps says what the result lacks, after the totals: why it is incomplete
// and how many sites could not be checked (each says why in its entry);
// "" when it lacks nothing.
func (v *view) gaps() string {
	t := v.t
	var parts []string
	if code := v.res.Incomplete; code != "" {
		if s, ok := t.incomplete[code]; ok {
			parts = append(parts, s)
		} else {
			parts = append(parts, fmt.Sprintf(t.incompleteFmt, oneLine(code)))
		}
	}
	n := 0
	for _, s := range v.res.Sites {
		if s.Unchecked != (result.Text{}) {
			n++
		}
	}
	switch {
	case n == 0:
	case v.opts.Lang == LangEn && n == 1:
		parts = append(parts, "1 site could not be checked: see its entry.")
	case v.opts.Lang == LangEn:
		parts = append(parts, fmt.Sprintf("%d sites could not be checked: see their entries.", n))
	default:
		parts = append(parts, fmt.Sprintf("%d 个站点未能检查，原因见各站点。", n))
	}
	if len(parts) == 0 {
		return ""
	}
	if v.opts.Lang == LangEn {
		return " " + strings.Join(parts, " ")
	}
	return strings.Join(parts, "")
}

// hasEvidence tells whether a finding has more to show than its row in a
// findings table: cells, a snippet, a related document, or a URL that the
// row does not already show.
func hasEvidence(e result.Evidence, urlShown bool) bool {
	return len(e.Cells) > 0 || e.Snippet != "" || e.Related != "" || (e.URL != "" && !urlShown)
}
