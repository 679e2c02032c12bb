package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ogicheck/ogicheck/internal/store"
	"github.com/ogicheck/ogicheck/internal/store/storetest"
	"github.com/ogicheck/ogicheck/result"
)

// benchSites and benchYears are the size of the benchmark's store: a
// province's agencies, seven report years each.
const (
	benchSites = 2000
	benchYears = 7
)

var benchRegions = []string{"南京市", "无锡市", "徐州市", "常州市", "苏州市", "南通市", "连云港市", "淮安市", "盐城市", "扬州市", "镇江市", "泰州市", "宿迁市"}

// benchResult is a site's result for one scan: seven years of reports,
// some late, one year sometimes missing, identities broken here and there.
func benchResult(rng *rand.Rand, url, name string, scan int) *result.Result {
	sr := &result.Site{URL: url, Agency: name, Column: url + "ndbg/", Pages: 12, Bytes: 400 << 10, Errors: []result.FetchError{}, Findings: []result.Finding{}}
	res := &result.Result{Schema: result.Schema, Sites: []*result.Site{sr}, Documents: []*result.Document{}}
	cols := []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}
	missing := 2018 + rng.IntN(20) // most sites miss no year
	for y := 2018; y < 2018+benchYears; y++ {
		sr.Years = append(sr.Years, y)
		if y == missing {
			sr.Findings = append(sr.Findings, result.Finding{Rule: "SITE-MISSING-REPORT", Category: result.CatMissingReport, Severity: result.SeverityError,
				Messages: result.Text{Zh: fmt.Sprintf("缺少%d年度报告", y), En: fmt.Sprintf("no report for %d", y)}, Evidence: result.Evidence{Year: y}})
			continue
		}
		year := y
		pub := fmt.Sprintf("%d-0%d-%02d", y+1, 1+rng.IntN(4), 1+rng.IntN(28))
		dl := fmt.Sprintf("%d-03-31", y+1)
		src := fmt.Sprintf("%sndbg/%d/t%d.html", url, y, y)
		d := &result.Document{Source: src, Site: url, Format: "html", Kind: result.KindAnnualReport,
			Title: fmt.Sprintf("%s%d年政府信息公开工作年度报告", name, y), Agency: name, Year: &year, Published: &pub, Deadline: &dl,
			Sections: []result.Section{{Number: 1, Heading: "一、总体情况"}, {Number: 2, Heading: "二、主动公开政府信息情况"}}, Findings: []result.Finding{}}
		t3 := result.Table{ID: "三", Columns: cols}
		for _, label := range []string{"一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理"} {
			row := result.Row{Label: label}
			for _, c := range cols {
				v := float64(rng.IntN(50))
				row.Cells = append(row.Cells, result.Cell{Column: c, Raw: fmt.Sprint(v), State: result.CellNumber, Value: &v})
			}
			t3.Rows = append(t3.Rows, row)
		}
		d.Tables = []result.Table{t3}
		if pub > dl {
			d.Findings = append(d.Findings, result.Finding{Rule: "PUB-LATE", Category: result.CatLatePublication, Severity: result.SeverityError,
				Messages: result.Text{Zh: "逾期公布", En: "published late"}, Evidence: result.Evidence{Expected: "≤ " + dl, Actual: pub}})
		}
		if rng.IntN(3+scan) == 0 {
			d.Findings = append(d.Findings, result.Finding{Rule: "T3-COL", Category: result.CatTableIdentity, Severity: result.SeverityError,
				Messages: result.Text{Zh: "表三第一项加第二项不等于第三项加第四项", En: "table 3 does not add up"},
				Evidence: result.Evidence{Table: "三", Row: "一、本年新收政府信息公开申请数量", Column: "总计", Cells: []result.CellRef{
					{Row: "一、本年新收政府信息公开申请数量", Column: "总计", Raw: "1"}, {Row: "（七）总计", Column: "总计", Raw: "2"}}}})
		}
		if rng.IntN(4) == 0 {
			d.Findings = append(d.Findings, result.Finding{Rule: "SEC-MISSING", Category: result.CatMissingSection, Severity: result.SeverityWarning,
				Messages: result.Text{Zh: "缺少第五部分", En: "section 5 missing"}, Evidence: result.Evidence{Section: 5}})
		}
		res.Documents = append(res.Documents, d)
		sr.Reports = append(sr.Reports, result.SiteReport{Title: d.Title, URL: src, Year: y, Kind: result.KindAnnualReport})
	}
	return res
}

