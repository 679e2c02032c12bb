package simnet

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Sites whose 年报 column is built by scripts, one per list mechanism
// (ListMechanisms), served after the generated sites. Each is a whole agency
// site like the others (reports, planted defects, fault targets); only its
// column differs:
//
//	jcms-get      Hanweb JCMS: the first group of records in a
//	              <script type="text/xml"><datastore>, later groups from
//	              GET /module/web/jpage/dataproxy.jsp?page=N&columnid=…
//	              (4 records a group, so several groups)
//	jcms-post     the same by POST with the jpage call's ajaxParam form and
//	              startrecord/endrecord/perpage in the query; a city
//	              government's column listing its departments' reports too,
//	              hundreds of records, in GBK
//	jsonp         $.ajax({dataType: "jsonp"}) answered by
//	              callback({"result": "<datastore>…"})
//	script-array  var itemObj = [{"aT": …, "aPd": …, "aU": …}]
//	base64-pager  static list pages whose pager markup is base64 in a script
//	gkmlpt        Guangdong's gkmlpt: /gkmlpt/annualreport backed by
//	              /gkmlpt/api/all/{catalog}?page=N&sid={site} (JSON,
//	              create_time in Unix seconds)
//	trs-search    page 1 static, pages 2… from a TRS search endpoint
//	              /was5/web/search?channelid=…&page=N (JSON docs)
//	browser-only  an obfuscated script builds the list: only a browser
//	              reads it (Truth assumes one; Unrendered does not)
//
// The data answers validate what they are asked: wrong column ids, a POST
// without its form fields or a GET where a POST is expected get an empty
// record set or an error, never the list.

// listSite holds a script-built column's parameters.
type listSite struct {
	unitID, webID, siteID int
	sid, catalog, channel int
	perPage, groupSize    int
	key                   int // XOR key of the browser-only script
}

var mechLayouts = map[string]string{
	PageJCMSGet: LayoutJCMS, PageJCMSPost: LayoutJCMS, PageJSONP: LayoutVSB, PageScriptArray: LayoutTRS,
	PageBase64: LayoutVSB, PageGkmlpt: LayoutGkmlpt, PageSearch: LayoutTRS, PageBrowser: LayoutJCMS,
}

const (
	jcmsProxy   = "/module/web/jpage/dataproxy.jsp"
	jcmsScript  = "/module/jslib/jquery/jpage/jquery.page.min.js"
	jsonpPath   = "/cms/jsonp/list.jsp"
	searchPath  = "/was5/web/search"
	gkmlptAppJS = "/gkmlpt/static/js/annualreport.js"
)

// listSites makes the sites of the list mechanisms for homes, after the
// generated ones. It draws from its own random streams, so that the
// generated sites are the same with and without them.
func listSites(n *Internet, homes []string, used map[string]bool) []*sg {
	cfg := n.Config
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x1157))
	namer := &agencyNamer{rng: rng, used: used}
	var out []*sg
	for j, home := range homes {
		if j >= len(ListMechanisms) {
			break
		}
		m := ListMechanisms[j]
		g := &sg{
			rng:  rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(1000+j))),
			reps: map[int]*rep{},
			mech: m,
			s: &Site{
				Home: home, Host: strings.TrimSuffix(strings.TrimPrefix(home, "http://"), "/"),
				Level: []string{LevelDepartment, LevelGovernment}[j%2], Layout: mechLayouts[m], Pagination: m,
				resources: map[string]*resource{}, pages: map[int]string{}, net: n,
			},
		}
		g.s.handler = http.HandlerFunc(g.s.serve)
		if m == PageJCMSPost {
			g.s.Level = LevelGovernment
			g.ag = cityAgency(rng, used)
		} else {
			g.ag = namer.next(g.s.Level)
		}
		g.s.Agency = g.ag.full
		g.attach = m == PageGkmlpt || m == PageJSONP
		g.skeleton(cfg.Now)
		g.listStyle()
		if m == PageBrowser {
			// a year missing that only a reader of the rendered list can
			// see missing; without a browser it must not be reported
			if r := g.reps[lastDue(cfg.Now, g.s.Level)]; r != nil && r.year > g.start+1 {
				r.defect, r.published = dMissing, false
				g.defects++
			}
		}
		if m == PageJCMSPost {
			g.s.Charset = "gbk"
			g.defects = 2 // its planted trouble is its size
			g.cityDepartments(cfg, used)
		}
		out = append(out, g)
	}
	return out
}

