package reports

import (
	"bytes"
	"slices"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in     string
		keepNewlines bool
		want         string
	}{
		{"plain CJK", "洪泽区2023年报告", false, "洪泽区2023年报告"},
		{"SGR colour", "\x1b[31;1m红色\x1b[0m文本", false, "红色文本"},
		{"cursor movement", "a\x1b[2Jb\x1b[10;20Hc", false, "abc"},
		{"OSC title BEL", "x\x1b]0;owned\x07y", false, "xy"},
		{"OSC 8 hyperlink ST", "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\", false, "click"},
		{"DCS string", "a\x1bPq#0;2;0;0;0\x1b\\b", false, "ab"},
		{"two-char escape", "a\x1bcb", false, "ab"},
		{"escape before CJK", "a\x1b洪b", false, "ab"},
		{"lone trailing ESC", "abc\x1b", false, "abc"},
		{"C0 controls dropped", "a\x00b\x07c\x08d\x7fe", false, "abcde"},
		{"C1 CSI dropped", "a\u009b31mb", false, "a31mb"},
		{"bidi override dropped", "abc\u202Egpj.exe", false, "abcgpj.exe"},
		{"bidi isolate dropped", "\u2066a\u2069", false, "a"},
		{"BOM and zero-width space dropped", "\ufeffa\u200bb", false, "ab"},
		{"ZWJ kept", "👩\u200d💻", false, "👩\u200d💻"},
		{"newlines to spaces", "a\r\nb\rc\nd", false, "a b c d"},
		{"newlines kept", "a\r\nb\rc\nd\u2028e", true, "a\nb\nc\nd\ne"},
		{"tab to space", "a\tb", true, "a b"},
		{"invalid UTF-8", "a\xffb", false, "a\uFFFDb"},
	}
	for _, tt := range tests {
		if got := clean(tt.in, tt.keepNewlines); got != tt.want {
			t.Errorf("%s: clean(%q, %v) = %q, want %q", tt.name, tt.in, tt.keepNewlines, got, tt.want)
		}
	}
}

