package rules

import (
	"sort"
	"strings"

	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/result"
)

// PubDisagree notes when the page date, the list date and the URL date
// disagree: a sign of a report changed or re-posted after release.
var PubDisagree = register(&Rule{
	ID:       "PUB-DISAGREE",
	Category: result.CatDateDisagreement,
	Severity: result.SeverityInfo,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "页面日期、列表日期、网址日期不一致", En: "Page, list and URL dates disagree"},
	Doc:      result.Text{Zh: "页面标注的发布日期、页面元数据（PubDate）、栏目列表显示的日期和网址中的日期不一致，可能是发布后又修改或重新发布。用于核实，不影响时限判断（按规范第6节的优先顺序取日期）。依据：规范第5节（发布后有变动）、第6节。", En: "The page's printed publication date, its PubDate meta tag, the column list's date and the date in the URL differ: the report may have been changed or re-posted after release. For review; timeliness uses the precedence of spec §6. Basis: spec §5 (changes after release) and §6."},

	Spec: "§5, §6",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil {
			return
		}
		byLabel := map[string]string{}
		for _, d := range r.Dates {
			kind := ""
			switch d.Label {
			case dates.LabelPublished, dates.LabelPubTime, dates.LabelIssued:
				kind = "page"
			case dates.LabelMeta:
				kind = "meta"
			case dates.LabelList:
				kind = "list"
			case dates.LabelURL:
				kind = "url"
			}
			if kind != "" && byLabel[kind] == "" {
				byLabel[kind] = d.Value
			}
		}
		distinct := map[string]bool{}
		for _, v := range byLabel {
			distinct[v] = true
		}
		if len(distinct) < 2 {
			return
		}
		var parts []string
		for k, v := range byLabel {
			parts = append(parts, k+" "+v)
		}
		sort.Strings(parts)
		got := strings.Join(parts, ", ")
		p.Reportf(result.Evidence{Actual: got}, "发布日期不一致：%[1]s", "the dates disagree: %[1]s", got)
	},
})
