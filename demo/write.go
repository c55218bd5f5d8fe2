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
// transaction of g.load (fast for the large build: see store.NewLoader; it
// goes to a file of its own, EnsureLarge's, or to a fresh store, so a crash
// loses the build, never a user's data).
func (g *gen) writeHistory(ctx context.Context) error {
	return g.load.Load(ctx,
		g.writeAccounts, g.writeCampaigns, g.writePosts, g.writeDeliveries, g.forgetPosts, g.writeFollowers, g.writeInboxTable)
}

// forgetPosts lets the planned posts go once they are written: of them,
// the inbox needs only each account's sent deliveries, and of those only
// when they went out, how far they reached and where they are.
func (g *gen) forgetPosts(context.Context, *store.LoadTx) error {
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

// writeAccounts backdates the accounts: UpsertAccount stamped them with the
// wall clock, and the same seed must give the same database.
func (g *gen) writeAccounts(ctx context.Context, tx *store.LoadTx) error {
	for _, a := range g.accounts {
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET created_at = ? WHERE id = ?",
			g.start.AddDate(0, 0, -30).UnixMilli(), a.id); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) writeCampaigns(ctx context.Context, tx *store.LoadTx) error {
	w, err := tx.Rows(ctx, "campaigns",
		"id", "name", "starts_on", "ends_on", "budget_cents", "currency", "goal", "created_at")
	if err != nil {
		return err
	}
	for _, c := range g.campaigns {
		w.Add(c.id, c.name, c.startsOn.Format(time.DateOnly), c.ends.AddDate(0, 0, -1).Format(time.DateOnly),
			c.budgetCents, "EUR", c.goal, c.startsOn.AddDate(0, 0, -10).UnixMilli())
	}
	return w.Close()
}

func (g *gen) writePosts(ctx context.Context, tx *store.LoadTx) error {
	zone := g.zone.String()
	posts, err := tx.Rows(ctx, "posts",
		"id", "body", "state", "scheduled_at", "scheduled_zone", "campaign_id", "created_at", "updated_at")
	if err != nil {
		return err
	}
	for _, p := range g.posts {
		posts.Add(p.id, p.body, string(p.state), p.at.UnixMilli(), zone, nullID(p.campaign),
			p.created.UnixMilli(), p.updated.UnixMilli())
	}
	if err := posts.Close(); err != nil {
		return err
	}

	targets, err := tx.Rows(ctx, "post_targets", "post_id", "account_id", "body_override")
	if err != nil {
		return err
	}
	labels, err := tx.Rows(ctx, "post_labels", "post_id", "label")
	if err != nil {
		return err
	}
	media, err := tx.Rows(ctx, "post_media", "post_id", "position", "path", "mime", "alt_text")
	if err != nil {
		return err
	}
	for _, p := range g.posts {
		for _, d := range p.targets {
			var override any
			if d.hasOverride {
				override = d.override
			}
			targets.Add(p.id, d.acct.id, override)
		}
		labels.Add(p.id, p.theme)
		if p.media != nil {
			media.Add(p.id, 0, p.media.Path, p.media.Mime, p.media.AltText)
		}
	}
	for _, w := range []*store.RowWriter{targets, labels, media} {
		if err := w.Close(); err != nil {
			return err
		}
	}
	return nil
}

// writeDeliveries writes each delivery with its latest metrics, then the
// metric history those came from.
func (g *gen) writeDeliveries(ctx context.Context, tx *store.LoadTx) error {
	w, err := tx.Rows(ctx, "deliveries",
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
			w.Add(d.id, p.id, d.acct.id, string(d.state), p.at.UnixMilli(), d.attempts, d.lastError, d.key,
				d.remoteID, d.url, sentAt, latest.Likes, latest.Reposts, latest.Replies, latest.Quotes, metricsAt)
		}
	}
	if err := w.Close(); err != nil {
		return err
	}

	w, err = tx.Rows(ctx, "delivery_metrics", "delivery_id", "taken_at", "likes", "reposts", "replies", "quotes")
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
				w.Add(d.id, s.at.UnixMilli(), m.Likes, m.Reposts, m.Replies, m.Quotes)
			}
		}
	}
	return w.Close()
}

// writeFollowers takes followers snapshots at the sync's usual times
// (from 3:00 local, sz.followerSnaps a day) and one a few minutes ago.
func (g *gen) writeFollowers(ctx context.Context, tx *store.LoadTx) error {
	w, err := tx.Rows(ctx, "follower_snapshots", "account_id", "taken_at", "followers")
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
				w.Add(a.id, at.UnixMilli(), int64(math.Round(g.followersAt(a, at))))
			}
		}
		w.Add(a.id, last.UnixMilli(), int64(math.Round(g.followersAt(a, last))))
	}
	return w.Close()
}

// writeInboxTable writes the generated inbox. The large build sets the
// table's secondary indexes aside first and builds them again once the
// reply pass is done (writeListening): sorting once at the end beats updating a
// dozen b-trees on every insert, and on every answered item.
func (g *gen) writeInboxTable(ctx context.Context, tx *store.LoadTx) error {
	if g.sz.name == "large" {
		// The search index too: filled once at the end, it is built in a
		// fraction of the time its triggers take row by row.
		if err := tx.DeferInboxIndexes(ctx); err != nil {
			return err
		}
	}
	w, err := tx.Rows(ctx, "inbox_items",
		"id", "account_id", "platform", "remote_id", "kind", "author_handle", "author_name", "author_followers",
		"body", "url", "thread_root", "in_reply_to", "received_at", "state", "snoozed_until", "is_read",
		"sentiment", "question", "class", "search_key", "labels", "label_keys")
	if err != nil {
		return err
	}
	g.inboxStats = g.writeInbox(w)
	if err := w.Close(); err != nil {
		return err
	}
	// Someone thought better of the latest open complaint: it is gone
	// from the network, and a sync has marked it.
	_, err = tx.ExecContext(ctx, `UPDATE inbox_items SET deleted_at = min(received_at + 1200000, ?), checked_at = ?
		WHERE id = (SELECT id FROM inbox_items WHERE state = 'open' AND class = 'complaint' AND kind IN ('reply', 'mention', 'quote')
		            ORDER BY received_at DESC LIMIT 1)`, g.now.Add(-5*time.Minute).UnixMilli(), g.now.Add(-5*time.Minute).UnixMilli())
	return err
}

// queryIDs runs a query of one id column and returns the ids in order.
func queryIDs(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
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
	ids, err := queryIDs(ctx, tx, "SELECT id FROM deliveries WHERE state = 'queued' ORDER BY id")
	if err != nil {
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
