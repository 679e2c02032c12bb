package annual

import (
	"regexp"
	"strings"

	"github.com/ogicheck/ogicheck/internal/norm"

	"github.com/ogicheck/ogicheck/result"
)

// From the 2021 report year the 本级政府 report's deadline depends on the
// government's tier (spec §2): county 02-20, prefecture 03-10, province
// 03-31. The tier is read from the name when the name tells it; a city name
// alone (…市人民政府) tells it only for the cities listed below, because a
// county-level city (县级市) is named the same way as a prefecture-level one.
// An unknown tier takes the latest deadline, so it never makes a report late.

// municipalities are the four province-level cities (直辖市).
var municipalities = map[string]bool{"北京": true, "天津": true, "上海": true, "重庆": true}

// prefectureCities are the prefecture-level cities (地级市), without 市.
// Autonomous prefectures (州), leagues (盟) and 地区 are told by their
// suffix; county-level cities are not listed and stay unknown unless the
// name puts them under a prefecture (…市…市).
var prefectureCities = func() map[string]bool {
	m := map[string]bool{}
	for _, province := range []string{
		"石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",                            // 河北
		"太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",                               // 山西
		"呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",                           // 内蒙古
		"沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",                     // 辽宁
		"长春 吉林 四平 辽源 通化 白山 松原 白城",                                        // 吉林
		"哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",                     // 黑龙江
		"南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",                        // 江苏
		"杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",                               // 浙江
		"合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",               // 安徽
		"福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",                                     // 福建
		"南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",                              // 江西
		"济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",                // 山东
		"郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店",          // 河南
		"武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",                            // 湖北
		"长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",                        // 湖南
		"广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮", // 广东
		"南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",                     // 广西
		"海口 三亚 三沙 儋州", // 海南
		"成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳", // 四川
		"贵阳 六盘水 遵义 安顺 毕节 铜仁",                   // 贵州
		"昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",              // 云南
		"拉萨 日喀则 昌都 林芝 山南 那曲",                   // 西藏
		"西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",        // 陕西
		"兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南", // 甘肃
		"西宁 海东",            // 青海
		"银川 石嘴山 吴忠 固原 中卫",  // 宁夏
		"乌鲁木齐 克拉玛依 吐鲁番 哈密", // 新疆
	} {
		for _, c := range strings.Fields(province) {
			m[c] = true
		}
	}
	return m
}()

// special zones (新区, 综合实验区, 开发区…) have administrative ranks their
// names do not tell: overridable per site, unknown from the name.
var specialZones = []string{"新区", "实验区", "开发区", "示范区", "园区", "高新区", "经济区", "合作区", "管理区", "特别行政区"}

// tierOf reads a government's tier from its name; ok is false when the
// name does not tell. why explains the decision in both languages.
func tierOf(name string) (tier result.Tier, why result.Text, ok bool) {
	n := strings.TrimSpace(name)
	for _, s := range []string{"人民政府", "政府", "行政公署", "管委会", "管理委员会"} {
		if strings.HasSuffix(n, s) {
			n = strings.TrimSuffix(n, s)
			if s == "管委会" || s == "管理委员会" {
				return "", result.Msg("机关名称「%s」：管委会按其被赋予的级别确定，名称不能说明", "agency name %s: a 管委会 has the rank it is given, which the name does not tell", name), false
			}
			break
		}
	}
	is := func(t result.Tier, zh, en string) (result.Tier, result.Text, bool) {
		return t, result.Msg("机关名称「%s」："+zh, "agency name %s: "+en, name), true
	}
	for _, z := range specialZones {
		if strings.HasSuffix(n, z) {
			return "", result.Msg("机关名称「%s」不能说明其行政级别（%s按其级别确定）", "agency name %s does not tell its rank (a %s has the rank it is given)", name, z), false
		}
	}
	// the provinces' own names come first: 自治区 ends in 区
	rest := n
	for _, p := range []string{"自治区", "省"} {
		if i := strings.Index(rest, p); i > 0 {
			if i+len(p) == len(rest) {
				return is(result.TierProvince, "省级政府", "a province-level government")
			}
			rest = rest[i+len(p):]
			break
		}
	}
	if municipalities[strings.TrimSuffix(rest, "市")] {
		return is(result.TierProvince, "直辖市，省级政府", "a municipality, province-level")
	}
	switch {
	// 地区 before 区
	case strings.HasSuffix(rest, "州"), strings.HasSuffix(rest, "盟"), strings.HasSuffix(rest, "地区"):
		return is(result.TierPrefecture, "州、盟或地区，地级", "a prefecture, league or 地区, prefecture-level")
	case strings.HasSuffix(rest, "区"), strings.HasSuffix(rest, "县"), strings.HasSuffix(rest, "旗"):
		return is(result.TierCounty, "县、区或旗，县级政府", "a county, district or banner, county-level")
	case strings.HasSuffix(rest, "市"):
		if strings.Count(rest, "市") >= 2 {
			// 苏州市昆山市: a city under a city is county-level
			return is(result.TierCounty, "市下辖的县级市", "a city under another city, county-level")
		}
		stem := strings.TrimSuffix(rest, "市")
		if prefectureCities[stem] {
			return is(result.TierPrefecture, stem+"为地级市", stem+" is a prefecture-level city")
		}
		return "", result.Msg("机关名称「%s」不能说明是地级市还是县级市", "agency name %s does not tell a prefecture-level from a county-level city", name), false
	}
	return "", result.Msg("机关名称「%s」不能说明政府层级", "agency name %s does not tell the government's tier", name), false
}

// Places above an agency in its name: a name may carry them or not from
// one year to the next (「淮安市洪泽区人民政府」, 「洪泽区人民政府」).
var (
	upperPlaceRe = regexp.MustCompile(`^\p{Han}{1,8}?(?:省|自治区|市|自治州|州|盟|地区)`)
	placeRe2     = regexp.MustCompile(`^\p{Han}{1,8}?(?:市|区|县|旗|镇|乡|街道)`)
)

// AgencyKey is an agency name as compared across years: without the places
// above the agency's own place (a name loses or gains its province or city
// between years) and with 人民政府 as 政府. Names of different agencies
// keep different keys: 淮安市人民政府 is not 人民政府, and 淮安市教育局 keeps its
// city.
func AgencyKey(name string) string {
	k := norm.Key(name)
	for range 3 {
		p := upperPlaceRe.FindString(k)
		if p == "" {
			break
		}
		rest := k[len(p):]
		own := placeRe2.FindString(rest)
		if own == "" || own == rest {
			break
		}
		k = rest
	}
	return strings.ReplaceAll(k, "人民政府", "政府")
}
