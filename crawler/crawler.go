// Package crawler finds the 政府信息公开年报 column of government websites
// and fetches its entries and their attachments. It is the only package of
// ogicheck that talks HTTP (through colly). It returns plain values: what
// each site's column lists and the bytes of every page and file, with every
// failure classified; it judges nothing.
//
// The crawl of one site: from the start URL (a home page, the 政府信息公开
// 专栏 or the column itself) it follows 专栏 and 年报 links by text and URL
// slug to the column, reads every list page of the column (static
// index_N.html links, the TRS createPageHTML script, javascript: pager
// functions, ?currentPage=N), and the lists scripts build (Hanweb JCMS
// datastores and their dataproxy.jsp groups, JSONP answers, item arrays,
// base64 markup, Guangdong's gkmlpt API, search endpoints behind a pager;
// listread.go), rendering in headless Chromium a column that still lists no
// report but runs scripts (Config.Render). It opens each entry and fetches
// the report files the entry links. It never wanders elsewhere. What of a
// list could not be read is recorded (Site.ListGaps): reports it may hold
// are unknown, never missing.
//
// Politeness: robots.txt is obeyed (Crawl-delay too), requests to one host
// go one at a time with a delay between them, the User-Agent names the tool
// and a contact URL, and a site's crawl stops at MaxPages URLs. A rendered
// page's requests are the crawler's own and obey all of it.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

// interrupted is Site.Incomplete of a crawl canceled by its context.
const interrupted = "interrupted"

// Site is the crawl of one start URL.
type Site struct {
	Start       string              // as given
	Home        string              // the start page after redirects
	Column      string              // the 年报 column URL, "" when none was found
	ColumnFrom  string              // how it was found: `link "政府信息公开年报"`, `url slug zfxxgknb`…
	ListPages   []string            // list pages of the column read, in order
	Entries     []Entry             // the column's entries, in list order
	Pages       int                 // URLs that got an HTTP answer
	Requests    int                 // HTTP requests sent, retries included (robots.txt not counted)
	Bytes       int64               // body bytes received
	NotModified int                 // URLs answered 304 and served from the cache, or fresh in it (Config.FreshFor)
	Errors      []result.FetchError // every failure, classified, one per URL
	// StartErr is the failure that kept the start page from being read
	// (also in Errors), nil when it was read or the crawl was canceled
	// first: the site could not be checked at all.
	StartErr   *result.FetchError
	Incomplete string // why the crawl stopped early ("interrupted", "page limit of 500 reached"), "" if it did not
	// ListUnread says why part of the column's list was not read (a
	// limit, an interruption, a list page that failed or that robots.txt
	// forbids, pages a pager announces but no link led to), "" when the
	// list was read whole. Reports the unread part
	// could hold are unknown, not missing.
	ListUnread string
	// ColumnBlocked is the column, or a page on the way to it, that
	// robots.txt forbids when no column was found for that reason.
	ColumnBlocked string
	Limits        []Limit // every limit of the crawler the site reached
	// ListGaps are the parts of the column's list that could not be read
	// (listread.go); none when it was read whole.
	ListGaps []ListGap
	Duration time.Duration
}

// Limit names of Limit.Name.
const (
	LimitPages      = "max-pages"    // URLs fetched per site (Config.MaxPages)
	LimitListPages  = "list-pages"   // list pages read per column (100)
	LimitSiteTime   = "site-timeout" // time per site, in seconds (Config.SiteTimeout)
	LimitCrawlDelay = "crawl-delay"  // robots.txt Crawl-delay honoured up to a cap, in seconds
	// LimitRobotsRedirect: robots.txt redirected off the site (or in a
	// loop); the redirect was not followed and the site was crawled as
	// one without robots.txt. URL is where it pointed.
	LimitRobotsRedirect = "robots-redirect"
)

// Limit is a limit of the crawler that a site reached. What it kept from
// being read is unknown, never missing or broken.
type Limit struct {
	Name  string // one of the Limit* names
	Max   int64  // the limit
	Count int64  // what the site needed: pages wanted, list pages found, seconds asked
	URL   string // where it was reached
}

