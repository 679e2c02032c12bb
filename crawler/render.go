package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Rendering: a column page whose list only scripts build is loaded in
// headless Chromium (the system's chromium, driven by chromedp) and its
// links are read from the rendered DOM. The browser fetches nothing itself:
// every request of the page is paused (Fetch domain) and answered by the
// crawler's own fetch, so robots.txt, the per-host gate, retries, the page
// limit and the cache apply to it as to any request, and each counts.
// Requests off the site, and for images, fonts, styles and media, are
// refused without being made.

// RenderMode says when list pages are rendered in a browser.
type RenderMode string

// Render modes.
const (
	// RenderAuto renders a column page that lists no report but carries
	// scripts. The default.
	RenderAuto RenderMode = "auto"
	// RenderNever renders nothing: script-built lists are reported
	// unreadable.
	RenderNever RenderMode = "never"
	// RenderAlways renders every list page and adds what the DOM lists.
	RenderAlways RenderMode = "always"
)

// ParseRenderMode reads auto, never or always ("" is auto).
func ParseRenderMode(s string) (RenderMode, error) {
	switch m := RenderMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return RenderAuto, nil
	case RenderAuto, RenderNever, RenderAlways:
		return m, nil
	}
	return "", fmt.Errorf("render mode %q: want auto, never or always", s)
}

// Defaults of the rendering limits.
const (
	DefaultRenderTimeout  = 30 * time.Second // per rendered page, all its requests included
	DefaultRenderPages    = 5                // pages rendered per site
	maxRenderRequests     = 40               // requests one rendered page may make
	renderQuiet           = 400 * time.Millisecond
	browserStartupTimeout = 30 * time.Second
)

