// Package extract picks a reader by content, not only by name: government
// sites serve HTML pages saved as .doc, PDFs without an extension and Word
// files named .wps, so the first bytes decide.
package extract

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/docx"
	"github.com/ogicheck/ogicheck/internal/htmldoc"
	"github.com/ogicheck/ogicheck/internal/msdoc"
	"github.com/ogicheck/ogicheck/internal/ofd"
	"github.com/ogicheck/ogicheck/internal/pdf"
	"github.com/ogicheck/ogicheck/internal/textdoc"
	"github.com/ogicheck/ogicheck/internal/xls"
	"github.com/ogicheck/ogicheck/internal/xlsx"
)

// Formats.
const (
	HTML    = "html"
	Text    = "text"
	PDF     = "pdf"
	DOCX    = "docx"
	DOC     = "doc"
	WPS     = "wps"
	XLS     = "xls"
	XLSX    = "xlsx"
	OFD     = "ofd"
	RTF     = "rtf"
	Image   = "image"
	Unknown = "unknown"
)

var (
	magicPDF  = []byte("%PDF")
	magicZip  = []byte("PK\x03\x04")
	magicOLE  = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	magicRTF  = []byte(`{\rtf`)
	magicPNG  = []byte("\x89PNG")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicGIF  = []byte("GIF8")
)

// Sniff names the format of data. name (a file name or URL path) and
// contentType break ties between formats that share a container: zip
// (DOCX, XLSX, OFD) and OLE2 (DOC, WPS, XLS).
func Sniff(data []byte, name, contentType string) string {
	head := data[:min(len(data), 1024)]
	ext := strings.ToLower(path.Ext(strings.SplitN(name, "?", 2)[0]))
	switch {
	case bytes.HasPrefix(head, magicPDF) || bytes.Contains(head, magicPDF):
		return PDF
	case bytes.HasPrefix(head, magicZip):
		return sniffZip(data, ext)
	case bytes.HasPrefix(head, magicOLE):
		switch ext {
		case ".xls", ".et":
			return XLS
		case ".wps":
			return WPS
		}
		return sniffOLE(data)
	case bytes.HasPrefix(head, magicRTF):
		return RTF
	case bytes.HasPrefix(head, magicPNG), bytes.HasPrefix(head, magicJPEG), bytes.HasPrefix(head, magicGIF):
		return Image
	}
	lower := bytes.ToLower(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n"))
	for _, tag := range [][]byte{[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<meta"), []byte("<body"), []byte("<?xml"), []byte("<!--"), []byte("<table"), []byte("<div"), []byte("<p")} {
		if bytes.HasPrefix(lower, tag) {
			if bytes.HasPrefix(lower, []byte("<?xml")) && !bytes.Contains(bytes.ToLower(data[:min(len(data), 4096)]), []byte("<html")) {
				break
			}
			return HTML
		}
	}
	if strings.Contains(strings.ToLower(contentType), "html") || ext == ".html" || ext == ".htm" || ext == ".shtml" || ext == ".jhtml" {
		if bytes.Contains(bytes.ToLower(data[:min(len(data), 8192)]), []byte("<")) {
			return HTML
		}
	}
	if textLike(head) {
		return Text
	}
	return Unknown
}

// textLike: no NUL bytes and mostly printable; legacy encodings such as
// GBK are not valid UTF-8 but are text.
func textLike(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	if utf8.Valid(b) {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			ctl++
		}
	}
	return ctl*20 < len(b)
}

func sniffZip(data []byte, ext string) string {
	// names of the first entries are in the local headers near the start
	head := data[:min(len(data), 64<<10)]
	switch {
	case bytes.Contains(head, []byte("word/")):
		return DOCX
	case bytes.Contains(head, []byte("xl/")):
		return XLSX
	case bytes.Contains(head, []byte("OFD.xml")), bytes.Contains(head, []byte("Doc_0/")):
		return OFD
	}
	switch ext {
	case ".docx", ".wps":
		return DOCX
	case ".xlsx", ".et":
		return XLSX
	case ".ofd":
		return OFD
	}
	return DOCX
}

// sniffOLE tells DOC from XLS by the stream names in the directory, which
// are UTF-16 strings somewhere in the file.
func sniffOLE(data []byte) string {
	utf16 := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), 0)
		}
		return b
	}
	switch {
	case bytes.Contains(data, utf16("WordDocument")):
		return DOC
	case bytes.Contains(data, utf16("Workbook")), bytes.Contains(data, utf16("Book")):
		return XLS
	}
	return DOC
}

// readers maps formats to readers; formats without one are unsupported.
var readers = map[string]document.Reader{
	HTML: document.ReaderFunc(htmldoc.Read),
	Text: document.ReaderFunc(textdoc.Read),
	PDF:  document.ReaderFunc(pdf.Read),
	DOCX: document.ReaderFunc(docx.Read),
	DOC:  document.ReaderFunc(msdoc.Read),
	WPS:  document.ReaderFunc(msdoc.Read),
	XLS:  document.ReaderFunc(xls.Read),
	XLSX: document.ReaderFunc(xlsx.Read),
	OFD:  document.ReaderFunc(ofd.Read),
}

// Read sniffs the input and reads it with the matching reader.
func Read(ctx context.Context, in document.Input) (*document.Document, error) {
	format := Sniff(in.Data, in.Source, in.ContentType)
	return ReadAs(ctx, format, in)
}

// ReadAs reads the input as the given format. The document's text comes
// without invisible format and control characters (see
// document.StripInvisible).
func ReadAs(ctx context.Context, format string, in document.Input) (d *document.Document, err error) {
	r, ok := readers[format]
	if !ok {
		switch format {
		case Image:
			d := &document.Document{Source: in.Source, Format: format}
			d.AddNote(document.NoteNoText, "文件是一张图片", "the file is an image")
			return d, nil
		}
		return nil, fmt.Errorf("read %s: %s: %w", in.Source, format, document.ErrUnsupported)
	}
	defer func() {
		// a reader bug must cost one document, not the run
		if v := recover(); v != nil {
			d, err = nil, fmt.Errorf("read %s as %s: internal error: %v", in.Source, format, v)
		}
	}()
	d, err = r.Read(ctx, in)
	if err != nil {
		return nil, err
	}
	if d.Format == "" {
		d.Format = format
	}
	d.Notes = append(slices.Clip(in.Notes), d.Notes...)
	// Text from the input is untrusted: whatever it shows must be what
	// it says, in every output.
	d.StripInvisible()
	return d, nil
}
