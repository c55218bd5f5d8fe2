package tui

// End-to-end inbox replies against real servers: a customer mentions,
// replies to, quotes and messages the business; crier syncs, and a person
// at a 120x40 terminal answers each item from the Inbox pane (r, typing,
// ctrl+s), likes one (L) and reposts one (B). The scheduler sends the
// answers; the tests then look at the servers, as the customer where they
// can, for each answer's place in the thread.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

// flowTimeout bounds every wait in these tests: for the screen, the
// scheduler and the servers (the Bluesky AppView indexes a moment after a
// write).
const flowTimeout = 30 * time.Second

// flowApp is crier running in a 120x40 terminal with its scheduler, over a
// store and real networks, driven key by key.
type flowApp struct {
	t     *testing.T
	st    *store.Store
	sched *scheduler.Scheduler
	app   *tuitest.App
}

// newFlowStore opens an empty store with one account, the business.
func newFlowStore(t *testing.T, a store.Account) (*store.Store, int64) {
	t.Helper()
	st := tuitest.Store(t)
	id, err := st.UpsertAccount(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return st, id
}

// startFlowApp starts crier as main does: the root model with the
// scheduler as its waker, reactor and sync, the scheduler's events
// forwarded into the program. It all stops when the test ends.
func startFlowApp(t *testing.T, st *store.Store, nets map[int64]platforms.Network, tweak func(*common.Common)) *flowApp {
	t.Helper()
	clock := tuitest.NewClock(time.Now().In(tuitest.Berlin))
	c := testCommon(t, st, clock)
	c.Now = time.Now // the scheduler sends on the wall clock: so does the app
	c.Demo = false
	if tweak != nil {
		tweak(c)
	}
	events := make(chan scheduler.Event, 64)
	sched := scheduler.New(scheduler.Options{
		Store: st, Networks: nets, Events: events,
		// A transient failure is retried within the test's waits.
		MinBackoff: 500 * time.Millisecond, MaxBackoff: 2 * time.Second,
	})
	c.Waker, c.Reactor = sched, sched
	app := tuitest.Start(t, clock, New(c, sched), 120, 40)

	ctx, cancel := context.WithCancel(context.Background())
	forwarded, ran := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(forwarded)
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-events:
				app.Send(SchedulerMsg{Event: e})
			}
		}
	}()
	go func() {
		defer close(ran)
		sched.Run(ctx)
	}()
	t.Cleanup(func() {
		app.Quit()
		cancel()
		<-ran
		<-forwarded
	})
	return &flowApp{t: t, st: st, sched: sched, app: app}
}

// waitFor waits until the screen shows one of what, and returns it; after
// tuitest.Patience it fails the test with the screen.
func (a *flowApp) waitFor(what ...string) string {
	a.t.Helper()
	return a.app.WaitView(what...)
}

// fail stops the program and fails the test with its last screen.
func (a *flowApp) fail(format string, args ...any) {
	a.t.Helper()
	a.app.Fatalf(format, args...)
}

// send presses keys one after another, each handled before the next.
func (a *flowApp) send(keys ...string) {
	a.t.Helper()
	a.app.Press(keys...)
}

// within waits until f holds, for up to flowTimeout (the networks show
// what another client did a moment after it); else it marks the test
// failed with what f last said and returns false.
func within(t *testing.T, what string, f func() (bool, string)) bool {
	t.Helper()
	if err := waitfor.Wait(context.Background(), flowTimeout, what, f); err != nil {
		t.Error(err)
		return false
	}
	return true
}

