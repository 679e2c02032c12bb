package scan

import (
	"context"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/result"
	"github.com/ogicheck/ogicheck/rules"
)

// Sites crawls the sites and checks each one as soon as its crawl ends, on
// as many goroutines as there are CPUs, while other sites are still being
// crawled. done receives each site's result (the site and its documents),
// one call at a time, so that a caller can write or store it and let it
// go: nothing here holds more than the sites in progress.
func Sites(ctx context.Context, urls []string, ccfg crawler.Config, opts Options, done func(*result.Result)) {
	opts.defaults()
	if ccfg.MaxBodySize == 0 {
		ccfg.MaxBodySize = opts.Limits.MaxBytes
	}
	// Each entry is read as soon as the crawler delivers it, and the
	// crawler drops its bodies then: a site's bodies are never all held.
	var readMu sync.Mutex
	read := map[*crawler.Entry][]*annual.Report{}
	rd := newReader(&opts)
	ccfg.OnEntry = func(_ *crawler.Site, e *crawler.Entry) {
		docs := annual.ReadEntry(ctx, rd, entryOf(e), opts.Options)
		if opts.Fetched != nil {
			opts.Fetched(e, docs)
		}
		readMu.Lock()
		read[e] = docs
		readMu.Unlock()
	}
	taken := func(e *crawler.Entry) ([]*annual.Report, bool) {
		readMu.Lock()
		defer readMu.Unlock()
		docs, ok := read[e]
		delete(read, e)
		return docs, ok
	}
	var mu sync.Mutex
	work := make(chan *crawler.Site, len(urls))
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(urls))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for cs := range work {
				res := checkSite(ctx, cs, opts, taken)
				mu.Lock()
				done(res)
				mu.Unlock()
			}
		}()
	}
	ccfg.OnSite = func(cs *crawler.Site) { work <- cs }
	crawler.Crawl(ctx, ccfg, urls)
	close(work)
	wg.Wait()
}

// checkSite takes the documents read from each entry of a crawled site as
// it was delivered (reading those that were not, dropping each entry's
// bodies once read), then runs the rules over the site and its reports.
func checkSite(ctx context.Context, cs *crawler.Site, opts Options, taken func(*crawler.Entry) ([]*annual.Report, bool)) *result.Result {
	rd := newReader(&opts)
	facts := &rules.Site{URL: cs.Start, Column: cs.Column, Errors: cs.Errors, StartErr: cs.StartErr, Incomplete: cs.Incomplete,
		ListUnread: cs.ListUnread, ColumnBlocked: cs.ColumnBlocked}
	for _, l := range cs.Limits {
		facts.Limits = append(facts.Limits, rules.Limit{Name: l.Name, Max: l.Max, Count: l.Count, URL: l.URL})
	}
	for _, g := range cs.ListGaps {
		facts.Unread = append(facts.Unread, rules.ListGap{Mechanism: g.Mechanism, URL: g.URL, Reason: g.Reason, Detail: g.Detail})
	}
	out := &result.Site{URL: cs.Start, Column: cs.Column, ColumnFrom: cs.ColumnFrom, Pages: cs.Pages, Bytes: cs.Bytes,
		Requests: cs.Requests, Incomplete: cs.Incomplete, ListUnread: cs.ListUnread, ColumnBlocked: cs.ColumnBlocked,
		NotModified: cs.NotModified, Errors: cs.Errors,
		Reports: []result.SiteReport{}, Duration: cs.Duration.Round(1e6).String()}
	if out.Errors == nil {
		out.Errors = []result.FetchError{}
	}
	errs := map[string]result.FetchError{}
	for _, fe := range cs.Errors {
		errs[fe.URL] = fe
	}
	if fe := cs.StartErr; fe != nil {
		out.Unchecked = result.Msg("起始页面无法访问（%s）：%s", "the start page could not be fetched (%s): %s", fe.Class, fe.Error)
	}
	var reports []*annual.Report
	levels := map[result.Level]int{}
	tiers := map[result.Tier]int{}
	agencies := map[string]int{}
	years := map[int]bool{}
	for i := range cs.Entries {
		e := &cs.Entries[i]
		docs, ok := taken(e)
		if !ok {
			docs = annual.ReadEntry(ctx, rd, entryOf(e), opts.Options)
			if opts.Fetched != nil {
				opts.Fetched(e, docs)
			}
		}
		release(e)
		entry := rules.Entry{Title: e.Title, URL: e.URL, Year: annual.TitleYear(e.Title), Report: annual.ReportTitle(e.Title)}
		kind := result.KindOther
		if entry.Report {
			kind = result.KindAnnualReport
		}
		if len(docs) == 0 && e.Page == nil && len(e.Attachments) == 0 {
			entry.Unread = "not fetched"
		}
		for _, r := range docs {
			r.Site = cs.Start
			reports = append(reports, r)
			if r.Unreadable() {
				entry.Unread = "unreadable"
				continue
			}
			if r.IsReport() {
				entry.Report, kind = true, result.KindAnnualReport
				if r.Year != 0 {
					entry.Year = r.Year
					entry.Years = append(entry.Years, r.Year)
				}
				levels[r.Level]++
				tiers[r.Tier]++
				if r.Agency != "" {
					agencies[r.Agency]++
				}
			} else if len(docs) == 1 && !annual.ReportTitle(e.Title) {
				entry.Report, kind = false, result.KindOther
			}
		}
		switch {
		case e.Page != nil && e.Page.Err != nil:
			entry.Broken = append(entry.Broken, *e.Page.Err)
		case e.Page == nil && len(e.Attachments) == 0:
			// the crawler keeps a failed page's error on the site
			if fe, ok := errs[e.URL]; ok {
				entry.Broken = append(entry.Broken, fe)
			}
		}
		for _, a := range e.Attachments {
			if a.Err != nil {
				entry.Broken = append(entry.Broken, *a.Err)
			}
		}
		if entry.Report {
			for _, y := range append([]int{entry.Year}, entry.Years...) {
				if y != 0 {
					years[y] = true
				}
			}
		}
		facts.Entries = append(facts.Entries, entry)
		out.Reports = append(out.Reports, result.SiteReport{Title: e.Title, URL: e.URL, ListDate: e.ListDate, Year: entry.Year, Kind: kind})
	}
	facts.Level = most(levels)
	if facts.Level == result.LevelGovernment {
		facts.Tier = most(tiers)
	}
	out.Agency = most(agencies)
	for y := range years {
		out.Years = append(out.Years, y)
	}
	sort.Ints(out.Years)
	return Assemble(opts, reports, &site{facts: facts, out: out, interrupted: ctx.Err() != nil})
}

