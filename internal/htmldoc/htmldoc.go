// Package htmldoc reads HTML pages: it decodes the charset, finds the
// article body inside the site chrome, turns the body into paragraphs and
// tables (rowspan and colspan expanded into an aligned grid), and collects
// the page's dates, title and links.
package htmldoc

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/ogicheck/ogicheck/internal/charset"
	"github.com/ogicheck/ogicheck/internal/dates"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/norm"
)

// maxSpan caps rowspan/colspan: HTML allows 65534 and 1000; a hostile or
// broken page must not make us allocate a huge grid.
const (
	maxColSpan = 100
	maxRowSpan = 500
	maxCols    = 200
)

// Read parses an HTML page. in.Data is raw bytes; the charset is decoded
// here from the BOM, in.ContentType, <meta> or detection.
func Read(ctx context.Context, in document.Input) (*document.Document, error) {
	lim := in.Limits.WithDefaults()
	data := in.Data
	truncated := false
	if int64(len(data)) > lim.MaxBytes {
		data, truncated = data[:lim.MaxBytes], true
	}
	dec := charset.Decode(data, in.ContentType)
	doc, err := Parse(ctx, in.Source, dec.Text, lim)
	if err != nil {
		return nil, err
	}
	doc.Charset = dec.Label
	if truncated {
		doc.AddNote(document.NoteLimit, "page larger than %d bytes: only the first part was read", lim.MaxBytes)
	}
	return doc, nil
}

// Parse reads an HTML page already decoded to UTF-8.
func Parse(ctx context.Context, source string, utf8HTML []byte, lim document.Limits) (*document.Document, error) {
	lim = lim.WithDefaults()
	root, err := html.Parse(bytes.NewReader(utf8HTML))
	if err != nil {
		return nil, fmt.Errorf("parse html %s: %w", source, err)
	}
	d := &document.Document{Source: source, Format: "html"}
	gq := goquery.NewDocumentFromNode(root)
	d.Title = norm.Clean(gq.Find("title").First().Text())
	metas(gq, d)

	base, _ := url.Parse(source)
	if href, ok := gq.Find("base[href]").First().Attr("href"); ok {
		if b, err := url.Parse(href); err == nil {
			if base != nil {
				b = base.ResolveReference(b)
			}
			base = b
		}
	}
	links(gq, base, d)

	body := content(gq)
	w := &walker{ctx: ctx, doc: d, maxCells: lim.MaxCells}
	// The header block with 发布日期 etc. often sits outside the article
	// container, so dates are looked for in the whole page text.
	full := &walker{ctx: ctx, doc: &document.Document{}, maxCells: lim.MaxCells}
	if body != nil {
		w.walk(body)
		w.flush()
		if b := gq.Find("body").Nodes; len(b) > 0 && b[0] != body {
			full.walk(b[0])
			full.flush()
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read html %s: %w", source, err)
	}
	seen := map[string]bool{}
	for _, m := range d.Meta {
		seen[m.Label+m.Value] = true
	}
	for _, src := range [][]document.Block{full.doc.Blocks, d.Blocks} {
		for i, b := range src {
			if b.Table != nil || b.Text == "" {
				continue
			}
			for _, f := range dates.Labelled(b.Text) {
				if dates.Bare(f.Label) && i >= dates.HeaderLines {
					continue // 时间：… deep in the page is an event, not the page's date
				}
				if !seen[f.Label+f.Date] {
					seen[f.Label+f.Date] = true
					d.Meta = append(d.Meta, document.Meta{Label: f.Label, Value: f.Date})
				}
			}
		}
	}
	if m, ok := dates.SignatureOf(d.Lines()); ok {
		d.Meta = append(d.Meta, m)
	}
	if w.cells > lim.MaxCells {
		d.AddNote(document.NoteLimit, "more than %d table cells: later tables dropped", lim.MaxCells)
	}
	if d.Title == "" {
		if h := norm.Clean(gq.Find("h1").First().Text()); h != "" {
			d.Title = h
		}
	}
	return d, nil
}

// metas collects publication-date meta tags, which TRS and other CMSs
// write into the head.
func metas(gq *goquery.Document, d *document.Document) {
	gq.Find("meta[name],meta[property]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" {
			name, _ = s.Attr("property")
		}
		content, _ := s.Attr("content")
		switch strings.ToLower(name) {
		case "pubdate", "publishdate", "articlepubdate", "firstpublishedtime", "article:published_time",
			"dc.date", "dc.date.issued", "publish_date", "pubtime":
			if v, ok := dates.Parse(content); ok {
				d.Meta = append(d.Meta, document.Meta{Label: dates.LabelMeta, Value: v})
			}
		case "articletitle", "contenttitle":
			if t := norm.Clean(content); t != "" && d.Title == "" {
				d.Title = t
			}
		case "contentsource", "source":
			if v := norm.Clean(content); v != "" {
				d.Meta = append(d.Meta, document.Meta{Label: "来源", Value: v})
			}
		}
	})
}

