// Command crawl benchmarks ogicheck's crawl against a bare colly collector
// and `wget -r` on the same simulated disclosure internet, in one run, and
// prints wall time, pages, bytes, pages/s, CPU and peak RSS of each, and the
// ratios. bench/crawl/run.sh builds the contenders and runs it.
//
//	crawl -ogicheck BIN -barecolly BIN [-sites 24] [-latency 20ms] [-delay 100ms] [-parallel 8] [-rounds 1]
//	crawl -serve [-sites 24] [-latency 20ms] [-list urls.json]
//	crawl -cpuprofile cpu.prof [-delay 1ns -ignore-robots]
//
// The simulated internet (internal/simnet) runs inside this process; every
// contender is a child process run under GNU time, which reports its CPU
// time and peak RSS (wget, one process per site, is also sampled from /proc
// while it runs, to add up the processes alive at once). Every contender gets the same
// politeness: one request at a time per site with -delay between them (a
// longer robots.txt Crawl-delay wins), -parallel sites at once. The bare
// colly collector gets the URL list the sites' column chain serves (home,
// 专栏, 年报 column, its list pages, entries, attachments), taken from
// simnet's own description of the sites; ogicheck and wget get only the
// home pages and discover the rest. The server's request log counts what
// each contender really asked for.
//
// With -serve it only starts the internet, prints the home URLs (and writes
// the URL list with -list) and serves until interrupted, for crawling it by
// hand. With -cpuprofile it runs ogicheck's crawl and check in this process
// under the CPU profiler instead of the contenders.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/internal/simnet"
	"github.com/ogicheck/ogicheck/reports"
)

// listSite is one site of the URL list given to the bare colly collector
// (the format bench/crawl/barecolly reads).
type listSite struct {
	Home         string   `json:"home"`
	CrawlDelayMS int      `json:"crawl_delay_ms"`
	URLs         []string `json:"urls"`
}

type config struct {
	seed              int64
	sites, parallel   int
	rounds            int
	latency, delay    time.Duration
	ogicheck, colly   string
	wget, only, tmp   string
	keep, serve       bool
	ignoreRobots      bool
	listSites         bool
	listOut           string
	cpuProfile        string
	ogicheckExtraArgs string
}

// measurement is one contender's run.
type measurement struct {
	name     string
	wall     time.Duration // process start to exit (all processes, for wget)
	crawl    time.Duration // process start to the last request the server saw
	served   int           // requests the server logged, robots.txt included
	floor    time.Duration // politeness floor for the requests the server logged
	pages    int           // HTTP answers by the tool's own count
	bytes    int64         // body bytes by the tool's own count
	cpu      time.Duration // user + system of the process(es)
	rssKB    int64         // peak RSS; for wget the peak of the sum over its live processes
	rssOneKB int64         // wget: the largest single process
	note     string
}

func (m measurement) pagesPerSec() float64 {
	if m.wall <= 0 {
		return 0
	}
	return float64(m.pages) / m.wall.Seconds()
}

