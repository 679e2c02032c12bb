package simnet

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// Template names (the values of result.Template*).
const (
	tmplPre2019 = "pre-2019"
	tmpl2019    = "2019"
	tmpl2021    = "2021"
)

// Applicant columns of table 三.
var t3Cols = []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}

const t3Total = 6 // index of the 总计 column

// Row labels of table 三 (spec §3.3), without the group labels.
var (
	t3Head = []string{"一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"}
	t3Open = []string{"（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}
	t3Deny = []string{"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
		"5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"}
	t3Unable = []string{"1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"}
	t3Refuse = []string{"1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
		"5.要求行政机关确认或重新出具已获取信息"}
	t3Other21 = []string{"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"}
	t3Tail = []string{"（七）总计", "四、结转下年度继续办理"}
)

// table3 holds the printed numbers of table 三: rows are 一, 二, the result
// rows, （七）总计, 四, each with 7 columns.
type table3 struct {
	v2021 bool
	rows  [][7]int
}

func newTable3(v2021 bool) *table3 {
	t := &table3{v2021: v2021}
	t.rows = make([][7]int, 2+t.nres()+2)
	return t
}

// nres is the number of result rows, （七） excluded.
func (t *table3) nres() int {
	if t.v2021 {
		return 21
	}
	return 19
}

func (t *table3) rowNew() int   { return 0 }
func (t *table3) rowCarry() int { return 1 }
func (t *table3) rowTotal() int { return 2 + t.nres() }
func (t *table3) rowOut() int   { return 3 + t.nres() }

// labels returns the data-row labels in order.
func (t *table3) labels() []string {
	var l []string
	l = append(l, t3Head...)
	l = append(l, t3Open...)
	l = append(l, t3Deny...)
	l = append(l, t3Unable...)
	l = append(l, t3Refuse...)
	if t.v2021 {
		l = append(l, t3Other21...)
	} else {
		l = append(l, "（六）其他处理")
	}
	return append(l, t3Tail...)
}

// rowName names a data row with its group, for notes.
func (t *table3) rowName(r int) string {
	l := t.labels()[r]
	switch {
	case r >= 4 && r < 12:
		return "（三）不予公开 " + l
	case r >= 12 && r < 15:
		return "（四）无法提供 " + l
	case r >= 15 && r < 20:
		return "（五）不予处理 " + l
	case t.v2021 && r >= 20 && r < 23:
		return "（六）其他处理 " + l
	}
	return l
}

// Result-category weights for the generator, by result row.
var t3Weights21 = []int{36, 9, 1, 1, 1, 2, 1, 2, 1, 1, 24, 5, 2, 3, 2, 1, 1, 1, 3, 1, 3}

// fill generates one year's numbers from the applications handled per
// column and the carry-in from the previous year.
func (t *table3) fill(rng *rand.Rand, scale int, carryIn [6]int, carryOut [6]int) {
	share := []float64{0.86, 0.09, 0.005, 0.01, 0.025, 0.01}
	weights := t3Weights21
	if !t.v2021 {
		// one （六） row: the three 2021 weights merged
		weights = append(append([]int(nil), t3Weights21[:18]...), 7)
	}
	sumW := 0
	for _, w := range weights {
		sumW += w
	}
	for c := range 6 {
		n := int(float64(scale)*share[c] + rng.Float64()*1.6 - 0.3)
		if c == 0 && scale > 0 && n == 0 {
			n = 1
		}
		n = max(n, 0)
		for range n {
			x := rng.IntN(sumW)
			for i, w := range weights {
				if x < w {
					t.rows[2+i][c]++
					break
				}
				x -= w
			}
		}
		t.rows[t.rowCarry()][c] = carryIn[c]
		t.rows[t.rowOut()][c] = carryOut[c]
		t.rows[t.rowTotal()][c] = n
		newc := n + carryOut[c] - carryIn[c]
		if newc < 0 {
			t.rows[2][c] += -newc
			t.rows[t.rowTotal()][c] += -newc
			newc = 0
		}
		t.rows[t.rowNew()][c] = newc
	}
	t.sumTotals()
}

// sumTotals sets the 总计 column of every row to the sum of the others.
func (t *table3) sumTotals() {
	for r := range t.rows {
		s := 0
		for c := range 6 {
			s += t.rows[r][c]
		}
		t.rows[r][t3Total] = s
	}
}

// check is one failing identity.
type check struct {
	rule string
	note string
}

// failing lists every T3-COL, T3-SUM and T3-ROW check that fails on the
// printed numbers (spec §3.5), one per check.
func (t *table3) failing() []check {
	var out []check
	for c := range 7 {
		l, r := t.rows[0][c]+t.rows[1][c], t.rows[t.rowTotal()][c]+t.rows[t.rowOut()][c]
		if l != r {
			out = append(out, check{"T3-COL", fmt.Sprintf("table 三 column %s: 一 + 二 = %d, （七）总计 + 四 = %d", t3Cols[c], l, r)})
		}
	}
	for c := range 7 {
		s := 0
		for i := range t.nres() {
			s += t.rows[2+i][c]
		}
		if s != t.rows[t.rowTotal()][c] {
			out = append(out, check{"T3-SUM", fmt.Sprintf("table 三 column %s: （七）总计 %d, sum of result rows %d", t3Cols[c], t.rows[t.rowTotal()][c], s)})
		}
	}
	for r := range t.rows {
		s := 0
		for c := range 6 {
			s += t.rows[r][c]
		}
		if s != t.rows[r][t3Total] {
			out = append(out, check{"T3-ROW", fmt.Sprintf("table 三 row %s: 总计 %d, sum of columns %d", t.rowName(r), t.rows[r][t3Total], s)})
		}
	}
	return out
}

// carry returns the 四、结转下年度 row without the total.
func (t *table3) carry() [6]int {
	var c [6]int
	copy(c[:], t.rows[t.rowOut()][:6])
	return c
}

// grid renders table 三 exactly as spec §3.3: the identity note in the
// top-left cell, the applicant header over three rows, group labels as
// rowspans.
func (t *table3) grid(brk bool) *grid {
	g := &grid{}
	corner := "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
	g.row(cell{text: corner, rs: 3, cs: 3, head: true}, cell{text: "申请人情况", cs: 7, head: true})
	g.row(cell{text: "自然人", rs: 2, head: true}, cell{text: "法人或其他组织", cs: 5, head: true}, cell{text: "总计", rs: 2, head: true})
	hdr := []cell{}
	for _, c := range t3Cols[1:6] {
		if brk && len([]rune(c)) > 4 {
			r := []rune(c)
			c = string(r[:len(r)/2]) + "\n" + string(r[len(r)/2:])
		}
		hdr = append(hdr, cell{text: c, head: true})
	}
	g.row(hdr...)
	labels := t.labels()
	nums := func(r int) []cell {
		cs := make([]cell, 7)
		for c := range 7 {
			cs[c] = cell{text: strconv.Itoa(t.rows[r][c]), num: true}
		}
		return cs
	}
	g.row(append([]cell{{text: labels[0], cs: 3}}, nums(0)...)...)
	g.row(append([]cell{{text: labels[1], cs: 3}}, nums(1)...)...)
	ndata := t.nres() + 1
	r := 2
	first := true
	lead := func() []cell {
		if first {
			first = false
			return []cell{{text: "三、本年度办理结果", rs: ndata}}
		}
		return nil
	}
	for i := range 2 {
		g.row(append(append(lead(), cell{text: labels[r], cs: 2}), nums(r)...)...)
		r++
		_ = i
	}
	group := func(name string, n int) {
		for i := range n {
			var cs []cell
			cs = append(cs, lead()...)
			if i == 0 {
				cs = append(cs, cell{text: name, rs: n})
			}
			cs = append(cs, cell{text: labels[r]})
			g.row(append(cs, nums(r)...)...)
			r++
		}
	}
	group("（三）不予公开", 8)
	group("（四）无法提供", 3)
	group("（五）不予处理", 5)
	if t.v2021 {
		group("（六）其他处理", 3)
	} else {
		g.row(append([]cell{{text: labels[r], cs: 2}}, nums(r)...)...)
		r++
	}
	g.row(append([]cell{{text: labels[r], cs: 2}}, nums(r)...)...)
	r++
	g.row(append([]cell{{text: labels[r], cs: 3}}, nums(r)...)...)
	return g
}

// table4 holds the 15 numbers of table 四: 行政复议, 未经复议直接起诉 and
// 复议后起诉, each 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
type table4 struct{ v [15]int }

var t4Groups = []string{"行政复议", "未经复议直接起诉", "复议后起诉"}
var t4Cols = []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}

