package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// PubImpossible reports publication dates that cannot be the report's: a
// date before the report year ended or after today is a wrong date on the
// page (or in its URL or list), and proves nothing about timeliness.
var PubImpossible = register(&Rule{
	ID:       "PUB-IMPOSSIBLE",
	Category: result.CatDateDisagreement,
	Severity: result.SeverityWarning,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "发布日期不可能成立", En: "Impossible publication date"},
	Doc: result.Text{
		Zh: "年度报告只能在报告年度结束后发布，也不能晚于今天。页面标注的发布日期（发布日期/发布时间/公开日期/发文日期）、元数据、列表日期或网址日期早于报告年度结束或晚于今天时，这个日期是错的：报告本条，不用它判断是否按时发布（按规范第6节的优先顺序改用下一个可能的日期；没有时不判断）。依据：条例第四十九条（报告上一年度的工作）；规范第2节、第6节。",
		En: "A report can only be published after its year has ended, and not after today. When the page's publication date (发布日期/发布时间/公开日期/发文日期), its metadata, the list's date or the URL's date falls before the report year ended or after today, that date is wrong: this rule reports it, and timeliness is never judged on it (the next possible date in the precedence of spec §6 is used instead, or none). Basis: Regulation Art. 49 (a report covers the previous year); spec §2 and §6.",
	},

	Spec: "§2, §6",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil {
			return
		}
		today := p.Config.Now.Format("2006-01-02")
		for _, d := range r.Impossible {
			why := result.Msg("早于%d年度结束", "before the %d year ended", r.Year)
			if d.Value > today {
				why = result.Msg("晚于今天（%s）", "after today (%s)", today)
			}
			src := annual.DateSource(d.Label)
			rest := result.Text{Zh: "，不据此判断是否按时发布", En: "; timeliness is not judged on it"}
			if r.Published == "" {
				rest = result.Text{Zh: "；没有其他可用的发布日期，无法判断是否按时发布", En: "; no other usable publication date, so timeliness cannot be judged"}
			}
			report := result.Msg("%d年度报告", "the %d report", r.Year)
			if r.Year == 0 {
				report = result.Text{Zh: "本报告", En: "the report"}
			}
			p.Report(Diagnostic{Evidence: result.Evidence{Year: r.Year, Actual: d.Value + " (" + d.Label + ")"},
				Message: result.Text{
					Zh: fmt.Sprintf("%s%s%s，不可能是%s的发布日期%s", src.Zh, d.Value, why.Zh, report.Zh, rest.Zh),
					En: fmt.Sprintf("%s %s is %s: it cannot be when %s was published%s", src.En, d.Value, why.En, report.En, rest.En),
				}})
		}
	},
})
