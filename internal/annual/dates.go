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
	Department MonthDay // from 2019, 县级以上人民政府部门 and the 办公厅(室)'s own report: 01-31 (Art. 49 ¶1)
	// Government is the 本级政府 report's deadline: 03-31 for 2019 and 2020
	// (Art. 49 ¶2); from 2021, when set, a local date that caps the tier's.
	Government MonthDay
	// Township: 乡镇/街道. For 2019 and 2020 there is no statutory date
	// (default 03-31); from 2021 the notice has them follow the
	// departments (default 01-31). Set, it replaces both.
	Township MonthDay
	Old      MonthDay // 2007 regime (reports ≤ 2018), all organs: 03-31 (Art. 31)
	// From 2021 (国办公开办函〔2021〕30号) the 本级政府 summary report is due
	// by the government's tier: county 02-20, prefecture 03-10, province 03-31.
	County, Prefecture, Province MonthDay
}

// MonthDay is a day of the year.
type MonthDay struct{ Month, Day int }

func (m MonthDay) zero() bool { return m.Month == 0 }

func (m MonthDay) before(o MonthDay) bool {
	return m.Month < o.Month || (m.Month == o.Month && m.Day < o.Day)
}

func (m MonthDay) String() string { return fmt.Sprintf("%02d-%02d", m.Month, m.Day) }

// ParseMonthDay reads "MM-DD".
func ParseMonthDay(s string) (MonthDay, error) {
	t, err := time.Parse("01-02", s)
	if err != nil {
		return MonthDay{}, fmt.Errorf("deadline %q: want MM-DD: %w", s, err)
	}
	return MonthDay{int(t.Month()), t.Day()}, nil
}

// WithDefaults fills the statutory dates (Township with its 2019–2020
// default; DeadlineFor applies the 2021 one itself).
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
	def(&d.County, MonthDay{2, 20})
	def(&d.Prefecture, MonthDay{3, 10})
	def(&d.Province, MonthDay{3, 31})
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
		{"county government", d.County, statutory.County},
		{"prefecture government", d.Prefecture, statutory.Prefecture},
		{"province government", d.Province, statutory.Province},
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

// Deadline bases: which rule set a deadline. The values are stable codes
// (result.Document.DeadlineBasis).
const (
	BasisOld          = "old"           // 2007 Regulation Art. 31
	BasisDepartment   = "department"    // 2019 Regulation Art. 49 ¶1
	BasisGovernment   = "government"    // 2019 Regulation Art. 49 ¶2 (2019, 2020)
	BasisTownship     = "township"      // local rule (2019, 2020)
	BasisTownship2021 = "township-2021" // 〔2021〕30号: as the departments
	BasisCounty       = "county"        // 〔2021〕30号: county-level 本级政府
	BasisPrefecture   = "prefecture"    // 〔2021〕30号: prefecture-level
	BasisProvince     = "province"      // 〔2021〕30号: province-level
	BasisUnknownLevel = "unknown-level" // level unknown: the latest date applies
	BasisUnknownTier  = "unknown-tier"  // government of unknown tier: the latest date applies
)

// BasisText explains a deadline basis in both languages.
func BasisText(basis string) result.Text { return basisText[basis] }

var basisText = map[string]result.Text{
	BasisOld:          {Zh: "2007年条例第三十一条：所有行政机关3月31日前", En: "2007 Regulation Art. 31: every organ by March 31"},
	BasisDepartment:   {Zh: "条例第四十九条第一款：政府部门1月31日前", En: "Regulation Art. 49 ¶1: departments by January 31"},
	BasisGovernment:   {Zh: "条例第四十九条第二款：本级政府报告3月31日前", En: "Regulation Art. 49 ¶2: government reports by March 31"},
	BasisTownship:     {Zh: "乡镇、街道：地方规定的时限", En: "townships and street offices: local deadline"},
	BasisTownship2021: {Zh: "国办公开办函〔2021〕30号：乡镇参照政府部门，1月31日前", En: "notice 〔2021〕30号: townships as departments, by January 31"},
	BasisCounty:       {Zh: "国办公开办函〔2021〕30号：县级政府本级报告2月20日前", En: "notice 〔2021〕30号: a county-level government's report by February 20"},
	BasisPrefecture:   {Zh: "国办公开办函〔2021〕30号：设区的市级政府本级报告3月10日前", En: "notice 〔2021〕30号: a prefecture-level government's report by March 10"},
	BasisProvince:     {Zh: "国办公开办函〔2021〕30号：省级政府本级报告3月31日前", En: "notice 〔2021〕30号: a province-level government's report by March 31"},
	BasisUnknownLevel: {Zh: "机关层级未知，按最晚的政府报告时限", En: "agency level unknown: the latest government deadline applies"},
	BasisUnknownTier:  {Zh: "政府层级未知，按最晚的省级政府时限", En: "government tier unknown: the latest, province-level deadline applies"},
}