func main() {
	var c config
	flag.Int64Var(&c.seed, "seed", 1, "seed of the simulated internet")
	flag.IntVar(&c.sites, "sites", 24, "number of simulated sites")
	flag.DurationVar(&c.latency, "latency", 20*time.Millisecond, "latency the server adds to every response")
	flag.DurationVar(&c.delay, "delay", 100*time.Millisecond, "pause between requests to one site, for every contender")
	flag.IntVar(&c.parallel, "parallel", 8, "sites crawled at once, for every contender")
	flag.IntVar(&c.rounds, "rounds", 1, "rounds; contenders alternate within a round and the median wall time is reported")
	flag.StringVar(&c.ogicheck, "ogicheck", "", "ogicheck binary")
	flag.StringVar(&c.colly, "barecolly", "", "bench/crawl/barecolly binary")
	flag.StringVar(&c.wget, "wget", "wget", "wget binary")
	flag.StringVar(&c.only, "only", "ogicheck,colly,wget", "contenders to run, comma-separated")
	flag.StringVar(&c.tmp, "tmp", "", "work directory (default: a new temporary directory)")
	flag.BoolVar(&c.keep, "keep", false, "keep the work directory (outputs, wget logs and files)")
	flag.BoolVar(&c.serve, "serve", false, "only serve the internet and print its home URLs until interrupted")
	flag.StringVar(&c.listOut, "list", "", "with -serve: write the URL list (JSON, barecolly's format) to this file")
	flag.BoolVar(&c.ignoreRobots, "ignore-robots", false, "every contender ignores robots.txt (and so its Crawl-delay): measures the crawlers, not the politeness")
	flag.BoolVar(&c.listSites, "list-sites", false, "add simnet's sites of script-built lists (which colly and wget cannot read) to the static ones")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "instead of the contenders, run ogicheck's crawl and check in this process and write a CPU profile here")
	flag.StringVar(&c.ogicheckExtraArgs, "ogicheck-args", "", "extra arguments for ogicheck check, space-separated")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "crawl:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if c.sites < 1 || c.parallel < 1 || c.rounds < 1 || c.latency < 0 {
		return errors.New("-sites, -parallel and -rounds must be positive, -latency not negative")
	}
	if c.delay <= 0 {
		// ogicheck reads --delay 0 as its default of 1 s.
		return errors.New("-delay must be positive; use 1ns for no delay")
	}
	n, err := simnet.Start(simnet.Config{Seed: c.seed, Sites: c.sites, Latency: c.latency, NoListSites: !c.listSites})
	if err != nil {
		return fmt.Errorf("start simulated internet: %w", err)
	}
	defer n.Close()
	list := urlList(n)
	if c.ignoreRobots {
		for i := range list {
			list[i].CrawlDelayMS = 0 // robots.txt is not read, nor its Crawl-delay
		}
	}
	if c.serve {
		return serve(n, list, c.listOut)
	}
	if c.cpuProfile != "" {
		return profile(n, c)
	}

	dir := c.tmp
	if dir == "" {
		if dir, err = os.MkdirTemp("", "ogicheck-crawl-bench-"); err != nil {
			return fmt.Errorf("work directory: %w", err)
		}
		if !c.keep {
			defer os.RemoveAll(dir)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("work directory %s: %w", dir, err)
	}
	listPath := filepath.Join(dir, "urls.json")
	if err := writeList(listPath, list); err != nil {
		return err
	}

	nurls := 0
	for _, s := range list {
		nurls += len(s.URLs)
	}
	fmt.Printf("simulated internet: %d sites (seed %d), latency %v per response; URL list: %d URLs (+%d robots.txt)\n",
		len(n.Sites), c.seed, c.latency, nurls, len(list))
	if c.ignoreRobots {
		fmt.Printf("politeness for every contender: %v between requests to a site, robots.txt ignored, %d sites at once\n",
			c.delay, c.parallel)
	} else {
		fmt.Printf("politeness for every contender: %v between requests to a site (robots.txt Crawl-delay wins: %s), %d sites at once\n",
			c.delay, crawlDelays(list), c.parallel)
	}
	fmt.Printf("politeness floor for the URL list: %.2f s (requests × (latency + delay) per site, sites scheduled in order on %d workers)\n\n",
		floor(list, nil, c.latency, c.delay, c.parallel).Seconds(), c.parallel)

	type contender struct {
		name string
		run  func(round int) (measurement, error)
	}
	var all []contender
	for _, name := range strings.Split(c.only, ",") {
		switch name = strings.TrimSpace(name); name {
		case "ogicheck":
			if c.ogicheck == "" {
				return errors.New("-ogicheck: the ogicheck binary is needed")
			}
			all = append(all, contender{name, func(r int) (measurement, error) { return runOgicheck(n, c, list, dir, r) }})
		case "colly":
			if c.colly == "" {
				return errors.New("-barecolly: the barecolly binary is needed")
			}
			all = append(all, contender{name, func(r int) (measurement, error) { return runColly(n, c, list, dir, r) }})
		case "wget":
			all = append(all, contender{name, func(r int) (measurement, error) { return runWget(n, c, list, dir, r) }})
		case "":
		default:
			return fmt.Errorf("-only: unknown contender %q (want ogicheck, colly, wget)", name)
		}
	}
	runs := map[string][]measurement{}
	for r := range c.rounds {
		// Rotate the order so that no contender always goes first.
		for i := range all {
			ct := all[(i+r)%len(all)]
			m, err := ct.run(r)
			if err != nil {
				return fmt.Errorf("%s: %w", ct.name, err)
			}
			fmt.Fprintf(os.Stderr, "round %d: %-8s %6.2f s wall, %4d requests served\n", r+1, ct.name, m.wall.Seconds(), m.served)
			runs[ct.name] = append(runs[ct.name], m)
		}
	}
	var results []measurement
	for _, ct := range all {
		results = append(results, median(runs[ct.name]))
	}
	printTable(results, c.rounds)
	return nil
}

