package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

// Downloads cut short are common (crawlers cap body sizes), and a cut file
// loses its cross-reference table, which sits at the end. salvage rebuilds
// one from the "N G obj" headers that survived, drops the partial object
// at the cut, and appends a trailer pointing at the catalog, so that the
// pages whose objects arrived can still be read.

var objHeaderRe = regexp.MustCompile(`(?m)(?:^|[\r\n])(\d{1,9})[ \t]+(\d{1,5})[ \t]+obj\b`)

var catalogRe = regexp.MustCompile(`/Type\s*/Catalog\b`)

const maxSalvageObjects = 1 << 20

func salvage(data []byte) ([]byte, bool) {
	end := bytes.LastIndex(data, []byte("endobj"))
	if end < 0 {
		return nil, false
	}
	end += len("endobj")
	body := data[:end]
	type def struct {
		off, gen int
	}
	defs := map[int]def{}
	maxNr := 0
	root := -1
	locs := objHeaderRe.FindAllSubmatchIndex(body, maxSalvageObjects)
	for i, m := range locs {
		start := m[2] // the object number, after any line break
		nr, err1 := strconv.Atoi(string(body[m[2]:m[3]]))
		gen, err2 := strconv.Atoi(string(body[m[4]:m[5]]))
		if err1 != nil || err2 != nil || nr <= 0 || nr >= maxSalvageObjects {
			continue
		}
		defs[nr] = def{start, gen}
		maxNr = max(maxNr, nr)
		next := len(body)
		if i+1 < len(locs) {
			next = locs[i+1][0]
		}
		if catalogRe.Match(body[m[1]:next]) {
			root = nr
		}
	}
	if root < 0 || len(defs) == 0 {
		return nil, false
	}
	var out bytes.Buffer
	out.Grow(len(body) + 20*(maxNr+1) + 128)
	out.Write(body)
	out.WriteString("\n")
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", maxNr+1)
	for nr := 1; nr <= maxNr; nr++ {
		if d, ok := defs[nr]; ok {
			fmt.Fprintf(&out, "%010d %05d n \n", d.off, d.gen)
		} else {
			out.WriteString("0000000000 65535 f \n")
		}
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d %d R >>\nstartxref\n%d\n%%%%EOF\n", maxNr+1, root, defs[root].gen, xref)
	return out.Bytes(), true
}
