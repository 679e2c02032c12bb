package reports

import (
	"github.com/ogicheck/ogicheck/result"
)

// findingRow is one finding as a spreadsheet row (CSV and XLSX): where it
// was found, what it says, and its latest review.
type findingRow struct {
	site                  *result.Site     // set for a site's finding
	doc                   *result.Document // set for a document's finding
	source                string           // the page or file the finding is about
	siteURL, agency, kind string
	year                  int // 0 when unknown
	f                     result.Finding
	review                Review
	reviewed              bool
}

// findingRows lists every shown finding in report order: each site's own
// findings, then those of its documents; documents of no site last.
func (v *view) findingRows() []findingRow {
	var out []findingRow
	for _, g := range v.groups() {
		if s := g.site; s != nil {
			for _, f := range s.Findings {
				source := f.Evidence.URL
				if source == "" {
					source = s.URL
				}
				out = append(out, findingRow{site: s, source: source, siteURL: s.URL, agency: s.Agency,
					kind: v.t.site, year: f.Evidence.Year, f: f})
			}
		}
		for _, d := range g.docs {
			year := 0
			if d.Year != nil && *d.Year > 0 {
				year = *d.Year
			}
			for _, f := range d.Findings {
				out = append(out, findingRow{doc: d, source: d.Source, siteURL: d.Site, agency: d.Agency,
					kind: v.t.kind(d.Kind), year: year, f: f})
			}
		}
	}
	for i := range out {
		out[i].review, out[i].reviewed = v.lastReview(out[i].site, out[i].doc, out[i].f)
	}
	return out
}

// cells are the row's columns after the year: rule to snippet, then the
// region and the review (state, by, at, reason).
func (r findingRow) cells(v *view) []string {
	t := v.t
	table := ""
	if r.f.Evidence.Table != "" {
		table = t.tableName(r.f.Evidence.Table)
	}
	review := []string{"", "", "", ""}
	if r.reviewed {
		review = []string{t.reviewState(r.review.State), r.review.By, r.review.At.Format("2006-01-02 15:04"), r.review.Reason}
	}
	e := r.f.Evidence
	return append([]string{
		r.f.Rule, t.category(r.f.Category), t.severity(r.f.Severity), r.f.Message,
		table, e.Row, e.Column, e.Expected, e.Actual, e.Snippet, v.region(r.siteURL),
	}, review...)
}
