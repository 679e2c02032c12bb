package web

import (
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/ogicheck/ogicheck/internal/redraw"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/result"
)

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	// href is a link target for a URL from a crawled page: http(s) only,
	// anything else (javascript:, data:) becomes no link.
	"href": func(u string) string {
		p, err := url.Parse(strings.TrimSpace(u))
		if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") || p.User != nil {
			return ""
		}
		return p.String()
	},
	"in":    func(t result.Text, lang string) string { return t.In(lang) },
	"lbl":   func(l map[string]string, key string) string { return l[key] },
	"sev":   func(l map[string]string, s result.Severity) string { return l[string(s)+"_sev"] },
	"lvl":   func(l map[string]string, v result.Level) string { return l[string(v)] },
	"day":   func(t time.Time) string { return dayOf(t) },
	"time":  func(t time.Time) string { return timeOf(t) },
	"delta": delta,
	"add":   func(a, b int) int { return a + b },
	"table": func(id, lang string) string { return tableName(id, lang) },
	"sect":  func(n int, lang string) string { return sectionName(n, lang) },
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, errors.New("dict: keys must be strings")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

var shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

func dayOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format("2006-01-02")
}

func timeOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format("2006-01-02 15:04")
}

// delta is a change as "+3", "−2" or "0".
func delta(now, before int) string {
	switch d := now - before; {
	case d > 0:
		return "+" + strconv.Itoa(d)
	case d < 0:
		return "−" + strconv.Itoa(-d)
	}
	return "0"
}

var cnNum = []string{"", "一", "二", "三", "四", "五", "六"}

func tableName(id, lang string) string {
	if lang == "en" {
		for i, n := range cnNum {
			if i > 0 && n == id {
				return "Table " + strconv.Itoa(i)
			}
		}
		return "Table " + id
	}
	return "表" + id
}

func sectionName(n int, lang string) string {
	if lang == "en" {
		return "Section " + strconv.Itoa(n)
	}
	if n > 0 && n < len(cnNum) {
		return "第" + cnNum[n] + "部分"
	}
	return "第" + strconv.Itoa(n) + "部分"
}

// scanOf is the scan a request names (?scan=ID), else the latest one; nil
// when there is none yet.
func (srv *Server) scanOf(r *http.Request) (*store.Scan, error) {
	if s := r.URL.Query().Get("scan"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("scan %q: %w", s, store.ErrNotFound)
		}
		sc, err := srv.st.ScanHeader(r.Context(), id)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", store.ErrNotFound, err)
		}
		return sc, nil
	}
	sc, err := srv.st.LatestScanHeader(r.Context())
	if errors.Is(err, store.ErrNoScan) {
		return nil, nil // no scan yet: the pages say so
	}
	return sc, err
}

// yearBox is one year of an agency's timeline.
type yearBox struct {
	Year  int
	State string // ontime, late, found, missing, notseen
	Label string
}

// timeline lays out the years from the first to the last known, so that
// a gap shows: late and missing only as the scan's rules said.
func timeline(l map[string]string, found, missing, late []int) []yearBox {
	all := slices.Concat(found, missing, late)
	if len(all) == 0 {
		return nil
	}
	first, last := slices.Min(all), slices.Max(all)
	if last-first > 50 {
		first = last - 50
	}
	var out []yearBox
	for y := first; y <= last; y++ {
		b := yearBox{Year: y, State: "notseen", Label: l["yearNotSeen"]}
		switch {
		case slices.Contains(late, y):
			b.State, b.Label = "late", l["yearLate"]
		case slices.Contains(found, y):
			b.State, b.Label = "found", l["yearFound"]
		case slices.Contains(missing, y):
			b.State, b.Label = "missing", l["yearMissing"]
		}
		out = append(out, b)
	}
	return out
}