// urlList is what the sites' column chain serves, from simnet's own
// description: home, 专栏, column, list pages, entries and attachments.
func urlList(n *simnet.Internet) []listSite {
	out := make([]listSite, 0, len(n.Sites))
	for _, s := range n.Sites {
		seen := map[string]bool{}
		ls := listSite{Home: s.Home, CrawlDelayMS: int(math.Round(s.CrawlDelay * 1000))}
		add := func(u string) {
			if u != "" && !seen[u] {
				seen[u] = true
				ls.URLs = append(ls.URLs, u)
			}
		}
		add(s.Home)
		add(s.Zhuanlan)
		add(s.Column)
		for _, p := range s.ListPages {
			add(p)
		}
		for _, e := range s.Entries {
			add(e.URL)
			for _, a := range e.Attachments {
				add(a)
			}
		}
		out = append(out, ls)
	}
	return out
}

func writeList(path string, list []listSite) error {
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return fmt.Errorf("encode URL list: %w", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write URL list: %w", err)
	}
	return nil
}

func crawlDelays(list []listSite) string {
	count := map[int]int{}
	for _, s := range list {
		if s.CrawlDelayMS > 0 {
			count[s.CrawlDelayMS]++
		}
	}
	if len(count) == 0 {
		return "none set"
	}
	var keys []int
	for k := range count {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d sites %v", count[k], time.Duration(k)*time.Millisecond))
	}
	return strings.Join(parts, ", ")
}

// siteDelay is the politeness delay of one site: -delay or the site's
// robots.txt Crawl-delay, whichever is longer.
func siteDelay(s listSite, delay time.Duration) time.Duration {
	return max(delay, time.Duration(s.CrawlDelayMS)*time.Millisecond)
}

// floor is the shortest wall time a polite crawl of the list can take:
// each site's requests (robots.txt included) one after the other, each
// costing the latency, with the delay between them; sites taken in order
// by parallel workers, as all three contenders do.
// With reqs, the requests each site really got replace the list's.
func floor(list []listSite, reqs []int, latency, delay time.Duration, parallel int) time.Duration {
	free := make([]time.Duration, parallel)
	for i, s := range list {
		r := time.Duration(len(s.URLs) + 1)
		if reqs != nil {
			r = time.Duration(reqs[i])
		}
		if r == 0 {
			continue
		}
		t := r*latency + (r-1)*siteDelay(s, delay)
		w := slices.Index(free, slices.Min(free))
		free[w] += t
	}
	return slices.Max(free)
}

func serve(n *simnet.Internet, list []listSite, listOut string) error {
	if listOut != "" {
		if err := writeList(listOut, list); err != nil {
			return err
		}
	}
	for _, s := range list {
		fmt.Println(s.Home)
	}
	fmt.Fprintf(os.Stderr, "serving %d sites; interrupt to stop\n", len(list))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	total := 0
	for _, s := range n.Sites {
		total += len(s.Requests())
	}
	fmt.Fprintf(os.Stderr, "served %d requests\n", total)
	return nil
}

// profile runs what `ogicheck check --format json` runs on the sites, in
// this process, under the CPU profiler, and prints when the crawl's last
// request arrived, when the result was ready and when the report was
// written. `go tool pprof -top -cum` on the profile splits the time.
func profile(n *simnet.Internet, c config) error {
	f, err := os.Create(c.cpuProfile)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	defer f.Close()
	cfg := crawler.DefaultConfig()
	cfg.Delay, cfg.Parallel, cfg.IgnoreRobots = c.delay, c.parallel, c.ignoreRobots
	var opts scan.Options
	opts.Now = n.Config.Now
	if err := pprof.StartCPUProfile(f); err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	w := watch(n)
	began := time.Now()
	res := scan.Collect(context.Background(), homes(n), cfg, opts)
	checked := time.Since(began)
	err = reports.Write(io.Discard, res, reports.Options{Format: "json", Lang: "en"})
	written := time.Since(began)
	pprof.StopCPUProfile()
	reqs, last := w.end()
	if err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	fmt.Printf("in-process ogicheck: %d requests; last request at %.2f s, crawl and check done at %.2f s, JSON written at %.2f s\n",
		total(reqs), last.Sub(began).Seconds(), checked.Seconds(), written.Seconds())
	fmt.Printf("CPU profile in %s: go tool pprof -top -cum %s\n", c.cpuProfile, c.cpuProfile)
	return nil
}

