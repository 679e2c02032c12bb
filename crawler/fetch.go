package crawler

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/internal/charset"
	"github.com/ogicheck/ogicheck/result"
)

const (
	maxRedirects = 10
	// downloadTimeouts is how many Timeouts one whole download may take
	// while its body keeps arriving.
	downloadTimeouts = 20
	maxBackoff       = 10 * time.Second
	maxRetryAfter    = 30 * time.Second // Retry-After is honoured up to this
	minDocBytes      = 64               // a report file smaller than this is an error page
	slotKey          = "ogicheck.slot"
	origCTHeader     = "X-Ogicheck-Content-Type"
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

// clock is time for the politeness gate and backoff; tests replace it to
// observe waits without sleeping.
type clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hostGate lets one request at a time go to a host, each starting at least
// the host's delay after the previous one ended. It is shared by all sites
// of one Crawl, so two sites on one host do not double its load. Colly's
// LimitRule is not used: a rule holds one semaphore for every domain its
// glob matches (DomainGlob "*" serialises all sites), and its delay is a
// time.Sleep that ignores cancellation.
type hostGate struct {
	clock clock
	delay time.Duration // default delay
	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem   chan struct{}
	delay time.Duration // guarded by hostGate.mu
	last  time.Time     // end of the previous request; guarded by sem
	used  bool
}

func newHostGate(c clock, delay time.Duration) *hostGate {
	return &hostGate{clock: c, delay: delay, hosts: map[string]*hostSlot{}}
}

func (g *hostGate) slot(host string) *hostSlot {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.hosts[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, 1), delay: g.delay}
		g.hosts[host] = s
	}
	return s
}

// setDelay raises the delay of host to d (robots.txt Crawl-delay).
func (g *hostGate) setDelay(host string, d time.Duration) {
	s := g.slot(host)
	g.mu.Lock()
	s.delay = max(s.delay, d)
	g.mu.Unlock()
}

func (g *hostGate) acquire(ctx context.Context, host string) (release func(), err error) {
	s := g.slot(host)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	g.mu.Lock()
	delay := s.delay
	g.mu.Unlock()
	if s.used {
		if wait := s.last.Add(delay).Sub(g.clock.Now()); wait > 0 {
			if err := g.clock.Sleep(ctx, wait); err != nil {
				<-s.sem
				return nil, err
			}
		}
	}
	return func() {
		s.last = g.clock.Now()
		s.used = true
		<-s.sem
	}, nil
}

// rawTransport sits between colly's client and the network. It keeps colly
// away from bodies: it hides the charset of the Content-Type (colly
// transcodes whenever one is present and would mangle mislabelled pages)
// and keeps the original header in origCTHeader for our own decoding. It
// answers colly's robots.txt requests from the robots cache, so robots.txt
// is fetched once, politely, by us. And it applies Timeout to the wait for
// the response headers and to every stall of the body, so that a large
// report arriving slowly but steadily is not cut off.
type rawTransport struct {
	base    http.RoundTripper
	robots  *robotsCache
	timeout time.Duration
}

// timeoutError is a stalled request; a net.Error so that it classifies as
// a timeout.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string   { return e.msg }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return true }

