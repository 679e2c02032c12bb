package simnet

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"
)

// cst is the time zone of every date on the sites.
var cst = time.FixedZone("CST", 8*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, cst) }

// deadline is the last on-time publication day of a report (spec §2).
// Every simulated government is a county-level one (a 区 or 县 of a city),
// so from the 2021 reports its own report is due by February 20
// (国办公开办函〔2021〕30号).
func deadline(year int, level string) time.Time {
	switch {
	case year <= 2018 || (level == LevelGovernment && year <= 2020):
		return day(year+1, time.March, 31)
	case level == LevelGovernment:
		return day(year+1, time.February, 20)
	}
	return day(year+1, time.January, 31)
}

// dateOnly drops the time of day.
func dateOnly(t time.Time) time.Time {
	t = t.In(cst)
	return day(t.Year(), t.Month(), t.Day())
}

// lastDue is the last report year whose deadline has passed on now.
func lastDue(now time.Time, level string) int {
	y := dateOnly(now).Year()
	for !deadline(y, level).Before(dateOnly(now)) {
		y--
	}
	return y
}

// Planted document and site defects.
const (
	dNone        = ""
	dNoColumn    = "no-column"
	dPubUnknown  = "pub-unknown"
	dLateDept    = "late-dept"
	dLateGov     = "late-gov"
	dLateOld     = "late-old"
	dMissing     = "missing" // the year is not published
	dT3Result    = "t3-result-cell"
	dT3Total     = "t3-total-row"
	dT3TotalCol  = "t3-total-column"
	dT3New       = "t3-new-row"
	dT3XYear     = "t3-xyear"
	dT4Sum       = "t4-sum"
	dSecMissing  = "section-missing"
	dTblMissing  = "table-missing"
	d404         = "attachment-404"
	dTiny        = "attachment-tiny"
	dSoft404     = "attachment-html-error"
	dDocTemplate = "template-2019-in-2021"
	dDup         = "duplicate-previous-year"
	dNoFee       = "section6-no-fee"
	dNoReview    = "old-no-review"
	dTxtTbl      = "text-table"
)

// Fault targets.
const (
	fNone = iota
	fTransient5xx
	fPermanent5xx
	fReset
	fSlow
	fHang
	fHangOnce
	fLoop
	fHuge
)

// rep is one entry of a site's column (or a year that is not published).
type rep struct {
	year      int
	tmpl      string // as printed
	other     string // "plan" or "letter" for non-reports
	defect    string
	published bool
	pub       time.Time // publication date and time
	hasDate   bool
	sign      time.Time // 落款 and 成文日期
	format    string    // html, docx, pdf
	title     string
	path      string // page path
	atts      []*att
	pageFault int    // armed fault of the report page
	target    int    // fault drawn for the page or its attachment, armed or not
	taken     bool   // already a fault target
	pdf       string // embedded PDF file for the real reports

	t2 *table2
	t3 *table3
	t4 *table4

	vals   map[string]string
	theme  int    // year whose theme sentence is used
	quoted int    // number quoted as 收到申请X件
	text   string // prose, for duplicate checks in tests
	body   []block
}

func (r *rep) isReport() bool { return r.other == "" }

// transparent reports leave the cross-year state unchanged, so that a
// checker comparing with the nearest readable year sees no difference.
func (r *rep) transparent() bool {
	switch r.defect {
	case dMissing, d404, dTiny, dSoft404:
		return true
	}
	return r.target == fPermanent5xx || r.target == fHang || r.target == fLoop
}

// att is an attachment linked from a report page.
type att struct {
	path  string
	name  string // link text
	ext   string
	fault int
}