func (t *table4) fill(rng *rand.Rand, scale int) {
	for g := range 3 {
		if rng.IntN(100) < 45 || scale == 0 {
			continue
		}
		for i := range 4 {
			lim := []int{4, 2, 2, 2}[i]
			if g > 0 {
				lim = []int{2, 1, 1, 1}[i]
			}
			t.v[g*5+i] = rng.IntN(lim + 1)
		}
	}
	t.sumTotals()
}

func (t *table4) sumTotals() {
	for g := range 3 {
		t.v[g*5+4] = t.v[g*5] + t.v[g*5+1] + t.v[g*5+2] + t.v[g*5+3]
	}
}

// failing lists every T4-SUM check that fails (spec §3.5).
func (t *table4) failing() []check {
	var out []check
	for g := range 3 {
		s := t.v[g*5] + t.v[g*5+1] + t.v[g*5+2] + t.v[g*5+3]
		if s != t.v[g*5+4] {
			out = append(out, check{"T4-SUM", fmt.Sprintf("table 四 %s: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = %d, 总计 %d", t4Groups[g], s, t.v[g*5+4])})
		}
	}
	return out
}

// grid renders table 四 as in the templates: 行政复议 over five columns,
// 行政诉讼 over ten, split into 未经复议直接起诉 and 复议后起诉.
func (t *table4) grid() *grid {
	g := &grid{}
	g.row(cell{text: "行政复议", cs: 5, head: true}, cell{text: "行政诉讼", cs: 10, head: true})
	var r2 []cell
	for _, c := range t4Cols {
		r2 = append(r2, cell{text: c, rs: 2, head: true})
	}
	r2 = append(r2, cell{text: "未经复议直接起诉", cs: 5, head: true}, cell{text: "复议后起诉", cs: 5, head: true})
	g.row(r2...)
	var r3 []cell
	for range 2 {
		for _, c := range t4Cols {
			r3 = append(r3, cell{text: c, head: true})
		}
	}
	g.row(r3...)
	var r4 []cell
	for _, v := range t.v {
		r4 = append(r4, cell{text: strconv.Itoa(v), num: true})
	}
	g.row(r4...)
	return g
}