func (t *rawTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path == "/robots.txt" {
		if e := t.robots.peek(req.URL.Scheme + "://" + req.URL.Host); e != nil {
			return e.forColly(req), nil
		}
	}
	ctx, cancel := context.WithCancel(req.Context())
	var stalled atomic.Bool
	timer := time.AfterFunc(t.timeout, func() { stalled.Store(true); cancel() })
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timer.Stop()
		cancel()
		if stalled.Load() {
			return nil, &timeoutError{fmt.Sprintf("no response headers within %v", t.timeout)}
		}
		return nil, err
	}
	timer.Reset(t.timeout)
	resp.Body = &idleBody{rc: resp.Body, timer: timer, timeout: t.timeout, cancel: cancel, stalled: &stalled}
	ct := resp.Header.Get("Content-Type")
	resp.Header.Set(origCTHeader, ct)
	if mt, params, err := mime.ParseMediaType(ct); err == nil && params["charset"] != "" {
		resp.Header.Set("Content-Type", mt)
	} else if err != nil && strings.Contains(strings.ToLower(ct), "charset") {
		// Unparseable but charset-bearing: colly would still transcode.
		resp.Header.Set("Content-Type", strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return resp, nil
}

// idleBody fails a body that delivers nothing for the timeout.
type idleBody struct {
	rc      io.ReadCloser
	timer   *time.Timer
	timeout time.Duration
	cancel  context.CancelFunc
	stalled *atomic.Bool
}

func (b *idleBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 && !b.stalled.Load() {
		b.timer.Reset(b.timeout)
	}
	if err != nil && err != io.EOF && b.stalled.Load() {
		err = &timeoutError{fmt.Sprintf("body stalled for %v", b.timeout)}
	}
	return n, err
}

func (b *idleBody) Close() error {
	b.timer.Stop()
	err := b.rc.Close()
	b.cancel()
	return err
}

// slot receives what colly's callbacks saw for one request.
type slot struct {
	status   int
	header   http.Header
	body     []byte
	final    *url.URL
	err      error
	tooLarge int64 // declared Content-Length over the limit
}

// newCollector makes the collector of one site. Colly is used synchronously:
// the site's goroutine drives the crawl, one request at a time.
func (s *siteCrawl) newCollector(ctx context.Context) *colly.Collector {
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
	c.WithTransport(&rawTransport{base: s.run.base, robots: s.run.robots, timeout: cfg.Timeout})
	// Timeout bounds headers and stalls (rawTransport); this bounds a
	// whole download.
	c.SetRequestTimeout(cfg.Timeout * downloadTimeouts)
	c.SetRedirectHandler(s.checkRedirect)

	c.OnResponseHeaders(func(r *colly.Response) {
		sl, _ := r.Ctx.GetAny(slotKey).(*slot)
		if sl == nil || r.StatusCode < 200 || r.StatusCode > 299 {
			return
		}
		if n, err := strconv.ParseInt(r.Headers.Get("Content-Length"), 10, 64); err == nil && n > cfg.MaxBodySize {
			sl.tooLarge, sl.status = n, r.StatusCode
			r.Request.Abort() // do not download what would be refused
		}
	})
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
	return c
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
	sl.body = r.Body
	if r.Request != nil && r.Request.URL != nil {
		sl.final = r.Request.URL
	}
}

// checkRedirect bounds redirects, keeps them on the site (a start URL may
// move the site once, see siteCrawl.startPhase) and refuses disallowed
// targets whose robots.txt is known.
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
		if e := s.run.robots.peek(u.Scheme + "://" + u.Host); e != nil && !e.allowed(u, s.run.cfg.UserAgent) {
			return fmt.Errorf("%w: redirect to %s", errRobots, u)
		}
	}
	return nil
}

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
}

