package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

// EachSite calls f with each stored site of the scan that the filter
// matches, in list order, as one result holding the site and its
// documents, findings included (the history findings too). Only one site
// is in memory at a time.
func (s *Store) EachSite(ctx context.Context, scan int64, filter SiteFilter, f func(*Site, *result.Result) error) error {
	cond, args := filter.where(1, true)
	rows, err := s.db.QueryContext(ctx, `SELECT `+siteColumns+`, ss.result FROM scan_sites ss JOIN sites s ON s.id = ss.site_id
		WHERE ss.scan_id = $1 AND ss.state = 'done' AND `+cond+` ORDER BY ss.position`, append([]any{scan}, args...)...)
	if err != nil {
		return fmt.Errorf("store: sites of scan %d: %w", scan, err)
	}
	type stored struct {
		site Site
		js   string
	}
	// The site rows are read first: SQLite would otherwise hold the
	// query open while f runs and the documents are read.
	var sites []stored
	for rows.Next() {
		var st stored
		var js sql.NullString
		if err := scanSite(multiScan{rows, []any{&js}}, &st.site); err != nil {
			rows.Close()
			return fmt.Errorf("store: sites of scan %d: %w", scan, err)
		}
		st.js = js.String
		sites = append(sites, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: sites of scan %d: %w", scan, err)
	}
	for _, st := range sites {
		res := &result.Result{Schema: result.Schema, Documents: []*result.Document{}}
		sr := &result.Site{}
		if err := json.Unmarshal([]byte(st.js), sr); err != nil {
			return fmt.Errorf("store: site %s of scan %d: %w", st.site.URL, scan, err)
		}
		res.Sites = []*result.Site{sr}
		docs, err := s.db.QueryContext(ctx, `SELECT result FROM documents WHERE scan_id = $1 AND site_id = $2 ORDER BY position`, scan, st.site.ID)
		if err != nil {
			return fmt.Errorf("store: documents of %s: %w", st.site.URL, err)
		}
		for docs.Next() {
			var js string
			d := &result.Document{}
			err := docs.Scan(&js)
			if err == nil {
				err = json.Unmarshal([]byte(js), d)
			}
			if err != nil {
				docs.Close()
				return fmt.Errorf("store: a document of %s: %w", st.site.URL, err)
			}
			res.Documents = append(res.Documents, d)
		}
		docs.Close()
		if err := docs.Err(); err != nil {
			return fmt.Errorf("store: documents of %s: %w", st.site.URL, err)
		}
		site := st.site
		if err := f(&site, res); err != nil {
			return err
		}
	}
	return nil
}

// UnstoredSite is a site of a scan whose result was not stored: not
// worked yet (pending or running) or failed for good.
type UnstoredSite struct {
	Site
	State string // pending, running or failed
	Error string // why it failed; "" otherwise
}

// UnstoredSites lists the sites of the scan that the filter matches and
// EachSite leaves out, in list order.
func (s *Store) UnstoredSites(ctx context.Context, scan int64, filter SiteFilter) ([]UnstoredSite, error) {
	cond, args := filter.where(1, true)
	rows, err := s.db.QueryContext(ctx, `SELECT `+siteColumns+`, ss.state, coalesce(ss.error, '') FROM scan_sites ss JOIN sites s ON s.id = ss.site_id
		WHERE ss.scan_id = $1 AND ss.state <> 'done' AND `+cond+` ORDER BY ss.position`, append([]any{scan}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: unstored sites of scan %d: %w", scan, err)
	}
	defer rows.Close()
	var out []UnstoredSite
	for rows.Next() {
		var u UnstoredSite
		if err := scanSite(multiScan{rows, []any{&u.State, &u.Error}}, &u.Site); err != nil {
			return nil, fmt.Errorf("store: unstored sites of scan %d: %w", scan, err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unstored sites of scan %d: %w", scan, err)
	}
	return out, nil
}

// multiScan scans a site's columns and more.
type multiScan struct {
	rows  *sql.Rows
	extra []any
}

func (m multiScan) Scan(dest ...any) error { return m.rows.Scan(append(dest, m.extra...)...) }

// Result returns the scan's stored sites that the filter matches as one
// result, as check would have printed it. It holds the whole scan in
// memory: for large scans prefer EachSite.
func (s *Store) Result(ctx context.Context, scan int64, filter SiteFilter) (*result.Result, error) {
	sc, err := s.Scan(ctx, scan)
	if err != nil {
		return nil, err
	}
	out := &result.Result{Schema: result.Schema, Tool: sc.Tool, Documents: []*result.Document{}, Sites: []*result.Site{}}
	err = s.EachSite(ctx, scan, filter, func(_ *Site, r *result.Result) error {
		out.Documents = append(out.Documents, r.Documents...)
		out.Sites = append(out.Sites, r.Sites...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !sc.Complete {
		out.Incomplete = "scan-incomplete"
		if sc.Finished.IsZero() {
			out.Incomplete = "scan-unfinished"
		}
	}
	return out, nil
}

// HistoryFinding is a finding as history states it against one scan.
type HistoryFinding struct {
	Fingerprint string
	Rule        string
	Category    string
	Severity    result.Severity
	Site        string // URL
	Agency      string // the site's name in the sites file
	Year        int    // 0 when none
	State       string // StateNew, StatePersisting or StateResolved
	FirstScan   int64  // first scan of its current run
	LastScan    int64  // last scan that found it
	Messages    result.Text
	Review      string    // confirmed or dismissed when a decision is in force
	Expires     time.Time // a dismissal's end
}

// History is the scans and the findings of one of them.
type History struct {
	Scans    []*Scan
	Scan     *Scan // the scan the findings are stated against; nil when no scan matched
	Findings []HistoryFinding
}

// HistoryQuery chooses what History shows.
type HistoryQuery struct {
	Scan  int64 // 0: the latest scan the filters match
	Since time.Time
	Sites SiteFilter
}

// History lists the scans the query matches, and the findings of one
// scan: new and persisting ones, and those it found resolved.
func (s *Store) History(ctx context.Context, q HistoryQuery) (*History, error) {
	scans, err := s.Scans(ctx, ScanFilter{Since: q.Since, Sites: q.Sites})
	if err != nil {
		return nil, err
	}
	h := &History{Scans: scans, Findings: []HistoryFinding{}}
	switch {
	case q.Scan != 0:
		if h.Scan, err = s.Scan(ctx, q.Scan); err != nil {
			return nil, err
		}
	case len(scans) > 0:
		h.Scan = scans[0]
	default:
		return h, nil
	}
	cond, args := q.Sites.where(1, true)
	args = append([]any{h.Scan.ID}, args...)
	now := s.nowTS()
	args = append(args, now)
	nowArg := fmt.Sprintf("$%d", len(args))
	review := `, CASE WHEN t.review IS NOT NULL AND (t.review_expires IS NULL OR t.review_expires > ` + nowArg + `) THEN t.review END, t.review_expires`
	current := `SELECT f.fingerprint, f.rule, f.category, f.severity, s.url, s.name, f.year, f.state, f.first_scan, f.scan_id, f.message_zh, f.message_en` + review + `
		FROM findings f JOIN sites s ON s.id = f.site_id JOIN scan_sites ss ON ss.scan_id = f.scan_id AND ss.site_id = f.site_id
		LEFT JOIN tracked t ON t.fingerprint = f.fingerprint
		WHERE f.scan_id = $1 AND ` + cond
	resolved := `SELECT r.fingerprint, f.rule, f.category, f.severity, s.url, s.name, f.year, 'resolved', f.first_scan, r.last_scan, f.message_zh, f.message_en` + review + `
		FROM resolutions r JOIN findings f ON f.scan_id = r.last_scan AND f.fingerprint = r.fingerprint
		JOIN sites s ON s.id = r.site_id JOIN scan_sites ss ON ss.scan_id = r.scan_id AND ss.site_id = r.site_id
		LEFT JOIN tracked t ON t.fingerprint = r.fingerprint
		WHERE r.scan_id = $1 AND ` + cond
	for _, query := range []string{current, resolved} {
		rows, err := s.db.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, fmt.Errorf("store: findings of scan %d: %w", h.Scan.ID, err)
		}
		for rows.Next() {
			var f HistoryFinding
			var year sql.NullInt64
			var sev string
			var rev sql.NullString
			if err := rows.Scan(&f.Fingerprint, &f.Rule, &f.Category, &sev, &f.Site, &f.Agency, &year, &f.State, &f.FirstScan, &f.LastScan,
				&f.Messages.Zh, &f.Messages.En, &rev, scanTime{&f.Expires}); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: findings of scan %d: %w", h.Scan.ID, err)
			}
			f.Severity, f.Year, f.Review = result.Severity(sev), int(year.Int64), rev.String
			if f.Review == "" {
				f.Expires = time.Time{}
			}
			h.Findings = append(h.Findings, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(h.Findings, func(i, j int) bool {
		a, b := h.Findings[i], h.Findings[j]
		switch {
		case a.Site != b.Site:
			return a.Site < b.Site
		case a.Severity.Rank() != b.Severity.Rank():
			return a.Severity.Rank() > b.Severity.Rank()
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		case a.Year != b.Year:
			return a.Year < b.Year
		}
		return a.Fingerprint < b.Fingerprint
	})
	return h, nil
}

// Progress is how far a scan has got.
type Progress struct {
	Sites, Done, Failed, Running  int
	Pages, Documents, FetchErrors int
	Bytes                         int64
	Errors, Warnings, Unchecked   int
	Finished                      bool
	Complete                      bool
	DoneSince                     int // sites done since the given time
}

// Progress sums the scan's sites so far; since counts the sites done since
// then (for an estimate of the time left).
func (s *Store) Progress(ctx context.Context, scan int64, since time.Time) (*Progress, error) {
	p := &Progress{}
	var fin scanTimeNull
	err := s.db.QueryRowContext(ctx, `SELECT count(*),
			coalesce(sum(CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN state = 'running' THEN 1 ELSE 0 END), 0),
			coalesce(sum(pages), 0), coalesce(sum(documents), 0), coalesce(sum(fetch_errors), 0), coalesce(sum(bytes), 0),
			coalesce(sum(errors), 0), coalesce(sum(warnings), 0),
			coalesce(sum(CASE WHEN unchecked_zh IS NOT NULL THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN state = 'done' AND finished >= $2 THEN 1 ELSE 0 END), 0),
			(SELECT finished FROM scans WHERE id = $1), (SELECT complete FROM scans WHERE id = $1)
		FROM scan_sites WHERE scan_id = $1`, scan, s.ts(since)).Scan(&p.Sites, &p.Done, &p.Failed, &p.Running, &p.Pages, &p.Documents,
		&p.FetchErrors, &p.Bytes, &p.Errors, &p.Warnings, &p.Unchecked, &p.DoneSince, &fin, &p.Complete)
	if err != nil {
		return nil, fmt.Errorf("store: progress of scan %d: %w", scan, err)
	}
	p.Finished = fin.valid
	return p, nil
}

// MaxSeverity is the most serious finding of the scan, "" with none.
func (s *Store) MaxSeverity(ctx context.Context, scan int64) (result.Severity, error) {
	var out result.Severity
	for _, sev := range []result.Severity{result.SeverityError, result.SeverityWarning, result.SeverityInfo} {
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM findings WHERE scan_id = $1 AND severity = $2 LIMIT 1`, scan, string(sev)).Scan(&one)
		if err == nil {
			return sev, nil
		}
		if err != sql.ErrNoRows {
			return "", fmt.Errorf("store: findings of scan %d: %w", scan, err)
		}
	}
	return out, nil
}
