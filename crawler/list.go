package crawler

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
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

// Pagination.

// totalRe finds a page count in pager text: 共5页, 页次：1/5, 第1/5页.
var totalRe = regexp.MustCompile(`(?:共\s*(\d{1,4})\s*页)|(?:页次\s*[:：]?\s*\d{1,4}\s*/\s*(\d{1,4}))|(?:第\s*\d{1,4}\s*/\s*(\d{1,4})\s*页)|(?:总页数\s*[:：]?\s*(\d{1,4}))`)

// staticPageRe is a static list page name: index_3.html, list_2.shtml.
var staticPageRe = regexp.MustCompile(`^([A-Za-z]+)_(\d{1,4})\.(s?html?)$`)

// staticPrefixes are the usual names of static list pages.
var staticPrefixes = map[string]bool{"index": true, "list": true, "default": true, "page": true, "more": true}

// pageParams are query parameters that number list pages.
var pageParams = []string{"currentPage", "page", "pageNo", "pageIndex", "pageNum", "curPage", "pageno", "pagenum", "pn", "cur_page", "p"}

// createPageRe finds the TRS pager call createPageHTML(…).
var createPageRe = regexp.MustCompile(`createPageHTML\s*\(([^)]*)\)`)

// jsCallRe matches a pager call in a link: javascript:next(2), goPage('3').
var jsCallRe = regexp.MustCompile(`^\s*(?:javascript:)?\s*(?:void\s*\(\s*0\s*\)\s*;?\s*)?([A-Za-z_$][\w$.]*)\s*\(\s*['"]?(\d{1,4})['"]?\s*(?:,[^)]*)?\)`)

