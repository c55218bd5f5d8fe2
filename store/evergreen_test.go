package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestFillEvergreen(t *testing.T) {
	st, a, b, loc, now := queueFixture(t) // a: weekdays 08:00 12:30, Sat 07:30; b: Mon-Sat 09:00
	ctx := context.Background()
	sent := func(body string, at time.Time, accounts ...int64) int64 {
		id := draft(t, st, body, now, accounts...)
		if err := st.QueuePost(ctx, id, at, "Europe/Berlin", at.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		ds, _ := st.PostDeliveries(ctx, id)
		for _, d := range ds {
			if _, err := st.ClaimDelivery(ctx, d.ID, at); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkSent(ctx, d.ID, RemoteRef{ID: "r" + itoa(int(d.ID))}, "", at); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	old := sent("Our sourdough starter is 7 years old. Ask for a scoop!", now.AddDate(0, 0, -20), a, b)
	recent := sent("Fresh rye every morning from 7.", now.AddDate(0, 0, -3), a)
	for _, id := range []int64{old, recent} {
		if err := st.AddEvergreen(ctx, id, 14*24*time.Hour, now); err != nil {
			t.Fatal(err)
		}
	}
	// The person queued the starter text by hand on b, a week ahead, in other words' case.
	manual := draft(t, st, "our sourdough starter is 7 years old.   Ask for a scoop!", now, b)
	if err := st.QueuePost(ctx, manual, now.AddDate(0, 0, 6), "Europe/Berlin", now); err != nil {
		t.Fatal(err)
	}
	if err := st.AddEvergreen(ctx, old, time.Hour, now); err == nil {
		t.Error("an hour's interval was taken")
	}

	shares, err := st.FillEvergreen(ctx, now, 5*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// a: the starter post once (its first free slot, Thu 12:30); the rye
	// post went out 3 days ago, and the starter can't come again within 14
	// days. b: nothing, its starter post is queued by hand within 14 days.
	if len(shares) != 1 || shares[0].SourceID != old || shares[0].AccountID != a ||
		shares[0].At.In(loc).Format("Mon 15:04") != "Thu 12:30" {
		t.Fatalf("shares %+v", shares)
	}
	p, err := st.Post(ctx, shares[0].PostID)
	if err != nil || p.State != PostQueued || !strings.HasPrefix(p.Body, "Our sourdough") || len(p.Targets) != 1 {
		t.Errorf("shared post %+v, %v", p, err)
	}
	q, _ := st.Queue(ctx, a, now, 10)
	if len(q) != 1 || q[0].PostID != shares[0].PostID {
		t.Errorf("queue of a: %+v", q)
	}
	// Again: nothing new (idempotent within the interval).
	if again, err := st.FillEvergreen(ctx, now, 5*24*time.Hour); err != nil || len(again) != 0 {
		t.Errorf("filled again: %+v, %v", again, err)
	}
	// Three weeks on, both may go again on a; b still has the manual one near.
	later := now.AddDate(0, 0, 21)
	shares, err = st.FillEvergreen(ctx, later, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range shares {
		got = append(got, itoa(int(s.SourceID))+"@"+itoa(int(s.AccountID)))
	}
	// a's two free slots in that day (Thu 12:30, Fri 08:00): the rye post
	// (never shared again: first in line), then the starter (last on a 21
	// days ago). b's Fri 09:00: the starter (the hand-queued copy is 15
	// days back).
	want := []string{itoa(int(recent)) + "@" + itoa(int(a)), itoa(int(old)) + "@" + itoa(int(a)), itoa(int(old)) + "@" + itoa(int(b))}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("three weeks on: %v, want %v", got, want)
	}
	pool, _ := st.EvergreenPool(ctx)
	if len(pool) != 2 || pool[0].Shares == 0 {
		t.Errorf("pool %+v", pool)
	}
	// Nothing shared twice within 14 days on one account, ever.
	rows, err := st.db.Query(`SELECT d.account_id, s.source_id, d.due_at FROM evergreen_shares s JOIN deliveries d ON d.post_id = s.post_id ORDER BY d.due_at`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	last := map[[2]int64]int64{}
	for rows.Next() {
		var acct, src, at int64
		rows.Scan(&acct, &src, &at)
		if prev, ok := last[[2]int64{acct, src}]; ok && at-prev < (14*24*time.Hour).Milliseconds() {
			t.Errorf("post %d shared twice on account %d within 14 days", src, acct)
		}
		last[[2]int64{acct, src}] = at
	}
	// A paused queue is not filled.
	if _, err := st.PauseQueue(ctx, a, later); err != nil {
		t.Fatal(err)
	}
	if shares, err := st.FillEvergreen(ctx, later.AddDate(0, 1, 0), 7*24*time.Hour); err != nil {
		t.Fatal(err)
	} else {
		for _, s := range shares {
			if s.AccountID == a {
				t.Errorf("filled a paused queue: %+v", s)
			}
		}
	}
}

func TestSameText(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"Fresh rye!", "fresh   RYE!", true},
		{"Fresh rye!\n", " Fresh rye!", true},
		{"Fresh rye!", "Fresh rye?", false},
		{"Fresh rye 🍞", "Fresh rye", false},
	} {
		if SameText(c.a, c.b) != c.same {
			t.Errorf("SameText(%q, %q) = %v", c.a, c.b, !c.same)
		}
	}
}

func TestEvergreenQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string]string{
		"pool":         "SCAN e",
		"next":         "SCAN e USING INDEX evergreen_next",
		"recent texts": "SEARCH d USING INDEX deliveries_account_due (account_id=? AND due_at>? AND due_at<?)",
		"share near":   "SEARCH s USING COVERING INDEX evergreen_shares_source (source_id=? AND shared_at>? AND shared_at<?)",
	}
	args := map[string][]any{"recent texts": {1, 0, 1}, "share near": {1, 1, 0, 1}}
	if len(want) != len(evergreenQueries) {
		t.Fatalf("%d evergreen queries, %d checked", len(evergreenQueries), len(want))
	}
	for name, q := range evergreenQueries {
		plan := explain(t, st, q, args[name]...)
		if !strings.Contains(plan, want[name]) {
			t.Errorf("%s: plan lacks %q:\n%s", name, want[name], plan)
		}
		if name != "pool" && strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s sorts:\n%s", name, plan)
		}
	}
}

