package rules

import (
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/result"
)

func TestValidateCatches(t *testing.T) {
	good := &Rule{ID: "X-GOOD", Category: result.CatMissingTable, Severity: result.SeverityError, Spec: "§3",
		Title: result.Text{Zh: "甲", En: "a"}, Doc: result.Text{Zh: "甲", En: "a"}, Run: func(*Pass) {}}
	tests := []struct {
		name   string
		change func(r *Rule)
		want   string
	}{
		{"english doc missing", func(r *Rule) { r.Doc.En = "" }, "both languages"},
		{"no spec", func(r *Rule) { r.Spec = "spec" }, "does not cite"},
		{"unknown category", func(r *Rule) { r.Category = "odd" }, "unknown category"},
		{"bad severity", func(r *Rule) { r.Severity = "fatal" }, "severity"},
		{"no run", func(r *Rule) { r.Run = nil }, "no Run"},
		{"duplicate ID", func(r *Rule) { r.ID = "T3-COL" }, "twice"},
		{"lower-case ID", func(r *Rule) { r.ID = "x-bad" }, "upper case"},
	}
	saved := registry
	defer func() { registry = saved }()
	for _, tt := range tests {
		r := *good
		tt.change(&r)
		registry = append(append([]*Rule(nil), saved...), &r)
		err := Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate() = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}
