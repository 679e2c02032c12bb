package pdf

import (
	"sort"
	"unicode/utf16"
)

// cmap holds what a CMap stream maps: byte-code lengths (codespace ranges)
// and code → Unicode (ToUnicode, bfchar/bfrange) or code → CID (embedded
// encoding CMaps, cidchar/cidrange).
type cmap struct {
	space   []codeRange
	single  map[uint64]string // key: len<<32 | code (ToUnicode)
	ranges  []uniRange        // large bfranges kept unexpanded, sorted by lo
	cids    map[uint64]uint32 // key: len<<32 | code (encoding CMaps)
	cidRng  []cidRange
	useCMap string // parent predefined CMap named by usecmap
}

type codeRange struct {
	n      int
	lo, hi uint32
}

type uniRange struct {
	n      int
	lo, hi uint32
	base   []uint16 // UTF-16 of the first code; the last unit is incremented
	arr    []string // per-code strings when the destination is an array
}

type cidRange struct {
	n      int
	lo, hi uint32
	cid    uint32
}

const (
	maxCMapEntries = 1 << 18 // entries kept from one CMap
	expandLimit    = 256     // bfranges up to this size go into the map
	maxRangeScan   = 64      // unexpanded bfranges tried for one code
)

func key(n int, code uint32) uint64 { return uint64(n)<<32 | uint64(code) }

func bytesToCode(b []byte) (uint32, int) {
	if len(b) > 4 {
		b = b[len(b)-4:]
	}
	var c uint32
	for _, x := range b {
		c = c<<8 | uint32(x)
	}
	return c, len(b)
}

// parseCMap reads the operators of a CMap program that matter for text
// extraction; everything else is ignored.
func parseCMap(data []byte) *cmap {
	m := &cmap{single: map[uint64]string{}}
	l := &lexer{buf: data}
	var ops []operand
	entries := 0
	for {
		o, op, ok := l.next(0)
		if !ok {
			break
		}
		if op == nil {
			if len(ops) < maxOperands {
				ops = append(ops, o)
			}
			continue
		}
		switch string(op) {
		case "usecmap":
			if len(ops) > 0 && ops[len(ops)-1].kind == opName {
				m.useCMap = string(ops[len(ops)-1].str)
			}
		case "endcodespacerange":
			for i := 0; i+1 < len(ops); i += 2 {
				if ops[i].kind != opStr || ops[i+1].kind != opStr || len(ops[i].str) == 0 || len(ops[i].str) > 4 {
					continue
				}
				lo, n := bytesToCode(ops[i].str)
				hi, _ := bytesToCode(ops[i+1].str)
				m.space = append(m.space, codeRange{n, lo, hi})
			}
		case "endbfchar":
			for i := 0; i+1 < len(ops) && entries < maxCMapEntries; i += 2 {
				if ops[i].kind != opStr {
					continue
				}
				code, n := bytesToCode(ops[i].str)
				switch ops[i+1].kind {
				case opStr:
					m.single[key(n, code)] = utf16BE(ops[i+1].str)
				case opName:
					if r := glyphRune(string(ops[i+1].str)); r != 0 {
						m.single[key(n, code)] = string(r)
					}
				}
				entries++
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops) && entries < maxCMapEntries; i += 3 {
				if ops[i].kind != opStr || ops[i+1].kind != opStr {
					continue
				}
				lo, n := bytesToCode(ops[i].str)
				hi, _ := bytesToCode(ops[i+1].str)
				if hi < lo {
					continue
				}
				dst := ops[i+2]
				switch dst.kind {
				case opStr:
					base := utf16Units(dst.str)
					if len(base) == 0 {
						continue
					}
					if hi-lo < expandLimit {
						for c := lo; c <= hi && entries < maxCMapEntries; c++ {
							m.single[key(n, c)] = rangeString(base, c-lo)
							entries++
						}
					} else {
						m.ranges = append(m.ranges, uniRange{n: n, lo: lo, hi: hi, base: base})
						entries++
					}
				case opArr:
					r := uniRange{n: n, lo: lo, hi: hi}
					for _, e := range dst.arr {
						if e.kind == opStr {
							r.arr = append(r.arr, utf16BE(e.str))
						} else {
							r.arr = append(r.arr, "")
						}
					}
					for c := lo; c <= hi && int(c-lo) < len(r.arr) && entries < maxCMapEntries; c++ {
						m.single[key(n, c)] = r.arr[c-lo]
						entries++
					}
				}
			}
		case "endcidchar":
			for i := 0; i+1 < len(ops) && entries < maxCMapEntries; i += 2 {
				if ops[i].kind != opStr || ops[i+1].kind != opNum {
					continue
				}
				code, n := bytesToCode(ops[i].str)
				if m.cids == nil {
					m.cids = map[uint64]uint32{}
				}
				m.cids[key(n, code)] = uint32(ops[i+1].num)
				entries++
			}
		case "endcidrange":
			for i := 0; i+2 < len(ops) && entries < maxCMapEntries; i += 3 {
				if ops[i].kind != opStr || ops[i+1].kind != opStr || ops[i+2].kind != opNum {
					continue
				}
				lo, n := bytesToCode(ops[i].str)
				hi, _ := bytesToCode(ops[i+1].str)
				if hi < lo {
					continue
				}
				m.cidRng = append(m.cidRng, cidRange{n, lo, hi, uint32(ops[i+2].num)})
				entries++
			}
		}
		ops = ops[:0]
	}
	sort.Slice(m.ranges, func(i, j int) bool { return m.ranges[i].lo < m.ranges[j].lo })
	return m
}

