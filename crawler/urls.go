package crawler

import (
	"net"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Trap limits: no real 年报 column needs longer URLs or deeper paths.
const (
	maxURLLen        = 2048
	maxPathSegments  = 16
	maxSegmentRepeat = 3 // a path segment seen this often is a loop (/a/b/a/b/a/)
	maxQueryParams   = 12
)

// sessionParams are query parameters that carry a session id: dropped from
// requests and keys so one page is not fetched once per session.
var sessionParams = map[string]bool{
	"jsessionid": true, "phpsessid": true, "aspsessionid": true, "sessionid": true,
	"session_id": true, "cfid": true, "cftoken": true, "_session": true,
}

// pathSessionRe matches ;jsessionid=… (and ;phpsessid=…) path parameters.
var pathSessionRe = regexp.MustCompile(`(?i);(jsessionid|phpsessid|sessionid)=[^/?#]*`)

// indexNames are directory index files: /a/ and /a/index.html are one page.
var indexNames = map[string]bool{
	"index.html": true, "index.htm": true, "index.shtml": true, "index.jhtml": true,
	"default.html": true, "default.htm": true, "index.jsp": true, "index.php": true,
	"default.aspx": true, "default.asp": true,
}

// parseLink resolves ref against base and cleans it for requesting: only
// http(s), no fragment, no session ids, no default port. It returns nil for
// anything that cannot be fetched (javascript:, mailto:, data:, bad URLs).
func parseLink(base *url.URL, ref string) *url.URL {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return nil
	}
	// Backslashes and stray whitespace inside hrefs are common; browsers
	// treat \ as / in http URLs.
	ref = strings.ReplaceAll(ref, `\`, "/")
	ref = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, ref)
	u, err := url.Parse(ref)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return cleanURL(u)
}

// cleanURL returns a copy of u ready for requesting, or nil when its scheme
// is not http(s) or it has no host.
func cleanURL(u *url.URL) *url.URL {
	if u == nil {
		return nil
	}
	c := *u
	c.Scheme = strings.ToLower(c.Scheme)
	if c.Scheme != "http" && c.Scheme != "https" {
		return nil
	}
	if c.Host == "" || c.Opaque != "" {
		return nil
	}
	c.User = nil
	c.Fragment, c.RawFragment = "", ""
	c.Host = strings.ToLower(c.Host)
	if p := c.Port(); (p == "80" && c.Scheme == "http") || (p == "443" && c.Scheme == "https") {
		c.Host = strings.TrimSuffix(c.Host, ":"+p)
	}
	if c.Path == "" {
		c.Path = "/"
		c.RawPath = ""
	}
	if pathSessionRe.MatchString(c.Path) {
		c.Path = pathSessionRe.ReplaceAllString(c.Path, "")
		c.RawPath = ""
	}
	if c.RawQuery != "" {
		q := c.Query()
		changed := false
		for k := range q {
			if sessionParams[strings.ToLower(k)] {
				delete(q, k)
				changed = true
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	c.ForceQuery = false
	return &c
}

// urlKey is the identity of a URL for de-duplication and the cache: the
// clean URL with sorted query parameters and directory index files
// dropped.
func urlKey(u *url.URL) string {
	c := *u
	dir, file := path.Split(c.Path)
	if indexNames[strings.ToLower(file)] {
		c.Path = dir
		c.RawPath = ""
	}
	if c.RawQuery != "" {
		q := c.Query()
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var sb strings.Builder
		for _, k := range keys {
			vs := q[k]
			sort.Strings(vs)
			for _, v := range vs {
				if sb.Len() > 0 {
					sb.WriteByte('&')
				}
				sb.WriteString(url.QueryEscape(k))
				sb.WriteByte('=')
				sb.WriteString(url.QueryEscape(v))
			}
		}
		c.RawQuery = sb.String()
	}
	return c.String()
}

// scope says which URLs belong to one site: the same registrable domain
// (www.x.gov.cn and xxgk.x.gov.cn), or for IP addresses and single-label
// hosts the same host and port.
type scope struct {
	hosts  map[string]bool // exact host:port values always in scope
	domain string          // registrable domain, "" for IP hosts
}

func newScope(u *url.URL) *scope {
	s := &scope{hosts: map[string]bool{}}
	s.add(u)
	return s
}

func (s *scope) add(u *url.URL) {
	s.hosts[u.Host] = true
	if s.domain == "" {
		s.domain = registrable(u.Hostname())
	}
}

// moveTo follows a start URL that redirected to another domain: the site
// is where it lives now (the old host stays in scope).
func (s *scope) moveTo(u *url.URL) {
	s.hosts[u.Host] = true
	if d := registrable(u.Hostname()); d != "" {
		s.domain = d
	}
}

func registrable(host string) string {
	if host == "" || net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(strings.TrimSuffix(host, "."))
	if err != nil {
		return ""
	}
	return d
}

func (s *scope) contains(u *url.URL) bool {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if s.hosts[u.Host] {
		return true
	}
	if s.domain == "" {
		return false
	}
	h := u.Hostname()
	if net.ParseIP(h) != nil {
		return false
	}
	return registrable(h) == s.domain
}

// calendarKeys are query keys of calendar widgets and date archives, whose
// next/previous links never end.
var calendarKeys = regexp.MustCompile(`(?i)^(date|day|month|yearmonth|ym|cal|calendar|week|riqi)$`)

// trap reports why following u could loop forever, or "" when it looks
// safe. It is applied to links that are followed to find more links
// (discovery and list pages), not to leaf documents.
func trap(u *url.URL) string {
	s := u.String()
	if len(s) > maxURLLen {
		return "url too long"
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) > maxPathSegments {
		return "path too deep"
	}
	count := map[string]int{}
	for _, seg := range segs {
		if seg == "" {
			continue
		}
		count[seg]++
		if count[seg] >= maxSegmentRepeat {
			return "repeated path segment " + seg
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		n := 0
		for k, vs := range q {
			n += len(vs)
			if len(vs) > 2 {
				return "repeated query parameter " + k
			}
			if calendarKeys.MatchString(k) {
				return "calendar parameter " + k
			}
		}
		if n > maxQueryParams {
			return "too many query parameters"
		}
	}
	return ""
}

// docExts are the extensions of report files. et is WPS's spreadsheet.
var docExts = map[string]bool{
	"pdf": true, "doc": true, "docx": true, "wps": true, "xls": true, "xlsx": true,
	"ofd": true, "et": true, "zip": true, "rar": true,
}

// extOf returns the lower-case extension of the last path segment of u,
// without the dot.
func extOf(u *url.URL) string {
	e := path.Ext(u.Path)
	if e == "" {
		return ""
	}
	return strings.ToLower(e[1:])
}

// docExtOfText returns the document extension a link text ends with
// (「…年度报告.pdf」), or "".
func docExtOfText(text string) string {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.TrimRight(t, ")）]】 ")
	i := strings.LastIndexByte(t, '.')
	if i < 0 || i == len(t)-1 {
		return ""
	}
	e := t[i+1:]
	if docExts[e] {
		return e
	}
	return ""
}

// dirOf is the directory part of u's path, ending in /.
func dirOf(u *url.URL) string {
	d, _ := path.Split(u.Path)
	if d == "" {
		return "/"
	}
	return d
}
