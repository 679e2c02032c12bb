package crawler

import (
	"context"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// requireBrowserEnv makes the rendering tests fail instead of skipping when
// no Chromium is installed (CI installs one and sets it).
const requireBrowserEnv = "OGICHECK_REQUIRE_BROWSER"

// browserPath returns the Chromium to test with, or skips the test saying
// why; with OGICHECK_REQUIRE_BROWSER set it fails instead.
func browserPath(t *testing.T) string {
	t.Helper()
	p := FindBrowser("")
	if p == "" {
		if os.Getenv(requireBrowserEnv) != "" {
			t.Fatalf("no Chromium on PATH (%s) and %s is set", strings.Join(browserNames, ", "), requireBrowserEnv)
		}
		t.Skipf("SKIPPED: no Chromium on PATH (%s): rendering is not tested here; set %s to make this a failure", strings.Join(browserNames, ", "), requireBrowserEnv)
	}
	return p
}

func TestParseRenderMode(t *testing.T) {
	for in, want := range map[string]RenderMode{"": RenderAuto, "auto": RenderAuto, " Never ": RenderNever, "always": RenderAlways} {
		if got, err := ParseRenderMode(in); err != nil || got != want {
			t.Errorf("ParseRenderMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseRenderMode("sometimes"); err == nil {
		t.Error("ParseRenderMode(sometimes): no error")
	}
}

// TestBrowserRender renders a page whose list a script builds from data it
// requests, answering every request itself: the DOM shows the list, and no
// request reached anything but the answer function.
func TestBrowserRender(t *testing.T) {
	t.Parallel()
	b := newBrowser(browserPath(t), DefaultUserAgent())
	defer b.close()
	pages := map[string]pageAnswer{
		"http://list.test/col/index.html": {Status: 200, ContentType: "text/html; charset=utf-8", Body: []byte(`<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="/js/list.js"></script></head><body><ul id="l"></ul><img src="/logo.png"><script src="http://elsewhere.test/stat.js"></script></body></html>`)},
		"http://list.test/js/list.js": {Status: 200, ContentType: "application/javascript", Body: []byte(`
document.addEventListener('DOMContentLoaded', function(){
	var x = new XMLHttpRequest();
	x.open('GET', '/api/list?page=1');
	x.onload = function(){
		var items = JSON.parse(x.responseText), ul = document.getElementById('l');
		for (var i = 0; i < items.length; i++) {
			var li = document.createElement('li'), a = document.createElement('a');
			a.href = items[i].u; a.textContent = items[i].t; li.appendChild(a); ul.appendChild(li);
		}
	};
	x.send();
});`)},
		"http://list.test/api/list?page=1": {Status: 200, ContentType: "application/json", Body: []byte(`[{"t":"2024年政府信息公开工作年度报告","u":"/art/2025/1/20/art_1_1.html"}]`)},
	}
	var asked []string
	answer := func(r pageRequest) pageAnswer {
		asked = append(asked, r.Method+" "+r.URL)
		if blockedType(r.Type) || !strings.HasPrefix(r.URL, "http://list.test/") {
			return pageAnswer{Err: errOffSite}
		}
		if a, ok := pages[r.URL]; ok {
			return a
		}
		return pageAnswer{Status: http.StatusNotFound, ContentType: "text/plain", Body: []byte("not found")}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	html, n, err := b.render(ctx, "http://list.test/col/index.html", 20*time.Second, answer)
	if err != nil {
		t.Fatalf("render: %v (requests %q)", err, asked)
	}
	if !strings.Contains(html, `<a href="/art/2025/1/20/art_1_1.html">2024年政府信息公开工作年度报告</a>`) {
		t.Errorf("rendered DOM lacks the scripted link:\n%s", html)
	}
	for _, want := range []string{"GET http://list.test/col/index.html", "GET http://list.test/js/list.js", "GET http://list.test/api/list?page=1"} {
		if !slices.Contains(asked, want) {
			t.Errorf("request %q did not come through the answer function: %q", want, asked)
		}
	}
	if n != len(asked) {
		t.Errorf("render counted %d requests, the answer function saw %d", n, len(asked))
	}
	// a second page on the same browser
	html, _, err = b.render(ctx, "http://list.test/col/index.html", 20*time.Second, answer)
	if err != nil || !strings.Contains(html, "art_1_1.html") {
		t.Errorf("second render: %v", err)
	}
}

func TestBrowserMissing(t *testing.T) {
	b := newBrowser("", DefaultUserAgent())
	defer b.close()
	_, _, err := b.render(context.Background(), "http://list.test/", time.Second, func(pageRequest) pageAnswer { return pageAnswer{} })
	if err != errNoBrowser {
		t.Errorf("render without a browser: %v, want %v", err, errNoBrowser)
	}
	if FindBrowser("/no/such/chromium") != "" {
		t.Error("FindBrowser found a browser that does not exist")
	}
}
