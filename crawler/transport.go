package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// origCTHeader carries the Content-Type as sent past colly.
const origCTHeader = "X-Ogicheck-Content-Type"

// rawTransport sits between colly's client and the network, and keeps
// colly away from bodies:
//   - it reads the body of a successful answer itself into the request's
//     slot, bounded by the size limit and sized by Content-Length, and
//     hands colly an empty body (colly's own reading grows a copy and
//     inflates gzip after its limit);
//   - it decodes gzip and x-gzip itself, bounded by the same limit, and
//     marks every answer uncompressed so that colly inflates nothing;
//   - it hides the charset of the Content-Type (colly transcodes whenever
//     one is present and would mangle mislabelled pages) and keeps the
//     original header in origCTHeader for our own decoding;
//   - it answers colly's robots.txt requests from the robots cache, so
//     robots.txt is fetched once, politely, by us;
//   - it ends a request, redirects and body included, at its deadline.
//
// A collector sends one request at a time, so the transport holds the
// current request's slot and deadline (set by collector.do).
type rawTransport struct {
	base     http.RoundTripper
	robots   *robotsCache
	timeout  time.Duration
	maxBody  int64
	sink     *slot     // the slot of the request under way
	deadline time.Time // of the request under way
}

// timeoutError is a request past its deadline; a net.Error so that it
// classifies as a timeout.
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
	deadline := t.deadline
	if deadline.IsZero() {
		deadline = time.Now().Add(t.timeout)
	}
	ctx, cancel := context.WithDeadline(req.Context(), deadline)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, t.timedOut(ctx, req, err)
	}
	ct := resp.Header.Get("Content-Type")
	resp.Header.Set(origCTHeader, ct)
	if mt, params, err := mime.ParseMediaType(ct); err == nil && params["charset"] != "" {
		resp.Header.Set("Content-Type", mt)
	} else if err != nil && strings.Contains(strings.ToLower(ct), "charset") {
		// Unparseable but charset-bearing: colly would still transcode.
		resp.Header.Set("Content-Type", strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	gzipped := !resp.Uncompressed && isGzip(resp.Header)
	resp.Uncompressed = true // colly must inflate nothing
	if t.sink == nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
		return resp, nil
	}
	body, err := t.readBody(resp, gzipped)
	resp.Body.Close()
	cancel()
	if err != nil {
		if errors.Is(err, errTooLarge) || errors.Is(err, errTruncated) {
			t.sink.err = err // a definite answer, kept with its status
		} else {
			return nil, t.timedOut(ctx, req, err)
		}
	}
	t.sink.body = body
	if gzipped {
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
	}
	resp.Body = http.NoBody
	resp.ContentLength = 0
	return resp, nil
}

// timedOut turns an error met after the deadline into a timeout.
func (t *rawTransport) timedOut(ctx context.Context, req *http.Request, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && req.Context().Err() == nil {
		return &timeoutError{fmt.Sprintf("request not completed within %v", t.timeout)}
	}
	return err
}

// isGzip says whether colly would inflate an answer: gzip or x-gzip
// encoding, or no encoding and a Content-Type naming gzip.
func isGzip(h http.Header) bool {
	enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding")))
	if enc == "" {
		return strings.Contains(strings.ToLower(h.Get(origCTHeader)), "gzip")
	}
	return enc == "gzip" || enc == "x-gzip"
}

// readBody reads a successful answer's body: never more than the size
// limit, decoded or not, and exactly Content-Length bytes when it is
// declared.
func (t *rawTransport) readBody(resp *http.Response, gzipped bool) ([]byte, error) {
	declared := int64(-1)
	if n, err := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64); err == nil && n >= 0 {
		declared = n
	}
	if !gzipped {
		if declared > t.maxBody {
			t.sink.tooLarge = declared
			return nil, nil
		}
		if declared >= 0 {
			b := make([]byte, declared)
			n, err := io.ReadFull(resp.Body, b)
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) && declared > 0 {
				return nil, fmt.Errorf("%w: got %d of %d bytes", errTruncated, n, declared)
			}
			return b, err
		}
		return readLimited(resp.Body, t.maxBody, "")
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("gzip body: %w", err)
	}
	defer zr.Close()
	return readLimited(zr, t.maxBody, " once inflated")
}

// readLimited reads r whole, or fails with errTooLarge past limit bytes.
// It reads in pieces and joins them at the end, so that a body refused
// (a gzip bomb) never costs more than the limit.
func readLimited(r io.Reader, limit int64, how string) ([]byte, error) {
	const piece = 1 << 20
	var pieces [][]byte
	var total int64
	for {
		buf := make([]byte, min(piece, limit+1-total))
		n, err := io.ReadFull(r, buf)
		total += int64(n)
		pieces = append(pieces, buf[:n])
		if total > limit {
			return nil, fmt.Errorf("%w: more than %d bytes%s", errTooLarge, limit, how)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return bytes.Join(pieces, nil), nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// cancelBody ends its request's context when closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
