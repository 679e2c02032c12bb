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

// splitTop splits JavaScript at sep where sep is outside quotes and
// parentheses.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
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
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func unquote(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// scriptVar finds `var name = 5` in scripts.
func scriptVar(scripts, name string) (int, bool) {
	if !identRe.MatchString(name) {
		return 0, false
	}
	re := regexp.MustCompile(`(?:^|\bvar\s+|\blet\s+|\bconst\s+|[;{\s])` + regexp.QuoteMeta(name) + `\s*=\s*['"]?(\d{1,4})['"]?`)
	if m := re.FindStringSubmatch(scripts); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil
	}
	return 0, false
}

func scriptString(scripts, name string) (string, bool) {
	if !identRe.MatchString(name) {
		return "", false
	}
	re := regexp.MustCompile(`(?:\bvar\s+|\blet\s+|\bconst\s+)` + regexp.QuoteMeta(name) + `\s*=\s*("[^"\n]*"|'[^'\n]*')`)
	if m := re.FindStringSubmatch(scripts); m != nil {
		return unquote(m[1])
	}
	return "", false
}

var identRe = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)

// braceBody returns the text between the { at s[0] and its matching }.
func braceBody(s string) string {
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
		case c == '"' || c == '\'':
			quote = c
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return s[1:i]
			}
		}
	}
	return s
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
		if s, ok := scriptString(scripts, term); ok {
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
