package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/result"
)

func decode(t *testing.T, out string) *result.Result {
	t.Helper()
	var res result.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return &res
}

func hasFinding(fs []result.Finding, rule string, sev result.Severity) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Severity == sev {
			return true
		}
	}
	return false
}

// TestUsageErrors: mistakes are exit 2 with a message that helps, found
// before any work.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in standard error
	}{
		{"unknown flag", []string{"check", "--formt", "json", "x.html"}, "did you mean --format?"},
		{"unknown command", []string{"chek", "x.html"}, `did you mean "check"?`},
		{"malformed URL", []string{"check", "http://a b/"}, `parse "http://a b/": invalid character " " in host name`},
		{"URL without host", []string{"check", "http://"}, "has no host"},
		{"bare host", []string{"check", "www.example.gov.cn"}, "did you mean https://www.example.gov.cn/ ?"},
		{"unwritable output", []string{"check", "-o", filepath.Join("no", "such", "dir", "r.json"), seeds(t, "003")}, "cannot write there"},
		{"output format unknown", []string{"check", "-o", "report.docx", seeds(t, "003")}, "cannot tell the format"},
		{"bad size", []string{"check", "--max-body", "50XB", seeds(t, "003")}, "unknown unit"},
		{"unknown rule", []string{"check", "--rules", "T3-CLO", seeds(t, "003")}, "did you mean T3-COL?"},
		{"bad time zone", []string{"check", "--tz", "Mars/Olympus", seeds(t, "003")}, "--tz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
			if out != "" {
				t.Errorf("a usage error wrote a report: %q", out)
			}
			if strings.Count(stderr, "\n") > 3 {
				t.Errorf("the message is %d lines; want the mistake, not the flag list:\n%s", strings.Count(stderr, "\n"), stderr)
			}
		})
	}
}

// TestUncheckedInputs: an input that cannot be checked at all is exit 3,
// and is in the output with its reason as an error finding.
func TestUncheckedInputs(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.html")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	robots := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n")
			return
		}
		fmt.Fprint(w, "<html><body><a href='/nb/'>政府信息公开年报</a></body></html>")
	}))
	defer robots.Close()
	tests := []struct {
		name, input, rule string
	}{
		{"empty file", empty, "DOC-UNREADABLE"},
		{"site down", "http://127.0.0.1:9/", "SITE-FETCH"},
		// written otherwise than the crawler cleans it
		{"site down, URL with a fragment", "http://127.0.0.1:9/#top", "SITE-FETCH"},
		{"site down, URL in capitals", "HTTP://LOCALHOST:9", "SITE-FETCH"},
		{"robots.txt forbids everything", robots.URL + "/", "SITE-FETCH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, "check", "--format", "json", "--retries", "0", "--delay", "0", "--no-cache", tt.input)
			if code != exitUnchecked {
				t.Fatalf("exit %d, want 3; stderr %s", code, stderr)
			}
			res := decode(t, out)
			var fs []result.Finding
			for _, d := range res.Documents {
				fs = append(fs, d.Findings...)
			}
			for _, s := range res.Sites {
				fs = append(fs, s.Findings...)
			}
			if !hasFinding(fs, tt.rule, result.SeverityError) {
				t.Errorf("no %s error finding in the output: %+v", tt.rule, fs)
			}
			if len(res.Unchecked()) != 1 {
				t.Errorf("unchecked inputs %v, want the one given", res.Unchecked())
			}
			if hasFinding(fs, "SITE-NO-COLUMN", result.SeverityError) {
				t.Errorf("a site that could not be read is accused of having no column: %+v", fs)
			}
		})
	}
}

