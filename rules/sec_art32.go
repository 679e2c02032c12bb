package rules

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// SecArt32 checks pre-2019 reports for the topics of the 2007 Regulation's
// Art. 32, by content: a sentence saying there were no applications, fees
// or appeals covers the topic.
var SecArt32 = register(&Rule{
	ID:       "SEC-ART32",
	Category: result.CatMissingContent,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "未报告条例（2007）第三十二条规定的内容", En: "Art. 32 (2007) topic not reported"},
	Doc:      result.Text{Zh: "2018年度及以前的报告适用2007年条例第三十二条：主动公开情况；依申请公开和不予公开情况；收费及减免情况；行政复议、行政诉讼情况；存在的主要问题及改进情况；其他事项。按内容判断，写明“没有收到申请”“没有收费”“没有复议诉讼”的句子也算报告了该项。依据：国务院令第492号第三十二条；规范第1节、第4节。", En: "Reports for 2018 and earlier fall under Art. 32 of the 2007 Regulation: proactive disclosure; applications and withheld information; fees and waivers; administrative review and litigation; problems and improvements; other matters. Judged by content: a sentence saying there were no applications, fees or appeals covers its topic. Basis: State Council Decree 492 Art. 32; spec §1 and §4."},

	Spec: "§1, §4",
	Run: func(p *Pass) {
		r := whole(annualReport(p))
		if r == nil || r.Template != result.TemplatePre2019 {
			return
		}
		for _, t := range annual.MissingTopics(r.BodyText()) {
			p.Report(Diagnostic{Evidence: result.Evidence{Expected: t.Zh}, Message: result.Text{Zh: "未报告「" + t.Zh + "」（2007年条例第三十二条）", En: "the report does not cover " + t.En + " (2007 Regulation Art. 32)"}})
		}
	},
})