// benchStore fills a store with two scans of benchSites sites.
func benchStore(tb testing.TB, st *store.Store) (scan int64, site int64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	var sites []store.Site
	for i := range benchSites {
		level := result.LevelDepartment
		if i%5 == 0 {
			level = result.LevelGovernment
		}
		sites = append(sites, store.Site{URL: fmt.Sprintf("http://site%04d.example.invalid/", i), Name: fmt.Sprintf("某市第%d局", i),
			Level: level, Region: benchRegions[i%len(benchRegions)]})
	}
	list, err := st.SaveList(ctx, "province.csv", sites)
	if err != nil {
		tb.Fatal(err)
	}
	for n := range 2 {
		sc, err := st.CreateScan(ctx, list.ID, store.TriggerCommand, "bench", []byte(`{}`))
		if err != nil {
			tb.Fatal(err)
		}
		for _, s := range list.Sites {
			if _, err := st.Claim(ctx, sc.ID, s.ID, "bench", time.Hour); err != nil {
				tb.Fatal(err)
			}
			if _, err := st.SaveSite(ctx, sc.ID, s.ID, "bench", benchResult(rng, s.URL, s.Name, n), nil); err != nil {
				tb.Fatal(err)
			}
		}
		scan = sc.ID
	}
	return scan, list.Sites[benchSites/2].ID
}

// TestMain removes the benchmark's store, built once per run.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchOnce.dir != "" {
		os.RemoveAll(benchOnce.dir)
	}
	os.Exit(code)
}

var benchOnce struct {
	sync.Once
	dir  string
	scan int64
	site int64
}

// BenchmarkPages renders the overview (first page of 100 agencies, and
// filtered by region) and an agency page over a store of 2,000 sites × 7
// years (two scans), server-side through the handler, and in the same
// iterations the overview's store query alone as the baseline. It reports
// milliseconds per page and the ratios page/query and page/100 ms.
//
//	go test ./internal/web -run X -bench Pages -benchtime 50x
func BenchmarkPages(b *testing.B) {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ogicheck-bench-")
		if err != nil {
			b.Fatal(err)
		}
		st, err := store.Open(context.Background(), filepath.Join(dir, "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		began := time.Now()
		benchOnce.scan, benchOnce.site = benchStore(b, st)
		st.Close()
		benchOnce.dir = dir
		b.Logf("store of %d sites × %d years × 2 scans built in %v", benchSites, benchYears, time.Since(began).Round(time.Second))
	})
	st, err := store.Open(context.Background(), filepath.Join(benchOnce.dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchPages(b, st, benchOnce.scan, benchOnce.site)
}

// BenchmarkPagesPostgres is BenchmarkPages on PostgreSQL, when
// OGICHECK_TEST_POSTGRES names one.
func BenchmarkPagesPostgres(b *testing.B) {
	st, err := store.Open(context.Background(), storetest.Postgres(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	scan, site := benchStore(b, st)
	if _, err := st.DB().Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	benchPages(b, st, scan, site)
}

func benchPages(b *testing.B, st *store.Store, scan, site int64) {
	ctx := context.Background()
	h, err := HashPassword("correct horse")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.UserByName(ctx, "bench"); err != nil {
		if _, err := st.AddUser(ctx, store.User{Name: "bench", Role: store.RoleReviewer, PasswordHash: h}); err != nil {
			b.Fatal(err)
		}
	}
	app, err := New(st, Options{})
	if err != nil {
		b.Fatal(err)
	}
	u, err := st.UserByName(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	id, _ := app.sessions.create(*u)
	// Each page is timed twice: by the clock, and by the CPU time the
	// process spent (the build machine is shared, so the clock also
	// counts waiting for a core).
	get := func(path string) (wall, cpu time.Duration) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: id})
		w := httptest.NewRecorder()
		began, c0 := time.Now(), cpuTime()
		app.Handler().ServeHTTP(w, req)
		wall, cpu = time.Since(began), cpuTime()-c0
		if w.Code != http.StatusOK {
			b.Fatalf("%s: HTTP %d", path, w.Code)
		}
		return wall, cpu
	}
	pages := []string{
		fmt.Sprintf("/?scan=%d", scan),
		fmt.Sprintf("/?scan=%d&region=%s&review=open", scan, "%E8%8B%8F%E5%B7%9E%E5%B8%82"),
		fmt.Sprintf("/agency/%d?scan=%d", site, scan),
	}
	var spent, cpu [3]time.Duration
	var query, queryCPU time.Duration
	b.ResetTimer()
	for range b.N {
		for i, p := range pages {
			w, c := get(p)
			spent[i] += w
			cpu[i] += c
		}
		began, c0 := time.Now(), cpuTime()
		if _, err := st.Overview(ctx, scan, store.ScoreFilter{Limit: 100}); err != nil {
			b.Fatal(err)
		}
		query += time.Since(began)
		queryCPU += cpuTime() - c0
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(b.N) / 1e6 }
	for i, name := range []string{"overview", "overview-filtered", "agency"} {
		b.ReportMetric(ms(spent[i]), name+"-ms")
		b.ReportMetric(ms(cpu[i]), name+"-cpu-ms")
	}
	b.ReportMetric(ms(query), "query-ms")
	b.ReportMetric(ms(queryCPU), "query-cpu-ms")
	b.ReportMetric(float64(cpu[0])/float64(queryCPU), "overview/query-cpu")
	b.ReportMetric(ms(max(cpu[0], cpu[1], cpu[2]))/100, "slowest-cpu/100ms")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