// watcher follows the server's request log during one contender's run.
type watcher struct {
	n      *simnet.Internet
	before []int // each site's log length at the start
	start  int
	stop   chan struct{}
	done   chan struct{}
	last   time.Time // when the log last grew
}

func watch(n *simnet.Internet) *watcher {
	w := &watcher{n: n, before: logs(n), start: served(n), stop: make(chan struct{}), done: make(chan struct{}), last: time.Now()}
	go func() {
		defer close(w.done)
		prev := w.start
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case now := <-t.C:
				if cur := served(n); cur != prev {
					prev, w.last = cur, now
				}
			}
		}
	}()
	return w
}

// end returns the requests served since watch, per site, and when the
// last one arrived.
func (w *watcher) end() ([]int, time.Time) {
	close(w.stop)
	<-w.done
	per := logs(w.n)
	for i := range per {
		per[i] -= w.before[i]
	}
	return per, w.last
}

func total(per []int) int {
	t := 0
	for _, k := range per {
		t += k
	}
	return t
}

func served(n *simnet.Internet) int {
	total := 0
	for _, s := range n.Sites {
		total += len(s.Requests())
	}
	return total
}

// proc is a finished child process.
type proc struct {
	wall  time.Duration
	cpu   time.Duration
	rssKB int64
}

// timeBin measures every child: the kernel's rusage of a child started by
// this process would count this process's own memory (a vfork-style
// clone shares it until exec), so the peak RSS is taken by GNU time, whose
// fork starts from a small process.
const timeBin = "/usr/bin/time"

// timed wraps name and args in GNU time writing to statsFile.
func timed(statsFile, name string, args ...string) *exec.Cmd {
	return exec.Command(timeBin, append([]string{"-f", "%M %U %S", "-o", statsFile, name}, args...)...)
}

// readStats reads what GNU time wrote: peak RSS in kB, user and system
// seconds (on the last line; a line before it reports a non-zero exit).
func readStats(statsFile string) (rssKB int64, cpu time.Duration, err error) {
	b, err := os.ReadFile(statsFile)
	if err != nil {
		return 0, 0, fmt.Errorf("read %s output: %w", timeBin, err)
	}
	f := strings.Fields(lastLines(string(b), 1))
	if len(f) != 3 {
		return 0, 0, fmt.Errorf("%s: unexpected %s output %q", statsFile, timeBin, b)
	}
	rssKB, err1 := strconv.ParseInt(f[0], 10, 64)
	user, err2 := strconv.ParseFloat(f[1], 64)
	sys, err3 := strconv.ParseFloat(f[2], 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, 0, fmt.Errorf("%s: %s output %q: %w", statsFile, timeBin, b, err)
	}
	return rssKB, time.Duration((user + sys) * float64(time.Second)), nil
}

