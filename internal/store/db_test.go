package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ogicheck/ogicheck/internal/store/storetest"
)

// eachDB runs f against a new SQLite file and, when OGICHECK_TEST_POSTGRES
// names a database, against a new schema of it: the one suite for both.
func eachDB(t *testing.T, f func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "ogicheck.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		f(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := Open(context.Background(), storetest.Postgres(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		f(t, s)
	})
}

func TestMigrate(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ms, err := Migrations(s.Kind())
		if err != nil || len(ms) == 0 {
			t.Fatalf("migrations: %v, %d", err, len(ms))
		}
		// opening again applies nothing twice
		if err := s.migrate(context.Background()); err != nil {
			t.Fatalf("second migration: %v", err)
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM ogicheck_migrations`).Scan(&n); err != nil || n != len(ms) {
			t.Errorf("%d migrations recorded (%v), want %d", n, err, len(ms))
		}
	})
}