// rate is a percentage of on-time reports, "" when none is known.
func rate(onTime, late int) string {
	if onTime+late == 0 {
		return ""
	}
	return strconv.Itoa((onTime*100+(onTime+late)/2)/(onTime+late)) + "%"
}

type overviewData struct {
	Scan      *store.Scan
	Filter    filterData
	Total     store.Tally
	TotalRate string
	Groups    []groupRow
	Cards     []cardRow
	Page      string
	Prev      string
	Next      string
}

type filterData struct {
	Regions                                  []string
	Region, Level, Rule, Severity, Review, Q string
	State                                    string
}

type groupRow struct {
	store.Tally
	Rate string
}

type cardRow struct {
	store.Scorecard
	Rate    string
	Years   []yearBox
	Change  string
	Checked bool
}

// filterOf reads the filter form.
func filterOf(r *http.Request) (store.ScoreFilter, filterData) {
	q := r.URL.Query()
	fd := filterData{Region: q.Get("region"), Level: q.Get("level"), Rule: strings.ToUpper(strings.TrimSpace(q.Get("rule"))),
		Severity: q.Get("severity"), Review: q.Get("review"), Q: strings.TrimSpace(q.Get("q")), State: q.Get("state")}
	f := store.ScoreFilter{Sites: store.SiteFilter{Region: fd.Region, Agency: fd.Q}, Rule: fd.Rule}
	if lv, err := result.ParseLevel(fd.Level); err == nil {
		f.Sites.Level = lv
	} else {
		fd.Level = ""
	}
	if sev, err := result.ParseSeverity(fd.Severity); err == nil {
		f.Severity = sev
	} else {
		fd.Severity = ""
	}
	switch fd.Review {
	case store.ReviewOpen, store.Confirmed, store.Dismissed:
		f.Review = fd.Review
	default:
		fd.Review = ""
	}
	return f, fd
}

func (srv *Server) overview(w http.ResponseWriter, r *http.Request) {
	sc, err := srv.scanOf(r)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	d := &overviewData{Scan: sc}
	if sc == nil {
		srv.render(w, r, http.StatusOK, "overview", d)
		return
	}
	f, fd := filterOf(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	f.Limit, f.Offset = srv.opts.PerPage, (page-1)*srv.opts.PerPage
	ov, err := srv.st.Overview(r.Context(), sc.ID, f)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	l := labelsZh
	if srv.lang(r) == "en" {
		l = labelsEn
	}
	if fd.Regions, err = srv.st.Regions(r.Context()); err != nil {
		srv.failErr(w, r, err)
		return
	}
	d.Filter, d.Total, d.TotalRate = fd, ov.Total, rate(ov.Total.OnTime, ov.Total.Late)
	for _, g := range ov.Groups {
		d.Groups = append(d.Groups, groupRow{Tally: g, Rate: rate(g.OnTime, g.Late)})
	}
	for _, c := range ov.Cards {
		row := cardRow{Scorecard: c, Rate: rate(c.OnTime, c.Late), Checked: c.State == "done" && c.Unchecked == (result.Text{})}
		row.Years = timeline(l, c.Years, c.Missing, c.LateYears)
		if c.HasPrevious {
			row.Change = delta(c.Errors, c.PrevErrors) + " / " + delta(c.Warnings, c.PrevWarnings)
		}
		d.Cards = append(d.Cards, row)
	}
	pages := max((ov.Matched+srv.opts.PerPage-1)/srv.opts.PerPage, 1)
	d.Page = fmt.Sprintf(l["page"], page, pages, ov.Matched)
	link := func(p int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		return "/?" + q.Encode()
	}
	if page > 1 {
		d.Prev = link(page - 1)
	}
	if page < pages {
		d.Next = link(page + 1)
	}
	srv.render(w, r, http.StatusOK, "overview", d)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("id %q: %w", r.PathValue("id"), store.ErrNotFound)
	}
	return id, nil
}

type agencyData struct {
	*store.Agency
	Docs     []docRow
	Findings []result.Finding
}

