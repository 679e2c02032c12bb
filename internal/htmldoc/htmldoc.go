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

// maxTags bounds the tags of a page that are parsed. A parsed tag costs
// some 250 bytes of tree, so that 50 MB of "<p>a" would take 3 GB; a
// report page has a few thousand tags, a page exported from Word some tens
// of thousands.
const maxTags = 200_000

// Read parses an HTML page. in.Data is raw bytes; the charset is decoded
// here from the BOM, in.ContentType, <meta> or detection.
func Read(ctx context.Context, in document.Input) (*document.Document, error) {
	lim := in.Limits.WithDefaults()
	data := in.Data
	truncated := false
	if int64(len(data)) > lim.MaxBytes {
		data, truncated = charset.Cut(data, int(lim.MaxBytes)), true
	}
	dec := charset.Decode(data, in.ContentType)
	doc, err := Parse(ctx, in.Source, dec.Text, lim)
	if err != nil {
		return nil, err
	}
	doc.Charset = dec.Label
	if dec.Repaired > 0 {
		doc.Notes = append(doc.Notes, document.RepairedUTF8(dec.Repaired))
	}
	if truncated {
		doc.AddNote(document.NoteLimit, "页面大于%d字节：只读了前一部分", "page larger than %d bytes: only the first part was read", lim.MaxBytes)
	}
	return doc, nil
}

// Parse reads an HTML page already decoded to UTF-8.
func Parse(ctx context.Context, source string, utf8HTML []byte, lim document.Limits) (*document.Document, error) {
	lim = lim.WithDefaults()
	page, tags := cutTags(utf8HTML, maxTags)
	root, err := html.Parse(document.ContextReader(ctx, page))
	if err != nil {
		return nil, fmt.Errorf("parse html %s: %w", source, err)
	}
	d := &document.Document{Source: source, Format: "html"}
	if len(page) < len(utf8HTML) {
		d.AddNote(document.NoteLimit, "页面超过%d个标签：只读了前%[1]d个（%d字节中的%d字节）", "page of more than %d tags: only the first %[1]d were read (%[3]d of %[2]d bytes)", tags, len(utf8HTML), len(page))
	}
	stop := document.NewInterrupt(ctx)
	pg := survey(root, stop)
	d.Title = pg.title
	base, _ := url.Parse(source)
	if pg.base != "" {
		if b, err := url.Parse(pg.base); err == nil {
			if base != nil {
				b = base.ResolveReference(b)
			}
			base = b
		}
	}
	for _, m := range pg.metas {
		meta(m, d)
	}
	for _, a := range pg.links {
		link(a, base, d)
	}

	body := content(pg)
	w := &walker{stop: stop, doc: d, maxCells: lim.MaxCells}
	// The header block with 发布日期 etc. often sits outside the article
	// container, so dates are looked for in the whole page text.
	full := &walker{stop: stop, doc: &document.Document{}, maxCells: lim.MaxCells, textOnly: true, skipNode: body}
	if body != nil {
		w.walk(body)
		w.flush()
		if pg.body != nil && pg.body != body {
			full.walk(pg.body)
			full.flush()
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read html %s: %w", source, err)
	}
	// The analysis reads the dates printed in the article; those of the
	// header block around it are only here.
	seen := map[string]bool{}
	add := func(f dates.Found) {
		if !seen[f.Label+f.Date] {
			seen[f.Label+f.Date] = true
			d.Meta = append(d.Meta, document.Meta{Label: f.Label, Value: f.Date})
		}
	}
	lines := make([]string, 0, len(full.doc.Blocks))
	for i, b := range full.doc.Blocks {
		if b.Text == "" {
			continue
		}
		lines = append(lines, b.Text)
		for _, f := range dates.Labelled(b.Text) {
			if dates.Bare(f.Label) && i >= dates.HeaderLines {
				continue // 时间：… deep in the page is an event, not the page's date
			}
			add(f)
		}
	}
	// a metadata table's cells come as lines: 「公开日期：」 then the date
	for _, f := range dates.Paired(lines) {
		add(f)
	}
	if w.tooMany {
		d.AddNote(document.NoteLimit, "表格单元格超过%d个：其后的表格未读", "more than %d table cells: later tables dropped", lim.MaxCells)
	}
	w.cuts.note(d)
	if d.Title == "" {
		d.Title = pg.h1
	}
	d.Title, _ = norm.Uncrumb(d.Title)
	return d, nil
}

// cutTags returns the part of page before its (n+1)th tag, and n.
func cutTags(page []byte, n int) ([]byte, int) {
	rest, at := page, 0
	for range n {
		i := bytes.IndexByte(rest, '<')
		if i < 0 {
			return page, n
		}
		at += i + 1
		rest = rest[i+1:]
	}
	if i := bytes.IndexByte(rest, '<'); i >= 0 {
		return page[:at+i], n
	}
	return page, n
}

// page is what one pass over the tree collects before the body is read.
type page struct {
	title, h1, base string
	body            *html.Node
	bodyLen         int // non-space text bytes under body, seen and not a link's
	metas, links    []*html.Node
	containers      []container // elements matching contentClasses/contentIDs
}

// container is a candidate article element and the length of its text.
type container struct {
	n       *html.Node
	textLen int
}

// survey walks the tree once, collecting the head's title, meta and base,
// links, and the candidate article containers with the length of their
// text. One walk instead of a CSS selector query each, or a walk per
// container, keeps reading a page close to the cost of parsing it, however
// the containers nest.
func survey(root *html.Node, stop *document.Interrupt) *page {
	pg := &page{}
	var visit func(*html.Node) int
	visit = func(n *html.Node) int {
		if stop.Stop() {
			return 0
		}
		switch n.Type {
		case html.TextNode:
			return len(strings.TrimSpace(n.Data))
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Title:
				if pg.title == "" {
					pg.title = norm.Clean(textOf(n))
				}
			case atom.H1:
				if pg.h1 == "" {
					pg.h1 = norm.Clean(textOf(n))
				}
			case atom.Meta:
				pg.metas = append(pg.metas, n)
			case atom.Base:
				if pg.base == "" {
					pg.base = attr(n, "href")
				}
			case atom.A:
				if attr(n, "href") != "" {
					pg.links = append(pg.links, n)
				}
			case atom.Script, atom.Style:
				return 0
			}
		}
		// Containers are listed in document order, outer first, which
		// decides between an article and its only child.
		at := -1
		if n.Type == html.ElementNode && (n.DataAtom == atom.Article || contentIDs[attr(n, "id")] || hasClass(n)) {
			at = len(pg.containers)
			pg.containers = append(pg.containers, container{n: n})
		}
		isBody := n.Type == html.ElementNode && n.DataAtom == atom.Body && pg.body == nil
		if isBody {
			pg.body = n
		}
		total := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			total += visit(c)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.A || skip[n.DataAtom] || hidden(n)) {
			// what a reader does not see, and a link's text: a site's
			// chrome is menus, trees and lists of links, often hidden
			// until hovered, and must not outweigh the article
			total = 0
		}
		if at >= 0 {
			pg.containers[at].textLen = total
		}
		if isBody {
			pg.bodyLen = total
		}
		return total
	}
	visit(root)
	return pg
}

