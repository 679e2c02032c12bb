package scan

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
	"github.com/ogicheck/ogicheck/rules"
)

// site is one crawled site as the pipeline carries it: what the site rules
// see and what the result will say of it.
type site struct {
	facts *rules.Site
	out   *result.Site
	// interrupted: the crawl was stopped by the user, so the site rules,
	// which judge the whole site, do not run on what was fetched.
	interrupted bool
}

// Assemble runs the rules over the reports (and the site, when the reports
// are one site's) and builds the result.
func Assemble(opts Options, reports []*annual.Report, s *site) *result.Result {
	opts.defaults()
	var sites []*rules.Site
	if s != nil && !s.interrupted {
		sites = []*rules.Site{s.facts}
	}
	found := rules.Check(opts.Config, opts.Rules, reports, sites)
	res := &result.Result{Schema: result.Schema, Tool: "ogicheck " + opts.Version, Documents: []*result.Document{}}
	for _, r := range reports {
		d := r.Result()
		d.Error = r.ReadError
		if fs := found.Docs[r]; fs != nil {
			d.Findings = fs
		}
		res.Documents = append(res.Documents, d)
	}
	if s != nil {
		s.out.Findings = found.Sites[s.facts]
		if s.out.Findings == nil {
			s.out.Findings = []result.Finding{}
		}
		res.Sites = []*result.Site{s.out}
	}
	return res
}

// Merge appends other's documents, sites and skipped files to r.
func Merge(r, other *result.Result) {
	r.Documents = append(r.Documents, other.Documents...)
	r.Sites = append(r.Sites, other.Sites...)
	r.Skipped = append(r.Skipped, other.Skipped...)
	if r.Incomplete == "" {
		r.Incomplete = other.Incomplete
	}
	if r.Tool == "" {
		r.Tool = other.Tool
	}
}