// entryOf turns a crawled entry into what the analysis reads: the page and
// the attachments, failed ones without data (their errors are the site
// rules').
func entryOf(e *crawler.Entry) annual.Entry {
	ae := annual.Entry{Title: e.Title, URL: e.URL, ListDate: e.ListDate}
	if e.Page != nil && e.Page.Err == nil && len(e.Page.Body) > 0 {
		// the crawler decoded the page to UTF-8 (a file the entry links
		// to straight comes as its one attachment, not as the page)
		ae.Page = &document.Input{Source: e.URL, Data: e.Page.Body, ContentType: "text/html; charset=utf-8"}
		if strings.HasSuffix(e.Page.CharsetFrom, "-repaired") {
			// repaired when the crawler decoded it
			ae.Page.Notes = []document.Note{document.RepairedUTF8(0)}
		}
	}
	for _, a := range e.Attachments {
		at := annual.Attachment{Input: document.Input{Source: a.URL, ContentType: a.ContentType}, LinkText: a.LinkText}
		if a.Err == nil {
			at.Data = a.Body
		}
		ae.Attachments = append(ae.Attachments, at)
	}
	return ae
}

// release drops an entry's bodies once read: only the documents read from
// them are needed from here on.
func release(e *crawler.Entry) {
	if e.Page != nil {
		e.Page.Body = nil
	}
	for j := range e.Attachments {
		e.Attachments[j].Body = nil
	}
}

func most[T ~string](m map[T]int) T {
	var best T
	n := 0
	for k, c := range m {
		if k != "" && (c > n || (c == n && k < best)) {
			best, n = k, c
		}
	}
	return best
}

// IsURL reports whether an argument names a site rather than a file.
func IsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// Collect crawls and checks the sites and returns one result with every
// site in the order given; Incomplete is "interrupted" when ctx ended the
// run early.
func Collect(ctx context.Context, urls []string, ccfg crawler.Config, opts Options) *result.Result {
	return CollectEach(ctx, urls, ccfg, opts, nil)
}

// CollectEach is Collect that also hands each site's result to each, if
// not nil, as soon as it is checked (for progress and logs).
func CollectEach(ctx context.Context, urls []string, ccfg crawler.Config, opts Options, each func(*result.Result)) *result.Result {
	order := map[string]int{}
	for i, u := range urls {
		if _, dup := order[u]; !dup {
			order[u] = i
		}
	}
	var parts []*result.Result
	Sites(ctx, urls, ccfg, opts, func(r *result.Result) {
		if each != nil {
			each(r)
		}
		parts = append(parts, r)
	})
	sort.SliceStable(parts, func(i, j int) bool { return order[parts[i].Sites[0].URL] < order[parts[j].Sites[0].URL] })
	out := &result.Result{Schema: result.Schema, Tool: "ogicheck " + opts.Version, Documents: []*result.Document{}}
	for _, p := range parts {
		Merge(out, p)
	}
	if ctx.Err() != nil {
		out.Incomplete = "interrupted"
	}
	return out
}
