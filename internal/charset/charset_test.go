package charset

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

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

// A page declared UTF-8 that is UTF-8 but for a few stray bytes is UTF-8,
// the bytes replaced and counted; once decoded as Big5, its report was
// not checked. A GBK page with a UTF-8 label is still GBK.
func TestStrayBytes(t *testing.T) {
	const text = "政府信息公开工作年度报告，本机关认真贯彻落实《条例》"
	utf := func(meta, body string) []byte {
		return []byte("<html><head>" + meta + "</head><body>" + body + "</body></html>")
	}
	tests := []struct {
		name, contentType string
		body              []byte
		label, from       string
		repaired          int
		want              string // in the decoded text
	}{
		{"one stray byte, meta", "", utf(`<meta charset="utf-8">`, text+"\xb1"+text), "utf-8", "meta-repaired", 1, text + "\ufffd" + text},
		{"one stray byte, header", "text/html; charset=UTF-8", utf("", "\xb1"+text), "utf-8", "header-repaired", 1, "\ufffd" + text},
		{"one stray byte in ASCII", "", utf(`<meta charset="utf-8">`, "report \xff 2023"), "utf-8", "meta-repaired", 1, "report \ufffd 2023"},
		{"a cut character", "", utf(`<meta charset="utf-8">`, text+"\xe6\x94"), "utf-8", "meta-repaired", 1, text + "\ufffd"},
		{"a few among many", "", utf(`<meta charset="utf-8">`, strings.Repeat(text+"\x80", 3)), "utf-8", "meta-repaired", 3, text + "\ufffd" + text},
		{"GBK labelled UTF-8", "", append(utf(`<meta charset="utf-8">`, ""), gbk(t, text)...), "gb18030", "detect", 0, text},
		{"GBK labelled UTF-8 with UTF-8 text", "text/html; charset=utf-8", append([]byte(text), gbk(t, text+text)...), "gb18030", "detect", 0, ""},
		{"no declaration", "", []byte(text + "\xb1" + text), "", "detect", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decode(tt.body, tt.contentType)
			if tt.label != "" && d.Label != tt.label {
				t.Errorf("label %s, want %s", d.Label, tt.label)
			}
			switch {
			case tt.from == "detect" && d.From != "detect" && d.From != "default":
				t.Errorf("from %s, want detect or default", d.From)
			case tt.from != "detect" && d.From != tt.from:
				t.Errorf("from %s, want %s", d.From, tt.from)
			}
			if d.Repaired != tt.repaired {
				t.Errorf("repaired %d, want %d", d.Repaired, tt.repaired)
			}
			if !bytes.Contains(d.Text, []byte(tt.want)) {
				t.Errorf("decoded text lacks %q: %q", tt.want, d.Text)
			}
		})
	}
}

// TestCutKeepsUTF8: a UTF-8 text cut at a byte limit inside a character is
// still read as UTF-8, not as GBK mojibake.
func TestCutKeepsUTF8(t *testing.T) {
	text := []byte("凌源市市场监督管理局2019年政府信息公开工作年度报告")
	for n := 1; n < len(text); n++ {
		cut := Cut(text, n)
		if len(cut) > n || len(cut) < n-3 || !utf8.Valid(cut) {
			t.Fatalf("Cut(%d) = %d bytes, valid %v", n, len(cut), utf8.Valid(cut))
		}
		if d := Decode(cut, ""); len(cut) > 3 && d.Label != "utf-8" {
			t.Errorf("cut at %d decoded as %s", n, d.Label)
		}
	}
	if got := Cut(text, 1000); len(got) != len(text) {
		t.Errorf("Cut beyond the end = %d bytes", len(got))
	}
}
