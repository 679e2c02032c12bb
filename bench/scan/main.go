// Command scan benchmarks 'ogicheck scan' on the simulated internet, each
// figure against a baseline measured in the same run, with the ratio:
//
//	go run ./bench/scan rescan              # (a) rescan of an unchanged internet against the first scan: bytes and time
//	go run ./bench/scan workers             # (b) one worker against two on a latency-injected internet: sites/min (PostgreSQL)
//	go run ./bench/scan -again workers      # (b) the same for second scans, whose sites go slowest first
//	go run ./bench/scan rss 24,240,2400     # (c) peak RSS of the scan process by number of sites (/usr/bin/time -v)
//
// The simulated internet runs in this process; the scans are ogicheck
// processes built from this tree.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ogicheck/ogicheck/internal/simnet"
	"github.com/ogicheck/ogicheck/internal/sitelist"
	"github.com/ogicheck/ogicheck/internal/store"
)

var (
	parallel = flag.Int("parallel", 8, "sites at once per process")
	pgURL    = flag.String("postgres", os.Getenv("OGICHECK_TEST_POSTGRES"), "PostgreSQL for the workers benchmark")
	sites    = flag.Int("sites", 48, "sites of the rescan and workers benchmarks")
	latency  = flag.Duration("latency", 50*time.Millisecond, "latency of each response in the workers benchmark")
	again    = flag.Bool("again", false, "workers benchmark: time a second scan of the same list (sites ordered by their last duration)")
)

func main() {
	log.SetFlags(0)
	flag.Parse()
	dir, err := os.MkdirTemp("", "ogicheck-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "ogicheck")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/ogicheck").CombinedOutput(); err != nil {
		log.Fatalf("go build: %v\n%s", err, out)
	}
	b := &bench{dir: dir, bin: bin}
	switch flag.Arg(0) {
	case "rescan":
		err = b.rescan()
	case "workers":
		err = b.workers()
	case "rss":
		err = b.rss(flag.Arg(1))
	default:
		err = fmt.Errorf("want rescan, workers or rss N,N,…")
	}
	if err != nil {
		log.Fatal(err)
	}
}

type bench struct{ dir, bin string }

// internet starts n simulated sites and writes their sites file.
func (b *bench) internet(n int, latency time.Duration) (*simnet.Internet, string, error) {
	net, err := simnet.Start(simnet.Config{Seed: 1, Sites: n, Latency: latency, NoListSites: true})
	if err != nil {
		return nil, "", err
	}
	var ss []sitelist.Site
	for _, s := range net.Sites {
		ss = append(ss, sitelist.Site{Name: s.Agency, URL: s.Home, Level: s.Level})
	}
	var buf bytes.Buffer
	sitelist.WriteCSV(&buf, ss)
	list := filepath.Join(b.dir, fmt.Sprintf("sites-%d.csv", n))
	return net, list, os.WriteFile(list, buf.Bytes(), 0o644)
}

func (b *bench) scanArgs(db, list string, more ...string) []string {
	args := []string{"scan", "--db", db, "--now", "2026-12-01", "--delay", "0", "--parallel", strconv.Itoa(*parallel),
		"--log-format", "json", "--poll", "200ms"}
	return append(append(args, more...), list)
}

// run runs a command and returns its time.
func run(name string, args ...string) (time.Duration, []byte, error) {
	began := time.Now()
	out, err := exec.Command(name, args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok && (ee.ExitCode() == 1 || ee.ExitCode() == 3) {
		err = nil // findings, unreachable sites: a scan like any other
	}
	if err != nil {
		return 0, out, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, lastLines(out))
	}
	return time.Since(began), out, nil
}

func lastLines(b []byte) string {
	s := string(b)
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	return s
}

// rescan: later scans of an unchanged internet send conditional requests
// and are answered 304 Not Modified; with --revalidate-after the entries'
// pages and files revalidated within it are not requested at all.
func (b *bench) rescan() error {
	net, list, err := b.internet(*sites, 0)
	if err != nil {
		return err
	}
	defer net.Close()
	db := filepath.Join(b.dir, "rescan.db")
	runs := []struct {
		name string
		args []string
	}{
		{"first scan", nil},
		{"rescan", nil},
		{"rescan --revalidate-after 24h", []string{"--revalidate-after", "24h"}},
	}
	took := make([]time.Duration, len(runs))
	for i, r := range runs {
		if took[i], _, err = run(b.bin, b.scanArgs(db, list, r.args...)...); err != nil {
			return err
		}
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		return err
	}
	defer st.Close()
	scans, err := st.Scans(context.Background(), store.ScanFilter{})
	if err != nil {
		return err
	}
	if len(scans) != len(runs) {
		return fmt.Errorf("%d scans stored, want %d", len(scans), len(runs))
	}
	fmt.Printf("rescans of %d unchanged simulated sites (%d at once):\n", *sites, *parallel)
	first := scans[len(scans)-1]
	for i, r := range runs {
		sc := scans[len(scans)-1-i]
		fmt.Printf("  %-32s %8v %9d bytes %5d requests %4d pages %4d not modified", r.name, took[i].Round(time.Millisecond), sc.Bytes, sc.Requests, sc.Pages, sc.NotModified)
		if i > 0 {
			fmt.Printf("   bytes %s, time ratio %.1f×", bytesRatio(first.Bytes, sc.Bytes), float64(took[0])/float64(took[i]))
		}
		fmt.Println()
	}
	return nil
}

