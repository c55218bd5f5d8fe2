package store

import (
	"strings"
	"testing"
)

// TestABQueriesUseIndexes checks the A/B tests' statements against their
// plans: every table is reached by a key, nothing is scanned but the
// handful of tests.
func TestABQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string][]string{
		"test":            {"SEARCH ab_tests USING INTEGER PRIMARY KEY (rowid=?)"},
		"tests":           {"SCAN ab_tests"},
		"variants":        {"SEARCH ab_variants USING INDEX sqlite_autoindex_ab_variants_1 (test_id=?)"},
		"accounts":        {"SEARCH ab_test_accounts USING PRIMARY KEY (test_id=?)"},
		"plan":            {"SEARCH p USING PRIMARY KEY (test_id=?)", "SEARCH v USING INTEGER PRIMARY KEY (rowid=?)"},
		"variant of post": {"SEARCH p USING INDEX ab_plan_post (post_id=?)"},
		"variant results": {"SEARCH p USING PRIMARY KEY (test_id=?)", "SEARCH d USING INDEX sqlite_autoindex_deliveries_2 (post_id=?)",
			"SEARCH f USING PRIMARY KEY (account_id=? AND taken_at<?)"},
		"taken slots": {"SEARCH d USING COVERING INDEX deliveries_account_due (account_id=? AND due_at>? AND due_at<?)",
			"SEARCH a USING PRIMARY KEY (test_id=? AND account_id=?)", "SEARCH p USING PRIMARY KEY (test_id=? AND at>? AND at<?)"},
		"slot taken":    {"SEARCH d USING COVERING INDEX deliveries_account_due (account_id=? AND due_at>? AND due_at<?)"},
		"post accounts": {"SEARCH post_targets USING"},
	}
	args := map[string][]any{
		"test": {1}, "variants": {1}, "accounts": {1}, "plan": {1}, "variant of post": {1}, "variant results": {1},
		"taken slots": {1, 2, 0, 1 << 40}, "slot taken": {1, 0}, "post accounts": {1},
	}
	if len(want) != len(abQueries) {
		t.Fatalf("%d A/B queries, %d checked", len(abQueries), len(want))
	}
	for name, q := range abQueries {
		plan := explain(t, st, q, args[name]...)
		for _, w := range want[name] {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: plan lacks %q:\n%s", name, w, plan)
			}
		}
		for _, line := range strings.Split(strings.TrimSpace(plan), "\n") {
			if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, "ab_tests") {
				t.Errorf("%s scans: %s\n%s", name, line, plan)
			}
		}
	}
}

func TestFeedQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string]string{
		"feeds":        "SCAN feeds",
		"feed entries": "SEARCH feed_entries USING INDEX feed_entries_seen (feed_id=?)",
		"entry seen":   "SEARCH feed_entries USING PRIMARY KEY (feed_id=? AND entry_id=?)",
	}
	args := map[string][]any{"feed entries": {1, 10}, "entry seen": {1, "x"}}
	if len(want) != len(feedQueries) {
		t.Fatalf("%d feed queries, %d checked", len(feedQueries), len(want))
	}
	for name, q := range feedQueries {
		plan := explain(t, st, q, args[name]...)
		if !strings.Contains(plan, want[name]) {
			t.Errorf("%s: plan lacks %q:\n%s", name, want[name], plan)
		}
		if name != "feeds" && strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s sorts:\n%s", name, plan)
		}
	}
}