func links(gq *goquery.Document, base *url.URL, d *document.Document) {
	gq.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		href = strings.TrimSpace(href)
		if href == "" || strings.HasPrefix(href, "#") {
			return
		}
		u := href
		if base != nil {
			if r, err := base.Parse(href); err == nil {
				u = r.String()
			}
		}
		text := norm.Clean(s.Text())
		if t, ok := s.Attr("title"); ok && len(norm.Clean(t)) > len(text) {
			text = norm.Clean(t)
		}
		d.Links = append(d.Links, document.Link{Text: text, URL: u})
	})
}

// contentSelectors name the article containers of the CMSs common on
// government sites (TRS, JCMS, Hanweb, Ucap, gkmlpt).
var contentSelectors = []string{
	".TRS_Editor", ".TRS_UEDITOR", "#zoom", ".zoom", "#UCAP-CONTENT", ".article-content", ".artcon",
	"#Zoom", ".view", ".bt-content", ".content_txt", ".xxgk_content", ".detail-content", ".article_con",
	"#info_content", ".wzcon", ".nr", "article", "#content", ".content", ".main-content",
}

// content picks the element holding the report: the largest known article
// container when one has substantial text, else <body>.
func content(gq *goquery.Document) *html.Node {
	var best *html.Node
	bestLen := 0
	for _, sel := range contentSelectors {
		gq.Find(sel).Each(func(_ int, s *goquery.Selection) {
			if n := len(strings.TrimSpace(s.Text())); n > bestLen {
				best, bestLen = s.Nodes[0], n
			}
		})
	}
	body := gq.Find("body").Nodes
	if len(body) == 0 {
		return nil
	}
	total := len(strings.TrimSpace(gq.Find("body").Text()))
	// A container with a small share of the page is a sidebar or a
	// summary, not the article.
	if best != nil && bestLen*4 >= total {
		return best
	}
	return body[0]
}

type walker struct {
	ctx      context.Context
	doc      *document.Document
	line     strings.Builder
	cells    int
	maxCells int
	steps    int
}

var skip = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Head: true,
	atom.Select: true, atom.Option: true, atom.Iframe: true, atom.Object: true, atom.Svg: true,
}

var blockish = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Blockquote: true, atom.Pre: true, atom.Dd: true, atom.Dt: true,
	atom.Dl: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Center: true, atom.Form: true,
	atom.Address: true, atom.Figure: true, atom.Figcaption: true, atom.Nav: true, atom.Aside: true,
	atom.Main: true, atom.Hr: true, atom.Caption: true,
}

func (w *walker) flush() {
	t := norm.JoinCJK(norm.Clean(w.line.String()))
	w.line.Reset()
	if t != "" {
		w.doc.Blocks = append(w.doc.Blocks, document.Block{Text: t})
	}
}

