package crawler

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// jsCallRe matches a pager call in a link: javascript:next(2), goPage('3').
var jsCallRe = regexp.MustCompile(`^\s*(?:javascript:)?\s*(?:void\s*\(\s*0\s*\)\s*;?\s*)?([A-Za-z_$][\w$.]*)\s*\(\s*['"]?(\d{1,4})['"]?\s*(?:,[^)]*)?\)`)

// locationRe finds navigation in a function body.
var locationRe = regexp.MustCompile(`(?:(?:window|self|top|document|parent)\.)?location(?:\.href)?\s*=\s*([^;\n}]+)|location\.(?:assign|replace)\s*\(([^;\n]+)\)|window\.open\s*\(\s*([^,;)\n]+)`)

// funcDefsRe finds function definitions by name and first parameter:
// function f(n, …) { and f = function(n) {, f: function(n) {.
var funcDefsRe = regexp.MustCompile(`function\s+([\w$]+)\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{|([\w$]+)\s*[:=]\s*function\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{`)

// jsPager reads javascript: pager functions, next(2) or goPage('3'),
// whose definition in a page script builds the page's URL from its
// number.
type jsPager struct {
	pages map[string][]int // function → page numbers linked
}

// claim takes pager calls in onclick, then in javascript: hrefs. onclick
// comes first: href="javascript:void(0);" onclick="goPage(2)" is the common
// shape, and void(0) is not a pager call.
func (jp *jsPager) claim(l pagerLink) bool {
	if m := jsCallRe.FindStringSubmatch(l.onclick); m != nil && m[1] != "void" {
		n, _ := strconv.Atoi(m[2])
		jp.pages[m[1]] = append(jp.pages[m[1]], n)
		return true
	}
	if m := jsCallRe.FindStringSubmatch(l.href); m != nil && m[1] != "void" && l.javascript {
		n, _ := strconv.Atoi(m[2])
		jp.pages[m[1]] = append(jp.pages[m[1]], n)
		return true
	}
	return false
}

// expand adds, for each function with a URL template, pages 2 to the
// total or the highest linked, and any page linked.
func (jp *jsPager) expand(p *pager) {
	fnames := make([]string, 0, len(jp.pages))
	for fn := range jp.pages {
		fnames = append(fnames, fn)
	}
	sort.Strings(fnames)
	for _, fn := range fnames {
		tmpl, firstSpecial, ok := jsTemplate(p.scripts, fn)
		if !ok {
			continue
		}
		pages := map[int]bool{}
		last := p.total
		for _, n := range jp.pages[fn] {
			pages[n] = true
			last = max(last, n)
		}
		last = min(last, maxListPages)
		for n := 2; n <= last; n++ {
			pages[n] = true
		}
		if firstSpecial {
			delete(pages, 1)
			delete(pages, 0)
		}
		nums := make([]int, 0, len(pages))
		for n := range pages {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		for _, n := range nums {
			if s, ok := tmpl(n); ok {
				p.add(parseLink(p.base, s))
			}
		}
	}
}

// jsTemplate finds `function fn(n) { location.href = "list_" + n + ".html"; }`
// in scripts and returns it as a function of the page number. firstSpecial
// says the function sends one page (the first) elsewhere without using n.
func jsTemplate(scripts, fn string) (func(int) (string, bool), bool, bool) {
	name := fn[strings.LastIndexByte(fn, '.')+1:]
	param, open, ok := funcDef(scripts, name)
	if !ok {
		return nil, false, false
	}
	body := braceBody(scripts[open:])
	var expr string
	firstSpecial := false
	for _, m := range locationRe.FindAllStringSubmatch(body, 8) {
		e := strings.TrimSpace(m[1] + m[2] + m[3])
		if containsWord(e, param) {
			if expr == "" {
				expr = e
			}
		} else if _, ok := unquote(e); ok {
			firstSpecial = true
		}
	}
	if expr == "" {
		return nil, false, false
	}
	return func(n int) (string, bool) { return evalConcat(expr, param, n, scripts) }, firstSpecial, true
}

// funcDef finds the first definition of function name in scripts: its
// first parameter and the offset of the { opening its body.
func funcDef(scripts, name string) (param string, open int, ok bool) {
	if name == "" || !strings.Contains(scripts, name) {
		return "", 0, false
	}
	for off := 0; off < len(scripts); {
		m := funcDefsRe.FindStringSubmatchIndex(scripts[off:])
		if m == nil {
			break
		}
		def := scripts[off:]
		if sub(def, m, 1) == name {
			return sub(def, m, 2), off + m[1] - 1, true
		}
		if sub(def, m, 3) == name {
			return sub(def, m, 4), off + m[1] - 1, true
		}
		// on past the name only: an unclosed ( lets a match run over
		// the definitions that follow
		off += max(m[3], m[7])
	}
	return "", 0, false
}
