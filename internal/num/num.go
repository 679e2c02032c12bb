// Package num parses the contents of report table cells. Real tables hold
// more than digits: blanks and dashes meaning zero, signed changes written
// 「增413」 or 「减5」, amounts with units 「251000元」, full-width digits and
// thousands separators, and sometimes words where a number belongs.
package num

import (
	"strconv"
	"strings"

	"golang.org/x/text/width"
)

// Kind is what a cell holds.
type Kind int

// Kinds.
const (
	Blank  Kind = iota // empty, —, -, /, 无: counts as 0
	Number             // a number, possibly signed, possibly with a unit
	Text               // anything else
)

func (k Kind) String() string {
	switch k {
	case Blank:
		return "blank"
	case Number:
		return "number"
	}
	return "text"
}

// Value is a parsed cell.
type Value struct {
	Kind   Kind
	Raw    string  // the cell as printed
	N      float64 // the value; 0 for Blank and Text
	Unit   string  // 元, 万元, 件…, when printed
	Signed bool    // written with an explicit sign or 增/减
}

// Int reports whether the value is a whole number.
func (v Value) Int() bool { return v.Kind != Number || v.N == float64(int64(v.N)) }

// blanks are the spellings of "nothing to report".
var blanks = map[string]bool{
	"": true, "-": true, "--": true, "---": true, "/": true, "\\": true, "无": true, "無": true,
	"空": true, "none": true, "n/a": true, "na": true, "null": true, "x": true, "×": true, "·": true,
	"…": true, "...": true, "——": true,
}

// units are trailing unit words, longest first.
var units = []string{"万元", "千元", "亿元", "元", "件次", "件", "条", "个", "项", "次", "人次", "人", "份", "宗", "起", "万"}

// Parse reads one cell.
func Parse(raw string) Value {
	v := Value{Raw: raw}
	// Fast paths: most cells are empty, plain digits, or a label that
	// starts with a Chinese character no number starts with.
	if raw == "" {
		return v
	}
	if plainDigits(raw) {
		n, err := strconv.ParseFloat(raw, 64)
		if err == nil {
			return Value{Kind: Number, Raw: raw, N: n}
		}
	}
	if hasWord(raw) {
		return Value{Kind: Text, Raw: raw}
	}
	s := width.Fold.String(raw)
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u00A0', '\u3000', '\u200B', '\uFEFF', ',', '，', '\'':
			return -1
		case '—', '–', '－', '―', '‐', '−':
			return '-'
		}
		return r
	}, s)
	if blanks[strings.ToLower(s)] || strings.Trim(s, "-") == "" {
		v.Kind = Blank
		return v
	}
	sign := 1.0
	switch {
	case strings.HasPrefix(s, "增加"), strings.HasPrefix(s, "新增"):
		s, v.Signed = s[len("增加"):], true
	case strings.HasPrefix(s, "减少"):
		s, v.Signed, sign = s[len("减少"):], true, -1
	case strings.HasPrefix(s, "增"):
		s, v.Signed = s[len("增"):], true
	case strings.HasPrefix(s, "减"):
		s, v.Signed, sign = s[len("减"):], true, -1
	case strings.HasPrefix(s, "+"):
		s, v.Signed = s[1:], true
	case strings.HasPrefix(s, "-"):
		s, v.Signed, sign = s[1:], true, -1
	}
	// a unit may follow the digits, and a parenthesised unit too: 12(万元)
	s = strings.TrimSuffix(strings.TrimSuffix(s, ")"), "(")
	for _, u := range units {
		if t, ok := strings.CutSuffix(s, u); ok && t != "" {
			s, v.Unit = t, u
			break
		}
	}
	s = strings.TrimSuffix(s, "(")
	if s == "" || !numeric(s) {
		return Value{Kind: Text, Raw: raw}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Value{Kind: Text, Raw: raw}
	}
	v.Kind, v.N = Number, sign*n
	return v
}

// numberChars are the Chinese characters a number cell may hold: signs,
// the blank 无, and units.
const numberChars = "增减加少新无無空元万千亿件次条个项人份宗起"

// hasWord reports a Chinese character that no number cell holds, which
// makes the cell text without parsing it.
func hasWord(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF && !strings.ContainsRune(numberChars, r) {
			return true
		}
	}
	return false
}

func plainDigits(s string) bool {
	if len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numeric accepts digits with at most one decimal point and no exponent,
// so that strconv does not accept "Inf", "0x1p3" or "1e9".
func numeric(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return true
}

// Looks reports whether s reads as a value cell (number or blank) rather
// than a label.
func Looks(s string) bool { return Parse(s).Kind != Text }
