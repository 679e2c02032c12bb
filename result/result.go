// Package result is ogicheck's output model and its JSON contract
// ("ogicheck/v1"). Writers in package reports and outside tools read only
// this. Field names and category values are stable: add, never rename.
package result

import (
	"fmt"
	"sort"
)

// Schema is the value of Result.Schema.
const Schema = "ogicheck/v1"

// Result is one run: the documents checked and, when sites were crawled, the
// sites.
type Result struct {
	Schema    string      `json:"schema"`
	Tool      string      `json:"tool,omitempty"` // "ogicheck <version>"
	Lang      string      `json:"lang,omitempty"` // language of messages
	Generated string      `json:"generated,omitempty"`
	Documents []*Document `json:"documents"`
	Sites     []*Site     `json:"sites,omitempty"`
	// Skipped lists the files a directory walk left out, and why.
	Skipped []Skipped `json:"skipped,omitempty"`
	// Incomplete says why the run stopped before checking everything
	// ("interrupted"); what was checked is all here.
	Incomplete string `json:"incomplete,omitempty"`
	// Findings that span documents (cross-year checks) appear on the later
	// document; nothing is kept here.
}

// Level is an agency's level, which sets its deadline (spec §2).
type Level string

// Skipped is a file a directory walk did not check.
type Skipped struct {
	Path   string `json:"path"`
	Reason Text   `json:"reason"`
}

// Agency levels.
const (
	LevelDepartment Level = "department"
	LevelGovernment Level = "government"
	LevelTownship   Level = "township"
)

// ParseLevel accepts a level's name; "" is no level.
func ParseLevel(s string) (Level, error) {
	switch l := Level(s); l {
	case "", LevelDepartment, LevelGovernment, LevelTownship:
		return l, nil
	}
	return "", fmt.Errorf("agency level %q: want department, government or township", s)
}

// Tier is the rank of a government whose own (本级政府) report is checked:
// from the 2021 report year its deadline depends on it (spec §2).
type Tier string

// Government tiers.
const (
	TierCounty     Tier = "county"     // 县、县级市、市辖区, 旗
	TierPrefecture Tier = "prefecture" // 地级市、州、盟, 地区
	TierProvince   Tier = "province"   // 省、自治区、直辖市
)

// ParseTier accepts a tier's name; "" is no tier (read from the name).
func ParseTier(s string) (Tier, error) {
	switch t := Tier(s); t {
	case "", TierCounty, TierPrefecture, TierProvince:
		return t, nil
	}
	return "", fmt.Errorf("government tier %q: want county, prefecture or province", s)
}

// Template is the format a report follows (spec §3).
type Template string

// Templates.
const (
	TemplatePre2019 Template = "pre-2019"
	Template2019    Template = "2019"
	Template2021    Template = "2021"
)

// Kind is what a document is.
type Kind string

// Document kinds.
const (
	KindAnnualReport Kind = "annual-report"
	KindOther        Kind = "other"
)

// Document is one checked document.
type Document struct {
	Source          string    `json:"source"`
	Site            string    `json:"site,omitempty"` // the site it was found on
	Format          string    `json:"format"`
	Charset         string    `json:"charset,omitempty"`
	SHA256          string    `json:"sha256,omitempty"`
	Kind            Kind      `json:"kind"`
	KindReason      string    `json:"kind_reason,omitempty"` // in Lang
	KindReasons     Text      `json:"kind_reasons,omitzero"` // both languages
	Title           string    `json:"title"`
	Agency          string    `json:"agency"`
	AgencyLevel     *Level    `json:"agency_level"`
	AgencyLevelFrom string    `json:"agency_level_from,omitempty"`
	Year            *int      `json:"year"`
	YearFrom        string    `json:"year_from,omitempty"`
	Published       *string   `json:"published"`
	PublishedFrom   string    `json:"published_from,omitempty"`
	Dates           []Date    `json:"dates,omitempty"` // every dated label found
	Deadline        *string   `json:"deadline,omitempty"`
	Template        *Template `json:"template"`
	TemplateFrom    string    `json:"template_from,omitempty"`
	Sections        []Section `json:"sections"`
	Tables          []Table   `json:"tables"`
	Attachments     []string  `json:"attachments,omitempty"`
	Findings        []Finding `json:"findings"`
	Error           string    `json:"error,omitempty"` // set when the document could not be read at all

	// AgencyTier is the government's tier (government reports only), null
	// when the name does not tell.
	AgencyTier     *Tier  `json:"agency_tier,omitempty"`
	AgencyTierFrom string `json:"agency_tier_from,omitempty"`
	// DeadlineBasis is a stable code for the rule that set Deadline: old,
	// department, government, township, county, prefecture, province,
	// unknown-level, unknown-tier.
	DeadlineBasis string `json:"deadline_basis,omitempty"`
	// Provenance says in both languages how each value read from the
	// document was found; the *_from fields are stable codes.
	Provenance Provenance `json:"provenance,omitzero"`
}

