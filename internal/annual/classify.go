package annual

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/norm"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

var (
	yearTitleRe = regexp.MustCompile(`((?:19|20)\d{2})\s*年度?`)
	// a year in running text, not the year of a full date
	yearTextRe = regexp.MustCompile(`((?:19|20)\d{2})\s*(年度|年|[\p{Han}])`)
	dateAfter  = regexp.MustCompile(`^\s*\d{1,2}\s*月`)
	// a site name appended to a <title> with _ | or -; not the dash of a
	// title's own 「——」
	siteSuffix = regexp.MustCompile(`\s*[_|｜-]+\s*[^_|｜-]*$`)
	spaceYear  = regexp.MustCompile(`(\d)\s+(年)`)
)

// cleanTitle joins what PDF and justified text split ("2023 年"), keeps the
// last step of a breadcrumb ("当前位置：首页 > … > 标题") and drops a site name
// appended to a <title> ("…年度报告_洪泽区人民政府").
func cleanTitle(t string) string {
	t = norm.JoinCJK(norm.Clean(t))
	t, _ = norm.Uncrumb(t)
	t = cutAfterReport(t)
	if strings.Contains(t, " 年") {
		t = spaceYear.ReplaceAllString(t, "$1$2")
	}
	for i := 0; i < 2 && strings.ContainsAny(t, "_|｜-"); i++ {
		cut := siteSuffix.ReplaceAllString(t, "")
		if cut != t && isReportTitle(norm.Key(cut)) {
			t = cut
		}
	}
	return strings.TrimSpace(t)
}

// cutAfterReport ends a title at its report phrase when the header line
// runs on into the page's labels (「…年度报告发布日期：2024-01-29 来源：…」),
// as text without line breaks has it.
func cutAfterReport(t string) string {
	for _, w := range []string{"年度报告", "工作报告", "年报"} {
		i := strings.Index(t, w)
		if i < 0 {
			continue
		}
		end := i + len(w)
		rest := t[end:]
		if rest == "" || !isReportTitle(norm.Key(t[:end])) {
			return t
		}
		if l, _, ok := strings.Cut(rest, "："); ok && len(l) <= 24 || strings.Contains(rest[:min(len(rest), 24)], ":") {
			return t[:end]
		}
		return t
	}
	return t
}

func titleScore(t string) int {
	k := norm.Key(t)
	if k == "" || len(k) > 240 {
		return -1
	}
	s := 0
	if isReportTitle(k) {
		s += 3
	}
	if hasYear(k) {
		s++
	}
	if containsAny(k, agencyWords) {
		s++
	}
	if isOtherTitle(k) {
		s += 2
	}
	if isHeading(t) || strings.ContainsAny(t, "。：:；;") {
		s -= 3
	}
	return s
}

var (
	disclosureWords = []string{"政府信息公开", "政务公开", "信息公开"}
	reportWords     = []string{"年度报告", "年报", "工作报告", "发展报告", "情况报告"}
	otherEndings    = []string{"工作要点", "要点", "通知", "函", "方案", "意见", "办法", "细则", "计划", "公告", "通告", "批复", "决定", "规定", "制度", "指南", "目录", "报表", "统计表", "清单", "落实情况"}
	agencyWords     = []string{"人民政府", "政府", "管委会", "管理委员会", "办事处", "局", "委", "办", "厅", "中心", "署", "院", "所", "站", "队", "馆", "处", "部", "会"}
)

// isReportTitle: a disclosure word followed, within a few characters, by a
// report word (the same test as reportTitleRe, without its cost in the
// title search).
func isReportTitle(k string) bool {
	for _, a := range disclosureWords {
		i := strings.Index(k, a)
		if i < 0 {
			continue
		}
		rest := k[i+len(a):]
		for _, b := range reportWords {
			if j := strings.Index(rest, b); j >= 0 && utf8.RuneCountInString(rest[:j]) <= 12 {
				return true
			}
		}
	}
	return (strings.HasSuffix(k, "年度报告") || strings.HasSuffix(k, "年报")) && strings.Contains(k, "公开")
}