// table2 holds table 二 in either format.
type table2 struct {
	v2021 bool
	// 2021: 规章, 行政规范性文件 × 本年制发件数, 本年废止件数, 现行有效件数.
	// 2019: 规章, 规范性文件 × 本年新制作数量, 本年新公开数量, 对外公开总数量.
	rules [2][3]int
	// 2021: 行政许可, 行政处罚, 行政强制 本年处理决定数量.
	decisions [3]int
	fee       string // 2021: 本年收费金额（单位：万元）
	// 2019: 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制 × 上一年项目数量, 本年增/减, 处理决定数量;
	// 行政事业性收费 × 上一年项目数量, 本年增/减.
	items  [4][3]int
	fees19 [2]int
	buy    [2]int // 政府集中采购: 采购项目数量, 采购总金额
}

func (t *table2) grid() *grid {
	g := &grid{}
	block := func(name string) { g.row(cell{text: name, cs: 4, head: true}) }
	num := func(v int) cell { return cell{text: strconv.Itoa(v), num: true} }
	if t.v2021 {
		block("第二十条第（一）项")
		g.row(cell{text: "信息内容", head: true}, cell{text: "本年制发件数", head: true}, cell{text: "本年废止件数", head: true}, cell{text: "现行有效件数", head: true})
		for i, name := range []string{"规章", "行政规范性文件"} {
			g.row(cell{text: name}, num(t.rules[i][0]), num(t.rules[i][1]), num(t.rules[i][2]))
		}
		block("第二十条第（五）项")
		g.row(cell{text: "信息内容", head: true}, cell{text: "本年处理决定数量", cs: 3, head: true})
		g.row(cell{text: "行政许可"}, cell{text: strconv.Itoa(t.decisions[0]), cs: 3, num: true})
		block("第二十条第（六）项")
		g.row(cell{text: "信息内容", head: true}, cell{text: "本年处理决定数量", cs: 3, head: true})
		g.row(cell{text: "行政处罚"}, cell{text: strconv.Itoa(t.decisions[1]), cs: 3, num: true})
		g.row(cell{text: "行政强制"}, cell{text: strconv.Itoa(t.decisions[2]), cs: 3, num: true})
		block("第二十条第（八）项")
		g.row(cell{text: "信息内容", head: true}, cell{text: "本年收费金额（单位：万元）", cs: 3, head: true})
		g.row(cell{text: "行政事业性收费"}, cell{text: t.fee, cs: 3, num: true})
		return g
	}
	block("第二十条第（一）项")
	g.row(cell{text: "信息内容", head: true}, cell{text: "本年新制作数量", head: true}, cell{text: "本年新公开数量", head: true}, cell{text: "对外公开总数量", head: true})
	for i, name := range []string{"规章", "规范性文件"} {
		g.row(cell{text: name}, num(t.rules[i][0]), num(t.rules[i][1]), num(t.rules[i][2]))
	}
	itemHead := func() {
		g.row(cell{text: "信息内容", head: true}, cell{text: "上一年项目数量", head: true}, cell{text: "本年增/减", head: true}, cell{text: "处理决定数量", head: true})
	}
	block("第二十条第（五）项")
	itemHead()
	for i, name := range []string{"行政许可", "其他对外管理服务事项"} {
		g.row(cell{text: name}, num(t.items[i][0]), num(t.items[i][1]), num(t.items[i][2]))
	}
	block("第二十条第（六）项")
	itemHead()
	for i, name := range []string{"行政处罚", "行政强制"} {
		g.row(cell{text: name}, num(t.items[2+i][0]), num(t.items[2+i][1]), num(t.items[2+i][2]))
	}
	block("第二十条第（八）项")
	g.row(cell{text: "信息内容", head: true}, cell{text: "上一年项目数量", head: true}, cell{text: "本年增/减", cs: 2, head: true})
	g.row(cell{text: "行政事业性收费"}, num(t.fees19[0]), cell{text: strconv.Itoa(t.fees19[1]), cs: 2, num: true})
	block("第二十条第（九）项")
	g.row(cell{text: "信息内容", head: true}, cell{text: "采购项目数量", head: true}, cell{text: "采购总金额", cs: 2, head: true})
	g.row(cell{text: "政府集中采购"}, num(t.buy[0]), cell{text: strconv.Itoa(t.buy[1]), cs: 2, num: true})
	return g
}

