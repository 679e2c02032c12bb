package crawler

import (
	"context"
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/ogicheck/ogicheck/internal/charset"
)

// Markup hidden in base64 in a script and decoded in the browser, as some
// sites do with their pager (and some with the list itself):
//
//	var pageHtml = "PGEgaHJlZj0iaW5kZXhfMS5odG1sIj7kuIvkuIDpobU8L2E+";
//	document.getElementById("page").innerHTML = decodeURIComponent(escape(atob(pageHtml)));
//
// The fragments are read like the page's own markup.

// base64LiteralRe is a quoted string that may be base64: at least 16
// characters of its alphabet.
var base64LiteralRe = regexp.MustCompile(`["']([A-Za-z0-9+/]{16,}={0,2})["']`)

// maxBase64Literal bounds what is decoded per literal.
const maxBase64Literal = 1 << 20

// base64Fragments returns the HTML fragments that scripts carry in base64:
// literals that decode to text holding a link.
func base64Fragments(scripts string) []string {
	var out []string
	for _, m := range base64LiteralRe.FindAllStringSubmatch(scripts, 64) {
		lit := m[1]
		if len(lit) > maxBase64Literal {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(lit)
		if err != nil {
			if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(lit, "=")); err != nil {
				continue
			}
		}
		text := string(b)
		if !utf8.Valid(b) {
			// GBK pages encode their own bytes
			text = string(charset.Decode(b, "").Text)
		}
		// encodeURIComponent before btoa: %3Ca%20href…
		if strings.Contains(text, "%3C") || strings.Contains(text, "%3c") {
			if u, err := url.QueryUnescape(text); err == nil {
				text = u
			}
		}
		low := strings.ToLower(text)
		if strings.Contains(low, "<a") && strings.Contains(low, "href") {
			out = append(out, text)
		}
	}
	return out
}

// readBase64 reads the entries and list pages of markup a page's scripts
// carry in base64.
func readBase64(_ context.Context, _ listFetcher, p *listPage) (listRead, bool) {
	frags := base64Fragments(p.scripts)
	if len(frags) == 0 {
		return listRead{}, false
	}
	r := listRead{mechanism: MechanismBase64}
	for _, f := range frags {
		r.items = append(r.items, p.markupItems(f)...)
		if doc, err := goquery.NewDocumentFromReader(strings.NewReader(f)); err == nil {
			r.pages = append(r.pages, listPages(doc, p.base)...)
		}
	}
	return r, true
}
