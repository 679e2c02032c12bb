package main

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/result"
)

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cm := newCommand("report", "report --scan latest|ID [flags]",
		"Writes a stored scan as check would have: any format of check, on standard output or to -o files.\n"+
			"--site, --agency and --region keep some sites only.", stderr)
	var sf storeFlags
	sf.register(cm.fs)
	var c checkFlags
	fs := cm.fs
	fs.StringVar(&c.format, "format", "table", "format of the report on standard output: "+strings.Join(reports.Formats(), ", "))
	fs.Var(&c.outputs, "o", "write the report to this file, in the format its extension names (.json .csv .md .html .txt .xlsx); repeat for several")
	fs.StringVar(&c.failOn, "fail-on", "error", "exit 1 when a finding is at least this severe: error, warning, info or none")
	fs.BoolVar(&c.color, "color", false, "colour severities in the table format")
	scanFlag := fs.String("scan", "latest", "the scan: latest or an ID")
	site := fs.String("site", "", "only this site (its URL)")
	agency := fs.String("agency", "", "only sites whose agency name contains this")
	region := fs.String("region", "", "only sites of this region (as the sites file names it)")
	from := fs.String("from", "", "report a saved 'check --format json' file (- for standard input) instead of the store")
	sitesFile := fs.String("sites", "", "with --from: the sites file whose regions group the report (one XLSX sheet per region)")
	pos, err := cm.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("ogicheck report: unexpected argument %q", pos[0])
	}
	if !reports.Supports(c.format) {
		return usagef("ogicheck report: --format %q: want one of %s", c.format, strings.Join(reports.Formats(), ", "))
	}
	minSev, err := c.minSeverity()
	if err != nil {
		return usagef("ogicheck report: %v", err)
	}
	id, err := parseScan(*scanFlag)
	if err != nil {
		return usagef("ogicheck report: %v", err)
	}
	if *from != "" {
		return reportFile(*from, *sitesFile, &c, cm, minSev, stdout, stderr)
	}
	if *sitesFile != "" {
		return usagef("ogicheck report: --sites goes with --from (a stored scan knows its regions)")
	}
	outs, err := openOutputs(c.outputs, c.format)
	if err != nil {
		return err
	}
	st, err := sf.open(ctx)
	if err != nil {
		closeOutputs(outs)
		return err
	}
	defer st.Close()
	if id == 0 {
		sc, err := st.LatestScan(ctx)
		if err != nil {
			closeOutputs(outs)
			return err
		}
		id = sc.ID
	}
	res, err := storedResult(ctx, st, id, store.SiteFilter{URL: *site, Agency: *agency, Region: *region})
	if err != nil {
		closeOutputs(outs)
		return err
	}
	res.Schema = result.Schema
	if c.regions, c.reviews, err = storeAnnotations(ctx, st, id, cm.location()); err != nil {
		closeOutputs(outs)
		return err
	}
	con := newConsole(stderr)
	log := con.logger(&cm.common)
	if err := writeResult(res, outs, &c, &cm.common, stdout, log); err != nil {
		return err
	}
	// An unfinished scan is said in the report, its missing sites listed
	// as unchecked (exit 3); it is not an interruption of this command.
	if res.Incomplete != "" {
		log.Warn("the scan is not complete: the report holds the sites stored so far and lists the others as unchecked",
			"scan", id, "state", res.Incomplete)
	}
	return outcome(res, minSev, log)
}

// storedResult is a stored scan's result with the sites it has no result
// of (not worked yet, or failed for good) added as unchecked sites with the
// reason, so that a report never leaves an agency out without a word.
func storedResult(ctx context.Context, st *store.Store, scan int64, f store.SiteFilter) (*result.Result, error) {
	res, err := st.Result(ctx, scan, f)
	if err != nil {
		return nil, err
	}
	missing, err := st.UnstoredSites(ctx, scan, f)
	if err != nil {
		return nil, err
	}
	for _, m := range missing {
		why := result.Msg("扫描尚未检查该站点", "the scan has not checked this site yet")
		if m.State == "failed" {
			why = result.Msg("扫描未能检查并保存该站点：%s", "the scan could not check and store this site: %s", m.Error)
		}
		res.Sites = append(res.Sites, &result.Site{URL: m.URL, Agency: m.Name, Unchecked: why,
			Reports: []result.SiteReport{}, Errors: []result.FetchError{}, Findings: []result.Finding{}})
	}
	return res, nil
}

// reportFile writes a saved check result in other formats, grouped by the
// regions of a sites file when one is given.
func reportFile(path, sitesFile string, c *checkFlags, cm *command, minSev result.Severity, stdout, stderr io.Writer) error {
	res, err := readResult(path)
	if err != nil {
		return usagef("ogicheck report: --from %v", err)
	}
	if sitesFile != "" {
		if c.regions, err = fileRegions(sitesFile); err != nil {
			return usagef("ogicheck report: --sites %v", err)
		}
	}
	outs, err := openOutputs(c.outputs, c.format)
	if err != nil {
		return err
	}
	log := newConsole(stderr).logger(&cm.common)
	if err := writeResult(res, outs, c, &cm.common, stdout, log); err != nil {
		return err
	}
	err = outcome(res, minSev, log)
	// The saved run was cut short: the report says so, and so does the
	// exit status (3: not everything was checked); it is not an
	// interruption of this command.
	if res.Incomplete != "" {
		log.Warn("the saved result is incomplete", "why", res.Incomplete)
		if err == nil || errors.Is(err, errFindings) {
			err = errUnchecked
		}
	}
	return err
}