type docRow struct {
	store.StoredDoc
	Late, OnTime bool
}

func (srv *Server) agency(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	sc, err := srv.scanOf(r)
	if err != nil || sc == nil {
		srv.failErr(w, r, fmt.Errorf("no scan: %w", store.ErrNotFound))
		return
	}
	a, err := srv.st.Agency(r.Context(), sc.ID, id)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	d := &agencyData{Agency: a}
	for _, doc := range a.Documents {
		d.Docs = append(d.Docs, docRow{StoredDoc: doc, Late: doc.OnTime.Valid && !doc.OnTime.Bool, OnTime: doc.OnTime.Valid && doc.OnTime.Bool})
	}
	slices.SortStableFunc(d.Docs, func(a, b docRow) int { return b.Year - a.Year })
	if a.Result != nil {
		d.Findings = slices.Clone(a.Result.Findings)
		result.SortFindings(d.Findings)
	}
	srv.render(w, r, http.StatusOK, "agency", d)
}

type reportData struct {
	*store.Document
	Doc      *result.Document
	Tables   []gridTable
	Sections []sectionRow
	Findings []findingRow
}

type sectionRow struct {
	Number  int
	Heading string
	Found   bool
	Page    int // in a PDF, 0 otherwise
}

type findingRow struct {
	N int
	result.Finding
	Fingerprint string
	State       string
	Review      string
}

type gridTable struct {
	ID      string
	Page    int // in a PDF, 0 otherwise
	Columns []string
	Rows    []gridRow
}

type gridRow struct {
	Label, Found string
	Marks        []int
	Cells        []gridCell
}

type gridCell struct {
	Raw, State string
	Marks      []int
	Focus      bool
}

// numbers turns finding indexes into the numbers the page shows (1-based).
func numbers(idx []int) []int {
	out := make([]int, len(idx))
	for i, v := range idx {
		out[i] = v + 1
	}
	return out
}

func (srv *Server) report(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	doc, err := srv.st.Document(r.Context(), id)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	d := &reportData{Document: doc, Doc: doc.Result}
	fs := doc.Result.Findings
	for i, f := range fs {
		row := findingRow{N: i + 1, Finding: f}
		if i < len(doc.Findings) {
			row.Fingerprint, row.State, row.Review = doc.Findings[i].Fingerprint, doc.Findings[i].State, doc.Findings[i].Review
		}
		d.Findings = append(d.Findings, row)
	}
	for _, t := range redraw.Layout(doc.Result, fs) {
		g := gridTable{ID: t.ID, Columns: t.Columns}
		for _, rt := range doc.Result.Tables {
			if rt.ID == t.ID {
				g.Page = rt.Page
			}
		}
		for _, row := range t.Rows {
			gr := gridRow{Label: row.Label, Marks: numbers(row.Marks)}
			if row.Found != "" && !strings.Contains(row.Found, row.Label) {
				gr.Found = row.Found
			}
			for _, c := range row.Cells {
				gr.Cells = append(gr.Cells, gridCell{Raw: c.Raw, State: c.State, Marks: numbers(c.Marks), Focus: c.Focus})
			}
			g.Rows = append(g.Rows, gr)
		}
		d.Tables = append(d.Tables, g)
	}
	if tpl := doc.Result.Template; tpl != nil && *tpl != result.TemplatePre2019 {
		for n := 1; n <= 6; n++ {
			s := sectionRow{Number: n}
			for _, sec := range doc.Result.Sections {
				if sec.Number == n {
					s.Found, s.Heading, s.Page = true, sec.Heading, sec.Page
					break
				}
			}
			d.Sections = append(d.Sections, s)
		}
	} else {
		for _, sec := range doc.Result.Sections {
			d.Sections = append(d.Sections, sectionRow{Number: sec.Number, Heading: sec.Heading, Found: true, Page: sec.Page})
		}
	}
	srv.render(w, r, http.StatusOK, "report", d)
}

