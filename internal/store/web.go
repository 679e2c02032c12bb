package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

// The reviewers' app reads the store through the queries of this file:
// scorecards of a scan, one agency, one report, the findings to review.
// Every query is listed in AppQueries, which the tests EXPLAIN on both
// databases to make sure none reads a big table whole.

// Review filters of the app: a finding is open unless a decision is in
// force; an expired dismissal is open again.
const (
	ReviewOpen = "open"
)

// ScoreFilter narrows the scorecards of a scan. Rule, Severity and Review
// keep the sites that have at least one finding of that kind.
type ScoreFilter struct {
	Sites    SiteFilter
	Rule     string
	Severity result.Severity
	Review   string // ReviewOpen, Confirmed or Dismissed; "" for any
	Offset   int
	Limit    int // 0: all
}

// Scorecard is one agency's line of the overview.
type Scorecard struct {
	Site      Site
	State     string // done, failed, pending, running
	Unchecked result.Text
	Agency    string // as found on the site
	Years     []int  // report years found
	Missing   []int  // years reported missing
	LateYears []int  // years whose report was published late
	OnTime    int
	Late      int
	Errors    int
	Warnings  int
	New       int
	Resolved  int
	// Previous is the site's previous stored scan's counts; HasPrevious
	// is false for a site scanned once.
	HasPrevious              bool
	PrevErrors, PrevWarnings int
}

// Tally sums scorecards.
type Tally struct {
	Region           string
	Level            result.Level
	Sites, Checked   int
	Errors, Warnings int
	OnTime, Late     int
	New, Resolved    int
}

// Overview is a scan's scorecards, worst first, and their sums.
type Overview struct {
	Scan    *Scan
	Total   Tally   // every site the filter matches
	Groups  []Tally // by region and level
	Cards   []Scorecard
	Matched int // sites the filter matches (Cards holds a page of them)
}

// scoreWhere is the filter as a condition on scan_sites ss and sites s,
// with arguments numbered after n.
func (f ScoreFilter) where(n int, now any) (string, []any) {
	cond, args := f.Sites.where(n, true)
	var sub []string
	add := func(c string, arg any) {
		args = append(args, arg)
		sub = append(sub, strings.ReplaceAll(c, "$?", fmt.Sprintf("$%d", n+len(args))))
	}
	if f.Rule != "" {
		add(`f.rule = $?`, f.Rule)
	}
	if f.Severity != "" {
		add(`f.severity = $?`, string(f.Severity))
	}
	switch f.Review {
	case ReviewOpen:
		add(`(t.review IS NULL OR t.review_expires <= $?)`, now)
	case Confirmed, Dismissed:
		add(`t.review = $?`, f.Review)
		add(`(t.review_expires IS NULL OR t.review_expires > $?)`, now)
	}
	if len(sub) > 0 {
		cond += ` AND EXISTS (SELECT 1 FROM findings f LEFT JOIN tracked t ON t.fingerprint = f.fingerprint
			WHERE f.scan_id = ss.scan_id AND f.site_id = ss.site_id AND ` + strings.Join(sub, " AND ") + `)`
	}
	return cond, args
}

