package annual

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/norm"
	"github.com/ogicheck/ogicheck/internal/num"
	"github.com/ogicheck/ogicheck/result"
)

// srow is one row of the document seen as a stream: a table row split into
// its label and value cells, or a paragraph (label only). Tables are found
// in this stream rather than per HTML table because real reports split one
// template table over several tables, pages or text lines.
type srow struct {
	f       *found // the label prepared for scoring
	nums    int    // value cells that read as numbers or written blanks
	label   string
	vals    []string
	block   int
	aligned bool // from an aligned grid: empty cells are real blank cells
	// compact: the row lists only its non-empty values (document.Table
	// Compact), so they can be attributed to columns only when there is
	// one per column
	compact bool
}

func (s srow) data() bool {
	// In an aligned grid an empty cell is a blank value, so a row of empty
	// values is still data, unless its "label" is prose: a paragraph of a
	// report converted to a spreadsheet.
	if s.aligned && len(s.vals) > 0 && len([]rune(s.label)) <= 60 {
		return true
	}
	for _, v := range s.vals {
		if v != "" {
			return true
		}
	}
	return false
}

// numeric counts the value cells that read as numbers or written blanks
// (—, /), not as words: a header row of table 四 has fifteen words.
func (s srow) numeric() int { return s.nums }

func countEmpty(vals []string) int {
	n := 0
	for _, v := range vals {
		if v == "" {
			n++
		}
	}
	return n
}

func countNumeric(vals []string) int {
	n := 0
	for _, v := range vals {
		if v != "" && num.Looks(v) {
			n++
		}
	}
	return n
}

// stream flattens the document into rows. Numbers-only rows take their
// label from the label-only lines just before them, which is how PDF text
// prints a label wrapped over several lines.
func stream(d *document.Document) []srow {
	var out []srow
	for i, b := range d.Blocks {
		switch {
		case b.Table != nil:
			start := -1
			if !b.Table.Ragged {
				start = valueStart(b.Table)
			}
			width := 0
			for _, r := range b.Table.Rows {
				width = max(width, len(r))
			}
			for _, r := range b.Table.Rows {
				sr := splitRow(r, start, width, i)
				sr.compact = b.Table.Compact
				out = append(out, sr)
			}
		case b.Text != "":
			out = append(out, srow{label: b.Text, block: i})
		}
	}
	var pending []string
	for i := range out {
		r := &out[i]
		if !r.data() {
			if r.label == "" {
				continue
			}
			if utf8.RuneCountInString(r.label) > 60 || strings.ContainsAny(r.label, "。；") || headerWord(r.label) {
				// prose, or a column header copied on a line of its
				// own: not a wrapped label
				pending = pending[:0]
				continue
			}
			if pending = append(pending, r.label); len(pending) > 3 {
				pending = pending[1:]
			}
			continue
		}
		if r.label == "" && len(pending) > 0 {
			// the label starts at its numbering: what comes before is
			// the group label or a header
			from := 0
			for j := len(pending) - 1; j > 0; j-- {
				if numbered(pending[j]) {
					from = j
					break
				}
			}
			r.label = strings.Join(pending[from:], "")
		}
		pending = pending[:0]
	}
	for i := range out {
		out[i].nums = countNumeric(out[i].vals)
		// Only data rows are ever scored against template labels; keying
		// every paragraph would cost more than everything else here.
		if out[i].data() {
			out[i].f = newFound(out[i].label)
		}
	}
	return out
}

// headerWords are the column headers of the three tables: copied one cell
// per line, they stand between the rows and are no part of a row's label.
var headerWords = func() map[string]bool {
	m := map[string]bool{}
	words := slices.Concat(t3Columns, t4Groups, t4Results,
		[]string{"申请人情况", "法人或其他组织", "行政诉讼", "信息内容", LegalSubtotal, "小计", "合计"})
	for _, tpl := range []result.Template{result.Template2019, result.Template2021} {
		for _, r := range t2Rows(tpl) {
			words = append(words, r.Columns...)
		}
	}
	for _, w := range words {
		m[norm.Key(w)] = true
	}
	return m
}()

// headerWordLen is the longest header word in bytes, with room for spaces.
const headerWordLen = 48

func headerWord(label string) bool {
	if len(label) > headerWordLen {
		return false
	}
	// most lines start with a character no header word starts with
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(label, " \u3000"))
	return headerFirst[r] && headerWords[norm.Key(label)]
}

// headerFirst are the first characters of the header words.
var headerFirst = func() map[rune]bool {
	m := map[rune]bool{}
	for w := range headerWords {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = true
	}
	// their traditional forms, which norm.Key folds
	for _, r := range "總複處採結" {
		m[r] = true
	}
	return m
}()

// numbered reports a label that starts with numbering: 一、 （一） 1.
func numbered(label string) bool {
	k := norm.Key(label)
	return k != "" && numbering(k) > 0
}