func (w *walker) walk(n *html.Node) {
	w.steps++
	if w.steps&1023 == 0 && w.ctx.Err() != nil {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.line.WriteString(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
	default:
		return
	}
	if n.Type == html.ElementNode {
		if skip[n.DataAtom] || hidden(n) {
			return
		}
		switch n.DataAtom {
		case atom.Br:
			w.flush()
			return
		case atom.Img:
			w.flush()
			src := attr(n, "src")
			if src == "" {
				src = attr(n, "alt")
			}
			w.doc.Blocks = append(w.doc.Blocks, document.Block{Image: src})
			return
		case atom.Table:
			if !hasNested(n) {
				w.flush()
				if w.cells <= w.maxCells {
					t := grid(n)
					for _, r := range t.Rows {
						w.cells += len(r)
					}
					if w.cells <= w.maxCells && len(t.Rows) > 0 {
						w.doc.Blocks = append(w.doc.Blocks, document.Block{Table: t})
					}
				}
				return
			}
			// A layout table: its cells are page regions, read as flow.
		}
		if blockish[n.DataAtom] {
			w.flush()
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if n.Type == html.ElementNode && blockish[n.DataAtom] {
		w.flush()
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hidden(n *html.Node) bool {
	style := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

func hasNested(t *html.Node) bool {
	var found bool
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Table {
				found = true
				return
			}
			visit(c)
		}
	}
	visit(t)
	return found
}

// rowsOf returns the <tr> of a table in order, through thead/tbody/tfoot,
// but not those of nested tables.
func rowsOf(t *html.Node) []*html.Node {
	var out []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				out = append(out, c)
			case atom.Table:
			default:
				visit(c)
			}
		}
	}
	visit(t)
	return out
}

// grid expands a table's rowspan and colspan into an aligned grid, the
// HTML table model's algorithm simplified: each cell takes the first free
// column of its row, and a span fills the positions it covers.
func grid(t *html.Node) *document.Table {
	type pending struct {
		text string
		left int // rows still covered below
		span int // columns covered
	}
	var out document.Table
	carry := map[int]pending{} // column → cell spanning down into it
	for _, tr := range rowsOf(t) {
		var row []document.Cell
		started := map[int]pending{}
		col := 0
		put := func(c document.Cell) {
			for len(row) <= col {
				row = append(row, document.Cell{})
			}
			row[col] = c
		}
		fill := func() {
			for {
				p, ok := carry[col]
				if !ok {
					return
				}
				for i := 0; i < p.span && col < maxCols; i++ {
					put(document.Cell{Text: p.text, Spanned: true})
					col++
				}
			}
		}
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
				continue
			}
			if hidden(c) {
				continue
			}
			fill()
			text := cellText(c)
			cs := spanAttr(c, "colspan", maxColSpan)
			rs := spanAttr(c, "rowspan", maxRowSpan)
			start := col
			for i := 0; i < cs && col < maxCols; i++ {
				put(document.Cell{Text: text, Spanned: i > 0})
				col++
			}
			if rs > 1 {
				started[start] = pending{text: text, left: rs - 1, span: col - start}
			}
		}
		fill()
		// spans that started in earlier rows to the right of the last cell
		for c, p := range carry {
			if c >= len(row) {
				col = c
				for i := 0; i < p.span && col < maxCols; i++ {
					put(document.Cell{Text: p.text, Spanned: true})
					col++
				}
			}
		}
		for c, p := range carry {
			if p.left--; p.left <= 0 {
				delete(carry, c)
			} else {
				carry[c] = p
			}
		}
		for c, p := range started {
			carry[c] = p
		}
		out.Rows = append(out.Rows, row)
	}
	// drop rows that are entirely empty
	rows := out.Rows[:0]
	for _, r := range out.Rows {
		empty := true
		for _, c := range r {
			if c.Text != "" {
				empty = false
				break
			}
		}
		if !empty {
			rows = append(rows, r)
		}
	}
	out.Rows = rows
	return &out
}

func spanAttr(n *html.Node, key string, limit int) int {
	v, err := strconv.Atoi(strings.TrimSpace(attr(n, key)))
	if err != nil || v < 1 {
		return 1
	}
	return min(v, limit)
}

// cellText joins a cell's text; line breaks inside a label ("本年新<br>
// 制作数量") join without a space between Chinese characters.
func cellText(n *html.Node) string {
	var parts []string
	var sb strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			if skip[n.DataAtom] || hidden(n) {
				return
			}
			if n.DataAtom == atom.Br || n.DataAtom == atom.P || n.DataAtom == atom.Div {
				parts = append(parts, sb.String())
				sb.Reset()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	parts = append(parts, sb.String())
	var out string
	for _, p := range parts {
		p = norm.Clean(p)
		if p == "" {
			continue
		}
		if out != "" && !(endsCJK(out) && startsCJK(p)) {
			out += " "
		}
		out += p
	}
	return norm.JoinCJK(out)
}

func endsCJK(s string) bool {
	r := []rune(s)
	return len(r) > 0 && (norm.CJK(r[len(r)-1]) || strings.ContainsRune("（）()、，", r[len(r)-1]))
}

func startsCJK(s string) bool {
	for _, r := range s {
		return norm.CJK(r) || strings.ContainsRune("（）()、，", r)
	}
	return false
}
