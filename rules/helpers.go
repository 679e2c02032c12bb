package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// annualReport returns the pass's report when it is an annual report whose
// text could be read, else nil: most document rules apply to nothing else.
func annualReport(p *Pass) *annual.Report {
	r := p.Document
	if r == nil || !r.IsReport() || r.Unreadable() {
		return nil
	}
	return r
}

// whole returns r when it was read whole, nil when a limit cut it short:
// the rules that report something absent (a section, a table, a row, a
// column, a topic) say nothing of a document whose unread part may hold
// it; DOC-LIMIT says it was not read completely.
func whole(r *annual.Report) *annual.Report {
	if r == nil || !r.ReadWhole() {
		return nil
	}
	return r
}

// templated returns the report when it follows a national template
// (2019 or 2021), the reports §3 rules apply to.
func templated(p *Pass) *annual.Report {
	r := annualReport(p)
	if r == nil || (r.Template != result.Template2019 && r.Template != result.Template2021) {
		return nil
	}
	return r
}

// value is a cell's number for arithmetic: blanks count as 0; missing and
// text cells are unusable (other rules report them).
func value(row *annual.Row, col string) (float64, bool) {
	if row == nil || !row.Found {
		return 0, false
	}
	c := row.Cell(col)
	if c == nil || c.Missing {
		return 0, false
	}
	switch c.Value.Kind {
	case num.Number:
		return c.Value.N, true
	case num.Blank:
		return 0, true
	}
	return 0, false
}

func ref(row *annual.Row, col string) result.CellRef {
	cr := result.CellRef{Row: rowName(row), Column: col}
	if c := row.Cell(col); c != nil {
		cr.Raw = c.Value.Raw
	}
	return cr
}

// rowName names a row with its group, as a reader finds it in the table:
// "（三）不予公开 1.属于国家秘密".
func rowName(row *annual.Row) string {
	if row == nil {
		return ""
	}
	s := row.Spec
	if s.Block != "" && strings.HasPrefix(s.Block, "（") && s.Block != "三、本年度办理结果" {
		return s.Block + " " + s.Label
	}
	return s.Label
}

func fmtNum(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// sumExpr writes "a(5) + b(3)" for messages, and the total.
func sumExpr(parts []term) (string, float64) {
	var sb strings.Builder
	total := 0.0
	for i, t := range parts {
		if i > 0 {
			sb.WriteString(" + ")
		}
		fmt.Fprintf(&sb, "%s(%s)", t.name, fmtNum(t.v))
		total += t.v
	}
	return sb.String(), total
}

type term struct {
	name string
	v    float64
}

// t3Value is a table 三 cell's value, where a blank 总计 stands for the
// row's sum: reports often leave 总计 unfilled (spec §3.5), which T3-ROW
// notes; the other identities must not read it as 0.
func t3Value(t *annual.Table, row *annual.Row, col string) (float64, bool) {
	if c := row.Cell(col); col == "总计" && c != nil && !c.Missing && c.Value.Kind == num.Blank {
		return rowSum(row, annual.T3Applicants())
	}
	return value(row, col)
}

// t3Sum is sum over t3Value.
func t3Sum(t *annual.Table, rows []*annual.Row, col string) (float64, bool) {
	total := 0.0
	for _, r := range rows {
		v, ok := t3Value(t, r, col)
		if !ok {
			return 0, false
		}
		total += v
	}
	return total, true
}

// rowSum adds a row's cells over the columns.
func rowSum(row *annual.Row, cols []string) (float64, bool) {
	s := 0.0
	for _, c := range cols {
		v, ok := value(row, c)
		if !ok {
			return 0, false
		}
		s += v
	}
	return s, true
}

// collect gathers the terms and cell references of (row, col) pairs of
// table 三 for the message of a failed identity.
func collect(t *annual.Table, rows []*annual.Row, col string) ([]term, []result.CellRef) {
	var ts []term
	var refs []result.CellRef
	for _, r := range rows {
		v, _ := t3Value(t, r, col)
		ts = append(ts, term{short(r), v})
		refs = append(refs, ref(r, col))
	}
	return ts, refs
}

// shortNames name the rows of table 三 compactly for arithmetic in
// messages.
var shortNames = map[string]string{
	annual.KeyNew:     "一、本年新收",
	annual.KeyCarried: "二、上年结转",
	annual.KeyTotal:   "（七）总计",
	annual.KeyForward: "四、结转下年度",
	"三.三.一":           "（一）予以公开",
	"三.三.二":           "（二）部分公开",
	annual.KeyOther19: "（六）其他处理",
}

// short is a compact row name for arithmetic in messages: 不予公开1.
func short(row *annual.Row) string {
	if s, ok := shortNames[row.Spec.Key]; ok {
		return s
	}
	if parts := strings.Split(row.Spec.Key, "."); len(parts) == 3 && parts[0] == "三" {
		return parts[1] + parts[2]
	}
	l := row.Spec.Label
	if r := []rune(l); len(r) > 10 {
		l = string(r[:10]) + "…"
	}
	return l
}

func snippet(row *annual.Row) string {
	if row == nil {
		return ""
	}
	var vs []string
	for _, c := range row.Cells {
		vs = append(vs, c.Value.Raw)
	}
	p := row.Printed
	if p == "" {
		p = row.Spec.Label
	}
	return p + " | " + strings.Join(vs, " | ")
}

func sectionNumbers(r *annual.Report) map[int]int {
	m := map[int]int{}
	for _, s := range r.Sections {
		m[s.Number]++
	}
	return m
}

var tableNamesEn = map[string]string{"二": "2", "三": "3", "四": "4"}