// valueStart is the column where values begin in an aligned table: the most
// common index of the first numeric cell among rows with several numbers.
func valueStart(t *document.Table) int {
	counts := map[int]int{}
	for _, r := range t.Rows {
		first, n := -1, 0
		for j, c := range r {
			if num.Parse(c.Text).Kind == num.Number && c.Text != "" {
				if first < 0 {
					first = j
				}
				n++
			}
		}
		if n >= 2 {
			counts[first]++
		}
	}
	best, bestN := -1, 0
	for c, n := range counts {
		if n > bestN || (n == bestN && c < best) {
			best, bestN = c, n
		}
	}
	return best
}

func splitRow(cells []document.Cell, start, width, block int) srow {
	r := srow{block: block}
	if start > 0 && len(cells) == width && start < len(cells) && allLabels(cells[:start]) {
		// Words and no number in the value area: a header row, or a label
		// spanning across (第二十条第（一）项). A word among numbers is an
		// invalid cell of a data row, reported as such.
		if allLabels(cells[start:]) && !allEmpty(cells[start:]) && !templateLabel(joinLabel(cells[:start])) {
			r.label = joinLabel(cells)
			return r
		}
		r.label = joinLabel(cells[:start])
		r.aligned = true
		r.vals = values(cells[start:])
		return r
	}
	if start == 0 && len(cells) == width {
		r.aligned = true
		r.vals = values(cells)
		if labelLike(cells[0].Text) {
			// a header or label row in a table whose data rows are all numbers
			r.label, r.vals = joinLabel(cells), nil
		}
		return r
	}
	if allEmpty(cells) {
		r.vals = values(cells) // a row left blank: blank values, no label
		return r
	}
	i := 0
	for i < len(cells) && cells[i].Text == "" {
		i++
	}
	j := i
	for j < len(cells) && labelLike(cells[j].Text) {
		j++
	}
	r.label = joinLabel(cells[i:j])
	r.vals = values(cells[j:])
	return r
}

// values are the value cells of a row: a span copy is part of the cell it
// copies (a number merged across two spreadsheet columns is one number).
func values(cells []document.Cell) []string {
	out := make([]string, 0, len(cells))
	for _, c := range cells {
		if !c.Spanned {
			out = append(out, c.Text)
		}
	}
	return out
}

// allLabels: no number among the cells, so they can be a row's label.
func allLabels(cells []document.Cell) bool {
	for _, c := range cells {
		if c.Text != "" && !labelLike(c.Text) {
			return false
		}
	}
	return true
}

// templateLabels are the keys of every row label of tables 二 and 三,
// numbering removed: a row so labelled is a data row even when its values
// are words.
var templateLabels = func() map[string]bool {
	m := map[string]bool{}
	for _, tpl := range []result.Template{result.Template2019, result.Template2021} {
		for _, r := range slices.Concat(t2Rows(tpl), t3Rows(tpl)) {
			for _, l := range append([]string{r.Label}, r.Alias...) {
				m[stripNumbering(norm.Key(l))] = true
			}
		}
	}
	return m
}()

// labelKeys are the keys of the template labels and aliases, made once.
var labelKeys = func() map[string]string {
	m := map[string]string{}
	for _, tpl := range []result.Template{result.Template2019, result.Template2021} {
		for _, r := range slices.Concat(t2Rows(tpl), t3Rows(tpl)) {
			for _, l := range append([]string{r.Label}, r.Alias...) {
				m[l] = norm.Key(l)
			}
		}
	}
	for _, c := range slices.Concat(t3Columns, t4Groups, t4Results) {
		m[c] = norm.Key(c)
	}
	for _, tpl := range []result.Template{result.Template2019, result.Template2021} {
		for _, r := range t2Rows(tpl) {
			for _, c := range r.Columns {
				m[c] = norm.Key(c)
			}
		}
	}
	return m
}()

func templateLabel(label string) bool {
	k := stripNumbering(norm.Key(label))
	for _, g := range groupWords {
		k = strings.ReplaceAll(k, g, "")
	}
	return templateLabels[k]
}

func allEmpty(cells []document.Cell) bool {
	for _, c := range cells {
		if c.Text != "" {
			return false
		}
	}
	return true
}

func labelLike(s string) bool { return s != "" && num.Parse(s).Kind == num.Text }

// joinLabel joins label cells, skipping the repeats that span expansion
// leaves.
func joinLabel(cells []document.Cell) string {
	var parts []string
	for _, c := range cells {
		if c.Text == "" || (len(parts) > 0 && parts[len(parts)-1] == c.Text) {
			continue
		}
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, " ")
}

