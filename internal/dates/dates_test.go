package dates

import (
	"strings"
	"testing"
)

func TestLabelled(t *testing.T) {
	tests := []struct {
		line string
		want string // label=date, comma-separated
	}{
		{"来源:天津市市场监督管理委员会 发布日期:2019-04-23 16:02", "发布日期=2019-04-23"},
		{"发布时间：2014年3月31日", "发布时间=2014-03-31"},
		{"发布时间:2021-11-02 09:08", "发布时间=2021-11-02"},
		{"成文日期：2021-09-26 发布日期：2021-09-29", "成文日期=2021-09-26,发布日期=2021-09-29"},
		{"发文日期：2018/02/28", "发文日期=2018-02-28"},
		{"更新日期：2024.01.20", "更新时间=2024-01-20"},
		{"日期：2024-01-20", "日期=2024-01-20"},
		{"[ 时间：2024-01-20 ]", "时间=2024-01-20"},
		{"成文时间：2020-01-10", ""},
		{"签发日期：2020-01-10", ""},
		{"统计时间：2019年1月1日至12月31日", ""},
		{"发布日期：2019-02-30", ""}, // no such day
		{"全年公开信息2019条", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Labelled(tt.line) {
			got = append(got, f.Label+"="+f.Date)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("Labelled(%q) = %v, want %s", tt.line, got, tt.want)
		}
	}
}

func TestRankFollowsTheSpec(t *testing.T) {
	order := []string{LabelPublished, LabelMeta, LabelIssued, LabelList, LabelURL, LabelBare, LabelUpdated}
	for i := 1; i < len(order); i++ {
		if Rank(order[i-1]) >= Rank(order[i]) {
			t.Errorf("%s should rank before %s", order[i-1], order[i])
		}
	}
	for _, never := range []string{LabelDrafted, LabelSigned, "生效日期"} {
		if Rank(never) >= 0 {
			t.Errorf("%s must never give the publication date", never)
		}
	}
}

func TestInURL(t *testing.T) {
	tests := []struct{ url, want string }{
		{"http://x.gov.cn/zwgk/202401/t20240120_123.html", "2024-01-20"},
		{"http://x.gov.cn/art/2024/1/5/art_1_2.html", "2024-01-05"},
		{"http://x.gov.cn/2023/03/31/a.html", "2023-03-31"},
		{"http://x.gov.cn/info/1050/64208.htm", ""},
		{"http://x.gov.cn/202413/t20241340_1.html", ""},
	}
	for _, tt := range tests {
		got, _ := InURL(tt.url)
		if got != tt.want {
			t.Errorf("InURL(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestSignature(t *testing.T) {
	for line, want := range map[string]string{"2024年1月29日": "2024-01-29", "  2023 年 1 月 16 日 ": "2023-01-16", "2024-01-29": "", "于2024年1月29日发布": "",
		"二〇二〇年一月十六日": "2020-01-16", "二〇二三年十二月三十一日": "2023-12-31", "二○一九年十月十日": "2019-10-10", "二〇二〇年二月三十日": ""} {
		if got, _ := Signature(line); got != want {
			t.Errorf("Signature(%q) = %q, want %q", line, got, want)
		}
	}
}
