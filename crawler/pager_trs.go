package crawler

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// createPageRe finds the TRS pager call createPageHTML(…).
var createPageRe = regexp.MustCompile(`createPageHTML\s*\(([^)]*)\)`)

// trsPages reads the TRS pager script: createPageHTML(count, current,
// "index", "html"), also with a leading element id and trailing record
// count, and with variables for the numbers. It links nothing: the pages
// are index, index_1 … index_{count-1}.
func trsPages(p *pager) {
	for _, m := range createPageRe.FindAllStringSubmatch(p.scripts, 4) {
		var nums []int
		var strs []string
		for _, arg := range splitArgs(m[1]) {
			arg = strings.TrimSpace(arg)
			if s, ok := unquote(arg); ok {
				if len(nums) >= 2 {
					strs = append(strs, s)
				}
				continue
			}
			if n, err := strconv.Atoi(arg); err == nil {
				nums = append(nums, n)
			} else if n, ok := scriptVar(p.scripts, arg); ok {
				nums = append(nums, n)
			}
		}
		if len(nums) >= 2 && len(strs) >= 2 {
			count := min(nums[0], maxListPages)
			for i := 1; i < count; i++ {
				p.add(parseLink(p.base, fmt.Sprintf("%s_%d.%s", strs[0], i, strs[1])))
			}
		}
	}
}
