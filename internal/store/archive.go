package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/ogicheck/ogicheck/result"
)

// Roles of a fetched page.
const (
	RoleEntry      = "entry"      // a column entry's page
	RoleAttachment = "attachment" // a file an entry links, or an entry that is a file
	RoleOther      = "other"      // a list page or another URL that failed
)

// Fetched is one page or file fetched for a column entry.
type Fetched struct {
	URL, FinalURL string
	Role          string
	ContentType   string
	Charset       string // what an HTML page was decoded from
	Status        int
	NotModified   bool
	Body          []byte // HTML decoded to UTF-8, files as received
	Failure       result.FetchClass
	Error         string
}

// Archive collects what one site's crawl fetched while it goes on: each
// body is written to the store at once (once per content) and only its
// hash is kept, so that SaveSite can link the site's pages and documents
// to their archived copies.
type Archive struct {
	s     *Store
	mu    sync.Mutex
	pages map[string]*pageRow
	order []string
	docs  map[string]docHash // by document source
	err   error
}

type pageRow struct {
	Fetched
	blob string
}

type docHash struct {
	blob, hash, kind string
}

// NewArchive starts the archive of one site's crawl.
func (s *Store) NewArchive() *Archive {
	return &Archive{s: s, pages: map[string]*pageRow{}, docs: map[string]docHash{}}
}

// Page archives a fetched page or file.
func (a *Archive) Page(ctx context.Context, f Fetched) {
	var sum string
	if len(f.Body) > 0 && f.Failure == "" {
		h := sha256.Sum256(f.Body)
		sum = hex.EncodeToString(h[:])
		if err := a.s.putBlob(ctx, sum, f.ContentType, f.Charset, f.Body); err != nil {
			a.fail(err)
		}
	}
	f.Body = nil
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, dup := a.pages[f.URL]; !dup {
		a.order = append(a.order, f.URL)
	}
	a.pages[f.URL] = &pageRow{Fetched: f, blob: sum}
}

// Document notes the text read from the page or file at source: it is
// kept with the archived body, and it gives the document's content hash
// (HIST-CHANGED): of the bytes for a file, of the text for a web page,
// whose menus and counters change without the report changing.
func (a *Archive) Document(ctx context.Context, source, text string) {
	a.mu.Lock()
	p := a.pages[source]
	a.mu.Unlock()
	if p == nil || p.blob == "" {
		return
	}
	d := docHash{blob: p.blob, hash: p.blob, kind: "bytes"}
	if p.Role == RoleEntry {
		norm := strings.Join(strings.Fields(text), " ")
		if norm == "" {
			return // nothing read: no content to compare
		}
		h := sha256.Sum256([]byte(norm))
		d.hash, d.kind = hex.EncodeToString(h[:]), "text"
	}
	if text != "" {
		if _, err := a.s.db.ExecContext(ctx, `UPDATE blobs SET text = $1 WHERE sha256 = $2 AND text IS NULL`, text, p.blob); err != nil {
			a.fail(fmt.Errorf("store: archive the text of %s: %w", source, err))
		}
	}
	a.mu.Lock()
	a.docs[source] = d
	a.mu.Unlock()
}

func (a *Archive) fail(err error) {
	a.mu.Lock()
	if a.err == nil {
		a.err = err
	}
	a.mu.Unlock()
}

// putBlob stores a body unless the same bytes are stored already.
func (s *Store) putBlob(ctx context.Context, sum, contentType, charset string, data []byte) error {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM blobs WHERE sha256 = $1`, sum).Scan(&one)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: archive %s: %w", sum, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO blobs (sha256, size, content_type, charset, data, stored) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (sha256) DO NOTHING`, sum, len(data), contentType, charset, data, s.nowTS())
	if err != nil {
		return fmt.Errorf("store: archive %s: %w", sum, err)
	}
	return nil
}

// Blob is an archived body.
type Blob struct {
	SHA256      string
	Size        int64
	ContentType string
	Charset     string // an HTML page's original charset; the data is UTF-8
	Data        []byte
	Text        string // the text read from it, "" when none was
}

// Blob returns the archived body with the given SHA-256.
func (s *Store) Blob(ctx context.Context, sum string) (*Blob, error) {
	b := &Blob{SHA256: sum}
	var text sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT size, content_type, charset, data, text FROM blobs WHERE sha256 = $1`, sum).
		Scan(&b.Size, &b.ContentType, &b.Charset, &b.Data, &text)
	if err != nil {
		return nil, fmt.Errorf("store: archived body %s: %w", sum, err)
	}
	b.Text = text.String
	return b, nil
}
