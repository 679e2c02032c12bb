package crawler

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ogicheck/ogicheck/result"
)

// logServer serves h and logs every request path in order.
type logServer struct {
	*httptest.Server
	mu  sync.Mutex
	log []string
}

func newLogServer(t *testing.T, h http.HandlerFunc) *logServer {
	ls := &logServer{}
	ls.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.mu.Lock()
		ls.log = append(ls.log, r.URL.RequestURI())
		ls.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(ls.Close)
	return ls
}

func (ls *logServer) paths() []string {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return append([]string(nil), ls.log...)
}

func serveList(w http.ResponseWriter, items string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(html5("政府信息公开年报", "<ul>"+items+"</ul>")))
}

func serveReport(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(reportPage("2023年政府信息公开工作年度报告", "<p>一、总体情况</p>")))
}

// robots.txt answering 302 to another host gets no request there: the
// site's scope applies to robots.txt redirects too.
func TestRobotsRedirectStaysOnSite(t *testing.T) {
	other := newLogServer(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	site := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.Redirect(w, r, other.URL+"/internal/admin?x=1", http.StatusFound)
		case "/nb/":
			serveList(w, li("/nb/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10"))
		default:
			serveReport(w)
		}
	})
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, site.URL+"/nb/")
	if p := other.paths(); len(p) != 0 {
		t.Errorf("robots.txt redirect followed off the site: %v", p)
	}
	if len(s.Entries) != 1 || s.Entries[0].Page == nil || len(s.Errors) != 0 {
		t.Errorf("entries %+v errors %+v; want the site crawled as without robots.txt", s.Entries, s.Errors)
	}
	want := Limit{Name: LimitRobotsRedirect, URL: other.URL + "/internal/admin?x=1"}
	if len(s.Limits) != 1 || s.Limits[0] != want {
		t.Errorf("limits %+v, want the redirect not followed recorded as %+v", s.Limits, want)
	}
}

// A start URL that redirects to a new host: the new host's robots.txt is
// read before anything else is fetched from it, and obeyed.
func TestStartRedirectReadsNewHostRobots(t *testing.T) {
	home := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/nb/":
			serveList(w, li("/nb/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10")+
				li("/nb/t2.html", "2022年政府信息公开工作年度报告", "2023-01-10"))
		case "/robots.txt":
			w.Write([]byte("User-agent: *\nDisallow: /nb/t2.html\n"))
		default:
			serveReport(w)
		}
	})
	moved := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, home.URL+"/nb/", http.StatusMovedPermanently)
	})
	cfg, _ := testConfig()
	s := crawlOne(t, cfg, moved.URL+"/")
	p := home.paths()
	if len(p) == 0 || p[0] != "/robots.txt" {
		t.Fatalf("requests to the new host: %v, want robots.txt first", p)
	}
	for _, x := range p {
		if x == "/nb/t2.html" {
			t.Errorf("%s fetched though the new host's robots.txt disallows it", x)
		}
	}
	if len(s.Entries) != 2 || s.Entries[0].Page == nil {
		t.Errorf("entries %+v, want both listed and the first fetched", s.Entries)
	}
}

// A public site's links and redirects never reach internal addresses,
// decided by the address dialled: names of the site that resolve to
// loopback or link-local (cloud metadata) are refused, and so is a start
// URL that redirects to loopback.
func TestNoInternalAddressFromPublicSite(t *testing.T) {
	var served []string
	var mu sync.Mutex
	ts := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served = append(served, r.Host+r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			http.Redirect(w, r, "http://"+r.Context().Value(http.LocalAddrContextKey).(net.Addr).String()+"/secret/", http.StatusFound)
		case "/col/":
			serveList(w, li("/col/t1.html", "2023年政府信息公开工作年度报告", "2024-01-10")+
				li("http://intranet.public.test/secret/t2.html", "2022年政府信息公开工作年度报告", "2023-01-10")+
				li("http://meta.public.test/latest/meta-data/", "2021年政府信息公开工作年度报告", "2022-01-10")+
				li("/col/t4.html", "2020年政府信息公开工作年度报告", "2021-01-10"))
		case "/col/t4.html":
			http.Redirect(w, r, "http://intranet.public.test/secret/t4.html", http.StatusFound)
		default:
			serveReport(w)
		}
	})
	addr := strings.TrimPrefix(ts.URL, "http://")
	var dialled []string
	cfg, _ := testConfig()
	cfg.lookup = func(_ context.Context, host string) ([]net.IPAddr, error) {
		switch host {
		case "www.public.test":
			return []net.IPAddr{{IP: net.ParseIP("203.0.113.10")}}, nil
		case "intranet.public.test":
			return []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}, nil
		case "meta.public.test":
			return []net.IPAddr{{IP: net.ParseIP("169.254.169.254")}}, nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	cfg.dial = func(ctx context.Context, network, a string) (net.Conn, error) {
		mu.Lock()
		dialled = append(dialled, a)
		mu.Unlock()
		if a == "203.0.113.10:80" {
			a = addr // the "public" server is the test server
		}
		var d net.Dialer
		return d.DialContext(ctx, network, a)
	}
	sites := Crawl(context.Background(), cfg, []string{"http://www.public.test/", "http://www.public.test/col/"})

	for _, a := range dialled {
		if a != "203.0.113.10:80" {
			t.Errorf("dialled %s: only the public address may be dialled", a)
		}
	}
	for _, p := range served {
		if strings.Contains(p, "/secret/") || strings.Contains(p, "meta-data") {
			t.Errorf("internal URL served: %s", p)
		}
	}
	redirected := sites[0]
	if len(redirected.Errors) != 1 || !strings.Contains(redirected.Errors[0].Error, "internal address") {
		t.Errorf("start redirecting to loopback: errors %+v, want one refusal naming the internal address", redirected.Errors)
	}
	col := sites[1]
	errs := errorsByURL(col)
	for _, u := range []string{"http://intranet.public.test/secret/t2.html", "http://meta.public.test/latest/meta-data/", "http://www.public.test/col/t4.html"} {
		if fe, ok := errs[u]; !ok || fe.Class != result.FetchOther || !strings.Contains(fe.Error, "internal address") {
			t.Errorf("%s: error %+v, want a refusal naming the internal address", u, fe)
		}
	}
	if len(col.Entries) != 4 || col.Entries[0].Page == nil {
		t.Errorf("entries %+v, want 4 with the public one fetched", col.Entries)
	}
}
