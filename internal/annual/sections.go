package annual

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/norm"
	"github.com/ogicheck/ogicheck/internal/num"
)

// headingRe matches a top-level heading: a Chinese numeral and 、 (or a dot),
// as the template numbers its six sections. Sub-headings use （一）.
var headingRe = regexp.MustCompile(`^\s*(?:第[一二三四五六七八九十]部分|[一二三四五六七八九十]{1,2})\s*[、.．，,]?\s*`)

// sectionKeys identify the six sections by content (spec §3.1), tolerant of
// the variants and typos seen in real reports (「行政法复议」).
var sectionKeys = []struct {
	n   int
	res []*regexp.Regexp
}{
	{1, []*regexp.Regexp{regexp.MustCompile(`总体情况|^总体|概述|概况|基本情况`)}},
	{3, []*regexp.Regexp{regexp.MustCompile(`收到和处理|收到及处理|收到与处理|依申请公开|处理政府信息公开申请|公开申请情况`)}},
	{2, []*regexp.Regexp{regexp.MustCompile(`主动公开`)}},
	{4, []*regexp.Regexp{regexp.MustCompile(`复议|诉讼`)}},
	{5, []*regexp.Regexp{regexp.MustCompile(`存在.{0,4}问题|问题及改进|问题和改进|主要问题|不足.{0,4}改进|改进情况`)}},
	{6, []*regexp.Regexp{regexp.MustCompile(`其他需要报告|其他需报告|其他事项|其它需要报告|其他需要说明|其他报告事项`)}},
}

// exactHeadings are the official headings and their variants seen in real
// reports (spec §3.1), without numbering, as keys.
var exactHeadings = func() map[string]int {
	m := map[string]int{}
	for n, hs := range map[int][]string{
		1: {"总体情况"},
		2: {"主动公开政府信息情况", "行政机关主动公开政府信息情况"},
		3: {"收到和处理政府信息公开申请情况"},
		4: {"政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议和提起行政诉讼情况", "政府信息公开行政复议行政诉讼情况"},
		5: {"存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况", "存在问题及改进情况"},
		6: {"其他需要报告的事项"},
	} {
		for _, h := range hs {
			m[norm.Key(h)] = n
		}
	}
	return m
}()

// headingEnd: every heading and variant ends in 情况, 事项 or 措施 (a full
// stop may follow): a cheap test that spares the lines that are not.
func headingEnd(line string) bool {
	t := strings.TrimRight(line, " 。.．\u3000")
	for _, e := range []string{"情况", "事项", "措施", "情況", "事項", "措施"} {
		if strings.HasSuffix(t, e) {
			return true
		}
	}
	return false
}

// headingForms are the official headings and variants (exactHeadings)
// in a looser form: without 的 and 、, 和/与 as 及, 措施 as 情况.
var headingForms = func() map[string]int {
	m := map[string]int{}
	for k, n := range exactHeadings {
		m[looseHeading(k)] = n
	}
	return m
}()

var looseReplacer = strings.NewReplacer("的", "", "、", "", "和", "及", "与", "及", "措施", "情况", ".", "", ":", "")

func looseHeading(k string) string { return looseReplacer.Replace(k) }

// subjectRe is what may stand before a heading's words: the agency
// (…办公室, 本机关, 我局) or the year.
var subjectRe = regexp.MustCompile(`(人民政府|政府|管委会|管理委员会|办事处|局|委员会|委|办公室|办公厅|办|厅|中心|署|院|所|站|本机关|本单位|本部门|年度|年)$`)

// unnumbered matches a heading printed without numbering (or with a
// numbering already stripped) to a section: an official heading or a
// variant, loosely (「收到和处理政府信息公开申请的情况」, a trailing full stop),
// after a subject (「XX局主动公开政府信息情况」), or cut short at the front
// (「行政复议、行政诉讼情况」).
func unnumbered(k string) int {
	if n := exactHeadings[k]; n != 0 {
		return n
	}
	if utf8.RuneCountInString(k) > 40 || strings.ContainsAny(strings.TrimRight(k, "."), ".;,，。；") {
		return 0
	}
	l := looseHeading(k)
	if n := headingForms[l]; n != 0 {
		return n
	}
	for h, n := range headingForms {
		if pre, ok := strings.CutSuffix(l, h); ok && utf8.RuneCountInString(pre) <= 16 && subjectRe.MatchString(pre) {
			return n
		}
		if utf8.RuneCountInString(l) >= 10 && strings.HasSuffix(h, l) {
			return n
		}
	}
	return 0
}

// SectionTitles are the official headings (spec §3.1), for messages.
var SectionTitles = [7]string{"",
	"一、总体情况",
	"二、主动公开政府信息情况",
	"三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况",
	"五、存在的主要问题及改进情况",
	"六、其他需要报告的事项",
}

// SectionNumber returns which of the six sections a heading line is, or 0.
func SectionNumber(line string) int {
	if len(line) > 150 {
		return 0
	}
	if !(isHeading(line) || strings.HasPrefix(strings.TrimSpace(line), "第")) {
		// an unnumbered or （一）-numbered heading must be an official
		// heading word for word, so it is short
		if len(line) > 120 || !headingEnd(line) {
			return 0
		}
		k := norm.Key(line)
		if strings.HasPrefix(k, "(") {
			// a （一）-numbered line is a sub-heading unless it is an
			// official heading word for word
			return exactHeadings[stripNumbering(k)]
		}
		return unnumbered(stripNumbering(k))
	}
	loc := headingRe.FindStringIndex(line)
	if loc == nil {
		return 0
	}
	if len(line)-loc[1] > 130 {
		return 0 // more than 40 characters: a sentence, not a heading
	}
	// a sentence is not a heading: 「二、主动公开力度加大。全年公开…」; a
	// heading may end in a full stop
	after := strings.TrimRight(line[loc[1]:], "。.． ")
	if strings.ContainsAny(after, "。；;") {
		return 0
	}
	rest := norm.Key(after)
	if rest == "" || len([]rune(rest)) > 40 {
		return 0
	}
	for _, k := range sectionKeys {
		for _, re := range k.res {
			if re.MatchString(rest) {
				return k.n
			}
		}
	}
	return 0
}

