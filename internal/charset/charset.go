// Package charset decodes web pages to UTF-8. Chinese government sites serve
// GBK/GB2312 pages with missing, late or wrong charset declarations, so the
// label is chosen in this order: byte-order mark, HTTP header, <meta>,
// statistical detection. A UTF-8 label on bytes that are not UTF-8 is
// believed only when the bytes are UTF-8 but for a few stray ones, which
// become U+FFFD: a GBK page labelled UTF-8 has invalid bytes throughout.
// GB2312 and GBK labels decode as GB18030, their superset.
package charset

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// metaRe finds a charset declaration anywhere in the first bytes of a page,
// both <meta charset=…> and http-equiv content="…; charset=…".
var metaRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)`)

// metaWindow is how far into a page a <meta> charset is looked for. The
// HTML standard says 1024 bytes; real pages put it later.
const metaWindow = 16 << 10

// detectWindow is how much of a page statistical detection reads: it
// costs some 100 ms a megabyte, and a page is in one charset throughout.
const detectWindow = 1 << 20

// Decoded is a page converted to UTF-8.
type Decoded struct {
	Text  []byte
	Label string // canonical name of the charset decoded from
	// From is bom, header, meta, detect, utf-8 or default; with
	// -mismatch when valid UTF-8 overrode another label, -repaired when
	// a UTF-8 label was believed over a few invalid bytes.
	From string
	// Repaired counts the runs of invalid bytes of a page declared UTF-8
	// that were each replaced by U+FFFD (From ends in -repaired).
	Repaired int
}

// Decode converts an HTML or text body to UTF-8. contentType is the HTTP
// Content-Type header, or "" when unknown. It never fails: undecodable bytes
// become U+FFFD.
func Decode(body []byte, contentType string) Decoded {
	if enc, name, ok := bom(body); ok {
		return Decoded{Text: convert(enc, body), Label: name, From: "bom"}
	}
	valid := utf8.Valid(body)
	// Valid UTF-8 with non-ASCII text is UTF-8 whatever a header or <meta>
	// claims (see declared below), so the declarations need not be read.
	if valid && hasNonASCII(body) {
		from := "utf-8"
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
			if _, name := lookup(params["charset"]); name != "utf-8" {
				from = "header-mismatch"
			}
		}
		return Decoded{Text: body, Label: "utf-8", From: from}
	}
	// A declared legacy charset on bytes that are valid, non-ASCII UTF-8
	// is a lie (a CMS re-encoded the page and kept the old label): real
	// GBK text is practically never valid UTF-8, so the bytes win.
	declared := func(label, from string) (Decoded, bool) {
		if strings.TrimSpace(label) == "" {
			return Decoded{}, false
		}
		enc, name := lookup(label)
		if enc == nil {
			return Decoded{}, false
		}
		if name == "utf-8" && !valid {
			bad, runs, good := damage(body)
			if !mostlyUTF8(bad, runs, good) {
				return Decoded{}, false // the label lies: detect
			}
			return Decoded{Text: bytes.ToValidUTF8(body, []byte("\uFFFD")), Label: "utf-8", From: from + "-repaired", Repaired: runs}, true
		}
		if name != "utf-8" && valid && hasNonASCII(body) {
			return Decoded{Text: body, Label: "utf-8", From: from + "-mismatch"}, true
		}
		return Decoded{Text: convert(enc, body), Label: name, From: from}, true
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if d, ok := declared(params["charset"], "header"); ok {
			return d
		}
	}
	if m := metaRe.FindSubmatch(body[:min(len(body), metaWindow)]); m != nil {
		if d, ok := declared(string(m[1]), "meta"); ok {
			return d
		}
	}
	if valid {
		return Decoded{Text: body, Label: "utf-8", From: "utf-8"}
	}
	if r, err := chardet.NewHtmlDetector().DetectBest(body[:min(len(body), detectWindow)]); err == nil && r.Confidence >= 50 {
		if enc, name := lookup(r.Charset); enc != nil && name != "utf-8" {
			return Decoded{Text: convert(enc, body), Label: name, From: "detect"}
		}
	}
	// Invalid UTF-8 without a usable label: on this web, GB18030 is by far
	// the likeliest, and it decodes every byte sequence.
	return Decoded{Text: convert(simplifiedchinese.GB18030, body), Label: "gb18030", From: "default"}
}

// damage counts the bytes of b that belong to no valid UTF-8 sequence, the
// runs they form, and the valid non-ASCII characters.
func damage(b []byte) (bad, runs, good int) {
	inRun := false
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			inRun = false
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if bad++; !inRun {
				runs++
			}
			inRun = true
		} else {
			good++
			inRun = false
		}
		i += n
	}
	return bad, runs, good
}

// mostlyUTF8 tells a UTF-8 page with stray bytes (a character's worth, or
// at most one byte per 20 characters) from a page in a legacy charset
// labelled UTF-8, whose every character gives one or two invalid bytes.
func mostlyUTF8(bad, runs, good int) bool {
	return runs == 1 && bad <= utf8.UTFMax-1 || bad*20 <= good
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func bom(b []byte) (encoding.Encoding, string, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, "utf-8", true
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le", true
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be", true
	}
	return nil, "", false
}

// lookup returns the decoder for a charset label, with GB2312, GBK and
// chardet's "GB-18030" all mapped to GB18030. It returns nil for unknown
// labels.
func lookup(label string) (encoding.Encoding, string) {
	l := strings.ToLower(strings.TrimSpace(label))
	switch l {
	case "gb2312", "gbk", "gb18030", "gb-18030", "x-gbk", "cp936", "euc-cn", "csgb2312", "gb_2312-80":
		return simplifiedchinese.GB18030, "gb18030"
	case "hz-gb-2312": // a 7-bit escape encoding, not a GB18030 subset
		return simplifiedchinese.HZGB2312, "hz-gb-2312"
	case "utf-8", "utf8":
		return encoding.Nop, "utf-8"
	}
	enc, name := charset.Lookup(l)
	if enc == nil {
		return nil, ""
	}
	if name == "gbk" {
		return simplifiedchinese.GB18030, "gb18030"
	}
	if name == "utf-8" {
		return encoding.Nop, "utf-8"
	}
	return enc, name
}

// Lookup is lookup for callers outside the package: it reports whether the
// label names a known charset and its canonical name.
func Lookup(label string) (string, bool) {
	enc, name := lookup(label)
	return name, enc != nil
}

func convert(enc encoding.Encoding, b []byte) []byte {
	if enc == encoding.Nop {
		return b
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out
}

// Cut returns b cut to at most n bytes without splitting a UTF-8 sequence:
// a cut through the middle of a character would make valid UTF-8 look like
// another charset to Decode. At most three continuation bytes are dropped.
func Cut(b []byte, n int) []byte {
	if n >= len(b) {
		return b
	}
	for i := 0; i < 3 && n > 0 && b[n]&0xC0 == 0x80; i++ {
		n--
	}
	return b[:n]
}
