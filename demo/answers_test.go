package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/crier-app/crier/store"
)

// bskyTID is a Bluesky chat message id, which the demo makes a TID.
var bskyTID = regexp.MustCompile(`^[2-7a-z]{13}$`)

// TestSeedAnswers checks the reply posts behind the answered items of the
// normal demo: one sent reply per answered item, stored as QueueReply and
// the scheduler leave one, read back through the store's thread queries,
// kept out of the calendar and the published-post KPIs, and saying
// something that fits what it answers.
func TestSeedAnswers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		seed int64
		now  time.Time
	}{
		{7, testNow},
		{101, time.Date(2025, 10, 26, 6, 10, 0, 0, berlin)},
		{103, time.Date(2026, 3, 29, 3, 30, 0, 0, berlin)},
	} {
		t.Run(fmt.Sprintf("seed%d", c.seed), func(t *testing.T) {
			ctx := context.Background()
			st, _ := seeded(t, Options{Seed: c.seed, Now: c.now, Zone: berlin})
			db := st.DB()

			answered := count(t, db, "SELECT count(*) FROM inbox_items WHERE replied_at IS NOT NULL")
			within(t, "answered items", answered, 40, 400)
			if n := count(t, db, "SELECT count(*) FROM posts WHERE reply_to_item IS NOT NULL"); n != answered {
				t.Errorf("%d reply posts for %d answered items", n, answered)
			}
			// Each is one sent post to the item's account, queued seconds
			// before its one delivery went out at the item's replied_at.
			if n := count(t, db, `SELECT count(*) FROM inbox_items i WHERE i.replied_at IS NOT NULL AND 1 <> (
				SELECT count(*) FROM posts p
				JOIN post_targets t ON t.post_id = p.id AND t.account_id = i.account_id AND t.body_override IS NULL
				JOIN deliveries d ON d.post_id = p.id AND d.account_id = i.account_id
				WHERE p.reply_to_item = i.id AND p.state = 'sent' AND p.scheduled_zone = 'UTC'
				  AND p.created_at = p.scheduled_at AND d.due_at = p.scheduled_at
				  AND d.state = 'sent' AND d.reply = 1 AND d.attempts = 1 AND d.last_error = ''
				  AND d.sent_at = i.replied_at AND d.sent_at - p.scheduled_at BETWEEN 1 AND 10000
				  AND d.metrics_at IS NULL AND p.campaign_id IS NULL AND p.thread_parent IS NULL
				  AND (SELECT count(*) FROM post_targets WHERE post_id = p.id) = 1
				  AND (SELECT count(*) FROM deliveries WHERE post_id = p.id) = 1)`); n != 0 {
				t.Errorf("%d answered items without exactly one reply in the shape crier sends", n)
			}
			if n := count(t, db, `SELECT count(*) FROM deliveries d JOIN posts p ON p.id = d.post_id
				WHERE d.reply <> (p.reply_to_item IS NOT NULL)`); n != 0 {
				t.Errorf("%d deliveries marked as replies that aren't, or the other way round", n)
			}

			// Where each went on its network, and how it starts.
			rows, err := db.Query(`SELECT i.platform, i.kind, i.author_handle, p.body, d.remote_id, d.remote_url,
				d.idempotency_key FROM posts p JOIN inbox_items i ON i.id = p.reply_to_item
				JOIN deliveries d ON d.post_id = p.id`)
			if err != nil {
				t.Fatal(err)
			}
			bodies := map[string]bool{}
			var n int
			for rows.Next() {
				var platform, kind, handle, body, id, url, key string
				if err := rows.Scan(&platform, &kind, &handle, &body, &id, &url, &key); err != nil {
					t.Fatal(err)
				}
				n++
				switch {
				case platform == store.PlatformMastodon:
					mention := "@" + strings.TrimPrefix(handle, "@") + " "
					if !strings.HasPrefix(body, mention) {
						t.Errorf("Mastodon reply to %s does not start with the mention: %q", handle, body)
					}
					body = strings.TrimPrefix(body, mention)
					if !mastodonRemote.MatchString(id) || url != "https://toot.community/@ryeandshine/"+id {
						t.Errorf("Mastodon reply id %q url %q", id, url)
					}
				case kind == string(store.KindDM):
					if !bskyTID.MatchString(id) || url != "" {
						t.Errorf("Bluesky chat message id %q url %q", id, url)
					}
				default:
					m := bskyRemote.FindStringSubmatch(id)
					if m == nil || url != "https://bsky.app/profile/ryeandshine.bsky.social/post/"+m[1] {
						t.Errorf("Bluesky reply id %q url %q", id, url)
					}
				}
				if strings.HasPrefix(body, "@") || strings.ContainsAny(body, "{}") || strings.TrimSpace(body) != body {
					t.Errorf("reply text %q: a stray mention, placeholder or space", body)
				}
				if !hexKey.MatchString(key) {
					t.Errorf("reply key %q", key)
				}
				bodies[body] = true
			}
			rows.Close()
			if len(bodies)*3 < n {
				t.Errorf("%d different texts among %d replies", len(bodies), n)
			}

			// What was asked gets an answer to it.
			for _, want := range []struct{ asked, answer string }{
				{"gluten-free", "wheat"},
				{"charged twice", "refunded"},
				{"hiring", "baker"},
				{"sold out by", "second"},
				{"Is the rye 100% rye", "100% rye"},
				{"Habt ihr sonntags geöffnet?", "Ja, sonntags"},
				{"was burnt on the bottom", "on us"},
			} {
				if n := count(t, db, `SELECT count(*) FROM posts p JOIN inbox_items i ON i.id = p.reply_to_item
					WHERE instr(i.body, ?) AND NOT instr(p.body, ?)`, want.asked, want.answer); n != 0 {
					t.Errorf("%d replies to %q that don't mention %q", n, want.asked, want.answer)
				}
			}
			// Thanks for praise in direct messages, a hello or a thank-you.
			if n := count(t, db, `SELECT count(*) FROM posts p JOIN inbox_items i ON i.id = p.reply_to_item
				WHERE i.body LIKE '%holding the last%' AND p.body NOT LIKE '%name on it%'`); n != 0 {
				t.Errorf("%d thank-yous for a loaf held back answered off topic", n)
			}

			// The store reads them back as the inbox shows them.
			ids := make(map[int64]int64) // item id -> replied_at
			rows, err = db.Query("SELECT id, replied_at FROM inbox_items WHERE replied_at IS NOT NULL")
			if err != nil {
				t.Fatal(err)
			}
			var itemIDs []int64
			for rows.Next() {
				var id, at int64
				rows.Scan(&id, &at)
				ids[id] = at
				itemIDs = append(itemIDs, id)
			}
			rows.Close()
			replies, err := st.InboxReplies(ctx, itemIDs)
			if err != nil {
				t.Fatal(err)
			}
			if len(replies) != answered {
				t.Errorf("InboxReplies: %d replies to %d answered items", len(replies), answered)
			}
			for _, r := range replies {
				if r.State != store.DeliverySent || r.At.UnixMilli() != ids[r.ItemID] || r.Pending() {
					t.Errorf("reply %d to item %d: %s at %v, want sent at %d", r.PostID, r.ItemID, r.State, r.At, ids[r.ItemID])
				}
			}
			items, err := st.InboxItems(ctx, itemIDs[len(itemIDs)-3:])
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				thread, err := st.InboxThread(ctx, it)
				if err != nil {
					t.Fatal(err)
				}
				var found bool
				for _, e := range thread {
					found = found || (e.Reply && e.State == store.DeliverySent && e.At.Equal(it.RepliedAt))
				}
				if !found {
					t.Errorf("the thread of answered item %d shows no sent reply: %+v", it.ID, thread)
				}
			}

			// Not in the calendar, and not among the published posts.
			ps, err := st.PostsBetween(ctx, c.now.AddDate(0, 0, -100), c.now.AddDate(0, 0, 10))
			if err != nil {
				t.Fatal(err)
			}
			own := count(t, db, "SELECT count(*) FROM posts WHERE reply_to_item IS NULL AND state <> 'draft'")
			dated := count(t, db, "SELECT count(*) FROM posts WHERE reply_to_item IS NULL AND scheduled_at IS NOT NULL")
			if len(ps) != dated || own > dated {
				t.Errorf("the calendar lists %d posts, want the %d of ours with a time", len(ps), dated)
			}
			k, err := st.KPIs(ctx, c.now, berlin)
			if err != nil {
				t.Fatal(err)
			}
			published := count(t, db, `SELECT count(*) FROM deliveries d JOIN posts p ON p.id = d.post_id
				WHERE d.state = 'sent' AND p.reply_to_item IS NULL AND d.sent_at >= ? AND d.sent_at <= ?`,
				k.Since.UnixMilli(), c.now.UnixMilli())
			if k.Total.Posts != published {
				t.Errorf("KPIs count %d published posts, want the %d that are not replies", k.Total.Posts, published)
			}
		})
	}
}

