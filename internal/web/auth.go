package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ogicheck/ogicheck/internal/store"
)

// Cookies of the app.
const (
	sessionCookie = "ogicheck_session"
	loginCookie   = "ogicheck_login" // the login form's CSRF token, before any session
	sessionTTL    = 12 * time.Hour
	bcryptCost    = 12
)

// HashPassword hashes a password for the users table (bcrypt).
func HashPassword(password string) (string, error) {
	if len(password) < 8 {
		return "", errors.New("the password must have at least 8 characters")
	}
	if len(password) > 72 {
		return "", errors.New("the password must have at most 72 bytes (bcrypt's limit)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("hash the password: %w", err)
	}
	return string(h), nil
}

// dummyHash is compared against when the user does not exist, so that the
// answer takes as long as for a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such user, no such password"), bcryptCost)

// session is one logged-in browser.
type session struct {
	user    store.User
	csrf    string
	expires time.Time
}

// sessions are kept in memory: a restart logs everyone out, which is the
// safe direction.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	now func() time.Time
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, now: now}
}

func token() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("web: no randomness: %v", err)) // crypto/rand never fails on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (ss *sessions) create(u store.User) (string, *session) {
	id := token()
	s := &session{user: u, csrf: token(), expires: ss.now().Add(sessionTTL)}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, old := range ss.m { // drop expired ones as we go
		if ss.now().After(old.expires) {
			delete(ss.m, k)
		}
	}
	ss.m[id] = s
	return id, s
}

func (ss *sessions) get(id string) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.m[id]
	if s == nil {
		return nil
	}
	if ss.now().After(s.expires) {
		delete(ss.m, id)
		return nil
	}
	return s
}

func (ss *sessions) drop(id string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, id)
}

// cookie is a cookie of the app: HttpOnly, SameSite=Strict, Secure when
// served over TLS.
func (srv *Server) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: srv.opts.Secure || r.TLS != nil}
}

type ctxKey struct{}

// sessionOf is the request's session, nil when not logged in.
func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(ctxKey{}).(*session)
	return s
}

// requireLogin passes requests with a live session on, with the session in
// the context; others go to the login page (or get 403 for a POST).
func (srv *Server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var s *session
		if c, err := r.Cookie(sessionCookie); err == nil {
			s = srv.sessions.get(c.Value)
		}
		if s == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			srv.fail(w, r, http.StatusForbidden, "errLogin")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, s)))
	})
}

// checkCSRF compares the form's token with the session's.
func checkCSRF(r *http.Request, s *session) bool {
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

func (srv *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	tok := token()
	http.SetCookie(w, srv.cookie(r, loginCookie, tok, 3600))
	srv.render(w, r, http.StatusOK, "login", &loginData{CSRF: tok})
}

type loginData struct {
	CSRF  string
	Name  string
	Error string
}

func (srv *Server) login(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCookie)
	form := r.PostFormValue("csrf")
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form)) != 1 {
		srv.fail(w, r, http.StatusForbidden, "errCSRF")
		return
	}
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	keys := loginKeys(r, name)
	if srv.throttle.blocked(keys) {
		srv.loginRefused(w, r, name, http.StatusTooManyRequests, "errTooManyLogins")
		return
	}
	u, err := srv.st.UserByName(r.Context(), name)
	if err != nil || u.Disabled || u.PasswordHash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		srv.throttle.fail(keys)
		srv.loginRefused(w, r, name, http.StatusUnauthorized, "errPassword")
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		srv.throttle.fail(keys)
		srv.loginRefused(w, r, name, http.StatusUnauthorized, "errPassword")
		return
	}
	srv.throttle.reset(keys[0])
	id, _ := srv.sessions.create(*u)
	http.SetCookie(w, srv.cookie(r, sessionCookie, id, int(sessionTTL/time.Second)))
	http.SetCookie(w, srv.cookie(r, loginCookie, "", -1))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// loginRefused shows the login form again with why the login was refused.
func (srv *Server) loginRefused(w http.ResponseWriter, r *http.Request, name string, status int, why string) {
	tok := token()
	http.SetCookie(w, srv.cookie(r, loginCookie, tok, 3600))
	srv.render(w, r, status, "login", &loginData{CSRF: tok, Name: name, Error: srv.label(r, why)})
}

func (srv *Server) logout(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	if !checkCSRF(r, s) {
		srv.fail(w, r, http.StatusForbidden, "errCSRF")
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		srv.sessions.drop(c.Value)
	}
	http.SetCookie(w, srv.cookie(r, sessionCookie, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// canReview tells whether the user may change review state.
func canReview(u store.User) bool { return u.Role == store.RoleReviewer || u.Role == store.RoleAdmin }
