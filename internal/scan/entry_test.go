package scan

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/internal/annual"
)

func roundtripFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "roundtrip", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTablesInAnAttachment: a report page with the text and its tables in
// an attached spreadsheet is read as one report, not as one without tables.
func TestTablesInAnAttachment(t *testing.T) {
	page := regexp.MustCompile(`(?s)<table.*?</table>`).ReplaceAllString(string(roundtripFile(t, "report.html")), "<p>（见附件）</p>")
	e := crawler.Entry{Title: "桐溪县人民政府办公室2023年政府信息公开工作年度报告", URL: "http://x.gov.cn/t20240129_1.html",
		Page: &crawler.Resource{Body: []byte(page), ContentType: "text/html"},
		Attachments: []crawler.Resource{{URL: "http://x.gov.cn/P020240129.xlsx", Body: roundtripFile(t, "report.xlsx"),
			ContentType: "application/octet-stream", LinkText: "统计表.xlsx"}}}
	docs := readEntry(e)
	if len(docs) != 1 {
		t.Fatalf("%d documents, want the page and its attachment as one", len(docs))
	}
	r := docs[0]
	if len(r.Tables) != 3 || len(r.Sections) != 6 || len(r.Attachments) != 1 || r.Source != e.URL {
		t.Errorf("tables %d, sections %d, attachments %v, source %s", len(r.Tables), len(r.Sections), r.Attachments, r.Source)
	}
}

// TestCoverPageOfSeveralReports: a cover page with one report per township
// keeps every report; two copies of one report count once.
func TestCoverPageOfSeveralReports(t *testing.T) {
	base := string(roundtripFile(t, "report.html"))
	a := strings.ReplaceAll(base, "桐溪县人民政府办公室", "桐溪县城关镇人民政府")
	b := strings.ReplaceAll(base, "桐溪县人民政府办公室", "桐溪县南山乡人民政府")
	e := crawler.Entry{Title: "2023年各乡镇政府信息公开工作年度报告", URL: "http://x.gov.cn/t20240129_2.html",
		Page: &crawler.Resource{Body: []byte("<html><body><p>各乡镇2023年年度报告见附件。</p></body></html>"), ContentType: "text/html"},
		Attachments: []crawler.Resource{
			{URL: "http://x.gov.cn/a.html", Body: []byte(a), ContentType: "text/html"},
			{URL: "http://x.gov.cn/b.html", Body: []byte(b), ContentType: "text/html"},
			{URL: "http://x.gov.cn/b.doc", Body: roundtripFile(t, "report.doc"), ContentType: "application/msword"},
			{URL: "http://x.gov.cn/b2.html", Body: []byte(b), ContentType: "text/html"},
		}}
	docs := readEntry(e)
	var agencies []string
	for _, d := range docs {
		agencies = append(agencies, d.Agency)
	}
	sort.Strings(agencies)
	want := "桐溪县人民政府办公室 桐溪县南山乡人民政府 桐溪县城关镇人民政府"
	got := strings.Join(agencies, " ")
	if got != want {
		t.Errorf("agencies %q, want %q", got, want)
	}
}

func readEntry(e crawler.Entry) []*annual.Report {
	opts := testOptions()
	opts.defaults()
	return annual.ReadEntry(context.Background(), newReader(&opts), entryOf(&e), opts.Options)
}
