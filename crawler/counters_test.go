package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCounters(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><body><a href="/gone.html">政府信息公开年报</a></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	var c Counters
	cfg := DefaultConfig()
	cfg.Delay, cfg.Retries, cfg.Counters = 0, 0, &c
	sites := Crawl(context.Background(), cfg, []string{srv.URL + "/"})
	s := sites[0]
	if c.Pages.Load() != int64(s.Pages) || c.Bytes.Load() != s.Bytes || c.Failures.Load() != int64(len(s.Errors)) || s.Pages == 0 {
		t.Errorf("counters pages %d bytes %d failures %d; site pages %d bytes %d errors %d",
			c.Pages.Load(), c.Bytes.Load(), c.Failures.Load(), s.Pages, s.Bytes, len(s.Errors))
	}
}