// sg is a site being generated.
type sg struct {
	s         *Site
	ag        agency
	rng       *rand.Rand
	hongze    bool
	noColumn  bool
	attach    bool // publishes some reports as DOCX attachments
	start     int
	reps      map[int]*rep
	years     []int // candidate years, ascending
	extras    []*rep
	st        style
	defects   int
	ids       int
	lieUTF8   bool // header says utf-8 on GBK bytes
	lieGB     bool // meta says gb2312 on UTF-8 bytes
	listTaken bool // a list page is a fault target
	listPage  int  // which list page (0-based; the last one when there are fewer)
	listFault int  // armed fault of that page

	mech      string    // list mechanism (ListMechanisms) of a script-built column; "" for a page list
	ls        *listSite // its parameters
	subs      []*sg     // agencies whose reports this site's column lists too (a city's departments)
	idBase    int       // added to page ids, keeping those of subs apart
	firstYear int       // first report year when fixed; 0 draws it
}

// style is how a site looks.
type style struct {
	zlPath, zlText   string
	colPath, colText string
	colDir           string // directory of list pages and TRS details
	colID            int
	titlePat         int
	dateFmt          int
	dateTd           bool
	heading          int
	brk              bool
	infoTable        bool
	truncate         int
	jsFunc, jsPrefix string
	jsOnclick        bool
	queryLinks       bool
	distractor       bool
	pubLabel         int
}

// generate builds every site of n for the given home URLs.
func generate(n *Internet, homes []string) error {
	cfg := n.Config
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x5eed5eed))
	count := min(cfg.Sites, len(homes))
	namer := &agencyNamer{rng: rng, used: map[string]bool{hongze.full: true}}

	hz := rng.IntN(count)
	levels := spread(rng, count, []string{LevelGovernment, LevelDepartment})
	layouts := spread(rng, count, []string{LayoutTRS, LayoutJCMS, LayoutVSB})
	pagings := spread(rng, count, []string{PageStatic, PageTRSScript, PageJSFunc, PageQuery})
	// the real-PDF site gets a layout with dated URLs; swap, so the mix stays
	if j := slices.Index(layouts, LayoutTRS); j >= 0 {
		layouts[hz], layouts[j] = layouts[j], layouts[hz]
	}
	// about one site in five publishes some reports as DOCX attachments
	attach := rng.Perm(count)[:min(count, max(2, count/5))]
	var gens []*sg
	for i, home := range homes[:count] {
		g := &sg{
			rng:  rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(i)+1)),
			reps: map[int]*rep{},
			s: &Site{
				Home: home, Host: strings.TrimSuffix(strings.TrimPrefix(home, "http://"), "/"),
				Level: levels[i], Layout: layouts[i], Pagination: pagings[i],
				resources: map[string]*resource{}, pages: map[int]string{}, net: n,
			},
		}
		g.s.handler = http.HandlerFunc(g.s.serve)
		if i == hz {
			g.hongze = true
			g.ag = hongze
			g.s.Level = LevelGovernment
			g.s.Layout = LayoutTRS // only when there is no TRS site in the draw
		} else {
			g.ag = namer.next(g.s.Level)
		}
		g.s.Agency = g.ag.full
		g.attach = i != hz && slices.Contains(attach, i)
		g.skeleton(cfg.Now)
		gens = append(gens, g)
	}
	gens = append(gens, listSites(n, homes[count:], namer.used)...)
	p := &planner{rng: rng, gens: gens, now: cfg.Now}
	p.plantDefects()
	p.planFaults(cfg.Faults)
	for _, g := range gens {
		if err := g.build(cfg); err != nil {
			return err
		}
		n.Sites = append(n.Sites, g.s)
	}
	n.Truth = truth(gens, cfg)
	n.Unrendered = unrendered(n.Truth, gens)
	return nil
}