// DeadlineFor returns the last day to publish a report of year y by an
// agency of the level (and, for governments, the tier; "" when unknown),
// inclusive, and which rule gave it.
func (d Deadlines) DeadlineFor(y int, level result.Level, tier result.Tier) (string, string) {
	set := d
	d = d.WithDefaults()
	at := func(md MonthDay) string {
		return time.Date(y+1, time.Month(md.Month), md.Day, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	}
	if y <= 2018 {
		return at(d.Old), BasisOld
	}
	if y <= 2020 {
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
	// a local government date only ever makes a tier's date earlier
	capped := func(md MonthDay) MonthDay {
		if !set.Government.zero() && set.Government.before(md) {
			return set.Government
		}
		return md
	}
	switch level {
	case result.LevelDepartment:
		return at(d.Department), BasisDepartment
	case result.LevelTownship:
		if !set.Township.zero() {
			return at(set.Township), BasisTownship
		}
		return at(d.Department), BasisTownship2021
	case result.LevelGovernment:
		switch tier {
		case result.TierCounty:
			return at(capped(d.County)), BasisCounty
		case result.TierPrefecture:
			return at(capped(d.Prefecture)), BasisPrefecture
		case result.TierProvince:
			return at(capped(d.Province)), BasisProvince
		}
		return at(capped(d.Province)), BasisUnknownTier
	}
	// unknown level: the latest date any level could have
	return at(capped(d.Province)), BasisUnknownLevel
}

// LastDue is the latest report year whose deadline has passed on day now.
func (d Deadlines) LastDue(now time.Time, level result.Level, tier result.Tier) int {
	y := now.Year() - 1
	dl, _ := d.DeadlineFor(y, level, tier)
	if now.Format("2006-01-02") <= dl {
		return y - 1
	}
	return y
}

// published picks the publication date by the precedence of spec §6:
// 发布日期/发布时间 (and the CMS's PubDate meta), 发文日期, the list page's
// date, the date in the URL, bare 日期/时间, 更新时间. 成文日期 and the 落款
// date never decide. A date that cannot be this report's publication date
// (before its year ended, or after today) is set aside in Impossible and
// never decides either.
func (r *Report) published() {
	all := append(append([]result.Date{}, metaDates(r.Doc.Meta)...), metaDates(r.Hints.Extra)...)
	all = append(all, textDates(r.Paragraphs, all)...)
	all = append(all, tableDates(r.Doc, all)...)
	for i := range all {
		all[i].Origin = DateSource(all[i].Label)
	}
	r.Dates = all
	if r.Options.Published != "" {
		r.Published, r.PublishedFrom = r.Options.Published, FromFlag
		r.Why.Published = fromFlag
		return
	}
	cands := make([]result.Date, 0, len(all))
	for _, d := range all {
		if dates.Rank(d.Label) < 0 {
			continue
		}
		if r.impossible(d.Value) {
			r.Impossible = append(r.Impossible, d)
			continue
		}
		cands = append(cands, d)
	}
	sort.SliceStable(cands, func(i, j int) bool { return dates.Rank(cands[i].Label) < dates.Rank(cands[j].Label) })
	if len(cands) > 0 {
		r.Published, r.PublishedFrom = cands[0].Value, cands[0].Label
		r.Why.Published = DateSource(cands[0].Label)
	}
}

// impossible: a date before the report year ended, or after today, cannot
// be the report's publication date.
func (r *Report) impossible(d string) bool {
	if r.Year != 0 && d < fmt.Sprintf("%04d-01-01", r.Year+1) {
		return true
	}
	return d > r.Options.Now.Format("2006-01-02")
}

// PageDateBy returns the earliest date printed on the page itself (any
// label, the 落款 included; not the list's or the URL's) that is on or
// before day and could be this report's, "" when there is none: a later
// list or URL date may reflect a re-post.
func (r *Report) PageDateBy(day string) result.Date {
	var best result.Date
	for _, d := range r.Dates {
		if d.Label == dates.LabelList || d.Label == dates.LabelURL || d.Value > day || r.impossible(d.Value) {
			continue
		}
		if best.Value == "" || d.Value < best.Value {
			best = d
		}
	}
	return best
}

// DateSource says where a publication date was read, in both languages.
func DateSource(label string) result.Text {
	switch label {
	case dates.LabelList:
		return result.Text{Zh: "栏目列表中的日期", En: "the date in the column's list"}
	case dates.LabelURL:
		return result.Text{Zh: "网址中的日期", En: "the date in the URL"}
	case dates.LabelMeta:
		return result.Text{Zh: "页面元数据 PubDate", En: "the page's PubDate meta tag"}
	case dates.LabelSigned:
		return result.Text{Zh: "落款日期", En: "the date signed at the end"}
	}
	return result.Msg("页面标注的「%s」", "the page's %s label", label)
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
	r.Deadline, r.DeadlineNote = r.Options.Deadlines.DeadlineFor(r.Year, r.Level, r.Tier)
	r.Why.Deadline = BasisText(r.DeadlineNote)
}

// template decides the template: the table vocabulary when there is one
// (what the report actually printed), else the report year.
func (r *Report) template() {
	byYear := YearTemplate(r.Year)
	switch {
	case r.Vocabulary != "":
		r.Template, r.TemplateFrom = r.Vocabulary, "table-vocabulary"
		r.Why.Template = result.Text{Zh: "表格用语", En: "the tables' wording"}
	case byYear != "":
		r.Template, r.TemplateFrom = byYear, "report-year"
		r.Why.Template = result.Msg("报告年度%d", "the report year %d", r.Year)
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

// tableDates reads the page's metadata tables: a label cell (公开日期,
// 发布日期, 成文日期…) followed by a cell holding the date, or a cell holding
// both. Bare 日期/时间 labels count only in the tables at the top.
func tableDates(d *document.Document, have []result.Date) []result.Date {
	seen := map[string]bool{}
	for _, x := range have {
		seen[x.Label+x.Value] = true
	}
	var out []result.Date
	add := func(label, value string) {
		if !seen[label+value] {
			seen[label+value] = true
			out = append(out, result.Date{Label: label, Value: value})
		}
	}
	for bi, b := range d.Blocks {
		if b.Table == nil {
			continue
		}
		top := bi < dates.HeaderLines
		for _, row := range b.Table.Rows {
			prev := ""
			for _, c := range row {
				if c.Spanned || c.Text == "" {
					continue
				}
				if prev != "" {
					if v, ok := dates.Value(c.Text); ok {
						add(prev, v)
					}
				}
				prev = ""
				if l, ok := dates.LabelOnly(c.Text); ok && (top || !dates.Bare(l)) {
					prev = l
					continue
				}
				if len(c.Text) <= 90 {
					for _, f := range dates.Labelled(c.Text) {
						if top || !dates.Bare(f.Label) {
							add(f.Label, f.Date)
						}
					}
				}
			}
		}
	}
	return out
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
	add := func(f dates.Found) {
		if !seen[f.Label+f.Date] {
			seen[f.Label+f.Date] = true
			out = append(out, result.Date{Label: f.Label, Value: f.Date})
		}
	}
	for i, l := range lines {
		for _, f := range dates.Labelled(l) {
			if dates.Bare(f.Label) && i >= dates.HeaderLines {
				continue
			}
			add(f)
		}
	}
	for _, f := range dates.Paired(lines) {
		add(f)
	}
	if m, ok := dates.SignatureOf(lines); ok && !seen[m.Label+m.Value] {
		out = append(out, result.Date{Label: m.Label, Value: m.Value})
	}
	return out
}
