package document_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/result"
)

func TestStripInvisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"政府信息公开 2023", "政府信息公开 2023"},
		{hostile.Bidi, "行政复议数量：123甲乙丙丁戊己庚辛壬"},
		{"abc\u202e", "abc"},
		{"\u202eabc", "abc"},
		{"a\tb\x1b[31mc\x7fd\u0085e", "a b[31mcd e"},
		{"\u00ad\u180e\u2061\U000e0041x", "x"},
		{"\u3000全角\u00a0空格", "\u3000全角\u00a0空格"}, // spaces are text; norm decides what they mean
	}
	for _, tt := range tests {
		if got := document.StripInvisible(tt.in); got != tt.want {
			t.Errorf("StripInvisible(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDocumentStripInvisible(t *testing.T) {
	d := &document.Document{
		Title:  "年报\u202e",
		Blocks: []document.Block{{Text: "\u2066正文\u2069"}, {Table: &document.Table{Rows: [][]document.Cell{{{Text: "\u202a1\u202c"}, {Text: "\u202a1\u202c", Spanned: true}}}}}, {Image: "a\u202egnp.exe"}},
		Meta:   []document.Meta{{Label: "发布\u200f日期", Value: "2024-01-01\u200e"}},
		Links:  []document.Link{{Text: "附件\u202e", URL: "http://x/\u202ea"}},
		Notes:  []document.Note{{Kind: document.NoteLimit, Message: result.Text{Zh: "工作表\u202e", En: "sheet \u202e"}}},
	}
	d.StripInvisible()
	got := []string{d.Title, d.Blocks[0].Text, d.Blocks[1].Table.Rows[0][0].Text, d.Blocks[1].Table.Rows[0][1].Text, d.Blocks[2].Image,
		d.Meta[0].Label, d.Meta[0].Value, d.Links[0].Text, d.Links[0].URL, d.Notes[0].Message.En, d.Notes[0].Message.Zh}
	want := []string{"年报", "正文", "1", "1", "agnp.exe", "发布日期", "2024-01-01", "附件", "http://x/a", "sheet ", "工作表"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestInterrupt(t *testing.T) {
	ctx := hostile.Expiring(3)
	stop := document.NewInterrupt(ctx)
	n := 0
	for !stop.Stop() {
		n++
	}
	// the context is looked at every 1024 calls; the third look ends it
	if n != 3*1024-1 {
		t.Errorf("stopped after %d calls, want %d", n, 3*1024-1)
	}
	if !stop.Stop() || !errors.Is(stop.Err(), context.DeadlineExceeded) {
		t.Errorf("not stopped for good: %v", stop.Err())
	}
}

func TestContextReader(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := document.ContextReader(ctx, []byte("abcdef"))
	buf := make([]byte, 3)
	if n, err := r.Read(buf); n != 3 || err != nil {
		t.Fatalf("Read = %d, %v", n, err)
	}
	cancel()
	if n, err := r.Read(buf); n != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("Read after cancel = %d, %v; want 0, context.Canceled", n, err)
	}
	if _, err := io.ReadAll(document.ContextReader(context.Background(), []byte("x"))); err != nil {
		t.Error(err)
	}
}

// TestHiddenShortcut checks the range hidden answers without the Unicode
// tables against them.
func TestHiddenShortcut(t *testing.T) {
	for r := rune(0x2070); r < 0xFEFF; r++ {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			t.Errorf("U+%04X is a control or format character: hidden must not skip it", r)
		}
	}
}
