package scan

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/charset"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/internal/simnet"
	"github.com/ogicheck/ogicheck/result"
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

// hostileSite serves, in one 年报 column, the inputs that once stopped a
// run: a report page with the table grid that looped forever, a file that
// inflates past the size limit (a gzip bomb), a workbook whose merged
// range covers 17 billion cells, and a robots.txt that redirects to the
// cloud metadata address.
func hostileSite(t *testing.T) *httptest.Server {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zeros := make([]byte, 1<<20)
	for range 64 { // 64 MiB of zeros in about 64 KiB
		zw.Write(zeros)
	}
	zw.Close()
	page := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>%s</title></head><body><h1>%s</h1>%s</body></html>", title, title, body)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/":
			page(w, "某某县人民政府", `<a href="/nb/">政府信息公开年报</a>`)
		case "/nb/":
			page(w, "政府信息公开年报", `<ul>`+
				`<li><a href="/nb/2023.html">某某县人民政府2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>`+
				`<li><a href="/nb/2022.html">某某县人民政府2022年政府信息公开工作年度报告</a><span>2023-01-20</span></li>`+
				`<li><a href="/nb/2021.xlsx">某某县人民政府2021年政府信息公开工作年度报告</a><span>2022-01-20</span></li></ul>`)
		case "/nb/2023.html":
			page(w, "某某县人民政府2023年政府信息公开工作年度报告", "<p>一、总体情况</p>"+hostile.HangTable)
		case "/nb/2022.html":
			page(w, "某某县人民政府2022年政府信息公开工作年度报告", `<p>见附件：<a href="/nb/2022.pdf">2022年年度报告.pdf</a></p>`)
		case "/nb/2022.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		case "/nb/2021.xlsx":
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Write(hostile.XLSXMerge())
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestHostileSiteAmongOthers crawls the simulated internet with the
// hostile site added: the run ends, each hostile input is a finding on its
// site, and every other site gets exactly its planted findings.
func TestHostileSiteAmongOthers(t *testing.T) {
	t.Parallel()
	n, err := simnet.Start(simnet.Config{Seed: 0, Sites: 6, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	bad := hostileSite(t)
	urls := []string{bad.URL + "/"}
	for _, s := range n.Sites {
		urls = append(urls, s.Home)
	}
	ccfg := crawler.DefaultConfig()
	ccfg.Delay, ccfg.Timeout, ccfg.BackoffBase, ccfg.MaxBodySize = time.Millisecond, 10*time.Second, 5*time.Millisecond, 2<<20
	opts := testOptions()
	opts.Limits = documentLimits(2 << 20)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res := Collect(ctx, urls, ccfg, opts)
	if ctx.Err() != nil {
		t.Fatal("the crawl did not end")
	}
	found := map[string]bool{}
	others := &result.Result{}
	for _, s := range res.Sites {
		if s.URL != bad.URL+"/" {
			others.Sites = append(others.Sites, s)
			continue
		}
		for _, f := range s.Findings {
			found[f.Rule+" "+f.Evidence.URL] = true
		}
	}
	for _, d := range res.Documents {
		if d.Site != bad.URL+"/" {
			others.Documents = append(others.Documents, d)
			continue
		}
		for _, f := range d.Findings {
			found[f.Rule+" "+d.Source] = true
		}
	}
	for _, want := range []string{
		"DOC-LIMIT " + bad.URL + "/nb/2023.html",              // the table grid cut at its cap
		"SITE-LIMIT " + bad.URL + "/nb/2022.pdf",              // inflates past the size limit
		"DOC-LIMIT " + bad.URL + "/nb/2021.xlsx",              // the merge bounded by the cell budget
		"SITE-LIMIT http://169.254.169.254/latest/meta-data/", // robots.txt redirect not followed
	} {
		if !found[want] {
			t.Errorf("no finding %q on the hostile site; found %v", want, found)
		}
	}
	for f := range found {
		if rule, _, _ := strings.Cut(f, " "); rule == "SEC-MISSING" || rule == "TBL-MISSING" || rule == "SITE-BROKEN-LINK" {
			t.Errorf("%s: what a limit cut short is not missing or broken", f)
		}
	}
	sc := n.Score(others)
	if len(sc.Missing) > 0 || len(sc.Unexpected) > 0 {
		t.Errorf("the other sites' findings changed: missing %v, unexpected %v", sc.Missing, sc.Unexpected)
	}
}
