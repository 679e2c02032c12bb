package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
	"github.com/ogicheck/ogicheck/internal/roundtrip"
)

func readFile(t testing.TB, path string) *document.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), document.Input{Source: path, Data: data})
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return d
}

func TestReadRoundtrip(t *testing.T) {
	d := readFile(t, roundtrip.File(t, "report.docx"))
	if d.Format != "docx" || d.Title != "桐溪县人民政府办公室2023年政府信息公开工作年度报告" {
		t.Errorf("format %q title %q", d.Format, d.Title)
	}
	if len(d.Notes) != 0 {
		t.Errorf("unexpected notes %+v", d.Notes)
	}
	roundtrip.CheckHeadings(t, d)
	golden := roundtrip.Golden(t)

	t2 := roundtrip.FindTable(d, "第二十条第（一）项")
	t3 := roundtrip.FindTable(d, "申请人情况")
	t4 := roundtrip.FindTable(d, "复议后起诉")
	if t2 == nil || t3 == nil || t4 == nil {
		t.Fatalf("tables 二 %v 三 %v 四 %v: one is missing", t2 != nil, t3 != nil, t4 != nil)
	}
	roundtrip.CheckGoldenRows(t, t2, golden, "T2")
	roundtrip.CheckGoldenRows(t, t3, golden, "T3")
	roundtrip.CheckTable3Spans(t, t3)

	if len(t4.Rows) != 4 {
		t.Fatalf("table 四 has %d rows, want 4", len(t4.Rows))
	}
	var got []string
	for _, c := range t4.Rows[3] {
		got = append(got, c.Text)
	}
	for _, g := range golden {
		if g.Table == "T4" && strings.Join(got, " ") != strings.Join(g.Nums, " ") {
			t.Errorf("table 四 data row %q, want %q", got, g.Nums)
		}
	}
	if c := t4.Rows[0][4]; c.Text != "行政复议" || !c.Spanned {
		t.Errorf("table 四 (0,4) = %+v, want spanned 行政复议", c)
	}
	if c := t4.Rows[2][4]; c.Text != "总计" || !c.Spanned {
		t.Errorf("table 四 (2,4) = %+v, want spanned 总计", c)
	}
	if c := t4.Rows[1][10]; c.Text != "复议后起诉" || c.Spanned {
		t.Errorf("table 四 (1,10) = %+v, want 复议后起诉", c)
	}
	// Tables sit between their section headings.
	order := []string{}
	for _, b := range d.Blocks {
		if b.Table != nil {
			order = append(order, "T")
		} else if strings.HasPrefix(b.Text, "二、") || strings.HasPrefix(b.Text, "三、") || strings.HasPrefix(b.Text, "四、") || strings.HasPrefix(b.Text, "五、") {
			order = append(order, string([]rune(b.Text)[:2]))
		}
	}
	if got, want := strings.Join(order, ""), "二、T三、T四、T五、"; got != want {
		t.Errorf("block order %q, want %q", got, want)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/roundtrip/report.txt")

// TestReadText: report.txt is the text of the Word fixtures (the DOC
// reader's test checks report.doc against it too). After changing
// report.html, check the new text by eye and rewrite it with -update.
func TestReadText(t *testing.T) {
	d := readFile(t, roundtrip.File(t, "report.docx"))
	if *update {
		if err := os.WriteFile(roundtrip.File(t, "report.txt"), []byte(d.Text()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(roundtrip.File(t, "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Text(); got != string(want) {
		t.Errorf("text differs from report.txt:\n%s", got)
	}
}

func TestReadCells(t *testing.T) {
	d := readFile(t, "testdata/cells.docx")
	// The nested table follows the table that holds it.
	// Text leaves out span copies: the merged cell once, the position
	// covered by the cell above not at all
	want := "表格边界情况\n甲 |  | 丙\n | 乙 | \n | 合并\nx | \n第一段 第二段 |  | \n两表之间\n外层 | 右\n内1 | 内2\n结尾\n"
	if got := d.Text(); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	if tb := d.Blocks[1].Table; !tb.Rows[3][0].Spanned || tb.Rows[2][0].Spanned || !tb.Rows[2][2].Spanned {
		t.Errorf("span flags: %+v", tb.Rows)
	}
}

func TestReadSample(t *testing.T) {
	d := readFile(t, "testdata/sample.docx")
	tb := roundtrip.FindTable(d, "申请人") // absent in the small sample: it has 自然人 only
	if tb != nil {
		t.Errorf("unexpected 申请人 table")
	}
	tb = roundtrip.FindTable(d, "自然人")
	if tb == nil {
		t.Fatal("no table with 自然人")
	}
	want := [][]string{
		{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "法人或其他组织", "法人或其他组织", "总计"},
		{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "商业企业", "科研机构", "总计"},
		{"一、本年新收政府信息公开申请数量", "600", "50", "28", "678"},
		{"二、上年结转政府信息公开申请数量", "10", "0", "0", "10"},
	}
	if len(tb.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(tb.Rows), len(want))
	}
	for i, w := range want {
		var got []string
		for _, c := range tb.Rows[i] {
			got = append(got, c.Text)
		}
		if strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %d = %q, want %q", i, got, w)
		}
	}
	if !tb.Rows[1][0].Spanned || !tb.Rows[0][3].Spanned || tb.Rows[1][2].Spanned {
		t.Errorf("span flags wrong: %+v", tb.Rows[:2])
	}
}

// TestFixtureMatchesSource keeps tables.tsv honest: its rows are the rows of
// report.html, and the planted defect is the only broken identity.
func TestFixtureMatchesSource(t *testing.T) {
	html, err := os.ReadFile(roundtrip.File(t, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	tdRe := regexp.MustCompile(`<td[^>]*>(.*?)</td>`)
	numRe := regexp.MustCompile(`^[0-9.]+$`)
	var fromHTML []string
	for i, tbl := range regexp.MustCompile(`(?s)<table.*?</table>`).FindAllString(string(html), -1) {
		for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(tbl, -1) {
			label, nums := "-", []string{}
			for _, m := range tdRe.FindAllStringSubmatch(tr[1], -1) {
				if numRe.MatchString(m[1]) {
					nums = append(nums, m[1])
				} else {
					label = m[1]
				}
			}
			if len(nums) > 0 {
				fromHTML = append(fromHTML, []string{"T2", "T3", "T4"}[i]+" "+label+" "+strings.Join(nums, " "))
			}
		}
	}
	var fromGolden []string
	golden := roundtrip.Golden(t)
	for _, g := range golden {
		fromGolden = append(fromGolden, g.Table+" "+g.Label+" "+strings.Join(g.Nums, " "))
	}
	if strings.Join(fromHTML, "\n") != strings.Join(fromGolden, "\n") {
		t.Fatalf("tables.tsv differs from report.html:\nhtml:\n%s\ngolden:\n%s", strings.Join(fromHTML, "\n"), strings.Join(fromGolden, "\n"))
	}

	// Identities of spec §3.5 on the golden rows; EXPECTED.md lists the failures.
	row := map[string][]int{}
	var t3 [][]int
	var t4 []int
	for _, g := range golden {
		var v []int
		for _, s := range g.Nums {
			n, err := strconv.Atoi(s)
			if err != nil && g.Table != "T2" {
				t.Fatalf("%s %s: %v", g.Table, g.Label, err)
			}
			v = append(v, n)
		}
		switch g.Table {
		case "T3":
			row[g.Label] = v
			t3 = append(t3, v)
		case "T4":
			t4 = v
		}
	}
	cols := []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}
	var failed []string
	one, two, seven, four := row["一、本年新收政府信息公开申请数量"], row["二、上年结转政府信息公开申请数量"], row["（七）总计"], row["四、结转下年度继续办理"]
	results := t3[2 : len(t3)-2] // the 21 result rows, without （七） and 四
	if len(results) != 21 {
		t.Fatalf("%d result rows, want 21", len(results))
	}
	for c, name := range cols {
		if one[c]+two[c] != seven[c]+four[c] {
			failed = append(failed, "T3-COL "+name)
		}
		sum := 0
		for _, r := range results {
			sum += r[c]
		}
		if sum != seven[c] {
			failed = append(failed, "T3-SUM "+name)
		}
	}
	for i, r := range t3 {
		if r[0]+r[1]+r[2]+r[3]+r[4]+r[5] != r[6] {
			failed = append(failed, "T3-ROW "+strconv.Itoa(i))
		}
	}
	for g := 0; g < 3; g++ {
		v := t4[g*5 : g*5+5]
		if v[0]+v[1]+v[2]+v[3] != v[4] {
			failed = append(failed, "T4-SUM "+strconv.Itoa(g))
		}
	}
	if got, want := strings.Join(failed, ", "), "T3-COL 商业企业, T3-COL 总计"; got != want {
		t.Errorf("failing identities: %s; want %s", got, want)
	}
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const wns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

func para(s string) string { return `<w:p><w:r><w:t>` + s + `</w:t></w:r></w:p>` }

func TestReadStructures(t *testing.T) {
	cell := func(s string) string { return `<w:tc>` + para(s) + `</w:tc>` }
	body := para("标题") +
		// A one-column frame table around text and a real table.
		`<w:tbl><w:tr><w:tc>` + para("框内段落") +
		`<w:tbl><w:tr>` + cell("a") + cell("b") + `</w:tr><w:tr>` + `<w:trPr><w:gridBefore w:val="1"/></w:trPr>` + cell("c") + `</w:tr></w:tbl>` +
		`</w:tc></w:tr></w:tbl>` +
		`<w:p><w:r><w:t xml:space="preserve">删</w:t></w:r><w:del><w:r><w:delText>去掉</w:delText></w:r></w:del>` +
		`<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:tab/><w:t>留</w:t><w:br/><w:t>下</w:t></w:r></w:p>` +
		`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent>` + para("文本框") + `</w:txbxContent></mc:Choice>` +
		`<mc:Fallback><w:txbxContent>` + para("文本框") + `</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>`
	data := zipOf(t, map[string]string{
		"word/document.xml": `<w:document ` + wns + `><w:body>` + body + `</w:body></w:document>`,
		"docProps/core.xml": `<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Untitled</dc:title></cp:coreProperties>`,
	})
	d, err := Read(context.Background(), document.Input{Source: "s.docx", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(d.Text())
	want := "标题\n框内段落\na | b\n | c\n删 留 下\n文本框"
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	if d.Title != "标题" {
		t.Errorf("title %q: a placeholder property title must fall back to the first line", d.Title)
	}
}

func TestReadErrors(t *testing.T) {
	good, err := os.ReadFile(roundtrip.File(t, "report.docx"))
	if err != nil {
		t.Fatal(err)
	}
	xlsx, err := os.ReadFile(roundtrip.File(t, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(roundtrip.File(t, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	// An OLE2 signature and, further on, the UTF-16LE stream name.
	encrypted := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...)
	encrypted = append(encrypted, strings.Join(strings.Split("EncryptedPackage", ""), "\x00")+"\x00"...)
	tests := []struct {
		name, want  string
		data        []byte
		unsupported bool
		note        string
	}{
		{"html saved as docx", "an HTML page", html, true, ""},
		{"spreadsheet", "a spreadsheet", xlsx, true, ""},
		{"empty", "empty file", nil, true, ""},
		{"truncated", "damaged zip", good[:len(good)/2], false, ""},
		{"encrypted", "encrypted", encrypted, false, document.NoteEncrypted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Read(context.Background(), document.Input{Source: "x.docx", Data: tc.data})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.docx") {
				t.Fatalf("err = %v, want one naming x.docx and %q", err, tc.want)
			}
			if errors.Is(err, document.ErrUnsupported) != tc.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", !tc.unsupported, tc.unsupported)
			}
			if tc.note != "" && (d == nil || len(d.Notes) == 0 || d.Notes[0].Kind != tc.note) {
				t.Errorf("doc %+v, want note %s", d, tc.note)
			}
		})
	}
}

func TestReadLimits(t *testing.T) {
	// 2 MB of paragraphs, highly compressible: a small zip bomb.
	body := strings.Repeat(para(strings.Repeat("政务公开", 50)), 2<<20/len(para(strings.Repeat("政务公开", 50))))
	data := zipOf(t, map[string]string{"word/document.xml": `<w:document ` + wns + `><w:body>` + body + `</w:body></w:document>`})
	d, err := Read(context.Background(), document.Input{Source: "bomb.docx", Data: data, Limits: document.Limits{MaxUnpacked: 256 << 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || d.Notes[0].Kind != document.NoteLimit {
		t.Errorf("notes %+v, want one limit note", d.Notes)
	}
	if n := len(d.Text()); n == 0 || n > 256<<10 {
		t.Errorf("kept %d bytes of text, want some and at most the limit", n)
	}

	d = readFileLimits(t, roundtrip.File(t, "report.docx"), document.Limits{MaxCells: 100})
	cells := 0
	for _, b := range d.Blocks {
		if b.Table != nil {
			for _, r := range b.Table.Rows {
				cells += len(r)
			}
		}
	}
	if cells == 0 || cells > 100 || len(d.Notes) == 0 || d.Notes[0].Kind != document.NoteLimit {
		t.Errorf("%d cells kept, notes %+v; want 1..100 and a limit note", cells, d.Notes)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, _ = os.ReadFile(roundtrip.File(t, "report.docx"))
	if _, err := Read(ctx, document.Input{Source: "c.docx", Data: data}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: err = %v", err)
	}
}

func readFileLimits(t *testing.T, path string, lim document.Limits) *document.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), document.Input{Source: path, Data: data, Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/sample.docx", roundtrip.File(f, "report.docx")} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(zipOf(f, map[string]string{"word/document.xml": `<w:document ` + wns + `><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/><w:vMerge/></w:tcPr></w:tc></w:tr></w:tbl></w:body></w:document>`}))
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d *document.Document
		var err error
		hostile.Within(t, func(ctx context.Context) {
			d, err = Read(ctx, document.Input{Source: "f.docx", Data: data, Limits: document.Limits{MaxUnpacked: 8 << 20}})
		})
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}
