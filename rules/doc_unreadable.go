package rules

import (
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/result"
)

// DocUnreadable reports a file that could not be read: a report that cannot
// be parsed is itself a finding, never a silent gap.
var DocUnreadable = register(&Rule{
	ID:       "DOC-UNREADABLE",
	Category: result.CatUnreadableDocument,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "文件无法读取", En: "Document cannot be read"},
	Doc:      result.Text{Zh: "文件损坏、加密或格式不受支持，无法读取内容。公开的年度报告应能被公众正常打开。依据：条例第二十三条、第二十四条（通过政府网站等便于公众知晓的方式公开）；规范第5节。", En: "The file is damaged, encrypted or in an unsupported format, so its text cannot be read. A published report must open for the public. Basis: Regulation Arts. 23–24 (publication in ways the public can use); spec §5."},

	Spec: "§5",
	Run: func(p *Pass) {
		r := p.Document
		if r.Limit != (result.Text{}) {
			return // DOC-LIMIT: our limit, not a defect of the file
		}
		if r.ReadError != "" {
			p.Reportf(result.Evidence{Actual: r.ReadError}, "无法读取文件：%s", "cannot read the file: %s", r.ReadError)
			return
		}
		for _, n := range r.Doc.Notes {
			switch n.Kind {
			case document.NoteEncrypted, document.NoteUnsupported, document.NoteCorrupt:
				p.Report(Diagnostic{Evidence: result.Evidence{Actual: n.Kind}, Message: result.Text{
					Zh: "文件部分或全部无法读取：" + n.Message.Zh, En: "the file could not be read completely: " + n.Message.En}})
			}
		}
	},
})
