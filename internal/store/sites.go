package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// Site is one supervised agency's site, as the sites file describes it.
type Site struct {
	ID     int64
	URL    string
	Name   string
	Level  result.Level // "" when the file does not say
	Tier   string       // county, prefecture, province or ""
	Region string
	Parent string
}

// List is a sites file as loaded: the sites a scan covers, in order.
type List struct {
	ID     int64
	Source string
	Sites  []Site
}

// SaveList records the sites of a sites file: each site is added or, when
// its URL is known, updated; the list is the same list as before when the
// same sites come in the same order.
func (s *Store) SaveList(ctx context.Context, source string, sites []Site) (*List, error) {
	if len(sites) == 0 {
		return nil, errors.New("store: a list of no sites")
	}
	h := sha256.New()
	for _, st := range sites {
		fmt.Fprintf(h, "%s\x00", st.URL)
	}
	digest := hex.EncodeToString(h.Sum(nil))
	out := &List{Source: source, Sites: make([]Site, len(sites))}
	copy(out.Sites, sites)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.nowTS()
		for i := range out.Sites {
			st := &out.Sites[i]
			err := tx.QueryRowContext(ctx, `INSERT INTO sites (url, name, level, tier, region, parent, added, updated)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
				ON CONFLICT (url) DO UPDATE SET name = excluded.name, level = excluded.level, tier = excluded.tier,
					region = excluded.region, parent = excluded.parent, updated = excluded.updated
				RETURNING id`, st.URL, st.Name, string(st.Level), st.Tier, st.Region, st.Parent, now).Scan(&st.ID)
			if err != nil {
				return fmt.Errorf("site %s: %w", st.URL, err)
			}
		}
		err := tx.QueryRowContext(ctx, `SELECT id FROM lists WHERE digest = $1`, digest).Scan(&out.ID)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO lists (source, digest, created) VALUES ($1, $2, $3) RETURNING id`,
			source, digest, now).Scan(&out.ID); err != nil {
			return err
		}
		for i, st := range out.Sites {
			if _, err := tx.ExecContext(ctx, `INSERT INTO list_sites (list_id, site_id, position) VALUES ($1, $2, $3)`,
				out.ID, st.ID, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: save the sites of %s: %w", source, err)
	}
	return out, nil
}

const siteColumns = `s.id, s.url, s.name, s.level, s.tier, s.region, s.parent`

func scanSite(row interface{ Scan(...any) error }, st *Site) error {
	var level string
	if err := row.Scan(&st.ID, &st.URL, &st.Name, &level, &st.Tier, &st.Region, &st.Parent); err != nil {
		return err
	}
	st.Level = result.Level(level)
	return nil
}

// Site returns the site with the given ID.
func (s *Store) Site(ctx context.Context, id int64) (*Site, error) {
	var st Site
	err := scanSite(s.db.QueryRowContext(ctx, `SELECT `+siteColumns+` FROM sites s WHERE s.id = $1`, id), &st)
	if err != nil {
		return nil, fmt.Errorf("store: site %d: %w", id, err)
	}
	return &st, nil
}

// SiteFilter narrows a list of sites; zero fields match everything.
type SiteFilter struct {
	URL    string // the site's URL, with or without a final slash
	Agency string // part of the site's name, or of the agency found on it
	Region string
	Level  result.Level
}

func (f SiteFilter) zero() bool { return f == SiteFilter{} }

// where is the filter as an SQL condition on sites s (and, for the agency
// found, scan_sites ss when join is set), with its arguments numbered from
// n+1.
func (f SiteFilter) where(n int, join bool) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", n+len(args))))
	}
	if f.URL != "" {
		u := strings.TrimSuffix(f.URL, "/")
		args = append(args, u, u+"/")
		conds = append(conds, fmt.Sprintf("(s.url = $%d OR s.url = $%d)", n+len(args)-1, n+len(args)))
	}
	if f.Agency != "" {
		like := "%" + escapeLike(f.Agency) + "%"
		if join {
			add(`(s.name LIKE $? ESCAPE '\' OR ss.agency LIKE $? ESCAPE '\')`, like)
		} else {
			add(`s.name LIKE $? ESCAPE '\'`, like)
		}
	}
	if f.Region != "" {
		add(`s.region = $?`, f.Region)
	}
	if f.Level != "" {
		add(`s.level = $?`, string(f.Level))
	}
	if len(conds) == 0 {
		return "TRUE", nil
	}
	return strings.Join(conds, " AND "), args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
