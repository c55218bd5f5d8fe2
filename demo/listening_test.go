package demo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
)

// TestSeedListeningAndReplies checks what listening found in the normal
// demo and the first-reply times of the answered items, at several seeds
// and clocks, through the store's own KPI queries where it can: they are
// what `crier demo` shows.
func TestSeedListeningAndReplies(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		seed int64
		now  time.Time
	}{
		{7, testNow},
		{102, time.Date(2025, 12, 31, 23, 50, 0, 0, berlin)},
		{103, time.Date(2026, 3, 29, 3, 30, 0, 0, berlin)},
	} {
		t.Run(fmt.Sprintf("seed%d", c.seed), func(t *testing.T) {
			ctx := context.Background()
			st, _ := seeded(t, Options{Seed: c.seed, Now: c.now, Zone: berlin})
			db := st.DB()
			now := c.now.UnixMilli()
			const heard = "kind = 'listening'"

			total := count(t, db, "SELECT count(*) FROM inbox_items WHERE "+heard)
			within(t, "posts listening found", total, 60, 160)
			// Each bakery account listens for its own terms.
			for _, want := range []struct {
				platform string
				terms    int
			}{{store.PlatformMastodon, 3}, {store.PlatformBluesky, 2}} {
				within(t, want.platform+" terms", count(t, db, `SELECT count(DISTINCT term) FROM inbox_items i
					JOIN accounts a ON a.id = i.account_id WHERE i.`+heard+` AND a.platform = ?`, want.platform),
					want.terms, want.terms)
			}
			if n := count(t, db, "SELECT count(*) FROM inbox_items WHERE "+heard+
				" AND (term = '' OR sentiment IS NULL OR received_at >= ?)", now); n != 0 {
				t.Errorf("%d found posts without a term or a score, or from the future", n)
			}
			// Over the whole history, and some of it unhappy.
			for _, days := range [][2]int{{90, 60}, {60, 30}, {30, 0}} {
				within(t, fmt.Sprintf("found %d to %d days ago", days[0], days[1]), count(t, db,
					"SELECT count(*) FROM inbox_items WHERE "+heard+" AND received_at >= ? AND received_at < ?",
					c.now.AddDate(0, 0, -days[0]).UnixMilli(), c.now.AddDate(0, 0, -days[1]).UnixMilli()), 10, 100)
			}
			negative := count(t, db, "SELECT count(*) FROM inbox_items WHERE "+heard+" AND sentiment <= -0.05")
			if negative*100 < total*5 || negative*100 > total*40 {
				t.Errorf("%d of %d found posts are negative: want 5%% to 40%%", negative, total)
			}
			bodies := queryStrings(t, db, "SELECT body FROM inbox_items WHERE "+heard)
			distinct := map[string]bool{}
			for _, b := range bodies {
				distinct[b] = true
			}
			if len(distinct)*100 < len(bodies)*85 {
				t.Errorf("%d distinct texts among %d found posts", len(distinct), len(bodies))
			}
			// Looked at and put away, except the last days'.
			old := c.now.AddDate(0, 0, -7).UnixMilli()
			if n := count(t, db, "SELECT count(*) FROM inbox_items WHERE "+heard+" AND received_at < ? AND state = 'open'", old); n*10 > total {
				t.Errorf("%d older found posts still open", n)
			}

			// Replies: only to done items, after they came and before now,
			// in the day, for most of the questions, complaints and DMs.
			if n := count(t, db, `SELECT count(*) FROM inbox_items WHERE replied_at IS NOT NULL
				AND (state <> 'done' OR replied_at <= received_at OR replied_at >= ?)`, now); n != 0 {
				t.Errorf("%d replies to items not done, before the item or after now", n)
			}
			for _, s := range queryStrings(t, db, "SELECT replied_at FROM inbox_items WHERE replied_at IS NOT NULL") {
				var at int64
				fmt.Sscan(s, &at)
				if h := time.UnixMilli(at).In(berlin).Hour(); h < 7 || h >= 22 {
					t.Errorf("a reply went out at %s", time.UnixMilli(at).In(berlin))
				}
			}
			done := count(t, db, "SELECT count(*) FROM inbox_items WHERE state = 'done' AND kind <> 'listening'")
			answered := count(t, db, "SELECT count(*) FROM inbox_items WHERE replied_at IS NOT NULL AND kind <> 'listening'")
			if answered*100 < done*35 || answered*100 > done*85 {
				t.Errorf("%d of %d done items answered: want a realistic share", answered, done)
			}
			asked := count(t, db, "SELECT count(*) FROM inbox_items WHERE state = 'done' AND (question OR kind = 'dm' OR sentiment <= -0.05) AND kind <> 'listening'")
			askedAnswered := count(t, db, "SELECT count(*) FROM inbox_items WHERE replied_at IS NOT NULL AND (question OR kind = 'dm' OR sentiment <= -0.05) AND kind <> 'listening'")
			if askedAnswered*100 < asked*70 {
				t.Errorf("%d of %d done questions, complaints and DMs answered: want most", askedAnswered, asked)
			}

			k, err := st.InboxKPIs(ctx, c.now, nil)
			if err != nil {
				t.Fatal(err)
			}
			within(t, "answered in 30 days", k.Month.Answered, 15, 150)
			if m := k.Month.MedianFirstResponse; m < time.Hour || m > 8*time.Hour {
				t.Errorf("median first response over 30 days = %v, want a few hours", m)
			}
			local := c.now.In(berlin)
			from := time.Date(local.Year(), local.Month(), local.Day()-29, 0, 0, 0, 0, berlin)
			tr, err := st.ListeningTrend(ctx, from, c.now, berlin)
			if err != nil {
				t.Fatal(err)
			}
			var terms []string
			for _, term := range tr.Terms {
				terms = append(terms, term.Term)
			}
			if len(terms) != 3 {
				t.Errorf("terms of the last 30 days = %q, want the bakery's three", terms)
			}
		})
	}
}

// TestSeedListeningLarge checks that the large build's listening covers
// the café's terms too, and that its answered items have their replies.
func TestSeedListeningLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scaled-down large data set")
	}
	t.Parallel()
	st, _ := seededLarge(t)
	db := st.DB()
	// 1% of about 50k posts found over three years, each term's share.
	within(t, "posts listening found", count(t, db, "SELECT count(*) FROM inbox_items WHERE kind = 'listening'"), 250, 900)
	within(t, "terms", count(t, db, "SELECT count(DISTINCT term) FROM inbox_items WHERE kind = 'listening'"), 5, 5)
	answered := count(t, db, "SELECT count(*) FROM inbox_items WHERE replied_at IS NOT NULL")
	within(t, "answered items", answered, 1500, 3500)
	// Each with its reply, on all four accounts.
	if n := count(t, db, `SELECT count(*) FROM inbox_items i JOIN posts p ON p.reply_to_item = i.id
		JOIN deliveries d ON d.post_id = p.id AND d.account_id = i.account_id
		WHERE p.state = 'sent' AND d.state = 'sent' AND d.reply = 1 AND d.sent_at = i.replied_at`); n != answered {
		t.Errorf("%d sent replies for %d answered items", n, answered)
	}
	within(t, "accounts that replied", count(t, db, "SELECT count(DISTINCT account_id) FROM deliveries WHERE reply = 1"), 4, 4)
}
