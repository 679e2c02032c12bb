package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/result"
)

func seeds(t *testing.T, prefix string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join("..", "..", "testdata", "seeds", prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s: %v", prefix, err)
	}
	return m[0]
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitStatus(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no args", nil, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"late report is an error", []string{"check", seeds(t, "000")}, exitFindings},
		{"on-time old report passes", []string{"check", seeds(t, "003")}, exitOK},
		{"info only passes by default", []string{"check", seeds(t, "004")}, exitOK},
		{"info fails with --fail-on info", []string{"check", "--fail-on", "info", seeds(t, "004")}, exitFindings},
		{"--fail-on none never fails", []string{"check", "--fail-on", "none", seeds(t, "000")}, exitOK},
		{"flags after files", []string{"check", seeds(t, "003"), "--format", "json"}, exitOK},
		{"missing file", []string{"check", "no/such/file.html"}, exitUsage},
		{"bad format", []string{"check", "--format", "yaml", seeds(t, "003")}, exitUsage},
		{"bad level", []string{"check", "--agency-level", "ministry", seeds(t, "003")}, exitUsage},
		{"bad date", []string{"check", "--published", "2020-13-45", seeds(t, "003")}, exitUsage},
		{"deadline later than the law", []string{"check", "--department-deadline", "02-15", seeds(t, "003")}, exitUsage},
		{"unknown rule", []string{"check", "--rules", "NOPE", seeds(t, "003")}, exitUsage},
		{"ftp URL", []string{"check", "ftp://example.gov.cn/"}, exitUsage},
		{"rules", []string{"rules"}, exitOK},
		{"explain", []string{"rules", "explain", "t3-col"}, exitOK},
		{"explain unknown", []string{"rules", "explain", "NOPE"}, exitUsage},
		{"version", []string{"version"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := runCLI(t, tt.args...); code != tt.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.want, stderr)
			}
		})
	}
}

