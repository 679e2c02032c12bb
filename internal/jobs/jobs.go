// Package jobs runs scans on River (github.com/riverqueue/river): one job
// per site of a scan, worked by any process sharing the store (SQLite
// through riversqlite, PostgreSQL through riverpgxv5), and the schedule as
// a River periodic job.
//
// River retries a job that fails and keeps one job per site and round
// (unique by its arguments). The store decides who works a site: a worker
// claims it with a lease it renews, so that a site is checked once even
// when River hands a job out twice (a rescued job, a resumed scan), and a
// site whose worker died is taken over when the lease runs out. A scan is
// finished by whichever worker stores its last site.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/result"
)

// SiteArgs is the job of checking one site of a scan. Round is the scan's
// round when the job was queued: a resumed scan queues its sites again
// under a new round, so that a job River still thinks running (its
// process died) does not block them.
type SiteArgs struct {
	Scan  int64 `json:"scan"`
	Site  int64 `json:"site"`
	Round int   `json:"round"`
}

// Kind is River's name of the job.
func (SiteArgs) Kind() string { return "ogicheck_site" }

// InsertOpts make the job unique by its arguments.
func (SiteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ScheduledArgs is the periodic job that starts a scan of a list.
type ScheduledArgs struct {
	List     int64  `json:"list"`
	Settings []byte `json:"settings"`
}

// Kind is River's name of the job.
func (ScheduledArgs) Kind() string { return "ogicheck_scheduled_scan" }

// MaxAttempts of a site's job: its failures are the store's (a site that
// cannot be fetched is a finding, not a failure).
const MaxAttempts = 5

// DefaultLease is how long a site stays claimed by a worker that stops
// renewing its lease.
const DefaultLease = 2 * time.Minute

// Config configures a Runner.
type Config struct {
	Store    *store.Store
	Worker   string // this process's name in the store; unique per process
	Parallel int    // sites worked at once here; 0: none (queue and lead only)
	// Leader lets this process lead: River's maintenance (rescue of stuck
	// jobs, retries) and the schedule. The scan command leads; workers
	// only work.
	Leader bool
	// Schedule, with a leader, starts a scan of ScheduleList with
	// ScheduleSettings on each tick, and once at start.
	Schedule         river.PeriodicSchedule
	ScheduleList     int64
	ScheduleSettings []byte
	Lease            time.Duration // default DefaultLease
	Poll             time.Duration // how often to look for jobs; default 1s
	Version          string
	Logger           *slog.Logger
	// OnSite is called after each site this process stored.
	OnSite func(scan int64, site *store.Site, res *result.Result, saved *store.Saved)
	// OnScan is called when a scheduled scan starts or resumes.
	OnScan func(sc *store.Scan, resumed bool)
	// Webhook, when set, is where Alert posts scans' new findings; only
	// this process works those posts (alerts.go).
	Webhook *Webhook
}

// queue is what the Runner uses of a River client, whatever its driver.
type queue interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// Runner works scans' sites and queues them.
type Runner struct {
	cfg  Config
	q    queue
	gate crawler.HostGate
	qdb  *sql.DB // SQLite: River's own connection
	log  *slog.Logger

	mu       sync.Mutex
	settings map[int64]*scanSettings
}

type scanSettings struct {
	opts    scan.Options
	crawl   crawler.Config
	noCache bool
}

// New migrates River's tables and builds the Runner; Start starts it.
func New(ctx context.Context, cfg Config) (*Runner, error) {
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Runner{cfg: cfg, log: cfg.Logger, settings: map[int64]*scanSettings{}}
	if g := cfg.Store.HostGate(); g != nil {
		r.gate = g
	} else {
		r.gate = crawler.NewHostGate()
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(r.workSite))
	river.AddWorker(workers, river.WorkFunc(r.workScheduled))
	rc := &river.Config{
		ID:                     cfg.Worker,
		Logger:                 slog.New(levelHandler{cfg.Logger.Handler(), slog.LevelWarn}),
		Workers:                workers,
		MaxAttempts:            MaxAttempts,
		JobTimeout:             -1, // a site's time is bounded by the crawler's limits
		RescueStuckJobsAfter:   6 * time.Hour,
		FetchPollInterval:      cfg.Poll,
		LeaderElectionDisabled: !cfg.Leader,
	}
	if cfg.Parallel > 0 {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Parallel}}
	}
	r.addAlerts(workers, rc)
	if cfg.Leader && cfg.Schedule != nil {
		args := ScheduledArgs{List: cfg.ScheduleList, Settings: cfg.ScheduleSettings}
		rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(cfg.Schedule,
			func() (river.JobArgs, *river.InsertOpts) { return args, nil },
			&river.PeriodicJobOpts{ID: "ogicheck-schedule", RunOnStart: true})}
	}
	var err error
	switch cfg.Store.Kind() {
	case store.Postgres:
		drv := riverpgxv5.New(cfg.Store.Pool())
		err = cfg.Store.Exclusive(ctx, func(ctx context.Context) error { return migrate(ctx, drv) })
		if err == nil {
			r.q, err = river.NewClient[pgx.Tx](drv, rc)
		}
	default:
		// River's SQLite driver wants one connection of its own.
		r.qdb, err = sql.Open("sqlite", cfg.Store.DSN())
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		r.qdb.SetMaxOpenConns(1)
		drv := riversqlite.New(r.qdb)
		err = migrate(ctx, drv)
		if err == nil {
			rc.PollOnly = true
			r.q, err = river.NewClient[*sql.Tx](drv, rc)
		}
	}
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return r, nil
}

