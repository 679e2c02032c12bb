package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Triggers of a scan.
const (
	TriggerCommand  = "command"  // ogicheck scan
	TriggerSchedule = "schedule" // a periodic job
)

// Scan is one run over a list of sites.
type Scan struct {
	ID       int64
	List     int64
	Started  time.Time
	Finished time.Time // zero while sites remain
	Complete bool      // every site checked and stored
	Round    int       // 1 + times the scan was resumed
	Trigger  string
	Tool     string
	Options  []byte // JSON: the settings every worker uses

	// Sums over the scan's sites.
	Sites, Done, Failed   int
	Pages, NotModified    int
	Documents, Requests   int
	Bytes                 int64
	Errors, Warnings      int
	Infos, Unchecked      int
	NewFindings, Resolved int
}

// ErrNoScan is returned when there is no scan to show.
var ErrNoScan = errors.New("no scan")

// CreateScan starts a scan of the list's sites, all pending.
func (s *Store) CreateScan(ctx context.Context, list int64, trigger, tool string, options []byte) (*Scan, error) {
	sc := &Scan{List: list, Started: s.now().UTC().Truncate(time.Microsecond), Round: 1, Trigger: trigger, Tool: tool, Options: options}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO scans (list_id, started, trigger, tool, options) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			list, s.ts(sc.Started), trigger, tool, string(options)).Scan(&sc.ID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO scan_sites (scan_id, site_id, position)
			SELECT $1, site_id, position FROM list_sites WHERE list_id = $2`, sc.ID, list)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		sc.Sites = int(n)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: create a scan of list %d: %w", list, err)
	}
	return sc, nil
}

const scanColumns = `sc.id, sc.list_id, sc.started, sc.finished, sc.complete, sc.round, sc.trigger, sc.tool, sc.options,
	(SELECT count(*) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT count(*) FROM scan_sites x WHERE x.scan_id = sc.id AND x.state = 'done'),
	(SELECT count(*) FROM scan_sites x WHERE x.scan_id = sc.id AND x.state = 'failed'),
	(SELECT coalesce(sum(pages), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT coalesce(sum(not_modified), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT coalesce(sum(documents), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT coalesce(sum(requests), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT coalesce(sum(bytes), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT coalesce(sum(errors), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT coalesce(sum(warnings), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT coalesce(sum(infos), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT count(*) FROM scan_sites x WHERE x.scan_id = sc.id AND x.unchecked_zh IS NOT NULL),
	(SELECT coalesce(sum(new_findings), 0) FROM scan_sites x WHERE x.scan_id = sc.id),
	(SELECT coalesce(sum(resolved), 0) FROM scan_sites x WHERE x.scan_id = sc.id)`

func readScan(row interface{ Scan(...any) error }) (*Scan, error) {
	var sc Scan
	var opts string
	err := row.Scan(&sc.ID, &sc.List, scanTime{&sc.Started}, scanTime{&sc.Finished}, &sc.Complete, &sc.Round, &sc.Trigger, &sc.Tool, &opts,
		&sc.Sites, &sc.Done, &sc.Failed, &sc.Pages, &sc.NotModified, &sc.Documents, &sc.Requests, &sc.Bytes,
		&sc.Errors, &sc.Warnings, &sc.Infos, &sc.Unchecked, &sc.NewFindings, &sc.Resolved)
	if err != nil {
		return nil, err
	}
	sc.Options = []byte(opts)
	return &sc, nil
}

// Scan returns scan id with its sums.
func (s *Store) Scan(ctx context.Context, id int64) (*Scan, error) {
	sc, err := readScan(s.db.QueryRowContext(ctx, `SELECT `+scanColumns+` FROM scans sc WHERE sc.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: scan %d: %w", id, ErrNoScan)
	}
	if err != nil {
		return nil, fmt.Errorf("store: scan %d: %w", id, err)
	}
	return sc, nil
}

// LatestScan returns the most recent scan, ErrNoScan when there is none.
func (s *Store) LatestScan(ctx context.Context) (*Scan, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM scans ORDER BY id DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: %w yet", ErrNoScan)
	}
	if err != nil {
		return nil, fmt.Errorf("store: the latest scan: %w", err)
	}
	return s.Scan(ctx, id)
}

// UnfinishedScan returns the latest scan of the list that has sites left,
// nil when there is none.
func (s *Store) UnfinishedScan(ctx context.Context, list int64) (*Scan, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM scans WHERE list_id = $1 AND finished IS NULL ORDER BY id DESC LIMIT 1`, list).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: unfinished scans of list %d: %w", list, err)
	}
	return s.Scan(ctx, id)
}

// ScanFilter narrows a list of scans.
type ScanFilter struct {
	Since time.Time  // started at or after; zero for all
	Sites SiteFilter // scans that covered such a site
	Limit int        // 0 for all
}

// Scans lists scans, most recent first.
func (s *Store) Scans(ctx context.Context, f ScanFilter) ([]*Scan, error) {
	q := `SELECT ` + scanColumns + ` FROM scans sc WHERE TRUE`
	var args []any
	if !f.Since.IsZero() {
		args = append(args, s.ts(f.Since))
		q += fmt.Sprintf(` AND sc.started >= $%d`, len(args))
	}
	if !f.Sites.zero() {
		cond, a := f.Sites.where(len(args), true)
		args = append(args, a...)
		q += ` AND EXISTS (SELECT 1 FROM scan_sites ss JOIN sites s ON s.id = ss.site_id WHERE ss.scan_id = sc.id AND ` + cond + `)`
	}
	q += ` ORDER BY sc.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: scans: %w", err)
	}
	defer rows.Close()
	var out []*Scan
	for rows.Next() {
		sc, err := readScan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scans: %w", err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// Resume starts a new round of an unfinished scan: its sites not done are
// worked again, under jobs of the new round. It returns the round.
func (s *Store) Resume(ctx context.Context, scan int64) (int, error) {
	var round int
	err := s.db.QueryRowContext(ctx, `UPDATE scans SET round = round + 1 WHERE id = $1 AND finished IS NULL RETURNING round`, scan).Scan(&round)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: scan %d is finished or unknown", scan)
	}
	if err != nil {
		return 0, fmt.Errorf("store: resume scan %d: %w", scan, err)
	}
	return round, nil
}

// SitesLeft returns the IDs of the scan's sites not done yet.
//
// The sites that took longest in their last scan come first, the others in
// the list's order: a scan ends with its slowest site, and one started last
// would keep the scan running while the other workers idle.
func (s *Store) SitesLeft(ctx context.Context, scan int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ss.site_id FROM scan_sites ss WHERE ss.scan_id = $1 AND ss.state IN ('pending', 'running')
		ORDER BY coalesce((SELECT p.duration_ms FROM scan_sites p WHERE p.site_id = ss.site_id AND p.scan_id < ss.scan_id AND p.state = 'done'
			ORDER BY p.scan_id DESC LIMIT 1), 0) DESC, ss.position`, scan)
	if err != nil {
		return nil, fmt.Errorf("store: sites left in scan %d: %w", scan, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Claim outcomes.
const (
	Claimed = "claimed" // the caller works the site now
	Done    = "done"    // already stored (or failed for good): nothing to do
	Held    = "held"    // another worker holds a live lease on it
)

// Claim takes a site of a scan for worker until the lease ends; the worker
// renews it while it works. A lease that ran out (its worker died) can be
// taken over.
func (s *Store) Claim(ctx context.Context, scan, site int64, worker string, lease time.Duration) (string, error) {
	now := s.now()
	res, err := s.db.ExecContext(ctx, `UPDATE scan_sites SET state = 'running', worker = $1, lease_until = $2, claims = claims + 1, started = $3
		WHERE scan_id = $4 AND site_id = $5 AND (state = 'pending' OR (state = 'running' AND (lease_until IS NULL OR lease_until < $3)))`,
		worker, s.ts(now.Add(lease)), s.ts(now), scan, site)
	if err != nil {
		return "", fmt.Errorf("store: claim site %d of scan %d: %w", site, scan, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return Claimed, nil
	}
	var state string
	err = s.db.QueryRowContext(ctx, `SELECT state FROM scan_sites WHERE scan_id = $1 AND site_id = $2`, scan, site).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: site %d is not in scan %d", site, scan)
	}
	if err != nil {
		return "", fmt.Errorf("store: claim site %d of scan %d: %w", site, scan, err)
	}
	if state == "running" {
		return Held, nil
	}
	return Done, nil
}

// ErrLeaseLost is returned when a worker's lease on a site was taken over.
var ErrLeaseLost = errors.New("the lease on the site was lost")

// Renew extends worker's lease on a site.
func (s *Store) Renew(ctx context.Context, scan, site int64, worker string, lease time.Duration) error {
	res, err := s.db.ExecContext(ctx, `UPDATE scan_sites SET lease_until = $1 WHERE scan_id = $2 AND site_id = $3 AND worker = $4 AND state = 'running'`,
		s.ts(s.now().Add(lease)), scan, site, worker)
	if err != nil {
		return fmt.Errorf("store: renew the lease on site %d of scan %d: %w", site, scan, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store: site %d of scan %d: %w", site, scan, ErrLeaseLost)
	}
	return nil
}

// Release gives a site back unfinished (the worker is stopping), so that
// another takes it at once.
func (s *Store) Release(ctx context.Context, scan, site int64, worker string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE scan_sites SET state = 'pending', worker = NULL, lease_until = NULL
		WHERE scan_id = $1 AND site_id = $2 AND worker = $3 AND state = 'running'`, scan, site, worker)
	if err != nil {
		return fmt.Errorf("store: release site %d of scan %d: %w", site, scan, err)
	}
	return nil
}

// ReleaseAll gives back every site held in unfinished scans: for a SQLite
// file, whose one coordinator has just taken the lock, any holder is a
// process that died.
func (s *Store) ReleaseAll(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `UPDATE scan_sites SET state = 'pending', worker = NULL, lease_until = NULL WHERE state = 'running'`)
	if err != nil {
		return fmt.Errorf("store: release held sites: %w", err)
	}
	return nil
}

// Fail records that a site could not be stored after the job's retries;
// the scan then finishes incomplete.
func (s *Store) Fail(ctx context.Context, scan, site int64, why string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE scan_sites SET state = 'failed', error = $1, finished = $2, worker = NULL, lease_until = NULL
		WHERE scan_id = $3 AND site_id = $4 AND state IN ('pending', 'running')`, why, s.nowTS(), scan, site)
	if err != nil {
		return fmt.Errorf("store: mark site %d of scan %d failed: %w", site, scan, err)
	}
	return s.finishIfDone(ctx, scan)
}

// finishIfDone marks the scan finished when no site is left, complete when
// every site was stored. Any worker may be the one to do it.
func (s *Store) finishIfDone(ctx context.Context, scan int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE scans SET finished = $1,
			complete = NOT EXISTS (SELECT 1 FROM scan_sites WHERE scan_id = $2 AND state <> 'done')
		WHERE id = $2 AND finished IS NULL
			AND NOT EXISTS (SELECT 1 FROM scan_sites WHERE scan_id = $2 AND state IN ('pending', 'running'))`, s.nowTS(), scan)
	if err != nil {
		return fmt.Errorf("store: finish scan %d: %w", scan, err)
	}
	return nil
}

// Lock takes the named lock for holder until the lease ends, or renews it
// when holder has it. It reports false when another holder has a live one.
func (s *Store) Lock(ctx context.Context, name, holder string, lease time.Duration) (bool, error) {
	now := s.now()
	res, err := s.db.ExecContext(ctx, `INSERT INTO locks (name, holder, until) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
		WHERE locks.holder = excluded.holder OR locks.until < $4`, name, holder, s.ts(now.Add(lease)), s.ts(now))
	if err != nil {
		return false, fmt.Errorf("store: lock %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Unlock gives the named lock back.
func (s *Store) Unlock(ctx context.Context, name, holder string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM locks WHERE name = $1 AND holder = $2`, name, holder); err != nil {
		return fmt.Errorf("store: unlock %s: %w", name, err)
	}
	return nil
}

// ScanOptions returns the scan's settings and round.
func (s *Store) ScanOptions(ctx context.Context, scan int64) (options []byte, round int, finished bool, err error) {
	var opts string
	var fin scanTimeNull
	err = s.db.QueryRowContext(ctx, `SELECT options, round, finished FROM scans WHERE id = $1`, scan).Scan(&opts, &round, &fin)
	if err != nil {
		return nil, 0, false, fmt.Errorf("store: scan %d: %w", scan, err)
	}
	return []byte(opts), round, fin.valid, nil
}

// scanTimeNull notes whether a time column is set.
type scanTimeNull struct {
	t     time.Time
	valid bool
}

func (n *scanTimeNull) Scan(v any) error {
	n.valid = v != nil
	return scanTime{&n.t}.Scan(v)
}
