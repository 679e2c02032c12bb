package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Script-built lists. After a list page's markup is read, each list reader
// (one per mechanism, each in its own file: jcms.go, jsonp.go, items.go,
// base64list.go, gkmlpt.go, datapager.go) looks for its mechanism in the
// page and, when it is there, asks for the records the page's script would,
// through the crawl's fetch. A reader says what it could not read as a
// ListGap; a list is read whole only when no reader, and no rendering,
// left a gap.

// List mechanisms, as ListGap.Mechanism names them.
const (
	MechanismStatic = "static"       // list pages in markup
	MechanismJCMS   = "jcms"         // Hanweb JCMS datastore and dataproxy.jsp
	MechanismJSONP  = "jsonp"        // a JSONP request after load
	MechanismArray  = "script-array" // an item array in a script
	MechanismBase64 = "base64"       // base64-encoded list or pager markup
	MechanismGkmlpt = "gkmlpt"       // Guangdong's gkmlpt API
	MechanismSearch = "search"       // later pages from a search or data endpoint
	MechanismScript = "script"       // built by scripts: only rendering reads it
)

// Why part of a list was not read, as ListGap.Reason says it.
const (
	GapNotRendered  = "not-rendered"   // built by scripts, and rendering is off
	GapNoBrowser    = "no-browser"     // built by scripts, and no Chromium is installed
	GapRenderFailed = "render-failed"  // the browser failed or timed out
	GapRequest      = "request-failed" // a list page or data request failed
	GapShort        = "incomplete"     // fewer records or pages than the list announces
	GapLimit        = "limit"          // a limit of the crawl was reached
)

// ListGap is a part of a column's list that could not be read. Reports it
// may list are unknown, not missing.
type ListGap struct {
	Mechanism string // Mechanism*: how the list is built
	URL       string // the list page or data request not read
	Reason    string // Gap*: why
	Detail    string // the error, or the counts
}

// listPage is a fetched list page as the list readers see it.
type listPage struct {
	base    *url.URL
	doc     *goquery.Document
	scripts string // the text of its scripts
	runs    bool   // it runs scripts that could build a list
	scope   *scope // links outside are not entries; nil for any
	// announced is the page count its pager states; -1 until read, as
	// the page's text is long and read once.
	announced int
}

func newListPage(doc *goquery.Document, base *url.URL, sc *scope) *listPage {
	p := &listPage{base: base, doc: doc, scope: sc, announced: -1}
	var sb strings.Builder
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		text := s.Text()
		if sb.Len() < 1<<20 {
			sb.WriteString(text)
			sb.WriteByte('\n')
		}
		if !p.runs && executable(s) {
			_, src := s.Attr("src")
			p.runs = src || strings.TrimSpace(text) != ""
		}
	})
	p.scripts = sb.String()
	return p
}

// executable says whether a script element holds code, not data (a
// text/xml datastore, JSON, a template).
func executable(sc *goquery.Selection) bool {
	typ := strings.ToLower(sc.AttrOr("type", ""))
	return typ == "" || typ == "module" || strings.Contains(typ, "javascript") || strings.Contains(typ, "ecmascript")
}

// calls are the pager calls of the page's links: function → page numbers.
func (p *listPage) calls() map[string][]int {
	var attrs []string
	p.doc.Find("a, [onclick]").Each(func(_ int, a *goquery.Selection) {
		if h, ok := a.Attr("href"); ok && strings.HasPrefix(strings.ToLower(strings.TrimSpace(h)), "javascript:") {
			attrs = append(attrs, h)
		}
		if o, ok := a.Attr("onclick"); ok {
			attrs = append(attrs, o)
		}
	})
	return pagerCalls(attrs)
}

// total is the page count the page's pager announces (共N页), 0 if none.
func (p *listPage) total() int {
	if p.announced < 0 {
		p.announced = announcedTotal(p.doc.Text())
	}
	return min(p.announced, maxListPages)
}

// markupItems reads list entries from HTML the page's script would insert.
func (p *listPage) markupItems(fragments ...string) []listItem {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<ul>" + strings.Join(fragments, "\n") + "</ul>"))
	if err != nil {
		return nil
	}
	items, _ := listEntries(doc, p.base, p.scope, nil, "")
	return items
}

// listRead is what one list reader found in a page.
type listRead struct {
	mechanism string
	items     []listItem
	pages     []*url.URL // more list pages to read as pages
	gaps      []ListGap
	requests  int // data requests made
}