// vocabulary tells which template the table wording belongs to (spec §3.0
// detection hint), "" when neither or both are clear.
func vocabulary(rows []srow) result.Template {
	// the wording is in the data rows and the header lines just above
	// them; the rest of a page (its chrome, the prose) has none
	near := make([]bool, len(rows))
	for i, r := range rows {
		if r.data() {
			for j := max(0, i-20); j <= min(len(rows)-1, i+3); j++ {
				near[j] = true
			}
		}
	}
	var sb strings.Builder
	for i, r := range rows {
		switch {
		case r.data():
			sb.WriteString(r.f.key)
		case near[i] && len(r.label) <= 90: // header lines are short; prose is not table wording
			sb.WriteString(norm.Key(r.label))
		default:
			continue
		}
		for _, v := range r.vals {
			sb.WriteString(norm.Key(v))
		}
		sb.WriteByte('|')
	}
	k := sb.String()
	score := func(words ...string) int {
		n := 0
		for _, w := range words {
			if strings.Contains(k, norm.Key(w)) {
				n++
			}
		}
		return n
	}
	s21 := score("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "逾期未按收费通知")
	s19 := score("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "第二十条第（九）项",
		"政府集中采购", "采购总金额", "其他对外管理服务事项")
	switch {
	case s21 > s19:
		return "2021"
	case s19 > s21:
		return "2019"
	}
	return ""
}

var (
	groupWords = []string{"本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理", "申请人情况"}
)

// itemNumber is the last item number ("3." or "3、") in a key, "" if none.
func itemNumber(k string) string {
	last := ""
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			continue
		}
		j := i
		for j < len(k) && k[j] >= '0' && k[j] <= '9' {
			j++
		}
		if j-i <= 2 && j < len(k) && (k[j] == '.' || strings.HasPrefix(k[j:], "、")) {
			last = k[i:j]
		}
		i = j
	}
	return last
}

// stripNumbering removes the numbering of labels — (一), 一、, 1. or 1、 —
// by hand: this runs in the alignment's inner loop, where the equivalent
// regexp cost several times more.
func stripNumbering(k string) string {
	if !strings.ContainsAny(k, "(、.") {
		return k
	}
	var sb strings.Builder
	sb.Grow(len(k))
	for i := 0; i < len(k); {
		c := k[i]
		if c == '(' || (c >= '0' && c <= '9') || c == 0xE4 || c == 0xE5 {
			if n := numbering(k[i:]); n > 0 {
				i += n
				continue
			}
		}
		_, w := utf8.DecodeRuneInString(k[i:])
		sb.WriteString(k[i : i+w])
		i += w
	}
	return sb.String()
}

func isCNDigit(r rune) bool { return strings.ContainsRune("一二三四五六七八九十", r) }

// numbering returns the length of a numbering token at the start of s, 0
// when there is none.
func numbering(s string) int {
	switch {
	case s[0] == '(':
		n, i := 0, 1
		for i < len(s) && n < 2 {
			r, w := utf8.DecodeRuneInString(s[i:])
			if !isCNDigit(r) {
				break
			}
			i += w
			n++
		}
		if n > 0 && i < len(s) && s[i] == ')' {
			return i + 1
		}
	case s[0] >= '0' && s[0] <= '9':
		i := 1
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i < len(s) && s[i] == '.' {
			return i + 1
		}
		if strings.HasPrefix(s[i:], "、") {
			return i + len("、")
		}
	default:
		n, i := 0, 0
		for i < len(s) && n < 2 {
			r, w := utf8.DecodeRuneInString(s[i:])
			if !isCNDigit(r) {
				break
			}
			i += w
			n++
		}
		if n > 0 && strings.HasPrefix(s[i:], "、") {
			return i + len("、")
		}
	}
	return 0
}

// grams are a label's character bigrams (one unigram for a one-character
// label), as sorted packed rune pairs: labels are short, and a merge of two
// sorted slices is far cheaper than maps in the alignment's inner loop.
func grams(s string) []uint64 {
	g := make([]uint64, 0, len(s)/3+1) // CJK: three bytes a character
	prev, n := rune(-1), 0
	for _, r := range s {
		if prev >= 0 {
			g = append(g, uint64(prev)<<32|uint64(r))
		}
		prev = r
		n++
	}
	if n == 1 {
		g = append(g, uint64(prev))
	}
	slices.Sort(g)
	return slices.Compact(g)
}

