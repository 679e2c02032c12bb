package rules

import (
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/result"
)

// DocEncoding reports a page that declares UTF-8 but holds bytes that are
// not UTF-8: it is read as UTF-8 with the bad bytes replaced, and the
// reader is told that some characters may be lost.
var DocEncoding = register(&Rule{
	ID:       "DOC-ENCODING",
	Category: result.CatUnreadableDocument,
	Severity: result.SeverityInfo,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "页面含无效的UTF-8字节", En: "Page has invalid UTF-8 bytes"},
	Doc:      result.Text{Zh: "页面声明为UTF-8编码，但含有不是有效UTF-8的字节。页面仍按UTF-8读取，这些字节替换为替换字符U+FFFD，相应位置的文字可能缺失或显示为乱码。公开的年度报告应能被公众正常阅读。依据：条例第二十三条、第二十四条；规范第5节。", En: "The page declares UTF-8 but holds bytes that are not valid UTF-8. It is still read as UTF-8, the bad bytes replaced by U+FFFD, so text at those places may be lost or show as garbage. A published report must read correctly for the public. Basis: Regulation Arts. 23–24; spec §5."},

	Spec: "§5",
	Run: func(p *Pass) {
		for _, n := range p.Document.Doc.Notes {
			if n.Kind == document.NoteRepaired {
				p.Report(Diagnostic{Evidence: result.Evidence{Actual: n.Kind}, Message: n.Message})
			}
		}
	},
})
