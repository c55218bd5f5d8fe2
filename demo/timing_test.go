package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/abtest"
	"github.com/crier-app/crier/audience"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
)

// TestSeedTiming: the demo shows a queue, a recurring Saturday special, a
// feed with an entry as a draft, a running A/B test with a verdict, two
// competitors, and history enough for a best-time heatmap.
func TestSeedTiming(t *testing.T) {
	t.Parallel()
	for _, now := range []time.Time{testNow, time.Date(2025, 10, 25, 7, 30, 0, 0, berlin), time.Date(2025, 12, 27, 6, 59, 0, 0, berlin)} {
		t.Run(now.Format("2006-01-02T1504"), func(t *testing.T) {
			st, g := seeded(t, Options{Seed: 3, Now: now, Zone: berlin})
			ctx := context.Background()
			db := st.DB()
			m, b := g.brandAccounts(0)

			for _, a := range []*account{m, b} {
				sch, err := st.QueueSchedule(ctx, a.id)
				if err != nil || sch.Zone != "Europe/Berlin" || len(sch.Slots) < 15 || sch.Paused() {
					t.Errorf("%s's queue: %+v, %v", a.handle, sch, err)
				}
				next, err := st.NextFreeSlot(ctx, a.id, now)
				if err != nil || !next.After(now) || next.After(now.AddDate(0, 0, 3)) {
					t.Errorf("%s's next free slot %v, %v", a.handle, next, err)
				}
			}
			within(t, "posts in the queue", count(t, db, "SELECT count(*) FROM queue_entries"), 3, 24)

			rs, err := st.Recurrences(ctx, true)
			if err != nil || len(rs) != 1 || rs[0].Template.Body != saturdaySpecial {
				t.Fatalf("recurrences %+v, %v", rs, err)
			}
			occ, _ := st.Occurrences(ctx, rs[0].ID, now, 10)
			if len(occ) < 1 || len(occ) > 2 {
				t.Errorf("%d Saturday specials made", len(occ))
			}
			for _, o := range occ {
				l := o.OccursAt.In(berlin)
				if l.Weekday() != time.Saturday || l.Hour() != 7 || l.Minute() != 0 || o.State != store.PostQueued || !o.OccursAt.After(now) {
					t.Errorf("special at %s, %s", l, o.State)
				}
			}

			feeds, _ := st.Feeds(ctx)
			if len(feeds) != 1 || feeds[0].LastError != "" || feeds[0].OKAt.IsZero() {
				t.Fatalf("feeds %+v", feeds)
			}
			entries, _ := st.FeedEntries(ctx, feeds[0].ID, 10)
			if len(entries) != 3 || entries[0].PostID == 0 || entries[1].PostID != 0 {
				t.Errorf("feed entries %+v", entries)
			}
			if p, err := st.Post(ctx, entries[0].PostID); err != nil || p.State != store.PostDraft || !strings.Contains(p.Body, "https://ryeandshine.bakery/blog/") {
				t.Errorf("the feed's draft %+v, %v", p, err)
			}

			tests, _ := st.ABTests(ctx)
			if len(tests) != 1 || tests[0].State != store.ABRunning {
				t.Fatalf("A/B tests %+v", tests)
			}
			r, err := abtest.Evaluate(ctx, st, tests[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Plan) != 8 || r.Results[0].Sent != 6 || r.Results[1].Sent != 6 {
				t.Errorf("plan %d posts; sent %d and %d copies", len(r.Plan), r.Results[0].Sent, r.Results[1].Sent)
			}
			if r.Clicks == nil || !r.Clicks.Winner || r.Clicks.Arms[r.Clicks.Leader].Label != "B" {
				t.Errorf("clicks verdict: %+v", r.Clicks)
			}
			if r.Conversions == nil || r.Conversions.Winner || !strings.Contains(r.Conversions.Summary, "more clicks needed") {
				t.Errorf("conversions verdict: %+v", r.Conversions)
			}
			if r.Engagement.Arms[r.Engagement.Leader].Label != "B" {
				t.Errorf("engagement verdict: %s", r.Engagement.Summary)
			}

			c, err := audience.Compare(ctx, st, audience.CompareOptions{Now: now, Loc: berlin, Weeks: 8})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range c.Sides {
				names = append(names, s.Handle)
				if s.Posts == 0 || s.Followers[len(s.Followers)-1] <= 0 || len(s.Best) == 0 || s.Busiest == "" {
					t.Errorf("%s: %d posts, followers %v, best %d, busiest %q", s.Handle, s.Posts, s.Followers[len(s.Followers)-1], len(s.Best), s.Busiest)
				}
			}
			if len(c.Sides) != 4 {
				t.Errorf("sides %v", names)
			}

			h, err := timing.BestTimes(ctx, st, timing.BestTimeOptions{Now: now, Loc: berlin, Weeks: 13})
			if err != nil {
				t.Fatal(err)
			}
			if !h.PerFollower || h.Posts < 100 || len(h.Top) == 0 || h.Audience == 0 {
				t.Errorf("heatmap: per follower %v, %d posts, top %v, audience %d", h.PerFollower, h.Posts, h.Top, h.Audience)
			}
			if pool, _ := st.EvergreenPool(ctx); len(pool) != 2 {
				t.Errorf("evergreen pool %+v", pool)
			}
		})
	}
}
