package reports

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ogicheck/ogicheck/result"
)

// xlsxDump reads a workbook back with excelize and prints what a reader
// sees: each sheet's name, frozen pane, filter range and rows.
func xlsxDump(t testing.TB, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatalf("panes of %q: %v", sheet, err)
		}
		tables, err := f.GetTables(sheet)
		if err != nil {
			t.Fatalf("tables of %q: %v", sheet, err)
		}
		var filters []string
		for _, tb := range tables {
			filters = append(filters, tb.Range)
		}
		fmt.Fprintf(&b, "== sheet %q freeze=%v split=%d top=%s filters=%v\n", sheet, panes.Freeze, panes.YSplit, panes.TopLeftCell, filters)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("rows of %q: %v", sheet, err)
		}
		for _, r := range rows {
			fmt.Fprintf(&b, "%q\n", r)
		}
	}
	return b.String()
}

func xlsxRows(t testing.TB, data []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("rows of %q: %v", sheet, err)
		}
		out[sheet] = rows
	}
	return out
}

func TestXLSXOneSheetWithoutRegions(t *testing.T) {
	data := []byte(write(t, fixture(), Options{Format: FormatXLSX, Lang: LangEn}))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Findings"}) {
		t.Fatalf("sheets %q, want [Findings]", got)
	}
	rows, _ := f.GetRows("Findings")
	if got, want := len(rows)-1, fixture().Count(); got != want.Error+want.Warning+want.Info {
		t.Errorf("%d finding rows, want one per finding (%+v)", got, want)
	}
	panes, _ := f.GetPanes("Findings")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	tables, _ := f.GetTables("Findings")
	if len(tables) != 1 || tables[0].Range != fmt.Sprintf("A1:T%d", len(rows)) {
		t.Errorf("filters %+v, want one table over A1:T%d", tables, len(rows))
	}
	// the year is a number, the rest text
	for i, r := range rows[1:] {
		if r[6] != "T4-SUM" {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(5, i+2)
		typ, _ := f.GetCellType("Findings", cell)
		if v, _ := f.GetCellValue("Findings", cell); v != "2023" || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("year cell %s = %q of type %v, want the number 2023", cell, v, typ)
		}
	}
}

func TestXLSXRegions(t *testing.T) {
	r := fixture()
	other := *r.Sites[0]
	other.URL, other.Agency = "https://other.example.gov.cn/", "其他区人民政府"
	r.Sites = append(r.Sites, &other)
	regions := map[string]string{fixtureSite: "淮安市", other.URL: "南京市/江宁区:[试点]"}
	sheets := xlsxRows(t, []byte(write(t, r, Options{Format: FormatXLSX, Regions: regions})))
	var names []string
	for n := range sheets {
		names = append(names, n)
	}
	slices.Sort(names)
	// sorted by region, the documents of no site in the last sheet;
	// characters a sheet name cannot have replaced
	if want := []string{"南京市_江宁区__试点_", "未分地区", "淮安市"}; !slices.Equal(names, want) {
		t.Fatalf("sheets %q, want %q", names, want)
	}
	for name, rows := range sheets {
		for _, row := range rows[1:] {
			region := ""
			if len(row) > 1 {
				region = row[1]
			}
			switch {
			case name == "淮安市" && region != "淮安市",
				name == "未分地区" && region != "",
				name == "南京市_江宁区__试点_" && region != "南京市/江宁区:[试点]":
				t.Errorf("sheet %q has a row of region %q", name, region)
			}
		}
	}
	if n := len(sheets["南京市_江宁区__试点_"]); n != 1+len(other.Findings) {
		t.Errorf("the other region's sheet has %d rows, want header + %d", n, len(other.Findings))
	}
}

func TestXLSXHostile(t *testing.T) {
	for _, s := range hostile {
		data := []byte(write(t, inject(fixture(), s), Options{Format: FormatXLSX}))
		for sheet, rows := range xlsxRows(t, data) {
			for _, row := range rows {
				for _, c := range row {
					if !csvSafe(c) {
						t.Errorf("sheet %q: cell could run as a formula: %q", sheet, c)
					}
					if strings.ContainsRune(c, 0x1b) {
						t.Errorf("sheet %q: escape sequence kept in %q", sheet, c)
					}
				}
			}
		}
	}
	// a sheet name from a region: cut to 31 characters, unique
	long := strings.Repeat("区", 40)
	names := sheetNames([]string{long, long + "x", "history", ""}, &view{opts: Options{Regions: map[string]string{}}, t: &labelsEn})
	if len([]rune(names[0])) != 31 || names[0] == names[1] || len([]rune(names[1])) > 31 {
		t.Errorf("long names %q", names[:2])
	}
	if names[2] != "_history" || names[3] != "No region" {
		t.Errorf("reserved and empty names %q", names[2:])
	}
}

