package document

// What the binary-format readers (docx, xlsx, xls, msdoc, ofd) share: the
// opening of Read, the panic guard at their boundary, line and title
// cleaning, and naming the bytes a reader was handed by mistake.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Begin opens a reader's Read: it fills in the default limits, creates the
// Document and refuses input larger than the byte limit. reader prefixes the
// error ("docx: …"); format becomes Document.Format. Input that is too large
// gives the error together with a Document carrying a NoteLimit note.
func Begin(in Input, reader, format string) (*Document, Limits, error) {
	lim := in.Limits.WithDefaults()
	doc := &Document{Source: in.Source, Format: format}
	if n := len(in.Data); int64(n) > lim.MaxBytes {
		doc.AddNote(NoteLimit, "文件有%d字节，超过%d字节的上限", "file of %d bytes is larger than the %d-byte limit", n, lim.MaxBytes)
		return doc, lim, fmt.Errorf("%s: %s: file of %d bytes exceeds the %d-byte limit", reader, in.Source, n, lim.MaxBytes)
	}
	return doc, lim, nil
}

// Guard turns a panic below a reader's Read (a bug, or a dependency failing
// on hostile input) into an error, so that no input can crash a crawl. It
// must be deferred directly, with Read's named results:
//
//	defer document.Guard(&doc, &err, "docx: %s: damaged document", in.Source)
//
// After a panic Read returns a nil Document and the formatted message
// followed by the panic value in parentheses.
func Guard(doc **Document, err *error, format string, args ...any) {
	if r := recover(); r != nil {
		*doc = nil
		*err = fmt.Errorf("%s (%v)", fmt.Sprintf(format, args...), r)
	}
}

// CleanLine makes s one line: runs of white space (tabs, breaks, layout
// spaces) and NUL bytes become single spaces, and the ends are trimmed. The
// full-width space U+3000 is kept as text; package norm decides what it means.
func CleanLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) && r != '\u3000' || r == 0
	}), " ")
}

// MeaningfulTitle returns a stored title property as one line, or "" when
// it is a placeholder that editors store by default ("Untitled", "Microsoft
// Word - 报告.doc", "Book1", "无标题"…) or has no letter or digit. Readers
// then take the title from the document's first text.
func MeaningfulTitle(t string) string {
	t = CleanLine(t)
	l := strings.ToLower(t)
	switch l {
	case "", "untitled", "title", "document", "book1", "workbook", "无标题", "标题", "文档", "工作簿1":
		return ""
	}
	if strings.HasPrefix(l, "microsoft word -") || strings.HasPrefix(l, "untitled ") {
		return ""
	}
	if !strings.ContainsFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return ""
	}
	return t
}

// FirstCell is the text of the first non-empty table cell of d, or "": the
// title of a workbook without a title property, whose first row usually
// names the sheet.
func FirstCell(d *Document) string {
	for _, b := range d.Blocks {
		if b.Table == nil {
			continue
		}
		for _, r := range b.Table.Rows {
			for _, c := range r {
				if c.Text != "" {
					return c.Text
				}
			}
		}
	}
	return ""
}

// oleSignature starts every OLE2 compound file (.doc, .xls, .wps, and
// password-protected .docx/.xlsx).
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// encryptedPackage is the UTF-16LE name of the stream in which Office
// stores an encrypted OOXML package.
var encryptedPackage = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")

// EncryptedOOXML reports an OLE2 compound file holding an EncryptedPackage
// stream: the way Office stores a password-protected .docx or .xlsx. It
// looks for the stream's name instead of parsing the container, so that a
// damaged file is still recognised.
func EncryptedOOXML(data []byte) bool {
	return bytes.HasPrefix(data, oleSignature) && bytes.Contains(data, encryptedPackage)
}

// Describe names what data looks like, for a reader's "not a … file (…)"
// error: sites serve HTML error pages under document names and Word files
// under spreadsheet extensions, and the message should say so.
func Describe(data []byte) string {
	// Binary signatures are matched on the raw bytes; text ones after a BOM
	// and leading white space, in any case.
	head := bytes.ToLower(bytes.TrimLeft(data[:min(len(data), 512)], "\ufeff \t\r\n"))
	starts := func(s string) bool { return bytes.HasPrefix(head, []byte(s)) }
	contains := func(s string) bool { return bytes.Contains(head, []byte(s)) }
	switch {
	case len(data) == 0:
		return "empty file"
	case bytes.HasPrefix(data, []byte("PK")):
		return "a zip archive, e.g. a .docx, .xlsx or .ofd"
	case bytes.HasPrefix(data, oleSignature):
		return "an OLE2 compound file, e.g. a .doc or .xls"
	case starts("%pdf"):
		return "a PDF file"
	case starts("{\\rtf"):
		return "an RTF file"
	case starts("<!doctype html"), contains("<html"), contains("<table"):
		return "an HTML page"
	case starts("mime-version"):
		return "an MHTML web archive"
	case starts("<?xml"):
		return "an XML file, e.g. Word or Excel 2003 XML"
	}
	return "unrecognised content"
}

// Interrupt tells, cheaply, whether a reader's context has ended, for the
// loops whose length an input controls: it looks at the context once every
// 1024 calls of Stop and stays stopped once it has seen the end, so that
// every reader returns within the per-document time limit whatever the
// input.
type Interrupt struct {
	ctx context.Context
	n   uint
	err error
}

// NewInterrupt watches ctx.
func NewInterrupt(ctx context.Context) *Interrupt { return &Interrupt{ctx: ctx} }

// Stop reports whether the context has ended, looking at it every 1024
// calls.
func (i *Interrupt) Stop() bool {
	if i.err == nil {
		if i.n++; i.n&1023 == 0 {
			i.err = i.ctx.Err()
		}
	}
	return i.err != nil
}

// Err is the context's error once Stop has seen it, else the context's
// error now.
func (i *Interrupt) Err() error {
	if i.err == nil {
		i.err = i.ctx.Err()
	}
	return i.err
}

// ContextReader returns a reader of data that fails with the context's
// error once ctx has ended, so that a parser reading from it (an HTML or
// XML decoder) stops within the time limit.
func ContextReader(ctx context.Context, data []byte) io.Reader {
	return &ctxReader{ctx: ctx, r: bytes.NewReader(data)}
}

type ctxReader struct {
	ctx context.Context
	r   *bytes.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
