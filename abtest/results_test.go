package abtest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
)

// TestResultsReachBeforeTheFirstFollowerCount: a variant's copy that went
// out before the account's first follower count (a new account, the first
// sync after the post) still reached followers: it is read with the first
// count, as the best times read such posts, not as engagement from nobody
// (which made that variant's rate soar and could call it the winner).
func TestResultsReachBeforeTheFirstFollowerCount(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	loc := berlin(t)
	now := time.Date(2026, 10, 19, 9, 0, 0, 0, loc)
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@bakery@example.social"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateABTest(ctx, store.ABTest{Name: "Rye wording", Pattern: "days", Zone: "Europe/Berlin", Accounts: []int64{acct},
		Variants: []store.ABVariant{{Body: "Rye is back"}, {Body: "Our rye loaf returns"}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	slots, _ := store.ParseQueueSlots("Mon-Sun 12:30")
	if err := st.SetQueueSchedule(ctx, acct, "Europe/Berlin", slots); err != nil {
		t.Fatal(err)
	}
	if _, err := PlanTest(ctx, st, id, now, 3); err != nil {
		t.Fatal(err)
	}
	if err := st.StartABTest(ctx, id, now); err != nil {
		t.Fatal(err)
	}
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