// reviewsOf returns a confirmed-then-dismissed history for T4-SUM and
// nothing for other findings.
func reviewsOf(_ *result.Site, d *result.Document, f result.Finding) []Review {
	if d == nil || f.Rule != "T4-SUM" {
		return nil
	}
	at := time.Date(2025, 4, 16, 10, 5, 0, 0, time.FixedZone("CST", 8*3600))
	return []Review{
		{State: ReviewConfirmed, By: "王审核", At: at},
		{State: ReviewDismissed, By: "李科长", At: at.Add(26 * time.Hour), Reason: "=已更正并重新发布", Expires: at.AddDate(0, 3, 0)},
	}
}

func TestReviewsShown(t *testing.T) {
	opts := Options{Lang: LangZh, Reviews: reviewsOf, Regions: map[string]string{fixtureSite: "淮安市"}}
	opts.Format = FormatCSV
	out := write(t, fixture(), opts)
	if !strings.Contains(out, "淮安市,已排除,李科长,2025-04-17 12:05,'=已更正并重新发布\r\n") {
		t.Errorf("csv lacks the region and the latest decision:\n%s", out)
	}
	opts.Format = FormatHTML
	out = write(t, fixture(), opts)
	checkHTML(t, out)
	for _, want := range []string{"已确认，王审核，2025-04-16 10:05", "已排除，李科长，2025-04-17 12:05，有效期至 2025-07-16，理由：=已更正并重新发布", "<th>审核结论</th>", "<th>地区</th>"} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	opts.Format = FormatMarkdown
	if out = write(t, fixture(), opts); !strings.Contains(out, "- 审核结论：已排除，李科长") {
		t.Errorf("markdown lacks the decision")
	}
	opts.Format = FormatXLSX
	rows := xlsxRows(t, []byte(write(t, fixture(), opts)))["淮安市"]
	found := false
	for _, r := range rows {
		if len(r) == 20 && r[6] == "T4-SUM" {
			found = true
			if got, want := r[16:], []string{"已排除", "李科长", "2025-04-17 12:05", "'=已更正并重新发布"}; !slices.Equal(got, want) {
				t.Errorf("xlsx review cells %q, want %q", got, want)
			}
		}
	}
	if !found {
		t.Errorf("xlsx has no T4-SUM row with review cells: %q", rows)
	}
}

func TestTimeline(t *testing.T) {
	r := fixture()
	v := newView(r, Options{Lang: LangEn})
	g := v.groups()[0]
	var got []string
	for _, m := range v.timeline(g.site, g.docs) {
		got = append(got, fmt.Sprintf("%d:%s", m.Year, m.State))
	}
	// 2020 reported missing; 2021 listed but its link broken; 2022 fetched
	// but unreadable; 2023 and 2024 on time
	want := []string{"2020:missing", "2021:unread", "2022:unread", "2023:ontime", "2024:ontime"}
	if !slices.Equal(got, want) {
		t.Errorf("timeline %q, want %q", got, want)
	}
	// a gap year no rule reported is not called missing; a late report is
	s := g.site
	s.Years = []int{2017, 2020, 2021, 2022, 2023, 2024}
	g.docs[0].Findings = append(g.docs[0].Findings, result.Finding{Rule: "PUB-LATE", Category: result.CatLatePublication})
	got = got[:0]
	for _, m := range v.timeline(s, g.docs) {
		got = append(got, fmt.Sprintf("%d:%s", m.Year, m.State))
	}
	want = []string{"2017:notseen", "2018:notseen", "2019:notseen", "2020:missing", "2021:unread", "2022:unread", "2023:late", "2024:ontime"}
	if !slices.Equal(got, want) {
		t.Errorf("timeline %q, want %q", got, want)
	}
}
