package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// HostGate lets one request at a time go to a host, whichever process
// sends it, each starting at least the delay after the previous one ended:
// a PostgreSQL advisory lock per host, held on its own connection while
// the request runs (a process that dies lets it go with its connection),
// and the end of the last request in host_gate. With SQLite one process
// holds the file, and the crawler's own gate is enough: HostGate is nil.
type HostGate struct {
	s     *Store
	sleep func(ctx context.Context, d time.Duration) error
}

// HostGate returns the store's gate, nil for SQLite.
func (s *Store) HostGate() *HostGate {
	if s.kind != Postgres {
		return nil
	}
	return &HostGate{s: s, sleep: sleepCtx}
}

// gateClass is the first key of the gate's advisory locks ("ogic").
const gateClass = 0x6f676963

func hostKey(host string) int32 {
	h := fnv.New32a()
	h.Write([]byte(host))
	return int32(h.Sum32())
}

// Acquire waits for the host, then holds it until release is called. It
// waits without a connection, trying the lock now and then: a connection
// held only to wait in pg_advisory_lock would starve River and the lease
// renewals of the pool when many sites share a host.
func (g *HostGate) Acquire(ctx context.Context, host string, delay time.Duration) (release func(), err error) {
	key := hostKey(host)
	var conn *pgxpool.Conn
	for pause := 20 * time.Millisecond; ; pause = min(2*pause, 500*time.Millisecond) {
		if conn, err = g.s.pool.Acquire(ctx); err != nil {
			return nil, fmt.Errorf("store: host gate for %s: %w", host, err)
		}
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, gateClass, key).Scan(&got); err != nil {
			// the lock may or may not be held: drop the session
			conn.Conn().Close(context.Background())
			conn.Release()
			return nil, fmt.Errorf("store: host gate for %s: %w", host, err)
		}
		if got {
			break
		}
		conn.Release()
		if err := sleepCtx(ctx, pause); err != nil {
			return nil, err
		}
	}
	unlock := func() {
		bg := context.Background()
		if _, err := conn.Exec(bg, `SELECT pg_advisory_unlock($1, $2)`, gateClass, key); err != nil {
			conn.Conn().Close(bg) // never back to the pool holding the lock
		}
		conn.Release()
	}
	var last time.Time
	err = conn.QueryRow(ctx, `SELECT last_end FROM host_gate WHERE host = $1`, host).Scan(&last)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		unlock()
		return nil, fmt.Errorf("store: host gate for %s: %w", host, err)
	}
	if wait := time.Until(last.Add(delay)); !last.IsZero() && wait > 0 {
		if err := g.sleep(ctx, wait); err != nil {
			unlock()
			return nil, err
		}
	}
	return func() {
		_, err := conn.Exec(context.Background(), `INSERT INTO host_gate (host, last_end) VALUES ($1, $2)
			ON CONFLICT (host) DO UPDATE SET last_end = excluded.last_end`, host, time.Now().UTC())
		_ = err // the next request waits a delay less at worst
		unlock()
	}, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