// TestCleanOneLine: Clean, the rule for a terminal line or a log record,
// is clean without line breaks, printable ASCII returned as it is.
func TestCleanOneLine(t *testing.T) {
	for _, in := range []string{"plain ASCII 1+1=2", "a\u200bb\ufeffc\u2028d\xffe\x1b[31m\tf\r\ng", "洪泽区\u202e年报"} {
		if got, want := Clean(in), clean(in, false); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTermText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  多个   空格\n换行 ", "多个 空格 换行"},
		{"标题为“政务公开工作要点”", `标题为"政务公开工作要点"`},
		{"≤ 2019-03-31", "<= 2019-03-31"},
		{"①行政许可……", "(1)行政许可......"},
		{"\x1b[31m错误\x1b[0m", "错误"},
	}
	for _, tt := range tests {
		if got := termText(tt.in); got != tt.want {
			t.Errorf("termText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"洪泽区", "洪泽区"},
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://evil/","x")`, `'=HYPERLINK("http://evil/","x")`},
		{"+86 10 1234", "'+86 10 1234"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"-8", "-8"},
		{"-0.5", "-0.5"},
		{"-8+cmd|' /C calc'!A0", "'-8+cmd|' /C calc'!A0"},
		{"-", "'-"},
		{"--", "'--"},
		{"- 8", "'- 8"},
		{" -8", "' -8"},
		{"  =1", "'  =1"},
		{"\t=1", "' =1"},
		{"\r=1", "'\n=1"},
		{"\n@x", "'\n@x"},
		{"\u3000=1", "'\u3000=1"},
		{"\x1b[0m=1", "'=1"},
		{"\x00+1", "'+1"},
		{"8-1", "8-1"},
		{"a=1", "a=1"},
		{"'=1", "'=1"},
	}
	for _, tt := range tests {
		if got := csvCell(tt.in); got != tt.want {
			t.Errorf("csvCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWebURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://hongze.example.gov.cn/xxgk/ndbg/", true},
		{"http://www.example.gov.cn/a.pdf?x=1#p2", true},
		{"HTTPS://EXAMPLE.GOV.CN/", true},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{" javascript:alert(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"vbscript:x", false},
		{"//evil.example/x", false},
		{"/relative/path", false},
		{"ftp://example.gov.cn/a", false},
		{"http://user:pass@example.gov.cn/", false},
		{"http://exa mple.gov.cn/", false},
		{"http://example.gov.cn/\x00", false},
		{"http://example.gov.cn/\u202Egpj", false},
		{"http:///nohost", false},
		{"", false},
	}
	for _, tt := range tests {
		got := webURL(tt.in) != ""
		if got != tt.want {
			t.Errorf("webURL(%q) usable = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"cell pipe", mdCell, "a|b", `a\|b`},
		{"cell newline", mdCell, "a\nb\r\nc", "a<br>b<br>c"},
		{"cell blank lines", mdCell, "a\n\n  \nb", "a<br>b"},
		{"cell html", mdCell, "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"cell attribute break", mdCell, `"><img src=x onerror=alert(1)>`, `"&gt;&lt;img src=x onerror=alert(1)&gt;`},
		{"inline emphasis and links", mdInline, "*a* _b_ [x](javascript:y) ![i](z)", `\*a\* \_b\_ \[x\](javascript:y) \!\[i\](z)`},
		{"inline code and math", mdInline, "`x` $y$ ~z~", "\\`x\\` \\$y\\$ \\~z\\~"},
		{"inline entity", mdInline, "&lt;", "&amp;lt;"},
		{"inline backslash", mdInline, `a\|b`, `a\\\|b`},
		{"inline newline", mdInline, "a\nb", "a b"},
		{"code ident", mdCode, "T4-SUM", "`T4-SUM`"},
		{"code with backtick", mdCode, "a`b", "a\\`b"},
		{"url as code", mdURL, "https://a.gov.cn/x(1).html", "`https://a.gov.cn/x(1).html`"},
		{"url javascript", mdURL, "javascript:alert(1)", "`javascript:alert(1)`"},
		{"url with angle", mdURL, "https://a.gov.cn/<b>", "`https://a.gov.cn/`&lt;b&gt;"},
		{"url with pipe", mdURL, "https://a.gov.cn/a|b", "`https://a.gov.cn/a`\\|b"},
		{"url with backtick", mdURL, "http://x.cn/`y`", "`http://x.cn/`\\`y\\`"},
		{"autolink in text", mdInline, "见 www.evil.example 或 http://evil.example/a_b", "见 `www.evil.example` 或 `http://evil.example/a_b`"},
		{"email in text", mdInline, "联系 a.b@evil.example", "联系 `a.b@evil.example`"},
		{"autolink in cell", mdCell, "x\nhttps://e.example/p", "x<br>`https://e.example/p`"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMarkdownQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"一行", "> 一行\n"},
		{"第一行\n- 不是列表\n1. 不是编号\n# 不是标题\n> 不是引用\n=== ", "> 第一行\n> \\- 不是列表\n> 1\\. 不是编号\n> \\# 不是标题\n> &gt; 不是引用\n> \\===\n"},
		{"a\n\nb", "> a\n>\n> b\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		mdQuote(&buf, tt.in)
		if got := buf.String(); got != tt.want {
			t.Errorf("mdQuote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrapCell(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"short", 10, []string{"short"}},
		{"年报栏目中没有2020年度报告", 10, []string{"年报栏目中", "没有2020年", "度报告"}},
		{"The link to the report is broken", 12, []string{"The link to", "the report", "is broken"}},
		{"https://hongze.example.gov.cn/x", 12, []string{"https://hong", "ze.example.g", "ov.cn/x"}},
		{"总计为0，勾稽关系不符", 8, []string{"总计为0，", "勾稽关系", "不符"}},
		{"表四 total is 0", 6, []string{"表四", "total", "is 0"}},
	}
	for _, tt := range tests {
		if got := wrapCell(tt.in, tt.width); !slices.Equal(got, tt.want) {
			t.Errorf("wrapCell(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
