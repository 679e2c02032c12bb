package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/ogicheck/ogicheck/result"
)

// utf8BOM starts the CSV file. Excel on Chinese Windows opens a .csv
// without BOM in the ANSI code page (GBK), turning UTF-8 Chinese into
// mojibake; with the BOM it reads UTF-8. Writing GB18030 instead would
// break every other consumer, which expects UTF-8; LibreOffice, WPS,
// pandas (encoding="utf-8-sig") and encoding/csv after a TrimPrefix all
// accept the BOM.
const utf8BOM = "\uFEFF"

// writeCSV writes one row per finding, documents' and sites' alike, after a
// header row in the chosen language. Lines end in CRLF (RFC 4180, what
// Excel writes). Every cell goes through csvCell (formula neutralisation).
// Severity and category are shown in words of the chosen language; the rule
// column keeps the rule ID for filtering.
func writeCSV(w *bytes.Buffer, v *view) error {
	t := v.t
	w.WriteString(utf8BOM)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	write := func(rec []string) error {
		for i := range rec {
			rec[i] = csvCell(rec[i])
		}
		return cw.Write(rec)
	}
	if err := write([]string{
		t.hSource, t.hSite, t.hAgency, t.hYear, t.hKind, t.hRule, t.hCategory, t.hSeverity, t.hMessage,
		t.hTable, t.hRow, t.hColumn, t.hExpected, t.hActual, t.hSnippet,
	}); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	row := func(source, site, agency, year, kind string, f result.Finding) error {
		table := ""
		if f.Evidence.Table != "" {
			table = t.tableName(f.Evidence.Table)
		}
		return write([]string{
			source, site, agency, year, kind,
			f.Rule, t.category(f.Category), t.severity(f.Severity), f.Message,
			table, f.Evidence.Row, f.Evidence.Column,
			f.Evidence.Expected, f.Evidence.Actual, f.Evidence.Snippet,
		})
	}
	for _, g := range v.groups() {
		if s := g.site; s != nil {
			for _, f := range s.Findings {
				source := f.Evidence.URL
				if source == "" {
					source = s.URL
				}
				year := ""
				if f.Evidence.Year > 0 {
					year = strconv.Itoa(f.Evidence.Year)
				}
				if err := row(source, s.URL, s.Agency, year, t.site, f); err != nil {
					return fmt.Errorf("write csv row for site %s: %w", s.URL, err)
				}
			}
		}
		for _, d := range g.docs {
			year := ""
			if d.Year != nil && *d.Year > 0 {
				year = strconv.Itoa(*d.Year)
			}
			for _, f := range d.Findings {
				if err := row(d.Source, d.Site, d.Agency, year, t.kind(d.Kind), f); err != nil {
					return fmt.Errorf("write csv row for %s: %w", d.Source, err)
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
