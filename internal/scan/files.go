// Package scan runs a check end to end: it reads files or crawls sites,
// analyses every document, runs the rules and assembles the result model.
package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/extract"
	"github.com/ogicheck/ogicheck/result"
	"github.com/ogicheck/ogicheck/rules"
)

// Options configure a check.
type Options struct {
	Level     result.Level // agency level override
	Published string       // publication date override, YYYY-MM-DD
	Year      int          // report year override
	Deadlines annual.Deadlines
	Now       time.Time
	FirstYear int // years checked for presence on sites
	LastYear  int
	Limits    document.Limits
	// DocTimeout bounds the time spent reading one document; default 2 min.
	DocTimeout time.Duration
	Rules      []*rules.Rule // nil: all
	Version    string
}

func (o *Options) defaults() {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Rules == nil {
		o.Rules = rules.All()
	}
	if o.DocTimeout <= 0 {
		o.DocTimeout = 2 * time.Minute
	}
	o.Limits = o.Limits.WithDefaults()
}

// docExts are the files a directory walk picks up.
var docExts = map[string]bool{
	".html": true, ".htm": true, ".shtml": true, ".txt": true, ".text": true, ".pdf": true, ".doc": true,
	".docx": true, ".wps": true, ".xls": true, ".xlsx": true, ".et": true, ".ofd": true,
}

// InputError is a path that cannot be opened at all: a usage error, unlike
// a file that opens but cannot be parsed, which is a finding.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// Expand turns the arguments into file paths: directories are walked
// recursively for document files, "-" stays as stdin.
func Expand(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" {
			out = append(out, a)
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			return nil, &InputError{a, err}
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != a && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && docExts[strings.ToLower(filepath.Ext(p))] {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, &InputError{a, err}
		}
		if len(found) == 0 {
			return nil, &InputError{a, errors.New("no document files (.html, .txt, .pdf, .doc, .docx, .wps, .xls, .xlsx, .ofd) in directory")}
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// Files checks local files ("-" reads stdin).
func Files(ctx context.Context, paths []string, stdin io.Reader, opts Options) (*result.Result, error) {
	opts.defaults()
	var reports []*annual.Report
	hashes := map[*annual.Report]string{}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, over, err := readInput(p, stdin, opts.Limits.MaxBytes)
		var r *annual.Report
		switch {
		case err != nil:
			// a file found in a directory that cannot be read is a finding,
			// not the end of the run
			r = annual.Failed(p, "", "", err)
		case over:
			r = annual.Failed(p, extract.Sniff(data, p, ""), "", fmt.Errorf("%s: larger than %d bytes", p, opts.Limits.MaxBytes))
			r.Limit = fmt.Sprintf("the file is larger than the %d-byte limit (--max-body): not read", opts.Limits.MaxBytes)
		default:
			r = Analyze(ctx, document.Input{Source: p, Data: data, Limits: opts.Limits}, opts, annual.Options{}, "")
			hashes[r] = digest(data)
		}
		reports = append(reports, r)
	}
	res := Assemble(opts, reports, nil, nil)
	for i, r := range reports {
		res.Documents[i].SHA256 = hashes[r]
	}
	return res, nil
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// readInput reads a file or stdin up to limit bytes; over reports that
// there was more.
func readInput(p string, stdin io.Reader, limit int64) (data []byte, over bool, err error) {
	var r io.Reader
	if p == "-" {
		if stdin == nil {
			return nil, false, errors.New("no standard input")
		}
		r = stdin
	} else {
		f, err := os.Open(p)
		if err != nil {
			return nil, false, fmt.Errorf("open %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", p, err)
	}
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}

// Analyze reads one input and interprets it. A read failure becomes a
// report carrying the error, never a lost document. kind is what the
// context knows the document to be ("" when nothing).
func Analyze(ctx context.Context, in document.Input, opts Options, aopts annual.Options, kind result.Kind) *annual.Report {
	opts.defaults()
	format := extract.Sniff(in.Data, in.Source, in.ContentType)
	rctx, cancel := context.WithTimeout(ctx, opts.DocTimeout)
	d, err := extract.ReadAs(rctx, format, in)
	cancel()
	if err != nil {
		r := annual.Failed(in.Source, format, kind, err)
		switch {
		case ctx.Err() != nil:
			// stopped by the user: not a defect of the file
			r.Limit = "not read: the check was interrupted"
		case errors.Is(err, context.DeadlineExceeded):
			r.Limit = fmt.Sprintf("reading took longer than the %v limit per document", opts.DocTimeout)
		}
		return r
	}
	aopts.Level = firstNonEmpty(aopts.Level, opts.Level)
	aopts.Published = firstNonEmpty(aopts.Published, opts.Published)
	if aopts.Year == 0 {
		aopts.Year = opts.Year
	}
	aopts.Deadlines = opts.Deadlines
	aopts.Now = opts.Now
	return annual.Analyze(d, aopts)
}

func firstNonEmpty[T ~string](a, b T) T {
	if a != "" {
		return a
	}
	return b
}

// Assemble runs the rules and builds the result.
func Assemble(opts Options, reports []*annual.Report, sites []*rules.Site, siteResults []*result.Site) *result.Result {
	opts.defaults()
	cfg := rules.Config{Deadlines: opts.Deadlines, Now: opts.Now, FirstYear: opts.FirstYear, LastYear: opts.LastYear}
	found := rules.Check(cfg, opts.Rules, reports, sites)
	res := &result.Result{Schema: result.Schema, Tool: "ogicheck " + opts.Version, Documents: []*result.Document{}}
	for _, r := range reports {
		d := r.Result()
		d.Error = r.ReadError
		if fs := found.Docs[r]; fs != nil {
			d.Findings = fs
		}
		res.Documents = append(res.Documents, d)
	}
	for i, s := range sites {
		rs := siteResults[i]
		if fs := found.Sites[s]; fs != nil {
			rs.Findings = fs
		}
		if rs.Findings == nil {
			rs.Findings = []result.Finding{}
		}
		res.Sites = append(res.Sites, rs)
	}
	return res
}
