package crawler

import (
	"bytes"
	"fmt"
	"mime"
	"net/url"
	"strings"
)

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt
}

func mediaIsHTML(ct string) bool {
	mt := mediaType(ct)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

func mediaIsText(ct string) bool {
	return strings.HasPrefix(mediaType(ct), "text/")
}

// mediaIsDocument says whether a Content-Type names a report file format.
func mediaIsDocument(ct string) bool {
	mt := mediaType(ct)
	switch {
	case mt == "application/pdf", mt == "application/msword", mt == "application/vnd.ms-excel",
		mt == "application/ofd", mt == "application/zip", mt == "application/x-zip-compressed",
		mt == "application/kswps", mt == "application/wps-office.wps", mt == "application/vnd.ms-works",
		mt == "application/x-rar-compressed", mt == "application/vnd.rar", mt == "application/octet-stream",
		mt == "application/x-download", mt == "application/force-download",
		strings.HasPrefix(mt, "application/vnd.openxmlformats-officedocument."):
		return true
	}
	return false
}

// sniffDocument recognises report files by their first bytes.
func sniffDocument(b []byte) bool {
	return bytes.HasPrefix(b, []byte("%PDF")) ||
		bytes.HasPrefix(b, []byte("PK\x03\x04")) ||
		bytes.HasPrefix(b, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) ||
		bytes.HasPrefix(b, []byte("{\\rtf")) ||
		bytes.HasPrefix(b, []byte("Rar!"))
}

var htmlStarts = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"), []byte("<meta"),
	[]byte("<title"), []byte("<script"), []byte("<!--"), []byte("<div"), []byte("<p>"), []byte("<table"),
	[]byte("<br"), []byte("<h1"), []byte("<style"), []byte("<link"),
}

// sniffHTML says whether a body starts like an HTML page.
func sniffHTML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n\f")
	head := bytes.ToLower(b[:min(len(b), 32)])
	for _, p := range htmlStarts {
		if bytes.HasPrefix(head, p) {
			return true
		}
	}
	return false
}

// officeHTML marks HTML saved by Word/Excel/WPS as .doc/.xls: a real
// report in an HTML body, common on government sites.
var officeHTML = [][]byte{
	[]byte("urn:schemas-microsoft-com:office"), []byte("Word.Document"), []byte("Excel.Sheet"),
}

// badDocument says why a body cannot be the report file its link promised
// (an error page, an empty answer), or "".
func badDocument(b []byte, u *url.URL, linkText string) string {
	kind := extOf(u)
	if !docExts[kind] {
		kind = docExtOfText(linkText)
	}
	if kind == "" {
		kind = "document"
	}
	if len(b) < minDocBytes {
		return fmt.Sprintf("%s link %s answered with %d bytes, too small for a %s file", kind, u, len(b), kind)
	}
	if !sniffDocument(b) && sniffHTML(b) {
		head := b[:min(len(b), 8192)]
		for _, m := range officeHTML {
			if bytes.Contains(head, m) {
				return ""
			}
		}
		return fmt.Sprintf("%s link %s answered with an HTML page", kind, u)
	}
	return ""
}
