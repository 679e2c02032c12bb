package simnet

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// block is a piece of a document body in reading order.
type block struct {
	kind int
	text string
	g    *grid
}

const (
	bPara = iota
	bHeading
	bTable
	bSign // right-aligned signature lines (agency, date)
)

// chain carries the numbers one year's report hands to the next.
type chain struct {
	init  bool
	carry [6]int  // 四、结转下年度继续办理
	valid [2]int  // 现行有效件数: 规章, 行政规范性文件 (2021 format)
	items [4]int  // 上一年项目数量 of 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制 (2019 format)
	fee19 int     // 上一年项目数量 of 行政事业性收费 (2019 format)
	total [2]int  // 对外公开总数量 of 规章, 规范性文件 (2019 format)
	scale int     // applications per year, on average
	off   [16]int // text variant offsets per slot
}

// Text slots, for variant offsets.
const (
	sPreamble = iota
	sOpener
	sActive
	sApply
	sManage
	sPlatform
	sSupervise
	sAssess
	sProblems
	sImprove
	sFee
	sOther
	sHeading2
	sHeading5
	sOldHead
	sWrapper
)

// build generates the site's reports and serves them.
func (g *sg) build(cfg Config) error {
	g.prepare()
	for _, sub := range g.subs {
		sub.prepare()
	}
	return g.render(cfg)
}

// prepare generates the agency's reports and their URLs.
func (g *sg) prepare() {
	rng := g.rng
	g.ids = g.idBase + 100000 + rng.IntN(800000)
	var ch chain
	if g.ag.level == LevelGovernment {
		ch.scale = 10 + rng.IntN(100)
	} else {
		ch.scale = rng.IntN(25)
	}
	for i := range ch.off {
		ch.off[i] = rng.IntN(97)
	}
	for _, y := range g.years {
		r := g.reps[y]
		g.numbers(r, &ch)
		g.compose(r, &ch)
	}
	for _, x := range g.extras {
		g.composeOther(x)
	}
	if g.noColumn {
		for _, r := range g.reps {
			r.published = false
		}
	}
	g.assignPaths()
}