type textData struct {
	ID    int64
	Title string
	Text  string
}

// archived is the document a request names with its archived body; it
// answers the request itself when there is none.
func (srv *Server) archived(w http.ResponseWriter, r *http.Request) (*store.Document, *store.Blob, bool) {
	id, err := pathID(r)
	if err != nil {
		srv.failErr(w, r, err)
		return nil, nil, false
	}
	doc, err := srv.st.Document(r.Context(), id)
	if err != nil {
		srv.failErr(w, r, err)
		return nil, nil, false
	}
	if doc.Blob == "" {
		srv.fail(w, r, http.StatusNotFound, "noArchive")
		return nil, nil, false
	}
	b, err := srv.st.Blob(r.Context(), doc.Blob)
	if err != nil {
		srv.failErr(w, r, fmt.Errorf("%w: %w", store.ErrNotFound, err))
		return nil, nil, false
	}
	return doc, b, true
}

func (srv *Server) reportText(w http.ResponseWriter, r *http.Request) {
	doc, b, ok := srv.archived(w, r)
	if !ok {
		return
	}
	srv.render(w, r, http.StatusOK, "text", &textData{ID: doc.ID, Title: doc.Result.Title, Text: b.Text})
}

// reportFile sends the archived body as a download, never for display: a
// page from a crawled site must not run in the app's origin.
func (srv *Server) reportFile(w http.ResponseWriter, r *http.Request) {
	doc, b, ok := srv.archived(w, r)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fileName(doc.Result.Source, doc.Blob)}))
	h.Set("Content-Length", strconv.Itoa(len(b.Data)))
	w.Write(b.Data)
}

// fileName is a safe download name from the source URL's last segment.
func fileName(source, sum string) string {
	name := ""
	if u, err := url.Parse(source); err == nil {
		name = path.Base(u.Path)
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-", r) {
			return r
		}
		return '_'
	}, name)
	if name == "" || name == "." || name == "_" || strings.HasPrefix(name, ".") {
		name = sum[:min(len(sum), 16)]
	}
	return name
}

type findingsData struct {
	Scan      *store.Scan
	Shown     int  // each list shows at most this many
	Cut       bool // some list was cut: narrow with the filters
	Filter    filterData
	Regions   []string
	Open      []store.ReviewItem
	Confirmed []store.ReviewItem
	Dismissed []store.ReviewItem
	CanReview bool
	Back      string
	Today     string
}

func (srv *Server) findings(w http.ResponseWriter, r *http.Request) {
	sc, err := srv.scanOf(r)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	d := &findingsData{Scan: sc, CanReview: canReview(sessionOf(r).user), Back: r.URL.RequestURI(), Today: dayOf(srv.opts.Now())}
	if sc == nil {
		srv.render(w, r, http.StatusOK, "findings", d)
		return
	}
	f, fd := filterOf(r)
	d.Filter = fd
	items, err := srv.st.ReviewItems(r.Context(), sc.ID, f)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	for _, it := range items {
		if fd.State != "" && it.State != fd.State {
			continue
		}
		switch it.Review {
		case store.Confirmed:
			d.Confirmed = append(d.Confirmed, it)
		case store.Dismissed:
			d.Dismissed = append(d.Dismissed, it)
		default:
			d.Open = append(d.Open, it)
		}
	}
	order := func(a, b store.ReviewItem) int {
		if a.Severity.Rank() != b.Severity.Rank() {
			return b.Severity.Rank() - a.Severity.Rank()
		}
		if c := strings.Compare(a.Agency, b.Agency); c != 0 {
			return c
		}
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return a.Year - b.Year
	}
	d.Shown = maxListed
	for _, l := range []*[]store.ReviewItem{&d.Open, &d.Confirmed, &d.Dismissed} {
		slices.SortStableFunc(*l, order)
		if len(*l) > maxListed {
			*l, d.Cut = (*l)[:maxListed], true
		}
	}
	srv.render(w, r, http.StatusOK, "findings", d)
}

