package rules

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/norm"
	"github.com/ogicheck/ogicheck/result"
)

// textClaims are sentences in the text that quote a table figure: one
// row's, or the sum of several (「予以公开及部分公开N件」).
var textClaims = []struct {
	hint        string // a word the sentence must contain: a cheap filter before the regexp
	re          *regexp.Regexp
	name, en    string
	table       string
	keys        []string // rows summed
	columns     []string // summed
	sectionOnly []int
	part        bool // a part of the applications: 「其中…」 introduces it
}{
	// 收到, 受理, 新收: applications received. Not 办理, which may count
	// the carried-over ones too.
	{"申请", regexp.MustCompile(`(?:收到|受理|新收|接收)(?:各类|各种)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请(?:共计?|总计|合计)?(\d+)(?:件|个|条)`),
		"本年新收申请", "new applications", "三", []string{annual.KeyNew}, []string{"总计"}, nil, false},
	{"上年结转", regexp.MustCompile(`上年结转(?:政府信息公开)?申请(?:共计?)?(\d+)(?:件|个)`),
		"上年结转申请", "applications carried over", "三", []string{annual.KeyCarried}, []string{"总计"}, nil, false},
	{"部分公开", regexp.MustCompile(`(?:予以公开|同意公开)(?:和|及|与|、|或)(?:予以)?部分公开(?:的)?(?:申请)?(?:共计?)?(\d+)件`),
		"予以公开和部分公开", "disclosed in full or in part", "三", []string{"三.三.一", "三.三.二"}, []string{"总计"}, nil, true},
	{"无法提供", regexp.MustCompile(`无法提供(?:政府信息|相关信息|信息)?(?:的)?(?:申请)?(?:共计?)?(\d+)件`),
		"无法提供", "information that could not be provided", "三", []string{"三.无法提供.1", "三.无法提供.2", "三.无法提供.3"}, []string{"总计"}, nil, true},
	{"不予处理", regexp.MustCompile(`不予处理(?:的)?(?:申请)?(?:共计?)?(\d+)件`),
		"不予处理", "applications not processed", "三", []string{"三.不予处理.1", "三.不予处理.2", "三.不予处理.3", "三.不予处理.4", "三.不予处理.5"}, []string{"总计"}, nil, true},
	{"行政复议", regexp.MustCompile(`(?:被申请|发生|收到)?行政复议(?:案件|申请)?(?:共计?)?(\d+)(?:件|起|宗)`),
		"行政复议", "administrative reviews", "四", []string{"四"}, []string{"行政复议/总计"}, nil, false},
	{"行政诉讼", regexp.MustCompile(`(?:被提起|发生|涉及)?行政诉讼(?:案件)?(?:共计?)?(\d+)(?:件|起|宗)`),
		"行政诉讼", "lawsuits", "四", []string{"四"}, []string{"未经复议直接起诉/总计", "复议后起诉/总计"}, nil, false},
}

// TxtTbl checks figures quoted in the text against the tables.
var TxtTbl = register(&Rule{
	ID:       "TXT-TBL",
	Category: result.CatTextTableMismatch,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "正文数字与表格不一致", En: "Text contradicts the tables"},
	Doc: result.Text{
		Zh: "正文（主要是一、总体情况）引用的数字应与表格一致：「收到（受理、新收）政府信息公开申请X件」对应表三「一、本年新收」总计；「上年结转X件」对应表三「二」总计；「予以公开及部分公开X件」对应（一）（二）两行总计之和；「因…等原因无法提供X件」对应（四）无法提供三行总计之和；「不予处理X件」对应（五）不予处理五行总计之和；「行政复议X件」对应表四行政复议总计；「行政诉讼X件」对应表四两类起诉总计之和。总计栏空白时按该行各栏之和计算。「办理申请X件」可能含上年结转，不作比较。这是第三方通行做法，为警告。规范第3.5节 TXT-TBL。",
		En: "Figures quoted in the text (mostly 一、总体情况) should equal the tables: 收到/受理/新收申请X件 = table 三 row 一 总计; 上年结转X件 = row 二 总计; 予以公开及部分公开X件 = rows （一） and （二） together; 因…等原因无法提供X件 = the three （四） rows together; 不予处理X件 = the five （五） rows together; 行政复议X件 = table 四 review total; 行政诉讼X件 = the two lawsuit totals together. A blank 总计 counts as its row's sum. 办理申请X件 may include the carried-over ones and is not compared. Third-party practice, so a warning. Spec §3.5 (TXT-TBL).",
	},

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
			key     string // norm.Key(text), made when first needed
		}
		var lines []line
		for _, s := range r.Sections {
			if s.Number == 1 || s.Number == 3 || s.Number == 4 {
				for _, l := range s.Text {
					lines = append(lines, line{text: l, section: s.Number})
				}
			}
		}
		if len(r.Sections) == 0 {
			for _, l := range r.Paragraphs {
				lines = append(lines, line{text: l})
			}
		}
		seen := map[string]bool{}
		for _, c := range textClaims {
			t := r.Tables[c.table]
			sum, usable := 0.0, true
			var refs []result.CellRef
			var names []string
			for _, key := range c.keys {
				row := t.Row(key)
				if row == nil || !row.Found {
					usable = false
					break
				}
				names = append(names, rowName(row))
				for _, col := range c.columns {
					v, ok := value(row, col)
					if c.table == "三" {
						// a blank 总计 is the row's sum
						v, ok = t3Value(t, row, col)
					}
					if !ok {
						usable = false
						break
					}
					sum += v
					refs = append(refs, ref(row, col))
				}
			}
			if !usable {
				continue
			}
			for i := range lines {
				l := &lines[i]
				if !strings.Contains(l.text, c.hint) {
					continue
				}
				if !(l.section == 4 && c.table == "四") && !strings.Contains(l.text, "信息公开") && !strings.Contains(l.text, "依申请") {
					continue
				}
				if l.key == "" {
					l.key = norm.Key(l.text)
				}
				k := l.key
				for _, m := range c.re.FindAllStringSubmatchIndex(k, -1) {
					n, err := strconv.ParseFloat(k[m[2]:m[3]], 64)
					if err != nil || n == sum || seen[c.name] {
						continue
					}
					// "其中行政复议1件" style sub-counts are not totals
					if !c.part && strings.HasSuffix(k[max(0, m[0]-6):m[0]], "其中") {
						continue
					}
					seen[c.name] = true
					quoteText := k[m[0]:m[1]]
					p.Report(Diagnostic{Evidence: result.Evidence{Table: c.table, Row: strings.Join(names, " + "), Column: strings.Join(c.columns, "+"), Cells: refs,
						Expected: fmtNum(sum), Actual: fmtNum(n), Snippet: quoteText}, Message: result.Text{Zh: "正文称「" + quoteText + "」，表" + c.table + "中" + c.name + "为" + fmtNum(sum), En: "the text says " + quote(quoteText) + " but table " + tableNamesEn[c.table] + " gives " + fmtNum(sum) + " " + c.en}})
				}
			}
		}
	},
})
