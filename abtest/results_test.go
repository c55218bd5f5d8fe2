package abtest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
)

// startedTest is a started two-variant test of rounds rounds on one
// Mastodon account whose queue posts daily at 12:30 (Berlin), planned at
// now.
func startedTest(t *testing.T, rounds int) (st *store.Store, acct, id int64, now time.Time) {
	t.Helper()
	st = openStore(t)
	ctx := context.Background()
	now = time.Date(2026, 10, 19, 9, 0, 0, 0, berlin(t))
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@bakery@example.social"})
	if err != nil {
		t.Fatal(err)
	}
	id, err = st.CreateABTest(ctx, store.ABTest{Name: "Rye wording", Pattern: "days", Zone: "Europe/Berlin", Accounts: []int64{acct},
		Variants: []store.ABVariant{{Body: "Rye is back"}, {Body: "Our rye loaf returns"}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	slots, _ := store.ParseQueueSlots("Mon-Sun 12:30")
	if err := st.SetQueueSchedule(ctx, acct, "Europe/Berlin", slots); err != nil {
		t.Fatal(err)
	}
	if _, err := PlanTest(ctx, st, id, now, rounds); err != nil {
		t.Fatal(err)
	}
	if err := st.StartABTest(ctx, id, now); err != nil {
		t.Fatal(err)
	}
	return st, acct, id, now
}

// TestResultsReachBeforeTheFirstFollowerCount: a variant's copy that went
// out before the account's first follower count (a new account, the first
// sync after the post) still reached followers: it is read with the first
// count, as the best times read such posts, not as engagement from nobody
// (which made that variant's rate soar and could call it the winner).
func TestResultsReachBeforeTheFirstFollowerCount(t *testing.T) {
	ctx := context.Background()
	st, acct, id, _ := startedTest(t, 3)
	plan, _ := st.ABPlan(ctx, id)
	// The first follower count is taken an hour after the first post.
	if err := st.RecordFollowers(ctx, acct, plan[0].At.Add(time.Hour), 1000); err != nil {
		t.Fatal(err)
	}
	for _, p := range plan {
		ds, _ := st.PostDeliveries(ctx, p.PostID)
		for _, d := range ds {
			if _, err := st.ClaimDelivery(ctx, d.ID, p.At); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkSent(ctx, d.ID, store.RemoteRef{ID: "r" + strconv.FormatInt(d.ID, 10)}, "", p.At); err != nil {
				t.Fatal(err)
			}
			// Every post does alike: 20 engagements of 1000 followers.
			if err := st.RecordMetrics(ctx, p.At.Add(24*time.Hour), map[int64]store.Metrics{d.ID: {Likes: 20}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := Evaluate(ctx, st, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range r.Results {
		if v.Sent != 3 || v.Engagement != 60 || v.FollowerViews != 3000 {
			t.Errorf("variant %s: %d sent, %d engagements of %d follower-views, want 3, 60 of 3000", v.Label, v.Sent, v.Engagement, v.FollowerViews)
		}
	}
	if r.Engagement.Winner {
		t.Errorf("alike variants, a winner: %s", r.Engagement.Summary)
	}
}

// TestResultsCountCompleteRoundsOnly: while a test runs, a round in which
// only some variants went out is left out of the comparison: the newest
// post of one variant, hours old, against the others' that had days, made
// a winner of the older (here A, though both did alike in the round both
// were out).
func TestResultsCountCompleteRoundsOnly(t *testing.T) {
	ctx := context.Background()
	st, acct, id, now := startedTest(t, 2)
	loc := now.Location()
	if err := st.RecordFollowers(ctx, acct, now, 1000); err != nil {
		t.Fatal(err)
	}
	plan, _ := st.ABPlan(ctx, id) // A, B (round 1), then B, A (round 2)
	if len(plan) != 4 || plan[2].Label != "B" || plan[2].Round != 1 {
		t.Fatalf("plan %s", DescribePlan(plan, loc))
	}
	// Round 1 out and counted for days: 50 engagements each. Round 2: B
	// went out an hour ago (5 so far); A goes tomorrow.
	for i, likes := range []int{50, 50, 5} {
		p := plan[i]
		ds, _ := st.PostDeliveries(ctx, p.PostID)
		for _, d := range ds {
			if _, err := st.ClaimDelivery(ctx, d.ID, p.At); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkSent(ctx, d.ID, store.RemoteRef{ID: "r" + strconv.FormatInt(d.ID, 10)}, "", p.At); err != nil {
				t.Fatal(err)
			}
			if err := st.RecordMetrics(ctx, p.At.Add(time.Hour), map[int64]store.Metrics{d.ID: {Likes: likes}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := Evaluate(ctx, st, id)
	if err != nil {
		t.Fatal(err)
	}
	a, b := r.Results[0], r.Results[1]
	if a.Sent != 1 || b.Sent != 2 {
		t.Errorf("sent %d and %d, want 1 and 2 (every copy that went out is shown)", a.Sent, b.Sent)
	}
	if a.Engagement != 50 || a.FollowerViews != 1000 || b.Engagement != 50 || b.FollowerViews != 1000 {
		t.Errorf("compared: A %d of %d, B %d of %d; want 50 of 1000 each (round 1 alone)", a.Engagement, a.FollowerViews, b.Engagement, b.FollowerViews)
	}
	if r.Engagement.Winner {
		t.Errorf("a winner from a round half out: %s", r.Engagement.Summary)
	}
	// Clicks come by link tag from every post that went out: they are read
	// against all of their reach.
	if a.AllFollowerViews != 1000 || b.AllFollowerViews != 2000 {
		t.Errorf("all reach: A %d, B %d; want 1000 and 2000", a.AllFollowerViews, b.AllFollowerViews)
	}
}
