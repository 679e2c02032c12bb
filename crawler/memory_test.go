package crawler

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const bigFile = 48 << 20

// writeBigPDF streams a PDF-looking body of n bytes without holding it.
func writeBigPDF(w http.ResponseWriter, n int) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Length", strconv.Itoa(n))
	head := []byte("%PDF-1.4\n")
	w.Write(head)
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	for left := n - len(head); left > 0; left -= len(chunk) {
		if _, err := w.Write(chunk[:min(len(chunk), left)]); err != nil {
			return
		}
	}
}

// peakHeap samples the heap until stop is called and returns the highest
// HeapAlloc seen.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// Entries of 48 MiB each, more of them than memory could hold at once:
// each is delivered through OnEntry as it completes and dropped, and the
// bodies of an entry that must wait beyond the memory budget go to
// temporary files.
func TestOnEntryBoundsMemory(t *testing.T) {
	const direct = 10
	var list strings.Builder
	for i := range direct {
		list.WriteString(li(fmt.Sprintf("/nb/r%d.pdf", i), fmt.Sprintf("%d年政府信息公开工作年度报告", 2000+i), "2024-01-10"))
	}
	list.WriteString(li("/nb/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10"))
	page := reportPage("2023年政府信息公开工作年度报告", `<a href="/nb/a1.pdf">报告.pdf</a> <a href="/nb/a2.pdf">附表一.pdf</a> <a href="/nb/a3.pdf">附表二.pdf</a>`)
	spill := t.TempDir()
	var spilledBeforeLast atomic.Int64
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/nb/a3.pdf" {
			names, _ := os.ReadDir(spill)
			spilledBeforeLast.Store(int64(len(names)))
		}
		switch {
		case r.URL.Path == "/nb/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(html5("政府信息公开年报", "<ul>"+list.String()+"</ul>")))
		case r.URL.Path == "/nb/t1.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page))
		case strings.HasSuffix(r.URL.Path, ".pdf"):
			writeBigPDF(w, bigFile)
		default:
			http.NotFound(w, r)
		}
	})
	cfg, _ := testConfig()
	cfg.MaxBodySize = 50 << 20
	cfg.MemoryBudget = 64 << 20
	cfg.SpillDir = spill
	var files, spilledSeen int
	cfg.OnEntry = func(s *Site, e *Entry) {
		for _, a := range e.Attachments {
			if a.Err != nil || len(a.Body) != bigFile || !bytes.HasPrefix(a.Body, []byte("%PDF")) {
				t.Errorf("%s: attachment %s delivered with %d bytes, err %v; want the whole file", e.URL, a.URL, len(a.Body), a.Err)
			}
			files++
		}
		if e.Page != nil && len(e.Page.Body) == 0 {
			t.Errorf("%s: page delivered without its body", e.URL)
		}
		if len(e.Attachments) == 3 {
			names, _ := os.ReadDir(spill)
			spilledSeen = len(names)
		}
		runtime.GC() // what the caller holds is its own; measure the crawler's
	}
	stop := peakHeap()
	s := crawlOne(t, cfg, cs.URL+"/nb/")
	peak := stop()
	if files != direct+3 {
		t.Errorf("%d files delivered, want %d", files, direct+3)
	}
	for _, e := range s.Entries {
		if e.Page != nil && e.Page.Body != nil {
			t.Errorf("%s: page body kept after delivery", e.URL)
		}
		for _, a := range e.Attachments {
			if a.Body != nil {
				t.Errorf("%s: attachment body kept after delivery", a.URL)
			}
		}
	}
	if names, _ := os.ReadDir(spill); len(names) != 0 {
		t.Errorf("%d temporary files left in the spill directory", len(names))
	}
	if n := spilledBeforeLast.Load(); n != 1 {
		t.Errorf("%d bodies in temporary files while the last attachment downloaded, want 1 (a1 fits the 64 MiB budget, a2 does not)", n)
	}
	if spilledSeen != 0 {
		t.Errorf("%d spill files still there when the entry was delivered, want them read back and removed", spilledSeen)
	}
	t.Logf("%d files of %d MiB: peak heap %d MiB", files, bigFile>>20, peak>>20)
	if peak > 300<<20 {
		t.Errorf("peak heap %d MiB, want under 300 MiB", peak>>20)
	}
}
