package annual

import (
	"context"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/htmldoc"
	"github.com/ogicheck/ogicheck/internal/textdoc"
)

// TestTitleNeverBreadcrumb reads pages whose breadcrumb carries the title,
// through each reader that can meet one: the title is the trail's last
// step, never the trail.
func TestTitleNeverBreadcrumb(t *testing.T) {
	const want = "清源县教育局2023年政府信息公开工作年度报告"
	body := "一、总体情况\n2023年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
	tests := []struct {
		name, reader, data string
	}{
		{"text, trail first", "text", "当前位置：首页 > 政务公开 > 政府信息公开年报 > " + want + "\n" + body},
		{"text, trail then column", "text", "您现在的位置：首页 >> 信息公开 >> 年度报告\n" + want + "\n" + body},
		{"html title", "html", "<html><head><title>当前位置：首页 &gt; 政务公开 &gt; " + want + "</title></head><body><p>" + strings.ReplaceAll(body, "\n", "</p><p>") + "</p></body></html>"},
		{"html crumb only", "html", "<html><head><title>详情</title></head><body><div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; 政务公开 &gt; " + want + "</div><p>" + strings.ReplaceAll(body, "\n", "</p><p>") + "</p></body></html>"},
	}
	for _, tt := range tests {
		in := document.Input{Source: tt.name, Data: []byte(tt.data)}
		var d *document.Document
		var err error
		if tt.reader == "text" {
			d, err = textdoc.Read(context.Background(), in)
		} else {
			d, err = htmldoc.Read(context.Background(), in)
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if strings.Contains(d.Title, "位置") || strings.Contains(d.Title, ">") {
			t.Errorf("%s: reader title %q starts with the breadcrumb", tt.name, d.Title)
		}
		r := Analyze(d, Options{}, Hints{})
		if r.Title != want {
			t.Errorf("%s: title %q, want %q", tt.name, r.Title, want)
		}
	}
}
