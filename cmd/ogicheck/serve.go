package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/ogicheck/ogicheck/internal/jobs"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/internal/web"
)

// runServe serves the reviewers' app over the store.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cm := newCommand("serve", "serve [flags]", "Serves the reviewers' app over the store: scorecards by region, level and agency, agencies,\nreports with their tables redrawn, and findings to confirm or dismiss.", stderr)
	db := cm.fs.String("db", "ogicheck.db", "the store: a SQLite file or a postgres:// URL")
	addr := cm.fs.String("addr", "127.0.0.1:8080", "address to listen on (only this machine unless you say otherwise)")
	certFile := cm.fs.String("tls-cert", "", "TLS certificate file (with --tls-key): serve HTTPS")
	keyFile := cm.fs.String("tls-key", "", "TLS key file")
	secure := cm.fs.Bool("secure-cookies", false, "mark cookies Secure (behind a TLS proxy)")
	pos, err := cm.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("ogicheck serve: unexpected argument %q", pos[0])
	}
	if (*certFile == "") != (*keyFile == "") {
		return usagef("ogicheck serve: --tls-cert and --tls-key go together")
	}
	langSet := false
	cm.fs.Visit(func(f *flag.Flag) { langSet = langSet || f.Name == "lang" })
	lang := "zh" // Chinese unless --lang or the browser says otherwise
	if langSet {
		lang = cm.lang
	}
	log := newConsole(stderr).logger(&cm.common)
	st, err := store.Open(ctx, *db)
	if err != nil {
		return fmt.Errorf("ogicheck serve: %w", err)
	}
	defer st.Close()
	// River's own UI, for admins under /jobs/
	jobsUI, closeUI, err := jobs.UI(ctx, st, "/jobs", log)
	if err != nil {
		return fmt.Errorf("ogicheck serve: %w", err)
	}
	defer closeUI()
	app, err := web.New(st, web.Options{Lang: lang, LangFixed: langSet, Secure: *secure || *certFile != "", Log: log, Jobs: jobsUI})
	if err != nil {
		return fmt.Errorf("ogicheck serve: %w", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("ogicheck serve: --addr %s: %v", *addr, err)
	}
	hs := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 5 * time.Minute}
	scheme := "http"
	if *certFile != "" {
		scheme = "https"
	}
	fmt.Fprintf(stderr, "ogicheck serve: %s://%s/ (store %s)\n", scheme, ln.Addr(), store.Redact(*db))
	done := make(chan error, 1)
	go func() {
		if *certFile != "" {
			done <- hs.ServeTLS(ln, *certFile, *keyFile)
			return
		}
		done <- hs.Serve(ln)
	}()
	select {
	case err := <-done:
		return fmt.Errorf("ogicheck serve: %w", err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		return nil
	}
}

// runUser manages the app's local accounts: user add --role ROLE NAME.
func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, "Usage: ogicheck user add --role viewer|reviewer|admin [--db FILE|URL] NAME")
			return errHelp
		}
		return usagef("ogicheck user: want 'ogicheck user add --role viewer|reviewer|admin NAME'")
	}
	cm := newCommand("user add", "user add --role viewer|reviewer|admin [flags] NAME",
		"Adds an account of the reviewers' app. The password is read from the terminal (not echoed), or\nas the first line of standard input.", stderr)
	db := cm.fs.String("db", "ogicheck.db", "the store: a SQLite file or a postgres:// URL")
	role := cm.fs.String("role", "", "viewer (reads), reviewer (also confirms and dismisses findings) or admin (also sees the job queue)")
	pos, err := cm.parse(args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 || strings.TrimSpace(pos[0]) == "" {
		return usagef("ogicheck user add: give one user name")
	}
	switch *role {
	case store.RoleViewer, store.RoleReviewer, store.RoleAdmin:
	default:
		return usagef("ogicheck user add: --role %q: want viewer, reviewer or admin", *role)
	}
	password, err := readPassword(stderr)
	if err != nil {
		return usagef("ogicheck user add: %v", err)
	}
	hash, err := web.HashPassword(password)
	if err != nil {
		return usagef("ogicheck user add: %v", err)
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return fmt.Errorf("ogicheck user add: %w", err)
	}
	defer st.Close()
	if _, err := st.AddUser(ctx, store.User{Name: pos[0], Role: *role, PasswordHash: hash}); err != nil {
		return fmt.Errorf("ogicheck user add: %w", err)
	}
	fmt.Fprintf(stdout, "user %s added (%s)\n", pos[0], *role)
	return nil
}

// readPassword reads the password without echo from a terminal, twice; or
// the first line of standard input otherwise.
func readPassword(stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		fmt.Fprint(stderr, "Again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		if string(p1) != string(p2) {
			return "", errors.New("the passwords differ")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}