// cityAgency is a city government not yet used.
func cityAgency(rng *rand.Rand, used map[string]bool) agency {
	for _, i := range rng.Perm(len(cities)) {
		city := cities[i]
		full := city + "人民政府"
		if !used[full] {
			used[full] = true
			return agency{full: full, short: city + "政府", self: "我市", office: city + "人民政府办公室",
				parent: "省人民政府办公厅", place: city, level: LevelGovernment}
		}
	}
	used["云岭市第二人民政府"] = true
	return agency{full: "云岭市第二人民政府", short: "云岭市政府", self: "我市", office: "云岭市人民政府办公室",
		parent: "省人民政府办公厅", place: "云岭市", level: LevelGovernment}
}

// cityDepartments adds the city's departments whose reports the city's
// column lists too, each an agency with its own years and reports.
func (g *sg) cityDepartments(cfg Config, used map[string]bool) {
	city := g.ag.place
	for di, d := range depts {
		full := city + d.name
		if used[full] {
			continue
		}
		used[full] = true
		sub := &sg{
			rng:       rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(2000+di))),
			reps:      map[int]*rep{},
			idBase:    (di + 1) * 1000000,
			firstYear: 2013 + di%4,
			ag: agency{full: full, short: city + d.short, self: d.self, office: full + "办公室",
				parent: city + "人民政府办公室", place: city, level: LevelDepartment},
			s: &Site{Home: g.s.Home, Host: g.s.Host, Agency: full, Level: LevelDepartment, Layout: g.s.Layout,
				Pagination: g.s.Pagination, resources: g.s.resources, pages: g.s.pages, net: g.s.net},
		}
		sub.skeleton(cfg.Now)
		sub.s.Charset, sub.s.Declared = g.s.Charset, g.s.Declared
		sub.st = g.st
		g.subs = append(g.subs, sub)
	}
}

// listStyle draws the column's parameters and, for gkmlpt, its paths.
func (g *sg) listStyle() {
	rng := g.rng
	ls := &listSite{
		unitID: 4000000 + rng.IntN(999999), webID: 1 + rng.IntN(4000), siteID: 10 + rng.IntN(90),
		sid: 755000 + rng.IntN(999), catalog: 2000 + rng.IntN(8000), channel: 200000 + rng.IntN(99999),
		key: 5 + rng.IntN(90), perPage: g.s.PerPage,
	}
	switch g.mech {
	case PageJCMSGet:
		ls.perPage, ls.groupSize = 2, 1
	case PageJCMSPost:
		ls.perPage, ls.groupSize = 15, 3
	case PageJSONP:
		ls.perPage = 4
	case PageGkmlpt:
		ls.perPage = 5
		g.st.zlPath, g.st.zlText = "/gkmlpt/index", "政府信息公开"
		g.st.colDir, g.st.colPath, g.st.colText = "/gkmlpt", "/gkmlpt/annualreport", "政府信息公开年报"
	}
	g.ls = ls
}

// renderScriptList serves the column of a list site.
func (g *sg) renderScriptList(entries []*rep) error {
	if g.s.api == nil {
		g.s.api = map[string]func(*http.Request) *resource{}
	}
	switch g.mech {
	case PageJCMSGet, PageJCMSPost:
		return g.renderJCMS(entries)
	case PageJSONP:
		return g.renderJSONP(entries)
	case PageScriptArray:
		return g.renderItemObj(entries)
	case PageBase64:
		return g.renderList(entries)
	case PageGkmlpt:
		return g.renderGkmlpt(entries)
	case PageSearch:
		return g.renderSearch(entries)
	case PageBrowser:
		return g.renderBrowser(entries)
	}
	return fmt.Errorf("simnet: unknown list mechanism %q", g.mech)
}

