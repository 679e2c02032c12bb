package simnet

import (
	"fmt"
	"hash/fnv"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const (
	ctDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ctPDF  = "application/pdf"
	ctDoc  = "application/msword"
)

var esc = html.EscapeString

// render turns the generated site into resources.
func (g *sg) render(cfg Config) error {
	s, st := g.s, g.st
	s.colPath = st.colPath
	s.Zhuanlan = g.abs(st.zlPath)
	if err := g.add("/robots.txt", &resource{body: []byte(g.robots()), ctype: "text/plain; charset=utf-8"}); err != nil {
		return err
	}
	home, err := g.page(s.Agency, "", g.homeBody())
	if err != nil {
		return err
	}
	g.add("/index.html", home)
	g.add("/", home)
	if s.Layout == LayoutVSB {
		g.add("/index.htm", home)
	}
	for _, p := range g.placeholders() {
		r, err := g.page(p[1]+"_"+s.Agency, "", g.crumb(p[1])+"<div class=\"content\"><p>"+esc(p[2])+"</p></div>")
		if err != nil {
			return err
		}
		g.add(p[0], r)
	}
	zl, err := g.page(st.zlText+"_"+s.Agency, "", g.zhuanlanBody())
	if err != nil {
		return err
	}
	g.add(st.zlPath, zl)
	if st.distractor {
		if err := g.renderDistractor(); err != nil {
			return err
		}
	}
	if s.Pagination == PageTRSScript {
		g.add("/js/page.js", &resource{body: []byte(pageJS), ctype: "application/javascript"})
	}
	if g.noColumn {
		return nil
	}
	s.Column = g.abs(st.colPath)
	s.ColumnText = st.colText
	entries := g.entries()
	render := g.renderList
	if g.mech != "" {
		render = g.renderScriptList
	}
	if err := render(entries); err != nil {
		return err
	}
	owner := map[*rep]*sg{}
	for _, sub := range g.subs {
		for _, r := range sub.reps {
			owner[r] = sub
		}
	}
	for _, r := range entries {
		by := g
		if o := owner[r]; o != nil {
			by = o
		}
		if err := by.renderEntry(cfg, r); err != nil {
			return err
		}
	}
	for _, r := range entries {
		e := Entry{Title: r.title, URL: g.abs(r.path), Year: r.year, Kind: "annual-report", Template: r.tmpl, Format: r.format, Agency: g.ag.full}
		if o := owner[r]; o != nil {
			e.Agency = o.ag.full
		}
		if r.hasDate {
			e.ListDate, e.Published = r.pub.Format("2006-01-02"), r.pub.Format("2006-01-02")
		}
		if !r.isReport() {
			e.Kind, e.Template = "other", ""
		}
		if r.format == "broken" {
			e.Format = strings.TrimPrefix(r.atts[0].ext, ".")
		}
		for _, a := range r.atts {
			e.Attachments = append(e.Attachments, g.abs(a.path))
		}
		s.Entries = append(s.Entries, e)
		if r.isReport() {
			s.Years = append(s.Years, r.year)
		}
	}
	slices.Sort(s.Years)
	return nil
}

func (g *sg) abs(path string) string { return strings.TrimSuffix(g.s.Home, "/") + path }

// entries lists the column's entries newest first.
func (g *sg) entries() []*rep {
	var es []*rep
	for _, x := range append([]*sg{g}, g.subs...) {
		for _, y := range x.years {
			if r := x.reps[y]; r.published {
				es = append(es, r)
			}
		}
	}
	es = append(es, g.extras...)
	slices.SortStableFunc(es, func(a, b *rep) int { return b.pub.Compare(a.pub) })
	return es
}

func (g *sg) robots() string {
	var sb strings.Builder
	sb.WriteString("User-agent: *\n")
	for _, d := range g.s.Disallow {
		sb.WriteString("Disallow: " + d + "\n")
	}
	if g.s.CrawlDelay > 0 {
		sb.WriteString("Crawl-delay: " + strconv.FormatFloat(g.s.CrawlDelay, 'f', -1, 64) + "\n")
	}
	return sb.String()
}

// page wraps a body into a whole HTML page in the site's charset.
func (g *sg) page(title, head, body string) (*resource, error) {
	s := g.s
	var meta, ctype string
	gbk := s.Charset == "gbk"
	label := "utf-8"
	if gbk {
		label = []string{"gb2312", "gbk", "GBK"}[len(s.Agency)%3]
	}
	if s.Declared == "meta" || s.Declared == "both" || s.Declared == "meta-late" {
		if gbk && len(s.Agency)%2 == 0 {
			meta = `<meta http-equiv="Content-Type" content="text/html; charset=` + label + `">`
		} else {
			meta = `<meta charset="` + label + `">`
		}
	}
	ctype = "text/html"
	if s.Declared == "header" || s.Declared == "both" {
		ctype = "text/html; charset=" + label
	}
	if g.lieUTF8 { // header says utf-8 on GBK bytes
		ctype = "text/html; charset=utf-8"
	}
	if g.lieGB { // meta says gb2312 on UTF-8 bytes
		meta, ctype = `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, "text/html"
	}
	var sb strings.Builder
	sb.WriteString("<!DOCTYPE html>\n<html>\n<head>\n")
	late := s.Declared == "meta-late" && !g.lieGB
	if !late {
		sb.WriteString(meta + "\n")
	}
	sb.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">` + "\n")
	sb.WriteString("<title>" + esc(title) + "</title>\n")
	sb.WriteString(head)
	if late {
		// a long head pushes the declaration past the first 1024 bytes
		sb.WriteString("<style type=\"text/css\">\n")
		for i := range 40 {
			fmt.Fprintf(&sb, ".nav li.item%d a{color:#1a4f9c;padding:0 12px;font-size:16px;line-height:40px;}\n", i)
		}
		sb.WriteString("</style>\n" + meta + "\n")
	}
	sb.WriteString("</head>\n<body>\n")
	sb.WriteString(`<div class="header"><div class="logo">` + esc(s.Agency) + `</div>`)
	sb.WriteString(`<div class="search"><form action="/search/index.html" method="get"><input type="text" name="q"><input type="submit" value="搜索"></form>`)
	sb.WriteString(`<a href="/search/index.html?advanced=1">高级搜索</a></div></div>` + "\n")
	sb.WriteString(body)
	sb.WriteString("\n<div class=\"footer\"><p>主办单位：" + esc(s.Agency) + "　<a href=\"/admin/login.html\">网站管理</a></p>")
	fmt.Fprintf(&sb, "<p>网站标识码：%d　ICP备案号：苏ICP备%08d号</p></div>\n</body>\n</html>\n", 3200000000+len(s.Agency)*7919, len(s.Agency)*104729)
	out := []byte(sb.String())
	if gbk {
		enc, err := simplifiedchinese.GBK.NewEncoder().Bytes(out)
		if err != nil {
			return nil, fmt.Errorf("simnet: encode page %q of %s as GBK: %w", title, s.Home, err)
		}
		out = enc
	}
	return &resource{body: out, ctype: ctype}, nil
}

func (g *sg) add(path string, r *resource) error {
	if r.body != nil && r.etag == "" {
		h := fnv.New64a()
		h.Write(r.body)
		r.etag = fmt.Sprintf(`"%x"`, h.Sum64())
	}
	g.s.resources[path] = r
	return nil
}

func (g *sg) homeBody() string {
	st := g.st
	var sb strings.Builder
	sb.WriteString(`<div class="nav"><ul>`)
	sb.WriteString(`<li><a href="/index.html">首页</a></li><li><a href="/xwzx/index.html">新闻中心</a></li>`)
	fmt.Fprintf(&sb, `<li><a href="%s">%s</a></li>`, st.zlPath, esc(st.zlText))
	sb.WriteString(`<li><a href="/bsfw/index.html">办事服务</a></li><li><a href="/hdjl/index.html">互动交流</a></li></ul></div>` + "\n")
	sb.WriteString(`<div class="main"><div class="news"><h2>工作动态</h2><ul>`)
	for i, t := range []string{"召开全体干部职工大会部署年度重点工作", "开展“优化营商环境”专题调研", "组织政务公开业务培训", "召开党风廉政建设工作会议"} {
		fmt.Fprintf(&sb, `<li><a href="/xwzx/index.html">%s</a><span>%s</span></li>`, t, fmt.Sprintf("%02d-%02d", 11, 20-i*3))
	}
	sb.WriteString(`</ul></div>`)
	fmt.Fprintf(&sb, `<div class="zt"><a href="%s"><img src="/images/zfxxgk.png" alt="%s"></a></div></div>`, st.zlPath, esc(st.zlText))
	return sb.String()
}

func (g *sg) crumb(here string) string {
	return `<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; ` + esc(here) + `</div>` + "\n"
}

// zlDir is where the 专栏's sub-columns live.
func (g *sg) zlSub(i int) string {
	st := g.st
	switch g.s.Layout {
	case LayoutJCMS:
		id := strings.TrimSuffix(strings.TrimPrefix(st.zlPath, "/col/col"), "/index.html")
		n, _ := strconv.Atoi(id)
		return fmt.Sprintf("/col/col%d/index.html", n+1+i)
	case LayoutGkmlpt:
		return "/gkmlpt/" + []string{"guide", "system", "policy", "report"}[i]
	}
	dir := strings.TrimSuffix(strings.TrimSuffix(st.zlPath, "/index.html"), ".htm")
	return dir + "/" + []string{"zn", "zd", "fdzdgknr", "wzndbb"}[i] + "/index.html"
}

func (g *sg) placeholders() [][3]string {
	a := g.s.Agency
	return [][3]string{
		{"/xwzx/index.html", "新闻中心", a + "工作动态。"},
		{"/bsfw/index.html", "办事服务", "办事指南请登录政务服务网。"},
		{"/hdjl/index.html", "互动交流", "领导信箱、在线访谈、征集调查。"},
		{"/search/index.html", "站内搜索", "请输入关键词。"},
		{g.zlSub(0), "政府信息公开指南", a + "政府信息公开指南：公开的主体、方式、程序和时限。"},
		{g.zlSub(1), "政府信息公开制度", a + "政府信息公开保密审查制度、信息发布协调制度。"},
		{g.zlSub(2), "法定主动公开内容", "机构职能、规范性文件、规划计划、财政资金、行政执法。"},
	}
}

func (g *sg) zhuanlanBody() string {
	st := g.st
	var sb strings.Builder
	sb.WriteString(g.crumb(st.zlText))
	sb.WriteString(`<div class="side"><h2>` + esc(st.zlText) + `</h2><ul>`)
	links := [][2]string{{g.zlSub(0), "政府信息公开指南"}, {g.zlSub(1), "政府信息公开制度"}, {g.zlSub(2), "法定主动公开内容"}}
	if !g.noColumn {
		links = append(links, [2]string{st.colPath, st.colText})
	}
	if st.distractor {
		// the website statistics report is not the 年报 column
		d := [2]string{g.zlSub(3), "政府网站工作年度报表"}
		links = append(links[:2], append([][2]string{d}, links[2:]...)...)
	}
	for _, l := range links {
		fmt.Fprintf(&sb, `<li><a href="%s">%s</a></li>`, l[0], esc(l[1]))
	}
	sb.WriteString(`</ul></div>` + "\n" + `<div class="content"><p>` + esc(g.s.Agency) + `依据《中华人民共和国政府信息公开条例》，在本专栏集中发布法定主动公开内容。</p></div>`)
	return sb.String()
}

func (g *sg) renderDistractor() error {
	list := g.zlSub(3)
	dir := strings.TrimSuffix(list, "/index.html")
	y := dateOnly(g.s.net.Config.Now).Year() - 1
	detail := fmt.Sprintf("%s/%d01/t%d0115_%d.html", dir, y+1, y+1, 900000+g.rng.IntN(99999))
	title := fmt.Sprintf("%s政府网站工作年度报表（%d年度）", g.s.Agency, y)
	lp, err := g.page("政府网站工作年度报表_"+g.s.Agency, "", g.crumb("政府网站工作年度报表")+
		fmt.Sprintf(`<ul class="list"><li><a href="%s" title="%s">%s</a><span>%d-01-15</span></li></ul>`, detail, esc(title), esc(title), y+1))
	if err != nil {
		return err
	}
	g.add(list, lp)
	dp, err := g.page(title, "", g.crumb("政府网站工作年度报表")+"<h1>"+esc(title)+"</h1>"+
		`<table border="1"><tr><td>网站名称</td><td>`+esc(g.s.Agency)+`门户网站</td></tr><tr><td>首页网址</td><td><a href="/index.html">/index.html</a></td></tr>`+
		`<tr><td>总访问量（次）</td><td>`+strconv.Itoa(100000+g.rng.IntN(900000))+`</td></tr><tr><td>信息发布总数（条）</td><td>`+strconv.Itoa(500+g.rng.IntN(3000))+`</td></tr></table>`)
	if err != nil {
		return err
	}
	g.add(detail, dp)
	return nil
}

// listURL is the path (with query) of list page k, 0-based.
func (g *sg) listURL(k int) string {
	st := g.st
	switch g.s.Pagination {
	case PageJSFunc:
		if k == 0 {
			return st.colPath
		}
		return fmt.Sprintf("%s/%s%d.html", st.colDir, st.jsPrefix, k+1)
	case PageQuery:
		if k == 0 {
			return st.colPath
		}
		return fmt.Sprintf("%s?%s=%d", st.colPath, g.s.PageParam, k+1)
	}
	if k == 0 {
		return st.colPath
	}
	return fmt.Sprintf("%s/index_%d.html", st.colDir, k)
}

// staticPager links the static list pages around page k.
func staticPager(k, pages int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `共%d页　`, pages)
	if k > 0 {
		fmt.Fprintf(&sb, `<a href="%s">首页</a> <a href="%s">上一页</a> `, staticName(0), staticName(k-1))
	}
	for i := range pages {
		if i == k {
			fmt.Fprintf(&sb, `<span class="current">%d</span> `, i+1)
		} else {
			fmt.Fprintf(&sb, `<a href="%s">%d</a> `, staticName(i), i+1)
		}
	}
	if k < pages-1 {
		fmt.Fprintf(&sb, `<a href="%s">下一页</a> <a href="%s">尾页</a>`, staticName(k+1), staticName(pages-1))
	}
	return sb.String()
}

