// Package sitelist reads the list of sites a supervising office scans: a
// CSV file as Excel exports it (UTF-8 with or without a byte-order mark,
// or GBK) or a YAML file, with the columns name, url, level, region,
// parent and, optionally, tier. Headers may be English or Chinese (名称,
// 网址, 级别, 地区, 上级, 层级). Every mistake is reported with its line and
// field, all of them at once.
package sitelist

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Site is one row of the list.
type Site struct {
	Line   int    // line in the file, for messages
	Name   string // the agency
	URL    string // its site or its 政府信息公开 专栏
	Level  string // department, government, township or ""
	Region string
	Parent string // the agency it answers to
	Tier   string // a government's tier: county, prefecture, province or ""
}

// Fields, in their order in a file.
var Fields = []string{"name", "url", "level", "region", "parent", "tier"}

// aliases maps header words to fields.
var aliases = map[string]string{
	"name": "name", "agency": "name", "名称": "name", "单位": "name", "单位名称": "name", "机关": "name", "机关名称": "name",
	"url": "url", "site": "url", "网址": "url", "网站": "url", "地址": "url", "网站地址": "url", "链接": "url",
	"level": "level", "级别": "level", "类别": "level", "类型": "level",
	"region": "region", "地区": "region", "区域": "region", "行政区划": "region", "所属地区": "region",
	"parent": "parent", "上级": "parent", "上级机关": "parent", "主管单位": "parent", "上级单位": "parent",
	"tier": "tier", "层级": "tier", "政府层级": "tier",
}

var levels = map[string]string{
	"": "", "department": "department", "government": "government", "township": "township",
	"部门": "department", "政府": "government", "人民政府": "government", "乡镇": "township", "街道": "township", "乡镇街道": "township",
}

var tiers = map[string]string{
	"": "", "county": "county", "prefecture": "prefecture", "province": "province",
	"县级": "county", "县": "county", "区县": "county", "地级": "prefecture", "市级": "prefecture", "设区的市": "prefecture", "省级": "province", "省": "province",
}

// Error is one mistake in a file.
type Error struct {
	File  string
	Line  int
	Field string // "" when the mistake is the row's or the file's
	Msg   string
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Field == "":
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// Load reads the list in path: YAML when its name ends in .yaml or .yml,
// CSV otherwise.
func Load(path string) ([]Site, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sites file: %w", err)
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".yaml" || ext == ".yml" {
		return ParseYAML(path, data)
	}
	return ParseCSV(path, data)
}

// ParseCSV reads a CSV list; name is the file's name for messages.
func ParseCSV(name string, data []byte) ([]Site, error) {
	text, err := decode(data)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, &Error{File: name, Msg: "the file is empty: want a header line (name,url,level,region,parent[,tier]) and one line per site"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	cols := map[string]int{}
	var errs []error
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		f, ok := aliases[key]
		switch {
		case key == "":
		case !ok:
			errs = append(errs, &Error{File: name, Line: 1, Field: h, Msg: "unknown column (want " + strings.Join(Fields, ", ") + ")"})
		case cols[f] != 0:
			errs = append(errs, &Error{File: name, Line: 1, Field: h, Msg: "the column " + f + " is given twice"})
		default:
			cols[f] = i + 1
		}
	}
	for _, f := range []string{"name", "url"} {
		if cols[f] == 0 {
			errs = append(errs, &Error{File: name, Line: 1, Field: f, Msg: "required column missing"})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var sites []Site
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		if blank(rec) {
			continue
		}
		get := func(f string) string {
			if i := cols[f]; i > 0 && i <= len(rec) {
				return strings.TrimSpace(rec[i-1])
			}
			return ""
		}
		sites = append(sites, Site{Line: line, Name: get("name"), URL: get("url"), Level: get("level"), Region: get("region"), Parent: get("parent"), Tier: get("tier")})
	}
	return check(name, sites)
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: name, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &Error{File: name, Msg: err.Error()}
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// decode turns the bytes into text: UTF-8 (a byte-order mark dropped), or
// GBK as Excel saves CSV on Chinese Windows.
func decode(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("neither UTF-8 nor GBK text: %v", err)
	}
	return string(out), nil
}

// ParseYAML reads a YAML list: a sequence of mappings with the fields as
// keys, at the top or under "sites".
func ParseYAML(name string, data []byte) ([]Site, error) {
	text, err := decode(data)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: name, Msg: "the file is empty: want a list of sites"}
	}
	root := doc.Content[0]
	if root.Kind == yaml.MappingNode {
		var list *yaml.Node
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "sites" {
				list = root.Content[i+1]
			}
		}
		if list == nil {
			return nil, &Error{File: name, Line: root.Line, Msg: "want a list of sites, or a sites: key holding one"}
		}
		root = list
	}
	if root.Kind != yaml.SequenceNode {
		return nil, &Error{File: name, Line: root.Line, Msg: "want a list of sites"}
	}
	var sites []Site
	var errs []error
	for _, item := range root.Content {
		if item.Kind != yaml.MappingNode {
			errs = append(errs, &Error{File: name, Line: item.Line, Msg: "a site is a mapping of name, url, level, region, parent, tier"})
			continue
		}
		st := Site{Line: item.Line}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			f, ok := aliases[strings.ToLower(k.Value)]
			if !ok {
				errs = append(errs, &Error{File: name, Line: k.Line, Field: k.Value, Msg: "unknown field (want " + strings.Join(Fields, ", ") + ")"})
				continue
			}
			if v.Kind != yaml.ScalarNode {
				errs = append(errs, &Error{File: name, Line: v.Line, Field: f, Msg: "want a single value"})
				continue
			}
			val := strings.TrimSpace(v.Value)
			switch f {
			case "name":
				st.Name = val
			case "url":
				st.URL = val
			case "level":
				st.Level = val
			case "region":
				st.Region = val
			case "parent":
				st.Parent = val
			case "tier":
				st.Tier = val
			}
		}
		sites = append(sites, st)
	}
	checked, err := check(name, sites)
	if err != nil || len(errs) > 0 {
		return nil, errors.Join(append(errs, err)...)
	}
	return checked, nil
}