func common(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// labelFeat is a label prepared for scoring.
type labelFeat struct {
	grams []uint64
	item  string
}

func feat(k string) labelFeat {
	return labelFeat{grams: grams(stripNumbering(k)), item: itemNumber(k)}
}

// specFeat is a template label (or alias) prepared once, with the group
// words it contains, which must not be stripped from printed labels.
type specFeat struct {
	labelFeat
	keep     string // group words the label contains, joined
	subtotal bool   // RowSpec.Subtotal
}

// specKey identifies a template row for its features.
type specKey struct {
	key, label string
	subtotal   bool
}

// specFeatTable holds the features of every template row, made once:
// scoring looks them up for each row found.
var specFeatTable = func() map[specKey][]specFeat {
	m := map[specKey][]specFeat{}
	for _, tpl := range []result.Template{result.Template2019, result.Template2021} {
		rows, _ := t3Specs(tpl)
		for _, r := range slices.Concat(t2Rows(tpl), rows) {
			m[specKey{r.Key, r.Label, r.Subtotal}] = computeSpecFeatures(r)
		}
	}
	return m
}()

func specFeatures(spec RowSpec) []specFeat {
	if f, ok := specFeatTable[specKey{spec.Key, spec.Label, spec.Subtotal}]; ok {
		return f
	}
	return computeSpecFeatures(spec)
}

func computeSpecFeatures(spec RowSpec) []specFeat {
	var out []specFeat
	for _, l := range append([]string{spec.Label}, spec.Alias...) {
		sk := norm.Key(l)
		var keep []string
		for _, g := range groupWords {
			if strings.Contains(sk, g) {
				keep = append(keep, g)
			}
		}
		out = append(out, specFeat{labelFeat: feat(sk), keep: strings.Join(keep, "|"), subtotal: spec.Subtotal})
	}
	return out
}

// found is a printed label prepared for scoring against many template
// labels: its key with the group words stripped, per set of words kept.
type found struct {
	key      string
	stripped string // key without numbering, for whole-label matches
	// byKeep caches the features per set of group words kept: a handful
	// of sets, so a slice searched in order beats a map
	byKeep []keptFeat
}

type keptFeat struct {
	keep string
	labelFeat
}

func newFound(label string) *found {
	k := norm.Key(label)
	return &found{key: k, stripped: stripNumbering(k)}
}

func (f *found) feat(keep string) labelFeat {
	// Keeping a group word the label does not contain changes nothing:
	// share the variant that strips everything.
	if keep != "" && !strings.Contains(f.key, keep) {
		keep = ""
	}
	for _, kf := range f.byKeep {
		if kf.keep == keep {
			return kf.labelFeat
		}
	}
	k := f.key
	for _, g := range groupWords {
		if !strings.Contains(keep, g) && strings.Contains(k, g) {
			k = strings.ReplaceAll(k, g, "")
		}
	}
	lf := feat(k)
	f.byKeep = append(f.byKeep, keptFeat{keep, lf})
	return lf
}

// score rates how well the printed label matches a template label, in
// [0,1]: mostly how much of the template label is present, a little how
// much extra text there is, and a penalty when item numbers disagree.
func (f *found) score(spec RowSpec) float64 { return f.scoreFeats(specFeatures(spec)) }

func (f *found) scoreFeats(sfs []specFeat) float64 {
	best := 0.0
	for _, sf := range sfs {
		if sf.subtotal {
			best = max(best, f.subtotalScore(sf.keep))
			continue
		}
		ff := f.feat(sf.keep)
		if len(sf.grams) == 0 || len(ff.grams) == 0 {
			continue
		}
		// Item numbers that disagree rule the pair out (a score under
		// every threshold): no need to compare the labels.
		if sf.item != "" && ff.item != "" && sf.item != ff.item {
			continue
		}
		best = max(best, labelMatch(sf, ff))
	}
	return best
}

// labelMatch: mostly how much of the template label is present, a little
// how much extra text there is.
func labelMatch(sf specFeat, ff labelFeat) float64 {
	c := common(sf.grams, ff.grams)
	return 0.7*float64(c)/float64(len(sf.grams)) + 0.3*float64(c)/float64(len(ff.grams))
}

// subtotalScore: a subtotal row is labelled with its group word alone
// (and perhaps 小计): the first item of a group, which carries the group
// label in a span, must not be taken for it.
func (f *found) subtotalScore(group string) float64 {
	if group == "" || !strings.Contains(f.key, group) || itemNumber(f.key) != "" {
		return 0
	}
	rest := stripNumbering(f.key)
	for _, w := range append([]string{group, "小计", "合计"}, groupWords...) {
		rest = strings.ReplaceAll(rest, w, "")
	}
	if strings.Trim(rest, ":()") != "" {
		return 0
	}
	return 1
}

const matchThreshold = 0.5

// align assigns data rows to template rows in order, maximising the total
// label score (a monotone alignment, like a diff): order carries identity
// when a label is garbled.
func align(rows []srow, specs []RowSpec) []int {
	n, m := len(rows), len(specs)
	feats := make([][]specFeat, m)
	for j := range specs {
		feats[j] = specFeatures(specs[j])
	}
	score := make([][]float64, n)
	for i := range rows {
		f := rows[i].f
		if f == nil {
			f = newFound(rows[i].label)
		}
		score[i] = make([]float64, m)
		for j := range specs {
			score[i][j] = f.scoreFeats(feats[j])
		}
	}
	dp := make([][]float64, n+1)
	for i := range dp {
		dp[i] = make([]float64, m+1)
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			best := max(dp[i-1][j], dp[i][j-1])
			if s := score[i-1][j-1]; s >= matchThreshold {
				best = max(best, dp[i-1][j-1]+s)
			}
			dp[i][j] = best
		}
	}
	assign := make([]int, m)
	for j := range assign {
		assign[j] = -1
	}
	for i, j := n, m; i > 0 && j > 0; {
		s := score[i-1][j-1]
		switch {
		case s >= matchThreshold && dp[i][j] == dp[i-1][j-1]+s:
			assign[j-1] = i - 1
			i, j = i-1, j-1
		case dp[i][j] == dp[i-1][j]:
			i--
		default:
			j--
		}
	}
	return assign
}

