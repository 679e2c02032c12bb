package rules

import "github.com/ogicheck/ogicheck/result"

// DocYear reports annual reports whose year cannot be read.
var DocYear = register(&Rule{
	ID:       "DOC-YEAR",
	Category: result.CatUnknownYear,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "无法确定报告年度", En: "Report year not found"},
	Doc:      result.Text{Zh: "标题和正文开头都没有写明报告年度。没有年度就无法确定适用的格式和发布时限。依据：条例第四十九条（报告“上一年度”工作）；规范第2节、第3.0节。", En: "Neither the title nor the opening paragraphs name the report year. Without it neither the template nor the deadline can be decided. Basis: Regulation Art. 49 (a report covers the previous year); spec §2 and §3.0."},

	Spec: "§2, §3.0",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil || r.Year != 0 {
			return
		}
		p.Reportf(result.Evidence{Snippet: r.Title}, "未能从标题或正文确定报告年度", "the report year is named neither in the title nor in the opening text")
	},
})
