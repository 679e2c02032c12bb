package crawler

import (
	"context"
	"fmt"
	"net/url"

	"github.com/ogicheck/ogicheck/internal/charset"
)

// postFormHeader carries the form of a list request by POST from fetchNew
// to the collector, so that a POST takes the path of every request:
// admission (robots.txt, the page limit), the host gate, retries and
// classification. The collector removes it; it never reaches the network.
const postFormHeader = "X-Ogicheck-Post-Form"

// get fetches u for a list: by GET through fetch, or by POST of form,
// remembered by URL and form.
func (s *siteCrawl) get(ctx context.Context, u *url.URL, form url.Values) *fetched {
	if form == nil {
		return s.fetch(ctx, u, "", rolePage)
	}
	key := urlKey(u) + "\x00POST " + form.Encode()
	if f, ok := s.done[key]; ok {
		return f
	}
	f := s.fetchNew(ctx, u, key, "", rolePage, form)
	s.done[key] = f
	return f
}

// data answers a list reader's request (listFetcher): the text of the
// answer, or why there is none.
func (s *siteCrawl) data(ctx context.Context, u *url.URL, form url.Values) (string, error) {
	if !s.scope.contains(u) {
		return "", fmt.Errorf("%s is outside the site", u)
	}
	f := s.get(ctx, u, form)
	if f.stopped || (f.res.Err != nil && s.halted()) {
		return "", fmt.Errorf("%w: %s", errListStopped, s.site.Incomplete)
	}
	if f.res.Err != nil {
		return "", fmt.Errorf("%s (%s)", f.res.Err.Error, f.res.Err.Class)
	}
	return bodyText(f.res), nil
}

// bodyText is a fetched body as text: fetch decoded HTML already; other
// text (XML, JSON, scripts) is decoded here, GBK included.
func bodyText(res *Resource) string {
	if res.Charset != "" {
		return string(res.Body)
	}
	return string(charset.Decode(res.Body, res.ContentType).Text)
}

// readLists runs the list readers on a list page whose pager announces
// announced pages and records their gaps; runs says whether the page runs
// scripts.
func (s *siteCrawl) readLists(ctx context.Context, f *fetched, announced int) (reads []listRead, runs bool) {
	p := newListPage(f.doc, f.base, s.scope)
	p.announced = announced
	reads = readScriptLists(ctx, s, p)
	for _, r := range reads {
		if r.requests > 0 || len(r.gaps) > 0 {
			s.logf("%s list in %s: %d entries, %d requests, %d parts unread", r.mechanism, f.res.FinalURL, len(r.items), r.requests, len(r.gaps))
		}
		for _, g := range r.gaps {
			s.gap(g.Mechanism, g.URL, g.Reason, g.Detail)
		}
	}
	return reads, p.runs
}

// gap records a part of the column's list that could not be read; the
// first also says why in ListUnread.
func (s *siteCrawl) gap(mechanism, u, reason, detail string) {
	s.site.ListGaps = append(s.site.ListGaps, ListGap{Mechanism: mechanism, URL: u, Reason: reason, Detail: detail})
	why := detail
	if mechanism != MechanismStatic {
		why = mechanism + " list " + u + ": " + detail
	}
	s.listUnread(why)
}