func isOtherTitle(k string) bool {
	if strings.HasPrefix(k, "关于") {
		return true
	}
	for _, e := range otherEndings {
		if strings.HasSuffix(k, e) {
			return true
		}
	}
	return false
}

func containsAny(k string, words []string) bool {
	for _, w := range words {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// hasYear: 19xx or 20xx followed by 年.
func hasYear(k string) bool {
	for i := 0; i+4 < len(k); i++ {
		if (k[i] == '1' && k[i+1] == '9' || k[i] == '2' && k[i+1] == '0') && isDigit(k[i+2]) && isDigit(k[i+3]) &&
			(i == 0 || !isDigit(k[i-1])) && strings.HasPrefix(k[i+4:], "年") {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isHeading: starts like a section heading, a Chinese numeral and 、.
func isHeading(t string) bool {
	t = strings.TrimSpace(t)
	n := 0
	for _, r := range t {
		switch {
		case strings.ContainsRune("一二三四五六七八九十", r):
			n++
		case r == ' ' || r == '\u3000' || r == '\u00A0':
			// "一 、总体情况"
		default:
			return n > 0 && n <= 2 && strings.ContainsRune("、.．，,", r)
		}
	}
	return false
}

// pickTitle chooses among the document title and the first lines, joined in
// pairs where a heading was broken over two lines.
func pickTitle(d *document.Document, lines []string, hint string) string {
	best, bestScore := "", 0
	consider := func(t string) {
		if t == "" || len(t) > 240 {
			return
		}
		// a breadcrumb names the page only when it ends in a dated title,
		// not a column (…> 政府信息公开年报)
		if last, crumb := norm.Uncrumb(norm.Clean(t)); crumb && !hasYear(norm.Key(last)) {
			return
		}
		t = cleanTitle(t)
		if s := titleScore(t); s > bestScore {
			best, bestScore = t, s
		}
	}
	consider(d.Title)
	for i := 0; i < len(lines) && i < 10; i++ {
		if len(lines[i]) > 180 {
			continue // a paragraph, not a title
		}
		consider(lines[i])
		if i+1 < len(lines) && len(lines[i]) <= 90 && len(lines[i+1]) <= 90 {
			consider(lines[i] + lines[i+1])
		}
	}
	consider(hint) // last: a tie goes to the document's own title
	if best == "" && d.Title != "" && !isHeading(d.Title) {
		return cleanTitle(d.Title)
	}
	return best
}

// classify decides whether the document is an annual report. The body
// decides when it carries the report's structure (at least four of the six
// sections, or table 三); otherwise the title does.
func (r *Report) classify() {
	k := norm.Key(r.Title)
	distinct := map[int]bool{}
	for _, s := range r.Sections {
		distinct[s.Number] = true
	}
	t3 := r.Tables["三"] != nil
	strong := len(distinct) >= 4 || t3
	switch {
	case strong && !r.figures() && blankTemplate(r, k):
		r.Kind, r.KindReason = result.KindOther, result.Text{
			Zh: "只有年报格式、没有填写任何数字：是格式本身或附有模板的通知，不是年度报告",
			En: "the report format with no figures filled in: the format itself or a notice attaching it, not a report"}
	case k != "" && isOtherTitle(k) && !strong:
		r.Kind, r.KindReason = result.KindOther, result.Msg("标题「%s」表明是其他类型的文件", "title %q names another kind of document", r.Title)
	case k != "" && isReportTitle(k):
		r.Kind, r.KindReason = result.KindAnnualReport, result.Text{Zh: "标题", En: "title"}
	case strong:
		why := result.Msg("正文：六个部分中有%d个", "body: %d of the six sections", len(distinct))
		if t3 {
			why.Zh += "，并有表三"
			why.En += " and table 三"
		}
		r.Kind, r.KindReason = result.KindAnnualReport, why
	case oldReport(r):
		r.Kind, r.KindReason = result.KindAnnualReport, result.Text{Zh: "正文：按旧条例第三十二条的内容介绍本年度公开工作", En: "body: describes the year's disclosure work with Art. 32 topics"}
	default:
		r.Kind, r.KindReason = result.KindOther, result.Text{Zh: "标题和正文都不像年度报告", En: "neither the title nor the body reads as an annual report"}
	}
}

// figures reports whether any template table holds a number: a value
// cell, a row whose values could not be attributed, or a table whose cells
// ran together with the text.
func (r *Report) figures() bool {
	for _, t := range r.Tables {
		if t.Unreadable != (result.Text{}) {
			return true
		}
		for _, row := range slices.Concat(t.Rows, t.Optional) {
			if !row.Found {
				continue
			}
			if row.Unreadable != (result.Text{}) && row.Unreadable != noValues {
				return true
			}
			for _, c := range row.Cells {
				if c.Value.Kind == num.Number {
					return true
				}
			}
		}
	}
	return false
}

// templateWords mark a blank form: its title or its placeholders.
var templateWords = []string{"模板", "格式", "样表", "范本", "样本", "参考文本", "XX", "××", "○○"}

// countRe is a count stated in the text: 173件, 4386条, 12场.
var countRe = regexp.MustCompile(`\d\s*(件|条|个|次|篇|场|期|人次|万元|元)`)

// blankTemplate: a document carrying the report's structure with no figure
// in its tables nor a count in its text is the format or a form, when its
// title says it is another kind of document or a form, or its text holds
// the format's placeholders (「（文字描述）」).
func blankTemplate(r *Report, k string) bool {
	body := r.BodyText()
	if countRe.MatchString(body) {
		return false
	}
	return isOtherTitle(k) || containsAny(strings.ToUpper(k), templateWords) || strings.Contains(body, "（文字描述")
}

// oldReport recognises an untitled pre-2019 report by its body: it speaks of
// 政府信息公开 and covers most Art. 32 topics.
func oldReport(r *Report) bool {
	body := r.BodyText()
	if !strings.Contains(body, "政府信息公开") || !strings.Contains(body, "年度报告") {
		return false
	}
	return len(MissingTopics(body)) <= 2
}

// year reads the report year from the title, else from the opening
// paragraphs: the most frequent year named in the text (not in a full date).
func (r *Report) year() {
	if r.Options.Year != 0 {
		r.Year, r.YearFrom, r.Why.Year = r.Options.Year, FromFlag, fromFlag
		return
	}
	maxYear := r.Options.Now.Year()
	ok := func(y int) bool { return y >= 2000 && y <= maxYear }
	if m := yearTitleRe.FindStringSubmatch(norm.Key(r.Title)); m != nil {
		if y, _ := strconv.Atoi(m[1]); ok(y) {
			r.Year, r.YearFrom = y, "title"
			r.Why.Year = result.Msg("标题「%s」", "the title %s", r.Title)
			return
		}
	}
	counts := map[int]int{}
	first := map[int]int{}
	n := 0
	for _, p := range r.Paragraphs {
		if n++; n > 30 {
			break
		}
		k := norm.Key(p)
		if strings.Contains(k, "发布") || strings.Contains(k, "日期") || strings.Contains(k, "时间:") {
			continue // header dates name the publication year, not the report year
		}
		for _, m := range yearTextRe.FindAllStringSubmatchIndex(k, -1) {
			if dateAfter.MatchString(k[m[1]:]) && k[m[4]:m[5]] == "年" {
				continue
			}
			y, _ := strconv.Atoi(k[m[2]:m[3]])
			if !ok(y) {
				continue
			}
			if _, seen := first[y]; !seen {
				first[y] = len(first)
			}
			counts[y]++
		}
	}
	best := 0
	for y, c := range counts {
		if best == 0 || c > counts[best] || (c == counts[best] && first[y] < first[best]) {
			best = y
		}
	}
	if best != 0 {
		r.Year, r.YearFrom = best, "body"
		r.Why.Year = result.Msg("正文开头最常提到的年份（%d次）", "the year the opening text names most (%d times)", counts[best])
	}
}

var (
	agencyRe = regexp.MustCompile(`(人民政府|政府|管委会|管理委员会|办事处|局|委员会|委|办公室|办公厅|办|厅|中心|署|院|所|站|队|馆|处|部|会)`)
	phraseRe = regexp.MustCompile(`(关于)?(政府信息公开|政务公开|信息公开|政务信息公开)`)
	levelRes = []struct {
		re    *regexp.Regexp
		level result.Level
	}{
		{regexp.MustCompile(`(乡|镇|街道)(人民政府|政府)$|街道办事处$|街道$|(乡|镇)$`), result.LevelTownship},
		{regexp.MustCompile(`(人民政府|政府)(办公室|办公厅|办)$`), result.LevelDepartment},
		{regexp.MustCompile(`(人民政府|政府|管委会|管理委员会)$`), result.LevelGovernment},
		{regexp.MustCompile(`(局|委员会|委|办公室|办公厅|办|厅|中心|署|院|所|站|队|馆|处|部|会|集团|公司)$`), result.LevelDepartment},
		{regexp.MustCompile(`(省|市|区|县|旗|州|盟)$`), result.LevelGovernment},
	}
	selfRes = []struct {
		re    *regexp.Regexp
		level result.Level
	}{
		{regexp.MustCompile(`(我|本)(局|委|厅|办|中心|署|院)`), result.LevelDepartment},
		{regexp.MustCompile(`(我|本|全)(镇|乡|街道)`), result.LevelTownship},
		{regexp.MustCompile(`(我|本|全)(区|县|市|旗|州)(人民)?政府|(区|县|市)政府(坚持|深入|认真|全面)`), result.LevelGovernment},
	}
)

// agency reads the agency name from the title and decides its level: from
// the flag, else the name's ending, else how the body refers to itself.
func (r *Report) agency() {
	r.Agency = agencyName(r.Title)
	r.level()
	r.tier()
}

// tier reads a government's tier from the flag or the agency name.
func (r *Report) tier() {
	if r.Level != result.LevelGovernment {
		return
	}
	if r.Options.Tier != "" {
		r.Tier, r.TierFrom, r.Why.AgencyTier = r.Options.Tier, FromFlag, fromFlag
		return
	}
	if r.Agency == "" {
		r.Why.AgencyTier = result.Text{Zh: "没有机关名称，政府层级未知", En: "no agency name: the tier is unknown"}
		return
	}
	if t, ok := r.Options.Tiers[AgencyKey(r.Agency)]; ok && t != "" {
		r.Tier, r.TierFrom = t, FromSitesFile
		r.Why.AgencyTier = result.Msg("站点清单中「%s」的层级", "the tier the sites file gives %s", r.Agency)
		return
	}
	t, why, ok := tierOf(r.Agency)
	r.Why.AgencyTier = why
	if ok {
		r.Tier, r.TierFrom = t, "agency-name"
	}
}

// Provenance codes shared by the values an option can override.
const (
	FromFlag      = "flag"
	FromSitesFile = "sites-file" // the tier column of the sites file
)

var fromFlag = result.Text{Zh: "命令行参数指定", En: "given as an option"}

func (r *Report) level() {
	if r.Options.Level != "" {
		r.Level, r.LevelFrom, r.Why.AgencyLevel = r.Options.Level, FromFlag, fromFlag
		return
	}
	if r.Agency != "" {
		for _, l := range levelRes {
			if l.re.MatchString(r.Agency) {
				r.Level, r.LevelFrom = l.level, "agency-name"
				r.Why.AgencyLevel = result.Msg("机关名称「%s」", "the agency name %s", r.Agency)
				return
			}
		}
	}
	// 「全区政府信息公开工作」 names the disclosure work, not the speaker:
	// the phrases go before counting how the body refers to itself.
	body := disclosurePhrases.Replace(r.BodyText())
	counts := make([]int, len(selfRes))
	first := make([]string, len(selfRes))
	for i, s := range selfRes {
		ms := s.re.FindAllString(body, -1)
		counts[i] = len(ms)
		if len(ms) > 0 {
			first[i] = ms[0]
		}
	}
	best, second := -1, 0
	for i, n := range counts {
		switch {
		case best < 0 || n > counts[best]:
			if best >= 0 {
				second = counts[best]
			}
			best = i
		case n > second:
			second = n
		}
	}
	// a guess only with a clear margin; otherwise the level stays unknown
	// (and the later, government deadline applies)
	if n := counts[best]; n > 0 && n >= 2*second+1 {
		r.Level, r.LevelFrom = selfRes[best].level, "body"
		r.Why.AgencyLevel = result.Msg("正文自称「%s」（%d次）", "the text calls itself %s (%d times)", first[best], n)
	}
}

var disclosurePhrases = strings.NewReplacer("政府信息公开", "·", "政务公开", "·", "政府网站", "·", "政府门户", "·")

// agencyName is the title without the year and the report phrase:
// "天津市宁河区市场和质量监督管理局2018年政府信息公开年度发展报告" → the 局, and
// "2019年XX区人民政府政府信息公开工作年度报告" → the 政府.
func agencyName(title string) string {
	t := norm.JoinCJK(title)
	// The agency stands before the report phrase: "…局2018年政府信息公开…",
	// "2019年XX区人民政府政府信息公开…", "XX县人民政府信息公开…（2019年）".
	before := t
	if loc := phraseRe.FindStringIndex(t); loc != nil {
		before = t[:loc[0]]
		// the 政府 of "…区政府信息公开" or "…人民政府信息公开" is the agency's
		if strings.HasPrefix(t[loc[0]:], "政府信息公开") && (strings.HasSuffix(before, "人民") || placeRe.MatchString(before)) {
			before += "政府"
		}
	}
	before = yearTitleRe.ReplaceAllString(before, " ")
	before = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(before), "关于"))
	if i := strings.LastIndex(before, " "); i >= 0 && !agencyRe.MatchString(before[:i]) {
		before = before[i+1:] // "2019年 XX局" → the part after the year
	}
	if a := trimAgency(before); a != "" {
		return a
	}
	// "…年度报告——XX县教育局"
	if i := strings.LastIndex(t, "—"); i >= 0 {
		return trimAgency(strings.Trim(t[i:], "—－- "))
	}
	return ""
}

// placeRe: a name ending in an administrative division, which with 政府 is
// that division's government.
var placeRe = regexp.MustCompile(`(省|市|区|县|旗|州|盟|镇|乡)$`)

func trimAgency(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "关于")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "关于"), "印发")
	s = strings.Trim(s, " ：:，,、（(）)《》“”\"")
	// a place alone names its government: 北京市, XX县, XX镇
	if len([]rune(s)) < 2 || len([]rune(s)) > 40 || !(agencyRe.MatchString(s) || placeRe.MatchString(s) || strings.HasSuffix(s, "街道")) {
		return ""
	}
	return s
}

// ReportTitle reports whether a title names an annual disclosure report
// (and not a notice or plan about one).
func ReportTitle(title string) bool {
	k := norm.Key(cleanTitle(title))
	return isReportTitle(k) && !isOtherTitle(k)
}

// TitleYear is the year a title names, 0 when none.
func TitleYear(title string) int {
	if m := yearTitleRe.FindStringSubmatch(norm.Key(title)); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y
	}
	return 0
}
