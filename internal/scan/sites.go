package scan

import (
	"context"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/extract"
	"github.com/ogicheck/ogicheck/internal/result"
	"github.com/ogicheck/ogicheck/rules"
)

// Sites crawls the sites and checks every report found, then the sites.
func Sites(ctx context.Context, urls []string, ccfg crawler.Config, opts Options) *result.Result {
	opts.defaults()
	if ccfg.MaxBodySize == 0 {
		ccfg.MaxBodySize = opts.Limits.MaxBytes
	}
	// Each site is read and analysed as soon as its crawl ends, on as many
	// goroutines as there are CPUs, while the other sites are still being
	// crawled; bodies are dropped once read. Only the rules wait for all
	// sites, since some of them compare reports across sites' years.
	type checked struct {
		reports []*annual.Report
		site    *rules.Site
		result  *result.Site
	}
	done := map[*crawler.Site]*checked{}
	var mu sync.Mutex
	work := make(chan *crawler.Site, len(urls))
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(urls))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for cs := range work {
				rs, site, sr := checkSite(ctx, cs, opts)
				release(cs)
				mu.Lock()
				done[cs] = &checked{rs, site, sr}
				mu.Unlock()
			}
		}()
	}
	ccfg.OnSite = func(cs *crawler.Site) { work <- cs }
	crawled := crawler.Crawl(ctx, ccfg, urls)
	close(work)
	wg.Wait()
	var reports []*annual.Report
	var sites []*rules.Site
	var siteResults []*result.Site
	for _, cs := range crawled {
		c := done[cs]
		if c == nil { // not handed over (cannot happen unless the crawler changes)
			rs, site, sr := checkSite(ctx, cs, opts)
			c = &checked{rs, site, sr}
		}
		reports = append(reports, c.reports...)
		sites = append(sites, c.site)
		siteResults = append(siteResults, c.result)
	}
	return Assemble(opts, reports, sites, siteResults)
}

// release drops a checked site's bodies: only the documents read from them
// are needed from here on, and a scan of hundreds of sites would otherwise
// hold every page and attachment in memory.
func release(cs *crawler.Site) {
	for i := range cs.Entries {
		e := &cs.Entries[i]
		if e.Page != nil {
			e.Page.Body = nil
		}
		for j := range e.Attachments {
			e.Attachments[j].Body = nil
		}
	}
}

// entryDocs reads one column entry: its page, and its attachments when the
// page itself is only a cover for them. The page's dates and title carry
// over to the attachments, which have none of their own.
func entryDocs(ctx context.Context, site string, e crawler.Entry, opts Options) []*annual.Report {
	extra := []document.Meta{}
	if e.ListDate != "" {
		extra = append(extra, document.Meta{Label: dates.LabelList, Value: e.ListDate})
	}
	if d, ok := dates.InURL(e.URL); ok {
		extra = append(extra, document.Meta{Label: dates.LabelURL, Value: d})
	}
	kind := ""
	if annual.ReportTitle(e.Title) {
		kind = result.KindAnnualReport
	}
	var page *annual.Report
	if e.Page != nil && e.Page.Err == nil && len(e.Page.Body) > 0 {
		in := document.Input{Source: e.URL, Data: e.Page.Body, ContentType: "text/html; charset=utf-8", Limits: opts.Limits}
		if f := extract.Sniff(e.Page.Body, e.URL, e.Page.ContentType); f != extract.HTML && f != extract.Text {
			in.ContentType = e.Page.ContentType // the entry links straight to a file
		}
		page = Analyze(ctx, in, opts, annual.Options{Extra: extra, Title: e.Title}, kind)
		page.Site = site
		if substantial(page) || len(e.Attachments) == 0 {
			return []*annual.Report{page}
		}
	}
	// The page is a cover: the report is in the attachments.
	pageDates := extra
	if page != nil {
		pageDates = append(pageDates, page.Doc.Meta...)
	}
	title := e.Title
	if page != nil && page.Title != "" {
		title = page.Title
	}
	var out []*annual.Report
	for _, a := range e.Attachments {
		if a.Err != nil || len(a.Body) == 0 {
			continue
		}
		in := document.Input{Source: a.URL, Data: a.Body, ContentType: a.ContentType, Limits: opts.Limits}
		hint := title
		if annual.ReportTitle(a.LinkText) {
			hint = a.LinkText
		}
		r := Analyze(ctx, in, opts, annual.Options{Extra: pageDates, Title: hint}, kind)
		r.Site = site
		out = append(out, r)
	}
	if len(out) == 0 && page != nil && len(e.Attachments) == 0 {
		out = append(out, page)
	}
	// A cover page whose attachments all failed has nothing to check: the
	// broken links are the finding (SITE-BROKEN-LINK).
	// Several copies of one report (a .doc and a .pdf) would be checked
	// twice: keep the one read best.
	if len(out) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return readScore(out[i]) > readScore(out[j]) })
		best := out[:1]
		for _, r := range out[1:] {
			if r.IsReport() && r.Year != best[0].Year {
				best = append(best, r) // a different report filed under the same entry
			}
		}
		out = best
	}
	return out
}