// TestRetriesZero: with --retries 0 a server that always answers 503 gets
// exactly one request per URL.
func TestRetriesZero(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	code, _, stderr := runCLI(t, "check", "--format", "json", "--retries", "0", "--delay", "0", "--no-cache", srv.URL+"/")
	if code != exitUnchecked {
		t.Errorf("exit %d, want 3 (the site could not be checked); stderr %s", code, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits["/"] != 1 {
		t.Errorf("the start page got %d requests, want exactly 1 with --retries 0 (all: %v)", hits["/"], hits)
	}
}

// TestInterrupted: Ctrl-C during a crawl stops it, writes what was checked
// marked incomplete, exits 130, and turns no cancelled request into a
// finding.
func TestInterrupted(t *testing.T) {
	var started atomic.Bool
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/nb/">政府信息公开年报</a></body></html>`)
		case "/nb/":
			fmt.Fprint(w, `<html><body><ul><li><a href="/nb/2023.html">2023年政府信息公开工作年度报告</a></li></ul></body></html>`)
		default:
			started.Store(true)
			select { // a report that never arrives
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	defer srv.Close()
	defer close(release)
	out := filepath.Join(t.TempDir(), "r.json")
	done := make(chan int)
	var stderr bytes.Buffer
	go func() {
		done <- run([]string{"check", "-o", out, "--delay", "0", "--no-cache", "--timeout", "30s", srv.URL + "/"}, &bytes.Buffer{}, &stderr)
	}()
	for !started.Load() {
		time.Sleep(10 * time.Millisecond)
	}
	sent := time.Now()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var code int
	select {
	case code = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the run did not stop after SIGINT")
	}
	t.Logf("stopped %v after SIGINT", time.Since(sent).Round(time.Millisecond))
	if code != exitInterrupted {
		t.Errorf("exit %d, want 130; stderr %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no report written on interruption: %v", err)
	}
	res := decode(t, string(b))
	if res.Incomplete != "interrupted" {
		t.Errorf("incomplete %q, want interrupted", res.Incomplete)
	}
	for _, s := range res.Sites {
		for _, f := range s.Findings {
			if f.Rule == "SITE-BROKEN-LINK" || f.Rule == "SITE-FETCH" {
				t.Errorf("a cancelled request became a finding: %+v", f)
			}
		}
	}
}

// TestSeveralOutputs: one run writes every -o file in the format its
// extension names, and the JSON on standard output with --format.
func TestSeveralOutputs(t *testing.T) {
	dir := t.TempDir()
	html, js, cs, md, txt := filepath.Join(dir, "r.html"), filepath.Join(dir, "f.json"), filepath.Join(dir, "f.csv"), filepath.Join(dir, "f.md"), filepath.Join(dir, "f.txt")
	xl := filepath.Join(dir, "f.xlsx")
	code, out, stderr := runCLI(t, "check", "--lang", "en", "-o", html, "-o", js, "-o", cs, "-o", md, "-o", txt, "-o", xl, seeds(t, "000"))
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if out != "" {
		t.Errorf("with -o, standard output should stay empty: %q", out)
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if h := read(html); !strings.HasPrefix(strings.ToLower(h), "<!doctype html>") {
		t.Errorf("%s is not HTML: %.60q", html, h)
	}
	if res := decode(t, read(js)); len(res.Documents) != 1 {
		t.Errorf("%s: %d documents", js, len(res.Documents))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(read(cs), "\ufeff"))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Errorf("%s: %d records, %v", cs, len(recs), err)
	}
	if m := read(md); !strings.HasPrefix(m, "#") || !strings.Contains(m, "PUB-LATE") {
		t.Errorf("%s is not the Markdown report: %.60q", md, m)
	}
	if s := read(txt); !strings.Contains(s, "PUB-LATE") {
		t.Errorf("%s is not the table report", txt)
	}
	wb, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatalf("%s: %v", xl, err)
	}
	defer wb.Close()
	if rows, err := wb.GetRows("Findings"); err != nil || len(rows) != len(recs) {
		t.Errorf("%s: %d rows (%v), want as many as the CSV's %d records", xl, len(rows), err, len(recs))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 6 {
		t.Errorf("%d files in the output directory, want the 6 reports and no temporary files", len(entries))
	}
}

// TestDirectoryListsSkipped: a directory walk says what it left out and
// why, in the output and the log.
func TestDirectoryListsSkipped(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(seeds(t, "003"))
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"a.txt": data, "notes.zip": []byte("PK"), ".git/x.txt": data} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runCLI(t, "check", "--format", "json", "--lang", "en", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	res := decode(t, out)
	got := map[string]string{}
	for _, s := range res.Skipped {
		got[filepath.Base(s.Path)] = s.Reason.En
	}
	if !strings.Contains(got["notes.zip"], "not a document type") || !strings.Contains(got[".git"], "hidden") || len(res.Documents) != 1 {
		t.Errorf("skipped %v, %d documents; want notes.zip and .git skipped with reasons, a.txt checked", got, len(res.Documents))
	}
	if !strings.Contains(stderr, "notes.zip") {
		t.Errorf("the log does not name the skipped file:\n%s", stderr)
	}
}

// TestLogs: off a terminal the log is JSON lines with time and level; -v
// adds the crawl's steps.
func TestLogs(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "<html><body><p>首页</p></body></html>")
	}))
	defer srv.Close()
	for _, sub := range [][]string{{"check", "--format", "json", "--delay", "0", "--no-cache", srv.URL + "/"}, {"rules"}, {"demo", "--sites", "1", "--delay", "0", "--format", "json"}} {
		args := append([]string{sub[0], "-v"}, sub[1:]...)
		_, _, stderr := runCLI(t, args...)
		if sub[0] == "rules" {
			continue // -v is accepted; the catalog logs nothing
		}
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		debug := false
		for _, l := range lines {
			if !strings.HasPrefix(l, "{") {
				continue
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(l), &rec); err != nil {
				t.Errorf("%s: log line is not JSON: %q", sub[0], l)
				continue
			}
			if rec["time"] == nil || rec["level"] == nil || rec["msg"] == nil {
				t.Errorf("%s: log record without time, level or msg: %q", sub[0], l)
			}
			debug = debug || rec["level"] == "DEBUG"
		}
		if !debug {
			t.Errorf("%s -v: no debug records in the log:\n%s", sub[0], stderr)
		}
	}
}

