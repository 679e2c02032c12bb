package simnet

// An independent reader of the simulated sites for the tests: it finds the
// column from the home page by link texts, discovers list pages in each
// pagination style from the served markup, and parses report tables from
// HTML and DOCX with their spans. It shares no code with the generator.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"
)

type fetched struct {
	url    string
	status int
	ctype  string
	body   []byte
}

var keepAlive = &http.Transport{MaxIdleConnsPerHost: 4}

// newClient reuses connections; fault tests use freshClient.
func newClient() *http.Client {
	c := freshClient()
	c.Transport = keepAlive
	return c
}

// freshClient opens a connection per request, so that a dropped connection
// is never retried behind the test's back.
func freshClient() *http.Client {
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return fmt.Errorf("stopped after %d redirects", len(via))
			}
			return nil
		},
	}
}

func get(t *testing.T, c *http.Client, u string) fetched {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	return fetched{url: u, status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), body: b}
}

// text decodes a page with the site's true charset.
func pageText(t *testing.T, s *Site, b []byte) string {
	t.Helper()
	if s.Charset == "gbk" {
		out, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatalf("%s: decode GBK: %v", s.Home, err)
		}
		return string(out)
	}
	return string(b)
}

func parseHTML(t *testing.T, s string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return n
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.Data == "script" {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(sb.String())
}

func findAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

type link struct{ text, href, onclick string }

func links(doc *html.Node) []link {
	var out []link
	for _, a := range findAll(doc, "a") {
		out = append(out, link{nodeText(a), attr(a, "href"), attr(a, "onclick")})
	}
	return out
}

func resolve(base, href string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	r, err := b.Parse(href)
	if err != nil {
		return ""
	}
	return r.String()
}

// listEntry is an entry as a reader sees it in a list page.
type listEntry struct{ title, url, date string }

var (
	createPageRe = regexp.MustCompile(`createPageHTML\((\d+),\s*(\d+),\s*"([^"]+)",\s*"([^"]+)"\)`)
	jsTemplateRe = regexp.MustCompile(`function\s+(\w+)\(n\)\{\s*location\.href\s*=\s*"([^"]*)"\s*\+\s*n\s*\+\s*"([^"]*)"`)
	jsCallRe     = regexp.MustCompile(`(?:javascript:)?(\w+)\((\d+)\)`)
	queryRe      = regexp.MustCompile(`[?&](currentPage|page|pageNo|pageIndex)=(\d+)`)
	totalRe      = regexp.MustCompile(`共(\d+)页`)
	staticRe     = regexp.MustCompile(`^index(_\d+)?\.html$`)
	headingRe    = regexp.MustCompile(`^[一二三四五六七八]、`)
	digitsRe     = regexp.MustCompile(`[\s\d]+`)
	quoteRe      = regexp.MustCompile(`收到政府信息公开申请(\d+)件`)
)

// walkColumn discovers the column from the home page and reads every list
// page. It returns the entries, the list page URLs and the style it saw.
func walkColumn(t *testing.T, c *http.Client, s *Site) (entries []listEntry, pages []string, style string) {
	t.Helper()
	home := get(t, c, s.Home)
	if home.status != 200 {
		t.Fatalf("%s: home page status %d", s.Home, home.status)
	}
	zl := ""
	for _, l := range links(parseHTML(t, pageText(t, s, home.body))) {
		if l.text == "政府信息公开" || l.text == "信息公开" || l.text == "政务公开" {
			zl = resolve(s.Home, l.href)
		}
	}
	if zl != s.Zhuanlan {
		t.Fatalf("%s: home links the 专栏 at %q, want %q", s.Home, zl, s.Zhuanlan)
	}
	zp := get(t, c, zl)
	col := ""
	for _, l := range links(parseHTML(t, pageText(t, s, zp.body))) {
		if strings.Contains(l.text, "报表") {
			continue
		}
		if strings.Contains(l.text, "年报") || strings.Contains(l.text, "年度报告") {
			col = resolve(zl, l.href)
		}
	}
	if col != s.Column {
		t.Fatalf("%s: 专栏 links the column at %q, want %q", s.Home, col, s.Column)
	}
	if col == "" {
		return nil, nil, ""
	}
	if slices.Contains(ListMechanisms, s.Pagination) {
		return walkMechanism(t, c, s, col)
	}
	seen := map[string]bool{col: true}
	queue := []string{col}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		pages = append(pages, u)
		p := get(t, c, u)
		if p.status != 200 {
			t.Fatalf("%s: list page %s status %d", s.Home, u, p.status)
		}
		text := pageText(t, s, p.body)
		doc := parseHTML(t, text)
		for _, a := range findAll(doc, "a") {
			if title := attr(a, "title"); title != "" {
				date := ""
				if sib := a.NextSibling; sib != nil && sib.Type == html.ElementNode {
					date = nodeText(sib)
				} else if td := a.Parent; td != nil && td.Data == "td" && td.NextSibling != nil {
					date = nodeText(td.NextSibling)
				}
				entries = append(entries, listEntry{title, resolve(u, attr(a, "href")), date})
			}
		}
		var next []string
		if m := createPageRe.FindStringSubmatch(text); m != nil {
			style = PageTRSScript
			n, _ := strconv.Atoi(m[1])
			for k := range n {
				name := m[3] + "." + m[4]
				if k > 0 {
					name = fmt.Sprintf("%s_%d.%s", m[3], k, m[4])
				}
				next = append(next, resolve(u, name))
			}
		} else if m := jsTemplateRe.FindStringSubmatch(text); m != nil {
			style = PageJSFunc
			for _, l := range links(doc) {
				for _, call := range jsCallRe.FindAllStringSubmatch(l.href+" "+l.onclick, -1) {
					if call[1] == m[1] {
						next = append(next, resolve(u, m[2]+call[2]+m[3]))
					}
				}
			}
		} else if m := queryRe.FindStringSubmatch(text); m != nil {
			style = PageQuery
			n := 1
			if tm := totalRe.FindStringSubmatch(text); tm != nil {
				n, _ = strconv.Atoi(tm[1])
			}
			for k := 2; k <= n; k++ {
				next = append(next, resolve(u, fmt.Sprintf("?%s=%d", m[1], k)))
			}
		} else {
			style = PageStatic
			for _, l := range links(doc) {
				if staticRe.MatchString(l.href) {
					next = append(next, resolve(u, l.href))
				}
			}
		}
		for _, n := range next {
			// page 1 under another name is the same page
			if strings.HasSuffix(n, "/list_1.html") || strings.HasSuffix(n, "/page_1.html") || strings.HasSuffix(n, "=1") {
				continue
			}
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	return entries, pages, style
}

// tgrid is a parsed table with spans expanded; spanned positions repeat
// the text of their origin and are marked.
type tgrid [][]tcell

type tcell struct {
	text    string
	spanned bool
}

func htmlTables(doc *html.Node) []tgrid {
	var out []tgrid
	for _, tb := range findAll(doc, "table") {
		var g tgrid
		occupied := map[[2]int]tcell{}
		for r, tr := range findAll(tb, "tr") {
			var row []tcell
			c := 0
			for td := tr.FirstChild; td != nil; td = td.NextSibling {
				if td.Type != html.ElementNode || (td.Data != "td" && td.Data != "th") {
					continue
				}
				for {
					if oc, ok := occupied[[2]int{r, c}]; ok {
						row = append(row, oc)
						c++
						continue
					}
					break
				}
				rs, _ := strconv.Atoi(attr(td, "rowspan"))
				cs, _ := strconv.Atoi(attr(td, "colspan"))
				rs, cs = max(rs, 1), max(cs, 1)
				txt := strings.Join(strings.Fields(nodeText(td)), "")
				row = append(row, tcell{text: txt})
				for dr := range rs {
					for dc := range cs {
						if dr == 0 && dc == 0 {
							continue
						}
						if dr == 0 {
							row = append(row, tcell{text: txt, spanned: true})
						} else {
							occupied[[2]int{r + dr, c + dc}] = tcell{text: txt, spanned: true}
						}
					}
				}
				c += cs
			}
			for {
				oc, ok := occupied[[2]int{r, c}]
				if !ok {
					break
				}
				row = append(row, oc)
				c++
			}
			g = append(g, row)
		}
		out = append(out, g)
	}
	return out
}

// docxContent reads paragraphs and tables from a DOCX.
func docxContent(t *testing.T, b []byte) (paras []string, tables []tgrid) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("docx: %v", err)
	}
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("docx: %v", err)
			}
			doc, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	if doc == nil {
		t.Fatal("docx: no word/document.xml")
	}
	type xcell struct {
		Span struct {
			Val int `xml:"val,attr"`
		} `xml:"tcPr>gridSpan"`
		Merge *struct {
			Val string `xml:"val,attr"`
		} `xml:"tcPr>vMerge"`
		Texts []string `xml:"p>r>t"`
	}
	type xrow struct {
		Cells []xcell `xml:"tc"`
	}
	type xtbl struct {
		Rows []xrow `xml:"tr"`
	}
	type xpara struct {
		Texts []string `xml:"r>t"`
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("docx xml: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "p":
			var p xpara
			if err := dec.DecodeElement(&p, &se); err != nil {
				t.Fatalf("docx p: %v", err)
			}
			paras = append(paras, strings.Join(p.Texts, ""))
		case "tbl":
			var tb xtbl
			if err := dec.DecodeElement(&tb, &se); err != nil {
				t.Fatalf("docx tbl: %v", err)
			}
			var g tgrid
			for r, xr := range tb.Rows {
				var row []tcell
				for _, xc := range xr.Cells {
					span := max(xc.Span.Val, 1)
					txt := strings.Join(xc.Texts, "")
					cont := xc.Merge != nil && xc.Merge.Val != "restart"
					for i := range span {
						if cont && r > 0 && len(g[r-1]) > len(row) {
							row = append(row, tcell{text: g[r-1][len(row)].text, spanned: true})
						} else {
							row = append(row, tcell{text: txt, spanned: i > 0})
						}
					}
				}
				g = append(g, row)
			}
			tables = append(tables, g)
		}
	}
	return paras, tables
}