// listShell is the column page around the list markup inner.
func (g *sg) listShell(head, inner string) (*resource, error) {
	st := g.st
	body := g.crumb(st.zlText+" > "+st.colText) + `<div class="list"><h2>` + esc(st.colText) + "</h2>\n" + inner + "</div>\n" +
		`<div class="related"><a href="/search/index.html?q=` + esc(st.colText) + `">在本栏目中搜索</a></div>`
	return g.page(st.colText+"_"+g.s.Agency, head, body)
}

// arm applies the list fault drawn for this site to list resource k of
// last+1 (the column page is 0, its data requests follow).
func (g *sg) arm(res *resource, k, last int) {
	if g.listTaken && k == min(g.listPage, last) {
		res.fault = g.listFault
	}
}

// itemHTML is an entry as the column's records show it.
func (g *sg) itemHTML(r *rep) string {
	href, disp, date := g.entryLink(r)
	return fmt.Sprintf(`<li><a href="%s" title="%s" target="_blank">%s</a><span class="date">%s</span></li>`, href, esc(r.title), esc(disp), date)
}

// encode returns text in the site's charset.
func (g *sg) encode(text string) ([]byte, error) {
	if g.s.Charset != "gbk" {
		return []byte(text), nil
	}
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("simnet: encode list data of %s as GBK: %w", g.s.Home, err)
	}
	return b, nil
}

// dataType is the Content-Type of a data answer of media type mt, with the
// charset when the site declares charsets in its headers.
func (g *sg) dataType(mt string) string {
	if g.s.Declared == "header" || g.s.Declared == "both" {
		if g.s.Charset == "gbk" {
			return mt + "; charset=GBK"
		}
		return mt + "; charset=UTF-8"
	}
	return mt
}

// dataSpec describes the answers of a paged list request.
type dataSpec struct {
	path   string // of the request
	ctype  string
	jsonp  string                      // callback parameter, for JSONP
	answer func(k int) ([]byte, error) // body of page k
	uri    func(k int) string          // request URI of page k as the column asks it; "" when it does not
	offset int                         // page k is list resource k-offset (the column page is 0)
}

// dataPages makes the answers of pages 1…n and of page n+1, which is
// empty, and records the requests the column makes. Page k of the map
// answers page k.
func (g *sg) dataPages(n int, d dataSpec) (map[int]*resource, error) {
	out := map[int]*resource{}
	for k := 1; k <= n+1; k++ {
		b, err := d.answer(k)
		if err != nil {
			return nil, fmt.Errorf("simnet: list data of %s: %w", g.s.Home, err)
		}
		res := &resource{body: b, ctype: d.ctype, jsonp: d.jsonp}
		key := fmt.Sprintf("%s#%d", d.path, k) // never requested as such: served through the api
		if u := d.uri(k); u != "" && k <= n {
			g.arm(res, k-d.offset, n-d.offset)
			key = u
			g.s.ListData = append(g.s.ListData, g.abs(u))
		}
		g.add(key, res)
		out[k] = res
	}
	return out, nil
}

func ceilDiv(a, b int) int { return max(1, (a+b-1)/b) }

// JCMS.

