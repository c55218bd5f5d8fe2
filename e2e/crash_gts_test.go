//go:build unix

package e2e

// The crash and fault suite against a real Mastodon-API server: GoToSocial
// v0.17.3 (platforms/mastodon/gtstest), which ignores Idempotency-Key, so
// nothing but crier's own care stands between a fault and a duplicate. The
// real crier binary runs headless against two accounts on one server, each
// account's requests going through a fault proxy (platforms/faultproxy):
//
//   - a clean run;
//   - every third status POST faulted after the server made the status:
//     the connection dropped, a 500 instead of the answer, the answer held
//     for a minute (longer than crier waits for a post write);
//   - crier SIGKILLed again and again while it sends, 300 ms added to
//     each request and each answer, so that kills land after the server
//     made a status and before crier could record it;
//   - the inbox: mentions, replies and a direct message from another
//     account, the counters of a sent post and the follower count, synced
//     by crier run into its database.
//
// Duplicates and losses are counted on the server (every account's
// statuses, read from GoToSocial): each post must be there exactly once,
// under the id crier recorded. The harness is crash_test.go's.
//
//	go test -run TestGoToSocial -v .

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms/faultproxy"
	"github.com/crier-app/crier/platforms/mastodon/gtstest"
	"github.com/crier-app/crier/store"
)

const statusesPath = "/api/v1/statuses"

func TestGoToSocial(t *testing.T) {
	if testing.Short() {
		t.Skip("runs GoToSocial and crier for minutes")
	}
	t.Parallel()
	gts := gtstest.Start(t)
	rng := seededRand(t)
	bin := buildCrier(t)

	t.Run("clean run", func(t *testing.T) {
		t.Parallel()
		f := startFaultyGTS(t, gts, rng, 0)
		faultRun(t, bin, f, "clean", 10)
		if n := f.faulted(); n != 0 {
			t.Errorf("%d exchanges faulted in a clean run", n)
		}
	})

	every3rd := func(act faultproxy.Action) func(faultproxy.Request) faultproxy.Action {
		return func(r faultproxy.Request) faultproxy.Action {
			if r.Method == http.MethodPost && r.Path == statusesPath && r.N%3 == 2 {
				return act
			}
			return faultproxy.Action{}
		}
	}
	for _, tc := range []struct {
		name  string
		act   faultproxy.Action
		posts int
	}{
		{"connection dropped after the server made every 3rd status", faultproxy.Action{Fault: faultproxy.DropAfterAnswer}, 20},
		{"500 after the server made every 3rd status", faultproxy.Action{Fault: faultproxy.ServerErrorAfterAnswer}, 20},
		// crier gives a post write 30 s; each held answer costs that.
		{"answer held 60 s after the server made every 3rd status", faultproxy.Action{Fault: faultproxy.HoldAnswer, Hold: time.Minute}, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := startFaultyGTS(t, gts, rng, 0)
			f.decide(every3rd(tc.act))
			faultRun(t, bin, f, tc.act.Fault.String(), tc.posts)
			if f.faulted() == 0 {
				t.Errorf("no exchange was faulted")
			}
		})
	}

	t.Run("the same words twice, the first try faulted", func(t *testing.T) {
		t.Parallel()
		sameWordsRun(t, bin, startFaultyGTS(t, gts, rng, 0))
	})

	t.Run("SIGKILLed while sending, 300 ms each way", func(t *testing.T) {
		t.Parallel()
		f := startFaultyGTS(t, gts, rng, 300*time.Millisecond)
		killRun(t, bin, f, rng)
	})

	t.Run("inbox, counters and followers", func(t *testing.T) {
		t.Parallel()
		inboxRun(t, bin, gts)
	})
}

// faultyGTS is two accounts on the GoToSocial server, each behind a fault
// proxy of its own.
type faultyGTS struct {
	testNetwork
	gts     *gtstest.Server
	proxies []*faultproxy.Proxy
	users   []gtsUser

	mu     sync.Mutex
	faults func(faultproxy.Request) faultproxy.Action
	// posts gets a value (dropped when full) as a status POST reaches a
	// proxy, on its way to the server.
	posts chan struct{}
}

