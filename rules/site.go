package rules

import "github.com/ogicheck/ogicheck/result"

// Site is a crawled disclosure site as the site rules see it.
type Site struct {
	URL     string
	Column  string // the 年报 column; "" when none was found
	Entries []Entry
	Errors  []result.FetchError // every failed request of the crawl
	Level   result.Level        // the agency level of the site's reports, "" when unknown
	// Incomplete says why the crawl stopped early: interrupted, a limit
	// reached; "" when it ran to its end. What was not crawled is not
	// known to be missing.
	Incomplete string
}

// Entry is one item of the 年报 column.
type Entry struct {
	Title, URL string
	Year       int   // report year from the title or the content, 0 when unknown
	Years      []int // every report year the entry's documents cover, when several
	Report     bool  // the entry is an annual report
	// Broken lists the entry's failed links: its page or attachments.
	Broken []result.FetchError
}
