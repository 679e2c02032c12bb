package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
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
// The region and the latest review decision close each row, empty when
// unknown.
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
		t.hRegion, t.hReview, t.hReviewer, t.hReviewedAt, t.hReason,
	}); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	for _, r := range v.findingRows() {
		year := ""
		if r.year > 0 {
			year = strconv.Itoa(r.year)
		}
		if err := write(append([]string{r.source, r.siteURL, r.agency, year, r.kind}, r.cells(v)...)); err != nil {
			return fmt.Errorf("write csv row for %s: %w", r.source, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