func utf16Units(b []byte) []uint16 {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	if len(b)%2 == 1 { // odd-length destinations seen in the wild: one byte
		u = append(u, uint16(b[len(b)-1]))
	}
	return u
}

// rangeString returns the destination of code lo+off in a bfrange whose
// first destination is base: the last UTF-16 unit is incremented.
func rangeString(base []uint16, off uint32) string {
	u := make([]uint16, len(base))
	copy(u, base)
	u[len(u)-1] += uint16(off)
	return string(utf16.Decode(u))
}

// codeLen returns how many bytes the next code in s takes according to
// the codespace ranges, or 0 when they do not say.
func (m *cmap) codeLen(s []byte) int {
	if m == nil || len(m.space) == 0 {
		return 0
	}
	for n := 1; n <= 4 && n <= len(s); n++ {
		c, _ := bytesToCode(s[:n])
		for _, r := range m.space {
			if r.n == n && c >= r.lo && c <= r.hi {
				return n
			}
		}
	}
	// No range matched: use the shortest length that has a range, as
	// PDF readers do for invalid codes.
	shortest := 4
	for _, r := range m.space {
		if r.n < shortest {
			shortest = r.n
		}
	}
	return shortest
}

func (m *cmap) lookup(code uint32, n int) (string, bool) {
	if m == nil {
		return "", false
	}
	if s, ok := m.single[key(n, code)]; ok {
		return s, true
	}
	i := sort.Search(len(m.ranges), func(i int) bool { return m.ranges[i].hi >= code })
	// Overlapping ranges would make every look-up a scan of all of them.
	for end := min(len(m.ranges), i+maxRangeScan); i < end && m.ranges[i].lo <= code; i++ {
		r := m.ranges[i]
		if r.n == n && code >= r.lo && code <= r.hi {
			return rangeString(r.base, code-r.lo), true
		}
	}
	return "", false
}

func (m *cmap) cid(code uint32, n int) (uint32, bool) {
	if m == nil {
		return 0, false
	}
	if c, ok := m.cids[key(n, code)]; ok {
		return c, true
	}
	for _, r := range m.cidRng {
		if r.n == n && code >= r.lo && code <= r.hi {
			return r.cid + code - r.lo, true
		}
	}
	return 0, false
}
