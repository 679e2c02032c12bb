// Package store keeps scans in a database: the sites of the sites files,
// each scan's sites, documents and findings (with a fingerprint that
// follows a finding across scans), the pages fetched and their bodies (the
// archive), the HTTP cache for conditional requests, review decisions, and
// the history of every finding and report.
//
// One schema serves SQLite (modernc.org/sqlite, a file, the default) and
// PostgreSQL (pgx), with versioned migrations for each under migrations/.
// Queries are written once with $N parameters, which both accept. Times
// are kept in UTC: TIMESTAMPTZ in PostgreSQL, fixed-width text in SQLite so
// that they sort; parameters go through Store.ts and results through
// scanTime.
//
// Results stream in site by site (SaveSite); nothing here holds more than
// one site.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

//go:embed migrations
var migrations embed.FS

// Kinds of database.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is an open database. Its methods are safe for concurrent use.
type Store struct {
	db   *sql.DB
	kind string
	pool *pgxpool.Pool // PostgreSQL only
	dsn  string        // SQLite: the file's DSN, for the job queue's own connection
	now  func() time.Time
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	l := strings.ToLower(dsn)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Open opens the database dsn names, a postgres:// URL or a SQLite file
// path, and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{now: time.Now}
	if IsPostgres(dsn) {
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", Redact(dsn), err)
		}
		if !strings.Contains(dsn, "pool_max_conns") {
			// requests hold a connection for the host gate while they
			// run; the server's default of 100 connections is shared by
			// every worker
			cfg.MaxConns = 20
		}
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", Redact(dsn), err)
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("store: %s: %w", Redact(dsn), err)
		}
		s.kind, s.pool, s.db = Postgres, pool, stdlib.OpenDBFromPool(pool)
	} else {
		file := strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(file, '?'); i >= 0 {
			file = file[:i]
		}
		if file == "" {
			return nil, errors.New("store: no database file given")
		}
		s.kind, s.dsn = SQLite, SQLiteDSN(file)
		db, err := sql.Open("sqlite", s.dsn)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", file, err)
		}
		// One writer at a time is SQLite's rule; a few connections let
		// reads go on beside it (WAL).
		db.SetMaxOpenConns(4)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: %s: %w", file, err)
		}
		s.db = db
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// SQLiteDSN is the data source name of a SQLite file as the store opens it:
// write-ahead log, waiting for the lock instead of failing, transactions
// that take the write lock when they begin, foreign keys on.
func SQLiteDSN(file string) string {
	v := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(60000)", "foreign_keys(ON)", "synchronous(NORMAL)"} {
		v.Add("_pragma", p)
	}
	v.Set("_txlock", "immediate")
	return "file:" + file + "?" + v.Encode()
}

// Redact hides the passwords of a database URL for messages: the user's,
// and a password or sslpassword query parameter, which pgx takes as well.
// A SQLite file's name is returned as it is.
func Redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "the database URL"
	}
	if u.RawQuery != "" {
		params := strings.Split(u.RawQuery, "&")
		for i, p := range params {
			k, _, _ := strings.Cut(p, "=")
			if key, err := url.QueryUnescape(k); err != nil || strings.EqualFold(key, "password") || strings.EqualFold(key, "sslpassword") {
				params[i] = k + "=xxxxx"
			}
		}
		u.RawQuery = strings.Join(params, "&")
	}
	return u.Redacted()
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// Kind is SQLite or Postgres.
func (s *Store) Kind() string { return s.kind }

// DB is the database, for the job queue and the reviewers' app.
func (s *Store) DB() *sql.DB { return s.db }

// Pool is the PostgreSQL connection pool, nil for SQLite.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// DSN is the SQLite data source name, "" for PostgreSQL.
func (s *Store) DSN() string { return s.dsn }

// timeLayout is how SQLite keeps times: fixed width, so that text order is
// time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// ts is a time as a query parameter.
func (s *Store) ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	t = t.UTC().Truncate(time.Microsecond)
	if s.kind == SQLite {
		return t.Format(timeLayout)
	}
	return t
}

// nowTS is the current time as a query parameter.
func (s *Store) nowTS() any { return s.ts(s.now()) }

// scanTime reads a time column of either database; NULL is the zero time.
type scanTime struct{ t *time.Time }

func (st scanTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*st.t = time.Time{}
	case time.Time:
		*st.t = x.UTC()
	case string:
		return st.parse(x)
	case []byte:
		return st.parse(string(x))
	default:
		return fmt.Errorf("store: a time column holds %T", v)
	}
	return nil
}

func (st scanTime) parse(x string) error {
	for _, l := range []string{timeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00"} {
		if t, err := time.Parse(l, x); err == nil {
			*st.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("store: time %q: unknown layout", x)
}

// migrate applies the migrations not applied yet, each in a transaction;
// on PostgreSQL an advisory lock keeps two processes from migrating at
// once.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if s.kind == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return fmt.Errorf("store: migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS ogicheck_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	ms, err := Migrations(s.kind)
	if err != nil {
		return err
	}
	for _, m := range ms {
		// Each migration checks and applies in one transaction, which
		// SQLite begins with the write lock: two processes opening one
		// new file apply it once.
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migration %d: %w", m.Version, err)
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM ogicheck_migrations WHERE version = $1`, m.Version).Scan(&one)
		if err == nil {
			tx.Rollback()
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			tx.Rollback()
			return fmt.Errorf("store: migration %d: %w", m.Version, err)
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %d (%s): %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ogicheck_migrations (version, name, applied) VALUES ($1, $2, $3)`,
			m.Version, m.Name, time.Now().UTC().Format(timeLayout)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %d: %w", m.Version, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migration %d: %w", m.Version, err)
		}
	}
	return nil
}

// migrationLock is the advisory lock key of migrations ("ogicheck" as a
// number).
const migrationLock = 0x6f676963686b

// Migration is one schema version.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the migrations of a kind of database in order.
func Migrations(kind string) ([]Migration, error) {
	dir := path.Join("migrations", kind)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations for %s: %w", kind, err)
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: migration file %s: want NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// tx runs f in a transaction, committed when f returns nil.
func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Exclusive runs f while no other process runs an Exclusive f on the same
// PostgreSQL database (migrations of the job queue); with SQLite it just
// runs f.
func (s *Store) Exclusive(ctx context.Context, f func(context.Context) error) error {
	if s.kind != Postgres {
		return f(ctx)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("store: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	return f(ctx)
}
