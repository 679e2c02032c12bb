package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/ogicheck/ogicheck/internal/cache"
)

// HTTPCache is the HTTP cache for conditional requests kept in the store:
// the validators of each URL, and its body among the archived ones. Its
// methods are those of internal/cache's directory cache, so that a crawl
// takes either; several workers share it.
type HTTPCache struct {
	s       *Store
	maxBody int64
}

// HTTPCache returns the store's HTTP cache; bodies larger than maxBody
// (cache.DefaultMaxBody when 0) are neither stored nor read back.
func (s *Store) HTTPCache(maxBody int64) *HTTPCache {
	if maxBody <= 0 {
		maxBody = cache.DefaultMaxBody
	}
	return &HTTPCache{s: s, maxBody: maxBody}
}

// Get returns the entry stored for key, or an error wrapping
// cache.ErrNotFound.
func (c *HTTPCache) Get(key string) (*cache.Entry, error) {
	ctx := context.Background()
	e := &cache.Entry{URL: key}
	var final, etag, lm, ct sql.NullString
	var blob string
	err := c.s.db.QueryRowContext(ctx, `SELECT final_url, etag, last_modified, content_type, blob, size, stored FROM http_cache WHERE key = $1`, key).
		Scan(&final, &etag, &lm, &ct, &blob, &e.Size, scanTime{&e.Stored})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cache.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: cache entry for %s: %w", key, err)
	}
	if e.Size > c.maxBody {
		return nil, fmt.Errorf("%w: entry for %s is %d bytes, over the limit", cache.ErrNotFound, key, e.Size)
	}
	e.FinalURL, e.ETag, e.LastModified, e.ContentType, e.SHA256 = final.String, etag.String, lm.String, ct.String, blob
	err = c.s.db.QueryRowContext(ctx, `SELECT data FROM blobs WHERE sha256 = $1`, blob).Scan(&e.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: the body of %s is gone", cache.ErrNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("store: cache entry for %s: %w", key, err)
	}
	if int64(len(e.Body)) != e.Size {
		return nil, fmt.Errorf("%w: entry for %s: body size mismatch", cache.ErrNotFound, key)
	}
	return e, nil
}

// Put stores e under key, replacing any previous entry.
func (c *HTTPCache) Put(key string, e *cache.Entry) error {
	if int64(len(e.Body)) > c.maxBody {
		return fmt.Errorf("store: cache: body of %s is %d bytes, over the %d-byte limit", key, len(e.Body), c.maxBody)
	}
	ctx := context.Background()
	h := sha256.Sum256(e.Body)
	sum := hex.EncodeToString(h[:])
	if err := c.s.putBlob(ctx, sum, e.ContentType, "", e.Body); err != nil {
		return err
	}
	stored := e.Stored
	if stored.IsZero() {
		stored = c.s.now()
	}
	_, err := c.s.db.ExecContext(ctx, `INSERT INTO http_cache (key, final_url, etag, last_modified, content_type, blob, size, stored)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (key) DO UPDATE SET final_url = excluded.final_url, etag = excluded.etag, last_modified = excluded.last_modified,
			content_type = excluded.content_type, blob = excluded.blob, size = excluded.size, stored = excluded.stored`,
		key, valid(e.FinalURL), valid(e.ETag), valid(e.LastModified), valid(e.ContentType), sum, len(e.Body), c.s.ts(stored))
	if err != nil {
		return fmt.Errorf("store: cache entry for %s: %w", key, err)
	}
	return nil
}

// Delete removes the entry for key; a missing entry is not an error.
func (c *HTTPCache) Delete(key string) error {
	if _, err := c.s.db.ExecContext(context.Background(), `DELETE FROM http_cache WHERE key = $1`, key); err != nil {
		return fmt.Errorf("store: delete cache entry for %s: %w", key, err)
	}
	return nil
}
