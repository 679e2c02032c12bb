package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// T4Sum checks each group of table 四: 维持 + 纠正 + 其他 + 尚未审结 = 总计.
var T4Sum = register(&Rule{
	ID:       "T4-SUM",
	Category: result.CatTableIdentity,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表四：各结果之和不等于总计", En: "Table 4: results do not add up to the total"},
	Doc:      result.Text{Zh: "表四的行政复议、未经复议直接起诉、复议后起诉三组，每组应满足：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。依据：规范第3.4节、第3.5节 T4-SUM。", En: "In each of table 四's three groups (行政复议, 未经复议直接起诉, 复议后起诉): 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计. Basis: spec §3.4 and §3.5 (T4-SUM)."},

	Spec: "§3.5 T4-SUM",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["四"] == nil {
			return
		}
		row := r.Tables["四"].Rows[0]
		results := annual.T4Results()
		for _, g := range annual.T4Groups() {
			totalCol := g + "/" + results[len(results)-1]
			if c := row.Cell(totalCol); c != nil && c.Value.Kind == num.Blank {
				continue // a total left blank is CELL-BLANK's note, not a wrong sum
			}
			tv, ok := value(row, totalCol)
			if !ok {
				continue
			}
			var ts []term
			var refs []result.CellRef
			usable := true
			for _, res := range results[:len(results)-1] {
				v, ok := value(row, g+"/"+res)
				if !ok {
					usable = false
					break
				}
				ts = append(ts, term{res, v})
				refs = append(refs, ref(row, g+"/"+res))
			}
			if !usable {
				continue
			}
			expr, sum := sumExpr(ts)
			if sum == tv {
				continue
			}
			p.Reportf(result.Evidence{Table: "四", Row: g, Column: totalCol, Cells: append(refs, ref(row, totalCol)),
				Expected: fmt.Sprintf("%s = %s", expr, fmtNum(sum)), Actual: fmtNum(tv), Snippet: snippet(row)}, "表四「%[1]s」：%[2]s = %[3]s，但总计为%[4]s", "table 4, %[1]s: %[2]s = %[3]s, but 总计 is %[4]s", g, expr, fmtNum(sum), fmtNum(tv))
		}
	},
})
