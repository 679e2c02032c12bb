package rules

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/norm"
	"github.com/ogicheck/ogicheck/result"
)

// textClaims are sentences in the text that quote a table figure.
var textClaims = []struct {
	hint        string // a word the sentence must contain: a cheap filter before the regexp
	re          *regexp.Regexp
	name, en    string
	table, key  string
	columns     []string // summed
	sectionOnly []int
}{
	{"申请", regexp.MustCompile(`(?:收到|受理|新收|接收|办理)(?:各类|各种)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请(?:共计?|总计|合计)?(\d+)(?:件|个|条)`),
		"本年新收申请", "new applications", "三", annual.KeyNew, []string{"总计"}, nil},
	{"上年结转", regexp.MustCompile(`上年结转(?:政府信息公开)?申请(?:共计?)?(\d+)(?:件|个)`),
		"上年结转申请", "applications carried over", "三", annual.KeyCarried, []string{"总计"}, nil},
	{"行政复议", regexp.MustCompile(`(?:被申请|发生|收到)?行政复议(?:案件|申请)?(?:共计?)?(\d+)(?:件|起|宗)`),
		"行政复议", "administrative reviews", "四", "四", []string{"行政复议/总计"}, nil},
	{"行政诉讼", regexp.MustCompile(`(?:被提起|发生|涉及)?行政诉讼(?:案件)?(?:共计?)?(\d+)(?:件|起|宗)`),
		"行政诉讼", "lawsuits", "四", "四", []string{"未经复议直接起诉/总计", "复议后起诉/总计"}, nil},
}

// TxtTbl checks figures quoted in the text against the tables.
var TxtTbl = register(&Rule{
	ID:       "TXT-TBL",
	Category: result.CatTextTableMismatch,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "正文数字与表格不一致", En: "result.Text contradicts the tables"},
	Doc:      result.Text{Zh: "正文（主要是一、总体情况）引用的数字应与表格一致：「收到政府信息公开申请X件」对应表三「一、本年新收」总计；「上年结转X件」对应表三「二」总计；「行政复议X件」对应表四行政复议总计；「行政诉讼X件」对应表四两类起诉总计之和。这是第三方通行做法，为警告。规范第3.5节 TXT-TBL。", En: "Figures quoted in the text (mostly 一、总体情况) should equal the tables: 收到申请X件 = table 三 row 一 总计; 上年结转X件 = row 二 总计; 行政复议X件 = table 四 review total; 行政诉讼X件 = the two lawsuit totals together. Third-party practice, so a warning. Spec §3.5 (TXT-TBL)."},

	Spec: "§3.5 TXT-TBL",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil {
			return
		}
		// Sentences about disclosure only: 「政务服务中心受理各类申请」 or a
		// 司法局's own 「办理行政复议案件」 are other matters. Section 四
		// is about disclosure reviews and lawsuits throughout.
		type line struct {
			text    string
			section int
		}
		var lines []line
		for _, s := range r.Sections {
			if s.Number == 1 || s.Number == 3 || s.Number == 4 {
				for _, l := range s.Text {
					lines = append(lines, line{l, s.Number})
				}
			}
		}
		if len(r.Sections) == 0 {
			for _, l := range r.Paragraphs {
				lines = append(lines, line{l, 0})
			}
		}
		seen := map[string]bool{}
		for _, c := range textClaims {
			t := r.Tables[c.table]
			row := t.Row(c.key)
			if row == nil || !row.Found {
				continue
			}
			sum, usable := 0.0, true
			var refs []result.CellRef
			for _, col := range c.columns {
				v, ok := value(row, col)
				if c.table == "三" {
					v, ok = t3Value(t, row, col)
				}
				if !ok {
					usable = false
					break
				}
				sum += v
				refs = append(refs, ref(row, col))
			}
			if !usable {
				continue
			}
			for _, l := range lines {
				if !strings.Contains(l.text, c.hint) {
					continue
				}
				if !(l.section == 4 && c.table == "四") && !strings.Contains(l.text, "信息公开") && !strings.Contains(l.text, "依申请") {
					continue
				}
				k := norm.Key(l.text)
				for _, m := range c.re.FindAllStringSubmatchIndex(k, -1) {
					n, err := strconv.ParseFloat(k[m[2]:m[3]], 64)
					if err != nil || n == sum || seen[c.name] {
						continue
					}
					// "其中行政复议1件" style sub-counts are not totals
					if strings.HasSuffix(k[max(0, m[0]-6):m[0]], "其中") {
						continue
					}
					seen[c.name] = true
					quoteText := k[m[0]:m[1]]
					p.Report(Diagnostic{Evidence: result.Evidence{Table: c.table, Row: rowName(row), Column: strings.Join(c.columns, "+"), Cells: refs,
						Expected: fmtNum(sum), Actual: fmtNum(n), Snippet: quoteText}, Message: result.Text{Zh: "正文称「" + quoteText + "」，表" + c.table + "中" + c.name + "为" + fmtNum(sum), En: "the text says " + quote(quoteText) + " but table " + tableNamesEn[c.table] + " gives " + fmtNum(sum) + " " + c.en}})
				}
			}
		}
	},
})