// The app's queries. $1 is the scan (or the row's ID); filters add their
// conditions where %s stands.
const (
	// The page's sites are chosen from the scan's index (scan_sites_score)
	// and only their rows read; the previous scan's counts too.
	qScoreCards = `SELECT s.id, s.url, s.name, s.level, s.tier, s.region, s.parent, ss.state, ss.unchecked_zh, ss.unchecked_en, ss.agency,
		ss.years, ss.missing, ss.on_time, ss.late, ss.errors, ss.warnings, ss.new_findings, ss.resolved,
		(SELECT p.errors FROM scan_sites p WHERE p.site_id = c.site_id AND p.scan_id < $1 AND p.state = 'done' ORDER BY p.scan_id DESC LIMIT 1),
		(SELECT p.warnings FROM scan_sites p WHERE p.site_id = c.site_id AND p.scan_id < $1 AND p.state = 'done' ORDER BY p.scan_id DESC LIMIT 1)
		FROM (SELECT ss.site_id, ss.errors, ss.warnings, s.name FROM scan_sites ss JOIN sites s ON s.id = ss.site_id
			WHERE ss.scan_id = $1 AND %s
			ORDER BY ss.errors DESC, ss.warnings DESC, s.name, ss.site_id %s) c
		JOIN scan_sites ss ON ss.scan_id = $1 AND ss.site_id = c.site_id JOIN sites s ON s.id = c.site_id
		ORDER BY c.errors DESC, c.warnings DESC, c.name, c.site_id`
	qScoreTally = `SELECT s.region, s.level, count(*), coalesce(sum(CASE WHEN ss.checked THEN 1 ELSE 0 END), 0),
		coalesce(sum(ss.errors), 0), coalesce(sum(ss.warnings), 0), coalesce(sum(ss.on_time), 0), coalesce(sum(ss.late), 0),
		coalesce(sum(ss.new_findings), 0), coalesce(sum(ss.resolved), 0)
		FROM scan_sites ss JOIN sites s ON s.id = ss.site_id
		WHERE ss.scan_id = $1 AND %s
		GROUP BY s.region, s.level ORDER BY s.region, s.level`
	qLateYears = `SELECT site_id, year FROM documents WHERE scan_id = $1 AND site_id IN (%s) AND on_time = 0 AND year IS NOT NULL`
	qSiteScans = `SELECT ss.scan_id, sc.started, ss.state, ss.errors, ss.warnings, ss.on_time, ss.late, ss.new_findings, ss.resolved
		FROM scan_sites ss JOIN scans sc ON sc.id = ss.scan_id WHERE ss.site_id = $1 ORDER BY ss.scan_id DESC LIMIT 20`
	qSiteResult = `SELECT ss.state, ss.result, ss.error FROM scan_sites ss WHERE ss.scan_id = $1 AND ss.site_id = $2`
	qSiteDocs   = `SELECT id, source, kind, title, year, published, deadline, on_time, format, error, blob
		FROM documents WHERE scan_id = $1 AND site_id = $2 ORDER BY position`
	qDocument = `SELECT d.id, d.scan_id, d.site_id, d.blob, d.result, b.size, b.content_type
		FROM documents d LEFT JOIN blobs b ON b.sha256 = d.blob WHERE d.id = $1`
	qDocFindings = `SELECT f.fingerprint, f.state, t.review, t.review_expires FROM findings f LEFT JOIN tracked t ON t.fingerprint = f.fingerprint
		WHERE f.document_id = $1 ORDER BY f.id`
	qReviewItems = `SELECT f.fingerprint, f.site_id, s.url, s.name, f.document_id, f.rule, f.category, f.severity, f.year, f.state,
		f.message_zh, f.message_en, f.evidence, t.review, t.review_expires, r.reviewer, r.decided, r.reason
		FROM findings f JOIN sites s ON s.id = f.site_id JOIN scan_sites ss ON ss.scan_id = f.scan_id AND ss.site_id = f.site_id
		LEFT JOIN tracked t ON t.fingerprint = f.fingerprint LEFT JOIN reviews r ON r.id = t.review_id
		WHERE f.scan_id = $1 AND %s`
	qResolvedItems = `SELECT x.fingerprint, f.site_id, s.url, s.name, f.document_id, f.rule, f.category, f.severity, f.year, 'resolved',
		f.message_zh, f.message_en, f.evidence, t.review, t.review_expires, r.reviewer, r.decided, r.reason
		FROM resolutions x JOIN findings f ON f.scan_id = x.last_scan AND f.fingerprint = x.fingerprint
		JOIN sites s ON s.id = x.site_id JOIN scan_sites ss ON ss.scan_id = x.scan_id AND ss.site_id = x.site_id
		LEFT JOIN tracked t ON t.fingerprint = x.fingerprint LEFT JOIN reviews r ON r.id = t.review_id
		WHERE x.scan_id = $1 AND %s`
	qScanHeader  = `SELECT id, list_id, started, finished, complete, round, trigger, tool FROM scans WHERE id = $1`
	qLatestScan  = `SELECT id FROM scans ORDER BY id DESC LIMIT 1`
	qRegions     = `SELECT DISTINCT region FROM sites WHERE region <> '' ORDER BY region`
	qSiteRegions = `SELECT s.url, s.region FROM scan_sites ss JOIN sites s ON s.id = ss.site_id WHERE ss.scan_id = $1`
	qTracked     = `SELECT t.site_id, s.url, t.rule FROM tracked t JOIN sites s ON s.id = t.site_id WHERE t.fingerprint = $1`
	qScanReviews = `SELECT r.fingerprint, r.decision, r.reason, r.reviewer, r.decided, r.expires
		FROM findings f JOIN reviews r ON r.fingerprint = f.fingerprint WHERE f.scan_id = $1 ORDER BY r.decided, r.id`
	qScanFingerprints = `SELECT s.url, f.rule, f.year, f.location, f.fingerprint FROM findings f JOIN sites s ON s.id = f.site_id
		WHERE f.scan_id = $1 ORDER BY f.site_id, f.id`
)