// numbers fills the tables of a 2019+ report and the text numbers of an
// old one, following the chain from the previous year.
func (g *sg) numbers(r *rep, ch *chain) {
	rng := g.rng
	if r.tmpl == tmplPre2019 {
		return
	}
	if r.pdf != "" {
		r.t2, r.t3, r.t4 = pdfTables(r.year)
		ch.carry = r.t3.carry()
		ch.valid = [2]int{r.t2.rules[0][2], r.t2.rules[1][2]}
		return
	}
	if !ch.init {
		ch.init = true
		for i := range ch.items {
			ch.items[i] = []int{40, 5, 30, 6}[i] + rng.IntN(60)
		}
		ch.fee19 = rng.IntN(20)
		ch.total = [2]int{rng.IntN(5), 10 + rng.IntN(60)}
		ch.valid = [2]int{rng.IntN(4), 8 + rng.IntN(40)}
	}
	still := r.transparent() // leaves the chain as it is
	v2021 := r.tmpl == tmpl2021 && r.defect != dDocTemplate
	if r.defect == dDocTemplate {
		r.tmpl = tmpl2019
	}

	scale := int(float64(ch.scale) * (0.6 + 0.8*rng.Float64()))
	if g.ag.level == LevelDepartment && rng.IntN(10) == 0 {
		scale = 0
	}
	var out [6]int
	if still {
		out = ch.carry
	} else {
		for c := range 2 {
			if scale > 0 && rng.IntN(4) == 0 {
				out[c] = 1 + rng.IntN(3)
			}
		}
	}
	if g.hongze && r.year == 2022 { // the 2023 PDF carries nothing over
		out = [6]int{}
	}
	t3 := newTable3(v2021)
	t3.fill(rng, scale, ch.carry, out)
	t4 := &table4{}
	t4.fill(rng, scale)

	t2 := &table2{v2021: v2021}
	if v2021 {
		target := [2]int{-1, -1}
		if g.hongze && r.year == 2022 {
			target = [2]int{0, 10} // what the 2023 PDF implies
		}
		for i := range 2 {
			a := rng.IntN([]int{2, 8}[i])
			b := rng.IntN(min(ch.valid[i]+a, 4) + 1)
			if still || r.defect == dDocTemplate {
				b = min(a, ch.valid[i]+a)
				a = b
			}
			if target[i] >= 0 {
				b = ch.valid[i] + a - target[i]
				if b < 0 {
					a, b = a-b, 0
				}
			}
			ch.valid[i] += a - b
			t2.rules[i] = [3]int{a, b, ch.valid[i]}
		}
		t2.decisions = [3]int{rng.IntN(3000), rng.IntN(800), rng.IntN(60)}
		if rng.IntN(3) == 0 {
			t2.fee = "0"
		} else {
			t2.fee = strconv.FormatFloat(float64(rng.IntN(90000))/100, 'f', -1, 64)
		}
	} else {
		for i := range 2 {
			made := rng.IntN([]int{2, 10}[i])
			pub := made
			if made > 0 && rng.IntN(3) == 0 {
				pub = made - 1
			}
			ch.total[i] += pub
			t2.rules[i] = [3]int{made, pub, ch.total[i]}
		}
		for i := range ch.items {
			d := rng.IntN(12) - 3
			if still {
				d = 0
			}
			d = max(d, -ch.items[i])
			t2.items[i] = [3]int{ch.items[i], d, rng.IntN(ch.items[i]*20 + 1)}
			ch.items[i] += d
		}
		d := rng.IntN(5) - 2
		if still {
			d = 0
		}
		d = max(d, -ch.fee19)
		t2.fees19 = [2]int{ch.fee19, d}
		ch.fee19 += d
		t2.buy = [2]int{rng.IntN(30), rng.IntN(5000000)}
	}
	ch.carry = t3.carry()

	// planted table defects: change printed cells
	k := 1 + rng.IntN(4)
	switch r.defect {
	case dT3Result:
		row := 2 + rng.IntN(2) // 予以公开 or 部分公开
		t3.rows[row][0] += k
	case dT3Total:
		t3.rows[t3.rowTotal()][0] += k
	case dT3TotalCol:
		t3.rows[2+rng.IntN(t3.nres())][t3Total] += k
	case dT3New:
		t3.rows[t3.rowNew()][1] += k
	case dT3XYear:
		t3.rows[t3.rowCarry()][0] += k
		if t3.rows[t3.rowNew()][0] >= k {
			t3.rows[t3.rowNew()][0] -= k
		} else {
			t3.rows[2][0] += k
			t3.rows[t3.rowTotal()][0] += k
		}
		t3.sumTotals()
	case dT4Sum:
		t4.v[4] += 1 + rng.IntN(2)
	case dTblMissing:
		t4 = nil
	}
	r.t2, r.t3, r.t4 = t2, t3, t4
}

// pdfTables are the numbers printed in the two real reports.
func pdfTables(year int) (*table2, *table3, *table4) {
	t3 := newTable3(false) // they print one （六）其他处理 row
	t2 := &table2{v2021: true}
	t4 := &table4{}
	set := func(row int, v int) { t3.rows[row][0] = v }
	if year == 2023 {
		t2.rules = [2][3]int{{0, 0, 0}, {0, 5, 5}}
		t2.decisions = [3]int{550, 4119, 195}
		t2.fee = "7730.28"
		set(0, 21)
		set(3, 4)
		set(4, 1)
		set(9, 1)
		set(10, 1)
		set(12, 10)
		set(13, 3)
		set(15, 1)
		set(t3.rowTotal(), 21)
		t4.v = [15]int{10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0}
	} else {
		t2.rules = [2][3]int{{0, 0, 0}, {3, 0, 8}}
		t2.decisions = [3]int{9487, 2776, 84}
		t2.fee = "7545"
		set(0, 95)
		set(2, 50)
		set(3, 9)
		set(6, 1)
		set(9, 1)
		set(10, 1)
		set(12, 31)
		set(13, 1)
		set(15, 1)
		set(t3.rowTotal(), 95)
		t4.v = [15]int{1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3}
	}
	t3.sumTotals()
	return t2, t3, t4
}

