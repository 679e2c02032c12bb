package pdf

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/document"
)

var sectionHeadings = []string{
	"一、总体情况",
	"二、主动公开政府信息情况",
	"三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况",
	"五、存在的主要问题及改进情况",
	"六、其他需要报告的事项",
}

// Row labels of table 三 as printed in both reports (2021 template with a
// single （六）其他处理 row): 一, 二, the 20 result rows of 三, and 四.
// 「其他法律行政止公开」 is the reports' own wording.
var table3Labels = []string{
	"一、本年新收政府信息公开申请数量",
	"二、上年结转政府信息公开申请数量",
	"（一）予以公开",
	"（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
	"1.属于国家秘密",
	"2.其他法律行政止公开",
	"3.危及“三安全一稳定”",
	"4.保护第三方合法权益",
	"5.属于三类内部事务信息",
	"6.属于四类过程性信息",
	"7.属于行政执法案卷",
	"8.属于行政查询事项",
	"1.本机关不掌握相关政府信息",
	"2.没有现成信息需要另行制作",
	"3.补正后申请内容仍不明确",
	"1.信访举报投诉类申请",
	"2.重复申请",
	"3.要求提供公开出版物",
	"4.无正当理由大量反复申请",
	"5.要求行政机关确认或重新出具已获取信息",
	"（六）其他处理",
	"（七）总计",
	"四、结转下年度继续办理",
}

// natural gives the row values "n 0 0 0 0 0 n": only 自然人 applied.
func natural(n string) []string { return []string{n, "0", "0", "0", "0", "0", n} }

func TestRealReports(t *testing.T) {
	tests := []struct {
		file   string
		title  string
		year   string
		table3 []string // 自然人 count per row; other applicants are 0
		table4 []string
		extra  []string // paragraph text expected somewhere
	}{
		{
			file:   "2023-jiangsu-huaian-hongzequ.pdf",
			title:  "洪泽区人民政府2023年政府信息公开工作年度报告",
			year:   "2023年",
			table3: []string{"21", "0", "0", "4", "1", "0", "0", "0", "0", "1", "1", "0", "10", "3", "0", "1", "0", "0", "0", "0", "0", "21", "0"},
			table4: []string{"10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"},
			extra:  []string{"全年收取政府信息公开信息处理费0元。", "我区在政府网站平台主动公开政府信息1136条"},
		},
		{
			file:   "2024-jiangsu-huaian-hongzequ.pdf",
			title:  "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
			year:   "2024年",
			table3: []string{"95", "0", "50", "9", "0", "0", "1", "0", "0", "1", "1", "0", "31", "1", "0", "1", "0", "0", "0", "0", "0", "95", "0"},
			table4: []string{"1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"},
			extra:  []string{"全年收取政府信息公开信息处理费0元。", "主动发布各类政府信息2428条"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := readDoc(t, tt.file)
			if doc.Format != "pdf" || doc.Pages != 5 {
				t.Errorf("format %q pages %d, want pdf 5", doc.Format, doc.Pages)
			}
			if len(doc.Notes) != 0 {
				t.Errorf("notes %v, want none", doc.Notes)
			}
			if doc.Title != tt.title {
				t.Errorf("title %q, want %q", doc.Title, tt.title)
			}
			lines := doc.Lines()
			if len(lines) == 0 || lines[0] != tt.title {
				t.Errorf("first line %q, want the title %q", first(lines), tt.title)
			}
			for _, h := range sectionHeadings {
				if !slices.Contains(lines, h) {
					t.Errorf("heading %q is not a paragraph line", h)
				}
			}
			text := doc.Text()
			for _, s := range append(tt.extra, tt.year) {
				if !strings.Contains(text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, l := range lines {
				if pageNumberRe.MatchString(l) {
					t.Errorf("page number %q kept as a line", l)
				}
			}

			t3 := findTable(doc, "一、本年新收政府信息公开申请数量")
			if t3 == nil {
				t.Fatal("table 三 not found")
			}
			if w := width(t3); w != 10 {
				t.Errorf("table 三 has %d columns, want 10 (3 label columns, 7 numbers)", w)
			}
			for i, r := range t3.Rows {
				if len(r) != width(t3) {
					t.Errorf("table 三 row %d has %d cells, want an aligned grid of %d", i, len(r), width(t3))
				}
			}
			rows := dataRows(t3, 7)
			var labels []string
			for _, r := range rows {
				labels = append(labels, r.label)
			}
			if !slices.Equal(labels, table3Labels) {
				t.Errorf("table 三 row labels:\n got %q\nwant %q", labels, table3Labels)
			}
			for i, r := range rows {
				if i >= len(tt.table3) {
					break
				}
				if want := natural(tt.table3[i]); !slices.Equal(r.values, want) {
					t.Errorf("table 三 row %q = %v, want %v", r.label, r.values, want)
				}
			}

			t4 := findTable(doc, "未经复议直接起诉")
			if t4 == nil {
				t.Fatal("table 四 not found")
			}
			rows4 := dataRows(t4, 15)
			if len(rows4) != 1 {
				t.Fatalf("table 四 has %d rows of 15 numbers, want 1: %v", len(rows4), t4.Rows)
			}
			if got := rows4[0].values; !slices.Equal(got, tt.table4) {
				t.Errorf("table 四 = %v, want %v", got, tt.table4)
			}
		})
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// Group labels printed in a rowspan stay in their own column, repeated as
// Spanned cells; they never form a data row of their own.
func TestGroupLabelsStayInLabelColumn(t *testing.T) {
	doc := readDoc(t, "2023-jiangsu-huaian-hongzequ.pdf")
	t3 := findTable(doc, "一、本年新收政府信息公开申请数量")
	if t3 == nil {
		t.Fatal("table 三 not found")
	}
	groups := map[string]string{
		"1.属于国家秘密":             "（三）不予公开",
		"8.属于行政查询事项":           "（三）不予公开",
		"2.没有现成信息需要另行制作":       "（四）无法提供",
		"3.补正后申请内容仍不明确":        "（四）无法提供", // first row after the page break
		"5.要求行政机关确认或重新出具已获取信息": "（五）不予处理",
	}
	for _, row := range t3.Rows {
		if len(row) < 3 {
			continue
		}
		if want, ok := groups[row[2].Text]; ok {
			if row[1].Text != want {
				t.Errorf("row %q: group cell %q, want %q", row[2].Text, row[1].Text, want)
			}
			if row[0].Text != "三、本年度办理结果" {
				t.Errorf("row %q: outer group cell %q, want 三、本年度办理结果", row[2].Text, row[0].Text)
			}
		}
	}
}

func TestSamples(t *testing.T) {
	tests := []struct {
		file  string
		lines []string
		rows  [][]string // data rows: label then numbers
	}{
		{
			file:  "report_libreoffice.pdf",
			lines: []string{"某某市人民政府2024年政府信息公开工作年度报告", "一、总体情况", "2024年，全市主动公开政府信息12345条，依申请公开办理678件。"},
			rows: [][]string{
				{"规章", "3", "1", "45"},
				{"行政规范性文件", "27", "5", "312"},
				{"一、本年新收政府信息公开申请数量", "600", "50", "28", "678"},
				{"二、上年结转政府信息公开申请数量", "10", "0", "0", "10"},
			},
		},
		{
			file:  "report_cairo_identity_h.pdf",
			lines: []string{"某某县人民政府办公室2023年政府信息公开工作年度报告", "一、总体情况", "本年度主动公开政府信息共计2,345条。"},
			rows:  [][]string{{"规章", "3", "1", "45"}, {"行政规范性文件", "27", "5", "312"}},
		},
		{
			file:  "report_cairo_aes256.pdf",
			lines: []string{"某某县人民政府办公室2023年政府信息公开工作年度报告", "一、总体情况", "本年度主动公开政府信息共计2,345条。"},
			rows:  [][]string{{"规章", "3", "1", "45"}, {"行政规范性文件", "27", "5", "312"}},
		},
		{
			file:  "report_ucs2_cmap_no_tounicode.pdf",
			lines: []string{"某某区2022年政府信息公开工作年度报告", "主动公开政府信息1234条", "行政复议5件"},
		},
		{
			file:  "empty_password_rc4.pdf",
			lines: []string{"某某区2022年政府信息公开工作年度报告", "主动公开政府信息1234条", "行政复议5件"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := readDoc(t, tt.file)
			if len(doc.Notes) != 0 {
				t.Errorf("notes %v, want none", doc.Notes)
			}
			lines := doc.Lines()
			for _, l := range tt.lines {
				if !slices.Contains(lines, l) {
					t.Errorf("line %q missing; lines: %q", l, lines)
				}
			}
			if doc.Title != tt.lines[0] {
				t.Errorf("title %q, want %q", doc.Title, tt.lines[0])
			}
			var got [][]string
			for _, b := range doc.Blocks {
				if b.Table == nil {
					continue
				}
				for _, r := range dataRows(b.Table, 3) {
					got = append(got, append([]string{r.label}, r.values...))
				}
			}
			if !slices.EqualFunc(got, tt.rows, slices.Equal) {
				t.Errorf("table rows:\n got %q\nwant %q", got, tt.rows)
			}
		})
	}
}

func TestEncryptedWithPassword(t *testing.T) {
	doc, err := Read(context.Background(), document.Input{Source: "password_aes256.pdf", Data: readFixture(t, "password_aes256.pdf")})
	if !errors.Is(err, ErrEncrypted) {
		t.Fatalf("err = %v, want ErrEncrypted", err)
	}
	if !strings.Contains(err.Error(), "password_aes256.pdf") {
		t.Errorf("error %q does not name the file", err)
	}
	if doc == nil || !hasNote(doc, document.NoteEncrypted) {
		t.Errorf("doc %+v lacks an encrypted note", doc)
	}
}

func TestScannedImageOnly(t *testing.T) {
	doc := readDoc(t, "scanned_image_only.pdf")
	if doc.Pages != 1 || len(doc.Blocks) != 0 {
		t.Errorf("pages %d blocks %d, want 1 page and no blocks", doc.Pages, len(doc.Blocks))
	}
	if !hasNote(doc, document.NoteNoText) {
		t.Errorf("notes %v, want a %s note", doc.Notes, document.NoteNoText)
	}
}

func hasNote(doc *document.Document, kind string) bool {
	for _, n := range doc.Notes {
		if n.Kind == kind {
			return true
		}
	}
	return false
}

// A file cut short keeps the pages whose objects arrived; one cut before
// anything usable is an error. Neither panics.
func TestTruncated(t *testing.T) {
	data := readFixture(t, "2024-jiangsu-huaian-hongzequ.pdf")
	for _, n := range []int{0, 8, 9, 100, 1000, 20000, 60000, 100000, 150000, 200000, 230000, len(data) - 10} {
		doc, err := Read(context.Background(), document.Input{Source: "cut.pdf", Data: data[:n]})
		if err != nil {
			if doc != nil && len(doc.Blocks) != 0 {
				t.Errorf("cut at %d: error %v together with blocks", n, err)
			}
			continue
		}
		if !hasNote(doc, document.NoteTruncated) {
			t.Errorf("cut at %d: notes %v, want a truncated note", n, doc.Notes)
		}
	}
	doc, err := Read(context.Background(), document.Input{Source: "cut.pdf", Data: data[:230000]})
	if err != nil {
		t.Fatalf("cut at 230000: %v", err)
	}
	if !slices.Contains(doc.Lines(), "一、总体情况") {
		t.Errorf("cut at 230000: the first page's text was not recovered: %q", doc.Lines())
	}
}

func TestCorrupted(t *testing.T) {
	data := readFixture(t, "2023-jiangsu-huaian-hongzequ.pdf")
	seed := uint32(1)
	for round := 0; round < 40; round++ {
		bad := slices.Clone(data)
		for k := 0; k < 30; k++ {
			seed = seed*1664525 + 1013904223
			bad[int(seed>>8)%len(bad)] ^= byte(seed)
		}
		doc, err := Read(context.Background(), document.Input{Source: "bad.pdf", Data: bad})
		if err != nil {
			if errors.Is(err, errInternal) {
				t.Fatalf("round %d: %v", round, err)
			}
			continue
		}
		if doc == nil {
			t.Fatalf("round %d: nil document without error", round)
		}
	}
}

func TestNotPDF(t *testing.T) {
	_, err := Read(context.Background(), document.Input{Source: "x.html", Data: []byte("<html>not a pdf</html>")})
	if !errors.Is(err, ErrNotPDF) {
		t.Errorf("err = %v, want ErrNotPDF", err)
	}
}

func TestLimits(t *testing.T) {
	data := readFixture(t, "2023-jiangsu-huaian-hongzequ.pdf")
	t.Run("pages", func(t *testing.T) {
		doc, err := Read(context.Background(), document.Input{Data: data, Limits: document.Limits{MaxPages: 2}})
		if err != nil {
			t.Fatal(err)
		}
		if !hasNote(doc, document.NoteLimit) {
			t.Errorf("notes %v, want a limit note", doc.Notes)
		}
		lines := doc.Lines()
		if !slices.Contains(lines, "一、总体情况") || slices.Contains(lines, "五、存在的主要问题及改进情况") {
			t.Errorf("want pages 1–2 only, got lines %q", lines)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		_, err := Read(context.Background(), document.Input{Data: data, Limits: document.Limits{MaxBytes: 1000}})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	})
	t.Run("unpacked", func(t *testing.T) {
		doc, err := Read(context.Background(), document.Input{Data: data, Limits: document.Limits{MaxUnpacked: 50000}})
		if err != nil {
			return // the limit may already stop the file structure
		}
		if !hasNote(doc, document.NoteLimit) {
			t.Errorf("notes %v, want a limit note", doc.Notes)
		}
	})
	t.Run("cells", func(t *testing.T) {
		doc, err := Read(context.Background(), document.Input{Data: data, Limits: document.Limits{MaxCells: 100}})
		if err != nil {
			t.Fatal(err)
		}
		if !hasNote(doc, document.NoteLimit) {
			t.Errorf("notes %v, want a limit note", doc.Notes)
		}
		n := 0
		for _, b := range doc.Blocks {
			if b.Table != nil {
				n += countCells(b.Table)
			}
		}
		if n > 100 {
			t.Errorf("%d cells kept, limit 100", n)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Read(ctx, document.Input{Data: data})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := Read(ctx, document.Input{Data: data})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
	})
}

// Hostile structures: each must come back without panicking or hanging,
// and the text drawn before the trap must survive where there is any.
func TestHostile(t *testing.T) {
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	tests := []struct {
		name string
		data []byte
		want string // a line expected in the output, "" when any result is fine
	}{
		{
			name: "huge declared stream length",
			data: pdfFile(
				"<< /Type /Catalog /Pages 2 0 R >>",
				"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
				"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
				"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
				"<< /Length 9999999999999 /Filter /FlateDecode >>\nstream\nxxxxxxxx\nendstream",
			),
		},
		{
			name: "deeply nested arrays in content",
			data: onePage("BT /F1 12 Tf 72 700 Td (Before) Tj "+deep+" TJ (After) Tj ET", ""),
			want: "BeforeAfter",
		},
		{
			name: "deeply nested dictionary object",
			data: pdfFile(
				"<< /Type /Catalog /Pages 2 0 R /X "+strings.Repeat("<< /A ", 5000)+strings.Repeat(">> ", 5000)+">>",
				"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
				"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
				streamObj("", "BT ET"),
			),
		},
		{
			name: "form XObject drawing itself",
			data: onePage("BT /F1 12 Tf 72 700 Td (Outside) Tj ET /X1 Do", "/XObject << /X1 6 0 R >>",
				streamObj("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X1 6 0 R >> /Font << /F1 4 0 R >> >>",
					"BT /F1 12 Tf 72 600 Td (Inside) Tj ET /X1 Do")),
			want: "Outside",
		},
		{
			name: "page tree cycle",
			data: pdfFile(
				"<< /Type /Catalog /Pages 2 0 R >>",
				"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
				"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
				"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
				streamObj("", "BT /F1 12 Tf 72 700 Td (Cycle) Tj ET"),
			),
			want: "Cycle",
		},
		{
			name: "q without Q and unbalanced operators",
			data: onePage(strings.Repeat("q 1 0 0 1 1 1 cm ", 20000)+"BT /F1 12 Tf 72 700 Td (Deep) Tj ET Q Q Q ET Tj TJ ' \"", ""),
		},
		{
			name: "inline image without EI",
			data: onePage("BT /F1 12 Tf 72 700 Td (Pic) Tj ET BI /W 10 /H 10 /BPC 8 /CS /G ID \x00\x01\x02", ""),
			want: "Pic",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			doc, err := Read(ctx, document.Input{Source: tt.name, Data: tt.data})
			if errors.Is(err, errInternal) {
				t.Fatalf("internal error: %v", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			if tt.want == "" {
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !slices.Contains(doc.Lines(), tt.want) {
				t.Errorf("lines %q lack %q", doc.Lines(), tt.want)
			}
		})
	}
}

// Read keeps no shared mutable state: parallel reads give the same text.
func TestConcurrentReads(t *testing.T) {
	names := []string{"2023-jiangsu-huaian-hongzequ.pdf", "2024-jiangsu-huaian-hongzequ.pdf", "report_cairo_aes256.pdf", "report_libreoffice.pdf"}
	want := map[string]string{}
	for _, n := range names {
		want[n] = readDoc(t, n).Text()
	}
	errs := make(chan error, 4*len(names))
	for i := 0; i < 4; i++ {
		for _, n := range names {
			go func() {
				doc, err := Read(context.Background(), document.Input{Source: n, Data: readFixture(t, n)})
				switch {
				case err != nil:
					errs <- err
				case doc.Text() != want[n]:
					errs <- errors.New(n + ": text differs from a sequential read")
				default:
					errs <- nil
				}
			}()
		}
	}
	for i := 0; i < 4*len(names); i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// The -nofonts copies (font programs emptied) read exactly like the
// originals: extraction depends on ToUnicode maps and widths only.
func TestFontProgramsNotNeeded(t *testing.T) {
	for _, y := range []string{"2023", "2024"} {
		full := readDoc(t, y+"-jiangsu-huaian-hongzequ.pdf").Text()
		bare := readDoc(t, y+"-jiangsu-huaian-hongzequ-nofonts.pdf").Text()
		if full != bare {
			t.Errorf("%s: text of the -nofonts copy differs", y)
		}
	}
}