// report is what the tests read from a served report.
type report struct {
	url     string
	year    int
	prose   string // paragraphs, tables left out
	t2      map[string][]int
	t2v19   bool
	t3      [][7]int // data rows in order
	t3label []string
	t4      []int
	hasT2   bool
	hasT4   bool
}

var numRe = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

func readTables(r *report, tables []tgrid) {
	for _, g := range tables {
		flat := ""
		for _, row := range g {
			for _, c := range row {
				flat += c.text
			}
		}
		switch {
		case strings.Contains(flat, "申请人情况"):
			for _, row := range g {
				if len(row) < 8 {
					continue
				}
				var v [7]int
				ok := true
				for i, c := range row[len(row)-7:] {
					if !numRe.MatchString(c.text) {
						ok = false
						break
					}
					v[i], _ = strconv.Atoi(c.text)
				}
				if ok {
					r.t3 = append(r.t3, v)
					r.t3label = append(r.t3label, row[len(row)-8].text)
				}
			}
		case strings.Contains(flat, "行政复议") && strings.Contains(flat, "复议后起诉"):
			r.hasT4 = true
			last := g[len(g)-1]
			for _, c := range last {
				n, _ := strconv.Atoi(c.text)
				r.t4 = append(r.t4, n)
			}
		case strings.Contains(flat, "第二十条"):
			r.hasT2 = true
			r.t2 = map[string][]int{}
			r.t2v19 = strings.Contains(flat, "本年新制作数量")
			for _, row := range g {
				var nums []int
				for _, c := range row[1:] {
					if !c.spanned && numRe.MatchString(c.text) {
						n, _ := strconv.Atoi(c.text)
						nums = append(nums, n)
					}
				}
				if len(nums) > 0 {
					r.t2[row[0].text] = nums
				}
			}
		}
	}
}