// TestChineseThroughout: --lang zh leaves no English words in the rule
// catalog or a report's fixed text.
func TestChineseThroughout(t *testing.T) {
	_, cat, _ := runCLI(t, "rules", "--lang", "zh")
	for _, w := range []string{" error ", " warning ", " info ", " document ", " site ", " agency ", "missing-", "table-identity"} {
		if strings.Contains(cat, w) {
			t.Errorf("the Chinese catalog contains %q", strings.TrimSpace(w))
		}
	}
	_, explain, _ := runCLI(t, "rules", "--lang", "zh", "explain", "PUB-LATE")
	if strings.Contains(explain, "Severity") || strings.Contains(explain, " error ") {
		t.Errorf("the Chinese explanation has English labels:\n%s", explain)
	}
}

// TestTimeZone: times are in Asia/Shanghai unless --tz says otherwise.
func TestTimeZone(t *testing.T) {
	_, out, _ := runCLI(t, "check", "--format", "json", seeds(t, "003"))
	if g := decode(t, out).Generated; !strings.HasSuffix(g, "+08:00") {
		t.Errorf("generated %q, want Asia/Shanghai time", g)
	}
	_, out, _ = runCLI(t, "check", "--format", "json", "--tz", "UTC", seeds(t, "003"))
	if g := decode(t, out).Generated; !strings.HasSuffix(g, "Z") {
		t.Errorf("generated %q with --tz UTC", g)
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"50MB", 50_000_000}, {"50MiB", 50 << 20}, {"2m", 2 << 20}, {"1048576", 1 << 20}, {"1.5KB", 1500}, {"512 KiB", 512 << 10},
	}
	for _, tt := range tests {
		if got, err := parseBytes(tt.in); err != nil || got != tt.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "MB", "-5", "5 parsecs"} {
		if _, err := parseBytes(bad); err == nil {
			t.Errorf("parseBytes(%q): no error", bad)
		}
	}
	code, out, stderr := runCLI(t, "check", "--format", "json", "--max-body", "2KB", seeds(t, "003"))
	if code != exitUnchecked {
		t.Fatalf("--max-body 2KB: exit %d, want 3 (the file is over it): %s", code, stderr)
	}
	if d := decode(t, out).Documents[0]; !hasFinding(d.Findings, "DOC-LIMIT", result.SeverityWarning) && !strings.Contains(fmt.Sprint(d.Findings), "2000") {
		t.Errorf("no DOC-LIMIT naming the 2000-byte limit: %+v", d.Findings)
	}
}

