package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"time"

	"github.com/crier-app/crier/store"
)

// writeHistory writes the planned past and the generated inbox in one
// transaction.
func (g *gen) writeHistory(ctx context.Context, db *sql.DB, large bool) error {
	return inBulkTx(ctx, db, large,
		g.writeAccounts, g.writeCampaigns, g.writePosts, g.writeDeliveries, g.forgetPosts, g.writeFollowers, g.writeInboxTable)
}

// forgetPosts lets the planned posts go once they are written: of them,
// the inbox needs only each account's sent deliveries, and of those only
// when they went out, how far they reached and where they are.
func (g *gen) forgetPosts(context.Context, *sql.Tx) error {
	for _, a := range g.accounts {
		a.recent = make([]*ours, len(a.sent))
		for i, d := range a.sent {
			a.recent[i] = &ours{sentAt: d.sentAt, reach: d.reach, remoteID: d.remoteID}
		}
		a.sent = nil
	}
	g.posts = nil
	return nil
}

// inBulkTx runs steps in one transaction on a connection of its own. For
// the large build it also sets that connection up for bulk writing while
// they run: durability relaxed (a crash loses the build, never a user's
// data, because the large build goes to a file of its own, EnsureLarge's,
// or to a fresh store) and a page cache of 16 MiB. A bigger cache buys
// little here: the tables are written in key order, so pages are filled
// once and spilled, and the inbox's indexes are built by one sort at the
// end, whose memory SQLite sizes from the cache too (a 256 MiB cache and
// temporary files held in memory took the build past 1 GB).
func inBulkTx(ctx context.Context, db *sql.DB, large bool, steps ...func(context.Context, *sql.Tx) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if large {
		for _, p := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -16384"} {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return err
			}
		}
		defer func() {
			// The connection goes back to the store's pool: leave it as Open made it.
			for _, p := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -2000"} {
				conn.ExecContext(context.WithoutCancel(ctx), p)
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, step := range steps {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// writeAccounts backdates the accounts: UpsertAccount stamped them with the
// wall clock, and the same seed must give the same database.
func (g *gen) writeAccounts(ctx context.Context, tx *sql.Tx) error {
	for _, a := range g.accounts {
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET created_at = ? WHERE id = ?",
			g.start.AddDate(0, 0, -30).UnixMilli(), a.id); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) writeCampaigns(ctx context.Context, tx *sql.Tx) error {
	w, err := newBulk(ctx, tx, "campaigns",
		"id", "name", "starts_on", "ends_on", "budget_cents", "currency", "goal", "created_at")
	if err != nil {
		return err
	}
	for _, c := range g.campaigns {
		w.add(c.id, c.name, c.startsOn.Format(time.DateOnly), c.ends.AddDate(0, 0, -1).Format(time.DateOnly),
			c.budgetCents, "EUR", c.goal, c.startsOn.AddDate(0, 0, -10).UnixMilli())
	}
	return w.close()
}

func (g *gen) writePosts(ctx context.Context, tx *sql.Tx) error {
	zone := g.zone.String()
	posts, err := newBulk(ctx, tx, "posts",
		"id", "body", "state", "scheduled_at", "scheduled_zone", "campaign_id", "created_at", "updated_at")
	if err != nil {
		return err
	}
	for _, p := range g.posts {
		posts.add(p.id, p.body, string(p.state), p.at.UnixMilli(), zone, nullID(p.campaign),
			p.created.UnixMilli(), p.updated.UnixMilli())
	}
	if err := posts.close(); err != nil {
		return err
	}

	targets, err := newBulk(ctx, tx, "post_targets", "post_id", "account_id", "body_override")
	if err != nil {
		return err
	}
	labels, err := newBulk(ctx, tx, "post_labels", "post_id", "label")
	if err != nil {
		return err
	}
	media, err := newBulk(ctx, tx, "post_media", "post_id", "position", "path", "mime", "alt_text")
	if err != nil {
		return err
	}
	for _, p := range g.posts {
		for _, d := range p.targets {
			var override any
			if d.hasOverride {
				override = d.override
			}
			targets.add(p.id, d.acct.id, override)
		}
		labels.add(p.id, p.theme)
		if p.media != nil {
			media.add(p.id, 0, p.media.Path, p.media.Mime, p.media.AltText)
		}
	}
	for _, w := range []*bulk{targets, labels, media} {
		if err := w.close(); err != nil {
			return err
		}
	}
	return nil
}

// writeDeliveries writes each delivery with its latest metrics, then the
// metric history those came from.
func (g *gen) writeDeliveries(ctx context.Context, tx *sql.Tx) error {
	w, err := newBulk(ctx, tx, "deliveries",
		"id", "post_id", "account_id", "state", "due_at", "attempts", "last_error", "idempotency_key",
		"remote_id", "remote_url", "sent_at", "likes", "reposts", "replies", "quotes", "metrics_at")
	if err != nil {
		return err
	}
	var snaps []snapshot
	for _, p := range g.posts {
		for _, d := range p.targets {
			var latest store.Metrics
			var sentAt, metricsAt any
			if d.state == store.DeliverySent {
				sentAt = d.sentAt.UnixMilli()
				snaps = d.snapshots(g.now, snaps)
				if n := len(snaps); n > 0 {
					latest, metricsAt = snaps[n-1].metrics, snaps[n-1].at.UnixMilli()
				}
			}
			w.add(d.id, p.id, d.acct.id, string(d.state), p.at.UnixMilli(), d.attempts, d.lastError, d.key,
				d.remoteID, d.url, sentAt, latest.Likes, latest.Reposts, latest.Replies, latest.Quotes, metricsAt)
		}
	}
	if err := w.close(); err != nil {
		return err
	}

	w, err = newBulk(ctx, tx, "delivery_metrics", "delivery_id", "taken_at", "likes", "reposts", "replies", "quotes")
	if err != nil {
		return err
	}
	for _, p := range g.posts {
		for _, d := range p.targets {
			if d.state != store.DeliverySent {
				continue
			}
			snaps = d.snapshots(g.now, snaps)
			for _, s := range snaps {
				m := s.metrics
				w.add(d.id, s.at.UnixMilli(), m.Likes, m.Reposts, m.Replies, m.Quotes)
			}
		}
	}
	return w.close()
}

// writeFollowers takes followers snapshots at the sync's usual times
// (from 3:00 local, sz.followerSnaps a day) and one a few minutes ago.
func (g *gen) writeFollowers(ctx context.Context, tx *sql.Tx) error {
	w, err := newBulk(ctx, tx, "follower_snapshots", "account_id", "taken_at", "followers")
	if err != nil {
		return err
	}
	every := 24 * time.Hour / time.Duration(g.sz.followerSnaps)
	last := g.now.Add(-5 * time.Minute).Truncate(time.Millisecond)
	for _, a := range g.accounts {
		for day := 0; day <= g.sz.days; day++ {
			for k := range g.sz.followerSnaps {
				at := g.at(day, 3, 0).Add(time.Duration(k)*every + time.Duration(g.r.IntN(1200))*time.Second)
				if !at.Before(last) {
					break
				}
				w.add(a.id, at.UnixMilli(), int64(math.Round(g.followersAt(a, at))))
			}
		}
		w.add(a.id, last.UnixMilli(), int64(math.Round(g.followersAt(a, last))))
	}
	return w.close()
}

// writeInboxTable writes the generated inbox. The large build drops the
// table's secondary indexes first and builds them again once the reply pass
// is done (restoreInboxIndexes): sorting once at the end beats updating a
// dozen b-trees on every insert, and on every answered item.
func (g *gen) writeInboxTable(ctx context.Context, tx *sql.Tx) error {
	if g.sz.name == "large" {
		defs, err := dropIndexes(ctx, tx, "inbox_items")
		if err != nil {
			return err
		}
		g.inboxIndexes = defs
		// The search index too: filled once at the end, it is built in a
		// fraction of the time its triggers take row by row.
		if g.searchTriggers, err = dropSearchTriggers(ctx, tx); err != nil {
			return err
		}
	}
	w, err := newBulk(ctx, tx, "inbox_items",
		"id", "account_id", "platform", "remote_id", "kind", "author_handle", "author_name", "author_followers",
		"body", "url", "thread_root", "in_reply_to", "received_at", "state", "snoozed_until", "is_read",
		"sentiment", "question", "class", "search_key", "labels", "label_keys")
	if err != nil {
		return err
	}
	g.inboxStats = g.writeInbox(w)
	if err := w.close(); err != nil {
		return err
	}
	// Someone thought better of the latest open complaint: it is gone
	// from the network, and a sync has marked it.
	_, err = tx.ExecContext(ctx, `UPDATE inbox_items SET deleted_at = min(received_at + 1200000, ?), checked_at = ?
		WHERE id = (SELECT id FROM inbox_items WHERE state = 'open' AND class = 'complaint' AND kind IN ('reply', 'mention', 'quote')
		            ORDER BY received_at DESC LIMIT 1)`, g.now.Add(-5*time.Minute).UnixMilli(), g.now.Add(-5*time.Minute).UnixMilli())
	return err
}

// restoreInboxIndexes builds the indexes writeInboxTable dropped, and the
// search index with its triggers.
func (g *gen) restoreInboxIndexes(ctx context.Context, tx *sql.Tx) error {
	for _, def := range g.inboxIndexes {
		if _, err := tx.ExecContext(ctx, def); err != nil {
			return err
		}
	}
	g.inboxIndexes = nil
	if len(g.searchTriggers) == 0 {
		return nil
	}
	for _, q := range append([]string{fillSearchSQL, "INSERT INTO inbox_search (inbox_search) VALUES ('optimize')"}, g.searchTriggers...) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	g.searchTriggers = nil
	return nil
}

// fillSearchSQL indexes every item for search, as the triggers of
// migration 4 would have one by one.
const fillSearchSQL = `INSERT INTO inbox_search (rowid, text, who, facets)
	SELECT search_key, body, author_handle || ' ' || author_name,
	       's' || state || ' k' || kind || ' a' || account_id || ' ' || label_keys
	FROM inbox_items`

// dropSearchTriggers drops the triggers that keep the search index (inside
// the caller's transaction) and returns the statements that create them.
func dropSearchTriggers(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx,
		"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'inbox_search_%' ORDER BY name")
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+n); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

// dropIndexes drops a table's secondary indexes (inside the caller's
// transaction) and returns the statements that create them.
func dropIndexes(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx,
		"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", table)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Drafts the user left lying around.
const (
	draftIdea = "Idea: a bread subscription. One loaf a week, picked up on your day, paid monthly. Would you sign up? Tell us which loaf you'd want first 👇"

	draftPlanned        = "Loyalty cards are in! Every 10th coffee is on us, and card holders get first pick of the Saturday pre-orders. Ask at the till or sign up online: https://ryeandshine.bakery/loyalty ☕🥐\n\n#shoplocal #coffee #bakery"
	draftPlannedBluesky = "Loyalty cards are in! Every 10th coffee is on us, and card holders get first pick of Saturday pre-orders ☕🥐 https://ryeandshine.bakery/loyalty"

	// Over Bluesky's 300 graphemes, under Mastodon's 500: the composer warns.
	draftTooLong = "We get asked why our bread costs what it does, so here is the honest answer. A loaf of country sourdough takes 48 hours: the starter is fed the night before, the dough is mixed and folded by hand, shaped, proofed overnight in the cold room and baked at 4:30 in the morning. The flour comes from a small mill that pays its farmers fairly, and the nine of us are paid properly too. That's where your money goes. 🥖"

	draftThread = "Thread idea: the life and times of Gerald, our seven-year-old starter. Part 1: how he survived the great fridge failure."
)

// writeUpcoming adds drafts and a week of queued posts the way the app does
// (SaveDraft, then QueuePost), so they are indistinguishable from the user's.
func (g *gen) writeUpcoming(ctx context.Context, st *store.Store) error {
	zone := g.zone.String()
	m, b := g.brandAccounts(0)
	both := []store.Target{{AccountID: m.id}, {AccountID: b.id}}
	local := g.now.In(g.zone)
	inTwoDays := time.Date(local.Year(), local.Month(), local.Day()+2, 16, 0, 0, 0, g.zone)
	var running int64
	for _, c := range g.campaigns {
		if !g.now.Before(c.startsOn) && g.now.Before(c.ends) {
			running = c.id
		}
	}
	drafts := []struct {
		p   store.Post
		ago time.Duration
	}{
		{store.Post{Body: draftIdea, Targets: both, Labels: []string{"idea"}}, 74 * time.Hour},
		{store.Post{Body: draftTooLong, Targets: both, Labels: []string{"community"}}, 23 * time.Hour},
		{store.Post{Body: draftThread, Targets: both[:1], Labels: []string{"behind-the-scenes"}}, 26 * time.Hour},
		{store.Post{Body: draftPlanned, ScheduledAt: inTwoDays, ScheduledZone: zone, CampaignID: running,
			Labels: []string{"sale"}, Targets: []store.Target{
				{AccountID: m.id},
				{AccountID: b.id, BodyOverride: draftPlannedBluesky, HasOverride: true},
			}, Media: []store.Media{{Path: filepath.Join(g.photoDir, "loyalty-card.png"), Mime: "image/png",
				AltText: "A red loyalty card on the counter, ten coffee cups printed on it, three stamped"}}}, 5 * time.Hour},
	}
	for _, d := range drafts {
		if _, err := st.SaveDraft(ctx, d.p, g.now.Add(-d.ago).Truncate(time.Millisecond)); err != nil {
			return fmt.Errorf("draft: %w", err)
		}
	}

	for _, at := range g.queueTimes() {
		th := themeFor(g.r, at.In(g.zone).Hour())
		p := &post{at: at, theme: th, body: g.postBody(th, at)}
		p.campaign = g.campaignFor(p)
		g.target(p)
		sp := store.Post{Body: p.body, CampaignID: p.campaign, Labels: []string{th}}
		for _, d := range p.targets {
			sp.Targets = append(sp.Targets, store.Target{AccountID: d.acct.id, BodyOverride: d.override, HasOverride: d.hasOverride})
		}
		written := g.now.Add(-time.Duration(30+g.r.IntN(3*24*60)) * time.Minute).Truncate(time.Millisecond)
		id, err := st.SaveDraft(ctx, sp, written)
		if err != nil {
			return fmt.Errorf("queued post: %w", err)
		}
		if err := st.QueuePost(ctx, id, at, zone, written); err != nil {
			return fmt.Errorf("queued post: %w", err)
		}
	}
	return nil
}

// queueTimes picks 8 to 12 local posting times in the next seven days.
func (g *gen) queueTimes() []time.Time {
	slots := [][2]int{{7, 30}, {8, 0}, {9, 15}, {12, 0}, {12, 30}, {16, 30}, {17, 15}}
	local := g.now.In(g.zone)
	from, to := g.now.Add(10*time.Minute), g.now.Add(7*24*time.Hour)
	var cands []time.Time
	for day := 0; day <= 7; day++ {
		for _, i := range g.r.Perm(len(slots))[:3] {
			t := time.Date(local.Year(), local.Month(), local.Day()+day, slots[i][0], slots[i][1], 0, 0, g.zone)
			if t.After(from) && !t.After(to) {
				cands = append(cands, t)
			}
		}
	}
	g.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	cands = cands[:min(len(cands), 8+g.r.IntN(5))]
	slices.SortFunc(cands, time.Time.Compare)
	return cands
}

// finish gives the queued deliveries keys drawn from the seed (QueuePost
// drew random ones; nothing has tried to send them yet, so nothing has
// used them) and writes the meta, MetaComplete last.
func (g *gen) finish(ctx context.Context, db *sql.DB, meta [][2]string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT id FROM deliveries WHERE state = 'queued' ORDER BY id")
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, "UPDATE deliveries SET idempotency_key = ? WHERE id = ?",
			idempotencyKey(g.r), id); err != nil {
			return err
		}
	}
	for _, kv := range meta {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return tx.Commit()
}
