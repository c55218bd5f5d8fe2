package store

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"testing"
)

func itoa(n int) string { return strconv.Itoa(n) }

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

func openRaw(path string) (*sql.DB, error) { return sql.Open("sqlite", "file:"+path) }

// explain returns the query plan of q, one step a line.
func explain(t testing.TB, st *Store, q string, args ...any) string {
	t.Helper()
	rows, err := st.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}
