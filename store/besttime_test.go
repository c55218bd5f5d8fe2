package store

import (
	"strings"
	"testing"
)

// TestBestTimeQueriesUseIndexes: the hour-of-week sums read each range of
// an account straight off a covering index.
func TestBestTimeQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string][]string{
		"published by hour": {
			"SEARCH d USING INDEX deliveries_account_published (account_id=? AND sent_at>? AND sent_at<?)",
			"SEARCH f USING PRIMARY KEY (account_id=? AND taken_at<?)",
			"SEARCH f USING PRIMARY KEY (account_id=? AND taken_at>?)",
		},
		"inbox by hour": {"SEARCH i USING COVERING INDEX inbox_account (account_id=? AND heard=? AND received_at>? AND received_at<?)"},
		"posting hours": {"SEARCH d USING INDEX deliveries_account_published (account_id=? AND sent_at>? AND sent_at<?)"},
	}
	if len(want) != len(bestTimeQueries) {
		t.Fatalf("%d best-time queries, %d checked", len(bestTimeQueries), len(want))
	}
	for name, q := range bestTimeQueries {
		plan := explain(t, st, q, "[[1, 0, 1, 0]]")
		for _, w := range want[name] {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: plan lacks %q:\n%s", name, w, plan)
			}
		}
		for _, line := range strings.Split(strings.TrimSpace(plan), "\n") {
			if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, "VIRTUAL TABLE") && !strings.HasPrefix(line, "SCAN r") {
				t.Errorf("%s scans: %s\n%s", name, line, plan)
			}
		}
	}
}
