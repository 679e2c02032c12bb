package rules

import (
	"github.com/ogicheck/ogicheck/result"
)

// SecDup reports a section heading that occurs twice.
var SecDup = register(&Rule{
	ID:       "SEC-DUP",
	Category: result.CatDuplicateSection,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "报告部分重复", En: "Section repeated"},
	Doc:      result.Text{Zh: "同一部分的标题出现两次，通常是复制粘贴或编辑错误，读者无法判断以哪一处为准。依据：格式规范（2021年格式“格式规范”“文字严谨”）；规范第3.1节、第3.7节。", En: "The heading of one section appears twice, usually a copy-and-paste or editing error that leaves readers unsure which part counts. Basis: the 2021 format's demand for a regular, careful text; spec §3.1 and §3.7."},

	Spec: "§3.1, §3.7",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil {
			return
		}
		reported := map[int]bool{}
		first := map[int]string{}
		for _, s := range r.Sections {
			if h, ok := first[s.Number]; ok && !reported[s.Number] {
				reported[s.Number] = true
				p.Report(Diagnostic{Evidence: result.Evidence{Section: s.Number, Snippet: h + " / " + s.Heading}, Message: result.Text{Zh: "第" + cn(s.Number) + "部分出现两次：「" + h + "」与「" + s.Heading + "」", En: "section " + cn(s.Number) + " appears twice: " + h + " / " + s.Heading}})
				continue
			}
			if _, ok := first[s.Number]; !ok {
				first[s.Number] = s.Heading
			}
		}
	},
})
