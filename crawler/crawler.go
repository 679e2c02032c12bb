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
// functions, ?currentPage=N), opens each entry and fetches the report files
// the entry links. It never wanders elsewhere.
//
// Politeness: robots.txt is obeyed (Crawl-delay too), requests to one host
// go one at a time with a delay between them, the User-Agent names the tool
// and a contact URL, and a site's crawl stops at MaxPages URLs.
package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/result"
)

// Defaults of Config.
const (
	DefaultDelay       = time.Second
	DefaultMaxPages    = 500
	DefaultMaxBodySize = 50 << 20
	DefaultTimeout     = 30 * time.Second
	DefaultRetries     = 3
	DefaultBackoffBase = 500 * time.Millisecond
	DefaultParallel    = 8
	ContactURL         = "https://github.com/ogicheck/ogicheck"
)

// DefaultUserAgent names the tool, its version and where to reach its
// authors.
func DefaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "ogicheck/" + v + " (+" + ContactURL + ")"
}

// Config controls a crawl. Zero values mean the defaults; Delay and Retries
// take a negative value for "none".
type Config struct {
	UserAgent    string        // default DefaultUserAgent()
	Delay        time.Duration // between requests to one host; default 1s; robots Crawl-delay wins if larger (up to 60s)
	MaxPages     int           // URLs fetched per site, default 500
	MaxBodySize  int64         // default 50 MiB; a larger body is a body-too-large error, never truncated
	Timeout      time.Duration // per request: for the response headers and for any stall of the body (a steady download may take 20×); default 30s
	Retries      int           // retries of transient failures, default 3
	BackoffBase  time.Duration // first retry wait, doubled each retry, jittered, capped at 10s; default 500ms
	IgnoreRobots bool          // default false: robots.txt is obeyed
	Parallel     int           // sites crawled at once, default 8
	Cache        *cache.Cache  // optional: conditional requests from a previous crawl
	Transport    http.RoundTripper
	Logf         func(format string, args ...any) // optional progress
	// OnSite, when set, is called with each site as soon as its crawl is
	// done, from the goroutine that crawled it, so that a caller can start
	// checking it while other sites are still being crawled. The Site must
	// not be changed before Crawl returns.
	OnSite func(*Site)

	clock clock // tests observe waits through it
}

func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent()
	}
	switch {
	case c.Delay == 0:
		c.Delay = DefaultDelay
	case c.Delay < 0:
		c.Delay = 0
	}
	if c.MaxPages <= 0 {
		c.MaxPages = DefaultMaxPages
	}
	if c.MaxBodySize <= 0 {
		c.MaxBodySize = DefaultMaxBodySize
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.Retries == 0:
		c.Retries = DefaultRetries
	case c.Retries < 0:
		c.Retries = 0
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = DefaultBackoffBase
	}
	if c.Parallel <= 0 {
		c.Parallel = DefaultParallel
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	return c
}

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
	NotModified int                 // URLs answered 304 and served from the cache
	Errors      []result.FetchError // every failure, classified, one per URL
	Incomplete  string              // why the crawl stopped early ("canceled", "page limit of 500 reached"), "" if it did not
	Duration    time.Duration
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
	Err         *result.FetchError
}

// crawlRun is what the sites of one Crawl share.
type crawlRun struct {
	cfg    Config
	base   http.RoundTripper
	gate   *hostGate
	robots *robotsCache
	clock  clock
}

func (r *crawlRun) logf(format string, args ...any) {
	if r.cfg.Logf != nil {
		r.cfg.Logf(format, args...)
	}
}

// siteCrawl is the state of one site's crawl, driven by one goroutine.
type siteCrawl struct {
	run        *crawlRun
	site       *Site
	scope      *scope
	c          *colly.Collector
	done       map[string]*fetched // by URL key
	urls       int                 // URLs requested, for MaxPages
	startPhase bool                // the start URL may redirect off its host
}

func (s *siteCrawl) logf(format string, args ...any) {
	if s.run.cfg.Logf != nil {
		s.run.cfg.Logf("%s: "+format, append([]any{s.site.Start}, args...)...)
	}
}

// stop marks the crawl as cut short; the first reason wins.
func (s *siteCrawl) stop(why string) {
	if s.site.Incomplete == "" {
		s.site.Incomplete = why
		s.logf("stopped: %s", why)
	}
}

func (s *siteCrawl) halted() bool { return s.site.Incomplete != "" }

