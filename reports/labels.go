package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// labels is all fixed text of the reports in one language. Codes (rule IDs,
// category codes) are data and stay untranslated; these are only the words
// around them.
type labels struct {
	lang     string
	htmlLang string

	title       string // report title
	generated   string
	tool        string
	summary     string
	documents   string
	annual      string // "of which annual reports"
	sites       string
	site        string
	document    string
	findings    string
	noFindings  string
	byCategory  string
	evidence    string
	total       string
	count       string
	item        string
	value       string
	chartSev    string
	chartCat    string
	readError   string
	kindReason  string
	sections    string
	tables      string
	dates       string
	attachments string
	related     string
	link        string
	snippet     string
	format      string
	none        string
	unknown     string
	basedOn     string // "(from: x)", a format
	rowLabel    string
	columnLabel string
	yearFmt     string // a format of one int
	listSep     string
	rawValue    string
	code        string
	countFmt    string // label and count: "问题（3）"
	parenFmt    string // an aside: "（…）"
	comma       string
	contents    string
	colon       string

	// finding table headers
	hSeverity, hRule, hCategory, hMessage, hWhere, hExpected, hActual string
	// document header fields
	hSource, hSite, hKind, hAgency, hLevel, hYear, hTemplate, hPublished, hDeadline string
	// CSV-only headers
	hTable, hRow, hColumn, hSnippet string
	// site summary
	hURL, hColumnFound, hPages, hBytes, hNotModified, hDuration, hFetchErrors, hReportsPerYear string
	hClass, hStatus, hAttempts, hError                                                         string

	// regions, reviews and the years timeline
	hRegion, noRegion, hReview, hReviewer, hReviewedAt, hReason, hExpires string
	reviewStates                                                          map[string]string
	timeline, yearOnTime, yearLate, yearUndated, yearMissing, yearUnread  string
	yearNotSeen, tableInvolved                                            string

	// what a result lacks: a site it could not check, and why it is
	// incomplete (its Incomplete code)
	hUnchecked, incompleteFmt string
	incomplete                map[string]string

	severities map[result.Severity]string
	categories map[string]string
	kinds      map[result.Kind]string
	levels     map[result.Level]string
	templates  map[result.Template]string
	fetch      map[result.FetchClass]string
}

func labelsFor(lang string) *labels {
	if lang == LangEn {
		return &labelsEn
	}
	return &labelsZh
}

func (t *labels) severity(s result.Severity) string {
	if l, ok := t.severities[s]; ok {
		return l
	}
	return oneLine(string(s))
}

// category is the readable name of a category code; unknown codes (added to
// the contract later, or from a foreign file) are shown as they are, cleaned.
// The other lookups below do the same.
func (t *labels) category(code string) string {
	if l, ok := t.categories[code]; ok {
		return l
	}
	return oneLine(code)
}

func (t *labels) kind(k result.Kind) string {
	if l, ok := t.kinds[k]; ok {
		return l
	}
	return oneLine(string(k))
}

func (t *labels) level(p *result.Level) string {
	if p == nil || *p == "" {
		return t.unknown
	}
	if l, ok := t.levels[*p]; ok {
		return l
	}
	return oneLine(string(*p))
}

func (t *labels) template(p *result.Template) string {
	if p == nil || *p == "" {
		return t.unknown
	}
	if l, ok := t.templates[*p]; ok {
		return l
	}
	return oneLine(string(*p))
}

func (t *labels) fetchClass(c result.FetchClass) string {
	if l, ok := t.fetch[c]; ok {
		return l
	}
	return oneLine(string(c))
}

func (t *labels) year(p *int) string {
	if p == nil || *p == 0 {
		return t.unknown
	}
	return strconv.Itoa(*p)
}

func (t *labels) str(p *string) string {
	if p == nil || *p == "" {
		return t.unknown
	}
	return *p
}

// from appends the provenance of a value ("年度：2023（依据：title）").
func (t *labels) from(value, from string) string {
	if from == "" {
		return value
	}
	return value + fmt.Sprintf(t.basedOn, from)
}

var cnNumerals = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// sectionName is "第三部分" / "section 3".
func (t *labels) sectionName(n int) string {
	if t.lang == LangEn {
		return "section " + strconv.Itoa(n)
	}
	if n > 0 && n < len(cnNumerals) {
		return "第" + cnNumerals[n] + "部分"
	}
	return "第" + strconv.Itoa(n) + "部分"
}

// tableName is "表四" / "table 4"; IDs other than the Chinese numerals are
// shown as they are.
func (t *labels) tableName(id string) string {
	if t.lang == LangEn {
		for i, n := range cnNumerals {
			if i > 0 && n == id {
				return "table " + strconv.Itoa(i)
			}
		}
		return "table " + id
	}
	if strings.HasPrefix(id, "表") {
		return id
	}
	return "表" + id
}

