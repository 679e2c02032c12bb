package rules

import (
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/result"
)

// DocLimit reports a document read only in part because it hit one of the
// checker's limits, so that a cut document is never taken for a complete one.
var DocLimit = register(&Rule{
	ID:       "DOC-LIMIT",
	Category: result.CatLimitExceeded,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "文件超出检查限制，仅部分检查", En: "Document over a limit, checked in part"},
	Doc:      result.Text{Zh: "读取文件时达到检查工具的限制：文件大小（--max-body）、页数、表格单元格数、文字字符数、页面标签数、压缩包或数据流的解压总量（防止“压缩炸弹”）或每份文件的读取时间。超出部分未检查，其他结论可能不完整。这是工具的限制，不一定是文件的问题。规范第5节。", En: "Reading the file hit one of the checker's limits: size (--max-body), pages, table cells, characters of text, tags of a page, unpacked size of an archive or stream (zip and flate bombs) or reading time per document. What lies beyond was not checked, so other results may be incomplete. This is the checker's limit, not necessarily a defect of the file. Spec §5."},

	Spec: "§5",
	Run: func(p *Pass) {
		r := p.Document
		if r.Limit != (result.Text{}) {
			p.Reportf(result.Evidence{Actual: r.Limit.En}, "未读完：%[1]s", "not read completely: %[2]s", r.Limit.Zh, r.Limit.En)
		}
		for _, n := range r.Doc.Notes {
			if n.Kind == document.NoteLimit || n.Kind == document.NoteTruncated {
				p.Report(Diagnostic{Evidence: result.Evidence{Actual: n.Kind},
					Message: result.Text{Zh: "未读完：" + n.Message.Zh, En: "not read completely: " + n.Message.En}})
			}
		}
	},
})
