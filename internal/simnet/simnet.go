package simnet

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ogicheck/ogicheck/internal/document"
)

// Config chooses what is generated and how it is served.
type Config struct {
	Seed  int64     // deterministic generation: same seed, same sites and bodies
	Sites int       // number of sites; 0 means 24
	Now   time.Time // reference date for deadlines; zero means 2026-12-01
	// Faults turns on fault modes; the zero value serves everything cleanly.
	Faults Faults
	// Latency is added to every response (per host, so that politeness
	// delays and parallelism across hosts can be benchmarked).
	Latency time.Duration
	// NoListSites leaves out the sites whose 年报 column is built by
	// scripts, one per ListMechanisms entry, served after the Sites
	// generated ones; the zero value includes them.
	NoListSites bool
}

// Faults selects fault modes. Each mode is applied to a few resources chosen
// from the seed; Truth follows the contract's semantics for each.
type Faults struct {
	Transient5xx  bool // a list page, a report page and an attachment fail twice with 5xx, then succeed
	Permanent5xx  bool // one report attachment always answers 503 (SITE-BROKEN-LINK)
	Resets        bool // a list page, a report page and an attachment drop the connection twice, then succeed
	SlowBodies    bool // a list page and a report page trickle their body over SlowBodyTime
	Timeouts      bool // one attachment hangs on every request (SITE-BROKEN-LINK); one report page hangs once
	RedirectLoops bool // one report page redirects in a loop (SITE-BROKEN-LINK)
	Oversized     bool // one report gets an extra attachment of OversizedBytes (SITE-LIMIT)
	LyingCharsets bool // one GBK site declares utf-8 in its header, one UTF-8 site declares gb2312 in <meta>

	// TimeoutAfter is how long a hanging response hangs before the
	// connection is dropped. Set it above the crawler's request timeout.
	// Zero means 2 minutes. A hang always ends early when the request's
	// context is cancelled or the Internet is closed.
	TimeoutAfter time.Duration
	// OversizedBytes is the size of the oversized attachment. Zero means
	// document.DefaultMaxBytes plus 1 MiB.
	OversizedBytes int64
	// SlowBodyTime is how long a slow body takes to arrive. Zero means 1 s.
	SlowBodyTime time.Duration
}

// TransientFailures is how many requests a transiently failing resource
// fails before it succeeds.
const TransientFailures = 2

// Internet is a running simulated internet.
type Internet struct {
	Config Config        // the effective configuration, defaults filled
	Sites  []*Site       // in generation order
	Truth  []Expectation // the findings a checker must produce
	// Unrendered is Truth for a checker that runs no browser: the
	// browser-only site's list is unreadable (SITE-LIST-UNREADABLE on its
	// column), and nothing else is found there.
	Unrendered []Expectation

	servers []*http.Server
	done    chan struct{} // closed by Close: ends hanging and trickling responses
	wg      sync.WaitGroup
	closing sync.Once
}

// Levels of agencies (the values of result.LevelDepartment and
// result.LevelGovernment).
const (
	LevelDepartment = "department"
	LevelGovernment = "government"
)

// Layouts: the content-management systems whose URL shapes a site imitates.
const (
	LayoutTRS  = "trs"  // /zwgk/zfxxgk/zfxxgknb/index.html, ./202401/t20240120_123.html
	LayoutJCMS = "jcms" // /col/col1234/index.html, /art/2024/1/20/art_1234_5678.html
	LayoutVSB  = "vsb"  // /xxgk/ndbg/index.html, /info/1050/64208.htm (no date in URLs)
	// LayoutGkmlpt is Guangdong's gkmlpt: /gkmlpt/annualreport,
	// /gkmlpt/content/4/4123/post_4123456.html (list sites only).
	LayoutGkmlpt = "gkmlpt"
)

// Pagination styles of the 年报 column (contract.md).
const (
	PageStatic    = "static"      // index.html, index_1.html … linked
	PageTRSScript = "trs-script"  // createPageHTML(n, i, "index", "html") only
	PageJSFunc    = "js-function" // javascript:next(2) / onclick="goPage(3)" + URL template in a script
	PageQuery     = "query"       // ?currentPage=N (or page=, pageNo=, pageIndex=)
)