// spread returns count values cycling through vals in a random order, so
// that every value is used about equally.
func spread(rng *rand.Rand, count int, vals []string) []string {
	out := make([]string, count)
	for i := range out {
		out[i] = vals[i%len(vals)]
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// skeleton draws the site's looks, years and on-time publication dates.
func (g *sg) skeleton(now time.Time) {
	rng, s := g.rng, g.s
	if s.Charset = "utf-8"; rng.IntN(5) < 2 {
		s.Charset = "gbk"
	}
	s.Declared = []string{"header", "meta", "both", "both", "none", "meta-late"}[rng.IntN(6)]
	if s.Charset == "utf-8" && s.Declared == "meta-late" {
		s.Declared = "meta"
	}
	s.PerPage = 3 + rng.IntN(3)
	if s.Pagination == PageQuery {
		s.PageParam = []string{"currentPage", "page", "pageNo", "pageIndex"}[rng.IntN(4)]
	}
	if rng.IntN(4) == 0 {
		s.CrawlDelay = []float64{0.1, 0.2, 0.3}[rng.IntN(3)]
	}
	s.Disallow = []string{"/search/", "/admin/"}
	if rng.IntN(2) == 0 {
		s.Disallow = append(s.Disallow, "/interface/")
	}
	g.st = g.drawStyle()

	if g.hongze {
		g.start = 2016 + rng.IntN(4)
	} else {
		g.start = []int{2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2015, 2017, 2019}[rng.IntN(12)]
	}
	if g.firstYear != 0 {
		g.start = g.firstYear
	}
	last := dateOnly(now).Year() - 1
	for y := g.start; y <= last; y++ {
		r := &rep{year: y, format: "html", hasDate: true, theme: y}
		switch {
		case y <= 2018:
			r.tmpl = tmplPre2019
			r.pub = day(y+1, time.January, 8).AddDate(0, 0, rng.IntN(80))
		case y <= 2020:
			r.tmpl = tmpl2019
		default:
			r.tmpl = tmpl2021
		}
		if y >= 2019 {
			if g.s.Level == LevelDepartment {
				r.pub = day(y+1, time.January, 4).AddDate(0, 0, rng.IntN(28))
			} else {
				// from January 12, before the deadline: February 20
				// from the 2021 reports
				span := 79
				if y >= 2021 {
					span = 40
				}
				r.pub = day(y+1, time.January, 12).AddDate(0, 0, rng.IntN(span))
			}
		}
		if dl := deadline(y, g.s.Level); r.pub.After(dl) {
			r.pub = dl
		}
		// the deadline day itself is on time: make some reports use it
		if rng.IntN(14) == 0 {
			r.pub = deadline(y, g.s.Level)
		}
		r.pub = r.pub.Add(time.Duration(8*60+rng.IntN(9*60)) * time.Minute)
		r.sign = r.pub.AddDate(0, 0, -rng.IntN(6))
		if g.attach && (y >= 2019 || rng.IntN(2) == 0) {
			r.format = "docx"
		}
		if g.hongze && (y == 2023 || y == 2024) {
			r.format = "pdf"
			r.pdf = map[int]string{2023: "2023-jiangsu-huaian-hongzequ.pdf", 2024: "2024-jiangsu-huaian-hongzequ.pdf"}[y]
			r.tmpl = tmpl2021
			r.pub = map[int]time.Time{2023: time.Date(2024, 1, 26, 16, 42, 0, 0, cst), 2024: time.Date(2025, 1, 22, 10, 15, 0, 0, cst)}[y]
			r.sign = dateOnly(r.pub)
		}
		r.published = !dateOnly(r.pub).After(dateOnly(now))
		g.reps[y] = r
		g.years = append(g.years, y)
	}
}

func (g *sg) drawStyle() style {
	rng, s := g.rng, g.s
	var st style
	zl := [][2]string{{"/zfxxgk/index.html", "政府信息公开"}, {"/xxgk/index.html", "信息公开"},
		{"/zwgk/index.html", "政务公开"}, {"/zwgk/zfxxgk/index.html", "政府信息公开"}}[rng.IntN(4)]
	st.zlPath, st.zlText = zl[0], zl[1]
	type col struct{ slug, text string }
	cols := []col{{"zfxxgknb", "政府信息公开年报"}, {"gknb", "政府信息公开年报"}, {"ndbg", "政府信息公开工作年度报告"},
		{"xxgknb", "信息公开年报"}, {"ndgzbg", "年度报告"}, {"nb", "政府信息公开年报"}, {"zfxxgknb", "政府信息公开年度报告"}}
	if s.Level == LevelDepartment {
		cols = append(cols, col{"bmnb", "部门年报"}, col{"bmnb", "部门年报"})
	}
	c := cols[rng.IntN(len(cols))]
	st.colText = c.text
	st.colID = 1229000000 + rng.IntN(999999)
	switch s.Layout {
	case LayoutJCMS:
		st.zlPath = fmt.Sprintf("/col/col%d/index.html", 1228000000+rng.IntN(999999))
		st.colDir = fmt.Sprintf("/col/col%d", st.colID)
	case LayoutVSB:
		slug := strings.Trim(strings.TrimSuffix(st.zlPath, "index.html"), "/")
		st.zlPath = "/" + strings.ReplaceAll(slug, "/", "_") + ".htm"
		st.colDir = "/" + slug + "/" + c.slug
	default:
		st.colDir = strings.TrimSuffix(st.zlPath, "/index.html") + "/" + c.slug
	}
	st.colPath = st.colDir + "/index.html"
	st.titlePat = rng.IntN(4)
	st.dateFmt = rng.IntN(4)
	st.dateTd = rng.IntN(3) == 0
	st.heading = rng.IntN(3)
	st.brk = rng.IntN(3) == 0
	st.infoTable = rng.IntN(2) == 0
	if rng.IntN(3) == 0 {
		st.truncate = 20 + rng.IntN(6)
	}
	if rng.IntN(2) == 0 {
		st.jsFunc, st.jsPrefix = "next", "list_"
	} else {
		st.jsFunc, st.jsPrefix, st.jsOnclick = "goPage", "page_", true
	}
	st.queryLinks = rng.IntN(2) == 0
	st.distractor = rng.IntN(2) == 0
	st.pubLabel = rng.IntN(3)
	return st
}

// planner assigns planted defects and fault targets to sites and years.
type planner struct {
	rng  *rand.Rand
	gens []*sg
	now  time.Time
}

type slot struct {
	g *sg
	r *rep
}

// pick chooses a random report satisfying ok on a site satisfying site, and
// marks it with defect d. It returns false when nothing fits (few sites).
func (p *planner) pick(d string, site func(*sg) bool, ok func(*sg, *rep) bool) (slot, bool) {
	var cands []slot
	for _, g := range p.gens {
		if g.hongze || g.noColumn || g.defects >= 2 || (site != nil && !site(g)) {
			continue
		}
		for _, y := range g.years {
			r := g.reps[y]
			// keep the previous year of cross-year plants as it is
			if nx, ok := g.reps[y+1]; ok && (nx.defect == dT3XYear || nx.defect == dDup) {
				continue
			}
			if r.defect == dNone && r.published && !r.taken && (ok == nil || ok(g, r)) {
				cands = append(cands, slot{g, r})
			}
		}
	}
	if len(cands) == 0 {
		return slot{}, false
	}
	c := cands[p.rng.IntN(len(cands))]
	c.r.defect = d
	c.g.defects++
	return c, true
}

func (g *sg) first() int {
	for _, y := range g.years {
		if r := g.reps[y]; r.published && r.defect != dMissing {
			return y
		}
	}
	return 0
}

// clean reports whether the report of year y exists, is published, has no
// defect and is in HTML.
func (g *sg) clean(y int) bool {
	r, ok := g.reps[y]
	return ok && r.published && r.defect == dNone && r.format == "html"
}

func (p *planner) plantDefects() {
	html := func(_ *sg, r *rep) bool { return r.format == "html" }
	since := func(y0 int) func(*sg, *rep) bool {
		return func(_ *sg, r *rep) bool { return r.format == "html" && r.year >= y0 }
	}
	// a site without a 年报 column, and no other defect
	if s, ok := p.pick(dNoColumn, func(g *sg) bool { return g.mech == "" }, nil); ok {
		s.r.defect = dNone
		s.g.noColumn = true
		s.g.defects = 2
	}
	if s, ok := p.pick(dPubUnknown, func(g *sg) bool { return g.s.Layout == LayoutVSB }, since(2019)); ok {
		s.r.hasDate = false
	}
	if s, ok := p.pick(dLateDept, func(g *sg) bool { return g.s.Level == LevelDepartment }, p.lateFits(2019, time.February, 3, 45)); ok {
		p.late(s, time.February, 3, 45)
	}
	if s, ok := p.pick(dLateGov, func(g *sg) bool { return g.s.Level == LevelGovernment }, p.lateFits(2019, time.April, 2, 80)); ok {
		p.late(s, time.April, 2, 80)
	}
	if s, ok := p.pick(dLateOld, nil, func(g *sg, r *rep) bool {
		return r.year <= 2018 && p.lateFits(0, time.April, 2, 90)(g, r)
	}); ok {
		p.late(s, time.April, 2, 90)
	}
	// two missing years in the middle of one site's range
	if s, ok := p.pick(dMissing, nil, func(g *sg, r *rep) bool {
		last := lastDue(p.now, g.s.Level)
		return r.year > g.first()+2 && r.year < last && len(g.years) >= 6 && g.clean(r.year-2)
	}); ok {
		s.r.published = false
		if r2, ok := s.g.reps[s.r.year-2]; ok {
			r2.defect, r2.published = dMissing, false
		}
	}
	// the latest due year missing on another site
	if s, ok := p.pick(dMissing, nil, func(g *sg, r *rep) bool {
		return r.year == lastDue(p.now, g.s.Level) && r.year > g.first()+2
	}); ok {
		s.r.published = false
	}
	for _, d := range []string{dT3Result, dT3Total, dT3TotalCol, dT3New, dT4Sum, dSecMissing, dTblMissing, dTxtTbl} {
		p.pick(d, nil, since(2019))
	}
	p.pick(dT3XYear, nil, func(g *sg, r *rep) bool {
		return r.format == "html" && r.year >= 2020 && g.clean(r.year-1)
	})
	p.pick(dNoFee, nil, since(2021))
	p.pick(dDocTemplate, nil, since(2021))
	p.pick(dDup, nil, func(g *sg, r *rep) bool {
		return r.format == "html" && r.year >= 2022 && g.clean(r.year-1)
	})
	p.pick(dNoReview, nil, func(_ *sg, r *rep) bool { return r.format == "html" && r.year <= 2018 })
	// broken attachments: the report is a short page with one attachment
	for _, d := range []string{d404, dTiny, dSoft404} {
		if s, ok := p.pick(d, nil, html); ok {
			s.r.format = "broken"
		}
	}
	// non-reports in the column
	for _, kind := range []string{"plan", "letter"} {
		if s, ok := p.pick("", nil, func(g *sg, r *rep) bool { return r.year >= g.first() }); ok {
			x := &rep{year: s.r.year, other: kind, format: "html", hasDate: true, published: true, theme: s.r.year}
			x.pub = s.r.pub.AddDate(0, 0, -3-p.rng.IntN(20))
			if kind == "plan" {
				x.pub = day(s.r.year, time.March, 1).Add(s.r.pub.Sub(dateOnly(s.r.pub))).AddDate(0, 0, p.rng.IntN(40))
			}
			x.sign = dateOnly(x.pub)
			s.g.extras = append(s.g.extras, x)
		}
	}
}

// lateFits reports whether a report can be published late at month/d0 +
// up to spread days and still before now.
func (p *planner) lateFits(y0 int, m time.Month, d0, spread int) func(*sg, *rep) bool {
	return func(g *sg, r *rep) bool {
		if r.format != "html" || r.year < y0 {
			return false
		}
		return day(r.year+1, m, d0).AddDate(0, 0, spread).Before(dateOnly(p.now))
	}
}

func (p *planner) late(s slot, m time.Month, d0, spread int) {
	r := s.r
	tod := r.pub.Sub(dateOnly(r.pub))
	r.pub = day(r.year+1, m, d0).AddDate(0, 0, p.rng.IntN(spread)).Add(tod)
	// drafted in time, published late: 成文日期 stays before the deadline
	if dl := deadline(r.year, s.g.s.Level); r.sign.After(dl) || p.rng.IntN(2) == 0 {
		r.sign = dl.AddDate(0, 0, -p.rng.IntN(10))
	}
}

// planFaults chooses the resources that misbehave. Targets are drawn
// whether or not the modes are on, so that content does not depend on
// which faults are switched on; only the modes switched on are armed.
func (p *planner) planFaults(f Faults) {
	clean := func(kind string) func(*sg, *rep) bool {
		return func(_ *sg, r *rep) bool { return r.format == kind }
	}
	arm := func(on bool, fault int) int {
		if on {
			return fault
		}
		return fNone
	}
	pageFault := func(on bool, fault int) {
		if s, ok := p.pickFault(clean("html")); ok {
			s.r.target, s.r.pageFault = fault, arm(on, fault)
		}
	}
	attFault := func(on bool, fault int) {
		if s, ok := p.pickFault(clean("docx")); ok {
			s.r.target = fault
			s.r.atts = []*att{{fault: arm(on, fault)}}
		}
	}
	listFault := func(on bool, fault int, page int) {
		var cands []*sg
		for _, g := range p.gens {
			if !g.noColumn && !g.hongze && !g.listTaken {
				cands = append(cands, g)
			}
		}
		if len(cands) == 0 {
			return
		}
		g := cands[p.rng.IntN(len(cands))]
		g.listTaken, g.listPage, g.listFault = true, page, arm(on, fault)
	}
	listFault(f.Transient5xx, fTransient5xx, 0)
	pageFault(f.Transient5xx, fTransient5xx)
	attFault(f.Transient5xx, fTransient5xx)
	attFault(f.Permanent5xx, fPermanent5xx)
	listFault(f.Resets, fReset, 1)
	pageFault(f.Resets, fReset)
	attFault(f.Resets, fReset)
	listFault(f.SlowBodies, fSlow, 0)
	pageFault(f.SlowBodies, fSlow)
	attFault(f.Timeouts, fHang)
	pageFault(f.Timeouts, fHangOnce)
	pageFault(f.RedirectLoops, fLoop)
	if s, ok := p.pickFault(func(g *sg, r *rep) bool { return r.format == "html" && r.tmpl != tmplPre2019 }); ok {
		s.r.target = fHuge
		if f.Oversized {
			s.r.atts = append(s.r.atts, &att{fault: fHuge})
		}
	}
	// lying charsets: one GBK site, one UTF-8 site with a <meta>
	var gbk, utf []*sg
	for _, g := range p.gens {
		if g.noColumn {
			continue
		}
		if g.s.Charset == "gbk" {
			gbk = append(gbk, g)
		} else if g.s.Declared != "header" {
			utf = append(utf, g)
		}
	}
	if len(gbk) > 0 {
		g := gbk[p.rng.IntN(len(gbk))]
		g.lieUTF8 = f.LyingCharsets
	}
	if len(utf) > 0 {
		g := utf[p.rng.IntN(len(utf))]
		g.lieGB = f.LyingCharsets
	}
}

// pickFault chooses a clean published report for a fault target.
func (p *planner) pickFault(ok func(*sg, *rep) bool) (slot, bool) {
	var cands []slot
	for _, g := range p.gens {
		if g.hongze || g.noColumn {
			continue
		}
		for _, y := range g.years {
			r := g.reps[y]
			if r.defect == dNone && r.published && !r.taken && ok(g, r) {
				// keep the neighbours of cross-year plants untouched
				if n, ok := g.reps[y+1]; ok && (n.defect == dT3XYear || n.defect == dDup) {
					continue
				}
				cands = append(cands, slot{g, r})
			}
		}
	}
	if len(cands) == 0 {
		return slot{}, false
	}
	c := cands[p.rng.IntN(len(cands))]
	c.r.taken = true
	return c, true
}
