package reports

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/ogicheck/ogicheck/result"
)

// writeJSON writes the "ogicheck/v1" contract: the result's own struct
// order (so fields never move), two-space indentation, Message in the
// chosen language, and every list the contract does not mark omitempty as
// [] rather than null. Strings are data here and are not cleaned: the
// encoder escapes control characters, and <, > and & as \u003c… so the
// output is also safe to embed in HTML.
func writeJSON(w *bytes.Buffer, v *view) error {
	res := *v.res
	res.Documents = make([]*result.Document, len(v.res.Documents))
	for i, d := range v.res.Documents {
		res.Documents[i] = jsonDocument(d)
	}
	if len(v.res.Sites) > 0 {
		res.Sites = make([]*result.Site, len(v.res.Sites))
		for i, s := range v.res.Sites {
			c := *s
			c.Reports = nonNil(c.Reports)
			c.Errors = nonNil(c.Errors)
			c.Findings = nonNil(c.Findings)
			res.Sites[i] = &c
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&res); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	return nil
}

// jsonDocument is a copy of d with its non-omitempty lists non-nil, down to
// the cells of each table row.
func jsonDocument(d *result.Document) *result.Document {
	c := *d
	c.Sections = nonNil(c.Sections)
	c.Findings = nonNil(c.Findings)
	c.Tables = make([]result.Table, len(d.Tables))
	for i, t := range d.Tables {
		t.Columns = nonNil(t.Columns)
		rows := make([]result.Row, len(t.Rows))
		for j, r := range t.Rows {
			r.Cells = nonNil(r.Cells)
			rows[j] = r
		}
		t.Rows = rows
		c.Tables[i] = t
	}
	return &c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
