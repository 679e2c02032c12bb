package rules

import (
	"github.com/ogicheck/ogicheck/result"
)

// TblImage reports a template table published only as a picture.
var TblImage = register(&Rule{
	ID:       "TBL-IMAGE",
	Category: result.CatTableUnreadable,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "统计表格以图片发布，不可机读", En: "Table published as a picture"},
	Doc:      result.Text{Zh: "表格所在部分只有图片、没有可读表格：数据无法复制和核对。这不是“缺少表格”，但同样需要整改。依据：2021年格式“格式规范、数据精确”；规范第3.8节（表格只以图片或附件发布时归为“表格不可机读”）。", En: "The section that should hold the table has pictures and no readable table: the figures cannot be copied or checked. This is not a missing table, but still needs fixing. Basis: the 2021 format's call for 格式规范、数据精确; spec §3.8 (tables as images or attachments are 'not machine-readable', not 'missing')."},

	Spec: "§3.8",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil {
			return
		}
		for _, id := range []string{"二", "三", "四"} {
			if r.Tables[id] == nil && imageTable(r, id) {
				p.Report(Diagnostic{Evidence: result.Evidence{Table: id, Section: tableSections[id]}, Message: result.Text{Zh: "表" + id + "以图片形式发布，无法读取数据", En: "table " + tableNamesEn[id] + " is published as a picture; its figures cannot be read"}})
			}
		}
	},
})