// Entry is one item of the 年报 column's list.
type Entry struct {
	Title    string // the link's title attribute, or its text
	URL      string
	ListDate string // YYYY-MM-DD when the list shows a date
	// Page is the entry's HTML page; nil when it failed (see Site.Errors)
	// or when the entry links a file directly (then the file is the one
	// attachment).
	Page        *Resource
	Attachments []Resource // report files linked from the page, broken ones with Err set
}

// Resource is one fetched page or file.
type Resource struct {
	URL         string // as linked (cleaned: no fragment or session id)
	FinalURL    string // after redirects
	ContentType string // the HTTP header as sent, charset included
	LinkText    string
	Status      int    // HTTP status; 304 when served from the cache
	Body        []byte // HTML decoded to UTF-8; files untouched
	Charset     string // charset HTML was decoded from
	CharsetFrom string // bom, header, meta, detect, utf-8, default (see internal/charset)
	NotModified bool   // 304: Body is the cached copy
	Fresh       bool   // taken from the cache without a request (Config.FreshFor); NotModified too
	Err         *result.FetchError
}

// crawlRun is what the sites of one Crawl share.
type crawlRun struct {
	cfg    Config
	gate   *hostGate
	robots *robotsCache
	clock  clock
	mem    *budget   // bodies waiting for their entry
	render *renderer // the browser for script-built lists (renderlist.go)
}

// logf passes a progress line to Config.Logf with the characters of page
// text that could rewrite a terminal escaped (see logSafe).
func (r *crawlRun) logf(format string, args ...any) {
	if r.cfg.Logf != nil {
		r.cfg.Logf("%s", logSafe(fmt.Sprintf(format, args...)))
	}
}

// siteCrawl is the state of one site's crawl, driven by one goroutine.
type siteCrawl struct {
	run        *crawlRun
	site       *Site
	base       http.RoundTripper // the site's network (see guard)
	scope      *scope
	col        *collector
	done       map[string]*fetched // by URL key
	urls       int                 // URLs requested, for MaxPages
	startPhase bool                // the start URL may redirect off its host
	blocked    string              // a column or zone link robots.txt forbids
	parent     context.Context     // the Crawl's context: its end is an interruption
}

func (s *siteCrawl) logf(format string, args ...any) {
	s.run.logf("%s: "+format, append([]any{s.site.Start}, args...)...)
}

// stop marks the crawl as cut short; the first reason wins.
func (s *siteCrawl) stop(why string) {
	if s.site.Incomplete == "" {
		s.site.Incomplete = why
		s.logf("stopped: %s", why)
	}
}

func (s *siteCrawl) halted() bool { return s.site.Incomplete != "" }

// errSiteTimeout ends a site's context at Config.SiteTimeout.
var errSiteTimeout = errors.New("site time budget spent")

// ended records why ctx ended: the Crawl was interrupted, or the site's
// time budget is spent (a limit, reached at u).
func (s *siteCrawl) ended(ctx context.Context, u string) {
	if s.parent.Err() != nil || !errors.Is(context.Cause(ctx), errSiteTimeout) {
		s.stop(interrupted)
		return
	}
	d := s.run.cfg.SiteTimeout
	s.stop(fmt.Sprintf("site time limit of %v reached", d))
	s.limit(LimitSiteTime, int64(d.Seconds()), int64(d.Seconds()), u)
}

// limit records a limit reached, once per name.
func (s *siteCrawl) limit(name string, limit, count int64, u string) {
	for _, l := range s.site.Limits {
		if l.Name == name {
			return
		}
	}
	s.site.Limits = append(s.site.Limits, Limit{Name: name, Max: limit, Count: count, URL: u})
}

// listUnread records why the column's list was not read whole; the first
// reason wins.
func (s *siteCrawl) listUnread(why string) {
	if s.site.ListUnread == "" {
		s.site.ListUnread = why
	}
}

