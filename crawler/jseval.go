package crawler

import (
	"regexp"
	"strconv"
	"strings"
)

// A JavaScript mini-evaluator for pager scripts: argument lists, string
// concatenations of literals, variables and page-number arithmetic. It
// runs nothing; what it cannot read it refuses.

// splitArgs splits a JavaScript argument list at top-level commas.
func splitArgs(s string) []string { return splitTop(s, ',') }

// jsTop calls at with each byte of JavaScript s outside string literals and
// the depth of (), [] and {} around it, until at returns false. It returns
// where it stopped, len(s) when it did not.
func jsTop(s string, at func(i int, c byte, depth int) bool) int {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		case c == '"' || c == '\'':
			quote = c
			continue
		}
		if !at(i, c, depth) {
			return i
		}
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
	}
	return len(s)
}

// splitTop splits JavaScript at sep where sep is outside quotes and
// brackets.
func splitTop(s string, sep byte) []string {
	var out []string
	start := 0
	jsTop(s, func(i int, c byte, depth int) bool {
		if c == sep && depth == 0 {
			out = append(out, s[start:i])
			start = i + 1
		}
		return true
	})
	return append(out, s[start:])
}

func unquote(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// Variables are found by a plain scan of the scripts: their names come
// from the page, and a regexp built from each would be compiled per page.

// scriptVar finds `var name = 5` in scripts, also `name = '5'` after a
// space, ; or {: the first assignment of a number of up to 4 digits.
func scriptVar(scripts, name string) (int, bool) {
	if !identRe.MatchString(name) {
		return 0, false
	}
	for i := range occurrences(scripts, name) {
		if i > 0 && !strings.ContainsRune("\t\n\f\r ;{", rune(scripts[i-1])) {
			continue
		}
		rest, ok := assigned(scripts[i+len(name):])
		if !ok {
			continue
		}
		if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
			rest = rest[1:]
		}
		if d := digits(rest); d > 0 {
			n, err := strconv.Atoi(rest[:min(d, 4)])
			return n, err == nil
		}
	}
	return 0, false
}

// scriptValue finds the literal a script declares a variable with: var
// name = "2345", let size = 15; ended by ; , or a line end, so that
// `var u = "a" + b` is no literal.
func scriptValue(scripts, name string) (string, bool) {
	if !identRe.MatchString(name) {
		return "", false
	}
	for i := range occurrences(scripts, name) {
		if !declared(scripts[:i]) {
			continue
		}
		rest, ok := assigned(scripts[i+len(name):])
		if !ok {
			continue
		}
		lit, n := literalPrefix(rest)
		if n == 0 {
			continue
		}
		tail := rest[n:]
		ws := len(tail) - len(strings.TrimLeft(tail, jsSpace))
		if strings.Contains(tail[:ws], "\n") || (ws < len(tail) && (tail[ws] == ';' || tail[ws] == ',')) {
			return lit, true
		}
	}
	return "", false
}

// jsSpace is what \s matches in a regexp.
const jsSpace = "\t\n\f\r "

// occurrences yields the offsets of name in s, in order; none for "".
func occurrences(s, name string) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for off := 0; name != ""; {
			j := strings.Index(s[off:], name)
			if j < 0 || !yield(off+j) {
				return
			}
			off += j + 1
		}
	}
}

// declared says whether before ends in a declaration keyword and space:
// "var ", "let ", "const ".
func declared(before string) bool {
	kw := strings.TrimRight(before, jsSpace)
	if len(kw) == len(before) {
		return false
	}
	for _, k := range []string{"var", "let", "const"} {
		if rest, ok := strings.CutSuffix(kw, k); ok && (rest == "" || !isWordByte(rest[len(rest)-1])) {
			return true
		}
	}
	return false
}

// assigned returns what follows `= ` at the start of s (after spaces).
func assigned(s string) (string, bool) {
	s = strings.TrimLeft(s, jsSpace)
	if s == "" || s[0] != '=' {
		return "", false
	}
	return strings.TrimLeft(s[1:], jsSpace), true
}

// literalPrefix reads a literal at the start of s: a one-line string,
// returned unquoted, or a number such as -15 or 1.5. n is its length in s,
// 0 when s starts with none.
func literalPrefix(s string) (lit string, n int) {
	if s == "" {
		return "", 0
	}
	if q := s[0]; q == '"' || q == '\'' {
		end := strings.IndexByte(s[1:], q)
		if end < 0 || strings.IndexByte(s[1:1+end], '\n') >= 0 {
			return "", 0
		}
		return s[1 : 1+end], end + 2
	}
	if s[0] == '-' {
		n = 1
	}
	d := digits(s[n:])
	if d == 0 {
		return "", 0
	}
	n += d
	if n < len(s) && s[n] == '.' {
		if f := digits(s[n+1:]); f > 0 {
			n += 1 + f
		}
	}
	return s[:n], n
}

// digits is the number of ASCII digits at the start of s.
func digits(s string) int {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// containsWord says whether w occurs in s as a word, as `\bw\b` matches.
func containsWord(s, w string) bool {
	for i := range occurrences(s, w) {
		if boundary(s, i) && boundary(s, i+len(w)) {
			return true
		}
	}
	return false
}

// boundary says whether \b matches at offset i of s.
func boundary(s string, i int) bool {
	return (i > 0 && isWordByte(s[i-1])) != (i < len(s) && isWordByte(s[i]))
}

// isWordByte says whether c is a word character as \b sees it.
func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

var identRe = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)

// braceBody returns the text between the { at s[0] and its matching }, s
// itself when there is none.
func braceBody(s string) string {
	end := jsTop(s, func(_ int, c byte, depth int) bool { return c != '}' || depth != 1 })
	if end == len(s) || len(s) == 0 || s[0] != '{' {
		return s
	}
	return s[1:end]
}

// evalConcat evaluates a string concatenation such as
// "list_" + n + ".html" or "?page=" + (n-1) for page n.
func evalConcat(expr, param string, n int, scripts string) (string, bool) {
	var sb strings.Builder
	for _, term := range splitPlus(expr) {
		term = strings.TrimSpace(term)
		if s, ok := unquote(term); ok {
			sb.WriteString(s)
			continue
		}
		if v, ok := evalInt(term, param, n); ok {
			sb.WriteString(strconv.Itoa(v))
			continue
		}
		if s, ok := scriptValue(scripts, term); ok {
			sb.WriteString(s)
			continue
		}
		return "", false
	}
	return sb.String(), sb.Len() > 0
}

// splitPlus splits at top-level + signs.
func splitPlus(s string) []string { return splitTop(s, '+') }

var intExprRe = regexp.MustCompile(`^\(?\s*(?:parseInt\s*\(\s*)?([A-Za-z_$][\w$]*|\d+)\s*\)?\s*(?:([-+*])\s*(\d+))?\s*\)?$`)

// evalInt evaluates param, (param-1), parseInt(param)+1 and the like.
func evalInt(term, param string, n int) (int, bool) {
	m := intExprRe.FindStringSubmatch(term)
	if m == nil {
		return 0, false
	}
	var v int
	if m[1] == param {
		v = n
	} else if x, err := strconv.Atoi(m[1]); err == nil {
		v = x
	} else {
		return 0, false
	}
	if m[2] != "" {
		k, _ := strconv.Atoi(m[3])
		switch m[2] {
		case "-":
			v -= k
		case "+":
			v += k
		case "*":
			v *= k
		}
	}
	return v, true
}
