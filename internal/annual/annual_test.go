package annual

import (
	"testing"

	"github.com/ogicheck/ogicheck/internal/result"
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
		title, agency, level string
	}{
		{"天津市宁河区市场和质量监督管理局2018年政府信息公开年度发展报告", "天津市宁河区市场和质量监督管理局", result.LevelDepartment},
		{"2023年洪泽区政府信息公开工作年度报告", "洪泽区政府", result.LevelGovernment},
		{"2023年XX镇政府信息公开工作年度报告", "XX镇政府", result.LevelTownship},
		{"洪泽区人民政府2023年政府信息公开工作年度报告", "洪泽区人民政府", result.LevelGovernment},
		{"桐溪县人民政府办公室2023年政府信息公开工作年度报告", "桐溪县人民政府办公室", result.LevelDepartment},
		{"营口市工商局政府信息公开年度报告", "营口市工商局", result.LevelDepartment},
		{"某某街道办事处2022年政府信息公开工作年度报告", "某某街道办事处", result.LevelTownship},
		{"某某经济技术开发区管理委员会2022年政府信息公开工作年度报告", "某某经济技术开发区管理委员会", result.LevelGovernment},
	}
	for _, tt := range tests {
		if got := agencyName(tt.title); got != tt.agency {
			t.Errorf("agencyName(%q) = %q, want %q", tt.title, got, tt.agency)
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
		level string
		want  string
	}{
		{2013, result.LevelDepartment, "2014-03-31"},
		{2018, result.LevelGovernment, "2019-03-31"},
		{2019, result.LevelDepartment, "2020-01-31"},
		{2019, result.LevelGovernment, "2020-03-31"},
		{2023, result.LevelTownship, "2024-03-31"},
		{2023, "", "2024-03-31"},
	}
	for _, tt := range tests {
		if got, _ := d.DeadlineFor(tt.year, tt.level); got != tt.want {
			t.Errorf("DeadlineFor(%d, %q) = %s, want %s", tt.year, tt.level, got, tt.want)
		}
	}
	strict := Deadlines{Township: MonthDay{2, 20}}
	if got, _ := strict.DeadlineFor(2023, result.LevelTownship); got != "2024-02-20" {
		t.Errorf("township override: %s", got)
	}
}
