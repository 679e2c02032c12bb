package crawler

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"regexp"

	"github.com/PuerkitoBio/goquery"
)

// crawlColumn reads every list page of the column, collecting entries.
func (s *siteCrawl) crawlColumn(ctx context.Context, first *fetched) {
	own := newListTally()
	queue := []*fetched{first}
	listKeys := map[string]bool{urlKey(mustParse(first.res.FinalURL)): true, urlKey(mustParse(first.res.URL)): true}
	var pending []listLink
	lists := []*listTally{own}
	listOf := map[string]*listTally{} // list page read (final URL) → its list
	entryKeys := map[string]bool{}
	colDir := ""
	if fu, err := url.Parse(first.res.FinalURL); err == nil {
		colDir = dirOf(fu)
	}
	triedIframe := false
	mainList := ""
	announced := 0 // pages a pager says the list has (共N页)
	var render columnRender
	for n := 0; n < maxListPages && !s.halted(); n++ {
		var f *fetched
		list := own
		rendered := false
		if len(queue) > 0 {
			f, queue = queue[0], queue[1:]
		} else if len(pending) > 0 {
			var l listLink
			l, pending = pending[0], pending[1:]
			f, list = s.fetch(ctx, l.u, "", rolePage), l.list
		} else if f = s.nextRendered(ctx, &render); f != nil {
			rendered = true // a page read again as the browser shows it
			list = cmp.Or(listOf[f.res.FinalURL], own)
		} else {
			break
		}
		if f.stopped {
			break
		}
		if f.res.Err != nil {
			list.failed++
			s.gap(MechanismStatic, f.res.URL, GapRequest, fmt.Sprintf("list page %s could not be read (%s)", f.res.URL, f.res.Err.Class))
			continue
		}
		if f.doc == nil {
			continue
		}
		// read once: the text of a page is long, and the pager and the readers need it
		total := announcedTotal(f.doc.Text())
		var reads []listRead
		if !rendered {
			s.site.ListPages = append(s.site.ListPages, f.res.FinalURL)
			listOf[f.res.FinalURL] = list
			var runs bool
			reads, runs = s.readLists(ctx, f, total)
			render.add(f, runs)
		}
		pages := pagerPages(f.doc, f.base, total)
		announced = max(announced, total)
		list.announced = max(list.announced, total)
		for _, r := range reads {
			pages = append(pages, r.pages...)
			list.whole = list.whole || r.readsWhole()
		}
		for _, p := range pages {
			k := urlKey(p)
			if listKeys[k] || !s.scope.contains(p) || trap(p) != "" {
				continue
			}
			listKeys[k] = true
			pending = append(pending, listLink{p, list})
		}
		items, sig := listEntries(f.doc, f.base, s.scope, listKeys, mainList)
		if mainList == "" && len(items) > 0 {
			mainList = sig
		}
		for _, r := range reads {
			items = append(items, r.items...)
		}
		list.read(f.res.FinalURL, items)
		for _, it := range items {
			k := urlKey(it.u)
			if entryKeys[k] {
				continue
			}
			entryKeys[k] = true
			s.site.Entries = append(s.site.Entries, Entry{Title: it.title, URL: it.u.String(), ListDate: it.date})
		}
		// Columns split by year (「2024年」 → a list of that year), or
		// a landing page of sub-columns (区政府年报, 部门年报) without
		// entries of its own.
		if n == 0 {
			for _, l := range pageLinks(f.doc.Selection, f.base) {
				k := urlKey(l.u)
				if listKeys[k] || entryKeys[k] || !s.scope.contains(l.u) || trap(l.u) != "" || docExts[extOf(l.u)] {
					continue
				}
				sc, _ := columnScore(l)
				if yearColumnRe.MatchString(l.label()) || (len(items) == 0 && sc > 0) {
					listKeys[k] = true
					sub := newListTally()
					lists = append(lists, sub)
					pending = append(pending, listLink{l.u, sub})
				}
			}
		}
		// Some columns show their list in an iframe.
		if len(items) == 0 && len(pages) == 0 && !triedIframe {
			triedIframe = true
			f.doc.Find("iframe[src]").EachWithBreak(func(_ int, fr *goquery.Selection) bool {
				u := parseLink(f.base, fr.AttrOr("src", ""))
				if u == nil || !s.scope.contains(u) || listKeys[urlKey(u)] || docExts[extOf(u)] {
					return true
				}
				listKeys[urlKey(u)] = true
				pending = append(pending, listLink{u, list})
				return false
			})
		}
	}
	switch read := len(s.site.ListPages); {
	case s.halted():
		s.gap(MechanismStatic, s.site.Column, GapLimit, s.site.Incomplete)
	case len(pending) > 0 || announced > maxListPages:
		found := max(int64(read+len(pending)), int64(announced))
		s.logf("list page cap of %d reached in %s; %d list pages not read", maxListPages, colDir, found-int64(read))
		s.limit(LimitListPages, maxListPages, found, s.site.Column)
		s.gap(MechanismStatic, s.site.Column, GapLimit, fmt.Sprintf("list page cap of %d reached: %d of %d list pages read", maxListPages, read, found))
	default:
		// A pager the crawl cannot follow leaves pages unread that
		// nothing else notices: the years they list are unknown.
		for _, l := range lists {
			if n := len(l.pages); !l.whole && n+l.failed < l.announced {
				s.logf("pager of %s announces %d pages; %d read", l.first, l.announced, n)
				s.gap(MechanismStatic, l.first, GapShort, fmt.Sprintf("%d of %d list pages read", n, l.announced))
			}
		}
	}
}

// listLink is a list page to read and the list it belongs to.
type listLink struct {
	u    *url.URL
	list *listTally
}

// listTally is one list of a column (its own, or a year's or sub-column's)
// as read: the pages its pagers announce against the pages read. A page
// counts as read when it lists an entry no earlier page of the list did, so
// that page 1 linked again as page_1 or ?page=1 is not counted twice.
type listTally struct {
	first     string          // its first page read
	announced int             // pages its pagers announce (共N页)
	failed    int             // pages that could not be fetched: gaps of their own
	whole     bool            // a reader read the whole list and says itself what it missed
	entries   map[string]bool // entries its pages listed
	pages     map[string]bool // its pages that listed a new entry
}

func newListTally() *listTally {
	return &listTally{entries: map[string]bool{}, pages: map[string]bool{}}
}

// read notes the entries page listed.
func (l *listTally) read(page string, items []listItem) {
	if l.first == "" {
		l.first = page
	}
	for _, it := range items {
		if k := urlKey(it.u); !l.entries[k] {
			l.entries[k] = true
			l.pages[page] = true
		}
	}
}

// yearColumnRe matches links to a year's part of a column: 2024年, 2024年度.
var yearColumnRe = regexp.MustCompile(`^(19|20)\d{2}(年度?)?$`)
