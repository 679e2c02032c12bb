package pdf

import (
	"strings"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// predefined CMap families that matter for Chinese reports (PDF 32000
// 9.7.5.2). Codes of the Unicode families are the Unicode value itself;
// the legacy families are decoded with the matching character set.
type predef uint8

const (
	predefNone predef = iota
	predefIdentity
	predefUCS2
	predefUTF16
	predefUTF8
	predefUTF32
	predefGBK
	predefBig5
	predefSJIS
	predefEUCJP
	predefEUCKR
)

type fontKey struct {
	obj  int
	name string
}

type font struct {
	composite bool
	vertical  bool
	predef    predef
	encCMap   *cmap // embedded encoding CMap of a composite font
	toUni     *cmap
	legacy    encoding.Encoding
	simple    [256]rune
	simpleW   [256]float64
	hasWidths bool
	missingW  float64
	dw        float64
	cidW      map[uint32]float64
	cidWr     []cidRange // c_first c_last w entries of /W; cid holds w
	w1y       float64    // vertical advance in glyph units (negative: down)
	scale     float64    // glyph space → text space
	cache     map[uint64]glyphInfo
}

type glyphInfo struct {
	text  string
	width float64 // advance in text space for size 1
	known bool    // width came from the font, not a guess
}

func (o *objects) loadFont(res types.Dict, name string) *font {
	fonts := o.dict(o.get(res, "Font"))
	ref, ok := fonts[name]
	if !ok {
		return nil
	}
	k := fontKey{name: name}
	if ir, isRef := ref.(types.IndirectRef); isRef {
		k = fontKey{obj: ir.ObjectNumber.Value()}
	}
	if f, ok := o.fonts[k]; ok && k.obj != 0 {
		return f
	}
	f := o.buildFont(o.dict(ref))
	if k.obj != 0 {
		o.fonts[k] = f
	}
	return f
}

func (o *objects) buildFont(d types.Dict) *font {
	f := &font{scale: 0.001, dw: 1000, w1y: -1000, cache: map[uint64]glyphInfo{}}
	if d == nil {
		return f
	}
	subtype := o.name(o.get(d, "Subtype"))
	if tu := d["ToUnicode"]; tu != nil {
		if data, err := o.stream(tu); err == nil && len(data) > 0 {
			f.toUni = parseCMap(data)
		}
	}
	if subtype == "Type0" {
		o.buildComposite(f, d)
		return f
	}
	if subtype == "Type3" {
		if fm := o.array(o.get(d, "FontMatrix")); len(fm) >= 1 {
			if s, ok := o.num(fm[0]); ok && s > 0 && s < 10 {
				f.scale = s
			}
		}
	}
	o.buildSimple(f, d)
	return f
}

func (o *objects) buildComposite(f *font, d types.Dict) {
	f.composite = true
	enc := o.resolve(d["Encoding"])
	switch e := enc.(type) {
	case types.Name:
		f.predef, f.vertical, f.legacy = predefFor(string(e))
	case types.StreamDict:
		if data, err := o.stream(e); err == nil {
			f.encCMap = parseCMap(data)
			if p, _, leg := predefFor(f.encCMap.useCMap); p != predefNone && len(f.encCMap.space) == 0 {
				f.predef, f.legacy = p, leg
			}
		}
		if o.numOr(e.Dict["WMode"], 0) == 1 {
			f.vertical = true
		}
	default:
		f.predef = predefIdentity
	}
	desc := o.array(o.get(d, "DescendantFonts"))
	if len(desc) == 0 {
		return
	}
	cd := o.dict(desc[0])
	f.dw = o.numOr(cd["DW"], 1000)
	if w := o.array(o.get(cd, "W")); len(w) > 0 {
		f.cidW = map[uint32]float64{}
		for i := 0; i < len(w) && len(f.cidW) < maxCMapEntries; {
			first, ok := o.num(w[i])
			if !ok || i+1 >= len(w) {
				break
			}
			if arr := o.array(w[i+1]); arr != nil {
				for j, v := range arr {
					if wv, ok := o.num(v); ok {
						f.cidW[uint32(first)+uint32(j)] = wv
					}
				}
				i += 2
				continue
			}
			if i+2 >= len(w) {
				break
			}
			last, ok1 := o.num(w[i+1])
			wv, ok2 := o.num(w[i+2])
			if ok1 && ok2 && last >= first && len(f.cidWr) < maxCMapEntries {
				f.cidWr = append(f.cidWr, cidRange{lo: uint32(first), hi: uint32(last), cid: uint32(wv)})
			}
			i += 3
		}
	}
	if dw2 := o.array(o.get(cd, "DW2")); len(dw2) == 2 {
		f.w1y = o.numOr(dw2[1], -1000)
	}
}

func predefFor(name string) (predef, bool, encoding.Encoding) {
	vertical := strings.HasSuffix(name, "-V")
	switch {
	case name == "":
		return predefNone, false, nil
	case strings.HasPrefix(name, "Identity"):
		return predefIdentity, vertical, nil
	case strings.Contains(name, "UCS2"):
		return predefUCS2, vertical, nil
	case strings.Contains(name, "UTF16"):
		return predefUTF16, vertical, nil
	case strings.Contains(name, "UTF8"):
		return predefUTF8, vertical, nil
	case strings.Contains(name, "UTF32"):
		return predefUTF32, vertical, nil
	case strings.HasPrefix(name, "GB"):
		return predefGBK, vertical, simplifiedchinese.GB18030
	case strings.Contains(name, "B5"), strings.HasPrefix(name, "CNS"):
		return predefBig5, vertical, traditionalchinese.Big5
	case strings.Contains(name, "RKSJ"):
		return predefSJIS, vertical, japanese.ShiftJIS
	case strings.HasPrefix(name, "KSC"), strings.HasPrefix(name, "KSCms"):
		return predefEUCKR, vertical, korean.EUCKR
	case strings.HasPrefix(name, "EUC-"):
		return predefEUCJP, vertical, japanese.EUCJP
	}
	return predefIdentity, vertical, nil
}

func (o *objects) buildSimple(f *font, d types.Dict) {
	base := o.name(o.get(d, "BaseFont"))
	if i := strings.IndexByte(base, '+'); i == 6 {
		base = base[i+1:]
	}
	table := &standardEncoding
	symbolic := strings.Contains(base, "Symbol") || strings.Contains(base, "Dingbats")
	var diffs types.Array
	switch e := o.resolve(d["Encoding"]).(type) {
	case types.Name:
		table = encodingTable(string(e))
	case types.Dict:
		if b := o.name(o.get(e, "BaseEncoding")); b != "" {
			table = encodingTable(b)
		}
		diffs = o.array(o.get(e, "Differences"))
	}
	if symbolic {
		table = &emptyEncoding
	}
	f.simple = *table
	code := -1
	for _, v := range diffs {
		switch x := o.resolve(v).(type) {
		case types.Integer:
			code = int(x)
		case types.Float:
			code = int(x)
		case types.Name:
			if code >= 0 && code < 256 {
				f.simple[code] = glyphRune(string(x))
			}
			code++
		}
	}
	first := int(o.numOr(d["FirstChar"], 0))
	if ws := o.array(o.get(d, "Widths")); len(ws) > 0 {
		f.hasWidths = true
		for i, w := range ws {
			c := first + i
			if c < 0 || c > 255 {
				continue
			}
			f.simpleW[c] = o.numOr(w, 0)
		}
	}
	if fd := o.dict(d["FontDescriptor"]); fd != nil {
		f.missingW = o.numOr(fd["MissingWidth"], 0)
	}
	if !f.hasWidths {
		// Standard 14 fonts carry no widths; approximate them so that
		// gaps between words are still measurable.
		w := 500.0
		if strings.Contains(base, "Courier") {
			w = 600
		}
		for c := range f.simpleW {
			f.simpleW[c] = w
		}
		f.simpleW[' '] = 250
		f.hasWidths = true
	}
}

// decode splits a shown string into character codes and calls emit for each
// with its text (possibly empty), advance width (text space, size 1) and
// whether the code is the single-byte space that word spacing applies to.
func (f *font) decode(s []byte, emit func(text string, w float64, wordSpace bool)) {
	for len(s) > 0 {
		n := f.codeLen(s)
		if n <= 0 || n > len(s) {
			n = len(s)
			if n > 4 {
				n = 1
			}
		}
		code, _ := bytesToCode(s[:n])
		k := key(n, code)
		g, ok := f.cache[k]
		if !ok {
			g = f.glyph(s[:n], code, n)
			if len(f.cache) < 1<<16 {
				f.cache[k] = g
			}
		}
		emit(g.text, g.width, n == 1 && code == 32)
		s = s[n:]
	}
}

func (f *font) codeLen(s []byte) int {
	if !f.composite {
		return 1
	}
	if f.encCMap != nil && len(f.encCMap.space) > 0 {
		return f.encCMap.codeLen(s)
	}
	switch f.predef {
	case predefUTF16:
		if len(s) >= 4 && s[0] >= 0xD8 && s[0] <= 0xDB {
			return 4
		}
		return 2
	case predefUTF8:
		_, size := utf8.DecodeRune(s)
		return size
	case predefUTF32:
		return 4
	case predefGBK:
		if s[0] < 0x81 || s[0] == 0xFF {
			return 1
		}
		if len(s) >= 4 && s[1] >= 0x30 && s[1] <= 0x39 {
			return 4
		}
		return 2
	case predefBig5, predefEUCKR:
		if s[0] < 0x81 || s[0] == 0xFF {
			return 1
		}
		return 2
	case predefSJIS:
		if (s[0] >= 0x81 && s[0] <= 0x9F) || (s[0] >= 0xE0 && s[0] <= 0xFC) {
			return 2
		}
		return 1
	case predefEUCJP:
		if s[0] >= 0x8E {
			if s[0] == 0x8F {
				return 3
			}
			return 2
		}
		return 1
	}
	if f.toUni != nil && len(f.toUni.space) > 0 {
		return f.toUni.codeLen(s)
	}
	return 2
}

func (f *font) glyph(raw []byte, code uint32, n int) glyphInfo {
	var g glyphInfo
	text, haveText := f.toUni.lookup(code, n)
	if !f.composite {
		if !haveText {
			if r := f.simple[code&0xFF]; r != 0 {
				text = string(r)
			}
		}
		w := f.simpleW[code&0xFF]
		if w == 0 {
			w = f.missingW
		}
		g.width = w * f.scale
		g.known = w != 0
		g.text = text
		return g
	}
	cid, haveCID := code, f.predef == predefIdentity
	if f.encCMap != nil {
		cid, haveCID = f.encCMap.cid(code, n)
	}
	if !haveText {
		text = f.predefText(raw, code)
	}
	if !haveCID && len(text) == 1 && text[0] >= 0x20 && text[0] < 0x7F {
		// The Adobe CJK collections put ASCII at CIDs 1–95.
		cid, haveCID = uint32(text[0])-31, true
	}
	w := f.dw
	if haveCID {
		if cw, ok := f.cidW[cid]; ok {
			w = cw
		} else {
			for _, r := range f.cidWr {
				if cid >= r.lo && cid <= r.hi {
					w = float64(r.cid)
					break
				}
			}
		}
	}
	if f.vertical {
		w = -f.w1y
	}
	g.text = text
	g.width = w * f.scale
	g.known = true
	return g
}

func (f *font) predefText(raw []byte, code uint32) string {
	switch f.predef {
	case predefUCS2:
		if code >= 0xD800 && code <= 0xDFFF {
			return ""
		}
		return string(rune(code))
	case predefUTF16:
		return utf16BE(raw)
	case predefUTF8:
		if utf8.Valid(raw) {
			return string(raw)
		}
	case predefUTF32:
		if r := rune(code); utf8.ValidRune(r) {
			return string(r)
		}
	case predefGBK, predefBig5, predefSJIS, predefEUCJP, predefEUCKR:
		if f.legacy != nil {
			if out, err := f.legacy.NewDecoder().Bytes(raw); err == nil {
				return string(out)
			}
		}
	}
	return ""
}

var (
	standardEncoding = func() (t [256]rune) {
		for c := 0x20; c < 0x7F; c++ {
			t[c] = rune(c)
		}
		t[0x27] = '’'
		t[0x60] = '‘'
		return t
	}()
	emptyEncoding [256]rune
	winAnsi       = charmapTable(charmap.Windows1252)
	macRoman      = charmapTable(charmap.Macintosh)
	pdfDoc        = func() (t [256]rune) {
		for c := 0x20; c < 0x100; c++ {
			if c < 0x7F || c >= 0xA0 {
				t[c] = rune(c)
			}
		}
		return t
	}()
)

func charmapTable(cm *charmap.Charmap) (t [256]rune) {
	for c := 0x20; c < 0x100; c++ {
		r := cm.DecodeByte(byte(c))
		if r != utf8.RuneError && r >= 0x20 {
			t[c] = r
		}
	}
	return t
}

func encodingTable(name string) *[256]rune {
	switch name {
	case "WinAnsiEncoding":
		return &winAnsi
	case "MacRomanEncoding":
		return &macRoman
	case "PDFDocEncoding":
		return &pdfDoc
	}
	return &standardEncoding
}