// listPages returns the other list pages of a column that page doc shows,
// in page order, from its links and pager scripts. All four styles of
// real columns are read: static index_N.html links, the TRS
// createPageHTML script, javascript: pager functions with a URL template,
// and ?currentPage=N query parameters, with the total from 「共N页」.
func listPages(doc *goquery.Document, base *url.URL) []*url.URL {
	text := doc.Text()
	var sb strings.Builder
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if sb.Len() < 1<<20 {
			sb.WriteString(s.Text())
			sb.WriteByte('\n')
		}
	})
	scripts := sb.String()
	total := 0
	for _, m := range totalRe.FindAllStringSubmatch(text, -1) {
		for _, g := range m[1:] {
			if n, err := strconv.Atoi(g); err == nil {
				total = max(total, n)
			}
		}
	}
	total = min(total, maxListPages)
	dir := dirOf(base)
	_, baseFile := path.Split(base.Path)
	basePrefix := strings.TrimSuffix(baseFile, path.Ext(baseFile))
	if m := staticPageRe.FindStringSubmatch(baseFile); m != nil {
		basePrefix = m[1]
	}

	var out []*url.URL
	seen := map[string]bool{urlKey(base): true}
	add := func(u *url.URL) {
		if u == nil {
			return
		}
		if k := urlKey(u); !seen[k] {
			seen[k] = true
			out = append(out, u)
		}
	}

	type static struct{ dir, prefix, suffix string }
	statics := map[static]int{} // template → highest index seen
	type query struct {
		u     *url.URL
		param string
	}
	var queries []query
	qmax := 0
	jsPages := map[string][]int{} // function → page numbers linked

	consider := func(href, onclick, txt string) {
		// onclick first: href="javascript:void(0);" onclick="goPage(2)" is
		// the common shape, and void(0) is not a pager call.
		if m := jsCallRe.FindStringSubmatch(onclick); m != nil && m[1] != "void" {
			n, _ := strconv.Atoi(m[2])
			jsPages[m[1]] = append(jsPages[m[1]], n)
			return
		}
		if m := jsCallRe.FindStringSubmatch(href); m != nil && m[1] != "void" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(href)), "javascript:") {
			n, _ := strconv.Atoi(m[2])
			jsPages[m[1]] = append(jsPages[m[1]], n)
			return
		}
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(href)), "javascript:") {
			return
		}
		u := parseLink(base, href)
		if u == nil {
			return
		}
		pagerText := pagerTextRe.MatchString(strings.ToLower(squash(txt)))
		if u.RawQuery != "" && (u.Path == base.Path || dirOf(u) == dir) {
			q := u.Query()
			for _, p := range pageParams {
				if v := q.Get(p); v != "" {
					if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 10000 {
						queries = append(queries, query{u, p})
						qmax = max(qmax, n)
						add(u)
						return
					}
				}
			}
		}
		if dirOf(u) != dir {
			return
		}
		_, file := path.Split(u.Path)
		if m := staticPageRe.FindStringSubmatch(file); m != nil && (pagerText || staticPrefixes[strings.ToLower(m[1])] || m[1] == basePrefix) {
			n, _ := strconv.Atoi(m[2])
			t := static{dir, m[1], m[3]}
			statics[t] = max(statics[t], n)
			add(u)
			return
		}
		if pagerText && u.RawQuery == "" {
			add(u)
		}
	}
	doc.Find("a, [onclick]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		onclick, _ := a.Attr("onclick")
		if href == "" && onclick == "" {
			return
		}
		consider(href, onclick, linkText(a))
	})
	// <option value="index_2.html"> pickers.
	doc.Find("select option[value]").Each(func(_ int, o *goquery.Selection) {
		v, _ := o.Attr("value")
		if _, file := path.Split(v); staticPageRe.MatchString(file) {
			consider(v, "", "")
		}
	})

	// TRS: createPageHTML(count, current, "index", "html"), also with a
	// leading element id and trailing record count, and with variables.
	for _, m := range createPageRe.FindAllStringSubmatch(scripts, 4) {
		var nums []int
		var strs []string
		for _, arg := range splitArgs(m[1]) {
			arg = strings.TrimSpace(arg)
			if s, ok := unquote(arg); ok {
				if len(nums) >= 2 {
					strs = append(strs, s)
				}
				continue
			}
			if n, err := strconv.Atoi(arg); err == nil {
				nums = append(nums, n)
			} else if n, ok := scriptVar(scripts, arg); ok {
				nums = append(nums, n)
			}
		}
		if len(nums) >= 2 && len(strs) >= 2 {
			count := min(nums[0], maxListPages)
			for i := 1; i < count; i++ {
				add(parseLink(base, fmt.Sprintf("%s_%d.%s", strs[0], i, strs[1])))
			}
		}
	}

	// Static: the highest index seen (尾页) or the total gives them all.
	keys := make([]static, 0, len(statics))
	for t := range statics {
		keys = append(keys, t)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].prefix < keys[j].prefix })
	for _, t := range keys {
		last := min(max(statics[t], total-1), maxListPages)
		for i := 1; i <= last; i++ {
			add(parseLink(base, fmt.Sprintf("%s%s_%d.%s", t.dir, t.prefix, i, t.suffix)))
		}
	}

	// Query parameter: pages 2..total, and any page linked.
	if len(queries) > 0 {
		q := queries[0]
		last := min(max(qmax, total), maxListPages)
		for i := 2; i <= last; i++ {
			v := *q.u
			vals := v.Query()
			vals.Set(q.param, strconv.Itoa(i))
			v.RawQuery = vals.Encode()
			add(&v)
		}
	}

	// javascript: pager functions with a URL template in a page script.
	fnames := make([]string, 0, len(jsPages))
	for fn := range jsPages {
		fnames = append(fnames, fn)
	}
	sort.Strings(fnames)
	for _, fn := range fnames {
		tmpl, firstSpecial, ok := jsTemplate(scripts, fn)
		if !ok {
			continue
		}
		pages := map[int]bool{}
		last := total
		for _, n := range jsPages[fn] {
			pages[n] = true
			last = max(last, n)
		}
		last = min(last, maxListPages)
		for n := 2; n <= last; n++ {
			pages[n] = true
		}
		if firstSpecial {
			delete(pages, 1)
			delete(pages, 0)
		}
		nums := make([]int, 0, len(pages))
		for n := range pages {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		for _, n := range nums {
			if s, ok := tmpl(n); ok {
				add(parseLink(base, s))
			}
		}
	}
	return out
}

// splitArgs splits a JavaScript argument list at top-level commas.
func splitArgs(s string) []string { return splitTop(s, ',') }

// splitTop splits JavaScript at sep where sep is outside quotes and
// parentheses.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func unquote(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// scriptVar finds `var name = 5` in scripts.
func scriptVar(scripts, name string) (int, bool) {
	if !identRe.MatchString(name) {
		return 0, false
	}
	re := regexp.MustCompile(`(?:^|\bvar\s+|\blet\s+|\bconst\s+|[;{\s])` + regexp.QuoteMeta(name) + `\s*=\s*['"]?(\d{1,4})['"]?`)
	if m := re.FindStringSubmatch(scripts); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil
	}
	return 0, false
}

