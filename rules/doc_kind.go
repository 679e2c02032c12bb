package rules

import "github.com/ogicheck/ogicheck/result"

// DocKind reports documents that are not annual reports, so that a 工作要点
// or a 函 filed in the 年报 column is seen and not checked as a report.
var DocKind = register(&Rule{
	ID:       "DOC-KIND",
	Category: result.CatNotAnnualReport,
	Severity: result.SeverityInfo,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "不是政府信息公开工作年度报告", En: "Not an annual disclosure report"},
	Doc:      result.Text{Zh: "判断文档是否为政府信息公开工作年度报告：正文具备六部分中至少四部分或表三时按正文判断，否则按标题（「年度报告」「年报」为报告；「工作要点」「通知」「函」「方案」等为其他文件）。其他文件不做报告检查，只报告本条。依据：《政府信息公开条例》第五十条（年度报告应包括的内容）；规范第3.0节、第6节（年报栏目只放年度报告）。", En: "Decides whether a document is a 政府信息公开工作年度报告: by its body when it carries at least four of the six sections or table 三, else by its title (年度报告/年报 make a report; 工作要点, 通知, 函, 方案 and the like make another document). Other documents get only this finding, no report checks. Basis: Regulation Art. 50 (what a report contains); spec §3.0 and §6 (the 年报 column holds reports)."},

	Spec: "§3.0, §6",
	Run: func(p *Pass) {
		r := p.Document
		if r.IsReport() || r.Unreadable() {
			return
		}
		p.Report(Diagnostic{Evidence: result.Evidence{Snippet: r.Title}, Message: result.Text{Zh: "不是政府信息公开工作年度报告（" + r.KindReason.Zh + "），未按年度报告检查", En: "not an annual disclosure report (" + r.KindReason.En + "); not checked as one"}})
	},
})
