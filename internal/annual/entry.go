package annual

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/result"
)

// Entry is one item of a site's report list as the crawl found it: its
// page and the files the page links. Failed fetches are not here: they are
// the site's broken links.
type Entry struct {
	Title    string // as the list names it
	URL      string
	ListDate string // YYYY-MM-DD when the list shows one
	// Page is the entry's HTML page, decoded to UTF-8; nil when the entry
	// links a file directly (the file is then its one attachment).
	Page *document.Input
	// Attachments are the files the page links, in order; one that could
	// not be fetched is here without data, so that a cover page whose
	// files all failed is still known as a cover.
	Attachments []Attachment
}

// Attachment is a file linked from an entry's page.
type Attachment struct {
	document.Input
	LinkText string
}

// Read reads one input and analyses it. A failed read is a report
// carrying the error, never a lost document. kind is what the context
// knows the document to be ("" when nothing).
func Read(ctx context.Context, rd document.Reader, in document.Input, opts Options, hints Hints, kind result.Kind) *Report {
	d, err := rd.Read(ctx, in)
	if err != nil {
		return Failed(in.Source, kind, err)
	}
	return Analyze(d, opts, hints)
}

// ReadEntry reads a list entry as the reports it holds: its page, or its
// attachments when the page is only a cover for them, or both as one report
// when the page has the text and the attachments the tables. The page's
// dates and title carry over to attachments, which have none of their own.
func ReadEntry(ctx context.Context, rd document.Reader, e Entry, opts Options) []*Report {
	var extra []document.Meta
	if e.ListDate != "" {
		extra = append(extra, document.Meta{Label: dates.LabelList, Value: e.ListDate})
	}
	if d, ok := dates.InURL(e.URL); ok {
		extra = append(extra, document.Meta{Label: dates.LabelURL, Value: d})
	}
	var kind result.Kind
	if ReportTitle(e.Title) {
		kind = result.KindAnnualReport
	}
	var page *Report
	if e.Page != nil && len(e.Page.Data) > 0 {
		page = Read(ctx, rd, *e.Page, opts, Hints{Extra: extra, Title: e.Title}, kind)
		if len(e.Attachments) == 0 {
			return []*Report{page}
		}
		if substantial(page) {
			// The text is on the page; the tables may be attached
			// (「附件：统计表.xls」): read them together.
			if missingTables(page) {
				if merged := withAttachments(ctx, rd, page, e.Attachments); merged != nil {
					return []*Report{merged}
				}
			}
			return []*Report{page}
		}
	}
	// The page is a cover: the reports are in the attachments.
	pageDates := slices.Clone(extra)
	title := e.Title
	if page != nil {
		pageDates = append(pageDates, page.Doc.Meta...)
		if page.Title != "" {
			title = page.Title
		}
	}
	var out []*Report
	for _, a := range e.Attachments {
		if len(a.Data) == 0 {
			continue
		}
		hint := title
		if ReportTitle(a.LinkText) {
			hint = a.LinkText
		}
		out = append(out, Read(ctx, rd, a.Input, opts, Hints{Extra: pageDates, Title: hint}, kind))
	}
	// A cover page whose attachments all failed has nothing to check: the
	// broken links are the finding (SITE-BROKEN-LINK).
	return distinct(out)
}

// distinct keeps one document per report: copies of one report (a .doc and
// a .pdf of it) would be checked twice, so of each agency's year the one
// read best stays; reports of other agencies or years stay too (a cover
// page for every township's report). Without any report, the best-read
// document stays, so that what it is (or why it cannot be read) is said.
func distinct(docs []*Report) []*Report {
	if len(docs) < 2 {
		return docs
	}
	sorted := slices.Clone(docs)
	sort.SliceStable(sorted, func(i, j int) bool { return readScore(sorted[i]) > readScore(sorted[j]) })
	seen := map[string]bool{}
	var out []*Report
	for _, r := range sorted {
		if !r.IsReport() || r.Unreadable() {
			continue
		}
		k := fmt.Sprint(strings.TrimSpace(r.Agency), "\x00", r.Year)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = sorted[:1]
	}
	return out
}

// missingTables: a templated report without one of its tables.
func missingTables(r *Report) bool {
	if r.Template != result.Template2019 && r.Template != result.Template2021 {
		return false
	}
	return r.Tables["二"] == nil || r.Tables["三"] == nil || r.Tables["四"] == nil
}

// withAttachments reads the page and its readable attachments as one
// document, and returns it when the attachments supply tables the page
// lacks; nil otherwise.
func withAttachments(ctx context.Context, rd document.Reader, page *Report, atts []Attachment) *Report {
	d := *page.Doc
	d.Blocks = slices.Clone(page.Doc.Blocks)
	var used []string
	for _, a := range atts {
		if len(a.Data) == 0 {
			continue
		}
		ad, err := rd.Read(ctx, a.Input)
		if err != nil {
			continue
		}
		// only the tables, without headings and paragraphs laid out in
		// them: an attachment that repeats the report's text would
		// otherwise double its sections
		for _, b := range ad.Blocks {
			if b.Table == nil {
				continue
			}
			t := &document.Table{Ragged: b.Table.Ragged}
			for _, row := range b.Table.Rows {
				if text, ok := soleText(row); !ok || (SectionNumber(text) == 0 && len([]rune(text)) <= 40) {
					t.Rows = append(t.Rows, row)
				}
			}
			if len(t.Rows) > 0 {
				d.Blocks = append(d.Blocks, document.Block{Table: t})
			}
		}
		used = append(used, a.Source)
	}
	if len(used) == 0 {
		return nil
	}
	merged := Analyze(&d, page.Options, page.Hints)
	if len(merged.Tables) <= len(page.Tables) {
		return nil
	}
	merged.Site = page.Site
	merged.Attachments = used
	return merged
}

// substantial: the page itself carries the report (sections or tables), not
// just a link to an attachment.
func substantial(r *Report) bool {
	return len(r.Sections) >= 3 || r.Tables["三"] != nil
}

func readScore(r *Report) int {
	s := len(r.Sections) + 3*len(r.Tables)
	if r.IsReport() {
		s += 10
	}
	if r.Unreadable() {
		s -= 20
	}
	return s
}
