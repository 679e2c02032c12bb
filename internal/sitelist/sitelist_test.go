package sitelist

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestExample reads the example list shipped with ogicheck, as Excel saves
// it in UTF-8 (with a byte-order mark) and in GBK.
func TestExample(t *testing.T) {
	utf, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sites", "binjiang.csv"))
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.TrimPrefix(utf, []byte("\xef\xbb\xbf")))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"utf-8 with BOM": utf, "gbk": gbk} {
		t.Run(name, func(t *testing.T) {
			sites, err := ParseCSV("binjiang.csv", data)
			if err != nil {
				t.Fatal(err)
			}
			if len(sites) != 57 {
				t.Errorf("%d sites, want 57", len(sites))
			}
			first := sites[0]
			want := Site{Line: 2, Name: "滨江市人民政府", URL: "http://www.binjiang.invalid/", Level: "government", Region: "滨江市", Parent: "江南省人民政府", Tier: "prefecture"}
			if first != want {
				t.Errorf("first site %+v, want %+v", first, want)
			}
			for _, s := range sites {
				if !strings.HasSuffix(strings.TrimSuffix(hostOf(s.URL), "/"), ".invalid") {
					t.Errorf("%s: a real host in the example", s.URL)
				}
			}
		})
	}
}

func hostOf(u string) string {
	u = strings.TrimPrefix(u, "http://")
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	return u
}

// TestErrors: every mistake is reported with its line and field.
func TestErrors(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string
	}{
		{"missing column", "name,level\n甲,部门\n", []string{"sites.csv:1: url: required column missing"}},
		{"unknown column", "name,url,colour\n甲,http://a.invalid/,红\n", []string{"sites.csv:1: colour: unknown column"}},
		{"bad rows", "name,url,level,tier\n甲,ftp://a.invalid/,部门,\n,http://b.invalid/,局,\n丙,http://c.invalid/,政府,直辖\n丁,http://C.invalid,,\n",
			[]string{`sites.csv:2: url: "ftp://a.invalid/": want an http:// or https:// URL`, "sites.csv:3: name: empty",
				`sites.csv:3: level: "局": want department, government or township`, `sites.csv:4: tier: "直辖": want county, prefecture or province`,
				`sites.csv:5: url: "http://C.invalid" is also on line 4`}},
		{"empty", "", []string{"sites.csv: the file is empty"}},
		{"header only", "name,url\n\n", []string{"sites.csv: no sites listed"}},
		{"quote", "name,url\n\"甲,http://a.invalid/\n", []string{"sites.csv:2: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV("sites.csv", []byte(tt.file))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

func TestYAML(t *testing.T) {
	good := "sites:\n  - name: 滨江市教育局\n    url: http://jyj.binjiang.invalid/\n    level: department\n    region: 滨江市\n  - name: 滨江市人民政府\n    url: http://www.binjiang.invalid/\n    level: 政府\n    tier: 地级\n"
	sites, err := ParseYAML("sites.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 2 || sites[1].Level != "government" || sites[1].Tier != "prefecture" || sites[1].Line != 6 || sites[0].Region != "滨江市" {
		t.Errorf("sites %+v", sites)
	}
	bad := "- name: 甲\n  url: http://a.invalid/\n  colour: 红\n- name: 乙\n  url: nope\n"
	_, err = ParseYAML("sites.yaml", []byte(bad))
	for _, w := range []string{"sites.yaml:3: colour: unknown field", `sites.yaml:4: url: "nope": want an http:// or https:// URL`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v, want it to contain %q", err, w)
		}
	}
}

// TestWriteCSV: what WriteCSV writes reads back the same.
func TestWriteCSV(t *testing.T) {
	in := []Site{{Name: "甲, 乙", URL: "http://a.invalid/", Level: "department", Region: "滨江市", Parent: "滨江市人民政府"}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ParseCSV("x.csv", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	in[0].Line = 2
	if out[0] != in[0] {
		t.Errorf("got %+v, want %+v", out[0], in[0])
	}
}
