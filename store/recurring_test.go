package store

import (
	"strings"
	"testing"
)

// TestRecurrenceQueriesUseIndexes checks the recurring posts' statements
// against their plans.
func TestRecurrenceQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string]string{
		"recurrence":         "SEARCH recurrences USING INTEGER PRIMARY KEY (rowid=?)",
		"active recurrences": "SCAN recurrences USING INDEX recurrences_active",
		"occurrence of":      "SEARCH o USING INDEX recurrence_posts_post (post_id=?)",
		"occurrences":        "SEARCH o USING PRIMARY KEY (recurrence_id=? AND occurs_at>?)",
	}
	args := map[string][]any{
		"recurrence":    {1},
		"occurrence of": {1},
		"occurrences":   {1, 0, 10},
	}
	if len(want) != len(recurrenceQueries) {
		t.Fatalf("%d recurrence queries, %d checked", len(recurrenceQueries), len(want))
	}
	for name, q := range recurrenceQueries {
		plan := explain(t, st, q, args[name]...)
		if !strings.Contains(plan, want[name]) {
			t.Errorf("%s: plan lacks %q:\n%s", name, want[name], plan)
		}
		if strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s sorts:\n%s", name, plan)
		}
	}
}
