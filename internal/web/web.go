// Package web is the reviewers' app over the store: server-rendered pages
// (html/template, plain forms, no script) to read a scan by region, level
// and agency, open an agency and a report with its tables redrawn, and
// confirm or dismiss findings, each decision kept with who and when.
//
// Security: local accounts with bcrypt-hashed passwords; sessions in
// HttpOnly, SameSite=Strict cookies (Secure over TLS); a CSRF token in
// every form, and River's UI (no token of its own) taking changes only
// from the app's origin; a Content-Security-Policy that allows the app's
// own style sheet and nothing else (no script at all); page text from
// crawled sites is always escaped by html/template, and archived files are
// only ever downloaded, never shown in the app's origin. Viewers read;
// reviewers and admins decide.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/internal/store"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the app.
type Options struct {
	// Lang is the language when the browser names neither Chinese nor
	// English: "zh" (the default) or "en".
	Lang string
	// LangFixed makes Lang win over the browser's Accept-Language.
	LangFixed bool
	// Secure marks cookies Secure even without TLS seen by the server (a
	// TLS proxy in front).
	Secure bool
	// Jobs, when set, is mounted under /jobs/ for admins (River's UI);
	// otherwise /jobs is a page of the scans in progress.
	Jobs http.Handler
	// PerPage is the number of agencies per overview page (default 100).
	PerPage int
	// Now is the clock (tests set it).
	Now func() time.Time
	// Log receives server errors; nil discards them.
	Log *slog.Logger
}

// Server is the app.
type Server struct {
	st       *store.Store
	opts     Options
	pages    map[string]*template.Template
	sessions *sessions
	throttle *throttle // failed logins
	handler  http.Handler
}

// csp allows the app's own style sheet and nothing else: no script, no
// inline style, no frames, forms only to the app.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// New makes the app over an open store.
func New(st *store.Store, opts Options) (*Server, error) {
	if opts.Lang == "" {
		opts.Lang = "zh"
	}
	if opts.Lang != "zh" && opts.Lang != "en" {
		return nil, fmt.Errorf("web: language %q: want zh or en", opts.Lang)
	}
	if opts.PerPage <= 0 {
		opts.PerPage = 100
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	srv := &Server{st: st, opts: opts, pages: map[string]*template.Template{}, sessions: newSessions(opts.Now),
		throttle: newThrottle(opts.Now)}
	layout, err := fs.ReadFile(templateFS, "templates/layout.tmpl")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	for _, name := range []string{"login", "overview", "agency", "report", "text", "findings", "finding", "jobs", "error"} {
		body, err := fs.ReadFile(templateFS, "templates/"+name+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		t, err := template.New(name).Funcs(funcs).Parse(string(layout))
		if err == nil {
			_, err = t.Parse(string(body))
		}
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		srv.pages[name] = t
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /login", srv.loginPage)
	mux.HandleFunc("POST /login", srv.login)
	in := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, srv.requireLogin(h)) }
	in("POST /logout", srv.logout)
	in("GET /{$}", srv.overview)
	in("GET /agency/{id}", srv.agency)
	in("GET /report/{id}", srv.report)
	in("GET /report/{id}/text", srv.reportText)
	in("GET /report/{id}/file", srv.reportFile)
	in("GET /findings", srv.findings)
	in("GET /finding/{fp}", srv.finding)
	in("POST /review", srv.review)
	in("GET /jobs", srv.jobs)
	if opts.Jobs != nil {
		mux.Handle("/jobs/", srv.requireLogin(srv.adminOnly(srv.sameOrigin(riverCSP(opts.Jobs)))))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { srv.fail(w, r, http.StatusNotFound, "errNotFound") })
	srv.handler = headers(mux)
	return srv, nil
}

// Handler is the app's HTTP handler.
func (srv *Server) Handler() http.Handler { return srv.handler }

// headers sets the security headers of every answer.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// jobsCSP is the policy of River's UI under /jobs/: its own scripts and
// styles (React sets style attributes), requests to its own API only.
const jobsCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// riverCSP relaxes the app's policy for River's UI, a single-page app of
// its own, and for nothing else. Its requests carry a Referer to the app
// itself, for sameOrigin when a browser sends no Origin.
func riverCSP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", jobsCSP)
		w.Header().Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// sameOrigin refuses a request that changes something under /jobs/ (any
// method but GET and HEAD) unless it comes from a page of the app: River's
// UI has no CSRF token of its own, and SameSite=Strict cookies alone still
// let a page of a sibling origin (same site, another host or port) send
// one. The Origin header decides; a Referer when there is no Origin; with
// neither the request is refused. As in net/http's CrossOriginProtection,
// the host is compared with the request's Host, so that the app behind a
// TLS proxy still matches.
func (srv *Server) sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		from := r.Header.Get("Origin")
		if from == "" {
			from = r.Header.Get("Referer")
		}
		u, err := url.Parse(from)
		if from == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, r.Host) {
			srv.fail(w, r, http.StatusForbidden, "errOrigin")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (srv *Server) adminOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := sessionOf(r); s == nil || s.user.Role != store.RoleAdmin {
			srv.fail(w, r, http.StatusForbidden, "errForbidden")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// view is what every page template gets.
type view struct {
	L     map[string]string
	Lang  string // zh or en
	HTML  string // the html element's lang
	User  *store.User
	CSRF  string
	Nav   string
	Title string
	Body  any
}

func (srv *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, body any) {
	lang := srv.lang(r)
	v := &view{L: labelsZh, Lang: lang, HTML: "zh-CN", Nav: page, Body: body}
	if lang == "en" {
		v.L, v.HTML = labelsEn, "en"
	}
	if s := sessionOf(r); s != nil {
		u := s.user
		v.User, v.CSRF = &u, s.csrf
	}
	var buf bytes.Buffer
	if err := srv.pages[page].ExecuteTemplate(&buf, "layout", v); err != nil {
		srv.opts.Log.Error("render", "page", page, "err", err)
		http.Error(w, labels["errServer"].In(lang), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorData is the error page's.
type errorData struct {
	Status  int
	Message string
}

// fail answers with an error page saying key's text.
func (srv *Server) fail(w http.ResponseWriter, r *http.Request, status int, key string) {
	srv.render(w, r, status, "error", &errorData{Status: status, Message: srv.label(r, key)})
}

// failErr logs a server-side error and answers 404 for rows not found,
// 500 otherwise.
func (srv *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		srv.fail(w, r, http.StatusNotFound, "errNotFound")
		return
	}
	srv.opts.Log.Error("request failed", "path", r.URL.Path, "err", err)
	srv.fail(w, r, http.StatusInternalServerError, "errServer")
}

// localPath keeps a redirect inside the app: a path, never a scheme or a
// host ("//evil.example" included).
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}