func TestCheckJSONContract(t *testing.T) {
	code, out, stderr := runCLI(t, "check", "--format", "json", "--lang", "en", filepath.Join("..", "..", "testdata", "seeds"))
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var res result.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if res.Schema != "ogicheck/v1" || len(res.Documents) != 5 {
		t.Fatalf("schema %q, %d documents", res.Schema, len(res.Documents))
	}
	// the raw object carries every contract field, null where unknown
	var raw struct {
		Documents []map[string]json.RawMessage `json:"documents"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, d := range raw.Documents {
		for _, k := range []string{"source", "kind", "title", "agency", "agency_level", "year", "published", "published_from", "template", "sections", "tables", "findings"} {
			if _, ok := d[k]; !ok && k != "published_from" {
				t.Errorf("%s: field %q missing", d["source"], k)
			}
		}
	}
	for _, d := range res.Documents {
		for _, f := range d.Findings {
			if f.Message != f.Messages.En || f.Message == "" {
				t.Errorf("%s: message not in English: %q", f.Rule, f.Message)
			}
		}
	}
}

func TestStdinAndOverrides(t *testing.T) {
	data, err := os.ReadFile(seeds(t, "004"))
	if err != nil {
		t.Fatal(err)
	}
	stdin = bytes.NewReader(data)
	defer func() { stdin = os.Stdin }()
	code, out, stderr := runCLI(t, "check", "--format", "json", "--agency-level", "department", "--published", "2020-02-03", "-")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (late); stderr %s", code, stderr)
	}
	var res result.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	d := res.Documents[0]
	if d.PublishedFrom != "flag" || d.AgencyLevelFrom != "flag" || *d.Deadline != "2020-01-31" {
		t.Errorf("published_from %q, level_from %q, deadline %v", d.PublishedFrom, d.AgencyLevelFrom, *d.Deadline)
	}
	late := false
	for _, f := range d.Findings {
		late = late || f.Rule == "PUB-LATE"
	}
	if !late {
		t.Errorf("no PUB-LATE for a department report published 2020-02-03")
	}
}

func TestLanguages(t *testing.T) {
	_, zh, _ := runCLI(t, "check", "--format", "csv", "--lang", "zh", seeds(t, "000"))
	_, en, _ := runCLI(t, "check", "--format", "csv", "--lang", "en", seeds(t, "000"))
	if !strings.Contains(zh, "晚于截止日期") || !strings.Contains(en, "after the deadline") {
		t.Errorf("messages not localised:\nzh: %s\nen: %s", zh, en)
	}
	_, cat, _ := runCLI(t, "rules", "--lang", "en")
	if !strings.Contains(cat, "T3-COL") || !strings.Contains(cat, "PUB-LATE") {
		t.Errorf("catalog lacks rules: %s", cat)
	}
}

func TestExplainShowsBothExamples(t *testing.T) {
	_, out, _ := runCLI(t, "rules", "explain", "--lang", "en", "SEC-MISSING")
	out = strings.ReplaceAll(out, "\n", " ")
	for _, want := range []string{"SEC-MISSING", "Regulation Art. 50", "§3.1", "Failing example", "Passing example", "=> SEC-MISSING"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
}

func TestStdoutFormats(t *testing.T) {
	for _, f := range []string{"table", "summary", "json", "csv", "markdown", "html"} {
		code, out, stderr := runCLI(t, "check", "--format", f, seeds(t, "002"))
		if code != exitFindings || out == "" {
			t.Errorf("%s: exit %d, %d bytes: %s", f, code, len(out), stderr)
		}
	}
}

// TestDemo runs the README's main command on the simulated internet: it must
// find exactly the planted defects.
func TestDemo(t *testing.T) {
	t.Parallel()
	code, out, stderr := runCLI(t, "demo", "--delay", "2ms", "--lang", "en", "--now", "2026-12-01")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (planted errors); stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "(recall 100%)") || !strings.Contains(stderr, "(precision 100%)") {
		t.Errorf("demo did not find exactly the planted defects:\n%s", stderr)
	}
	if !strings.Contains(out, "PUB-LATE") || !strings.Contains(out, "SITE-MISSING-REPORT") {
		t.Errorf("summary lacks planted findings:\n%s", out)
	}
}

// TestOversizeFileIsAFinding: a file over --max-body is reported and the
// other files are still checked.
func TestOversizeFileIsAFinding(t *testing.T) {
	code, out, stderr := runCLI(t, "check", "--format", "json", "--max-body", "2000", seeds(t, "003"), seeds(t, "001"))
	if code != exitUnchecked {
		t.Fatalf("exit %d, want 3 (files not read): %s", code, stderr)
	}
	var res result.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 {
		t.Fatalf("%d documents, want both", len(res.Documents))
	}
	for _, d := range res.Documents {
		limit := false
		for _, f := range d.Findings {
			limit = limit || f.Rule == "DOC-LIMIT"
			if f.Rule == "DOC-UNREADABLE" {
				t.Errorf("%s: a file over our limit is not an unreadable file", d.Source)
			}
		}
		if !limit {
			t.Errorf("%s: no DOC-LIMIT finding", d.Source)
		}
	}
}

// TestTerminalTextCleaned: text from the web reaches standard error, in
// log records and error messages, cleaned by the reports' rule: no
// zero-width space, BOM, line separator, bidi override, escape sequence
// or invalid UTF-8.
func TestTerminalTextCleaned(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\u200bb", "ab"},
		{"\ufeffa", "a"},
		{"a\u2028b\u2029c", "a b c"},
		{"a\u202egpj.exe", "agpj.exe"},
		{"a\x1b[2Jb", "ab"},
		{"a\xffb", "a\uFFFDb"},
		{"第一行\n第二行", "第一行 第二行"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		exitStatus(errors.New(tt.in), &b)
		if got, want := b.String(), "ogicheck: "+tt.want+"\n"; got != want {
			t.Errorf("error %q: printed %q, want %q", tt.in, got, want)
		}
		b.Reset()
		newConsole(&b).logger(&common{logFormat: "json"}).Info("fetched", "title", tt.in)
		var rec struct{ Title string }
		if err := json.Unmarshal(b.Bytes(), &rec); err != nil || rec.Title != tt.want {
			t.Errorf("log of %q: title %q (%v), want %q", tt.in, rec.Title, err, tt.want)
		}
	}
}
