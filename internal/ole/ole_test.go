package ole

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"slices"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

func load(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(roundtrip.File(tb, name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestHasSignature(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"empty", nil, false},
		{"signature only", slices.Clone(magic), true},
		{"short", magic[:7], false},
		{"zip", []byte("PK\x03\x04\x14\x00\x06\x00"), false},
		{"doc", load(t, "report.doc"), true},
		{"xls", load(t, "report.xls"), true},
		{"docx", load(t, "report.docx"), false},
	} {
		if got := HasSignature(tc.data); got != tc.want {
			t.Errorf("%s: HasSignature = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestStreams(t *testing.T) {
	data := load(t, "report.doc")
	st, err := Streams(data, 1<<30, "WordDocument", "SummaryInformation", "Workbook", "1Table")
	if err != nil {
		t.Fatal(err)
	}
	wd := st["WordDocument"]
	if len(wd) < 512 || binary.LittleEndian.Uint16(wd) != 0xA5EC {
		t.Errorf("WordDocument: %d bytes, want a FIB starting with wIdent 0xA5EC", len(wd))
	}
	if len(st["SummaryInformation"]) == 0 || st["1Table"] == nil {
		t.Errorf("SummaryInformation %d bytes, 1Table %d bytes: want both", len(st["SummaryInformation"]), len(st["1Table"]))
	}
	if _, ok := st["Workbook"]; ok || len(st) != 3 {
		t.Errorf("streams %d, want the 3 present ones and no Workbook", len(st))
	}

	cut, err := Streams(data, 100, "WordDocument")
	if err != nil {
		t.Fatal(err)
	}
	if got := cut["WordDocument"]; !bytes.Equal(got, wd[:100]) {
		t.Errorf("cut at 100 bytes: got %d bytes, want the first 100 of the stream", len(got))
	}

	if _, err := Streams(load(t, "report.docx"), 1<<30, "WordDocument"); err == nil {
		t.Error("zip file: no error")
	}
	if _, err := Streams(data[:600], 1<<30, "WordDocument"); err == nil {
		t.Error("file cut after its header: no error")
	}
}

// prop is one property of a synthetic property set: its id and its typed
// value as stored ([MS-OLEPS] TypedPropertyValue).
type prop struct {
	id  uint32
	val []byte
}

func le32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func lpstr(s string) []byte { return pad4(append(le32(0x1E, uint32(len(s)+1)), s+"\x00"...)) }

func lpwstr(s string) []byte {
	u := append(utf16.Encode([]rune(s)), 0)
	b := le32(0x1F, uint32(len(u)))
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return pad4(b)
}

// propertySet builds a SummaryInformation stream holding one property set.
func propertySet(props ...prop) []byte {
	b := []byte{0xFE, 0xFF, 0, 0, 6, 2, 2, 0}
	b = append(b, make([]byte, 16)...) // CLSID
	b = append(b, le32(1)...)
	b = append(b, 0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9)
	b = append(b, le32(48)...)
	var vals []byte
	head := 8 + 8*len(props)
	var ids []byte
	for _, p := range props {
		ids = append(ids, le32(p.id, uint32(head+len(vals)))...)
		vals = append(vals, p.val...)
	}
	b = append(b, le32(uint32(head+len(vals)), uint32(len(props)))...)
	b = append(b, ids...)
	return append(b, vals...)
}

func TestParseSummary(t *testing.T) {
	gbkTitle := []byte{0xC4, 0xEA, 0xB6, 0xC8, 0xB1, 0xA8, 0xB8, 0xE6} // 年度报告 in GBK
	full := propertySet(
		prop{1, le32(2, 936)}, // PIDSI_CODEPAGE: GBK
		prop{2, pad4(append(le32(0x1E, uint32(len(gbkTitle))), gbkTitle...))},
		prop{4, lpwstr("县政府办公室")},
		prop{12, le32(0x40, 0, 0)}, // zero FILETIME: 1601-01-01
		prop{19, le32(3, 1)},
	)
	for _, tc := range []struct {
		name string
		data []byte
		want Summary
	}{
		{"empty", nil, Summary{}},
		{"GBK title, UTF-16 author, protected", full,
			Summary{Title: "年度报告", Author: "县政府办公室", Created: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC), Encrypted: true}},
		{"UTF-8 title", propertySet(prop{1, le32(2, 65001)}, prop{2, lpstr("政府信息公开")}), Summary{Title: "政府信息公开"}},
		{"code page after the title", propertySet(prop{2, lpstr("\xc4\xea")}, prop{1, le32(2, 936)}), Summary{Title: "年"}},
		{"unknown code page as Latin-1", propertySet(prop{1, le32(2, 1)}, prop{2, lpstr("caf\xe9")}), Summary{Title: "café"}},
		{"UTF-16 code page drops 8-bit text", propertySet(prop{1, le32(2, 1200)}, prop{2, lpstr("x")}), Summary{}},
		{"string longer than the stream", propertySet(prop{2, le32(0x1E, 1<<20)}, prop{4, le32(0x1F, 1<<30)}), Summary{}},
		{"wrong types", propertySet(prop{2, le32(3, 7)}, prop{12, le32(0x1E, 0, 0)}), Summary{}},
		{"offset past the end", propertySet(prop{2, nil}, prop{4, nil}), Summary{}},
		{"real document", func() []byte {
			st, err := Streams(load(t, "report.doc"), 1<<30, "SummaryInformation")
			if err != nil {
				t.Fatal(err)
			}
			return st["SummaryInformation"]
		}(), Summary{Title: "桐溪县人民政府办公室2023年政府信息公开工作年度报告",
			Created: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC), Modified: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)}},
	} {
		if got := ParseSummary(tc.data); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// Every truncation of a valid stream parses without panicking and
	// keeps only whole properties.
	for n := range len(full) {
		got := ParseSummary(full[:n])
		if (got.Title != "" && got.Title != "年度报告") || (got.Author != "" && got.Author != "县政府办公室") {
			t.Errorf("cut at %d: got %+v", n, got)
		}
	}
}

func TestSummaryMeta(t *testing.T) {
	day := time.Date(2024, 1, 29, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))
	for _, tc := range []struct {
		name string
		s    Summary
		want []document.Meta
	}{
		{"empty", Summary{}, nil},
		{"all", Summary{Title: "t", Author: " 办公室 ", Created: day, Modified: day.Add(time.Hour)}, []document.Meta{
			{Label: "property:author", Value: "办公室"},
			{Label: "property:created", Value: "2024-01-29T00:30:00Z"},
			{Label: "property:modified", Value: "2024-01-29T01:30:00Z"},
		}},
		{"zero FILETIME and far future left out", Summary{Author: "\t", Created: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC), Modified: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)}, nil},
	} {
		if got := tc.s.Meta(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func FuzzStreams(f *testing.F) {
	for _, name := range []string{"report.doc", "report.xls"} {
		f.Add(load(f, name))
	}
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var st map[string][]byte
		var err error
		hostile.Within(t, func(context.Context) {
			st, err = Streams(data, 1<<20, "WordDocument", "Workbook", "SummaryInformation")
		})
		if err != nil {
			return
		}
		for name, b := range st {
			if len(b) > len(data) {
				t.Errorf("stream %s of %d bytes in a file of %d", name, len(b), len(data))
			}
		}
	})
}

func FuzzParseSummary(f *testing.F) {
	st, err := Streams(load(f, "report.doc"), 1<<20, "SummaryInformation")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(st["SummaryInformation"])
	f.Add(propertySet(prop{1, le32(2, 936)}, prop{2, lpstr("\xc4\xea")}, prop{4, lpwstr("x")}, prop{12, le32(0x40, 1, 1)}, prop{19, le32(3, 1)}))
	f.Add(propertySet(prop{1, le32(2, 65001)}, prop{2, lpstr(hostile.Bidi)}))
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		hostile.Within(t, func(context.Context) { ParseSummary(b).Meta() })
	})
}

// TestFileTime: FILETIME values of today's files overflow a time.Duration
// counted from 1601; the date must still come out right.
func TestFileTime(t *testing.T) {
	// 2024-01-29T08:30:00Z as a FILETIME, computed independently:
	// (seconds from 1601 to the Unix epoch + Unix seconds) × 10⁷
	want := time.Date(2024, 1, 29, 8, 30, 0, 0, time.UTC)
	ft := (11644473600 + want.Unix()) * 10_000_000
	if got := fileTime(ft); !got.Equal(want) {
		t.Errorf("fileTime(%d) = %v, want %v", ft, got, want)
	}
}