// TestAnswerFitsWhatWasSaid picks answers for texts the inbox generator
// writes, some of which VADER reads the wrong way.
func TestAnswerFitsWhatWasSaid(t *testing.T) {
	g, _ := newAnswerGen(t)
	for _, c := range []struct {
		kind  store.InboxKind
		body  string
		score float64
		asks  bool
		want  string
	}{
		{store.KindReply, "@ryeandshine @ana_b Do you deliver to Elm Road?", 0, true, "3 km"},
		{store.KindMention, "New bakery crush: @ryeandshine.bsky.social 😋", -0.2, false, "mutual"},
		{store.KindDM, "Hi! I think I left my umbrella at the shop yesterday 🙈", 0, false, "behind the counter"},
		{store.KindReply, "Went in for one croissant, left with three. No regrets.", -0.3, false, "No regrets"},
		{store.KindReply, "@ryeandshine ¿Tenéis opciones sin gluten?", 0, true, "Lo sentimos"},
		{store.KindReply, "waited 20 minutes in the queue and the croissants were sold out by 9. Bake more please!", 0.4, false, "second"},
		{store.KindListening, "Day 4 of feeding my starter and it finally doubled overnight 🙌 #sourdough", 0.5, false, "Go, starter"},
		{store.KindListening, "Honestly? Nothing beats a slice of warm #sourdough with salted butter 🥐", 0.4, true, "👏"},
		{store.KindListening, "Birthday breakfast from Rye and Shine ✨", 0.6, false, "Thank"},
	} {
		it := &answerable{kind: c.kind, body: c.body, score: c.score, asks: c.asks}
		got := g.answerTemplate(it)
		if !strings.Contains(got, c.want) {
			t.Errorf("answer to %q = %q, want it to contain %q", c.body, got, c.want)
		}
	}
}

