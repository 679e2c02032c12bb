package rules

import (
	"fmt"
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// SecOrder reports sections that appear out of the template's order.
var SecOrder = register(&Rule{
	ID:       "SEC-ORDER",
	Category: result.CatSectionOrder,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "报告各部分顺序不符", En: "Sections out of order"},
	Doc:      result.Text{Zh: "六部分应按格式规定的顺序排列（一至六）。依据：国办公开办函〔2021〕30号格式（统一格式）；规范第3.1节。", En: "The six sections follow the format's order, 一 to 六. Basis: the uniform national format (〔2021〕30号); spec §3.1."},

	Spec: "§3.1",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil || len(r.Sections) < 2 {
			return
		}
		seen := map[int]bool{}
		var order []string
		last, bad := 0, false
		var at int
		for _, s := range r.Sections {
			if seen[s.Number] {
				continue
			}
			seen[s.Number] = true
			order = append(order, cn(s.Number))
			if s.Number < last && !bad {
				bad, at = true, s.Number
			}
			last = max(last, s.Number)
		}
		if !bad {
			return
		}
		got := strings.Join(order, "、")
		p.Report(Diagnostic{Evidence: result.Evidence{Section: at, Actual: got, Expected: "一、二、三、四、五、六"}, Message: result.Text{Zh: "报告各部分顺序为" + got + "，不符合格式顺序", En: fmt.Sprintf("sections appear in the order %s, not the format's order", got)}})
	},
})