// TestZeroMeansZero: --delay 0 and --retries 0 reach the crawler as none,
// not as its defaults (the crawler's tests show what none does).
func TestZeroMeansZero(t *testing.T) {
	cm := newCommand("check", "", "", &bytes.Buffer{})
	var c checkFlags
	c.register(cm, true)
	if _, err := cm.parse([]string{"--delay", "0", "--retries", "0", "--memory-budget", "64MiB", "--max-body", "2MB", "x"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := c.crawlConfig(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Delay != 0 || cfg.Retries != 0 || cfg.MemoryBudget != 64<<20 || cfg.MaxBodySize != 2_000_000 {
		t.Errorf("delay %v retries %d memory %d max body %d; want 0, 0, 64 MiB, 2 MB", cfg.Delay, cfg.Retries, cfg.MemoryBudget, cfg.MaxBodySize)
	}
}

// TestCrawlFlags: --render and --revalidate-after reach the crawler, and a
// render mode it does not know is a usage error before anything is fetched.
func TestCrawlFlags(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		render crawler.RenderMode
		fresh  time.Duration
		err    string
	}{
		{nil, crawler.RenderAuto, 0, ""},
		{[]string{"--render", "never", "--revalidate-after", "168h"}, crawler.RenderNever, 168 * time.Hour, ""},
		{[]string{"--render", "ALWAYS"}, crawler.RenderAlways, 0, ""},
		{[]string{"--render", "sometimes"}, "", 0, `render mode "sometimes"`},
		{[]string{"--revalidate-after", "-1h"}, "", 0, "cannot be negative"},
	} {
		cm := newCommand("check", "", "", &bytes.Buffer{})
		var c checkFlags
		c.register(cm, true)
		if _, err := cm.parse(append(tt.args, "x")); err != nil {
			t.Fatal(err)
		}
		cfg, err := c.crawlConfig(slog.New(slog.DiscardHandler))
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%v: error %v, want %q", tt.args, err, tt.err)
			}
		case err != nil:
			t.Errorf("%v: %v", tt.args, err)
		case cfg.Render != tt.render || cfg.FreshFor != tt.fresh:
			t.Errorf("%v: render %q fresh for %v, want %q and %v", tt.args, cfg.Render, cfg.FreshFor, tt.render, tt.fresh)
		}
	}
	code, _, stderr := runCLI(t, "check", "--render", "sometimes", "http://127.0.0.1:9/")
	if code != exitUsage || !strings.Contains(stderr, "--render") {
		t.Errorf("check --render sometimes: exit %d, want 2 naming --render: %s", code, stderr)
	}
}

