package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/simnet"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/internal/store/storetest"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// ogicheckBinary builds the command once per test run.
func ogicheckBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ogicheck-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "ogicheck")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// simSites starts a simulated internet and writes its sites file.
func simSites(t *testing.T, n int, latency time.Duration) (*simnet.Internet, string) {
	t.Helper()
	// Only the n generated sites: these tests count sites and requests,
	// and the list sites' mechanisms are tested in crawler and simnet.
	net, err := simnet.Start(simnet.Config{Seed: 7, Sites: n, Latency: latency, NoListSites: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(net.Close)
	list := filepath.Join(t.TempDir(), "sites.csv")
	if err := os.WriteFile(list, simSitesCSV(net), 0o644); err != nil {
		t.Fatal(err)
	}
	return net, list
}

// scanArgs are the flags of every scan of these tests: the simulated
// internet's date, no delay, no cache.
func scanArgs(db, list string, more ...string) []string {
	args := []string{"scan", "--db", db, "--now", "2026-12-01", "--delay", "0", "--timeout", "5s", "--no-cache", "--poll", "100ms",
		"--lease", "3s", "--log-format", "json"}
	return append(append(args, more...), list)
}

// findingSet is every finding of a store's latest scan, as site, rule,
// severity and fingerprint, sorted.
func findingSet(t *testing.T, db string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := st.History(context.Background(), store.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range h.Findings {
		out = append(out, strings.Join([]string{f.Site, f.Rule, string(f.Severity), f.Fingerprint}, " "))
	}
	sort.Strings(out)
	return out
}

// sqlDB opens the store's database for the test's own queries.
func sqlDB(t *testing.T, db string) (*store.Store, *sql.DB) {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, st.DB()
}

// count runs a count query.
func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestWorkersShareAScan: two 'ogicheck worker' processes and one 'ogicheck
// scan' sharing PostgreSQL scan the simulated internet: every site is
// checked once, by more than one process, and the findings are those of
// a scan by one process.
func TestWorkersShareAScan(t *testing.T) {
	t.Parallel()
	pg := storetest.Postgres(t)
	bin := ogicheckBinary(t)
	net, list := simSites(t, 16, 20*time.Millisecond)
	scanArgs := func(db, list string, more ...string) []string { // Crawl-delays capped, as in TestScanKilledAndResumed
		return scanArgs(db, list, append([]string{"--max-crawl-delay", "10ms"}, more...)...)
	}

	ref := filepath.Join(t.TempDir(), "ref.db")
	if out, err := exec.Command(bin, scanArgs(ref, list, "--parallel", "4")...).CombinedOutput(); exitCode(err) != exitFindings {
		t.Fatalf("reference scan: %v\n%s", err, tail(out))
	}
	want := findingSet(t, ref)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var workers []*exec.Cmd
	var logs []*strings.Builder
	for range 2 {
		var b strings.Builder
		w := exec.CommandContext(ctx, bin, "worker", "--db", pg, "--parallel", "3", "--poll", "100ms", "--lease", "3s", "--log-format", "json")
		w.Stderr = &b
		w.Cancel = func() error { return w.Process.Signal(os.Interrupt) }
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		workers = append(workers, w)
		logs = append(logs, &b)
	}
	out, err := exec.Command(bin, scanArgs(pg, list, "--parallel", "2")...).CombinedOutput()
	if exitCode(err) != exitFindings {
		t.Fatalf("scan with workers: %v\n%s", err, tail(out))
	}
	cancel()
	for i, w := range workers {
		if err := w.Wait(); exitCode(err) != exitInterrupted {
			t.Errorf("worker %d: %v\n%s", i, err, tail([]byte(logs[i].String())))
		}
	}

	if got := findingSet(t, pg); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings differ from a scan by one process:\ngot  %d: %v\nwant %d: %v", len(got), got, len(want), want)
	}
	_, db := sqlDB(t, pg)
	if n := count(t, db, `SELECT count(*) FROM scan_sites WHERE state = 'done' AND claims = 1`); n != 16 {
		t.Errorf("%d of 16 sites done after one claim each", n)
	}
	if n := count(t, db, `SELECT count(DISTINCT worker) FROM scan_sites`); n < 2 {
		t.Errorf("the sites were worked by %d process, want several", n)
	}
	if n := count(t, db, `SELECT count(*) FROM scans WHERE complete`); n != 1 {
		t.Errorf("%d complete scans, want 1", n)
	}
	// Each site's start page was fetched once by each of the two scans.
	for _, s := range net.Sites {
		n := 0
		for _, u := range s.Requests() {
			if u == "/" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%s: start page fetched %d times by two scans", s.Home, n)
		}
	}
}

// TestScanKilledAndResumed: a scan killed with SIGKILL half-way and started
// again ends complete, as the same scan, with the findings of a scan that
// was not interrupted and no row stored twice.
func TestScanKilledAndResumed(t *testing.T) {
	t.Parallel()
	bin := ogicheckBinary(t)
	_, list := simSites(t, 12, 30*time.Millisecond)
	dir := t.TempDir()
	// robots.txt Crawl-delays capped (and so reported alike in every scan):
	// the scans' time is then the latency's
	scanArgs := func(db, list string, more ...string) []string {
		return scanArgs(db, list, append([]string{"--max-crawl-delay", "10ms"}, more...)...)
	}

	ref := filepath.Join(dir, "ref.db")
	if out, err := exec.Command(bin, scanArgs(ref, list, "--parallel", "12")...).CombinedOutput(); exitCode(err) != exitFindings {
		t.Fatalf("reference scan: %v\n%s", err, tail(out))
	}
	want := findingSet(t, ref)

	db := filepath.Join(dir, "killed.db")
	cmd := exec.Command(bin, scanArgs(db, list, "--parallel", "2")...)
	var logb strings.Builder
	cmd.Stderr = &logb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Kill it once some sites are stored and others are not.
	st, sdb := sqlDB(t, db)
	for {
		select {
		case err := <-exited:
			t.Fatalf("the scan ended before it could be killed: %v\n%s", err, tail([]byte(logb.String())))
		case <-time.After(50 * time.Millisecond):
		}
		var done int
		if err := sdb.QueryRow(`SELECT count(*) FROM scan_sites WHERE state = 'done'`).Scan(&done); err == nil && done >= 3 {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	sc, err := st.LatestScan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sc.Complete || sc.Done == 12 {
		t.Fatalf("the killed scan is complete (%d sites done): kill it sooner", sc.Done)
	}
	st.Close()

	out, err := exec.Command(bin, scanArgs(db, list, "--parallel", "2")...).CombinedOutput()
	if exitCode(err) != exitFindings {
		t.Fatalf("resumed scan: %v\n%s", err, tail(out))
	}
	if !strings.Contains(string(out), "resuming an unfinished scan") {
		t.Errorf("the second run did not say it resumed:\n%s", tail(out))
	}
	if got := findingSet(t, db); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings differ from an uninterrupted scan:\ngot  %d: %v\nwant %d: %v", len(got), got, len(want), want)
	}
	_, sdb = sqlDB(t, db)
	if n := count(t, sdb, `SELECT count(*) FROM scans`); n != 1 {
		t.Errorf("%d scans, want the one resumed", n)
	}
	if n := count(t, sdb, `SELECT count(*) FROM scans WHERE complete AND round = 2`); n != 1 {
		t.Errorf("the scan is not complete after its second round")
	}
	for _, q := range []string{
		`SELECT count(*) FROM (SELECT scan_id, site_id, source, position FROM documents GROUP BY scan_id, site_id, source, position HAVING count(*) > 1) x`,
		`SELECT count(*) FROM (SELECT scan_id, fingerprint FROM findings GROUP BY scan_id, fingerprint HAVING count(*) > 1) x`,
	} {
		if n := count(t, sdb, q); n != 0 {
			t.Errorf("%d rows stored twice: %s", n, q)
		}
	}
	var refDocs, gotDocs int
	_, rdb := sqlDB(t, ref)
	refDocs = count(t, rdb, `SELECT count(*) FROM documents`)
	gotDocs = count(t, sdb, `SELECT count(*) FROM documents`)
	if refDocs != gotDocs {
		t.Errorf("%d documents stored, want %d as in the uninterrupted scan", gotDocs, refDocs)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// tail is the end of a process's output, for failure messages.
func tail(b []byte) string {
	s := string(b)
	if len(s) > 3000 {
		s = "…" + s[len(s)-3000:]
	}
	return s
}

// tmpOutputs lists the temporary report files left in dir.
func tmpOutputs(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestScheduledScanOutputs: a scheduled scan never writes -o files, so -o
// and --format with --every or --cron are usage errors that point to
// 'ogicheck report', found before any file is opened.
func TestScheduledScanOutputs(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"every and -o", []string{"--every", "1h", "-o", out}},
		{"cron and -o", []string{"--cron", "0 2 * * *", "-o", out}},
		{"every and --format", []string{"--every", "24h", "--format", "json"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"scan", "--db", filepath.Join(dir, "s.db")}, tt.args...), filepath.Join(dir, "sites.csv"))
			code, stdout, stderr := runCLI(t, args...)
			if code != exitUsage || !strings.Contains(stderr, "ogicheck report --scan latest -o FILE") {
				t.Errorf("exit %d, stderr %q; want exit 2 pointing to ogicheck report", code, stderr)
			}
			if stdout != "" {
				t.Errorf("standard output %q, want none", stdout)
			}
			if left := tmpOutputs(t, dir); len(left) > 0 {
				t.Errorf("temporary outputs left: %v", left)
			}
		})
	}
}

// TestInterruptedScanRemovesOutputs: a single scan with -o interrupted
// before its report is written leaves neither the report nor its
// temporary file.
func TestInterruptedScanRemovesOutputs(t *testing.T) {
	t.Parallel()
	_, list := simSites(t, 4, 200*time.Millisecond)
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		args := scanArgs(filepath.Join(dir, "s.db"), list, "--parallel", "1", "-o", out)
		done <- runScan(ctx, args[1:], io.Discard, io.Discard)
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, errInterrupted) {
			t.Errorf("interrupted scan: %v, want interrupted", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the scan did not stop")
	}
	if left := tmpOutputs(t, dir); len(left) > 0 {
		t.Errorf("temporary outputs left: %v", left)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("an interrupted scan wrote %s", out)
	}
}