// migrate brings River's tables up to date.
func migrate[TTx any](ctx context.Context, drv riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("migrate the job queue: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate the job queue: %w", err)
	}
	return nil
}

// Start starts working (and, for a leader, scheduling).
func (r *Runner) Start(ctx context.Context) error {
	if err := r.q.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops taking jobs and waits for the running ones: a site cut short
// is given back to the store and its job snoozed, to be worked again.
func (r *Runner) Stop(ctx context.Context) error {
	if err := r.q.Stop(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// Close frees River's own connection.
func (r *Runner) Close() {
	if r.qdb != nil {
		r.qdb.Close()
	}
}

// StartScan starts a scan of a list, or resumes the list's unfinished one
// (a scan killed half-way), and queues its sites left.
func (r *Runner) StartScan(ctx context.Context, list int64, trigger string, settings []byte) (sc *store.Scan, resumed bool, err error) {
	st := r.cfg.Store
	sc, err = st.UnfinishedScan(ctx, list)
	if err != nil {
		return nil, false, err
	}
	round := 1
	if sc != nil {
		resumed = true
		if round, err = st.Resume(ctx, sc.ID); err != nil {
			return nil, false, err
		}
	} else if sc, err = st.CreateScan(ctx, list, trigger, "ogicheck "+r.cfg.Version, settings); err != nil {
		return nil, false, err
	}
	left, err := st.SitesLeft(ctx, sc.ID)
	if err != nil {
		return nil, false, err
	}
	if err := r.Enqueue(ctx, sc.ID, round, left); err != nil {
		return nil, false, err
	}
	return sc, resumed, nil
}

// Enqueue queues a job per site.
func (r *Runner) Enqueue(ctx context.Context, scanID int64, round int, sites []int64) error {
	for len(sites) > 0 {
		n := min(len(sites), 500)
		params := make([]river.InsertManyParams, n)
		for i, id := range sites[:n] {
			params[i] = river.InsertManyParams{Args: SiteArgs{Scan: scanID, Site: id, Round: round}}
		}
		if _, err := r.q.InsertMany(ctx, params); err != nil {
			return fmt.Errorf("jobs: queue the sites of scan %d: %w", scanID, err)
		}
		sites = sites[n:]
	}
	return nil
}

// workScheduled starts (or resumes) the scheduled scan.
func (r *Runner) workScheduled(ctx context.Context, job *river.Job[ScheduledArgs]) error {
	sc, resumed, err := r.StartScan(ctx, job.Args.List, store.TriggerSchedule, job.Args.Settings)
	if err != nil {
		return err
	}
	if r.cfg.OnScan != nil {
		r.cfg.OnScan(sc, resumed)
	}
	return nil
}

// workSite checks one site of a scan and stores it, unless another worker
// holds it or it is stored already.
func (r *Runner) workSite(ctx context.Context, job *river.Job[SiteArgs]) error {
	err := r.site(ctx, job.Args)
	if err == nil || errors.Is(err, errStopping) {
		if errors.Is(err, errStopping) {
			return river.JobSnooze(0) // worked again at once by whoever runs next
		}
		return nil
	}
	var snooze *river.JobSnoozeError
	if errors.As(err, &snooze) {
		return err
	}
	r.log.Warn("site failed", "scan", job.Args.Scan, "site", job.Args.Site, "attempt", job.Attempt, "error", err.Error())
	if job.Attempt >= job.MaxAttempts {
		// River gives up on the job: the site is failed for good, and the
		// scan can finish (incomplete) without it
		if ferr := r.cfg.Store.Fail(context.WithoutCancel(ctx), job.Args.Scan, job.Args.Site, err.Error()); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	return err
}

var errStopping = errors.New("the worker is stopping")

func (r *Runner) site(ctx context.Context, a SiteArgs) error {
	st := r.cfg.Store
	ss, finished, err := r.scanSettings(ctx, a.Scan)
	if err != nil {
		return err
	}
	if finished {
		return nil
	}
	switch claim, err := st.Claim(ctx, a.Scan, a.Site, r.cfg.Worker, r.cfg.Lease); {
	case err != nil:
		return err
	case claim == store.Done:
		return nil
	case claim == store.Held:
		return river.JobSnooze(r.cfg.Lease / 2)
	}
	site, err := st.Site(ctx, a.Site)
	if err != nil {
		r.release(ctx, a)
		return err
	}
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(r.cfg.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-wctx.Done():
				return
			case <-t.C:
				if err := st.Renew(wctx, a.Scan, a.Site, r.cfg.Worker, r.cfg.Lease); errors.Is(err, store.ErrLeaseLost) {
					cancel(err)
					return
				}
			}
		}
	}()
	archive := st.NewArchive()
	opts := ss.opts
	if site.Tier != "" && site.Name != "" {
		// the sites file's tier is the site's own government's
		opts.Tiers = map[string]result.Tier{annual.AgencyKey(site.Name): result.Tier(site.Tier)}
	}
	opts.Fetched = func(e *crawler.Entry, docs []*annual.Report) { archiveEntry(wctx, archive, e, docs) }
	ccfg := ss.crawl
	ccfg.HostGate = r.gate
	if !ss.noCache {
		// conditional requests from the store's cache, shared by every worker
		ccfg.Cache = st.HTTPCache(ccfg.MaxBodySize)
	}
	var res *result.Result
	scan.Sites(wctx, []string{site.URL}, ccfg, opts, func(x *result.Result) { res = x })
	cancel(nil)
	<-renewed
	switch {
	case errors.Is(context.Cause(wctx), store.ErrLeaseLost):
		return nil // another worker took the site over
	case ctx.Err() != nil || res == nil:
		r.release(ctx, a)
		return errStopping
	}
	saved, err := st.SaveSite(ctx, a.Scan, a.Site, r.cfg.Worker, res, archive)
	if errors.Is(err, store.ErrLeaseLost) {
		return nil
	}
	if err != nil {
		r.release(ctx, a)
		return err
	}
	if r.cfg.OnSite != nil {
		r.cfg.OnSite(a.Scan, site, res, saved)
	}
	return nil
}

func (r *Runner) release(ctx context.Context, a SiteArgs) {
	if err := r.cfg.Store.Release(context.WithoutCancel(ctx), a.Scan, a.Site, r.cfg.Worker); err != nil {
		r.log.Warn("could not give a site back", "scan", a.Scan, "site", a.Site, "error", err.Error())
	}
}

// scanSettings reads a scan's settings once per process.
func (r *Runner) scanSettings(ctx context.Context, id int64) (ss *scanSettings, finished bool, err error) {
	b, _, finished, err := r.cfg.Store.ScanOptions(ctx, id)
	if err != nil || finished {
		return nil, finished, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if ss := r.settings[id]; ss != nil {
		return ss, false, nil
	}
	sc, err := r.cfg.Store.Scan(ctx, id)
	if err != nil {
		return nil, false, err
	}
	s, err := ParseSettings(b)
	if err != nil {
		return nil, false, err
	}
	opts, err := s.Options(r.cfg.Version, sc.Started)
	if err != nil {
		return nil, false, fmt.Errorf("scan %d: %w", id, err)
	}
	ss = &scanSettings{opts: opts, crawl: s.Crawl(), noCache: s.NoCache}
	r.settings[id] = ss
	return ss, false, nil
}

// archiveEntry archives an entry's page and files and the text of the
// documents read from them.
func archiveEntry(ctx context.Context, a *store.Archive, e *crawler.Entry, docs []*annual.Report) {
	add := func(res *crawler.Resource, role string) {
		f := store.Fetched{URL: res.URL, FinalURL: res.FinalURL, Role: role, ContentType: res.ContentType, Charset: res.Charset,
			Status: res.Status, NotModified: res.NotModified, Body: res.Body}
		if res.Err != nil {
			f.Failure, f.Error = res.Err.Class, res.Err.Error
		}
		a.Page(ctx, f)
	}
	if e.Page != nil {
		add(e.Page, store.RoleEntry)
	}
	for i := range e.Attachments {
		add(&e.Attachments[i], store.RoleAttachment)
	}
	for _, d := range docs {
		if d.Doc != nil && d.ReadError == "" {
			a.Document(ctx, d.Source, d.Doc.Text())
		}
	}
}

// levelHandler passes on records at or above a level: River's info logs
// are its own business.
type levelHandler struct {
	slog.Handler
	min slog.Level
}

func (h levelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// WorkerName names this process in the store and in River.
func WorkerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()%1e6)
}
