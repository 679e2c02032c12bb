package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"
)

// Colly's wiring: the collector of a site, its callbacks, its redirect
// check, and one request through it. No other file of the package uses
// colly.

// slotKey is the colly context key of a request's slot.
const slotKey = "ogicheck.slot"

// errCollyRobots is colly's own robots.txt refusal, classified as ours.
var errCollyRobots = colly.ErrRobotsTxtBlocked

// slot receives what colly's callbacks saw for one request.
type slot struct {
	status   int
	header   http.Header
	body     []byte
	final    *url.URL
	err      error
	tooLarge int64 // declared Content-Length over the limit
	limit    int64 // the size limit
}

// collector sends a site's requests through colly. Colly is used
// synchronously: the site's goroutine drives the crawl, one request at a
// time.
type collector struct {
	c       *colly.Collector
	t       *rawTransport
	timeout time.Duration
}

// newCollector makes the collector of one site.
func (s *siteCrawl) newCollector(ctx context.Context) *collector {
	cfg := s.run.cfg
	c := colly.NewCollector()
	// Set everything after NewCollector: it applies COLLY_* environment
	// variables last, which must not change this crawler's behaviour.
	c.UserAgent = cfg.UserAgent
	c.Headers = nil
	c.MaxDepth = 0
	c.MaxRequests = 0
	c.AllowedDomains = nil
	c.DisallowedDomains = nil
	c.AllowURLRevisit = true // de-duplication is ours, by normalised URL
	c.IgnoreRobotsTxt = cfg.IgnoreRobots
	c.DetectCharset = false // it transcodes PDFs and mis-detects GBK
	c.CacheDir = ""         // conditional requests go through internal/cache
	c.Async = false
	c.CheckHead = false
	c.ParseHTTPErrorResponse = false
	// One byte past the limit tells a body at the limit from a longer one;
	// colly's default (10 MiB) would silently truncate.
	c.MaxBodySize = int(min(cfg.MaxBodySize+1, int64(^uint(0)>>1)))
	c.Context = ctx
	jar, _ := cookiejar.New(nil)
	c.SetCookieJar(jar)
	t := &rawTransport{base: s.base, robots: s.run.robots, timeout: cfg.Timeout, maxBody: cfg.MaxBodySize}
	c.WithTransport(t)
	// rawTransport ends each request at its deadline; the client's own
	// timeout is only a backstop.
	c.SetRequestTimeout(2 * cfg.Timeout)
	c.SetRedirectHandler(s.checkRedirect)

	c.OnResponse(func(r *colly.Response) {
		if sl, _ := r.Ctx.GetAny(slotKey).(*slot); sl != nil {
			sl.fill(r)
		}
	})
	c.OnError(func(r *colly.Response, err error) {
		sl, _ := r.Ctx.GetAny(slotKey).(*slot)
		if sl == nil {
			return
		}
		if r.StatusCode != 0 {
			sl.fill(r)
		}
		if r.StatusCode < 200 || r.StatusCode > 299 {
			sl.err = err
		}
	})
	return &collector{c: c, t: t, timeout: cfg.Timeout}
}

func (sl *slot) fill(r *colly.Response) {
	sl.status = r.StatusCode
	if r.Headers != nil {
		sl.header = r.Headers.Clone()
		if ct := sl.header.Get(origCTHeader); ct != "" || sl.header.Values(origCTHeader) != nil {
			sl.header.Set("Content-Type", ct)
			sl.header.Del(origCTHeader)
		}
	}
	if r.Request != nil && r.Request.URL != nil {
		sl.final = r.Request.URL
	}
}

// do sends one request. The transport reads a successful answer's body
// into the slot, within Timeout for the whole request.
func (c *collector) do(u *url.URL, hdr http.Header) *slot {
	sl := &slot{limit: c.t.maxBody}
	cctx := colly.NewContext()
	cctx.Put(slotKey, sl)
	hdr = hdr.Clone()
	method, body := http.MethodGet, io.Reader(nil)
	if form, ok := hdr[postFormHeader]; ok { // a list request by POST (listfetch.go)
		hdr.Del(postFormHeader)
		hdr.Set("Content-Type", "application/x-www-form-urlencoded")
		method, body = http.MethodPost, strings.NewReader(strings.Join(form, ""))
	}
	c.t.sink, c.t.deadline = sl, time.Now().Add(c.timeout)
	err := c.c.Request(method, u.String(), body, cctx, hdr)
	c.t.sink, c.t.deadline = nil, time.Time{}
	if err != nil && sl.err == nil && (sl.status < 200 || sl.status > 299) {
		sl.err = err
	}
	if sl.header == nil {
		sl.header = http.Header{}
	}
	return sl
}

// checkRedirect bounds redirects, keeps them on the site (a start URL may
// move the site once, see siteCrawl.startPhase), refuses targets robots.txt
// disallows, and stops at a host whose robots.txt is not read yet.
func (s *siteCrawl) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: %d redirects from %s", errTooManyRedirects, len(via), via[0].URL)
	}
	u := cleanURL(req.URL)
	if u == nil {
		return fmt.Errorf("%w: redirect to %s", errBadScheme, req.URL)
	}
	if !s.scope.contains(u) && !s.startPhase {
		return fmt.Errorf("%w: redirect to %s", errOffSiteRedirect, u)
	}
	if !s.run.cfg.IgnoreRobots {
		e := s.run.robots.peek(u.Scheme + "://" + u.Host)
		if e == nil {
			// A new host: its robots.txt is read first (see send).
			return &needRobotsError{u: u}
		}
		if e.err != nil {
			return fmt.Errorf("redirect to %s: %w", u, e.err) // unreachable or refused by the guard
		}
		if !e.allowed(u, s.run.cfg.UserAgent) {
			return fmt.Errorf("%w: redirect to %s", errRobots, u)
		}
	}
	return nil
}

// needRobotsError stops a redirect to a host whose robots.txt is not read
// yet.
type needRobotsError struct{ u *url.URL }

func (e *needRobotsError) Error() string {
	return fmt.Sprintf("redirect to %s before its robots.txt was read", e.u)
}
