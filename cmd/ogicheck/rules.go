package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/ogicheck/ogicheck/reports"
	"github.com/ogicheck/ogicheck/rules"
)

func runRules(_ context.Context, args []string, stdout, stderr io.Writer) error {
	cm := newCommand("rules", "rules [--lang zh|en] | rules explain RULE-ID", "Lists the rules, or explains one: its doc, legal basis, spec section and examples.", stderr)
	pos, err := cm.parse(args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return catalog(stdout, cm.lang)
	case pos[0] == "explain" && len(pos) == 2:
		r := rules.Lookup(pos[1])
		if r == nil {
			var all []string
			for _, r := range rules.All() {
				all = append(all, r.ID)
			}
			if s := suggest(strings.ToUpper(pos[1]), all); s != "" {
				return usagef("ogicheck rules explain: unknown rule %q: did you mean %s?", pos[1], s)
			}
			return usagef("ogicheck rules explain: unknown rule %q (see 'ogicheck rules')", pos[1])
		}
		explain(stdout, r, cm.lang)
		return nil
	}
	return usagef("Usage: ogicheck rules [--lang zh|en] | ogicheck rules explain RULE-ID")
}

func catalog(w io.Writer, lang string) error {
	head := []any{"ID", "严重程度", "范围", "类别", "标题"}
	if lang == "en" {
		head = []any{"ID", "Severity", "Scope", "Category", "Title"}
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	t.Header(head...)
	for _, r := range rules.All() {
		if err := t.Append(r.ID, reports.SeverityName(r.Severity, lang), r.Scope.Text().In(lang), reports.CategoryName(r.Category, lang), r.Title.In(lang)); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if lang == "en" {
		fmt.Fprintf(w, "%d rules. 'ogicheck rules explain ID' explains one.\n", len(rules.All()))
	} else {
		fmt.Fprintf(w, "共%d条规则。用 'ogicheck rules explain ID' 查看说明。\n", len(rules.All()))
	}
	return nil
}

func explain(w io.Writer, r *rules.Rule, lang string) {
	label := func(zh, en string) string {
		if lang == "en" {
			return en
		}
		return zh
	}
	fmt.Fprintf(w, "%s  %s\n\n", r.ID, r.Title.In(lang))
	fmt.Fprintf(w, "%s: %s   %s: %s (%s)   %s: %s   %s: %s\n\n",
		label("严重程度", "Severity"), reports.SeverityName(r.Severity, lang), label("类别", "Category"), reports.CategoryName(r.Category, lang), r.Category,
		label("范围", "Scope"), r.Scope.Text().In(lang), label("规范章节", "Spec"), r.Spec)
	fmt.Fprintln(w, wrap(r.Doc.In(lang), 100))
	fail, pass := rules.Examples(r.ID)
	show := func(title string, exs []rules.Example) {
		if len(exs) == 0 {
			return
		}
		ex := exs[0]
		fmt.Fprintf(w, "\n%s (%s)\n", title, ex.Name)
		for _, want := range ex.Wants {
			fmt.Fprintf(w, "  => %s\n", want)
		}
		for _, l := range strings.Split(ex.Excerpt, "\n") {
			fmt.Fprintf(w, "  | %s\n", l)
		}
	}
	show(label("不合规示例", "Failing example"), fail)
	show(label("合规示例", "Passing example"), pass)
}

// wrap breaks long text at about n display columns, CJK counted double.
func wrap(s string, n int) string {
	var sb strings.Builder
	col := 0
	for _, r := range s {
		wd := 1
		if r >= 0x2E80 {
			wd = 2
		}
		if col+wd > n && (r == ' ' || wd == 2) {
			sb.WriteByte('\n')
			col = 0
			if r == ' ' {
				continue
			}
		}
		sb.WriteRune(r)
		col += wd
	}
	return sb.String()
}
