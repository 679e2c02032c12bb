package crawler

import (
	"context"
	"sync"
	"time"
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
	// shared is Config.HostGate, taken after this gate
	shared HostGate
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
	return g.acquireShared(ctx, host, delay, func() {
		s.last = g.clock.Now()
		s.used = true
		<-s.sem
	})
}
