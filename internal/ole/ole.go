// Package ole reads the parts of OLE2 compound files (Microsoft's
// Compound File Binary format, [MS-CFB]) that the .doc and .xls readers
// share: the top-level streams and the SummaryInformation property set.
package ole

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding/ianaindex"

	"github.com/ogicheck/ogicheck/internal/document"
)

var magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// HasSignature reports whether data starts with the 8-byte signature of an
// OLE2 compound file.
func HasSignature(data []byte) bool {
	return len(data) >= 8 && string(data[:8]) == string(magic)
}

// Streams reads the named top-level streams of an OLE2 compound file into a
// map by name; a name the file lacks has no entry, an empty stream is an
// empty non-nil slice. mscfb drops the leading control character of names
// such as "\x05SummaryInformation", so ask for "SummaryInformation".
// A stream is cut at maxBytes, and can never be longer than the file: OLE2
// does not compress, so a larger size in a directory entry is damage.
func Streams(data []byte, maxBytes int64, names ...string) (map[string][]byte, error) {
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string][]byte{}
	for f, err := r.Next(); err == nil; f, err = r.Next() {
		if len(f.Path) != 0 || !want[f.Name] || out[f.Name] != nil {
			continue
		}
		size := min(f.Size, int64(len(data)), maxBytes)
		if size <= 0 {
			out[f.Name] = []byte{}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(f, size))
		if err != nil && !errors.Is(err, io.EOF) && len(b) == 0 {
			return nil, fmt.Errorf("stream %s: %w", f.Name, err)
		}
		out[f.Name] = b
	}
	return out, nil
}

// Summary holds the SummaryInformation properties the readers use.
type Summary struct {
	Title, Author     string
	Created, Modified time.Time
	Encrypted         bool // PIDSI_DOC_SECURITY bit 0: password protected
}

// Meta returns the author and the plausible creation and modification
// times as document properties.
func (s Summary) Meta() []document.Meta {
	var out []document.Meta
	if a := strings.TrimSpace(s.Author); a != "" {
		out = append(out, document.Meta{Label: "property:author", Value: a})
	}
	for _, t := range []struct {
		label string
		v     time.Time
	}{{"property:created", s.Created}, {"property:modified", s.Modified}} {
		if t.v.Year() > 1980 && t.v.Year() < 2200 {
			out = append(out, document.Meta{Label: t.label, Value: t.v.UTC().Format(time.RFC3339)})
		}
	}
	return out
}

// ParseSummary reads the \x05SummaryInformation property set stream
// (mscfb drops the \x05 from the name)
// ([MS-OLEPS]); damaged parts are skipped, never trusted.
func ParseSummary(b []byte) Summary {
	var s Summary
	u32 := func(off int) (uint32, bool) {
		if off < 0 || off+4 > len(b) {
			return 0, false
		}
		return binary.LittleEndian.Uint32(b[off:]), true
	}
	setOff, ok := u32(28 + 16) // first FMTIDOffset after the 28-byte header
	if !ok || int(setOff) >= len(b) {
		return s
	}
	base := int(setOff)
	n, ok := u32(base + 4)
	if !ok {
		return s
	}
	n = min(n, 256)
	codepage := 1252
	type prop struct{ id, off uint32 }
	var props []prop
	for i := 0; i < int(n); i++ {
		id, ok1 := u32(base + 8 + 8*i)
		off, ok2 := u32(base + 12 + 8*i)
		if !ok1 || !ok2 {
			break
		}
		props = append(props, prop{id, off})
		if id == 1 { // PIDSI_CODEPAGE, VT_I2
			if v, ok := u32(base + int(off) + 4); ok {
				codepage = int(uint16(v))
			}
		}
	}
	str := func(off int) string {
		typ, ok := u32(off)
		if !ok {
			return ""
		}
		cnt, ok := u32(off + 4)
		if !ok {
			return ""
		}
		start := off + 8
		switch typ {
		case 0x1E: // VT_LPSTR, cnt bytes in the property set's code page
			if int(cnt) > len(b)-start {
				return ""
			}
			return decodeCodepage(bytes.TrimRight(b[start:start+int(cnt)], "\x00"), codepage)
		case 0x1F: // VT_LPWSTR, cnt UTF-16 units
			if int(cnt) > (len(b)-start)/2 {
				return ""
			}
			u := make([]uint16, cnt)
			for i := range u {
				u[i] = binary.LittleEndian.Uint16(b[start+2*i:])
			}
			return strings.TrimRight(string(utf16.Decode(u)), "\x00")
		}
		return ""
	}
	filetime := func(off int) time.Time {
		typ, ok := u32(off)
		lo, ok1 := u32(off + 4)
		hi, ok2 := u32(off + 8)
		if !ok || !ok1 || !ok2 || typ != 0x40 {
			return time.Time{}
		}
		return fileTime(int64(hi)<<32 | int64(lo))
	}
	for _, p := range props {
		off := base + int(p.off)
		switch p.id {
		case 2:
			s.Title = str(off)
		case 4:
			s.Author = str(off)
		case 12:
			s.Created = filetime(off)
		case 13:
			s.Modified = filetime(off)
		case 19: // PIDSI_DOC_SECURITY, VT_I4
			if v, ok := u32(off + 4); ok {
				s.Encrypted = v&1 != 0
			}
		}
	}
	return s
}

// decodeCodepage decodes 8-bit text of a Windows code page (936 for
// Simplified Chinese); unknown code pages fall back to the bytes as Latin-1.
func decodeCodepage(b []byte, cp int) string {
	switch cp {
	case 65001:
		return string(b)
	case 1200:
		return ""
	}
	name := fmt.Sprintf("windows-%d", cp)
	switch cp {
	case 936:
		name = "gbk"
	case 950:
		name = "big5"
	case 54936:
		name = "gb18030"
	}
	if enc, err := ianaindex.IANA.Encoding(name); err == nil && enc != nil {
		if out, err := enc.NewDecoder().Bytes(b); err == nil {
			return string(out)
		}
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// fileTime converts a FILETIME (100 ns since 1601-01-01). The seconds go in
// as a time.Date field: a Duration since 1601 overflows after 292 years.
func fileTime(ft int64) time.Time {
	return time.Date(1601, 1, 1, 0, 0, int(ft/10_000_000), 0, time.UTC)
}
