package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/reports"
)

// HistorySchema is the value of the history contract's "schema".
const HistorySchema = "ogicheck/history/v1"

// historyJSON is the contract of 'ogicheck history --format json'; fields
// are only ever added.
type historyJSON struct {
	Schema   string           `json:"schema"`
	Scan     *int64           `json:"scan"` // the scan the findings are stated against
	Scans    []historyScan    `json:"scans"`
	Findings []historyFinding `json:"findings"`
}

type historyScan struct {
	ID          int64   `json:"id"`
	Started     string  `json:"started"`
	Finished    *string `json:"finished"`
	Complete    bool    `json:"complete"`
	Sites       int     `json:"sites"`
	Pages       int     `json:"pages"`
	Bytes       int64   `json:"bytes"`
	NotModified int     `json:"not_modified"`
}

type historyFinding struct {
	Fingerprint string   `json:"fingerprint"`
	Rule        string   `json:"rule"`
	Category    string   `json:"category"`
	Severity    string   `json:"severity"`
	Site        string   `json:"site"`
	Agency      string   `json:"agency"`
	Year        *int     `json:"year"`
	State       string   `json:"state"`
	FirstScan   int64    `json:"first_scan"`
	LastScan    int64    `json:"last_scan"`
	Message     string   `json:"message"`
	Messages    textJSON `json:"messages"`
	Review      string   `json:"review,omitempty"` // confirmed or dismissed, when a decision is in force
	ReviewUntil string   `json:"review_until,omitempty"`
}

type textJSON struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

func runHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cm := newCommand("history", "history [flags]",
		"Lists the scans in the store and the findings of the latest one (or --scan ID): each new, persisting\n"+
			"or resolved relative to the site's previous scans. --site, --agency and --since narrow both lists.", stderr)
	var sf storeFlags
	sf.register(cm.fs)
	format := cm.fs.String("format", "table", "table or json (the contract "+HistorySchema+")")
	site := cm.fs.String("site", "", "only this site (its URL)")
	agency := cm.fs.String("agency", "", "only sites whose agency name contains this")
	region := cm.fs.String("region", "", "only sites of this region (as the sites file names it)")
	since := cm.fs.String("since", "", "only scans started on or after this date, YYYY-MM-DD (in --tz)")
	scanFlag := cm.fs.String("scan", "latest", "the scan the findings are stated against: latest or an ID")
	pos, err := cm.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("ogicheck history: unexpected argument %q", pos[0])
	}
	if *format != "table" && *format != "json" {
		return usagef("ogicheck history: --format %q: want table or json", *format)
	}
	q := store.HistoryQuery{Sites: store.SiteFilter{URL: *site, Agency: *agency, Region: *region}}
	if *since != "" {
		t, err := time.ParseInLocation("2006-01-02", *since, cm.location())
		if err != nil {
			return usagef("ogicheck history: --since %q: want YYYY-MM-DD", *since)
		}
		q.Since = t
	}
	if q.Scan, err = parseScan(*scanFlag); err != nil {
		return usagef("ogicheck history: %v", err)
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	h, err := st.History(ctx, q)
	if err != nil {
		return err
	}
	out := historyOut(h, cm.lang, cm.location())
	if *format == "json" {
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	return historyTable(stdout, out, cm.lang)
}

// parseScan reads --scan: latest (0) or an ID.
func parseScan(s string) (int64, error) {
	if s == "latest" || s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("--scan %q: want latest or a scan ID", s)
	}
	return id, nil
}

func historyOut(h *store.History, lang string, loc *time.Location) *historyJSON {
	out := &historyJSON{Schema: HistorySchema, Scans: []historyScan{}, Findings: []historyFinding{}}
	if h.Scan != nil {
		out.Scan = &h.Scan.ID
	}
	for _, sc := range h.Scans {
		hs := historyScan{ID: sc.ID, Started: sc.Started.In(loc).Format(time.RFC3339), Complete: sc.Complete, Sites: sc.Sites,
			Pages: sc.Pages, Bytes: sc.Bytes, NotModified: sc.NotModified}
		if !sc.Finished.IsZero() {
			f := sc.Finished.In(loc).Format(time.RFC3339)
			hs.Finished = &f
		}
		out.Scans = append(out.Scans, hs)
	}
	for _, f := range h.Findings {
		hf := historyFinding{Fingerprint: f.Fingerprint, Rule: f.Rule, Category: f.Category, Severity: string(f.Severity), Site: f.Site,
			Agency: f.Agency, State: f.State, FirstScan: f.FirstScan, LastScan: f.LastScan, Message: f.Messages.In(lang),
			Messages: textJSON{Zh: f.Messages.Zh, En: f.Messages.En}, Review: f.Review}
		if f.Year != 0 {
			y := f.Year
			hf.Year = &y
		}
		if !f.Expires.IsZero() {
			hf.ReviewUntil = f.Expires.In(loc).Format(time.RFC3339)
		}
		out.Findings = append(out.Findings, hf)
	}
	return out
}

func historyTable(w io.Writer, h *historyJSON, lang string) error {
	zh := lang == "zh"
	pick := func(z, e string) string {
		if zh {
			return z
		}
		return e
	}
	table := func(header []any, rows [][]any) error {
		t := tablewriter.NewTable(w, tablewriter.WithEastAsian(tw.Off), tablewriter.WithHeaderAutoFormat(tw.Off), tablewriter.WithRowAlignment(tw.AlignLeft))
		t.Header(header...)
		for _, r := range rows {
			if err := t.Append(r...); err != nil {
				return err
			}
		}
		return t.Render()
	}
	var rows [][]any
	for _, s := range h.Scans {
		fin := "—"
		if s.Finished != nil {
			fin = *s.Finished
		}
		rows = append(rows, []any{s.ID, s.Started, fin, s.Complete, s.Sites, s.Pages, humanBytes(s.Bytes), s.NotModified})
	}
	if err := table([]any{pick("扫描", "scan"), pick("开始", "started"), pick("结束", "finished"), pick("完成", "complete"),
		pick("站点", "sites"), pick("页面", "pages"), pick("下载", "bytes"), pick("未变更", "not modified")}, rows); err != nil {
		return err
	}
	if h.Scan == nil {
		_, err := fmt.Fprintln(w, pick("没有扫描。", "No scans."))
		return err
	}
	counts := map[string]int{}
	rows = nil
	for _, f := range h.Findings {
		counts[f.State]++
		year := ""
		if f.Year != nil {
			year = strconv.Itoa(*f.Year)
		}
		state := f.State
		if zh {
			state = map[string]string{store.StateNew: "新发现", store.StatePersisting: "仍存在", store.StateResolved: "已解决"}[f.State]
		}
		if f.Review != "" {
			state += " (" + f.Review + ")"
		}
		rows = append(rows, []any{state, f.Severity, f.Rule, f.Agency, year, reports.Clean(f.Message), f.FirstScan, f.LastScan})
	}
	fmt.Fprintf(w, pick("\n扫描 %d 的问题：新发现 %d，仍存在 %d，已解决 %d\n", "\nFindings of scan %d: %d new, %d persisting, %d resolved\n"),
		*h.Scan, counts[store.StateNew], counts[store.StatePersisting], counts[store.StateResolved])
	if len(rows) == 0 {
		return nil
	}
	return table([]any{pick("状态", "state"), pick("级别", "severity"), pick("规则", "rule"), pick("机关", "agency"), pick("年度", "year"),
		pick("说明", "message"), pick("首见", "first"), pick("末见", "last")}, rows)
}
