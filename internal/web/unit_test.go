package web

import (
	"fmt"
	"net/http/httptest"
	"testing"
)

func TestLang(t *testing.T) {
	tests := []struct {
		header string
		opts   Options
		want   string
	}{
		{"", Options{}, "zh"},
		{"", Options{Lang: "en"}, "en"},
		{"en-US,en;q=0.9", Options{}, "en"},
		{"fr-FR, zh-CN;q=0.5, en;q=0.3", Options{}, "zh"},
		{"de", Options{Lang: "en"}, "en"},
		{"zh;q=0.2, EN-gb;q=0.8", Options{}, "en"},
		{"en-US", Options{Lang: "zh", LangFixed: true}, "zh"},
	}
	for _, tt := range tests {
		srv := &Server{opts: tt.opts}
		if srv.opts.Lang == "" {
			srv.opts.Lang = "zh"
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", tt.header)
		if got := srv.lang(r); got != tt.want {
			t.Errorf("Accept-Language %q with %+v: got %s, want %s", tt.header, tt.opts, got, tt.want)
		}
	}
}

func TestTimeline(t *testing.T) {
	got := ""
	for _, b := range timeline(labelsEn, []int{2019, 2020, 2023}, []int{2021}, []int{2020}) {
		got += fmt.Sprintf("%d:%s ", b.Year, b.State)
	}
	// 2022 is a gap no rule called missing: not seen, never "missing"
	if want := "2019:found 2020:late 2021:missing 2022:notseen 2023:found "; got != want {
		t.Errorf("timeline %q, want %q", got, want)
	}
	if timeline(labelsEn, nil, nil, nil) != nil {
		t.Error("a site with no years has a timeline")
	}
	for _, tt := range []struct {
		now, before int
		want        string
	}{{5, 3, "+2"}, {3, 5, "−2"}, {4, 4, "0"}} {
		if got := delta(tt.now, tt.before); got != tt.want {
			t.Errorf("delta(%d, %d) = %q, want %q", tt.now, tt.before, got, tt.want)
		}
	}
	for _, tt := range []struct{ source, want string }{
		{"http://a.gov.cn/nb/2024年报.pdf", "2024年报.pdf"},
		{"http://a.gov.cn/", "0123456789abcdef"},
		{"http://a.gov.cn/x/..%2f..%2fetc", "etc"},
		{"http://a.gov.cn/.htaccess", "0123456789abcdef"},
	} {
		if got := fileName(tt.source, "0123456789abcdef0123"); got != tt.want {
			t.Errorf("fileName(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
}