// textLine is a line of body text with the block it came from.
type textLine struct {
	text  string
	block int
}

// textLines returns the document's lines of text in order: paragraphs, and
// table rows that hold one piece of text only. Reports converted to
// spreadsheets, and pages laid out with tables, carry their headings and
// paragraphs in such rows.
func textLines(d *document.Document) []textLine {
	var out []textLine
	for i, b := range d.Blocks {
		switch {
		case b.Table != nil:
			for _, row := range b.Table.Rows {
				if t, ok := soleText(row); ok {
					out = append(out, textLine{t, i})
				}
			}
		case len(b.Text) > longLine:
			for _, part := range splitHeadings(b.Text) {
				out = append(out, textLine{part, i})
			}
		case b.Text != "":
			out = append(out, textLine{b.Text, i})
		}
	}
	return out
}

// longLine is the length (in bytes) beyond which a paragraph may be a whole
// report run together on one line, whose headings stand inline.
const longLine = 1800

// inlineHeadingRe finds a section heading inside a run-together line: a
// numeral and 、 followed by an official heading or a variant seen in real
// reports (spec §3.1), which are specific enough not to occur in prose.
var inlineHeadingRe = func() *regexp.Regexp {
	var hs []string
	for _, h := range []string{"总体情况", "行政机关主动公开政府信息情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
		"政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议和提起行政诉讼情况", "政府信息公开行政复议和行政诉讼情况",
		"政府信息公开工作存在的主要问题及改进情况", "存在的主要问题及改进情况", "存在问题及改进情况", "其他需要报告的事项"} {
		hs = append(hs, regexp.QuoteMeta(h))
	}
	return regexp.MustCompile(`[一二三四五六七]\s*[、.．]\s*(?:` + strings.Join(hs, "|") + `)`)
}()

// splitHeadings cuts a run-together line before and after each inline
// section heading, so that the heading is a line of its own.
func splitHeadings(s string) []string {
	locs := inlineHeadingRe.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return []string{s}
	}
	var out []string
	at := 0
	for _, l := range locs {
		if l[0] > at {
			out = append(out, s[at:l[0]])
		}
		out = append(out, s[l[0]:l[1]])
		at = l[1]
	}
	if at < len(s) {
		out = append(out, s[at:])
	}
	return out
}

// soleText reports the text of a row whose non-empty cells are one cell (and
// its span copies), when that text is not a number.
func soleText(row []document.Cell) (string, bool) {
	text := ""
	for _, c := range row {
		if c.Text == "" || c.Spanned {
			continue
		}
		if text != "" {
			return "", false
		}
		text = c.Text
	}
	if text == "" || num.Looks(text) {
		return "", false
	}
	return text, true
}

// findSections returns the section headings among the lines, each with the
// text up to the next heading.
func findSections(lines []textLine) []Section {
	var out []Section
	for _, l := range lines {
		if n := SectionNumber(l.text); n != 0 {
			out = append(out, Section{Number: n, Heading: l.text, Block: l.block})
			continue
		}
		if len(out) > 0 {
			s := &out[len(out)-1]
			s.Text = append(s.Text, l.text)
		}
	}
	return out
}

// art32Topics are the 2007 Regulation's Art. 32 report items (spec §4),
// each as alternative keyword groups that must all occur.
var art32Topics = []struct {
	Name, En string
	Any      [][]string
}{
	{"主动公开政府信息的情况", "proactive disclosure", [][]string{{"主动公开"}}},
	{"依申请公开政府信息的情况", "disclosure on application", [][]string{{"依申请"}, {"申请公开"}, {"公开申请"}, {"申请", "答复"}}},
	{"不予公开政府信息的情况", "information withheld", [][]string{{"不予公开"}, {"不公开"}, {"没有", "申请"}, {"未", "申请"}, {"无", "申请"}}},
	{"政府信息公开的收费及减免情况", "fees and waivers", [][]string{{"收费"}, {"减免"}, {"费用"}}},
	{"因政府信息公开申请行政复议、提起行政诉讼的情况", "administrative review and litigation", [][]string{{"复议"}, {"诉讼"}}},
	{"政府信息公开工作存在的主要问题及改进情况", "problems and improvements", [][]string{{"问题", "改进"}, {"不足", "改进"}, {"问题", "措施"}, {"问题", "下一步"}, {"不足", "下一步"}}},
}

// Topic is an Art. 32 item.
type Topic struct{ Zh, En string }

// MissingTopics returns the Art. 32 topics the text does not cover.
func MissingTopics(text string) []Topic {
	k := norm.Key(text)
	var out []Topic
	for _, t := range art32Topics {
		covered := false
		for _, all := range t.Any {
			ok := true
			for _, w := range all {
				if !strings.Contains(k, w) {
					ok = false
					break
				}
			}
			if ok {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, Topic{t.Name, t.En})
		}
	}
	return out
}
