package simnet

import (
	"fmt"
	"slices"
	"strings"
)

// Rule IDs and categories from contract.md.
var categories = map[string]string{
	"DOC-KIND": "not-annual-report", "DOC-TEMPLATE": "template-mismatch",
	"SEC-MISSING": "missing-section", "SEC-ART32": "missing-content", "SEC6-FEE": "missing-content",
	"TBL-MISSING": "missing-table", "TBL-ROW": "missing-row", "T3-21-OTHER": "missing-row",
	"T3-COL": "table-identity", "T3-SUM": "table-identity", "T3-ROW": "table-identity", "T4-SUM": "table-identity",
	"T2-19-ONE": "table-identity",
	"T3-XYEAR":  "cross-year", "T2-19-XYEAR": "cross-year", "T2-21-XYEAR": "cross-year",
	"DUP-CONTENT": "duplicate-content", "TXT-TBL": "text-table-mismatch",
	"PUB-LATE": "late-publication", "PUB-UNKNOWN": "unknown-publication-date",
	"SITE-NO-COLUMN": "missing-report-column", "SITE-MISSING-REPORT": "missing-report",
	"SITE-BROKEN-LINK": "broken-link", "SITE-LIMIT": "limit-exceeded", "SITE-LIST-UNREADABLE": "list-unreadable",
}

var severities = map[string]string{
	"DOC-KIND": "info", "PUB-UNKNOWN": "info",
	"DOC-TEMPLATE": "warning", "SEC-ART32": "warning", "SEC6-FEE": "warning", "T2-19-ONE": "warning",
	"T3-XYEAR": "warning", "T2-19-XYEAR": "warning", "T2-21-XYEAR": "warning", "DUP-CONTENT": "warning",
	"TXT-TBL": "warning", "SITE-LIMIT": "warning", "T3-21-OTHER": "warning",
}

func expect(site string, year int, rule, url, note string) Expectation {
	sev := severities[rule]
	if sev == "" {
		sev = "error"
	}
	return Expectation{Site: site, Year: year, Rule: rule, Category: categories[rule], Severity: sev, URL: url, Note: note}
}

// readable reports whether a checker can read the report's text under the
// armed faults.
func (r *rep) readable() bool {
	if !r.published || r.format == "broken" || r.pageFault == fLoop {
		return false
	}
	if r.format == "docx" && (r.atts[0].fault == fPermanent5xx || r.atts[0].fault == fHang) {
		return false
	}
	return true
}

// docURL is where the report's text is: the page, or its attachment.
func (g *sg) docURL(r *rep) string {
	if r.format == "docx" || r.format == "pdf" {
		return g.abs(r.atts[0].path)
	}
	return g.abs(r.path)
}

// truth lists every error and warning a correct checker reports on the
// generated internet, plus the info findings PUB-UNKNOWN and DOC-KIND.
// Identity and cross-year findings are computed from the printed numbers,
// so they also catch anything the generator did not mean to plant.
func truth(gens []*sg, cfg Config) []Expectation {
	var out []Expectation
	for _, g := range gens {
		site := g.s.Home
		add := func(year int, rule, url, note string) {
			out = append(out, expect(site, year, rule, url, note))
		}
		if g.noColumn {
			add(0, "SITE-NO-COLUMN", "", "the 专栏 links no 年报 column")
			continue
		}
		covered := map[int]bool{}
		for _, g := range append([]*sg{g}, g.subs...) { // a city column lists its departments' reports too
			for _, y := range g.years {
				r := g.reps[y]
				if !r.published {
					continue
				}
				covered[y] = true
				page := g.abs(r.path)
				dl := deadline(y, g.s.Level)
				switch {
				case !r.hasDate:
					add(y, "PUB-UNKNOWN", page, "no date in the list, on the page or in the URL")
				case dateOnly(r.pub).After(dl):
					add(y, "PUB-LATE", page, fmt.Sprintf("published %s, deadline %s (%s)", r.pub.Format("2006-01-02"), dl.Format("2006-01-02"), g.s.Level))
				}
				switch {
				case r.format == "broken":
					add(y, "SITE-BROKEN-LINK", g.abs(r.atts[0].path), map[string]string{
						d404: "attachment answers 404", dTiny: "attachment is a 2-byte PDF", dSoft404: "a .doc link answers an HTML error page with status 200",
					}[r.defect])
				case r.pageFault == fLoop:
					add(y, "SITE-BROKEN-LINK", page, "report page redirects in a loop")
				}
				for _, a := range r.atts {
					switch a.fault {
					case fPermanent5xx:
						add(y, "SITE-BROKEN-LINK", g.abs(a.path), "attachment always answers 503")
					case fHang:
						add(y, "SITE-BROKEN-LINK", g.abs(a.path), "attachment never answers (times out on every attempt)")
					case fHuge:
						add(y, "SITE-LIMIT", g.abs(a.path), fmt.Sprintf("attachment of %d bytes", cfg.Faults.OversizedBytes))
					}
				}
				if !r.readable() {
					continue
				}
				out = append(out, g.docTruth(r)...)
			}
		}
		for _, x := range g.extras {
			kind := map[string]string{"plan": "政务公开工作要点", "letter": "函"}[x.other]
			add(x.year, "DOC-KIND", g.abs(x.path), "a "+kind+" in the 年报 column")
		}
		if len(covered) > 0 {
			first := slices.Min(mapKeys(covered))
			level := g.s.Level
			if len(g.subs) > 1 { // most reports in the column are the departments'
				level = LevelDepartment
			}
			for y := first; y <= lastDue(cfg.Now, level); y++ {
				if !covered[y] {
					add(y, "SITE-MISSING-REPORT", "", fmt.Sprintf("no %d report in the column (deadline %s)", y, deadline(y, level).Format("2006-01-02")))
				}
			}
		}
	}
	return out
}

