package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
)

// The crawler's limits are findings of their own (SITE-LIMIT), never a
// broken link, a missing column or a missing year.
func TestLimitsAreNotTheSitesFault(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /blocked/gk/\n")
	})
	mux.HandleFunc("/blocked/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><meta charset="utf-8"></head><body><a href="/blocked/gk/nb/">政府信息公开年报</a></body></html>`)
	})
	mux.HandleFunc("/nb/", func(w http.ResponseWriter, r *http.Request) {
		var y int
		if _, err := fmt.Sscanf(r.URL.Path, "/nb/t%d.html", &y); err == nil {
			fmt.Fprintf(w, `<html><head><meta charset="utf-8"></head><body><h1>%d年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>`, y)
			return
		}
		var b strings.Builder
		b.WriteString(`<html><head><meta charset="utf-8"></head><body><ul>`)
		for y := 2025; y >= 2016; y-- {
			fmt.Fprintf(&b, `<li><a href="/nb/t%d.html">%d年政府信息公开工作年度报告</a><span>%d-01-20</span></li>`, y, y, y+1)
		}
		b.WriteString(`</ul></body></html>`)
		fmt.Fprint(w, b.String())
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	cfg := crawler.DefaultConfig()
	cfg.Delay, cfg.Timeout, cfg.MaxPages = 0, 5*time.Second, 3 // robots.txt is not counted: the list and two entries
	res := Collect(context.Background(), []string{ts.URL + "/nb/", ts.URL + "/blocked/"}, cfg, testOptions())
	if len(res.Sites) != 2 {
		t.Fatalf("%d sites", len(res.Sites))
	}
	for i, want := range [][]string{{"SITE-LIMIT"}, {"SITE-FETCH"}} {
		var got []string
		for _, f := range res.Sites[i].Findings {
			got = append(got, f.Rule)
		}
		slices.Sort(got)
		got = slices.Compact(got)
		if !slices.Equal(got, want) {
			t.Errorf("site %s: findings %v, want %v; errors %+v", res.Sites[i].URL, got, want, res.Sites[i].Errors)
		}
	}
	if f := res.Sites[0].Findings; len(f) == 0 || !strings.Contains(f[0].Messages.En, "page limit of 3") {
		t.Errorf("page limit finding %+v, want it named with its count", f)
	}
}
