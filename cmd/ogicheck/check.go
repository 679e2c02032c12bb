package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/result"
	"github.com/ogicheck/ogicheck/rules"
)

// checkFlags are the flags of check (and, without the crawling ones, demo).
type checkFlags struct {
	format, failOn   string
	outputs          outputFlag
	level, tier      string
	published, years string
	year             int
	deptDeadline     string
	govDeadline      string
	townDeadline     string
	only, skip       string
	color            bool
	nowFlag          string
	// crawling
	delay, timeout    time.Duration
	maxPages, retries int
	parallel          int
	maxBody           byteSize
	ignoreRobots      bool
	cacheDir          string
	cacheSize         byteSize
	noCache           bool
	userAgent         string
	siteTimeout       time.Duration
	maxCrawlDelay     time.Duration
	render            string
	browser           string
	freshFor          time.Duration
	memoryBudget      byteSize
	// regions and reviews annotate reports of stored scans (report.go)
	regions map[string]string
	reviews func(*result.Site, *result.Document, result.Finding) []reports.Review
}

func (c *checkFlags) register(cm *command, crawl bool) {
	fs := cm.fs
	fs.StringVar(&c.format, "format", "table", "format of the report on standard output: "+strings.Join(reports.Formats(), ", "))
	fs.Var(&c.outputs, "o", "write the report to this file, in the format its extension names (.json .csv .md .html .txt .xlsx); repeat for several")
	fs.StringVar(&c.failOn, "fail-on", "error", "exit 1 when a finding is at least this severe: error, warning, info or none")
	fs.StringVar(&c.level, "agency-level", "", "agency level when the name does not tell: department, government or township")
	fs.StringVar(&c.tier, "government-tier", "", "a government's tier, which sets its deadline from 2021: county, prefecture or province")
	fs.StringVar(&c.published, "published", "", "publication date YYYY-MM-DD, overriding the page")
	fs.IntVar(&c.year, "year", 0, "report year, overriding the title")
	fs.StringVar(&c.deptDeadline, "department-deadline", "", "local deadline for department reports, MM-DD (statutory 01-31; only earlier)")
	fs.StringVar(&c.govDeadline, "government-deadline", "", "local deadline for government reports, MM-DD (statutory 03-31; only earlier)")
	fs.StringVar(&c.townDeadline, "township-deadline", "", "deadline for township and street-office reports, MM-DD (default 03-31)")
	fs.StringVar(&c.only, "rules", "", "run only these rules (comma-separated IDs)")
	fs.StringVar(&c.skip, "skip", "", "skip these rules (comma-separated IDs)")
	fs.BoolVar(&c.color, "color", false, "colour severities in the table format")
	fs.StringVar(&c.nowFlag, "now", "", "reference date YYYY-MM-DD for deadlines that have passed (default today)")
	c.maxBody = crawler.DefaultMaxBodySize
	fs.Var(&c.maxBody, "max-body", "largest page or file read (50MB, 2MiB, 1048576); larger ones are reported")
	if !crawl {
		return
	}
	d := crawler.DefaultConfig()
	fs.StringVar(&c.years, "years", "", "years that must have a report, e.g. 2019-2025 (default: first year found to the last one due)")
	fs.DurationVar(&c.delay, "delay", d.Delay, "pause between requests to one host; 0 for none (robots.txt Crawl-delay wins when longer)")
	fs.DurationVar(&c.maxCrawlDelay, "max-crawl-delay", crawler.DefaultMaxCrawlDelay, "longest robots.txt Crawl-delay honoured; a longer one is capped and reported")
	fs.DurationVar(&c.timeout, "timeout", d.Timeout, "time limit of one request, body included")
	fs.DurationVar(&c.siteTimeout, "site-timeout", crawler.DefaultSiteTimeout, "time limit of one site's crawl; a site cut there is reported (SITE-LIMIT)")
	fs.IntVar(&c.maxPages, "max-pages", d.MaxPages, "most pages fetched per site")
	fs.IntVar(&c.retries, "retries", d.Retries, "retries of transient failures (timeouts, resets, 5xx); 0 sends one request")
	fs.IntVar(&c.parallel, "parallel", d.Parallel, "sites crawled at once")
	c.memoryBudget = byteSize(d.MemoryBudget)
	fs.Var(&c.memoryBudget, "memory-budget", "memory for downloaded files waiting to be read; beyond it they wait in temporary files")
	fs.BoolVar(&c.ignoreRobots, "ignore-robots", false, "do not obey robots.txt (only for sites you are responsible for)")
	fs.StringVar(&c.cacheDir, "cache", defaultCacheDir(), "directory keeping ETag/Last-Modified and bodies for conditional requests on rescans")
	c.cacheSize = cache.DefaultMaxSize
	fs.Var(&c.cacheSize, "cache-size", "largest size of the HTTP cache; least recently used entries go first")
	fs.BoolVar(&c.noCache, "no-cache", false, "do not read or write the HTTP cache")
	fs.DurationVar(&c.freshFor, "revalidate-after", 0, "take a report page or file from the cache without a request while its copy is younger than this (e.g. 168h); 0 revalidates every one. List pages are always requested")
	fs.StringVar(&c.render, "render", string(crawler.RenderAuto), "render list pages built by scripts in headless Chromium: auto (when a column lists nothing but has scripts), never or always")
	fs.StringVar(&c.browser, "browser", "", "Chromium executable for --render (default: chromium, chromium-browser or google-chrome on PATH)")
	fs.StringVar(&c.userAgent, "user-agent", d.UserAgent, "User-Agent header (keep a contact URL in it)")
}

func defaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return d + string(os.PathSeparator) + "ogicheck"
}

// options turns the flags into the check's options, validated.
func (c *checkFlags) options() (scan.Options, error) {
	var o scan.Options
	o.Version = version
	o.Level = result.Level(c.level)
	o.Tier = result.Tier(c.tier)
	o.Published = c.published
	o.Year = c.year
	o.Limits.MaxBytes = int64(c.maxBody)
	if c.nowFlag != "" {
		t, err := time.Parse("2006-01-02", c.nowFlag)
		if err != nil {
			return o, fmt.Errorf("--now %q: want YYYY-MM-DD", c.nowFlag)
		}
		o.Now = t
	}
	for _, d := range []struct {
		flag, val string
		dst       *annual.MonthDay
	}{
		{"--department-deadline", c.deptDeadline, &o.Deadlines.Department},
		{"--government-deadline", c.govDeadline, &o.Deadlines.Government},
		{"--township-deadline", c.townDeadline, &o.Deadlines.Township},
	} {
		if d.val == "" {
			continue
		}
		md, err := annual.ParseMonthDay(d.val)
		if err != nil {
			return o, fmt.Errorf("%s: %w", d.flag, err)
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
		if err1 != nil || err2 != nil {
			return o, fmt.Errorf("--years %q: want YYYY or YYYY-YYYY", c.years)
		}
		o.FirstYear, o.LastYear = from, to
	}
	rs, err := selectRules(c.only, c.skip)
	if err != nil {
		return o, err
	}
	o.Rules = rs
	if c.maxBody < 1 {
		return o, errors.New("--max-body must be positive")
	}
	return o, o.Validate()
}

// minSeverity parses --fail-on: a severity, or "" for none.
func (c *checkFlags) minSeverity() (result.Severity, error) {
	if c.failOn == "none" {
		return "", nil
	}
	sev, err := result.ParseSeverity(c.failOn)
	if err != nil {
		return "", fmt.Errorf("--fail-on: %w (or none)", err)
	}
	return sev, nil
}

func selectRules(only, skip string) ([]*rules.Rule, error) {
	ids := func(s string) (map[string]bool, error) {
		out := map[string]bool{}
		for _, id := range strings.Split(s, ",") {
			if id = strings.TrimSpace(id); id == "" {
				continue
			}
			r := rules.Lookup(id)
			if r == nil {
				var all []string
				for _, r := range rules.All() {
					all = append(all, r.ID)
				}
				if s := suggest(strings.ToUpper(id), all); s != "" {
					return nil, fmt.Errorf("unknown rule %q: did you mean %s?", id, s)
				}
				return nil, fmt.Errorf("unknown rule %q (see 'ogicheck rules')", id)
			}
			out[r.ID] = true
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
		if (len(keep) == 0 || keep[r.ID]) && !drop[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}

// crawlConfig turns the crawling flags into the crawler's configuration.
// Zero means zero: --delay 0 waits not at all, --retries 0 sends one
// request.
func (c *checkFlags) crawlConfig(log *slog.Logger) (crawler.Config, error) {
	if c.delay < 0 || c.maxPages < 1 || c.timeout <= 0 || c.retries < 0 || c.parallel < 1 || c.siteTimeout <= 0 ||
		c.maxCrawlDelay < 0 || c.memoryBudget < 0 || c.cacheSize < 0 || c.freshFor < 0 {
		return crawler.Config{}, errors.New("--delay, --retries, --max-crawl-delay, --memory-budget, --cache-size and --revalidate-after cannot be negative; --max-pages, --timeout, --site-timeout and --parallel must be positive")
	}
	render, err := crawler.ParseRenderMode(c.render)
	if err != nil {
		return crawler.Config{}, fmt.Errorf("--render: %w", err)
	}
	cfg := crawler.DefaultConfig()
	cfg.UserAgent, cfg.Delay, cfg.MaxPages, cfg.MaxBodySize, cfg.Timeout = c.userAgent, c.delay, c.maxPages, int64(c.maxBody), c.timeout
	cfg.Retries, cfg.IgnoreRobots, cfg.Parallel, cfg.SiteTimeout = c.retries, c.ignoreRobots, c.parallel, c.siteTimeout
	cfg.MaxCrawlDelay, cfg.MemoryBudget = c.maxCrawlDelay, int64(c.memoryBudget)
	cfg.Render, cfg.Browser, cfg.FreshFor = render, c.browser, c.freshFor
	cfg.Logf = debugLog(log)
	if !c.noCache && c.cacheDir != "" {
		ch, err := cache.OpenSized(c.cacheDir, int64(c.maxBody), int64(c.cacheSize))
		if err != nil {
			return cfg, fmt.Errorf("--cache %s: %w", c.cacheDir, err)
		}
		cfg.Cache = ch
	}
	return cfg, nil
}

// debugLog turns the crawler's progress lines into debug records.
func debugLog(log *slog.Logger) func(format string, args ...any) {
	return func(format string, args ...any) {
		if log.Enabled(context.Background(), slog.LevelDebug) {
			log.Debug(fmt.Sprintf(format, args...))
		}
	}
}

// hostLike is an argument that names a web host without a scheme.
var hostLike = regexp.MustCompile(`^(?i)[a-z0-9-]+(\.[a-z0-9-]+)+(:[0-9]+)?(/\S*)?$`)

// classify splits the inputs into files and site URLs, refusing malformed
// URLs with the parser's own error before any work is done.
func classify(inputs []string) (files, urls []string, err error) {
	for _, in := range inputs {
		switch {
		case scan.IsURL(in):
			u, err := url.Parse(in)
			if err != nil {
				return nil, nil, usagef("ogicheck check: %v", err)
			}
			if u.Hostname() == "" {
				return nil, nil, usagef("ogicheck check: %q: the URL has no host", in)
			}
			urls = append(urls, in)
		case strings.Contains(in, "://"):
			return nil, nil, usagef("ogicheck check: %s: only http and https URLs can be crawled", in)
		default:
			if _, err := os.Stat(in); err != nil && in != "-" && hostLike.MatchString(in) {
				return nil, nil, usagef("ogicheck check: %s: no such file; did you mean https://%s/ ?", in, strings.TrimSuffix(in, "/"))
			}
			files = append(files, in)
		}
	}
	return files, urls, nil
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cm := newCommand("check", "check [flags] FILE|DIR|-|URL ...",
		"Checks annual report files (HTML, text, PDF, DOC, WPS, DOCX, XLS, XLSX, OFD), directories of them,\nstandard input (-), or crawls sites from their URLs and checks every report found.", stderr)
	var c checkFlags
	c.register(cm, true)
	inputs, err := cm.parse(args)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		return usagef("ogicheck check: no input: give files, directories, - for standard input, or site URLs")
	}
	files, urls, err := classify(inputs)
	if err != nil {
		return err
	}
	if !reports.Supports(c.format) {
		return usagef("ogicheck check: --format %q: want one of %s", c.format, strings.Join(reports.Formats(), ", "))
	}
	minSev, err := c.minSeverity()
	if err != nil {
		return usagef("ogicheck check: %v", err)
	}
	opts, err := c.options()
	if err != nil {
		return usagef("ogicheck check: %v", err)
	}
	con := newConsole(stderr)
	log := con.logger(&cm.common)
	var paths []string
	var skipped []result.Skipped
	if len(files) > 0 {
		if paths, skipped, err = scan.Expand(files); err != nil {
			return usagef("ogicheck check: %v", err)
		}
	}
	var ccfg crawler.Config
	if len(urls) > 0 {
		if ccfg, err = c.crawlConfig(log); err != nil {
			return usagef("ogicheck check: %v", err)
		}
	}
	outs, err := openOutputs(c.outputs, c.format)
	if err != nil {
		return err
	}
	for _, s := range skipped {
		log.Info("skipped", "path", s.Path, "reason", s.Reason.In(cm.lang))
	}

	res := &result.Result{Schema: result.Schema, Tool: "ogicheck " + version, Documents: []*result.Document{}}
	if len(paths) > 0 {
		scan.Merge(res, scan.Files(ctx, paths, stdin, opts))
	}
	res.Skipped = append(res.Skipped, skipped...)
	if len(urls) > 0 && ctx.Err() == nil {
		scan.Merge(res, crawl(ctx, urls, ccfg, opts, con, log, cm.lang))
	}
	return finish(res, outs, &c, &cm.common, minSev, stdout, log)
}

// crawl crawls and checks the sites with a progress line on a terminal
// and a log record per site.
func crawl(ctx context.Context, urls []string, ccfg crawler.Config, opts scan.Options, con *console, log *slog.Logger, lang string) *result.Result {
	p := &progress{began: time.Now(), total: len(urls)}
	ccfg.Counters = &p.crawl
	pctx, stopProgress := context.WithCancel(context.Background())
	shown := make(chan struct{})
	go func() {
		p.run(pctx, con, lang)
		close(shown)
	}()
	out := scan.CollectEach(ctx, urls, ccfg, opts, func(r *result.Result) {
		p.add(r)
		s := r.Sites[0]
		log.Info("site checked", "url", s.URL, "pages", s.Pages, "documents", len(r.Documents), "failures", len(s.Errors), "duration", s.Duration)
	})
	stopProgress()
	<-shown
	return out
}

// finish writes the result to every output and turns it into the run's
// outcome: interrupted, some input unchecked, findings, or none of these.
func finish(res *result.Result, outs []*output, c *checkFlags, cm *common, minSev result.Severity, stdout io.Writer, log *slog.Logger) error {
	if err := writeResult(res, outs, c, cm, stdout, log); err != nil {
		return err
	}
	err := outcome(res, minSev, log)
	if res.Incomplete != "" {
		log.Warn("interrupted: the report holds what was checked", "documents", len(res.Documents), "sites", len(res.Sites))
		return errInterrupted
	}
	return err
}

// writeResult writes the result to every output.
func writeResult(res *result.Result, outs []*output, c *checkFlags, cm *common, stdout io.Writer, log *slog.Logger) error {
	res.Generated = time.Now().In(cm.location()).Format(time.RFC3339)
	if err := writeOutputs(outs, res, reports.Options{Lang: cm.lang, Color: c.color, Regions: c.regions, Reviews: c.reviews}, stdout); err != nil {
		return err
	}
	for _, o := range outs {
		if o.path != "" {
			log.Info("report written", "path", o.path, "format", o.format)
		}
	}
	return nil
}

// outcome is a written result's exit: some input unchecked, findings, or
// neither.
func outcome(res *result.Result, minSev result.Severity, log *slog.Logger) error {
	unchecked := res.Unchecked()
	for _, u := range unchecked {
		log.Warn("could not be checked", "input", u)
	}
	switch {
	case len(unchecked) > 0:
		return errUnchecked
	case minSev != "" && res.MaxSeverity().AtLeast(minSev):
		return errFindings
	}
	return nil
}
