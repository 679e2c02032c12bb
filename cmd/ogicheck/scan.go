package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/robfig/cron/v3"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/alerts"
	"github.com/ogicheck/ogicheck/internal/jobs"
	"github.com/ogicheck/ogicheck/internal/sitelist"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/result"
)

// storeFlags are the flags of the commands that use the store.
type storeFlags struct {
	db string
}

func (s *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.db, "db", "ogicheck.db", "the store: a SQLite file, or a postgres:// URL shared by workers")
}

// open opens the store, with the DSN's password left out of errors.
func (s *storeFlags) open(ctx context.Context) (*store.Store, error) {
	st, err := store.Open(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// scanRun is one scan command: the list, the store and how to work.
type scanRun struct {
	c        *checkFlags
	cm       *command
	sitesArg string
	sites    []sitelist.Site
	db       string
	every    time.Duration
	cronSpec string
	lease    time.Duration
	poll     time.Duration
	explicit bool // --format or -o given: write the whole result
	webhook  string
	secret   string
}

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cm := newCommand("scan", "scan [flags] SITES-FILE",
		"Scans every site of a sites file (CSV: name,url,level,region,parent[,tier], in UTF-8 or GBK; or YAML)\n"+
			"into the store, site by site, and says what changed since the last scan. With --every or --cron it\n"+
			"keeps running and scans on schedule; with a postgres:// store, 'ogicheck worker' processes on other\n"+
			"machines take sites from the same queue. A scan killed half-way is resumed by the next scan of the list.", stderr)
	var c checkFlags
	c.register(cm, true)
	var sf storeFlags
	sf.register(cm.fs)
	every := cm.fs.Duration("every", 0, "keep running and scan again at this interval (24h, 168h)")
	cronSpec := cm.fs.String("cron", "", `keep running and scan on this cron schedule, in --tz ("0 2 * * *": every night at 2)`)
	lease := cm.fs.Duration("lease", jobs.DefaultLease, "how long a site stays with a worker that stopped answering before another takes it")
	poll := cm.fs.Duration("poll", time.Second, "how often to look for sites to work and for progress")
	webhook := cm.fs.String("webhook", "", "after each scan, POST its new findings as JSON to this URL, signed (HMAC-SHA256, header X-Ogicheck-Signature)")
	secret := cm.fs.String("webhook-secret", "", "the webhook's shared secret (default: $"+webhookSecretEnv+")")
	pos, err := cm.parse(args)
	if err != nil {
		return err
	}
	if *secret == "" {
		*secret = os.Getenv(webhookSecretEnv)
	}
	r := &scanRun{c: &c, cm: cm, db: sf.db, every: *every, cronSpec: *cronSpec, lease: *lease, poll: *poll, webhook: *webhook, secret: *secret}
	if err := r.validate(pos); err != nil {
		return err
	}
	sites, err := sitelist.Load(r.sitesArg)
	if err != nil {
		return usagef("ogicheck scan: %v", err)
	}
	r.sites = sites
	return r.run(ctx, stdout, stderr)
}

// validate checks the arguments and flags before any work.
func (r *scanRun) validate(pos []string) error {
	if len(pos) != 1 {
		return usagef("ogicheck scan: want one sites file (CSV or YAML), got %d arguments", len(pos))
	}
	r.sitesArg = pos[0]
	var wrong []string
	cacheFlag := ""
	r.cm.fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "agency-level", "published", "year":
			wrong = append(wrong, "--"+f.Name)
		case "cache", "cache-size":
			cacheFlag = "--" + f.Name
		case "format", "o":
			r.explicit = true
		}
	})
	if len(wrong) > 0 {
		return usagef("ogicheck scan: %s describe one report; a scan checks many sites (give a site's level in the sites file)", strings.Join(wrong, ", "))
	}
	if cacheFlag != "" {
		return usagef("ogicheck scan: %s: a scan keeps its HTTP cache in the store (--no-cache turns it off)", cacheFlag)
	}
	if r.every != 0 && r.cronSpec != "" {
		return usagef("ogicheck scan: give --every or --cron, not both")
	}
	if r.explicit && (r.every != 0 || r.cronSpec != "") {
		// A scheduled scan never ends on its own: it prints a summary after
		// each scan, and a report of any of them is one command away.
		return usagef("ogicheck scan: -o and --format go with a single scan; with --every or --cron, write a report with 'ogicheck report --scan latest -o FILE'")
	}
	if r.every < 0 || (r.every > 0 && r.every < time.Minute) {
		return usagef("ogicheck scan: --every %v: want at least a minute", r.every)
	}
	if r.cronSpec != "" {
		if _, err := r.schedule(); err != nil {
			return usagef("ogicheck scan: --cron %q: %v", r.cronSpec, err)
		}
	}
	if r.webhook != "" {
		if err := alerts.CheckURL(r.webhook); err != nil {
			return usagef("ogicheck scan: --webhook: %v", err)
		}
		if r.secret == "" {
			return usagef("ogicheck scan: --webhook needs a secret: --webhook-secret or $%s", webhookSecretEnv)
		}
	}
	if r.lease < time.Second || r.poll <= 0 {
		return usagef("ogicheck scan: --lease must be at least 1s and --poll positive")
	}
	if !reports.Supports(r.c.format) {
		return usagef("ogicheck scan: --format %q: want one of %s", r.c.format, strings.Join(reports.Formats(), ", "))
	}
	if _, err := r.c.minSeverity(); err != nil {
		return usagef("ogicheck scan: %v", err)
	}
	if _, err := r.settings(); err != nil {
		return usagef("ogicheck scan: %v", err)
	}
	return nil
}