func hasClass(n *html.Node) bool {
	cl := attr(n, "class")
	if cl == "" {
		return false
	}
	for _, c := range strings.Fields(cl) {
		if contentClasses[c] {
			return true
		}
	}
	return false
}

// textOf is the text under n, scripts and styles excluded.
func textOf(n *html.Node) string {
	var sb strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return sb.String()
}

// meta collects publication-date meta tags, which TRS and other CMSs
// write into the head.
func meta(n *html.Node, d *document.Document) {
	name := attr(n, "name")
	if name == "" {
		name = attr(n, "property")
	}
	content := attr(n, "content")
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
}

func link(n *html.Node, base *url.URL, d *document.Document) {
	href := strings.TrimSpace(attr(n, "href"))
	if href == "" || strings.HasPrefix(href, "#") {
		return
	}
	u := href
	if base != nil {
		if r, ok := resolveSimple(base, href); ok {
			u = r
		} else if r, err := base.Parse(href); err == nil {
			u = r.String()
		}
	}
	var text string
	if c := n.FirstChild; c != nil && c.NextSibling == nil && c.Type == html.TextNode {
		text = norm.Clean(c.Data) // most links hold their text alone
	} else {
		text = norm.Clean(textOf(n))
	}
	if t := norm.Clean(attr(n, "title")); len(t) > len(text) {
		text = t
	}
	d.Links = append(d.Links, document.Link{Text: text, URL: u})
}

