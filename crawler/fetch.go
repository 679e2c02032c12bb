package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/internal/charset"
	"github.com/ogicheck/ogicheck/result"
)

const (
	maxRedirects  = 10
	maxBackoff    = 10 * time.Second
	maxRetryAfter = 30 * time.Second // Retry-After is honoured up to this
	minDocBytes   = 64               // a report file smaller than this is an error page
)

// Sentinel errors of the fetch layer, classified in classify.
var (
	errTooManyRedirects = errors.New("too many redirects")
	errOffSiteRedirect  = errors.New("redirect leaves the site")
	errBadScheme        = errors.New("not an http(s) URL")
	errRobots           = errors.New("disallowed by robots.txt")
	errTruncated        = errors.New("body shorter than its Content-Length")
	errTooLarge         = errors.New("body larger than the size limit")
)

// role says what a fetched URL is expected to be.
type role int

const (
	rolePage  role = iota // an HTML page: discovery, list or entry page
	roleDoc               // a report file linked by extension or text
	roleEntry             // an entry link: a page or a file
)

// fetched is a successful or failed fetch.
type fetched struct {
	res  *Resource
	doc  *goquery.Document // parsed page, when the body is HTML
	base *url.URL          // base for the page's relative links
	file bool              // body is a document file, not a page
	// stopped: the crawl was canceled, or stopped at a limit, before the
	// fetch completed. Nothing is known of the URL: res.Err is nil and
	// nothing is recorded.
	stopped bool
}

// fetch gets u with retries, the cache and classification. Failures are
// recorded in the site's errors and returned in res.Err.
func (s *siteCrawl) fetch(ctx context.Context, u *url.URL, linkText string, r role) *fetched {
	key := urlKey(u)
	if f, ok := s.done[key]; ok {
		return f
	}
	f := s.fetchNew(ctx, u, key, linkText, r, nil)
	s.done[key] = f
	if f.res.FinalURL != f.res.URL {
		if fu, err := url.Parse(f.res.FinalURL); err == nil {
			if fu = cleanURL(fu); fu != nil {
				if k := urlKey(fu); s.done[k] == nil {
					s.done[k] = f
				}
			}
		}
	}
	return f
}

// fetchNew gets a URL not fetched before: admission (cancellation,
// robots.txt, the page limit), the conditional request from the cache, the
// attempts with retries, the cache update, and what the body is. A form
// makes it a POST of the form.
func (s *siteCrawl) fetchNew(ctx context.Context, u *url.URL, key, linkText string, r role, form url.Values) *fetched {
	res := &Resource{URL: u.String(), LinkText: linkText}
	f := &fetched{res: res, file: r == roleDoc}
	fail := func(fe *result.FetchError) *fetched {
		if ctx.Err() != nil || fe == errStopped {
			// Canceled (Ctrl-C) or a limit reached: not the site's
			// failure, never a finding.
			if ctx.Err() != nil {
				s.ended(ctx, res.URL)
			}
			f.stopped, f.file = true, false
			return f
		}
		fe.URL = res.URL
		res.Err = fe
		s.site.Errors = append(s.site.Errors, *fe)
		s.run.cfg.Counters.failed()
		return f
	}
	if fe := s.admit(ctx, u); fe != nil {
		return fail(fe)
	}
	hdr, cached := s.requestHeader(key) // never cached for a POST: see below
	if form == nil && s.fresh(r, cached) {
		res.Status, res.ContentType, res.NotModified, res.Fresh = http.StatusNotModified, cached.ContentType, true, true
		res.FinalURL = res.URL
		if cached.FinalURL != "" {
			res.FinalURL = cached.FinalURL
		}
		s.site.Pages++
		s.site.NotModified++
		s.run.cfg.Counters.page()
		if fe := s.interpret(f, u, cached.Body, r, 0); fe != nil {
			return fail(fe)
		}
		return f
	}
	if form != nil {
		hdr.Set(postFormHeader, form.Encode())
	}
	sl, attempts, fe := s.attempt(ctx, u, hdr, cached != nil)
	if sl == nil {
		return fail(fe)
	}
	res.Status = sl.status
	res.FinalURL = res.URL
	if sl.final != nil {
		res.FinalURL = sl.final.String()
	}
	res.ContentType = sl.header.Get("Content-Type")
	if fe != nil {
		return fail(fe)
	}
	body := sl.body
	if form == nil { // a POST is neither conditional nor kept
		body = s.revalidated(key, res, sl, cached)
	}
	if fe := s.interpret(f, u, body, r, attempts); fe != nil {
		return fail(fe)
	}
	return f
}

