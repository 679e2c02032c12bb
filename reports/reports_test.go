package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/ogicheck/ogicheck/result"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking the change)\ngot:\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	ext := map[string]string{FormatTable: "txt", FormatSummary: "txt", FormatJSON: "json", FormatCSV: "csv", FormatMarkdown: "md", FormatHTML: "html", FormatXLSX: "txt"}
	for _, format := range Formats() {
		for _, lang := range []string{LangZh, LangEn} {
			t.Run(format+"_"+lang, func(t *testing.T) {
				var buf bytes.Buffer
				if err := Write(&buf, fixture(), Options{Format: format, Lang: lang}); err != nil {
					t.Fatalf("Write: %v", err)
				}
				got := buf.Bytes()
				if format == FormatXLSX { // a zip: compare what a reader sees
					got = []byte(xlsxDump(t, got))
				}
				golden(t, format+"_"+lang+"."+ext[format]+".golden", got)
			})
		}
	}
}

func write(t testing.TB, r *result.Result, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, opts); err != nil {
		t.Fatalf("Write(%+v): %v", opts, err)
	}
	return buf.String()
}

func TestOptionsErrors(t *testing.T) {
	tests := []struct {
		name string
		r    *result.Result
		opts Options
	}{
		{"nil result", nil, Options{}},
		{"unknown format", fixture(), Options{Format: "pdf"}},
		{"format case", fixture(), Options{Format: "JSON"}},
		{"unknown language", fixture(), Options{Lang: "fr"}},
		{"unknown severity", fixture(), Options{MinSeverity: "fatal"}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := Write(&buf, tt.r, tt.opts)
		if !errors.Is(err, ErrOptions) {
			t.Errorf("%s: err = %v, want ErrOptions", tt.name, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes despite the error", tt.name, buf.Len())
		}
	}
}

func TestDefaults(t *testing.T) {
	r := fixture()
	if got, want := write(t, r, Options{}), write(t, r, Options{Format: FormatTable, Lang: LangZh}); got != want {
		t.Errorf("empty Options: got a different output than table/zh")
	}
	r.Lang = LangEn
	if got := write(t, r, Options{}); !strings.Contains(got, "Total: 5 documents") {
		t.Errorf("Lang from an English result: got %q…, want English totals", got[:min(len(got), 200)])
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	err := Write(errWriter{}, fixture(), Options{Format: FormatJSON})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the writer's error wrapped", err)
	}
}

func TestDoesNotMutate(t *testing.T) {
	r := fixture()
	r.Documents = append(r.Documents, nil) // nil entries are skipped, not dereferenced
	r.Sites = append(r.Sites, nil)
	want := fixture()
	want.Documents = append(want.Documents, nil)
	want.Sites = append(want.Sites, nil)
	for _, format := range Formats() {
		write(t, r, Options{Format: format, Lang: LangEn, MinSeverity: result.SeverityWarning})
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("Write changed the caller's result")
	}
}

func TestMinSeverity(t *testing.T) {
	tests := []struct {
		min  result.Severity
		want int // CSV data rows
	}{
		{"", 9},
		{result.SeverityInfo, 9},
		{result.SeverityWarning, 7},
		{result.SeverityError, 4},
	}
	for _, tt := range tests {
		out := write(t, fixture(), Options{Format: FormatCSV, MinSeverity: tt.min})
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, utf8BOM))).ReadAll()
		if err != nil {
			t.Fatalf("parse csv: %v", err)
		}
		if got := len(recs) - 1; got != tt.want {
			t.Errorf("MinSeverity %q: %d rows, want %d", tt.min, got, tt.want)
		}
		tbl := write(t, fixture(), Options{Format: FormatTable, Lang: LangEn, MinSeverity: tt.min})
		if tt.min == result.SeverityError && strings.Contains(tbl, "│ warning") {
			t.Errorf("MinSeverity error: table still shows a warning")
		}
	}
}

