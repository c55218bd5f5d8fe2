package common

import "testing"

func TestWithoutIDs(t *testing.T) {
	for in, want := range map[string]string{
		"couldn't move: post 280 was already sent: it can't be moved":             "couldn't move: the post was already sent: it can't be moved",
		"recurring post 1, account 2: database is locked":                         "the recurring post: database is locked",
		"recurring post 12 was stopped on 2026-12-01":                             "the recurring post was stopped on 2026-12-01",
		"delivery 7 is not in the queue of account 3, or is due too soon to move": "the copy is not in the queue of the account, or is due too soon to move",
		"goal 4 (link_clicks): no campaign":                                       "the goal (link_clicks): no campaign",
		"couldn't delete the post 9: is being sent right now":                     "couldn't delete the post: is being sent right now",
		"Post 3 of the thread":                                                    "Post 3 of the thread", // not an id
		"posted 3 times; 12 posts":                                                "posted 3 times; 12 posts",
	} {
		if got := WithoutIDs(in); got != want {
			t.Errorf("WithoutIDs(%q) = %q, want %q", in, got, want)
		}
	}
}
