package jobs

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/alerts"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/internal/store/storetest"
	"github.com/ogicheck/ogicheck/result"
)

// storedScan is a store holding one finished scan of one site with two
// findings, both new.
func storedScan(t *testing.T, st *store.Store) int64 {
	t.Helper()
	ctx := context.Background()
	const site = "http://www.example.invalid/"
	list, err := st.SaveList(ctx, "sites.csv", []store.Site{{URL: site, Name: "滨江市东湖区人民政府", Region: "滨江市"}})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := st.CreateScan(ctx, list.ID, store.TriggerCommand, "ogicheck test", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	id := list.Sites[0].ID
	if _, err := st.Claim(ctx, sc.ID, id, "w", time.Minute); err != nil {
		t.Fatal(err)
	}
	y := 2024
	f := func(rule, row string) result.Finding {
		return result.Finding{Rule: rule, Category: result.CatTableIdentity, Severity: result.SeverityError,
			Messages: result.Text{Zh: "表三不符", En: "table 3 does not add up"}, Evidence: result.Evidence{Table: "三", Row: row, Column: "总计"}}
	}
	res := &result.Result{Schema: result.Schema, Sites: []*result.Site{{URL: site, Errors: []result.FetchError{}, Findings: []result.Finding{}}},
		Documents: []*result.Document{{Source: site + "nb/2024.html", Site: site, Format: "html", Kind: result.KindAnnualReport,
			Title: "2024年度报告", Agency: "滨江市东湖区人民政府", Year: &y,
			Findings: []result.Finding{f("T3-COL", "一、本年新收政府信息公开申请数量"), f("T3-SUM", "（七）总计")}}}}
	if _, err := st.SaveSite(ctx, sc.ID, id, "w", res, nil); err != nil {
		t.Fatal(err)
	}
	return sc.ID
}

// flaky verifies each post's signature and answers 503 to the first
// failures of them, 204 after.
type flaky struct {
	mu       sync.Mutex
	secret   []byte
	failures int
	posts    []string // delivery IDs in order
	accepted []alerts.Payload
	bad      int
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	if alerts.Verify(f.secret, body, r.Header.Get(alerts.SignatureHeader)) != nil {
		f.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	f.posts = append(f.posts, r.Header.Get(alerts.DeliveryHeader))
	if f.failures > 0 {
		f.failures--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var p alerts.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	f.accepted = append(f.accepted, p)
	w.WriteHeader(http.StatusNoContent)
}

// TestWebhookRetried: a receiver that fails twice gets the delivery a
// third time and accepts it, every post signed and with the same delivery
// ID; queuing the same scan again posts nothing more.
func TestWebhookRetried(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		scan := storedScan(t, st)
		rc := &flaky{secret: []byte("shared secret"), failures: 2}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		rn := startAlerts(ctx, t, st, &Webhook{URL: srv.URL + "/hook", Secret: rc.secret, Backoff: 10 * time.Millisecond, Client: srv.Client()})
		if err := rn.Alert(ctx, scan, true); err != nil {
			t.Fatalf("Alert: %v", err)
		}
		if err := rn.Alert(ctx, scan, true); err != nil {
			t.Fatalf("second Alert: %v", err)
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.bad != 0 {
			t.Errorf("%d posts with a bad signature", rc.bad)
		}
		if len(rc.posts) != 3 || rc.posts[0] != rc.posts[1] || rc.posts[1] != rc.posts[2] {
			t.Errorf("posts %q, want three of one delivery (two refused, one accepted)", rc.posts)
		}
		if len(rc.accepted) != 1 {
			t.Fatalf("%d deliveries accepted, want 1", len(rc.accepted))
		}
		p := rc.accepted[0]
		var rules []string
		for _, f := range p.Findings {
			rules = append(rules, f.Rule)
		}
		slices.Sort(rules)
		if p.Schema != alerts.Schema || p.Scan != scan || !slices.Equal(rules, []string{"T3-COL", "T3-SUM"}) {
			t.Errorf("payload %+v, want scan %d with its two new findings", p, scan)
		}
	})
}

// TestWebhookRefused: a 4xx answer is final: the job is cancelled at once
// and Alert says why.
func TestWebhookRefused(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ogicheck.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	scan := storedScan(t, st)
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		http.Error(w, "gone", http.StatusGone)
	}))
	defer srv.Close()
	rn := startAlerts(ctx, t, st, &Webhook{URL: srv.URL, Secret: []byte("s"), Backoff: 10 * time.Millisecond, Client: srv.Client()})
	if err := rn.Alert(ctx, scan, true); err == nil {
		t.Error("Alert to a webhook answering 410: no error")
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("%d posts, want 1 (no retry after 410)", n)
	}
}

// startAlerts starts a leading Runner that works only webhook posts.
func startAlerts(ctx context.Context, t *testing.T, st *store.Store, hook *Webhook) *Runner {
	t.Helper()
	rn, err := New(ctx, Config{Store: st, Worker: "alerts-test", Leader: true, Poll: 100 * time.Millisecond, Webhook: hook})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rn.Close)
	if err := rn.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rn.Stop(context.Background()) })
	return rn
}

func eachStore(t *testing.T, f func(t *testing.T, st *store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ogicheck.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f(t, st)
	})
	t.Run("postgres", func(t *testing.T) {
		st, err := store.Open(context.Background(), storetest.Postgres(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f(t, st)
	})
}
