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

// TestRedact: a database URL in messages shows no password, whether in
// its user part or as a query parameter.
func TestRedact(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://u:pw1@db.example:5432/ogicheck", "postgres://u:xxxxx@db.example:5432/ogicheck"},
		{"postgres://u@db.example/ogicheck?sslmode=require&password=pw2", "postgres://u@db.example/ogicheck?sslmode=require&password=xxxxx"},
		{"postgresql://u:pw1@db.example/o?PASSWORD=pw2&sslpassword=pw3", "postgresql://u:xxxxx@db.example/o?PASSWORD=xxxxx&sslpassword=xxxxx"},
		{"postgres://u@db.example/o?pass%77ord=pw2", "postgres://u@db.example/o?pass%77ord=xxxxx"},
		{"postgres://u@db.example/o?sslmode=disable", "postgres://u@db.example/o?sslmode=disable"},
		{"postgres://u:pw1@db.example/%zz", "the database URL"},
		{"ogicheck.db", "ogicheck.db"},
		{"file:data/o.db?_pragma=foreign_keys(ON)", "file:data/o.db?_pragma=foreign_keys(ON)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.dsn); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}