// runProc runs a command made by timed and returns its wall time, CPU
// time and peak RSS.
func runProc(cmd *exec.Cmd, statsFile string) (proc, error) {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	began := time.Now()
	err := cmd.Run()
	p := proc{wall: time.Since(began)}
	if err != nil {
		return p, fmt.Errorf("%s: %w: %s", strings.Join(cmd.Args[:min(len(cmd.Args), 6)], " "), err,
			strings.TrimSpace(lastLines(stderr.String(), 5)))
	}
	rss, cpu, err := readStats(statsFile)
	if err != nil {
		return p, err
	}
	p.rssKB, p.cpu = rss, cpu
	return p, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func homes(n *simnet.Internet) []string {
	var out []string
	for _, s := range n.Sites {
		out = append(out, s.Home)
	}
	return out
}

// ogicheckResult is the part of ogicheck's JSON output read here.
type ogicheckResult struct {
	Documents []json.RawMessage `json:"documents"`
	Sites     []struct {
		Pages    int    `json:"pages"`
		Requests int    `json:"requests"`
		Bytes    int64  `json:"bytes"`
		Duration string `json:"duration"`
		Findings []any  `json:"findings"`
	} `json:"sites"`
}

func runOgicheck(n *simnet.Internet, c config, list []listSite, dir string, round int) (measurement, error) {
	out := filepath.Join(dir, fmt.Sprintf("ogicheck-%d.json", round))
	args := []string{"check", "--format", "json", "-o", out, "--no-cache", "--fail-on", "none", "--lang", "en",
		"--now", n.Config.Now.Format("2006-01-02"),
		"--delay", c.delay.String(), "--parallel", strconv.Itoa(c.parallel)}
	if c.ignoreRobots {
		args = append(args, "--ignore-robots")
	}
	args = append(args, strings.Fields(c.ogicheckExtraArgs)...)
	args = append(args, homes(n)...)
	w := watch(n)
	began := time.Now()
	stats := filepath.Join(dir, fmt.Sprintf("ogicheck-%d.time", round))
	p, err := runProc(timed(stats, c.ogicheck, args...), stats)
	reqs, last := w.end()
	if err != nil {
		return measurement{}, err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return measurement{}, fmt.Errorf("read ogicheck output: %w", err)
	}
	var res ogicheckResult
	if err := json.Unmarshal(b, &res); err != nil {
		return measurement{}, fmt.Errorf("ogicheck output %s: %w", out, err)
	}
	m := measurement{name: "ogicheck", wall: p.wall, crawl: last.Sub(began), served: total(reqs), floor: floor(list, reqs, c.latency, c.delay, c.parallel), cpu: p.cpu, rssKB: p.rssKB}
	findings := 0
	var slowest time.Duration
	for _, s := range res.Sites {
		m.pages += s.Pages
		m.bytes += s.Bytes
		findings += len(s.Findings)
		if d, err := time.ParseDuration(s.Duration); err == nil {
			slowest = max(slowest, d)
		}
	}
	m.note = fmt.Sprintf("%d documents checked, %d site findings; slowest site %.2f s; %s",
		len(res.Documents), findings, slowest.Seconds(), compareWithList(n, list, w.before, filepath.Join(dir, fmt.Sprintf("ogicheck-%d-vs-list.txt", round))))
	return m, nil
}

// logs snapshots the length of every site's request log.
func logs(n *simnet.Internet) []int {
	out := make([]int, len(n.Sites))
	for i, s := range n.Sites {
		out[i] = len(s.Requests())
	}
	return out
}

// compareWithList says how the URLs a contender requested since before
// differ from the URL list the bare colly collector gets, and writes both
// differences to file.
func compareWithList(n *simnet.Internet, list []listSite, before []int, file string) string {
	var extra, missing []string
	for i, s := range n.Sites {
		got := map[string]bool{}
		for _, uri := range s.Requests()[before[i]:] {
			if uri == "/robots.txt" {
				continue
			}
			got[uri] = true
		}
		want := map[string]bool{}
		for _, u := range list[i].URLs {
			want[strings.TrimPrefix(u, strings.TrimSuffix(s.Home, "/"))] = true
		}
		for u := range got {
			if !want[u] {
				extra = append(extra, s.Host+u)
			}
		}
		for u := range want {
			if !got[u] {
				missing = append(missing, s.Host+u)
			}
		}
	}
	slices.Sort(extra)
	slices.Sort(missing)
	note := fmt.Sprintf("requested beyond the URL list:\n%s\nin the URL list, not requested:\n%s\n",
		strings.Join(extra, "\n"), strings.Join(missing, "\n"))
	_ = os.WriteFile(file, []byte(note), 0o644) // a detail for -keep; the counts are printed
	return fmt.Sprintf("vs the URL list: %d URLs beyond it%s, %d of it not requested%s",
		len(extra), sample(extra), len(missing), sample(missing))
}

func sample(s []string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > 4 {
		return " (" + strings.Join(s[:4], " ") + " …)"
	}
	return " (" + strings.Join(s, " ") + ")"
}

// collyResult is barecolly's summary.
type collyResult struct {
	Responses int   `json:"responses"`
	Requests  int   `json:"requests"`
	Bytes     int64 `json:"bytes"`
	Errors    int   `json:"errors"`
}

func runColly(n *simnet.Internet, c config, list []listSite, dir string, round int) (measurement, error) {
	var stdout bytes.Buffer
	stats := filepath.Join(dir, fmt.Sprintf("colly-%d.time", round))
	args := []string{"-list", filepath.Join(dir, "urls.json"), "-delay", c.delay.String(), "-parallel", strconv.Itoa(c.parallel)}
	if c.ignoreRobots {
		args = append(args, "-ignore-robots")
	}
	cmd := timed(stats, c.colly, args...)
	cmd.Stdout = &stdout
	w := watch(n)
	began := time.Now()
	p, err := runProc(cmd, stats)
	reqs, last := w.end()
	if err != nil {
		return measurement{}, err
	}
	var res collyResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return measurement{}, fmt.Errorf("barecolly output %q: %w", stdout.String(), err)
	}
	return measurement{name: "bare colly", wall: p.wall, crawl: last.Sub(began), served: total(reqs), floor: floor(list, reqs, c.latency, c.delay, c.parallel), pages: res.Responses,
		bytes: res.Bytes, cpu: p.cpu, rssKB: p.rssKB,
		note: fmt.Sprintf("%d requests, %d non-2xx or failed", res.Requests, res.Errors)}, nil
}

