package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ogicheck/ogicheck/internal/sitelist"
	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/result"
)

// storeAnnotations are a stored scan's regions (from the sites file) and
// review decisions, for reports: every decision on each finding, oldest
// first, and an expired dismissal shown as the finding reopened. Times are
// in loc (--tz): the store gives them in UTC, and the reviewers' app takes
// an expiry date as midnight in Asia/Shanghai, which is the day before in
// UTC.
func storeAnnotations(ctx context.Context, st *store.Store, scan int64, loc *time.Location) (map[string]string, func(*result.Site, *result.Document, result.Finding) []reports.Review, error) {
	regions, err := st.SiteRegions(ctx, scan)
	if err != nil {
		return nil, nil, err
	}
	decisions, err := st.ScanReviews(ctx, scan)
	if err != nil {
		return nil, nil, err
	}
	if len(decisions) == 0 {
		return regions, nil, nil
	}
	fps, err := st.ScanFingerprints(ctx, scan)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	return regions, func(s *result.Site, d *result.Document, f result.Finding) []reports.Review {
		site := ""
		switch {
		case s != nil:
			site = s.URL
		case d != nil:
			site = d.Site
		}
		var out []reports.Review
		for _, r := range decisions[fps.Of(site, d, f)] {
			out = append(out, reports.Review{State: r.Decision, Reason: r.Reason, By: r.Reviewer, At: r.Decided.In(loc), Expires: r.Expires.In(loc)})
		}
		if n := len(out); n > 0 && out[n-1].State == reports.ReviewDismissed && !out[n-1].Expires.IsZero() && !out[n-1].Expires.After(now) {
			out = append(out, reports.Review{State: reports.ReviewReopened, At: out[n-1].Expires})
		}
		return out
	}, nil
}

// readResult reads a saved `check --format json` (ogicheck/v1); "-" is
// standard input.
func readResult(path string) (*result.Result, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var res result.Result
	dec := json.NewDecoder(io.LimitReader(r, 1<<30))
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("%s: not a result of check --format json: %w", path, err)
	}
	if res.Schema != result.Schema {
		return nil, fmt.Errorf("%s: schema %q, want %q", path, res.Schema, result.Schema)
	}
	if res.Documents == nil && res.Sites == nil {
		return nil, errors.New(path + ": no documents and no sites")
	}
	return &res, nil
}

// fileRegions maps each site of a sites file to its region.
func fileRegions(path string) (map[string]string, error) {
	sites, err := sitelist.Load(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, s := range sites {
		out[s.URL] = s.Region
	}
	return out, nil
}