// AppQuery is one query of the app with arguments that make it runnable,
// for EXPLAIN in the tests.
type AppQuery struct {
	Name string
	SQL  string
	Args []any
}

// AppQueries lists the app's queries with every filter on.
func (s *Store) AppQueries() []AppQuery {
	now := s.nowTS()
	full := ScoreFilter{Sites: SiteFilter{Agency: "区", Region: "南京市", Level: result.LevelGovernment}, Rule: "T3-COL",
		Severity: result.SeverityError, Review: Dismissed}
	cond, args := full.where(1, now)
	args = append([]any{int64(1)}, args...)
	icond, iargs := full.itemsWhere()
	iargs = append([]any{int64(1)}, iargs...)
	open := ScoreFilter{Review: ReviewOpen}
	ocond, oargs := open.where(1, now)
	oargs = append([]any{int64(1)}, oargs...)
	return []AppQuery{
		{"scorecards", fmt.Sprintf(qScoreCards, cond, "LIMIT 100 OFFSET 100"), args},
		{"scorecards-open", fmt.Sprintf(qScoreCards, ocond, ""), oargs},
		{"scan-header", qScanHeader, []any{int64(1)}},
		{"latest-scan", qLatestScan, nil},
		{"tally", fmt.Sprintf(qScoreTally, cond), args},
		{"late-years", fmt.Sprintf(qLateYears, "$2, $3"), []any{int64(1), int64(1), int64(2)}},
		{"site-scans", qSiteScans, []any{int64(1)}},
		{"site-result", qSiteResult, []any{int64(1), int64(1)}},
		{"site-documents", qSiteDocs, []any{int64(1), int64(1)}},
		{"document", qDocument, []any{int64(1)}},
		{"document-findings", qDocFindings, []any{int64(1)}},
		{"review-items", fmt.Sprintf(qReviewItems, icond), iargs},
		{"resolved-items", fmt.Sprintf(qResolvedItems, icond), iargs},
		{"review-items-all", fmt.Sprintf(qReviewItems, "TRUE"), []any{int64(1)}},
		{"tracked", qTracked, []any{"0"}},
		{"site-regions", qSiteRegions, []any{int64(1)}},
		{"scan-reviews", qScanReviews, []any{int64(1)}},
		{"scan-fingerprints", qScanFingerprints, []any{int64(1)}},
	}
}