// Crawl crawls each start URL and returns one Site per start URL, in the
// same order. It returns when every site is done or ctx is canceled; a site
// whose start page fails is returned with the error.
func Crawl(ctx context.Context, cfg Config, starts []string) []*Site {
	cfg = cfg.withDefaults()
	run := &crawlRun{
		cfg:    cfg,
		gate:   newHostGate(cfg.clock, cfg.Delay),
		robots: newRobotsCache(),
		clock:  cfg.clock,
		mem:    &budget{limit: cfg.MemoryBudget},
	}
	run.gate.shared = cfg.HostGate
	run.render = newRenderer(run)
	defer run.render.close()
	sites := make([]*Site, len(starts))
	for i, s := range starts {
		sites[i] = &Site{Start: s}
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(cfg.Parallel, len(starts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				run.crawlSite(ctx, sites[i])
				if cfg.OnSite != nil {
					cfg.OnSite(sites[i])
				}
			}
		}()
	}
feed:
	for i := range sites {
		select {
		case jobs <- i:
		case <-ctx.Done():
			for _, s := range sites[i:] {
				s.Incomplete = interrupted
				if cfg.OnSite != nil {
					cfg.OnSite(s)
				}
			}
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return sites
}

// crawlSite never panics: a bug met on some page costs that site only.
func (run *crawlRun) crawlSite(ctx context.Context, site *Site) {
	began := time.Now()
	defer func() {
		if p := recover(); p != nil {
			site.Errors = append(site.Errors, result.FetchError{URL: site.Start, Class: result.FetchOther,
				Error: fmt.Sprintf("internal error while crawling %s: %v", site.Start, p)})
			if site.Incomplete == "" {
				site.Incomplete = "internal error"
			}
		}
		site.Duration = time.Since(began)
		run.logf("%s: done: %d pages, %d entries, %d errors in %v", site.Start, site.Pages, len(site.Entries), len(site.Errors),
			site.Duration.Round(time.Millisecond))
	}()
	raw := strings.TrimSpace(site.Start)
	if !strings.Contains(raw, "://") && !strings.HasPrefix(raw, "//") {
		raw = "http://" + raw
	}
	u := parseLink(nil, raw)
	if u == nil {
		site.Errors = append(site.Errors, result.FetchError{URL: site.Start, Class: result.FetchOther,
			Error: fmt.Sprintf("start URL %q is not an http(s) URL", site.Start)})
		site.StartErr = new(site.Errors[len(site.Errors)-1])
		return
	}
	// The site's own time budget; its end is a limit, not an interruption.
	parent := ctx
	ctx, cancel := context.WithTimeoutCause(ctx, run.cfg.SiteTimeout, errSiteTimeout)
	defer cancel()
	s := &siteCrawl{run: run, site: site, scope: newScope(u), done: map[string]*fetched{}, base: run.cfg.Transport, parent: parent}
	if s.base == nil {
		g := newGuard(run.cfg.lookup, run.cfg.dial)
		g.admitStart(ctx, u.Hostname())
		t := siteTransport(g, run.cfg.Timeout)
		defer t.CloseIdleConnections()
		s.base = t
	}
	s.col = s.newCollector(ctx)

	s.startPhase = true
	start := s.fetch(ctx, u, "", rolePage)
	s.startPhase = false
	site.Home = start.res.FinalURL
	if start.res.Err != nil {
		site.StartErr = start.res.Err
		return
	}
	if start.stopped {
		return
	}
	if fu, err := url.Parse(start.res.FinalURL); err == nil && fu.Host != u.Host {
		s.scope.moveTo(fu) // the site lives where the start URL redirected
	}
	if start.doc == nil {
		site.Errors = append(site.Errors, result.FetchError{URL: start.res.URL, Class: result.FetchBadContent,
			Status: start.res.Status, Attempts: 1,
			Error: fmt.Sprintf("start page %s is not an HTML page (%s)", start.res.URL, start.res.ContentType)})
		site.StartErr = new(site.Errors[len(site.Errors)-1])
		return
	}
	col := s.discover(ctx, start)
	if col == nil {
		s.logf("no 年报 column found")
		return
	}
	s.crawlColumn(ctx, col)
	for i := range site.Entries {
		if s.halted() {
			break
		}
		s.fetchEntry(ctx, &site.Entries[i])
	}
}