// syncUntil presses ctrl+r, as a person would, and asks for more syncs
// until the inbox holds an item of each kind in want (by the remote id of
// the customer's post), and nothing else. Notifications reach the
// networks' read side a moment after the writes, so one sync may not see
// them all.
func (a *flowApp) syncUntil(want map[store.InboxKind]string) map[store.InboxKind]store.InboxItem {
	a.t.Helper()
	ctx := context.Background()
	a.send("ctrl+r")
	// The sync may finish within the frame that would have said so.
	a.waitFor("syncing…", "new inbox item")
	got := map[store.InboxKind]store.InboxItem{}
	last := time.Now()
	ok := within(a.t, "the synced inbox", func() (bool, string) {
		if time.Since(last) > time.Second {
			a.sched.SyncNow()
			last = time.Now()
		}
		items, err := a.st.InboxPage(ctx, store.InboxFilter{}, nil, nil, 50)
		if err != nil {
			return false, err.Error()
		}
		clear(got)
		var have []string
		for _, it := range items {
			have = append(have, fmt.Sprintf("%s %s", it.Kind, it.RemoteID))
			if want[it.Kind] == it.RemoteID {
				got[it.Kind] = it
			}
		}
		return len(got) == len(want) && len(items) == len(want), strings.Join(have, ", ")
	})
	if !ok {
		a.t.FailNow()
	}
	return got
}

// answer is one item to answer from the Inbox pane.
type answer struct {
	kind   store.InboxKind
	filter string     // the kind filter's name in the pane's header
	title  string     // the composer's first line
	before []reaction // pressed on the item before replying
	text   string     // typed into the composer (ASCII: teatest types bytes)
	// shown is the composer's text once typed: the prefix the composer
	// started with, then text.
	shown string
}

// reaction is a key pressed on an item and what its row shows after it.
type reaction struct{ key, row string }

// answerAll moves the kind filter (t) from "all kinds" to each answer's
// kind in turn (they must come in the filter's order, mention, reply,
// quote, DM), where the item is the only one, and answers it: any keys in
// before, then r, the text and ctrl+s. It returns the deliveries the
// scheduler sent, by kind; a reply that failed is reported and left out.
func (a *flowApp) answerAll(items map[store.InboxKind]store.InboxItem, answers []answer) map[store.InboxKind]store.Delivery {
	a.t.Helper()
	a.send("3")
	a.waitFor("Open · all kinds")
	order := []store.InboxKind{store.KindMention, store.KindReply, store.KindQuote, store.KindDM}
	at := -1
	sent := map[store.InboxKind]store.Delivery{}
	for _, ans := range answers {
		next := slices.Index(order, ans.kind)
		if next <= at {
			a.t.Fatalf("answers out of the kind filter's order at %s", ans.kind)
		}
		for ; at < next; at++ {
			a.send("t")
		}
		header := "Open · " + ans.filter + " · all accounts — "
		a.waitFor(header + "1 item")
		for _, r := range ans.before {
			a.send(r.key)
			a.waitFor(r.row)
		}
		a.send("r")
		a.waitFor(ans.title)
		a.app.Type(ans.text)
		a.waitFor(ans.shown)
		a.send("ctrl+s")
		// Queued, the item is done and leaves the list, unless the
		// scheduler failed it at once and it is back. (A "reply sent" in
		// the status bar is no sure sign: it may be the last reply's still,
		// and the renderer does not redraw a line that did not change.)
		if got := a.waitFor(header+"0 items", "a reply failed", "not sent:"); got == "not sent:" {
			a.fail("the %s reply was refused", ans.kind)
		}
		if d, ok := a.sentReply(items[ans.kind]); ok {
			sent[ans.kind] = d
		}
	}
	return sent
}

