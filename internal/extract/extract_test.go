package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

func fixture(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSniffByContent names files after something else: the bytes decide.
func TestSniffByContent(t *testing.T) {
	tests := []struct {
		file, name, want string
	}{
		{"testdata/roundtrip/report.pdf", "report.doc", PDF},
		{"testdata/roundtrip/report.docx", "download.jsp?id=3", DOCX},
		{"testdata/roundtrip/report.xlsx", "report.xls", XLSX},
		{"testdata/roundtrip/report.doc", "report", DOC},
		{"testdata/roundtrip/report.doc", "report.wps", WPS},
		{"testdata/roundtrip/report.xls", "report.doc", XLS},
		{"testdata/roundtrip/report.ofd", "report.zip", OFD},
		{"testdata/roundtrip/report.html", "report.doc", HTML},
		{"testdata/roundtrip/report_gbk.html", "report.xls", HTML},
		{"testdata/roundtrip/report.txt", "report.dat", Text},
		{"testdata/seeds/004_da7a2546b762ed99.txt", "x", Text},
	}
	for _, tt := range tests {
		if got := Sniff(fixture(t, tt.file), tt.name, ""); got != tt.want {
			t.Errorf("Sniff(%s as %s) = %s, want %s", tt.file, tt.name, got, tt.want)
		}
	}
	for _, tt := range []struct {
		data []byte
		want string
	}{
		{[]byte(`{\rtf1\ansi 报告}`), RTF},
		{[]byte("\x89PNG\r\n\x1a\n...."), Image},
		{[]byte("\x00\x01\x02\x03binary"), Unknown},
		{[]byte("  <!DOCTYPE html><html>"), HTML},
	} {
		if got := Sniff(tt.data, "x.doc", ""); got != tt.want {
			t.Errorf("Sniff(%q) = %s, want %s", tt.data[:8], got, tt.want)
		}
	}
}

// TestEveryFormatReads: each round-trip file reads to a document with the
// report's first section heading, whatever the file is called.
func TestEveryFormatReads(t *testing.T) {
	for _, f := range []string{"report.html", "report_gbk.html", "report.txt", "report.pdf", "report.docx", "report.doc", "report.xls", "report.xlsx", "report.ofd"} {
		d, err := Read(context.Background(), document.Input{Source: "attachment", Data: fixture(t, filepath.Join("testdata", "roundtrip", f))})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if !strings.Contains(d.Text(), "一、总体情况") {
			t.Errorf("%s: no section heading in %d blocks", f, len(d.Blocks))
		}
	}
}

func TestBadInputIsAnErrorNotAPanic(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"fake.pdf", []byte("%PDF-1.7\n1 0 obj garbage"), "fake.pdf"},
		{"fake.docx", []byte("PK\x03\x04word/garbage"), "fake.docx"},
		{"fake.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "fake.doc"},
		{"note.rtf", []byte(`{\rtf1 x}`), "note.rtf"},
	} {
		_, err := Read(context.Background(), document.Input{Source: tt.name, Data: tt.data})
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q does not name the file", tt.name, err)
		}
	}
	_, err := Read(context.Background(), document.Input{Source: "x.rtf", Data: []byte(`{\rtf1 x}`)})
	if !errors.Is(err, document.ErrUnsupported) {
		t.Errorf("rtf: %v, want ErrUnsupported", err)
	}
}

func TestEncryptedFilesSaySo(t *testing.T) {
	for _, f := range []string{"internal/msdoc/testdata/encrypted.doc", "internal/xls/testdata/encrypted.xls"} {
		d, err := Read(context.Background(), document.Input{Source: f, Data: fixture(t, f)})
		found := err != nil && strings.Contains(strings.ToLower(err.Error()), "encrypt")
		if d != nil {
			for _, n := range d.Notes {
				found = found || n.Kind == document.NoteEncrypted
			}
		}
		if !found {
			t.Errorf("%s: encryption not reported (err %v)", f, err)
		}
	}
}

// Page text reaches the document without bidi overrides or other
// invisible controls, whatever the format.
func TestReadStripsInvisible(t *testing.T) {
	inputs := map[string][]byte{
		"p.html": []byte("<html><head><title>年报" + hostile.Bidi + "</title></head><body><p>" + hostile.Bidi + "</p><table><tr><td>" + hostile.Bidi + "</td><td>1</td></tr></table></body></html>"),
		"p.txt":  []byte("年报\n" + hostile.Bidi + "\n" + hostile.Bidi + " | 1\n"),
	}
	for name, data := range inputs {
		d, err := Read(context.Background(), document.Input{Source: name, Data: data})
		if err != nil {
			t.Fatal(err)
		}
		text := d.Title + "\n" + d.Text()
		if i := strings.IndexFunc(text, func(r rune) bool { return unicode.Is(unicode.Cf, r) }); i >= 0 {
			t.Errorf("%s: format character %U left in %q", name, []rune(text[i:])[0], text)
		}
		if !strings.Contains(text, "行政复议数量：123甲乙丙") {
			t.Errorf("%s: text lost with the controls: %q", name, text)
		}
	}
}

// Every reader ends with the context's error whenever the per-document
// deadline passes, on every hostile input: the time limit holds for HTML
// and text as for the binary formats.
func TestDeadlines(t *testing.T) {
	var cases []hostile.Case
	for _, s := range hostile.Seeds() {
		cases = append(cases, hostile.Case{Name: s.Name, Data: s.Data, Looks: 1})
	}
	hostile.ReadDeadlines(t, Read, cases)
}

// The hostile inputs end with what fits in the limits and a limit note,
// never with an error or a silent cut.
func TestHostileInputs(t *testing.T) {
	limited := map[string]bool{"hang.html": true, "merge.xlsx": true, "wide.xlsx": true, "spans.docx": true, "nested.docx": true}
	for _, s := range hostile.Seeds() {
		d, err := Read(context.Background(), document.Input{Source: s.Name, Data: s.Data, Limits: document.Limits{MaxCells: 1000}})
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if got := len(hostile.LimitNotes(d)) > 0; got != limited[s.Name] {
			t.Errorf("%s: limit notes %q, want some: %v", s.Name, hostile.LimitNotes(d), limited[s.Name])
		}
	}
}