// Provenance explains, in both languages, how the analysis arrived at a
// document's values (agency level and tier, year, publication date,
// template, deadline), for people; the *_from codes are for programs.
type Provenance struct {
	AgencyLevel Text `json:"agency_level,omitzero"`
	AgencyTier  Text `json:"agency_tier,omitzero"`
	Year        Text `json:"year,omitzero"`
	Published   Text `json:"published,omitzero"`
	Template    Text `json:"template,omitzero"`
	Deadline    Text `json:"deadline,omitzero"`
}

// Date is one date found on the page, with where it came from.
type Date struct {
	Label string `json:"label"`
	Value string `json:"value"` // YYYY-MM-DD

	// Origin says where the date was found, in both languages (the label
	// is a code: 发布日期, url, list, meta:PubDate…).
	Origin Text `json:"origin,omitzero"`
}

// Section is one of the six sections as found.
type Section struct {
	Number  int    `json:"number"`         // 1..6: which section it is, by content
	Heading string `json:"heading"`        // the heading as printed
	Page    int    `json:"page,omitempty"` // the page of a paged document (PDF) it is on
}

// Table is a recognised template table (二, 三 or 四).
type Table struct {
	ID       string   `json:"id"` // "二", "三", "四"
	Template Template `json:"template,omitempty"`
	Page     int      `json:"page,omitempty"` // the page of a paged document (PDF) it starts on
	Columns  []string `json:"columns"`
	Rows     []Row    `json:"rows"`

	// Unreadable says why the table, present in the document, could not be
	// read: its cells cannot be attributed to columns without guessing.
	Unreadable Text `json:"unreadable,omitzero"`
}

// Row is one data row of a recognised table.
type Row struct {
	Block string `json:"block,omitempty"` // table 二: 第二十条第（一）项…
	Label string `json:"label"`           // the template label
	Found string `json:"found,omitempty"` // the label as printed, when it differs
	Cells []Cell `json:"cells"`

	// Unreadable says why the row's printed values cannot be attributed to
	// columns; Cells is then empty.
	Unreadable Text `json:"unreadable,omitzero"`
}

// Cell states.
const (
	CellNumber  = "number"  // a number
	CellBlank   = "blank"   // empty, —, -, /, 无: counts as 0
	CellText    = "text"    // text where a number was expected
	CellMissing = "missing" // no cell at this column
)

// Cell is one value of a data row.
type Cell struct {
	Column string   `json:"column"`
	Raw    string   `json:"raw"`
	State  string   `json:"state"`
	Value  *float64 `json:"value"` // null unless State is number
	Unit   string   `json:"unit,omitempty"`
}

// Severity of a finding.
type Severity string

// Severities, from most to least serious.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// ParseSeverity accepts a severity's name.
func ParseSeverity(s string) (Severity, error) {
	switch v := Severity(s); v {
	case SeverityError, SeverityWarning, SeverityInfo:
		return v, nil
	}
	return "", fmt.Errorf("severity %q: want error, warning or info", s)
}

// AtLeast reports whether s is at least as serious as min.
func (s Severity) AtLeast(min Severity) bool { return s.Rank() >= min.Rank() && s.Rank() > 0 }

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Finding categories. The first fifteen are the contract of issue "core
// checker"; the rest were added with the crawler and attachment readers.
const (
	CatNotAnnualReport          = "not-annual-report"
	CatMissingSection           = "missing-section"
	CatSectionOrder             = "section-order"
	CatMissingTable             = "missing-table"
	CatTableUnreadable          = "table-unreadable"
	CatMissingRow               = "missing-row"
	CatInvalidCell              = "invalid-cell"
	CatTableIdentity            = "table-identity"
	CatLatePublication          = "late-publication"
	CatUnknownPublicationDate   = "unknown-publication-date"
	CatTemplateMismatch         = "template-mismatch"
	CatMissingContent           = "missing-content"
	CatCrossYear                = "cross-year"
	CatTextTableMismatch        = "text-table-mismatch"
	CatDuplicateContent         = "duplicate-content"
	CatDuplicateSection         = "duplicate-section"
	CatMissingColumn            = "missing-column"
	CatBlankCell                = "blank-cell"
	CatUnknownYear              = "unknown-year"
	CatDateDisagreement         = "date-disagreement"
	CatMissingReport            = "missing-report"
	CatMissingReportColumn      = "missing-report-column"
	CatBrokenLink               = "broken-link"
	CatReportNotMachineReadable = "report-not-machine-readable"
	CatUnreadableDocument       = "unreadable-document"
	CatFetchError               = "fetch-error"
	CatLimitExceeded            = "limit-exceeded"
	CatListUnreadable           = "list-unreadable"
)