func TestAnswerText(t *testing.T) {
	g, accounts := newAnswerGen(t)
	masto, bsky := accounts[0], accounts[1]
	it := &answerable{kind: store.KindReply, who: &author{handle: "@ana_b@mastodon.social", name: "Ana | she/her"},
		body: "@ryeandshine Is there somewhere to lock a bike near the shop?", asks: true}
	if got := g.answerText(it, masto); !strings.HasPrefix(got, "@ana_b@mastodon.social There are racks") {
		t.Errorf("Mastodon reply = %q, want the mention and then the answer", got)
	}
	it = &answerable{kind: store.KindReply, who: &author{handle: "ana.bsky.social", name: "Ana | she/her"},
		body: "Is there somewhere to lock a bike near the shop?", asks: true}
	if got := g.answerText(it, bsky); !strings.HasPrefix(got, "There are racks") {
		t.Errorf("Bluesky reply = %q, want the answer alone", got)
	}
	// A direct message is signed once, by a baker or by the saved reply.
	for range 50 {
		it = &answerable{kind: store.KindDM, who: &author{handle: "ana.bsky.social", name: "Ana | she/her"},
			body: "Didn't want to say this publicly, but my croissant was stale.", score: -0.4}
		got := g.answerText(it, bsky)
		if strings.Count(got, " — ") > 1 || strings.Contains(got, "|") || strings.ContainsAny(got, "{}") {
			t.Errorf("direct message answer %q", got)
		}
	}
}

func newAnswerGen(t *testing.T) (*gen, []*account) {
	t.Helper()
	// A generator of its own, made from the one behind a shared build:
	// answering draws from its random source, sets the filler's addressee
	// and notes each text's topic, so those are its own.
	_, shared := seeded(t, Options{Seed: 3, Now: testNow, Zone: berlin})
	g := *shared
	g.say = rand.New(rand.NewPCG(3, 0x63726965722d7265))
	g.af = newFiller(g.say)
	g.topicOf = map[string]int{}
	return &g, g.accounts
}

// TestAnswerTemplatesFill fills every answer for a long name, signed as a
// direct message: no placeholder is left, and each fits a Bluesky post.
func TestAnswerTemplatesFill(t *testing.T) {
	g, _ := newAnswerGen(t)
	var all []string
	for _, tp := range topics {
		all = append(all, tp.answers...)
	}
	for _, list := range fallbacks {
		all = append(all, list...)
	}
	all = append(all, listeningThanks...)
	all = append(all, listeningCheers...)
	for _, list := range foreignAnswers {
		all = append(all, list...)
	}
	g.af.to = addressee{first: "Maximiliana-Josephine", handle: "@maximiliana.josephine.bsky.social",
		me: "Rye & Shine Bakery", network: "Bluesky"}
	for _, tmpl := range all {
		if name, ok := strings.CutPrefix(tmpl, "saved:"); ok {
			tmpl = savedReplyBody(name)
		}
		for range 5 { // the slots draw different words
			text := g.af.fill("Hi {first}, thanks for writing! " + tmpl + " — {staff}")
			if strings.ContainsAny(text, "{}") || utf8.RuneCountInString(text) > 300 {
				t.Errorf("%q fills to %q (%d characters)", tmpl, text, utf8.RuneCountInString(text))
			}
		}
	}
}