var (
	downloadedRe = regexp.MustCompile(`Downloaded: (\d+) files`)
	errorRe      = regexp.MustCompile(`(?m)ERROR (\d{3}):`)
)

// runWget runs one `wget -r` per site, -parallel at once, each with the
// site's delay as --wait. Each wget is a separate process: their peak RSS
// is sampled together from /proc, so that it compares with one process
// crawling -parallel sites at once.
func runWget(n *simnet.Internet, c config, list []listSite, dir string, round int) (measurement, error) {
	base := filepath.Join(dir, fmt.Sprintf("wget-%d", round))
	if err := os.MkdirAll(base, 0o755); err != nil {
		return measurement{}, fmt.Errorf("wget directory: %w", err)
	}
	var (
		mu       sync.Mutex
		procs    []proc
		firstErr error
		live     = map[int]bool{}
	)
	sampleStop := make(chan struct{})
	sampleDone := make(chan struct{})
	var peakSum int64
	go func() {
		defer close(sampleDone)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-sampleStop:
				return
			case <-t.C:
				mu.Lock()
				pids := make([]int, 0, len(live))
				for p := range live {
					pids = append(pids, p)
				}
				mu.Unlock()
				var sum int64
				for _, p := range pids {
					sum += childrenRSS(p) // wget, not GNU time around it
				}
				peakSum = max(peakSum, sum)
			}
		}
	}()
	w := watch(n)
	began := time.Now()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(c.parallel, len(list)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				s := list[i]
				wait := siteDelay(s, c.delay)
				robots := "robots=on"
				if c.ignoreRobots {
					robots = "robots=off"
				}
				stats := filepath.Join(base, fmt.Sprintf("site%02d.time", i))
				cmd := timed(stats, c.wget, "-r", "-l", "inf", "-np", "-e", robots,
					"--wait="+strconv.FormatFloat(wait.Seconds(), 'f', 3, 64), "--tries=4", "--timeout=30",
					"-nv", "-o", filepath.Join(base, fmt.Sprintf("site%02d.log", i)),
					"-P", filepath.Join(base, fmt.Sprintf("site%02d", i)), s.Home)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					mu.Lock()
					firstErr = cmp(firstErr, fmt.Errorf("start %s: %w", timeBin, err))
					mu.Unlock()
					continue
				}
				pid := cmd.Process.Pid
				mu.Lock()
				live[pid] = true
				mu.Unlock()
				err := cmd.Wait()
				mu.Lock()
				delete(live, pid)
				// wget exits 8 when a server answered an error (the
				// sites' planted 404s): that is a finished crawl.
				var ee *exec.ExitError
				if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 8) {
					firstErr = cmp(firstErr, fmt.Errorf("wget %s: %w: %s", s.Home, err, strings.TrimSpace(stderr.String())))
				} else if rss, cpu, err := readStats(stats); err != nil {
					firstErr = cmp(firstErr, err)
				} else {
					procs = append(procs, proc{cpu: cpu, rssKB: rss})
				}
				mu.Unlock()
			}
		}()
	}
	for i := range list {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	wall := time.Since(began)
	close(sampleStop)
	<-sampleDone
	reqs, last := w.end()
	if firstErr != nil {
		return measurement{}, firstErr
	}
	m := measurement{name: "wget -r", wall: wall, crawl: last.Sub(began), served: total(reqs), floor: floor(list, reqs, c.latency, c.delay, c.parallel), rssKB: peakSum}
	for _, p := range procs {
		m.cpu += p.cpu
		m.rssOneKB = max(m.rssOneKB, p.rssKB)
	}
	m.rssKB = max(m.rssKB, m.rssOneKB)
	downloaded, errs := 0, 0
	for i := range list {
		b, err := os.ReadFile(filepath.Join(base, fmt.Sprintf("site%02d.log", i)))
		if err != nil {
			return measurement{}, fmt.Errorf("wget log: %w", err)
		}
		if sm := downloadedRe.FindSubmatch(b); sm != nil {
			k, _ := strconv.Atoi(string(sm[1]))
			downloaded += k
		}
		errs += len(errorRe.FindAll(b, -1))
	}
	files, size, err := dirSize(base)
	if err != nil {
		return measurement{}, err
	}
	m.pages = downloaded + errs
	m.bytes = size
	m.note = fmt.Sprintf("%d processes; %d files downloaded (%d on disk) + %d error answers; largest process %.1f MiB",
		len(procs), downloaded, files, errs, float64(m.rssOneKB)/1024)
	return m, nil
}

