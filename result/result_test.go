package result_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/ogicheck/ogicheck/result"
)

// TestDecodeV1 decodes a stored ogicheck/v1 file strictly: every field it
// carries must still exist with its type, and encoding it again must give
// the same bytes, so that a field renamed or retyped breaks this test.
func TestDecodeV1(t *testing.T) {
	raw, err := os.ReadFile("testdata/v1.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var r result.Result
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if r.Schema != result.Schema {
		t.Errorf("schema %q, want %q", r.Schema, result.Schema)
	}
	d := r.Documents[0]
	if d.Kind != result.KindAnnualReport || d.AgencyLevel == nil || *d.AgencyLevel != result.LevelGovernment ||
		d.Template == nil || *d.Template != result.Template2021 {
		t.Errorf("document 0: kind %q level %v template %v, want annual-report government 2021", d.Kind, d.AgencyLevel, d.Template)
	}
	f := d.Findings[0]
	if f.Severity != result.SeverityError || f.Messages.Zh == "" || f.Messages.En == "" || f.Message != f.Messages.En {
		t.Errorf("finding 0: severity %q message %q messages %+v, want an error with both languages, message in English", f.Severity, f.Message, f.Messages)
	}
	if len(r.Sites) != 1 || r.Sites[0].Errors[0].Class != result.FetchHTTP4xx {
		t.Errorf("sites %d, first error %+v, want one site whose first error is http-4xx", len(r.Sites), r.Sites[0].Errors)
	}
	if c := r.Count(); c.Error == 0 || r.MaxSeverity() != result.SeverityError {
		t.Errorf("count %+v max %q, want errors", c, r.MaxSeverity())
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), raw) {
		t.Errorf("re-encoded ogicheck/v1 differs from testdata/v1.json:\n%s", out.String())
	}
}

func TestSeverity(t *testing.T) {
	tests := []struct {
		s, min result.Severity
		want   bool
	}{
		{result.SeverityError, result.SeverityError, true},
		{result.SeverityError, result.SeverityInfo, true},
		{result.SeverityWarning, result.SeverityError, false},
		{result.SeverityInfo, result.SeverityWarning, false},
		{"", result.SeverityInfo, false},
	}
	for _, tt := range tests {
		if got := tt.s.AtLeast(tt.min); got != tt.want {
			t.Errorf("%q.AtLeast(%q) = %v, want %v", tt.s, tt.min, got, tt.want)
		}
	}
	for _, s := range []string{"error", "warning", "info"} {
		if got, err := result.ParseSeverity(s); err != nil || string(got) != s {
			t.Errorf("ParseSeverity(%q) = %q, %v", s, got, err)
		}
	}
	if _, err := result.ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal): no error")
	}
}

func TestLocalize(t *testing.T) {
	r := &result.Result{Documents: []*result.Document{{
		KindReason: "x", KindReasons: result.Text{Zh: "标题", En: "title"},
		Findings: []result.Finding{{Messages: result.Msg("第%d项", "item %d", 3)}},
	}}}
	r.Localize("zh")
	if d := r.Documents[0]; d.KindReason != "标题" || d.Findings[0].Message != "第3项" {
		t.Errorf("zh: kind reason %q message %q", d.KindReason, d.Findings[0].Message)
	}
	r.Localize("en")
	if d := r.Documents[0]; d.KindReason != "title" || d.Findings[0].Message != "item 3" {
		t.Errorf("en: kind reason %q message %q", d.KindReason, d.Findings[0].Message)
	}
}