func (g *sg) renderJCMS(entries []*rep) error {
	s, st, ls := g.s, g.st, g.ls
	post := g.mech == PageJCMSPost
	per := ls.perPage * ls.groupSize
	groups := ceilDiv(len(entries), per)
	form := url.Values{
		"col": {"1"}, "appid": {"1"}, "webid": {strconv.Itoa(ls.webID)}, "path": {"/"}, "columnid": {strconv.Itoa(st.colID)},
		"sourceContentType": {"1"}, "unitid": {strconv.Itoa(ls.unitID)}, "webname": {s.Agency}, "permissiontype": {"0"},
	}
	next := func(k int) string {
		q := url.Values{}
		for _, key := range []string{"appid", "webid", "path", "columnid", "unitid", "webname", "permissiontype"} {
			q.Set(key, form.Get(key))
		}
		return jcmsProxy + "?page=" + strconv.Itoa(k) + "&" + q.Encode()
	}
	records := func(k int) string {
		var sb strings.Builder
		for _, r := range entries[min(len(entries), (k-1)*per):min(len(entries), k*per)] {
			sb.WriteString("<record><![CDATA[\n" + g.itemHTML(r) + "\n]]></record>\n")
		}
		return sb.String()
	}
	nextGroup := func(k int) string {
		if k > groups {
			return ""
		}
		return `<nextgroup><![CDATA[<a href="` + next(k) + `"></a>]]></nextgroup>` + "\n"
	}
	var in strings.Builder
	fmt.Fprintf(&in, "<div id=\"%d\"><script type=\"text/xml\"><datastore>\n%s<recordset>\n%s</recordset>\n</datastore></script></div>\n",
		ls.unitID, nextGroup(2), records(1))
	fmt.Fprintf(&in, "<script language=\"javascript\" src=\"%s\"></script>\n", jcmsScript)
	ajax := ""
	if post {
		ajax = fmt.Sprintf(",\n\t\tajaxParam: {col: 1, appid: 1, webid: %d, path: '/', columnid: %d, sourceContentType: 1, unitid: '%d', webname: '%s', permissiontype: 0}",
			ls.webID, st.colID, ls.unitID, s.Agency)
	}
	fmt.Fprintf(&in, "<script type=\"text/javascript\">\n$(document).ready(function(){\n\t$('#%d').jpage({\n\t\tproxyUrl: '%s',\n\t\tperPage: %d,\n\t\ttotalRecord: %d,\n\t\tgroupSize: %d,\n\t\tbarPosition: 'bottom',\n\t\tdataBefore: '<ul class=\"list\">',\n\t\tdataAfter: '</ul>'%s\n\t});\n});\n</script>\n",
		ls.unitID, jcmsProxy, ls.perPage, len(entries), ls.groupSize, ajax)
	page, err := g.listShell("", in.String())
	if err != nil {
		return err
	}
	g.arm(page, 0, groups-1)
	g.add(st.colPath, page)
	s.ListPages = append(s.ListPages, g.abs(st.colPath))
	g.add(jcmsScript, &resource{body: []byte("/* jpage: pages a datastore, fetching later groups from proxyUrl */\n"), ctype: "application/javascript"})

	label := "UTF-8"
	if s.Charset == "gbk" {
		label = "GBK"
	}
	answer := func(k int) ([]byte, error) {
		return g.encode(fmt.Sprintf("<?xml version=\"1.0\" encoding=\"%s\"?>\n<datastore>\n%s<totalrecord>%d</totalrecord>\n<totalpage>%d</totalpage>\n<recordset>\n%s</recordset>\n</datastore>\n",
			label, nextGroup(k+1), len(entries), ceilDiv(len(entries), ls.perPage), records(k)))
	}
	uri := func(k int) string {
		if k < 2 {
			return "" // the page's own group
		}
		if post {
			start := (k-1)*per + 1
			return fmt.Sprintf("%s?startrecord=%d&endrecord=%d&perpage=%d", jcmsProxy, start, start+per-1, ls.perPage)
		}
		return next(k)
	}
	group, err := g.dataPages(groups, dataSpec{path: jcmsProxy, ctype: g.dataType("text/xml"), answer: answer, uri: uri, offset: 1})
	if err != nil {
		return err
	}
	empty := group[groups+1]
	s.api[jcmsProxy] = func(r *http.Request) *resource {
		if post != (r.Method == http.MethodPost) {
			return &resource{status: http.StatusMethodNotAllowed}
		}
		q := r.URL.Query()
		if post {
			if err := r.ParseForm(); err != nil {
				return &resource{status: http.StatusBadRequest}
			}
			for key := range form {
				if key != "webname" && r.PostForm.Get(key) != form.Get(key) {
					return empty
				}
			}
			start, err1 := strconv.Atoi(q.Get("startrecord"))
			end, err2 := strconv.Atoi(q.Get("endrecord"))
			if err1 != nil || err2 != nil || start < 1 || end < start || (start-1)%per != 0 || end-start+1 < per {
				return empty
			}
			if k := (start-1)/per + 1; group[k] != nil {
				return group[k]
			}
			return empty
		}
		for _, key := range []string{"columnid", "unitid", "webid"} {
			if q.Get(key) != form.Get(key) {
				return empty
			}
		}
		k, err := strconv.Atoi(q.Get("page"))
		if err != nil || group[k] == nil {
			return empty
		}
		return group[k]
	}
	return nil
}

