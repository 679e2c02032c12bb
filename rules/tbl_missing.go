package rules

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// tableSections says in which section each table is printed.
var tableSections = map[string]int{"二": 2, "三": 3, "四": 4}

var tableTitles = map[string]string{
	"二": "主动公开政府信息情况",
	"三": "收到和处理政府信息公开申请情况",
	"四": "政府信息公开行政复议、行政诉讼情况",
}

// imageTable reports whether the section holding the table has pictures in
// place of a table, or the reader saw a table printed as an image.
func imageTable(r *annual.Report, id string) bool {
	n := tableSections[id]
	var start, end = -1, len(r.Doc.Blocks)
	for i, s := range r.Sections {
		if s.Number == n && start < 0 {
			start = s.Block
			if i+1 < len(r.Sections) {
				end = r.Sections[i+1].Block
			}
		}
	}
	for _, b := range r.Images {
		if start >= 0 && b > start && b < end {
			return true
		}
	}
	return false
}

// TblMissing reports template tables a 2019+ report does not contain.
var TblMissing = register(&Rule{
	ID:       "TBL-MISSING",
	Category: result.CatMissingTable,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "缺少统计表格", En: "Template table missing"},
	Doc:      result.Text{Zh: "2019年度起的报告应包含三张统计表：表二「主动公开政府信息情况」、表三「收到和处理政府信息公开申请情况」、表四「政府信息公开行政复议、行政诉讼情况」。表格只以图片形式出现时报 TBL-IMAGE，不报本条。依据：国办公开办函〔2019〕60号、〔2021〕30号格式；规范第3.2–3.4节。", En: "Reports from 2019 contain three template tables: 二 proactive disclosure, 三 applications, 四 review and litigation. A table present only as a picture is reported by TBL-IMAGE instead. Basis: the 2019 and 2021 formats; spec §3.2–§3.4."},

	Spec: "§3.2–§3.4",
	Run: func(p *Pass) {
		r := whole(templated(p))
		if r == nil {
			return
		}
		for _, id := range []string{"二", "三", "四"} {
			if r.Tables[id] != nil || imageTable(r, id) {
				continue
			}
			p.Report(Diagnostic{Evidence: result.Evidence{Table: id, Section: tableSections[id]}, Message: result.Text{Zh: "缺少表" + id + "「" + tableTitles[id] + "」", En: "table " + tableNamesEn[id] + " (" + tableTitles[id] + ") is missing"}})
		}
	},
})
