package reports

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/ogicheck/ogicheck/result"
)

// writeSummary renders the compact terminal view for scans of many sites:
// one row per site (or per document when no site was crawled), then the
// errors and warnings one line each, then the totals. The full evidence is
// in the other formats.
func writeSummary(w *bytes.Buffer, v *view) error {
	t := v.t
	tb := newTable(w)
	zh := v.opts.Lang != LangEn
	pick := func(zhText, en string) string {
		if zh {
			return zhText
		}
		return en
	}
	agencyOf := map[string]string{}
	perSite := map[string]*result.Counts{}
	for _, d := range v.res.Documents {
		if d.Site == "" {
			continue
		}
		c := perSite[d.Site]
		if c == nil {
			c = &result.Counts{}
			perSite[d.Site] = c
		}
		add(c, d.Findings)
	}
	if len(v.res.Sites) > 0 {
		header := []string{"#", t.hAgency, t.hURL, pick("年报栏目", "Column"), pick("年度", "Years"),
			t.severity(result.SeverityError), t.severity(result.SeverityWarning)}
		var rows [][]string
		for i, s := range v.res.Sites {
			c := perSite[s.URL]
			if c == nil {
				c = &result.Counts{}
			}
			add(c, s.Findings)
			agency := s.Agency
			if agency == "" {
				agency = t.unknown
			}
			agencyOf[s.URL] = agency
			col := pick("有", "found")
			switch {
			case s.Unchecked != (result.Text{}):
				col = t.hUnchecked
			case s.Column == "":
				col = pick("未找到", "none")
			}
			rows = append(rows, []string{itoa(i + 1), termText(agency), termText(s.URL), col, yearSpan(s.Years),
				itoa(c.Error), itoa(c.Warning)})
		}
		if err := summaryTable(w, tb, v, header, rows); err != nil {
			return err
		}
	}
	var loose [][]string
	for _, d := range v.res.Documents {
		if d.Site != "" {
			continue
		}
		var c result.Counts
		add(&c, d.Findings)
		name := d.Title
		if name == "" {
			name = d.Source
		}
		loose = append(loose, []string{itoa(len(loose) + 1), termText(name), t.kind(d.Kind), t.year(d.Year),
			itoa(c.Error), itoa(c.Warning)})
	}
	if len(loose) > 0 {
		header := []string{"#", t.document, t.hKind, t.hYear, t.severity(result.SeverityError), t.severity(result.SeverityWarning)}
		if err := summaryTable(w, tb, v, header, loose); err != nil {
			return err
		}
	}

	type line struct {
		sev                  result.Severity
		rule, who, year, msg string
	}
	var lines []line
	for _, s := range v.res.Sites {
		for _, f := range s.Findings {
			y := ""
			if f.Evidence.Year != 0 {
				y = itoa(f.Evidence.Year)
			}
			lines = append(lines, line{f.Severity, f.Rule, agencyOf[s.URL], y, f.Message})
		}
	}
	for _, d := range v.res.Documents {
		who := d.Agency
		if who == "" {
			who = agencyOf[d.Site]
		}
		if who == "" {
			who = d.Source
		}
		for _, f := range d.Findings {
			lines = append(lines, line{f.Severity, f.Rule, who, t.year(d.Year), f.Message})
		}
	}
	var shown []line
	for _, l := range lines {
		if l.sev == result.SeverityError || l.sev == result.SeverityWarning {
			shown = append(shown, l)
		}
	}
	sort.SliceStable(shown, func(i, j int) bool {
		if shown[i].sev.Rank() != shown[j].sev.Rank() {
			return shown[i].sev.Rank() > shown[j].sev.Rank()
		}
		return shown[i].rule < shown[j].rule
	})
	if len(shown) > 0 {
		fmt.Fprintf(w, "%s\n", pick("错误和警告（提示类见完整报告）：", "Errors and warnings (info findings are in the full report):"))
		header := []string{t.hSeverity, t.hRule, t.hAgency, t.hYear, t.hMessage}
		rows := make([][]string, len(shown))
		for i, l := range shown {
			rows[i] = []string{t.severity(l.sev), termText(l.rule), clip(termText(l.who), 12), l.year, termText(l.msg)}
		}
		if err := summaryTable(w, tb, v, header, rows); err != nil {
			return err
		}
	}
	w.WriteString(v.totals() + "\n")
	return nil
}

func add(c *result.Counts, fs []result.Finding) {
	for _, f := range fs {
		switch f.Severity {
		case result.SeverityError:
			c.Error++
		case result.SeverityWarning:
			c.Warning++
		case result.SeverityInfo:
			c.Info++
		}
	}
}

// yearSpan writes years compactly: 2013–2019, 2021, 2023–2025.
func yearSpan(ys []int) string {
	if len(ys) == 0 {
		return "—"
	}
	var parts []string
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", ys[i], ys[j]))
		} else {
			parts = append(parts, itoa(ys[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// summaryCaps gives every column its natural width but the last, which
// takes what is left of the line (at least 20).
func summaryCaps(header []string, rows [][]string, width int) []int {
	if width <= 0 {
		width = 120
	}
	caps := make([]int, len(header))
	for j, h := range header {
		caps[j] = twwidth.Width(h)
	}
	for _, r := range rows {
		for j, c := range r {
			caps[j] = max(caps[j], twwidth.Width(c))
		}
	}
	used := 3*len(header) + 1
	for _, c := range caps[:len(caps)-1] {
		used += c
	}
	last := len(caps) - 1
	caps[last] = max(min(caps[last], width-used), 20)
	return caps
}

func summaryTable(w *bytes.Buffer, tb *tablewriter.Table, v *view, header []string, rows [][]string) error {
	caps := summaryCaps(header, rows, v.opts.Width)
	tb.Reset()
	tb.Header(header)
	for _, r := range rows {
		cells := make([]string, len(r))
		for j, c := range r {
			cells[j] = strings.Join(wrapCell(c, caps[j]), "\n")
		}
		if err := tb.Append(cells); err != nil {
			return fmt.Errorf("add table row: %w", err)
		}
	}
	if err := tb.Render(); err != nil {
		return fmt.Errorf("render table: %w", err)
	}
	w.WriteString("\n")
	return nil
}

// clip shortens s to n characters: the summary names an agency, it does
// not need all of 「天津市宁河区市场和质量监督管理局」 on every line.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
