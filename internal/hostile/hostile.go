// Package hostile builds inputs that a crawled site can serve to stop a run:
// a table that once looped forever, archives and streams that expand a few
// kilobytes into gigabytes, a page with one stray byte, text carrying bidi
// overrides. The readers' regression tests and every fuzz target's seeds
// use them, and Within bounds the time one fuzz input may take. Only tests
// import it.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/document"
)

// HangTable is the 142-byte page whose table grid once looped forever: two
// cells of colspan=100 fill the 200-column cap, so the rowspan cell after
// them started beyond it and covered no column.
const HangTable = "<table><tr><td colspan=100>a</td><td colspan=100>b</td><td rowspan=2>c</td></tr>" +
	"<tr><td colspan=100>d</td><td colspan=100>e</td></tr></table>\n"

// StrayByte is a report page that declares UTF-8 and is valid UTF-8 except
// for one byte (0xB1, a Big5 and GBK lead byte), which once had the whole
// page decoded as Big5.
func StrayByte() []byte {
	return []byte(`<html><head><meta charset="utf-8"><title>某某局2023年政府信息公开工作年度报告</title></head><body>` +
		`<div class="content"><p>某某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p>` +
		"<p>2023年，本局认真贯彻落实《中华人民共和国政府信息公开条例》\xb1，主动公开政府信息。</p>" +
		`<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p></div></body></html>`)
}

// Bidi is page text carrying every invisible format control that can make
// text display other than it reads: the embeddings and overrides
// U+202A–U+202E, the isolates U+2066–U+2069, the marks U+200E, U+200F and
// U+061C, and zero-width characters.
const Bidi = "行政复议\u202e数量\u202c：\u202a1\u202b2\u202d3\u2066甲\u2067乙\u2068丙\u2069\u200e丁\u200f戊\u061c己\u200b庚\u2060辛\ufeff壬"

// zipFile is one entry of an archive: a fixed body, or one written by fill.
type zipFile struct {
	name string
	body string
	fill func(io.Writer) error
}

func zipOf(files []zipFile) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err == nil {
			if f.fill != nil {
				err = f.fill(w)
			} else {
				_, err = io.WriteString(w, f.body)
			}
		}
		if err != nil {
			panic(fmt.Sprintf("hostile: writing %s to memory: %v", f.name, err)) // a bytes.Buffer does not fail
		}
	}
	if err := zw.Close(); err != nil {
		panic(fmt.Sprintf("hostile: closing a zip in memory: %v", err))
	}
	return buf.Bytes()
}

