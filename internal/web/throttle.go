package web

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Failed logins allowed per account, and per client address (an office
// behind one address has many users), within the window; beyond them,
// logins are refused until the oldest failure leaves the window. bcrypt
// makes each guess slow; this bounds how many there are.
const (
	maxAccountFailures = 5
	maxAddressFailures = 30
	loginWindow        = 15 * time.Minute
	maxThrottleKeys    = 100_000 // past it, keys with no recent failure are dropped
)

// throttle counts recent failed logins by key ("user:NAME", "addr:IP").
type throttle struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string][]time.Time
}

func newThrottle(now func() time.Time) *throttle {
	return &throttle{now: now, m: map[string][]time.Time{}}
}

// loginKeys are the keys a login attempt counts against.
func loginKeys(r *http.Request, name string) []string {
	addr := r.RemoteAddr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		addr = h
	}
	return []string{"user:" + name, "addr:" + addr}
}

// recent drops the failures of key that left the window and returns the rest.
func (t *throttle) recent(key string, now time.Time) []time.Time {
	fs := t.m[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= loginWindow {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(t.m, key)
	} else {
		t.m[key] = fs
	}
	return fs
}

// blocked says whether any of the keys has had too many recent failures.
func (t *throttle) blocked(keys []string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range keys {
		limit := maxAccountFailures
		if strings.HasPrefix(k, "addr:") {
			limit = maxAddressFailures
		}
		if len(t.recent(k, now)) >= limit {
			return true
		}
	}
	return false
}

// fail records a failed login against the keys.
func (t *throttle) fail(keys []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.m) >= maxThrottleKeys {
		for k := range t.m {
			t.recent(k, now)
		}
	}
	for _, k := range keys {
		t.m[k] = append(t.recent(k, now), now)
	}
}

// reset forgets the failures of a key: an account's, once its password
// was given.
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, key)
}
