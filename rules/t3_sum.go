package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// resultRows are the rows that (七)总计 sums: every result category once.
// In a 2021-format table that prints （六）其他处理 as one row, that row
// stands for its three items.
func resultRows(t *annual.Table) []*annual.Row {
	var out []*annual.Row
	otherItems := 0
	for _, r := range t.Rows {
		if r.Spec.Block == "（六）其他处理" && r.Found {
			otherItems++
		}
	}
	for _, r := range t.Rows {
		switch {
		case r.Spec.Key == annual.KeyNew, r.Spec.Key == annual.KeyCarried, r.Spec.Key == annual.KeyTotal, r.Spec.Key == annual.KeyForward:
			continue
		case r.Spec.Block == "（六）其他处理" && !r.Found:
			continue // absent items count as nothing; TBL-ROW reports them
		}
		if r.Found {
			out = append(out, r)
		}
	}
	if otherItems == 0 && t.Template == result.Template2021 {
		if single := t.Row(annual.KeyOther19); single != nil && single.Found {
			out = append(out, single)
		}
	}
	return out
}

// T3Sum checks that （七）总计 is the sum of the result rows.
var T3Sum = register(&Rule{
	ID:       "T3-SUM",
	Category: result.CatTableIdentity,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表三：（七）总计不等于各办理结果之和", En: "Table 3: total handled ≠ sum of the results"},
	Doc:      result.Text{Zh: "每一列的「（七）总计」应等于（一）予以公开、（二）部分公开、（三）不予公开1–8、（四）无法提供1–3、（五）不予处理1–5、（六）其他处理（2019年格式一行，2021年格式1–3）之和。（二）的注释「区分处理的，只计这一情形，不计其他情形」保证每件申请只计一个结果，因此等式严格成立。依据：规范第3.3节、第3.5节 T3-SUM。", En: "In every column, （七）总计 equals the sum of （一）disclosed, （二）partly disclosed, （三）withheld 1–8, （四）cannot provide 1–3, （五）not processed 1–5 and （六）other (one row in the 2019 format, items 1–3 in the 2021 format). The note on （二） makes every application count once, so the sum is exact. Basis: spec §3.3 and §3.5 (T3-SUM)."},

	Spec: "§3.5 T3-SUM",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["三"] == nil {
			return
		}
		t := r.Tables["三"]
		total := t.Row(annual.KeyTotal)
		parts := resultRows(t)
		if total == nil || !total.Found || len(parts) == 0 {
			return
		}
		for _, col := range t.Columns {
			tv, ok := t3Value(t, total, col)
			if !ok {
				continue
			}
			s, ok := t3Sum(t, parts, col)
			if !ok || s == tv {
				continue
			}
			ts, refs := collect(t, parts, col)
			expr, sum := sumExpr(ts)
			p.Reportf(result.Evidence{Table: "三", Row: rowName(total), Column: col, Cells: append([]result.CellRef{ref(total, col)}, refs...),
				Expected: fmt.Sprintf("%s = %s", expr, fmtNum(sum)), Actual: fmtNum(tv)}, "表三「%[1]s」列：（七）总计为%[2]s，各办理结果之和为%[3]s", "table 3, column %[1]s: （七）总计 is %[2]s but the results sum to %[3]s",
				col, fmtNum(tv), fmtNum(sum))
		}
	},
})
