// Package dates finds the dates printed around a report: labelled header
// dates (发布日期：2020-01-31), dates in URLs (t20200131_…, /art/2020/1/31/),
// and the signature date at the end of a report (2020年1月16日).
package dates

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/ogicheck/ogicheck/internal/document"
)

// Labels in the order the spec (§6) ranks them for the publication date.
// 成文日期 is the drafting date and never decides timeliness on its own.
const (
	LabelPublished = "发布日期"
	LabelPubTime   = "发布时间"
	LabelMeta      = "meta:PubDate"
	LabelIssued    = "发文日期"
	LabelList      = "list"
	LabelURL       = "url"
	LabelBare      = "日期"
	LabelUpdated   = "更新时间"
	LabelGenerated = "生成日期"
	LabelDrafted   = "成文日期"
	LabelSigned    = "落款"
)

// Rank orders labels for the publication date: lower is better; -1 means
// the label never supplies a publication date. The printed 发布日期 comes
// first: it is what the public sees, and a CMS's PubDate meta is sometimes
// the time of a later edit.
func Rank(label string) int {
	switch label {
	case LabelPublished, LabelPubTime:
		return 0
	case LabelMeta:
		return 1
	case LabelIssued:
		return 2
	case LabelList:
		return 3
	case LabelURL:
		return 4
	case LabelBare, "时间":
		return 5
	case LabelUpdated, LabelGenerated:
		return 6
	}
	return -1
}

const labelPat = `发布日期|发布时间|发文日期|成文日期|生成日期|更新时间|更新日期|公开日期|公开时间|印发日期|日期|时间`

const datePat = `((?:19|20)\d{2})\s*(?:[-/.．]|年)\s*(\d{1,2})\s*(?:[-/.．]|月)\s*(\d{1,2})\s*日?`

var (
	dateRe  = regexp.MustCompile(datePat)
	labelRe = regexp.MustCompile(`(` + labelPat + `)\s*[:：]?\s*[\[【(（]?\s*` + datePat)
	// a line or cell that is only a label, its value in the next one
	labelOnlyRe = regexp.MustCompile(`^\s*(` + labelPat + `)\s*[:：]?\s*$`)
	// a line or cell that is only a date, perhaps with a time
	valueRe = regexp.MustCompile(`^\s*[\[【(（]?\s*` + datePat + `\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*[\]】)）]?\s*$`)
	// TRS t20200131_…, JCMS /art/2020/1/31/, and /2020/01/31/ or /202001/31/ paths.
	urlRes = []*regexp.Regexp{
		regexp.MustCompile(`[/_]t((?:19|20)\d{2})(\d{2})(\d{2})_`),
		regexp.MustCompile(`/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/`),
		regexp.MustCompile(`/((?:19|20)\d{2})[-/]?(\d{2})[-/](\d{2})/`),
	}
	signRe = regexp.MustCompile(`^\s*` + datePat + `\s*$`)
)

// Found is one dated label.
type Found struct {
	Label string
	Date  string // YYYY-MM-DD
}

