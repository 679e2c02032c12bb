package crawler

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A reader of JavaScript literals as list scripts write them: object and
// array literals with quoted or bare keys, single- or double-quoted
// strings, numbers, true/false/null and trailing commas. JSON is a subset.
// It runs nothing: an identifier in value position is kept as a jsIdent
// for the caller to resolve or ignore.

// jsIdent is a bare identifier in value position (a variable).
type jsIdent string

// maxLiteralDepth bounds nesting, so that hostile page text cannot recurse
// deep.
const maxLiteralDepth = 32

var errLiteral = errors.New("not a JavaScript literal")

// jsLiteral reads the literal at the start of s (after spaces and comments)
// and returns it with the number of bytes read. Objects become
// map[string]any, arrays []any, strings string, numbers float64.
func jsLiteral(s string) (any, int, error) {
	p := &litParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, 0, err
	}
	return v, p.i, nil
}

type litParser struct {
	s string
	i int
}

func (p *litParser) skip() {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			p.i++
		case strings.HasPrefix(p.s[p.i:], "//"):
			if j := strings.IndexByte(p.s[p.i:], '\n'); j >= 0 {
				p.i += j + 1
			} else {
				p.i = len(p.s)
			}
		case strings.HasPrefix(p.s[p.i:], "/*"):
			if j := strings.Index(p.s[p.i+2:], "*/"); j >= 0 {
				p.i += j + 4
			} else {
				p.i = len(p.s)
			}
		default:
			return
		}
	}
}

func (p *litParser) value(depth int) (any, error) {
	if depth > maxLiteralDepth {
		return nil, errLiteral
	}
	p.skip()
	if p.i >= len(p.s) {
		return nil, errLiteral
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"' || c == '\'':
		return p.str()
	case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
		return p.number()
	case isIdentStart(c):
		id := p.ident()
		switch id {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null", "undefined":
			return nil, nil
		}
		return jsIdent(id), nil
	}
	return nil, errLiteral
}

func (p *litParser) object(depth int) (any, error) {
	p.i++ // {
	m := map[string]any{}
	for {
		p.skip()
		if p.i >= len(p.s) {
			return nil, errLiteral
		}
		if p.s[p.i] == '}' {
			p.i++
			return m, nil
		}
		var key string
		switch c := p.s[p.i]; {
		case c == '"' || c == '\'':
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			key = k
		case isIdentStart(c) || (c >= '0' && c <= '9'):
			key = p.ident()
		default:
			return nil, errLiteral
		}
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, errLiteral
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m[key] = v
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}

func (p *litParser) array(depth int) (any, error) {
	p.i++ // [
	var a []any
	for {
		p.skip()
		if p.i >= len(p.s) {
			return nil, errLiteral
		}
		if p.s[p.i] == ']' {
			p.i++
			if a == nil {
				a = []any{}
			}
			return a, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}

func (p *litParser) str() (string, error) {
	q := p.s[p.i]
	p.i++
	var sb strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return sb.String(), nil
		case c == '\n':
			return "", errLiteral
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			e := p.s[p.i]
			p.i++
			switch e {
			case 'n':
				sb.WriteByte('\n')
			case 't':
				sb.WriteByte('\t')
			case 'r':
				sb.WriteByte('\r')
			case 'b', 'f', 'v':
			case 'u':
				r, ok := p.hex(4)
				if !ok {
					return "", errLiteral
				}
				if utf16.IsSurrogate(r) && strings.HasPrefix(p.s[p.i:], `\u`) {
					save := p.i
					p.i += 2
					if r2, ok := p.hex(4); ok {
						r = utf16.DecodeRune(r, r2)
					} else {
						p.i = save
					}
				}
				sb.WriteRune(r)
			case 'x':
				r, ok := p.hex(2)
				if !ok {
					return "", errLiteral
				}
				sb.WriteRune(r)
			case '\n':
				// a line continuation
			default:
				sb.WriteByte(e)
			}
		default:
			_, n := utf8.DecodeRuneInString(p.s[p.i:])
			sb.WriteString(p.s[p.i : p.i+n])
			p.i += n
		}
	}
	return "", errLiteral
}

func (p *litParser) hex(n int) (rune, bool) {
	if p.i+n > len(p.s) {
		return 0, false
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += n
	return rune(v), true
}

func (p *litParser) number() (any, error) {
	j := p.i
	for j < len(p.s) && strings.IndexByte("+-.0123456789eExXabcdefABCDEF", p.s[j]) >= 0 {
		j++
	}
	f, err := strconv.ParseFloat(p.s[p.i:j], 64)
	if err != nil {
		if n, err2 := strconv.ParseInt(p.s[p.i:j], 0, 64); err2 == nil {
			f, err = float64(n), nil
		}
	}
	if err != nil {
		return nil, errLiteral
	}
	p.i = j
	return f, nil
}

func (p *litParser) ident() string {
	j := p.i
	for j < len(p.s) && (isIdentStart(p.s[j]) || (p.s[j] >= '0' && p.s[j] <= '9')) {
		j++
	}
	id := p.s[p.i:j]
	p.i = j
	return id
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// literalString renders a scalar literal value as text: strings as they
// are, whole numbers without a fraction; "" for anything else.
func literalString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// literalInt reads a number or a numeric string.
func literalInt(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		if x >= 0 && x < 1e9 && x == float64(int(x)) {
			return int(x), true
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil && n >= 0 {
			return n, true
		}
	}
	return 0, false
}
