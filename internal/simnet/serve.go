package simnet

import (
	"bytes"
	"embed"
	"io"
	"log"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// The two real annual reports (洪泽区人民政府 2023 and 2024), served as
// attachments of one site.
//
//go:embed assets/*.pdf
var assets embed.FS

// resource is one servable URL of a site.
type resource struct {
	body     []byte
	ctype    string
	etag     string // for conditional requests (If-None-Match)
	modified time.Time
	status   int    // non-zero: answer with this status and a small error page
	redirect string // answer 302 to this path (redirect loops)
	fault    int
	size     int64  // fHuge: length of the generated body
	jsonp    string // query parameter naming the callback that wraps the body

	mu   sync.Mutex
	hits int
}

// hit counts a request and returns its 1-based number.
func (r *resource) hit() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hits++
	return r.hits
}

// Handler serves the site. It logs every request, adds the configured
// latency, and applies the site's armed faults.
func (s *Site) Handler() http.Handler { return s.handler }

func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

func (s *Site) lookup(r *http.Request) *resource {
	path := r.URL.Path
	if h := s.api[path]; h != nil {
		return h(r)
	}
	if s.Pagination == PageQuery && path == s.colPath {
		if v := r.URL.Query().Get(s.PageParam); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil
			}
			return s.resources[s.pages[n]]
		}
	}
	return s.resources[path]
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	s.log.add(r.URL.RequestURI())
	n := s.net
	if !n.sleep(r.Context(), n.Config.Latency) {
		reset(w) // closing or the client left: never a normal answer
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && (r.Method != http.MethodPost || s.api[r.URL.Path] == nil) {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	res := s.lookup(r)
	if res == nil {
		notFound(w)
		return
	}
	hit := res.hit()
	switch res.fault {
	case fTransient5xx:
		if hit <= TransientFailures {
			w.Header().Set("Retry-After", "0")
			errorPage(w, []int{503, 502}[(hit-1)%2])
			return
		}
	case fPermanent5xx:
		errorPage(w, http.StatusServiceUnavailable)
		return
	case fReset:
		if hit <= TransientFailures {
			reset(w)
			return
		}
	case fHang:
		hang(n, w, r)
		return
	case fHangOnce:
		if hit == 1 {
			hang(n, w, r)
			return
		}
	case fSlow:
		s.trickle(w, r, res.ctype, res.bodyFor(r))
		return
	case fHuge:
		s.huge(w, r, res)
		return
	}
	if res.redirect != "" {
		http.Redirect(w, r, res.redirect, http.StatusFound)
		return
	}
	if res.status != 0 {
		errorPage(w, res.status)
		return
	}
	w.Header().Set("Content-Type", res.ctype)
	if res.etag != "" {
		w.Header().Set("ETag", res.etag)
	}
	http.ServeContent(w, r, "", res.modified, bytes.NewReader(res.bodyFor(r)))
}

// jsIdentRe is a JavaScript identifier: what a JSONP callback may be.
var jsIdentRe = regexp.MustCompile(`^[A-Za-z_$][\w$.]{0,63}$`)

// bodyFor is the body answering r: wrapped in its callback for JSONP.
func (res *resource) bodyFor(r *http.Request) []byte {
	if res.jsonp == "" {
		return res.body
	}
	cb := r.URL.Query().Get(res.jsonp)
	if !jsIdentRe.MatchString(cb) {
		return res.body // asked as plain JSON
	}
	return []byte(cb + "(" + string(res.body) + ");")
}

func notFound(w http.ResponseWriter) { errorPage(w, http.StatusNotFound) }

func errorPage(w http.ResponseWriter, code int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	io.WriteString(w, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"+strconv.Itoa(code)+"</title></head><body><h1>"+
		strconv.Itoa(code)+" "+http.StatusText(code)+"</h1></body></html>")
}

// reset drops the connection without an answer, with an RST where the
// platform allows.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok { // no connection to drop (a ResponseRecorder): fail visibly instead
		errorPage(w, http.StatusBadGateway)
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		errorPage(w, http.StatusBadGateway)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

// hang waits TimeoutAfter (or until the client gives up or the internet
// closes) and then drops the connection: a hang never ends in an answer.
func hang(n *Internet, w http.ResponseWriter, r *http.Request) {
	n.sleep(r.Context(), n.Config.Faults.TimeoutAfter)
	reset(w)
}

// trickle sends the body in small pieces spread over SlowBodyTime.
func (s *Site) trickle(w http.ResponseWriter, r *http.Request, ctype string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	const pieces = 20
	step := s.net.Config.Faults.SlowBodyTime / pieces
	fl, _ := w.(http.Flusher)
	size := (len(body) + pieces - 1) / pieces
	for off := 0; off < len(body); off += size {
		if off > 0 && !s.net.sleep(r.Context(), step) {
			return
		}
		if _, err := w.Write(body[off:min(off+size, len(body))]); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
	}
}

// huge streams res.size bytes of a PDF-looking body without holding them.
func (s *Site) huge(w http.ResponseWriter, r *http.Request, res *resource) {
	w.Header().Set("Content-Type", res.ctype)
	w.Header().Set("Content-Length", strconv.FormatInt(res.size, 10))
	if r.Method == http.MethodHead {
		return
	}
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	head := []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	left := res.size
	if _, err := w.Write(head[:min(int64(len(head)), left)]); err != nil {
		return
	}
	left -= int64(len(head))
	for left > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-s.net.done:
			return
		default:
		}
		if _, err := w.Write(chunk[:min(int64(len(chunk)), left)]); err != nil {
			return
		}
		left -= int64(len(chunk))
	}
}