// attribute maps a row's values onto the columns, or says why it cannot:
// the values of a compact row (its blank cells gone) belong to known
// columns only when there is one per column.
func attribute(r srow, columns []string) ([]Cell, result.Text) {
	switch {
	case r.compact && len(r.vals) < len(columns):
		return nil, result.Msg("印出%d个数值而该行有%d列：空白单元格在复制或提取时丢失，无法确定各数值属于哪一列",
			"%d values printed for %d columns: blank cells were lost in copying or extraction, so which column each value belongs to cannot be told",
			len(r.vals), len(columns))
	case r.compact && len(r.vals) > len(columns):
		return nil, result.Msg("印出%d个数值而该行只有%d列：数字或单元格在复制或提取时被拆开，无法确定各数值属于哪一列",
			"%d values printed for %d columns: a number or cell was split in copying or extraction, so which column each value belongs to cannot be told",
			len(r.vals), len(columns))
	}
	return cells(r.vals, columns), result.Text{}
}

// noValues is why a row printed without values is unreadable.
var noValues = result.Text{Zh: "只印出行名，没有数值（空白单元格在复制或提取时丢失）", En: "its label is printed without values (blank cells lost in copying or extraction)"}

// cells maps a row's values onto the columns: trailing empty cells beyond
// the column count are flattening artefacts; missing ones are marked.
func cells(vals []string, columns []string) []Cell {
	for len(vals) > len(columns) && vals[len(vals)-1] == "" {
		vals = vals[:len(vals)-1]
	}
	if len(vals) > len(columns) {
		// more values than columns: keep them, under a column no template
		// has, so that TBL-COL reports them and none is silently lost
		extra := make([]string, 0, len(vals)-len(columns))
		for i := len(columns); i < len(vals); i++ {
			extra = append(extra, fmt.Sprintf("%s%d", ExtraColumn, i-len(columns)+1))
		}
		columns = slices.Concat(columns, extra)
	}
	out := make([]Cell, len(columns))
	for i, c := range columns {
		out[i].Column = c
		if i < len(vals) {
			out[i].Value = num.Parse(vals[i])
		} else {
			out[i].Missing = true
		}
	}
	return out
}

// t3Specs are the template rows plus the non-standard subtotal rows some
// reports add (T3-SUBTOTAL), each placed before its items; made once per
// template.
func t3Specs(tpl result.Template) (rows []RowSpec, optional map[string]bool) {
	s := t3SpecCache[result.Template2019]
	if tpl == result.Template2021 {
		s = t3SpecCache[result.Template2021]
	}
	return s.rows, s.optional
}

type t3SpecSet struct {
	rows     []RowSpec
	optional map[string]bool
}

var t3SpecCache = map[result.Template]t3SpecSet{
	result.Template2019: buildT3Specs(result.Template2019),
	result.Template2021: buildT3Specs(result.Template2021),
}

func buildT3Specs(tpl result.Template) t3SpecSet {
	optional := map[string]bool{}
	var rows []RowSpec
	sub := map[string]RowSpec{
		"三.不予公开.1": {Key: "三.三.三", Block: groupResult, Label: "（三）不予公开", Subtotal: true},
		"三.无法提供.1": {Key: "三.三.四", Block: groupResult, Label: "（四）无法提供", Subtotal: true},
		"三.不予处理.1": {Key: "三.三.五", Block: groupResult, Label: "（五）不予处理", Subtotal: true},
		"三.其他处理.1": {Key: KeyOther19, Block: groupResult, Label: "（六）其他处理", Subtotal: true},
	}
	for _, r := range t3Rows(tpl) {
		if s, ok := sub[r.Key]; ok {
			rows = append(rows, s)
			optional[s.Key] = true
		}
		rows = append(rows, r)
	}
	return t3SpecSet{slices.Clip(rows), optional}
}

func (r *Report) tables(rows []srow) {
	tpl := r.Template
	if tpl != "2019" && tpl != "2021" {
		// pre-2019 reports have no template tables; unknown years try both
		if tpl == "" {
			t19, s19 := recognizeT3(rows, "2019")
			t21, s21 := recognizeT3(rows, "2021")
			switch {
			case t21 != nil && s21 > s19:
				tpl = "2021"
			case t19 != nil:
				tpl = "2019"
			}
		}
		if tpl == "" {
			return
		}
		if r.Template == "" {
			r.Template, r.TemplateFrom = tpl, "table-rows"
			r.Why.Template = result.Text{Zh: "表三的行", En: "the rows of table 三"}
		}
	}
	t3, _ := recognizeT3(rows, tpl)
	from4, start3 := 0, len(rows)
	if t3 != nil {
		r.Tables["三"] = t3.Table
		start3 = t3.Block
		from4 = t3.end
	}
	if t2 := recognizeT2(rows, tpl, start3); t2 != nil {
		r.Tables["二"] = t2.Table
		if t3 == nil {
			from4 = t2.end
		}
	}
	if t4 := recognizeT4(rows, tpl, min(from4, len(rows))); t4 != nil {
		r.Tables["四"] = t4
	}
	for _, t := range r.Tables {
		if t.Block >= 0 && t.Block < len(rows) {
			if b := rows[t.Block].block; b >= 0 && b < len(r.Doc.Blocks) {
				t.Page = r.Doc.Blocks[b].Page
			}
		}
	}
	// a table whose labels are in the text but no row of it could be read
	for _, id := range []string{"二", "三", "四"} {
		if r.Tables[id] == nil {
			if why, ok := inProse(rows, id); ok {
				r.Tables[id] = unreadableTable(id, tpl, why)
			}
		}
	}
}

