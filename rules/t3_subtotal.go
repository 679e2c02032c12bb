package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/result"
)

// T3Subtotal checks the subtotal rows some reports add for （三）不予公开,
// （四）无法提供, （五）不予处理 and （六）其他处理.
var T3Subtotal = register(&Rule{
	ID:       "T3-SUBTOTAL",
	Category: result.CatTableIdentity,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    Text{"表三：小计不等于所含各项之和", "Table 3: subtotal ≠ sum of its items"},
	Doc: Text{
		"格式中（三）（四）（五）（六）只是分组标题，没有小计行。报告自行加了小计行时，小计应等于所含各项之和。依据：规范第3.3节、第3.5节 T3-SUBTOTAL。",
		"In the format, （三）（四）（五）（六） are group labels without a number row. When a report adds subtotal rows, each equals the sum of its items. Basis: spec §3.3 and §3.5 (T3-SUBTOTAL).",
	},
	Spec: "§3.5 T3-SUBTOTAL",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["三"] == nil {
			return
		}
		t := r.Tables["三"]
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
					Expected: fmt.Sprintf("%s = %s", expr, fmtNum(total)), Actual: fmtNum(sv)},
					Msg("表三「%[1]s」小计「%[2]s」列为%[3]s，所含各项之和为%[4]s", "table 3, subtotal %[1]s, column %[2]s: %[3]s, but its items sum to %[4]s",
						sub.Spec.Label, col, fmtNum(sv), fmtNum(total)))
			}
		}
	},
})