// sentReply waits until the scheduler has sent the reply to it, and
// returns its delivery.
func (a *flowApp) sentReply(it store.InboxItem) (store.Delivery, bool) {
	a.t.Helper()
	ctx := context.Background()
	var d store.Delivery
	failed := ""
	ok := within(a.t, fmt.Sprintf("the reply to the %s sent", it.Kind), func() (bool, string) {
		replies, err := a.st.InboxReplies(ctx, []int64{it.ID})
		if err != nil || len(replies) != 1 {
			return false, fmt.Sprintf("%d replies, %v", len(replies), err)
		}
		r := replies[0]
		switch r.State {
		case store.DeliverySent:
			ds, err := a.st.PostDeliveries(ctx, r.PostID)
			if err != nil || len(ds) != 1 {
				return false, fmt.Sprintf("%d deliveries, %v", len(ds), err)
			}
			d = ds[0]
			return true, ""
		case store.DeliveryFailed:
			failed = r.LastError
			return true, ""
		}
		return false, fmt.Sprintf("%s %s", r.State, r.LastError)
	})
	if failed != "" {
		a.t.Errorf("the reply to the %s failed: %s", it.Kind, failed)
		return d, false
	}
	if ok {
		got, err := a.st.InboxItems(ctx, []int64{it.ID})
		if err != nil || len(got) != 1 || got[0].RepliedAt.IsZero() || got[0].State != store.InboxDone {
			a.t.Errorf("the %s after its reply went out: %+v, %v; want done, with the time of the reply", it.Kind, got, err)
		}
	}
	return d, ok
}

// ---- Bluesky ----

