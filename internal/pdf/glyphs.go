package pdf

import (
	"strconv"
	"strings"
)

// glyphRune maps a glyph name from an /Encoding /Differences array to a
// rune: uniXXXX and uXXXX[XX] names, single letters and digits' names, and
// the Adobe Glyph List names that occur in Latin text of Chinese reports.
// Unknown names (g123, cid45) give 0: the code then has no text.
func glyphRune(name string) rune {
	if i := strings.IndexByte(name, '.'); i > 0 { // "one.oldstyle"
		name = name[:i]
	}
	if r, ok := glyphNames[name]; ok {
		return r
	}
	if len(name) == 1 && name[0] > 0x20 && name[0] < 0x7F {
		return rune(name[0])
	}
	if strings.HasPrefix(name, "uni") && len(name) >= 7 {
		if v, err := strconv.ParseUint(name[3:7], 16, 32); err == nil {
			return rune(v)
		}
	}
	if strings.HasPrefix(name, "u") && len(name) >= 5 && len(name) <= 7 {
		if v, err := strconv.ParseUint(name[1:], 16, 32); err == nil && v <= 0x10FFFF {
			return rune(v)
		}
	}
	return 0
}

var glyphNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$',
	"percent": '%', "ampersand": '&', "quotesingle": '\'', "quoteright": '’',
	"parenleft": '(', "parenright": ')', "asterisk": '*', "plus": '+', "comma": ',',
	"hyphen": '-', "period": '.', "slash": '/', "zero": '0', "one": '1', "two": '2',
	"three": '3', "four": '4', "five": '5', "six": '6', "seven": '7', "eight": '8',
	"nine": '9', "colon": ':', "semicolon": ';', "less": '<', "equal": '=',
	"greater": '>', "question": '?', "at": '@', "bracketleft": '[', "backslash": '\\',
	"bracketright": ']', "asciicircum": '^', "underscore": '_', "grave": '`',
	"quoteleft": '‘', "braceleft": '{', "bar": '|', "braceright": '}',
	"asciitilde": '~', "bullet": '•', "endash": '–', "emdash": '—',
	"quotedblleft": '“', "quotedblright": '”', "quotesinglbase": '‚',
	"quotedblbase": '„', "ellipsis": '…', "degree": '°', "periodcentered": '·',
	"middot": '·', "multiply": '×', "divide": '÷', "section": '§', "copyright": '©',
	"registered": '®', "trademark": '™', "minus": '−', "nbspace": '\u00a0',
	"nonbreakingspace": '\u00a0', "sfthyphen": '\u00ad', "softhyphen": '\u00ad',
	"plusminus": '±', "yen": '¥', "sterling": '£', "cent": '¢', "Euro": '€',
	"paragraph": '¶', "dagger": '†', "daggerdbl": '‡', "perthousand": '‰',
	"guillemotleft": '«', "guillemotright": '»', "exclamdown": '¡', "questiondown": '¿',
	"fi": 'ﬁ', "fl": 'ﬂ', "ff": 'ﬀ', "ffi": 'ﬃ', "ffl": 'ﬄ',
	"onehalf": '½', "onequarter": '¼', "threequarters": '¾', "mu": 'µ',
	"Adieresis": 'Ä', "Odieresis": 'Ö', "Udieresis": 'Ü', "adieresis": 'ä',
	"odieresis": 'ö', "udieresis": 'ü', "germandbls": 'ß', "eacute": 'é',
	"egrave": 'è', "agrave": 'à', "aacute": 'á', "ccedilla": 'ç', "uacute": 'ú',
	"iacute": 'í', "oacute": 'ó', "ntilde": 'ñ', "Eacute": 'É',
	"arrowright": '→', "arrowleft": '←', "checkmark": '✓', "circle": '○',
}