// JSONP.

func (g *sg) renderJSONP(entries []*rep) error {
	s, st, ls := g.s, g.st, g.ls
	pages := ceilDiv(len(entries), ls.perPage)
	in := fmt.Sprintf(`<ul class="list" id="list-con"></ul><div class="page" id="page-con"></div>
<script type="text/javascript">
var pageSize = %d;
var columnId = "%d";
function loadList(page){
	$.ajax({
		url: "%s",
		type: "get",
		dataType: "jsonp",
		jsonp: "callback",
		data: {columnId: columnId, siteId: %d, pageIndex: page, pageSize: pageSize},
		success: function(res){ showList(res.result, page); }
	});
}
loadList(1);
</script>
`, ls.perPage, st.colID, jsonpPath, ls.siteID)
	page, err := g.listShell("", in)
	if err != nil {
		return err
	}
	g.arm(page, 0, pages)
	g.add(st.colPath, page)
	s.ListPages = append(s.ListPages, g.abs(st.colPath))
	answer := func(k int) ([]byte, error) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "<datastore><totalrecord>%d</totalrecord><totalpage>%d</totalpage><recordset>", len(entries), pages)
		for _, r := range entries[min(len(entries), (k-1)*ls.perPage):min(len(entries), k*ls.perPage)] {
			sb.WriteString("<record><![CDATA[" + g.itemHTML(r) + "]]></record>")
		}
		sb.WriteString("</recordset></datastore>")
		return json.Marshal(map[string]any{"success": true, "result": sb.String()})
	}
	uri := func(k int) string {
		return fmt.Sprintf("%s?columnId=%d&siteId=%d&pageIndex=%d&pageSize=%d", jsonpPath, st.colID, ls.siteID, k, ls.perPage)
	}
	data, err := g.dataPages(pages, dataSpec{path: jsonpPath, ctype: "application/javascript; charset=UTF-8", jsonp: "callback", answer: answer, uri: uri})
	if err != nil {
		return err
	}
	s.api[jsonpPath] = func(r *http.Request) *resource {
		q := r.URL.Query()
		if cb := q.Get("callback"); r.Method == http.MethodPost || (cb != "" && !jsIdentRe.MatchString(cb)) {
			return &resource{status: http.StatusBadRequest}
		}
		if q.Get("columnId") != strconv.Itoa(st.colID) || q.Get("siteId") != strconv.Itoa(ls.siteID) || q.Get("pageSize") != strconv.Itoa(ls.perPage) {
			return data[pages+1]
		}
		k, err := strconv.Atoi(q.Get("pageIndex"))
		if err != nil || data[k] == nil {
			return data[pages+1]
		}
		return data[k]
	}
	return nil
}

// Script array.

