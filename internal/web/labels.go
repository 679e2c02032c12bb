package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ogicheck/ogicheck/result"
)

// labels are all fixed text of the app, in both languages.
var labels = map[string]result.Text{
	"app":              {Zh: "政府信息公开年报审核", En: "Disclosure report review"},
	"overview":         {Zh: "总览", En: "Overview"},
	"findings":         {Zh: "问题", En: "Findings"},
	"jobs":             {Zh: "扫描任务", En: "Scans"},
	"login":            {Zh: "登录", En: "Log in"},
	"logout":           {Zh: "退出", En: "Log out"},
	"name":             {Zh: "用户名", En: "User name"},
	"password":         {Zh: "密码", En: "Password"},
	"role":             {Zh: "角色", En: "Role"},
	"viewer":           {Zh: "查看者", En: "viewer"},
	"reviewer":         {Zh: "审核人", En: "reviewer"},
	"admin":            {Zh: "管理员", En: "admin"},
	"scan":             {Zh: "扫描", En: "Scan"},
	"started":          {Zh: "开始时间", En: "Started"},
	"finished":         {Zh: "结束时间", En: "Finished"},
	"complete":         {Zh: "已完成", En: "complete"},
	"incomplete":       {Zh: "未完成", En: "not complete"},
	"noScan":           {Zh: "还没有扫描结果。先运行 ogicheck scan。", En: "No scan yet. Run ogicheck scan first."},
	"sites":            {Zh: "站点", En: "Sites"},
	"checked":          {Zh: "已检查", En: "Checked"},
	"errors":           {Zh: "错误", En: "Errors"},
	"warnings":         {Zh: "警告", En: "Warnings"},
	"onTimeRate":       {Zh: "按时公布率", En: "On-time rate"},
	"new":              {Zh: "新发现", En: "New"},
	"persisting":       {Zh: "持续存在", En: "Persisting"},
	"resolved":         {Zh: "已解决", En: "Resolved"},
	"change":           {Zh: "较上次扫描", En: "Since last scan"},
	"firstScan":        {Zh: "首次扫描", En: "first scan"},
	"region":           {Zh: "地区", En: "Region"},
	"level":            {Zh: "层级", En: "Level"},
	"agency":           {Zh: "机关", En: "Agency"},
	"years":            {Zh: "各年度报告", En: "Reports by year"},
	"rule":             {Zh: "规则", En: "Rule"},
	"severity":         {Zh: "级别", En: "Severity"},
	"review":           {Zh: "审核状态", En: "Review"},
	"search":           {Zh: "搜索机关名称", En: "Search agency names"},
	"filter":           {Zh: "筛选", En: "Filter"},
	"all":              {Zh: "全部", En: "all"},
	"open":             {Zh: "待审核", En: "Open"},
	"confirmed":        {Zh: "已确认", En: "Confirmed"},
	"dismissed":        {Zh: "已排除", En: "Dismissed"},
	"byRegion":         {Zh: "按地区和层级", En: "By region and level"},
	"scorecards":       {Zh: "各机关得分卡（问题最多的在前）", En: "Agencies, worst first"},
	"prev":             {Zh: "上一页", En: "Previous"},
	"next":             {Zh: "下一页", En: "Next"},
	"page":             {Zh: "第 %d / %d 页，共 %d 个机关", En: "Page %d of %d, %d agencies"},
	"none":             {Zh: "无", En: "none"},
	"unknown":          {Zh: "未知", En: "unknown"},
	"unchecked":        {Zh: "未能检查", En: "Could not be checked"},
	"year":             {Zh: "年度", En: "Year"},
	"title":            {Zh: "标题", En: "Title"},
	"published":        {Zh: "发布日期", En: "Published"},
	"deadline":         {Zh: "截止日期", En: "Deadline"},
	"status":           {Zh: "状态", En: "Status"},
	"late":             {Zh: "逾期", En: "late"},
	"onTime":           {Zh: "按时", En: "on time"},
	"format":           {Zh: "格式", En: "Format"},
	"url":              {Zh: "网址", En: "URL"},
	"listPage":         {Zh: "年报栏目", En: "Report column"},
	"reports":          {Zh: "年度报告", En: "Reports"},
	"listed":           {Zh: "栏目所列条目", En: "Column entries"},
	"fetchErrors":      {Zh: "抓取失败", En: "Fetch failures"},
	"class":            {Zh: "类别", En: "Class"},
	"attempts":         {Zh: "尝试次数", En: "Attempts"},
	"error":            {Zh: "错误信息", En: "Error"},
	"siteFindings":     {Zh: "站点问题", En: "Site findings"},
	"history":          {Zh: "历次扫描", En: "Scans of this site"},
	"notInScan":        {Zh: "本次扫描未包含该站点。", En: "This scan did not cover the site."},
	"notStored":        {Zh: "该站点在本次扫描中尚无结果。", En: "The scan has no result for this site yet."},
	"sections":         {Zh: "各部分", En: "Sections"},
	"found":            {Zh: "已找到", En: "found"},
	"pdfPage":          {Zh: "PDF 页码", En: "PDF page"},
	"missing":          {Zh: "未找到", En: "not found"},
	"tables":           {Zh: "表格", En: "Tables"},
	"noTables":         {Zh: "未识别到表二、表三、表四。", En: "No table 二, 三 or 四 was recognised."},
	"arithmetic":       {Zh: "勾稽关系", En: "The arithmetic"},
	"expected":         {Zh: "应为", En: "Expected"},
	"actual":           {Zh: "实为", En: "Actual"},
	"archive":          {Zh: "存档副本", En: "Archived copy"},
	"archiveText":      {Zh: "读出的正文", En: "The text read"},
	"download":         {Zh: "下载抓取到的原始文件", En: "Download the file as fetched"},
	"noArchive":        {Zh: "没有存档副本。", En: "No archived copy."},
	"pages":            {Zh: "PDF 页码：读取时未记录页码，证据以表格行列定位。", En: "PDF page numbers: the reader does not record them; evidence is located by table row and column."},
	"message":          {Zh: "说明", En: "Message"},
	"where":            {Zh: "位置", En: "Where"},
	"state":            {Zh: "变化", En: "Change"},
	"decision":         {Zh: "审核结论", En: "Decision"},
	"reason":           {Zh: "理由", En: "Reason"},
	"expires":          {Zh: "有效期至（可选）", En: "Expires (optional)"},
	"confirm":          {Zh: "确认", En: "Confirm"},
	"dismiss":          {Zh: "排除", En: "Dismiss"},
	"by":               {Zh: "审核人", En: "By"},
	"when":             {Zh: "时间", En: "When"},
	"until":            {Zh: "有效期至", En: "Until"},
	"expired":          {Zh: "排除已过期，重新待审核", En: "dismissal expired: open again"},
	"decisions":        {Zh: "审核记录", En: "Decisions"},
	"noDecisions":      {Zh: "尚无审核记录。", En: "No decision yet."},
	"viewOnly":         {Zh: "查看者不能更改审核状态。", En: "Viewers cannot change review state."},
	"listCut":          {Zh: "每个列表最多显示 %d 条（最严重的在前）：请用上面的条件缩小范围。", En: "Each list shows at most %d findings, most serious first: narrow them with the filters above."},
	"noFindings":       {Zh: "没有符合条件的问题。", En: "No findings match."},
	"inProgress":       {Zh: "进行中的扫描", En: "Scans in progress"},
	"recentScans":      {Zh: "最近的扫描", En: "Recent scans"},
	"done":             {Zh: "已完成站点", En: "Sites done"},
	"failed":           {Zh: "失败站点", En: "Sites failed"},
	"running":          {Zh: "正在检查", En: "Running"},
	"jobsNote":         {Zh: "River 任务界面（riverui）仅对管理员开放；本页列出扫描进度。", En: "River's job UI (riverui) is for admins; this page lists the scans' progress."},
	"riverUI":          {Zh: "River 任务队列界面（riverui）", En: "River's job queue UI (riverui)"},
	"errLogin":         {Zh: "请先登录。", En: "Please log in."},
	"errCSRF":          {Zh: "表单已失效，请返回重新提交。", En: "The form has expired: go back and send it again."},
	"errOrigin":        {Zh: "请求不是来自本应用的页面，已拒绝。", En: "Refused: the request did not come from a page of this app."},
	"errPassword":      {Zh: "用户名或密码错误。", En: "Wrong user name or password."},
	"errTooManyLogins": {Zh: "登录失败次数过多，请15分钟后再试。", En: "Too many failed logins: try again in 15 minutes."},
	"errForbidden":     {Zh: "没有权限进行此操作。", En: "You are not allowed to do this."},
	"errNotFound":      {Zh: "没有找到。", En: "Not found."},
	"errBadRequest":    {Zh: "请求有误。", En: "Bad request."},
	"errServer":        {Zh: "服务器出错，请稍后再试。", En: "Server error; try again later."},
	"errReason":        {Zh: "排除必须填写理由。", En: "A dismissal needs a reason."},
	"errDate":          {Zh: "日期格式应为 YYYY-MM-DD，且晚于今天。", En: "The date must be YYYY-MM-DD, after today."},
	"errDecision":      {Zh: "审核结论只能是确认或排除。", En: "The decision must be confirm or dismiss."},
	"errScan":          {Zh: "表单所属的扫描不存在，请返回刷新页面后重新提交。", En: "The form names a scan that does not exist: go back, reload the page and send it again."},
	"back":             {Zh: "返回", En: "Back"},
	"yearOnTime":       {Zh: "按时公布", En: "published on time"},
	"yearLate":         {Zh: "逾期公布", En: "published late"},
	"yearFound":        {Zh: "已找到报告", En: "report found"},
	"yearMissing":      {Zh: "缺少报告", En: "missing"},
	"yearNotSeen":      {Zh: "未见报告，未认定缺失", En: "no report seen, not called missing"},
	"department":       {Zh: "政府部门", En: "department"},
	"government":       {Zh: "人民政府", En: "government"},
	"township":         {Zh: "乡镇（街道）", En: "township"},
	"error_sev":        {Zh: "错误", En: "error"},
	"warning_sev":      {Zh: "警告", En: "warning"},
	"info_sev":         {Zh: "提示", En: "info"},
	"openFindings":     {Zh: "待审核的问题", En: "Open findings"},
	"confirmedList":    {Zh: "已确认的问题", En: "Confirmed findings"},
	"dismissedList":    {Zh: "已排除的问题", En: "Dismissed findings"},
	"resolvedNote":     {Zh: "已解决：上次扫描发现、本次扫描未再发现。", En: "Resolved: found by the previous scan, not by this one."},
	"details":          {Zh: "详情", En: "Details"},
	"documentReport":   {Zh: "年报", En: "Report"},
	"siteLevel":        {Zh: "站点", En: "Site"},
}

// labelsIn is every label in one language, for templates.
func labelsIn(lang string) map[string]string {
	out := make(map[string]string, len(labels))
	for k, v := range labels {
		out[k] = v.In(lang)
	}
	return out
}

var (
	labelsZh = labelsIn("zh")
	labelsEn = labelsIn("en")
)

// lang picks the language of a request: the browser's first choice of
// Chinese or English (Accept-Language, by q-value), else the server's.
func (srv *Server) lang(r *http.Request) string {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		l := strings.ToLower(tag)
		var lang string
		switch {
		case l == "zh" || strings.HasPrefix(l, "zh-"):
			lang = "zh"
		case l == "en" || strings.HasPrefix(l, "en-"):
			lang = "en"
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	if best != "" && !srv.opts.LangFixed {
		return best
	}
	if srv.opts.Lang == "en" {
		return "en"
	}
	return "zh"
}

func (srv *Server) label(r *http.Request, key string) string {
	return labels[key].In(srv.lang(r))
}
