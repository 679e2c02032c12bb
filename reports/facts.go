package reports

import (
	"slices"
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// classCount is the number of fetch errors of one class.
type classCount struct {
	Class result.FetchClass
	Label string
	Count int
}

// errorsByClass counts a site's fetch errors per class, most frequent
// first, then by class code.
func (v *view) errorsByClass(s *result.Site) []classCount {
	n := map[result.FetchClass]int{}
	for _, e := range s.Errors {
		n[e.Class]++
	}
	out := make([]classCount, 0, len(n))
	for c, k := range n {
		out = append(out, classCount{Class: c, Label: v.t.fetchClass(c), Count: k})
	}
	slices.SortFunc(out, func(a, b classCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(string(a.Class), string(b.Class))
	})
	return out
}

// yearCount is the number of reports listed for one year; Year 0 collects
// entries whose year could not be told.
type yearCount struct {
	Year  int
	Count int
}

// reportsPerYear counts the annual reports in a site's column per year,
// including each checked year with none, in ascending order with the
// unknown year last.
func reportsPerYear(s *result.Site) []yearCount {
	n := map[int]int{}
	for _, y := range s.Years {
		n[y] += 0
	}
	for _, r := range s.Reports {
		if r.Kind != "" && r.Kind != result.KindAnnualReport {
			continue
		}
		n[r.Year]++
	}
	out := make([]yearCount, 0, len(n))
	for y, k := range n {
		out = append(out, yearCount{Year: y, Count: k})
	}
	slices.SortFunc(out, func(a, b yearCount) int {
		switch {
		case a.Year == b.Year:
			return 0
		case a.Year == 0:
			return 1
		case b.Year == 0:
			return -1
		}
		return a.Year - b.Year
	})
	return out
}

// yearLabel is a year, or "unknown" for 0.
func (t *labels) yearLabel(y int) string {
	if y == 0 {
		return t.unknown
	}
	return itoa(y)
}

// fact is one labelled value of a document or site summary. Text is raw
// (possibly untrusted) and escaped by each writer; Href is set only for
// http(s) URLs.
type fact struct {
	Label string
	Text  string
	Href  string
}

// docFacts lists what is known about a document, for the Markdown and HTML
// summaries.
func (v *view) docFacts(d *result.Document) []fact {
	t := v.t
	var fs []fact
	add := func(label, text string) {
		if text != "" {
			fs = append(fs, fact{Label: label, Text: text})
		}
	}
	fs = append(fs, fact{Label: t.hSource, Text: d.Source, Href: webURL(d.Source)})
	if d.Site != "" {
		fs = append(fs, fact{Label: t.hSite, Text: d.Site, Href: webURL(d.Site)})
	}
	add(t.hKind, t.kind(d.Kind))
	if d.KindReason != "" {
		add(t.kindReason, d.KindReason)
	}
	agency := d.Agency
	if agency == "" {
		agency = t.unknown
	}
	add(t.hAgency, agency)
	// the provenance in the report's language; the code when there is none
	why := func(txt result.Text, code string) string {
		if s := txt.In(v.opts.Lang); s != "" {
			return s
		}
		return code
	}
	pv := d.Provenance
	add(t.hLevel, t.from(t.level(d.AgencyLevel), why(pv.AgencyLevel, d.AgencyLevelFrom)))
	add(t.hYear, t.from(t.year(d.Year), why(pv.Year, d.YearFrom)))
	add(t.hTemplate, t.from(t.template(d.Template), why(pv.Template, d.TemplateFrom)))
	add(t.hPublished, t.from(t.str(d.Published), why(pv.Published, d.PublishedFrom)))
	if d.Deadline != nil {
		add(t.hDeadline, t.from(*d.Deadline, why(pv.Deadline, d.DeadlineBasis)))
	}
	if len(d.Dates) > 0 {
		parts := make([]string, len(d.Dates))
		for i, dt := range d.Dates {
			parts[i] = why(dt.Origin, dt.Label) + " " + dt.Value
		}
		add(t.dates, strings.Join(parts, t.listSep))
	}
	format := d.Format
	if d.Charset != "" {
		format += t.paren(d.Charset)
	}
	add(t.format, format)
	secs := t.none
	if len(d.Sections) > 0 {
		parts := make([]string, len(d.Sections))
		for i, s := range d.Sections {
			parts[i] = t.sectionName(s.Number)
			if s.Heading != "" {
				parts[i] += " " + s.Heading
			}
		}
		secs = strings.Join(parts, t.listSep)
	}
	add(t.sections, secs)
	tabs := t.none
	if len(d.Tables) > 0 {
		parts := make([]string, len(d.Tables))
		for i, tb := range d.Tables {
			parts[i] = t.tableName(tb.ID)
			if tb.Template != "" {
				parts[i] += t.paren(t.template(&tb.Template))
			}
		}
		tabs = strings.Join(parts, t.listSep)
	}
	add(t.tables, tabs)
	if len(d.Attachments) > 0 {
		add(t.attachments, strings.Join(d.Attachments, t.listSep))
	}
	add(t.readError, d.Error)
	add("SHA-256", d.SHA256)
	return fs
}

// siteFacts lists a site's crawl summary.
func (v *view) siteFacts(s *result.Site) []fact {
	t := v.t
	fs := []fact{{Label: t.hURL, Text: s.URL, Href: webURL(s.URL)}}
	if s.Agency != "" {
		fs = append(fs, fact{Label: t.hAgency, Text: s.Agency})
	}
	if r := v.region(s.URL); r != "" {
		fs = append(fs, fact{Label: t.hRegion, Text: r})
	}
	if s.Unchecked != (result.Text{}) {
		fs = append(fs, fact{Label: t.hUnchecked, Text: s.Unchecked.In(v.opts.Lang)})
	}
	col := t.none
	if s.Column != "" {
		col = t.from(s.Column, s.ColumnFrom)
	}
	fs = append(fs,
		fact{Label: t.hColumnFound, Text: col},
		fact{Label: t.hPages, Text: itoa(s.Pages)},
		fact{Label: t.hBytes, Text: humanBytes(s.Bytes)},
	)
	if s.NotModified > 0 {
		fs = append(fs, fact{Label: t.hNotModified, Text: itoa(s.NotModified)})
	}
	if s.Duration != "" {
		fs = append(fs, fact{Label: t.hDuration, Text: s.Duration})
	}
	return fs
}

// Year states of a site's timeline.
const (
	yearOnTime  = "ontime"
	yearLate    = "late"
	yearUndated = "undated"
	yearMissing = "missing"
	yearUnread  = "unread"
	yearNotSeen = "notseen"
)

// yearMark is one year of a site's timeline.
type yearMark struct {
	Year  int
	State string
	Label string
}

// timeline lays out a site's years from the first to the last it knows
// (checked, listed or read), so that a gap shows as a gap. A year is late
// or missing only when a rule said so; a year with no report and no such
// finding is "not seen", never called missing on a guess.
func (v *view) timeline(s *result.Site, docs []*result.Document) []yearMark {
	years := map[int]bool{}
	for _, y := range s.Years {
		years[y] = true
	}
	listed := map[int]bool{}
	for _, r := range s.Reports {
		if r.Year > 0 && (r.Kind == "" || r.Kind == result.KindAnnualReport) {
			years[r.Year], listed[r.Year] = true, true
		}
	}
	byYear := map[int][]*result.Document{}
	for _, d := range docs {
		if d.Kind == result.KindAnnualReport && d.Year != nil && *d.Year > 0 {
			years[*d.Year] = true
			byYear[*d.Year] = append(byYear[*d.Year], d)
		}
	}
	missing := map[int]bool{}
	for _, f := range s.Findings {
		if f.Category == result.CatMissingReport && f.Evidence.Year > 0 {
			years[f.Evidence.Year], missing[f.Evidence.Year] = true, true
		}
	}
	if len(years) == 0 {
		return nil
	}
	first, last := 1<<30, 0
	for y := range years {
		first, last = min(first, y), max(last, y)
	}
	if last-first > 50 { // a misread year: show the known years only
		first = last - 50
	}
	var out []yearMark
	for y := first; y <= last; y++ {
		state := yearNotSeen
		switch ds := byYear[y]; {
		case len(ds) > 0:
			state = yearUnread
			for _, d := range ds {
				if d.Error != "" {
					continue // listed and fetched, but not readable
				}
				if state == yearUnread {
					state = yearUndated
				}
				if hasCategory(d.Findings, result.CatLatePublication) {
					state = yearLate
					break
				}
				if d.Published != nil && d.Deadline != nil && *d.Published <= *d.Deadline {
					state = yearOnTime
				}
			}
		case missing[y]:
			state = yearMissing
		case listed[y]:
			state = yearUnread
		}
		out = append(out, yearMark{Year: y, State: state, Label: v.t.yearState(state)})
	}
	return out
}

func hasCategory(fs []result.Finding, cat string) bool {
	for _, f := range fs {
		if f.Category == cat {
			return true
		}
	}
	return false
}

func (t *labels) yearState(s string) string {
	switch s {
	case yearOnTime:
		return t.yearOnTime
	case yearLate:
		return t.yearLate
	case yearUndated:
		return t.yearUndated
	case yearMissing:
		return t.yearMissing
	case yearUnread:
		return t.yearUnread
	}
	return t.yearNotSeen
}

// region is the region of a site URL, "" when there is none.
func (v *view) region(site string) string {
	if v.opts.Regions == nil {
		return ""
	}
	return v.opts.Regions[site]
}

// reviews are the decisions on a finding, oldest first.
func (v *view) reviews(s *result.Site, d *result.Document, f result.Finding) []Review {
	if v.opts.Reviews == nil {
		return nil
	}
	return v.opts.Reviews(s, d, f)
}

// lastReview is the latest decision on a finding, zero when none.
func (v *view) lastReview(s *result.Site, d *result.Document, f result.Finding) (Review, bool) {
	rs := v.reviews(s, d, f)
	if len(rs) == 0 {
		return Review{}, false
	}
	return rs[len(rs)-1], true
}

// reviewLine is a decision in one line: state, who, when, until, why.
func (v *view) reviewLine(r Review) string {
	t := v.t
	s := t.reviewState(r.State)
	if r.By != "" {
		s += t.comma + r.By
	}
	if !r.At.IsZero() {
		s += t.comma + r.At.Format("2006-01-02 15:04")
	}
	if !r.Expires.IsZero() {
		s += t.comma + t.hExpires + " " + r.Expires.Format("2006-01-02")
	}
	if r.Reason != "" {
		s += t.comma + t.hReason + t.colon + r.Reason
	}
	return s
}