// TestEvergreenIntervalHoldsAfterAShareIsReworded: a share the person took
// out of the queue and reworded still counts as the pool post's share on
// that account: the pool post does not go again within its interval (the
// check by text alone let it go again in the next slot).
func TestEvergreenIntervalHoldsAfterAShareIsReworded(t *testing.T) {
	st, _, b, _, now := queueFixture(t) // b: Mon-Sat 09:00
	ctx := context.Background()
	src := draft(t, st, "Our sourdough starter is 7 years old. Ask for a scoop!", now, b)
	if err := st.AddEvergreen(ctx, src, 14*24*time.Hour, now); err != nil {
		t.Fatal(err)
	}
	shares, err := st.FillEvergreen(ctx, now, 24*time.Hour)
	if err != nil || len(shares) != 1 {
		t.Fatalf("first fill: %+v, %v", shares, err)
	}
	// Taken out of the queue, reworded, left a draft.
	if err := st.UnqueuePost(ctx, shares[0].PostID, now); err != nil {
		t.Fatal(err)
	}
	p, err := st.Post(ctx, shares[0].PostID)
	if err != nil {
		t.Fatal(err)
	}
	p.Body = "Seven years old and still bubbling: ask for a scoop of our starter!"
	if _, err := st.SaveDraft(ctx, p, now); err != nil {
		t.Fatal(err)
	}
	again, err := st.FillEvergreen(ctx, now, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Errorf("shared again within its 14 days: %+v", again)
	}
	// Once the share is deleted, the pool post may take a slot again.
	if err := st.DeletePost(ctx, shares[0].PostID); err != nil {
		t.Fatal(err)
	}
	if again, err := st.FillEvergreen(ctx, now, 2*24*time.Hour); err != nil || len(again) != 1 {
		t.Errorf("after the share was deleted: %+v, %v", again, err)
	}
}
