package annual

import (
	"fmt"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

func TestSectionNumber(t *testing.T) {
	tests := []struct {
		line string
		want int
	}{
		{"一、总体情况", 1},
		{"一 、总体情况", 1},
		{"一．总体情况", 1},
		{"二、行政机关主动公开政府信息情况", 2},
		{"三、收到和处理政府信息公开申请情况", 3},
		{"四、政府信息公开行政法复议、行政诉讼情况", 4},
		{"五、政府信息公开工作存在的问题及改进情况", 5},
		{"六、其他需要报告的事项", 6},
		{"第一部分 总体情况", 1},
		{"总体情况", 1},
		{"（六）其他需要报告的事项", 6},
		{"其他需要报告的事项", 6},
		{"（一）主动公开", 0},
		// wordings of real reports: a full stop, a subject, 的, cut short
		{"一、总体情况。", 1},
		{"六、其他需要报告的事项。", 6},
		{"总体情况。", 1},
		{"桐溪县人民政府办公室主动公开政府信息情况", 2},
		{"本机关主动公开政府信息情况", 2},
		{"收到和处理政府信息公开申请的情况", 3},
		{"行政复议、行政诉讼情况", 4},
		{"存在的主要问题及改进措施", 5},
		{"其他需要报告的事项。", 6},
		{"（二）政府信息公开申请情况", 0},
		{"我局认真做好主动公开政府信息工作，成效明显", 0},
		{"一、总体情况。全年公开信息120条。", 0},
		{"三、本年度办理结果", 0},
		{"一、本年新收政府信息公开申请数量", 0},
		{"一是政务公开工作还有待进一步深化", 0},
		{"2023年，全区主动公开政府信息情况良好。", 0},
	}
	for _, tt := range tests {
		if got := SectionNumber(tt.line); got != tt.want {
			t.Errorf("SectionNumber(%q) = %d, want %d", tt.line, got, tt.want)
		}
	}
}

func TestAgencyName(t *testing.T) {
	tests := []struct {
		title, agency string
		level         result.Level
	}{
		{"天津市宁河区市场和质量监督管理局2018年政府信息公开年度发展报告", "天津市宁河区市场和质量监督管理局", result.LevelDepartment},
		{"2023年洪泽区政府信息公开工作年度报告", "洪泽区政府", result.LevelGovernment},
		{"2023年XX镇政府信息公开工作年度报告", "XX镇政府", result.LevelTownship},
		{"洪泽区人民政府2023年政府信息公开工作年度报告", "洪泽区人民政府", result.LevelGovernment},
		{"桐溪县人民政府办公室2023年政府信息公开工作年度报告", "桐溪县人民政府办公室", result.LevelDepartment},
		{"营口市工商局政府信息公开年度报告", "营口市工商局", result.LevelDepartment},
		{"某某街道办事处2022年政府信息公开工作年度报告", "某某街道办事处", result.LevelTownship},
		{"某某经济技术开发区管理委员会2022年政府信息公开工作年度报告", "某某经济技术开发区管理委员会", result.LevelGovernment},
		{"桐溪县教育局关于2023年政府信息公开工作年度报告", "桐溪县教育局", result.LevelDepartment},
		{"北京市2019年政府信息公开工作年度报告", "北京市", result.LevelGovernment},
		{"桐溪县2019年政府信息公开工作年度报告", "桐溪县", result.LevelGovernment},
		{"南山镇2019年政府信息公开工作年度报告", "南山镇", result.LevelTownship},
		{"城关街道2019年政府信息公开工作年度报告", "城关街道", result.LevelTownship},
		{"桐溪县人民政府信息公开工作年度报告（2019年）", "桐溪县人民政府", result.LevelGovernment},
		{"2023年政府信息公开工作年度报告——桐溪县教育局", "桐溪县教育局", result.LevelDepartment},
	}
	for _, tt := range tests {
		if got := agencyName(tt.title); got != tt.agency {
			t.Errorf("agencyName(%q) = %q, want %q", tt.title, got, tt.agency)
			continue
		}
		if tt.agency == "" {
			continue
		}
		r := &Report{Title: tt.title}
		r.agency()
		if r.Level != tt.level {
			t.Errorf("%s: level %q, want %q", tt.title, r.Level, tt.level)
		}
	}
}

func TestDeadlines(t *testing.T) {
	var d Deadlines
	tests := []struct {
		year  int
		level result.Level
		tier  result.Tier
		want  string
		basis string
	}{
		{2013, result.LevelDepartment, "", "2014-03-31", BasisOld},
		{2018, result.LevelGovernment, result.TierCounty, "2019-03-31", BasisOld},
		{2019, result.LevelDepartment, "", "2020-01-31", BasisDepartment},
		{2019, result.LevelGovernment, "", "2020-03-31", BasisGovernment},
		// the 2019 regime has one government date whatever the tier
		{2020, result.LevelGovernment, result.TierCounty, "2021-03-31", BasisGovernment},
		{2020, result.LevelTownship, "", "2021-03-31", BasisTownship},
		{2020, "", "", "2021-03-31", BasisUnknownLevel},
		// 国办公开办函〔2021〕30号, from the 2021 reports
		{2021, result.LevelDepartment, "", "2022-01-31", BasisDepartment},
		{2021, result.LevelTownship, "", "2022-01-31", BasisTownship2021},
		{2021, result.LevelGovernment, result.TierCounty, "2022-02-20", BasisCounty},
		{2023, result.LevelGovernment, result.TierPrefecture, "2024-03-10", BasisPrefecture},
		{2024, result.LevelGovernment, result.TierProvince, "2025-03-31", BasisProvince},
		{2024, result.LevelGovernment, "", "2025-03-31", BasisUnknownTier},
		{2024, "", "", "2025-03-31", BasisUnknownLevel},
	}
	for _, tt := range tests {
		got, basis := d.DeadlineFor(tt.year, tt.level, tt.tier)
		if got != tt.want || basis != tt.basis {
			t.Errorf("DeadlineFor(%d, %q, %q) = %s %s, want %s %s", tt.year, tt.level, tt.tier, got, basis, tt.want, tt.basis)
		}
		if BasisText(basis).Zh == "" || BasisText(basis).En == "" {
			t.Errorf("basis %s has no text in both languages", basis)
		}
	}
	strict := Deadlines{Township: MonthDay{2, 20}}
	for _, y := range []int{2020, 2023} {
		if got, _ := strict.DeadlineFor(y, result.LevelTownship, ""); got != fmt.Sprintf("%d-02-20", y+1) {
			t.Errorf("township override, %d: %s, want %d-02-20", y, got, y+1)
		}
	}
	// a local government date caps the tier's date, never extends it
	local := Deadlines{Government: MonthDay{3, 1}}
	for _, tt := range []struct {
		tier result.Tier
		want string
	}{{result.TierCounty, "2024-02-20"}, {result.TierPrefecture, "2024-03-01"}, {"", "2024-03-01"}} {
		if got, _ := local.DeadlineFor(2023, result.LevelGovernment, tt.tier); got != tt.want {
			t.Errorf("local 03-01, tier %q: %s, want %s", tt.tier, got, tt.want)
		}
	}
}

func TestLastDue(t *testing.T) {
	var d Deadlines
	tests := []struct {
		now   string
		level result.Level
		tier  result.Tier
		want  int
	}{
		{"2025-02-20", result.LevelGovernment, result.TierCounty, 2023}, // on the day: not yet due
		{"2025-02-21", result.LevelGovernment, result.TierCounty, 2024},
		{"2025-03-10", result.LevelGovernment, result.TierPrefecture, 2023},
		{"2025-03-11", result.LevelGovernment, result.TierPrefecture, 2024},
		{"2025-03-11", result.LevelGovernment, "", 2023},
		{"2025-02-01", result.LevelDepartment, "", 2024},
	}
	for _, tt := range tests {
		now, _ := time.Parse("2006-01-02", tt.now)
		if got := d.LastDue(now, tt.level, tt.tier); got != tt.want {
			t.Errorf("LastDue(%s, %q, %q) = %d, want %d", tt.now, tt.level, tt.tier, got, tt.want)
		}
	}
}

func TestTier(t *testing.T) {
	tests := []struct {
		name string
		want result.Tier
	}{
		{"淮安市人民政府", result.TierPrefecture},
		{"江苏省淮安市人民政府", result.TierPrefecture},
		{"淮安市洪泽区人民政府", result.TierCounty},
		{"洪泽区人民政府", result.TierCounty},
		{"江苏省人民政府", result.TierProvince},
		{"广西壮族自治区人民政府", result.TierProvince},
		{"北京市人民政府", result.TierProvince},
		{"北京市朝阳区人民政府", result.TierCounty},
		{"恩施土家族苗族自治州人民政府", result.TierPrefecture},
		{"阿里地区行政公署", result.TierPrefecture},
		{"锡林郭勒盟行政公署", result.TierPrefecture},
		{"西山县人民政府", result.TierCounty},
		{"苏州市昆山市人民政府", result.TierCounty},
		{"达尔罕茂明安联合旗人民政府", result.TierCounty},
		// a city name alone does not tell a county-level city
		{"昆山市人民政府", ""},
		{"凌源市人民政府", ""},
		// special zones have the rank they are given
		{"平潭综合实验区管委会", ""},
		{"上海市浦东新区人民政府", ""},
	}
	for _, tt := range tests {
		got, why, ok := tierOf(tt.name)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("tierOf(%s) = %q %v, want %q", tt.name, got, ok, tt.want)
		}
		if why.Zh == "" || why.En == "" {
			t.Errorf("tierOf(%s): no reason in both languages: %+v", tt.name, why)
		}
	}
}

