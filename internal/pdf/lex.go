package pdf

import (
	"strconv"
)

// Content-stream lexer. pdfcpu parses the file structure but has no
// content-stream interpreter that keeps glyph positions, so operators and
// operands are tokenised here. The lexer never allocates more than the
// input holds and bounds nesting, so hostile streams cannot blow the stack.

type opKind uint8

const (
	opNone opKind = iota
	opNum
	opName
	opStr
	opArr
	opDict
	opOther // true, false, null and unknown tokens used as operands
)

type operand struct {
	kind opKind
	num  float64
	str  []byte // name (without '/') or decoded string bytes
	arr  []operand
}

const (
	maxNesting  = 32     // arrays/dicts inside one operand
	maxOperands = 4096   // operands kept before an operator
	maxArrayLen = 100000 // elements kept in one array
)

type lexer struct {
	buf []byte
	pos int
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.buf) {
		c := l.buf[l.pos]
		if isWhite(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.buf) && l.buf[l.pos] != '\n' && l.buf[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// next returns the next token: an operand (kind != opNone) or an operator
// keyword (kind == opNone, op set). ok is false at the end of input.
func (l *lexer) next(depth int) (o operand, op []byte, ok bool) {
	l.skipSpace()
	if l.pos >= len(l.buf) {
		return o, nil, false
	}
	c := l.buf[l.pos]
	switch {
	case c == '/':
		l.pos++
		start := l.pos
		for l.pos < len(l.buf) && !isWhite(l.buf[l.pos]) && !isDelim(l.buf[l.pos]) {
			l.pos++
		}
		return operand{kind: opName, str: decodeName(l.buf[start:l.pos])}, nil, true
	case c == '(':
		l.pos++
		return operand{kind: opStr, str: l.literal()}, nil, true
	case c == '<':
		if l.pos+1 < len(l.buf) && l.buf[l.pos+1] == '<' {
			l.pos += 2
			l.skipDict(depth + 1)
			return operand{kind: opDict}, nil, true
		}
		l.pos++
		return operand{kind: opStr, str: l.hex()}, nil, true
	case c == '[':
		l.pos++
		return l.array(depth + 1), nil, true
	case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
		// Stray closing delimiter: skip it.
		l.pos++
		return operand{kind: opOther}, nil, true
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		start := l.pos
		l.pos++
		for l.pos < len(l.buf) {
			d := l.buf[l.pos]
			if (d >= '0' && d <= '9') || d == '.' || d == '-' || d == '+' || d == 'e' || d == 'E' {
				l.pos++
				continue
			}
			break
		}
		return operand{kind: opNum, num: parseNum(l.buf[start:l.pos])}, nil, true
	}
	start := l.pos
	for l.pos < len(l.buf) && !isWhite(l.buf[l.pos]) && !isDelim(l.buf[l.pos]) {
		l.pos++
	}
	if l.pos == start { // a lone delimiter we do not handle
		l.pos++
		return operand{kind: opOther}, nil, true
	}
	kw := l.buf[start:l.pos]
	switch string(kw) {
	case "true", "false", "null":
		return operand{kind: opOther}, nil, true
	}
	return operand{}, kw, true
}

func parseNum(b []byte) float64 {
	// PDF numbers have no exponent, but producers write "--5" or "5-"
	// occasionally; take the longest valid prefix.
	s := string(b)
	for len(s) > 0 {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
		if len(s) > 1 && s[0] == '-' && s[1] == '-' {
			s = s[1:]
			continue
		}
		s = s[:len(s)-1]
	}
	return 0
}

func decodeName(b []byte) []byte {
	hasHash := false
	for _, c := range b {
		if c == '#' {
			hasHash = true
			break
		}
	}
	if !hasHash {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

func (l *lexer) literal() []byte {
	var out []byte
	level := 1
	for l.pos < len(l.buf) {
		c := l.buf[l.pos]
		l.pos++
		switch c {
		case '(':
			level++
		case ')':
			level--
			if level == 0 {
				return out
			}
		case '\\':
			if l.pos >= len(l.buf) {
				return out
			}
			e := l.buf[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.buf) && l.buf[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.buf) && l.buf[l.pos] >= '0' && l.buf[l.pos] <= '7'; k++ {
						v = v*8 + int(l.buf[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return out
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (l *lexer) hex() []byte {
	var out []byte
	hi := -1
	for l.pos < len(l.buf) {
		c := l.buf[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v := unhex(c)
		if v < 0 {
			continue
		}
		if hi < 0 {
			hi = v
		} else {
			out = append(out, byte(hi<<4|v))
			hi = -1
		}
	}
	if hi >= 0 {
		out = append(out, byte(hi<<4))
	}
	return out
}

func (l *lexer) array(depth int) operand {
	o := operand{kind: opArr}
	for {
		l.skipSpace()
		if l.pos >= len(l.buf) {
			return o
		}
		if l.buf[l.pos] == ']' {
			l.pos++
			return o
		}
		if depth > maxNesting {
			// Too deep: skip the rest of this array without keeping it.
			l.pos++
			continue
		}
		e, op, ok := l.next(depth)
		if !ok {
			return o
		}
		if op != nil {
			// Operators do not belong in arrays; a broken stream. Stop here
			// and let the caller resynchronise on the next token.
			return o
		}
		if len(o.arr) < maxArrayLen {
			o.arr = append(o.arr, e)
		}
	}
}

func (l *lexer) skipDict(depth int) {
	for {
		l.skipSpace()
		if l.pos >= len(l.buf) {
			return
		}
		if l.buf[l.pos] == '>' {
			l.pos++
			if l.pos < len(l.buf) && l.buf[l.pos] == '>' {
				l.pos++
			}
			return
		}
		if depth > maxNesting {
			l.pos++
			continue
		}
		_, op, ok := l.next(depth)
		if !ok {
			return
		}
		if op != nil && string(op) == "EI" {
			return
		}
	}
}

// skipInlineImage moves past the binary data of an inline image (after the
// ID operator) to just after its EI keyword.
func (l *lexer) skipInlineImage() {
	// The data starts after one whitespace byte following ID.
	if l.pos < len(l.buf) && isWhite(l.buf[l.pos]) {
		l.pos++
	}
	for i := l.pos; i+1 < len(l.buf); i++ {
		if l.buf[i] == 'E' && l.buf[i+1] == 'I' &&
			(i == 0 || isWhite(l.buf[i-1])) &&
			(i+2 >= len(l.buf) || isWhite(l.buf[i+2]) || isDelim(l.buf[i+2])) {
			l.pos = i + 2
			return
		}
	}
	l.pos = len(l.buf)
}
