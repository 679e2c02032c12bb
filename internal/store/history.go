package store

import (
	"github.com/ogicheck/ogicheck/result"
)

// HistoryRule is a finding only history can make: it compares a scan with
// what earlier scans saw. These are not rules of package rules, whose Pass
// holds one scan's documents and site and never a store; the store emits
// them when it saves a site, with stable IDs and both languages like the
// rules.
type HistoryRule struct {
	ID       string
	Category string
	Severity result.Severity
	Title    result.Text
	Doc      result.Text
}

// Categories of the history findings.
const (
	CatChangedAfterPublication = "changed-after-publication"
	CatReportGone              = "report-gone"
)

// The history findings.
var (
	HistChanged = &HistoryRule{
		ID: "HIST-CHANGED", Category: CatChangedAfterPublication, Severity: result.SeverityWarning,
		Title: result.Text{Zh: "年报发布后被修改", En: "Report changed after publication"},
		Doc: result.Text{
			Zh: "同一网址的年报，其内容与首次发现时不同：附件文件按原始字节比较，网页按读出的正文比较（网页的栏目、计数器等不计）。发现时记录两次的内容摘要（SHA-256）和日期。若两次读取所用的 ogicheck 版本不同，网页正文的差异可能来自读取方法的改进，此时不报告，而以新内容为准重新记录。年报应当一经公开即保持稳定；公开后修改应另行说明（CASS 政务公开评估将此计入）。",
			En: "A report at the same URL whose content differs from when it was first seen: files are compared byte for byte, web pages by the text read from them (so menus and counters do not count). Both content hashes (SHA-256) and dates are given. When the two readings were made by different ogicheck versions, a difference in a page's text may come from the reader, so nothing is reported and the new content becomes the reference. A published report should stay as published; a later correction should be announced (CASS disclosure evaluations count this).",
		},
	}
	HistGone = &HistoryRule{
		ID: "HIST-GONE", Category: CatReportGone, Severity: result.SeverityWarning,
		Title: result.Text{Zh: "年报从栏目中消失", En: "Report no longer listed"},
		Doc: result.Text{
			Zh: "以前扫描时年报栏目列出的某年度报告，本次扫描完整读取栏目后不再列出，且栏目中没有同一年度的其他报告。网站无法访问或栏目未读完时不作此判断。依据：条例第四十九条；国办公开办函〔2019〕61号（历年年报可查）。",
			En: "A report of a year that the column listed in an earlier scan is no longer listed, the column having been read whole, and no other report of that year is listed. Nothing is said when the site could not be reached or the column was not read to the end. Basis: Regulation Art. 49; 国办公开办函〔2019〕61号 (every year's report must stay available).",
		},
	}
)

// HistoryRules lists the history findings.
func HistoryRules() []*HistoryRule { return []*HistoryRule{HistChanged, HistGone} }

// finding builds one of the rule's findings.
func (r *HistoryRule) finding(msg result.Text, ev result.Evidence) result.Finding {
	return result.Finding{Rule: r.ID, Category: r.Category, Severity: r.Severity, Message: msg.Zh, Messages: msg, Evidence: ev}
}
