package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

// Finding states relative to the site's previous scans.
const (
	StateNew        = "new"
	StatePersisting = "persisting"
	StateResolved   = "resolved"
)

// Saved is what SaveSite stored.
type Saved struct {
	Findings, New, Resolved int
	History                 []result.Finding // the history findings added
}

// SaveSite stores one site's result in the scan, in one transaction: the
// site, its documents, its findings with their fingerprints and states,
// the history findings (HIST-CHANGED, HIST-GONE) added to the result, the
// pages fetched, and the site marked done. worker must hold the site's
// lease (ErrLeaseLost otherwise); when the last site is stored the scan is
// finished.
func (s *Store) SaveSite(ctx context.Context, scan, site int64, worker string, res *result.Result, a *Archive) (*Saved, error) {
	if len(res.Sites) != 1 {
		return nil, fmt.Errorf("store: save site %d of scan %d: a result of %d sites, want one", site, scan, len(res.Sites))
	}
	if a == nil {
		a = s.NewArchive()
	}
	a.mu.Lock()
	aerr := a.err
	a.mu.Unlock()
	if aerr != nil {
		return nil, aerr
	}
	var saved *Saved
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		saved, err = s.saveSite(ctx, tx, scan, site, worker, res, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: save site %d of scan %d: %w", site, scan, err)
	}
	return saved, s.finishIfDone(ctx, scan)
}

// saving is the state of one SaveSite.
type saving struct {
	s      *Store
	tx     *sql.Tx
	ctx    context.Context
	scan   int64
	site   int64
	now    time.Time
	tool   string
	fp     fingerprinter
	out    *Saved
	sr     *result.Site
	docIDs []int64
}

