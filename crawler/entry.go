package crawler

import (
	"context"
	"net/url"
)

// fetchEntry fetches an entry's page and the files it links.
func (s *siteCrawl) fetchEntry(ctx context.Context, e *Entry) {
	u, err := url.Parse(e.URL)
	if err != nil {
		return
	}
	r := roleEntry
	if docExts[extOf(u)] || docExtOfText(e.Title) != "" {
		r = roleDoc
	}
	f := s.fetch(ctx, u, e.Title, r)
	if f.interrupted {
		return
	}
	if f.file {
		res := *f.res
		res.LinkText = e.Title
		e.Attachments = []Resource{res}
		return
	}
	if f.res.Err != nil {
		return
	}
	e.Page = f.res
	if f.doc == nil {
		return
	}
	for _, l := range attachmentLinks(f.doc, f.base, s.scope) {
		if s.halted() {
			break
		}
		af := s.fetch(ctx, l.u, l.text, roleDoc)
		if af.interrupted {
			break
		}
		res := *af.res
		res.LinkText = l.text
		e.Attachments = append(e.Attachments, res)
	}
}
