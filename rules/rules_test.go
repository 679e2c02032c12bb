package rules_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/result"
	"github.com/ogicheck/ogicheck/rules"
)

// The fixtures follow golang.org/x/tools/go/analysis/analysistest: each
// rule has a directory testdata/<ID> of documents (or of directories of
// documents, for agency rules) stating the findings they must produce:
//
//	#want RULE key=value key=value …     (text files; stripped before reading)
//	<!-- want: RULE key=value … -->      (HTML files)
//	#option published=YYYY-MM-DD level=department tier=county list=YYYY-MM-DD url=YYYY-MM-DD max-bytes=N
//
// Only the rule under test runs. The test fails on a finding no want
// matches and on a want no finding matches. Keys compare with the finding:
// severity, row, column, table, section, year, expected and actual
// (spaces ignored), and message (a substring of either language).

var now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

type want struct {
	rule string
	keys map[string]string
	file string
	line int
}

var (
	wantText = regexp.MustCompile(`^#want\s+(\S+)\s*(.*)$`)
	wantHTML = regexp.MustCompile(`<!--\s*want:\s*(\S+)\s*(.*?)\s*-->`)
	optText  = regexp.MustCompile(`^#option\s+(.*)$`)
	optHTML  = regexp.MustCompile(`<!--\s*option:\s*(.*?)\s*-->`)
	keyRe    = regexp.MustCompile(`(?:^|\s)([\w-]+)=`)
)

// parseKV splits "a=1 b=two words c=3" keeping spaces inside values.
func parseKV(s string) map[string]string {
	out := map[string]string{}
	s = strings.TrimSpace(s)
	keyAt := keyRe.FindAllStringSubmatchIndex(s, -1)
	for i, m := range keyAt {
		end := len(s)
		if i+1 < len(keyAt) {
			end = keyAt[i+1][0]
		}
		out[s[m[2]:m[3]]] = strings.TrimSpace(s[m[1]:end])
	}
	return out
}

type fixture struct {
	name    string
	files   []string
	wants   []*want
	options map[string]string
	inputs  []document.Input
	reports []*annual.Report
}

func loadFixture(t *testing.T, path string) *fixture {
	t.Helper()
	fx := &fixture{name: filepath.Base(path), options: map[string]string{}}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.IsDir() {
		ents, err := os.ReadDir(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if !strings.HasSuffix(e.Name(), ".want") {
				fx.files = append(fx.files, filepath.Join(path, e.Name()))
			}
		}
	} else {
		fx.files = []string{path}
	}
	for _, f := range fx.files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		isHTML := strings.HasSuffix(f, ".html")
		var kept []string
		for i, line := range strings.Split(string(data), "\n") {
			if m := wantText.FindStringSubmatch(line); m != nil && !isHTML {
				fx.wants = append(fx.wants, &want{rule: m[1], keys: parseKV(m[2]), file: f, line: i + 1})
				continue
			}
			if m := optText.FindStringSubmatch(line); m != nil && !isHTML {
				for k, v := range parseKV(m[1]) {
					fx.options[k] = v
				}
				continue
			}
			if isHTML {
				for _, m := range wantHTML.FindAllStringSubmatch(line, -1) {
					fx.wants = append(fx.wants, &want{rule: m[1], keys: parseKV(m[2]), file: f, line: i + 1})
				}
				for _, m := range optHTML.FindAllStringSubmatch(line, -1) {
					for k, v := range parseKV(m[1]) {
						fx.options[k] = v
					}
				}
			}
			kept = append(kept, line)
		}
		body := []byte(strings.Join(kept, "\n"))
		if !isHTML && !strings.HasSuffix(f, ".txt") {
			// binary fixtures state their findings in a sidecar X.want
			body = data
			if side, err := os.ReadFile(f + ".want"); err == nil {
				for i, line := range strings.Split(string(side), "\n") {
					if m := wantText.FindStringSubmatch(line); m != nil {
						fx.wants = append(fx.wants, &want{rule: m[1], keys: parseKV(m[2]), file: f + ".want", line: i + 1})
					}
				}
			}
		}
		fx.inputs = append(fx.inputs, document.Input{Source: filepath.ToSlash(f), Data: body})
	}
	return fx
}

