// Package rules holds ogicheck's checks. Each rule is a value, in the style
// of golang.org/x/tools/go/analysis: a stable ID, a title, a doc citing the
// specification section and legal basis, a severity, and a Run function over
// a Pass. Rules never print, fetch or read files; they report findings.
package rules

import (
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

// Config is what rules may depend on beyond the documents.
type Config struct {
	Deadlines annual.Deadlines
	Now       time.Time
	// Years limits SITE-MISSING-REPORT to a range; zero values derive the
	// range from the reports found.
	FirstYear, LastYear int
}

// Pass is one run of a rule over its input.
type Pass struct {
	Rule    *Rule
	Config  *Config
	Report  *annual.Report   // DocumentScope
	Reports []*annual.Report // AgencyScope: one agency's reports by year
	Site    *Site            // SiteScope

	emit func(target any, f result.Finding)
}

// Reportf records a finding with the rule's severity on the pass's document
// (DocumentScope), the latest report (AgencyScope) or the site.
func (p *Pass) Reportf(ev result.Evidence, m result.Text) {
	p.emitOn(p.target(), p.Rule.Severity, ev, m)
}

// ReportAs records a finding with another severity than the rule's.
func (p *Pass) ReportAs(sev result.Severity, ev result.Evidence, m result.Text) {
	p.emitOn(p.target(), sev, ev, m)
}

// ReportOn records a finding on one report of an agency pass.
func (p *Pass) ReportOn(r *annual.Report, ev result.Evidence, m result.Text) {
	p.emitOn(r, p.Rule.Severity, ev, m)
}

func (p *Pass) target() any {
	switch {
	case p.Report != nil:
		return p.Report
	case p.Site != nil:
		return p.Site
	case len(p.Reports) > 0:
		return p.Reports[len(p.Reports)-1]
	}
	return nil
}

func (p *Pass) emitOn(target any, sev result.Severity, ev result.Evidence, m result.Text) {
	ev.Snippet = clip(ev.Snippet, 200)
	p.emit(target, result.Finding{
		Rule:     p.Rule.ID,
		Category: p.Rule.Category,
		Severity: sev,
		Messages: m,
		Message:  m.Zh,
		Evidence: ev,
	})
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
	emit := func(target any, f result.Finding) {
		switch t := target.(type) {
		case *annual.Report:
			out.Docs[t] = append(out.Docs[t], f)
		case *Site:
			out.Sites[t] = append(out.Sites[t], f)
		}
	}
	groups := Agencies(reports)
	for _, rule := range rs {
		switch rule.Scope {
		case DocumentScope:
			for _, r := range reports {
				rule.Run(&Pass{Rule: rule, Config: &cfg, Report: r, emit: emit})
			}
		case AgencyScope:
			for _, g := range groups {
				rule.Run(&Pass{Rule: rule, Config: &cfg, Reports: g, emit: emit})
			}
		case SiteScope:
			for _, s := range sites {
				rule.Run(&Pass{Rule: rule, Config: &cfg, Site: s, emit: emit})
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

// agencyKey: reports of one site and agency name. A report without an
// agency name belongs to no group: on a county site, unnamed reports are
// as likely to be different departments' as one agency's years.
func agencyKey(r *annual.Report) string {
	a := strings.TrimSpace(r.Agency)
	if a == "" {
		return ""
	}
	return r.Site + "\x00" + a
}