// proseMarks are wordings only a template table prints, by table: all of
// the first group and at least min of the second must be in one paragraph
// for the table to be there, run together as text.
var proseMarks = map[string]struct {
	all, some []string
	min       int
}{
	"二": {[]string{"第二十条第"}, []string{"规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "本年制发件数", "处理决定数量", "本年新制作数量", "上一年项目数量", "本年收费金额"}, 5},
	"三": {[]string{"本年新收政府信息公开申请数量", "结转下年度继续办理"}, []string{"上年结转政府信息公开申请数量", "予以公开", "部分公开", "属于国家秘密", "本机关不掌握相关政府信息", "信访举报投诉类申请", "重复申请", "总计"}, 5},
	"四": {[]string{"结果维持", "结果纠正", "尚未审结"}, []string{"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "其他结果", "总计"}, 4},
}

// inProse reports a table whose wording stands in a paragraph: the cells
// were run together with the text, and why it cannot be read.
func inProse(rows []srow, id string) (result.Text, bool) {
	m := proseMarks[id]
	for _, r := range rows {
		if r.data() || len(r.label) < 200 {
			continue
		}
		k := norm.Key(r.label)
		ok := true
		for _, w := range m.all {
			if !strings.Contains(k, w) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		n := 0
		for _, w := range m.some {
			if strings.Contains(k, w) {
				n++
			}
		}
		if n < m.min {
			continue
		}
		if len(r.label) > longLine {
			return result.Text{Zh: "全文没有换行，表格的单元格和文字连成一串，无法分开", En: "the text has no line breaks: the table's cells run together with the words and cannot be told apart"}, true
		}
		return result.Text{Zh: "表格的单元格连成了一段文字，无法分开", En: "the table's cells run together in one paragraph and cannot be told apart"}, true
	}
	return result.Text{}, false
}

// unreadableTable is a table present but unread: its template rows, none
// found.
func unreadableTable(id string, tpl result.Template, why result.Text) *Table {
	t := &Table{ID: id, Template: tpl, Unreadable: why}
	var specs []RowSpec
	switch id {
	case "二":
		specs = t2Rows(tpl)
		for _, s := range specs {
			for _, c := range s.Columns {
				if !contains(t.Columns, c) {
					t.Columns = append(t.Columns, c)
				}
			}
		}
	case "三":
		specs, t.Columns = t3Rows(tpl), t3Columns
	case "四":
		specs, t.Columns = []RowSpec{{Key: "四", Label: "政府信息公开行政复议、行政诉讼情况"}}, t4Columns()
	}
	for _, s := range specs {
		t.Rows = append(t.Rows, &Row{Spec: s})
	}
	return t
}

// tableSpan is a recognised table with where it ended in the stream.
type tableSpan struct {
	*Table
	end int
}

// The first and last rows of table 三, which bound the search for the rest.
var (
	anchorFeats = specFeatures(RowSpec{Label: "一、本年新收政府信息公开申请数量"})
	endFeats    = specFeatures(RowSpec{Label: "四、结转下年度继续办理"})
)

func recognizeT3(rows []srow, tpl result.Template) (*tableSpan, float64) {
	anchor := -1
	for i, r := range rows {
		if r.data() && r.f.scoreFeats(anchorFeats) >= 0.7 {
			anchor = i
			break
		}
	}
	if anchor < 0 {
		return nil, 0
	}
	// The table ends at its last row, or where table 四 or section 四 begins
	// when that row is missing.
	end := min(len(rows), anchor+80)
	for i := anchor + 1; i < end; i++ {
		r := rows[i]
		if r.data() && r.f.scoreFeats(endFeats) >= 0.7 {
			end = i + 1
			break
		}
		if r.numeric() >= 10 || (!r.data() && SectionNumber(r.label) == 4) {
			end = i
			break
		}
	}
	var data []srow
	var idx []int // where each data row stands in the stream
	for i := anchor; i < end; i++ {
		if rows[i].data() {
			data = append(data, rows[i])
			idx = append(idx, i)
		}
	}
	specs, optional := t3Specs(tpl)
	assign := align(data, specs)
	header := rows[headerStart(rows, anchor):anchor]
	columns := t3Columns
	subtotal := subtotalColumn(header)
	if subtotal > 0 {
		columns = slices.Concat(t3Columns[:subtotal], []string{LegalSubtotal}, t3Columns[subtotal:])
	}
	t := &Table{ID: "三", Template: tpl, Columns: columns, Block: anchor}
	total := 0.0
	for j, s := range specs {
		row := &Row{Spec: s}
		if k := assign[j]; k >= 0 {
			row.Found = true
			row.Printed = data[k].label
			row.Cells, row.Unreadable = attribute(data[k], columns)
			total += data[k].f.score(s)
		}
		if optional[s.Key] {
			if row.Found {
				t.Optional = append(t.Optional, row)
			}
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	// rows printed without values: between the rows found around them
	prev := anchor
	for j, s := range specs {
		if k := assign[j]; k >= 0 {
			prev = idx[k]
			continue
		}
		if optional[s.Key] {
			continue
		}
		next := end
		for jj := j + 1; jj < len(specs); jj++ {
			if k := assign[jj]; k >= 0 {
				next = idx[k]
				break
			}
		}
		if row := t.Row(s.Key); row != nil {
			labelOnly(rows[prev+1:next], row, columns)
		}
	}
	t.MissingColumns = missingColumns(header, t3Columns)
	return &tableSpan{Table: t, end: end}, total
}

// labelOnly finds a template row printed with its label and no values
// among rows that are not data: in place (a row of blank cells, "a | | |")
// its cells are blank; copied as text, with its empty cells dropped,
// nothing tells what they held.
func labelOnly(rows []srow, row *Row, columns []string) {
	for _, r := range rows {
		if r.data() || r.label == "" || len(r.label) > 180 || strings.ContainsAny(r.label, "。；") {
			continue
		}
		f := r.f
		if f == nil || f.key == "" {
			f = newFound(r.label)
		}
		if f.score(row.Spec) < 0.7 {
			continue
		}
		row.Found, row.Printed = true, r.label
		if len(r.vals) > 0 && !r.compact {
			row.Cells = cells(r.vals, columns)
		} else {
			row.Unreadable = noValues
		}
		return
	}
}

// headerStart is where the header rows above a table's first data row
// begin: at most 14 rows up, or further while rows are short labels (a
// header copied one cell per line), never past a section heading.
func headerStart(rows []srow, first int) int {
	lo := max(0, first-14)
	for i := first - 1; i >= 0 && first-i <= 40; i-- {
		r := rows[i]
		if r.data() || len(r.label) > 90 || SectionNumber(r.label) != 0 {
			break
		}
		lo = min(lo, i)
	}
	return lo
}

// ExtraColumn names the values of a row beyond the template's columns
// (ExtraColumn1, ExtraColumn2…).
const ExtraColumn = "未知列"

// LegalSubtotal is the 法人或其他组织 subtotal column some reports add to
// table 三 (spec §3.3: not in the template; T3-SUBTOTAL checks it).
const LegalSubtotal = "法人或其他组织小计"

// subtotalColumn finds a 小计/合计 column in table 三's header and returns
// where it stands among the template columns: 1 when it comes before
// 商业企业 (right after 自然人), 6 when after 其他; 0 when there is none.
func subtotalColumn(header []srow) int {
	var tokens []string
	for _, r := range header {
		tokens = append(tokens, strings.Fields(r.label)...)
		tokens = append(tokens, r.vals...)
	}
	at := func(pred func(string) bool) int {
		for i, tk := range tokens {
			if pred(norm.Key(tk)) {
				return i
			}
		}
		return -1
	}
	sub := at(func(k string) bool { return k == "小计" || k == "合计" || strings.HasSuffix(k, "小计") })
	if sub < 0 {
		return 0
	}
	business := at(func(k string) bool { return k == "商业企业" })
	other := at(func(k string) bool { return k == "其他" })
	switch {
	case business >= 0 && sub < business:
		return 1
	case other >= 0 && sub > other:
		return 6
	}
	return 0
}

// missingColumns lists the column labels absent from the header rows. A
// label counts as present when it occurs whole or when all its characters
// occur: header cells are often broken over lines ("社会 / 公益 / 组织") or cut
// short ("本年新").
func missingColumns(header []srow, columns []string) []string {
	var sb strings.Builder
	var cellKeys []string
	generic := false
	add := func(part string) {
		if part == "" || plainNumber(part) {
			return // a value, not a header
		}
		k := norm.Key(part)
		sb.WriteString(k)
		if len(k) >= 9 { // three Chinese characters: enough to be a cut label
			cellKeys = append(cellKeys, k)
		}
		if !generic && len(k) <= 12 && genericColumnRe.MatchString(k) {
			generic = true
		}
	}
	for _, r := range header {
		if len(r.label) > 240 || r.data() {
			continue // prose, or a row of values, not a header
		}
		for part := range strings.SplitSeq(r.label, " ") {
			add(part)
		}
		for _, v := range r.vals {
			add(v)
		}
	}
	if generic {
		// the header a converter or OCR made up (列1, Column 2): the
		// report's own header is not in the text, so nothing is missing
		// from it that we can tell
		return nil
	}
	h := sb.String()
	var out []string
	for _, c := range columns {
		ck, ok := labelKeys[c]
		if !ok {
			ck = norm.Key(c)
		}
		if strings.Contains(h, ck) || prefixOf(cellKeys, ck) {
			continue
		}
		all := true
		for _, r := range ck {
			if !strings.ContainsRune(h, r) {
				all = false
				break
			}
		}
		if !all {
			out = append(out, c)
		}
	}
	return out
}

// plainNumber: digits (and a decimal point) only.
func plainNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

// genericColumnRe matches column names a converter or OCR makes up.
var genericColumnRe = regexp.MustCompile(`(?i)^(?:列|栏|字段|column|col|field)_?\d{1,2}$`)

// prefixOf reports whether a header cell is the start of the column label,
// as when a label broken by <br> lost its second line.
func prefixOf(cells []string, label string) bool {
	for _, c := range cells {
		if strings.HasPrefix(label, c) {
			return true
		}
	}
	return false
}

func recognizeT2(rows []srow, tpl result.Template, stop int) *tableSpan {
	begin := -1
	for i := 0; i < stop && i < len(rows); i++ {
		// a block label of table 二, not a sentence citing Art. 20
		if l := rows[i].label; len(l) <= 120 && strings.HasPrefix(norm.Key(l), "第二十条第") {
			begin = i
			break
		}
	}
	if begin < 0 {
		return nil
	}
	stop = min(stop, begin+60, len(rows))
	specs := t2Rows(tpl)
	t := &Table{ID: "二", Template: tpl, Block: begin}
	used := map[int]bool{}
	var cols []string
	for _, s := range specs {
		row := &Row{Spec: s}
		for i := begin; i < stop; i++ {
			if used[i] || !rows[i].data() || !t2Match(rows[i].f.stripped, s) {
				continue
			}
			used[i] = true
			row.Found = true
			row.Printed = rows[i].label
			row.Cells, row.Unreadable = attribute(rows[i], s.Columns)
			break
		}
		for i := begin; i < stop && !row.Found; i++ {
			// printed without values
			r := rows[i]
			if used[i] || r.data() || len(r.label) > 120 || !t2Match(stripNumbering(norm.Key(r.label)), s) {
				continue
			}
			used[i] = true
			row.Found, row.Printed = true, r.label
			if len(r.vals) > 0 && !r.compact {
				row.Cells = cells(r.vals, s.Columns)
			} else {
				row.Unreadable = noValues
			}
		}
		t.Rows = append(t.Rows, row)
		for _, c := range s.Columns {
			if !contains(cols, c) {
				cols = append(cols, c)
			}
		}
	}
	found := 0
	for _, r := range t.Rows {
		if r.Found {
			found++
		}
	}
	if found == 0 {
		return nil
	}
	last := begin
	for i := range used {
		last = max(last, i)
	}
	t.Columns = cols
	t.MissingColumns = missingColumns(rows[begin:last+1], cols)
	return &tableSpan{Table: t, end: last + 1}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// t2Match: table 二 labels are short and distinct, so they must match
// whole, allowing a short prefix such as a block name or numbering.
func t2Match(f string, s RowSpec) bool {
	for _, l := range append([]string{s.Label}, s.Alias...) {
		k, ok := labelKeys[l]
		if !ok {
			k = norm.Key(l)
		}
		if f == k {
			return true
		}
		if strings.HasSuffix(f, k) && len([]rune(f))-len([]rune(k)) <= 12 && !strings.HasSuffix(f, "行政"+k) {
			return true
		}
		// a local annotation after the label: 行政许可（含…）
		if strings.HasPrefix(f, k+"(") {
			return true
		}
	}
	return false
}

func recognizeT4(rows []srow, tpl result.Template, from int) *Table {
	cols := t4Columns()
	for i := from; i < len(rows); i++ {
		r := rows[i]
		// ten or more numbers, or fifteen cells of an aligned grid left
		// blank (no cases: blank counts as 0)
		blankRow := r.label == "" && len(r.vals) >= 15 && r.numeric()+countEmpty(r.vals) == len(r.vals) &&
			i > 0 && strings.Contains(rows[i-1].label, "审结")
		if r.numeric() < 10 && !blankRow {
			continue
		}
		lo := headerStart(rows, i)
		review := false
		for _, h := range rows[lo : i+1] {
			if strings.Contains(h.label, "复议") || strings.Contains(h.label, "複議") {
				review = true
				break
			}
		}
		if !review {
			continue
		}
		t := &Table{ID: "四", Template: tpl, Columns: cols, Block: i}
		row := &Row{Spec: RowSpec{Key: "四", Label: "政府信息公开行政复议、行政诉讼情况"}, Found: true, Printed: r.label}
		row.Cells, row.Unreadable = attribute(r, cols)
		t.Rows = []*Row{row}
		labels := append(append([]string{}, t4Groups...), t4Results...)
		t.MissingColumns = missingColumns(rows[lo:i+1], labels)
		return t
	}
	return nil
}
