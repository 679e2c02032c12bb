package rules

import (
	"fmt"
	"strings"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/result"
)

// TblUnreadable notes a template table that is in the document but whose
// cells cannot be attributed to its columns without guessing: text copied
// with its empty cells dropped, or run together on one line. It is never
// reported missing, and no identity is computed from guessed columns.
var TblUnreadable = register(&Rule{
	ID:       "TBL-UNREADABLE",
	Category: result.CatTableUnreadable,
	Severity: result.SeverityInfo,
	Scope:    DocumentScope,
	Title:    result.Text{Zh: "表格存在但无法可靠读取", En: "Table present but unreadable"},
	Doc: result.Text{
		Zh: "表格在文档中（行名印出），但数值无法不靠猜测地对应到列：文字版（网页复制、PDF提取）把每个单元格放在一行并丢掉了空白单元格，一行的数值个数少于或多于列数；或全文没有换行，单元格连成一串（如「640020470」）。这样的表不报缺少（TBL-MISSING），这些行也不参与勾稽关系核对，以免据猜测的列指责报告；本条只作提示，核对需看原件。依据：规范第3.2–3.5节、第3.8节（表格不可机读不等于缺少）。",
		En: "The table is in the document (its row labels are printed) but its values cannot be attributed to columns without guessing: a text copy (of a web page, or extracted from a PDF) put each cell on its own line and dropped the empty ones, so a row has fewer or more values than columns; or the whole text has no line breaks and the cells run together (640020470). Such a table is not reported missing (TBL-MISSING), and its rows take no part in the identities, so that nothing is charged on guessed columns; this note says to check the original. Basis: spec §3.2–§3.5 and §3.8 (a table that cannot be read is not a missing table).",
	},

	Spec: "§3.2–§3.5, §3.8",
	Run: func(p *Pass) {
		r := templated(p)
		if r == nil {
			return
		}
		// tables unreadable for one reason are reported once
		var whole []string
		var reason result.Text
		for _, id := range []string{"二", "三", "四"} {
			t := r.Tables[id]
			if t == nil {
				continue
			}
			if unreadable(t) {
				if reason == (result.Text{}) || reason == t.Unreadable {
					whole, reason = append(whole, id), t.Unreadable
					continue
				}
				p.Report(Diagnostic{Evidence: result.Evidence{Table: id, Section: tableSections[id]},
					Message: result.Text{
						Zh: fmt.Sprintf("表%s存在但无法读取：%s；不报缺少，也不核对", id, t.Unreadable.Zh),
						En: fmt.Sprintf("table %s is present but cannot be read: %s; not reported missing, not checked", tableNamesEn[id], t.Unreadable.En),
					}})
				continue
			}
			rows := t.UnreadableRows()
			if len(rows) == 0 {
				continue
			}
			var names []string
			for _, row := range rows[:min(3, len(rows))] {
				names = append(names, rowName(row))
			}
			more := ""
			if len(rows) > 3 {
				more = "…"
			}
			why := rows[0].Unreadable
			p.Report(Diagnostic{Evidence: result.Evidence{Table: id, Section: tableSections[id], Row: rowName(rows[0]), Actual: fmt.Sprint(len(rows)), Snippet: rows[0].Printed},
				Message: result.Text{
					Zh: fmt.Sprintf("表%s有%d行的数值无法对应到列（%s%s）：%s；这些行不参与核对", id, len(rows), strings.Join(names, "、"), more, why.Zh),
					En: fmt.Sprintf("table %s has %d rows whose values cannot be attributed to columns (%s%s): %s; they are not checked", tableNamesEn[id], len(rows), strings.Join(names, "; "), more, why.En),
				}})
		}
		if len(whole) > 0 {
			var en []string
			for _, id := range whole {
				en = append(en, tableNamesEn[id])
			}
			p.Report(Diagnostic{Evidence: result.Evidence{Table: strings.Join(whole, "、"), Section: tableSections[whole[0]]},
				Message: result.Text{
					Zh: fmt.Sprintf("表%s存在但无法读取：%s；不报缺少，也不核对", strings.Join(whole, "、表"), reason.Zh),
					En: fmt.Sprintf("table %s is present but cannot be read: %s; not reported missing, not checked", strings.Join(en, ", "), reason.En),
				}})
		}
	},
})

// unreadable reports a table present whose cells could not be read at all.
func unreadable(t *annual.Table) bool { return t != nil && t.Unreadable != (result.Text{}) }