// fetch gets u with retries, the cache and classification. Failures are
// recorded in the site's errors and returned in res.Err.
func (s *siteCrawl) fetch(ctx context.Context, u *url.URL, linkText string, r role) *fetched {
	key := urlKey(u)
	if f, ok := s.done[key]; ok {
		return f
	}
	f := s.fetchNew(ctx, u, key, linkText, r)
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

func (s *siteCrawl) fetchNew(ctx context.Context, u *url.URL, key, linkText string, r role) *fetched {
	cfg := s.run.cfg
	res := &Resource{URL: u.String(), LinkText: linkText}
	f := &fetched{res: res, file: r == roleDoc}
	fail := func(fe *result.FetchError) *fetched {
		fe.URL = res.URL
		res.Err = fe
		s.site.Errors = append(s.site.Errors, *fe)
		return f
	}
	if err := ctx.Err(); err != nil {
		s.stop("canceled")
		return fail(&result.FetchError{Class: result.FetchOther, Error: "not fetched: " + err.Error()})
	}
	if !cfg.IgnoreRobots {
		rb := s.run.robots.get(ctx, s.run, u)
		if err := ctx.Err(); err != nil {
			s.stop("canceled")
			return fail(&result.FetchError{Class: result.FetchOther, Error: fmt.Sprintf("get %s: not completed: %v", u, err)})
		}
		if rb.err != nil {
			return fail(&result.FetchError{Class: errClass(rb.err), Attempts: rb.attempts,
				Error: fmt.Sprintf("not fetched: %s: %v", u, rb.err)})
		}
		if !rb.allowed(u, cfg.UserAgent) {
			s.logf("robots.txt disallows %s", u)
			return fail(&result.FetchError{Class: result.FetchRobotsDisallowed,
				Error: fmt.Sprintf("not fetched: %s is disallowed by robots.txt for %s", u, cfg.UserAgent)})
		}
	}
	if s.urls >= cfg.MaxPages {
		s.stop(fmt.Sprintf("page limit of %d reached", cfg.MaxPages))
		return fail(&result.FetchError{Class: result.FetchOther,
			Error: fmt.Sprintf("not fetched: page limit of %d per site reached", cfg.MaxPages)})
	}
	s.urls++

	var cached *cache.Entry
	hdr := http.Header{}
	hdr.Set("User-Agent", cfg.UserAgent)
	hdr.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
	if cfg.Cache != nil {
		if e, err := cfg.Cache.Get(key); err == nil {
			cached = e
			if e.ETag != "" {
				hdr.Set("If-None-Match", e.ETag)
			}
			if e.LastModified != "" {
				hdr.Set("If-Modified-Since", e.LastModified)
			}
			if e.ETag == "" && e.LastModified == "" {
				cached = nil
			}
		}
	}

	var sl *slot
	var fe *result.FetchError
	responded := false
	attempt := 1
	for ; ; attempt++ {
		release, err := s.run.gate.acquire(ctx, u.Host)
		if err != nil {
			s.stop("canceled")
			return fail(&result.FetchError{Class: result.FetchOther, Attempts: attempt - 1, Error: fmt.Sprintf("get %s: %v", u, err)})
		}
		sl = s.do(u, hdr)
		release()
		s.site.Requests++
		s.site.Bytes += int64(len(sl.body))
		if sl.status != 0 {
			responded = true
		}
		fe = classify(u, sl, cached != nil)
		if fe == nil {
			break
		}
		fe.Attempts = attempt
		if err := ctx.Err(); err != nil {
			// The crawl was stopped: not the site's fault.
			fe.Class = result.FetchOther
			fe.Error = fmt.Sprintf("get %s: not completed: %v", u, err)
			s.stop("canceled")
			break
		}
		if !transient(fe) || attempt > cfg.Retries {
			break
		}
		wait := backoff(cfg.BackoffBase, attempt)
		if ra := retryAfter(sl.header, s.run.clock.Now()); ra > 0 {
			wait = max(wait, min(ra, maxRetryAfter))
		}
		s.logf("retry %d of %s in %v: %s", attempt, u, wait.Round(time.Millisecond), fe.Error)
		if err := s.run.clock.Sleep(ctx, wait); err != nil {
			s.stop("canceled")
			break
		}
	}
	if responded {
		s.site.Pages++
	}
	res.Status = sl.status
	if sl.final != nil {
		res.FinalURL = sl.final.String()
	} else {
		res.FinalURL = res.URL
	}
	res.ContentType = sl.header.Get("Content-Type")
	if fe != nil {
		return fail(fe)
	}
	body := sl.body
	if sl.status == http.StatusNotModified {
		body = cached.Body
		res.ContentType = cached.ContentType
		res.NotModified = true
		if cached.FinalURL != "" {
			res.FinalURL = cached.FinalURL
		}
		s.site.NotModified++
	} else if cfg.Cache != nil {
		et, lm := sl.header.Get("ETag"), sl.header.Get("Last-Modified")
		if et != "" || lm != "" {
			err := cfg.Cache.Put(key, &cache.Entry{FinalURL: res.FinalURL, ETag: et, LastModified: lm,
				ContentType: res.ContentType, Body: body})
			if err != nil {
				s.logf("%v", err)
			}
		}
	}

	docWanted := r == roleDoc
	isDoc := sniffDocument(body) || (mediaIsDocument(res.ContentType) && !sniffHTML(body))
	isHTML := !isDoc && (mediaIsHTML(res.ContentType) || sniffHTML(body))
	switch {
	case docWanted || (r == roleEntry && isDoc):
		res.Body = body
		f.file = true
		if why := badDocument(body, u, linkText); why != "" {
			return fail(&result.FetchError{Class: result.FetchBadContent, Status: res.Status, Attempts: attempt, Error: why})
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
	return f
}

// do sends one request through colly.
func (s *siteCrawl) do(u *url.URL, hdr http.Header) *slot {
	sl := &slot{}
	cctx := colly.NewContext()
	cctx.Put(slotKey, sl)
	err := s.c.Request(http.MethodGet, u.String(), nil, cctx, hdr.Clone())
	if err != nil && sl.err == nil && (sl.status < 200 || sl.status > 299) {
		sl.err = err
	}
	if sl.header == nil {
		sl.header = http.Header{}
	}
	if sl.err == nil && int64(len(sl.body)) > s.run.cfg.MaxBodySize {
		sl.err = fmt.Errorf("%w: more than %d bytes", errTooLarge, s.run.cfg.MaxBodySize)
		sl.body = nil
	}
	if sl.err == nil && sl.header.Get("Content-Encoding") == "" {
		if n, perr := strconv.ParseInt(sl.header.Get("Content-Length"), 10, 64); perr == nil && int64(len(sl.body)) < n {
			sl.err = fmt.Errorf("%w: got %d of %d bytes", errTruncated, len(sl.body), n)
		}
	}
	return sl
}

// classify turns the outcome of one attempt into a fetch error, nil on
// success. revalidating says a 304 is expected.
func classify(u *url.URL, sl *slot, revalidating bool) *result.FetchError {
	fe := &result.FetchError{URL: u.String(), Status: sl.status}
	if sl.tooLarge > 0 {
		fe.Class = result.FetchBodyTooLarge
		fe.Error = fmt.Sprintf("get %s: Content-Length %d is over the size limit", u, sl.tooLarge)
		return fe
	}
	if sl.err != nil && (sl.status == 0 || errors.Is(sl.err, errTooLarge) || errors.Is(sl.err, errTruncated)) {
		fe.Class = errClass(sl.err)
		fe.Error = fmt.Sprintf("get %s: %v", u, sl.err)
		return fe
	}
	switch st := sl.status; {
	case st >= 200 && st <= 299:
		return nil
	case st == http.StatusNotModified && revalidating:
		return nil
	case st == http.StatusNotFound || st == http.StatusGone:
		fe.Class = result.FetchNotFound
	case st >= 400 && st <= 499:
		fe.Class = result.FetchHTTP4xx
	case st >= 500 && st <= 599:
		fe.Class = result.FetchHTTP5xx
	case st >= 300 && st <= 399:
		fe.Class = result.FetchOther
		fe.Error = fmt.Sprintf("get %s: unexpected HTTP %d", u, st)
		return fe
	default:
		fe.Class = result.FetchOther
	}
	fe.Error = fmt.Sprintf("get %s: HTTP %d %s", u, sl.status, http.StatusText(sl.status))
	return fe
}

// errClass maps a transport error to a fetch error class.
func errClass(err error) result.FetchClass {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var netErr net.Error
	msg := err.Error()
	switch {
	case errors.Is(err, errTooManyRedirects):
		return result.FetchTooManyRedirects
	case errors.Is(err, errRobots), errors.Is(err, colly.ErrRobotsTxtBlocked):
		return result.FetchRobotsDisallowed
	case errors.Is(err, errTooLarge):
		return result.FetchBodyTooLarge
	case errors.Is(err, context.Canceled):
		return result.FetchOther
	case errors.As(err, &dnsErr):
		return result.FetchDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return result.FetchConnection
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr),
		errors.As(err, &invalidCert), errors.As(err, &recordErr), errors.As(err, &alertErr),
		strings.Contains(msg, "tls: "), strings.Contains(msg, "x509: "):
		return result.FetchTLS
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return result.FetchTimeout
	case errors.Is(err, errTruncated), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		strings.Contains(msg, "connection reset"), strings.Contains(msg, "server closed"),
		strings.Contains(msg, "broken pipe"):
		return result.FetchConnectionReset
	}
	return result.FetchOther
}

// transient says whether a failure may go away on retry.
func transient(fe *result.FetchError) bool {
	switch fe.Class {
	case result.FetchTimeout, result.FetchConnectionReset:
		return true
	case result.FetchHTTP5xx:
		return fe.Status != http.StatusNotImplemented && fe.Status != http.StatusHTTPVersionNotSupported
	case result.FetchHTTP4xx:
		return fe.Status == http.StatusTooManyRequests
	}
	return false
}

// backoff is exponential with jitter: base·2^(attempt-1), capped, then a
// random value in its upper half so that retries of many sites spread.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// retryAfter reads a Retry-After header (seconds or an HTTP date).
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(min(n, 86400)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt
}

func mediaIsHTML(ct string) bool {
	mt := mediaType(ct)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

func mediaIsText(ct string) bool {
	return strings.HasPrefix(mediaType(ct), "text/")
}

// mediaIsDocument says whether a Content-Type names a report file format.
func mediaIsDocument(ct string) bool {
	mt := mediaType(ct)
	switch {
	case mt == "application/pdf", mt == "application/msword", mt == "application/vnd.ms-excel",
		mt == "application/ofd", mt == "application/zip", mt == "application/x-zip-compressed",
		mt == "application/kswps", mt == "application/wps-office.wps", mt == "application/vnd.ms-works",
		mt == "application/x-rar-compressed", mt == "application/vnd.rar", mt == "application/octet-stream",
		mt == "application/x-download", mt == "application/force-download",
		strings.HasPrefix(mt, "application/vnd.openxmlformats-officedocument."):
		return true
	}
	return false
}

// sniffDocument recognises report files by their first bytes.
func sniffDocument(b []byte) bool {
	return bytes.HasPrefix(b, []byte("%PDF")) ||
		bytes.HasPrefix(b, []byte("PK\x03\x04")) ||
		bytes.HasPrefix(b, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) ||
		bytes.HasPrefix(b, []byte("{\\rtf")) ||
		bytes.HasPrefix(b, []byte("Rar!"))
}

var htmlStarts = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"), []byte("<meta"),
	[]byte("<title"), []byte("<script"), []byte("<!--"), []byte("<div"), []byte("<p>"), []byte("<table"),
	[]byte("<br"), []byte("<h1"), []byte("<style"), []byte("<link"),
}

// sniffHTML says whether a body starts like an HTML page.
func sniffHTML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n\f")
	head := bytes.ToLower(b[:min(len(b), 32)])
	for _, p := range htmlStarts {
		if bytes.HasPrefix(head, p) {
			return true
		}
	}
	return false
}

// officeHTML marks HTML saved by Word/Excel/WPS as .doc/.xls: a real
// report in an HTML body, common on government sites.
var officeHTML = [][]byte{
	[]byte("urn:schemas-microsoft-com:office"), []byte("Word.Document"), []byte("Excel.Sheet"),
}

// badDocument says why a body cannot be the report file its link promised
// (an error page, an empty answer), or "".
func badDocument(b []byte, u *url.URL, linkText string) string {
	kind := extOf(u)
	if !docExts[kind] {
		kind = docExtOfText(linkText)
	}
	if kind == "" {
		kind = "document"
	}
	if len(b) < minDocBytes {
		return fmt.Sprintf("%s link %s answered with %d bytes, too small for a %s file", kind, u, len(b), kind)
	}
	if !sniffDocument(b) && sniffHTML(b) {
		head := b[:min(len(b), 8192)]
		for _, m := range officeHTML {
			if bytes.Contains(head, m) {
				return ""
			}
		}
		return fmt.Sprintf("%s link %s answered with an HTML page", kind, u)
	}
	return ""
}
