package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ogicheck/ogicheck/internal/store"
)

// TestUserAdd: an account is added with its password hashed (read from
// standard input), and mistakes are usage errors.
func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ogicheck.db")
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader("correct horse battery\n")
	if code, out, stderr := runCLI(t, "user", "add", "--db", db, "--role", "reviewer", "李审核"); code != exitOK || !strings.Contains(out, "李审核") {
		t.Fatalf("user add: exit %d: %s%s", code, out, stderr)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByName(context.Background(), "李审核")
	st.Close()
	if err != nil || u.Role != store.RoleReviewer {
		t.Fatalf("stored user %+v, %v", u, err)
	}
	if strings.Contains(u.PasswordHash, "correct horse") || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte("correct horse battery")) != nil {
		t.Errorf("the stored password is not a bcrypt hash of the one given")
	}
	for _, tt := range []struct {
		name, input string
		args        []string
	}{
		{"unknown role", "correct horse battery\n", []string{"user", "add", "--db", db, "--role", "boss", "x"}},
		{"no name", "correct horse battery\n", []string{"user", "add", "--db", db, "--role", "viewer"}},
		{"short password", "short\n", []string{"user", "add", "--db", db, "--role", "viewer", "y"}},
		{"no password", "", []string{"user", "add", "--db", db, "--role", "viewer", "z"}},
		{"not add", "", []string{"user", "remove", "x"}},
	} {
		stdin = strings.NewReader(tt.input)
		if code, _, stderr := runCLI(t, tt.args...); code != exitUsage {
			t.Errorf("%s: exit %d, want %d: %s", tt.name, code, exitUsage, stderr)
		}
	}
	if code, _, _ := runCLI(t, "serve", "--addr", "not an address", "--db", db); code != exitUsage {
		t.Errorf("serve with a bad --addr: exit %d, want %d", code, exitUsage)
	}
}

// TestStoreErrorHidesPasswords: a store that cannot be opened is named
// without its passwords, in the user part or the query.
func TestStoreErrorHidesPasswords(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u:pw-user-1@127.0.0.1:1/o?sslmode=disable&connect_timeout=5",
		"postgres://u@127.0.0.1:1/o?sslmode=disable&password=pw-query-2&connect_timeout=5",
	} {
		for _, cmd := range []string{"serve", "report"} {
			code, _, stderr := runCLI(t, cmd, "--db", dsn)
			if code != exitFailed || !strings.Contains(stderr, "127.0.0.1:1") || strings.Contains(stderr, "pw-") {
				t.Errorf("%s --db %s: exit %d, stderr %q; want exit 4 naming the store without its password", cmd, dsn, code, stderr)
			}
		}
	}
}
