package charset

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	const text = "政府信息公开工作年度报告"
	page := func(meta string) string {
		return "<html><head>" + meta + "<title>" + text + "</title></head><body>" + text + "</body></html>"
	}
	long := strings.Repeat("<!-- a long head of scripts and styles -->", 60)
	tests := []struct {
		name, contentType string
		body              []byte
		label, from       string
	}{
		{"utf-8 without declarations", "", []byte(page("")), "utf-8", "utf-8"},
		{"utf-8 BOM", "", append([]byte("\xef\xbb\xbf"), page("")...), "utf-8", "bom"},
		{"GBK declared in the header", "text/html; charset=GBK", gbk(t, page("")), "gb18030", "header"},
		{"GB2312 declared in meta", "text/html", gbk(t, page(`<meta charset="gb2312">`)), "gb18030", "meta"},
		{"http-equiv meta after 1 KiB", "", gbk(t, page(long+`<meta http-equiv="Content-Type" content="text/html; charset=gbk">`)), "gb18030", "meta"},
		{"GBK with no declaration", "", gbk(t, page("")), "gb18030", "detect"},
		{"header says utf-8 on GBK bytes", "text/html; charset=utf-8", gbk(t, page(`<meta charset="gbk">`)), "gb18030", "meta"},
		{"header says gbk on UTF-8 bytes", "text/html; charset=gbk", []byte(page("")), "utf-8", "header-mismatch"},
		{"meta says gb2312 on UTF-8 bytes", "", []byte(page(`<meta charset="gb2312">`)), "utf-8", "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decode(tt.body, tt.contentType)
			if d.Label != tt.label {
				t.Errorf("label %s, want %s", d.Label, tt.label)
			}
			if tt.from == "detect" {
				if d.From != "detect" && d.From != "default" {
					t.Errorf("from %s, want detect or default", d.From)
				}
			} else if d.From != tt.from {
				t.Errorf("from %s, want %s", d.From, tt.from)
			}
			if !bytes.Contains(d.Text, []byte(text)) {
				t.Errorf("decoded text lacks %q: %q", text, d.Text[:min(len(d.Text), 120)])
			}
		})
	}
}

func TestLookup(t *testing.T) {
	for label, want := range map[string]string{"GB2312": "gb18030", "gbk": "gb18030", "GB-18030": "gb18030", "x-gbk": "gb18030", "UTF-8": "utf-8", "big5": "big5"} {
		if got, ok := Lookup(label); !ok || got != want {
			t.Errorf("Lookup(%s) = %s %v, want %s", label, got, ok, want)
		}
	}
	if _, ok := Lookup("no-such-charset"); ok {
		t.Error("unknown label accepted")
	}
}