type gtsUser struct {
	gtstest.Account
	token string
}

// startFaultyGTS makes two accounts (their tokens through the server's
// OAuth pages) behind fault proxies that add latency each way.
func startFaultyGTS(t *testing.T, gts *gtstest.Server, rng *rand.Rand, latency time.Duration) *faultyGTS {
	f := &faultyGTS{gts: gts, posts: make(chan struct{}, 1)}
	f.Dir = t.TempDir()
	var mu sync.Mutex
	for _, name := range []string{"bakery", "cafe"} {
		a := gts.CreateAccount(t, name)
		u := gtsUser{Account: a, token: gts.Token(t, a, "")}
		f.users = append(f.users, u)
		seed := rng.Uint64()
		r := rand.New(rand.NewPCG(seed, seed^0x5eed))
		p := faultproxy.New(gts.URL, faultproxy.Options{
			Latency: func() time.Duration {
				if latency > 0 {
					return latency
				}
				mu.Lock()
				defer mu.Unlock()
				return 5*time.Millisecond + time.Duration(r.Int64N(int64(15*time.Millisecond)))
			},
			Decide: func(req faultproxy.Request) faultproxy.Action {
				if req.Method == http.MethodPost && req.Path == statusesPath {
					select {
					case f.posts <- struct{}{}:
					default:
					}
				}
				f.mu.Lock()
				decide := f.faults
				f.mu.Unlock()
				if decide == nil {
					return faultproxy.Action{}
				}
				return decide(req)
			},
		})
		t.Cleanup(p.Close)
		f.proxies = append(f.proxies, p)
		f.Accounts = append(f.Accounts, testAccount{
			Platform: "mastodon",
			Handle:   a.Handle(),
			Server:   p.URL,
			TokenVar: "GTS_TOKEN_" + strings.ToUpper(name),
			Token:    u.token,
		})
	}
	f.Landed = func() map[string][]remotePost {
		out := map[string][]remotePost{}
		for i, u := range f.users {
			sts, err := gts.ListStatuses(u.token)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range sts {
				out[f.Accounts[i].Handle] = append(out[f.Accounts[i].Handle], remotePost{ID: st.ID, Text: st.Text})
			}
		}
		return out
	}
	f.Publishes = func() int {
		n := 0
		for _, p := range f.proxies {
			n += p.Count(http.MethodPost, statusesPath)
		}
		return n
	}
	return f
}

func (f *faultyGTS) decide(fn func(faultproxy.Request) faultproxy.Action) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = fn
}

// faulted counts the exchanges the proxies faulted.
func (f *faultyGTS) faulted() int {
	n := 0
	for _, p := range f.proxies {
		for _, c := range p.Faults() {
			n += c
		}
	}
	return n
}

// faultRun sends n posts through crier run (due a second apart from a
// second after it took the lease) and checks each is on the server once.
func faultRun(t *testing.T, bin string, f *faultyGTS, what string, n int) {
	h := newHarness(t, bin, f.testNetwork)
	c := h.start(what)
	h.waitLead(c)
	now := time.Now()
	want := h.queueAt(what, n, func(i int) time.Time { return now.Add(time.Second + time.Duration(i)*time.Second) }, spread)
	h.waitSettled(4 * time.Minute)
	h.stop(c, syscall.SIGTERM)
	h.checkDelivered(want)
	var faults []string
	for _, p := range f.proxies {
		faults = append(faults, fmt.Sprint(p.Faults()))
	}
	t.Logf("%s: %d deliveries, faults %s, %d status POSTs reached the proxies; 0 duplicates and 0 losses on the server",
		what, len(want), strings.Join(faults, " and "), f.Publishes())
}

