package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// bigTables grow with every scan: a query of the app must never read one
// whole.
var bigTables = []string{"scan_sites", "documents", "findings", "tracked", "resolutions", "reviews", "blobs", "pages", "report_versions"}

var sqliteFullScan = regexp.MustCompile(`^SCAN (\w+)`)

// TestAppQueriesIndexed runs EXPLAIN on every query of the reviewers' app,
// with every filter on, and fails on a full scan of a big table: SQLite's
// "SCAN table" (whole table or whole index), PostgreSQL's Seq Scan with
// sequential scans discouraged (an empty table would otherwise always be
// read sequentially, index or not).
func TestAppQueriesIndexed(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		conn, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if s.kind == Postgres {
			if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range s.AppQueries() {
			full, plan := explain(t, conn, s.kind, q)
			for _, tb := range full {
				t.Errorf("%s reads %s whole: %s", q.Name, tb, strings.Join(plan, " | "))
			}
			if testing.Verbose() {
				t.Logf("%s: %s", q.Name, strings.Join(plan, " | "))
			}
		}
		// the check itself: a query no index serves is caught
		control := AppQuery{"control", `SELECT id FROM findings WHERE message_zh = $1`, []any{"x"}}
		if full, plan := explain(t, conn, s.kind, control); len(full) == 0 {
			t.Errorf("a full scan of findings went unnoticed: %s", strings.Join(plan, " | "))
		}
	})
}

// explain returns the big tables q reads whole, and its plan.
func explain(t *testing.T, conn *sql.Conn, kind string, q AppQuery) (full, plan []string) {
	t.Helper()
	ctx := context.Background()
	if kind == SQLite {
		rows, err := conn.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.SQL, q.Args...)
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
			if m := sqliteFullScan.FindStringSubmatch(detail); m != nil && isBig(m[1]) {
				full = append(full, m[1])
			}
		}
		return full, plan
	}
	var js string
	if err := conn.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+q.SQL, q.Args...).Scan(&js); err != nil {
		t.Fatalf("%s: %v", q.Name, err)
	}
	var doc []struct{ Plan pgNode }
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	for _, d := range doc {
		d.Plan.walk(func(n pgNode) {
			plan = append(plan, strings.TrimSpace(n.Type+" "+n.Relation+" "+n.Index))
			if n.Type == "Seq Scan" && isBig(n.Relation) {
				full = append(full, n.Relation)
			}
		})
	}
	return full, plan
}

type pgNode struct {
	Type     string   `json:"Node Type"`
	Relation string   `json:"Relation Name"`
	Index    string   `json:"Index Name"`
	Plans    []pgNode `json:"Plans"`
}

func (n pgNode) walk(f func(pgNode)) {
	f(n)
	for _, c := range n.Plans {
		c.walk(f)
	}
}

func isBig(table string) bool {
	for _, b := range bigTables {
		if b == table {
			return true
		}
	}
	return false
}