// staticName is the file name of static page k.
func staticName(k int) string {
	if k == 0 {
		return "index.html"
	}
	return fmt.Sprintf("index_%d.html", k)
}

func (g *sg) renderList(entries []*rep) error {
	s, st := g.s, g.st
	// a few entries per page, and never everything on page 1
	if len(entries) > 1 && s.PerPage >= len(entries) {
		s.PerPage = max(1, (len(entries)+1)/2)
	}
	per := s.PerPage
	pages := max(1, (len(entries)+per-1)/per)
	for k := range pages {
		var sb strings.Builder
		sb.WriteString(g.crumb(st.zlText + " > " + st.colText))
		sb.WriteString(`<div class="list"><h2>` + esc(st.colText) + `</h2>`)
		if st.dateTd {
			sb.WriteString(`<table class="list-table">`)
		} else {
			sb.WriteString(`<ul>`)
		}
		for _, r := range entries[k*per : min(len(entries), (k+1)*per)] {
			href, disp, date := g.entryLink(r)
			if st.dateTd {
				fmt.Fprintf(&sb, `<tr><td class="title"><a href="%s" title="%s" target="_blank">%s</a></td><td class="date">%s</td></tr>`+"\n", href, esc(r.title), esc(disp), date)
			} else {
				fmt.Fprintf(&sb, `<li><a href="%s" title="%s" target="_blank">%s</a><span class="date">%s</span></li>`+"\n", href, esc(r.title), esc(disp), date)
			}
		}
		if st.dateTd {
			sb.WriteString(`</table>`)
		} else {
			sb.WriteString(`</ul>`)
		}
		head := ""
		sb.WriteString(`<div class="page">`)
		switch s.Pagination {
		case PageStatic:
			sb.WriteString(staticPager(k, pages))
		case PageBase64:
			// the same pager, decoded by the browser (lists.go)
			sb.WriteString(base64Pager(staticPager(k, pages)))
		case PageTRSScript:
			head = `<script type="text/javascript" src="/js/page.js"></script>` + "\n"
			fmt.Fprintf(&sb, `<script type="text/javascript">createPageHTML(%d, %d, "index", "html");</script>`, pages, k)
		case PageJSFunc:
			fmt.Fprintf(&sb, `<script type="text/javascript">function %s(n){ location.href = "%s" + n + ".html"; }</script>`, st.jsFunc, st.jsPrefix)
			fmt.Fprintf(&sb, `共%d页 `, pages)
			link := func(n int, text string) {
				if st.jsOnclick {
					fmt.Fprintf(&sb, `<a href="javascript:void(0);" onclick="%s(%d)">%s</a> `, st.jsFunc, n, text)
				} else {
					fmt.Fprintf(&sb, `<a href="javascript:%s(%d)">%s</a> `, st.jsFunc, n, text)
				}
			}
			if k > 0 {
				link(k, "上一页")
			}
			for i := range pages {
				if i != k {
					link(i+1, strconv.Itoa(i+1))
				}
			}
			if k < pages-1 {
				link(k+2, "下一页")
				link(pages, "尾页")
			}
		case PageQuery:
			q := func(n int) string { return fmt.Sprintf("%s?%s=%d", st.colPath, s.PageParam, n) }
			if st.queryLinks {
				fmt.Fprintf(&sb, `<a href="%s">首页</a> `, q(1))
				if k > 0 {
					fmt.Fprintf(&sb, `<a href="?%s=%d">上一页</a> `, s.PageParam, k)
				}
				if k < pages-1 {
					fmt.Fprintf(&sb, `<a href="?%s=%d">下一页</a> `, s.PageParam, k+2)
				}
				fmt.Fprintf(&sb, `<a href="%s">尾页</a> 共%d页`, q(pages), pages)
			} else {
				// only the total and the first page are given
				fmt.Fprintf(&sb, `<span>共%d页</span> <span>当前第%d页</span> <a href="%s">首页</a> <a href="javascript:;">下一页</a>`, pages, k+1, q(1))
			}
		}
		sb.WriteString(`</div></div>` + "\n")
		sb.WriteString(`<div class="related"><a href="/search/index.html?q=` + esc(st.colText) + `">在本栏目中搜索</a></div>`)
		res, err := g.page(st.colText+"_"+s.Agency, head, sb.String())
		if err != nil {
			return err
		}
		if g.listTaken && k == min(g.listPage, pages-1) {
			res.fault = g.listFault
		}
		path := g.listURL(k)
		s.ListPages = append(s.ListPages, g.abs(path))
		switch s.Pagination {
		case PageQuery:
			g.add(fmt.Sprintf("%s?%d", st.colPath, k+1), res)
			s.pages[k+1] = fmt.Sprintf("%s?%d", st.colPath, k+1)
			if k == 0 {
				g.add(st.colPath, res)
			}
		case PageJSFunc:
			g.add(path, res)
			if k == 0 {
				g.add(fmt.Sprintf("%s/%s1.html", st.colDir, st.jsPrefix), res)
			}
		default:
			g.add(path, res)
		}
	}
	return nil
}