// killRun is the crash test on GoToSocial: 60 posts, crier killed with
// SIGKILL again and again while it sends, until 20 kills landed while it
// was sending and 3 of them after the server had made a status crier had
// not yet recorded (the case that made duplicates); then one run finishes
// and everything is checked on the server.
func killRun(t *testing.T, bin string, f *faultyGTS, rng *rand.Rand) {
	const (
		posts          = 60
		minWhileSend   = 20
		minUnrecorded  = 3
		killPhaseLimit = 4 * time.Minute
	)
	h := newHarness(t, bin, f.testNetwork)
	want := h.queue(posts, time.Now(), spread)
	began := time.Now()
	var kills, whileSending, midSend, unrecorded int
	for whileSending < minWhileSend || unrecorded < minUnrecorded {
		if time.Since(began) > killPhaseLimit {
			t.Fatalf("after %s and %d kills only %d landed while crier was sending, %d after a status it had not recorded; deliveries: %v",
				killPhaseLimit, kills, whileSending, unrecorded, h.states())
		}
		// Three kinds of kill: as a status POST is at the server, after it
		// made the status and before its answer is back (300 ms on the
		// way); at a random moment in a run's first 5 s (a restart that
		// cannot see a caught delivery on the server waits 5 s before it
		// sends it again: the request may still be on its way); and right
		// after a logged send, one run in five, which lets posts out
		// between the kills.
		var c *crierRun
		before := h.attempts()
		select { // a POST of the run before does not count
		case <-f.posts:
		default:
		}
		switch k := rng.IntN(5); {
		case k < 2:
			c = h.start("SIGKILL while a status POST is at the server")
			select {
			case <-f.posts:
				// The kill lands while the POST is at the server, before
				// crier can hear the answer: that moment, in real time,
				// is the scenario.
				time.Sleep(350 * time.Millisecond)
			case <-time.After(20 * time.Second):
			case <-c.exited:
			}
		case k < 4:
			delay := 200*time.Millisecond + time.Duration(rng.Int64N(int64(5*time.Second)))
			c = h.start(fmt.Sprintf("SIGKILL %s after start", delay))
			select {
			case <-time.After(delay):
			case <-c.exited:
			}
		default:
			c = h.start("SIGKILL right after it logs a send")
			select {
			case <-c.sent:
			case <-time.After(20 * time.Second):
			case <-c.exited:
			}
		}
		h.kill(c)
		kills++
		states := h.states()
		if states[store.DeliveryFailed] > 0 || states[store.DeliveryMissed] > 0 {
			t.Fatalf("kill %d: deliveries failed or were held back: %v\n%s", kills, states, h.problems())
		}
		if pending(states) == 0 {
			t.Fatalf("every delivery was sent after %d kills (%d while sending, %d after an unrecorded status); the test needs %d and %d",
				kills, whileSending, unrecorded, minWhileSend, minUnrecorded)
		}
		caught := h.inFlight(before)
		h.logf("kill %d: %v; caught in flight: %d", kills, states, len(caught))
		if sum(h.attempts()) == sum(before) {
			continue
		}
		whileSending++
		if len(caught) > 0 {
			midSend++
		}
		landed := f.Landed()
		for _, d := range caught {
			if hasText(landed[d.handle], d.text) {
				unrecorded++
			}
		}
	}
	t.Logf("%d SIGKILLs in %s, %d while crier was sending; %d caught a delivery in flight, %d of those after the server had made its status",
		kills, time.Since(began).Round(time.Millisecond), whileSending, midSend, unrecorded)
	left := pending(h.states())
	c := h.start("run to completion, then SIGINT")
	finish := time.Now()
	h.waitSettled(3 * time.Minute)
	t.Logf("an undisturbed run settled the %d deliveries left in %s", left, time.Since(finish).Round(time.Millisecond))
	h.stop(c, syscall.SIGINT)
	h.checkDelivered(want)
	t.Logf("%d deliveries, %d status POSTs reached the proxies; 0 duplicates and 0 losses on the server", len(want), f.Publishes())
}

