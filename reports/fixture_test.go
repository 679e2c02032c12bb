package reports

import "github.com/ogicheck/ogicheck/result"

func ptr[T any](v T) *T { return &v }

// finding builds a finding as the analysis does: Message in Chinese, both
// languages in Messages.
func finding(rule, cat string, sev result.Severity, zh, en string, ev result.Evidence) result.Finding {
	return result.Finding{Rule: rule, Category: cat, Severity: sev, Message: zh,
		Messages: result.Text{Zh: zh, En: en}, Evidence: ev}
}

const fixtureSite = "https://hongze.example.gov.cn/"

// fixture is a realistic run: one crawled site with fetch errors and site
// findings, two annual reports of that site (the 2023 one with the broken
// table 四 identity of the real 洪泽区 report: 结果维持 10 + 结果纠正 1 but
// 总计 0), an unreadable attachment, a late pre-2019 report and a document
// that is not an annual report.
func fixture() *result.Result {
	table4cols := []string{"行政复议 结果维持", "行政复议 结果纠正", "行政复议 其他结果", "行政复议 尚未审结", "行政复议 总计"}
	cells := func(raws ...string) []result.Cell {
		out := make([]result.Cell, len(raws))
		for i, r := range raws {
			out[i] = result.Cell{Column: table4cols[i], Raw: r, State: result.CellNumber}
			var v float64
			for _, c := range r {
				v = v*10 + float64(c-'0')
			}
			out[i].Value = ptr(v)
		}
		return out
	}
	sections2021 := []result.Section{
		{Number: 1, Heading: "一、总体情况"},
		{Number: 2, Heading: "二、主动公开政府信息情况"},
		{Number: 3, Heading: "三、收到和处理政府信息公开申请情况"},
		{Number: 4, Heading: "四、政府信息公开行政复议、行政诉讼情况"},
		{Number: 5, Heading: "五、存在的主要问题及改进情况"},
		{Number: 6, Heading: "六、其他需要报告的事项"},
	}
	return &result.Result{
		Schema:    result.Schema,
		Tool:      "ogicheck 0.1.0",
		Lang:      "zh",
		Generated: "2025-04-15T09:30:00+08:00",
		Documents: []*result.Document{
			{
				Source:          fixtureSite + "xxgk/ndbg/202401/t20240125_8812.html",
				Site:            fixtureSite,
				Format:          "pdf",
				SHA256:          "3b7f0e5c1a9d24e8b6c0f7a2d9e4b1c85f3a6d0e2b7c9f148a5e6d3c2b1a0f9e",
				Kind:            result.KindAnnualReport,
				KindReason:      "标题含“政府信息公开工作年度报告”",
				Title:           "洪泽区2023年政府信息公开工作年度报告",
				Agency:          "淮安市洪泽区人民政府",
				AgencyLevel:     ptr(result.LevelGovernment),
				AgencyLevelFrom: "agency-name",
				Year:            ptr(2023),
				YearFrom:        "title",
				Published:       ptr("2024-01-25"),
				PublishedFrom:   "发布日期",
				Dates:           []result.Date{{Label: "发布日期", Value: "2024-01-25"}, {Label: "成文日期", Value: "2024-01-22"}},
				Deadline:        ptr("2024-03-31"),
				Template:        ptr(result.Template2021),
				TemplateFrom:    "table-rows",
				Sections:        sections2021,
				Tables: []result.Table{{
					ID: "四", Template: result.Template2021, Columns: table4cols,
					Rows: []result.Row{{Label: "行政复议", Cells: cells("10", "1", "0", "0", "0")}},
				}},
				Findings: []result.Finding{
					finding("TXT-TBL", result.CatTextTableMismatch, result.SeverityWarning,
						"正文所述行政复议案件数（11件）与表四总计（0）不一致",
						"The text gives 11 administrative reconsideration cases; table 四 totals 0",
						result.Evidence{Section: 1, Table: "四", Row: "行政复议", Column: "总计", Expected: "11", Actual: "0",
							Snippet: "全年共发生政府信息公开行政复议案件11件，其中维持10件、纠正1件 | 行政诉讼0件。\n（详见表四）"}),
					finding("T4-SUM", result.CatTableIdentity, result.SeverityError,
						"表四行政复议：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 11，但总计为 0",
						"Table 四, administrative reconsideration: upheld + corrected + other + pending = 11, but the total is 0",
						result.Evidence{Section: 4, Table: "四", Row: "行政复议", Column: "总计", Expected: "11", Actual: "0",
							Cells: []result.CellRef{
								{Row: "行政复议", Column: "结果维持", Raw: "10"},
								{Row: "行政复议", Column: "结果纠正", Raw: "1"},
								{Row: "行政复议", Column: "其他结果", Raw: "0"},
								{Row: "行政复议", Column: "尚未审结", Raw: "0"},
								{Row: "行政复议", Column: "总计", Raw: "0"},
							}}),
				},
			},
			{
				Source:      fixtureSite + "xxgk/ndbg/202501/t20250120_9934.html",
				Site:        fixtureSite,
				Format:      "pdf",
				Kind:        result.KindAnnualReport,
				Title:       "洪泽区2024年政府信息公开工作年度报告",
				Agency:      "淮安市洪泽区人民政府",
				AgencyLevel: ptr(result.LevelGovernment),
				Year:        ptr(2024),
				Published:   ptr("2025-01-20"),
				Deadline:    ptr("2025-03-31"),
				Template:    ptr(result.Template2021),
				Sections:    sections2021,
				Tables:      []result.Table{{ID: "二"}, {ID: "三"}, {ID: "四"}},
			},
			{
				Source: fixtureSite + "xxgk/ndbg/2022/ndbg2022.doc",
				Site:   fixtureSite,
				Format: "doc",
				Kind:   result.KindAnnualReport,
				Title:  "",
				Agency: "淮安市洪泽区人民政府",
				Year:   ptr(2022),
				Error:  "doc: file is encrypted (FIB fEncrypted set)",
				Findings: []result.Finding{
					finding("DOC-READ", result.CatUnreadableDocument, result.SeverityError,
						"附件无法读取：文件已加密",
						"The attachment could not be read: the file is encrypted",
						result.Evidence{URL: fixtureSite + "xxgk/ndbg/2022/ndbg2022.doc", Year: 2022}),
				},
			},
			{
				Source:        "seeds/000_592b8d40a7c66f19.txt",
				Format:        "text",
				Kind:          result.KindAnnualReport,
				Title:         "天津市宁河区市场和质量监督管理局2018年政府信息公开年度发展报告",
				Agency:        "天津市宁河区市场和质量监督管理局",
				AgencyLevel:   ptr(result.LevelDepartment),
				Year:          ptr(2018),
				YearFrom:      "title",
				Published:     ptr("2019-04-23"),
				PublishedFrom: "发布日期",
				Deadline:      ptr("2019-03-31"),
				Template:      ptr(result.TemplatePre2019),
				Findings: []result.Finding{
					finding("PUB-LATE", result.CatLatePublication, result.SeverityError,
						"2019-04-23 发布，晚于 2019-03-31 的期限 23 天",
						"Published 2019-04-23, 23 days after the deadline of 2019-03-31",
						result.Evidence{Expected: "≤ 2019-03-31", Actual: "2019-04-23", Snippet: "来源:天津市市场监督管理委员会 发布日期:2019-04-23 16:02"}),
					finding("SEC-OLD", result.CatMissingSection, result.SeverityWarning,
						"未找到“政府信息公开的收费及减免情况”相关内容",
						"No text on fees and fee waivers (收费及减免) was found",
						result.Evidence{Section: 3}),
				},
			},
			{
				Source:     "seeds/001_09049e3a06e794f3.txt",
				Format:     "text",
				Kind:       result.KindOther,
				KindReason: "标题为“政务公开工作要点”，不是年度报告",
				Title:      "红桥区市场监管局2019年政务公开工作要点",
				Agency:     "红桥区市场监管局",
				Year:       ptr(2019),
				Findings: []result.Finding{
					finding("KIND", result.CatNotAnnualReport, result.SeverityInfo,
						"不是政府信息公开工作年度报告，未作检查",
						"Not an annual report on government information disclosure; not checked",
						result.Evidence{Snippet: "红桥区市场监管局2019年\n政务公开工作要点"}),
				},
			},
		},
		Sites: []*result.Site{{
			URL:         fixtureSite,
			Agency:      "淮安市洪泽区人民政府",
			Column:      "政府信息公开年报",
			ColumnFrom:  "nav-link",
			Years:       []int{2020, 2021, 2022, 2023, 2024},
			Pages:       42,
			Bytes:       1873408,
			NotModified: 3,
			Duration:    "12.4s",
			Reports: []result.SiteReport{
				{Title: "洪泽区2024年政府信息公开工作年度报告", URL: fixtureSite + "xxgk/ndbg/202501/t20250120_9934.html", ListDate: "2025-01-20", Year: 2024, Kind: result.KindAnnualReport},
				{Title: "洪泽区2023年政府信息公开工作年度报告", URL: fixtureSite + "xxgk/ndbg/202401/t20240125_8812.html", ListDate: "2024-01-25", Year: 2023, Kind: result.KindAnnualReport},
				{Title: "洪泽区2022年政府信息公开工作年度报告", URL: fixtureSite + "xxgk/ndbg/2022/ndbg2022.doc", ListDate: "2023-01-30", Year: 2022, Kind: result.KindAnnualReport},
				{Title: "洪泽区2021年政府信息公开工作年度报告", URL: fixtureSite + "xxgk/ndbg/2021/index.html", ListDate: "2022-01-28", Year: 2021},
				{Title: "关于做好2022年政务公开工作的通知", URL: fixtureSite + "xxgk/tzgg/2022/t1.html", Year: 2022, Kind: result.KindOther},
			},
			Errors: []result.FetchError{
				{URL: fixtureSite + "xxgk/ndbg/2021/index.html", Class: result.FetchHTTP4xx, Status: 404, Attempts: 1, Error: "GET " + fixtureSite + "xxgk/ndbg/2021/index.html: 404 Not Found"},
				{URL: fixtureSite + "xxgk/ndbg/index_3.html", Class: result.FetchTimeout, Attempts: 3, Error: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"},
				{URL: fixtureSite + "xxgk/ndbg/index_4.html", Class: result.FetchTimeout, Attempts: 3, Error: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"},
			},
			Findings: []result.Finding{
				finding("SITE-LINK", result.CatBrokenLink, result.SeverityWarning,
					"2021年度报告的链接失效（HTTP 404）",
					"The link to the 2021 report is broken (HTTP 404)",
					result.Evidence{URL: fixtureSite + "xxgk/ndbg/2021/index.html", Year: 2021, Actual: "404"}),
				finding("SITE-YEAR", result.CatMissingReport, result.SeverityError,
					"年报栏目中没有2020年度报告",
					"The report column has no report for 2020",
					result.Evidence{Year: 2020, URL: fixtureSite + "xxgk/ndbg/"}),
				finding("SITE-LIMIT", result.CatFetchError, result.SeverityInfo,
					"栏目第3、4页抓取超时，列表可能不完整",
					"Pages 3 and 4 of the column timed out; the list may be incomplete",
					result.Evidence{URL: fixtureSite + "xxgk/ndbg/index_3.html"}),
			},
		}},
	}
}
