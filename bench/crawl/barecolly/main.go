// Command barecolly is the baseline of the crawl benchmark: plain colly
// collectors fetching a given list of URLs with the same politeness as
// ogicheck (one request at a time per site, a delay between requests,
// robots.txt obeyed, several sites at once) and nothing else: no link
// extraction, no checks; the only decoding is colly's default conversion of
// bodies whose Content-Type names a charset. Colly fetches robots.txt once
// per site, outside its LimitRule, so without a delay after it.
//
//	barecolly -list urls.json [-delay 100ms] [-parallel 8]
//
// The list is a JSON array of sites, {"home", "crawl_delay_ms", "urls"}.
// It prints a JSON summary (responses, requests, bytes, errors) on stdout.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
)

// site is one entry of the URL list.
type site struct {
	Home         string   `json:"home"`
	CrawlDelayMS int      `json:"crawl_delay_ms"` // robots.txt Crawl-delay, 0 when none
	URLs         []string `json:"urls"`
}

// summary is what the benchmark reads back.
type summary struct {
	Responses int64 `json:"responses"` // HTTP answers, error statuses included
	Requests  int64 `json:"requests"`  // requests sent (robots.txt not counted)
	Bytes     int64 `json:"bytes"`     // body bytes received
	Errors    int64 `json:"errors"`    // transport errors and non-2xx answers
}

func main() {
	list := flag.String("list", "", "JSON list of sites and their URLs")
	delay := flag.Duration("delay", 100*time.Millisecond, "pause between requests to one site (a longer robots.txt Crawl-delay wins)")
	parallel := flag.Int("parallel", 8, "sites fetched at once")
	ignoreRobots := flag.Bool("ignore-robots", false, "do not fetch or obey robots.txt")
	timeout := flag.Duration("timeout", 30*time.Second, "timeout of one request")
	flag.Parse()
	if *list == "" || *parallel < 1 {
		fmt.Fprintln(os.Stderr, "usage: barecolly -list urls.json [-delay 100ms] [-parallel 8]")
		os.Exit(2)
	}
	data, err := os.ReadFile(*list)
	if err != nil {
		fmt.Fprintln(os.Stderr, "barecolly:", err)
		os.Exit(2)
	}
	var sites []site
	if err := json.Unmarshal(data, &sites); err != nil {
		fmt.Fprintf(os.Stderr, "barecolly: %s: %v\n", *list, err)
		os.Exit(2)
	}
	var sum summary
	jobs := make(chan site)
	var wg sync.WaitGroup
	for range min(*parallel, len(sites)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				d := max(*delay, time.Duration(s.CrawlDelayMS)*time.Millisecond)
				if err := fetchSite(s, d, *timeout, *ignoreRobots, &sum); err != nil {
					fmt.Fprintf(os.Stderr, "barecolly: %s: %v\n", s.Home, err)
				}
			}
		}()
	}
	for _, s := range sites {
		jobs <- s
	}
	close(jobs)
	wg.Wait()
	if err := json.NewEncoder(os.Stdout).Encode(&sum); err != nil {
		fmt.Fprintln(os.Stderr, "barecolly:", err)
		os.Exit(1)
	}
}

// fetchSite fetches one site's URLs in order with a synchronous collector
// of its own. Its LimitRule sleeps d after each response before the next
// request may start, the same spacing as ogicheck's per-host gate.
func fetchSite(s site, d, timeout time.Duration, ignoreRobots bool, sum *summary) error {
	c := colly.NewCollector()
	c.IgnoreRobotsTxt = ignoreRobots // colly ignores robots.txt by default; ogicheck obeys it
	c.AllowURLRevisit = true         // the list has no duplicates; skip colly's visited store
	c.MaxBodySize = 50 << 20         // ogicheck's default limit
	c.SetRequestTimeout(timeout)
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1, Delay: d}); err != nil {
		return fmt.Errorf("limit rule: %w", err)
	}
	c.OnRequest(func(*colly.Request) { atomic.AddInt64(&sum.Requests, 1) })
	c.OnResponse(func(r *colly.Response) {
		atomic.AddInt64(&sum.Responses, 1)
		atomic.AddInt64(&sum.Bytes, int64(len(r.Body)))
	})
	c.OnError(func(r *colly.Response, err error) {
		atomic.AddInt64(&sum.Errors, 1)
		if r.StatusCode != 0 {
			atomic.AddInt64(&sum.Responses, 1)
			atomic.AddInt64(&sum.Bytes, int64(len(r.Body)))
		}
	})
	for _, u := range s.URLs {
		if err := c.Visit(u); err != nil && errors.Is(err, colly.ErrRobotsTxtBlocked) {
			atomic.AddInt64(&sum.Errors, 1) // not sent; other failures are counted in OnError
		}
	}
	return nil
}
