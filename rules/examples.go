package rules

import (
	"embed"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// The rule fixtures double as the examples 'ogicheck rules explain' shows,
// so an example can never drift from what the rule does: the tests run
// them.
//
//go:embed testdata
var fixtures embed.FS

// Example is a fixture shown as an example of a rule.
type Example struct {
	Name    string   // fixture name, e.g. fail_row_removed.txt
	Wants   []string // the findings it states, "RULE key=value …"
	Excerpt string   // the part of the document that matters
}

var (
	wantLine     = regexp.MustCompile(`^#want\s+(.*)$|<!--\s*want:\s*(.*?)\s*-->`)
	excerptKeyRe = regexp.MustCompile(`(?:row|column|expected)=([^ ]+)`)
)

// Examples returns the failing and passing fixtures of a rule.
func Examples(id string) (fail, pass []Example) {
	dir := path.Join("testdata", id)
	ents, err := fs.ReadDir(fixtures, dir)
	if err != nil {
		return nil, nil
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	for _, e := range ents {
		name := e.Name()
		if strings.HasSuffix(name, ".want") {
			continue
		}
		ex := example(path.Join(dir, name), e.IsDir())
		switch {
		case strings.HasPrefix(name, "fail"):
			fail = append(fail, ex)
		case strings.HasPrefix(name, "pass"):
			pass = append(pass, ex)
		}
	}
	return fail, pass
}

func example(p string, isDir bool) Example {
	ex := Example{Name: path.Base(p)}
	files := []string{p}
	if isDir {
		ents, _ := fs.ReadDir(fixtures, p)
		files = nil
		for _, e := range ents {
			files = append(files, path.Join(p, e.Name()))
		}
	}
	var parts []string
	for _, f := range files {
		data, err := fs.ReadFile(fixtures, f)
		if err != nil {
			continue
		}
		if side, err := fs.ReadFile(fixtures, f+".want"); err == nil {
			data = append(side, data...)
		}
		if !utf8.Valid(data) {
			parts = append(parts, "("+path.Base(f)+": binary file)")
			continue
		}
		var body []string
		for _, line := range strings.Split(string(data), "\n") {
			if m := wantLine.FindStringSubmatch(line); m != nil {
				ex.Wants = append(ex.Wants, strings.TrimSpace(m[1]+m[2]))
				continue
			}
			if strings.HasPrefix(line, "#option") || strings.HasPrefix(line, "<!-- option") {
				continue
			}
			body = append(body, line)
		}
		x := excerpt(body, ex.Wants)
		if isDir {
			x = "== " + path.Base(f) + "\n" + x
		}
		parts = append(parts, x)
	}
	ex.Excerpt = strings.Join(parts, "\n")
	return ex
}

// excerpt shows the lines a finding points at (its row, column or
// section), with a little context; else the document's opening.
func excerpt(lines []string, wants []string) string {
	var keys []string
	for _, w := range wants {
		for _, kv := range excerptKeyRe.FindAllStringSubmatch(w, -1) {
			k := kv[1]
			if i := strings.LastIndex(k, "/"); i >= 0 {
				k = k[i+1:]
			}
			keys = append(keys, strings.TrimLeft(k, "≤"))
		}
	}
	for _, k := range keys {
		for i, l := range lines {
			if k != "" && strings.Contains(l, k) {
				lo, hi := max(0, i-3), min(len(lines), i+4)
				return "…\n" + strings.Join(lines[lo:hi], "\n") + "\n…"
			}
		}
	}
	n := min(len(lines), 12)
	out := strings.Join(lines[:n], "\n")
	if n < len(lines) {
		out += "\n…"
	}
	return out
}