// schedule is the periodic schedule, nil for a single scan.
func (r *scanRun) schedule() (river.PeriodicSchedule, error) {
	switch {
	case r.every > 0:
		return river.PeriodicInterval(r.every), nil
	case r.cronSpec != "":
		spec := r.cronSpec
		if !strings.HasPrefix(spec, "CRON_TZ=") && !strings.HasPrefix(spec, "TZ=") {
			spec = "CRON_TZ=" + r.cm.tz + " " + spec
		}
		return cron.ParseStandard(spec)
	}
	return nil, nil
}

// settings are the scan's settings from the flags.
func (r *scanRun) settings() ([]byte, error) {
	c := r.c
	opts, err := c.options()
	if err != nil {
		return nil, err
	}
	if _, err := c.crawlConfig(slog.New(slog.DiscardHandler)); err != nil {
		return nil, err
	}
	s := jobs.Settings{Deadlines: opts.Deadlines, FirstYear: opts.FirstYear, LastYear: opts.LastYear, MaxBytes: int64(c.maxBody),
		UserAgent: c.userAgent, Delay: c.delay, MaxPages: c.maxPages, Timeout: c.timeout, Retries: c.retries,
		IgnoreRobots: c.ignoreRobots, NoCache: c.noCache, SiteTimeout: c.siteTimeout, MaxCrawlDelay: c.maxCrawlDelay,
		FreshFor: c.freshFor, Render: crawler.RenderMode(c.render), Browser: c.browser}
	if c.nowFlag != "" {
		s.Now = opts.Now
	}
	if c.only != "" || c.skip != "" {
		for _, rl := range opts.Rules {
			s.Rules = append(s.Rules, rl.ID)
		}
	}
	return json.Marshal(s)
}

