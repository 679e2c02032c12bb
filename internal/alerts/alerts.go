// Package alerts posts a scan's new findings to a webhook as JSON, signed
// with HMAC-SHA256 over the body so that the receiver can tell the post
// came from whoever holds the shared secret.
//
// The receiver verifies a post by computing HMAC-SHA256 of the raw request
// body with the shared secret and comparing it, in constant time, with the
// hex digest in the header
//
//	X-Ogicheck-Signature: sha256=<hex digest>
//
// (Verify does exactly this). X-Ogicheck-Delivery carries the delivery's
// ID, the same on every retry of one delivery, so that a receiver that
// answered too late to be believed can drop the repeat.
package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

// Schema is the value of Payload.Schema.
const Schema = "ogicheck/alert/v1"

// Headers of a post.
const (
	SignatureHeader = "X-Ogicheck-Signature"
	DeliveryHeader  = "X-Ogicheck-Delivery"
	signaturePrefix = "sha256="
)

// Payload is the JSON body of a post: the findings a scan found that the
// previous scan of their site had not.
type Payload struct {
	Schema   string    `json:"schema"`
	Delivery string    `json:"delivery"` // as in the header
	Scan     int64     `json:"scan"`
	Started  time.Time `json:"started"`
	Findings []Finding `json:"findings"`
}

// Finding is one new finding.
type Finding struct {
	Fingerprint string          `json:"fingerprint"` // stable across scans
	Rule        string          `json:"rule"`
	Category    string          `json:"category"`
	Severity    result.Severity `json:"severity"`
	Site        string          `json:"site"`
	Agency      string          `json:"agency"`
	Year        int             `json:"year,omitempty"`
	Message     result.Text     `json:"message"`
}

// Sign is the signature header's value for body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return signaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// ErrSignature is returned by Verify for a missing or wrong signature.
var ErrSignature = errors.New("alerts: the signature does not match the body")

// Verify checks a post's signature header against its body in constant
// time.
func Verify(secret, body []byte, header string) error {
	got, ok := strings.CutPrefix(strings.TrimSpace(header), signaturePrefix)
	if !ok {
		return fmt.Errorf("%w: the header does not start with %q", ErrSignature, signaturePrefix)
	}
	sum, err := hex.DecodeString(got)
	if err != nil {
		return fmt.Errorf("%w: the digest is not hex", ErrSignature)
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	if !hmac.Equal(sum, m.Sum(nil)) {
		return ErrSignature
	}
	return nil
}

// CheckURL refuses a webhook URL that is not absolute http or https. Its
// errors name the host at most: the URL may carry a token.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("webhook URL: %w", stripURL(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("webhook URL %s: want an absolute http or https URL", redact(raw))
	}
	return nil
}

// stripURL drops the URL a *url.Error carries (with its query, path and
// user, where tokens are) and keeps what went wrong.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// PermanentError is a post the receiver refused in a way a retry will not
// change (a 4xx answer other than 408 and 429).
type PermanentError struct {
	Status int
	Body   string
}

func (e *PermanentError) Error() string {
	return fmt.Sprintf("alerts: the webhook refused the post: HTTP %d %s", e.Status, e.Body)
}

// maxAnswer is how much of an answer is read for an error message.
const maxAnswer = 512

// Post sends body to the webhook with its signature and delivery ID. A
// 2xx answer is success; a *PermanentError says not to retry; any other
// error (network, timeout, 5xx, 408, 429) is worth retrying.
func Post(ctx context.Context, client *http.Client, webhook string, secret, body []byte, delivery string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhook, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set(SignatureHeader, Sign(secret, body))
	req.Header.Set(DeliveryHeader, delivery)
	req.Header.Set("User-Agent", "ogicheck-webhook")
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("alerts: post to %s: %w", redact(webhook), stripURL(err))
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s >= 400 && s < 500 && s != http.StatusRequestTimeout && s != http.StatusTooManyRequests:
		return &PermanentError{Status: s, Body: strings.TrimSpace(string(answer))}
	default:
		return fmt.Errorf("alerts: post to %s: HTTP %d", redact(webhook), s)
	}
}

// redact names a webhook URL's host for messages: its user, path and
// query may carry a token (some services put it in the path).
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "the webhook"
	}
	return u.Scheme + "://" + u.Host
}

// Encode is the payload's body as posted.
func Encode(p Payload) ([]byte, error) {
	p.Schema = Schema
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("alerts: encode: %w", err)
	}
	return b, nil
}