func scriptString(scripts, name string) (string, bool) {
	if !identRe.MatchString(name) {
		return "", false
	}
	re := regexp.MustCompile(`(?:\bvar\s+|\blet\s+|\bconst\s+)` + regexp.QuoteMeta(name) + `\s*=\s*("[^"\n]*"|'[^'\n]*')`)
	if m := re.FindStringSubmatch(scripts); m != nil {
		return unquote(m[1])
	}
	return "", false
}

var identRe = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)

// locationRe finds navigation in a function body.
var locationRe = regexp.MustCompile(`(?:(?:window|self|top|document|parent)\.)?location(?:\.href)?\s*=\s*([^;\n}]+)|location\.(?:assign|replace)\s*\(([^;\n]+)\)|window\.open\s*\(\s*([^,;)\n]+)`)

// jsTemplate finds `function fn(n) { location.href = "list_" + n + ".html"; }`
// in scripts and returns it as a function of the page number. firstSpecial
// says the function sends one page (the first) elsewhere without using n.
func jsTemplate(scripts, fn string) (func(int) (string, bool), bool, bool) {
	name := fn[strings.LastIndexByte(fn, '.')+1:]
	defRe := regexp.MustCompile(`(?:function\s+` + regexp.QuoteMeta(name) + `\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{|` +
		regexp.QuoteMeta(name) + `\s*[:=]\s*function\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{)`)
	loc := defRe.FindStringSubmatchIndex(scripts)
	if loc == nil {
		return nil, false, false
	}
	param := ""
	if loc[2] >= 0 {
		param = scripts[loc[2]:loc[3]]
	} else {
		param = scripts[loc[4]:loc[5]]
	}
	body := braceBody(scripts[loc[1]-1:])
	paramRe := regexp.MustCompile(`\b` + regexp.QuoteMeta(param) + `\b`)
	var expr string
	firstSpecial := false
	for _, m := range locationRe.FindAllStringSubmatch(body, 8) {
		e := strings.TrimSpace(m[1] + m[2] + m[3])
		if paramRe.MatchString(e) {
			if expr == "" {
				expr = e
			}
		} else if _, ok := unquote(e); ok {
			firstSpecial = true
		}
	}
	if expr == "" {
		return nil, false, false
	}
	return func(n int) (string, bool) { return evalConcat(expr, param, n, scripts) }, firstSpecial, true
}

// braceBody returns the text between the { at s[0] and its matching }.
func braceBody(s string) string {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return s[1:i]
			}
		}
	}
	return s
}

// evalConcat evaluates a string concatenation such as
// "list_" + n + ".html" or "?page=" + (n-1) for page n.
func evalConcat(expr, param string, n int, scripts string) (string, bool) {
	var sb strings.Builder
	for _, term := range splitPlus(expr) {
		term = strings.TrimSpace(term)
		if s, ok := unquote(term); ok {
			sb.WriteString(s)
			continue
		}
		if v, ok := evalInt(term, param, n); ok {
			sb.WriteString(strconv.Itoa(v))
			continue
		}
		if s, ok := scriptString(scripts, term); ok {
			sb.WriteString(s)
			continue
		}
		return "", false
	}
	return sb.String(), sb.Len() > 0
}

// splitPlus splits at top-level + signs.
func splitPlus(s string) []string { return splitTop(s, '+') }

var intExprRe = regexp.MustCompile(`^\(?\s*(?:parseInt\s*\(\s*)?([A-Za-z_$][\w$]*|\d+)\s*\)?\s*(?:([-+*])\s*(\d+))?\s*\)?$`)

// evalInt evaluates param, (param-1), parseInt(param)+1 and the like.
func evalInt(term, param string, n int) (int, bool) {
	m := intExprRe.FindStringSubmatch(term)
	if m == nil {
		return 0, false
	}
	var v int
	if m[1] == param {
		v = n
	} else if x, err := strconv.Atoi(m[1]); err == nil {
		v = x
	} else {
		return 0, false
	}
	if m[2] != "" {
		k, _ := strconv.Atoi(m[3])
		switch m[2] {
		case "-":
			v -= k
		case "+":
			v += k
		case "*":
			v *= k
		}
	}
	return v, true
}
