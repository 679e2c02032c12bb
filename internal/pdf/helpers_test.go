package pdf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

// readFixture reads a PDF of testdata, or one of the real reports kept once
// for the whole repository in its testdata/pdfs.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	path := filepath.Join("testdata", name)
	if strings.HasSuffix(name, "-hongzequ.pdf") {
		path = filepath.Join("..", "..", "testdata", "pdfs", name)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return data
}

func readDoc(t *testing.T, name string) *document.Document {
	t.Helper()
	doc, err := Read(context.Background(), document.Input{Source: name, Data: readFixture(t, name)})
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return doc
}

// dataRow is a table row as the annual-report recogniser sees it: the most
// specific label (the last text cell before the numbers) and the numbers.
type dataRow struct {
	label  string
	values []string
}

func (r dataRow) String() string { return r.label + " " + strings.Join(r.values, " ") }

// dataRows returns the rows of t that end in at least n numeric cells.
func dataRows(t *document.Table, n int) []dataRow {
	var out []dataRow
	for _, row := range t.Rows {
		first := len(row)
		for first > 0 && isNumeric(row[first-1].Text) {
			first--
		}
		if len(row)-first < n {
			continue
		}
		label := ""
		for i := first - 1; i >= 0; i-- {
			if row[i].Text != "" {
				label = row[i].Text
				break
			}
		}
		var vals []string
		for _, c := range row[first:] {
			vals = append(vals, c.Text)
		}
		out = append(out, dataRow{label, vals})
	}
	return out
}

// findTable returns the first table with a cell equal to text.
func findTable(doc *document.Document, text string) *document.Table {
	for _, b := range doc.Blocks {
		if b.Table == nil {
			continue
		}
		for _, r := range b.Table.Rows {
			for _, c := range r {
				if c.Text == text {
					return b.Table
				}
			}
		}
	}
	return nil
}

// pdfFile assembles a PDF from object bodies (object i+1 is objs[i]) with
// a correct cross-reference table; object 1 must be the catalog.
func pdfFile(objs ...string) []byte { return hostile.PDF(objs...) }

func streamObj(dict, content string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(content), content)
}

// onePage builds a one-page PDF with a Helvetica font F1 and extra
// resources and objects (numbered from 6).
func onePage(content, extraRes string, extra ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> " + extraRes + " >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		streamObj("", content),
	}
	return pdfFile(append(objs, extra...)...)
}
