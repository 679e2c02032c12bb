package norm

import "testing"

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"（二）部分公开（区分处理的，只计这一情形）", "(二)部分公开(区分处理的,只计这一情形)"},
		{"总 计", "总计"},
		{"３．危及“三安全一稳定”", "3.危及\"三安全一稳定\""},
		{"1。属于国家秘密", "1.属于国家秘密"},
		{"總計 處理 國家 繳納", "总计处理国家缴纳"},
		{"\u00a0行政许可\u200b\ufeff", "行政许可"},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  一、总体情况\u00a0\u00a0", "一、总体情况"},
		{"a\t\n b", "a b"},
		{"规章\u3000\u3000 0", "规章 0"},
		{"x\x1b[31my\u200b", "x[31my"},
		{"already clean", "already clean"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJoinCJK(t *testing.T) {
	tests := []struct{ in, want string }{
		{"三 、本 年 度办 理 结果", "三、本年度办理结果"},
		{"2023 年 1 月", "2023 年 1 月"},
		{"ogicheck check", "ogicheck check"},
	}
	for _, tt := range tests {
		if got := JoinCJK(tt.in); got != tt.want {
			t.Errorf("JoinCJK(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUncrumb(t *testing.T) {
	tests := []struct {
		in, want string
		crumb    bool
	}{
		{"当前位置：首页 > 政务公开 > 政府信息公开年报 > 清源县教育局2023年政府信息公开工作年度报告", "清源县教育局2023年政府信息公开工作年度报告", true},
		{"当前位置:首页 > 政务公开", "政务公开", true},
		{"您现在的位置： 首页 >> 信息公开 >> 年度报告", "年度报告", true},
		{"首页 » 政府信息公开 » 年报", "年报", true},
		{"当前位置：", "", true},
		{"清源县教育局2023年政府信息公开工作年度报告", "清源县教育局2023年政府信息公开工作年度报告", false},
		{"位置变更通知", "位置变更通知", false},
		{"第二十条第（一）项 > 规章", "第二十条第（一）项 > 规章", false},
	}
	for _, tt := range tests {
		got, crumb := Uncrumb(tt.in)
		if got != tt.want || crumb != tt.crumb {
			t.Errorf("Uncrumb(%q) = %q %v, want %q %v", tt.in, got, crumb, tt.want, tt.crumb)
		}
	}
}
