package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// Location says where a finding is, in words that stay the same from one
// scan to the next while the finding does: never the message, which the
// rules may reword, nor a value found, which may change with a correction.
//
// A document's finding is located by the report (its agency when it is a
// report, else the path of its URL), the section, and the table cell;
// a site's finding by the URL it names and the year.
func Location(d *result.Document, f result.Finding) string {
	e := f.Evidence
	var b strings.Builder
	if d == nil {
		b.WriteString("site")
		if e.URL != "" {
			b.WriteString("|u=" + urlKey(e.URL))
		}
	} else {
		b.WriteString("doc")
		switch {
		case d.Kind == result.KindAnnualReport && d.Agency != "" && d.Year != nil:
			b.WriteString("|a=" + strings.Join(strings.Fields(d.Agency), ""))
		default:
			b.WriteString("|u=" + urlKey(d.Source))
		}
		if e.URL != "" && urlKey(e.URL) != urlKey(d.Source) {
			b.WriteString("|l=" + urlKey(e.URL))
		}
	}
	if e.Section != 0 {
		b.WriteString("|s=" + strconv.Itoa(e.Section))
	}
	for _, p := range []struct{ k, v string }{{"t", e.Table}, {"r", e.Row}, {"c", e.Column}} {
		if p.v != "" {
			b.WriteString("|" + p.k + "=" + p.v)
		}
	}
	if d != nil && e.Year != 0 && (d.Year == nil || *d.Year != e.Year) {
		b.WriteString("|y=" + strconv.Itoa(e.Year)) // a cross-year finding names the other year
	}
	return b.String()
}

// urlKey is a URL without its scheme, fragment or final slash: a site
// moving to https keeps its findings.
func urlKey(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	u.Scheme, u.Fragment = "", ""
	return strings.TrimSuffix(strings.TrimPrefix(u.String(), "//"), "/")
}

// Year is the report year a finding is about: the document's, or for a
// site's finding the year its evidence names; 0 when none.
func Year(d *result.Document, f result.Finding) int {
	if d != nil && d.Year != nil {
		return *d.Year
	}
	return f.Evidence.Year
}

// Fingerprint identifies a finding across scans: rule + site + report year
// + location. n counts earlier findings of one site with the same four in
// one scan (0 for the first), so that each keeps its own.
func Fingerprint(rule, site string, year int, location string, n int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s", rule, urlKey(site), year, location)
	if n > 0 {
		fmt.Fprintf(h, "\x00%d", n)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// fingerprinter numbers the findings of one site of one scan.
type fingerprinter struct {
	site string
	seen map[string]int
}

func (p *fingerprinter) of(d *result.Document, f result.Finding) (fp, loc string, year int) {
	loc = Location(d, f)
	year = Year(d, f)
	key := fmt.Sprintf("%s\x00%d\x00%s", f.Rule, year, loc)
	n := p.seen[key]
	p.seen[key] = n + 1
	return Fingerprint(f.Rule, p.site, year, loc, n), loc, year
}