// Categories lists every finding category, in the order declared.
var Categories = []string{
	CatNotAnnualReport,
	CatMissingSection,
	CatSectionOrder,
	CatMissingTable,
	CatTableUnreadable,
	CatMissingRow,
	CatInvalidCell,
	CatTableIdentity,
	CatLatePublication,
	CatUnknownPublicationDate,
	CatTemplateMismatch,
	CatMissingContent,
	CatCrossYear,
	CatTextTableMismatch,
	CatDuplicateContent,
	CatDuplicateSection,
	CatMissingColumn,
	CatBlankCell,
	CatUnknownYear,
	CatDateDisagreement,
	CatMissingReport,
	CatMissingReportColumn,
	CatBrokenLink,
	CatReportNotMachineReadable,
	CatUnreadableDocument,
	CatFetchError,
	CatLimitExceeded,
	CatListUnreadable,
}

// Finding is one problem found, with the evidence for it.
type Finding struct {
	Rule     string   `json:"rule"`
	Category string   `json:"category"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Messages Text     `json:"messages"`
	Evidence Evidence `json:"evidence"`
}

// Text is user-facing text in both languages, so that a stored result can
// be rendered in either: findings' messages, rule titles and docs.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Msg formats both languages with the same arguments.
func Msg(zh, en string, args ...any) Text {
	return Text{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)}
}

// In returns the text in lang ("zh" or "en"); Chinese otherwise.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Zh
}

// Evidence locates a finding and shows what was expected and found.
type Evidence struct {
	Section  int       `json:"section,omitempty"`
	Table    string    `json:"table,omitempty"`
	Row      string    `json:"row,omitempty"`
	Column   string    `json:"column,omitempty"`
	Cells    []CellRef `json:"cells,omitempty"` // every cell an identity involves
	Expected string    `json:"expected,omitempty"`
	Actual   string    `json:"actual,omitempty"`
	Snippet  string    `json:"snippet,omitempty"`
	URL      string    `json:"url,omitempty"`
	Year     int       `json:"year,omitempty"`
	Related  string    `json:"related,omitempty"` // another document involved
}

// CellRef names one table cell and its value.
type CellRef struct {
	Row    string `json:"row"`
	Column string `json:"column"`
	Raw    string `json:"raw"`
}

// Site is one crawled disclosure site.
type Site struct {
	URL        string       `json:"url"`
	Agency     string       `json:"agency,omitempty"`
	Column     string       `json:"column,omitempty"` // the 年报 column found
	ColumnFrom string       `json:"column_from,omitempty"`
	Years      []int        `json:"years,omitempty"`      // the years checked for presence
	Reports    []SiteReport `json:"reports"`              // one entry per list entry in the column
	Pages      int          `json:"pages"`                // URLs that got an HTTP answer
	Requests   int          `json:"requests,omitempty"`   // HTTP requests sent, retries included
	Incomplete string       `json:"incomplete,omitempty"` // why the crawl stopped early
	// ListUnread says why part of the column's list was not read (a
	// limit, a list page that failed, a list built by scripts and not
	// rendered); "" when it was read whole. Reports the unread part could
	// hold are unknown, not missing.
	ListUnread string `json:"list_unread,omitempty"`
	// ColumnBlocked is the column, or a page on the way to it, that
	// robots.txt forbids, when no column was found for that reason.
	ColumnBlocked string `json:"column_blocked,omitempty"`
	// Unchecked says why the site could not be checked at all (its start
	// page unreachable or forbidden by robots.txt); zero when it was.
	Unchecked   Text         `json:"unchecked,omitzero"`
	Bytes       int64        `json:"bytes"` // bytes fetched
	NotModified int          `json:"not_modified,omitempty"`
	Errors      []FetchError `json:"errors"`
	Findings    []Finding    `json:"findings"`
	Duration    string       `json:"duration,omitempty"`
}

// SiteReport is one entry of the 年报 column.
type SiteReport struct {
	Title    string `json:"title"`
	URL      string `json:"url"`
	ListDate string `json:"list_date,omitempty"`
	Year     int    `json:"year,omitempty"`
	Kind     Kind   `json:"kind,omitempty"`
}

// FetchClass classifies a failed request.
type FetchClass string

// Fetch error classes.
const (
	FetchDNS              FetchClass = "dns"
	FetchTLS              FetchClass = "tls"
	FetchTimeout          FetchClass = "timeout"
	FetchConnectionReset  FetchClass = "connection-reset"
	FetchConnection       FetchClass = "connection-refused"
	FetchHTTP4xx          FetchClass = "http-4xx"
	FetchHTTP5xx          FetchClass = "http-5xx"
	FetchTooManyRedirects FetchClass = "too-many-redirects"
	FetchRobotsDisallowed FetchClass = "robots-disallowed"
	FetchBodyTooLarge     FetchClass = "body-too-large"
	FetchNotFound         FetchClass = "not-found"
	FetchBadContent       FetchClass = "bad-content"
	FetchOther            FetchClass = "other"
)

// FetchError is one failed request, kept as data.
type FetchError struct {
	URL      string     `json:"url"`
	Class    FetchClass `json:"class"`
	Status   int        `json:"status,omitempty"`
	Attempts int        `json:"attempts"`
	Error    string     `json:"error"`
}

// Unchecked lists the inputs that could not be checked at all: documents
// that could not be read and sites whose start page could not be fetched.
func (r *Result) Unchecked() []string {
	var out []string
	for _, d := range r.Documents {
		if d.Error != "" {
			out = append(out, d.Source)
		}
	}
	for _, s := range r.Sites {
		if s.Unchecked != (Text{}) {
			out = append(out, s.URL)
		}
	}
	return out
}

// Counts tallies findings by severity.
type Counts struct {
	Error, Warning, Info int
}

// Count tallies the findings of all documents and sites.
func (r *Result) Count() Counts {
	var c Counts
	add := func(fs []Finding) {
		for _, f := range fs {
			switch f.Severity {
			case SeverityError:
				c.Error++
			case SeverityWarning:
				c.Warning++
			case SeverityInfo:
				c.Info++
			}
		}
	}
	for _, d := range r.Documents {
		add(d.Findings)
	}
	for _, s := range r.Sites {
		add(s.Findings)
	}
	return c
}

// MaxSeverity is the most serious finding's severity, "" with none.
func (r *Result) MaxSeverity() Severity {
	var m Severity
	visit := func(fs []Finding) {
		for _, f := range fs {
			if f.Severity.Rank() > m.Rank() {
				m = f.Severity
			}
		}
	}
	for _, d := range r.Documents {
		visit(d.Findings)
	}
	for _, s := range r.Sites {
		visit(s.Findings)
	}
	return m
}

// Localize sets every Message from Messages in lang.
func (r *Result) Localize(lang string) {
	r.Lang = lang
	for _, d := range r.Documents {
		d.Localize(lang)
		for i := range d.Findings {
			d.Findings[i].Message = d.Findings[i].Messages.In(lang)
		}
	}
	for _, s := range r.Sites {
		for i := range s.Findings {
			s.Findings[i].Message = s.Findings[i].Messages.In(lang)
		}
	}
}

// Localize sets the document's KindReason from KindReasons in lang.
// Findings are localised by Result.Localize; the *_from provenance codes
// stay codes, and Provenance has their text in both languages.
func (d *Document) Localize(lang string) {
	if d.KindReasons != (Text{}) {
		d.KindReason = d.KindReasons.In(lang)
	}
}

// SortFindings orders findings by severity (most serious first), then rule,
// then section, year and URL, so that output is stable. Otherwise findings
// keep the order the rule reported them in, which follows the tables.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		ea, eb := a.Evidence, b.Evidence
		switch {
		case ea.Section != eb.Section:
			return ea.Section < eb.Section
		case ea.Year != eb.Year:
			return ea.Year < eb.Year
		case ea.URL != eb.URL:
			return ea.URL < eb.URL
		}
		return false
	})
}