// TestReplyFlowBluesky answers a mention, a reply and a quote on the
// reference Bluesky network, likes the mention and reposts the quote, and
// reads the answers back as the customer: each is in the customer's thread
// with the right root and parent.
func TestReplyFlowBluesky(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the reference Bluesky network; run without -short")
	}
	net := testnet.Shared(t)
	ctx := context.Background()
	bizAcct := net.CreateAccount(t, net.UniqueHandle("bakery"))
	custAcct := net.CreateAccount(t, net.UniqueHandle("customer"))
	biz := blueskyClient(t, net, bizAcct)
	cust := blueskyClient(t, net, custAcct)

	ours, err := biz.Publish(ctx, blueskyPost("Rye loaves are back this Saturday"))
	if err != nil {
		t.Fatal(err)
	}
	// The customer answers once the post has reached the AppView, as a
	// person who saw it would; a reply indexed before its parent makes no
	// notification (see platforms/bluesky TestLiveInteractions).
	if !within(t, "our post in the customer's AppView", func() (bool, string) {
		counts, err := cust.PostCounts(ctx, []platforms.Ref{ours.Ref})
		_, ok := counts[ours.Ref.ID]
		return ok, fmt.Sprint(counts, err)
	}) {
		t.FailNow()
	}
	mention, err := cust.Publish(ctx, blueskyPost("@"+bizAcct.Handle+" do you bake on Sundays?"))
	if err != nil {
		t.Fatal(err)
	}
	replyPost := blueskyPost("Save me a loaf please")
	replyPost.ReplyTo = &ours.Ref
	reply, err := cust.Publish(ctx, replyPost)
	if err != nil {
		t.Fatal(err)
	}
	// crier's client does not quote, so the customer's quote is a record
	// written straight to their repository, as their app would.
	var quote struct{ URI, CID string }
	net.Post(t, custAcct.AccessJwt, "com.atproto.repo.createRecord", map[string]any{
		"repo": custAcct.DID, "collection": bluesky.PostCollection,
		"record": map[string]any{
			"$type": bluesky.PostCollection, "text": "Best rye in town",
			"createdAt": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
			"embed": map[string]any{"$type": "app.bsky.embed.record",
				"record": map[string]any{"uri": ours.Ref.ID, "cid": ours.Ref.CID}},
		},
	}, &quote)
	quoteRef := platforms.Ref{ID: quote.URI, CID: quote.CID}

	st, bizID := newFlowStore(t, store.Account{Platform: store.PlatformBluesky, Handle: bizAcct.Handle, Server: net.PDS})
	app := startFlowApp(t, st, map[int64]platforms.Network{bizID: biz}, nil)
	items := app.syncUntil(map[store.InboxKind]string{
		store.KindMention: mention.Ref.ID, store.KindReply: reply.Ref.ID, store.KindQuote: quoteRef.ID,
	})

	title := "Reply to @" + custAcct.Handle + " on Bluesky · from @" + bizAcct.Handle
	sent := app.answerAll(items, []answer{
		{kind: store.KindMention, filter: "mentions", title: title,
			before: []reaction{{"L", "♥ mention"}},
			text:   "Yes, from 8 until noon", shown: "Yes, from 8 until noon"},
		{kind: store.KindReply, filter: "replies", title: title,
			text: "One is yours, see you Saturday", shown: "One is yours, see you Saturday"},
		{kind: store.KindQuote, filter: "quotes", title: title,
			before: []reaction{{"B", "⇄ quote"}},
			text:   "Thank you, that made our day", shown: "Thank you, that made our day"},
	})

	// Each answer, as the customer sees it: its parent is the customer's
	// post; its root is the thread's first post, ours for the reply and the
	// customer's own post for the mention and the quote, which start
	// threads of their own.
	wants := []struct {
		kind         store.InboxKind
		parent, root platforms.Ref
		text         string
	}{
		{store.KindMention, mention.Ref, mention.Ref, "Yes, from 8 until noon"},
		{store.KindReply, reply.Ref, ours.Ref, "One is yours, see you Saturday"},
		{store.KindQuote, quoteRef, quoteRef, "Thank you, that made our day"},
	}
	for _, w := range wants {
		d, ok := sent[w.kind]
		if !ok {
			continue // reported above
		}
		t.Run(string(w.kind), func(t *testing.T) {
			var got postView
			within(t, "the answer in the customer's AppView", func() (bool, string) {
				var out struct{ Posts []postView }
				err := appViewGet(ctx, net, custAcct.AccessJwt, "app.bsky.feed.getPosts", url.Values{"uris": {d.RemoteID}}, &out)
				if err != nil || len(out.Posts) != 1 {
					return false, fmt.Sprint(len(out.Posts), " posts, ", err)
				}
				got = out.Posts[0]
				return true, ""
			})
			if got.URI == "" {
				return
			}
			r := got.Record.Reply
			switch {
			case got.CID != d.RemoteCID || got.Author.DID != bizAcct.DID || got.Record.Text != w.text:
				t.Errorf("the answer is %s (cid %s) by %s: %q; want cid %s by %s: %q",
					got.URI, got.CID, got.Author.DID, got.Record.Text, d.RemoteCID, bizAcct.DID, w.text)
			case r == nil:
				t.Errorf("the answer %s is not a reply", got.URI)
			default:
				if r.Parent.ref() != w.parent {
					t.Errorf("parent %+v, want the customer's post %+v", r.Parent, w.parent)
				}
				if r.Root.ref() != w.root {
					t.Errorf("root %+v, want %+v", r.Root, w.root)
				}
			}
			within(t, "the answer in the thread of the customer's post", func() (bool, string) {
				var out struct {
					Thread struct {
						Replies []struct{ Post postView }
					}
				}
				err := appViewGet(ctx, net, custAcct.AccessJwt, "app.bsky.feed.getPostThread",
					url.Values{"uri": {w.parent.ID}, "depth": {"1"}}, &out)
				var uris []string
				for _, r := range out.Thread.Replies {
					uris = append(uris, r.Post.URI)
				}
				return err == nil && slices.Contains(uris, d.RemoteID), fmt.Sprint(uris, err)
			})
		})
	}

	t.Run("like and repost", func(t *testing.T) {
		within(t, "the business's like of the mention", func() (bool, string) {
			var out struct {
				Likes []struct{ Actor struct{ DID string } }
			}
			err := appViewGet(ctx, net, custAcct.AccessJwt, "app.bsky.feed.getLikes", url.Values{"uri": {mention.Ref.ID}}, &out)
			return err == nil && len(out.Likes) == 1 && out.Likes[0].Actor.DID == bizAcct.DID, fmt.Sprint(out, err)
		})
		within(t, "the business's repost of the quote", func() (bool, string) {
			var out struct {
				RepostedBy []struct{ DID string }
			}
			err := appViewGet(ctx, net, custAcct.AccessJwt, "app.bsky.feed.getRepostedBy", url.Values{"uri": {quoteRef.ID}}, &out)
			return err == nil && len(out.RepostedBy) == 1 && out.RepostedBy[0].DID == bizAcct.DID, fmt.Sprint(out, err)
		})
		got, err := st.InboxItems(ctx, []int64{items[store.KindMention].ID, items[store.KindQuote].ID})
		if err != nil || len(got) != 2 || !got[0].Liked || !got[1].Reposted {
			t.Errorf("the items do not record the like and the repost: %+v, %v", got, err)
		}
	})

	t.Run("dm", func(t *testing.T) {
		t.Skip("the reference network has no chat service (chat.bsky.*): no direct message can be " +
			"sent or read there, so crier's sync takes the permanent refusal and stops asking " +
			"(platforms/bluesky TestLiveDirectMessagesWithoutChatService)")
	})
}

