package crawler

import "testing"

func TestScriptVar(t *testing.T) {
	tests := []struct {
		scripts, name string
		want          int
		ok            bool
	}{
		{`var countPage = 3;`, "countPage", 3, true},
		{`x=1;countPage='12'`, "countPage", 12, true},
		{`{countPage = 12345}`, "countPage", 1234, true},
		{`mycountPage = 3; countPage == 4`, "countPage", 0, false},
		{`var countPage = n;`, "countPage", 0, false},
		{`var a = 1;`, "a.b", 0, false},
	}
	for _, tt := range tests {
		got, ok := scriptVar(tt.scripts, tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("scriptVar(%q, %q) = %d, %v, want %d, %v", tt.scripts, tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestScriptValue(t *testing.T) {
	tests := []struct {
		scripts, name string
		want          string
		ok            bool
	}{
		{`var colId = "1229123456"; var size = 15;`, "colId", "1229123456", true},
		{`var colId = "1"; var size = 15;`, "size", "15", true},
		{"let rate = -1.5\n", "rate", "-1.5", true},
		{`const u = 'a', v = 2;`, "u", "a", true},
		{`var u = "a" + b; var u = "c";`, "u", "c", true},
		{`myvar u = "a";`, "u", "", false},
		{"var u = \"a\nb\";", "u", "", false},
		{`u = "a";`, "u", "", false},
	}
	for _, tt := range tests {
		got, ok := scriptValue(tt.scripts, tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("scriptValue(%q, %q) = %q, %v, want %q, %v", tt.scripts, tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestContainsWord(t *testing.T) {
	tests := []struct {
		s, w string
		want bool
	}{
		{`"list_" + n + ".html"`, "n", true},
		{`"list_" + (n-1)`, "n", true},
		{`"index.html"`, "n", false},
		{`page+1`, "page", true},
		{`pageNo`, "page", false},
		{`x`, "", false},
	}
	for _, tt := range tests {
		if got := containsWord(tt.s, tt.w); got != tt.want {
			t.Errorf("containsWord(%q, %q) = %v, want %v", tt.s, tt.w, got, tt.want)
		}
	}
}

func TestFuncDef(t *testing.T) {
	tests := []struct {
		scripts, name string
		want          string // parameter; "" when not found
	}{
		{`function goPage(n){ location.href = "p" + n; }`, "goPage", "n"},
		{`var goPage = function(p, q) { }`, "goPage", "p"},
		{`obj = { goPage: function (i) { } }`, "goPage", "i"},
		{`mygoPage = function(n) { }`, "goPage", ""},
		{`function a(n { function goPage(p) { }`, "goPage", "p"},
		{`function other(n) { }`, "goPage", ""},
	}
	for _, tt := range tests {
		got, open, ok := funcDef(tt.scripts, tt.name)
		if got != tt.want || ok != (tt.want != "") || (ok && tt.scripts[open] != '{') {
			t.Errorf("funcDef(%q, %q) = %q, %d, %v, want %q", tt.scripts, tt.name, got, open, ok, tt.want)
		}
	}
}
