// Package cache keeps the HTTP validators and bodies of a previous crawl so
// that a rescan can send conditional requests (If-None-Match,
// If-Modified-Since) and reuse the stored body on 304 Not Modified.
//
// The store is a directory with one file per URL, named by the SHA-256 of
// the key. The caller supplies the key, normally a normalised URL: the
// cache does not interpret it. Files are written to a temporary name and
// renamed into place, so readers never see a half-written entry and several
// processes or goroutines may share one directory. A damaged or oversized
// file reads as a miss.
//
// The store has a size cap: when a Put takes it over, the least recently
// used entries (by the modification time, which Get renews) are removed
// until it is back under nine tenths of the cap.
package cache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// magic starts every entry file; the version changes when the layout does.
const magic = "ogicheck-cache 1\n"

// maxHeader bounds the JSON header line of an entry file.
const maxHeader = 64 << 10

// DefaultMaxBody is the largest body Get returns when the cache was opened
// with a zero limit.
const DefaultMaxBody = 50 << 20

// DefaultMaxSize caps the store when it was opened without a cap.
const DefaultMaxSize = 1 << 30

// ErrNotFound is returned by Get when there is no usable entry for a key.
var ErrNotFound = errors.New("cache: no entry")

// Entry is what is stored for one URL.
type Entry struct {
	URL          string    `json:"url"` // the URL as fetched
	FinalURL     string    `json:"final_url,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	ContentType  string    `json:"content_type,omitempty"` // the HTTP header, charset included
	Stored       time.Time `json:"stored"`
	Size         int64     `json:"size"`   // len(Body), checked on read
	SHA256       string    `json:"sha256"` // of Body, checked on read
	Body         []byte    `json:"-"`      // the body as received, undecoded
}

// Cache is a directory store. Its methods are safe for concurrent use.
type Cache struct {
	dir     string
	maxBody int64
	maxSize int64
	now     func() time.Time // tests order uses through it

	mu   sync.Mutex
	size int64 // bytes in the store, as this process knows it
}

// Open returns the cache in dir, creating the directory when needed, with
// the default size cap. Bodies larger than maxBody (DefaultMaxBody when 0)
// are neither stored nor read back.
func Open(dir string, maxBody int64) (*Cache, error) {
	return OpenSized(dir, maxBody, 0)
}

// OpenSized is Open with a cap on the bytes of the store (DefaultMaxSize
// when 0). A store already over the cap is trimmed.
func OpenSized(dir string, maxBody, maxSize int64) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("cache: empty directory name")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cache: create %s: %w", dir, err)
	}
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	c := &Cache{dir: dir, maxBody: maxBody, maxSize: maxSize, now: time.Now}
	files, err := c.files()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		c.size += f.size
	}
	if c.size > c.maxSize {
		c.evict()
	}
	return c, nil
}

// Dir is the directory of the store.
func (c *Cache) Dir() string { return c.dir }

func (c *Cache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, h[:2], h)
}

// Get returns the entry stored for key, or an error wrapping ErrNotFound
// when there is none or it cannot be used (damaged, too large, another
// key's entry).
func (c *Cache) Get(key string) (*Entry, error) {
	p := c.path(key)
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("cache: open entry for %s: %w", key, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cache: stat entry for %s: %w", key, err)
	}
	if st.Size() > c.maxBody+maxHeader+int64(len(magic)) {
		return nil, fmt.Errorf("%w: entry for %s is %d bytes, over the limit", ErrNotFound, key, st.Size())
	}
	r := bufio.NewReader(io.LimitReader(f, c.maxBody+maxHeader+int64(len(magic))+1))
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("%w: entry for %s has no cache header", ErrNotFound, key)
	}
	line, err := readLine(r, maxHeader)
	if err != nil {
		return nil, fmt.Errorf("%w: entry for %s: %v", ErrNotFound, key, err)
	}
	var e Entry
	if err := json.Unmarshal(line, &e); err != nil {
		return nil, fmt.Errorf("%w: entry for %s: bad header: %v", ErrNotFound, key, err)
	}
	if e.URL != key {
		// A hash collision or a file copied by hand: not ours.
		return nil, fmt.Errorf("%w: entry for %s belongs to %s", ErrNotFound, key, e.URL)
	}
	if e.Size < 0 || e.Size > c.maxBody {
		return nil, fmt.Errorf("%w: entry for %s: body size %d out of range", ErrNotFound, key, e.Size)
	}
	body := make([]byte, e.Size)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, fmt.Errorf("%w: entry for %s: short body: %v", ErrNotFound, key, err)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%w: entry for %s: trailing bytes after body", ErrNotFound, key)
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != e.SHA256 {
		return nil, fmt.Errorf("%w: entry for %s: body checksum mismatch", ErrNotFound, key)
	}
	e.Body = body
	now := c.now()
	os.Chtimes(p, now, now) // used: last to be evicted
	return &e, nil
}

func readLine(r *bufio.Reader, limit int) ([]byte, error) {
	var buf bytes.Buffer
	for {
		b, err := r.ReadByte()
		if err != nil {
			return nil, errors.New("header line cut short")
		}
		if b == '\n' {
			return buf.Bytes(), nil
		}
		if buf.Len() >= limit {
			return nil, errors.New("header line too long")
		}
		buf.WriteByte(b)
	}
}

// Put stores e under key, replacing any previous entry. e.URL is set to
// key; Size, SHA256 and (when zero) Stored are filled in.
func (c *Cache) Put(key string, e *Entry) error {
	if int64(len(e.Body)) > c.maxBody {
		return fmt.Errorf("cache: body of %s is %d bytes, over the %d-byte limit", key, len(e.Body), c.maxBody)
	}
	h := *e
	h.URL = key
	h.Size = int64(len(e.Body))
	sum := sha256.Sum256(e.Body)
	h.SHA256 = hex.EncodeToString(sum[:])
	if h.Stored.IsZero() {
		h.Stored = time.Now().UTC()
	}
	head, err := json.Marshal(&h)
	if err != nil {
		return fmt.Errorf("cache: encode entry for %s: %w", key, err)
	}
	if len(head) > maxHeader {
		return fmt.Errorf("cache: header of %s is %d bytes, over the limit", key, len(head))
	}
	p := c.path(key)
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cache: create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("cache: write entry for %s: %w", key, err)
	}
	w := bufio.NewWriter(tmp)
	w.WriteString(magic)
	w.Write(head)
	w.WriteByte('\n')
	w.Write(e.Body)
	err = w.Flush()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	now := c.now()
	if err == nil {
		err = os.Chtimes(tmp.Name(), now, now)
	}
	var old int64
	if st, serr := os.Stat(p); serr == nil {
		old = st.Size()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache: write entry for %s: %w", key, err)
	}
	c.mu.Lock()
	c.size += int64(len(magic)+len(head)+1+len(e.Body)) - old
	over := c.size > c.maxSize
	c.mu.Unlock()
	if over {
		c.evict()
	}
	return nil
}

type file struct {
	path string
	size int64
	used time.Time
}

// files lists the entry files of the store.
func (c *Cache) files() ([]file, error) {
	var out []file
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == c.dir {
				return err
			}
			return nil // a directory removed under us
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if info, err := d.Info(); err == nil {
			out = append(out, file{p, info.Size(), info.ModTime()})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cache: list %s: %w", c.dir, err)
	}
	return out, nil
}

// evict removes the least recently used entries until the store is under
// nine tenths of its cap. It lists the directory afresh, so that entries
// written by other processes count too.
func (c *Cache) evict() {
	c.mu.Lock()
	defer c.mu.Unlock()
	files, err := c.files()
	if err != nil {
		return
	}
	var total int64
	for _, f := range files {
		total += f.size
	}
	sort.Slice(files, func(i, j int) bool { return files[i].used.Before(files[j].used) })
	target := c.maxSize / 10 * 9
	for _, f := range files {
		if total <= target {
			break
		}
		if os.Remove(f.path) == nil {
			total -= f.size
		}
	}
	c.size = total
}

// Delete removes the entry for key; a missing entry is not an error.
func (c *Cache) Delete(key string) error {
	p := c.path(key)
	st, serr := os.Stat(p)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cache: delete entry for %s: %w", key, err)
	}
	if serr == nil {
		c.mu.Lock()
		c.size -= st.Size()
		c.mu.Unlock()
	}
	return nil
}

// Size is the bytes in the store as this process knows them.
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
