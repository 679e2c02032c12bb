package crawler

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/ogicheck/ogicheck/internal/cache"
	"github.com/ogicheck/ogicheck/result"
)

const (
	maxRobotsBytes = 512 << 10 // RFC 9309 asks crawlers to parse at least 500 KiB
)

// robotsCache holds the parsed robots.txt of every host a Crawl touched.
type robotsCache struct {
	mu sync.Mutex
	m  map[string]*robotsEntry // by scheme://host
}

type robotsEntry struct {
	ready    chan struct{} // closed once the fields below are set
	data     *robotstxt.RobotsData
	status   int           // what colly is served for its own robots.txt check
	body     []byte        //
	delay    time.Duration // Crawl-delay for our agent, capped
	asked    time.Duration // Crawl-delay as robots.txt states it
	err      error         // robots.txt unreachable: nothing may be fetched
	attempts int
	cut      bool // the fetch was cut short by its site's context: not kept
	// redirect says where robots.txt redirected when the redirect was not
	// followed (off the site or in a loop): read as no robots.txt.
	redirect string
}

func newRobotsCache() *robotsCache {
	return &robotsCache{m: map[string]*robotsEntry{}}
}

// peek returns the entry for origin if it is loaded, nil otherwise.
func (rc *robotsCache) peek(origin string) *robotsEntry {
	rc.mu.Lock()
	e := rc.m[origin]
	rc.mu.Unlock()
	if e == nil {
		return nil
	}
	select {
	case <-e.ready:
		return e
	default:
		return nil
	}
}

// get returns the robots.txt rules for u's origin, fetching them once. A
// fetch cut short by its site's context (Ctrl-C, the site's time budget) is
// not kept: another site on the host reads robots.txt again.
func (rc *robotsCache) get(ctx context.Context, run *crawlRun, base http.RoundTripper, u *url.URL) *robotsEntry {
	origin := u.Scheme + "://" + u.Host
	for {
		rc.mu.Lock()
		e := rc.m[origin]
		if e != nil {
			rc.mu.Unlock()
			select {
			case <-e.ready:
			case <-ctx.Done():
				return allowAllEntry()
			}
			if e.cut && ctx.Err() == nil {
				continue
			}
			return e
		}
		e = &robotsEntry{ready: make(chan struct{})}
		rc.m[origin] = e
		rc.mu.Unlock()
		status, body, fresh := cachedRobots(run, origin)
		var attempts int
		var err error
		if !fresh {
			status, body, attempts, err = fetchRobots(ctx, run, base, u)
			keepRobots(run, origin, status, body, err)
		}
		var re *robotsRedirectError
		if errors.As(err, &re) {
			e.redirect, err = re.to, nil
		}
		e.fill(status, body, run.cfg.UserAgent, run.cfg.MaxCrawlDelay)
		e.err, e.attempts = err, attempts
		if ctx.Err() != nil {
			e.cut = true
			rc.mu.Lock()
			delete(rc.m, origin)
			rc.mu.Unlock()
		} else if e.delay > 0 {
			run.gate.setDelay(u.Host, e.delay)
			run.logf("%s: robots.txt Crawl-delay %v", origin, e.delay)
		}
		close(e.ready)
		return e
	}
}

func allowAllEntry() *robotsEntry {
	e := &robotsEntry{ready: make(chan struct{})}
	e.fill(http.StatusNotFound, nil, "", 0)
	close(e.ready)
	return e
}

// fill parses a robots.txt answer. Status 0 (no answer) allows
// everything here; an unreachable robots.txt is handled by the caller
// through robotsEntry.err. 5xx means "disallow all" (RFC 9309 §2.3.1.3).
// A file that does not parse (often an HTML page served at /robots.txt) is
// parsed again without its bad lines, and allows everything if that fails
// too.
func (e *robotsEntry) fill(status int, body []byte, agent string, maxDelay time.Duration) {
	if status == 0 {
		status = http.StatusNotFound
	}
	data, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil && status >= 200 && status <= 299 {
		body = sanitizeRobots(body)
		data, err = robotstxt.FromStatusAndBytes(status, body)
	}
	if err != nil {
		status, body = http.StatusNotFound, nil
		data, _ = robotstxt.FromStatusAndBytes(status, nil)
	}
	e.data, e.status, e.body = data, status, body
	if g := data.FindGroup(agent); g != nil {
		e.asked = g.CrawlDelay
		e.delay = min(g.CrawlDelay, maxDelay)
	}
}

// allowed tests u's path and query against the rules for agent.
func (e *robotsEntry) allowed(u *url.URL, agent string) bool {
	if e.err != nil {
		return false
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return e.data.TestAgent(p, agent)
}

// forColly answers colly's robots.txt request with what we parsed, so
// colly's check agrees with ours and costs no request.
func (e *robotsEntry) forColly(req *http.Request) *http.Response {
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", e.status, http.StatusText(e.status)),
		StatusCode:    e.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"text/plain"}},
		Body:          io.NopCloser(bytes.NewReader(e.body)),
		ContentLength: int64(len(e.body)),
		Request:       req,
	}
}