// Overview returns the scan's scorecards that f matches, worst first (most
// errors, then most warnings), with the sums over all of them and by
// region and level.
func (s *Store) Overview(ctx context.Context, scan int64, f ScoreFilter) (*Overview, error) {
	sc, err := s.ScanHeader(ctx, scan)
	if err != nil {
		return nil, err
	}
	ov := &Overview{Scan: sc}
	cond, args := f.where(1, s.nowTS())
	args = append([]any{scan}, args...)
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(qScoreTally, cond), args...)
	if err != nil {
		return nil, fmt.Errorf("store: overview of scan %d: %w", scan, err)
	}
	for rows.Next() {
		var g Tally
		var level string
		if err := rows.Scan(&g.Region, &level, &g.Sites, &g.Checked, &g.Errors, &g.Warnings, &g.OnTime, &g.Late, &g.New, &g.Resolved); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: overview of scan %d: %w", scan, err)
		}
		g.Level = result.Level(level)
		ov.Groups = append(ov.Groups, g)
		t := &ov.Total
		t.Sites += g.Sites
		t.Checked += g.Checked
		t.Errors += g.Errors
		t.Warnings += g.Warnings
		t.OnTime += g.OnTime
		t.Late += g.Late
		t.New += g.New
		t.Resolved += g.Resolved
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: overview of scan %d: %w", scan, err)
	}
	ov.Matched = ov.Total.Sites
	page := ""
	if f.Limit > 0 {
		page = fmt.Sprintf("LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	q := fmt.Sprintf(qScoreCards, cond, page)
	rows, err = s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: scorecards of scan %d: %w", scan, err)
	}
	for rows.Next() {
		var c Scorecard
		var level string
		var uzh, uen, agency, years, missing sql.NullString
		var pe, pw sql.NullInt64
		if err := rows.Scan(&c.Site.ID, &c.Site.URL, &c.Site.Name, &level, &c.Site.Tier, &c.Site.Region, &c.Site.Parent, &c.State,
			&uzh, &uen, &agency, &years, &missing, &c.OnTime, &c.Late, &c.Errors, &c.Warnings, &c.New, &c.Resolved, &pe, &pw); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: scorecards of scan %d: %w", scan, err)
		}
		c.Site.Level = result.Level(level)
		c.Unchecked = result.Text{Zh: uzh.String, En: uen.String}
		c.Agency = agency.String
		c.Years, c.Missing = intList(years.String), intList(missing.String)
		c.HasPrevious, c.PrevErrors, c.PrevWarnings = pe.Valid, int(pe.Int64), int(pw.Int64)
		ov.Cards = append(ov.Cards, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: scorecards of scan %d: %w", scan, err)
	}
	if err := s.lateYears(ctx, scan, ov.Cards); err != nil {
		return nil, err
	}
	return ov, nil
}

// lateYears fills in the years whose report was late, for the cards with
// late reports, in one query.
func (s *Store) lateYears(ctx context.Context, scan int64, cards []Scorecard) error {
	args := []any{scan}
	var ph []string
	at := map[int64]int{}
	for i, c := range cards {
		if c.Late > 0 {
			args = append(args, c.Site.ID)
			ph = append(ph, fmt.Sprintf("$%d", len(args)))
			at[c.Site.ID] = i
		}
	}
	if len(ph) == 0 {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(qLateYears, strings.Join(ph, ", ")), args...)
	if err != nil {
		return fmt.Errorf("store: late reports of scan %d: %w", scan, err)
	}
	defer rows.Close()
	for rows.Next() {
		var site int64
		var y int
		if err := rows.Scan(&site, &y); err != nil {
			return fmt.Errorf("store: late reports of scan %d: %w", scan, err)
		}
		c := &cards[at[site]]
		c.LateYears = append(c.LateYears, y)
	}
	return rows.Err()
}

// ScanHeader returns a scan without its sums (Scan adds them up over the
// scan's sites, which the app's pages do not need).
func (s *Store) ScanHeader(ctx context.Context, id int64) (*Scan, error) {
	sc := &Scan{}
	err := s.db.QueryRowContext(ctx, qScanHeader, id).Scan(&sc.ID, &sc.List, scanTime{&sc.Started}, scanTime{&sc.Finished},
		&sc.Complete, &sc.Round, &sc.Trigger, &sc.Tool)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: scan %d: %w", id, ErrNoScan)
	}
	if err != nil {
		return nil, fmt.Errorf("store: scan %d: %w", id, err)
	}
	return sc, nil
}

// LatestScanHeader is the most recent scan without its sums, ErrNoScan
// when there is none.
func (s *Store) LatestScanHeader(ctx context.Context) (*Scan, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, qLatestScan).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: %w yet", ErrNoScan)
	}
	if err != nil {
		return nil, fmt.Errorf("store: the latest scan: %w", err)
	}
	return s.ScanHeader(ctx, id)
}