// bytesRatio is how many times fewer bytes b is than a.
func bytesRatio(a, b int64) string {
	if b == 0 {
		return "all saved"
	}
	return fmt.Sprintf("ratio %.1f×", float64(a)/float64(b))
}

// workers: the same scan by one process, then by the scan process and a
// worker, on an internet whose every response takes the latency.
func (b *bench) workers() error {
	if *pgURL == "" {
		return fmt.Errorf("the workers benchmark needs PostgreSQL: -postgres URL or OGICHECK_TEST_POSTGRES")
	}
	net, list, err := b.internet(*sites, *latency)
	if err != nil {
		return err
	}
	defer net.Close()
	var took [2]time.Duration
	for i := range took {
		db, drop, err := schema(*pgURL, i)
		if err != nil {
			return err
		}
		defer drop()
		var w *exec.Cmd
		if i == 1 {
			w = exec.Command(b.bin, "worker", "--db", db, "--parallel", strconv.Itoa(*parallel), "--poll", "200ms", "--log-format", "json")
			if err := w.Start(); err != nil {
				return err
			}
		}
		took[i], _, err = run(b.bin, b.scanArgs(db, list, "--no-cache")...)
		if err == nil && *again {
			took[i], _, err = run(b.bin, b.scanArgs(db, list, "--no-cache")...)
		}
		if w != nil {
			w.Process.Signal(os.Interrupt)
			w.Wait()
		}
		if err != nil {
			return err
		}
	}
	rate := func(d time.Duration) float64 { return float64(*sites) / d.Minutes() }
	which := "first scans"
	if *again {
		which = "second scans"
	}
	fmt.Printf("%d simulated sites, %v per response, %d sites at once per process, PostgreSQL store, %s:\n", *sites, *latency, *parallel, which)
	fmt.Printf("  scan alone:         %v, %.0f sites/min\n", took[0].Round(time.Millisecond), rate(took[0]))
	fmt.Printf("  scan and a worker:  %v, %.0f sites/min\n", took[1].Round(time.Millisecond), rate(took[1]))
	fmt.Printf("  ratio %.2f×\n", rate(took[1])/rate(took[0]))
	return nil
}

// schema makes a fresh schema of the database and returns its URL.
func schema(base string, i int) (string, func(), error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("ogicheck_bench_%d_%d", os.Getpid(), i)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", nil, err
	}
	drop := func() {
		if c, err := pgx.Connect(ctx, base); err == nil {
			c.Exec(ctx, "DROP SCHEMA "+name+" CASCADE")
			c.Close(ctx)
		}
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + name, drop, nil
}

var maxRSS = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)

// rss: the scan process's peak resident memory by number of sites.
func (b *bench) rss(counts string) error {
	if counts == "" {
		counts = "24,240,2400"
	}
	fmt.Printf("peak RSS of 'ogicheck scan' (%d sites at once, SQLite store), by number of simulated sites:\n", *parallel)
	var base float64
	for _, c := range strings.Split(counts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil {
			return fmt.Errorf("site count %q: %v", c, err)
		}
		net, list, err := b.internet(n, 0)
		if err != nil {
			return err
		}
		db := filepath.Join(b.dir, fmt.Sprintf("rss-%d.db", n))
		took, out, err := run("/usr/bin/time", append([]string{"-v", b.bin}, b.scanArgs(db, list, "--no-cache")...)...)
		net.Close()
		if err != nil {
			return err
		}
		m := maxRSS.FindSubmatch(out)
		if m == nil {
			return fmt.Errorf("no maximum RSS in the output of /usr/bin/time -v")
		}
		kb, _ := strconv.ParseFloat(string(m[1]), 64)
		mb := kb / 1024
		if base == 0 {
			base = mb
		}
		docs := countDocs(db)
		fmt.Printf("  %5d sites: %6.1f MB peak RSS (%.2f× the first), %d documents, %v\n", n, mb, mb/base, docs, took.Round(time.Second))
	}
	return nil
}

func countDocs(db string) int {
	d, err := sql.Open("sqlite", db)
	if err != nil {
		return -1
	}
	defer d.Close()
	var n int
	d.QueryRow(`SELECT count(*) FROM documents`).Scan(&n)
	return n
}
