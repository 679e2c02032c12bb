// Package rules holds ogicheck's checks. Each rule is a value, in the style
// of golang.org/x/tools/go/analysis: a stable ID, a title, a doc citing the
// specification section and legal basis, a severity, and a Run function over
// a Pass. Rules never print, fetch or read files; they report findings.
package rules

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// Scope is what a rule looks at.
type Scope int

// Scopes.
const (
	DocumentScope Scope = iota // one document
	AgencyScope                // the reports of one agency, by year
	SiteScope                  // a crawled site
)

// Text names the scope in both languages.
func (s Scope) Text() result.Text {
	switch s {
	case AgencyScope:
		return result.Text{Zh: "机关（跨年度）", En: "agency"}
	case SiteScope:
		return result.Text{Zh: "网站", En: "site"}
	}
	return result.Text{Zh: "文件", En: "document"}
}

func (s Scope) String() string {
	switch s {
	case AgencyScope:
		return "agency"
	case SiteScope:
		return "site"
	}
	return "document"
}

// Rule is one check.
type Rule struct {
	ID       string // stable across versions
	Category string // one of the result.Cat* values
	Severity result.Severity
	Scope    Scope
	Title    result.Text
	// Doc explains the rule: what it checks, why, and its legal basis.
	Doc result.Text
	// Spec is the section of the annual-report specification it encodes.
	Spec string
	Run  func(*Pass)
}

// Config is what rules may depend on beyond the documents: the user's
// overrides, deadlines and today (annual.Options), and the years a site
// must have reports for.
type Config struct {
	annual.Options
	// FirstYear and LastYear limit SITE-MISSING-REPORT to a range; zero
	// values derive the range from the reports found.
	FirstYear, LastYear int
}

// Validate reports the first setting that cannot be right.
func (c Config) Validate() error {
	if err := c.Options.Validate(); err != nil {
		return err
	}
	if c.FirstYear != 0 || c.LastYear != 0 {
		if c.FirstYear < 2008 || c.LastYear < c.FirstYear || c.LastYear > 2100 {
			return fmt.Errorf("years %d-%d: want a range of years from 2008 on", c.FirstYear, c.LastYear)
		}
	}
	return nil
}

// Pass is one run of a rule over its input: exactly one of Document,
// Agency and Site is set, by the rule's Scope.
type Pass struct {
	Rule     *Rule
	Config   *Config
	Document *annual.Report   // DocumentScope
	Agency   []*annual.Report // AgencyScope: one agency's reports by year
	Site     *Site            // SiteScope

	// Report records a finding with the rule's ID, category and severity.
	Report func(Diagnostic)
}

// Diagnostic is what a rule reports; the pass adds the rule's identity.
type Diagnostic struct {
	// On is the report a finding of an agency pass belongs to; nil means
	// the pass's subject (the document, the latest report, the site).
	On       *annual.Report
	Evidence result.Evidence
	Message  result.Text
}

