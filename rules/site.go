package rules

import "github.com/ogicheck/ogicheck/result"

// Site is a crawled disclosure site as the site rules see it.
type Site struct {
	URL     string
	Column  string // the 年报 column; "" when none was found
	Entries []Entry
	Errors  []result.FetchError // every failed request of the crawl
	// StartErr is the failure that kept the start page from being read,
	// nil when it was read: the site could not be checked at all.
	StartErr *result.FetchError
	Level    result.Level // the agency level of the site's reports, "" when unknown
	Tier     result.Tier  // a government's tier, "" when unknown
	// Incomplete says why the crawl stopped early: interrupted, a limit
	// reached; "" when it ran to its end. What was not crawled is not
	// known to be missing.
	Incomplete string
	// ListUnread says why part of the column's list was not read (a
	// limit, an interruption, a list page that failed or that robots.txt
	// forbids); "" when it was read whole. Years the unread part could
	// hold are not known to be missing.
	ListUnread string
	// ColumnBlocked is the column, or a page on the way to it, that
	// robots.txt forbids, when no column was found for that reason.
	ColumnBlocked string
	Limits        []Limit // limits of the checker the crawl reached
	// Unread lists the parts of the column's list that could not be read
	// (SITE-LIST-UNREADABLE). A part unread for a limit is the end of the
	// list; any other may sit anywhere in it.
	Unread []ListGap
}

// Limit is a limit of the checker that a site's crawl reached.
type Limit struct {
	Name  string // max-pages, list-pages, site-timeout, crawl-delay
	Max   int64  // the limit: pages, list pages, seconds
	Count int64  // what the site needed: pages wanted, list pages found, seconds asked
	URL   string // where it was reached
}

// ListGap is a part of a column's list that could not be read.
type ListGap struct {
	Mechanism string // how the list is built: static, jcms, jsonp, script-array, base64, gkmlpt, search, script
	URL       string // the list page or data request not read
	// Reason is why: not-rendered, no-browser, render-failed,
	// request-failed, incomplete (fewer records than announced), limit.
	Reason string
	Detail string // the crawler's own account: an error, counts
}

// Entry is one item of the 年报 column.
type Entry struct {
	Title, URL string
	Year       int   // report year from the title or the content, 0 when unknown
	Years      []int // every report year the entry's documents cover, when several
	Report     bool  // the entry is an annual report
	// Broken lists the entry's failed links: its page or attachments.
	Broken []result.FetchError
	// Unread says why the entry's page or a document of it was not read
	// (not fetched before the crawl stopped, unreadable); "" when read.
	// Its year, unless its title gives it, is then unknown.
	Unread string
}
