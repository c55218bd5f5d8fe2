package store

import (
	"strings"
	"testing"
)

func TestAnalyticsQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string][]string{
		"metrics history":    {"SEARCH delivery_metrics USING PRIMARY KEY (delivery_id=?)"},
		"post rates":         {"SEARCH d USING INDEX deliveries_sent (sent_at>? AND sent_at<?)", "SEARCH f USING PRIMARY KEY (account_id=? AND taken_at<?)"},
		"account post rates": {"SEARCH d USING INDEX deliveries_account_published (account_id=? AND sent_at>? AND sent_at<?)"},
		"inbox in windows":   {"SEARCH i USING COVERING INDEX inbox_account (account_id=? AND heard=? AND received_at>? AND received_at<?)"},
	}
	args := map[string][]any{
		"metrics history": {1}, "post rates": {0, 1, 10}, "account post rates": {1, 0, 1, 10}, "inbox in windows": {"[[0, 1]]"},
	}
	if len(want) != len(analyticsQueries) {
		t.Fatalf("%d analytics queries, %d checked", len(analyticsQueries), len(want))
	}
	for name, q := range analyticsQueries {
		plan := explain(t, st, q, args[name]...)
		for _, w := range want[name] {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: plan lacks %q:\n%s", name, w, plan)
			}
		}
		if strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s sorts:\n%s", name, plan)
		}
	}
}
