package reports

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"
	"github.com/mattn/go-runewidth"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Text that came from a web page (titles, snippets, cell values, URLs,
// error strings) is untrusted: it may carry terminal escape sequences,
// control characters or bidirectional overrides that would rewrite what a
// reviewer sees. Every writer except JSON (which escapes them as data)
// passes each string through clean first.

// stripEscapes removes ANSI/ECMA-48 escape sequences: CSI (ESC [ … final),
// OSC, DCS, SOS, PM and APC strings (terminated by BEL or ESC \), and
// two-character ESC sequences. A lone ESC at the end is dropped.
func stripEscapes(s string) string {
	if strings.IndexByte(s, 0x1b) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != 0x1b {
			b.WriteByte(s[i])
			i++
			continue
		}
		i++ // ESC
		if i >= len(s) {
			break
		}
		switch s[i] {
		case '[': // CSI: parameters 0x30–0x3f, intermediates 0x20–0x2f, final 0x40–0x7e
			i++
			for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
				i++
			}
			if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
				i++
			}
		case ']', 'P', 'X', '^', '_': // string sequences up to BEL or ST
			i++
			for i < len(s) {
				if s[i] == 0x07 {
					i++
					break
				}
				if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
					i += 2
					break
				}
				i++
			}
		default:
			// ESC followed by one character (ESC c, ESC 7…); skip it whole
			// so that a multi-byte character is not cut in half.
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	}
	return b.String()
}

// clean makes untrusted text safe to print: invalid UTF-8 becomes U+FFFD,
// escape sequences go, CR LF and CR become LF (kept only when keepNewlines,
// otherwise a space), tabs become spaces, and all other control characters
// and invisible format characters (bidi overrides, BOM, zero-width space)
// are dropped. ZWJ and ZWNJ stay: emoji and some scripts need them.
func clean(s string, keepNewlines bool) string {
	s = stripEscapes(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s))
	nl := " "
	if keepNewlines {
		nl = "\n"
	}
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteString(nl)
		case r == '\n', r == '\u2028', r == '\u2029':
			b.WriteString(nl)
		case r == '\t':
			b.WriteByte(' ')
		case r == '\u200c', r == '\u200d':
			b.WriteRune(r)
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Clean is the rule the writers apply to untrusted text, for one line of a
// terminal or a log record: invalid UTF-8 becomes U+FFFD, escape sequences,
// control characters and invisible format characters (bidi overrides, BOM,
// zero-width space) go, and line breaks (U+2028 too) and tabs become
// spaces.
func Clean(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return clean(s, false)
		}
	}
	return s // printable ASCII: nothing to do, and no copy
}

// oneLine is clean text on one line with runs of white space collapsed.
func oneLine(s string) string {
	return strings.Join(strings.Fields(clean(s, false)), " ")
}

// ambiguous maps frequent East-Asian-ambiguous punctuation to characters of
// a fixed width. Terminals set to "ambiguous = wide" (common with Chinese
// locales) draw “ ” … — · ① as two columns, others as one; either way a
// table containing them would be misaligned somewhere. Used by the terminal
// table only; other formats keep the text as it is.
var ambiguous = strings.NewReplacer(
	"“", `"`, "”", `"`, "‘", "'", "’", "'",
	"…", "...", "—", "-", "–", "-", "―", "-",
	"·", "・", "※", "*", "≤", "<=", "≥", ">=",
	"①", "(1)", "②", "(2)", "③", "(3)", "④", "(4)", "⑤", "(5)",
	"⑥", "(6)", "⑦", "(7)", "⑧", "(8)", "⑨", "(9)", "⑩", "(10)",
	"⑴", "(1)", "⑵", "(2)", "⑶", "(3)", "⑷", "(4)", "⑸", "(5)",
	"Ⅰ", "I", "Ⅱ", "II", "Ⅲ", "III", "Ⅳ", "IV", "Ⅴ", "V", "Ⅵ", "VI",
)

// termText is untrusted text prepared for one terminal line.
func termText(s string) string {
	s = ambiguous.Replace(oneLine(s))
	// Replacing a cluster can make its neighbours form a new one (regional
	// indicators pair up): repeat until nothing changes.
	for range 4 {
		t := singleWidthClusters(s)
		if t == s {
			return s
		}
		s = t
	}
	return strings.Map(func(r rune) rune {
		if r < 0x80 {
			return r
		}
		return '?'
	}, s)
}

// agreed tells whether tablewriter and a grapheme-aware measure give g the
// same width, also after a preceding character: a cluster that starts with
// a combining mark or an emoji modifier would join the space before it.
func agreed(g string) bool {
	w := twwidth.WidthWithOptions(g, twwidth.Options{})
	return w == narrow.StringWidth(g) && narrow.StringWidth(" "+g) == 1+w
}

var narrow = func() *runewidth.Condition {
	c := runewidth.NewCondition()
	c.EastAsianWidth = false
	return c
}()

// singleWidthClusters replaces each grapheme cluster whose width is not
// agreed on by its first rune, or by "?" when that is still disputed.
// tablewriter adds up code points (👍🏽 is 2+2), grapheme-aware terminals
// draw the cluster once (2 columns): emoji with skin tones, ZWJ sequences,
// VS16 presentation and lone regional indicators would misalign the table.
// Clusters both measures agree on, such as e + combining acute, stay whole.
func singleWidthClusters(s string) string {
	simple := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			simple = false
			break
		}
	}
	if simple {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	it := graphemes.FromString(s)
	for it.Next() {
		g := it.Value()
		if agreed(g) {
			b.WriteString(g)
			continue
		}
		if r, _ := utf8.DecodeRuneInString(g); agreed(string(r)) {
			b.WriteRune(r)
			continue
		}
		b.WriteByte('?')
	}
	return b.String()
}

var plainNegative = regexp.MustCompile(`^-[0-9]+(\.[0-9]+)?$`)

// csvCell makes a value safe for a spreadsheet. A cell whose first
// non-blank character is = + - @ TAB or CR is read as a formula by Excel,
// LibreOffice and WPS (formula injection, e.g. =HYPERLINK or DDE payloads);
// such cells get a leading apostrophe, so that they are read as text (the
// apostrophe may stay visible: the price of safety). Plain negative numbers
// such as -8 (table 二 records decreases that way) are left alone: they are
// read as numbers and cannot carry a formula.
func csvCell(s string) string {
	s = clean(s, true)
	t := strings.TrimLeft(s, " \n\u3000")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		if t == s && plainNegative.MatchString(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// webURL returns u when it is an absolute http or https URL safe to use as
// a link target, "" otherwise (javascript:, data:, relative or malformed).
func webURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || strings.ContainsFunc(u, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
	}) {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.User != nil {
		return ""
	}
	if s := strings.ToLower(p.Scheme); s != "http" && s != "https" {
		return ""
	}
	return u
}

// itoa is strconv.Itoa, shorter at call sites in templates and tables.
func itoa(n int) string { return strconv.Itoa(n) }
