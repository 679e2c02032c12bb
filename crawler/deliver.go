package crawler

import (
	"fmt"
	"os"
	"sync"
)

// DefaultMemoryBudget bounds the bodies that wait in memory for their
// entry to complete, across the sites of one Crawl.
const DefaultMemoryBudget = 128 << 20

// budget counts the bytes of bodies waiting in memory.
type budget struct {
	mu    sync.Mutex
	limit int64
	used  int64
}

// take reserves n bytes, or says there is no room.
func (b *budget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

func (b *budget) give(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// holding keeps the bodies of one entry while the rest of it downloads:
// in memory within the budget, beyond it in temporary files.
type holding struct {
	s      *siteCrawl
	taken  int64
	spills map[*[]byte]string // body slot → temporary file
}

func (s *siteCrawl) newHolding() *holding {
	return &holding{s: s, spills: map[*[]byte]string{}}
}

// hold makes *body wait: it stays in memory when the budget has room, and
// is written to a temporary file otherwise (kept in memory if that fails).
func (h *holding) hold(body *[]byte) {
	n := int64(len(*body))
	if n == 0 || h.spills[body] != "" {
		return
	}
	if h.s.run.mem.take(n) {
		h.taken += n
		return
	}
	f, err := os.CreateTemp(h.s.run.cfg.SpillDir, "ogicheck-body-*")
	if err == nil {
		_, err = f.Write(*body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
		}
	}
	if err != nil {
		h.s.logf("memory budget of %d bytes exceeded and a body could not be spilled: %v", h.s.run.cfg.MemoryBudget, err)
		return
	}
	h.spills[body] = f.Name()
	*body = nil
}

// restore reads the spilled bodies back, removing their files.
func (h *holding) restore() {
	for body, name := range h.spills {
		b, err := os.ReadFile(name)
		if err != nil {
			h.s.logf("%v", fmt.Errorf("read back a spilled body: %w", err))
		}
		*body = b
		os.Remove(name)
		delete(h.spills, body)
	}
}

// release gives the budget back and removes any file left.
func (h *holding) release() {
	h.s.run.mem.give(h.taken)
	h.taken = 0
	for body, name := range h.spills {
		os.Remove(name)
		delete(h.spills, body)
	}
}

// deliver hands a complete entry to Config.OnEntry and then drops its
// bodies: the Site keeps the entry without them.
func (s *siteCrawl) deliver(e *Entry, h *holding) {
	h.restore()
	s.run.cfg.OnEntry(s.site, e)
	dropBodies(e)
	h.release()
}

func dropBodies(e *Entry) {
	if e.Page != nil {
		e.Page.Body = nil
	}
	for i := range e.Attachments {
		e.Attachments[i].Body = nil
	}
}