func TestLevelFromBody(t *testing.T) {
	tests := []struct {
		body  string
		level result.Level
	}{
		{"我局按照全区政府信息公开工作要点，落实全区政府信息公开工作考核办法。本局全年公开信息。", result.LevelDepartment},
		{"我单位按照全区政府信息公开工作要点，落实全区政府信息公开工作考核办法。", ""},
		{"全区政府坚持依法公开。我区人民政府门户网站……区政府深入推进。", result.LevelGovernment},
		{"我镇扎实推进政务公开，本镇全年公开信息120条。", result.LevelTownship},
		{"我局…我县政府…", ""},
	}
	for _, tt := range tests {
		r := &Report{Paragraphs: []string{tt.body}}
		r.agency()
		if r.Level != tt.level {
			t.Errorf("%s: level %q (%s), want %q", tt.body, r.Level, r.LevelFrom, tt.level)
		}
	}
}

func TestReportTitle(t *testing.T) {
	tests := []struct {
		title string
		want  bool
	}{
		{"洪泽区2023年政府信息公开工作年度报告", true},
		{"营口市工商局政府信息公开年度报告", true},
		{"市市场监管局2020年政府信息公开工作报告", true},
		{"2023年度政务公开年报", true},
		{"XX区2020年法治政府建设年度报告", false},
		{"XX市2019年国民经济和社会发展统计年报", false},
		{"关于报送2019年政府信息公开工作年度报告的通知", false},
		{"红桥区市场监管局2019年政务公开工作要点", false},
	}
	for _, tt := range tests {
		if got := ReportTitle(tt.title); got != tt.want {
			t.Errorf("ReportTitle(%q) = %v, want %v", tt.title, got, tt.want)
		}
	}
}

