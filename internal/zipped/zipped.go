// Package zipped reads zip-based document packages (OOXML, OFD) under one
// decompression budget: every byte inflated from any entry is charged to
// it, so a zip bomb stops at the limit however its bytes are spread over
// entries.
package zipped

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// ErrBudget is returned by the readers of a Package once its budget is spent.
var ErrBudget = errors.New("decompressed size limit reached")

// Package is a zip archive with a decompression budget shared by all its
// entries. It is not safe for concurrent use.
type Package struct {
	zr     *zip.Reader
	budget int64
}

// New wraps an opened archive; budget is the number of decompressed bytes
// that may be read from all entries together.
func New(zr *zip.Reader, budget int64) *Package {
	return &Package{zr: zr, budget: budget}
}

// Open reads the directory of the zip archive in data. Its error is the one
// of archive/zip, unwrapped, for the caller to name the file.
func Open(data []byte, budget int64) (*Package, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	return New(zr, budget), nil
}

// Files lists the entries in archive order.
func (p *Package) Files() []*zip.File { return p.zr.File }

// Remaining is what is left of the budget; zero or less means spent. A
// reader cut by the budget may surface as a syntax error of its decoder
// rather than ErrBudget, so callers check this too.
func (p *Package) Remaining() int64 { return p.budget }

// Find returns the first entry named name, ignoring case (producers differ
// in the case of part names) and a leading slash (part references are often
// absolute), or nil.
func (p *Package) Find(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, f := range p.zr.File {
		if f.Name == name || strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// Kind names what the package looks like, for errors on a zip that is not
// the expected format: "a Word document (docx)", "a spreadsheet (xlsx)",
// "a presentation (pptx)", "an OFD document" or "an unknown zip archive".
func (p *Package) Kind() string {
	switch {
	case p.Find("word/document.xml") != nil:
		return "a Word document (docx)"
	case p.Find("xl/workbook.xml") != nil:
		return "a spreadsheet (xlsx)"
	case p.Find("ppt/presentation.xml") != nil:
		return "a presentation (pptx)"
	case p.Find("OFD.xml") != nil:
		return "an OFD document"
	}
	return "an unknown zip archive"
}

// Open returns a reader of the entry that fails with ErrBudget once the
// package's budget is spent; what was read before stays usable.
func (p *Package) Open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &budgetReader{rc: rc, p: p}, nil
}

// ReadAll reads the whole entry within the budget. On error it returns
// what was read before it.
func (p *Package) ReadAll(f *zip.File) ([]byte, error) {
	rc, err := p.Open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

type budgetReader struct {
	rc io.ReadCloser
	p  *Package
}

func (b *budgetReader) Read(buf []byte) (int, error) {
	if b.p.budget <= 0 {
		return 0, ErrBudget
	}
	// Never ask for more than the budget, so an entry cannot overshoot it.
	if int64(len(buf)) > b.p.budget {
		buf = buf[:b.p.budget]
	}
	n, err := b.rc.Read(buf)
	b.p.budget -= int64(n)
	return n, err
}

func (b *budgetReader) Close() error { return b.rc.Close() }

// MaxRun bounds a run of bytes between two '<' in the XML parts read
// through OpenXML.
const MaxRun = 1 << 20

// OpenXML opens an XML part like Open, cutting every run of bytes between
// two '<' (a text node, or a tag with its attributes) after MaxRun bytes:
// encoding/xml holds a whole text node or tag in memory, and a few
// kilobytes of zip can inflate into a single text node of the whole
// budget. A cut inside a tag makes the XML invalid from there on.
func (p *Package) OpenXML(f *zip.File) (*XMLReader, error) {
	rc, err := p.Open(f)
	if err != nil {
		return nil, err
	}
	return &XMLReader{rc: rc}, nil
}

// XMLReader is an XML part with its long runs cut.
type XMLReader struct {
	rc       io.ReadCloser
	run      int   // bytes since the last '<'
	dropping bool  // the current run is being cut
	Cut      int64 // bytes dropped from runs longer than MaxRun
}

func (x *XMLReader) Read(buf []byte) (int, error) {
	for {
		n, err := x.rc.Read(buf)
		// A read that cannot reach the cap passes as it is; only the run
		// after its last '<' is counted.
		if x.run+n+utf8.UTFMax <= MaxRun {
			if i := bytes.LastIndexByte(buf[:n], '<'); i >= 0 {
				x.run = n - i - 1
			} else {
				x.run += n
			}
			return n, err
		}
		out := 0
		for _, c := range buf[:n] {
			switch {
			case c == '<':
				x.run, x.dropping = 0, false
			case x.run+utf8.UTFMax < MaxRun:
				x.run++
			case !x.dropping && c&0xC0 == 0x80:
				// the end of a character begun before the cap, which
				// stays whole: a cut character would be invalid XML
				x.run++
			default:
				x.dropping = true
				x.Cut++
				continue
			}
			buf[out] = c
			out++
		}
		// A read that only dropped bytes must not look like the end.
		if out > 0 || err != nil || n == 0 {
			return out, err
		}
	}
}

// Close closes the part.
func (x *XMLReader) Close() error { return x.rc.Close() }
