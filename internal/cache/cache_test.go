package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/hostile"
)

func open(t *testing.T, maxBody int64) *Cache {
	t.Helper()
	c, err := Open(t.TempDir(), maxBody)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPutGet(t *testing.T) {
	c := open(t, 0)
	key := "http://example.gov.cn/zfxxgk/zfxxgknb/"
	in := &Entry{
		FinalURL:     key + "index.html",
		ETag:         `"abc"`,
		LastModified: "Mon, 20 Jan 2025 01:02:03 GMT",
		ContentType:  "text/html; charset=GBK",
		Body:         []byte("<html>\xc4\xea\xb1\xa8</html>\n\nsecond line"),
	}
	if err := c.Put(key, in); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != key || got.FinalURL != in.FinalURL || got.ETag != in.ETag || got.LastModified != in.LastModified ||
		got.ContentType != in.ContentType || !bytes.Equal(got.Body, in.Body) || got.Stored.IsZero() {
		t.Errorf("Get = %+v, want the stored entry %+v", got, in)
	}
	if _, err := c.Get(key + "other"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(unknown) error = %v, want ErrNotFound", err)
	}
	// Overwrite.
	if err := c.Put(key, &Entry{ETag: `"new"`, Body: nil}); err != nil {
		t.Fatal(err)
	}
	got, err = c.Get(key)
	if err != nil || got.ETag != `"new"` || len(got.Body) != 0 {
		t.Errorf("after overwrite Get = %+v, %v; want etag \"new\" and an empty body", got, err)
	}
	if err := c.Delete(key); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(key); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete error = %v, want ErrNotFound", err)
	}
	if err := c.Delete(key); err != nil {
		t.Errorf("Delete of a missing entry = %v, want nil", err)
	}
}

func TestDamagedEntriesAreMisses(t *testing.T) {
	key := "http://example.gov.cn/a.pdf"
	body := bytes.Repeat([]byte("%PDF-1.7 "), 100)
	tests := []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"truncated body", func(b []byte) []byte { return b[:len(b)-10] }},
		{"trailing bytes", func(b []byte) []byte { return append(b, "xx"...) }},
		{"flipped body byte", func(b []byte) []byte { b[len(b)-5] ^= 0xff; return b }},
		{"no magic", func(b []byte) []byte { return b[3:] }},
		{"header cut", func(b []byte) []byte { return b[:len(magic)+10] }},
		{"empty file", func([]byte) []byte { return nil }},
		{"bad json", func(b []byte) []byte { b[len(magic)] = '['; return b }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := open(t, 0)
			if err := c.Put(key, &Entry{ETag: "x", Body: body}); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(c.path(key))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(c.path(key), tt.damage(raw), 0o644); err != nil {
				t.Fatal(err)
			}
			if e, err := c.Get(key); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get of damaged entry = %v, %v; want ErrNotFound", e, err)
			}
		})
	}
}

func TestSizeLimit(t *testing.T) {
	c := open(t, 100)
	if err := c.Put("k", &Entry{Body: make([]byte, 101)}); err == nil {
		t.Error("Put of a 101-byte body with limit 100 succeeded, want an error")
	}
	big := open(t, 1000)
	if err := big.Put("k", &Entry{Body: make([]byte, 500)}); err != nil {
		t.Fatal(err)
	}
	// The same directory opened with a smaller limit refuses to read it.
	small, err := Open(big.Dir(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := small.Get("k"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of a 500-byte body with limit 100 = %v, want ErrNotFound", err)
	}
}

func TestKeyMismatch(t *testing.T) {
	c := open(t, 0)
	if err := c.Put("a", &Entry{Body: []byte("A")}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(c.path("a"))
	os.MkdirAll(filepath.Dir(c.path("b")), 0o755)
	if err := os.WriteFile(c.path("b"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(b) of a's entry = %v, want ErrNotFound", err)
	}
}

func TestConcurrent(t *testing.T) {
	c := open(t, 0)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				key := fmt.Sprintf("k%d", i%5)
				body := bytes.Repeat([]byte{byte('a' + w)}, 1000+i)
				if err := c.Put(key, &Entry{ETag: fmt.Sprint(w), Body: body}); err != nil {
					t.Error(err)
					return
				}
				e, err := c.Get(key)
				if err != nil {
					t.Errorf("Get(%s) during concurrent writes: %v", key, err)
					return
				}
				// Whatever writer won, the entry must be whole.
				if len(e.Body) < 1000 || !bytes.Equal(e.Body, bytes.Repeat(e.Body[:1], len(e.Body))) {
					t.Errorf("Get(%s) returned a mixed body", key)
					return
				}
			}
		}()
	}
	wg.Wait()
	leftovers, _ := os.ReadDir(c.dir)
	for _, d := range leftovers {
		sub, _ := os.ReadDir(c.dir + "/" + d.Name())
		for _, f := range sub {
			if f.Name()[0] == '.' {
				t.Errorf("temporary file %s left behind", f.Name())
			}
		}
	}
}

func FuzzGet(f *testing.F) {
	c0, _ := Open(f.TempDir(), 0)
	c0.Put("k", &Entry{ETag: "e", ContentType: "text/html", Body: []byte("<p>x</p>")})
	raw, _ := os.ReadFile(c0.path("k"))
	f.Add(raw)
	f.Add([]byte(magic + "{}\n"))
	f.Add([]byte(magic + `{"url":"k","size":-1}` + "\n"))
	for _, s := range hostile.Seeds() {
		c0.Put("k", &Entry{ContentType: "text/html", Body: s.Data})
		raw, _ := os.ReadFile(c0.path("k"))
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Open(t.TempDir(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		p := c.path("k")
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var e *Entry
		hostile.Within(t, func(context.Context) { e, err = c.Get("k") })
		if err == nil && (e.URL != "k" || int64(len(e.Body)) != e.Size) {
			t.Errorf("Get accepted an inconsistent entry %+v", e)
		}
	})
}

// steps is a clock that moves one second per call, so that uses order
// strictly.
func steps() func() time.Time {
	t := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenSized(dir, 0, 5000)
	if err != nil {
		t.Fatal(err)
	}
	c.now = steps()
	body := bytes.Repeat([]byte("x"), 1200) // about 1370 bytes an entry: four are over the cap
	for _, k := range []string{"a", "b", "c"} {
		if err := c.Put(k, &Entry{ETag: k, Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Get("a"); err != nil { // a is used: b is now the oldest
		t.Fatal(err)
	}
	if err := c.Put("d", &Entry{ETag: "d", Body: body}); err != nil {
		t.Fatal(err)
	}
	// In this order, so that d is the most recently used below.
	for _, w := range []struct {
		key  string
		kept bool
	}{{"a", true}, {"b", false}, {"c", true}, {"d", true}} {
		_, err := c.Get(w.key)
		if got := err == nil; got != w.kept {
			t.Errorf("after eviction Get(%s) present = %v, want %v", w.key, got, w.kept)
		}
	}
	if c.Size() > 4500 {
		t.Errorf("store is %d bytes, want at most nine tenths of the 5000-byte cap", c.Size())
	}
	var onDisk int64
	files, _ := c.files()
	for _, f := range files {
		onDisk += f.size
	}
	if onDisk != c.Size() {
		t.Errorf("Size() = %d, files hold %d", c.Size(), onDisk)
	}

	// Opened again with a smaller cap, the store is trimmed at once.
	small, err := OpenSized(dir, 0, 2000)
	if err != nil {
		t.Fatal(err)
	}
	if small.Size() > 1800 {
		t.Errorf("reopened with a 2000-byte cap: %d bytes kept", small.Size())
	}
	if _, err := small.Get("d"); err != nil {
		t.Errorf("the most recently used entry was evicted: %v", err)
	}
}

func TestDefaultCap(t *testing.T) {
	c := open(t, 0)
	if c.maxSize != DefaultMaxSize {
		t.Errorf("Open cap = %d, want DefaultMaxSize", c.maxSize)
	}
}
