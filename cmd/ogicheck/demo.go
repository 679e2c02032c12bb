package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/simnet"
	"github.com/ogicheck/ogicheck/internal/sitelist"
	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/result"
)

// faultNames map --faults words to the simulated internet's fault modes.
var faultNames = map[string]func(*simnet.Faults){
	"transient-5xx":  func(f *simnet.Faults) { f.Transient5xx = true },
	"permanent-5xx":  func(f *simnet.Faults) { f.Permanent5xx = true },
	"resets":         func(f *simnet.Faults) { f.Resets = true },
	"slow-bodies":    func(f *simnet.Faults) { f.SlowBodies = true },
	"timeouts":       func(f *simnet.Faults) { f.Timeouts = true },
	"redirect-loops": func(f *simnet.Faults) { f.RedirectLoops = true },
	"oversized":      func(f *simnet.Faults) { f.Oversized = true },
	"lying-charsets": func(f *simnet.Faults) { f.LyingCharsets = true },
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cm := newCommand("demo", "demo [flags]", "Starts simulated disclosure sites on 127.0.0.1 with planted defects, crawls and checks\nthem, and compares the findings with the planted ones.", stderr)
	var c checkFlags
	c.register(cm, false)
	c.format = "summary"
	cm.fs.Lookup("format").DefValue = "summary"
	seed := cm.fs.Int64("seed", 1, "seed of the simulated internet")
	sites := cm.fs.Int("sites", 24, "number of simulated agency sites")
	faults := cm.fs.String("faults", "", "fault modes to arm, comma-separated, or all: "+strings.Join(faultList(), ", "))
	delay := cm.fs.Duration("delay", 100*time.Millisecond, "pause between requests to one simulated host")
	scanList := cm.fs.Bool("scan", false, "write the simulated sites' list and scan it into a temporary store, as 'ogicheck scan' does")
	pos, err := cm.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("ogicheck demo: unexpected argument %q", pos[0])
	}
	if !reports.Supports(c.format) {
		return usagef("ogicheck demo: --format %q: want one of %s", c.format, strings.Join(reports.Formats(), ", "))
	}
	minSev, err := c.minSeverity()
	if err != nil {
		return usagef("ogicheck demo: %v", err)
	}
	var fm simnet.Faults
	for _, name := range strings.Split(*faults, ",") {
		switch name = strings.TrimSpace(name); name {
		case "":
		case "all":
			for _, set := range faultNames {
				set(&fm)
			}
		default:
			set, ok := faultNames[name]
			if !ok {
				return usagef("ogicheck demo: --faults: unknown mode %q (want %s or all)", name, strings.Join(faultList(), ", "))
			}
			set(&fm)
		}
	}
	if *sites < 1 || *sites > 500 {
		return usagef("ogicheck demo: --sites must be between 1 and 500")
	}
	opts, err := c.options()
	if err != nil {
		return usagef("ogicheck demo: %v", err)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	outs, err := openOutputs(c.outputs, c.format)
	if err != nil {
		return err
	}
	// Hanging resources must outlast the crawler's timeout to be failures.
	fm.TimeoutAfter = 30 * time.Second
	fm.OversizedBytes = 4 << 20
	net, err := simnet.Start(simnet.Config{Seed: *seed, Sites: *sites, Now: opts.Now, Faults: fm})
	if err != nil {
		closeOutputs(outs)
		return fmt.Errorf("start the simulated sites: %w", err)
	}
	defer net.Close()
	var homes []string
	for _, s := range net.Sites {
		homes = append(homes, s.Home)
	}
	if *scanList {
		closeOutputs(outs)
		return demoScan(ctx, net, *delay, opts.Now, &cm.common, stdout, stderr)
	}
	con := newConsole(stderr)
	log := con.logger(&cm.common)
	say := func(zh, en string, args ...any) { fmt.Fprintln(con, result.Msg(zh, en, args...).In(cm.lang)) }
	say("ogicheck demo：抓取 127.0.0.1 上的 %d 个模拟站点（遵守 robots.txt，同一主机的请求间隔 %v）…", "ogicheck demo: crawling %d simulated sites on 127.0.0.1 (robots.txt obeyed, %v between requests to a host)…", len(homes), *delay)
	start := time.Now()
	cfg := crawler.DefaultConfig()
	cfg.Delay, cfg.Timeout, cfg.BackoffBase, cfg.MaxBodySize, cfg.Parallel = *delay, 3*time.Second, 50*time.Millisecond, 2<<20, len(homes)
	cfg.Logf = debugLog(log)
	opts.Limits.MaxBytes = cfg.MaxBodySize
	res := crawl(ctx, homes, cfg, opts, con, log, cm.lang)
	res.Schema, res.Tool = result.Schema, "ogicheck "+version
	outcome := finish(res, outs, &c, &cm.common, minSev, stdout, log)
	sc := net.Score(res)
	if cfg.Render == crawler.RenderNever || crawler.FindBrowser(cfg.Browser) == "" {
		// the browser-only site's list is unreadable: so Unrendered says
		say("ogicheck demo：没有可用于渲染的 Chromium：只有浏览器才能读取的列表应报为无法读取", "ogicheck demo: no Chromium to render with: the list only a browser reads is expected unreadable")
		sc = net.ScoreUnrendered(res)
	}
	say("ogicheck demo：%d 个站点，%d 个文件，用时 %v。发现预置缺陷 %d 个，共 %d 个（召回率 %.0f%%）；非预置的问题 %d 个（精确率 %.0f%%）。",
		"ogicheck demo: %d sites, %d documents in %v. Planted defects found: %d of %d (recall %.0f%%); findings that were not planted: %d (precision %.0f%%).",
		len(res.Sites), len(res.Documents), time.Since(start).Round(100*time.Millisecond), sc.Found, sc.Expected, 100*sc.Recall(), len(sc.Unexpected), 100*sc.Precision())
	for _, m := range sc.Missing {
		say("  遗漏：%s", "  missed: %s", m)
	}
	for _, u := range sc.Unexpected {
		say("  非预置：%s", "  not planted: %s", u)
	}
	return outcome
}