// Regions lists the regions of the sites files, in order.
func (s *Store) Regions(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, qRegions)
	if err != nil {
		return nil, fmt.Errorf("store: regions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("store: regions: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SiteRegions maps the URL of each site of a scan to its region, as the
// sites file said.
func (s *Store) SiteRegions(ctx context.Context, scan int64) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, qSiteRegions, scan)
	if err != nil {
		return nil, fmt.Errorf("store: regions of scan %d: %w", scan, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var u, r string
		if err := rows.Scan(&u, &r); err != nil {
			return nil, fmt.Errorf("store: regions of scan %d: %w", scan, err)
		}
		out[u] = r
	}
	return out, rows.Err()
}

// intList reads a JSON list of years; anything else is no years.
func intList(js string) []int {
	var out []int
	if js != "" {
		_ = json.Unmarshal([]byte(js), &out)
	}
	return out
}

// SiteScan is one scan of one site, for the agency page's history.
type SiteScan struct {
	Scan                        int64
	Started                     time.Time
	State                       string
	Errors, Warnings            int
	OnTime, Late, New, Resolved int
}

// StoredDoc is a document as the agency page lists it.
type StoredDoc struct {
	ID        int64
	Source    string
	Kind      result.Kind
	Title     string
	Year      int
	Published string
	Deadline  string
	OnTime    sql.NullBool // false with Valid: late; not Valid: unknown
	Format    string
	Error     string
	Blob      string
}

// Agency is what the agency page shows of a site in one scan.
type Agency struct {
	Site      *Site
	Scan      *Scan
	State     string       // the site's state in the scan
	Result    *result.Site // nil until the site is stored
	Failure   string       // why the scan could not store it
	Documents []StoredDoc
	Scans     []SiteScan // the site's latest scans, newest first
}

// ErrNotFound is a row the app asked for that is not there.
var ErrNotFound = errors.New("not found")

// Agency returns a site as stored by a scan, with its documents and its
// recent scans.
func (s *Store) Agency(ctx context.Context, scan, site int64) (*Agency, error) {
	st, err := s.Site(ctx, site)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	a := &Agency{Site: st}
	if a.Scan, err = s.ScanHeader(ctx, scan); err != nil {
		return nil, err
	}
	var js, why sql.NullString
	switch err := s.db.QueryRowContext(ctx, qSiteResult, scan, site).Scan(&a.State, &js, &why); {
	case errors.Is(err, sql.ErrNoRows):
		a.State = ""
	case err != nil:
		return nil, fmt.Errorf("store: site %d in scan %d: %w", site, scan, err)
	}
	a.Failure = why.String
	if js.Valid && js.String != "" {
		a.Result = &result.Site{}
		if err := json.Unmarshal([]byte(js.String), a.Result); err != nil {
			return nil, fmt.Errorf("store: site %d in scan %d: %w", site, scan, err)
		}
	}
	rows, err := s.db.QueryContext(ctx, qSiteDocs, scan, site)
	if err != nil {
		return nil, fmt.Errorf("store: documents of site %d: %w", site, err)
	}
	for rows.Next() {
		var d StoredDoc
		var kind string
		var year sql.NullInt64
		var pub, dl, errText, blob sql.NullString
		var onTime sql.NullInt64
		if err := rows.Scan(&d.ID, &d.Source, &kind, &d.Title, &year, &pub, &dl, &onTime, &d.Format, &errText, &blob); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: documents of site %d: %w", site, err)
		}
		d.Kind, d.Year, d.Published, d.Deadline = result.Kind(kind), int(year.Int64), pub.String, dl.String
		d.OnTime = sql.NullBool{Bool: onTime.Int64 == 1, Valid: onTime.Valid}
		d.Error, d.Blob = errText.String, blob.String
		a.Documents = append(a.Documents, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: documents of site %d: %w", site, err)
	}
	rows, err = s.db.QueryContext(ctx, qSiteScans, site)
	if err != nil {
		return nil, fmt.Errorf("store: scans of site %d: %w", site, err)
	}
	defer rows.Close()
	for rows.Next() {
		var h SiteScan
		if err := rows.Scan(&h.Scan, scanTime{&h.Started}, &h.State, &h.Errors, &h.Warnings, &h.OnTime, &h.Late, &h.New, &h.Resolved); err != nil {
			return nil, fmt.Errorf("store: scans of site %d: %w", site, err)
		}
		a.Scans = append(a.Scans, h)
	}
	return a, rows.Err()
}

// DocFinding is a document's finding with its life and review.
type DocFinding struct {
	Fingerprint string
	State       string
	Review      string // the decision in force, "" when open
}

// Document is a stored document with what the report page needs.
type Document struct {
	ID, Scan, Site int64
	Result         *result.Document
	Blob           string // the archived body's SHA-256, "" when none
	BlobSize       int64
	ContentType    string
	Findings       []DocFinding // in the order of Result.Findings
}

// Document returns a stored document by ID.
func (s *Store) Document(ctx context.Context, id int64) (*Document, error) {
	d := &Document{}
	var blob, ctype, js sql.NullString
	var size sql.NullInt64
	err := s.db.QueryRowContext(ctx, qDocument, id).Scan(&d.ID, &d.Scan, &d.Site, &blob, &js, &size, &ctype)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: document %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: document %d: %w", id, err)
	}
	d.Blob, d.BlobSize, d.ContentType = blob.String, size.Int64, ctype.String
	d.Result = &result.Document{}
	if err := json.Unmarshal([]byte(js.String), d.Result); err != nil {
		return nil, fmt.Errorf("store: document %d: %w", id, err)
	}
	rows, err := s.db.QueryContext(ctx, qDocFindings, id)
	if err != nil {
		return nil, fmt.Errorf("store: findings of document %d: %w", id, err)
	}
	defer rows.Close()
	now := s.now()
	for rows.Next() {
		var f DocFinding
		var rev sql.NullString
		var exp time.Time
		if err := rows.Scan(&f.Fingerprint, &f.State, &rev, scanTime{&exp}); err != nil {
			return nil, fmt.Errorf("store: findings of document %d: %w", id, err)
		}
		if rev.Valid && (exp.IsZero() || exp.After(now)) {
			f.Review = rev.String
		}
		d.Findings = append(d.Findings, f)
	}
	return d, rows.Err()
}

