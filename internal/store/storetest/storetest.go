// Package storetest gives tests a database of their own: a SQLite file in
// the test's directory, or a new schema of the PostgreSQL database that
// OGICHECK_TEST_POSTGRES names.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env names the PostgreSQL database tests also run against.
const Env = "OGICHECK_TEST_POSTGRES"

var skipped sync.Once

// Postgres returns the URL of a new, empty schema of the database Env
// names, dropped when the test ends, so that runs in parallel do not meet.
// Without Env the test is skipped, and the log says so.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		skipped.Do(func() { fmt.Fprintf(os.Stderr, "PostgreSQL tests skipped: %s is not set\n", Env) })
		t.Skipf("PostgreSQL tests skipped: %s is not set", Env)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "ogicheck_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Logf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