func faultList() []string {
	return []string{"transient-5xx", "permanent-5xx", "resets", "slow-bodies", "timeouts", "redirect-loops", "oversized", "lying-charsets"}
}

// demoScan writes the simulated internet's sites file and scans it into a
// temporary store.
func demoScan(ctx context.Context, net *simnet.Internet, delay time.Duration, now time.Time, cm *common, stdout, stderr io.Writer) error {
	// The store is kept, so that the commands the scan's summary shows
	// (history, report, serve) can be tried on it.
	dir, err := os.MkdirTemp("", "ogicheck-demo-")
	if err != nil {
		return err
	}
	list := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(list, simSitesCSV(net), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(stderr, result.Msg("ogicheck demo：将 %d 个模拟站点（列于 %s）扫描到 %s（保留：用完后删除 %s）…",
		"ogicheck demo: scanning the %d simulated sites listed in %s into %s (kept: remove %s when done)…",
		len(net.Sites), list, filepath.Join(dir, "ogicheck.db"), dir).In(cm.lang))
	return runScan(ctx, []string{"--db", filepath.Join(dir, "ogicheck.db"), "--delay", delay.String(), "--timeout", "3s", "--max-body", "2MiB",
		"--parallel", strconv.Itoa(len(net.Sites)), "--now", now.Format("2006-01-02"), "--no-cache", "--lang", cm.lang, "--tz", cm.tz, list}, stdout, stderr)
}

// simSitesCSV is the simulated internet as a sites file.
func simSitesCSV(net *simnet.Internet) []byte {
	var sites []sitelist.Site
	for _, s := range net.Sites {
		sites = append(sites, sitelist.Site{Name: s.Agency, URL: s.Home, Level: s.Level, Region: "滨江市"})
	}
	var b bytes.Buffer
	sitelist.WriteCSV(&b, sites)
	return b.Bytes()
}
