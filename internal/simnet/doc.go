// Package simnet is a simulated disclosure internet for tests, crawl
// benchmarks and the demo: agency web sites served on 127.0.0.1, each on its
// own port (its own politeness domain), generated from a seed, with defects
// planted on purpose and faults injected on demand. Truth lists the findings
// a correct checker produces on exactly that internet.
//
//	n, err := simnet.Start(simnet.Config{Seed: 1})
//	defer n.Close()
//	for _, s := range n.Sites { crawl(s.Home) }
//	compare(results, n.Truth)
//
// # Sites
//
// Every site has a home page linking to its 政府信息公开 专栏 (link text
// 政府信息公开, 信息公开 or 政务公开), a 专栏 linking to the 年报 column
// (政府信息公开年报, 政府信息公开工作年度报告, 年度报告, 信息公开年报, 部门年报 …;
// some 专栏 also link a 政府网站工作年度报表 list as a distractor), and robots.txt
// disallowing /search/ and /admin/, which every page links to; some set a
// Crawl-delay. Half the agencies are 县/区人民政府 (government), half 局/委
// (department), with fictional names; one site is 淮安市洪泽区人民政府, whose
// 2023 and 2024 reports are the two real PDFs embedded from assets/.
//
// URL shapes follow three content-management systems:
//
//	trs   专栏 /zwgk/zfxxgk/index.html, column {专栏}/{slug}/index.html,
//	      reports ./202401/t20240120_123.html, attachments ./P020240120….pdf,
//	      <meta name="PubDate">
//	jcms  /col/col1229…/index.html, reports /art/2024/1/20/art_1229…_5678.html,
//	      attachments /attach/0/….docx
//	vsb   专栏 /xxgk.htm, column /xxgk/ndbg/index.html, reports
//	      /info/1050/64208.htm (no date in the URL), attachments /__local/….docx
//
// Columns paginate in one of four styles (at least three sites each in the
// default configuration, and never everything on one page): static links
// (index.html, index_1.html …), a TRS script only (createPageHTML(n, i,
// "index", "html")), JavaScript links with the URL template in a script
// (javascript:next(2) or onclick="goPage(3)" → list_2.html / page_3.html), and
// a query parameter (?currentPage=N, page=, pageNo=, pageIndex=), either
// linked or given only as 「共N页」 with page 1 linked.
//
// After the Config.Sites generated sites come the list sites (unless
// Config.NoListSites), one per ListMechanisms entry: whole agency sites whose
// 年报 column is built by scripts, the way real ones are (lists.go):
//
//	jcms-get      Hanweb JCMS: a <datastore> in a script holds the first
//	              group, GET dataproxy.jsp?page=N the others (several)
//	jcms-post     the same by POST of the jpage call's ajaxParam form, with
//	              startrecord/endrecord/perpage in the query: a city
//	              government's column listing its departments' reports too,
//	              over two hundred records, in GBK
//	jsonp         $.ajax({dataType: "jsonp"}) → callback({"result": "<datastore>…"})
//	script-array  var itemObj = [{"aT": …, "aPd": …, "aU": …}]
//	base64-pager  static pages whose pager markup is base64 in a script
//	gkmlpt        /gkmlpt/annualreport backed by /gkmlpt/api/all/{catalog}
//	trs-search    page 1 static, later pages from /was5/web/search (JSON)
//	browser-only  an obfuscated script builds the list; its latest due year
//	              is missing, which only a reader of the rendered list sees
//
// Their data requests answer only what the page's script would ask (the
// column's ids, the POST form); Site.ListData lists them. Truth assumes a
// checker that renders the browser-only list; Unrendered is the truth for
// one that does not: that column is SITE-LIST-UNREADABLE, and nothing else
// is expected on the site.
//
// Pages are UTF-8 or GBK, declared in the header, a <meta> (sometimes after
// the first 1024 bytes), both, or not at all. Resources carry ETags and
// report pages Last-Modified, so conditional requests answer 304.
//
// # Reports
//
// Reports run from a site's first year (2013–2021) to the last year whose
// deadline has passed on Config.Now, published only when their publication
// date is not after Now. 2021+ reports use the 2021 tables, 2019–2020 the
// 2019 tables, earlier ones free text along the Art. 32 items. Tables are
// HTML (or DOCX) with real rowspan/colspan exactly as spec §3.2–3.4, every
// identity of §3.5 holds, the cross-year relations hold (上年结转 = last
// year's 结转下年度, 上一年项目数量, 现行有效件数), 总体情况 quotes table 三's
// 本年新收 总计, section 六 of 2021+ reports states 信息处理费, publication is
// on time (sometimes on the deadline day itself), no cell is blank, and
// consecutive years share little text (character 4-gram Jaccard ≤ 0.45; 0.18
// on the default internet). Some sites publish reports as a short page with a
// DOCX attachment built with the standard library.
//
// Planted defects, each chosen from the seed and recorded in Truth: PUB-LATE
// (a department report in February, a government report in April, a pre-2019
// report in April, 成文日期 kept before the deadline), SITE-MISSING-REPORT (two
// middle years of one site, the latest due year of another), one changed cell
// in table 三 in four ways (a result cell, （七）总计 自然人, a 总计-column
// cell, a 一、本年新收 cell: every check it breaks is recorded), T3-XYEAR, T4-SUM,
// SEC-MISSING (section 五), TBL-MISSING (table 四), SITE-BROKEN-LINK (a 404 PDF,
// a 2-byte PDF, a .doc answering an HTML error page with 200), DOC-KIND (a
// 政务公开工作要点 and a 函 in the column), SITE-NO-COLUMN, DOC-TEMPLATE (a
// 2021+ report on the 2019 tables), DUP-CONTENT (the previous year's text with
// the year changed), PUB-UNKNOWN (no date in list, page, URL or text),
// SEC6-FEE, SEC-ART32 and TXT-TBL. Identity and cross-year expectations are
// computed from the printed numbers, so they cover whatever a planted cell
// breaks.
//
// # Faults
//
// Config.Faults arms fault modes on resources chosen from the seed. The
// targets are the same whether or not a mode is armed, so pages do not change
// with the fault configuration (except for the link to the oversized
// attachment):
//
//	Transient5xx   a list page, a report page, an attachment: 503, 502, then 200   no finding
//	Resets         a list page, a report page, an attachment: dropped twice (RST)  no finding
//	SlowBodies     a list page, a report page trickle over SlowBodyTime            no finding
//	Timeouts       a report page hangs on its first request                        no finding
//	               an attachment hangs on every request for TimeoutAfter           SITE-BROKEN-LINK
//	Permanent5xx   an attachment always answers 503                                SITE-BROKEN-LINK
//	RedirectLoops  a report page redirects to a twin that redirects back           SITE-BROKEN-LINK
//	Oversized      an extra attachment of OversizedBytes on a readable report      SITE-LIMIT
//	LyingCharsets  a GBK site says utf-8 in its header; a UTF-8 site says gb2312
//	               in <meta>                                                       no finding
//
// Hangs, trickles and latency end when the request's context ends or the
// internet is closed. ResetFaults rewinds the transient counters.
//
// # Truth
//
// Truth holds every error and warning finding a correct checker reports on
// the internet, plus the info findings PUB-UNKNOWN and DOC-KIND, one
// Expectation per finding (one per failing identity check, per missing year,
// per broken URL). Year is the report year (0 for SITE-NO-COLUMN). URL is the
// document the finding is on — the report page, or the attachment holding the
// report text — or the failing URL for SITE-BROKEN-LINK and SITE-LIMIT; it is
// empty for SITE-NO-COLUMN and SITE-MISSING-REPORT. Cross-year findings are
// on the later report.
//
// Decisions where the contract leaves room:
//
//   - A report page whose body is a short notice with an attachment is a
//     wrapper: the attachment is the document. No section or table findings
//     are expected on the wrapper, also when the attachment is broken (only
//     SITE-BROKEN-LINK then). Its publication date is the wrapper's.
//   - A year whose report page or attachment is broken still counts as
//     covered (its list title names the year).
//   - Years that are missing or unreadable leave the cross-year numbers
//     unchanged, so that comparing with the year before or with the nearest
//     readable year gives the same answer.
//   - The real PDFs: 2023 has two T4-SUM failures (行政复议 10 + 1 with 总计 0,
//     and 复议后起诉 5 with 总计 0). Both state 信息处理费 in section 六 and have
//     all six sections. Both print table 三 with the 2019 single （六）其他处理
//     row under a 2021 table 二 and misprint 「2.其他法律行政止公开」; the 2024
//     report says 受理政府信息公开申请 17 件 while its table says 95, and shares
//     about half its prose with 2023. Those are Optional expectations: a checker
//     may report them or not.
package simnet
