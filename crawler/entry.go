package crawler

import (
	"context"
	"net/url"
)

// fetchEntry fetches an entry's page and the files it links. With
// Config.OnEntry the entry is delivered as soon as it is complete and its
// bodies dropped; while its attachments download, the bodies already
// fetched wait within the memory budget (see holding).
func (s *siteCrawl) fetchEntry(ctx context.Context, e *Entry) {
	streaming := s.run.cfg.OnEntry != nil
	h := s.newHolding()
	defer h.release()
	cut := false // interrupted: an entry cut short is not delivered
	defer func() {
		switch {
		case streaming && cut:
			dropBodies(e)
		case streaming:
			s.deliver(e, h)
		}
	}()

	u, err := url.Parse(e.URL)
	if err != nil {
		return
	}
	r := roleEntry
	if docExts[extOf(u)] || docExtOfText(e.Title) != "" {
		r = roleDoc
	}
	f := s.fetch(ctx, u, e.Title, r)
	if f.stopped {
		cut = true
		return
	}
	if f.file {
		res := *f.res
		res.LinkText = e.Title
		e.Attachments = []Resource{res}
		if streaming {
			f.res.Body = nil // the entry's copy is the one delivered
		}
		return
	}
	if f.res.Err != nil {
		return
	}
	e.Page = f.res
	if f.doc == nil {
		return
	}
	links := attachmentLinks(f.doc, f.base, s.scope)
	if streaming {
		f.doc = nil // the page's tree is not needed again
	}
	// No append may move the attachments: held bodies are kept by address.
	e.Attachments = make([]Resource, 0, len(links))
	var prev *[]byte
	for _, l := range links {
		if s.halted() {
			break
		}
		if streaming {
			if prev == nil {
				h.hold(&e.Page.Body)
			} else {
				h.hold(prev)
			}
		}
		af := s.fetch(ctx, l.u, l.text, roleDoc)
		if af.stopped {
			cut = true
			return
		}
		res := *af.res
		res.LinkText = l.text
		if streaming {
			af.res.Body = nil
		}
		e.Attachments = append(e.Attachments, res)
		prev = &e.Attachments[len(e.Attachments)-1].Body
	}
}
