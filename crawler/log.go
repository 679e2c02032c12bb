package crawler

import (
	"fmt"
	"strings"
	"unicode"
)

// logSafe escapes what a log line must not carry from untrusted text:
// control characters (escape sequences, line breaks that would forge a
// line) and invisible format characters such as the bidi overrides
// U+202A–U+202E and U+2066–U+2069, written as \x1b or \u202e. Invalid
// UTF-8 becomes U+FFFD.
func logSafe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !unsafeRune(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d')
}