// Make returns YYYY-MM-DD for a valid calendar date.
func Make(y, m, d int) (string, bool) {
	if y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func fromMatch(m []string) (string, bool) {
	y, _ := strconv.Atoi(m[0])
	mo, _ := strconv.Atoi(m[1])
	d, _ := strconv.Atoi(m[2])
	return Make(y, mo, d)
}

// Parse reads the first date in s.
func Parse(s string) (string, bool) {
	m := dateRe.FindStringSubmatch(width.Fold.String(s))
	if m == nil {
		return "", false
	}
	return fromMatch(m[1:])
}

// Labelled returns the labelled dates in one line of text, normalising the
// label variants (更新日期 → 更新时间, 公开日期 → 发布日期).
func Labelled(line string) []Found {
	if !strings.Contains(line, "日期") && !strings.Contains(line, "时间") {
		return nil
	}
	line = width.Fold.String(line)
	var out []Found
	for _, loc := range labelRe.FindAllStringSubmatchIndex(line, -1) {
		label := line[loc[2]:loc[3]]
		if Bare(label) && loc[2] > 0 {
			// 成文时间, 签发日期, 统计时间: a bare label must not be the
			// end of a longer one
			if r, _ := utf8.DecodeLastRuneInString(line[:loc[2]]); unicode.Is(unicode.Han, r) {
				continue
			}
		}
		d, ok := fromMatch([]string{line[loc[4]:loc[5]], line[loc[6]:loc[7]], line[loc[8]:loc[9]]})
		if !ok {
			continue
		}
		label = canonical(label)
		out = append(out, Found{Label: label, Date: d})
	}
	return out
}

// canonical normalises a label's variants: 更新日期 → 更新时间, 公开日期 and
// 公开时间 → 发布日期 (a page's publication date under another name),
// 印发日期 → 发文日期.
func canonical(label string) string {
	switch label {
	case "更新日期":
		return LabelUpdated
	case "公开日期", "公开时间":
		return LabelPublished
	case "印发日期":
		return LabelIssued
	}
	return label
}

// LabelOnly reports whether s is a date label alone (「发布日期：」), as in a
// metadata table whose value stands in the next cell, and returns the
// label normalised.
func LabelOnly(s string) (string, bool) {
	if len(s) > 40 || (!strings.Contains(s, "日期") && !strings.Contains(s, "时间")) {
		return "", false
	}
	m := labelOnlyRe.FindStringSubmatch(width.Fold.String(s))
	if m == nil {
		return "", false
	}
	return canonical(m[1]), true
}

// Value reads a cell or line that holds a date alone (perhaps with a time
// of day): the value cell next to a label cell.
func Value(s string) (string, bool) {
	if len(s) < 8 || len(s) > 60 {
		return "", false
	}
	m := valueRe.FindStringSubmatch(width.Fold.String(s))
	if m == nil {
		return "", false
	}
	return fromMatch(m[1:4])
}

// Paired returns the dates of label-only lines followed by date-only
// lines ("发布日期：" / "2024-01-29"), as the cells of a metadata table read
// as text give them. Bare labels count only among the first HeaderLines.
func Paired(lines []string) []Found {
	var out []Found
	for i := 0; i+1 < len(lines); i++ {
		label, ok := LabelOnly(lines[i])
		if !ok || (Bare(label) && i >= HeaderLines) {
			continue
		}
		if d, ok := Value(lines[i+1]); ok {
			out = append(out, Found{Label: label, Date: d})
		}
	}
	return out
}

// InURL returns the date embedded in a detail page URL.
func InURL(u string) (string, bool) {
	for _, re := range urlRes {
		if m := re.FindStringSubmatch(u); m != nil {
			if d, ok := fromMatch(m[1:]); ok {
				return d, true
			}
		}
	}
	return "", false
}

// cnDateRe is a date written in Chinese numerals: 二〇二〇年一月十六日.
var cnDateRe = regexp.MustCompile(`^([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$`)

// cnNumber reads 〇…九 digit by digit (years) or 十-style numbers up to 31.
func cnNumber(s string, digits bool) int {
	const ds = "〇一二三四五六七八九"
	val := func(r rune) int {
		switch r {
		case '零', '○':
			return 0
		}
		return strings.IndexRune(ds, r) / len("〇")
	}
	rs := []rune(s)
	if digits {
		n := 0
		for _, r := range rs {
			n = n*10 + val(r)
		}
		return n
	}
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return val(rs[0])
	case len(rs) == 2 && rs[0] == '十':
		return 10 + val(rs[1])
	case len(rs) == 2 && rs[1] == '十':
		return val(rs[0]) * 10
	case len(rs) == 3 && rs[1] == '十':
		return val(rs[0])*10 + val(rs[2])
	}
	return 0
}

// Signature reports whether a line is only a date, as in the 落款 block,
// in Arabic or Chinese numerals.
func Signature(line string) (string, bool) {
	line = width.Fold.String(strings.TrimSpace(line))
	if len(line) > 40 {
		return "", false
	}
	if m := cnDateRe.FindStringSubmatch(strings.ReplaceAll(line, " ", "")); m != nil {
		return Make(cnNumber(m[1], true), cnNumber(m[2], false), cnNumber(m[3], false))
	}
	m := signRe.FindStringSubmatch(line)
	if m == nil || !strings.Contains(line, "年") {
		return "", false
	}
	return fromMatch(m[1:])
}

// HeaderLines is how many leading lines of a page count as its header block,
// where bare 日期/时间 labels are the page's own dates.
const HeaderLines = 40

// Bare reports whether a label is the bare 日期 or 时间.
func Bare(label string) bool { return label == LabelBare || label == "时间" }

// SignatureOf finds the 落款 date: a line holding only a date among the last
// lines of the body.
func SignatureOf(lines []string) (document.Meta, bool) {
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-8; i-- {
		if d, ok := Signature(lines[i]); ok {
			return document.Meta{Label: LabelSigned, Value: d}, true
		}
	}
	return document.Meta{}, false
}
