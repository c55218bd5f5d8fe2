package demo

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/crier-app/crier/abtest"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
)

// What works and when (issue 15): the bakery's queue slots, with the
// queued posts that sit on them in its queue; a recurring Saturday special;
// its blog's feed with an entry waiting as a draft; a running A/B test of
// two wordings with enough clicks for a verdict; two evergreen posts; and
// two competitors with their history. All of it draws from a stream of its
// own (timingStream), after everything else is made, so it changes no
// other row of the demo.

// timingStream seeds the generator of this part: "crier-ti".
const timingStream = 0x63726965722d7469

// The weekly slots: the bakery is closed on Mondays.
var demoSlots = map[string]string{
	store.PlatformMastodon: "Tue-Sat 08:00 12:30 17:15",
	store.PlatformBluesky:  "Tue-Sun 07:30 12:00 16:30",
}

const (
	saturdaySpecial = "Saturday special: cardamom knots, warm from 7am until they're gone 🥐 Come early! #saturdayspecial"
	specialRule     = "FREQ=WEEKLY;BYDAY=SA"

	feedName = "blog"
	feedURL  = "https://ryeandshine.bakery/blog/feed.xml"

	abName     = "Stollen wording"
	abVariantA = "Christmas stollen are back: pre-order yours for pick-up from 12 December 🎄 https://ryeandshine.bakery/stollen"
	abVariantB = "Only 40 stollen this year, baked by Marta to her grandmother's recipe. Reserve yours before they're gone 🎄 https://ryeandshine.bakery/stollen"
)

var blogEntries = []struct {
	id, title, path string
	daysAgo         int
	image           string
}{
	{"post-101", "Meet Gerald, our seven-year-old starter", "gerald", 24, ""},
	{"post-102", "What we learnt from a year of rye", "a-year-of-rye", 12, "rye.jpg"},
	{"post-103", "Stollen season: how we bake 40 by hand", "stollen-season", 1, "stollen.jpg"},
}

var competitorSpecs = []struct {
	platform, handle, name string
	followers, growth      float64 // at the start of the history, and a day
	perWeek                float64
	reach                  float64 // likes a typical post gets
	hours                  []int   // the local hours they post at
	texts                  []string
}{
	{store.PlatformBluesky, "crumbandco.bsky.social", "Crumb & Co", 1800, 2.4, 6, 26, []int{7, 12, 18},
		[]string{"Fresh croissants are out 🥐", "Our sourdough class has two seats left", "Pumpkin loaf is back for the season",
			"Open until 3pm today", "New: rye & fennel crackers", "Saturday market stall from 8am"}},
	{store.PlatformMastodon, "@ovenbird@bread.social", "Ovenbird Bakehouse", 420, 0.6, 3, 7, []int{9, 16},
		[]string{"Baking notes: hydration and patience", "Today's bake: spelt and honey", "We are closed on Monday for repairs",
			"Sourdough starter giveaway this Friday"}},
}

// writeTiming adds this part to the demo.
func (g *gen) writeTiming(ctx context.Context, st *store.Store) error {
	zone := g.zone.String()
	m, b := g.brandAccounts(0)
	// Seeded from the clock and the Bluesky account's DID (drawn from the
	// seed): no draw from the main stream, so nothing else moves.
	h := fnv.New64a()
	h.Write([]byte(b.did))
	r := rand.New(rand.NewPCG(uint64(g.now.UnixMilli())^h.Sum64(), timingStream))

	for _, a := range []*account{m, b} {
		slots, err := store.ParseQueueSlots(demoSlots[a.platform])
		if err != nil {
			return err
		}
		if err := st.SetQueueSchedule(ctx, a.id, zone, slots); err != nil {
			return fmt.Errorf("queue of %s: %w", a.handle, err)
		}
	}
	if err := g.queueUpcoming(ctx, st.DB()); err != nil {
		return fmt.Errorf("queue: %w", err)
	}

	local := g.now.In(g.zone)
	daysToSat := (int(time.Saturday) - int(local.Weekday()) + 7) % 7
	firstSat := store.WallClock(local.Year(), local.Month(), local.Day()+daysToSat, 7, 0, g.zone)
	if !firstSat.After(g.now) {
		firstSat = store.WallClock(local.Year(), local.Month(), local.Day()+daysToSat+7, 7, 0, g.zone)
	}
	if _, err := timing.NewSeries(ctx, st, timing.Series{
		Rule: specialRule, Start: firstSat, Zone: zone, WindowDays: 9,
		Template: store.Post{Body: saturdaySpecial, Labels: []string{"special"},
			Targets: []store.Target{{AccountID: m.id}, {AccountID: b.id}}},
	}, g.now); err != nil {
		return fmt.Errorf("Saturday special: %w", err)
	}

	if err := g.writeFeed(ctx, st, m, b); err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	if err := g.writeABTest(ctx, st, r, m, b); err != nil {
		return fmt.Errorf("A/B test: %w", err)
	}
	if err := g.writeEvergreen(ctx, st); err != nil {
		return fmt.Errorf("evergreen: %w", err)
	}
	if err := g.writeCompetitors(ctx, st, r); err != nil {
		return fmt.Errorf("competitors: %w", err)
	}
	return nil
}

