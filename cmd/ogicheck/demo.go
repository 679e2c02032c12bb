package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/internal/simnet"
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

func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c checkFlags
	c.register(fs, false)
	c.format = "summary"
	fs.Lookup("format").DefValue = "summary"
	seed := fs.Int64("seed", 1, "seed of the simulated internet")
	sites := fs.Int("sites", 24, "number of simulated agency sites")
	faults := fs.String("faults", "", "fault modes to arm, comma-separated, or all: "+strings.Join(faultList(), ", "))
	delay := fs.Duration("delay", 100*time.Millisecond, "pause between requests to one simulated host")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ogicheck demo [flags]\n\nStarts simulated disclosure sites on 127.0.0.1 with planted defects, crawls and checks\nthem, and compares the findings with the planted ones.")
		fs.PrintDefaults()
	}
	if _, err := parseInterleaved(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if err := c.validateOutput(); err != nil {
		fmt.Fprintln(stderr, "ogicheck demo:", err)
		return exitUsage
	}
	rank, err := failOn(c.failOn)
	if err != nil {
		fmt.Fprintln(stderr, "ogicheck demo:", err)
		return exitUsage
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
				fmt.Fprintf(stderr, "ogicheck demo: --faults: unknown mode %q (want %s or all)\n", name, strings.Join(faultList(), ", "))
				return exitUsage
			}
			set(&fm)
		}
	}
	if *sites < 1 || *sites > 500 {
		fmt.Fprintln(stderr, "ogicheck demo: --sites must be between 1 and 500")
		return exitUsage
	}
	opts, err := c.options()
	if err != nil {
		fmt.Fprintln(stderr, "ogicheck demo:", err)
		return exitUsage
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	// Hanging resources must outlast the crawler's timeout to be failures.
	fm.TimeoutAfter = 30 * time.Second
	fm.OversizedBytes = 4 << 20
	net, err := simnet.Start(simnet.Config{Seed: *seed, Sites: *sites, Now: opts.Now, Faults: fm})
	if err != nil {
		fmt.Fprintln(stderr, "ogicheck demo: start the simulated sites:", err)
		return exitUsage
	}
	defer net.Close()
	var homes []string
	for _, s := range net.Sites {
		homes = append(homes, s.Home)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(stderr, "ogicheck demo: crawling %d simulated sites on 127.0.0.1 (robots.txt obeyed, %v between requests to a host)…\n", len(homes), *delay)
	start := time.Now()
	cfg := crawler.Config{Delay: *delay, Timeout: 3 * time.Second, BackoffBase: 50 * time.Millisecond, MaxBodySize: 2 << 20, Parallel: len(homes)}
	opts.Limits.MaxBytes = cfg.MaxBodySize
	res := scan.Sites(ctx, homes, cfg, opts)
	code := emit(res, c, rank, stdout, stderr)
	sc := net.Score(res)
	fmt.Fprintf(stderr, "ogicheck demo: %d sites, %d documents in %v. Planted defects found: %d of %d (recall %.0f%%); findings that were not planted: %d (precision %.0f%%).\n",
		len(res.Sites), len(res.Documents), time.Since(start).Round(100*time.Millisecond), sc.Found, sc.Expected, 100*sc.Recall(), len(sc.Unexpected), 100*sc.Precision())
	for _, m := range sc.Missing {
		fmt.Fprintln(stderr, "  missed:", m)
	}
	for _, u := range sc.Unexpected {
		fmt.Fprintln(stderr, "  not planted:", u)
	}
	return code
}

func faultList() []string {
	return []string{"transient-5xx", "permanent-5xx", "resets", "slow-bodies", "timeouts", "redirect-loops", "oversized", "lying-charsets"}
}
