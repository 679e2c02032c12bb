package htmldoc

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

func read(t *testing.T, page string, contentType string) *document.Document {
	t.Helper()
	d, err := Read(context.Background(), document.Input{Source: "http://example.gov.cn/a/t20200131_1.html", Data: []byte(page), ContentType: contentType})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func texts(tb *document.Table) [][]string {
	var out [][]string
	for _, r := range tb.Rows {
		var row []string
		for _, c := range r {
			row = append(row, c.Text)
		}
		out = append(out, row)
	}
	return out
}

func firstTable(t *testing.T, d *document.Document) *document.Table {
	t.Helper()
	for _, b := range d.Blocks {
		if b.Table != nil {
			return b.Table
		}
	}
	t.Fatal("no table")
	return nil
}

// The header of table 三 as the national template prints it: the
// identity cell spans three columns and three rows, 自然人 and 总计 span
// two rows, 法人或其他组织 five columns.
const t3Header = `<table>
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益<br/>组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td rowspan="3">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>3</td><td></td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
</table>`

func TestSpansExpandIntoGrid(t *testing.T) {
	d := read(t, "<html><body>"+t3Header+"</body></html>", "")
	g := texts(firstTable(t, d))
	want := [][]string{
		{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "申请人情况", "申请人情况", "申请人情况", "申请人情况", "申请人情况", "申请人情况"},
		{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "总计"},
		{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"},
		{"一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"},
		{"三、本年度办理结果", "（一）予以公开", "（一）予以公开", "3", "", "0", "0", "0", "0", "3"},
		{"三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "1", "0", "0", "0", "0", "0", "1"},
		{"三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", "1", "1", "0", "0", "0", "0", "2"},
	}
	if len(g) != len(want) {
		t.Fatalf("got %d rows, want %d:\n%q", len(g), len(want), g)
	}
	for i := range want {
		if strings.Join(g[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d:\ngot  %q\nwant %q", i, g[i], want[i])
		}
	}
	// positions covered by a span are marked
	if c := firstTable(t, d).Rows[1][0]; !c.Spanned {
		t.Errorf("rowspan position not marked Spanned: %+v", c)
	}
}

func TestCharsets(t *testing.T) {
	const body = `<html><head><meta charset="gb2312"><title>清源县2022年政府信息公开工作年度报告</title></head><body><p>一、总体情况</p></body></html>`
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	noMeta := bytes.Replace(gbk, []byte(`<meta charset="gb2312">`), nil, 1)
	late := bytes.Replace(gbk, []byte("<head>"), []byte("<head>"+strings.Repeat("<!-- padding -->", 200)), 1)
	tests := []struct {
		name, ct string
		data     []byte
		label    string
	}{
		{"meta gb2312", "", gbk, "gb18030"},
		{"header gbk", "text/html; charset=GBK", noMeta, "gb18030"},
		{"no declaration", "", noMeta, "gb18030"},
		{"meta after 1024 bytes", "", late, "gb18030"},
		{"header lies utf-8 on gbk", "text/html; charset=utf-8", gbk, "gb18030"},
		{"meta lies gb2312 on utf-8", "", []byte(body), "utf-8"},
		{"utf-8 bom", "", append([]byte("\xef\xbb\xbf"), []byte(strings.Replace(body, "gb2312", "utf-8", 1))...), "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Read(context.Background(), document.Input{Source: "x.html", Data: tt.data, ContentType: tt.ct})
			if err != nil {
				t.Fatal(err)
			}
			if d.Charset != tt.label {
				t.Errorf("charset = %s, want %s", d.Charset, tt.label)
			}
			if d.Title != "清源县2022年政府信息公开工作年度报告" {
				t.Errorf("title = %q", d.Title)
			}
		})
	}
}

func TestWordArtefactsAndSpaces(t *testing.T) {
	page := `<html><body><div class="TRS_Editor">
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->
<p class="MsoNormal"><span style="mso-bidi-font-size:10.5pt">一、总体<o:p></o:p>情况</span></p>
<p>发布日期：2020-01-20&nbsp;&nbsp;来源：本局</p>
<table><tr><td>信息内容</td><td>本年新<br />制作数量</td><td>本年新<br>公开数量</td></tr>
<tr><td>规章&nbsp;</td><td>１２</td><td>0</td></tr></table>
<script>document.write("<p>not text</p>")</script>
<p style="display:none">hidden</p>
</div></body></html>`
	d := read(t, page, "text/html; charset=utf-8")
	lines := strings.Join(d.Lines(), "\n")
	if !strings.Contains(lines, "一、总体情况") {
		t.Errorf("heading not joined: %q", lines)
	}
	if strings.Contains(lines, "not text") || strings.Contains(lines, "hidden") || strings.Contains(lines, "OfficeDocumentSettings") {
		t.Errorf("script, hidden or Word markup read as text: %q", lines)
	}
	g := texts(firstTable(t, d))
	if g[0][1] != "本年新制作数量" || g[0][2] != "本年新公开数量" || g[1][0] != "规章" || g[1][1] != "１２" {
		t.Errorf("cells = %q", g)
	}
	if !strings.Contains(lines, "发布日期：2020-01-20 来源：本局") {
		t.Errorf("the date line is not a line of the article: %q", lines)
	}
}

// TestHeaderBlockDates: the 发布日期 of a TRS page stands above the
// article container; the reader reports it, since the analysis sees only
// the article.
func TestHeaderBlockDates(t *testing.T) {
	page := `<html><body><div class="info">发布日期：2020-01-20　来源：本局　成文日期：2020-01-10</div>
<div class="TRS_Editor"><p>一、总体情况</p><p>` + strings.Repeat("正文内容。", 80) + `</p></div>
<div class="footer">时间：2020-02-01 09:00 版权所有</div></body></html>`
	d := read(t, page, "")
	var got []string
	for _, m := range d.Meta {
		got = append(got, m.Label+"="+m.Value)
	}
	if strings.Join(got, ",") != "发布日期=2020-01-20,成文日期=2020-01-10,时间=2020-02-01" {
		t.Errorf("meta = %v", got)
	}
	if strings.Contains(strings.Join(d.Lines(), "|"), "发布日期") {
		t.Errorf("header block read as the article: %q", d.Lines())
	}
}

func TestMetaDatesAndLinks(t *testing.T) {
	page := `<html><head><meta name="PubDate" content="2021-01-28 09:30"><title>x</title></head><body>
<div class="content"><p>正文</p><a href="./P020210128.pdf">2020年报告.pdf</a><a href="#top">top</a></div></body></html>`
	d := read(t, page, "")
	if len(d.Meta) == 0 || d.Meta[0].Label != "meta:PubDate" || d.Meta[0].Value != "2021-01-28" {
		t.Errorf("meta = %v", d.Meta)
	}
	if len(d.Links) != 1 || d.Links[0].URL != "http://example.gov.cn/a/P020210128.pdf" || d.Links[0].Text != "2020年报告.pdf" {
		t.Errorf("links = %v", d.Links)
	}
}

func TestLayoutTableIsFlow(t *testing.T) {
	page := `<html><body><table><tr><td>导航</td><td><p>一、总体情况</p><table><tr><td>规章</td><td>1</td></tr></table></td></tr></table></body></html>`
	d := read(t, page, "")
	tables := 0
	for _, b := range d.Blocks {
		if b.Table != nil {
			tables++
			if got := texts(b.Table); got[0][0] != "规章" {
				t.Errorf("inner table = %q", got)
			}
		}
	}
	if tables != 1 {
		t.Errorf("tables = %d, want only the inner data table", tables)
	}
	if !strings.Contains(strings.Join(d.Lines(), "|"), "一、总体情况") {
		t.Errorf("text inside the layout table lost: %q", d.Lines())
	}
}

func TestHugeSpansAreCapped(t *testing.T) {
	page := `<table><tr><td colspan="65534" rowspan="65534">x</td></tr><tr><td>1</td></tr></table>`
	d := read(t, page, "")
	tb := firstTable(t, d)
	for _, r := range tb.Rows {
		if len(r) > maxCols {
			t.Fatalf("row of %d cells; cap is %d", len(r), maxCols)
		}
	}
}

func TestRealGBKReport(t *testing.T) {
	data, err := os.ReadFile("../../testdata/roundtrip/report_gbk.html")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), document.Input{Source: "report_gbk.html", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if d.Charset != "gb18030" {
		t.Errorf("charset = %s", d.Charset)
	}
	text := d.Text()
	for _, want := range []string{"一、总体情况", "六、其他需要报告的事项", "一、本年新收政府信息公开申请数量", "结转下年度继续办理"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing from the decoded text", want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("<html><body>" + t3Header + "</body></html>"))
	f.Add([]byte(`<table><tr><td rowspan="3" colspan="2">a</td><td>b</td></tr><tr><td rowspan=0>c</td></tr><tr></tr></table>`))
	f.Add([]byte(`<table><tr><td colspan="-1">x<table><tr><td>y</td></tr></table></td></tr></table>`))
	f.Add([]byte("\xef\xbb\xbf<meta charset=gbk><p>\xb9\xfa</p>"))
	if data, err := os.ReadFile("../../testdata/roundtrip/report_gbk.html"); err == nil {
		f.Add(data)
	}
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d *document.Document
		var err error
		hostile.Within(t, func(ctx context.Context) {
			d, err = Read(ctx, document.Input{Source: "fuzz.html", Data: data})
		})
		if err != nil {
			return
		}
		for _, b := range d.Blocks {
			if b.Table == nil {
				continue
			}
			for _, r := range b.Table.Rows {
				if len(r) > maxCols {
					t.Fatalf("row of %d cells", len(r))
				}
			}
		}
	})
}

// TestResolveSimple checks the shortcut against net/url on the links it
// takes and on some it must leave to net/url.
func TestResolveSimple(t *testing.T) {
	bases := []string{"http://www.example.gov.cn/zwgk/nb/index.html", "https://a.gov.cn:8443/x/", "testdata/page.html", "http://u@h.cn/a", "/abs/dir/page.html", "C:/x/y.html"}
	hrefs := []string{"/zwgk/art_1.html", "http://b.gov.cn/x?a=1&b=2", "https://c.gov.cn/", "/a/../b", "./x.html", "x.html", "//cdn.gov.cn/a.js",
		"javascript:void(0)", "/a b", "/%E4%B8%AD.pdf", "http://d.gov.cn", "mailto:x@y.cn", "/a:b", "HTTP://E.GOV.CN/A", "http://h.cn//x", "/a=1&b", "http://h.cn/a.pdf", "javascript:;", "javascript:void(0);", "javascript:goPage(3)", "javascript:open('x')"}
	fast := 0
	for _, b := range bases {
		base, err := url.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hrefs {
			got, ok := resolveSimple(base, h)
			if !ok {
				continue
			}
			fast++
			r, err := base.Parse(h)
			if err != nil {
				t.Errorf("resolveSimple(%s, %s) = %s, but net/url fails: %v", b, h, got, err)
				continue
			}
			if want := r.String(); got != want {
				t.Errorf("resolveSimple(%s, %s) = %s, net/url gives %s", b, h, got, want)
			}
		}
	}
	if fast < 10 {
		t.Errorf("the shortcut resolved %d links; want the common ones (at least 10)", fast)
	}
}

// TestArticleInsideLinkChrome reads a page whose site chrome (menus hidden
// until hovered, a column tree, a footer of department links) holds more
// text than the article: the article container is still the body read,
// because link text and hidden text are not the page's content.
func TestArticleInsideLinkChrome(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`<html><head><title>清源县教育局2023年政府信息公开工作年度报告</title></head><body><div class="nav">`)
	for i := range 200 {
		fmt.Fprintf(&sb, `<div class="sub" style="display:none"><a href="/a/%d.html">政府信息公开年报栏目第%d项</a></div>`, i, i)
	}
	sb.WriteString(`</div><ul class="tree">`)
	for i := range 150 {
		fmt.Fprintf(&sb, `<li><a href="/t/%d.html">法定主动公开内容（%d）</a></li>`, i, i)
	}
	sb.WriteString(`</ul><div class="article"><div id="zoom"><p>一、总体情况</p><p>2023年，清源县教育局认真贯彻落实《中华人民共和国政府信息公开条例》，持续深化政务公开，全年主动公开政府信息312条。</p><p>二、主动公开政府信息情况</p></div></div><div class="footer">`)
	for i := range 100 {
		fmt.Fprintf(&sb, `<a href="http://d%d.example.gov.cn/">清源县第%d部门</a>`, i, i)
	}
	sb.WriteString(`<p>主办单位：清源县人民政府办公室</p></div></body></html>`)
	d, err := Read(context.Background(), document.Input{Source: "x.html", Data: []byte(sb.String())})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range d.Blocks {
		got = append(got, b.Text)
	}
	if len(got) != 3 || got[0] != "一、总体情况" {
		t.Errorf("blocks %q, want the three paragraphs of the article", got)
	}
}