// browserNames are the executables looked for on PATH, Debian's first.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// FindBrowser returns the path of a Chromium to render with: path itself
// when given, else the first of the usual names on PATH; "" when none is
// installed.
func FindBrowser(path string) string {
	if path != "" {
		if p, err := exec.LookPath(path); err == nil {
			return p
		}
		return ""
	}
	for _, n := range browserNames {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// errNoBrowser is rendering without a browser installed.
var errNoBrowser = errors.New("no Chromium installed to render with")

// browser is the headless Chromium of one crawl, started on first use and
// shared by its sites, one tab per rendered page.
type browser struct {
	path string // executable; "" when none is installed
	ua   string

	once   sync.Once
	ctx    context.Context // the browser's chromedp context
	cancel func()
	dir    string // its fresh profile
	err    error  // why it did not start
}

func newBrowser(path, userAgent string) *browser {
	return &browser{path: path, ua: userAgent}
}

// start launches the browser once; later calls return the first outcome.
func (b *browser) start(ctx context.Context) error {
	b.once.Do(func() {
		if b.path == "" {
			b.err = errNoBrowser
			return
		}
		dir, err := os.MkdirTemp("", "ogicheck-chromium-")
		if err != nil {
			b.err = fmt.Errorf("browser profile: %w", err)
			return
		}
		b.dir = dir
		// Detached from ctx's cancellation only through close: the
		// browser outlives single renders, not the crawl.
		actx, acancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx),
			chromedp.ExecPath(b.path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			// what the Fetch domain would not catch goes nowhere
			chromedp.Flag("proxy-server", "http://0.0.0.0:1"),
			chromedp.Flag("proxy-bypass-list", "<-loopback>"),
			chromedp.UserAgent(b.ua),
			chromedp.UserDataDir(dir),
		)
		bctx, bcancel := chromedp.NewContext(actx)
		b.ctx = bctx
		b.cancel = func() { bcancel(); acancel() }
		started := make(chan error, 1)
		go func() { started <- chromedp.Do(bctx) }()
		select {
		case err = <-started:
		case <-time.After(browserStartupTimeout):
			err = fmt.Errorf("no answer within %v", browserStartupTimeout)
		}
		if err != nil {
			b.err = fmt.Errorf("start %s: %w", b.path, err)
			b.close()
		}
	})
	return b.err
}

// close stops the browser and removes its profile.
func (b *browser) close() {
	if b.cancel != nil {
		b.cancel()
		b.cancel = nil
	}
	if b.dir != "" {
		os.RemoveAll(b.dir)
		b.dir = ""
	}
}

// pageRequest is a request a rendered page makes.
type pageRequest struct {
	Method   string
	URL      string
	Body     []byte // of a POST
	Type     network.ResourceType
	Header   map[string]string
	Document bool // the page itself
}

// pageAnswer is the crawler's answer to a pageRequest; Err refuses it.
type pageAnswer struct {
	Status      int
	ContentType string
	Body        []byte
	Err         error
}

// render loads u in a new tab, answering each of its requests with answer
// (called on the caller's goroutine, one at a time), and returns the HTML of
// the DOM once the page has loaded and its requests have settled.
func (b *browser) render(ctx context.Context, u string, timeout time.Duration, answer func(pageRequest) pageAnswer) (string, int, error) {
	if err := b.start(ctx); err != nil {
		return "", 0, err
	}
	tab, closeTab := chromedp.NewContext(b.ctx)
	defer closeTab()
	paused := make(chan *fetch.EventRequestPaused, 64)
	overflow := make(chan struct{})
	defer close(overflow)
	if err := chromedp.Listen(tab, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		select {
		case paused <- e:
		default: // never block the tab's reader
			go func() {
				select {
				case paused <- e:
				case <-overflow:
				}
			}()
		}
	}); err != nil {
		return "", 0, fmt.Errorf("open a tab: %w", err)
	}
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{}); err != nil {
		return "", 0, fmt.Errorf("intercept requests: %w", err)
	}
	tctx, cancel := context.WithTimeout(tab, timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel) // the crawl's cancellation ends the render
	defer stop()

	loaded := make(chan error, 1)
	go func() { loaded <- chromedp.Do(tctx, chromedp.Navigate(u)) }()
	var quiet <-chan time.Time
	requests := 0
	for done := false; !done; {
		select {
		case e := <-paused:
			requests++
			req := pageRequest{Method: e.Request.Method, URL: e.Request.URL + e.Request.URLFragment, Type: e.ResourceType,
				Header: map[string]string{}, Document: e.ResourceType == network.ResourceTypeDocument}
			for k, v := range e.Request.Headers {
				if s, ok := v.(string); ok {
					req.Header[k] = s
				}
			}
			for _, p := range e.Request.PostDataEntries {
				req.Body = append(req.Body, p.Bytes...)
			}
			a := pageAnswer{Err: fmt.Errorf("more than %d requests from one page", maxRenderRequests)}
			if requests <= maxRenderRequests {
				a = answer(req)
			}
			reply(tctx, e.RequestID, a)
			if quiet != nil {
				quiet = time.After(renderQuiet)
			}
		case err := <-loaded:
			if err != nil {
				return "", requests, fmt.Errorf("load %s: %w", u, err)
			}
			quiet = time.After(renderQuiet)
		case <-quiet:
			done = true
		case <-tctx.Done():
			if ctx.Err() != nil {
				return "", requests, ctx.Err()
			}
			return "", requests, fmt.Errorf("render %s: not settled within %v", u, timeout)
		}
	}
	html, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		return "", requests, fmt.Errorf("read the DOM of %s: %w", u, err)
	}
	return html, requests, nil
}

// reply answers a paused request. A tab closing under it is not an error
// worth reporting: the render's own outcome says what happened.
func reply(ctx context.Context, id fetch.RequestID, a pageAnswer) {
	if a.Err != nil {
		_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonBlockedByClient})
		return
	}
	status := a.Status
	if status == 0 || status == http.StatusNotModified {
		status = http.StatusOK
	}
	headers := []*fetch.HeaderEntry{{Name: "Content-Type", Value: a.ContentType}}
	_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: int64(status),
		ResponseHeaders: headers, Body: a.Body})
}

// blockedType says whether a rendered page's request is refused unread:
// nothing a list is made of comes as an image, font, style or media.
func blockedType(t network.ResourceType) bool {
	switch t {
	case network.ResourceTypeImage, network.ResourceTypeFont, network.ResourceTypeStylesheet, network.ResourceTypeMedia,
		network.ResourceTypeManifest, network.ResourceTypePing, network.ResourceTypeCSPViolationReport,
		network.ResourceTypeTextTrack, network.ResourceTypeWebSocket, network.ResourceTypeEventSource:
		return true
	}
	return false
}

// errOffSite refuses a rendered page's request outside the crawl's scope.
var errOffSite = errors.New("outside the site")
