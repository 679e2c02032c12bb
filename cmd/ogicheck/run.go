package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/result"
	"github.com/ogicheck/ogicheck/rules"
)

// version is set by the build (-ldflags "-X main.version=…").
var version = "dev"

// Exit statuses.
const (
	exitOK       = 0 // no finding at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage error or unreadable input
)

// stdin is replaced in tests.
var stdin io.Reader = os.Stdin

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "demo":
		return runDemo(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "ogicheck", version)
		return exitOK
	case "help", "-h", "--help", "-help":
		usage(stdout)
		return exitOK
	}
	fmt.Fprintf(stderr, "ogicheck: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `ogicheck checks 政府信息公开工作年度报告 (annual disclosure reports) and their sites.

Usage:
  ogicheck check [flags] FILE|DIR|-|URL ...   check report files, or crawl sites and check their reports
  ogicheck demo [flags]                       crawl simulated disclosure sites on 127.0.0.1 and check them
  ogicheck rules [--lang zh|en]               list the rules
  ogicheck rules explain RULE-ID              explain a rule: doc, legal basis, examples
  ogicheck version

Run 'ogicheck check -h' for the flags. Exit status: 0 no finding at or above
--fail-on, 1 findings, 2 usage error or unreadable input.
`)
}

// defaultLang follows the locale: Chinese when it says zh, else English.
func defaultLang() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "zh") {
				return "zh"
			}
			return "en"
		}
	}
	return "en"
}

// parseInterleaved parses flags wherever they appear among the arguments,
// so that "check a.html --format json" works like "check --format json a.html".
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

type checkFlags struct {
	format, lang, failOn, output string
	level, published, years      string
	year                         int
	deptDeadline, govDeadline    string
	townDeadline                 string
	only, skip                   string
	color                        bool
	// crawling
	delay, timeout     time.Duration
	maxPages, retries  int
	parallel           int
	maxBody            int64
	ignoreRobots       bool
	cacheDir           string
	noCache            bool
	userAgent, nowFlag string
	verbose            bool
}

func (c *checkFlags) register(fs *flag.FlagSet, crawl bool) {
	fs.StringVar(&c.format, "format", "table", "output format: "+strings.Join(reports.Formats(), ", "))
	fs.StringVar(&c.lang, "lang", defaultLang(), "language of findings and reports: zh or en (default from the locale)")
	fs.StringVar(&c.failOn, "fail-on", "error", "exit 1 when a finding is at least this severe: error, warning, info or none")
	fs.StringVar(&c.output, "o", "", "write the report to this file instead of standard output")
	fs.StringVar(&c.level, "agency-level", "", "agency level when the name does not tell: department, government or township")
	fs.StringVar(&c.published, "published", "", "publication date YYYY-MM-DD, overriding the page")
	fs.IntVar(&c.year, "year", 0, "report year, overriding the title")
	fs.StringVar(&c.deptDeadline, "department-deadline", "", "local deadline for department reports, MM-DD (statutory 01-31; only earlier)")
	fs.StringVar(&c.govDeadline, "government-deadline", "", "local deadline for government reports, MM-DD (statutory 03-31; only earlier)")
	fs.StringVar(&c.townDeadline, "township-deadline", "", "deadline for township and street-office reports, MM-DD (default 03-31)")
	fs.StringVar(&c.only, "rules", "", "run only these rules (comma-separated IDs)")
	fs.StringVar(&c.skip, "skip", "", "skip these rules (comma-separated IDs)")
	fs.BoolVar(&c.color, "color", false, "colour severities in the table format")
	fs.StringVar(&c.nowFlag, "now", "", "reference date YYYY-MM-DD for deadlines that have passed (default today)")
	if !crawl {
		return
	}
	fs.StringVar(&c.years, "years", "", "years that must have a report, e.g. 2019-2025 (default: first year found to the last one due)")
	fs.DurationVar(&c.delay, "delay", crawler.DefaultDelay, "pause between requests to one host (robots.txt Crawl-delay wins when longer)")
	fs.DurationVar(&c.timeout, "timeout", crawler.DefaultTimeout, "timeout of one request")
	fs.IntVar(&c.maxPages, "max-pages", crawler.DefaultMaxPages, "most pages fetched per site")
	fs.IntVar(&c.retries, "retries", crawler.DefaultRetries, "retries of transient failures (timeouts, resets, 5xx)")
	fs.IntVar(&c.parallel, "parallel", crawler.DefaultParallel, "sites crawled at once")
	fs.Int64Var(&c.maxBody, "max-body", crawler.DefaultMaxBodySize, "largest page or file read, in bytes; larger ones are reported")
	fs.BoolVar(&c.ignoreRobots, "ignore-robots", false, "do not obey robots.txt (only for sites you are responsible for)")
	fs.StringVar(&c.cacheDir, "cache", defaultCacheDir(), "directory keeping ETag/Last-Modified and bodies for conditional requests on rescans")
	fs.BoolVar(&c.noCache, "no-cache", false, "do not read or write the HTTP cache")
	fs.StringVar(&c.userAgent, "user-agent", crawler.DefaultUserAgent(), "User-Agent header (keep a contact URL in it)")
	fs.BoolVar(&c.verbose, "v", false, "report the crawl's progress on standard error")
}

func defaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return d + string(os.PathSeparator) + "ogicheck"
}

// options turns flags into scan options, validating them.
func (c *checkFlags) options() (scan.Options, error) {
	var o scan.Options
	o.Version = version
	lv, err := result.ParseLevel(c.level)
	if err != nil {
		return o, fmt.Errorf("--agency-level: %w", err)
	}
	o.Level = lv
	if c.published != "" {
		d, ok := dates.Parse(c.published)
		if !ok {
			return o, fmt.Errorf("--published %q: want a date YYYY-MM-DD", c.published)
		}
		o.Published = d
	}
	o.Year = c.year
	if c.nowFlag != "" {
		t, err := time.Parse("2006-01-02", c.nowFlag)
		if err != nil {
			return o, fmt.Errorf("--now %q: want YYYY-MM-DD", c.nowFlag)
		}
		o.Now = t
	}
	statutory := annual.Deadlines{}.WithDefaults()
	for _, d := range []struct {
		flag, val string
		dst       *annual.MonthDay
		limit     annual.MonthDay
	}{
		{"--department-deadline", c.deptDeadline, &o.Deadlines.Department, statutory.Department},
		{"--government-deadline", c.govDeadline, &o.Deadlines.Government, statutory.Government},
		{"--township-deadline", c.townDeadline, &o.Deadlines.Township, annual.MonthDay{Month: 12, Day: 31}},
	} {
		if d.val == "" {
			continue
		}
		md, err := annual.ParseMonthDay(d.val)
		if err != nil {
			return o, fmt.Errorf("%s: %w", d.flag, err)
		}
		if md.Month > d.limit.Month || (md.Month == d.limit.Month && md.Day > d.limit.Day) {
			return o, fmt.Errorf("%s %s: a local deadline may only be earlier than the statutory %s", d.flag, d.val, d.limit)
		}
		*d.dst = md
	}
	if c.years != "" {
		a, b, ok := strings.Cut(c.years, "-")
		if !ok {
			b = a
		}
		from, err1 := strconv.Atoi(strings.TrimSpace(a))
		to, err2 := strconv.Atoi(strings.TrimSpace(b))
		if err1 != nil || err2 != nil || from < 2008 || to < from || to > 2100 {
			return o, fmt.Errorf("--years %q: want YYYY or YYYY-YYYY from 2008 on", c.years)
		}
		o.FirstYear, o.LastYear = from, to
	}
	rs, err := selectRules(c.only, c.skip)
	if err != nil {
		return o, err
	}
	o.Rules = rs
	return o, nil
}

func selectRules(only, skip string) ([]*rules.Rule, error) {
	ids := func(s string) ([]string, error) {
		var out []string
		for _, id := range strings.Split(s, ",") {
			if id = strings.TrimSpace(id); id == "" {
				continue
			}
			if rules.Lookup(id) == nil {
				return nil, fmt.Errorf("unknown rule %q (see 'ogicheck rules')", id)
			}
			out = append(out, strings.ToUpper(id))
		}
		return out, nil
	}
	keep, err := ids(only)
	if err != nil {
		return nil, err
	}
	drop, err := ids(skip)
	if err != nil {
		return nil, err
	}
	var out []*rules.Rule
	for _, r := range rules.All() {
		if len(keep) > 0 && !containsID(keep, r.ID) {
			continue
		}
		if containsID(drop, r.ID) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// failOn parses --fail-on: a severity, or "" for none.
func failOn(s string) (result.Severity, error) {
	if s == "none" {
		return "", nil
	}
	sev, err := result.ParseSeverity(s)
	if err != nil {
		return "", fmt.Errorf("--fail-on: %w (or none)", err)
	}
	return sev, nil
}

func (c *checkFlags) validateOutput() error {
	if c.lang != "zh" && c.lang != "en" {
		return fmt.Errorf("--lang %q: want zh or en", c.lang)
	}
	for _, f := range reports.Formats() {
		if f == c.format {
			return nil
		}
	}
	return fmt.Errorf("--format %q: want one of %s", c.format, strings.Join(reports.Formats(), ", "))
}

func (c *checkFlags) crawlConfig(stderr io.Writer) (crawler.Config, error) {
	cfg := crawler.Config{
		UserAgent: c.userAgent, Delay: c.delay, MaxPages: c.maxPages, MaxBodySize: c.maxBody, Timeout: c.timeout,
		Retries: c.retries, IgnoreRobots: c.ignoreRobots, Parallel: c.parallel,
	}
	if c.verbose {
		var mu sync.Mutex
		cfg.Logf = func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(stderr, "ogicheck: "+format+"\n", args...)
		}
	}
	if c.delay < 0 || c.maxPages < 1 || c.maxBody < 1 || c.timeout <= 0 || c.retries < 0 || c.parallel < 1 {
		return cfg, errors.New("--delay, --max-pages, --max-body, --timeout, --retries and --parallel must be positive")
	}
	if !c.noCache && c.cacheDir != "" {
		ch, err := cache.Open(c.cacheDir, c.maxBody)
		if err != nil {
			return cfg, fmt.Errorf("--cache %s: %w", c.cacheDir, err)
		}
		cfg.Cache = ch
	}
	return cfg, nil
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c checkFlags
	c.register(fs, true)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ogicheck check [flags] FILE|DIR|-|URL ...")
		fs.PrintDefaults()
	}
	inputs, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(inputs) == 0 {
		fmt.Fprintln(stderr, "ogicheck check: no input: give files, directories, - for standard input, or site URLs")
		return exitUsage
	}
	if err := c.validateOutput(); err != nil {
		fmt.Fprintln(stderr, "ogicheck check:", err)
		return exitUsage
	}
	rank, err := failOn(c.failOn)
	if err != nil {
		fmt.Fprintln(stderr, "ogicheck check:", err)
		return exitUsage
	}
	opts, err := c.options()
	if err != nil {
		fmt.Fprintln(stderr, "ogicheck check:", err)
		return exitUsage
	}
	opts.Limits.MaxBytes = c.maxBody
	var files, urls []string
	for _, in := range inputs {
		if scan.IsURL(in) {
			urls = append(urls, in)
		} else if strings.Contains(in, "://") {
			fmt.Fprintf(stderr, "ogicheck check: %s: only http and https URLs can be crawled\n", in)
			return exitUsage
		} else {
			files = append(files, in)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	res := &result.Result{Schema: result.Schema, Documents: []*result.Document{}}
	if len(files) > 0 {
		paths, err := scan.Expand(files)
		if err != nil {
			fmt.Fprintln(stderr, "ogicheck check:", err)
			return exitUsage
		}
		r, err := scan.Files(ctx, paths, stdin, opts)
		if err != nil {
			fmt.Fprintln(stderr, "ogicheck check:", err)
			return exitUsage
		}
		res = r
	}
	if len(urls) > 0 {
		cfg, err := c.crawlConfig(stderr)
		if err != nil {
			fmt.Fprintln(stderr, "ogicheck check:", err)
			return exitUsage
		}
		r := scan.Sites(ctx, urls, cfg, opts)
		res.Documents = append(res.Documents, r.Documents...)
		res.Sites = append(res.Sites, r.Sites...)
		res.Tool = r.Tool
	}
	return emit(res, c, rank, stdout, stderr)
}

// emit writes the result and decides the exit status.
func emit(res *result.Result, c checkFlags, rank result.Severity, stdout, stderr io.Writer) int {
	res.Generated = time.Now().UTC().Format(time.RFC3339)
	w := stdout
	var f *os.File
	if c.output != "" {
		var err error
		if f, err = os.Create(c.output); err != nil {
			fmt.Fprintln(stderr, "ogicheck:", err)
			return exitUsage
		}
		w = f
	}
	err := reports.Write(w, res, reports.Options{Format: c.format, Lang: c.lang, Color: c.color})
	if f != nil {
		// a report that did not reach the disk must not look written
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "ogicheck: write report:", err)
		return exitUsage
	}
	if rank != "" && res.MaxSeverity().AtLeast(rank) {
		return exitFindings
	}
	return exitOK
}

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", defaultLang(), "language: zh or en")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *lang != "zh" && *lang != "en" {
		fmt.Fprintf(stderr, "ogicheck rules: --lang %q: want zh or en\n", *lang)
		return exitUsage
	}
	switch {
	case len(pos) == 0:
		return catalog(stdout, *lang)
	case pos[0] == "explain" && len(pos) == 2:
		r := rules.Lookup(pos[1])
		if r == nil {
			fmt.Fprintf(stderr, "ogicheck rules explain: unknown rule %q (see 'ogicheck rules')\n", pos[1])
			return exitUsage
		}
		return explain(stdout, r, *lang)
	}
	fmt.Fprintln(stderr, "Usage: ogicheck rules [--lang zh|en] | ogicheck rules explain RULE-ID")
	return exitUsage
}
