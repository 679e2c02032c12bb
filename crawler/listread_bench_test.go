package crawler

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ogicheck/ogicheck/internal/charset"
	"github.com/ogicheck/ogicheck/internal/simnet"
)

// BenchmarkListReaders measures what the list readers add to reading a
// static list page: on the list pages of the generated sites (markup lists
// in the four pager styles) it times reading the page's markup (pager and
// entries, what every list page costs) and running the list readers on it,
// and reports markup plus readers over markup alone as "x-markup".
func BenchmarkListReaders(b *testing.B) {
	n, err := simnet.Start(simnet.Config{Seed: 1, NoListSites: true})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close()
	type page struct {
		doc  *goquery.Document
		base string
	}
	var pages []page
	for _, s := range n.Sites {
		for _, u := range s.ListPages {
			resp, err := http.Get(u)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(charset.Decode(body, resp.Header.Get("Content-Type")).Text))
			if err != nil {
				b.Fatal(err)
			}
			pages = append(pages, page{doc, u})
		}
	}
	markup := func(p page) {
		base := mustParse(p.base)
		listPages(p.doc, base)
		listEntries(p.doc, base, newScope(base), nil, "")
	}
	readers := func(p page) {
		base := mustParse(p.base)
		readScriptLists(context.Background(), &fakeLists{}, newListPage(p.doc, base, newScope(base)))
	}
	// both in the same loop, in alternating order, so that the machine's
	// load and the collector weigh on each alike
	var tMarkup, tReaders time.Duration
	rounds := 0
	time1 := func(f func(page)) time.Duration {
		t0 := time.Now()
		for _, p := range pages {
			f(p)
		}
		return time.Since(t0)
	}
	for b.Loop() {
		if rounds%2 == 0 {
			tMarkup += time1(markup)
			tReaders += time1(readers)
		} else {
			tReaders += time1(readers)
			tMarkup += time1(markup)
		}
		rounds++
	}
	b.ReportMetric(float64(len(pages)), "pages")
	b.ReportMetric(float64(tMarkup.Microseconds())/float64(rounds), "µs-markup")
	b.ReportMetric(float64(tReaders.Microseconds())/float64(rounds), "µs-readers")
	b.ReportMetric(float64(tMarkup+tReaders)/float64(tMarkup), "x-markup")
}