// ReviewItem is a finding of a scan as the findings page lists it.
type ReviewItem struct {
	Fingerprint string
	SiteID      int64
	Site        string // URL
	Agency      string // the site's name
	DocumentID  int64  // 0 for a site's finding
	Rule        string
	Category    string
	Severity    result.Severity
	Year        int
	State       string // StateNew, StatePersisting or StateResolved
	Messages    result.Text
	Evidence    result.Evidence
	// Review is the decision in force ("" when open: never decided, or a
	// dismissal that expired), with who took it, when and why.
	Review   string
	Expires  time.Time
	Reviewer string
	Decided  time.Time
	Reason   string
	// Expired is set when a dismissal has run out: the finding is open
	// again.
	Expired bool
}

// ReviewItems lists the scan's findings that f matches: new and persisting
// ones, and those the scan found resolved. Offset and Limit are ignored.
func (s *Store) ReviewItems(ctx context.Context, scan int64, f ScoreFilter) ([]ReviewItem, error) {
	now := s.now()
	cond, args := f.itemsWhere()
	args = append([]any{scan}, args...)
	var out []ReviewItem
	for _, q := range []string{qReviewItems, qResolvedItems} {
		rows, err := s.db.QueryContext(ctx, fmt.Sprintf(q, cond), args...)
		if err != nil {
			return nil, fmt.Errorf("store: findings of scan %d: %w", scan, err)
		}
		for rows.Next() {
			var it ReviewItem
			var doc, year sql.NullInt64
			var sev, ev string
			var rev, reviewer, reason sql.NullString
			if err := rows.Scan(&it.Fingerprint, &it.SiteID, &it.Site, &it.Agency, &doc, &it.Rule, &it.Category, &sev, &year, &it.State,
				&it.Messages.Zh, &it.Messages.En, &ev, &rev, scanTime{&it.Expires}, &reviewer, scanTime{&it.Decided}, &reason); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: findings of scan %d: %w", scan, err)
			}
			it.DocumentID, it.Year, it.Severity = doc.Int64, int(year.Int64), result.Severity(sev)
			_ = json.Unmarshal([]byte(ev), &it.Evidence)
			if rev.Valid {
				if it.Expires.IsZero() || it.Expires.After(now) {
					it.Review, it.Reviewer, it.Reason = rev.String, reviewer.String, reason.String
				} else {
					it.Expired = true
					it.Decided = time.Time{}
				}
			} else {
				it.Expires, it.Decided = time.Time{}, time.Time{}
			}
			if keepReview(f.Review, it.Review) {
				out = append(out, it)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: findings of scan %d: %w", scan, err)
		}
	}
	return out, nil
}

