package scan

import (
	"context"
	"testing"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/charset"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

// A crawled report page that declares UTF-8 and has one stray byte is read
// as the report it is, with its repair noted, as when it is read from a
// file.
func TestStrayBytePage(t *testing.T) {
	raw := hostile.StrayByte()
	dec := charset.Decode(raw, "text/html")
	e := &crawler.Entry{Title: "某某局2023年政府信息公开工作年度报告", URL: "http://x.gov.cn/nb/t20240120_1.html",
		Page: &crawler.Resource{URL: "http://x.gov.cn/nb/t20240120_1.html", Body: dec.Text, Charset: dec.Label, CharsetFrom: dec.From}}
	opts := testOptions()
	opts.defaults()
	crawled := annual.ReadEntry(context.Background(), newReader(&opts), entryOf(e), opts.Options)
	fromFile := Analyze(context.Background(), document.Input{Source: "stray.html", Data: raw}, opts, annual.Hints{})
	for name, docs := range map[string][]*annual.Report{"crawled": crawled, "file": {fromFile}} {
		if len(docs) != 1 || !docs[0].IsReport() {
			t.Fatalf("%s: %d documents, want the report", name, len(docs))
		}
		if n, ok := docs[0].HasNote(document.NoteRepaired); !ok || n.Message.Zh == "" || n.Message.En == "" {
			t.Errorf("%s: notes %+v, want the repair in both languages", name, docs[0].Doc.Notes)
		}
	}
}