func (r *scanRun) run(ctx context.Context, stdout, stderr io.Writer) error {
	settings, _ := r.settings()
	sched, _ := r.schedule()
	minSev, _ := r.c.minSeverity()
	con := newConsole(stderr)
	log := con.logger(&r.cm.common)
	var outs []*output
	if r.explicit {
		var err error
		if outs, err = openOutputs(r.c.outputs, r.c.format); err != nil {
			return err
		}
		// Whatever way the run ends, no temporary file is left behind
		// (closeOutputs does nothing for outputs already written).
		defer closeOutputs(outs)
	}
	st, err := store.Open(ctx, r.db)
	if err != nil {
		return err
	}
	defer st.Close()
	worker := jobs.WorkerName()
	if st.Kind() == store.SQLite {
		// One process works a SQLite file: sites another one held when it
		// died are free again.
		unlock, err := holdLock(ctx, st, worker, r.lease, log)
		if err != nil {
			return err
		}
		defer unlock()
		if err := st.ReleaseAll(ctx); err != nil {
			return err
		}
	}
	var ls []store.Site
	for _, s := range r.sites {
		ls = append(ls, store.Site{URL: s.URL, Name: s.Name, Level: result.Level(s.Level), Tier: s.Tier, Region: s.Region, Parent: s.Parent})
	}
	list, err := st.SaveList(ctx, r.sitesArg, ls)
	if err != nil {
		return err
	}
	scans := make(chan *store.Scan, 4)
	rn, err := jobs.New(ctx, jobs.Config{Store: st, Worker: worker, Parallel: r.c.parallel, Leader: true,
		Schedule: sched, ScheduleList: list.ID, ScheduleSettings: settings, Lease: r.lease, Poll: r.poll,
		Version: version, Logger: log,
		OnSite:  siteLog(log),
		OnScan:  func(sc *store.Scan, resumed bool) { scans <- sc },
		Webhook: r.hook(),
	})
	if err != nil {
		return err
	}
	defer rn.Close()
	if sched == nil {
		sc, resumed, err := rn.StartScan(ctx, list.ID, store.TriggerCommand, settings)
		if err != nil {
			return err
		}
		scans <- sc
		if resumed {
			log.Info("resuming an unfinished scan of the list", "scan", sc.ID, "started", sc.Started.In(r.cm.location()).Format(time.RFC3339))
		}
	}
	if err := rn.Start(ctx); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		rn.Stop(sctx)
	}()
	if sched == nil {
		sc := <-scans
		p, err := r.follow(ctx, st, sc, con, log)
		if err != nil {
			return err
		}
		r.alert(ctx, rn, sc.ID, true, log)
		return r.report(ctx, st, sc.ID, outs, p, minSev, stdout, log)
	}
	log.Info("scanning on schedule", "sites", len(r.sites), "every", r.every.String(), "cron", r.cronSpec)
	for {
		select {
		case <-ctx.Done():
			return errInterrupted
		case sc := <-scans:
			if _, err := r.follow(ctx, st, sc, con, log); err != nil {
				if errors.Is(err, errInterrupted) {
					return err
				}
				log.Error("scan failed", "scan", sc.ID, "error", err.Error())
				continue
			}
			r.alert(ctx, rn, sc.ID, false, log)
			if err := r.summary(ctx, st, sc.ID, stdout); err != nil {
				log.Error("scan summary", "error", err.Error())
			}
		}
	}
}

// webhookSecretEnv names the environment variable of the webhook's secret,
// which is better kept out of command lines.
const webhookSecretEnv = "OGICHECK_WEBHOOK_SECRET"

// hook is the webhook configuration, nil without --webhook.
func (r *scanRun) hook() *jobs.Webhook {
	if r.webhook == "" {
		return nil
	}
	return &jobs.Webhook{URL: r.webhook, Secret: []byte(r.secret)}
}

// alert posts a finished scan's new findings to the webhook, when there is
// one; a one-shot scan waits for the post (retries included).
func (r *scanRun) alert(ctx context.Context, rn *jobs.Runner, scan int64, wait bool, log *slog.Logger) {
	if r.webhook == "" {
		return
	}
	if err := rn.Alert(ctx, scan, wait); err != nil {
		log.Error("webhook", "scan", scan, "error", err.Error())
		return
	}
	if wait {
		log.Info("webhook posted", "scan", scan)
	}
}

