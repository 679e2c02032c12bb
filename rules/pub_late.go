package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/result"
)

// PubLate reports reports published after the statutory deadline.
var PubLate = register(&Rule{
	ID:       "PUB-LATE",
	Category: result.CatLatePublication,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "年度报告逾期发布", En: "Report published late"},
	Doc: result.Text{
		Zh: "发布时限（含当日）：2018年度及以前，所有行政机关次年3月31日前（2007年条例第三十一条）；2019、2020年度，县级以上人民政府部门次年1月31日前，县级以上地方人民政府本级报告次年3月31日前（条例第四十九条），乡镇、街道由地方规定（默认3月31日，可配置）；2021年度起按国办公开办函〔2021〕30号：政府部门、办公厅（室）本机关报告和乡镇次年1月31日前，本级政府报告县级2月20日前、地级（设区的市、州、盟）3月10日前、省级3月31日前。机关层级由名称判断（…局/委/办/厅为部门，…人民政府/管委会为政府），可用 --agency-level 指定；政府层级也由名称判断（…县/区/旗为县级，…州/盟和已知的地级市为地级，…省/自治区/直辖市为省级），名称不能说明时（如县级市与地级市同名称形式、新区、管委会）按最晚的3月31日，可另行指定层级。发布日期按页面标注取（发布日期/发布时间/公开日期 > 发文日期 > 列表日期 > 网址日期 > 更新时间），从不使用成文日期，不可能的日期（早于报告年度结束或晚于今天，见 PUB-IMPOSSIBLE）不采用；列表或网址日期晚于截止日期而页面印有截止日期前的日期时，可能是重新发布，不据此判定逾期。也可用 --published 指定发布日期。依据：条例第四十九条、2007年条例第三十一条、国办公开办函〔2021〕30号；规范第2节、第6节。",
		En: "Deadlines, inclusive: reports for 2018 and earlier, every organ by March 31 of the next year (2007 Regulation Art. 31); for 2019 and 2020, departments of governments at county level and above by January 31 and the government's own report by March 31 (Art. 49), townships and street offices by local rule (default March 31, configurable); from the 2021 reports, by notice 国办公开办函〔2021〕30号: departments, a general office's own report and townships by January 31, and the government's own summary report by February 20 for a county-level government, March 10 for a prefecture-level one (设区的市, 州, 盟) and March 31 for a province-level one. The level comes from the agency name (…局/委/办/厅 department, …人民政府/管委会 government) or --agency-level; the tier too (…县/区/旗 county, …州/盟 and the listed prefecture-level cities prefecture, …省/自治区 and the four municipalities province), and where the name cannot tell (a county-level city is named like a prefecture-level one; new areas, 管委会) the latest date, March 31, applies unless the tier is given. The publication date is the page's labelled date (发布日期/发布时间/公开日期 > 发文日期 > list date > URL date > 更新时间), never the 成文日期 drafting date and never an impossible date (before the report year ended or after today: PUB-IMPOSSIBLE); a list or URL date after the deadline does not make a report late when the page prints a date before it (the later date may be a re-post). Or --published. Basis: Regulation Art. 49, 2007 Regulation Art. 31, notice 〔2021〕30号; spec §2 and §6.",
	},

	Spec: "§2, §6",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil || r.Deadline == "" || r.Published == "" || r.Published <= r.Deadline {
			return
		}
		if weakDate(r.PublishedFrom) && r.PageDateBy(r.Deadline).Value != "" {
			// the page prints an earlier date: the list or URL date may
			// be a later re-post, and nobody is accused on it
			return
		}
		basis, src := annual.BasisText(r.DeadlineNote), r.Why.Published
		p.Report(Diagnostic{Evidence: result.Evidence{Expected: "≤ " + r.Deadline, Actual: r.Published + " (" + r.PublishedFrom + ")", Year: r.Year},
			Message: result.Text{
				Zh: fmt.Sprintf("%d年度报告于%s发布（%s），晚于截止日期%s（%s）", r.Year, r.Published, src.Zh, r.Deadline, basis.Zh),
				En: fmt.Sprintf("the %d report was published on %s (%s), after the deadline %s (%s)", r.Year, r.Published, src.En, r.Deadline, basis.En),
			}})
	},
})

// weakDate: a date the page does not print itself (the list's, the URL's,
// 更新时间), which a re-post or an edit can move later.
func weakDate(label string) bool {
	switch label {
	case dates.LabelList, dates.LabelURL, dates.LabelUpdated, dates.LabelGenerated:
		return true
	}
	return false
}
