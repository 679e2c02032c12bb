package rules

import "github.com/ogicheck/ogicheck/result"

// SiteListUnreadable reports a column whose list could not be read whole, so
// that reports it may list are not taken for missing ones.
var SiteListUnreadable = register(&Rule{
	ID:       "SITE-LIST-UNREADABLE",
	Category: result.CatListUnreadable,
	Severity: result.SeverityError,
	Scope:    SiteScope,
	Title:    result.Text{Zh: "年报栏目列表未能完整读取", En: "Annual-report column list not read whole"},
	Doc: result.Text{
		Zh: "年报栏目的列表没有读全：列表由脚本生成而未渲染（--render never，或本机没有 Chromium）、浏览器渲染失败、列表数据接口（如大汉JCMS的 dataproxy.jsp、JSONP、gkmlpt 接口、检索接口）请求失败、读到的记录少于列表声明的总数，或达到抓取上限。未读到的部分可能列有的年度不报“缺少年度报告”（见 SITE-MISSING-REPORT）；历年年报应能在栏目中查阅。本条说明检查不完整，不等于网站违规；可启用浏览器渲染（--render auto 并安装 Chromium）或调高限制后重查。依据：国办公开办函〔2019〕61号（历年年报可查）；规范第5节、第6节。",
		En: "The column's list was not read whole: it is built by scripts and was not rendered (--render never, or no Chromium on this machine), rendering failed, a list data request (a Hanweb JCMS dataproxy.jsp, a JSONP or gkmlpt API, a search endpoint) failed, fewer records were read than the list announces, or a crawl limit was reached. No year the unread part may list is reported missing (see SITE-MISSING-REPORT); past reports must be browsable in the column. The finding says the check is incomplete, not that the site breaks a rule: render (--render auto with Chromium installed) or raise the limits and check again. Basis: 国办公开办函〔2019〕61号 (history browsable); spec §5 and §6.",
	},

	Spec: "§5, §6",
	Run: func(p *Pass) {
		seen := map[ListGap]bool{}
		for _, g := range p.Site.Unread {
			k := ListGap{Mechanism: g.Mechanism, URL: g.URL, Reason: g.Reason}
			if seen[k] {
				continue
			}
			seen[k] = true
			m, r := gapText(mechanismNames, g.Mechanism), gapText(gapReasons, g.Reason)
			p.Report(Diagnostic{Evidence: result.Evidence{URL: g.URL, Actual: g.Detail, Expected: g.Mechanism},
				Message: result.Text{Zh: "年报栏目列表未能完整读取（" + m.Zh + "：" + r.Zh + "）：" + g.URL,
					En: "the column's list could not be read whole (" + m.En + ": " + r.En + "): " + g.URL}})
		}
	},
})

// gapText names a mechanism or reason in both languages; unknown codes
// stand for themselves.
func gapText(names map[string]result.Text, code string) result.Text {
	if t, ok := names[code]; ok {
		return t
	}
	return result.Text{Zh: code, En: code}
}

var mechanismNames = map[string]result.Text{
	"static":       {Zh: "静态列表页", En: "static list pages"},
	"jcms":         {Zh: "大汉JCMS数据代理（dataproxy.jsp）", En: "Hanweb JCMS dataproxy.jsp"},
	"jsonp":        {Zh: "JSONP数据接口", En: "a JSONP data request"},
	"script-array": {Zh: "脚本中的列表数组", En: "an item array in a script"},
	"base64":       {Zh: "Base64编码的列表或分页", En: "base64-encoded list or pager markup"},
	"gkmlpt":       {Zh: "广东政府信息公开目录平台（gkmlpt）接口", En: "the gkmlpt API"},
	"search":       {Zh: "检索接口", En: "a search endpoint"},
	"script":       {Zh: "脚本生成的列表", En: "a list built by scripts"},
}

var gapReasons = map[string]result.Text{
	"not-rendered":   {Zh: "列表由脚本生成，未启用浏览器渲染", En: "built by scripts, and rendering is off"},
	"no-browser":     {Zh: "列表由脚本生成，本机没有可用于渲染的 Chromium", En: "built by scripts, and no Chromium is installed to render it"},
	"render-failed":  {Zh: "浏览器渲染失败", En: "rendering failed"},
	"request-failed": {Zh: "列表数据请求失败", En: "a list request failed"},
	"incomplete":     {Zh: "读到的记录少于列表声明的总数", En: "fewer records read than the list announces"},
	"limit":          {Zh: "达到抓取上限", En: "a crawl limit was reached"},
}
