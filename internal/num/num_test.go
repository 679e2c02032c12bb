package num

import (
	"context"
	"testing"

	"github.com/ogicheck/ogicheck/internal/hostile"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in     string
		kind   Kind
		n      float64
		unit   string
		signed bool
	}{
		{"0", Number, 0, "", false},
		{"7479", Number, 7479, "", false},
		{" 1,234 ", Number, 1234, "", false},
		{"１２３", Number, 123, "", false},
		{"增413", Number, 413, "", true},
		{"减5", Number, -5, "", true},
		{"增加3", Number, 3, "", true},
		{"减少12", Number, -12, "", true},
		{"-8", Number, -8, "", true},
		{"－8", Number, -8, "", true},
		{"+3", Number, 3, "", true},
		{"251000元", Number, 251000, "元", false},
		{"7730.28", Number, 7730.28, "", false},
		{"25.1万元", Number, 25.1, "万元", false},
		{"12（万元）", Number, 12, "万元", false},
		{"5件", Number, 5, "件", false},
		{"", Blank, 0, "", false},
		{"—", Blank, 0, "", false},
		{"——", Blank, 0, "", false},
		{"-", Blank, 0, "", false},
		{"/", Blank, 0, "", false},
		{"无", Blank, 0, "", false},
		{"\u00a0", Blank, 0, "", false},
		{"详见附件", Text, 0, "", false},
		{"1e9", Text, 0, "", false},
		{"Inf", Text, 0, "", false},
		{"0x10", Text, 0, "", false},
		{"1.", Text, 0, "", false},
		{"1.2.3", Text, 0, "", false},
		{"元", Text, 0, "", false},
	}
	for _, tt := range tests {
		v := Parse(tt.in)
		if v.Kind != tt.kind || v.N != tt.n || v.Unit != tt.unit || (tt.kind == Number && v.Signed != tt.signed) {
			t.Errorf("Parse(%q) = %v %v %q signed=%v, want %v %v %q signed=%v", tt.in, v.Kind, v.N, v.Unit, v.Signed, tt.kind, tt.n, tt.unit, tt.signed)
		}
		if v.Raw != tt.in {
			t.Errorf("Parse(%q).Raw = %q", tt.in, v.Raw)
		}
	}
}

func TestInt(t *testing.T) {
	if !Parse("3").Int() || Parse("3.5").Int() || !Parse("—").Int() {
		t.Error("Int wrong")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "增413", "减5", "-8", "251000元", "25.1万元", "—", "无", "详见附件", "１２３", "1,234.5", "+", "增", "减少", hostile.Bidi, "\u202e12\u202c3", "1\ufffd2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v Value
		hostile.Within(t, func(context.Context) { v = Parse(s) })
		if v.Raw != s {
			t.Fatalf("Raw changed: %q → %q", s, v.Raw)
		}
		if v.Kind != Number && v.N != 0 {
			t.Fatalf("%q: non-number with value %v", s, v.N)
		}
		if v.N != v.N { // NaN
			t.Fatalf("%q: NaN", s)
		}
	})
}
