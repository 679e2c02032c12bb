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
	DefaultDelay         = time.Second
	DefaultMaxPages      = 500
	DefaultMaxBodySize   = 50 << 20
	DefaultTimeout       = 30 * time.Second
	DefaultRetries       = 3
	DefaultBackoffBase   = 500 * time.Millisecond
	DefaultParallel      = 8
	DefaultSiteTimeout   = 10 * time.Minute
	DefaultMaxCrawlDelay = time.Minute
	ContactURL           = "https://github.com/ogicheck/ogicheck"
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

// Config controls a crawl. Start from DefaultConfig: Delay and Retries
// mean what they say, so 0 is no delay and no retry (a negative value is
// taken as 0). The other fields take their default when zero.
type Config struct {
	UserAgent   string        // default DefaultUserAgent()
	Delay       time.Duration // between requests to one host (DefaultDelay); robots Crawl-delay wins if larger, up to MaxCrawlDelay
	MaxPages    int           // URLs fetched per site, default 500
	MaxBodySize int64         // default 50 MiB; a larger body is a body-too-large error, never truncated
	Timeout     time.Duration // per request, redirects and body included; default 30s
	SiteTimeout time.Duration // per site: the crawl stops there with a SITE-LIMIT finding; default 10 min
	// MaxCrawlDelay caps a robots.txt Crawl-delay (default 1 min); a
	// capped delay is reported as a limit.
	MaxCrawlDelay time.Duration
	Retries       int           // retries of transient failures (DefaultRetries); 0 sends one request per URL
	BackoffBase   time.Duration // first retry wait, doubled each retry, jittered, capped at 10s; default 500ms
	IgnoreRobots  bool          // default false: robots.txt is obeyed
	Parallel      int           // sites crawled at once, default 8
	Cache         Cache         // optional: conditional requests from a previous crawl
	// FreshFor lets an entry's page or file that the cache holds, and that
	// was fetched or revalidated less than FreshFor ago, be taken from the
	// cache without a request (0, the default: every one is revalidated).
	// List and discovery pages are always requested, so new and removed
	// entries are always seen; a report changed in place is seen once its
	// copy is older than FreshFor.
	FreshFor  time.Duration
	Transport http.RoundTripper
	HostGate  HostGate                         // optional: politeness shared with other Crawls and processes
	Logf      func(format string, args ...any) // optional progress
	// OnEntry, when set, is called with each entry of a site's column as
	// soon as its page and attachments are fetched, from the goroutine
	// that crawls the site, before the next entry is fetched. The entry's
	// bodies are dropped when it returns: the Site keeps its entries
	// without bodies, and a caller reads each document here. An entry cut
	// short by cancellation is not delivered. Without OnEntry the bodies
	// stay on the Site for OnSite.
	OnEntry func(*Site, *Entry)
	// MemoryBudget bounds, across the sites of a Crawl, the bodies that
	// wait in memory for their entry to complete (an entry's page while
	// its attachments download); bodies beyond it wait in temporary files
	// in SpillDir (default os.TempDir()), removed once delivered. Default
	// DefaultMemoryBudget. Used with OnEntry.
	MemoryBudget int64
	SpillDir     string
	// Render says when list pages are rendered in headless Chromium:
	// RenderAuto (default) renders a column that lists no report but
	// carries scripts, RenderNever renders nothing (such lists are
	// unreadable), RenderAlways renders every list page.
	Render        RenderMode
	Browser       string        // Chromium executable; default: chromium, chromium-browser, google-chrome… on PATH
	RenderTimeout time.Duration // per rendered page, its requests included; default 30s
	RenderPages   int           // pages rendered per site; default 5
	// OnSite, when set, is called with each site as soon as its crawl is
	// done, from the goroutine that crawled it, so that a caller can start
	// checking it while other sites are still being crawled. The Site must
	// not be changed before Crawl returns.
	OnSite func(*Site)
	// Counters, when set, are updated as pages arrive and fail.
	Counters *Counters

	clock  clock      // tests observe waits through it
	lookup lookupFunc // tests put public names in front of local servers
	dial   dialFunc
}

// Cache keeps the validators and bodies of a previous crawl for conditional
// requests: Get returns an error for a key it does not hold. *cache.Cache
// is one kept in a directory.
type Cache interface {
	Get(key string) (*cache.Entry, error)
	Put(key string, e *cache.Entry) error
}

// DefaultConfig is the configuration of a polite crawl: every field at its
// default.
func DefaultConfig() Config {
	c := Config{Delay: DefaultDelay, Retries: DefaultRetries}
	return c.withDefaults()
}

// withDefaults fills the fields whose zero value means "default"; Delay
// and Retries mean what they say.
func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent()
	}
	c.Delay = max(c.Delay, 0)
	c.Retries = max(c.Retries, 0)
	orDefault(&c.MaxPages, DefaultMaxPages)
	orDefault(&c.MaxBodySize, DefaultMaxBodySize)
	orDefault(&c.Timeout, DefaultTimeout)
	orDefault(&c.BackoffBase, DefaultBackoffBase)
	orDefault(&c.SiteTimeout, DefaultSiteTimeout)
	orDefault(&c.MaxCrawlDelay, DefaultMaxCrawlDelay)
	orDefault(&c.MemoryBudget, DefaultMemoryBudget)
	orDefault(&c.Parallel, DefaultParallel)
	if c.Render == "" {
		c.Render = RenderAuto
	}
	orDefault(&c.RenderTimeout, DefaultRenderTimeout)
	orDefault(&c.RenderPages, DefaultRenderPages)
	if c.clock == nil {
		c.clock = realClock{}
	}
	return c
}

// orDefault sets *v to d unless it is positive.
func orDefault[T int | int64 | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}
