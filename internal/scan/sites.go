package scan

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/extract"
	"github.com/ogicheck/ogicheck/result"
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
	// sites: they see the whole result at once.
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
		c := done[cs] // the crawler hands over every site, canceled ones too
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
// page itself is only a cover for them or lacks the tables. The page's dates
// and title carry over to the attachments, which have none of their own.
func entryDocs(ctx context.Context, site string, e crawler.Entry, opts Options) []*annual.Report {
	var extra []document.Meta
	if e.ListDate != "" {
		extra = append(extra, document.Meta{Label: dates.LabelList, Value: e.ListDate})
	}
	if d, ok := dates.InURL(e.URL); ok {
		extra = append(extra, document.Meta{Label: dates.LabelURL, Value: d})
	}
	var kind result.Kind
	if annual.ReportTitle(e.Title) {
		kind = result.KindAnnualReport
	}
	var page *annual.Report
	if e.Page != nil && e.Page.Err == nil && len(e.Page.Body) > 0 {
		// the crawler decoded the page to UTF-8 (a file the entry links to
		// straight comes as its one attachment, not as the page)
		in := document.Input{Source: e.URL, Data: e.Page.Body, ContentType: "text/html; charset=utf-8", Limits: opts.Limits}
		page = Analyze(ctx, in, opts, annual.Options{Extra: extra, Title: e.Title}, kind)
		page.Site = site
		if len(e.Attachments) == 0 {
			return []*annual.Report{page}
		}
		if substantial(page) {
			// The text is on the page; the tables may be attached
			// (「附件：统计表.xls」): read them together.
			if missingTables(page) {
				if merged := withAttachments(ctx, page, e, opts, extra, kind); merged != nil {
					return []*annual.Report{merged}
				}
			}
			return []*annual.Report{page}
		}
	}
	// The page is a cover: the reports are in the attachments.
	pageDates := slices.Clone(extra)
	title := e.Title
	if page != nil {
		pageDates = append(pageDates, page.Doc.Meta...)
		if page.Title != "" {
			title = page.Title
		}
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
	// A cover page whose attachments all failed has nothing to check: the
	// broken links are the finding (SITE-BROKEN-LINK).
	return distinct(out)
}

// distinct keeps one document per report: copies of one report (a .doc and
// a .pdf of it) would be checked twice, so of each agency's year the one
// read best stays; reports of other agencies or years stay too (a cover
// page for every township's report). Without any report, the best-read
// document stays, so that what it is (or why it cannot be read) is said.
func distinct(docs []*annual.Report) []*annual.Report {
	if len(docs) < 2 {
		return docs
	}
	sorted := slices.Clone(docs)
	sort.SliceStable(sorted, func(i, j int) bool { return readScore(sorted[i]) > readScore(sorted[j]) })
	seen := map[string]bool{}
	var out []*annual.Report
	for _, r := range sorted {
		if !r.IsReport() || r.Unreadable() {
			continue
		}
		k := fmt.Sprint(strings.TrimSpace(r.Agency), "\x00", r.Year)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = sorted[:1]
	}
	return out
}

// missingTables: a templated report without one of its tables.
func missingTables(r *annual.Report) bool {
	if r.Template != result.Template2019 && r.Template != result.Template2021 {
		return false
	}
	return r.Tables["二"] == nil || r.Tables["三"] == nil || r.Tables["四"] == nil
}

// withAttachments reads the page and its readable attachments as one
// document, and returns it when the attachments supply tables the page
// lacks; nil otherwise.
func withAttachments(ctx context.Context, page *annual.Report, e crawler.Entry, opts Options, extra []document.Meta, kind result.Kind) *annual.Report {
	d := *page.Doc
	d.Blocks = slices.Clone(page.Doc.Blocks)
	var used []string
	for _, a := range e.Attachments {
		if a.Err != nil || len(a.Body) == 0 {
			continue
		}
		ad, err := extract.Read(ctx, document.Input{Source: a.URL, Data: a.Body, ContentType: a.ContentType, Limits: opts.Limits})
		if err != nil {
			continue
		}
		// only the tables, without headings and paragraphs laid out in
		// them: an attachment that repeats the report's text would
		// otherwise double its sections
		for _, b := range ad.Blocks {
			if b.Table == nil {
				continue
			}
			t := &document.Table{Ragged: b.Table.Ragged}
			for _, row := range b.Table.Rows {
				if text, ok := annual.SoleText(row); !ok || (annual.SectionNumber(text) == 0 && len([]rune(text)) <= 40) {
					t.Rows = append(t.Rows, row)
				}
			}
			if len(t.Rows) > 0 {
				d.Blocks = append(d.Blocks, document.Block{Table: t})
			}
		}
		used = append(used, a.URL)
	}
	if len(used) == 0 {
		return nil
	}
	aopts := page.Options
	merged := annual.Analyze(&d, aopts)
	if len(merged.Tables) <= len(page.Tables) {
		return nil
	}
	merged.Site = page.Site
	merged.Attachments = used
	return merged
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
	levels := map[result.Level]int{}
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
					entry.Years = append(entry.Years, r.Year)
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
		if entry.Report {
			for _, y := range append([]int{entry.Year}, entry.Years...) {
				if y != 0 {
					years[y] = true
				}
			}
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