func (fx *fixture) run(t *testing.T, rule *rules.Rule) []result.Finding {
	t.Helper()
	opts := scan.Options{Rules: []*rules.Rule{rule}}
	opts.Now, opts.Published, opts.Level = now, fx.options["published"], result.Level(fx.options["level"])
	opts.Tier = result.Tier(fx.options["tier"])
	if y := fx.options["year"]; y != "" {
		opts.Year, _ = strconv.Atoi(y)
	}
	if mb := fx.options["max-bytes"]; mb != "" {
		n, err := strconv.ParseInt(mb, 10, 64)
		if err != nil {
			t.Fatalf("%s: max-bytes: %v", fx.name, err)
		}
		opts.Limits.MaxBytes = n
	}
	var reports []*annual.Report
	for _, in := range fx.inputs {
		var hints annual.Hints
		if d := fx.options["list"]; d != "" {
			hints.Extra = append(hints.Extra, document.Meta{Label: dates.LabelList, Value: d})
		}
		if d := fx.options["url"]; d != "" {
			hints.Extra = append(hints.Extra, document.Meta{Label: dates.LabelURL, Value: d})
		}
		reports = append(reports, scan.Analyze(context.Background(), in, opts, hints))
	}
	fx.reports = reports
	res := scan.Assemble(opts, reports, nil)
	var out []result.Finding
	for _, d := range res.Documents {
		out = append(out, d.Findings...)
	}
	return out
}

