package crawler

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// origCTHeader carries the Content-Type as sent past colly.
const origCTHeader = "X-Ogicheck-Content-Type"

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