// readReport fetches a report entry and reads its text and tables.
func readReport(t *testing.T, c *http.Client, s *Site, e Entry) *report {
	t.Helper()
	r := &report{url: e.URL, year: e.Year}
	switch e.Format {
	case "html":
		p := get(t, c, e.URL)
		if p.status != 200 {
			t.Fatalf("%s: status %d", e.URL, p.status)
		}
		doc := parseHTML(t, pageText(t, s, p.body))
		var content *html.Node
		for _, d := range findAll(doc, "div") {
			if id := attr(d, "id"); id == "zoom" || id == "vsb_content" {
				content = d
			}
		}
		if content == nil {
			t.Fatalf("%s: no content div", e.URL)
		}
		var sb strings.Builder
		for c := content.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.Data == "p" || c.Data == "h3") {
				sb.WriteString(nodeText(c) + "\n")
			}
		}
		r.prose = sb.String()
		readTables(r, htmlTables(content))
	case "docx":
		a := get(t, c, e.Attachments[0])
		if a.status != 200 || a.ctype != ctDocx {
			t.Fatalf("%s: status %d, type %q", e.Attachments[0], a.status, a.ctype)
		}
		r.url = e.Attachments[0]
		paras, tables := docxContent(t, a.body)
		if len(paras) == 0 || paras[0] != e.Title {
			t.Fatalf("%s: first paragraph %q, want the title %q", r.url, paras[0], e.Title)
		}
		r.prose = strings.Join(paras[1:], "\n")
		readTables(r, tables)
	default:
		return nil
	}
	return r
}