// List mechanisms: 年报 columns whose list is built by scripts (lists.go).
const (
	PageJCMSGet     = "jcms-get"     // JCMS datastore in the page, later groups by GET dataproxy.jsp?page=N
	PageJCMSPost    = "jcms-post"    // the same by POST with the column's form fields: a city column of hundreds of records, GBK
	PageJSONP       = "jsonp"        // a JSONP answer wrapping the datastore
	PageScriptArray = "script-array" // var itemObj = [{"aT": …, "aPd": …, "aU": …}]
	PageBase64      = "base64-pager" // static list pages whose pager markup is base64 in a script
	PageGkmlpt      = "gkmlpt"       // Guangdong's gkmlpt: /gkmlpt/api/all/{catalog}?page=N&sid={site}
	PageSearch      = "trs-search"   // page 1 static, later pages from a TRS search endpoint
	PageBrowser     = "browser-only" // built by an obfuscated script: only a browser reads it
)

// ListMechanisms are the script-built list styles, one site each.
var ListMechanisms = []string{PageJCMSGet, PageJCMSPost, PageJSONP, PageScriptArray, PageBase64, PageGkmlpt, PageSearch, PageBrowser}

// Site is one simulated agency web site.
type Site struct {
	Agency     string // full name, e.g. 滨江市东湖区人民政府
	Level      string // LevelDepartment or LevelGovernment
	Home       string // "http://127.0.0.1:PORT/"
	Host       string // "127.0.0.1:PORT": the site's politeness domain
	Layout     string // LayoutTRS, LayoutJCMS, LayoutVSB
	Charset    string // encoding of the HTML bytes: "utf-8" or "gbk"
	Declared   string // how the charset is declared: header, meta, both, meta-late, none
	Pagination string // Page* style of the 年报 column
	PageParam  string // query parameter for PageQuery (currentPage, page, pageNo, pageIndex)
	PerPage    int    // list entries per column page
	Zhuanlan   string // URL of the 政府信息公开 专栏
	Column     string // URL of the first page of the 年报 column; "" when the site has none
	ColumnText string // link text of the column
	ListPages  []string
	ListData   []string // list data requests (proxy groups, API pages) of a script-built column; POST forms not shown
	Years      []int    // report years listed in the column
	Entries    []Entry  // the column's entries, newest first, as listed
	CrawlDelay float64  // seconds, from robots.txt; 0 when not set
	Disallow   []string // robots.txt Disallow paths (for every user agent)

	resources map[string]*resource
	api       map[string]func(*http.Request) *resource // list data answers by path
	pages     map[int]string                           // query pagination: page number -> key
	colPath   string
	log       requestLog
	net       *Internet
	handler   http.Handler
}

// Entry is one entry of a 年报 column.
type Entry struct {
	Title       string   // full title (the title attribute)
	URL         string   // absolute URL of the page
	ListDate    string   // date shown in the list, YYYY-MM-DD; "" when none
	Published   string   // publication date on the page, YYYY-MM-DD; "" when none
	Year        int      // report year (also for non-reports: the year in the title)
	Agency      string   // who publishes it: the site's agency, or a department on a city's column
	Kind        string   // "annual-report" or "other"
	Template    string   // pre-2019, 2019, 2021 for reports
	Format      string   // where the report text is: html, docx, pdf; for a broken attachment its link's extension
	Attachments []string // absolute URLs of attachments linked from the page
}

// Expectation is one finding a correct checker produces.
type Expectation struct {
	Site     string // the site's Home URL
	Year     int    // report year; 0 for site findings without a year
	Rule     string // rule ID from contract.md
	Category string // category from contract.md
	Severity string // error, warning, info
	// URL is the document the finding is on (the report page, or the
	// attachment holding the report), the failing URL for SITE-BROKEN-LINK
	// and SITE-LIMIT, the column for SITE-LIST-UNREADABLE; "" for
	// SITE-NO-COLUMN and SITE-MISSING-REPORT.
	URL  string
	Note string // which check, cell or resource, in words
	// Optional marks a judgement call on a real document where the contract
	// leaves the answer open: a checker may report it or not.
	Optional bool
}

