package store

import (
	"strings"
	"testing"
)

// TestCompetitorQueriesUseIndexes: the comparison reads competitors',
// accounts' and fans' rows through their indexes; only the short lists of
// competitors and accounts, and the JSON arrays of instants, are scanned.
// (The own accounts' follower counts and windows are the KPIs' queries,
// checked with them.)
func TestCompetitorQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string][]string{
		"competitors":             {"SCAN competitors"},
		"competitor followers at": {"SEARCH s USING PRIMARY KEY (competitor_id=? AND taken_at<?)"},
		"competitor windows":      {"SEARCH cp USING INDEX competitor_posts_time (competitor_id=? AND posted_at>? AND posted_at<?)"},
		"competitor top":          {"SEARCH competitor_posts USING INDEX competitor_posts_time (competitor_id=? AND posted_at>? AND posted_at<?)"},
		"competitor hours":        {"SEARCH cp USING INDEX competitor_posts_time (competitor_id=? AND posted_at>? AND posted_at<?)"},
		"own top":                 {"SEARCH s USING INDEX deliveries_account_published (account_id=? AND sent_at>? AND sent_at<?)", "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)"},
		"top fans":                {"SEARCH inbox_items USING COVERING INDEX inbox_fans (received_at>? AND received_at<?)"},
		"fan name":                {"SEARCH inbox_items USING INDEX inbox_author (author_handle=? AND received_at>? AND received_at<?)"},
	}
	args := map[string][]any{
		"competitor followers at": {"[1]"}, "competitor windows": {"[[0, 1]]"}, "competitor top": {1, 0, 1, 3},
		"competitor hours": {"[[1, 0, 1, 0]]"}, "own top": {1, 0, 1, 3},
		"top fans": {0, 1, 10}, "fan name": {"x", 0, 1},
	}
	if len(want) != len(competitorQueries) {
		t.Fatalf("%d competitor queries, %d checked", len(competitorQueries), len(want))
	}
	small := []string{"SCAN competitors", "SCAN c", "SCAN a", "VIRTUAL TABLE", "SCAN best"}
	for name, q := range competitorQueries {
		plan := explain(t, st, q, args[name]...)
		for _, w := range want[name] {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: plan lacks %q:\n%s", name, w, plan)
			}
		}
		for _, line := range strings.Split(strings.TrimSpace(plan), "\n") {
			if !strings.HasPrefix(line, "SCAN ") {
				continue
			}
			ok := false
			for _, s := range small {
				ok = ok || strings.Contains(line, s)
			}
			if !ok {
				t.Errorf("%s scans: %s\n%s", name, line, plan)
			}
		}
	}
}
