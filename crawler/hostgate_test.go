package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingGate is a HostGate that counts what it was asked.
type countingGate struct {
	HostGate
	mu     sync.Mutex
	calls  int
	delays map[time.Duration]bool
}

func (g *countingGate) Acquire(ctx context.Context, host string, delay time.Duration) (func(), error) {
	g.mu.Lock()
	g.calls++
	g.delays[delay] = true
	g.mu.Unlock()
	return g.HostGate.Acquire(ctx, host, delay)
}

// TestSharedHostGate: two Crawls of one host through one HostGate never
// have two requests in flight at once, and every request goes through the
// gate with the crawl's delay.
func TestSharedHostGate(t *testing.T) {
	var inFlight, most, served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		served.Add(1)
		time.Sleep(5 * time.Millisecond) // long enough for a second request to overlap if let in
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><body><a href="/a.html">政府信息公开</a><a href="/b.html">机构概况</a></body></html>`))
	}))
	defer srv.Close()
	gate := &countingGate{HostGate: NewHostGate(), delays: map[time.Duration]bool{}}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg, _ := testConfig()
			cfg.Delay = 2 * time.Millisecond
			cfg.HostGate = gate
			Crawl(context.Background(), cfg, []string{srv.URL + "/"})
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d requests in flight at once, want 1", most.Load())
	}
	if gate.calls == 0 || int64(gate.calls) < served.Load() {
		t.Errorf("the shared gate let %d of %d requests through", gate.calls, served.Load())
	}
	if !gate.delays[2*time.Millisecond] {
		t.Errorf("delays asked %v, want the crawl's 2ms", gate.delays)
	}
}
