package rules

import (
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// T3RowBlank notes table 三 rows whose 总计 is blank while their applicant
// columns are not: the total is then taken as the columns' sum.
var T3RowBlank = register(&Rule{
	ID:       "T3-ROW-BLANK",
	Category: result.CatBlankCell,
	Severity: result.SeverityInfo,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表三：行总计未填写", En: "Table 3: row total left blank"},
	Doc:      result.Text{Zh: "表三数据行的「总计」未填写而自然人至其他六列之和不为0时提示：勾稽核对按各列之和计算该行总计（上海等地常只在一、二、（七）、四行填写总计）。依据：规范第3.5节 T3-ROW（空白单元格的处理）。", En: "A table 三 data row whose 总计 is blank while its six applicant columns sum to more than 0: the identities take the columns' sum as the row's total (some reports fill 总计 only on rows 一, 二, （七） and 四). Basis: spec §3.5 (T3-ROW, blank cells)."},

	Spec: "§3.5 T3-ROW",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["三"] == nil {
			return
		}
		rowTotals(r.Tables["三"], func(row *annual.Row, ev result.Evidence, total *annual.Cell, sum float64) {
			if total.Value.Kind == num.Blank {
				p.Reportf(ev, "表三「%[1]s」行总计未填写，各列之和为%[2]s", "table 3, row %[1]s: 总计 is blank; the columns sum to %[2]s", rowName(row), fmtNum(sum))
			}
		})
	},
})