// resolveSimple resolves the common links without net/url, which costs
// more than the rest of reading a page's links: an absolute http(s) URL or
// an absolute path, made only of characters that need no escaping and no
// dot segments. ok is false for anything else, which url resolves.
func resolveSimple(base *url.URL, href string) (string, bool) {
	if rest, ok := strings.CutPrefix(href, "javascript:"); ok && strings.Trim(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.();") == "" {
		return href, true // javascript:void(0): no URL to resolve
	}
	for i := 0; i < len(href); i++ {
		c := href[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("/_-.:=&?", c) >= 0) {
			return "", false
		}
	}
	if strings.Contains(href, "/.") || strings.Contains(href, "//") && !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") {
		return "", false
	}
	switch {
	case strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://"):
		rest := href[strings.Index(href, "//")+2:]
		if rest == "" || strings.Contains(rest, "//") || strings.Contains(rest, ":") {
			return "", false
		}
		return href, true
	case strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//"):
		if strings.Contains(href, ":") || base.Opaque != "" || base.User != nil {
			return "", false
		}
		switch {
		case base.Scheme != "" && base.Host != "":
			return base.Scheme + "://" + base.Host + href, true
		case base.Scheme == "" && base.Host == "":
			return href, true // a file's page: the path stands alone
		}
	}
	return "", false
}

// contentClasses and contentIDs name the article containers of the CMSs
// common on government sites (TRS, JCMS, Hanweb, Ucap, gkmlpt).
var (
	contentClasses = map[string]bool{
		"TRS_Editor": true, "TRS_UEDITOR": true, "zoom": true, "article-content": true, "artcon": true, "view": true,
		"bt-content": true, "content_txt": true, "xxgk_content": true, "detail-content": true, "article_con": true,
		"wzcon": true, "nr": true, "content": true, "main-content": true,
	}
	contentIDs = map[string]bool{"zoom": true, "Zoom": true, "UCAP-CONTENT": true, "info_content": true, "content": true}
)

// content picks the element holding the report: the largest known article
// container when one has substantial text, else <body>.
func content(pg *page) *html.Node {
	if pg.body == nil {
		return nil
	}
	var best *html.Node
	bestLen := 0
	for _, c := range pg.containers {
		if c.textLen > bestLen {
			best, bestLen = c.n, c.textLen
		}
	}
	// A container with a small share of the page is a sidebar or a
	// summary, not the article.
	if best != nil && bestLen*4 >= pg.bodyLen {
		return best
	}
	return pg.body
}

