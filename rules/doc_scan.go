package rules

import (
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/result"
)

// DocScan reports documents with no extractable text: a scanned PDF or a
// page of pictures cannot be searched or checked.
var DocScan = register(&Rule{
	ID:       "DOC-SCAN",
	Category: result.CatReportNotMachineReadable,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "报告不可机读（扫描件或图片）", En: "Report not machine-readable (scan or images)"},
	Doc:      result.Text{Zh: "文件没有可提取的文字（扫描件或图片），公众无法检索、复制，数据无法核对。依据：国办公开办函〔2019〕61号（统一格式、便于查阅）；2021年格式关于年报“格式规范、数据精确”的要求；规范第3.8节、第5节。", En: "The file has no extractable text (a scan or pictures): the public cannot search or copy it and its figures cannot be checked. Basis: 国办公开办函〔2019〕61号 (uniform, usable format) and the 2021 format's call for 格式规范、数据精确; spec §3.8 and §5."},

	Spec: "§3.8, §5",
	Run: func(p *Pass) {
		r := p.Document
		if n, ok := r.HasNote(document.NoteNoText); ok {
			p.Report(Diagnostic{Evidence: result.Evidence{Actual: n.Kind}, Message: result.Text{
				Zh: "文件没有可提取的文字（扫描件或图片）：" + n.Message.Zh,
				En: "the file has no extractable text (scanned or pictures only): " + n.Message.En}})
		}
	},
})
