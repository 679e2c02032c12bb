package document_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

func TestDescribe(t *testing.T) {
	files := []struct{ name, want string }{
		{"report.docx", "a zip archive"},
		{"report.xlsx", "a zip archive"},
		{"report.ofd", "a zip archive"},
		{"report.doc", "an OLE2 compound file"},
		{"report.xls", "an OLE2 compound file"},
		{"report.pdf", "a PDF file"},
		{"report.html", "an HTML page"},
		{"report_gbk.html", "an HTML page"},
		{"report.txt", "unrecognised content"},
	}
	for _, tc := range files {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(roundtrip.File(t, tc.name))
			if err != nil {
				t.Fatal(err)
			}
			if got := document.Describe(data); !strings.HasPrefix(got, tc.want) {
				t.Errorf("Describe(%s) = %q, want %q…", tc.name, got, tc.want)
			}
		})
	}
	inline := []struct{ name, data, want string }{
		{"empty", "", "empty file"},
		{"zip", "PK\x05\x06" + strings.Repeat("\x00", 18), "a zip archive, e.g. a .docx, .xlsx or .ofd"},
		{"ole2", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", "an OLE2 compound file, e.g. a .doc or .xls"},
		{"half an ole2 signature", "\xD0\xCF\x11\xE0", "unrecognised content"},
		{"pdf after a bom and blank line", "\ufeff\r\n%PDF-1.7\n", "a PDF file"},
		{"rtf", `{\rtf1\ansi 报告}`, "an RTF file"},
		{"doctype in capitals", "<!DOCTYPE HTML>\n<title>x</title>", "an HTML page"},
		{"xhtml with an xml prolog", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">`, "an HTML page"},
		{"table fragment saved as .xls", "<TABLE><tr><td>1</td></tr></TABLE>", "an HTML page"},
		{"mhtml", "MIME-Version: 1.0\r\nContent-Type: multipart/related", "an MHTML web archive"},
		{"word 2003 xml", `<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument>`, "an XML file, e.g. Word or Excel 2003 XML"},
		{"text", "2023年政府信息公开工作年度报告", "unrecognised content"},
		{"html past the first 512 bytes", strings.Repeat(" x", 300) + "<html>", "unrecognised content"},
	}
	for _, tc := range inline {
		t.Run(tc.name, func(t *testing.T) {
			if got := document.Describe([]byte(tc.data)); got != tc.want {
				t.Errorf("Describe(%q) = %q, want %q", tc.data, got, tc.want)
			}
		})
	}
}

func TestCleanLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  \t\r\n ", ""},
		{"一、总体情况", "一、总体情况"},
		{" 一、\t总体\r\n情况 ", "一、 总体 情况"},
		{"a\u00a0\u2003b\x00c", "a b c"},
		{"第一条\u3000总则", "第一条\u3000总则"},
	}
	for _, tc := range tests {
		if got := document.CleanLine(tc.in); got != tc.want {
			t.Errorf("CleanLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMeaningfulTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Untitled", ""},
		{"  TITLE ", ""},
		{"Document", ""},
		{"Book1", ""},
		{"workbook", ""},
		{"无标题", ""},
		{"标题", ""},
		{"文档", ""},
		{"工作簿1", ""},
		{"Microsoft Word - 2023年报.doc", ""},
		{"untitled 3", ""},
		{"———", ""},
		{"( )", ""},
		{"Untitled2", "Untitled2"},
		{"Book2", "Book2"},
		{"2023", "2023"},
		{" 桐溪县人民政府办公室\n2023年政府信息公开工作年度报告 ", "桐溪县人民政府办公室 2023年政府信息公开工作年度报告"},
	}
	for _, tc := range tests {
		if got := document.MeaningfulTitle(tc.in); got != tc.want {
			t.Errorf("MeaningfulTitle(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFirstCell(t *testing.T) {
	table := func(cells ...string) document.Block {
		tb := &document.Table{}
		for _, c := range cells {
			tb.Rows = append(tb.Rows, []document.Cell{{Text: c}})
		}
		return document.Block{Table: tb}
	}
	tests := []struct {
		name   string
		blocks []document.Block
		want   string
	}{
		{"nothing", nil, ""},
		{"paragraphs only", []document.Block{{Text: "正文"}}, ""},
		{"paragraph before the table", []document.Block{{Text: "正文"}, table("", "表一")}, "表一"},
		{"empty first table", []document.Block{table("", ""), table("表二")}, "表二"},
	}
	for _, tc := range tests {
		if got := document.FirstCell(&document.Document{Blocks: tc.blocks}); got != tc.want {
			t.Errorf("%s: FirstCell = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestEncryptedOOXML(t *testing.T) {
	ole := "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	name := "E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00"
	tests := []struct {
		name, data string
		want       bool
	}{
		{"encrypted package", ole + strings.Repeat("\x00", 600) + name, true},
		{"plain ole2 file", ole + strings.Repeat("\x00", 600), false},
		{"name without the signature", strings.Repeat("\x00", 8) + name, false},
		{"name in ascii", ole + "EncryptedPackage", false},
	}
	for _, tc := range tests {
		if got := document.EncryptedOOXML([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: EncryptedOOXML = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, f := range []string{"report.doc", "report.xls", "report.docx"} {
		data, err := os.ReadFile(roundtrip.File(t, f))
		if err != nil {
			t.Fatal(err)
		}
		if document.EncryptedOOXML(data) {
			t.Errorf("EncryptedOOXML(%s) = true, want false", f)
		}
	}
}

func TestBegin(t *testing.T) {
	doc, lim, err := document.Begin(document.Input{Source: "a.doc", Data: []byte("x")}, "msdoc", "doc")
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if want := (document.Limits{}).WithDefaults(); lim != want {
		t.Errorf("limits %+v, want the defaults %+v", lim, want)
	}
	if doc == nil || doc.Source != "a.doc" || doc.Format != "doc" || len(doc.Notes) != 0 {
		t.Errorf("doc %+v, want source a.doc, format doc, no notes", doc)
	}

	in := document.Input{Source: "big.xls", Data: make([]byte, 11), Limits: document.Limits{MaxBytes: 10, MaxCells: 7}}
	doc, lim, err = document.Begin(in, "xls", "xls")
	if want := "xls: big.xls: file of 11 bytes exceeds the 10-byte limit"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if lim.MaxBytes != 10 || lim.MaxCells != 7 || lim.MaxPages != document.DefaultMaxPages {
		t.Errorf("limits %+v, want the given ones with defaults for the rest", lim)
	}
	if doc == nil || len(doc.Notes) != 1 || doc.Notes[0].Kind != document.NoteLimit ||
		doc.Notes[0].Message.En != "file of 11 bytes is larger than the 10-byte limit" {
		t.Errorf("doc %+v, want one limit note", doc)
	}

	in.Data = in.Data[:10]
	if _, _, err := document.Begin(in, "xls", "xls"); err != nil {
		t.Errorf("input of exactly MaxBytes: %v", err)
	}
}

// read stands for a reader's Read: run is what happens below the guard.
func read(source string, run func(doc *document.Document) error) (doc *document.Document, err error) {
	defer document.Guard(&doc, &err, "test: %s: damaged document", source)
	doc = &document.Document{Source: source}
	return doc, run(doc)
}

func TestGuard(t *testing.T) {
	errEncrypted := errors.New("encrypted")
	var nilMap map[string]int
	tests := []struct {
		name    string
		run     func(*document.Document) error
		wantErr string
		wantDoc bool
	}{
		{"no panic", func(*document.Document) error { return nil }, "", true},
		{"error with a document", func(*document.Document) error { return errEncrypted }, "encrypted", true},
		{"panic", func(*document.Document) error { panic("boom") }, "test: a.doc: damaged document (boom)", false},
		{"runtime error", func(*document.Document) error { nilMap["x"]++; return nil },
			"test: a.doc: damaged document (assignment to entry in nil map)", false},
		{"panic after a partial read", func(d *document.Document) error {
			d.Blocks = append(d.Blocks, document.Block{Text: "正文"})
			var s []int
			_ = s[3]
			return nil
		}, "test: a.doc: damaged document (runtime error: index out of range [3] with length 0)", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := read("a.doc", tc.run)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("err = %q, want %q", got, tc.wantErr)
			}
			if (doc != nil) != tc.wantDoc {
				t.Errorf("doc = %+v, want a document: %v", doc, tc.wantDoc)
			}
		})
	}
}
