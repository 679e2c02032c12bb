package simnet

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// agency is who publishes on a site and how its reports speak of itself.
type agency struct {
	full   string // 滨江市东湖区市场监督管理局
	short  string // 东湖区市场监管局
	self   string // 我局
	office string // 局办公室
	parent string // the office a department reports to (for letters)
	place  string // where it sits, for addresses
	level  string
}

// Fictional cities and districts: plausible names that are not meant to
// point at any real agency.
var cities = []string{"滨江市", "云岭市", "青川市", "南屏市", "临湖市", "安澜市"}

var districts = []string{"东湖区", "西山县", "北塘区", "南溪县", "桃源县", "长宁区", "清平县", "安平县",
	"秀水区", "龙泉县", "江口区", "白石县", "新桥区", "松岗县", "凤鸣区", "石门县", "金沙区", "玉屏县"}

type dept struct{ name, short, self string }

var depts = []dept{
	{"教育局", "教育局", "我局"},
	{"卫生健康委员会", "卫健委", "我委"},
	{"生态环境局", "生态环境局", "我局"},
	{"自然资源和规划局", "自然资源和规划局", "我局"},
	{"市场监督管理局", "市场监管局", "我局"},
	{"人力资源和社会保障局", "人社局", "我局"},
	{"住房和城乡建设局", "住建局", "我局"},
	{"发展和改革委员会", "发改委", "我委"},
	{"交通运输局", "交通运输局", "我局"},
	{"农业农村局", "农业农村局", "我局"},
	{"民政局", "民政局", "我局"},
	{"财政局", "财政局", "我局"},
	{"应急管理局", "应急管理局", "我局"},
	{"文化广电和旅游局", "文广旅局", "我局"},
	{"水利局", "水利局", "我局"},
	{"统计局", "统计局", "我局"},
	{"司法局", "司法局", "我局"},
	{"医疗保障局", "医保局", "我局"},
}

// hongze is the agency of the two real PDF reports.
var hongze = agency{
	full: "淮安市洪泽区人民政府", short: "洪泽区人民政府", self: "我区", office: "淮安市洪泽区人民政府办公室",
	parent: "淮安市人民政府办公室", place: "淮安市洪泽区", level: LevelGovernment,
}

// agencyNamer hands out unique agencies.
type agencyNamer struct {
	rng  *rand.Rand
	used map[string]bool
}

func (a *agencyNamer) next(level string) agency {
	for i := 0; ; i++ {
		city := cities[a.rng.IntN(len(cities))]
		dist := districts[a.rng.IntN(len(districts))]
		var ag agency
		if level == LevelGovernment {
			unit := "区"
			if strings.HasSuffix(dist, "县") {
				unit = "县"
			}
			ag = agency{
				full: city + dist + "人民政府", short: dist + "人民政府", self: "我" + unit,
				office: dist + "人民政府办公室", parent: city + "人民政府办公室", place: city + dist, level: level,
			}
			if i > 200 { // more sites than names: number the district
				ag.full = fmt.Sprintf("%s第%d%s人民政府", city, i, unit)
			}
		} else {
			d := depts[a.rng.IntN(len(depts))]
			// a city department or a district department
			if a.rng.IntN(2) == 0 {
				ag = agency{full: city + d.name, short: city + d.short, self: d.self,
					office: city + d.name + "办公室", parent: city + "人民政府办公室", place: city, level: level}
			} else {
				ag = agency{full: city + dist + d.name, short: dist + d.short, self: d.self,
					office: dist + d.name + "办公室", parent: dist + "人民政府办公室", place: city + dist, level: level}
			}
			if i > 200 {
				ag.full = fmt.Sprintf("%s第%d区%s", city, i, d.name)
			}
		}
		if !a.used[ag.full] {
			a.used[ag.full] = true
			return ag
		}
	}
}
