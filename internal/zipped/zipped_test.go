package zipped

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

func load(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type entry struct{ name, body string }

// zipOf builds a deflated archive of the entries in order.
func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(t testing.TB, data []byte, budget int64) *Package {
	t.Helper()
	p, err := Open(data, budget)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKind(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"docx", load(t, roundtrip.File(t, "report.docx")), "a Word document (docx)"},
		{"xlsx", load(t, roundtrip.File(t, "report.xlsx")), "a spreadsheet (xlsx)"},
		// slides.pptx: LibreOffice's conversion of testdata/slides.fodp
		// (soffice --headless --convert-to pptx slides.fodp).
		{"pptx", load(t, "testdata/slides.pptx"), "a presentation (pptx)"},
		{"ofd", load(t, roundtrip.File(t, "report.ofd")), "an OFD document"},
		{"unknown", zipOf(t, entry{"readme.txt", "政务公开"}, entry{"word/styles.xml", "<w:styles/>"}), "an unknown zip archive"},
		{"empty archive", zipOf(t), "an unknown zip archive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := open(t, tc.data, 1<<20).Kind(); got != tc.want {
				t.Errorf("Kind() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	p := open(t, load(t, roundtrip.File(t, "report.docx")), 1<<20)
	tests := []struct{ name, want string }{
		{"word/document.xml", "word/document.xml"},
		{"WORD/Document.XML", "word/document.xml"},
		{"/word/document.xml", "word/document.xml"},
		{"/_RELS/.rels", "_rels/.rels"},
		{"[content_types].xml", "[Content_Types].xml"},
		{"word/missing.xml", ""},
		{"document.xml", ""},
		{"", ""},
	}
	for _, tc := range tests {
		f := p.Find(tc.name)
		got := ""
		if f != nil {
			got = f.Name
		}
		if got != tc.want {
			t.Errorf("Find(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if p.Remaining() != 1<<20 {
		t.Errorf("Remaining() = %d after Find only, want the whole budget %d", p.Remaining(), 1<<20)
	}
}

func TestBudgetAcrossEntries(t *testing.T) {
	a := strings.Repeat("政务公开", 4000) // 48000 bytes, deflated to little
	b := strings.Repeat("年度报告", 4000)
	data := zipOf(t, entry{"a.xml", a}, entry{"b.xml", b}, entry{"c.xml", "x"})
	if len(data) > 10000 {
		t.Fatalf("archive of %d bytes: the entries should deflate well below the budget", len(data))
	}
	p := open(t, data, 60000)

	got, err := p.ReadAll(p.Find("a.xml"))
	if err != nil || string(got) != a {
		t.Fatalf("ReadAll(a.xml) = %d bytes, %v; want all %d bytes", len(got), err, len(a))
	}
	if p.Remaining() != 12000 {
		t.Errorf("Remaining() = %d after a.xml, want 12000", p.Remaining())
	}
	// The second entry is cut where the shared budget ends.
	got, err = p.ReadAll(p.Find("b.xml"))
	if !errors.Is(err, ErrBudget) || string(got) != b[:12000] {
		t.Errorf("ReadAll(b.xml) = %d bytes, %v; want the first 12000 bytes and ErrBudget", len(got), err)
	}
	if p.Remaining() != 0 {
		t.Errorf("Remaining() = %d, want 0", p.Remaining())
	}
	// Once spent, every entry fails at its first read.
	rc, err := p.Open(p.Find("c.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if n, err := rc.Read(make([]byte, 16)); n != 0 || !errors.Is(err, ErrBudget) {
		t.Errorf("Read after the budget = %d, %v; want 0, ErrBudget", n, err)
	}
}

func TestBudgetExact(t *testing.T) {
	// An entry that spends the budget exactly is read whole; whether its
	// reader still reports io.EOF or already ErrBudget depends on how the
	// decompressor returns its last bytes, so only the next entry is sure
	// to fail.
	p := open(t, zipOf(t, entry{"a.xml", "0123456789"}, entry{"b.xml", "b"}), 10)
	got, err := p.ReadAll(p.Find("a.xml"))
	if string(got) != "0123456789" || err != nil && !errors.Is(err, ErrBudget) {
		t.Errorf("ReadAll(a.xml) = %q, %v; want all 10 bytes", got, err)
	}
	if p.Remaining() != 0 {
		t.Errorf("Remaining() = %d, want 0", p.Remaining())
	}
	if got, err := p.ReadAll(p.Find("b.xml")); len(got) != 0 || !errors.Is(err, ErrBudget) {
		t.Errorf("ReadAll(b.xml) = %q, %v; want nothing and ErrBudget", got, err)
	}
	p = open(t, zipOf(t, entry{"a.xml", "0123456789"}), 11)
	if got, err := p.ReadAll(p.Find("a.xml")); string(got) != "0123456789" || err != nil || p.Remaining() != 1 {
		t.Errorf("ReadAll with a byte to spare = %q, %v, %d left; want all 10 bytes, no error, 1 left", got, err, p.Remaining())
	}
}

func TestOpenCorrupt(t *testing.T) {
	docx := load(t, roundtrip.File(t, "report.docx"))
	tests := []struct {
		name string
		data []byte
	}{
		{"truncated", docx[:len(docx)/2]},
		{"empty", nil},
		{"ole2 file", load(t, roundtrip.File(t, "report.doc"))},
		{"local header only", docx[:30]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Open(tc.data, 1<<20)
			if err == nil || p != nil {
				t.Fatalf("Open = %v, %v; want nil and an error", p, err)
			}
			if !errors.Is(err, zip.ErrFormat) {
				t.Errorf("err = %v, want zip.ErrFormat", err)
			}
		})
	}
}

func TestReadDamagedEntry(t *testing.T) {
	var sb strings.Builder
	for i := range 5000 {
		sb.WriteString(strconv.Itoa(i * i * 7919 % 100003))
	}
	data := zipOf(t, entry{"a.xml", sb.String()})
	// Overwrite the middle of the deflated data; the directory stays whole.
	f := open(t, data, 1<<20).Find("a.xml")
	off, err := f.DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	mid := off + int64(f.CompressedSize64)/2
	for k := mid; k < mid+16; k++ {
		data[k] ^= 0x5a
	}
	p := open(t, data, 1<<20)
	got, err := p.ReadAll(p.Find("a.xml"))
	if err == nil || errors.Is(err, ErrBudget) || len(got) == 0 || len(got) >= sb.Len() {
		t.Errorf("ReadAll of a damaged entry = %d of %d bytes, %v; want a part and a decompression error", len(got), sb.Len(), err)
	}
	if spent := int64(1<<20) - p.Remaining(); spent != int64(len(got)) {
		t.Errorf("budget charged %d, want the %d bytes returned", spent, len(got))
	}
}

func FuzzPackage(f *testing.F) {
	f.Add(zipOf(f, entry{"a.xml", strings.Repeat("政务公开", 4000)}, entry{"B.XML", "<b/>"}))
	f.Add(load(f, "testdata/slides.pptx"))
	f.Add([]byte("PK\x03\x04"))
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		hostile.Within(t, func(context.Context) { readPackage(t, data) })
	})
}

// readPackage reads every entry of a fuzzed archive and checks the budget.
func readPackage(t *testing.T, data []byte) {
	const budget = 64 << 10
	p, err := Open(data, budget)
	if err != nil {
		return
	}
	if p.Kind() == "" {
		t.Error("empty Kind")
	}
	var read int64
	for _, f := range p.Files() {
		// An entry stored with a leading slash is out of Find's reach.
		if g := p.Find(f.Name); !strings.HasPrefix(f.Name, "/") && (g == nil || !strings.EqualFold(g.Name, f.Name)) {
			t.Errorf("Find(%q) = %v, want an entry of that name", f.Name, g)
		}
		got, _ := p.ReadAll(f)
		read += int64(len(got))
	}
	if read > budget || budget-p.Remaining() != read || p.Remaining() < 0 {
		t.Errorf("read %d bytes, remaining %d of %d: the budget must account for exactly what was read", read, p.Remaining(), budget)
	}
}

func TestOpenXMLCutsLongRuns(t *testing.T) {
	long := strings.Repeat("政", MaxRun) // 3 bytes a character: three times the cap
	// "<a>" leaves the text MaxRun-2 bytes of its run, less the room of a
	// whole character: the characters that fit whole are kept.
	kept := long[:(MaxRun-2-utf8.UTFMax)/3*3+3]
	tests := []struct {
		name, xml string
		want      string
	}{
		{"short runs pass", "<a>政务</a><b x='1'/>", "<a>政务</a><b x='1'/>"},
		{"a long text node is cut whole characters", "<a>" + long + "</a><b/>", "<a>" + kept + "</a><b/>"},
		{"a run within the cap", "<a>" + long[:len(kept)] + "</a>", "<a>" + long[:len(kept)] + "</a>"},
		{"two long runs", "<a>" + long + "<b>" + long + "</b>", "<a>" + kept + "<b>" + kept + "</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := open(t, zipOf(t, entry{"a.xml", tt.xml}), 64<<20)
			r, err := p.OpenXML(p.Find("a.xml"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || !utf8.Valid(got) {
				t.Errorf("read %d bytes (valid UTF-8 %v), want %d", len(got), utf8.Valid(got), len(tt.want))
			}
			if want := int64(len(tt.xml) - len(tt.want)); r.Cut != want {
				t.Errorf("Cut = %d, want %d", r.Cut, want)
			}
		})
	}
}
