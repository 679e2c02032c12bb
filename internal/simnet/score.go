package simnet

import (
	"fmt"
	"sort"

	"github.com/ogicheck/ogicheck/result"
)

// Score compares a checker's result with the ground truth.
type Score struct {
	Expected   int      // non-optional expectations
	Found      int      // of those, found
	Reported   int      // in-scope findings the checker reported (optional ones excluded)
	Missing    []string // expectations not found
	Unexpected []string // findings not expected
}

// Precision is the share of reported findings that were expected.
func (s Score) Precision() float64 {
	if s.Reported == 0 {
		return 1
	}
	return float64(s.Reported-len(s.Unexpected)) / float64(s.Reported)
}

// Recall is the share of expected findings that were reported.
func (s Score) Recall() float64 {
	if s.Expected == 0 {
		return 1
	}
	return float64(s.Found) / float64(s.Expected)
}

// findingKey identifies a finding as Truth does: site, report year, rule,
// and the document or URL it is on.
type findingKey struct {
	site string
	year int
	rule string
	url  string
}

func (k findingKey) String() string { return fmt.Sprintf("%s %d %s %s", k.site, k.year, k.rule, k.url) }

// inScope: the truth lists errors and warnings, plus the info findings it
// plants.
func inScope(f result.Finding) bool {
	return f.Severity != result.SeverityInfo || f.Rule == "PUB-UNKNOWN" || f.Rule == "DOC-KIND"
}

// Score compares res, the result of checking this internet's sites, with
// Truth. Findings count once per (site, year, rule, URL) occurrence.
func (n *Internet) Score(res *result.Result) Score { return score(res, n.Truth) }

// ScoreUnrendered compares res with Unrendered: the truth for a checker
// that runs no browser.
func (n *Internet) ScoreUnrendered(res *result.Result) Score { return score(res, n.Unrendered) }

func score(res *result.Result, truth []Expectation) Score {
	got := map[findingKey]int{}
	for _, d := range res.Documents {
		for _, f := range d.Findings {
			if !inScope(f) {
				continue
			}
			y := f.Evidence.Year
			if d.Year != nil {
				y = *d.Year
			}
			got[findingKey{d.Site, y, f.Rule, d.Source}]++
		}
	}
	for _, s := range res.Sites {
		for _, f := range s.Findings {
			if !inScope(f) {
				continue
			}
			u := ""
			if f.Rule == "SITE-BROKEN-LINK" || f.Rule == "SITE-LIMIT" || f.Rule == "SITE-LIST-UNREADABLE" {
				u = f.Evidence.URL
			}
			got[findingKey{s.URL, f.Evidence.Year, f.Rule, u}]++
		}
	}
	want := map[findingKey]int{}
	optional := map[findingKey]bool{}
	for _, e := range truth {
		k := findingKey{e.Site, e.Year, e.Rule, e.URL}
		if e.Optional {
			optional[k] = true
			continue
		}
		want[k]++
	}
	var sc Score
	for k, c := range want {
		sc.Expected += c
		sc.Found += min(c, got[k])
		if got[k] < c {
			sc.Missing = append(sc.Missing, fmt.Sprintf("%s (×%d, found %d)", k, c, got[k]))
		}
	}
	for k, c := range got {
		if optional[k] {
			continue
		}
		sc.Reported += c
		if want[k] < c {
			sc.Unexpected = append(sc.Unexpected, fmt.Sprintf("%s (×%d, expected %d)", k, c-want[k], want[k]))
		}
	}
	sort.Strings(sc.Missing)
	sort.Strings(sc.Unexpected)
	return sc
}
