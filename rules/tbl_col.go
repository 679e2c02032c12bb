package rules

import (
	"fmt"
	"strings"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// TblCol reports template column headers not found above a recognised
// table.
var TblCol = register(&Rule{
	ID:       "TBL-COL",
	Category: result.CatMissingColumn,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表格缺少规定的列标题", En: "Template column header missing"},
	Doc:      result.Text{Zh: "表头应包含格式规定的全部列：表三为自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计；表四为行政复议、未经复议直接起诉、复议后起诉及各自的结果维持、结果纠正、其他结果、尚未审结、总计；表二按各项规定的列。表头被换行拆开或被截短（「本年新」）仍算找到。依据：规范第3.2–3.4节、第3.8节。", En: "The header must carry every column of the format: table 三's 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计; table 四's groups and result columns; table 二's per-block columns. A header broken over lines or cut short (本年新) still counts. Basis: spec §3.2–§3.4, §3.8."},

	Spec: "§3.2–§3.4, §3.8",
	Run: func(p *Pass) {
		r := whole(templated(p))
		if r == nil {
			return
		}
		for _, id := range []string{"二", "三", "四"} {
			t := r.Tables[id]
			if t == nil {
				continue
			}
			for _, c := range t.MissingColumns {
				p.Report(Diagnostic{Evidence: result.Evidence{Table: id, Column: c, Expected: c}, Message: result.Text{Zh: "表" + id + "表头中没有「" + c + "」列", En: "table " + tableNamesEn[id] + " has no column header " + c}})
			}
			for _, row := range tableRows(t) {
				var extra []string
				for _, c := range row.Cells {
					if strings.HasPrefix(c.Column, annual.ExtraColumn) && c.Value.Raw != "" {
						extra = append(extra, c.Value.Raw)
					}
				}
				if len(extra) == 0 {
					continue
				}
				got := strings.Join(extra, " ")
				p.Reportf(result.Evidence{Table: id, Row: rowName(row), Actual: got, Expected: fmt.Sprint(len(t.Columns)), Snippet: snippet(row)}, "表%[1]s「%[2]s」行比格式的%[3]d列多出数值：%[4]s（这些数值未参与核对）", "table %[1]s, row %[2]s has values beyond the format's %[3]d columns: %[4]s (not checked)",
					id, rowName(row), len(t.Columns), got)
			}
		}
	},
})
