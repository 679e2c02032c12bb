package rules

import (
	"fmt"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

var deadlineBasis = map[string]result.Text{
	annual.BasisOld:          {Zh: "2007年条例第三十一条：所有行政机关3月31日前", En: "2007 Regulation Art. 31: every organ by March 31"},
	annual.BasisDepartment:   {Zh: "条例第四十九条第一款：政府部门1月31日前", En: "Regulation Art. 49 ¶1: departments by January 31"},
	annual.BasisGovernment:   {Zh: "条例第四十九条第二款：本级政府报告3月31日前", En: "Regulation Art. 49 ¶2: government reports by March 31"},
	annual.BasisTownship:     {Zh: "乡镇、街道：地方规定的时限", En: "townships and street offices: local deadline"},
	annual.BasisUnknownLevel: {Zh: "机关层级未知，按较晚的政府报告时限", En: "agency level unknown: the later government deadline applies"},
}

// PubLate reports reports published after the statutory deadline.
var PubLate = register(&Rule{
	ID:       "PUB-LATE",
	Category: result.CatLatePublication,
	Severity: result.SeverityError,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "年度报告逾期发布", En: "Report published late"},
	Doc:      result.Text{Zh: "发布时限（含当日）：2018年度及以前，所有行政机关次年3月31日前（2007年条例第三十一条）；2019年度起，县级以上人民政府部门次年1月31日前，县级以上地方人民政府本级报告次年3月31日前（条例第四十九条）；乡镇、街道由地方规定（默认3月31日，可配置）。机关层级由名称判断（…局/委/办/厅为部门，…人民政府/管委会为政府），可用 --agency-level 指定。发布日期按页面标注取（发布日期/发布时间 > 发文日期 > 列表日期 > 网址日期 > 更新时间），从不使用成文日期，也可用 --published 指定。依据：条例第四十九条、2007年条例第三十一条；规范第2节、第6节。", En: "Deadlines, inclusive: reports for 2018 and earlier, every organ by March 31 of the next year (2007 Regulation Art. 31); from 2019, departments of governments at county level and above by January 31, and the government's own report by March 31 (Art. 49); townships and street offices by local rule (default March 31, configurable). The level comes from the agency name (…局/委/办/厅 department, …人民政府/管委会 government) or --agency-level. The publication date is the page's labelled date (发布日期/发布时间 > 发文日期 > list date > URL date > 更新时间), never the 成文日期 drafting date, or --published. Basis: Regulation Art. 49, 2007 Regulation Art. 31; spec §2 and §6."},

	Spec: "§2, §6",
	Run: func(p *Pass) {
		r := annualReport(p)
		if r == nil || r.Deadline == "" || r.Published == "" || r.Published <= r.Deadline {
			return
		}
		basis := deadlineBasis[r.DeadlineNote]
		p.Report(Diagnostic{Evidence: result.Evidence{Expected: "≤ " + r.Deadline, Actual: r.Published + " (" + r.PublishedFrom + ")", Year: r.Year}, Message: result.Text{Zh: fmt.Sprintf("%d年度报告于%s发布（%s），晚于截止日期%s（%s）", r.Year, r.Published, r.PublishedFrom, r.Deadline, basis.Zh), En: fmt.Sprintf("the %d report was published on %s (%s), after the deadline %s (%s)", r.Year, r.Published, r.PublishedFrom, r.Deadline, basis.En)}})
	},
})