// robotsFields are the lines kept by sanitizeRobots.
var robotsFields = map[string]bool{"user-agent": true, "allow": true, "disallow": true, "sitemap": true, "crawl-delay": true}

// sanitizeRobots keeps only well-formed lines of the known fields.
func sanitizeRobots(b []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxRobotsBytes)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if !robotsFields[k] || strings.ContainsAny(v, "<>") {
			continue
		}
		if k == "crawl-delay" {
			if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || f > 86400 {
				continue
			}
		}
		fmt.Fprintf(&out, "%s: %s\n", k, v)
	}
	return out.Bytes()
}

// maxRobotsAge is how long a robots.txt kept in the cache is used without
// asking again (RFC 9309 §2.4: not more than 24 hours).
const maxRobotsAge = 24 * time.Hour

// cachedRobots returns origin's robots.txt from the cache when Config.FreshFor
// allows it and it is younger than maxRobotsAge: its body (empty for a
// 4xx answer, which allows everything as an empty file does).
func cachedRobots(run *crawlRun, origin string) (status int, body []byte, ok bool) {
	ff := min(run.cfg.FreshFor, maxRobotsAge)
	if ff <= 0 || run.cfg.Cache == nil {
		return 0, nil, false
	}
	e, err := run.cfg.Cache.Get(origin + "/robots.txt")
	if err != nil || e.Stored.IsZero() {
		return 0, nil, false
	}
	if age := run.clock.Now().Sub(e.Stored); age < 0 || age >= ff {
		return 0, nil, false
	}
	return http.StatusOK, e.Body, true
}

// keepRobots keeps a robots.txt answer for a later crawl's cachedRobots: a
// 2xx body or a 4xx (no rules), never a failure, a 5xx or a redirect not
// followed, which must be asked again.
func keepRobots(run *crawlRun, origin string, status int, body []byte, err error) {
	if run.cfg.Cache == nil || err != nil || status < 200 || status > 499 || (status > 299 && status < 400) {
		return
	}
	if status >= 400 {
		body = nil
	}
	e := &cache.Entry{FinalURL: origin + "/robots.txt", ContentType: "text/plain", Body: body, Stored: run.clock.Now()}
	if perr := run.cfg.Cache.Put(origin+"/robots.txt", e); perr != nil {
		run.logf("%v", perr)
	}
}

// fetchRobots gets origin/robots.txt outside colly (colly would fetch it
// without our gate, timeout or retries). It returns the final status and
// body. A network failure that outlasts the retries is returned as err:
// RFC 9309 §2.3.1.4 then forbids crawling, and the site's error says why
// (dns, timeout, refused…). Redirect trouble counts as no robots.txt.
func fetchRobots(ctx context.Context, run *crawlRun, base http.RoundTripper, site *url.URL) (status int, body []byte, attempts int, err error) {
	sc := newScope(site)
	client := &http.Client{
		Transport: base,
		Timeout:   run.cfg.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errTooManyRedirects
			}
			if u := cleanURL(req.URL); u == nil || !sc.contains(u) {
				return fmt.Errorf("%w: robots.txt redirects to %s", errOffSiteRedirect, req.URL)
			}
			return nil
		},
	}
	origin := site.Scheme + "://" + site.Host
	u := origin + "/robots.txt"
	host := site.Host
	for attempts = 1; ; attempts++ {
		release, gerr := run.gate.acquire(ctx, host)
		if gerr != nil {
			return 0, nil, attempts - 1, gerr
		}
		status, body, err = getRobots(ctx, client, u, run.cfg.UserAgent)
		release()
		retry := false
		switch {
		case ctx.Err() != nil:
			return 0, nil, attempts, ctx.Err()
		case err != nil && (errors.Is(err, errTooManyRedirects) || errors.Is(err, errOffSiteRedirect)):
			run.logf("%s: %v: taken as no robots.txt", u, err)
			to := u
			var ue *url.Error
			if errors.As(err, &ue) {
				to = ue.URL
			}
			return 0, nil, attempts, &robotsRedirectError{to: to, err: err}
		case err != nil:
			c := errClass(err)
			retry = c == result.FetchTimeout || c == result.FetchConnectionReset
		case status >= 500 || status == http.StatusTooManyRequests:
			retry = status != http.StatusNotImplemented
		}
		if !retry || attempts > run.cfg.Retries {
			if err != nil {
				run.logf("%s: %v", u, err)
				return 0, nil, attempts, fmt.Errorf("robots.txt unreachable: %w", err)
			}
			if status == http.StatusTooManyRequests {
				status = http.StatusServiceUnavailable // still refused: disallow all
			}
			return status, body, attempts, nil
		}
		if run.clock.Sleep(ctx, backoff(run.cfg.BackoffBase, attempts)) != nil {
			return 0, nil, attempts, ctx.Err()
		}
	}
}

// robotsRedirectError is a robots.txt redirect that was not followed.
type robotsRedirectError struct {
	to  string // where it pointed
	err error
}

func (e *robotsRedirectError) Error() string { return e.err.Error() }
func (e *robotsRedirectError) Unwrap() error { return e.err }

func getRobots(ctx context.Context, client *http.Client, u, agent string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("User-Agent", agent)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}