// blueskyClient is crier's client for acct, signed in with its app
// password as a crier user would be.
func blueskyClient(t *testing.T, net *testnet.Network, acct testnet.Account) *bluesky.Client {
	t.Helper()
	c := bluesky.New(net.PDS, acct.Handle,
		bluesky.WithAppPassword(acct.AppPassword),
		bluesky.WithSessionStore(bluesky.FileSessionStore(filepath.Join(t.TempDir(), acct.Handle+".json"))))
	if _, err := c.Session(context.Background()); err != nil {
		t.Fatalf("signing in as %s: %v", acct.Handle, err)
	}
	return c
}

func blueskyPost(text string) platforms.Post {
	return platforms.Post{Text: text, IdempotencyKey: store.NewIdempotencyKey(),
		CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
}

// postView is the part of app.bsky.feed.defs#postView these tests read.
type postView struct {
	URI    string
	CID    string
	Author struct{ DID string }
	Record struct {
		Text  string
		Reply *struct{ Root, Parent strongRef }
	}
}

type strongRef struct{ URI, CID string }

func (r strongRef) ref() platforms.Ref { return platforms.Ref{ID: r.URI, CID: r.CID} }

// appViewGet reads an app.bsky.* query through the PDS (which hands it to
// the AppView) with token's session. Unlike testnet's Get it returns its
// error, for polling: the AppView answers "not found" until it has
// indexed a post.
func appViewGet(ctx context.Context, net *testnet.Network, token, nsid string, q url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, net.PDS+"/xrpc/"+nsid+"?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := net.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d: %s", nsid, resp.StatusCode, bytes.TrimSpace(body))
	}
	return json.Unmarshal(body, out)
}

// ---- Mastodon ----

