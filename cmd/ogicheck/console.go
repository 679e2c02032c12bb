package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/ogicheck/ogicheck/crawler"
	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/result"
)

// console is standard error: log lines, and on a terminal a live progress
// line kept below them.
type console struct {
	mu   sync.Mutex
	w    io.Writer
	tty  bool
	line string // the progress line on screen, "" when none
}

func newConsole(w io.Writer) *console {
	c := &console{w: w}
	if f, ok := w.(*os.File); ok {
		c.tty = isatty.IsTerminal(f.Fd())
	}
	return c
}

// Write writes log output above the progress line.
func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.line != "" {
		fmt.Fprint(c.w, "\r\033[K")
	}
	n, err := c.w.Write(p)
	if c.line != "" {
		fmt.Fprint(c.w, c.line)
	}
	return n, err
}

// show replaces the progress line; "" removes it.
func (c *console) show(line string) {
	if !c.tty {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprint(c.w, "\r\033[K"+line)
	c.line = line
}

// logger is the run's slog logger: text on a terminal, JSON lines
// otherwise (or as --log-format says), debug records with -v. Strings may
// come from the web: they are cleaned as the reports clean them, so that a
// log line cannot move the cursor or hide or reorder what a reader sees.
func (c *console) logger(cm *common) *slog.Logger {
	level := slog.LevelInfo
	if cm.verbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Value.Kind() == slog.KindString {
			a.Value = slog.StringValue(reports.Clean(a.Value.String()))
		}
		return a
	}}
	format := cm.logFormat
	if format == "" {
		format = "json"
		if c.tty {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(c, opts))
	}
	return slog.New(slog.NewJSONHandler(c, opts))
}

// progress counts a crawl's work for the progress line: pages and
// failures as they happen, sites and documents as sites are checked.
type progress struct {
	began            time.Time
	total            int
	crawl            crawler.Counters
	sites, documents atomic.Int64
}

// add counts a checked site's result.
func (p *progress) add(r *result.Result) {
	p.sites.Add(int64(len(r.Sites)))
	p.documents.Add(int64(len(r.Documents)))
}

func (p *progress) line(lang string) string {
	el := time.Since(p.began).Round(time.Second)
	if lang == "zh" {
		return fmt.Sprintf("站点 %d/%d · 页面 %d · 文件 %d · 失败 %d · 用时 %v",
			p.sites.Load(), p.total, p.crawl.Pages.Load(), p.documents.Load(), p.crawl.Failures.Load(), el)
	}
	return fmt.Sprintf("sites %d/%d · pages %d · documents %d · failures %d · %v elapsed",
		p.sites.Load(), p.total, p.crawl.Pages.Load(), p.documents.Load(), p.crawl.Failures.Load(), el)
}

// run shows the progress line until ctx ends, then removes it.
func (p *progress) run(ctx context.Context, c *console, lang string) {
	if !c.tty {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		c.show(p.line(lang))
		select {
		case <-ctx.Done():
			c.show("")
			return
		case <-t.C:
		}
	}
}