func (s *Store) saveSite(ctx context.Context, tx *sql.Tx, scan, site int64, worker string, res *result.Result, a *Archive) (*Saved, error) {
	var state, holder, siteURL, tool string
	var w sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT ss.state, ss.worker, s.url, sc.tool FROM scan_sites ss JOIN sites s ON s.id = ss.site_id
		JOIN scans sc ON sc.id = ss.scan_id WHERE ss.scan_id = $1 AND ss.site_id = $2`, scan, site).Scan(&state, &w, &siteURL, &tool)
	if err != nil {
		return nil, err
	}
	holder = w.String
	if state != "running" || holder != worker {
		return nil, ErrLeaseLost
	}
	sv := &saving{s: s, tx: tx, ctx: ctx, scan: scan, site: site, now: s.now(), tool: tool,
		fp: fingerprinter{site: siteURL, seen: map[string]int{}}, out: &Saved{}, sr: res.Sites[0]}
	checked := sv.sr.Unchecked == (result.Text{}) && sv.sr.Incomplete == ""
	// what the column lacks is known only from a list read whole
	listWhole := checked && sv.sr.Column != "" && sv.sr.ListUnread == "" && sv.sr.ColumnBlocked == ""

	if err := sv.history(res, a, listWhole); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if err := sv.documents(res, a); err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	current, err := sv.findings(res)
	if err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	if checked {
		if err := sv.resolve(res, current, listWhole); err != nil {
			return nil, fmt.Errorf("resolutions: %w", err)
		}
	}
	if err := sv.pages(a); err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return sv.out, sv.finish(res, checked)
}

// history adds the history findings: HIST-CHANGED on a document whose
// content differs from when its URL was first seen, HIST-GONE on the site
// for a report no longer listed in a list read whole (listWhole). It
// records what this scan saw.
func (sv *saving) history(res *result.Result, a *Archive, listWhole bool) error {
	type version struct {
		kind, firstHash, hash, tool sql.NullString
		firstSeen                   scanTimeNull
		firstScan                   sql.NullInt64
		year                        sql.NullInt64
		title                       string
		listedFirst, listedLast     int64
	}
	known := map[string]*version{}
	rows, err := sv.tx.QueryContext(sv.ctx, `SELECT url, year, title, hash_kind, first_hash, first_seen, first_scan, hash, tool, listed_first, listed_last
		FROM report_versions WHERE site_id = $1`, sv.site)
	if err != nil {
		return err
	}
	for rows.Next() {
		var u string
		v := &version{}
		if err := rows.Scan(&u, &v.year, &v.title, &v.kind, &v.firstHash, &v.firstSeen, &v.firstScan, &v.hash, &v.tool, &v.listedFirst, &v.listedLast); err != nil {
			rows.Close()
			return err
		}
		known[u] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	a.mu.Lock()
	docs := make(map[string]docHash, len(a.docs))
	for k, v := range a.docs {
		docs[k] = v
	}
	a.mu.Unlock()

	now := sv.s.ts(sv.now)
	for _, d := range res.Documents {
		h, ok := docs[d.Source]
		if !ok || d.Error != "" || d.Kind != result.KindAnnualReport {
			continue
		}
		year := sql.NullInt64{}
		if d.Year != nil {
			year = sql.NullInt64{Int64: int64(*d.Year), Valid: true}
		}
		v := known[d.Source]
		switch {
		case v == nil || !v.firstHash.Valid:
			_, err = sv.tx.ExecContext(sv.ctx, `INSERT INTO report_versions (site_id, url, year, title, hash_kind, first_hash, first_seen, first_scan, hash, hash_seen, hash_scan, tool)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $6, $7, $8, $9)
				ON CONFLICT (site_id, url) DO UPDATE SET year = excluded.year, hash_kind = excluded.hash_kind, first_hash = excluded.first_hash,
					first_seen = excluded.first_seen, first_scan = excluded.first_scan, hash = excluded.hash, hash_seen = excluded.hash_seen,
					hash_scan = excluded.hash_scan, tool = excluded.tool`,
				sv.site, d.Source, year, d.Title, h.kind, h.hash, now, sv.scan, sv.tool)
		case v.kind.String != h.kind || (h.kind == "text" && v.tool.String != sv.tool):
			// Not comparable: the reading changed, not necessarily the
			// report. The new content is the reference from now on.
			_, err = sv.tx.ExecContext(sv.ctx, `UPDATE report_versions SET hash_kind = $1, first_hash = $2, first_seen = $3, first_scan = $4,
				hash = $2, hash_seen = $3, hash_scan = $4, tool = $5 WHERE site_id = $6 AND url = $7`,
				h.kind, h.hash, now, sv.scan, sv.tool, sv.site, d.Source)
		default:
			if v.hash.String != h.hash {
				_, err = sv.tx.ExecContext(sv.ctx, `UPDATE report_versions SET hash = $1, hash_seen = $2, hash_scan = $3 WHERE site_id = $4 AND url = $5`,
					h.hash, now, sv.scan, sv.site, d.Source)
				if err != nil {
					return err
				}
			}
			if v.firstHash.String != h.hash {
				var since time.Time
				err = sv.tx.QueryRowContext(sv.ctx, `SELECT hash_seen FROM report_versions WHERE site_id = $1 AND url = $2`, sv.site, d.Source).Scan(scanTime{&since})
				if err != nil {
					return err
				}
				first, then := v.firstSeen.t.In(cst).Format("2006-01-02"), since.In(cst).Format("2006-01-02")
				hw := hashWords(h.kind)
				msg := result.Text{
					Zh: fmt.Sprintf("年报内容在首次发现后被修改：%s 首次发现时内容摘要为 %s，%s 起为 %s（%s）", first, short(v.firstHash.String), then, short(h.hash), hw.Zh),
					En: fmt.Sprintf("the report's content changed after it was first seen: %s on %s, %s since %s (%s)", short(v.firstHash.String), first, short(h.hash), then, hw.En),
				}
				f := HistChanged.finding(msg, result.Evidence{URL: d.Source, Year: intOr(d.Year), Expected: v.firstHash.String + " " + first, Actual: h.hash + " " + then})
				d.Findings = append(d.Findings, f)
				sv.out.History = append(sv.out.History, f)
			}
		}
		if err != nil {
			return err
		}
	}

	// The column's list as read now.
	listedYears := map[int]bool{}
	for _, r := range sv.sr.Reports {
		if r.Kind != result.KindAnnualReport {
			continue
		}
		if r.Year != 0 {
			listedYears[r.Year] = true
		}
		year := sql.NullInt64{Int64: int64(r.Year), Valid: r.Year != 0}
		_, err := sv.tx.ExecContext(sv.ctx, `INSERT INTO report_versions (site_id, url, year, title, listed_first, listed_last) VALUES ($1, $2, $3, $4, $5, $5)
			ON CONFLICT (site_id, url) DO UPDATE SET title = excluded.title, year = coalesce(excluded.year, report_versions.year),
				listed_first = CASE WHEN report_versions.listed_first = 0 THEN excluded.listed_first ELSE report_versions.listed_first END,
				listed_last = excluded.listed_last`,
			sv.site, r.URL, year, r.Title, sv.scan)
		if err != nil {
			return err
		}
	}
	for _, d := range res.Documents {
		if d.Year != nil && d.Kind == result.KindAnnualReport {
			listedYears[*d.Year] = true
		}
	}
	if !listWhole {
		return nil // a list not read whole says nothing of what it lacks
	}
	var gone []string
	for u, v := range known {
		if v.listedLast > 0 && v.listedLast < sv.scan && !listed(sv.sr.Reports, u) && !(v.year.Valid && listedYears[int(v.year.Int64)]) {
			gone = append(gone, u)
		}
	}
	sort.Strings(gone)
	for _, u := range gone {
		v := known[u]
		var last time.Time
		if err := sv.tx.QueryRowContext(sv.ctx, `SELECT started FROM scans WHERE id = $1`, v.listedLast).Scan(scanTime{&last}); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		day := last.In(cst).Format("2006-01-02")
		title := v.title
		if title == "" {
			title = u
		}
		var msg result.Text
		if v.year.Valid {
			msg = result.Msg("%d年度报告「%s」曾列于年报栏目（最后一次见于 %s 的扫描），现已不在栏目中，栏目中也没有该年度的其他报告",
				"the %d report %q was listed in the column (last seen in the scan of %s) and is no longer listed, nor is any other report of that year",
				v.year.Int64, title, day)
		} else {
			msg = result.Msg("年度报告「%s」曾列于年报栏目（最后一次见于 %s 的扫描），现已不在栏目中",
				"the report %q was listed in the column (last seen in the scan of %s) and is no longer listed", title, day)
		}
		f := HistGone.finding(msg, result.Evidence{URL: u, Year: int(v.year.Int64), Expected: fmt.Sprintf("listed (scan %d, %s)", v.listedLast, day), Actual: "not listed"})
		sv.sr.Findings = append(sv.sr.Findings, f)
		sv.out.History = append(sv.out.History, f)
	}
	return nil
}

func listed(rs []result.SiteReport, u string) bool {
	return slices.ContainsFunc(rs, func(r result.SiteReport) bool { return r.URL == u })
}

func hashWords(kind string) result.Text {
	if kind == "text" {
		return result.Text{Zh: "网页正文的 SHA-256", En: "SHA-256 of the page's text"}
	}
	return result.Text{Zh: "文件的 SHA-256", En: "SHA-256 of the file"}
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func intOr(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// cst is the time zone dates in messages are given in.
var cst = time.FixedZone("CST", 8*3600)

// documents inserts the documents.
func (sv *saving) documents(res *result.Result, a *Archive) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	sv.docIDs = make([]int64, len(res.Documents))
	for i, d := range res.Documents {
		js, err := json.Marshal(d)
		if err != nil {
			return err
		}
		var blob, hash, kind sql.NullString
		if h, ok := a.docs[d.Source]; ok {
			blob, hash, kind = valid(h.blob), valid(h.hash), valid(h.kind)
		} else if p := a.pages[d.Source]; p != nil && p.blob != "" {
			blob = valid(p.blob)
		}
		err = sv.tx.QueryRowContext(sv.ctx, `INSERT INTO documents (scan_id, site_id, position, source, kind, title, agency, level, year, template,
				published, deadline, on_time, format, error, blob, content_hash, hash_kind, result)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
			sv.scan, sv.site, i, d.Source, string(d.Kind), d.Title, d.Agency, nullString(d.AgencyLevel), nullInt(d.Year), nullString(d.Template),
			nullString(d.Published), nullString(d.Deadline), onTime(d), d.Format, valid(d.Error), blob, hash, kind, string(js)).Scan(&sv.docIDs[i])
		if err != nil {
			return fmt.Errorf("%s: %w", d.Source, err)
		}
	}
	return nil
}