// Start generates the internet for cfg and serves every site on its own
// 127.0.0.1 port.
func Start(cfg Config) (*Internet, error) {
	cfg = withDefaults(cfg)
	n := &Internet{Config: cfg, done: make(chan struct{})}
	count := cfg.Sites
	if !cfg.NoListSites {
		count += len(ListMechanisms)
	}
	listeners := make([]net.Listener, 0, count)
	homes := make([]string, 0, count)
	for range count {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			return nil, fmt.Errorf("simnet: listen on 127.0.0.1: %w", err)
		}
		listeners = append(listeners, l)
		homes = append(homes, "http://"+l.Addr().String()+"/")
	}
	if err := generate(n, homes); err != nil {
		for _, l := range listeners {
			l.Close()
		}
		return nil, err
	}
	for i, s := range n.Sites {
		srv := &http.Server{
			Handler:           s.Handler(),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          quietLog(),
		}
		n.servers = append(n.servers, srv)
		n.wg.Add(1)
		go func(l net.Listener) {
			defer n.wg.Done()
			_ = srv.Serve(l) // returns http.ErrServerClosed on Close
		}(listeners[i])
	}
	return n, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Sites <= 0 {
		cfg.Sites = 24
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Date(2026, 12, 1, 0, 0, 0, 0, cst)
	}
	if cfg.Faults.TimeoutAfter <= 0 {
		cfg.Faults.TimeoutAfter = 2 * time.Minute
	}
	if cfg.Faults.OversizedBytes <= 0 {
		cfg.Faults.OversizedBytes = document.DefaultMaxBytes + 1<<20
	}
	if cfg.Faults.SlowBodyTime <= 0 {
		cfg.Faults.SlowBodyTime = time.Second
	}
	return cfg
}

// Close stops every server, ends hanging responses and frees the ports.
func (n *Internet) Close() {
	n.closing.Do(func() {
		close(n.done)
		for _, s := range n.servers {
			_ = s.Close()
		}
		n.wg.Wait()
	})
}

// Site returns the site whose Home URL or host:port is key, or nil.
func (n *Internet) Site(key string) *Site {
	key = strings.TrimSuffix(strings.TrimPrefix(key, "http://"), "/")
	for _, s := range n.Sites {
		if s.Host == key {
			return s
		}
	}
	return nil
}

// Requests returns the request URIs (path and query) a site received, in
// order, including robots.txt. site is a Home URL or host:port.
func (n *Internet) Requests(site string) []string {
	s := n.Site(site)
	if s == nil {
		return nil
	}
	return s.Requests()
}

// Requests returns the request URIs the site received, in order.
func (s *Site) Requests() []string { return s.log.list() }

// ResetFaults rewinds the transient-failure counters, so that a second crawl
// of the same Internet meets the same transient failures.
func (n *Internet) ResetFaults() {
	for _, s := range n.Sites {
		for _, r := range s.resources {
			r.mu.Lock()
			r.hits = 0
			r.mu.Unlock()
		}
	}
}

// TruthFor returns the expectations of one site (Home URL or host:port).
func (n *Internet) TruthFor(site string) []Expectation {
	s := n.Site(site)
	if s == nil {
		return nil
	}
	var out []Expectation
	for _, e := range n.Truth {
		if e.Site == s.Home {
			out = append(out, e)
		}
	}
	return out
}

// Summary describes the internet in a few lines per site: layout, charset,
// pagination, years and planted findings. Meant for the demo and for logs.
func (n *Internet) Summary() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "simulated internet: %d sites, seed %d, reference date %s, %d expected findings\n",
		len(n.Sites), n.Config.Seed, n.Config.Now.Format("2006-01-02"), len(n.Truth))
	for _, s := range n.Sites {
		years := ""
		if len(s.Years) > 0 {
			years = fmt.Sprintf("%d–%d (%d reports)", s.Years[0], s.Years[len(s.Years)-1], len(s.Years))
		}
		fmt.Fprintf(&sb, "%s  %s [%s, %s/%s, %s] %s\n", s.Home, s.Agency, s.Layout, s.Charset, s.Declared, s.Pagination, years)
		rules := map[string]int{}
		for _, e := range n.TruthFor(s.Home) {
			rules[e.Rule]++
		}
		if len(rules) > 0 {
			keys := make([]string, 0, len(rules))
			for k := range rules {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = fmt.Sprintf("%s×%d", k, rules[k])
			}
			fmt.Fprintf(&sb, "    expected: %s\n", strings.Join(parts, " "))
		}
	}
	return sb.String()
}

// sleep waits d, or less when ctx ends or the internet closes; it reports
// whether the full time passed.
func (n *Internet) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-n.done:
	}
	return false
}

type requestLog struct {
	mu   sync.Mutex
	uris []string
}

func (l *requestLog) add(uri string) {
	l.mu.Lock()
	l.uris = append(l.uris, uri)
	l.mu.Unlock()
}

func (l *requestLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.uris...)
}
