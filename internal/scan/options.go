package scan

import (
	"errors"
	"fmt"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/rules"
)

// Options configure a check: what the user knows better than the pages and
// the years sites must cover (rules.Config, which carries annual.Options),
// the readers' limits and the rules to run. It is the one options value:
// the analysis and the rules get their parts of it, never copies.
type Options struct {
	rules.Config
	Limits     document.Limits // readers' budgets per document
	DocTimeout time.Duration   // time to read one document; default 2 min
	Rules      []*rules.Rule   // nil: all
	Version    string          // the tool's version, for the result
	// Fetched, when set, is called with each crawled entry and the
	// documents read from it before its bodies are dropped, so that a
	// store can archive what was fetched. It runs on the checking
	// goroutines.
	Fetched func(e *crawler.Entry, docs []*annual.Report)
}

// DefaultDocTimeout bounds the time spent reading one document.
const DefaultDocTimeout = 2 * time.Minute

// Validate reports what is wrong with the options, all of it at once.
func (o *Options) Validate() error {
	var errs []error
	if err := o.Config.Validate(); err != nil {
		errs = append(errs, err)
	}
	l := o.Limits
	if l.MaxBytes < 0 || l.MaxUnpacked < 0 || l.MaxPages < 0 || l.MaxCells < 0 {
		errs = append(errs, fmt.Errorf("limits %+v: sizes and counts cannot be negative", l))
	}
	if o.DocTimeout < 0 {
		errs = append(errs, fmt.Errorf("time per document %v cannot be negative", o.DocTimeout))
	}
	return errors.Join(errs...)
}

func (o *Options) defaults() {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Rules == nil {
		o.Rules = rules.All()
	}
	if o.DocTimeout <= 0 {
		o.DocTimeout = DefaultDocTimeout
	}
	o.Limits = o.Limits.WithDefaults()
}