func cmp(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// childrenRSS is the resident set size of pid's children in kB.
func childrenRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return 0
	}
	var sum int64
	for _, f := range strings.Fields(string(b)) {
		if child, err := strconv.Atoi(f); err == nil {
			sum += vmRSS(child)
		}
	}
	return sum
}

// vmRSS reads a live process's resident set size in kB, 0 when gone.
func vmRSS(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			k, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return k
		}
	}
	return 0
}

func dirSize(root string) (files int, size int64, err error) {
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.HasSuffix(path, ".log") {
			info, err := d.Info()
			if err != nil {
				return err
			}
			files++
			size += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("wget files in %s: %w", root, err)
	}
	return files, size, nil
}

// median returns the run with the median wall time.
func median(ms []measurement) measurement {
	s := slices.Clone(ms)
	slices.SortFunc(s, func(a, b measurement) int { return int(a.wall - b.wall) })
	return s[(len(s)-1)/2]
}

func printTable(ms []measurement, rounds int) {
	if rounds > 1 {
		fmt.Printf("median of %d rounds (by wall time)\n", rounds)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "contender\twall s\tcrawl s\tfloor s\tserved\tpages\tMiB\tpages/s\tCPU s\tpeak RSS MiB\t")
	for _, m := range ms {
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%d\t%d\t%.2f\t%.1f\t%.2f\t%.1f\t\n", m.name, m.wall.Seconds(), m.crawl.Seconds(),
			m.floor.Seconds(), m.served, m.pages, float64(m.bytes)/(1<<20), m.pagesPerSec(), m.cpu.Seconds(), float64(m.rssKB)/1024)
	}
	tw.Flush()
	fmt.Println()
	for _, m := range ms {
		fmt.Printf("%s: %s\n", m.name, m.note)
	}
	by := map[string]measurement{}
	for _, m := range ms {
		by[m.name] = m
	}
	og, ok := by["ogicheck"]
	if !ok {
		return
	}
	fmt.Println()
	if bc, ok := by["bare colly"]; ok && bc.pagesPerSec() > 0 {
		crawlRate := func(m measurement) float64 { return float64(m.pages) / m.crawl.Seconds() }
		fmt.Printf("ogicheck ÷ bare colly: pages/s %.2f× (goal ≥ 0.80; crawl phase only %.2f×), wall time %.2f×, crawl time %.2f×, peak RSS %.2f×\n",
			og.pagesPerSec()/bc.pagesPerSec(), crawlRate(og)/crawlRate(bc), og.wall.Seconds()/bc.wall.Seconds(),
			og.crawl.Seconds()/bc.crawl.Seconds(), float64(og.rssKB)/float64(bc.rssKB))
	}
	if wg, ok := by["wget -r"]; ok && wg.pagesPerSec() > 0 {
		fmt.Printf("ogicheck ÷ wget -r:    pages/s %.2f×, wall time %.2f× (goal < 1), peak RSS %.2f× (wget: all live processes)\n",
			og.pagesPerSec()/wg.pagesPerSec(), og.wall.Seconds()/wg.wall.Seconds(), float64(og.rssKB)/float64(wg.rssKB))
	}
}
