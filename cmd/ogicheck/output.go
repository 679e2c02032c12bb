package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/result"
)

// outputFlag collects repeated -o flags.
type outputFlag []string

func (o *outputFlag) String() string { return strings.Join(*o, ",") }

func (o *outputFlag) Set(s string) error {
	*o = append(*o, s)
	return nil
}

// formatByExt maps file name extensions to report formats.
var formatByExt = map[string]string{
	".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
	".html": "html", ".htm": "html", ".txt": "table", ".xlsx": "xlsx",
}

// output is one place a report goes.
type output struct {
	path   string // "" for standard output
	format string
	tmp    *os.File // where the report is written before it replaces path
}

// openOutputs checks every -o path before any work is done: its format is
// known from the extension and its directory is writable. The reports are
// written to temporary files there, which replace the paths only when
// complete, so that a failed run never leaves half a report.
func openOutputs(paths []string, stdoutFormat string) ([]*output, error) {
	var outs []*output
	for _, p := range paths {
		ext := strings.ToLower(filepath.Ext(p))
		f, ok := formatByExt[ext]
		if !ok {
			closeOutputs(outs)
			return nil, usagef("-o %s: cannot tell the format from the extension %q (use .json, .csv, .md, .html, .txt or .xlsx)", p, ext)
		}
		if !reports.Supports(f) {
			closeOutputs(outs)
			return nil, usagef("-o %s: the %s format is not available", p, f)
		}
		tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*.tmp")
		if err != nil {
			closeOutputs(outs)
			return nil, usagef("-o %s: cannot write there: %v", p, err)
		}
		outs = append(outs, &output{path: p, format: f, tmp: tmp})
	}
	if len(outs) == 0 {
		outs = append(outs, &output{format: stdoutFormat})
	}
	return outs, nil
}

// closeOutputs removes the temporary files of outputs not written. It may
// be called again: an output is closed once.
func closeOutputs(outs []*output) {
	for _, o := range outs {
		if o.tmp != nil {
			o.tmp.Close()
			os.Remove(o.tmp.Name())
			o.tmp = nil
		}
	}
}

// writeOutputs writes the result to every output; files replace their
// paths only once written completely.
func writeOutputs(outs []*output, res *result.Result, opts reports.Options, stdout io.Writer) error {
	defer closeOutputs(outs)
	for _, o := range outs {
		opts.Format = o.format
		if o.path == "" {
			if err := reports.Write(stdout, res, opts); err != nil {
				return fmt.Errorf("write the report: %w", err)
			}
			continue
		}
		err := reports.Write(o.tmp, res, opts)
		if cerr := o.tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(o.tmp.Name(), 0o644) // CreateTemp's 0600 is for secrets, not reports
		}
		if err == nil {
			err = os.Rename(o.tmp.Name(), o.path)
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", o.path, err)
		}
		o.tmp = nil
	}
	return nil
}
