package crawler

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"testing"

	"github.com/ogicheck/ogicheck/result"
)

// gzipBomb returns about size bytes of gzip that inflate to about 1000
// times as much: concatenated members, each 64 MiB of zeros.
func gzipBomb(t testing.TB, size int) []byte {
	t.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(member.Bytes(), max(1, size/member.Len()))
}

func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// Bodies that inflate past the size limit are refused as too large,
// within bounded memory, and the rest of the site is crawled.
func TestGzipBombs(t *testing.T) {
	pdf := readTestdata(t, "report_ucs2_cmap_no_tounicode.pdf")
	small, large := gzipBomb(t, 1<<20), gzipBomb(t, 4<<20)
	list := html5("政府信息公开年报", `<ul>`+
		li("/z/bomb1.pdf", "2024年政府信息公开工作年度报告（x-gzip 1 MiB）", "2025-01-10")+
		li("/z/bomb4.pdf", "2023年政府信息公开工作年度报告（x-gzip 4 MiB）", "2024-01-10")+
		li("/z/ctype.pdf", "2022年政府信息公开工作年度报告（Content-Type gzip）", "2023-01-10")+
		li("/z/page.html", "2021年政府信息公开工作年度报告（gzip page）", "2022-01-10")+
		li("/z/ok.pdf", "2020年政府信息公开工作年度报告（x-gzip report）", "2021-01-10")+`</ul>`)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/z/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(list))
		case "/z/bomb1.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Encoding", "x-gzip")
			w.Write(small)
		case "/z/bomb4.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Encoding", "x-gzip")
			w.Write(large)
		case "/z/ctype.pdf":
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(small)
		case "/z/page.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipOf([]byte(reportPage("2021年政府信息公开工作年度报告", "<p>一、总体情况</p>"))))
		case "/z/ok.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Encoding", "x-gzip")
			w.Write(gzipOf(pdf))
		default:
			http.NotFound(w, r)
		}
	})
	cfg, _ := testConfig()
	cfg.MaxBodySize = 8 << 20
	stop := peakHeap()
	s := crawlOne(t, cfg, cs.URL+"/z/")
	peak := stop()
	errs := errorsByURL(s)
	for _, p := range []string{"/z/bomb1.pdf", "/z/bomb4.pdf", "/z/ctype.pdf"} {
		if fe := errs[cs.URL+p]; fe.Class != result.FetchBodyTooLarge || fe.Attempts != 1 {
			t.Errorf("%s: error %+v, want body-too-large after 1 attempt", p, fe)
		}
	}
	if len(s.Errors) != 3 || len(s.Entries) != 5 {
		t.Fatalf("%d errors, %d entries; want the 3 bombs and 5 entries: %+v", len(s.Errors), len(s.Entries), s.Errors)
	}
	if p := s.Entries[3].Page; p == nil || !bytes.Contains(p.Body, []byte("总体情况")) {
		t.Errorf("gzip-encoded page = %+v, want it decoded", p)
	}
	if a := s.Entries[4].Attachments; len(a) != 1 || !bytes.Equal(a[0].Body, pdf) {
		t.Errorf("x-gzip report: %+v, want the PDF inflated", a)
	}
	t.Logf("peak heap %d MiB", peak>>20)
	if peak > 300<<20 {
		t.Errorf("peak heap %d MiB, want under 300 MiB", peak>>20)
	}
}
