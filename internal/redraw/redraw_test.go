package redraw

import (
	"slices"
	"testing"

	"github.com/ogicheck/ogicheck/result"
)

func num(col, raw string) result.Cell {
	return result.Cell{Column: col, Raw: raw, State: result.CellNumber}
}

// doc has a table 三 cut down to two columns and four rows, whose 商业企业
// column breaks T3-COL (421 + 20 ≠ 410 + 30), and a table 四 with grouped
// columns.
func doc() *result.Document {
	cols := []string{"自然人", "商业企业"}
	return &result.Document{Tables: []result.Table{
		{ID: "三", Columns: cols, Rows: []result.Row{
			{Label: "一、本年新收政府信息公开申请数量", Cells: []result.Cell{num("自然人", "13500"), num("商业企业", "421")}},
			{Label: "二、上年结转政府信息公开申请数量", Cells: []result.Cell{num("自然人", "530"), num("商业企业", "20")}},
			{Block: "（三）不予公开", Label: "1.属于国家秘密", Cells: []result.Cell{num("自然人", "26")}},
			{Block: "三、本年度办理结果", Label: "（七）总计", Cells: []result.Cell{num("自然人", "13260"), num("商业企业", "410")}},
			{Label: "四、结转下年度继续办理", Cells: []result.Cell{num("自然人", "770"), num("商业企业", "30"), num("备注", "x")}},
		}},
		{ID: "四", Columns: []string{"行政复议/结果维持", "行政复议/总计"}, Rows: []result.Row{
			{Label: "政府信息公开行政复议、行政诉讼情况", Cells: []result.Cell{num("行政复议/结果维持", "10"), num("行政复议/总计", "0")}},
		}},
	}}
}

var t3col = result.Finding{Rule: "T3-COL", Evidence: result.Evidence{Table: "三", Row: "一、本年新收政府信息公开申请数量", Column: "商业企业",
	Cells: []result.CellRef{
		{Row: "一、本年新收政府信息公开申请数量", Column: "商业企业", Raw: "421"},
		{Row: "二、上年结转政府信息公开申请数量", Column: "商业企业", Raw: "20"},
		{Row: "（七）总计", Column: "商业企业", Raw: "410"},
		{Row: "四、结转下年度继续办理", Column: "商业企业", Raw: "30"},
	}}}

func marked(t Table) []string {
	var out []string
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if len(c.Marks) > 0 {
				out = append(out, r.Label+"|"+c.Column+"|"+c.Raw)
			}
		}
	}
	return out
}

func TestLayoutMarksCells(t *testing.T) {
	t4 := result.Finding{Rule: "T4-SUM", Evidence: result.Evidence{Table: "四", Row: "政府信息公开行政复议、行政诉讼情况", Column: "总计",
		Cells: []result.CellRef{{Row: "政府信息公开行政复议、行政诉讼情况", Column: "行政复议/结果维持", Raw: "10"}}}}
	secret := result.Finding{Rule: "CELL-TEXT", Evidence: result.Evidence{Table: "三", Row: "（三）不予公开 1.属于国家秘密", Column: "自然人"}}
	tables := Layout(doc(), []result.Finding{t3col, t4, secret})
	if len(tables) != 2 {
		t.Fatalf("got %d tables, want 2", len(tables))
	}
	t3 := tables[0]
	if want := []string{"自然人", "商业企业", "备注"}; !slices.Equal(t3.Columns, want) {
		t.Errorf("columns %q, want %q (a cell beyond the template kept as a column)", t3.Columns, want)
	}
	want := []string{
		"一、本年新收政府信息公开申请数量|商业企业|421",
		"二、上年结转政府信息公开申请数量|商业企业|20",
		"1.属于国家秘密|自然人|26",
		"（七）总计|商业企业|410",
		"四、结转下年度继续办理|商业企业|30",
	}
	if got := marked(t3); !slices.Equal(got, want) {
		t.Errorf("marked cells of 三\n got %q\nwant %q", got, want)
	}
	if c := t3.Rows[2].Cells[0]; !c.Focus || !slices.Equal(c.Marks, []int{2}) {
		t.Errorf("grouped row's cell: focus %v marks %v, want focus and finding 2", c.Focus, c.Marks)
	}
	if c := t3.Rows[2].Cells[1]; c.State != result.CellMissing {
		t.Errorf("absent cell state %q, want missing", c.State)
	}
	if c := t3.Rows[0].Cells[1]; !c.Focus {
		t.Errorf("the finding's own cell is not in focus")
	}
	if c := t3.Rows[1].Cells[1]; c.Focus {
		t.Errorf("a cell the identity only involves is in focus")
	}
	// "总计" names 行政复议/总计 in table 四's grouped columns
	if got, want := marked(tables[1]), []string{"政府信息公开行政复议、行政诉讼情况|行政复议/结果维持|10", "政府信息公开行政复议、行政诉讼情况|行政复议/总计|0"}; !slices.Equal(got, want) {
		t.Errorf("marked cells of 四\n got %q\nwant %q", got, want)
	}
}

func TestForFinding(t *testing.T) {
	cut, ok := ForFinding(doc(), t3col)
	if !ok {
		t.Fatal("no table for a T3-COL finding")
	}
	if !slices.Equal(cut.Columns, []string{"商业企业"}) || len(cut.Rows) != 4 {
		t.Fatalf("cut to columns %q and %d rows, want [商业企业] and 4", cut.Columns, len(cut.Rows))
	}
	if cut.Rows[2].Label != "（七）总计" || cut.Rows[2].Cells[0].Raw != "410" {
		t.Errorf("third row %+v, want （七）总计 410", cut.Rows[2])
	}
	// a row named without cells comes whole
	missing := result.Finding{Evidence: result.Evidence{Table: "三", Row: "四、结转下年度继续办理"}}
	cut, ok = ForFinding(doc(), missing)
	if !ok || len(cut.Rows) != 1 || len(cut.Columns) != 3 || !slices.Equal(cut.Rows[0].Marks, []int{0}) {
		t.Errorf("row finding: ok %v, table %+v; want the whole row marked", ok, cut)
	}
	for _, f := range []result.Finding{
		{Evidence: result.Evidence{Table: "二", Row: "规章"}},
		{Evidence: result.Evidence{Table: "三", Row: "no such row", Column: "商业企业"}},
		{Evidence: result.Evidence{Section: 2}},
	} {
		if _, ok := ForFinding(doc(), f); ok {
			t.Errorf("ForFinding(%+v) found a table", f.Evidence)
		}
	}
	if _, ok := ForFinding(nil, t3col); ok {
		t.Error("ForFinding(nil doc) found a table")
	}
}