// check validates and normalises the rows, reporting every mistake.
func check(name string, sites []Site) ([]Site, error) {
	var errs []error
	bad := func(s Site, field, format string, args ...any) {
		errs = append(errs, &Error{File: name, Line: s.Line, Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{}
	for i := range sites {
		s := &sites[i]
		if s.Name == "" {
			bad(*s, "name", "empty: every site needs the agency's name")
		}
		switch u, err := url.Parse(s.URL); {
		case s.URL == "":
			bad(*s, "url", "empty: every site needs its URL")
		case err != nil:
			bad(*s, "url", "%q: %v", s.URL, err)
		case u.Scheme != "http" && u.Scheme != "https":
			bad(*s, "url", "%q: want an http:// or https:// URL", s.URL)
		case u.Hostname() == "":
			bad(*s, "url", "%q: the URL has no host", s.URL)
		default:
			key := strings.TrimSuffix(strings.ToLower(u.Host)+u.EscapedPath(), "/")
			if first, dup := seen[key]; dup {
				bad(*s, "url", "%q is also on line %d", s.URL, first)
			}
			seen[key] = s.Line
		}
		if l, ok := levels[strings.ToLower(s.Level)]; ok {
			s.Level = l
		} else {
			bad(*s, "level", "%q: want department, government or township (部门, 政府, 乡镇)", s.Level)
		}
		if t, ok := tiers[strings.ToLower(s.Tier)]; ok {
			s.Tier = t
		} else {
			bad(*s, "tier", "%q: want county, prefecture or province (县级, 地级, 省级)", s.Tier)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(sites) == 0 {
		return nil, &Error{File: name, Msg: "no sites listed"}
	}
	return sites, nil
}

// WriteCSV writes sites as a CSV list with a header line.
func WriteCSV(w io.Writer, sites []Site) error {
	cw := csv.NewWriter(w)
	cw.Write(Fields)
	for _, s := range sites {
		cw.Write([]string{s.Name, s.URL, s.Level, s.Region, s.Parent, s.Tier})
	}
	cw.Flush()
	return cw.Error()
}
