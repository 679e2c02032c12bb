// Package norm normalises Chinese report text for display and for matching.
// Real reports mix full- and half-width brackets and digits, non-breaking
// spaces, spaces inserted between characters by PDF converters, and the
// traditional-character forms of mirrored pages; labels are matched on a key
// that folds all of these.
package norm

import (
	"strings"
	"unicode"
)

// Clean makes page text displayable: control characters and zero-width
// characters removed, every kind of space collapsed to one ASCII space,
// trimmed. Characters are otherwise kept as printed.
func Clean(s string) string {
	if clean(s) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\u00AD':
			continue
		case unicode.IsSpace(r) || r == '\u00A0' || r == '\u3000' || r == '\u2002' || r == '\u2003' || r == '\u2009':
			space = true
			continue
		case unicode.IsControl(r) || r == '\uFFFD':
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

// clean reports whether Clean would return s unchanged: no leading,
// trailing or repeated spaces, no control, zero-width or other space
// characters. Most text is, and the check costs no allocation.
func clean(s string) bool {
	if s == "" {
		return true
	}
	prevSpace := true // a leading space is not clean
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r <= 0xA0) || r == 0xAD || r == 0x3000 || r == 0xFEFF || r == 0xFFFD ||
			(r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) || r == 0x205F || r == 0x2060:
			return false
		}
		prevSpace = false
	}
	return !prevSpace
}

// Key folds s for matching: width folded (（）→(), full-width digits), all
// spaces removed, traditional characters of the report vocabulary mapped to
// simplified, quotes and dashes unified.
func Key(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		r = fold(r)
		if unicode.IsSpace(r) || r == '\u00A0' || unicode.IsControl(r) ||
			r == '\uFEFF' || r == '\u200B' || r == '\uFFFD' {
			continue
		}
		if r >= tradLo && r <= tradHi {
			if m := tradTable[r-tradLo]; m != 0 {
				r = rune(m)
			}
		}
		switch r {
		case '“', '”', '「', '」', '『', '』', '‘', '’', '\'':
			r = '"'
		case '。':
			if sb.Len() > 0 {
				// "1。" and "1." both number items
				r = '.'
			}
		case '〔', '【':
			r = '['
		case '〕', '】':
			r = ']'
		case '—', '–', '―', '‐':
			r = '-'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// fold maps full-width ASCII forms (（）１２：) to ASCII and the ideographic
// space to a space, as golang.org/x/text/width.Fold does for these
// characters, without its per-call allocations.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// trad maps the traditional forms of the characters that occur in template
// labels, headings and date labels (繁体 mirrors of report pages) to their
// simplified forms. It is deliberately limited to that vocabulary.
// tradTable is trad as a direct table over the CJK block, for Key's inner
// loop: a map lookup per character cost more than the rest of Key.
const tradLo, tradHi = 0x4E00, 0x9FFF

var tradTable = func() (t [tradHi - tradLo + 1]uint16) {
	for k, v := range trad {
		if k >= tradLo && k <= tradHi {
			t[k-tradLo] = uint16(v)
		}
	}
	return t
}()

var trad = func() map[rune]rune {
	pairs := "開开報报總总計计處处理理條条項项複复議议訴诉訟讼結结維维糾纠審审請请數数數数" +
		"資资訊讯機机關关門门務务發发佈布時时間间稅税費费據据規规範范許许強强製制" +
		"實实際际內内於于與与這这個个為为無无須须應应當当對对況况權权責责單单體体" +
		"產产業业組组織织構构義义護护衛卫險险導导獲获詢询並并轉转後后續续辦办決决" +
		"現现廢废徵征採采購购額额論论評评價价錄录點点會会議议區区縣县鎮镇鄉乡樞枢" +
		"勢势聯联網网絡络頁页碼码號号廳厅輔辅莊庄園园陽阳陰阴長长東东車车馬马風风" +
		"類类紀纪經经濟济醫医療疗億亿萬万圍围壓压劃划進进運运動动環环歷历問问題题" +
		"舉举標标準准術术識识設设計计訪访證证據据認认讀读變变總总屬属級级縮缩減减" +
		"詳详細细說说讓让錯错誤误週周據据從从來来個个們们將将專专欄栏傳传寫写簡简" +
		"歸归檔档庫库統统類类級级寬宽廣广東东貴贵兩两節节難难歲岁復复" +
		"穩稳響响戶户損损罰罚執执檢检驗验質质獻献蘇苏測测讞谳諮咨詢询" +
		"國国繼继補补確确繳缴納纳處处遞递僅仅與与舊旧薦荐營营審审訊讯償偿賠赔違违"
	m := make(map[rune]rune)
	rs := []rune(pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			m[rs[i]] = rs[i+1]
		}
	}
	return m
}()

// CJK reports whether r is a Han character.
func CJK(r rune) bool { return unicode.Is(unicode.Han, r) }

// JoinCJK removes single spaces between two Han characters, which PDF and
// justified-text extraction insert ("总 计" → "总计"), keeping spaces next to
// Latin letters and digits.
func JoinCJK(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var sb strings.Builder
	sb.Grow(len(s))
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && isCJKPunct(rs[i-1]) && isCJKPunct(rs[i+1]) {
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func isCJKPunct(r rune) bool {
	return CJK(r) || strings.ContainsRune("，。、；：（）“”《》！？【】「」", r)
}

// crumbLabels start a breadcrumb; crumbSeps separate its steps.
var (
	crumbLabels = []string{"当前位置", "您的位置", "您当前的位置", "您现在的位置", "现在的位置", "所在位置", "当前页面", "位置"}
	crumbSeps   = []string{">>", "»", ">", "＞", "→", "›", "〉"}
)

// Uncrumb returns the last step of a breadcrumb line (「当前位置：首页 > 政务
// 公开 > XX局2023年政府信息公开工作年度报告」) and true, or the line unchanged
// and false when it is not one. A title never starts with the trail.
func Uncrumb(line string) (string, bool) {
	s := strings.TrimSpace(line)
	labelled := false
	for _, l := range crumbLabels {
		if rest, ok := strings.CutPrefix(s, l); ok {
			if r := strings.TrimLeft(rest, " ：:"); len(r) < len(rest) || rest == "" {
				s, labelled = r, true
				break
			}
		}
	}
	cut := -1
	for _, sep := range crumbSeps {
		if i := strings.LastIndex(s, sep); i >= 0 && i+len(sep) > cut {
			cut = i + len(sep)
		}
	}
	// a trail starts at the home page, or is labelled as one
	if cut < 0 || !(labelled || strings.HasPrefix(s, "首页") || strings.HasPrefix(s, "网站首页") || strings.HasPrefix(s, "主页")) {
		if labelled {
			return s, true
		}
		return line, false
	}
	return strings.TrimSpace(s[cut:]), true
}