// inboxRun checks what crier run brings in from the server: a mention, a
// reply and a direct message into the inbox, the counters of a post it
// sent, and the follower count.
func inboxRun(t *testing.T, bin string, gts *gtstest.Server) {
	shop := gts.CreateAccount(t, "shop")
	regular := gts.CreateAccount(t, "regular")
	shopTok, regTok := gts.Token(t, shop, ""), gts.Token(t, regular, "")
	shopID, regID := gts.AccountID(t, shopTok), gts.AccountID(t, regTok)
	// New accounts are locked: the shop approves the follow.
	gts.API(t, regTok, http.MethodPost, "/api/v1/accounts/"+shopID+"/follow", url.Values{}, nil)
	gts.API(t, shopTok, http.MethodPost, "/api/v1/follow_requests/"+regID+"/authorize", url.Values{}, nil)

	net := testNetwork{Dir: t.TempDir(), Accounts: []testAccount{{
		Platform: "mastodon", Handle: shop.Handle(), Server: gts.URL, TokenVar: "GTS_TOKEN_SHOP", Token: shopTok,
	}}}
	h := newHarness(t, bin, net)
	h.env = append(h.env, "CRIER_SCHEDULER_SYNC_INTERVAL=10s")
	c := h.start("inbox")
	h.waitLead(c)
	want := h.queue(1, time.Now(), func(int) []int { return []int{0} })
	h.waitSettled(time.Minute)
	var ours string
	if err := h.readOnly().QueryRow("SELECT remote_id FROM deliveries WHERE post_id = ?", want[0].postID).Scan(&ours); err != nil {
		t.Fatal(err)
	}

	var reply, mention, dm gtstest.Status
	gts.API(t, regTok, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@" + shop.Acct + " is the rye vegan?"}, "in_reply_to_id": {ours}, "visibility": {"public"}}, &reply)
	gts.API(t, regTok, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"The best croissants are at @" + shop.Acct}, "visibility": {"public"}}, &mention)
	gts.API(t, regTok, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@" + shop.Acct + " can I pick up at 7?"}, "visibility": {"direct"}}, &dm)
	gts.API(t, regTok, http.MethodPost, "/api/v1/statuses/"+ours+"/favourite", url.Values{}, nil)
	gts.API(t, regTok, http.MethodPost, "/api/v1/statuses/"+ours+"/reblog", url.Values{}, nil)

	type item struct{ kind, remote, inReplyTo, body string }
	var items map[string]item
	var likes, reposts, replies, followers int
	// Only crier's database tells what its syncs have brought in.
	if err := waitfor.Wait(context.Background(), time.Minute, "the inbox and the post's counters synced", func() (bool, string) {
		items = map[string]item{}
		rows, err := h.readOnly().Query("SELECT kind, remote_id, in_reply_to, body FROM inbox_items")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var it item
			if err := rows.Scan(&it.kind, &it.remote, &it.inReplyTo, &it.body); err != nil {
				t.Fatal(err)
			}
			items[it.remote] = it
		}
		rows.Close()
		_ = h.readOnly().QueryRow("SELECT likes, reposts, replies FROM deliveries WHERE post_id = ?", want[0].postID).Scan(&likes, &reposts, &replies)
		_ = h.readOnly().QueryRow("SELECT followers FROM follower_snapshots ORDER BY taken_at DESC LIMIT 1").Scan(&followers)
		return len(items) >= 3 && likes == 1 && reposts == 1 && replies == 1,
			fmt.Sprintf("the inbox holds %+v, the post's counters are %d likes, %d boosts, %d replies", items, likes, reposts, replies)
	}); err != nil {
		t.Fatal(err)
	}
	h.stop(c, syscall.SIGTERM)
	if it := items[reply.ID]; it.kind != string(store.KindReply) || it.inReplyTo != ours || !strings.Contains(it.body, "is the rye vegan?") {
		t.Errorf("the reply is in the inbox as %+v", it)
	}
	if it := items[mention.ID]; it.kind != string(store.KindMention) || !strings.Contains(it.body, "best croissants") {
		t.Errorf("the mention is in the inbox as %+v", it)
	}
	if it := items[dm.ID]; it.kind != string(store.KindDM) || !strings.Contains(it.body, "pick up at 7") {
		t.Errorf("the direct message is in the inbox as %+v", it)
	}
	if followers != 1 {
		t.Errorf("follower count %d, want 1", followers)
	}
	for _, line := range strings.Split(h.stderr(), "\n") {
		if strings.Contains(line, "scheduler: sync ") && (strings.Contains(line, "next") || strings.Contains(line, "not available")) {
			t.Errorf("crier reported a sync error: %s", line)
		}
	}
}

