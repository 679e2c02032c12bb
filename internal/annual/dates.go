package annual

import (
	"fmt"
	"sort"
	"time"

	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/result"
)

// Deadlines are the publication deadlines as month and day of the year
// after the report year (spec §2). Zero fields take the statutory default.
// Local rules may only make them earlier.
type Deadlines struct {
	Department MonthDay // 2019 regime, 县级以上人民政府部门: 01-31 (Art. 49 ¶1)
	Government MonthDay // 2019 regime, 本级政府 reports: 03-31 (Art. 49 ¶2)
	Township   MonthDay // 乡镇/街道: no statutory date; default 03-31
	Old        MonthDay // 2007 regime (reports ≤ 2018), all organs: 03-31 (Art. 31)
}

// MonthDay is a day of the year.
type MonthDay struct{ Month, Day int }

func (m MonthDay) zero() bool { return m.Month == 0 }

func (m MonthDay) String() string { return fmt.Sprintf("%02d-%02d", m.Month, m.Day) }

// ParseMonthDay reads "MM-DD".
func ParseMonthDay(s string) (MonthDay, error) {
	t, err := time.Parse("01-02", s)
	if err != nil {
		return MonthDay{}, fmt.Errorf("deadline %q: want MM-DD: %w", s, err)
	}
	return MonthDay{int(t.Month()), t.Day()}, nil
}

// WithDefaults fills the statutory dates.
func (d Deadlines) WithDefaults() Deadlines {
	def := func(m *MonthDay, v MonthDay) {
		if m.zero() {
			*m = v
		}
	}
	def(&d.Department, MonthDay{1, 31})
	def(&d.Government, MonthDay{3, 31})
	def(&d.Township, MonthDay{3, 31})
	def(&d.Old, MonthDay{3, 31})
	return d
}

// Validate checks that local deadlines are only earlier than the
// statutory ones: a local rule may be stricter than the Regulation, never
// looser. Townships have no statutory date.
func (d Deadlines) Validate() error {
	statutory := Deadlines{}.WithDefaults()
	for _, c := range []struct {
		name       string
		got, limit MonthDay
	}{
		{"department", d.Department, statutory.Department},
		{"government", d.Government, statutory.Government},
		{"township", d.Township, MonthDay{12, 31}},
	} {
		if c.got.zero() {
			continue
		}
		if c.got.Month > c.limit.Month || (c.got.Month == c.limit.Month && c.got.Day > c.limit.Day) {
			return fmt.Errorf("%s deadline %s: a local deadline may only be earlier than the statutory %s", c.name, c.got, c.limit)
		}
	}
	return nil
}

// Deadline bases: which rule set a deadline.
const (
	BasisOld          = "old"           // 2007 Regulation Art. 31
	BasisDepartment   = "department"    // 2019 Regulation Art. 49 ¶1
	BasisGovernment   = "government"    // 2019 Regulation Art. 49 ¶2
	BasisTownship     = "township"      // local rule
	BasisUnknownLevel = "unknown-level" // level unknown: the later date applies
)

// DeadlineFor returns the last day to publish a report of year y by an
// agency of the level, inclusive, and which rule gave it.
func (d Deadlines) DeadlineFor(y int, level result.Level) (string, string) {
	d = d.WithDefaults()
	at := func(md MonthDay) string {
		return time.Date(y+1, time.Month(md.Month), md.Day, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	}
	if y <= 2018 {
		return at(d.Old), BasisOld
	}
	switch level {
	case result.LevelDepartment:
		return at(d.Department), BasisDepartment
	case result.LevelTownship:
		return at(d.Township), BasisTownship
	case result.LevelGovernment:
		return at(d.Government), BasisGovernment
	}
	return at(d.Government), BasisUnknownLevel
}

// LastDue is the latest report year whose deadline has passed on day now.
func (d Deadlines) LastDue(now time.Time, level result.Level) int {
	y := now.Year() - 1
	dl, _ := d.DeadlineFor(y, level)
	if now.Format("2006-01-02") <= dl {
		return y - 1
	}
	return y
}

// published picks the publication date by the precedence of spec §6:
// 发布日期/发布时间 (and the CMS's PubDate meta), 发文日期, the list page's
// date, the date in the URL, bare 日期/时间, 更新时间. 成文日期 and the 落款
// date never decide.
func (r *Report) published() {
	all := append(append([]result.Date{}, metaDates(r.Doc.Meta)...), metaDates(r.Hints.Extra)...)
	all = append(all, textDates(r.Paragraphs, all)...)
	r.Dates = all
	if r.Options.Published != "" {
		r.Published, r.PublishedFrom = r.Options.Published, "flag"
		return
	}
	cands := make([]result.Date, 0, len(all))
	for _, d := range all {
		if dates.Rank(d.Label) >= 0 {
			cands = append(cands, d)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return dates.Rank(cands[i].Label) < dates.Rank(cands[j].Label) })
	if len(cands) > 0 {
		r.Published, r.PublishedFrom = cands[0].Value, cands[0].Label
	}
}

func metaDates(ms []document.Meta) []result.Date {
	var out []result.Date
	for _, m := range ms {
		if v, ok := dates.Parse(m.Value); ok {
			out = append(out, result.Date{Label: m.Label, Value: v})
		}
	}
	return out
}

func (r *Report) deadline() {
	if r.Year == 0 {
		return
	}
	r.Deadline, r.DeadlineNote = r.Options.Deadlines.DeadlineFor(r.Year, r.Level)
}

// template decides the template: the table vocabulary when there is one
// (what the report actually printed), else the report year.
func (r *Report) template() {
	byYear := YearTemplate(r.Year)
	switch {
	case r.Vocabulary != "":
		r.Template, r.TemplateFrom = r.Vocabulary, "table vocabulary"
	case byYear != "":
		r.Template, r.TemplateFrom = byYear, "report year"
	}
}

// YearTemplate is the template a report year must use (spec §3.0).
func YearTemplate(y int) result.Template {
	switch {
	case y == 0:
		return ""
	case y <= 2018:
		return result.TemplatePre2019
	case y <= 2020:
		return result.Template2019
	}
	return result.Template2021
}

// textDates finds the labelled dates in the text itself (发布日期：… in the
// header lines of a converted document, the 落款 date at the end) that the
// reader did not already report.
func textDates(lines []string, have []result.Date) []result.Date {
	seen := map[string]bool{}
	for _, d := range have {
		seen[d.Label+d.Value] = true
	}
	var out []result.Date
	for i, l := range lines {
		for _, f := range dates.Labelled(l) {
			if dates.Bare(f.Label) && i >= dates.HeaderLines {
				continue
			}
			if !seen[f.Label+f.Date] {
				seen[f.Label+f.Date] = true
				out = append(out, result.Date{Label: f.Label, Value: f.Date})
			}
		}
	}
	if m, ok := dates.SignatureOf(lines); ok && !seen[m.Label+m.Value] {
		out = append(out, result.Date{Label: m.Label, Value: m.Value})
	}
	return out
}
