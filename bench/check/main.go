// Command check measures what checking HTML reports costs against merely
// parsing the same pages with goquery, in one run, and prints both ratios:
// CPU instructions (counted by valgrind's callgrind, which repeats to about
// 1% on a busy machine) and wall time.
//
//	go run ./bench/check [-rounds 7] [-chrome 60] [dir or files...]
//
// With -chrome N the corpus is N pages: the corpus pages in turn, each
// wrapped in the navigation chrome of a real government site (about 100 KB
// a page, as real report pages are). For the instruction count the command
// runs itself under callgrind three times, with -mode check, -mode parse
// and -mode load (reading and building the corpus only, which the other two
// also do), and divides the work: (check − load) / (parse − load).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/scan"
)

func main() {
	rounds := flag.Int("rounds", 3, "alternating wall-time rounds")
	chrome := flag.Int("chrome", 0, "build a corpus of `N` pages wrapped in a real site's navigation chrome")
	mode := flag.String("mode", "", "run once and exit: check, parse or load (used under callgrind)")
	noCallgrind := flag.Bool("no-callgrind", false, "skip the instruction count")
	dump := flag.String("write", "", "write the corpus's pages to `dir` and exit")
	cpuprofile := flag.String("cpuprofile", "", "with -mode check, write a CPU profile of 20 checks of the corpus to `file`")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		args = []string{"testdata/corpus", "testdata/roundtrip/report.html", "testdata/roundtrip/report_gbk.html"}
	}
	files, pages, err := corpus(args, *chrome)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/check:", err)
		os.Exit(2)
	}
	if *dump != "" {
		for i, p := range pages {
			name := filepath.Join(*dump, fmt.Sprintf("%02d-%s", i, filepath.Base(files[i])))
			if err := os.WriteFile(name, p, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "bench/check:", err)
				os.Exit(1)
			}
		}
		return
	}
	switch *mode {
	case "":
	case "check":
		if *cpuprofile != "" {
			if err := profile(*cpuprofile, func() {
				for range 200 {
					check(files, pages)
				}
			}); err != nil {
				fmt.Fprintln(os.Stderr, "bench/check:", err)
				os.Exit(1)
			}
			return
		}
		check(files, pages)
		return
	case "parse":
		if err := parse(pages); err != nil {
			fmt.Fprintln(os.Stderr, "bench/check:", err)
			os.Exit(1)
		}
		return
	case "load":
		return
	default:
		fmt.Fprintf(os.Stderr, "bench/check: -mode %q: want check, parse or load\n", *mode)
		os.Exit(2)
	}

	total := 0
	for _, p := range pages {
		total += len(p)
	}
	fmt.Printf("corpus: %d HTML reports, %d KiB", len(pages), total/1024)
	if *chrome > 0 {
		fmt.Printf(" (with site chrome)")
	}
	fmt.Println()

	if !*noCallgrind {
		if err := instructions(); err != nil {
			fmt.Fprintln(os.Stderr, "bench/check: instruction count:", err)
		}
	}

	var best [2]time.Duration
	for r := 0; r < *rounds; r++ {
		for k, f := range []func(*testing.B){
			func(b *testing.B) {
				for b.Loop() {
					check(files, pages)
				}
			},
			func(b *testing.B) {
				for b.Loop() {
					if err := parse(pages); err != nil {
						b.Fatal(err)
					}
				}
			},
		} {
			d := time.Duration(testing.Benchmark(f).NsPerOp())
			if best[k] == 0 || d < best[k] {
				best[k] = d
			}
		}
	}
	fmt.Printf("wall time, best of %d alternating rounds:\n", *rounds)
	fmt.Printf("  %-36s %12s %12s\n", "", "per corpus", "per report")
	fmt.Printf("  %-36s %12s %12s\n", "ogicheck check (read+analyse+rules)", best[0].Round(time.Microsecond), (best[0] / time.Duration(len(pages))).Round(time.Microsecond))
	fmt.Printf("  %-36s %12s %12s\n", "goquery parse only (baseline)", best[1].Round(time.Microsecond), (best[1] / time.Duration(len(pages))).Round(time.Microsecond))
	fmt.Printf("  wall ratio check/parse: %.2f\n", float64(best[0])/float64(best[1]))
}

// corpus reads the pages; with chrome > 0 it makes that many pages of
// them, each in a real site's chrome.
func corpus(args []string, chrome int) ([]string, [][]byte, error) {
	var files []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, nil, err
		}
		if fi.IsDir() {
			m, _ := filepath.Glob(filepath.Join(a, "*.html"))
			files = append(files, m...)
		} else {
			files = append(files, a)
		}
	}
	var pages [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		pages = append(pages, b)
	}
	if len(pages) == 0 {
		return nil, nil, errors.New("no .html files")
	}
	if chrome <= 0 {
		return files, pages, nil
	}
	var cf []string
	var cp [][]byte
	for i := range chrome {
		cf = append(cf, files[i%len(files)])
		cp = append(cp, withChrome(pages[i%len(pages)], uint64(i)))
	}
	return cf, cp, nil
}

var opts = func() scan.Options {
	var o scan.Options
	o.Now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	return o
}()

// check reads, analyses and checks every page with all rules.
func check(files []string, pages [][]byte) {
	var reports []*annual.Report
	for j, p := range pages {
		reports = append(reports, scan.Analyze(context.Background(), document.Input{Source: files[j], Data: p}, opts, annual.Hints{}))
	}
	scan.Assemble(opts, reports, nil)
}

// parse is the baseline: goquery parsing the same pages.
func parse(pages [][]byte) error {
	for _, p := range pages {
		if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p)); err != nil {
			return err
		}
	}
	return nil
}

func profile(path string, f func()) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return err
	}
	f()
	pprof.StopCPUProfile()
	return out.Close()
}

var collected = regexp.MustCompile(`Collected\s*:\s*(\d+)`)

// instructions runs this command under callgrind in each mode and prints
// the instruction counts and the ratio of the work.
func instructions() error {
	if _, err := exec.LookPath("valgrind"); err != nil {
		return errors.New("valgrind not found (apt-get install valgrind), or pass -no-callgrind")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var n [3]float64
	for i, mode := range []string{"load", "parse", "check"} {
		args := append([]string{"--tool=callgrind", "--callgrind-out-file=/dev/null", self, "-mode", mode}, os.Args[1:]...)
		cmd := exec.Command("valgrind", args...)
		cmd.Env = append(os.Environ(), "GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1")
		out, err := cmd.CombinedOutput()
		m := collected.FindSubmatch(out)
		if err != nil || m == nil {
			return fmt.Errorf("valgrind -mode %s: %v\n%s", mode, err, out)
		}
		n[i], _ = strconv.ParseFloat(string(m[1]), 64)
	}
	fmt.Println("CPU instructions (callgrind, GOMAXPROCS=1):")
	fmt.Printf("  %-36s %16.0f\n", "load only (corpus, runtime start)", n[0])
	fmt.Printf("  %-36s %16.0f  (+%.0f)\n", "goquery parse", n[1], n[1]-n[0])
	fmt.Printf("  %-36s %16.0f  (+%.0f)\n", "ogicheck check", n[2], n[2]-n[0])
	fmt.Printf("  instruction ratio check/parse: %.2f (goal ≤ 2.0)\n", (n[2]-n[0])/(n[1]-n[0]))
	return nil
}
