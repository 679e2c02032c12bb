package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// T3Col checks the identity printed in table 三's header: for each
// applicant column, 一 + 二 = 三（七）总计 + 四.
var T3Col = register(&Rule{
	ID:       "T3-COL",
	Category: result.CatTableIdentity,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表三：第一项加第二项不等于第三项加第四项", En: "Table 3: new + carried over ≠ handled + carried forward"},
	Doc:      result.Text{Zh: "表三表头写明「本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和」。每一列（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计）都应满足：一、本年新收 + 二、上年结转 = 三（七）总计 + 四、结转下年度继续办理。依据：2019年、2021年格式表三表头；规范第3.3节、第3.5节 T3-COL。", En: "Table 三's header states the identity 「第一项加第二项之和，等于第三项加第四项之和」: in every column, 一 new applications + 二 carried over = 三（七）total handled + 四 carried forward. Basis: the header of table 三 in both formats; spec §3.3 and §3.5 (T3-COL)."},

	Spec: "§3.5 T3-COL",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil || r.Tables["三"] == nil {
			return
		}
		t := r.Tables["三"]
		left := []*annual.Row{t.Row(annual.KeyNew), t.Row(annual.KeyCarried)}
		right := []*annual.Row{t.Row(annual.KeyTotal), t.Row(annual.KeyForward)}
		for _, col := range t.Columns {
			lv, ok1 := t3Sum(t, left, col)
			rv, ok2 := t3Sum(t, right, col)
			if !ok1 || !ok2 || lv == rv {
				continue
			}
			lt, lrefs := collect(t, left, col)
			rt, rrefs := collect(t, right, col)
			le, _ := sumExpr(lt)
			re, _ := sumExpr(rt)
			p.Reportf(result.Evidence{Table: "三", Row: rowName(left[0]), Column: col, Cells: append(lrefs, rrefs...),
				Expected: fmt.Sprintf("%s = %s", le, fmtNum(lv)), Actual: fmt.Sprintf("%s = %s", re, fmtNum(rv))}, "表三「%[1]s」列：%[2]s = %[3]s，但 %[4]s = %[5]s（第一项加第二项应等于第三项加第四项）",
				"table 3, column %[1]s: %[2]s = %[3]s, but %[4]s = %[5]s (new + carried over must equal handled + carried forward)",
				col, le, fmtNum(lv), re, fmtNum(rv))
		}
	},
})