// onTime is 1 when a report was published by its deadline, 0 when it was
// late (PUB-LATE), NULL when either date is unknown.
func onTime(d *result.Document) any {
	if slices.ContainsFunc(d.Findings, func(f result.Finding) bool { return f.Rule == "PUB-LATE" }) {
		return 0
	}
	if d.Kind == result.KindAnnualReport && d.Published != nil && d.Deadline != nil {
		return 1
	}
	return nil
}

func valid(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullString[T ~string](p *T) sql.NullString {
	if p == nil {
		return sql.NullString{}
	}
	return valid(string(*p))
}

func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

// tracked is a fingerprint's life so far.
type trackedRow struct {
	firstScan, lastScan int64
	resolved            sql.NullInt64
	year                sql.NullInt64
	location            string
}

// findings inserts every finding with its fingerprint and state, and
// updates each fingerprint's life. It returns the fingerprints found.
func (sv *saving) findings(res *result.Result) (map[string]bool, error) {
	life, err := sv.tracked()
	if err != nil {
		return nil, err
	}
	current := map[string]bool{}
	add := func(doc int, d *result.Document, f result.Finding) error {
		fp, loc, year := sv.fp.of(d, f)
		current[fp] = true
		state, first := StateNew, sv.scan
		if t, ok := life[fp]; ok && !t.resolved.Valid && t.lastScan < sv.scan {
			state, first = StatePersisting, t.firstScan
		}
		if state == StateNew {
			sv.out.New++
		}
		sv.out.Findings++
		ev, err := json.Marshal(f.Evidence)
		if err != nil {
			return err
		}
		var docID sql.NullInt64
		if doc >= 0 {
			docID = sql.NullInt64{Int64: sv.docIDs[doc], Valid: true}
		}
		y := sql.NullInt64{Int64: int64(year), Valid: year != 0}
		if _, err := sv.tx.ExecContext(sv.ctx, `INSERT INTO findings (scan_id, site_id, document_id, fingerprint, rule, category, severity, year, location,
				state, first_scan, message_zh, message_en, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			sv.scan, sv.site, docID, fp, f.Rule, f.Category, string(f.Severity), y, loc, state, first, f.Messages.Zh, f.Messages.En, string(ev)); err != nil {
			return fmt.Errorf("%s %s: %w", f.Rule, loc, err)
		}
		_, err = sv.tx.ExecContext(sv.ctx, `INSERT INTO tracked (fingerprint, site_id, rule, year, location, first_scan, last_scan)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (fingerprint) DO UPDATE SET first_scan = excluded.first_scan, last_scan = excluded.last_scan, resolved_scan = NULL`,
			fp, sv.site, f.Rule, y, loc, first, sv.scan)
		return err
	}
	for i, d := range res.Documents {
		for _, f := range d.Findings {
			if err := add(i, d, f); err != nil {
				return nil, err
			}
		}
	}
	for _, f := range sv.sr.Findings {
		if err := add(-1, nil, f); err != nil {
			return nil, err
		}
	}
	return current, nil
}

func (sv *saving) tracked() (map[string]*trackedRow, error) {
	rows, err := sv.tx.QueryContext(sv.ctx, `SELECT fingerprint, first_scan, last_scan, resolved_scan, year, location FROM tracked WHERE site_id = $1`, sv.site)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*trackedRow{}
	for rows.Next() {
		var fp string
		t := &trackedRow{}
		if err := rows.Scan(&fp, &t.firstScan, &t.lastScan, &t.resolved, &t.year, &t.location); err != nil {
			return nil, err
		}
		out[fp] = t
	}
	return out, rows.Err()
}

// resolve records the open findings of the site that this scan checked
// again and did not find. A document's finding is checked again when a
// readable document of its year was read, or for a finding of no year,
// that document itself; a site's finding, when the site was (the caller
// saw to that), and for a finding of a year (a missing report), when the
// column's list was read whole. An open finding whose report or list
// could not be read this time stays open.
func (sv *saving) resolve(res *result.Result, current map[string]bool, listWhole bool) error {
	life, err := sv.tracked()
	if err != nil {
		return err
	}
	readYears := map[int64]bool{}
	readDocs := map[string]bool{}
	for _, d := range res.Documents {
		if d.Error == "" {
			if d.Year != nil {
				readYears[int64(*d.Year)] = true
			}
			readDocs[urlKey(d.Source)] = true
		}
	}
	var fps []string
	for fp, t := range life {
		if current[fp] || t.resolved.Valid || t.lastScan >= sv.scan {
			continue
		}
		doc, ok := strings.CutPrefix(t.location, "doc")
		switch {
		case ok && t.year.Valid && !readYears[t.year.Int64]:
			continue
		case ok && !t.year.Valid && !readDocs[locatedURL(doc)]:
			continue
		case !ok && t.year.Valid && !listWhole:
			continue
		}
		fps = append(fps, fp)
	}
	sort.Strings(fps)
	for _, fp := range fps {
		if _, err := sv.tx.ExecContext(sv.ctx, `INSERT INTO resolutions (scan_id, site_id, fingerprint, last_scan) VALUES ($1, $2, $3, $4)`,
			sv.scan, sv.site, fp, life[fp].lastScan); err != nil {
			return err
		}
		if _, err := sv.tx.ExecContext(sv.ctx, `UPDATE tracked SET resolved_scan = $1 WHERE fingerprint = $2`, sv.scan, fp); err != nil {
			return err
		}
	}
	sv.out.Resolved = len(fps)
	return nil
}

// locatedURL is the URL key a Location names after "|u=", "" if none.
func locatedURL(loc string) string {
	_, u, ok := strings.Cut(loc, "|u=")
	if !ok {
		return ""
	}
	u, _, _ = strings.Cut(u, "|")
	return u
}

// pages records what was fetched, and the failures of URLs that are not
// among the entries (list pages).
func (sv *saving) pages(a *Archive) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	insert := func(p *pageRow) error {
		var etag, lm sql.NullString
		if p.blob != "" {
			// the validators the HTTP cache keeps for the URL, when it has them
			err := sv.tx.QueryRowContext(sv.ctx, `SELECT etag, last_modified FROM http_cache WHERE key = $1 AND blob = $2`, p.URL, p.blob).Scan(&etag, &lm)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		nm := 0
		if p.NotModified {
			nm = 1
		}
		_, err := sv.tx.ExecContext(sv.ctx, `INSERT INTO pages (scan_id, site_id, url, final_url, role, status, content_type, etag, last_modified,
				blob, not_modified, failure, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (scan_id, site_id, url) DO NOTHING`,
			sv.scan, sv.site, p.URL, valid(p.FinalURL), p.Role, p.Status, valid(p.ContentType), etag, lm, valid(p.blob), nm, valid(string(p.Failure)), valid(p.Error))
		return err
	}
	for _, u := range a.order {
		if err := insert(a.pages[u]); err != nil {
			return fmt.Errorf("%s: %w", u, err)
		}
	}
	for _, fe := range sv.sr.Errors {
		if _, ok := a.pages[fe.URL]; ok {
			continue
		}
		p := &pageRow{Fetched: Fetched{URL: fe.URL, Role: RoleOther, Status: fe.Status, Failure: fe.Class, Error: fe.Error}}
		if err := insert(p); err != nil {
			return fmt.Errorf("%s: %w", fe.URL, err)
		}
	}
	return nil
}

// finish stores the site's result and sums and marks it done.
func (sv *saving) finish(res *result.Result, checked bool) error {
	sr := sv.sr
	c := res.Count()
	var missing []int
	for _, f := range sr.Findings {
		if f.Rule == "SITE-MISSING-REPORT" && f.Evidence.Year != 0 {
			missing = append(missing, f.Evidence.Year)
		}
	}
	reports, onTimeN, lateN := 0, 0, 0
	for _, d := range res.Documents {
		if d.Kind == result.KindAnnualReport && d.Error == "" {
			reports++
		}
		switch onTime(d) {
		case 1:
			onTimeN++
		case 0:
			lateN++
		}
	}
	sort.Ints(missing)
	years, _ := json.Marshal(orEmpty(sr.Years))
	miss, _ := json.Marshal(orEmpty(missing))
	js, err := json.Marshal(sr)
	if err != nil {
		return err
	}
	dur, _ := time.ParseDuration(sr.Duration)
	var uzh, uen sql.NullString
	if sr.Unchecked != (result.Text{}) {
		uzh, uen = sql.NullString{String: sr.Unchecked.Zh, Valid: true}, sql.NullString{String: sr.Unchecked.En, Valid: true}
	}
	_, err = sv.tx.ExecContext(sv.ctx, `UPDATE scan_sites SET state = 'done', finished = $1, lease_until = NULL, error = NULL, checked = $2,
			unchecked_zh = $3, unchecked_en = $4, incomplete = $5, agency = $6, column_url = $7, pages = $8, requests = $9, bytes = $10,
			not_modified = $11, fetch_errors = $12, documents = $13, reports = $14, years = $15, missing = $16, on_time = $17, late = $18,
			errors = $19, warnings = $20, infos = $21, new_findings = $22, resolved = $23, duration_ms = $24, result = $25
		WHERE scan_id = $26 AND site_id = $27`,
		sv.s.ts(sv.now), checked, uzh, uen, valid(sr.Incomplete), valid(sr.Agency), valid(sr.Column), sr.Pages, sr.Requests, sr.Bytes,
		sr.NotModified, len(sr.Errors), len(res.Documents), reports, string(years), string(miss), onTimeN, lateN,
		c.Error, c.Warning, c.Info, sv.out.New, sv.out.Resolved, dur.Milliseconds(), string(js), sv.scan, sv.site)
	return err
}

func orEmpty(v []int) []int {
	if v == nil {
		return []int{}
	}
	return v
}