// Reportf records a finding whose message is formatted in both languages
// with the same arguments.
func (p *Pass) Reportf(ev result.Evidence, zh, en string, args ...any) {
	p.Report(Diagnostic{Evidence: ev, Message: result.Msg(zh, en, args...)})
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// All returns every rule, sorted by ID.
func All() []*Rule {
	out := append([]*Rule(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds a rule by ID, case-insensitively.
func Lookup(id string) *Rule {
	for _, r := range registry {
		if strings.EqualFold(r.ID, id) {
			return r
		}
	}
	return nil
}

var registry []*Rule

// Validate checks the registry: unique IDs, a title and doc in both
// languages, a spec section, a known category and severity, a scope and a
// Run function. ogicheck runs it at start; a test runs it too.
func Validate() error {
	var errs []error
	seen := map[string]bool{}
	for _, r := range registry {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("rule %q: "+format, append([]any{r.ID}, args...)...))
		}
		switch {
		case r.ID == "" || strings.ToUpper(r.ID) != r.ID:
			bad("ID must be upper case and not empty")
		case seen[r.ID]:
			bad("ID registered twice")
		}
		seen[r.ID] = true
		if r.Title.Zh == "" || r.Title.En == "" || r.Doc.Zh == "" || r.Doc.En == "" {
			bad("title and doc need both languages")
		}
		if r.Spec == "" || !strings.Contains(r.Spec, "§") {
			bad("spec section %q does not cite a section (§)", r.Spec)
		}
		if !slices.Contains(result.Categories, r.Category) {
			bad("unknown category %q", r.Category)
		}
		if _, err := result.ParseSeverity(string(r.Severity)); err != nil {
			bad("%w", err)
		}
		if r.Scope < DocumentScope || r.Scope > SiteScope {
			bad("unknown scope %d", r.Scope)
		}
		if r.Run == nil {
			bad("no Run function")
		}
	}
	return errors.Join(errs...)
}

func register(r *Rule) *Rule {
	registry = append(registry, r)
	return r
}

// Findings is where Check puts what the rules found.
type Findings struct {
	Docs  map[*annual.Report][]result.Finding
	Sites map[*Site][]result.Finding
}

// Check runs the rules over the reports and sites. Reports of one agency
// (same site and agency name) are also checked together, by year.
func Check(cfg Config, rs []*Rule, reports []*annual.Report, sites []*Site) Findings {
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	out := Findings{Docs: map[*annual.Report][]result.Finding{}, Sites: map[*Site][]result.Finding{}}
	groups := Agencies(reports)
	for _, rule := range rs {
		finding := func(d Diagnostic) result.Finding {
			d.Evidence.Snippet = clip(d.Evidence.Snippet, 200)
			return result.Finding{Rule: rule.ID, Category: rule.Category, Severity: rule.Severity,
				Message: d.Message.Zh, Messages: d.Message, Evidence: d.Evidence}
		}
		onReport := func(subject *annual.Report) func(Diagnostic) {
			return func(d Diagnostic) {
				r := subject
				if d.On != nil {
					r = d.On
				}
				out.Docs[r] = append(out.Docs[r], finding(d))
			}
		}
		switch rule.Scope {
		case DocumentScope:
			for _, r := range reports {
				rule.Run(&Pass{Rule: rule, Config: &cfg, Document: r, Report: onReport(r)})
			}
		case AgencyScope:
			for _, g := range groups {
				rule.Run(&Pass{Rule: rule, Config: &cfg, Agency: g, Report: onReport(g[len(g)-1])})
			}
		case SiteScope:
			for _, s := range sites {
				rule.Run(&Pass{Rule: rule, Config: &cfg, Site: s, Report: func(d Diagnostic) {
					out.Sites[s] = append(out.Sites[s], finding(d))
				}})
			}
		}
	}
	for k := range out.Docs {
		result.SortFindings(out.Docs[k])
	}
	for k := range out.Sites {
		result.SortFindings(out.Sites[k])
	}
	return out
}

// Agencies groups annual reports by agency (site and normalised name), each
// group sorted by year. Reports without a year or an agency stay out.
func Agencies(reports []*annual.Report) [][]*annual.Report {
	idx := map[string]int{}
	var groups [][]*annual.Report
	for _, r := range reports {
		if !r.IsReport() || r.Year == 0 {
			continue
		}
		key := agencyKey(r)
		if key == "" {
			continue
		}
		i, ok := idx[key]
		if !ok {
			i = len(groups)
			idx[key] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], r)
	}
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool { return g[i].Year < g[j].Year })
	}
	return groups
}

// agencyKey: reports of one site and agency, whose name may gain or lose
// the places above it between years (annual.AgencyKey). A report without
// an agency name belongs to no group: on a county site, unnamed reports
// are as likely to be different departments' as one agency's years.
func agencyKey(r *annual.Report) string {
	a := strings.TrimSpace(r.Agency)
	if a == "" {
		return ""
	}
	return r.Site + "\x00" + annual.AgencyKey(a)
}
