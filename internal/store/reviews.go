package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Review decisions.
const (
	Confirmed = "confirmed"
	Dismissed = "dismissed"
)

// User roles.
const (
	RoleViewer   = "viewer"
	RoleReviewer = "reviewer"
	RoleAdmin    = "admin"
)

// User is a local account of the reviewers' app.
type User struct {
	ID           int64
	Name         string
	Role         string
	PasswordHash string // as the app hashed it
	Created      time.Time
	Disabled     bool
}

// AddUser creates an account.
func (s *Store) AddUser(ctx context.Context, u User) (*User, error) {
	switch u.Role {
	case RoleViewer, RoleReviewer, RoleAdmin:
	default:
		return nil, fmt.Errorf("store: user %q: role %q: want viewer, reviewer or admin", u.Name, u.Role)
	}
	if strings.TrimSpace(u.Name) == "" {
		return nil, errors.New("store: a user needs a name")
	}
	u.Created = s.now().UTC().Truncate(time.Microsecond)
	err := s.db.QueryRowContext(ctx, `INSERT INTO users (name, role, password_hash, created, disabled) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		u.Name, u.Role, u.PasswordHash, s.ts(u.Created), u.Disabled).Scan(&u.ID)
	if err != nil {
		return nil, fmt.Errorf("store: add user %q: %w", u.Name, err)
	}
	return &u, nil
}

// UserByName returns the account with the given name.
func (s *Store) UserByName(ctx context.Context, name string) (*User, error) {
	u := &User{}
	err := s.db.QueryRowContext(ctx, `SELECT id, name, role, password_hash, created, disabled FROM users WHERE name = $1`, name).
		Scan(&u.ID, &u.Name, &u.Role, &u.PasswordHash, scanTime{&u.Created}, &u.Disabled)
	if err != nil {
		return nil, fmt.Errorf("store: user %q: %w", name, err)
	}
	return u, nil
}

// Review is one decision on a finding, kept for good.
type Review struct {
	ID          int64
	Fingerprint string
	Site        int64
	Scan        int64 // the scan the reviewer was looking at; 0 for none
	Decision    string
	Reason      string
	User        int64  // 0 when not an account of the app
	Reviewer    string // the name, kept if the account goes
	Decided     time.Time
	Expires     time.Time // a dismissal's end; zero for none
}

// InForce reports whether the decision still holds at t: an expired
// dismissal no longer hides its finding.
func (r *Review) InForce(t time.Time) bool { return r.Expires.IsZero() || r.Expires.After(t) }

// AddReview records a decision on a tracked finding, which becomes the one
// in force.
func (s *Store) AddReview(ctx context.Context, r Review) (*Review, error) {
	switch {
	case r.Decision != Confirmed && r.Decision != Dismissed:
		return nil, fmt.Errorf("store: review of %s: decision %q: want confirmed or dismissed", r.Fingerprint, r.Decision)
	case r.Reviewer == "":
		return nil, fmt.Errorf("store: review of %s: who decided is required", r.Fingerprint)
	case r.Decision == Dismissed && strings.TrimSpace(r.Reason) == "":
		return nil, fmt.Errorf("store: review of %s: a dismissal needs a reason", r.Fingerprint)
	}
	if r.Decided.IsZero() {
		r.Decided = s.now()
	}
	r.Decided = r.Decided.UTC().Truncate(time.Microsecond)
	if !r.Expires.IsZero() {
		r.Expires = r.Expires.UTC().Truncate(time.Microsecond)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT site_id FROM tracked WHERE fingerprint = $1`, r.Fingerprint).Scan(&r.Site); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errors.New("no such finding")
			}
			return err
		}
		scan := sql.NullInt64{Int64: r.Scan, Valid: r.Scan != 0}
		user := sql.NullInt64{Int64: r.User, Valid: r.User != 0}
		if err := tx.QueryRowContext(ctx, `INSERT INTO reviews (fingerprint, site_id, scan_id, decision, reason, user_id, reviewer, decided, expires)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			r.Fingerprint, r.Site, scan, r.Decision, r.Reason, user, r.Reviewer, s.ts(r.Decided), s.ts(r.Expires)).Scan(&r.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE tracked SET review = $1, review_id = $2, review_expires = $3 WHERE fingerprint = $4`,
			r.Decision, r.ID, s.ts(r.Expires), r.Fingerprint)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: review of %s: %w", r.Fingerprint, err)
	}
	return &r, nil
}

// Reviews lists every decision on a finding, oldest first.
func (s *Store) Reviews(ctx context.Context, fingerprint string) ([]Review, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, fingerprint, site_id, scan_id, decision, reason, user_id, reviewer, decided, expires
		FROM reviews WHERE fingerprint = $1 ORDER BY decided, id`, fingerprint)
	if err != nil {
		return nil, fmt.Errorf("store: reviews of %s: %w", fingerprint, err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		var scan, user sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Fingerprint, &r.Site, &scan, &r.Decision, &r.Reason, &user, &r.Reviewer,
			scanTime{&r.Decided}, scanTime{&r.Expires}); err != nil {
			return nil, fmt.Errorf("store: reviews of %s: %w", fingerprint, err)
		}
		r.Scan, r.User = scan.Int64, user.Int64
		out = append(out, r)
	}
	return out, rows.Err()
}
