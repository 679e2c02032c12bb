package document

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// StripInvisible removes what makes text display other than it reads: the
// invisible format characters (Unicode category Cf: the bidi embeddings,
// overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E,
// U+200F and U+061C, zero-width characters, the BOM…) and control
// characters, of which white space becomes a space. A page that writes
// 「数量」 with U+202E before it displays it reversed in a terminal or a
// report; the text the checker shows must be the text it read.
func StripInvisible(s string) string {
	i := firstInvisible(s)
	if i < 0 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	sb.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case !hidden(r):
			sb.WriteRune(r)
		case unicode.IsSpace(r):
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// firstInvisible is the index of the first character StripInvisible
// changes, or -1. Most text has none, and the check does not allocate.
func firstInvisible(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if hidden(r) {
			return i
		}
		i += n
	}
	return -1
}

func hidden(r rune) bool {
	if r >= 0x2070 && r < 0xFEFF {
		return false // CJK and the rest of this range hold no control or format character
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// StripInvisible applies StripInvisible to every text of the document:
// title, paragraphs, cells, image names, metadata, link texts and URLs,
// and notes.
func (d *Document) StripInvisible() {
	d.Title = StripInvisible(d.Title)
	for i := range d.Blocks {
		b := &d.Blocks[i]
		b.Text = StripInvisible(b.Text)
		b.Image = StripInvisible(b.Image)
		if b.Table == nil {
			continue
		}
		for _, row := range b.Table.Rows {
			for j := range row {
				row[j].Text = StripInvisible(row[j].Text)
			}
		}
	}
	for i := range d.Meta {
		d.Meta[i].Label = StripInvisible(d.Meta[i].Label)
		d.Meta[i].Value = StripInvisible(d.Meta[i].Value)
	}
	for i := range d.Links {
		d.Links[i].Text = StripInvisible(d.Links[i].Text)
		d.Links[i].URL = StripInvisible(d.Links[i].URL)
	}
	for i := range d.Notes {
		d.Notes[i].Message.Zh = StripInvisible(d.Notes[i].Message.Zh)
		d.Notes[i].Message.En = StripInvisible(d.Notes[i].Message.En)
	}
}
