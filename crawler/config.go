package crawler

import (
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/internal/cache"
)

// Defaults of Config.
const (
	DefaultDelay       = time.Second
	DefaultMaxPages    = 500
	DefaultMaxBodySize = 50 << 20
	DefaultTimeout     = 30 * time.Second
	DefaultRetries     = 3
	DefaultBackoffBase = 500 * time.Millisecond
	DefaultParallel    = 8
	ContactURL         = "https://github.com/ogicheck/ogicheck"
)

// DefaultUserAgent names the tool, its version and where to reach its
// authors.
func DefaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "ogicheck/" + v + " (+" + ContactURL + ")"
}

// Config controls a crawl. Zero values mean the defaults; Delay and Retries
// take a negative value for "none".
type Config struct {
	UserAgent    string        // default DefaultUserAgent()
	Delay        time.Duration // between requests to one host; default 1s; robots Crawl-delay wins if larger (up to 60s)
	MaxPages     int           // URLs fetched per site, default 500
	MaxBodySize  int64         // default 50 MiB; a larger body is a body-too-large error, never truncated
	Timeout      time.Duration // per request: for the response headers and for any stall of the body (a steady download may take 20×); default 30s
	Retries      int           // retries of transient failures, default 3
	BackoffBase  time.Duration // first retry wait, doubled each retry, jittered, capped at 10s; default 500ms
	IgnoreRobots bool          // default false: robots.txt is obeyed
	Parallel     int           // sites crawled at once, default 8
	Cache        *cache.Cache  // optional: conditional requests from a previous crawl
	Transport    http.RoundTripper
	Logf         func(format string, args ...any) // optional progress
	// OnSite, when set, is called with each site as soon as its crawl is
	// done, from the goroutine that crawled it, so that a caller can start
	// checking it while other sites are still being crawled. The Site must
	// not be changed before Crawl returns.
	OnSite func(*Site)

	clock clock // tests observe waits through it
}

func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent()
	}
	switch {
	case c.Delay == 0:
		c.Delay = DefaultDelay
	case c.Delay < 0:
		c.Delay = 0
	}
	if c.MaxPages <= 0 {
		c.MaxPages = DefaultMaxPages
	}
	if c.MaxBodySize <= 0 {
		c.MaxBodySize = DefaultMaxBodySize
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.Retries == 0:
		c.Retries = DefaultRetries
	case c.Retries < 0:
		c.Retries = 0
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = DefaultBackoffBase
	}
	if c.Parallel <= 0 {
		c.Parallel = DefaultParallel
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	return c
}