// TestReplyFlowMastodon answers a mention, a reply, a quote and a direct
// message on the Mastodon test server, favourites the mention and boosts
// the quote: each answer replies to the customer's status and mentions
// them, and the answer to the direct message is direct, in the same
// conversation, where the customer reads it.
func TestReplyFlowMastodon(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	t.Cleanup(srv.Close)
	ctx := context.Background()
	me := srv.Me()
	cust := srv.AddAccount("customer")
	biz := mastodon.New(srv.URL, srv.Token())

	ours, err := biz.Publish(ctx, platforms.Post{Text: "Rye loaves are back this Saturday",
		IdempotencyKey: store.NewIdempotencyKey(), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	mention := srv.Post(cust.ID, "@"+me.Acct+" do you deliver to Neukoelln?", "public", "")
	reply := srv.Post(cust.ID, "@"+me.Acct+" save me a loaf please", "public", ours.Ref.ID)
	quote := srv.Quote(cust.ID, ours.Ref.ID, "Best rye in town")
	dm := srv.Post(cust.ID, "@"+me.Acct+" can I order twenty for a party?", "direct", "")

	st, bizID := newFlowStore(t, store.Account{Platform: store.PlatformMastodon, Handle: me.Acct, Server: srv.URL})
	// The composer starts a Mastodon reply with the author's mention, as
	// Mastodon's spec says.
	app := startFlowApp(t, st, map[int64]platforms.Network{bizID: biz}, nil)
	items := app.syncUntil(map[store.InboxKind]string{
		store.KindMention: mention, store.KindReply: reply, store.KindQuote: quote, store.KindDM: dm,
	})

	title := "Reply to @" + cust.Acct + " on Mastodon · from @" + me.Acct
	prefix := "@" + cust.Acct + " "
	sent := app.answerAll(items, []answer{
		{kind: store.KindMention, filter: "mentions", title: title,
			before: []reaction{{"L", "♥ mention"}},
			text:   "Yes, all of Berlin", shown: prefix + "Yes, all of Berlin"},
		{kind: store.KindReply, filter: "replies", title: title,
			text: "One is yours", shown: prefix + "One is yours"},
		{kind: store.KindQuote, filter: "quotes", title: title,
			before: []reaction{{"B", "⇄ quote"}},
			text:   "Thank you!", shown: prefix + "Thank you!"},
		{kind: store.KindDM, filter: "DMs", title: title + " · private (direct message)",
			text: "Of course, send me the date", shown: prefix + "Of course, send me the date"},
	})

	wants := []struct {
		kind   store.InboxKind
		parent string
		text   string
		direct bool
	}{
		{store.KindMention, mention, "Yes, all of Berlin", false},
		{store.KindReply, reply, "One is yours", false},
		{store.KindQuote, quote, "Thank you!", false},
		{store.KindDM, dm, "Of course, send me the date", true},
	}
	for _, w := range wants {
		d, ok := sent[w.kind]
		if !ok {
			continue // reported above
		}
		t.Run(string(w.kind), func(t *testing.T) {
			got, ok := srv.Status(d.RemoteID)
			switch {
			case !ok:
				t.Fatalf("the server has no status %s", d.RemoteID)
			case got.AccountID != me.ID:
				t.Errorf("the answer is by %s, want the business (%s)", got.AccountID, me.ID)
			case got.InReplyToID != w.parent:
				t.Errorf("the answer replies to %q, want the customer's status %s", got.InReplyToID, w.parent)
			}
			if want := prefix + w.text; got.Text != want {
				t.Errorf("the answer says %q, want %q (the mention that notifies the customer first)", got.Text, want)
			}
			if w.direct != (got.Visibility == "direct") {
				t.Errorf("the answer is %s", got.Visibility)
			}
			if !w.direct {
				return
			}
			conv := srv.ConversationOf(w.parent)
			if conv == "" || srv.ConversationOf(d.RemoteID) != conv {
				t.Errorf("the answer is in conversation %q, the message in %q", srv.ConversationOf(d.RemoteID), conv)
			}
			// The customer reads their direct messages and finds the
			// answer, from the business, in the same conversation.
			theirs, _, err := mastodon.New(srv.URL, srv.TokenFor(cust.ID)).Messages(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			found := slices.ContainsFunc(theirs, func(m platforms.Message) bool {
				return m.ID == d.RemoteID && m.ConversationID == conv && !m.FromMe && m.Author.Handle == me.Acct
			})
			if !found {
				t.Errorf("the customer's direct messages lack the answer %s in conversation %s: %+v", d.RemoteID, conv, theirs)
			}
		})
	}

	t.Run("favourite and boost", func(t *testing.T) {
		// The reactions go out after they are saved, without holding keys:
		// wait for the server.
		within(t, "the business's favourite of the mention", func() (bool, string) {
			st, _ := srv.Status(mention)
			return srv.Favourited(me.ID, mention), fmt.Sprintf("%d favourites, none the business's", st.Favourites)
		})
		within(t, "the business's boost of the quote", func() (bool, string) {
			st, _ := srv.Status(quote)
			return srv.Reblogged(me.ID, quote), fmt.Sprintf("%d boosts, none the business's", st.Reblogs)
		})
		if srv.Favourited(me.ID, quote) || srv.Reblogged(me.ID, mention) {
			t.Errorf("a reaction went to the wrong status")
		}
	})
}