// errStopped is admit's answer when the crawl has stopped at a limit.
var errStopped = &result.FetchError{Class: result.FetchOther, Error: "not fetched: the crawl stopped"}

// admit says why u may not be requested, or nil: the crawl was canceled,
// robots.txt forbids it or is unreachable, or the site's page limit is
// reached (errStopped). An admitted URL counts against the limit.
func (s *siteCrawl) admit(ctx context.Context, u *url.URL) *result.FetchError {
	cfg := s.run.cfg
	if err := ctx.Err(); err != nil {
		return &result.FetchError{Class: result.FetchOther, Error: "not fetched: " + err.Error()}
	}
	if !cfg.IgnoreRobots {
		rb := s.run.robots.get(ctx, s.run, s.base, u)
		if err := ctx.Err(); err != nil {
			return &result.FetchError{Class: result.FetchOther, Error: fmt.Sprintf("get %s: not completed: %v", u, err)}
		}
		if rb.err != nil {
			return &result.FetchError{Class: errClass(rb.err), Attempts: rb.attempts,
				Error: fmt.Sprintf("not fetched: %s: %v", u, rb.err)}
		}
		if rb.redirect != "" {
			s.limit(LimitRobotsRedirect, 0, 0, rb.redirect)
		}
		if rb.asked > rb.delay {
			s.limit(LimitCrawlDelay, int64(rb.delay.Seconds()), int64(math.Ceil(rb.asked.Seconds())), u.Scheme+"://"+u.Host+"/robots.txt")
		}
		if !rb.allowed(u, cfg.UserAgent) {
			s.logf("robots.txt disallows %s", u)
			return &result.FetchError{Class: result.FetchRobotsDisallowed,
				Error: fmt.Sprintf("not fetched: %s is disallowed by robots.txt for %s", u, cfg.UserAgent)}
		}
	}
	if s.urls >= cfg.MaxPages {
		// The crawler's limit, not the site's failure: no error.
		s.stop(fmt.Sprintf("page limit of %d reached", cfg.MaxPages))
		s.limit(LimitPages, int64(cfg.MaxPages), int64(s.urls)+1, u.String())
		return errStopped
	}
	s.urls++
	return nil
}

// requestHeader is the header of a request for key, conditional when the
// cache holds validators for it; cached is that entry, nil otherwise.
func (s *siteCrawl) requestHeader(key string) (hdr http.Header, cached *cache.Entry) {
	cfg := s.run.cfg
	hdr = http.Header{}
	hdr.Set("User-Agent", cfg.UserAgent)
	hdr.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
	if cfg.Cache == nil {
		return hdr, nil
	}
	e, err := cfg.Cache.Get(key)
	if err != nil || (e.ETag == "" && e.LastModified == "") {
		return hdr, nil
	}
	if e.ETag != "" {
		hdr.Set("If-None-Match", e.ETag)
	}
	if e.LastModified != "" {
		hdr.Set("If-Modified-Since", e.LastModified)
	}
	return hdr, e
}

// fresh says whether the cached copy of an entry's page or file may stand
// for it without a request: see Config.FreshFor.
func (s *siteCrawl) fresh(r role, cached *cache.Entry) bool {
	ff := s.run.cfg.FreshFor
	if ff <= 0 || cached == nil || r == rolePage || cached.Stored.IsZero() {
		return false
	}
	age := s.run.clock.Now().Sub(cached.Stored)
	return age >= 0 && age < ff
}

// attempt requests u through the host gate until it succeeds, fails for
// good, or the retries of a transient failure are spent, waiting between
// attempts with backoff and Retry-After. It returns the last attempt's
// outcome, how many attempts were made and the failure, nil on success.
func (s *siteCrawl) attempt(ctx context.Context, u *url.URL, hdr http.Header, revalidating bool) (*slot, int, *result.FetchError) {
	cfg := s.run.cfg
	responded := false
	defer func() {
		if responded {
			s.site.Pages++
			s.run.cfg.Counters.page()
		}
	}()
	for attempt := 1; ; attempt++ {
		sl, err := s.send(ctx, u, hdr)
		if err != nil {
			return nil, attempt - 1, &result.FetchError{Class: result.FetchOther, Attempts: attempt - 1, Error: fmt.Sprintf("get %s: %v", u, err)}
		}
		if sl.status != 0 {
			responded = true
		}
		fe := classify(u, sl, revalidating)
		if fe == nil {
			return sl, attempt, nil
		}
		fe.Attempts = attempt
		if ctx.Err() != nil {
			return sl, attempt, fe // canceled: see fetchNew
		}
		if !transient(fe) || attempt > cfg.Retries {
			return sl, attempt, fe
		}
		wait := backoff(cfg.BackoffBase, attempt)
		if ra := retryAfter(sl.header, s.run.clock.Now()); ra > 0 {
			wait = max(wait, min(ra, maxRetryAfter))
		}
		s.logf("retry %d of %s in %v: %s", attempt, u, wait.Round(time.Millisecond), fe.Error)
		if err := s.run.clock.Sleep(ctx, wait); err != nil {
			return sl, attempt, fe
		}
	}
}