// variant picks a text variant: adjacent years always differ; a
// duplicate uses the previous year's choices.
func variant(ch *chain, slot, n int, r *rep) int {
	return (ch.off[slot] + r.theme) % n
}

func (g *sg) filler(r *rep, ch *chain) *strings.Replacer {
	rng := g.rng
	themeYear := r.theme
	th := yearTheme[themeYear]
	if th == "" {
		th = yearTheme[2025]
	}
	num := func(lo, hi int) string { return strconv.Itoa(lo + rng.IntN(hi-lo+1)) }
	v := map[string]string{
		"{A}": g.ag.full, "{SHORT}": g.ag.short, "{SELF}": g.ag.self, "{OFFICE}": g.ag.office,
		"{PARENT}": g.ag.parent,
		"{Y}":      strconv.Itoa(r.year), "{Y1}": strconv.Itoa(r.year + 1), "{THEME}": th,
		"{PUB}": num(180, 3200), "{JD}": num(4, 90), "{FB}": num(1, 12), "{WX}": num(40, 900),
		"{ZX}": num(1, 10), "{HOT}": num(3, 60), "{CHK}": num(2, 12), "{TR}": num(1, 6),
		"{RD}": num(0, 15), "{ZX2}": num(0, 12),
		"{TEL}":  fmt.Sprintf("0%d-%d", 510+rng.IntN(400), 80000000+rng.IntN(9999999)),
		"{ADDR}": g.ag.place + []string{"人民路", "府前街", "政通路", "行政中心"}[rng.IntN(4)] + num(1, 300) + "号",
		"{ZIP}":  num(100000, 850000),
	}
	if rng.IntN(4) == 0 {
		v["{FEEN}"], v["{FEE}"] = num(1, 2), num(100, 600)
	} else {
		v["{FEEN}"], v["{FEE}"] = "0", "0"
	}
	if r.tmpl == tmplPre2019 {
		pub, _ := strconv.Atoi(v["{PUB}"])
		web := pub * (70 + rng.IntN(25)) / 100
		v["{WEB}"], v["{WX}"] = strconv.Itoa(web), strconv.Itoa(pub-web)
		v["{GF}"] = num(0, 15)
		dt := pub * 6 / 10
		fg := (pub - dt) / 2
		v["{DT}"], v["{FG}"], v["{GH}"] = strconv.Itoa(dt), strconv.Itoa(fg), strconv.Itoa(pub-dt-fg)
		netN, mail, face := rng.IntN(ch.scale/2+4), rng.IntN(3), rng.IntN(4)
		total := netN + mail + face
		deny := rng.IntN(total/4 + 1)
		noex := rng.IntN(total - deny + 1)
		v["{NEWOLD}"], v["{NET}"], v["{MAIL}"], v["{FACE}"] = strconv.Itoa(total), strconv.Itoa(netN), strconv.Itoa(mail), strconv.Itoa(face)
		v["{DENY}"], v["{NOEX}"], v["{AGREE}"] = strconv.Itoa(deny), strconv.Itoa(noex), strconv.Itoa(total-deny-noex)
		v["{OREV}"] = num(0, 2)
	} else {
		r.quoted = r.t3.rows[0][t3Total]
		if r.defect == dTxtTbl {
			r.quoted += 3 + rng.IntN(20)
		}
		v["{NEW}"] = strconv.Itoa(r.quoted)
		fy := 0
		if r.t4 != nil {
			fy = r.t4.v[4]
		}
		v["{FY}"] = strconv.Itoa(fy)
	}
	r.vals = v
	pairs := make([]string, 0, 2*len(v))
	for k, x := range v {
		pairs = append(pairs, k, x)
	}
	return strings.NewReplacer(pairs...)
}

