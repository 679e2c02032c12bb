package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func isRadical(r rune) bool {
	return (r >= 0x2E80 && r <= 0x2FDF) || (r >= 0xF900 && r <= 0xFAFF) || (r >= 0x2F800 && r <= 0x2FA1F)
}

// radicalToIdeograph maps a Kangxi/CJK radical or compatibility ideograph
// to its unified ideograph. Only these blocks are normalised: full NFKC
// would also turn full-width punctuation （） into ASCII.
func radicalToIdeograph(r rune) rune {
	s := norm.NFKC.String(string(r))
	if m, n := utf8.DecodeRuneInString(s); n == len(s) && m != utf8.RuneError {
		return m
	}
	return r
}

// isWide reports whether r is a CJK character or full-width punctuation,
// between which spaces are layout artefacts rather than word breaks.
func isWide(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x9FFF, // radicals, kana, CJK symbols and punctuation, ideographs
		r >= 0xAC00 && r <= 0xD7AF, // Hangul
		r >= 0xF900 && r <= 0xFAFF,
		r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFFEF, // full-width forms
		r >= 0x20000 && r <= 0x3FFFF,
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·':
		return true
	}
	return false
}

// words joins pieces of text from one line or paragraph, one piece at a
// time in time linear in the text (a line can have millions of pieces): a
// space asked for between two pieces is kept only between two narrow
// (Latin, digit) characters, because spaces next to Chinese characters
// come from justification or cell padding.
type words struct {
	sb   strings.Builder
	last rune // last character written
}

func (w *words) add(b string, space bool) {
	if b == "" {
		return
	}
	if space && w.sb.Len() > 0 {
		if rb, _ := utf8.DecodeRuneInString(b); !isWide(w.last) && !isWide(rb) {
			w.sb.WriteByte(' ')
		}
	}
	w.sb.WriteString(b)
	w.last, _ = utf8.DecodeLastRuneInString(b)
}

func (w *words) String() string { return w.sb.String() }

// normalizeCell collapses whitespace and removes spaces next to CJK
// characters: 「总 计」→「总计」, 「重 新出具」→「重新出具」.
func normalizeCell(s string) string {
	var w words
	for _, f := range strings.FieldsFunc(s, unicode.IsSpace) {
		w.add(f, true)
	}
	return w.String()
}

// isNumeric reports whether a cell holds a number as tables print them:
// 21, 7730.28, 1,234, -5, 12%, or a dash/zero placeholder.
func isNumeric(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	switch s {
	case "-", "—", "－", "/", "／", "——", "--", "–":
		return true
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			digits++
		case r == '.' || r == ',' || r == '，' || r == '．' || r == '%' || r == '％':
		case (r == '-' || r == '+' || r == '－') && i == 0:
		default:
			return false
		}
	}
	return digits > 0
}
