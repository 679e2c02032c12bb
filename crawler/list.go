package crawler

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// maxListPages caps the list pages read per column.
const maxListPages = 100

// listItem is one entry of a column list.
type listItem struct {
	u     *url.URL
	title string
	date  string // YYYY-MM-DD or ""
}

// dateRe finds list dates: 2024-01-20, 2024/1/20, 2024.01.20, 2024年1月20日.
var dateRe = regexp.MustCompile(`((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)

// findDate returns the first valid date in s as YYYY-MM-DD.
func findDate(s string) string {
	for _, m := range dateRe.FindAllStringSubmatch(s, 4) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
		}
	}
	return ""
}

// detailRe matches URLs of CMS detail pages: TRS t20240120_123, JCMS
// art_1_2, dated paths, content_123, ?id=123.
var detailRe = regexp.MustCompile(`(?i)(/t\d{8}_\d+|art_\d+_\d+|content_\d+|/\d{6}/|/\d{4}/\d{1,2}/\d{1,2}/|/\d{4}-\d{2}/|detail|/info/\d+|[?&](id|infoid|articleid|docid|newsid)=\d+)`)

// pagerTextRe matches pagination link texts.
var pagerTextRe = regexp.MustCompile(`^(\[?\d{1,4}\]?|第\d+页|下一页|下页|上一页|上页|首页|尾页|末页|最后一页|第一页|前一页|后一页|next|prev|previous|last|first|>|>>|»|›|<|<<|«|‹|下一页>|<上一页|go|跳转)$`)

// navNames are site navigation texts that are never entries.
var navNames = map[string]bool{"首页": true, "网站首页": true, "返回首页": true, "网站地图": true, "更多": true, "更多>>": true, "more": true, "关闭": true, "打印": true, "返回顶部": true}

// listEntries extracts the entries of a list page: links that carry a date
// in their list item, point to a CMS detail page or a report file, or are
// titled as annual reports. Links are grouped by the list they sit in; the
// list holding most entries wins, and annual reports found elsewhere on the
// page are kept too. skip excludes keys (the list pages themselves).
// prefer names the list (by its position in the page, see listSig) that
// held the entries of the column's first page: later pages, often short,
// must not lose to a sidebar. The signature of the list used is returned.
func listEntries(doc *goquery.Document, base *url.URL, sc *scope, skip map[string]bool, prefer string) ([]listItem, string) {
	type cand struct {
		item  listItem
		group *html.Node
		order int
	}
	var cands []cand
	self := ""
	if base != nil {
		self = urlKey(base)
	}
	seen := map[string]bool{}
	collect := func(root *goquery.Selection, groupOverride *html.Node) {
		root.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			u := parseLink(base, href)
			if u == nil || (sc != nil && !sc.contains(u)) {
				return
			}
			k := urlKey(u)
			if k == self || skip[k] || seen[k] {
				return
			}
			text := linkText(a)
			sq := squash(text)
			if pagerTextRe.MatchString(strings.ToLower(sq)) || navNames[strings.ToLower(sq)] {
				return
			}
			if _, ok := columnNames[sq]; ok {
				return
			}
			if _, ok := zoneNames[sq]; ok {
				return
			}
			isDoc := docExts[extOf(u)]
			if utf8.RuneCountInString(sq) < 4 && !isDoc {
				return
			}
			item, group := listItemOf(a)
			date := findDate(strings.Replace(tidy(item.Text()), text, " ", 1))
			if date == "" && item.Nodes[0] == a.Nodes[0] {
				date = findDate(textAfter(a.Nodes[0]))
			}
			title := entryTitle(text, tidy(a.AttrOr("title", "")))
			if !(date != "" || isDoc || detailRe.MatchString(u.Path+"?"+u.RawQuery) || (isReportTitle(title) && hasYear(title))) {
				return
			}
			if groupOverride != nil {
				group = groupOverride
			}
			seen[k] = true
			cands = append(cands, cand{listItem{u: u, title: title, date: date}, group, len(cands)})
		})
	}
	collect(doc.Selection, nil)
	// JCMS lists arrive as <record><![CDATA[<li>…</li>]]></record> inside
	// a script; the HTML parser leaves them as script text.
	doc.Find("script").Each(func(_ int, sc *goquery.Selection) {
		txt := sc.Text()
		if !strings.Contains(txt, "<![CDATA[") {
			return
		}
		for _, m := range cdataRe.FindAllStringSubmatch(txt, maxListItemsPerPage) {
			frag, err := goquery.NewDocumentFromReader(strings.NewReader(m[1]))
			if err != nil {
				continue
			}
			collect(frag.Selection, sc.Nodes[0])
		}
	})
	if len(cands) == 0 {
		return nil, ""
	}
	// Pick the list with the most entries, counting reports double.
	weight := map[*html.Node]int{}
	for _, c := range cands {
		w := 1
		if isReportTitle(c.item.title) {
			w = 2
		}
		if c.item.date != "" {
			w++
		}
		weight[c.group] += w
	}
	var main *html.Node
	for _, c := range cands {
		if main == nil || weight[c.group] > weight[main] {
			main = c.group
		}
	}
	if prefer != "" {
		for _, c := range cands {
			if listSig(c.group) == prefer {
				main = c.group
				break
			}
		}
	}
	var out []listItem
	for _, c := range cands {
		if c.group == main || (isReportTitle(c.item.title) && hasYear(c.item.title)) {
			out = append(out, c.item)
		}
	}
	return out, listSig(main)
}

// listSig describes where a list sits in its page: the path of element
// names, ids and classes from the root, stable across a column's pages.
func listSig(n *html.Node) string {
	var parts []string
	for ; n != nil && len(parts) < 32; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		p := n.Data
		for _, a := range n.Attr {
			if a.Key == "id" || a.Key == "class" {
				p += "[" + a.Key + "=" + a.Val + "]"
			}
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "<")
}

const maxListItemsPerPage = 1000

var cdataRe = regexp.MustCompile(`(?s)<!\[CDATA\[(.*?)\]\]>`)

// listItemOf returns the list item around link a (the largest ancestor
// holding no other link: li, tr, a row div) and the list it belongs to.
func listItemOf(a *goquery.Selection) (*goquery.Selection, *html.Node) {
	item := a
	for p := a.Parent(); p.Length() > 0; p = p.Parent() {
		if p.Is("body,html,ul,ol,table,tbody,thead,dl") || p.Find("a[href]").Length() > 1 {
			break
		}
		item = p
	}
	group := item.Parent()
	if group.Length() == 0 {
		return item, nil
	}
	return item, group.Nodes[0]
}

// textAfter collects the text following n up to the next link, for lists
// written as <a>…</a> 2024-01-20<br>.
func textAfter(n *html.Node) string {
	var sb strings.Builder
	for s := n.NextSibling; s != nil && sb.Len() < 200; s = s.NextSibling {
		if s.Type == html.ElementNode && (s.Data == "a" || containsLink(s)) {
			break
		}
		collectText(s, &sb)
	}
	return sb.String()
}

func containsLink(n *html.Node) bool {
	if n.Type == html.ElementNode && n.Data == "a" {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if containsLink(c) {
			return true
		}
	}
	return false
}

func collectText(n *html.Node, sb *strings.Builder) {
	if n.Type == html.TextNode {
		sb.WriteString(n.Data)
		sb.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectText(c, sb)
	}
}

// entryTitle prefers the title attribute, which holds the full title when
// the visible text is cut ("…").
func entryTitle(text, title string) string {
	if title == "" {
		return text
	}
	short := strings.TrimRight(text, ".…。 ")
	if text == "" || utf8.RuneCountInString(title) >= utf8.RuneCountInString(short) {
		return title
	}
	return text
}
