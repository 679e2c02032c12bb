// Package annual interprets an extracted document as a 政府信息公开工作年度报告:
// whether it is one, its year, agency and level, publication date and
// deadline, template, sections, and the template tables 二/三/四 with their
// cells parsed. Rules run over the Report it builds; it judges nothing.
package annual

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// Options carry what the user knows better than the page.
type Options struct {
	Level result.Level // "" to infer
	Tier  result.Tier  // a government's tier; "" to infer
	// Tiers are known governments' tiers by AgencyKey of their names (the
	// sites file's tier column): they override the name's for reports of
	// those agencies only, so that a city site's list of district reports
	// keeps each district's own tier.
	Tiers     map[string]result.Tier
	Published string    // YYYY-MM-DD; "" to read from the page
	Year      int       // report year; 0 to infer
	Deadlines Deadlines // local deadlines, only earlier than the statutory ones
	Now       time.Time // today, for deadlines and sanity checks; zero means time.Now()
}

// Validate reports the first option that cannot be right.
func (o Options) Validate() error {
	if _, err := result.ParseLevel(string(o.Level)); err != nil {
		return err
	}
	for name, t := range o.Tiers {
		if _, err := result.ParseTier(string(t)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if _, err := result.ParseTier(string(o.Tier)); err != nil {
		return err
	}
	if o.Published != "" {
		if _, ok := dates.Parse(o.Published); !ok {
			return fmt.Errorf("publication date %q: want YYYY-MM-DD", o.Published)
		}
	}
	if o.Year != 0 && (o.Year < 2008 || o.Year > 2100) {
		return fmt.Errorf("report year %d: want a year from 2008 on", o.Year)
	}
	return o.Deadlines.Validate()
}

// Hints are what the context of a document tells about it: what its list
// entry or the page it hangs from calls it, and the dates found around it.
type Hints struct {
	// Extra dates known from outside the page: the list page's date and the
	// date in the URL, supplied by the crawler.
	Extra []document.Meta
	// Title is what the context calls the document: the list entry or the
	// page an attachment hangs from. It competes with the document's own.
	Title string
}

// Report is a document read as an annual report.
type Report struct {
	Doc    *document.Document
	Source string
	Site   string

	Kind       result.Kind
	KindReason result.Text // why, when Kind is other
	Title      string
	Agency     string
	Level      result.Level
	LevelFrom  string // a stable code: flag, agency-name, body
	Tier       result.Tier
	TierFrom   string // flag, agency-name
	Year       int
	YearFrom   string // flag, title, body

	Published, PublishedFrom string // PublishedFrom: the date's label, or flag
	Dates                    []result.Date
	// Impossible are publication dates found that cannot be this report's:
	// before its year ended or after today. They decide nothing.
	Impossible   []result.Date
	Deadline     string // YYYY-MM-DD, "" when the year is unknown
	DeadlineNote string // the basis: a Basis* code

	Template     result.Template
	TemplateFrom string // table-vocabulary, report-year, table-rows
	// Why explains the *From codes and the deadline in both languages.
	Why        result.Provenance
	Vocabulary result.Template // the template the table vocabulary points to, "" if none

	Sections []Section
	Tables   map[string]*Table // by ID 二/三/四
	Images   []int             // block indexes of images in the body

	Paragraphs []string // body text lines in order (tables excluded)
	Options    Options
	Hints      Hints

	// ReadError is set when the file could not be read at all; Doc is then
	// an empty document naming the source.
	ReadError string
	// Limit is set when reading stopped at a limit of ours (time per
	// document), as opposed to a defect of the file.
	Limit result.Text
	// Attachments are the files read together with the page.
	Attachments []string

	body string // BodyText, once joined
}

// Section is a section heading found in the body.
type Section struct {
	Number  int    // 1..6 by content
	Heading string // as printed
	Block   int    // block index of the heading
	Text    []string
}

// Table is a recognised template table.
type Table struct {
	ID       string
	Template result.Template
	Columns  []string
	Rows     []*Row // template rows in order; Found false when absent
	Optional []*Row // non-template subtotal rows found (T3-SUBTOTAL)
	// MissingColumns lists template column labels not found in the header.
	MissingColumns []string
	Block          int // position in the analysis's row stream where the table starts
	Page           int // the page it starts on in a paged document, 0 when not known
	// Unreadable says why the table, present, could not be read at all;
	// its rows are then all not found.
	Unreadable result.Text
}

// UnreadableRows are the rows found whose values cannot be attributed.
func (t *Table) UnreadableRows() []*Row {
	var out []*Row
	for _, r := range slices.Concat(t.Rows, t.Optional) {
		if r.Found && r.Unreadable != (result.Text{}) {
			out = append(out, r)
		}
	}
	return out
}

// Row is one data row.
type Row struct {
	Spec    RowSpec
	Found   bool
	Printed string
	Cells   []Cell
	// Unreadable says why the row, found, has no cells: its values cannot
	// be attributed to columns without guessing.
	Unreadable result.Text
}

// Cell is one parsed value.
type Cell struct {
	Column  string
	Value   num.Value
	Missing bool // the row had no cell for this column
}

// Row returns the row with the key, or nil.
func (t *Table) Row(key string) *Row {
	if t == nil {
		return nil
	}
	for _, r := range t.Rows {
		if r.Spec.Key == key {
			return r
		}
	}
	for _, r := range t.Optional {
		if r.Spec.Key == key {
			return r
		}
	}
	return nil
}

// Cell returns the cell of a column, or nil.
func (r *Row) Cell(col string) *Cell {
	if r == nil {
		return nil
	}
	for i := range r.Cells {
		if r.Cells[i].Column == col {
			return &r.Cells[i]
		}
	}
	return nil
}

// Section returns the first section with the number, or nil.
func (r *Report) Section(n int) *Section {
	for i := range r.Sections {
		if r.Sections[i].Number == n {
			return &r.Sections[i]
		}
	}
	return nil
}

// IsReport reports whether the document is an annual report.
func (r *Report) IsReport() bool { return r.Kind == result.KindAnnualReport }

// Analyze reads a document as an annual report.
func Analyze(d *document.Document, opts Options, hints Hints) *Report {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	r := &Report{Doc: d, Source: d.Source, Options: opts, Hints: hints, Tables: map[string]*Table{}}
	for i, b := range d.Blocks {
		if b.Image != "" {
			r.Images = append(r.Images, i)
		}
	}
	lines := textLines(d)
	for _, l := range lines {
		r.Paragraphs = append(r.Paragraphs, l.text)
	}
	r.Title = pickTitle(d, r.Paragraphs, hints.Title)
	r.Sections = findSections(lines)
	rows := stream(d)
	r.Vocabulary = vocabulary(rows)
	r.year()
	r.template()
	r.tables(rows)
	r.classify()
	r.agency()
	r.published()
	if r.IsReport() {
		r.deadline()
	} else {
		r.Template, r.TemplateFrom = "", ""
	}
	return r
}

// Result converts the report into the output model (without findings).
func (r *Report) Result() *result.Document {
	out := &result.Document{
		Source:          r.Source,
		Site:            r.Site,
		Format:          r.Doc.Format,
		Charset:         r.Doc.Charset,
		Kind:            r.Kind,
		KindReason:      r.KindReason.Zh,
		KindReasons:     r.KindReason,
		Title:           r.Title,
		Agency:          r.Agency,
		AgencyLevelFrom: r.LevelFrom,
		YearFrom:        r.YearFrom,
		PublishedFrom:   r.PublishedFrom,
		Dates:           r.Dates,
		Attachments:     r.Attachments,
		TemplateFrom:    r.TemplateFrom,
		AgencyTierFrom:  r.TierFrom,
		DeadlineBasis:   r.DeadlineNote,
		Provenance:      r.Why,
		Sections:        []result.Section{},
		Tables:          []result.Table{},
		Findings:        []result.Finding{},
	}
	if r.Level != "" {
		out.AgencyLevel = ptr(r.Level)
	}
	if r.Tier != "" {
		out.AgencyTier = ptr(r.Tier)
	}
	if r.Year != 0 {
		out.Year = ptr(r.Year)
	}
	if r.Published != "" {
		out.Published = ptr(r.Published)
	}
	if r.Deadline != "" {
		out.Deadline = ptr(r.Deadline)
	}
	if r.Template != "" {
		out.Template = ptr(r.Template)
	}
	for _, s := range r.Sections {
		sec := result.Section{Number: s.Number, Heading: s.Heading}
		if s.Block >= 0 && s.Block < len(r.Doc.Blocks) {
			sec.Page = r.Doc.Blocks[s.Block].Page
		}
		out.Sections = append(out.Sections, sec)
	}
	for _, id := range []string{"二", "三", "四"} {
		t := r.Tables[id]
		if t == nil {
			continue
		}
		rt := result.Table{ID: t.ID, Template: t.Template, Page: t.Page, Columns: t.Columns, Rows: []result.Row{}, Unreadable: t.Unreadable}
		for _, row := range slices.Concat(t.Rows, t.Optional) {
			if !row.Found {
				continue
			}
			rr := result.Row{Block: row.Spec.Block, Label: row.Spec.Label, Unreadable: row.Unreadable}
			if row.Printed != "" && row.Printed != row.Spec.Label {
				rr.Found = row.Printed
			}
			for _, c := range row.Cells {
				rr.Cells = append(rr.Cells, cellResult(c))
			}
			rt.Rows = append(rt.Rows, rr)
		}
		out.Tables = append(out.Tables, rt)
	}
	return out
}

func cellResult(c Cell) result.Cell {
	rc := result.Cell{Column: c.Column, Raw: c.Value.Raw, Unit: c.Value.Unit}
	switch {
	case c.Missing:
		rc.State = result.CellMissing
	case c.Value.Kind == num.Number:
		rc.State = result.CellNumber
		rc.Value = ptr(c.Value.N)
	case c.Value.Kind == num.Blank:
		rc.State = result.CellBlank
	default:
		rc.State = result.CellText
	}
	return rc
}

func ptr[T any](v T) *T { return &v }

// BodyText is the report's paragraphs joined by newlines, for keyword
// searches; joined once.
func (r *Report) BodyText() string {
	if r.body == "" && len(r.Paragraphs) > 0 {
		r.body = strings.Join(r.Paragraphs, "\n")
	}
	return r.body
}

// ReadWhole reports whether the whole document was read: no limit of ours
// (size, cells, pages, text, time) cut it short and it was not truncated.
// What a document cut short lacks may be in the part not read.
func (r *Report) ReadWhole() bool {
	if r.Limit != (result.Text{}) {
		return false
	}
	for _, n := range r.Doc.Notes {
		if n.Kind == document.NoteLimit || n.Kind == document.NoteTruncated {
			return false
		}
	}
	return true
}

// Unreadable reports whether the document's text could not be read: a read
// error, an encrypted or unsupported file, or no text at all (a scan).
func (r *Report) Unreadable() bool {
	if r.ReadError != "" {
		return true
	}
	for _, n := range r.Doc.Notes {
		switch n.Kind {
		case document.NoteNoText, document.NoteEncrypted, document.NoteUnsupported:
			return true
		}
	}
	return false
}

// HasNote reports whether the reader left a note of the kind.
func (r *Report) HasNote(kind string) (document.Note, bool) {
	for _, n := range r.Doc.Notes {
		if n.Kind == kind {
			return n, true
		}
	}
	return document.Note{}, false
}

// Failed is the report of a file that could not be read. kind says what
// the context knows it to be (a crawler entry titled as a report is one);
// a *document.ReadError gives the format and says whether a limit of ours
// stopped the reading.
func Failed(source string, kind result.Kind, err error) *Report {
	if kind == "" {
		kind = result.KindOther
	}
	d := &document.Document{Source: source}
	r := &Report{Doc: d, Source: source, Kind: kind, KindReason: result.Text{Zh: "无法读取", En: "unreadable"},
		ReadError: err.Error(), Tables: map[string]*Table{}}
	var re *document.ReadError
	if errors.As(err, &re) {
		d.Format, r.Limit = re.Format, re.Limit
	}
	return r
}