// send sends one request to u through the host gate. A redirect to a host
// whose robots.txt is not read yet stops; robots.txt is read (outside the
// gate, which another site may hold while waiting for ours) and the
// request sent again.
func (s *siteCrawl) send(ctx context.Context, u *url.URL, hdr http.Header) (*slot, error) {
	for hops := 0; ; hops++ {
		release, err := s.run.gate.acquire(ctx, u.Host)
		if err != nil {
			return nil, err
		}
		sl := s.col.do(u, hdr)
		release()
		s.site.Requests++
		s.site.Bytes += int64(len(sl.body))
		s.run.cfg.Counters.received(len(sl.body))
		var nr *needRobotsError
		if !errors.As(sl.err, &nr) || hops >= maxRedirects {
			return sl, nil
		}
		s.run.robots.get(ctx, s.run, s.base, nr.u)
	}
}

// revalidated returns the body of a successful answer: the cached copy on
// 304 Not Modified (res is updated from the cache entry), or the body
// received, which is stored in the cache when it carries validators.
func (s *siteCrawl) revalidated(key string, res *Resource, sl *slot, cached *cache.Entry) []byte {
	cfg := s.run.cfg
	if sl.status == http.StatusNotModified {
		res.ContentType = cached.ContentType
		res.NotModified = true
		if cached.FinalURL != "" {
			res.FinalURL = cached.FinalURL
		}
		s.site.NotModified++
		if cfg.FreshFor > 0 {
			// revalidated now: fresh for FreshFor from here
			e := *cached
			e.Stored = s.run.clock.Now()
			if err := cfg.Cache.Put(key, &e); err != nil {
				s.logf("%v", err)
			}
		}
		return cached.Body
	}
	if cfg.Cache != nil {
		et, lm := sl.header.Get("ETag"), sl.header.Get("Last-Modified")
		if et != "" || lm != "" {
			err := cfg.Cache.Put(key, &cache.Entry{FinalURL: res.FinalURL, ETag: et, LastModified: lm,
				ContentType: res.ContentType, Body: sl.body, Stored: s.run.clock.Now()})
			if err != nil {
				s.logf("%v", err)
			}
		}
	}
	return sl.body
}

// interpret says what a body is and fills f: a report file (kept as
// received; a bad one is returned as an error), an HTML page (decoded to
// UTF-8 and parsed), or anything else, kept for the caller to judge.
func (s *siteCrawl) interpret(f *fetched, u *url.URL, body []byte, r role, attempts int) *result.FetchError {
	res := f.res
	isDoc := sniffDocument(body) || (mediaIsDocument(res.ContentType) && !sniffHTML(body))
	isHTML := !isDoc && (mediaIsHTML(res.ContentType) || sniffHTML(body))
	switch {
	case r == roleDoc || (r == roleEntry && isDoc):
		res.Body = body
		f.file = true
		if why := badDocument(body, u, res.LinkText); why != "" {
			return &result.FetchError{Class: result.FetchBadContent, Status: res.Status, Attempts: attempts, Error: why}
		}
	case isHTML:
		d := charset.Decode(body, res.ContentType)
		res.Body, res.Charset, res.CharsetFrom = d.Text, d.Label, d.From
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(d.Text))
		if err == nil {
			f.doc = doc
			f.base, _ = url.Parse(res.FinalURL)
			if f.base == nil {
				f.base = u
			}
			if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
				if b := parseLink(f.base, href); b != nil {
					f.base = b
				}
			}
		}
	default:
		// Neither a page nor a known file (plain text, images…): kept
		// as fetched for the caller to judge.
		res.Body = body
		f.file = r == roleEntry && !mediaIsText(res.ContentType)
	}
	return nil
}
