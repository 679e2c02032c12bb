package pdf

import (
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// objects wraps pdfcpu's cross-reference table with forgiving accessors:
// a missing or mistyped entry yields a zero value instead of an error,
// because a damaged font or resource should cost one page's fidelity, not
// the whole document.
type objects struct {
	x *model.XRefTable
	// budget is the number of decoded stream bytes still allowed
	// (Limits.MaxUnpacked); it bounds memory on hostile input.
	budget    int64
	exceeded  bool
	fonts     map[fontKey]*font
	forms     map[int][]byte
	formBytes int // decoded bytes in forms
	fallback  *font
}

var (
	errBudget = errors.New("decoded stream size limit reached")
	// errStreamLimit: one stream decodes to more than maxStream bytes.
	errStreamLimit = errors.New("stream larger than the limit of one stream")
)

// maxStream bounds the decoded size of one stream, and maxFormCache the
// decoded forms kept for reuse. A page's content is a few hundred
// kilobytes; a decoder's buffer grows to twice what it holds, so a single
// stream of the whole MaxUnpacked would take several times its size.
const (
	maxStream    = 32 << 20
	maxFormCache = 32 << 20
)

func (o *objects) resolve(obj types.Object) types.Object {
	for i := 0; i < 8; i++ {
		ref, ok := obj.(types.IndirectRef)
		if !ok {
			return obj
		}
		next, err := o.x.Dereference(ref)
		if err != nil {
			return nil
		}
		obj = next
	}
	return nil
}

func (o *objects) dict(obj types.Object) types.Dict {
	switch v := o.resolve(obj).(type) {
	case types.Dict:
		return v
	case types.StreamDict:
		return v.Dict
	}
	return nil
}

func (o *objects) get(d types.Dict, key string) types.Object {
	if d == nil {
		return nil
	}
	v, ok := d[key]
	if !ok {
		return nil
	}
	return o.resolve(v)
}

func (o *objects) num(obj types.Object) (float64, bool) {
	switch v := o.resolve(obj).(type) {
	case types.Integer:
		return float64(v), true
	case types.Float:
		return float64(v), true
	}
	return 0, false
}

func (o *objects) numOr(obj types.Object, def float64) float64 {
	if f, ok := o.num(obj); ok {
		return f
	}
	return def
}

func (o *objects) name(obj types.Object) string {
	if v, ok := o.resolve(obj).(types.Name); ok {
		return string(v)
	}
	return ""
}

func (o *objects) array(obj types.Object) types.Array {
	if v, ok := o.resolve(obj).(types.Array); ok {
		return v
	}
	return nil
}

// bytesOf returns the raw bytes of a string object.
func (o *objects) bytesOf(obj types.Object) ([]byte, bool) {
	switch v := o.resolve(obj).(type) {
	case types.StringLiteral:
		b, err := types.Unescape(string(v))
		if err != nil {
			return []byte(v), true
		}
		return b, true
	case types.HexLiteral:
		b, err := v.Bytes()
		if err != nil {
			return nil, false
		}
		return b, true
	}
	return nil, false
}

// textString decodes a PDF text string (Info entries): UTF-16BE with BOM,
// UTF-8 with BOM, else PDFDocEncoding, which matches Latin-1 for the
// characters that matter here. Some Chinese producers write raw UTF-8
// without a BOM; that is accepted when the bytes are valid UTF-8.
func textString(b []byte) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return utf16BE(b[2:])
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		}
		return string(utf16.Decode(u))
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return string(b[3:])
	}
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func utf16BE(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

// stream returns the decoded bytes of a stream object, charged against the
// budget.
func (o *objects) stream(obj types.Object) ([]byte, error) {
	var sd *types.StreamDict
	switch v := obj.(type) {
	case types.IndirectRef:
		s, _, err := o.x.DereferenceStreamDict(v)
		if err != nil {
			return nil, err
		}
		sd = s
	case types.StreamDict:
		sd = &v
	}
	if sd == nil {
		return nil, nil
	}
	if o.budget <= 0 {
		o.exceeded = true
		return nil, errBudget
	}
	if sd.Content != nil {
		o.budget -= int64(len(sd.Content))
		return sd.Content, nil
	}
	cp := *sd // decode a copy: the xref entry keeps only the raw bytes
	if err := cp.DecodeWithLimit(min(o.budget, maxStream)); err != nil {
		if cp.Content == nil {
			switch {
			case isLimitErr(err) && o.budget > maxStream:
				return nil, errStreamLimit
			case isLimitErr(err):
				o.exceeded = true
				return nil, errBudget
			}
			return nil, fmt.Errorf("decode stream: %w", err)
		}
	}
	o.budget -= int64(len(cp.Content))
	return cp.Content, nil
}

func isLimitErr(err error) bool {
	return errors.Is(err, filter.ErrDecodeLimitExceeded)
}