// section returns the text from the heading starting with head up to the
// next top-level heading.
func section(prose, head string) string {
	i := strings.Index(prose, "\n"+head)
	if i < 0 {
		return ""
	}
	rest := prose[i+1:]
	lines := strings.Split(rest, "\n")
	var out []string
	for j, l := range lines {
		if j > 0 && headingRe.MatchString(l) {
			break
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// shingles are the character 4-grams of a text, whitespace and digits
// removed so that changed numbers and years do not count.
func shingles(s string) map[string]bool {
	rs := []rune(digitsRe.ReplaceAllString(s, ""))
	out := map[string]bool{}
	for i := 0; i+4 <= len(rs); i++ {
		out[string(rs[i:i+4])] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// findings computes the identity, cross-year and text-table findings of
// served reports, one (rule URL) key per finding.
func findings(reps map[int]*report) []string {
	var out []string
	years := make([]int, 0, len(reps))
	for y := range reps {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, y := range years {
		r := reps[y]
		if len(r.t3) == 0 {
			continue
		}
		k := func(rule string) { out = append(out, rule+" "+r.url) }
		idx := func(prefix string) int {
			for i, l := range r.t3label {
				if strings.HasPrefix(l, prefix) {
					return i
				}
			}
			return -1
		}
		iNew, iCarry, iTotal, iOut := idx("一、"), idx("二、"), idx("（七）"), idx("四、")
		for c := range 7 {
			if r.t3[iNew][c]+r.t3[iCarry][c] != r.t3[iTotal][c]+r.t3[iOut][c] {
				k("T3-COL")
			}
		}
		for c := range 7 {
			s := 0
			for i := iCarry + 1; i < iTotal; i++ {
				s += r.t3[i][c]
			}
			if s != r.t3[iTotal][c] {
				k("T3-SUM")
			}
		}
		for _, row := range r.t3 {
			if row[0]+row[1]+row[2]+row[3]+row[4]+row[5] != row[6] {
				k("T3-ROW")
			}
		}
		for g := range 3 {
			if len(r.t4) == 15 && r.t4[g*5]+r.t4[g*5+1]+r.t4[g*5+2]+r.t4[g*5+3] != r.t4[g*5+4] {
				k("T4-SUM")
			}
		}
		if m := quoteRe.FindStringSubmatch(r.prose); m != nil {
			if n, _ := strconv.Atoi(m[1]); n != r.t3[iNew][6] {
				k("TXT-TBL")
			}
		}
		p := reps[y-1]
		if p == nil || len(p.t3) == 0 {
			continue
		}
		pOut := -1
		for i, l := range p.t3label {
			if strings.HasPrefix(l, "四、") {
				pOut = i
			}
		}
		for c := range 7 {
			if r.t3[iCarry][c] != p.t3[pOut][c] {
				k("T3-XYEAR")
			}
		}
		if r.t2v19 && p.t2v19 {
			for _, name := range []string{"行政许可", "其他对外管理服务事项", "行政处罚", "行政强制", "行政事业性收费"} {
				if r.t2[name][0] != p.t2[name][0]+p.t2[name][1] {
					k("T2-19-XYEAR")
				}
			}
		}
		if !r.t2v19 && !p.t2v19 && r.hasT2 && p.hasT2 {
			for _, name := range []string{"规章", "行政规范性文件"} {
				if a, b := r.t2[name], p.t2[name]; a[2] != b[2]+a[0]-a[1] {
					k("T2-21-XYEAR")
				}
			}
		}
	}
	return out
}
