package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/scan"
	"github.com/ogicheck/ogicheck/result"
)

// TestForms checks the forms real reports arrive in as text (testdata/forms,
// made from the round-trip report and the real 淮安市 report; see its
// README) with every rule: each form must give exactly the findings listed,
// which for the round-trip report are the two planted T3-COL failures its
// HTML gives, plus a note where a table cannot be read without guessing.
func TestForms(t *testing.T) {
	planted := []string{"T3-COL column=商业企业", "T3-COL column=总计"}
	tests := []struct {
		file      string
		kind      result.Kind
		published string
		sections  int
		tables    string // the tables present
		want      []string
	}{
		{"cells_per_line.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四", planted},
		{"cells_per_line_crlf_split.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四",
			append([]string{"TBL-UNREADABLE table=二 row=行政许可 severity=info"}, planted...)},
		{"blank_cells_dropped.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四",
			append([]string{"TBL-UNREADABLE table=三 actual=21 severity=info"}, planted...)},
		{"blank_cells_kept.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四",
			append([]string{"CELL-BLANK table=三 severity=info"}, planted...)},
		{"one_line.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四",
			[]string{"TBL-UNREADABLE table=二、三、四 severity=info message=全文没有换行"}},
		{"markdown_ocr.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四", planted},
		{"pdf_layout_text.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四", planted},
		{"metadata_table.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四", planted},
		{"headings_numbered_variants.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四", planted},
		{"headings_unnumbered_variants.txt", result.KindAnnualReport, "2024-01-29", 6, "二三四", planted},
		{"huaian_pdftotext.txt", result.KindAnnualReport, "", 6, "二三四", []string{"PUB-UNKNOWN severity=info"}},
		{"template_format_notice.txt", result.KindOther, "", 6, "", []string{"DOC-KIND severity=info"}},
		{"template_in_a_notice.txt", result.KindOther, "", 6, "", []string{"DOC-KIND severity=info"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "forms", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var opts scan.Options
			opts.Now = now
			r := scan.Analyze(context.Background(), document.Input{Source: path, Data: data}, opts, annual.Hints{})
			d := scan.Assemble(opts, []*annual.Report{r}, nil).Documents[0]
			if d.Kind != tt.kind {
				t.Errorf("kind %s (%s), want %s", d.Kind, d.KindReason, tt.kind)
			}
			if got := deref(d.Published); got != tt.published {
				t.Errorf("published %q, want %q", got, tt.published)
			}
			if len(d.Sections) != tt.sections {
				t.Errorf("%d sections, want %d: %v", len(d.Sections), tt.sections, d.Sections)
			}
			var tables strings.Builder
			if d.Kind == result.KindAnnualReport {
				for _, tb := range d.Tables {
					tables.WriteString(tb.ID)
				}
			}
			if tables.String() != tt.tables {
				t.Errorf("tables %q, want %q", tables.String(), tt.tables)
			}
			fx := &fixture{name: tt.file}
			for _, w := range tt.want {
				id, rest, _ := strings.Cut(w, " ")
				fx.wants = append(fx.wants, &want{rule: id, keys: parseKV(rest), file: tt.file})
			}
			check(t, fx, d.Findings)
		})
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