// recognised fails the test unless the table a table rule checks was
// recognised whole: a pass fixture must pass because its table holds, not
// because it was not read.
func (fx *fixture) recognised(t *testing.T, id string) {
	t.Helper()
	for _, r := range fx.reports {
		tb := r.Tables[id]
		if tb == nil {
			t.Errorf("%s: table %s not recognised", fx.name, id)
			continue
		}
		for _, row := range tb.Rows {
			if !row.Found {
				t.Errorf("%s: table %s row %s not found", fx.name, id, row.Spec.Label)
			}
		}
	}
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func (w *want) matches(f result.Finding) bool {
	if w.rule != f.Rule {
		return false
	}
	ev := f.Evidence
	for k, v := range w.keys {
		var got string
		switch k {
		case "severity":
			got = string(f.Severity)
		case "row":
			got = ev.Row
		case "column":
			got = ev.Column
		case "table":
			got = ev.Table
		case "section":
			got = strconv.Itoa(ev.Section)
		case "year":
			got = strconv.Itoa(ev.Year)
		case "expected":
			got = ev.Expected
		case "actual":
			got = ev.Actual
		case "url":
			got = ev.URL
		case "message":
			if strings.Contains(f.Messages.Zh, v) || strings.Contains(f.Messages.En, v) {
				continue
			}
			return false
		default:
			return false
		}
		if squash(got) != squash(v) {
			return false
		}
	}
	return true
}

func describe(f result.Finding) string {
	return fmt.Sprintf("%s %s [table=%s row=%s column=%s section=%d year=%d expected=%s actual=%s] %s",
		f.Rule, f.Severity, f.Evidence.Table, f.Evidence.Row, f.Evidence.Column, f.Evidence.Section, f.Evidence.Year,
		f.Evidence.Expected, f.Evidence.Actual, f.Messages.Zh)
}

// check compares findings with wants, analysistest style.
func check(t *testing.T, fx *fixture, findings []result.Finding) {
	t.Helper()
	used := make([]bool, len(fx.wants))
	for _, f := range findings {
		ok := false
		for i, w := range fx.wants {
			if !used[i] && w.matches(f) {
				used[i], ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("%s: unexpected finding: %s", fx.name, describe(f))
		}
	}
	for i, w := range fx.wants {
		if !used[i] {
			t.Errorf("%s:%d: no finding matched: #want %s %v", w.file, w.line, w.rule, w.keys)
		}
	}
}

func TestRuleFixtures(t *testing.T) {
	for _, rule := range rules.All() {
		if rule.Scope == rules.SiteScope {
			continue // site rules have JSON fixtures: TestSiteRules
		}
		t.Run(rule.ID, func(t *testing.T) {
			dir := filepath.Join("testdata", rule.ID)
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatalf("every rule needs a fixture directory: %v", err)
			}
			var fails, passes int
			for _, e := range ents {
				if strings.HasSuffix(e.Name(), ".want") {
					continue
				}
				fx := loadFixture(t, filepath.Join(dir, e.Name()))
				switch {
				case strings.HasPrefix(e.Name(), "pass"):
					passes++
					if len(fx.wants) != 0 {
						t.Errorf("%s: a pass fixture states findings", e.Name())
					}
				case strings.HasPrefix(e.Name(), "fail"):
					fails++
					if len(fx.wants) == 0 {
						t.Errorf("%s: a fail fixture states no finding", e.Name())
					}
				}
				for _, w := range fx.wants {
					if w.rule != rule.ID {
						t.Errorf("%s: want for %s in the fixtures of %s", e.Name(), w.rule, rule.ID)
					}
				}
				check(t, fx, fx.run(t, rule))
				if strings.HasPrefix(e.Name(), "pass") && fx.options["partial"] == "" {
					switch {
					case strings.HasPrefix(rule.ID, "T3-"):
						fx.recognised(t, "三")
					case strings.HasPrefix(rule.ID, "T4-"):
						fx.recognised(t, "四")
					case strings.HasPrefix(rule.ID, "T2-"):
						fx.recognised(t, "二")
					}
				}
			}
			if fails == 0 || passes == 0 {
				t.Errorf("%s needs at least one fail* and one pass* fixture (have %d, %d)", rule.ID, fails, passes)
			}
		})
	}
}

// siteFixture is a site as the crawler leaves it, with the findings the
// site rules must produce.
type siteFixture struct {
	Config struct {
		Now       string `json:"now"`
		FirstYear int    `json:"first_year"`
		LastYear  int    `json:"last_year"`
	} `json:"config"`
	Site rules.Site `json:"site"`
	Want []string   `json:"want"`
}

func TestSiteRules(t *testing.T) {
	for _, rule := range rules.All() {
		if rule.Scope != rules.SiteScope {
			continue
		}
		t.Run(rule.ID, func(t *testing.T) {
			files, err := filepath.Glob(filepath.Join("testdata", rule.ID, "*.json"))
			if err != nil || len(files) == 0 {
				t.Fatalf("every site rule needs JSON fixtures: %v", err)
			}
			var fails, passes int
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				var fx siteFixture
				if err := json.Unmarshal(data, &fx); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				cfg := rules.Config{FirstYear: fx.Config.FirstYear, LastYear: fx.Config.LastYear}
				cfg.Now = now
				if fx.Config.Now != "" {
					if cfg.Now, err = time.Parse("2006-01-02", fx.Config.Now); err != nil {
						t.Fatal(err)
					}
				}
				site := fx.Site
				got := rules.Check(cfg, []*rules.Rule{rule}, nil, []*rules.Site{&site}).Sites[&site]
				wfx := &fixture{name: filepath.Base(f)}
				for _, w := range fx.Want {
					id, rest, _ := strings.Cut(w, " ")
					wfx.wants = append(wfx.wants, &want{rule: id, keys: parseKV(rest), file: f})
				}
				if strings.HasPrefix(filepath.Base(f), "fail") {
					fails++
				} else {
					passes++
				}
				check(t, wfx, got)
			}
			if fails == 0 || passes == 0 {
				t.Errorf("%s needs fail* and pass* fixtures", rule.ID)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	if err := rules.Validate(); err != nil {
		t.Errorf("the registry is invalid:\n%v", err)
	}
}