// entryLink is how the column lists an entry: its link, the text shown
// (cut on some sites; the title attribute has it whole) and the date.
func (g *sg) entryLink(r *rep) (href, disp, date string) {
	st := g.st
	href = r.path
	if g.s.Layout == LayoutTRS {
		href = "." + strings.TrimPrefix(r.path, st.colDir)
	}
	disp = r.title
	if st.truncate > 0 {
		rs := []rune(disp)
		cut := max(st.truncate, strings.Index(disp, strconv.Itoa(r.year))/3+8)
		if len(rs) > cut {
			disp = string(rs[:cut]) + "…"
		}
	}
	if r.hasDate {
		date = r.pub.Format([]string{"2006-01-02", "2006/01/02", "2006年01月02日", "[2006-01-02]"}[st.dateFmt])
	}
	return href, disp, date
}

const pageJS = `function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount <= 1){ return; }
	var nCurrIndex = _nCurrIndex || 0;
	if(nCurrIndex == 0) document.write("<span>首页</span> ");
	else document.write("<a href=\"" + _sPageName + "." + _sPageExt + "\">首页</a> ");
	if(nCurrIndex > 0){
		var prev = nCurrIndex == 1 ? _sPageName + "." + _sPageExt : _sPageName + "_" + (nCurrIndex - 1) + "." + _sPageExt;
		document.write("<a href=\"" + prev + "\">上一页</a> ");
	}
	if(nCurrIndex + 1 < _nPageCount){
		document.write("<a href=\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\">下一页</a> ");
	}
	document.write("共" + _nPageCount + "页");
}
`