// compose writes the report's title and body.
func (g *sg) compose(r *rep, ch *chain) {
	if r.defect == dDup {
		r.theme = r.year - 1
	}
	g.title(r)
	if r.pdf != "" {
		return // the real PDF is the document
	}
	rp := g.filler(r, ch)
	pick := func(slot int, bank []string) string {
		return rp.Replace(bank[variant(ch, slot, len(bank), r)])
	}
	var bs []block
	para := func(s string) { bs = append(bs, block{kind: bPara, text: s}) }
	head := func(s string) { bs = append(bs, block{kind: bHeading, text: s}) }
	if r.tmpl == tmplPre2019 {
		para(pick(sPreamble, bankOldPreamble))
		hs := oldHeadings[ch.off[sOldHead]%len(oldHeadings)]
		bodies := []string{pick(sOpener, bankOldOverview), pick(sActive, bankOldActive), pick(sApply, bankOldApply),
			pick(sManage, bankOldFee), pick(sPlatform, bankOldReview), pick(sProblems, bankOldProblems), pick(sOther, bankOldOther)}
		n := 0
		for i := range hs {
			if i == 4 && r.defect == dNoReview {
				continue
			}
			// renumber so that dropping a section leaves no gap
			head(cnNum[n] + "、" + strings.SplitN(hs[i], "、", 2)[1])
			para(bodies[i])
			n++
		}
	} else {
		if r.defect == dPubUnknown { // not even a statistics period: no date anywhere
			para(rp.Replace(bankPreamble[1]))
		} else {
			para(pick(sPreamble, bankPreamble))
		}
		head(headings[0][0])
		para(pick(sOpener, bankOpener))
		para(pick(sActive, bankActive))
		para(pick(sApply, bankApply))
		para(pick(sManage, bankManage))
		para(pick(sPlatform, bankPlatform))
		sup := pick(sSupervise, bankSupervise)
		if g.ag.level == LevelGovernment {
			sup += pick(sAssess, bankGovAssess)
		}
		para(sup)
		head(headings[1][ch.off[sHeading2]%2])
		bs = append(bs, block{kind: bTable, g: r.t2.grid()})
		head(headings[2][0])
		bs = append(bs, block{kind: bTable, g: r.t3.grid(g.st.brk)})
		head(headings[3][0])
		if r.t4 != nil {
			bs = append(bs, block{kind: bTable, g: r.t4.grid()})
		} else {
			para(rp.Replace(bankNoTable4))
		}
		if r.defect != dSecMissing {
			head(headings[4][ch.off[sHeading5]%2])
			para(pick(sProblems, bankProblems))
			para(pick(sImprove, bankImprove))
		}
		head(headings[5][0])
		switch {
		case r.defect == dNoFee:
			para(pick(sOther, bankOtherNoFee))
		case r.year >= 2021:
			para("（一）信息处理费收取情况。" + pick(sFee, bankFee))
			para(pick(sOther, bankOther))
		default:
			para(pick(sOther, bankOther19))
		}
	}
	if r.hasDate {
		bs = append(bs, block{kind: bSign, text: g.ag.full}, block{kind: bSign, text: cnDate(r.sign)})
	}
	r.body = bs
	var sb strings.Builder
	for _, b := range bs {
		if b.kind == bPara || b.kind == bHeading {
			sb.WriteString(b.text)
			sb.WriteByte('\n')
		}
	}
	r.text = sb.String()
}

var cnNum = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func cnDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func (g *sg) title(r *rep) {
	a, y := g.ag.full, strconv.Itoa(r.year)
	if r.pdf != "" {
		r.title = map[int]string{2023: "洪泽区人民政府2023年政府信息公开工作年度报告", 2024: "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"}[r.year]
		return
	}
	pat := g.st.titlePat
	if r.tmpl == tmplPre2019 && pat == 3 {
		pat = 0
	}
	switch pat {
	case 1:
		r.title = a + y + "年度政府信息公开工作年度报告"
	case 2:
		r.title = y + "年" + a + "政府信息公开工作年度报告"
	case 3:
		r.title = a + y + "年政府信息公开年度报告"
	default:
		r.title = a + y + "年政府信息公开工作年度报告"
	}
}