func (g *sg) renderItemObj(entries []*rep) error {
	s, st := g.s, g.st
	type item struct {
		T  string `json:"aT"`
		Pd string `json:"aPd"`
		U  string `json:"aU"`
	}
	items := make([]item, 0, len(entries))
	for _, r := range entries {
		href, _, date := g.entryLink(r)
		if r.hasDate {
			date = r.pub.Format("2006-01-02")
		}
		items = append(items, item{r.title, date, href})
	}
	b, err := json.Marshal(items)
	if err != nil {
		return fmt.Errorf("simnet: item array of %s: %w", s.Home, err)
	}
	in := `<ul class="list" id="itemList"></ul><div class="page" id="pageList"></div>
<script type="text/javascript">
var itemObj = ` + string(b) + `;
var pageSize = 15;
function showPage(n){
	var html = '';
	for (var i = (n - 1) * pageSize; i < Math.min(itemObj.length, n * pageSize); i++) {
		html += '<li><a href="' + itemObj[i].aU + '" title="' + itemObj[i].aT + '" target="_blank">' + itemObj[i].aT + '</a><span>' + itemObj[i].aPd + '</span></li>';
	}
	document.getElementById('itemList').innerHTML = html;
}
showPage(1);
</script>
`
	page, err := g.listShell("", in)
	if err != nil {
		return err
	}
	g.arm(page, 0, 0)
	g.add(st.colPath, page)
	s.ListPages = append(s.ListPages, g.abs(st.colPath))
	return nil
}

// base64Pager is pager markup decoded by the browser.
func base64Pager(markup string) string {
	return `<div class="page" id="pager"></div><script type="text/javascript">var pageHtml = "` +
		base64.StdEncoding.EncodeToString([]byte(markup)) +
		`"; document.getElementById("pager").innerHTML = decodeURIComponent(escape(window.atob(pageHtml)));</script>`
}

// gkmlpt.

func (g *sg) renderGkmlpt(entries []*rep) error {
	s, st, ls := g.s, g.st, g.ls
	pages := ceilDiv(len(entries), ls.perPage)
	in := fmt.Sprintf(`<div id="app" class="gkmlpt-annualreport"><p class="loading">正在加载……</p></div>
<script type="text/javascript">
	var SID = '%d';
	window.GKMLPT = {sid: SID, catalog: {annualreport: %d}, pageSize: %d};
</script>
<script type="text/javascript" src="%s"></script>
`, ls.sid, ls.catalog, ls.perPage, gkmlptAppJS)
	page, err := g.listShell("", in)
	if err != nil {
		return err
	}
	g.arm(page, 0, pages)
	g.add(st.colPath, page)
	s.ListPages = append(s.ListPages, g.abs(st.colPath))
	g.add(gkmlptAppJS, &resource{body: []byte(gkmlptApp), ctype: "application/javascript"})
	type article struct {
		ID         int    `json:"id"`
		Title      string `json:"title"`
		URL        string `json:"url"`
		CreateTime int64  `json:"create_time"`
		Publisher  string `json:"publisher"`
		Identifier string `json:"identifier"`
	}
	api := fmt.Sprintf("/gkmlpt/api/all/%d", ls.catalog)
	answer := func(k int) ([]byte, error) {
		arts := []article{}
		for i, r := range entries[min(len(entries), (k-1)*ls.perPage):min(len(entries), k*ls.perPage)] {
			id, _ := strconv.Atoi(r.path[strings.LastIndex(r.path, "_")+1 : strings.LastIndex(r.path, ".")])
			arts = append(arts, article{ID: id, Title: r.title, URL: g.abs(r.path) + "#" + strconv.Itoa(ls.catalog), CreateTime: r.pub.Unix(),
				Publisher: s.Agency, Identifier: fmt.Sprintf("%s-%02d-%d-%06d", g.indexCode(), ls.catalog%100, r.year+1, (k-1)*ls.perPage+i+1)})
		}
		return json.Marshal(map[string]any{"total": len(entries), "page": k, "articles": arts})
	}
	uri := func(k int) string { return fmt.Sprintf("%s?page=%d&sid=%d", api, k, ls.sid) }
	data, err := g.dataPages(pages, dataSpec{path: api, ctype: "application/json;charset=UTF-8", answer: answer, uri: uri})
	if err != nil {
		return err
	}
	s.api[api] = func(r *http.Request) *resource {
		q := r.URL.Query()
		if r.Method == http.MethodPost {
			return &resource{status: http.StatusMethodNotAllowed}
		}
		if q.Get("sid") != strconv.Itoa(ls.sid) {
			return &resource{status: http.StatusForbidden}
		}
		k, err := strconv.Atoi(q.Get("page"))
		if err != nil || data[k] == nil {
			return data[pages+1]
		}
		return data[k]
	}
	return nil
}