// where locates a finding: section, table, row, column and, for site
// findings, year and URL. Parts are joined by " / ".
func (t *labels) where(e result.Evidence, withURL bool) string {
	var parts []string
	if e.Section > 0 {
		parts = append(parts, t.sectionName(e.Section))
	}
	if e.Table != "" {
		parts = append(parts, t.tableName(e.Table))
	}
	if e.Row != "" {
		parts = append(parts, t.rowLabel+e.Row)
	}
	if e.Column != "" {
		parts = append(parts, t.columnLabel+e.Column)
	}
	if e.Year > 0 {
		parts = append(parts, fmt.Sprintf(t.yearFmt, e.Year))
	}
	if withURL && e.URL != "" {
		parts = append(parts, e.URL)
	}
	return strings.Join(parts, " / ")
}

// paren is s as an aside in the language's brackets, with the leading
// space English needs.
func (t *labels) paren(s string) string {
	return fmt.Sprintf(t.parenFmt, s)
}

// withCount is a label followed by a count in the language's brackets.
func (t *labels) withCount(label string, n int) string {
	return fmt.Sprintf(t.countFmt, label, n)
}

// humanBytes is a size in B, KiB or MiB with one decimal.
func humanBytes(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KiB"
	default:
		return strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64) + " MiB"
	}
}

var labelsZh = labels{
	lang:     LangZh,
	htmlLang: "zh-CN",

	title:       "政府信息公开工作年度报告检查结果",
	generated:   "生成时间",
	tool:        "工具",
	summary:     "概要",
	documents:   "文档",
	annual:      "其中年度报告",
	sites:       "站点",
	site:        "站点",
	document:    "文档",
	findings:    "问题",
	noFindings:  "未发现问题",
	byCategory:  "按类别统计",
	evidence:    "证据",
	total:       "合计",
	count:       "数量",
	item:        "项目",
	value:       "内容",
	chartSev:    "按严重程度统计的问题数",
	chartCat:    "按类别统计的问题数",
	readError:   "读取错误",
	kindReason:  "判定依据",
	sections:    "识别到的部分",
	tables:      "识别到的表格",
	dates:       "页面日期",
	attachments: "附件",
	related:     "相关文档",
	link:        "链接",
	snippet:     "摘录",
	format:      "格式",
	none:        "无",
	unknown:     "未知",
	basedOn:     "（依据：%s）",
	rowLabel:    "行：",
	columnLabel: "列：",
	yearFmt:     "%d年度",
	listSep:     "；",
	rawValue:    "原值",
	code:        "代码",
	countFmt:    "%s（%d）",
	parenFmt:    "（%s）",
	comma:       "，",
	contents:    "目录",
	colon:       "：",

	hSeverity: "级别", hRule: "规则", hCategory: "类别", hMessage: "说明", hWhere: "位置", hExpected: "应为", hActual: "实为",
	hSource: "来源", hSite: "站点", hKind: "类型", hAgency: "机关", hLevel: "层级", hYear: "年度", hTemplate: "格式模板",
	hPublished: "发布日期", hDeadline: "截止日期",
	hTable: "表格", hRow: "行", hColumn: "列", hSnippet: "摘录",
	hURL: "网址", hColumnFound: "年报栏目", hPages: "抓取页面", hBytes: "抓取数据量", hNotModified: "未变化页面",
	hDuration: "用时", hFetchErrors: "抓取错误", hReportsPerYear: "各年度报告数",
	hClass: "错误类别", hStatus: "状态码", hAttempts: "尝试次数", hError: "错误信息",

	hRegion: "地区", noRegion: "未分地区", hReview: "审核结论", hReviewer: "审核人", hReviewedAt: "审核时间", hReason: "理由",
	hExpires:     "有效期至",
	reviewStates: map[string]string{ReviewConfirmed: "已确认", ReviewDismissed: "已排除", ReviewReopened: "重新打开"},
	timeline:     "各年度报告", yearOnTime: "按时公布", yearLate: "逾期公布", yearUndated: "已公布，日期不明",
	yearMissing: "缺少报告", yearUnread: "已列出，未能读取", yearNotSeen: "未见报告，未认定缺失",
	tableInvolved: "涉及的表格行",
	hUnchecked:    "未能检查", incompleteFmt: "结果不完整（%s）。",
	incomplete: map[string]string{
		"interrupted":     "运行被中断，结果只包含中断前已检查的部分。",
		"scan-incomplete": "扫描已结束但不完整：部分站点未能检查或保存。",
		"scan-unfinished": "扫描尚未完成：结果只包含已保存的站点。",
	},

	severities: map[result.Severity]string{
		result.SeverityError:   "错误",
		result.SeverityWarning: "警告",
		result.SeverityInfo:    "提示",
	},
	categories: map[string]string{
		result.CatNotAnnualReport:          "非年度报告",
		result.CatMissingSection:           "缺少部分",
		result.CatSectionOrder:             "部分顺序错误",
		result.CatMissingTable:             "缺少表格",
		result.CatTableUnreadable:          "表格无法识别",
		result.CatMissingRow:               "缺少行",
		result.CatInvalidCell:              "单元格内容无效",
		result.CatTableIdentity:            "勾稽关系不符",
		result.CatLatePublication:          "逾期公布",
		result.CatUnknownPublicationDate:   "发布日期不明",
		result.CatTemplateMismatch:         "格式模板不符",
		result.CatMissingContent:           "缺少内容",
		result.CatCrossYear:                "跨年度数据不符",
		result.CatTextTableMismatch:        "正文与表格不符",
		result.CatDuplicateContent:         "内容雷同",
		result.CatDuplicateSection:         "部分重复",
		result.CatMissingColumn:            "缺少列",
		result.CatBlankCell:                "单元格未填写",
		result.CatUnknownYear:              "年度不明",
		result.CatDateDisagreement:         "日期不一致",
		result.CatMissingReport:            "缺少年度报告",
		result.CatMissingReportColumn:      "未找到年报栏目",
		result.CatBrokenLink:               "链接失效",
		result.CatReportNotMachineReadable: "报告不可机读",
		result.CatUnreadableDocument:       "文档无法读取",
		result.CatFetchError:               "抓取失败",
		result.CatLimitExceeded:            "超出抓取限制",
		result.CatListUnreadable:           "栏目列表未能读全",
	},
	kinds: map[result.Kind]string{
		result.KindAnnualReport: "年度报告",
		result.KindOther:        "非年度报告",
	},
	levels: map[result.Level]string{
		result.LevelDepartment: "政府部门",
		result.LevelGovernment: "人民政府",
		result.LevelTownship:   "乡镇（街道）",
	},
	templates: map[result.Template]string{
		result.TemplatePre2019: "2019年以前格式",
		result.Template2019:    "2019年版格式",
		result.Template2021:    "2021年版格式",
	},
	fetch: map[result.FetchClass]string{
		result.FetchDNS:              "域名解析失败",
		result.FetchTLS:              "TLS 错误",
		result.FetchTimeout:          "超时",
		result.FetchConnectionReset:  "连接被重置",
		result.FetchConnection:       "连接被拒绝",
		result.FetchHTTP4xx:          "HTTP 4xx",
		result.FetchHTTP5xx:          "HTTP 5xx",
		result.FetchTooManyRedirects: "重定向过多",
		result.FetchRobotsDisallowed: "robots.txt 禁止",
		result.FetchBodyTooLarge:     "内容过大",
		result.FetchNotFound:         "页面不存在",
		result.FetchBadContent:       "内容异常",
		result.FetchOther:            "其他错误",
	},
}