// composeOther writes a non-report placed in the 年报 column.
func (g *sg) composeOther(x *rep) {
	var ch chain
	rp := g.filler(&rep{year: x.year, tmpl: tmplPre2019, theme: x.year}, &ch)
	var lines []string
	if x.other == "plan" {
		x.title = g.ag.full + strconv.Itoa(x.year) + "年政务公开工作要点"
		lines = planText
	} else {
		x.title = "关于报送" + g.ag.full + strconv.Itoa(x.year) + "年度政府信息公开工作年度报告的函"
		lines = letterText
	}
	for _, l := range lines {
		x.body = append(x.body, block{kind: bPara, text: rp.Replace(l)})
	}
	x.body = append(x.body, block{kind: bSign, text: g.ag.full}, block{kind: bSign, text: cnDate(x.sign)})
}

// assignPaths gives every published entry and attachment its URL path.
func (g *sg) assignPaths() {
	rng := g.rng
	id := func() int { g.ids += 1 + rng.IntN(40); return g.ids }
	page := func(r *rep) {
		p := r.pub
		switch g.s.Layout {
		case LayoutJCMS:
			r.path = fmt.Sprintf("/art/%d/%d/%d/art_%d_%d.html", p.Year(), int(p.Month()), p.Day(), g.st.colID, 50000000+id())
		case LayoutVSB:
			r.path = fmt.Sprintf("/info/%d/%d.htm", 1000+g.st.colID%900, id())
		case LayoutGkmlpt:
			n := 4000000 + id()
			r.path = fmt.Sprintf("/gkmlpt/content/%d/%d/post_%d.html", n/1000000, n/1000, n)
		default:
			r.path = fmt.Sprintf("%s/%s/t%s_%d.html", g.st.colDir, p.Format("200601"), p.Format("20060102"), id())
		}
	}
	attPath := func(r *rep, a *att) {
		switch g.s.Layout {
		case LayoutJCMS:
			a.path = fmt.Sprintf("/attach/0/%016x%016x%s", rng.Uint64(), rng.Uint64(), a.ext)
		case LayoutVSB:
			a.path = fmt.Sprintf("/__local/%X/%02X/%016X%s", rng.IntN(16), rng.IntN(256), rng.Uint64(), a.ext)
		case LayoutGkmlpt:
			a.path = fmt.Sprintf("/attachment/0/%d/%d/%d%s", 500+rng.IntN(400), 500000+rng.IntN(400000), 4000000+rng.IntN(999999), a.ext)
		default:
			dir := r.path[:strings.LastIndex(r.path, "/")]
			a.path = fmt.Sprintf("%s/P0%s%09d%s", dir, r.pub.Format("20060102"), rng.IntN(1e9), a.ext)
		}
	}
	for _, y := range g.years {
		r := g.reps[y]
		if !r.published {
			continue
		}
		page(r)
		switch r.format {
		case "docx":
			if len(r.atts) == 0 { // a fault target already has its attachment
				r.atts = []*att{{}}
			}
			r.atts[0].ext, r.atts[0].name = ".docx", r.title+".docx"
		case "pdf":
			r.atts = []*att{{ext: ".pdf", name: fmt.Sprintf("洪泽区%d年政府信息公开工作年度报告.pdf", r.year)}}
		case "broken":
			ext := ".pdf"
			if r.defect == dSoft404 {
				ext = ".doc"
			}
			r.atts = []*att{{ext: ext, name: r.title + ext}}
		}
		for _, a := range r.atts {
			if a.fault == fHuge {
				a.ext, a.name = ".pdf", "政府信息公开情况统计表（扫描件）.pdf"
			}
			attPath(r, a)
		}
	}
	for _, x := range g.extras {
		page(x)
	}
}
