package rules

import (
	"fmt"
	"slices"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// T3Subtotal checks the subtotal rows some reports add for （三）不予公开,
// （四）无法提供, （五）不予处理 and （六）其他处理.
var T3Subtotal = register(&Rule{
	ID:       "T3-SUBTOTAL",
	Category: result.CatTableIdentity,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表三：小计不等于所含各项之和", En: "Table 3: subtotal ≠ sum of its items"},
	Doc:      result.Text{Zh: "格式中（三）（四）（五）（六）只是分组标题，没有小计行，也没有“法人或其他组织”小计列。报告自行加了小计行时，小计应等于所含各项之和；加了法人或其他组织小计列时，它应等于商业企业、科研机构、社会公益组织、法律服务机构、其他五列之和。依据：规范第3.3节、第3.5节 T3-SUBTOTAL。", En: "In the format, （三）（四）（五）（六） are group labels without a number row, and there is no 法人或其他组织 subtotal column. When a report adds subtotal rows, each equals the sum of its items; when it adds a 法人或其他组织 subtotal column, it equals the sum of the five legal-person columns. Basis: spec §3.3 and §3.5 (T3-SUBTOTAL)."},

	Spec: "§3.5 T3-SUBTOTAL",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["三"] == nil {
			return
		}
		t := r.Tables["三"]
		// a 法人或其他组织 subtotal column: the five legal-person columns
		if slices.Contains(t.Columns, annual.LegalSubtotal) {
			for _, row := range tableRows(t) {
				sv, ok := value(row, annual.LegalSubtotal)
				if !ok {
					continue
				}
				s, ok := rowSum(row, annual.T3Legal())
				if !ok || s == sv {
					continue
				}
				var ts []term
				refs := []result.CellRef{ref(row, annual.LegalSubtotal)}
				for _, c := range annual.T3Legal() {
					v, _ := value(row, c)
					ts = append(ts, term{c, v})
					refs = append(refs, ref(row, c))
				}
				expr, _ := sumExpr(ts)
				p.Reportf(result.Evidence{Table: "三", Row: rowName(row), Column: annual.LegalSubtotal, Cells: refs,
					Expected: fmt.Sprintf("%s = %s", expr, fmtNum(s)), Actual: fmtNum(sv), Snippet: snippet(row)}, "表三「%[1]s」行：法人或其他组织小计为%[2]s，五类法人或其他组织之和为%[3]s", "table 3, row %[1]s: the 法人或其他组织 subtotal is %[2]s but its five columns sum to %[3]s",
					rowName(row), fmtNum(sv), fmtNum(s))
			}
		}
		for _, sub := range t.Optional {
			if !sub.Found {
				continue
			}
			var items []*annual.Row
			for _, row := range t.Rows {
				if row.Found && row.Spec.Block == sub.Spec.Label {
					items = append(items, row)
				}
			}
			if len(items) == 0 {
				continue
			}
			for _, col := range t.Columns {
				sv, ok := t3Value(t, sub, col)
				if !ok {
					continue
				}
				total, ok := t3Sum(t, items, col)
				if !ok || total == sv {
					continue
				}
				ts, refs := collect(t, items, col)
				expr, _ := sumExpr(ts)
				p.Reportf(result.Evidence{Table: "三", Row: sub.Spec.Label, Column: col, Cells: append([]result.CellRef{ref(sub, col)}, refs...),
					Expected: fmt.Sprintf("%s = %s", expr, fmtNum(total)), Actual: fmtNum(sv)}, "表三「%[1]s」小计「%[2]s」列为%[3]s，所含各项之和为%[4]s", "table 3, subtotal %[1]s, column %[2]s: %[3]s, but its items sum to %[4]s",
					sub.Spec.Label, col, fmtNum(sv), fmtNum(total))
			}
		}
	},
})
