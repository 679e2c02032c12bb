// Package document is the format-neutral model every reader produces: the
// text of a page or file in reading order, its tables as grids of cells, and
// the metadata found around it. It interprets nothing; package annual does.
package document

import (
	"context"
	"errors"
	"github.com/ogicheck/ogicheck/result"
	"strings"
)

// Document is one file or page after extraction.
type Document struct {
	Source  string  // file path or URL, as given
	Format  string  // html, text, docx, pdf, doc, wps, xls, xlsx, ofd
	Charset string  // the charset the text was decoded from, when it was decoded
	Title   string  // the <title>, document property or first line; may be empty
	Blocks  []Block // body in reading order
	Meta    []Meta  // labelled metadata: dates, source, index number…
	Links   []Link  // hyperlinks, for HTML pages
	Notes   []Note  // what the reader could not do (encrypted, a page without text…)
	Pages   int     // page count for paged formats, 0 otherwise
}

// Block is a paragraph, a table or an image, in reading order.
type Block struct {
	Text  string // paragraph text, one line; empty for tables and images
	Table *Table
	Image string // image source or name, for pictures in the body
	Page  int    // the page it starts on in a paged format (PDF), 1-based; 0 when not known
}

// Table is a grid: spans are expanded so that every row has one cell per
// column the row covers. Readers that know the geometry (HTML, DOCX, XLSX,
// positioned PDF text) produce aligned grids; readers that only have text
// (flattened "a | b | c" lines) produce ragged rows, marked Ragged.
type Table struct {
	Rows   [][]Cell
	Ragged bool
	// Compact marks ragged rows that list only their non-empty cells
	// (text where whitespace or line breaks separated the cells): a value's
	// column is known only when a row has one value per column.
	Compact bool
}

// Cell is one grid position.
type Cell struct {
	Text string
	// Spanned marks a position covered by a rowspan/colspan of another
	// cell; Text then repeats that cell's text.
	Spanned bool
}

// Meta is a labelled value found in the page header or file properties,
// such as 发布日期: 2020-01-31 or <meta name="PubDate">.
type Meta struct {
	Label string // as found: 发布日期, 发布时间, 成文日期, meta:PubDate, url…
	Value string
}

// Link is a hyperlink with its visible text.
type Link struct {
	Text string
	URL  string
}

// Note records something a reader met and could not do. Notes are data: the
// rule engine turns them into findings.
type Note struct {
	Kind    string // one of the Note* constants
	Message result.Text
}

// Note kinds.
const (
	NoteNoText      = "no-text"     // no extractable text: a scan or images only
	NoteEncrypted   = "encrypted"   // encrypted and could not be opened
	NoteCorrupt     = "corrupt"     // damaged file; what could be read is kept
	NoteLimit       = "limit"       // a size, page or time limit was hit
	NoteUnsupported = "unsupported" // a format variant this reader cannot read
	NoteImageTable  = "image-table" // a table present only as an image
	NoteTruncated   = "truncated"   // the input was cut short
	NoteRepaired    = "repaired"    // damage the reader repaired: what it changed is said
)

// Lines returns the paragraph texts, one per block, skipping tables.
func (d *Document) Lines() []string {
	var out []string
	for _, b := range d.Blocks {
		if b.Table == nil && b.Text != "" {
			out = append(out, b.Text)
		}
	}
	return out
}

// Text is the whole document as plain text: paragraphs one per line and table
// rows as "a | b | c" lines, each cell once (the positions a span covers
// are left out), as pages flattened to text print them.
func (d *Document) Text() string {
	var sb strings.Builder
	for _, b := range d.Blocks {
		switch {
		case b.Table != nil:
			for _, row := range b.Table.Rows {
				first := true
				for _, c := range row {
					if c.Spanned {
						continue
					}
					if !first {
						sb.WriteString(" | ")
					}
					first = false
					sb.WriteString(c.Text)
				}
				sb.WriteByte('\n')
			}
		case b.Text != "":
			sb.WriteString(b.Text)
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// AddNote appends a note, its message formatted in both languages with the
// same arguments.
func (d *Document) AddNote(kind, zh, en string, args ...any) {
	d.Notes = append(d.Notes, Note{Kind: kind, Message: result.Msg(zh, en, args...)})
}

// RepairedUTF8 is the note of a page that declares UTF-8 but holds bytes
// that are not UTF-8, whose runs were each replaced by U+FFFD; runs is 0
// when their number is not known.
func RepairedUTF8(runs int) Note {
	if runs > 0 {
		return Note{Kind: NoteRepaired, Message: result.Msg("页面声明为UTF-8编码，但有%d处无效的UTF-8字节，已替换为替换字符U+FFFD", "the page declares UTF-8 but has %d invalid UTF-8 byte sequences, replaced by U+FFFD", runs)}
	}
	return Note{Kind: NoteRepaired, Message: result.Text{Zh: "页面声明为UTF-8编码，但有无效的UTF-8字节，已替换为替换字符U+FFFD", En: "the page declares UTF-8 but has invalid UTF-8 bytes, replaced by U+FFFD"}}
}

// Limits bound what a reader may consume. Zero values mean the defaults.
// Compressed formats (zip packages, PDF streams) are bounded by what they
// expand to and what is kept from them, never only by their size: a few
// kilobytes can describe billions of cells or characters.
type Limits struct {
	MaxBytes    int64 // input size
	MaxUnpacked int64 // total decompressed size inside zip/OLE containers and PDF streams
	MaxPages    int   // pages read from paged formats
	MaxCells    int   // table cells kept per document, spans included
	MaxText     int   // characters of text kept per document, paragraphs and cells
}

// Default limits. A real annual report has some 5,000 characters and 1,600
// table cells.
const (
	DefaultMaxBytes    = 50 << 20
	DefaultMaxUnpacked = 200 << 20
	DefaultMaxPages    = 300
	DefaultMaxCells    = 200_000
	DefaultMaxText     = 2_000_000
)

// WithDefaults fills zero fields.
func (l Limits) WithDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxUnpacked <= 0 {
		l.MaxUnpacked = DefaultMaxUnpacked
	}
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultMaxPages
	}
	if l.MaxCells <= 0 {
		l.MaxCells = DefaultMaxCells
	}
	if l.MaxText <= 0 {
		l.MaxText = DefaultMaxText
	}
	return l
}

// Input is what a reader gets: the raw bytes and what is known about them.
type Input struct {
	Source      string // path or URL, used in errors and as Document.Source
	Data        []byte
	ContentType string // HTTP Content-Type when fetched, "" for files
	Limits      Limits
	// Notes are what was done to the input before it was read (a page
	// the crawler decoded and repaired); the document read keeps them.
	Notes []Note
}

// Reader turns bytes of one format into a Document. A reader returns an
// error only when nothing usable could be read; partial reads return a
// Document with Notes.
type Reader interface {
	Read(ctx context.Context, in Input) (*Document, error)
}

// ReaderFunc adapts a function to Reader.
type ReaderFunc func(ctx context.Context, in Input) (*Document, error)

// Read calls f.
func (f ReaderFunc) Read(ctx context.Context, in Input) (*Document, error) { return f(ctx, in) }

// ErrUnsupported is returned when no reader handles a format.
var ErrUnsupported = errors.New("unsupported document format")

// ReadError is a failed read with what was known of the input: the format
// it was taken for, and whether a limit of ours (time, an interruption)
// stopped the reading rather than a defect of the file.
type ReadError struct {
	Format string
	Limit  result.Text // zero unless a limit of ours stopped the reading
	Err    error
}

func (e *ReadError) Error() string { return e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }
