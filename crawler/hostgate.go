package crawler

import (
	"context"
	"time"
)

// HostGate keeps politeness across Crawls: the jobs of one process, or the
// workers of several processes sharing a store. Acquire waits until no
// other request to host is in flight and delay has passed since the last
// one ended, then holds the host until release is called. A Crawl takes
// its own gate first, then this one (Config.HostGate).
type HostGate interface {
	Acquire(ctx context.Context, host string, delay time.Duration) (release func(), err error)
}

// NewHostGate returns a HostGate for the Crawls of one process.
func NewHostGate() HostGate { return localGate{newHostGate(realClock{}, 0)} }

type localGate struct{ g *hostGate }

func (l localGate) Acquire(ctx context.Context, host string, delay time.Duration) (func(), error) {
	l.g.setDelay(host, delay)
	return l.g.acquire(ctx, host)
}

// acquireShared holds host in the shared gate too, when there is one,
// after the Crawl's own gate (held by release) let the request go.
func (g *hostGate) acquireShared(ctx context.Context, host string, delay time.Duration, release func()) (func(), error) {
	if g.shared == nil {
		return release, nil
	}
	rel, err := g.shared.Acquire(ctx, host, delay)
	if err != nil {
		release()
		return nil, err
	}
	return func() {
		rel()
		release()
	}, nil
}