// holdLock takes the store's coordinator lock and renews it until the
// returned function is called.
func holdLock(ctx context.Context, st *store.Store, holder string, lease time.Duration, log *slog.Logger) (func(), error) {
	// A scan killed without a word leaves its lock until the lease ends:
	// wait that long, no longer (a live scan renews it).
	deadline := time.Now().Add(lease + 5*time.Second)
	for said := false; ; said = true {
		ok, err := st.Lock(ctx, "coordinator", holder, lease)
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return nil, errors.New("another ogicheck scan is working this store: stop it first")
		}
		if !said {
			log.Info("another scan holds this store, or was killed: waiting for its lock to run out", "lease", lease.String())
		}
		select {
		case <-ctx.Done():
			return nil, errInterrupted
		case <-time.After(time.Second):
		}
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(lease / 3)
		defer t.Stop()
		for {
			select {
			case <-lctx.Done():
				return
			case <-t.C:
				if ok, err := st.Lock(lctx, "coordinator", holder, lease); err != nil || !ok {
					log.Warn("the store's coordinator lock could not be renewed", "error", fmt.Sprint(err))
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
		st.Unlock(context.WithoutCancel(ctx), "coordinator", holder)
	}, nil
}

// follow shows a scan's progress until it finishes: a line on a terminal,
// a log record every ten seconds otherwise. It returns the scan's sums, or
// errInterrupted.
func (r *scanRun) follow(ctx context.Context, st *store.Store, sc *store.Scan, con *console, log *slog.Logger) (*store.Progress, error) {
	began := time.Now()
	lang := r.cm.lang
	t := time.NewTicker(min(r.poll, 250*time.Millisecond))
	defer t.Stop()
	lastLog := began
	defer con.show("")
	for {
		p, err := st.Progress(context.WithoutCancel(ctx), sc.ID, began)
		if err != nil {
			return nil, err
		}
		line := progressLine(p, began, lang)
		con.show(line)
		if !con.tty && time.Since(lastLog) >= 10*time.Second {
			lastLog = time.Now()
			log.Info("progress", "scan", sc.ID, "sites", p.Done+p.Failed, "total", p.Sites, "pages", p.Pages, "documents", p.Documents,
				"failures", p.FetchErrors, "eta", eta(p, began).String())
		}
		if p.Finished {
			log.Info("scan finished", "scan", sc.ID, "sites", p.Sites, "complete", p.Complete, "pages", p.Pages, "documents", p.Documents,
				"errors", p.Errors, "warnings", p.Warnings, "unchecked", p.Unchecked, "failed", p.Failed, "duration", time.Since(began).Round(time.Second).String())
			return p, nil
		}
		select {
		case <-ctx.Done():
			log.Warn("interrupted: the scan is unfinished; the next 'ogicheck scan' of the list resumes it", "scan", sc.ID,
				"sites", p.Done, "total", p.Sites)
			return nil, errInterrupted
		case <-t.C:
		}
	}
}

// eta estimates the time left from the sites done since began.
func eta(p *store.Progress, began time.Time) time.Duration {
	left := p.Sites - p.Done - p.Failed
	if p.DoneSince == 0 || left <= 0 {
		return 0
	}
	return (time.Since(began) / time.Duration(p.DoneSince) * time.Duration(left)).Round(time.Second)
}

func progressLine(p *store.Progress, began time.Time, lang string) string {
	el := time.Since(began).Round(time.Second)
	left := "…"
	if d := eta(p, began); d > 0 {
		left = d.String()
	}
	if lang == "zh" {
		return fmt.Sprintf("站点 %d/%d · 页面 %d · 文件 %d · 失败 %d · 用时 %v · 预计剩余 %s",
			p.Done+p.Failed, p.Sites, p.Pages, p.Documents, p.FetchErrors, el, left)
	}
	return fmt.Sprintf("sites %d/%d · pages %d · documents %d · failures %d · %v elapsed · %s left",
		p.Done+p.Failed, p.Sites, p.Pages, p.Documents, p.FetchErrors, el, left)
}

// report writes the scan's result when --format or -o asked for it, a
// summary otherwise, and turns the scan into the exit status.
func (r *scanRun) report(ctx context.Context, st *store.Store, scanID int64, outs []*output, p *store.Progress, minSev result.Severity,
	stdout io.Writer, log *slog.Logger) error {
	if outs != nil {
		if err := writeStored(ctx, st, scanID, store.SiteFilter{}, outs, r.c, &r.cm.common, stdout, log); err != nil {
			return err
		}
	} else if err := r.summary(ctx, st, scanID, stdout); err != nil {
		return err
	}
	switch {
	case p.Failed > 0:
		return fmt.Errorf("%d sites of scan %d could not be stored (see the log)", p.Failed, scanID)
	case p.Unchecked > 0:
		return errUnchecked
	}
	maxSev, err := st.MaxSeverity(ctx, scanID)
	if err != nil {
		return err
	}
	if minSev != "" && maxSev.AtLeast(minSev) {
		return errFindings
	}
	return nil
}

// writeStored writes a stored scan's result to the outputs.
func writeStored(ctx context.Context, st *store.Store, scanID int64, f store.SiteFilter, outs []*output, c *checkFlags, cm *common,
	stdout io.Writer, log *slog.Logger) error {
	res, err := storedResult(ctx, st, scanID, f)
	if err != nil {
		closeOutputs(outs)
		return err
	}
	if c.regions, c.reviews, err = storeAnnotations(ctx, st, scanID, cm.location()); err != nil {
		closeOutputs(outs)
		return err
	}
	return writeResult(res, outs, c, cm, stdout, log)
}

// summary prints a few lines about a scan, read from the store.
func (r *scanRun) summary(ctx context.Context, st *store.Store, scanID int64, w io.Writer) error {
	sc, err := st.Scan(ctx, scanID)
	if err != nil {
		return err
	}
	fmt.Fprint(w, scanSummary(sc, r.db, r.cm.lang, r.cm.location()))
	return nil
}

// dbFlag is the --db flag that names the store in commands shown to the
// user, "" for the default store.
func dbFlag(db string) string {
	if db == "" || db == "ogicheck.db" {
		return ""
	}
	return " --db " + strconv.Quote(store.Redact(db))
}

func scanSummary(sc *store.Scan, db, lang string, loc *time.Location) string {
	var b strings.Builder
	see := dbFlag(db)
	dur := sc.Finished.Sub(sc.Started).Round(time.Second)
	if lang == "zh" {
		state := "完成"
		if !sc.Complete {
			state = "未完成"
		}
		fmt.Fprintf(&b, "扫描 %d（%s，%s，用时 %v）：站点 %d 个（无法检查 %d 个，未能保存 %d 个），文件 %d 个，页面 %d 个（%d 个未变更），下载 %s\n",
			sc.ID, sc.Started.In(loc).Format("2006-01-02 15:04"), state, dur, sc.Sites, sc.Unchecked, sc.Failed, sc.Documents, sc.Pages, sc.NotModified, humanBytes(sc.Bytes))
		fmt.Fprintf(&b, "问题：错误 %d，警告 %d，提示 %d；新发现 %d，已解决 %d\n", sc.Errors, sc.Warnings, sc.Infos, sc.NewFindings, sc.Resolved)
		fmt.Fprintf(&b, "查看：ogicheck history%s --scan %d；完整报告：ogicheck report%s --scan %d -o report.html\n", see, sc.ID, see, sc.ID)
		return b.String()
	}
	state := "complete"
	if !sc.Complete {
		state = "incomplete"
	}
	fmt.Fprintf(&b, "scan %d (%s, %s, %v): %d sites (%d could not be checked, %d could not be stored), %d documents, %d pages (%d not modified), %s fetched\n",
		sc.ID, sc.Started.In(loc).Format("2006-01-02 15:04"), state, dur, sc.Sites, sc.Unchecked, sc.Failed, sc.Documents, sc.Pages, sc.NotModified, humanBytes(sc.Bytes))
	fmt.Fprintf(&b, "findings: %d errors, %d warnings, %d info; %d new, %d resolved\n", sc.Errors, sc.Warnings, sc.Infos, sc.NewFindings, sc.Resolved)
	fmt.Fprintf(&b, "see: ogicheck history%s --scan %d; the whole report: ogicheck report%s --scan %d -o report.html\n", see, sc.ID, see, sc.ID)
	return b.String()
}

// humanBytes rounds a byte count for people: 12.3 MiB.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