// dateLine is the date label shown on a report page.
func (g *sg) dateLine(t time.Time) string {
	switch g.st.pubLabel {
	case 1:
		return "发布时间：" + t.Format("2006-01-02 15:04")
	case 2:
		return "发布日期：" + t.Format("2006-01-02 15:04:05")
	}
	return "发布日期：" + t.Format("2006-01-02")
}

func (g *sg) renderEntry(cfg Config, r *rep) error {
	s, st := g.s, g.st
	var head, sb strings.Builder
	if r.hasDate && s.Layout == LayoutTRS {
		fmt.Fprintf(&head, `<meta name="PubDate" content="%s">`+"\n", r.pub.Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(&head, `<meta name="ArticleTitle" content="%s">`+"\n"+`<meta name="ContentSource" content="%s">`+"\n", esc(r.title), esc(s.Agency))
	sb.WriteString(g.crumb(st.zlText + " > " + st.colText))
	if st.infoTable {
		sb.WriteString(`<table class="xxgk-info">`)
		fmt.Fprintf(&sb, `<tr><td>索引号：</td><td>%s/%d-%05d</td><td>分类：</td><td>%s</td></tr>`, g.indexCode(), r.year+1, g.rng.IntN(99999), esc(st.colText))
		if r.hasDate {
			fmt.Fprintf(&sb, `<tr><td>发布机构：</td><td>%s</td><td>成文日期：</td><td>%s</td></tr>`, esc(s.Agency), r.sign.Format("2006-01-02"))
		} else {
			fmt.Fprintf(&sb, `<tr><td>发布机构：</td><td>%s</td><td>成文日期：</td><td></td></tr>`, esc(s.Agency))
		}
		fmt.Fprintf(&sb, `<tr><td>名称：</td><td colspan="3">%s</td></tr>`, esc(r.title))
		if r.hasDate {
			fmt.Fprintf(&sb, `<tr><td>文号：</td><td></td><td>发布日期：</td><td>%s</td></tr>`, r.pub.Format("2006-01-02"))
		}
		sb.WriteString("</table>\n")
	}
	sb.WriteString(`<div class="article"><h1 class="title">` + esc(r.title) + "</h1>\n")
	sb.WriteString(`<div class="info">`)
	if r.hasDate {
		sb.WriteString("<span>" + g.dateLine(r.pub) + "</span>")
	}
	sb.WriteString(`<span>来源：` + esc(s.Agency) + `</span><span>浏览次数：<script>document.write(hits)</script></span></div>` + "\n")
	sb.WriteString(map[string]string{LayoutTRS: `<div class="TRS_Editor" id="zoom">`, LayoutJCMS: `<div class="bt-content" id="zoom">`,
		LayoutVSB: `<div class="v_news_content" id="vsb_content">`, LayoutGkmlpt: `<div class="article-content" id="zoom">`}[s.Layout] + "\n")
	attHref := func(a *att) string {
		if s.Layout == LayoutTRS {
			return "./" + a.path[strings.LastIndex(a.path, "/")+1:]
		}
		return a.path
	}
	switch {
	case r.format == "html":
		writeBlocks(&sb, r.body, st)
	default: // the report is in the attachment
		wrap := []string{
			"%s已编制完成，现予以公布，全文详见附件。",
			"根据《中华人民共和国政府信息公开条例》规定，现公布%s，具体内容请查阅附件。",
			"现将%s予以公开。",
			"%s（全文见附件）",
		}
		fmt.Fprintf(&sb, `<p style="text-indent:2em;">%s</p>`+"\n", esc(fmt.Sprintf(wrap[(r.year+len(s.Agency))%len(wrap)], r.title)))
	}
	if len(r.atts) > 0 {
		sb.WriteString(`<div class="fj"><p>附件：</p>`)
		for _, a := range r.atts {
			fmt.Fprintf(&sb, `<p><a href="%s">%s</a></p>`, attHref(a), esc(a.name))
		}
		sb.WriteString(`</div>`)
	}
	sb.WriteString("</div></div>\n")
	res, err := g.page(r.title+"_"+s.Agency, head.String(), sb.String())
	if err != nil {
		return err
	}
	res.modified = r.pub
	res.fault = r.pageFault
	g.add(r.path, res)
	if r.pageFault == fLoop {
		// the page and a twin redirect to each other
		ext := r.path[strings.LastIndex(r.path, "."):]
		twin := strings.TrimSuffix(r.path, ext) + "_1" + ext
		res.redirect = twin
		g.add(twin, &resource{redirect: r.path, fault: fLoop})
	}
	for _, a := range r.atts {
		if err := g.renderAttachment(cfg, r, a); err != nil {
			return err
		}
	}
	return nil
}

func (g *sg) indexCode() string {
	return fmt.Sprintf("1132%04d%06d", len(g.s.Agency)*37%10000, g.st.colID%1000000)
}

func (g *sg) renderAttachment(cfg Config, r *rep, a *att) error {
	res := &resource{modified: r.pub, fault: a.fault}
	switch {
	case a.fault == fHuge:
		res.ctype, res.size = ctPDF, cfg.Faults.OversizedBytes
	case r.defect == d404:
		res.status = 404
	case r.defect == dTiny:
		res.ctype, res.body = ctPDF, []byte("%P")
	case r.defect == dSoft404:
		// an error page served with status 200 for a .doc link
		res.ctype = "text/html; charset=utf-8"
		res.body = []byte("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><p>您访问的页面不存在或已被删除！</p><p><a href=\"/index.html\">返回首页</a></p></body></html>")
	case r.format == "pdf":
		b, err := assets.ReadFile("assets/" + r.pdf)
		if err != nil {
			return fmt.Errorf("simnet: read embedded %s: %w", r.pdf, err)
		}
		res.ctype, res.body = ctPDF, b
	case r.format == "docx":
		b, err := docx(r.title, r.body, r.sign)
		if err != nil {
			return fmt.Errorf("simnet: build %s: %w", a.path, err)
		}
		res.ctype, res.body = ctDocx, b
	}
	return g.add(a.path, res)
}

// writeBlocks renders a report body as HTML.
func writeBlocks(sb *strings.Builder, bs []block, st style) {
	for _, b := range bs {
		switch b.kind {
		case bPara:
			sb.WriteString(`<p style="text-indent:2em;">` + esc(b.text) + "</p>\n")
		case bHeading:
			switch st.heading {
			case 1:
				sb.WriteString("<h3>" + esc(b.text) + "</h3>\n")
			case 2:
				sb.WriteString(`<p class="hd"><b>` + esc(b.text) + "</b></p>\n")
			default:
				sb.WriteString(`<p style="text-indent:2em;"><strong>` + esc(b.text) + "</strong></p>\n")
			}
		case bSign:
			sb.WriteString(`<p style="text-align:right;">` + esc(b.text) + "</p>\n")
		case bTable:
			writeTable(sb, b.g)
		}
	}
}

func writeTable(sb *strings.Builder, g *grid) {
	sb.WriteString(`<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse;">` + "\n<tbody>\n")
	for _, row := range g.rows {
		sb.WriteString("<tr>")
		for _, c := range row {
			sb.WriteString("<td")
			if c.rs > 1 {
				fmt.Fprintf(sb, ` rowspan="%d"`, c.rs)
			}
			if c.cs > 1 {
				fmt.Fprintf(sb, ` colspan="%d"`, c.cs)
			}
			if c.num {
				sb.WriteString(` align="center"`)
			}
			sb.WriteString(">")
			sb.WriteString(strings.ReplaceAll(esc(c.text), "\n", "<br/>"))
			sb.WriteString("</td>")
		}
		sb.WriteString("</tr>\n")
	}
	sb.WriteString("</tbody>\n</table>\n")
}
