package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	inputs "github.com/ogicheck/ogicheck/internal/hostile"
)

// FuzzWrite injects one string into every text field of a realistic result
// and renders it in one of the formats and languages: no panic, no error,
// HTML without a <script from the input, CSV without a cell a spreadsheet
// would evaluate, terminal boxes aligned and free of control characters,
// Markdown without raw HTML or broken tables, JSON valid.
func FuzzWrite(f *testing.F) {
	n := uint8(2 * len(Formats()))
	for i, s := range hostile {
		f.Add(s, uint8(i)%n)
	}
	for i, s := range []string{inputs.Bidi, inputs.HangTable, string(inputs.StrayByte())} {
		f.Add(s, uint8(i)%n)
	}
	for i := range n {
		f.Add("", i)
		f.Add("洪泽区2023年政府信息公开工作年度报告", i)
		f.Add("👩\u200d💻👍🏽❤\ufe0f🇨🇳e\u0301", i)
	}
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		// one format and language per run: ten times the executions of
		// rendering all of them, and the fuzzer mutates which as well
		format := Formats()[int(which)%len(Formats())]
		lang := []string{LangZh, LangEn}[int(which)/len(Formats())%2]
		var buf bytes.Buffer
		var err error
		inputs.Within(t, func(context.Context) {
			err = Write(&buf, inject(fixture(), s), Options{Format: format, Lang: lang, Color: true})
		})
		if err != nil {
			t.Fatalf("%s/%s: %v", format, lang, err)
		}
		out := buf.String()
		switch format {
		case FormatHTML:
			if strings.Contains(strings.ToLower(out), "<script") {
				t.Fatalf("html contains <script")
			}
		case FormatCSV:
			checkCSV(t, out)
		case FormatTable:
			checkTerminal(t, out, true)
		case FormatJSON:
			if !json.Valid(buf.Bytes()) {
				t.Fatalf("invalid json")
			}
		case FormatMarkdown:
			checkMarkdown(t, out)
		case FormatXLSX:
			for sheet, rows := range xlsxRows(t, buf.Bytes()) {
				for _, row := range rows {
					for _, c := range row {
						if !csvSafe(c) {
							t.Fatalf("xlsx sheet %q: cell could run as a formula: %q", sheet, c)
						}
					}
				}
			}
		}
	})
}