// gkmlptApp is the page's application: it reads the API and lists the
// articles, as the real one does.
const gkmlptApp = `(function(){
	var cfg = window.GKMLPT, app = document.getElementById('app');
	function pad(n){ return (n < 10 ? '0' : '') + n; }
	function load(page){
		var x = new XMLHttpRequest();
		x.open('GET', '/gkmlpt/api/all/' + cfg.catalog.annualreport + '?page=' + page + '&sid=' + cfg.sid);
		x.onload = function(){
			var d = JSON.parse(x.responseText), ul = document.createElement('ul');
			for (var i = 0; i < d.articles.length; i++) {
				var a = d.articles[i], li = document.createElement('li'), link = document.createElement('a'), sp = document.createElement('span');
				var t = new Date((a.create_time + 8 * 3600) * 1000);
				link.href = a.url; link.title = a.title; link.appendChild(document.createTextNode(a.title));
				sp.appendChild(document.createTextNode(t.getUTCFullYear() + '-' + pad(t.getUTCMonth() + 1) + '-' + pad(t.getUTCDate())));
				li.appendChild(link); li.appendChild(sp); ul.appendChild(li);
			}
			app.innerHTML = '';
			app.appendChild(ul);
			if (page * cfg.pageSize < d.total) load(page + 1);
		};
		x.send();
	}
	load(1);
})();
`

// TRS search.

func (g *sg) renderSearch(entries []*rep) error {
	s, st, ls := g.s, g.st, g.ls
	if len(entries) > 1 && ls.perPage >= len(entries) {
		ls.perPage = max(1, (len(entries)+1)/2)
	}
	per := ls.perPage
	pages := ceilDiv(len(entries), per)
	var in strings.Builder
	in.WriteString(`<ul class="list" id="docs">`)
	for _, r := range entries[:min(len(entries), per)] {
		in.WriteString(g.itemHTML(r) + "\n")
	}
	in.WriteString("</ul>\n<div class=\"page\">")
	fmt.Fprintf(&in, `共%d页　<span class="current">1</span> `, pages)
	link := func(n int, text string) {
		fmt.Fprintf(&in, `<a href="javascript:void(0)" onclick="searchPage(%d)">%s</a> `, n, text)
	}
	for n := 2; n <= pages; n++ {
		link(n, strconv.Itoa(n))
	}
	if pages > 1 {
		link(2, "下一页")
		link(pages, "尾页")
	}
	in.WriteString("</div>\n")
	query := fmt.Sprintf("channelid=%d&searchword=%s&perpage=%d&templet=docs.jsp", ls.channel, url.QueryEscape("chnlid="+strconv.Itoa(st.colID)), per)
	fmt.Fprintf(&in, `<script type="text/javascript">
var searchUrl = "%s?%s";
function searchPage(n){ $.getJSON(searchUrl + "&page=" + n, function(d){ showDocs(d, n); }); }
</script>
`, searchPath, query)
	page, err := g.listShell("", in.String())
	if err != nil {
		return err
	}
	g.arm(page, 0, pages-1)
	g.add(st.colPath, page)
	s.ListPages = append(s.ListPages, g.abs(st.colPath))
	type doc struct {
		ID    string `json:"DOCID"`
		Title string `json:"DOCTITLE"`
		URL   string `json:"DOCPUBURL"`
		Time  string `json:"DOCRELTIME"`
	}
	answer := func(k int) ([]byte, error) {
		docs := []doc{}
		for _, r := range entries[min(len(entries), (k-1)*per):min(len(entries), k*per)] {
			d := doc{ID: r.path[strings.LastIndex(r.path, "_")+1 : strings.LastIndex(r.path, ".")], Title: r.title, URL: g.abs(r.path)}
			if r.hasDate {
				d.Time = r.pub.Format("2006-01-02 15:04:05")
			}
			docs = append(docs, d)
		}
		return json.Marshal(map[string]any{"count": strconv.Itoa(len(entries)), "pagecount": strconv.Itoa(pages), "page": strconv.Itoa(k), "docs": docs})
	}
	uri := func(k int) string {
		if k < 2 {
			return "" // page 1 is the column page
		}
		return fmt.Sprintf("%s?%s&page=%d", searchPath, query, k)
	}
	data, err := g.dataPages(pages, dataSpec{path: searchPath, ctype: "application/json", answer: answer, uri: uri, offset: 1})
	if err != nil {
		return err
	}
	s.api[searchPath] = func(r *http.Request) *resource {
		q := r.URL.Query()
		if r.Method == http.MethodPost {
			return &resource{status: http.StatusMethodNotAllowed}
		}
		if q.Get("channelid") != strconv.Itoa(ls.channel) || q.Get("searchword") != "chnlid="+strconv.Itoa(st.colID) {
			return data[pages+1]
		}
		k, err := strconv.Atoi(q.Get("page"))
		if err != nil || data[k] == nil || q.Get("perpage") != strconv.Itoa(per) {
			return data[pages+1]
		}
		return data[k]
	}
	return nil
}