// maxListed bounds each list of the findings page: a province's scan has
// tens of thousands of findings; the filters narrow them.
const maxListed = 500

type findingData struct {
	Fingerprint string
	Site        int64
	URL         string
	Rule        string
	Reviews     []store.Review
	CanReview   bool
	Back        string
	Today       string
}

func (srv *Server) finding(w http.ResponseWriter, r *http.Request) {
	fp := r.PathValue("fp")
	site, u, rule, err := srv.st.TrackedFinding(r.Context(), fp)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	rs, err := srv.st.Reviews(r.Context(), fp)
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "finding", &findingData{Fingerprint: fp, Site: site, URL: u, Rule: rule, Reviews: rs,
		CanReview: canReview(sessionOf(r).user), Back: r.URL.RequestURI(), Today: dayOf(srv.opts.Now())})
}

// review records a decision from a form: viewers get 403, a bad form 400.
func (srv *Server) review(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	if !checkCSRF(r, s) {
		srv.fail(w, r, http.StatusForbidden, "errCSRF")
		return
	}
	if !canReview(s.user) {
		srv.fail(w, r, http.StatusForbidden, "viewOnly")
		return
	}
	rv := store.Review{Fingerprint: r.PostFormValue("fingerprint"), Reason: strings.TrimSpace(r.PostFormValue("reason")),
		User: s.user.ID, Reviewer: s.user.Name}
	switch r.PostFormValue("decision") {
	case store.Confirmed, store.Dismissed:
		rv.Decision = r.PostFormValue("decision")
	default:
		srv.fail(w, r, http.StatusBadRequest, "errDecision")
		return
	}
	if rv.Decision == store.Dismissed && rv.Reason == "" {
		srv.fail(w, r, http.StatusBadRequest, "errReason")
		return
	}
	if e := strings.TrimSpace(r.PostFormValue("expires")); e != "" {
		day, err := time.ParseInLocation("2006-01-02", e, shanghai)
		if err != nil || !day.After(srv.opts.Now()) {
			srv.fail(w, r, http.StatusBadRequest, "errDate")
			return
		}
		rv.Expires = day
	}
	if v := r.PostFormValue("scan"); v != "" {
		// an unknown scan would otherwise fail the insert (foreign key)
		id, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			_, err = srv.st.ScanHeader(r.Context(), id)
		}
		switch {
		case err == nil:
			rv.Scan = id
		case errors.Is(err, store.ErrNoScan), errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
			srv.fail(w, r, http.StatusBadRequest, "errScan")
			return
		default:
			srv.failErr(w, r, err)
			return
		}
	}
	if _, _, _, err := srv.st.TrackedFinding(r.Context(), rv.Fingerprint); err != nil {
		srv.failErr(w, r, err)
		return
	}
	rv.Decided = srv.opts.Now()
	if _, err := srv.st.AddReview(r.Context(), rv); err != nil {
		srv.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

type jobsData struct {
	Rows  []jobRow
	River bool // River's UI is mounted under /jobs/ and the user may open it
}

type jobRow struct {
	*store.Scan
	Progress *store.Progress
}

func (srv *Server) jobs(w http.ResponseWriter, r *http.Request) {
	scans, err := srv.st.Scans(r.Context(), store.ScanFilter{Limit: 20})
	if err != nil {
		srv.failErr(w, r, err)
		return
	}
	d := &jobsData{River: srv.opts.Jobs != nil && sessionOf(r).user.Role == store.RoleAdmin}
	for _, sc := range scans {
		p, err := srv.st.Progress(r.Context(), sc.ID, time.Time{})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			srv.failErr(w, r, err)
			return
		}
		d.Rows = append(d.Rows, jobRow{Scan: sc, Progress: p})
	}
	srv.render(w, r, http.StatusOK, "jobs", d)
}
