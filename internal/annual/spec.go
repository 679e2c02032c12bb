package annual

import (
	"slices"

	"github.com/ogicheck/ogicheck/result"
)

// The national templates' tables, as spec §3.2–§3.4 gives them. Labels are
// exact; Alias lists wordings seen in real reports.

// RowSpec is one data row of a template table.
type RowSpec struct {
	Key     string   // stable short key, e.g. "三.3.1"
	Block   string   // table 二: the 第二十条 block; table 三: the group
	Label   string   // the template label
	Alias   []string // other wordings seen in real reports
	Columns []string // table 二 only: this row's columns
	// Subtotal marks a non-standard subtotal row some reports add under a
	// group label (（三）不予公开 …): it matches only the group label alone.
	Subtotal bool
}

// Table 三 columns (spec §3.3); there is no 法人或其他组织 subtotal column.
var t3Columns = []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}

// Table 三 row keys used by the identities.
const (
	KeyNew      = "三.一"
	KeyCarried  = "三.二"
	KeyTotal    = "三.三.七"
	KeyForward  = "三.四"
	KeyOther19  = "三.三.六"
	groupResult = "三、本年度办理结果"
)

func buildT3Rows(tpl result.Template) []RowSpec {
	rows := []RowSpec{
		{Key: KeyNew, Label: "一、本年新收政府信息公开申请数量"},
		{Key: KeyCarried, Label: "二、上年结转政府信息公开申请数量"},
		{Key: "三.三.一", Block: groupResult, Label: "（一）予以公开"},
		{Key: "三.三.二", Block: groupResult, Label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", Alias: []string{"（二）部分公开"}},
		{Key: "三.不予公开.1", Block: "（三）不予公开", Label: "1.属于国家秘密"},
		{Key: "三.不予公开.2", Block: "（三）不予公开", Label: "2.其他法律行政法规禁止公开"},
		{Key: "三.不予公开.3", Block: "（三）不予公开", Label: "3.危及“三安全一稳定”"},
		{Key: "三.不予公开.4", Block: "（三）不予公开", Label: "4.保护第三方合法权益"},
		{Key: "三.不予公开.5", Block: "（三）不予公开", Label: "5.属于三类内部事务信息"},
		{Key: "三.不予公开.6", Block: "（三）不予公开", Label: "6.属于四类过程性信息"},
		{Key: "三.不予公开.7", Block: "（三）不予公开", Label: "7.属于行政执法案卷"},
		{Key: "三.不予公开.8", Block: "（三）不予公开", Label: "8.属于行政查询事项"},
		{Key: "三.无法提供.1", Block: "（四）无法提供", Label: "1.本机关不掌握相关政府信息"},
		{Key: "三.无法提供.2", Block: "（四）无法提供", Label: "2.没有现成信息需要另行制作"},
		{Key: "三.无法提供.3", Block: "（四）无法提供", Label: "3.补正后申请内容仍不明确"},
		{Key: "三.不予处理.1", Block: "（五）不予处理", Label: "1.信访举报投诉类申请"},
		{Key: "三.不予处理.2", Block: "（五）不予处理", Label: "2.重复申请"},
		{Key: "三.不予处理.3", Block: "（五）不予处理", Label: "3.要求提供公开出版物"},
		{Key: "三.不予处理.4", Block: "（五）不予处理", Label: "4.无正当理由大量反复申请"},
		{Key: "三.不予处理.5", Block: "（五）不予处理", Label: "5.要求行政机关确认或重新出具已获取信息"},
	}
	if tpl == "2021" {
		rows = append(rows,
			RowSpec{Key: "三.其他处理.1", Block: "（六）其他处理", Label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
			RowSpec{Key: "三.其他处理.2", Block: "（六）其他处理", Label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
			RowSpec{Key: "三.其他处理.3", Block: "（六）其他处理", Label: "3.其他"},
		)
	} else {
		rows = append(rows, RowSpec{Key: KeyOther19, Block: groupResult, Label: "（六）其他处理"})
	}
	return append(rows,
		RowSpec{Key: KeyTotal, Block: groupResult, Label: "（七）总计"},
		RowSpec{Key: KeyForward, Label: "四、结转下年度继续办理"},
	)
}

// T4 groups and columns (spec §3.4): one row of 15 numbers.
var (
	t4Groups  = []string{"行政复议", "未经复议直接起诉", "复议后起诉"}
	t4Results = []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
)

func t4Columns() []string {
	var cols []string
	for _, g := range t4Groups {
		for _, r := range t4Results {
			cols = append(cols, g+"/"+r)
		}
	}
	return cols
}

// Table 二 blocks (spec §3.2).
const (
	blockOne   = "第二十条第（一）项"
	blockFive  = "第二十条第（五）项"
	blockSix   = "第二十条第（六）项"
	blockEight = "第二十条第（八）项"
	blockNine  = "第二十条第（九）项"
)

func buildT2Rows(tpl result.Template) []RowSpec {
	if tpl == "2021" {
		c1 := []string{"本年制发件数", "本年废止件数", "现行有效件数"}
		dec := []string{"本年处理决定数量"}
		return []RowSpec{
			{Key: "二.一.规章", Block: blockOne, Label: "规章", Columns: c1},
			{Key: "二.一.规范性文件", Block: blockOne, Label: "行政规范性文件", Alias: []string{"规范性文件"}, Columns: c1},
			{Key: "二.五.行政许可", Block: blockFive, Label: "行政许可", Columns: dec},
			{Key: "二.六.行政处罚", Block: blockSix, Label: "行政处罚", Columns: dec},
			{Key: "二.六.行政强制", Block: blockSix, Label: "行政强制", Columns: dec},
			{Key: "二.八.收费", Block: blockEight, Label: "行政事业性收费", Columns: []string{"本年收费金额（单位：万元）"}},
		}
	}
	c1 := []string{"本年新制作数量", "本年新公开数量", "对外公开总数量"}
	c5 := []string{"上一年项目数量", "本年增/减", "处理决定数量"}
	return []RowSpec{
		{Key: "二.一.规章", Block: blockOne, Label: "规章", Columns: c1},
		{Key: "二.一.规范性文件", Block: blockOne, Label: "规范性文件", Alias: []string{"行政规范性文件"}, Columns: c1},
		{Key: "二.五.行政许可", Block: blockFive, Label: "行政许可", Columns: c5},
		{Key: "二.五.其他", Block: blockFive, Label: "其他对外管理服务事项", Columns: c5},
		{Key: "二.六.行政处罚", Block: blockSix, Label: "行政处罚", Columns: c5},
		{Key: "二.六.行政强制", Block: blockSix, Label: "行政强制", Columns: c5},
		{Key: "二.八.收费", Block: blockEight, Label: "行政事业性收费", Columns: []string{"上一年项目数量", "本年增/减"}},
		{Key: "二.九.采购", Block: blockNine, Label: "政府集中采购", Columns: []string{"采购项目数量", "采购总金额"}},
	}
}

// T3Applicants are table 三's six applicant columns, which 总计 sums;
// T3Legal the five 法人或其他组织 columns among them.
func T3Applicants() []string { return t3Columns[:6] }

// T3Legal are the five 法人或其他组织 columns of table 三.
func T3Legal() []string { return t3Columns[1:6] }

// T4Groups names the three groups of table 四.
func T4Groups() []string { return t4Groups }

// T4Results names the five columns of each table 四 group.
func T4Results() []string { return t4Results }

// The template rows are built once per template; the slices are shared
// and never changed.
var (
	t2Cache = map[result.Template][]RowSpec{result.Template2019: slices.Clip(buildT2Rows(result.Template2019)), result.Template2021: slices.Clip(buildT2Rows(result.Template2021))}
	t3Cache = map[result.Template][]RowSpec{result.Template2019: slices.Clip(buildT3Rows(result.Template2019)), result.Template2021: slices.Clip(buildT3Rows(result.Template2021))}
)

// t2Rows are table 二's rows in the template's format (spec §3.2).
func t2Rows(tpl result.Template) []RowSpec {
	if tpl == result.Template2021 {
		return t2Cache[result.Template2021]
	}
	return t2Cache[result.Template2019]
}

// t3Rows are table 三's rows in the template's format (spec §3.3).
func t3Rows(tpl result.Template) []RowSpec {
	if tpl == result.Template2021 {
		return t3Cache[result.Template2021]
	}
	return t3Cache[result.Template2019]
}
