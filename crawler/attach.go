package crawler

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// maxAttachments caps the files fetched per entry page.
const maxAttachments = 20

// downloadRe matches download endpoints of CMSs (downfile.jsp?…,
// /attach/…, TRS P0200… files).
var downloadRe = regexp.MustCompile(`(?i)(down(load)?(file)?|attach|fujian|/P0\d{10,}|getfile|file\.(jsp|aspx?|php|do))`)

// pageExts are extensions of web pages, which 「附件」 links do not have.
var pageExts = map[string]bool{"html": true, "htm": true, "shtml": true, "jhtml": true, "xhtml": true}

// attachmentLinks lists the report files linked from an entry page: by
// extension, by a link text ending in one (「报告.pdf」 on an
// extension-less download URL), by a file name in the query
// (downfile.jsp?filename=a.pdf), by 「附件」 texts on download URLs, and
// files embedded with iframe/embed/object (also through pdf.js viewers).
func attachmentLinks(doc *goquery.Document, base *url.URL, sc *scope) []link {
	var out []link
	seen := map[string]bool{}
	if base != nil {
		seen[urlKey(base)] = true
	}
	add := func(l link) {
		if l.u == nil || (sc != nil && !sc.contains(l.u)) || len(out) >= maxAttachments {
			return
		}
		if k := urlKey(l.u); !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	for _, l := range pageLinks(doc.Selection, base) {
		if isAttachment(l) {
			add(l)
		}
	}
	doc.Find("iframe[src], embed[src], object[data]").Each(func(_ int, s *goquery.Selection) {
		src := s.AttrOr("src", s.AttrOr("data", ""))
		u := parseLink(base, src)
		if u == nil {
			return
		}
		// pdf.js: /viewer.html?file=/a/report.pdf
		if f := u.Query().Get("file"); f != "" && !docExts[extOf(u)] {
			if fu := parseLink(u, f); fu != nil {
				u = fu
			}
		}
		if docExts[extOf(u)] {
			add(link{u: u, text: tidy(s.AttrOr("title", "")), sel: s})
		}
	})
	return out
}

func isAttachment(l link) bool {
	ext := extOf(l.u)
	if docExts[ext] || docExtOfText(l.text) != "" || docExtOfText(l.title) != "" {
		return true
	}
	for _, vs := range l.u.Query() {
		for _, v := range vs {
			if docExts[strings.ToLower(strings.TrimPrefix(path.Ext(v), "."))] {
				return true
			}
		}
	}
	t := squash(l.text)
	if strings.Contains(t, "附件") && !pageExts[ext] && !strings.HasSuffix(l.u.Path, "/") && (downloadRe.MatchString(l.u.String()) || (ext != "" && !isScriptExt(ext))) {
		return true
	}
	return false
}

func isScriptExt(ext string) bool {
	switch ext {
	case "jsp", "asp", "aspx", "php", "do", "action", "cgi":
		return true
	}
	return false
}