// sameWordsRun queues, on each account, two posts with the same words a
// second apart (a daily post, an announcement queued twice). The first
// try of the first is faulted: on the bakery's account the connection is
// closed before the request reaches the server (nothing was made), on the
// cafe's the answer is lost after the server made the status. By the
// retry, which asks the server whether the first landed, the second is
// out. Each post must be on the server once, each delivery naming a status
// of its own: the second's status must not be taken for the first.
func sameWordsRun(t *testing.T, bin string, f *faultyGTS) {
	const text = "Fresh bread today! Rye at 8, croissants at 9 🥐"
	faults := map[string]faultproxy.Fault{
		"Bearer " + f.users[0].token: faultproxy.Refuse,
		"Bearer " + f.users[1].token: faultproxy.DropAfterAnswer,
	}
	f.decide(func(r faultproxy.Request) faultproxy.Action {
		if r.Method == http.MethodPost && r.Path == statusesPath && r.N == 0 {
			return faultproxy.Action{Fault: faults[r.Header.Get("Authorization")]}
		}
		return faultproxy.Action{}
	})
	h := newHarness(t, bin, f.testNetwork)
	c := h.start("the same words twice")
	h.waitLead(c)
	ctx := context.Background()
	st := h.openStore()
	defer st.Close()
	now := time.Now()
	type queued struct {
		post    int64
		account int64
		handle  string
	}
	var posts []queued
	for _, a := range f.Accounts {
		acct, err := st.UpsertAccount(ctx, store.Account{Platform: a.Platform, Handle: a.Handle, Server: a.Server})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			id, err := st.SaveDraft(ctx, store.Post{Body: text, Targets: []store.Target{{AccountID: acct}}}, now)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.QueuePost(ctx, id, now.Add(time.Second+time.Duration(i)*time.Second), "UTC", now); err != nil {
				t.Fatal(err)
			}
			posts = append(posts, queued{post: id, account: acct, handle: a.Handle})
		}
	}
	h.waitSettled(3 * time.Minute)
	h.stop(c, syscall.SIGTERM)

	landed := f.Landed()
	recorded := map[string]map[string]bool{}
	for _, q := range posts {
		ds, err := st.PostDeliveries(ctx, q.post)
		if err != nil || len(ds) != 1 {
			t.Fatalf("post %d: deliveries %+v, %v", q.post, ds, err)
		}
		d := ds[0]
		if d.State != store.DeliverySent {
			t.Errorf("post %d to %s: %s (%s), want sent", q.post, q.handle, d.State, d.LastError)
		}
		if recorded[q.handle] == nil {
			recorded[q.handle] = map[string]bool{}
		}
		if recorded[q.handle][d.RemoteID] {
			t.Errorf("post %d to %s names status %s, which another post names too", q.post, q.handle, d.RemoteID)
		}
		recorded[q.handle][d.RemoteID] = true
	}
	for _, a := range f.Accounts {
		n := 0
		for _, p := range landed[a.Handle] {
			if p.Text != text {
				continue
			}
			n++
			if !recorded[a.Handle][p.ID] {
				t.Errorf("%s holds status %s that no delivery names", a.Handle, p.ID)
			}
		}
		if n != 2 {
			t.Errorf("%s holds the words %d times, want 2 (two posts)", a.Handle, n)
		}
	}
	if !t.Failed() {
		t.Logf("faults %v and %v; each account holds its two posts once each, under the ids crier recorded",
			f.proxies[0].Faults(), f.proxies[1].Faults())
	}
}