func TestJSONContract(t *testing.T) {
	t.Run("empty result", func(t *testing.T) {
		out := write(t, &result.Result{}, Options{Format: FormatJSON})
		want := "{\n  \"schema\": \"ogicheck/v1\",\n  \"lang\": \"zh\",\n  \"documents\": []\n}\n"
		if out != want {
			t.Errorf("got %q, want %q", out, want)
		}
	})
	t.Run("nil lists become []", func(t *testing.T) {
		r := &result.Result{
			Documents: []*result.Document{{Source: "a.pdf", Tables: []result.Table{{ID: "四", Rows: []result.Row{{Label: "x"}}}}}},
			Sites:     []*result.Site{{URL: "https://a.example.gov.cn/"}},
		}
		out := write(t, r, Options{Format: FormatJSON})
		if strings.Contains(out, "null,") || strings.Contains(out, "null\n") {
			// agency_level, year, published and template are nullable by contract
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, "null") && !regexp.MustCompile(`"(agency_level|year|published|template|value)": null`).MatchString(line) {
					t.Errorf("unexpected null: %s", line)
				}
			}
		}
		for _, key := range []string{"sections", "findings", "columns", "cells", "reports", "errors"} {
			if !strings.Contains(out, `"`+key+`": []`) {
				t.Errorf("%q is not written as []", key)
			}
		}
	})
	t.Run("localised messages round trip", func(t *testing.T) {
		for _, lang := range []string{LangZh, LangEn} {
			var got result.Result
			if err := json.Unmarshal([]byte(write(t, fixture(), Options{Format: FormatJSON, Lang: lang})), &got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got.Schema != result.Schema || got.Lang != lang {
				t.Errorf("schema %q lang %q, want %q %q", got.Schema, got.Lang, result.Schema, lang)
			}
			n := 0
			for _, d := range got.Documents {
				for _, f := range d.Findings {
					n++
					if f.Message != f.Messages.In(lang) {
						t.Errorf("%s: message %q, want %q", lang, f.Message, f.Messages.In(lang))
					}
				}
			}
			if n != 6 {
				t.Errorf("%d document findings, want 6", n)
			}
			if got.Documents[0].Tables[0].Rows[0].Cells[0].Raw != "10" {
				t.Errorf("table cells not kept: %+v", got.Documents[0].Tables[0])
			}
		}
	})
}

func TestCSVShape(t *testing.T) {
	out := write(t, fixture(), Options{Format: FormatCSV, Lang: LangEn})
	if !strings.HasPrefix(out, utf8BOM) {
		t.Fatalf("no UTF-8 BOM")
	}
	if strings.Count(out, "\r\n") < 10 {
		t.Errorf("lines do not end in CRLF")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, utf8BOM))).ReadAll()
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	wantHeader := []string{"Source", "Site", "Agency", "Year", "Kind", "Rule", "Category", "Severity", "Message",
		"Table", "Row", "Column", "Expected", "Actual", "Snippet", "Region", "Review", "Reviewer", "Reviewed at", "Reason"}
	if !slices.Equal(recs[0], wantHeader) {
		t.Errorf("header %q, want %q", recs[0], wantHeader)
	}
	// the site's first finding comes first, with the page URL as source
	site := recs[1]
	if site[0] != fixtureSite+"xxgk/ndbg/" || site[1] != fixtureSite || site[3] != "2020" || site[5] != "SITE-YEAR" {
		t.Errorf("site row %q", site)
	}
	var identity []string
	for _, r := range recs[1:] {
		if r[5] == "T4-SUM" {
			identity = r
		}
	}
	want := []string{fixtureSite + "xxgk/ndbg/202401/t20240125_8812.html", fixtureSite, "淮安市洪泽区人民政府", "2023",
		"annual report", "T4-SUM", "table identity broken", "error",
		"Table 四, administrative reconsideration: upheld + corrected + other + pending = 11, but the total is 0",
		"table 4", "行政复议", "总计", "11", "0", "", "", "", "", "", ""}
	if !slices.Equal(identity, want) {
		t.Errorf("identity row\n got %q\nwant %q", identity, want)
	}
}