// itemsWhere is the filter as a condition on findings f, sites s and
// scan_sites ss, with arguments numbered from $2. The review state is
// filtered after reading, as expiry depends on the time.
func (f ScoreFilter) itemsWhere() (string, []any) {
	cond, args := f.Sites.where(1, true)
	var extra []string
	add := func(c string, arg any) {
		args = append(args, arg)
		extra = append(extra, strings.ReplaceAll(c, "$?", fmt.Sprintf("$%d", 1+len(args))))
	}
	if f.Rule != "" {
		add(`f.rule = $?`, f.Rule)
	}
	if f.Severity != "" {
		add(`f.severity = $?`, string(f.Severity))
	}
	if len(extra) > 0 {
		cond += " AND " + strings.Join(extra, " AND ")
	}
	return cond, args
}

func keepReview(want, got string) bool {
	switch want {
	case "":
		return true
	case ReviewOpen:
		return got == ""
	}
	return got == want
}

// TrackedFinding names the site and rule of a fingerprint, for checking a
// review form against what the store knows.
func (s *Store) TrackedFinding(ctx context.Context, fingerprint string) (site int64, url, rule string, err error) {
	err = s.db.QueryRowContext(ctx, qTracked, fingerprint).Scan(&site, &url, &rule)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", fmt.Errorf("store: finding %s: %w", fingerprint, ErrNotFound)
	}
	if err != nil {
		return 0, "", "", fmt.Errorf("store: finding %s: %w", fingerprint, err)
	}
	return site, url, rule, nil
}

// ScanReviews returns every decision taken on the findings of a scan, by
// fingerprint, oldest first.
func (s *Store) ScanReviews(ctx context.Context, scan int64) (map[string][]Review, error) {
	rows, err := s.db.QueryContext(ctx, qScanReviews, scan)
	if err != nil {
		return nil, fmt.Errorf("store: reviews of scan %d: %w", scan, err)
	}
	defer rows.Close()
	out := map[string][]Review{}
	for rows.Next() {
		var r Review
		if err := rows.Scan(&r.Fingerprint, &r.Decision, &r.Reason, &r.Reviewer, scanTime{&r.Decided}, scanTime{&r.Expires}); err != nil {
			return nil, fmt.Errorf("store: reviews of scan %d: %w", scan, err)
		}
		out[r.Fingerprint] = append(out[r.Fingerprint], r)
	}
	return out, rows.Err()
}

// Fingerprints finds the fingerprint of each finding of a scan's stored
// result, as SaveSite gave them, for showing their reviews beside them.
type Fingerprints struct {
	byKey map[string]string
}

// ScanFingerprints reads the fingerprints of a scan's findings.
func (s *Store) ScanFingerprints(ctx context.Context, scan int64) (*Fingerprints, error) {
	rows, err := s.db.QueryContext(ctx, qScanFingerprints, scan)
	if err != nil {
		return nil, fmt.Errorf("store: fingerprints of scan %d: %w", scan, err)
	}
	defer rows.Close()
	fp := &Fingerprints{byKey: map[string]string{}}
	for rows.Next() {
		var site, rule, loc, sum string
		var year sql.NullInt64
		if err := rows.Scan(&site, &rule, &year, &loc, &sum); err != nil {
			return nil, fmt.Errorf("store: fingerprints of scan %d: %w", scan, err)
		}
		if k := fpKey(site, rule, int(year.Int64), loc); fp.byKey[k] == "" {
			fp.byKey[k] = sum
		}
	}
	return fp, rows.Err()
}

func fpKey(site, rule string, year int, loc string) string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%s", urlKey(site), rule, year, loc)
}

// Of returns the fingerprint of a finding of the site (doc nil for the
// site's own findings), "" when the scan has no such finding. Findings of
// one site that share rule, year and location (which SaveSite numbers in
// order) all get the first one's.
func (fp *Fingerprints) Of(site string, doc *result.Document, f result.Finding) string {
	return fp.byKey[fpKey(site, f.Rule, Year(doc, f), Location(doc, f))]
}