// Browser only.

func (g *sg) renderBrowser(entries []*rep) error {
	s, st, ls := g.s, g.st, g.ls
	script := fmt.Sprintf("/js/xxgk_list_%d.js", st.colID)
	page, err := g.listShell("", `<ul class="list" id="xxgk_list"></ul>`+"\n"+`<script type="text/javascript" src="`+script+`"></script>`+"\n")
	if err != nil {
		return err
	}
	g.arm(page, 0, 1)
	g.add(st.colPath, page)
	s.ListPages = append(s.ListPages, g.abs(st.colPath))
	rows := make([][3]string, 0, len(entries))
	for _, r := range entries {
		href, _, date := g.entryLink(r)
		rows = append(rows, [3]string{r.title, href, date})
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("simnet: list of %s: %w", s.Home, err)
	}
	var codes strings.Builder
	for i, u := range []rune(string(b)) {
		if u > 0xFFFF { // every character here is in the BMP; keep it so
			return fmt.Errorf("simnet: list of %s: character %U outside the BMP", s.Home, u)
		}
		if i > 0 {
			codes.WriteByte(',')
		}
		codes.WriteString(strconv.Itoa(int(u) ^ ls.key))
	}
	js := fmt.Sprintf(`(function(){
	var k = %d, d = [%s];
	var s = '';
	for (var i = 0; i < d.length; i++) s += String.fromCharCode(d[i] ^ k);
	var items = JSON.parse(s), ul = document.getElementById('xxgk_list');
	for (var j = 0; j < items.length; j++) {
		var li = document.createElement('li'), a = document.createElement('a'), sp = document.createElement('span');
		a.href = items[j][1]; a.title = items[j][0]; a.target = '_blank';
		a.appendChild(document.createTextNode(items[j][0]));
		sp.className = 'date'; sp.appendChild(document.createTextNode(items[j][2]));
		li.appendChild(a); li.appendChild(sp); ul.appendChild(li);
	}
})();
`, ls.key, codes.String())
	res := &resource{body: []byte(js), ctype: "application/javascript"}
	g.arm(res, 1, 1)
	g.add(script, res)
	s.ListData = append(s.ListData, g.abs(script))
	return nil
}

// unrendered is truth as a checker without a browser finds it: the
// browser-only site's column is unreadable, and so nothing on the site is
// checked and no year can be missing.
func unrendered(truth []Expectation, gens []*sg) []Expectation {
	out := make([]Expectation, 0, len(truth))
	browser := map[string]*sg{}
	for _, g := range gens {
		if g.mech == PageBrowser && g.s.Column != "" {
			browser[g.s.Home] = g
		}
	}
	for _, e := range truth {
		if browser[e.Site] == nil {
			out = append(out, e)
		}
	}
	for _, g := range gens {
		if browser[g.s.Home] == g {
			out = append(out, expect(g.s.Home, 0, "SITE-LIST-UNREADABLE", g.s.Column, "the list is built by a script only a browser runs"))
		}
	}
	return out
}