var labelsEn = labels{
	lang:     LangEn,
	htmlLang: "en",

	title:       "Government information disclosure annual reports: check results",
	generated:   "Generated",
	tool:        "Tool",
	summary:     "Summary",
	documents:   "Documents",
	annual:      "of which annual reports",
	sites:       "Sites",
	site:        "Site",
	document:    "Document",
	findings:    "Findings",
	noFindings:  "No findings",
	byCategory:  "Findings by category",
	evidence:    "Evidence",
	total:       "Total",
	count:       "Count",
	item:        "Item",
	value:       "Value",
	chartSev:    "Findings by severity",
	chartCat:    "Findings by category",
	readError:   "Read error",
	kindReason:  "Classified because",
	sections:    "Sections found",
	tables:      "Tables found",
	dates:       "Dates on the page",
	attachments: "Attachments",
	related:     "Related document",
	link:        "Link",
	snippet:     "Snippet",
	format:      "Format",
	none:        "none",
	unknown:     "unknown",
	basedOn:     " (from: %s)",
	rowLabel:    "row: ",
	columnLabel: "column: ",
	yearFmt:     "year %d",
	listSep:     "; ",
	rawValue:    "Raw value",
	code:        "Code",
	countFmt:    "%s (%d)",
	parenFmt:    " (%s)",
	comma:       ", ",
	contents:    "Contents",
	colon:       ": ",

	hSeverity: "Severity", hRule: "Rule", hCategory: "Category", hMessage: "Message", hWhere: "Where", hExpected: "Expected", hActual: "Actual",
	hSource: "Source", hSite: "Site", hKind: "Kind", hAgency: "Agency", hLevel: "Level", hYear: "Year", hTemplate: "Template",
	hPublished: "Published", hDeadline: "Deadline",
	hTable: "Table", hRow: "Row", hColumn: "Column", hSnippet: "Snippet",
	hURL: "URL", hColumnFound: "Report column", hPages: "Pages fetched", hBytes: "Bytes fetched", hNotModified: "Not modified",
	hDuration: "Duration", hFetchErrors: "Fetch errors", hReportsPerYear: "Reports per year",
	hClass: "Class", hStatus: "Status", hAttempts: "Attempts", hError: "Error",

	hRegion: "Region", noRegion: "No region", hReview: "Review", hReviewer: "Reviewer", hReviewedAt: "Reviewed at", hReason: "Reason",
	hExpires:     "Expires",
	reviewStates: map[string]string{ReviewConfirmed: "confirmed", ReviewDismissed: "dismissed", ReviewReopened: "reopened"},
	timeline:     "Reports by year", yearOnTime: "published on time", yearLate: "published late", yearUndated: "published, date unknown",
	yearMissing: "missing", yearUnread: "listed, could not be read", yearNotSeen: "no report seen, not called missing",
	tableInvolved: "Table rows involved",
	hUnchecked:    "Not checked", incompleteFmt: "The results are incomplete (%s).",
	incomplete: map[string]string{
		"interrupted":     "The run was interrupted: the results hold what was checked before.",
		"scan-incomplete": "The scan ended incomplete: some sites could not be checked or stored.",
		"scan-unfinished": "The scan has not finished: the results hold the sites stored so far.",
	},

	severities: map[result.Severity]string{
		result.SeverityError:   "error",
		result.SeverityWarning: "warning",
		result.SeverityInfo:    "info",
	},
	categories: map[string]string{
		result.CatNotAnnualReport:          "not an annual report",
		result.CatMissingSection:           "missing section",
		result.CatSectionOrder:             "sections out of order",
		result.CatMissingTable:             "missing table",
		result.CatTableUnreadable:          "table unreadable",
		result.CatMissingRow:               "missing row",
		result.CatInvalidCell:              "invalid cell",
		result.CatTableIdentity:            "table identity broken",
		result.CatLatePublication:          "late publication",
		result.CatUnknownPublicationDate:   "unknown publication date",
		result.CatTemplateMismatch:         "template mismatch",
		result.CatMissingContent:           "missing content",
		result.CatCrossYear:                "cross-year mismatch",
		result.CatTextTableMismatch:        "text and table disagree",
		result.CatDuplicateContent:         "duplicate content",
		result.CatDuplicateSection:         "duplicate section",
		result.CatMissingColumn:            "missing column",
		result.CatBlankCell:                "blank cell",
		result.CatUnknownYear:              "unknown year",
		result.CatDateDisagreement:         "dates disagree",
		result.CatMissingReport:            "missing report",
		result.CatMissingReportColumn:      "report column not found",
		result.CatBrokenLink:               "broken link",
		result.CatReportNotMachineReadable: "report not machine-readable",
		result.CatUnreadableDocument:       "unreadable document",
		result.CatFetchError:               "fetch error",
		result.CatLimitExceeded:            "crawl limit exceeded",
		result.CatListUnreadable:           "column list not read whole",
	},
	kinds: map[result.Kind]string{
		result.KindAnnualReport: "annual report",
		result.KindOther:        "other document",
	},
	levels: map[result.Level]string{
		result.LevelDepartment: "government department",
		result.LevelGovernment: "people's government",
		result.LevelTownship:   "township or subdistrict",
	},
	templates: map[result.Template]string{
		result.TemplatePre2019: "pre-2019 format",
		result.Template2019:    "2019 format",
		result.Template2021:    "2021 format",
	},
	fetch: map[result.FetchClass]string{
		result.FetchDNS:              "DNS failure",
		result.FetchTLS:              "TLS error",
		result.FetchTimeout:          "timeout",
		result.FetchConnectionReset:  "connection reset",
		result.FetchConnection:       "connection refused",
		result.FetchHTTP4xx:          "HTTP 4xx",
		result.FetchHTTP5xx:          "HTTP 5xx",
		result.FetchTooManyRedirects: "too many redirects",
		result.FetchRobotsDisallowed: "disallowed by robots.txt",
		result.FetchBodyTooLarge:     "body too large",
		result.FetchNotFound:         "not found",
		result.FetchBadContent:       "bad content",
		result.FetchOther:            "other error",
	},
}

// reviewState is a review state's name; unknown states are shown cleaned.
func (t *labels) reviewState(s string) string {
	if l, ok := t.reviewStates[s]; ok {
		return l
	}
	return oneLine(s)
}

// SeverityName is the severity's name in lang (zh or en).
func SeverityName(s result.Severity, lang string) string { return labelsFor(lang).severity(s) }

// CategoryName is the category's readable name in lang (zh or en).
func CategoryName(code, lang string) string { return labelsFor(lang).category(code) }
