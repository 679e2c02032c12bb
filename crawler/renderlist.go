package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"
)

// renderer renders the script-built lists of one crawl's sites in one
// browser (render.go), and says once when no browser is installed.
type renderer struct {
	mode    RenderMode
	b       *browser
	logf    func(format string, args ...any)
	missing sync.Once
}

func newRenderer(run *crawlRun) *renderer {
	r := &renderer{mode: run.cfg.Render, logf: run.logf}
	if r.mode != RenderNever {
		r.b = newBrowser(FindBrowser(run.cfg.Browser), run.cfg.UserAgent)
	}
	return r
}

func (r *renderer) close() {
	if r.b != nil {
		r.b.close()
	}
}

// columnRender is a column's rendering: the list pages that carry scripts,
// in list order, and how many were rendered.
type columnRender struct {
	candidates []*fetched
	rendered   int
	done       map[*fetched]bool
}

// add notes a list page read from the network that runs scripts as a
// candidate for rendering.
func (c *columnRender) add(f *fetched, runs bool) {
	if runs {
		c.candidates = append(c.candidates, f)
	}
}

// next returns the rendering of the next candidate page to render, nil when
// there is none: with RenderAuto only while the column has listed no
// report, with RenderAlways every candidate. What cannot be rendered is a
// gap of the list.
func (s *siteCrawl) nextRendered(ctx context.Context, c *columnRender) *fetched {
	rr := s.run.render
	if c.done == nil {
		c.done = map[*fetched]bool{}
	}
	for _, f := range c.candidates {
		if c.done[f] || s.halted() {
			continue
		}
		needed := !s.listedReport()
		if rr.mode != RenderAlways && !needed {
			return nil
		}
		c.done[f] = true
		u := f.res.FinalURL
		switch {
		case !needed && (rr.b.path == "" || c.rendered >= s.run.cfg.RenderPages):
			continue // RenderAlways beyond need: what cannot be rendered is no gap
		case rr.mode == RenderNever:
			s.gap(MechanismScript, u, GapNotRendered, "the page carries scripts and lists no report; rendering is off (--render never)")
			continue
		case rr.b.path == "":
			rr.missing.Do(func() {
				rr.logf("no Chromium found on PATH (%s): lists built by scripts cannot be rendered and are reported unreadable", strings.Join(browserNames, ", "))
			})
			s.gap(MechanismScript, u, GapNoBrowser, "the page carries scripts and lists no report; no Chromium is installed to render it")
			continue
		case c.rendered >= s.run.cfg.RenderPages:
			s.gap(MechanismScript, u, GapLimit, fmt.Sprintf("render limit of %d pages per site reached", s.run.cfg.RenderPages))
			continue
		}
		c.rendered++
		doc, n, err := s.render(ctx, f)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.logf("render %s: %v", u, err)
			s.gap(MechanismScript, u, GapRenderFailed, err.Error())
			continue
		}
		s.logf("rendered %s: %d requests", u, n)
		return &fetched{res: f.res, doc: doc, base: f.base}
	}
	return nil
}

// listedReport says whether the column has listed a report so far.
func (s *siteCrawl) listedReport() bool {
	for _, e := range s.site.Entries {
		if isReportTitle(e.Title) {
			return true
		}
	}
	return false
}

// render renders a list page in the browser, answering its requests with
// the crawl's own fetch, and returns the rendered DOM and the requests the
// page made.
func (s *siteCrawl) render(ctx context.Context, f *fetched) (*goquery.Document, int, error) {
	answer := func(req pageRequest) pageAnswer {
		u := parseLink(nil, req.URL)
		// the browser's own favicon request is not the page's
		if u == nil || blockedType(req.Type) || !s.scope.contains(u) || strings.HasSuffix(u.Path, "/favicon.ico") {
			return pageAnswer{Err: errOffSite}
		}
		var form url.Values
		switch req.Method {
		case http.MethodGet:
		case http.MethodPost:
			form, _ = url.ParseQuery(string(req.Body))
			if form == nil {
				form = url.Values{}
			}
		default:
			return pageAnswer{Err: fmt.Errorf("%s requests are not made", req.Method)}
		}
		got := s.get(ctx, u, form)
		if got.stopped {
			return pageAnswer{Err: errListStopped}
		}
		if got.res.Err != nil {
			return pageAnswer{Err: fmt.Errorf("%s", got.res.Err.Error)}
		}
		ct := got.res.ContentType
		if got.res.Charset != "" { // decoded to UTF-8 by fetch
			ct = "text/html; charset=utf-8"
		}
		return pageAnswer{Status: got.res.Status, ContentType: ct, Body: got.res.Body}
	}
	html, n, err := s.run.render.b.render(ctx, f.res.FinalURL, s.run.cfg.RenderTimeout, answer)
	if err != nil {
		return nil, n, err
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		return nil, n, fmt.Errorf("parse the rendered page: %w", err)
	}
	return doc, n, nil
}