// grid is a table with row and column spans, in source order: each row
// lists only the cells that start in it, as in HTML.
type grid struct{ rows [][]cell }

type cell struct {
	text   string // "\n" marks a line break inside the cell
	rs, cs int    // spans; 0 means 1
	head   bool
	num    bool
}

func (g *grid) row(cs ...cell) { g.rows = append(g.rows, cs) }

func span(v int) int { return max(v, 1) }

// width is the number of grid columns.
func (g *grid) width() int {
	w := 0
	for _, c := range g.rows[0] {
		w += span(c.cs)
	}
	return w
}

// placed is a cell at its grid position.
type placed struct {
	cell
	r, c int
}

// layout assigns grid positions to every cell, honouring rowspans from
// rows above, and reports the positions covered by spans as
// cont[r][c] = origin.
func (g *grid) layout() (cells [][]placed, cont map[[2]int]placed) {
	w := g.width()
	cont = map[[2]int]placed{}
	cells = make([][]placed, len(g.rows))
	for r, row := range g.rows {
		c := 0
		for _, cl := range row {
			for c < w {
				if _, ok := cont[[2]int{r, c}]; !ok {
					break
				}
				c++
			}
			p := placed{cell: cl, r: r, c: c}
			cells[r] = append(cells[r], p)
			for dr := range span(cl.rs) {
				for dc := range span(cl.cs) {
					if dr == 0 && dc == 0 {
						continue
					}
					cont[[2]int{r + dr, c + dc}] = p
				}
			}
			c += span(cl.cs)
		}
	}
	return cells, cont
}