func mapKeys(m map[int]bool) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// docTruth lists the findings on one readable report.
func (g *sg) docTruth(r *rep) []Expectation {
	var out []Expectation
	site, y, url := g.s.Home, r.year, g.docURL(r)
	add := func(rule, note string) { out = append(out, expect(site, y, rule, url, note)) }
	switch r.defect {
	case dSecMissing:
		add("SEC-MISSING", "section 五 (存在的主要问题及改进情况) is missing")
	case dTblMissing:
		add("TBL-MISSING", "table 四 is missing; section 四 is text only")
	case dDocTemplate:
		add("DOC-TEMPLATE", fmt.Sprintf("a %d report printed on the 2019 tables (本年新制作数量, one （六）其他处理 row)", y))
	case dNoFee:
		add("SEC6-FEE", "section 六 says nothing about 信息处理费")
	case dNoReview:
		add("SEC-ART32", "no word on 行政复议 or 行政诉讼 (Art. 32 item 四)")
	case dDup:
		add("DUP-CONTENT", fmt.Sprintf("text repeats the %d report with the year changed", y-1))
	case dTxtTbl:
		add("TXT-TBL", fmt.Sprintf("总体情况 says 收到政府信息公开申请%d件, table 三 一、本年新收 总计 is %d", r.quoted, r.t3.rows[0][t3Total]))
	}
	if r.t3 == nil {
		return out
	}
	for _, c := range r.t3.failing() {
		add(c.rule, c.note)
	}
	if r.t4 != nil {
		for _, c := range r.t4.failing() {
			add(c.rule, c.note)
		}
	}
	if r.t2 != nil && !r.t2.v2021 {
		for i, name := range []string{"规章", "规范性文件"} {
			if r.t2.rules[i][1] > r.t2.rules[i][2] {
				add("T2-19-ONE", name+": 本年新公开数量 above 对外公开总数量")
			}
		}
	}
	// cross-year checks against the previous year's report
	prev, ok := g.reps[y-1]
	if ok && prev.readable() && prev.t3 != nil && y >= 2020 {
		for c := range 7 {
			was := prev.t3.rows[prev.t3.rowOut()][c]
			if now := r.t3.rows[r.t3.rowCarry()][c]; now != was {
				add("T3-XYEAR", fmt.Sprintf("column %s: 二、上年结转 %d, %d report 四、结转下年度 %d", t3Cols[c], now, y-1, was))
			}
		}
		a, b := r.t2, prev.t2
		if !a.v2021 && !b.v2021 {
			names := []string{"行政许可", "其他对外管理服务事项", "行政处罚", "行政强制"}
			for i := range a.items {
				if a.items[i][0] != b.items[i][0]+b.items[i][1] {
					add("T2-19-XYEAR", names[i]+": 上一年项目数量 does not follow the previous report")
				}
			}
			if a.fees19[0] != b.fees19[0]+b.fees19[1] {
				add("T2-19-XYEAR", "行政事业性收费: 上一年项目数量 does not follow the previous report")
			}
			for i, name := range []string{"规章", "规范性文件"} {
				if a.rules[i][2] < b.rules[i][2] {
					add("T2-19-ONE", name+": 对外公开总数量 fell")
				}
			}
		}
		if a.v2021 && b.v2021 {
			for i, name := range []string{"规章", "行政规范性文件"} {
				if a.rules[i][2] != b.rules[i][2]+a.rules[i][0]-a.rules[i][1] {
					add("T2-21-XYEAR", name+": 现行有效件数 does not follow the previous report")
				}
			}
		}
	}
	if r.pdf != "" {
		out = append(out, g.pdfJudgement(r)...)
	}
	return out
}

// pdfJudgement lists what the contract leaves open on the real reports.
// They print table 三 with the single （六）其他处理 row of the 2019 format
// under a 2021-format table 二, misprint a row label, and the 2024 one
// quotes 17 applications received by the 区政府办 against 95 in the table.
func (g *sg) pdfJudgement(r *rep) []Expectation {
	var out []Expectation
	opt := func(rule, note string) {
		e := expect(g.s.Home, r.year, rule, g.docURL(r), note)
		e.Optional = true
		out = append(out, e)
	}
	opt("DOC-TEMPLATE", "table 二 in the 2021 format, table 三 with the 2019 single （六）其他处理 row")
	for _, l := range t3Other21 {
		opt("T3-21-OTHER", "2021 row absent (one （六）其他处理 row instead): "+l)
	}
	opt("TBL-ROW", "row label misprinted as 「2.其他法律行政止公开」")
	if r.year == 2024 {
		opt("TXT-TBL", "总体情况 says 区政府办…受理政府信息公开申请 17 件; table 三 一、本年新收 总计 is 95")
		opt("DUP-CONTENT", "shares about half of its prose with the 2023 report (4-gram Jaccard 0.41)")
	}
	return out
}

// String formats an expectation on one line.
func (e Expectation) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s", e.Rule, e.Site)
	if e.Year != 0 {
		fmt.Fprintf(&sb, " %d", e.Year)
	}
	if e.URL != "" {
		sb.WriteString(" " + e.URL)
	}
	if e.Optional {
		sb.WriteString(" (optional)")
	}
	if e.Note != "" {
		sb.WriteString(": " + e.Note)
	}
	return sb.String()
}