func TestAgencyKey(t *testing.T) {
	same := [][2]string{
		{"洪泽区人民政府", "淮安市洪泽区人民政府"},
		{"淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府"},
		{"洪泽区政府", "洪泽区人民政府"},
		{"东湖区市场监督管理局", "滨江市东湖区市场监督管理局"},
	}
	for _, p := range same {
		if AgencyKey(p[0]) != AgencyKey(p[1]) {
			t.Errorf("AgencyKey(%s) = %s, AgencyKey(%s) = %s: want one agency", p[0], AgencyKey(p[0]), p[1], AgencyKey(p[1]))
		}
	}
	different := [][2]string{
		{"淮安市人民政府", "洪泽区人民政府"},
		{"淮安市人民政府", "宿迁市人民政府"},
		{"淮安市教育局", "宿迁市教育局"},
		{"淮安市市场监督管理局", "宿迁市市场监督管理局"},
		{"洪泽区教育局", "洪泽区人民政府"},
	}
	for _, p := range different {
		if AgencyKey(p[0]) == AgencyKey(p[1]) {
			t.Errorf("AgencyKey(%s) = AgencyKey(%s) = %s: want two agencies", p[0], p[1], AgencyKey(p[0]))
		}
	}
}

// TestTiersOfTheSitesFile: the sites file's tier overrides the name's for
// that agency only (its other spelling included); other governments keep
// the tier their names give.
func TestTiersOfTheSitesFile(t *testing.T) {
	known := map[string]result.Tier{AgencyKey("洪泽区人民政府"): result.TierPrefecture}
	tests := []struct {
		title string
		tier  result.Tier
		from  string
	}{
		{"淮安市洪泽区人民政府2023年政府信息公开工作年度报告", result.TierPrefecture, FromSitesFile},
		{"淮安市淮阴区人民政府2023年政府信息公开工作年度报告", result.TierCounty, "agency-name"},
	}
	for _, tt := range tests {
		r := &Report{Title: tt.title, Options: Options{Tiers: known}}
		r.agency()
		if r.Tier != tt.tier || r.TierFrom != tt.from || r.Why.AgencyTier.Zh == "" {
			t.Errorf("%s: tier %q from %q (%v), want %q from %q", tt.title, r.Tier, r.TierFrom, r.Why.AgencyTier, tt.tier, tt.from)
		}
	}
	if err := (Options{Tiers: map[string]result.Tier{"x": "city"}}).Validate(); err == nil {
		t.Error("an unknown tier in Tiers passed Validate")
	}
}
