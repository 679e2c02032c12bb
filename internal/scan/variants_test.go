package scan

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/result"
)

// TestReportVariants changes one thing at a time in the 2021-template
// report (testdata/roundtrip/report.html, whose only defect is the planted
// T3-COL failure in two columns) the way real reports differ, and checks
// that exactly the expected findings come out: a realistic variation must
// not turn into a cascade of false errors.
func TestReportVariants(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("..", "..", "testdata", "roundtrip", "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	planted := []string{"T3-COL", "T3-COL"}
	tests := []struct {
		name     string
		old, new string
		want     []string // errors and warnings besides the planted ones
		replaced bool     // the change removes what the planted defect needs
	}{
		{"first item of a group shortened", "<td>1.属于国家秘密</td>", "<td>1.国家秘密</td>", nil, false},
		{"first item of another group reworded", "<td>1.本机关不掌握相关政府信息</td>", "<td>1.本机关不掌握</td>", nil, false},
		{"label misprinted", "<td>2.其他法律行政法规禁止公开</td>", "<td>2.其他法律行政止公开</td>", nil, false},
		{"words in the first value cell", "<td colspan=\"2\">（一）予以公开</td><td>58</td>", "<td colspan=\"2\">（一）予以公开</td><td>详见附件</td>", []string{"CELL-TEXT"}, false},
		{"words in a table 二 cell", "<td>行政许可</td><td colspan=\"3\">3826</td>", "<td>行政许可</td><td colspan=\"3\">详见附件</td>", []string{"CELL-TEXT"}, false},
		{"last row of table 三 missing", `<tr><td colspan="3">四、结转下年度继续办理</td><td>9</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>11</td></tr>`, "", []string{"TBL-ROW"}, true},
		{"prose citing Art. 20 before the tables", "<h2>二、主动公开政府信息情况</h2>", "<h2>二、主动公开政府信息情况</h2><p>严格按照《条例》第二十条规定，做好主动公开工作。</p>" + strings.Repeat("<p>全年主动公开政府信息，内容涵盖各个领域，及时准确。</p>", 70), nil, false},
		{"table 四 all blank", "<tr><td>3</td><td>1</td><td>0</td><td>1</td><td>5</td><td>2</td><td>0</td><td>1</td><td>0</td><td>3</td><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td></tr>",
			"<tr>" + strings.Repeat("<td></td>", 15) + "</tr>", []string{"TXT-TBL", "TXT-TBL"}, false},
		{"traditional characters", "1.属于国家秘密", "1.屬於國家秘密", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := strings.Replace(string(base), tt.old, tt.new, 1)
			if page == string(base) {
				t.Fatalf("%q is not in report.html", tt.old)
			}
			d := checkText(t, "report.html", []byte(page), Options{})
			var got []string
			for _, f := range d.Findings {
				if f.Severity != result.SeverityInfo {
					got = append(got, f.Rule)
				}
			}
			want := append([]string{}, tt.want...)
			if !tt.replaced {
				want = append(want, planted...)
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				var all []string
				for _, f := range d.Findings {
					all = append(all, f.Rule+": "+f.Messages.En)
				}
				t.Errorf("findings %v, want %v\n%s", got, want, strings.Join(all, "\n"))
			}
		})
	}
}
