package crawler

import (
	"net/url"
	"strconv"
)

// pageParams are query parameters that number list pages.
var pageParams = []string{"currentPage", "page", "pageNo", "pageIndex", "pageNum", "curPage", "pageno", "pagenum", "pn", "cur_page", "p"}

// queryPager reads pages numbered by a query parameter, ?currentPage=N:
// pages 2 to the total or the highest linked, and any page linked.
type queryPager struct {
	first *url.URL // the first such link, the template of the others
	param string
	max   int
}

// claim takes links to the list page or its directory with a page number
// in a known parameter.
func (qp *queryPager) claim(p *pager, l pagerLink) bool {
	u := l.u
	if u.RawQuery == "" || (u.Path != p.base.Path && dirOf(u) != p.dir) {
		return false
	}
	q := u.Query()
	for _, param := range pageParams {
		v := q.Get(param)
		if v == "" {
			continue
		}
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 10000 {
			if qp.first == nil {
				qp.first, qp.param = u, param
			}
			qp.max = max(qp.max, n)
			p.add(u)
			return true
		}
	}
	return false
}

func (qp *queryPager) expand(p *pager) {
	if qp.first == nil {
		return
	}
	last := min(max(qp.max, p.total), maxListPages)
	for i := 2; i <= last; i++ {
		v := *qp.first
		vals := v.Query()
		vals.Set(qp.param, strconv.Itoa(i))
		v.RawQuery = vals.Encode()
		p.add(&v)
	}
}
