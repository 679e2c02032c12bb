package xls

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/hostile"
)

// mergeBomb is a workbook stream of a 100×100 grid and n merged ranges
// that each cover all of it: filling every one once took time in n times
// the grid.
func mergeBomb(n int) []byte {
	recs := [][]byte{bof(5), rec(recEOF, nil), bof(0x10)}
	for r := range 100 {
		recs = append(recs, rec(recLABEL, []byte{byte(r), 0, 0, 0, 0, 0, 1, 0, 0, 'x'}))
	}
	recs = append(recs, rec(recLABEL, []byte{99, 0, 99, 0, 0, 0, 1, 0, 0, 'y'}))
	for n > 0 {
		k := min(n, 1000)
		d := binary.LittleEndian.AppendUint16(nil, uint16(k))
		for range k {
			d = append(d, 0, 0, 99, 0, 0, 0, 99, 0)
		}
		recs = append(recs, rec(recMERGEDCELLS, d))
		n -= k
	}
	return biff(append(recs, rec(recEOF, nil))...)
}

func TestMergeBomb(t *testing.T) {
	p := &parser{ctx: context.Background(), data: mergeBomb(20_000), maxCells: 25_000}
	if err := p.parse(); err != nil {
		t.Fatal(err)
	}
	tb, n, full, over := p.sheets[0].table(25_000, document.NewInterrupt(context.Background()))
	if tb == nil || n != 10_000 || !full {
		t.Fatalf("table of %d cells (full %v), want the 100×100 grid", n, full)
	}
	// two merges fit in the budget of 25,000 positions; the rest are left
	if over != 20_000-2 {
		t.Errorf("%d merges over the budget, want %d", over, 20_000-2)
	}
	if c := tb.Rows[50][50]; c.Text != "x" || !c.Spanned {
		t.Errorf("cell (50, 50) = %+v, want covered by the merge from A1", c)
	}
}

func TestDeadline(t *testing.T) {
	stream := mergeBomb(20_000)
	looks := hostile.Deadlines(t, func(ctx context.Context) error {
		p := &parser{ctx: ctx, data: stream, maxCells: 25_000}
		if err := p.parse(); err != nil {
			return err
		}
		stop := document.NewInterrupt(ctx)
		p.sheets[0].table(25_000, stop)
		if stop.Stop() {
			return stop.Err()
		}
		return nil
	})
	if looks < 10 {
		t.Errorf("the context was looked at %d times, want at least 10", looks)
	}
}
