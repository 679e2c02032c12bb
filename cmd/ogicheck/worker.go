package main

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/jobs"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/result"
)

func runWorker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cm := newCommand("worker", "worker --db postgres://… [flags]",
		"Works the sites of scans queued in a shared PostgreSQL store, beside 'ogicheck scan' and other workers,\n"+
			"until interrupted. Each scan's settings come from the scan; politeness (one request at a time per\n"+
			"host) holds across all of them.", stderr)
	var sf storeFlags
	sf.register(cm.fs)
	cm.fs.Lookup("db").DefValue = ""
	sf.db = ""
	parallel := cm.fs.Int("parallel", crawler.DefaultParallel, "sites worked at once")
	lease := cm.fs.Duration("lease", jobs.DefaultLease, "how long a site stays with a worker that stopped answering before another takes it")
	poll := cm.fs.Duration("poll", time.Second, "how often to look for sites to work")
	pos, err := cm.parse(args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usagef("ogicheck worker: unexpected argument %q", pos[0])
	case sf.db == "":
		return usagef("ogicheck worker: --db postgres://… is required: workers share a PostgreSQL store with 'ogicheck scan'")
	case !store.IsPostgres(sf.db):
		return usagef("ogicheck worker: --db %s: workers need a postgres:// store; a SQLite file is worked by its 'ogicheck scan' alone", sf.db)
	case *parallel < 1 || *lease < time.Second || *poll <= 0:
		return usagef("ogicheck worker: --parallel must be positive, --lease at least 1s, --poll positive")
	}
	con := newConsole(stderr)
	log := con.logger(&cm.common)
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	rn, err := jobs.New(ctx, jobs.Config{Store: st, Worker: jobs.WorkerName(), Parallel: *parallel, Lease: *lease, Poll: *poll,
		Version: version, Logger: log,
		OnSite: siteLog(log)})
	if err != nil {
		return err
	}
	defer rn.Close()
	if err := rn.Start(ctx); err != nil {
		return err
	}
	log.Info("worker started", "parallel", *parallel)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := rn.Stop(sctx); err != nil {
		return err
	}
	log.Info("worker stopped: sites cut short are given back to the queue")
	return errInterrupted
}

// siteLog logs each site a process stored.
func siteLog(log *slog.Logger) func(scanID int64, site *store.Site, res *result.Result, saved *store.Saved) {
	return func(scanID int64, site *store.Site, res *result.Result, saved *store.Saved) {
		s := res.Sites[0]
		log.Info("site checked", "scan", scanID, "url", s.URL, "agency", site.Name, "pages", s.Pages, "documents", len(res.Documents),
			"failures", len(s.Errors), "findings", saved.Findings, "new", saved.New, "resolved", saved.Resolved, "duration", s.Duration)
	}
}
