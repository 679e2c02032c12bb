package crawler

import "sync/atomic"

// Counters tally a crawl as it goes, across its sites, for a progress
// display; the Site values hold the same figures once each site is done.
// A nil *Counters counts nothing.
type Counters struct {
	Pages    atomic.Int64 // URLs that got an HTTP answer
	Bytes    atomic.Int64 // body bytes received
	Failures atomic.Int64 // URLs that failed for good
}

func (c *Counters) page() {
	if c != nil {
		c.Pages.Add(1)
	}
}

func (c *Counters) received(n int) {
	if c != nil {
		c.Bytes.Add(int64(n))
	}
}

func (c *Counters) failed() {
	if c != nil {
		c.Failures.Add(1)
	}
}