// readsWhole says whether the reader reads the whole list, later pages
// included, and records itself what it could not read (short).
func (r *listRead) readsWhole() bool {
	switch r.mechanism {
	case MechanismJCMS, MechanismJSONP, MechanismGkmlpt, MechanismSearch:
		return true
	}
	return false
}

func (r *listRead) gap(u, reason, detail string) {
	r.gaps = append(r.gaps, ListGap{Mechanism: r.mechanism, URL: u, Reason: reason, Detail: detail})
}

// failed records a data request that did not answer: the crawl stopping is
// a limit, anything else a failed request.
func (r *listRead) failed(u *url.URL, err error) {
	reason := GapRequest
	if errors.Is(err, errListStopped) {
		reason = GapLimit
	}
	r.gap(u.String(), reason, err.Error())
}

// listFetcher is what the list readers need of a crawl: the text of a data
// request's answer, by GET, or by POST of form when form is not nil.
type listFetcher interface {
	data(ctx context.Context, u *url.URL, form url.Values) (string, error)
}

// errListStopped is a data request not made because the crawl stopped (a
// limit, a cancellation).
var errListStopped = errors.New("not requested: the crawl stopped")

// listReaders are the mechanisms tried on every list page, in this order.
var listReaders = []func(ctx context.Context, lf listFetcher, p *listPage) (listRead, bool){
	readJCMS, readJSONP, readArrays, readBase64, readGkmlpt, readDataPager,
}

// readScriptLists runs every list reader on a page and returns what those
// whose mechanism the page uses found.
func readScriptLists(ctx context.Context, lf listFetcher, p *listPage) []listRead {
	if strings.TrimSpace(p.scripts) == "" {
		return nil // every mechanism is in a script
	}
	var out []listRead
	for _, read := range listReaders {
		if r, ok := read(ctx, lf, p); ok {
			out = append(out, r)
		}
	}
	return out
}

// recordCounter counts the distinct records a list reader has read, to
// compare with what the list announces.
type recordCounter map[string]bool

func (c recordCounter) add(records ...string) (added int) {
	for _, r := range records {
		k := strings.Join(strings.Fields(r), " ")
		if !c[k] {
			c[k] = true
			added++
		}
	}
	return added
}

// inScope keeps the items whose links stay on the site.
func (p *listPage) inScope(items []listItem) []listItem {
	if p.scope == nil {
		return items
	}
	out := items[:0:0]
	for _, it := range items {
		if p.scope.contains(it.u) {
			out = append(out, it)
		}
	}
	return out
}

// pageData is one answer of a list served page by page.
type pageData struct {
	records []string // its records, as markup or as their links
	items   []listItem
	total   int // records the list announces; 0 when it does not say
	pages   int // pages the list announces; 0 when it does not say
}

// readPages asks for pages from, from+1, … of a list served page by page
// (ask gives the request of page n), until the pages or records announced
// are read, a page brings nothing new, or the cap. last is the last page
// known from the list page, -1 when unknown; total the records announced,
// 0 when unknown; seen the records read already. It returns the records
// announced.
func (r *listRead) readPages(ctx context.Context, lf listFetcher, from, last, total int, seen recordCounter,
	ask func(n int) (*url.URL, url.Values), parse func(string) (pageData, bool)) int {
	for n := from; last < 0 || n <= last; n++ {
		if total > 0 && len(seen) >= total {
			break
		}
		u, form := ask(n)
		if u == nil {
			r.gap("", GapRequest, fmt.Sprintf("no request for page %d", n))
			break
		}
		if n-from >= maxListPages {
			r.gap(u.String(), GapLimit, fmt.Sprintf("list request cap of %d reached", maxListPages))
			break
		}
		text, err := lf.data(ctx, u, form)
		r.requests++
		if err != nil {
			r.failed(u, err)
			if errors.Is(err, errListStopped) || (last < 0 && total == 0) {
				break // the crawl stopped, or nothing says where the list ends
			}
			continue
		}
		d, ok := parse(text)
		if !ok {
			r.gap(u.String(), GapRequest, "the answer holds no list")
			if last < 0 && total == 0 {
				break
			}
			continue
		}
		total = max(total, d.total)
		if d.pages > 0 {
			last = d.pages
		}
		r.items = append(r.items, d.items...)
		if seen.add(d.records...) == 0 {
			break // an empty or repeated page: the list ends here
		}
	}
	return total
}

// short records a list that announced more records than were read, unless
// a gap already says why.
func (r *listRead) short(u string, read, total int) {
	if total > 0 && read < total && len(r.gaps) == 0 {
		r.gap(u, GapShort, fmt.Sprintf("%d of %d records read", read, total))
	}
}
