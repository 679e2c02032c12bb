package simnet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// docx writes a minimal WordprocessingML document: a title, the body
// paragraphs and tables with real gridSpan/vMerge spans, as Word and WPS
// save them. Only the standard library is needed.
func docx(title string, bs []block, modified time.Time) ([]byte, error) {
	var body strings.Builder
	para(&body, title, true, "center")
	for _, b := range bs {
		switch b.kind {
		case bPara:
			para(&body, b.text, false, "")
		case bHeading:
			para(&body, b.text, true, "")
		case bSign:
			para(&body, b.text, false, "right")
		case bTable:
			docxTable(&body, b.g)
		}
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		body.String() +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1274" w:bottom="1440" w:left="1274" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>` +
		`</w:body></w:document>`
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
			`</Relationships>`},
		{"word/document.xml", doc},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		// a fixed time keeps the bytes deterministic
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: modified.UTC()})
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.name, err)
		}
		if _, err := w.Write([]byte(f.data)); err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return buf.Bytes(), nil
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// runs writes text as runs, with <w:br/> for line breaks.
func runs(sb *strings.Builder, text string, bold bool) {
	rpr := `<w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体"/><w:sz w:val="24"/></w:rPr>`
	if bold {
		rpr = `<w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="黑体"/><w:b/><w:sz w:val="24"/></w:rPr>`
	}
	for i, line := range strings.Split(text, "\n") {
		sb.WriteString("<w:r>" + rpr)
		if i > 0 {
			sb.WriteString("<w:br/>")
		}
		sb.WriteString(`<w:t xml:space="preserve">` + xmlText(line) + "</w:t></w:r>")
	}
}

func para(sb *strings.Builder, text string, bold bool, align string) {
	sb.WriteString("<w:p>")
	switch align {
	case "":
		sb.WriteString(`<w:pPr><w:ind w:firstLine="480"/></w:pPr>`)
	default:
		sb.WriteString(`<w:pPr><w:jc w:val="` + align + `"/></w:pPr>`)
	}
	runs(sb, text, bold)
	sb.WriteString("</w:p>")
}

// docxTable writes a grid: colspans become gridSpan, rowspans a vMerge
// "restart" cell followed by empty vMerge continuation cells below.
func docxTable(sb *strings.Builder, g *grid) {
	w := g.width()
	cells, cont := g.layout()
	sb.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		sb.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	sb.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for range w {
		fmt.Fprintf(sb, `<w:gridCol w:w="%d"/>`, 9000/w)
	}
	sb.WriteString(`</w:tblGrid>`)
	for r := range g.rows {
		sb.WriteString("<w:tr>")
		i := 0
		for c := 0; c < w; {
			if o, ok := cont[[2]int{r, c}]; ok {
				if o.r == r { // covered by a colspan of this row: already written
					c++
					continue
				}
				// below a rowspan origin: a continuation cell as wide as it
				if o.c == c {
					sb.WriteString(`<w:tc><w:tcPr>`)
					if span(o.cs) > 1 {
						fmt.Fprintf(sb, `<w:gridSpan w:val="%d"/>`, span(o.cs))
					}
					sb.WriteString(`<w:vMerge/></w:tcPr><w:p/></w:tc>`)
				}
				c++
				continue
			}
			p := cells[r][i]
			i++
			sb.WriteString(`<w:tc><w:tcPr>`)
			if span(p.cs) > 1 {
				fmt.Fprintf(sb, `<w:gridSpan w:val="%d"/>`, span(p.cs))
			}
			if span(p.rs) > 1 {
				sb.WriteString(`<w:vMerge w:val="restart"/>`)
			}
			sb.WriteString(`<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:jc w:val="center"/></w:pPr>`)
			runs(sb, p.text, false)
			sb.WriteString(`</w:p></w:tc>`)
			c += span(p.cs)
		}
		sb.WriteString("</w:tr>")
	}
	sb.WriteString("</w:tbl>")
}