// queueUpcoming puts the queued copies that sit on their account's slots
// into its queue, as "add to queue" would have.
func (g *gen) queueUpcoming(ctx context.Context, db *sql.DB) error {
	type copyAt struct {
		id, account, added int64
		due                time.Time
	}
	rows, err := db.QueryContext(ctx, `SELECT d.id, d.account_id, p.created_at, d.due_at
		FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE d.state = 'queued' ORDER BY d.id`)
	if err != nil {
		return err
	}
	var cs []copyAt
	for rows.Next() {
		var c copyAt
		var due int64
		if err := rows.Scan(&c.id, &c.account, &c.added, &due); err != nil {
			rows.Close()
			return err
		}
		c.due = time.UnixMilli(due).In(g.zone)
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slots := map[int64][]store.QueueSlot{}
	for _, a := range g.accounts {
		if a.brand == 0 { // the café has no queue
			slots[a.id], _ = store.ParseQueueSlots(demoSlots[a.platform])
		}
	}
	for _, c := range cs {
		at := store.QueueSlot{Weekday: c.due.Weekday(), Minute: c.due.Hour()*60 + c.due.Minute()}
		for _, s := range slots[c.account] {
			if s == at {
				if _, err := db.ExecContext(ctx, "INSERT INTO queue_entries (delivery_id, account_id, added_at) VALUES (?, ?, ?)",
					c.id, c.account, c.added); err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}

// writeFeed records the bakery's blog: three entries seen, the newest a
// draft waiting for the person.
func (g *gen) writeFeed(ctx context.Context, st *store.Store, m, b *account) error {
	id, err := st.UpsertFeed(ctx, store.FeedConfig{Name: feedName, URL: feedURL, Accounts: []int64{m.id, b.id}}, g.now.AddDate(0, 0, -30))
	if err != nil {
		return err
	}
	for i, e := range blogEntries {
		seen := g.now.AddDate(0, 0, -e.daysAgo).Add(20 * time.Minute).Truncate(time.Millisecond)
		link := "https://ryeandshine.bakery/blog/" + e.path
		entry := store.FeedEntry{FeedID: id, EntryID: e.id, Title: e.title, Link: link, PublishedAt: seen.Add(-20 * time.Minute)}
		if e.image != "" {
			entry.Image = "https://ryeandshine.bakery/img/" + e.image
		}
		var draft *store.Post
		if i == len(blogEntries)-1 {
			draft = &store.Post{Body: e.title + "\n\n" + link, Labels: []string{"feed"},
				Targets: []store.Target{{AccountID: m.id}, {AccountID: b.id}}}
		}
		if _, _, err := st.AddFeedEntry(ctx, entry, draft, seen); err != nil {
			return err
		}
		if err := st.RecordFeedFetch(ctx, id, store.FeedFetch{Title: "Rye & Shine: the blog", ETag: fmt.Sprintf(`"%s"`, e.id)}, seen); err != nil {
			return err
		}
	}
	return st.RecordFeedFetch(ctx, id, store.FeedFetch{NotModified: true}, g.now.Add(-10*time.Minute).Truncate(time.Millisecond))
}

// writeABTest runs "Stollen wording": two variants on Thursdays 12:30 and
// the Fridays after, alternating; three rounds went out over the last three
// weeks (with their counters and the clicks link tracking counted), the
// fourth is queued.
func (g *gen) writeABTest(ctx context.Context, st *store.Store, r *rand.Rand, m, b *account) error {
	created := g.now.AddDate(0, 0, -25).Truncate(time.Millisecond)
	id, err := st.CreateABTest(ctx, store.ABTest{Name: abName, Pattern: "days", Zone: g.zone.String(),
		Accounts: []int64{m.id, b.id}, Variants: []store.ABVariant{{Body: abVariantA}, {Body: abVariantB}}}, created)
	if err != nil {
		return err
	}
	t, err := st.ABTest(ctx, id)
	if err != nil {
		return err
	}
	// Rounds from four weeks back: the first three are past, the last ahead.
	plan, err := abtest.Plan(abtest.PlanSpec{Variants: t.Variants, Pattern: "days", Loc: g.zone,
		Slots: []store.QueueSlot{{Weekday: time.Thursday, Minute: 12*60 + 30}, {Weekday: time.Friday, Minute: 12*60 + 30}},
		From:  g.now.AddDate(0, 0, -22), Rounds: 4})
	if err != nil {
		return err
	}
	if err := st.SetABPlan(ctx, id, plan); err != nil {
		return err
	}
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	started := plan[0].At.Add(-time.Hour)
	if _, err := tx.ExecContext(ctx, "UPDATE ab_tests SET state = 'running', started_at = ? WHERE id = ?", started.UnixMilli(), id); err != nil {
		return err
	}
	var engagement [2]int
	for _, p := range plan {
		body := abVariantA
		v := 0
		if p.Label == "B" {
			body, v = abVariantB, 1
		}
		state, dstate := store.PostQueued, store.DeliveryQueued
		if p.At.Before(g.now) {
			state, dstate = store.PostSent, store.DeliverySent
		}
		var pid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO posts (body, state, scheduled_at, scheduled_zone, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, body, state, p.At.UnixMilli(), g.zone.String(),
			started.UnixMilli(), started.UnixMilli()).Scan(&pid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO post_labels (post_id, label) VALUES (?, 'ab-test')", pid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE ab_plan SET post_id = ? WHERE test_id = ? AND at = ?", pid, id, p.At.UnixMilli()); err != nil {
			return err
		}
		for _, a := range []*account{m, b} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO post_targets (post_id, account_id) VALUES (?, ?)", pid, a.id); err != nil {
				return err
			}
			if dstate == store.DeliveryQueued {
				if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key)
					VALUES (?, ?, 'queued', ?, ?)`, pid, a.id, p.At.UnixMilli(), idempotencyKey(r)); err != nil {
					return err
				}
				continue
			}
			// The better wording does about twice as well.
			d := &delivery{acct: a, sentAt: p.At.Add(time.Duration(400+r.IntN(2000)) * time.Millisecond),
				reach: a.reach * (1 + 0.9*float64(v)) * (0.85 + 0.3*r.Float64()), tau: 5 * time.Hour,
				share: [3]float64{0.18, 0.08, 0.02}, jitter: r.Uint64()}
			snaps := d.snapshots(g.now, nil)
			last := snaps[len(snaps)-1]
			g.idSeq++
			remote, url := mastodonID(d.sentAt, g.idSeq), ""
			if a.platform == store.PlatformMastodon {
				url = a.server + "/@" + a.user + "/" + remote
			} else {
				rkey := tid(d.sentAt, g.idSeq)
				remote, url = bskyPostURI(a.did, rkey), bskyPostURL(a.user, rkey)
			}
			var did int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO deliveries (post_id, account_id, state, due_at, attempts, idempotency_key,
				remote_id, remote_url, sent_at, first_attempt_at, likes, reposts, replies, quotes, metrics_at)
				VALUES (?, ?, 'sent', ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				pid, a.id, p.At.UnixMilli(), idempotencyKey(r), remote, url, d.sentAt.UnixMilli(), p.At.UnixMilli(),
				last.metrics.Likes, last.metrics.Reposts, last.metrics.Replies, last.metrics.Quotes, last.at.UnixMilli()).Scan(&did); err != nil {
				return err
			}
			for _, s := range snaps {
				if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_metrics (delivery_id, taken_at, likes, reposts, replies, quotes)
					VALUES (?, ?, ?, ?, ?, ?)`, did, s.at.UnixMilli(), s.metrics.Likes, s.metrics.Reposts, s.metrics.Replies, s.metrics.Quotes); err != nil {
					return err
				}
			}
			engagement[v] += last.metrics.Engagement()
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// What link tracking counted on each variant's utm_content: clearly
	// more clicks on B, too few conversions yet to tell.
	clicks := [2]int64{int64(34 + r.IntN(8)), int64(78 + r.IntN(12))}
	conversions := [2]int64{int64(3 + r.IntN(2)), int64(6 + r.IntN(3))}
	for i, v := range t.Variants {
		if err := st.RecordABResults(ctx, v.ID, 0, clicks[i], conversions[i], 0, g.now.Add(-time.Hour).Truncate(time.Millisecond)); err != nil {
			return err
		}
	}
	return nil
}

// writeEvergreen puts the two most liked posts of the history's first
// month into the evergreen pool, to be shared again every six weeks.
func (g *gen) writeEvergreen(ctx context.Context, st *store.Store) error {
	ids, err := queryIDs(ctx, st.DB(), `
		SELECT p.id FROM posts p JOIN deliveries d ON d.post_id = p.id
		WHERE p.state = 'sent' AND p.reply_to_item IS NULL AND p.scheduled_at < ? AND p.campaign_id IS NULL
		GROUP BY p.id ORDER BY sum(d.engagement) DESC, p.id LIMIT 2`, g.day(30).UnixMilli())
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := st.AddEvergreen(ctx, id, 42*24*time.Hour, g.now.AddDate(0, 0, -10).Truncate(time.Millisecond)); err != nil {
			return err
		}
	}
	return nil
}

// writeCompetitors writes two competitors' follower counts (one a day)
// and posts over the history.
func (g *gen) writeCompetitors(ctx context.Context, st *store.Store, r *rand.Rand) error {
	return st.NewLoader(false).Load(ctx, func(ctx context.Context, tx *store.LoadTx) error {
		return g.writeCompetitorRows(ctx, tx, r)
	})
}

func (g *gen) writeCompetitorRows(ctx context.Context, tx *store.LoadTx, r *rand.Rand) error {
	snaps, err := tx.Rows(ctx, "competitor_snapshots", "competitor_id", "taken_at", "followers", "following", "posts")
	if err != nil {
		return err
	}
	posts, err := tx.Rows(ctx, "competitor_posts", "competitor_id", "remote_id", "url", "body", "posted_at",
		"likes", "reposts", "replies", "quotes", "metrics_at")
	if err != nil {
		return err
	}
	synced := g.now.Add(-15 * time.Minute).Truncate(time.Millisecond)
	for i, c := range competitorSpecs {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO competitors (platform, handle, display_name, synced_at, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, c.platform, c.handle, c.name, synced.UnixMilli(),
			g.start.UnixMilli()).Scan(&id); err != nil {
			return err
		}
		total := 300 + 50*i
		for day := 0; day <= g.sz.days; day++ {
			at := g.at(day, 4, 10+r.IntN(30))
			if !at.Before(synced) {
				break
			}
			// Posts this day, at their usual hours.
			n := int(c.perWeek/7 + r.Float64())
			for k := 0; k < n; k++ {
				hour := c.hours[r.IntN(len(c.hours))]
				t := g.at(day, hour, r.IntN(50))
				if !t.Before(synced) {
					continue
				}
				total++
				likes := c.reach * math.Exp(0.5*r.NormFloat64())
				if c.hours[0] == hour {
					likes *= 1.4 // their mornings do best
				}
				remote, url := fmt.Sprintf("c%d-%d", id, total), ""
				if c.platform == store.PlatformMastodon {
					g.idSeq++
					remote = mastodonID(t, g.idSeq)
					url = "https://bread.social/@ovenbird/" + remote
				} else {
					g.idSeq++
					rkey := tid(t, g.idSeq)
					remote, url = "at://did:plc:crumbandcocrumbandcocrum/app.bsky.feed.post/"+rkey, "https://bsky.app/profile/"+c.handle+"/post/"+rkey
				}
				body := c.texts[r.IntN(len(c.texts))]
				posts.Add(id, remote, url, body, t.UnixMilli(), int(likes), int(likes*0.15), int(likes*0.07), int(likes*0.01), synced.UnixMilli())
			}
			followers := c.followers + c.growth*float64(day) + 5*r.NormFloat64()
			snaps.Add(id, at.UnixMilli(), int(followers), 150+i*40, total)
		}
	}
	if err := snaps.Close(); err != nil {
		return err
	}
	return posts.Close()
}

// timingPosts is the SQL set of the posts this part made (the A/B test's
// and the recurring special's), which the demo's own counts leave out.
const timingPosts = `SELECT post_id FROM recurrence_posts WHERE post_id IS NOT NULL
	UNION SELECT post_id FROM ab_plan WHERE post_id IS NOT NULL`
