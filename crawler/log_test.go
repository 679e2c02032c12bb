package crawler

import (
	"net/http"
	"strings"
	"testing"
)

func TestLogSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain 政府信息公开年报 line", "plain 政府信息公开年报 line"},
		{"title \x1b[2J\x1b]0;pwned\x07", `title \x1b[2J\x1b]0;pwned\x07`},
		{"forged\nogicheck: done", `forged\x0aogicheck: done`},
		{"2023\u202e年报\u2066x\u2069", `2023\u202e年报\u2066x\u2069`},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"C1 \u009b31m", `C1 \u009b31m`},
	}
	for _, tt := range tests {
		if got := logSafe(tt.in); got != tt.want {
			t.Errorf("logSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Paths decoded from a page's links reach the log escaped: the column's
// directory, named when its list-page cap is reached, holds an escape
// sequence and a bidi override.
func TestLogLinesEscapeControlCharacters(t *testing.T) {
	const dir = "/%1B%5B2J%E2%80%AE/"
	page := html5("政府信息公开年报", "<ul>"+li("t.html", "2023年政府信息公开工作年度报告", "2024-01-10")+
		`</ul><div>共150页 <a href="index_1.html">下一页</a></div>`)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.EscapedPath(), strings.ToLower(dir)) || strings.HasPrefix(r.URL.EscapedPath(), dir) {
			serveHTML(w, page)
			return
		}
		http.NotFound(w, r)
	})
	cfg, _ := testConfig()
	cfg.MaxPages = 200
	var lines []string
	cfg.Logf = func(format string, args ...any) {
		if format != "%s" || len(args) != 1 {
			t.Errorf("Logf(%q, %d args): want one escaped line", format, len(args))
			return
		}
		lines = append(lines, args[0].(string))
	}
	s := Crawl(t.Context(), cfg, []string{cs.URL + dir})[0]
	if len(s.Limits) != 1 {
		t.Fatalf("limits %+v, want the list-page cap (the line under test)", s.Limits)
	}
	capLine := false
	for _, l := range lines {
		if strings.ContainsFunc(l, unsafeRune) {
			t.Errorf("log line carries control or bidi characters: %q", l)
		}
		if strings.Contains(l, `list page cap of 100 reached in /\x1b[2J\u202e/`) {
			capLine = true
		}
	}
	if !capLine {
		t.Errorf("no escaped cap line among %q", lines)
	}
}
