package jobs

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/rules"
)

// Settings are a scan's settings, stored with the scan so that every
// worker, on whichever machine, checks its sites alike.
type Settings struct {
	Deadlines  annual.Deadlines `json:"deadlines"`
	Now        time.Time        `json:"now,omitzero"` // deadlines' today; zero: when the scan started
	FirstYear  int              `json:"first_year,omitempty"`
	LastYear   int              `json:"last_year,omitempty"`
	Rules      []string         `json:"rules,omitempty"` // IDs of the rules run; none: all
	MaxBytes   int64            `json:"max_bytes,omitempty"`
	DocTimeout time.Duration    `json:"doc_timeout,omitempty"`

	UserAgent     string             `json:"user_agent,omitempty"`
	Delay         time.Duration      `json:"delay"` // 0: none
	MaxPages      int                `json:"max_pages,omitempty"`
	Timeout       time.Duration      `json:"timeout,omitempty"`
	Retries       int                `json:"retries"` // 0: none
	BackoffBase   time.Duration      `json:"backoff_base,omitempty"`
	IgnoreRobots  bool               `json:"ignore_robots,omitempty"`
	NoCache       bool               `json:"no_cache,omitempty"` // no conditional requests from the store's HTTP cache
	SiteTimeout   time.Duration      `json:"site_timeout,omitempty"`
	MaxCrawlDelay time.Duration      `json:"max_crawl_delay,omitempty"`
	FreshFor      time.Duration      `json:"fresh_for,omitempty"` // 0: every entry's page and file revalidated
	Render        crawler.RenderMode `json:"render,omitempty"`
	Browser       string             `json:"browser,omitempty"`
}

// ParseSettings reads stored settings.
func ParseSettings(b []byte) (Settings, error) {
	var s Settings
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("the scan's settings: %w", err)
	}
	return s, nil
}

// Options are the check's options for a scan that started at started.
func (s Settings) Options(version string, started time.Time) (scan.Options, error) {
	var o scan.Options
	o.Version = version
	o.Deadlines = s.Deadlines
	o.Now = s.Now
	if o.Now.IsZero() {
		o.Now = started
	}
	o.FirstYear, o.LastYear = s.FirstYear, s.LastYear
	o.Limits.MaxBytes = s.MaxBytes
	o.DocTimeout = s.DocTimeout
	for _, id := range s.Rules {
		r := rules.Lookup(id)
		if r == nil {
			return o, fmt.Errorf("the scan's settings name rule %q, which this version does not have", id)
		}
		o.Rules = append(o.Rules, r)
	}
	return o, o.Validate()
}

// Crawl is the crawler's configuration: the defaults, with what the
// settings say (a zero Delay or Retries is none).
func (s Settings) Crawl() crawler.Config {
	c := crawler.DefaultConfig()
	c.Delay, c.Retries, c.IgnoreRobots, c.Parallel = s.Delay, s.Retries, s.IgnoreRobots, 1
	set := func(dst *time.Duration, v time.Duration) {
		if v > 0 {
			*dst = v
		}
	}
	set(&c.Timeout, s.Timeout)
	set(&c.BackoffBase, s.BackoffBase)
	set(&c.SiteTimeout, s.SiteTimeout)
	set(&c.MaxCrawlDelay, s.MaxCrawlDelay)
	c.FreshFor, c.Browser = s.FreshFor, s.Browser
	if m, err := crawler.ParseRenderMode(string(s.Render)); err == nil {
		c.Render = m
	}
	if s.UserAgent != "" {
		c.UserAgent = s.UserAgent
	}
	if s.MaxPages > 0 {
		c.MaxPages = s.MaxPages
	}
	if s.MaxBytes > 0 {
		c.MaxBodySize = s.MaxBytes
	}
	return c
}