// Crawl crawls each start URL and returns one Site per start URL, in the
// same order. It returns when every site is done or ctx is canceled; a site
// whose start page fails is returned with the error.
func Crawl(ctx context.Context, cfg Config, starts []string) []*Site {
	cfg = cfg.withDefaults()
	run := &crawlRun{
		cfg:    cfg,
		base:   cfg.Transport,
		gate:   newHostGate(cfg.clock, cfg.Delay),
		robots: newRobotsCache(),
		clock:  cfg.clock,
	}
	if run.base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 2
		t.ResponseHeaderTimeout = cfg.Timeout
		run.base = t
		defer t.CloseIdleConnections()
	}
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
				s.Incomplete = "canceled"
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
		return
	}
	s := &siteCrawl{run: run, site: site, scope: newScope(u), done: map[string]*fetched{}}
	s.c = s.newCollector(ctx)

	s.startPhase = true
	start := s.fetch(ctx, u, "", rolePage)
	s.startPhase = false
	site.Home = start.res.FinalURL
	if start.res.Err != nil {
		return
	}
	if fu, err := url.Parse(start.res.FinalURL); err == nil && fu.Host != u.Host {
		s.scope.moveTo(fu) // the site lives where the start URL redirected
	}
	if start.doc == nil {
		site.Errors = append(site.Errors, result.FetchError{URL: start.res.URL, Class: result.FetchBadContent,
			Status: start.res.Status, Attempts: 1,
			Error: fmt.Sprintf("start page %s is not an HTML page (%s)", start.res.URL, start.res.ContentType)})
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

// crawlColumn reads every list page of the column, collecting entries.
func (s *siteCrawl) crawlColumn(ctx context.Context, first *fetched) {
	queue := []*fetched{first}
	listKeys := map[string]bool{urlKey(mustParse(first.res.FinalURL)): true, urlKey(mustParse(first.res.URL)): true}
	var pending []*url.URL
	entryKeys := map[string]bool{}
	colDir := ""
	if fu, err := url.Parse(first.res.FinalURL); err == nil {
		colDir = dirOf(fu)
	}
	triedIframe := false
	mainList := ""
	for n := 0; n < maxListPages && !s.halted(); n++ {
		var f *fetched
		if len(queue) > 0 {
			f, queue = queue[0], queue[1:]
		} else if len(pending) > 0 {
			var u *url.URL
			u, pending = pending[0], pending[1:]
			f = s.fetch(ctx, u, "", rolePage)
		} else {
			break
		}
		if f.res.Err != nil || f.doc == nil {
			continue
		}
		s.site.ListPages = append(s.site.ListPages, f.res.FinalURL)
		pages := listPages(f.doc, f.base)
		for _, p := range pages {
			k := urlKey(p)
			if listKeys[k] || !s.scope.contains(p) || trap(p) != "" {
				continue
			}
			listKeys[k] = true
			pending = append(pending, p)
		}
		items, sig := listEntries(f.doc, f.base, s.scope, listKeys, mainList)
		if mainList == "" && len(items) > 0 {
			mainList = sig
		}
		for _, it := range items {
			k := urlKey(it.u)
			if entryKeys[k] {
				continue
			}
			entryKeys[k] = true
			s.site.Entries = append(s.site.Entries, Entry{Title: it.title, URL: it.u.String(), ListDate: it.date})
		}
		// Columns split by year (「2024年」 → a list of that year), or
		// a landing page of sub-columns (区政府年报, 部门年报) without
		// entries of its own.
		if n == 0 {
			for _, l := range pageLinks(f.doc.Selection, f.base) {
				k := urlKey(l.u)
				if listKeys[k] || entryKeys[k] || !s.scope.contains(l.u) || trap(l.u) != "" || docExts[extOf(l.u)] {
					continue
				}
				sc, _ := columnScore(l)
				if yearColumnRe.MatchString(l.label()) || (len(items) == 0 && sc > 0) {
					listKeys[k] = true
					pending = append(pending, l.u)
				}
			}
		}
		// Some columns show their list in an iframe.
		if len(items) == 0 && len(pages) == 0 && !triedIframe {
			triedIframe = true
			f.doc.Find("iframe[src]").EachWithBreak(func(_ int, fr *goquery.Selection) bool {
				u := parseLink(f.base, fr.AttrOr("src", ""))
				if u == nil || !s.scope.contains(u) || listKeys[urlKey(u)] || docExts[extOf(u)] {
					return true
				}
				listKeys[urlKey(u)] = true
				pending = append(pending, u)
				return false
			})
		}
	}
	if len(pending) > 0 && !s.halted() {
		s.logf("list page cap of %d reached in %s; %d list pages not read", maxListPages, colDir, len(pending))
	}
}

// yearColumnRe matches links to a year's part of a column: 2024年, 2024年度.
var yearColumnRe = regexp.MustCompile(`^(19|20)\d{2}(年度?)?$`)

// fetchEntry fetches an entry's page and the files it links.
func (s *siteCrawl) fetchEntry(ctx context.Context, e *Entry) {
	u, err := url.Parse(e.URL)
	if err != nil {
		return
	}
	r := roleEntry
	if docExts[extOf(u)] || docExtOfText(e.Title) != "" {
		r = roleDoc
	}
	f := s.fetch(ctx, u, e.Title, r)
	if f.file {
		res := *f.res
		res.LinkText = e.Title
		e.Attachments = []Resource{res}
		return
	}
	if f.res.Err != nil {
		return
	}
	e.Page = f.res
	if f.doc == nil {
		return
	}
	for _, l := range attachmentLinks(f.doc, f.base, s.scope) {
		if s.halted() {
			break
		}
		af := s.fetch(ctx, l.u, l.text, roleDoc)
		res := *af.res
		res.LinkText = l.text
		e.Attachments = append(e.Attachments, res)
	}
}
