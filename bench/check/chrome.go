package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// withChrome wraps a report page in the navigation chrome of a real
// government site: a style sheet and scripts in the head, a header with an
// accessibility bar, a search form and a mega menu, a column tree on the
// side, related articles, share widgets, a footer listing every department
// and a select of friendly links. Real report pages are about 100 KB, most
// of it this chrome; the corpus pages are the article alone. The chrome is
// drawn from seed, so that a corpus is the same in every run.
func withChrome(page []byte, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 0x0c4e0e))
	var head, top, bottom strings.Builder

	head.WriteString("<style>\n")
	for i := range 140 {
		fmt.Fprintf(&head, ".nav-%d .item-%d a:hover{color:#%06x;background:url(/images/bg_%d.png) no-repeat %dpx %dpx;margin:0 %dpx}\n",
			i, i%17, rng.IntN(1<<24), i%9, rng.IntN(40), rng.IntN(40), rng.IntN(12))
	}
	head.WriteString("</style>\n")
	for s := range 3 {
		fmt.Fprintf(&head, "<script type=\"text/javascript\">\n/* site script %d */\n", s)
		for i := range 60 {
			fmt.Fprintf(&head, "function f%d_%d(e){var t=document.getElementById('m%d');if(t&&t.className.indexOf('on')<0){t.className+=' on';}return e&&e.preventDefault?e.preventDefault():%d;}\n",
				s, i, i, rng.IntN(1000))
		}
		head.WriteString("</script>\n")
	}

	top.WriteString(`<div class="topbar"><div class="w1200"><span class="welcome">欢迎访问本站！今天是<script>document.write(new Date().toLocaleDateString())</script></span>`)
	top.WriteString(`<a href="javascript:void(0)" onclick="aria.start()">无障碍浏览</a> | <a href="/zxb/">长者模式</a> | <a href="/m/">手机版</a> | <a href="/en/">English</a> | <a href="/wzdt/">网站地图</a></div></div>`)
	top.WriteString(`<div class="header"><div class="logo"><img src="/images/logo.png" alt="政府门户网站"></div>`)
	top.WriteString(`<form class="search" action="/search/index.html" method="get"><input type="text" name="q" placeholder="请输入关键词"><select name="scope"><option>全站</option><option>信息公开</option><option>政策文件</option></select><input type="submit" value="搜索"></form></div>`)
	menus := []string{"首页", "政务公开", "政务服务", "互动交流", "走进本地", "专题专栏", "数据开放", "新闻中心", "政策文件", "公共服务"}
	subs := []string{"政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "机构职能", "政策文件", "政策解读", "规划计划", "财政预决算", "人事信息",
		"重点领域信息公开", "建议提案办理", "统计信息", "应急管理", "招标采购", "行政许可", "行政处罚", "公共资源配置", "社会公益事业", "政府会议"}
	top.WriteString(`<div class="nav"><ul class="menu">`)
	for i, m := range menus {
		fmt.Fprintf(&top, `<li class="nav-%d"><a href="/%s/index.html" class="first">%s</a><div class="sub" style="display:none"><ul>`, i, slug(rng), m)
		for j := range 18 {
			fmt.Fprintf(&top, `<li class="item-%d"><a href="/%s/%s/index.html" title="%s">%s</a></li>`, j, slug(rng), slug(rng), subs[(i+j)%len(subs)], subs[(i+j)%len(subs)])
		}
		top.WriteString(`</ul></div></li>`)
	}
	top.WriteString(`</ul></div>`)
	top.WriteString(`<div class="main w1200"><div class="left"><div class="tree"><h3>政府信息公开</h3><ul>`)
	for i := range 60 {
		fmt.Fprintf(&top, `<li><a href="/zwgk/%s/index.html">%s</a><ul>`, slug(rng), subs[i%len(subs)])
		for j := range 3 {
			fmt.Fprintf(&top, `<li><a href="/zwgk/%s/%d.html">%s（%d）</a></li>`, slug(rng), j, subs[(i*3+j)%len(subs)], rng.IntN(400))
		}
		top.WriteString(`</ul></li>`)
	}
	top.WriteString(`</ul></div></div><div class="right">`)

	bottom.WriteString(`</div></div><div class="related"><h3>相关文章</h3><ul>`)
	for i := range 40 {
		y := 2015 + rng.IntN(10)
		fmt.Fprintf(&bottom, `<li><a href="/zwgk/art/%d/%d/%d/art_%d.html">关于印发%s工作方案的通知（第%d号）</a><span class="date">%d-%02d-%02d</span></li>`,
			y, 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(1<<20), subs[i%len(subs)], i, y, 1+rng.IntN(12), 1+rng.IntN(28))
	}
	bottom.WriteString(`</ul></div><div class="share">分享到：<a href="#" class="wx">微信</a><a href="#" class="wb">微博</a><a href="#" class="qq">QQ空间</a><a href="javascript:window.print()">打印本页</a><a href="javascript:window.close()">关闭窗口</a></div>`)
	bottom.WriteString(`<div class="footer"><div class="depts"><h4>政府部门</h4><ul>`)
	for i := range 80 {
		fmt.Fprintf(&bottom, `<li><a href="http://%s.example.gov.cn/" target="_blank">%s</a></li>`, slug(rng), depts[i%len(depts)])
	}
	bottom.WriteString(`</ul></div><div class="links"><select onchange="window.open(this.value)"><option>友情链接</option>`)
	for i := range 80 {
		fmt.Fprintf(&bottom, `<option value="http://www.%s.gov.cn/">%s人民政府网</option>`, slug(rng), places[i%len(places)])
	}
	bottom.WriteString(`</select></div><p>主办单位：本级人民政府办公室　承办单位：大数据中心　网站标识码：3300000001　ICP备案号：浙ICP备05012345号-1</p>`)
	bottom.WriteString(`<p>地址：人民路88号　邮编：323800　联系电话：0578-6123456　<img src="/images/jiucuo.png" alt="政府网站找错"><img src="/images/dzjg.png" alt="党政机关"></p></div>`)

	// the chrome in the page's own encoding (the corpus has GBK pages)
	enc := func(s string) string { return s }
	if !utf8.Valid(page) {
		enc = func(s string) string {
			b, err := simplifiedchinese.GBK.NewEncoder().String(s)
			if err != nil {
				panic(err) // the chrome is all GBK characters
			}
			return b
		}
	}
	out := page
	if i := bytes.Index(out, []byte("</head>")); i >= 0 {
		out = slicesInsert(out, i, enc(head.String()))
	}
	if i := bytes.Index(out, []byte("<body>")); i >= 0 {
		out = slicesInsert(out, i+len("<body>"), enc(top.String()))
	}
	if i := bytes.LastIndex(out, []byte("</body>")); i >= 0 {
		out = slicesInsert(out, i, enc(bottom.String()))
	}
	return out
}

func slicesInsert(b []byte, at int, s string) []byte {
	out := make([]byte, 0, len(b)+len(s))
	out = append(out, b[:at]...)
	out = append(out, s...)
	return append(out, b[at:]...)
}

func slug(rng *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 3+rng.IntN(6))
	for i := range b {
		b[i] = letters[rng.IntN(len(letters))]
	}
	return string(b)
}

var (
	depts  = []string{"发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电旅游体育局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局"}
	places = []string{"国务院", "省", "杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市", "台州市", "丽水市"}
)
