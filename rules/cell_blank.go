package rules

import (
	"fmt"
	"strings"

	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// CellBlank notes cells left blank or written —, /, 无: they count as 0,
// and the reader should know the arithmetic assumed so.
var CellBlank = register(&Rule{
	ID:       "CELL-BLANK",
	Category: result.CatBlankCell,
	Severity: result.SeverityInfo,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表格单元格未填写（按0计算）", En: "Cells not filled (counted as 0)"},
	Doc:      result.Text{Zh: "格式没有“空白”的含义。空白、「—」、「-」、「/」、「无」在勾稽核对中按0计算，并以本条提示，每张表一条，列出这些单元格。依据：规范第3.5节（空白单元格的处理）。", En: "The format gives blank cells no meaning. Blank, —, -, / and 无 count as 0 in the identities, and this rule says so, once per table, naming the cells. Basis: spec §3.5 (blank cells)."},

	Spec: "§3.5",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil {
			return
		}
		for _, id := range []string{"二", "三", "四"} {
			t := r.Tables[id]
			if t == nil {
				continue
			}
			var refs []result.CellRef
			for _, row := range tableRows(t) {
				for _, c := range row.Cells {
					if !c.Missing && c.Value.Kind == num.Blank {
						refs = append(refs, ref(row, c.Column))
					}
				}
			}
			if len(refs) == 0 {
				continue
			}
			var names []string
			for i, c := range refs {
				if i == 3 {
					names = append(names, "…")
					break
				}
				names = append(names, c.Row+"/"+c.Column)
			}
			p.Report(Diagnostic{Evidence: result.Evidence{Table: id, Cells: refs, Actual: fmt.Sprint(len(refs))}, Message: result.Text{Zh: fmt.Sprintf("表%s有%d个单元格未填写数字（按0计算）：%s", id, len(refs), strings.Join(names, "，")), En: fmt.Sprintf("table %s has %d cells without a number (counted as 0): %s", tableNamesEn[id], len(refs), strings.Join(names, ", "))}})
		}
	},
})
