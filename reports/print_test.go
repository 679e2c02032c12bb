package reports

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestHTMLColumnsNeverCollapse lays the HTML report out in Chromium, for
// print on A4 (703 CSS pixels of text width) and on a phone (360 px), and
// fails when a findings table's header, severity or rule ID wraps onto a
// second line ("Severi/ty", "T3-/CO/L"). Each layout's screenshot is kept
// in the test's artefact directory.
func TestHTMLColumnsNeverCollapse(t *testing.T) {
	browser := ""
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(n); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		if os.Getenv("OGICHECK_REQUIRE_BROWSER") != "" {
			t.Fatal("no Chromium on PATH and OGICHECK_REQUIRE_BROWSER is set")
		}
		t.Skip("SKIPPED: no Chromium on PATH: the report's layout is not tested here; set OGICHECK_REQUIRE_BROWSER to make this a failure")
	}
	dir := t.TempDir()
	for _, lang := range []string{LangZh, LangEn} {
		page := filepath.Join(dir, "report_"+lang+".html")
		if err := os.WriteFile(page, []byte(write(t, fixture(), Options{Format: FormatHTML, Lang: lang})), 0o644); err != nil {
			t.Fatal(err)
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()))...)
		ctx, cancel := chromedp.NewContext(actx)
		ctx, tcancel := context.WithTimeout(ctx, time.Minute)
		for _, layout := range []struct {
			name  string
			width int64
			media string
		}{{"a4-print", 703, "print"}, {"phone", 360, "screen"}} {
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: layout.media}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(layout.width, 1000), chromedp.Navigate("file://"+page)); err != nil {
				t.Fatal(err)
			}
			// lines a cell's text takes, for each header, severity and rule
			broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
				const out = [];
				for (const el of document.querySelectorAll('table.findings th, table.findings td.nw .sev, table.findings td.nw code')) {
					const r = document.createRange(); r.selectNodeContents(el);
					const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
					if (lines.size > 1) out.push(el.textContent + ' (' + lines.size + ' lines)');
				}
				return out; })()`))
			if err != nil {
				t.Fatal(err)
			}
			var checked int
			if checked, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.findings th').length`)); err != nil || checked == 0 {
				t.Fatalf("%s/%s: no findings table laid out (%v)", lang, layout.name, err)
			}
			if len(broken) > 0 {
				t.Errorf("%s, %s: cells wrapped: %s", lang, layout.name, strings.Join(broken, "; "))
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			shot := filepath.Join(t.ArtifactDir(), "report-"+lang+"-"+layout.name+".png")
			if err := os.WriteFile(shot, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", shot)
		}
		tcancel()
		cancel()
		acancel()
	}
}