// boxes returns the lines of each table drawn in a terminal output.
func boxes(out string) [][]string {
	var all [][]string
	var cur []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" && strings.ContainsRune("┌│├└", []rune(l)[0]) {
			cur = append(cur, l)
			continue
		}
		if cur != nil {
			all = append(all, cur)
			cur = nil
		}
	}
	return all
}

var ansiRe = regexp.MustCompile("\x1b\\[[0-9;]*m")

// checkBoxWidths fails unless every line of every box has the same display
// width, measured twice: by tablewriter's own measure and by go-runewidth
// (CJK wide, ambiguous narrow), after removing colour codes.
func checkBoxWidths(t testing.TB, out string) {
	t.Helper()
	cond := runewidth.NewCondition()
	cond.EastAsianWidth = false
	for i, box := range boxes(out) {
		w0 := -1
		for _, l := range box {
			plain := ansiRe.ReplaceAllString(l, "")
			tw := twwidth.WidthWithOptions(plain, twwidth.Options{})
			rw := cond.StringWidth(plain)
			if w0 < 0 {
				w0 = tw
			}
			if tw != w0 || rw != w0 {
				t.Errorf("box %d: line width %d (runewidth %d), want %d: %q", i, tw, rw, w0, l)
			}
		}
	}
}

func TestTableWidths(t *testing.T) {
	long := fixture()
	d := long.Documents[0]
	d.Findings = append(d.Findings,
		finding("T3-COL", result.CatTableIdentity, result.SeverityError,
			"表三自然人列：本年新收政府信息公开申请数量（821）加上年结转政府信息公开申请数量（18）应等于本年度办理结果总计（767）加结转下年度继续办理（72），实际不等：839 ≠ 840；请核对“三、本年度办理结果”各行……",
			"Table 三, column 自然人: new applications (821) + carried over (18) must equal the results total (767) + carried forward (72); 839 ≠ 840",
			result.Evidence{Table: "三", Row: "（七）总计", Column: "自然人", Expected: "839", Actual: "840",
				URL: "https://hongze.example.gov.cn/xxgk/ndbg/202401/a_very_long_attachment_name_without_any_spaces_at_all_2023.pdf"}),
		finding("MIX", result.CatInvalidCell, result.SeverityWarning,
			"单元格内容 “①ＡＢＣ” 含全角字符、emoji 👍🏽 和组合字符 e\u0301，以及 Ⅲ·※",
			"Cell has full-width ＡＢＣ, emoji 👍🏽, combining e\u0301",
			result.Evidence{Table: "二", Row: "第二十条第（一）项 规章", Column: "本年制发件数", Expected: "数字", Actual: "①ＡＢＣ"}),
	)
	for _, width := range []int{0, 60, 200} {
		for _, lang := range []string{LangZh, LangEn} {
			for _, color := range []bool{false, true} {
				for _, r := range []*result.Result{fixture(), long} {
					out := write(t, r, Options{Lang: lang, Color: color, Width: width})
					if n := len(boxes(out)); n != 5 {
						t.Errorf("width %d %s colour %v: %d boxes, want 5", width, lang, color, n)
					}
					checkBoxWidths(t, out)
				}
			}
		}
	}
}

func TestTableColour(t *testing.T) {
	out := write(t, fixture(), Options{Lang: LangZh, Color: true})
	for _, want := range []string{"\x1b[1;31m错误\x1b[0m", "\x1b[33m警告\x1b[0m", "\x1b[36m提示\x1b[0m"} {
		if !strings.Contains(out, want) {
			t.Errorf("coloured output lacks %q", want)
		}
	}
	if n := strings.Count(out, "\x1b["); n != 2*9 {
		t.Errorf("%d escape sequences, want 18 (a colour and a reset per finding)", n)
	}
	if plain := write(t, fixture(), Options{Lang: LangZh}); strings.Contains(plain, "\x1b") {
		t.Errorf("escape sequences without Color")
	}
}

