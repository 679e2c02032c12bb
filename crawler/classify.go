package crawler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

// classify turns the outcome of one attempt into a fetch error, nil on
// success. revalidating says a 304 is expected.
func classify(u *url.URL, sl *slot, revalidating bool) *result.FetchError {
	fe := &result.FetchError{URL: u.String(), Status: sl.status}
	if sl.tooLarge > 0 {
		fe.Class = result.FetchBodyTooLarge
		fe.Error = fmt.Sprintf("get %s: Content-Length %d is over the size limit of %d bytes", u, sl.tooLarge, sl.limit)
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
	case errors.Is(err, errRobots), errors.Is(err, errCollyRobots):
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