// substantial: the page itself carries the report (sections or tables), not
// just a link to an attachment.
func substantial(r *annual.Report) bool {
	return len(r.Sections) >= 3 || r.Tables["三"] != nil
}

func readScore(r *annual.Report) int {
	s := len(r.Sections) + 3*len(r.Tables)
	if r.IsReport() {
		s += 10
	}
	if r.Unreadable() {
		s -= 20
	}
	return s
}

func checkSite(ctx context.Context, cs *crawler.Site, opts Options) ([]*annual.Report, *rules.Site, *result.Site) {
	site := &rules.Site{URL: cs.Start, Column: cs.Column, Errors: cs.Errors}
	sr := &result.Site{URL: cs.Start, Column: cs.Column, ColumnFrom: cs.ColumnFrom, Pages: cs.Pages, Bytes: cs.Bytes,
		Requests: cs.Requests, Incomplete: cs.Incomplete,
		NotModified: cs.NotModified, Errors: cs.Errors, Reports: []result.SiteReport{}, Duration: cs.Duration.Round(1e6).String()}
	if sr.Errors == nil {
		sr.Errors = []result.FetchError{}
	}
	errs := map[string]result.FetchError{}
	for _, fe := range cs.Errors {
		errs[fe.URL] = fe
	}
	var reports []*annual.Report
	levels := map[string]int{}
	agencies := map[string]int{}
	years := map[int]bool{}
	for _, e := range cs.Entries {
		docs := entryDocs(ctx, cs.Start, e, opts)
		entry := rules.Entry{Title: e.Title, URL: e.URL, Year: annual.TitleYear(e.Title), Report: annual.ReportTitle(e.Title)}
		kind := result.KindOther
		if entry.Report {
			kind = result.KindAnnualReport
		}
		for _, r := range docs {
			reports = append(reports, r)
			if r.Unreadable() {
				continue
			}
			if r.IsReport() {
				entry.Report, kind = true, result.KindAnnualReport
				if r.Year != 0 {
					entry.Year = r.Year
				}
				levels[r.Level]++
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
		if entry.Report && entry.Year != 0 {
			years[entry.Year] = true
		}
		site.Entries = append(site.Entries, entry)
		sr.Reports = append(sr.Reports, result.SiteReport{Title: e.Title, URL: e.URL, ListDate: e.ListDate, Year: entry.Year, Kind: kind})
	}
	site.Level = most(levels)
	sr.Agency = most(agencies)
	for y := range years {
		sr.Years = append(sr.Years, y)
	}
	sort.Ints(sr.Years)
	return reports, site, sr
}

func most(m map[string]int) string {
	best, n := "", 0
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
