package textdoc

import (
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

func read(t *testing.T, s string) *document.Document {
	t.Helper()
	d, err := Read(context.Background(), document.Input{Source: "x.txt", Data: []byte(s)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func rows(d *document.Document) [][]string {
	var out [][]string
	for _, b := range d.Blocks {
		if b.Table == nil {
			continue
		}
		for _, r := range b.Table.Rows {
			var cs []string
			for _, c := range r {
				cs = append(cs, c.Text)
			}
			out = append(out, cs)
		}
	}
	return out
}

func TestTableForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string
	}{
		{"pipes", "规章 | 0 | 0 | 0 | |\n", [][]string{{"规章", "0", "0", "0", ""}}},
		{"pipes, empty middle cell", "（一）予以公开 | 5 | | 0 |", [][]string{{"（一）予以公开", "5", "", "0"}}},
		{"label and numbers", "一、本年新收政府信息公开申请数量                             21    0      0     0   0   0     21\n",
			[][]string{{"一、本年新收政府信息公开申请数量", "21", "0", "0", "0", "0", "0", "21"}}},
		{"numbers only", " 1    1      0   0    2   1    0   0   0    1   2   0     1   0   3", [][]string{{"1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"}}},
		{"spaced label", "4.无正当理由大量反复 申请        0    0   0", [][]string{{"4.无正当理由大量反复申请", "0", "0", "0"}}},
		{"prose ending in numbers is text", "全年共受理申请，办结率达到。 2019 2020", nil},
		{"a date is text", "起至 2023 年 12 月 31 日止", nil},
		{"one number is text", "电话 0517", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rows(read(t, tt.in))
			if strings.Join(flat(got), "|") != strings.Join(flat(tt.want), "|") || len(got) != len(tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func flat(rs [][]string) []string {
	var out []string
	for _, r := range rs {
		out = append(out, strings.Join(r, "¦"))
	}
	return out
}

func TestTitle(t *testing.T) {
	d := read(t, "红桥区市场监管局2019年\n政务公开工作要点\n发布时间:2019-03-05 10:00\n正文\n")
	if d.Title != "红桥区市场监管局2019年政务公开工作要点" {
		t.Errorf("title = %q", d.Title)
	}
}

func TestLineEndingsAndGBK(t *testing.T) {
	text := "天津市某局2018年政府信息公开年度报告\r\n一、总体情况\r二、主动公开政府信息情况\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), document.Input{Source: "gbk.txt", Data: gbk})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Lines(); len(got) != 3 || got[2] != "二、主动公开政府信息情况" {
		t.Errorf("lines = %q (charset %s)", got, d.Charset)
	}
}

func TestSeedTables(t *testing.T) {
	data, err := os.ReadFile("testdata/seed004.txt")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), document.Input{Source: "seed004.txt", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	got := rows(d)
	var t4 []string
	for _, r := range got {
		if len(r) == 15 {
			t4 = r
		}
	}
	if strings.Join(t4, ",") != "0,0,0,0,0,0,0,0,1,1,0,0,0,0,0" {
		t.Errorf("table 四 row = %q", t4)
	}
	if len(got) < 40 {
		t.Errorf("only %d table rows read", len(got))
	}
}

func FuzzRead(f *testing.F) {
	if data, err := os.ReadFile("testdata/seed004.txt"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("a | b | c\n1 2 3\r\n\r| |\n"))
	f.Add([]byte("label 1 2 — 3\n增413 减5\n"))
	hostile.AddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d *document.Document
		var err error
		hostile.Within(t, func(ctx context.Context) {
			d, err = Read(ctx, document.Input{Source: "fuzz.txt", Data: data, Limits: document.Limits{MaxCells: 1000}})
		})
		if err != nil {
			return
		}
		cells := 0
		for _, b := range d.Blocks {
			if b.Table != nil {
				for _, r := range b.Table.Rows {
					cells += len(r)
				}
			}
		}
		if cells > 1000+64 {
			t.Fatalf("%d cells kept past the limit", cells)
		}
	})
}