// BenchmarkWrite renders 100 copies of the fixture (100 sites, 500
// documents, 900 findings) in every format.
func BenchmarkWrite(b *testing.B) {
	big := &result.Result{Schema: result.Schema}
	for range 100 {
		f := fixture()
		big.Documents = append(big.Documents, f.Documents...)
		big.Sites = append(big.Sites, f.Sites...)
	}
	for _, format := range Formats() {
		b.Run(format, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, big, Options{Format: format}); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}

// TestIncompleteShown: a result that lacks sites says so in every format
// read by people: why it is incomplete, and each site that could not be
// checked with the reason, although such a site has no finding.
func TestIncompleteShown(t *testing.T) {
	const url = "https://missing.example.gov.cn/"
	r := fixture()
	r.Incomplete = "scan-incomplete"
	r.Sites = append(r.Sites, &result.Site{URL: url, Agency: "西湖区人民政府", Reports: []result.SiteReport{}, Errors: []result.FetchError{},
		Findings: []result.Finding{}, Unchecked: result.Text{Zh: "扫描未能检查并保存该站点：超时", En: "the scan could not check and store this site: timeout"}})
	tests := []struct {
		format, lang string
		want         []string
	}{
		{FormatTable, LangZh, []string{"未能检查：扫描未能检查并保存该站点：超时", "扫描已结束但不完整", "1 个站点未能检查"}},
		{FormatTable, LangEn, []string{"Not checked: the scan could not check and store this site: timeout", "The scan ended incomplete", "1 site could not be checked"}},
		{FormatSummary, LangZh, []string{"未能检查", "扫描已结束但不完整", "1 个站点未能检查"}},
		{FormatSummary, LangEn, []string{"Not checked", "The scan ended incomplete", "1 site could not be checked"}},
		{FormatMarkdown, LangZh, []string{"| 未能检查 | 扫描未能检查并保存该站点：超时 |", "扫描已结束但不完整"}},
		{FormatMarkdown, LangEn, []string{"| Not checked | the scan could not check and store this site: timeout |", "The scan ended incomplete"}},
		{FormatHTML, LangZh, []string{"<th>未能检查</th>", "扫描未能检查并保存该站点：超时", "扫描已结束但不完整"}},
		{FormatHTML, LangEn, []string{"<th>Not checked</th>", "the scan could not check and store this site: timeout", "The scan ended incomplete"}},
	}
	for _, tt := range tests {
		out := write(t, r, Options{Format: tt.format, Lang: tt.lang, Width: 400})
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s %s: got no %q in\n%s", tt.format, tt.lang, w, out)
			}
		}
	}
	for _, lang := range []string{LangZh, LangEn} {
		name := labelsFor(lang).hUnchecked
		sheets := xlsxRows(t, []byte(write(t, r, Options{Format: FormatXLSX, Lang: lang})))
		rows := sheets[name]
		if len(rows) != 2 || len(rows[1]) != 4 || rows[1][2] != url || rows[1][3] != r.Sites[len(r.Sites)-1].Unchecked.In(lang) {
			t.Errorf("xlsx %s: sheet %q has rows %q, want the header and %s with its reason", lang, name, rows, url)
		}
	}
	// a complete result has no such sentence nor sheet
	full := write(t, fixture(), Options{Format: FormatTable, Lang: LangEn})
	if strings.Contains(full, "ended incomplete") || strings.Contains(full, "could not be checked") {
		t.Errorf("a complete result reads as incomplete:\n%s", full)
	}
	if sheets := xlsxRows(t, []byte(write(t, fixture(), Options{Format: FormatXLSX, Lang: LangEn}))); sheets["Not checked"] != nil {
		t.Errorf("a complete result has a sheet of unchecked sites")
	}
}
