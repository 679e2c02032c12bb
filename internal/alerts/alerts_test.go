package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/result"
)

var secret = []byte("s3cret-shared-with-the-receiver")

// receiver verifies every post as the package doc tells receivers to, and
// keeps the payloads it accepted.
type receiver struct {
	mu       sync.Mutex
	secret   []byte
	failures int // answers 503 this many times first
	posts    int
	got      []Payload
	refused  []error
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.posts++
	body, _ := io.ReadAll(r.Body)
	if err := Verify(rc.secret, body, r.Header.Get(SignatureHeader)); err != nil {
		rc.refused = append(rc.refused, err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if rc.failures > 0 {
		rc.failures--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil || r.Header.Get(DeliveryHeader) != p.Delivery {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	rc.got = append(rc.got, p)
}

func payload() Payload {
	return Payload{Delivery: "7-abc", Scan: 7, Started: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC), Findings: []Finding{{
		Fingerprint: "0f1e", Rule: "T3-COL", Category: result.CatTableIdentity, Severity: result.SeverityError,
		Site: "https://a.example.gov.cn/", Agency: "某区人民政府", Year: 2024,
		Message: result.Text{Zh: "表三「商业企业」列：…", En: "table 3, column 商业企业: …"},
	}}}
}

func TestSignedPostVerified(t *testing.T) {
	rc := &receiver{secret: secret}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	body, err := Encode(payload())
	if err != nil {
		t.Fatal(err)
	}
	if err := Post(context.Background(), srv.Client(), srv.URL, secret, body, "7-abc"); err != nil {
		t.Fatalf("Post: %v", err)
	}
	if len(rc.got) != 1 || rc.got[0].Schema != Schema || rc.got[0].Findings[0].Rule != "T3-COL" {
		t.Fatalf("receiver got %+v", rc.got)
	}

	// the wrong secret is refused, and that is not worth retrying
	err = Post(context.Background(), srv.Client(), srv.URL, []byte("guess"), body, "7-abc")
	var perm *PermanentError
	if !errors.As(err, &perm) || perm.Status != http.StatusUnauthorized {
		t.Errorf("wrong secret: err = %v, want a permanent 401", err)
	}
	if len(rc.refused) != 1 || !errors.Is(rc.refused[0], ErrSignature) {
		t.Errorf("receiver's verdicts %v, want one ErrSignature", rc.refused)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"schema":"ogicheck/alert/v1"}`)
	good := Sign(secret, body)
	tests := []struct {
		name   string
		body   string
		header string
		ok     bool
	}{
		{"good", string(body), good, true},
		{"body changed", string(body) + " ", good, false},
		{"no prefix", string(body), strings.TrimPrefix(good, "sha256="), false},
		{"not hex", string(body), "sha256=zz", false},
		{"empty", string(body), "", false},
		{"other digest", string(body), Sign([]byte("x"), body), false},
	}
	for _, tt := range tests {
		err := Verify(secret, []byte(tt.body), tt.header)
		if (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrSignature) {
			t.Errorf("%s: Verify = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestPostErrors(t *testing.T) {
	for _, tt := range []struct {
		status    int
		permanent bool
	}{{500, false}, {503, false}, {429, false}, {408, false}, {404, true}, {410, true}, {400, true}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tt.status) }))
		err := Post(context.Background(), srv.Client(), srv.URL+"/hook?token=abc", secret, []byte("{}"), "d")
		srv.Close()
		var perm *PermanentError
		if err == nil || errors.As(err, &perm) != tt.permanent {
			t.Errorf("HTTP %d: err = %v, want permanent %v", tt.status, err, tt.permanent)
		}
		if err != nil && strings.Contains(err.Error(), "token=abc") {
			t.Errorf("HTTP %d: the error shows the URL's query: %v", tt.status, err)
		}
	}
	if err := CheckURL("ftp://x/"); err == nil {
		t.Error("CheckURL(ftp) passed")
	}
	if err := CheckURL("https://hooks.example/x"); err != nil {
		t.Errorf("CheckURL(https) = %v", err)
	}
}

// TestErrorsHideTheURL: a webhook's token, in its query, path or user,
// never reaches an error (logged, and kept by River in the job's errors):
// a failed post names the host only.
func TestErrorsHideTheURL(t *testing.T) {
	const token = "secret-token-42"
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close() // nothing listens there any more
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer slow.Close()
	defer close(release)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	defer failing.Close()
	for _, tt := range []struct {
		name, url string
		client    *http.Client
	}{
		{"connection refused, token in the query", closedURL + "/hook?token=" + token, nil},
		{"connection refused, token in the path", closedURL + "/services/" + token, nil},
		{"connection refused, token as user", strings.Replace(closedURL, "http://", "http://u:"+token+"@", 1) + "/hook", nil},
		{"timeout", slow.URL + "/hook?token=" + token, &http.Client{Timeout: 50 * time.Millisecond}},
		{"HTTP 502", failing.URL + "/hook?token=" + token, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Post(context.Background(), tt.client, tt.url, secret, []byte("{}"), "d")
			if err == nil {
				t.Fatal("the post succeeded")
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("got error %q, want one without the token", err)
			}
			var perm *PermanentError
			if errors.As(err, &perm) {
				t.Errorf("got a permanent error %v, want one worth retrying", err)
			}
		})
	}
	for _, raw := range []string{"ftp://h/?token=" + token, "http://h/%zz?token=" + token, "http:///x?token=" + token} {
		if err := CheckURL(raw); err == nil || strings.Contains(err.Error(), token) {
			t.Errorf("CheckURL(%q) = %v, want an error without the token", raw, err)
		}
	}
}