// repeat writes s n times.
func repeat(w io.Writer, s string, n int) error {
	chunk := strings.Repeat(s, max(1, min(n, 64<<10/max(len(s), 1))))
	per := len(chunk) / len(s)
	for n > 0 {
		k := min(n, per)
		if _, err := io.WriteString(w, chunk[:k*len(s)]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// XLSXMerge is a 1.5 KB workbook with cells at XFD1 and A1048576 and the
// merged range A1:XFD1048576: 17 billion cells once expanded.
func XLSXMerge() []byte {
	return xlsx(`<row r="1"><c r="A1" t="inlineStr"><is><t>政府信息公开</t></is></c><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>` +
		`<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>y</t></is></c></row>` +
		`</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>`)
}

// XLSXWide is a workbook of rows rows with cells in columns A and XFD and
// a merged range: filling each row's 16,384 columns, as a whole-sheet load
// does, costs megabytes a row.
func XLSXWide(rows int) []byte {
	var sb strings.Builder
	for r := 1; r <= rows; r++ {
		fmt.Fprintf(&sb, `<row r="%d"><c r="A%[1]d"><v>1</v></c><c r="XFD%[1]d"><v>2</v></c></row>`, r)
	}
	return xlsx(sb.String() + `</sheetData><mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>`)
}

// xlsx is a workbook of one sheet whose XML is sheetData's rows followed
// by the given tail, which closes sheetData.
func xlsx(rowsAndTail string) []byte {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rns = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	return zipOf([]zipFile{
		{name: "[Content_Types].xml", body: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{name: "_rels/.rels", body: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{name: "xl/workbook.xml", body: `<?xml version="1.0" encoding="UTF-8"?><workbook ` + ns + ` ` + rns + `><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", body: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{name: "xl/worksheets/sheet1.xml", body: `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + ns + `><sheetData>` + rowsAndTail + `</worksheet>`},
	})
}

// Word namespaces of a document body.
const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// DOCXSpans is a Word document whose table has one row of cells cells,
// each spanning 1000 grid columns (gridSpan), after a row of two cells.
// At 60 bytes of XML per cell, expanding every span costs some 500 times
// the XML it comes from.
func DOCXSpans(cells int) []byte {
	return docx(func(w io.Writer) error {
		if _, err := io.WriteString(w, `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr><w:tr>`); err != nil {
			return err
		}
		if err := repeat(w, `<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr></w:tc>`, cells); err != nil {
			return err
		}
		_, err := io.WriteString(w, `</w:tr></w:tbl>`)
		return err
	})
}

// DOCXText is a Word document with one paragraph of n copies of a short
// run of text, which compresses to almost nothing.
func DOCXText(n int) []byte {
	return docx(func(w io.Writer) error {
		if _, err := io.WriteString(w, `<w:p>`); err != nil {
			return err
		}
		if err := repeat(w, `<w:r><w:t>政府信息公开</w:t></w:r>`, n); err != nil {
			return err
		}
		_, err := io.WriteString(w, `</w:p>`)
		return err
	})
}

// DOCXNested is a Word document whose body opens depth paragraphs inside
// one another: a few kilobytes zipped, a record for every open element in
// encoding/xml.
func DOCXNested(depth int) []byte {
	return docx(func(w io.Writer) error { return repeat(w, "<w:p>", depth) })
}

// DOCXLongRun is a Word document with one text run of n characters, which
// encoding/xml holds whole.
func DOCXLongRun(n int) []byte {
	return docx(func(w io.Writer) error {
		if _, err := io.WriteString(w, `<w:p><w:r><w:t>`); err != nil {
			return err
		}
		if err := repeat(w, "政", n); err != nil {
			return err
		}
		_, err := io.WriteString(w, `</w:t></w:r></w:p><w:p><w:r><w:t>后文</w:t></w:r></w:p>`)
		return err
	})
}

func docx(body func(io.Writer) error) []byte {
	return zipOf([]zipFile{
		{name: "[Content_Types].xml", body: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{name: "_rels/.rels", body: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{name: "word/document.xml", fill: func(w io.Writer) error {
			if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><w:document `+wordNS+`><w:body><w:p><w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p>`); err != nil {
				return err
			}
			if err := body(w); err != nil {
				return err
			}
			_, err := io.WriteString(w, `</w:body></w:document>`)
			return err
		}},
	})
}

// OFDGlyphs is an OFD document of pages pages that all draw the one
// content part, a text object of glyphs characters whose advances are
// given as one "g" run (DeltaX="g N 1": N advances in a few bytes). Every
// page costs glyphs characters of memory while the file stays small.
func OFDGlyphs(pages, glyphs int) []byte {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>`)
	for i := range pages {
		fmt.Fprintf(&doc, `<ofd:Page ID="%d" BaseLoc="Pages/Page_0/Content.xml"/>`, i+1)
	}
	doc.WriteString(`</ofd:Pages></ofd:Document>`)
	return zipOf([]zipFile{
		{name: "OFD.xml", body: `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">` +
			`<ofd:DocBody><ofd:DocInfo><ofd:Title>政府信息公开工作年度报告</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
		{name: "Doc_0/Document.xml", body: doc.String()},
		{name: "Doc_0/Pages/Page_0/Content.xml", fill: func(w io.Writer) error {
			if _, err := fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">`+
				`<ofd:TextObject ID="2" Boundary="0 0 210 297" Font="1" Size="3.5"><ofd:TextCode X="10" Y="10" DeltaX="g %d 1">`, glyphs); err != nil {
				return err
			}
			if err := repeat(w, "政", glyphs); err != nil {
				return err
			}
			_, err := io.WriteString(w, `</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`)
			return err
		}},
	})
}

// PDFFlate is a one-page PDF whose content stream is a few hundred
// kilobytes of Flate data that inflate to n bytes of drawing operators.
func PDFFlate(n int) []byte {
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if err == nil {
		err = repeat(zw, "q Q\n", n/4)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		panic(fmt.Sprintf("hostile: compressing in memory: %v", err))
	}
	return PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
}

// PDF assembles a PDF from object bodies (object i+1 is objs[i]) with a
// correct cross-reference table; object 1 must be the catalog.
func PDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// Expiring is a context whose Err turns to context.DeadlineExceeded at its
// calls-th call, and stays so: a deadline that passes at a given point of a
// reader's work whatever the speed of the machine, for tests that a loop
// checks its context.
func Expiring(calls int) *Countdown {
	return &Countdown{Context: context.Background(), left: max(calls, 1), done: make(chan struct{})}
}

// Countdown is the context Expiring returns.
type Countdown struct {
	context.Context
	mu    sync.Mutex
	left  int
	calls int
	done  chan struct{}
}

// Err counts the call and reports the deadline once it has passed.
func (c *Countdown) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.left > 0 {
		c.left--
	}
	if c.left == 0 {
		select {
		case <-c.done:
		default:
			close(c.done)
		}
		return context.DeadlineExceeded
	}
	return nil
}

// Done is closed when the deadline passes.
func (c *Countdown) Done() <-chan struct{} { return c.done }

// Expired reports whether the deadline has passed.
func (c *Countdown) Expired() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.left == 0
}

// Calls is how many times Err was called.
func (c *Countdown) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

// Deadlines runs read under deadlines that pass at its 1st, 2nd, 4th, 8th…
// look at the context, until read finishes before one, and fails t
// whenever read goes on after its deadline: returns without an error that
// wraps context.DeadlineExceeded. It returns how many times read looked at
// the context when no deadline stopped it, so that a test can ask for a
// loop that looks often enough.
func Deadlines(t testing.TB, read func(ctx context.Context) error) int {
	t.Helper()
	for calls := 1; ; calls *= 2 {
		ctx := Expiring(calls)
		err := read(ctx)
		if !ctx.Expired() {
			if err != nil {
				t.Errorf("without a deadline: %v", err)
			}
			return ctx.Calls()
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("deadline at look %d of the context: read went on and returned %v", calls, err)
		}
	}
}

// Case is an input that used to take long, and how many times at least
// reading it must look at the context when no deadline stops it: a loop
// that looks often enough.
type Case struct {
	Name  string
	Data  []byte
	Looks int
}

// ReadDeadlines runs Deadlines on read for each case, in subtests.
func ReadDeadlines(t *testing.T, read func(context.Context, document.Input) (*document.Document, error), cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			looks := Deadlines(t, func(ctx context.Context) error {
				_, err := read(ctx, document.Input{Source: c.Name, Data: c.Data})
				return err
			})
			if looks < c.Looks {
				t.Errorf("the context was looked at %d times, want at least %d", looks, c.Looks)
			}
		})
	}
}

// LimitNotes returns the messages of the document's limit notes.
func LimitNotes(d *document.Document) []string {
	var out []string
	for _, n := range d.Notes {
		if n.Kind == document.NoteLimit {
			out = append(out, n.Message.En)
		}
	}
	return out
}

// Seed is a hostile input, small enough to seed a fuzz target: the
// fuzzer mutates and minimises every seed, and a large one stalls it.
type Seed struct {
	Name string // a file name, whose extension names the format
	Data []byte
}

// Seeds are small versions of every hostile input.
func Seeds() []Seed {
	return []Seed{
		{"hang.html", []byte(HangTable)},
		{"stray.html", StrayByte()},
		{"bidi.txt", []byte(Bidi + "\n" + Bidi + " | 1 | 2\n")},
		{"bidi.html", []byte("<title>" + Bidi + "</title><p>" + Bidi + "</p><table><tr><td>" + Bidi + "</td><td>1</td></tr></table>")},
		{"merge.xlsx", XLSXMerge()},
		{"wide.xlsx", XLSXWide(20)},
		{"spans.docx", DOCXSpans(2000)},
		{"text.docx", DOCXText(2000)},
		{"nested.docx", DOCXNested(5000)},
		{"glyphs.ofd", OFDGlyphs(5, 2000)},
		{"flate.pdf", PDFFlate(1 << 20)},
	}
}

// AddSeeds adds every seed to a fuzz target that takes one []byte.
func AddSeeds(f *testing.F) {
	for _, s := range Seeds() {
		f.Add(s.Data)
	}
}

// FuzzLimit is how long one fuzz input may take: longer is a hang to fix.
// When the seeds run as plain tests (go test without -fuzz) the limit is
// generous, so that a slow or loaded machine does not fail them; a hang
// is still caught.
func FuzzLimit() time.Duration {
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" {
		return time.Second
	}
	return 30 * time.Second
}

// Within calls f with a context that ends after FuzzLimit, and fails t
// when the context ended before f returned. A reader handed the context
// returns soon after it ends, so that a hang costs the fuzzer a second,
// not a stalled worker; code that takes no context is timed all the same.
func Within(t testing.TB, f func(ctx context.Context)) {
	t.Helper()
	limit := FuzzLimit()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	f(ctx)
	if ctx.Err() != nil {
		t.Fatalf("the input took more than %v", limit)
	}
}