// TestProgressLine: on a terminal the progress line shows the crawl's
// counts and stays below log lines.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	con := &console{w: &buf, tty: true}
	p := &progress{began: time.Now(), total: 24}
	p.crawl.Pages.Add(130)
	p.crawl.Failures.Add(2)
	p.add(&result.Result{Sites: []*result.Site{{}}, Documents: make([]*result.Document, 9)})
	con.show(p.line("en"))
	fmt.Fprintln(con, "a log line")
	out := buf.String()
	want := "sites 1/24 · pages 130 · documents 9 · failures 2"
	if !strings.Contains(out, want) || !strings.HasSuffix(out, "a log line\n"+p.line("en")) {
		t.Errorf("console output %q; want the line %q redrawn after the log line", out, want)
	}
	if zh := p.line("zh"); !strings.Contains(zh, "站点 1/24") {
		t.Errorf("Chinese progress line %q", zh)
	}
	var plain bytes.Buffer
	(&console{w: &plain}).show("x")
	if plain.Len() != 0 {
		t.Errorf("a progress line was drawn off a terminal: %q", plain.String())
	}
}

// TestGovernmentTier: --government-tier overrides the tier the name gives,
// and with it the deadline of the 2021 notice.
func TestGovernmentTier(t *testing.T) {
	pdf := filepath.Join("..", "..", "testdata", "pdfs", "2024-jiangsu-huaian-shi-government.pdf")
	for _, tt := range []struct {
		flag, tier, deadline string
	}{{"", "prefecture", "2025-03-10"}, {"province", "province", "2025-03-31"}} {
		args := []string{"check", "--format", "json", pdf}
		if tt.flag != "" {
			args = append(args, "--government-tier", tt.flag)
		}
		_, out, stderr := runCLI(t, args...)
		d := decode(t, out).Documents[0]
		if d.AgencyTier == nil || string(*d.AgencyTier) != tt.tier || d.Deadline == nil || *d.Deadline != tt.deadline {
			t.Errorf("--government-tier %q: tier %v deadline %v, want %s %s; %s", tt.flag, d.AgencyTier, d.Deadline, tt.tier, tt.deadline, stderr)
		}
	}
	if code, _, _ := runCLI(t, "check", "--government-tier", "city", seeds(t, "003")); code != exitUsage {
		t.Errorf("--government-tier city: exit %d, want 2", code)
	}
}

// TestReportFromSavedJSON: a saved check result is written again in other
// formats; with a sites file, the XLSX has a sheet per region.
func TestReportFromSavedJSON(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "f.json")
	if code, _, stderr := runCLI(t, "check", "--lang", "en", "-o", js, seeds(t, "000")); code != exitFindings {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	xl, md := filepath.Join(dir, "r.xlsx"), filepath.Join(dir, "r.md")
	if code, _, stderr := runCLI(t, "report", "--lang", "en", "--from", js, "-o", xl, "-o", md); code != exitFindings {
		t.Fatalf("report --from: exit %d: %s", code, stderr)
	}
	wb, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("Findings")
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %d rows (%v)", xl, len(rows), err)
	}
	if b, err := os.ReadFile(md); err != nil || !strings.Contains(string(b), "PUB-LATE") {
		t.Errorf("%s lacks the findings (%v)", md, err)
	}
	// a saved run that was interrupted stays incomplete in the report
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var saved map[string]any
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatal(err)
	}
	saved["incomplete"] = "interrupted"
	b, _ = json.Marshal(saved)
	cut := filepath.Join(dir, "cut.json")
	os.WriteFile(cut, b, 0o644)
	code, out, stderr := runCLI(t, "report", "--lang", "en", "--from", cut, "--format", "json")
	if code != exitUnchecked || decode(t, out).Incomplete != "interrupted" {
		t.Errorf("report --from an interrupted run: exit %d, incomplete %q; want 3 and the saved run's state: %s", code, decode(t, out).Incomplete, stderr)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema":"other/v9"}`), 0o644)
	if code, _, stderr := runCLI(t, "report", "--from", bad); code != exitUsage || !strings.Contains(stderr, "schema") {
		t.Errorf("report --from a foreign file: exit %d: %s", code, stderr)
	}
}