type walker struct {
	textOnly bool       // tables are skipped: only the page's text lines matter
	skipNode *html.Node // a subtree already read
	stop     *document.Interrupt
	doc      *document.Document
	line     strings.Builder
	cells    int
	maxCells int
	tooMany  bool // a table did not fit in maxCells
	cuts     spanCuts
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
	if n == w.skipNode {
		w.flush()
		return
	}
	if w.stop.Stop() {
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
		if skip[n.DataAtom] || hidden(n) || (w.textOnly && n.DataAtom == atom.A) {
			// the page's dates, which is all a text-only walk is for, are
			// never a link's text
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
			if w.textOnly {
				w.flush()
				break
			}
			if !hasNested(n) {
				w.flush()
				if w.tooMany {
					return
				}
				t, ok := grid(n, w.maxCells-w.cells, &w.cuts, w.stop)
				if !ok {
					w.tooMany = true
					return
				}
				for _, r := range t.Rows {
					w.cells += len(r)
				}
				if len(t.Rows) > 0 {
					w.doc.Blocks = append(w.doc.Blocks, document.Block{Table: t})
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
	style := attr(n, "style")
	if len(style) < len("display:none") {
		return false // most elements have no style, and short ones hide nothing
	}
	style = strings.ToLower(strings.ReplaceAll(style, " ", ""))
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
// column of its row, and a span fills the positions it covers. Every cell
// advances the column, so that no markup can stall the loop; positions past
// maxCols are dropped and the cut is counted in cuts. The grid is built only
// while it fits in maxCells positions: a larger table gives nil and ok false
// before it has used more than that.
func grid(t *html.Node, maxCells int, cuts *spanCuts, stop *document.Interrupt) (tb *document.Table, ok bool) {
	type pending struct {
		text string
		left int // rows still covered below
		span int // columns covered, at least 1
	}
	var out document.Table
	carry := map[int]pending{} // column → cell spanning down into it
	width, cells := 0, 0
	trs := rowsOf(t)
	for ri, tr := range trs {
		row := make([]document.Cell, 0, width)
		var started map[int]pending
		col := 0
		// put places c at col and advances; past maxCols it only counts
		// the cut.
		put := func(c document.Cell) {
			if col >= maxCols {
				cuts.cols++
				col++
				return
			}
			for len(row) <= col {
				row = append(row, document.Cell{})
			}
			row[col] = c
			col++
		}
		fill := func() {
			for col < maxCols {
				p, ok := carry[col]
				if !ok || p.span < 1 {
					return
				}
				for range p.span {
					put(document.Cell{Text: p.text, Spanned: true})
				}
			}
		}
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if stop.Stop() {
				return nil, false
			}
			if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
				continue
			}
			if hidden(c) {
				continue
			}
			fill()
			text := cellText(c)
			cs, cutCols := spanAttr(c, "colspan", maxColSpan)
			rs, cutRows := spanAttr(c, "rowspan", maxRowSpan)
			if cutCols {
				cuts.colspan++
			}
			if cutRows && ri+maxRowSpan < len(trs) {
				cuts.rowspan++
			}
			start := col
			for i := range cs {
				put(document.Cell{Text: text, Spanned: i > 0})
			}
			if rs > 1 && start < maxCols {
				if started == nil {
					started = map[int]pending{}
				}
				started[start] = pending{text: text, left: rs - 1, span: min(col, maxCols) - start}
			}
		}
		fill()
		// spans that started in earlier rows to the right of the last cell
		for c, p := range carry {
			if c >= len(row) {
				col = c
				for range p.span {
					put(document.Cell{Text: p.text, Spanned: true})
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
		if cells += len(row); cells > maxCells {
			return nil, false
		}
		width = max(width, len(row))
		out.Rows = append(out.Rows, row)
	}
	// Rows without cells are dropped; rows of empty cells are kept: a
	// table 四 row left blank means no cases.
	rows := out.Rows[:0]
	for _, r := range out.Rows {
		if len(r) > 0 {
			rows = append(rows, r)
		}
	}
	out.Rows = rows
	return &out, true
}

// spanCuts counts the spans and cells a page's tables lost to the caps.
type spanCuts struct {
	colspan, rowspan, cols int
}

// note adds a limit note for each kind of cut.
func (c spanCuts) note(d *document.Document) {
	if c.colspan > 0 {
		d.AddNote(document.NoteLimit, "%d个表格单元格跨越超过%d列：跨列数截为%[2]d", "%d table cells span more than %d columns: their spans were cut to %[2]d", c.colspan, maxColSpan)
	}
	if c.rowspan > 0 {
		d.AddNote(document.NoteLimit, "%d个表格单元格在更长的表格中跨越超过%d行：跨行数截为%[2]d", "%d table cells span more than %d rows of a longer table: their spans were cut to %[2]d", c.rowspan, maxRowSpan)
	}
	if c.cols > 0 {
		d.AddNote(document.NoteLimit, "表格宽于%d列：最后一列之后的%d个单元格位置未读", "tables wider than %d columns: %d cell positions beyond the last column were dropped", maxCols, c.cols)
	}
}

// spanAttr reads a colspan or rowspan: 1 when absent or invalid, at most
// limit, and whether it was cut to the limit.
func spanAttr(n *html.Node, key string, limit int) (int, bool) {
	a := attr(n, key)
	if a == "" {
		return 1, false
	}
	a = strings.TrimSpace(a)
	v, err := strconv.Atoi(a)
	if err != nil {
		// digits beyond int range are a span past any limit
		if allDigits(a) {
			return limit, true
		}
		return 1, false
	}
	if v < 1 {
		return 1, false
	}
	return min(v, limit), v > limit
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// cellText joins a cell's text; line breaks inside a label ("本年新<br>
// 制作数量") join without a space between Chinese characters.
func cellText(n *html.Node) string {
	// Most cells hold one text node, possibly wrapped in <p><span>: no
	// pieces to join.
	if t, ok := soleText(n); ok {
		return norm.JoinCJK(norm.Clean(t))
	}
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

// soleText returns the text of a subtree that is a chain of single
// children ending in one text node (<td><p><span>12</span></p></td>).
func soleText(n *html.Node) (string, bool) {
	for {
		c := n.FirstChild
		switch {
		case c == nil:
			return "", true
		case c.NextSibling != nil:
			return "", false
		case c.Type == html.TextNode:
			return c.Data, true
		case c.Type != html.ElementNode || skip[c.DataAtom] || c.DataAtom == atom.Br || hidden(c):
			return "", false
		}
		n = c
	}
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
