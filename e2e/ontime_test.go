//go:build unix

package e2e

// The on-time tests run the real crier binary against the reference Bluesky
// network, each account's requests going through a fault proxy
// (platforms/faultproxy), in the situations a person meets: a post queued by
// another process while crier run idles, a server that keeps its answer, a
// sender killed or frozen while another crier waits, another program
// holding the database's write lock while a post is at the server, the
// database locked when crier starts. Each checks what must hold whatever
// the machine's pace (every post on the server exactly once, nothing lost,
// the outcome recorded without a restart) and logs how late each post
// reached the server: the measurements the README reports. Where a bound
// on time is checked, it is one the design must meet by a wide margin
// (an account never waits for another's server timeout; a dead sender is
// replaced without waiting for its lease to expire), not the target itself.
//
//	go test -run TestOnTime -v ./e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/platforms/faultproxy"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/store"
)

const putRecordPath = "/xrpc/com.atproto.repo.putRecord"

func TestOnTime(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Bluesky network and crier for minutes")
	}
	t.Parallel()
	bsky := testnet.Start(t)
	rng := seededRand(t)
	bin := buildCrier(t)

	t.Run("queued by another process while crier run idles", func(t *testing.T) {
		f, h, c := leadingSender(t, bsky, rng, bin, "an idle sender")
		// Asleep, with nothing due: both accounts' workers said so.
		for _, a := range f.Accounts {
			h.waitLine(c, 0, regexp.MustCompile(`scheduler: debug: `+regexp.QuoteMeta(a.Handle)+`: nothing more due as of`),
				30*time.Second, a.Handle+"'s worker asleep with nothing due")
		}
		now := time.Now()
		// Two already due (at once), the rest every 600 ms from 1.5 s on.
		want := h.queueAt("queued elsewhere", 24, func(i int) time.Time {
			if i < 2 {
				return now.Add(-20 * time.Second)
			}
			return now.Add(1500*time.Millisecond + time.Duration(i-2)*600*time.Millisecond)
		}, spread)
		h.waitSettled(time.Minute)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
		late := f.lateness(h, now)
		t.Logf("clean run, %s", late)
		if late.max > 10*time.Second {
			t.Errorf("a post queued by another process went out %s late: the sender was not woken", late.max)
		}
	})

	t.Run("one account's server holds its answer", func(t *testing.T) {
		t.Parallel()
		f := startFaultyBluesky(t, bsky, rng)
		held := f.proxies[1]
		f.decide(1, func(r faultproxy.Request) faultproxy.Action {
			if r.Path == putRecordPath && r.N == 0 {
				return faultproxy.Action{Fault: faultproxy.HoldAnswer, Hold: time.Minute}
			}
			return faultproxy.Action{}
		})
		h := newHarness(t, bin, f.testNetwork)
		c := h.start("one server holds its answer")
		h.waitLead(c)
		now := time.Now()
		want := h.queueAt("held account", 3, func(i int) time.Time { return now.Add(time.Second + time.Duration(i)*time.Second) },
			func(int) []int { return []int{1} })
		want = append(want, h.queueAt("other account", 15, func(i int) time.Time {
			return now.Add(time.Second + time.Duration(i)*time.Second)
		}, func(int) []int { return []int{0} })...)
		h.waitSettled(3 * time.Minute)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
		late := f.latenessOf(h, now, f.Accounts[0].Handle)
		t.Logf("while %s held its answer to a write for a minute (%v), the other account's %s",
			f.Accounts[1].Handle, held.Faults(), late)
		t.Logf("the held account's own posts: %s", f.latenessOf(h, now, f.Accounts[1].Handle))
		if late.max > 10*time.Second {
			t.Errorf("a post of the other account went out %s late: it waited for the held server", late.max)
		}
	})

	t.Run("faults after the server acted", func(t *testing.T) {
		t.Parallel()
		f := startFaultyBluesky(t, bsky, rng)
		for i := range f.proxies {
			f.decide(i, func(r faultproxy.Request) faultproxy.Action {
				if r.Path != putRecordPath {
					return faultproxy.Action{}
				}
				switch r.N {
				case 1:
					return faultproxy.Action{Fault: faultproxy.DropAfterAnswer}
				case 3:
					return faultproxy.Action{Fault: faultproxy.ServerErrorAfterAnswer, Status: http.StatusBadGateway}
				case 5:
					return faultproxy.Action{Fault: faultproxy.RateLimit, Hold: 3 * time.Second}
				}
				return faultproxy.Action{}
			})
		}
		h := newHarness(t, bin, f.testNetwork)
		c := h.start("faults")
		h.waitLead(c)
		now := time.Now()
		want := h.queueAt("faulted", 12, func(i int) time.Time { return now.Add(time.Second + time.Duration(i)*500*time.Millisecond) }, spread)
		h.waitSettled(3 * time.Minute)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
		t.Logf("faults %v, %v: %d deliveries, %d writes reached the server; %s", f.proxies[0].Faults(), f.proxies[1].Faults(),
			len(want), f.Publishes(), f.lateness(h, now))
	})

	t.Run("takeover after SIGKILL", func(t *testing.T) {
		f, h, sender := leadingSender(t, bsky, rng, bin, "the first sender")
		waiter := h.start("a crier waiting to take over")
		h.waitReady(waiter)
		now := time.Now()
		want := h.queueAt("kill", 45, func(i int) time.Time { return now.Add(time.Second + time.Duration(i)*400*time.Millisecond) }, spread)
		var takeovers []time.Duration
		for k := range 3 {
			// The kill point, random in real time while posts fall due
			// every 400 ms, is the scenario.
			time.Sleep(time.Duration(3000+rng.IntN(1500)) * time.Millisecond)
			killed := time.Now()
			h.kill(sender)
			h.waitLead(waiter)
			took := waiter.ledAt.Sub(killed)
			takeovers = append(takeovers, took)
			h.logf("kill %d: taken over in %s", k+1, took)
			sender, waiter = waiter, h.start("a crier waiting to take over")
			h.waitReady(waiter)
		}
		h.waitSettled(time.Minute)
		h.stop(sender, syscall.SIGTERM)
		h.stop(waiter, syscall.SIGTERM)
		h.checkDelivered(want)
		t.Logf("3 SIGKILLs of the sender: taken over in %v; %s", takeovers, f.lateness(h, now))
		for _, took := range takeovers {
			if took >= scheduler.DefaultLeaseTTL {
				t.Errorf("taking over from a killed sender took %s: it waited for the lease to expire", took)
			}
		}
	})

	t.Run("takeover after SIGSTOP", func(t *testing.T) {
		f, h, sender := leadingSender(t, bsky, rng, bin, "the sender to be frozen")
		waiter := h.start("a crier waiting to take over")
		h.waitReady(waiter)
		var stoppedAt time.Time
		stopped := make(chan struct{})
		// Freeze the sender while one of its writes is on its way to the
		// server: the post lands while it cannot hear the answer. It is
		// frozen while this test holds the database's write lock, so not
		// in the middle of a write of its own: a process frozen holding
		// SQLite's write lock stops every writer, which no sender can
		// outlive.
		f.decide(0, func(r faultproxy.Request) faultproxy.Action {
			if r.Path == putRecordPath && r.N == 4 {
				unlock := lockDatabase(t, h.dbPath)
				stoppedAt = time.Now()
				_ = sender.cmd.Process.Signal(syscall.SIGSTOP)
				unlock()
				close(stopped)
			}
			return faultproxy.Action{}
		})
		now := time.Now()
		want := h.queueAt("stop", 40, func(i int) time.Time { return now.Add(time.Second + time.Duration(i)*500*time.Millisecond) }, spread)
		select {
		case <-stopped:
		case <-time.After(30 * time.Second):
			t.Fatal("the sender never wrote its fifth post")
		}
		ledFrom := waiter.mark()
		h.waitLead(waiter)
		took := waiter.ledAt.Sub(stoppedAt)
		// The new sender at work: it has sent a post of its own.
		h.waitLine(waiter, ledFrom, sentLine, time.Minute, "a send by the new sender")
		woke := sender.mark()
		_ = sender.cmd.Process.Signal(syscall.SIGCONT)
		h.waitSettled(time.Minute)
		// The woken process has had its chance to do harm, if it would:
		// it has gone to sleep again having done all it could, as a
		// follower or (had it kept the lease) with nothing more due.
		h.waitLine(sender, woke, regexp.MustCompile(followLine.String()+"|"+idleLine.String()), time.Minute,
			"the woken sender asleep again")
		h.stop(sender, syscall.SIGTERM)
		h.stop(waiter, syscall.SIGTERM)
		h.checkDelivered(want)
		t.Logf("sender frozen with a write at the server: taken over in %s; %s", took.Round(time.Millisecond), f.lateness(h, now))
		if took > 3*scheduler.DefaultLeaseTTL {
			t.Errorf("taking over from a frozen sender took %s", took)
		}
	})

	t.Run("write lock held across a send", func(t *testing.T) {
		f, h, c := leadingSender(t, bsky, rng, bin, "a sender whose database gets locked")
		type lockedWrite struct {
			rkey     string
			released time.Time
		}
		done := make(chan lockedWrite, 1)
		hold := 20 * time.Second
		f.decide(0, func(r faultproxy.Request) faultproxy.Action {
			if r.Path == putRecordPath && r.N == 3 {
				// The write is at the server; the database is locked from
				// before its answer until after crier had to record it.
				unlock := lockDatabase(t, h.dbPath)
				rkey := recordKey(r.Body)
				go func() {
					// The lock held this long (past every busy timeout)
					// is the scenario.
					time.Sleep(hold)
					unlock()
					done <- lockedWrite{rkey: rkey, released: time.Now()}
				}()
			}
			return faultproxy.Action{}
		})
		now := time.Now()
		want := h.queueAt("locked", 16, func(i int) time.Time { return now.Add(time.Second + time.Duration(i)*500*time.Millisecond) }, spread)
		var lw lockedWrite
		select {
		case lw = <-done:
		case <-time.After(time.Minute):
			t.Fatal("the fourth write never came")
		}
		// Only crier's database tells when it recorded the post.
		var recordedAfter time.Duration
		if err := waitfor.Wait(context.Background(), 30*time.Second, "the post written while the database was locked, recorded",
			func() (bool, string) {
				var n int
				if err := h.readOnly().QueryRow("SELECT count(*) FROM deliveries WHERE state = 'sent' AND remote_id LIKE ?",
					"%/"+lw.rkey).Scan(&n); err != nil {
					t.Fatal(err)
				}
				recordedAfter = time.Since(lw.released)
				return n == 1, fmt.Sprint(h.states())
			}); err != nil {
			t.Fatalf("%v (after the lock was freed)", err)
		}
		h.waitSettled(time.Minute)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
		t.Logf("database locked for %s while a post was at the server: recorded %s after the lock was freed; %s",
			hold, recordedAfter.Round(time.Millisecond), f.lateness(h, now))
	})

	t.Run("write lock held over posts' time", func(t *testing.T) {
		f, h, c := leadingSender(t, bsky, rng, bin, "a sender while another program takes the lock")
		now := time.Now()
		due := now.Add(6 * time.Second)
		// One post an account: each account's sender claims one at a time.
		want := h.queueAt("over the lock", 2, func(int) time.Time { return due }, func(i int) []int { return []int{i} })
		// crier claims each post a moment before its time; another program
		// then takes the write lock and holds it over that time.
		if err := waitfor.Wait(context.Background(), 30*time.Second, "both posts claimed ahead of their time",
			func() (bool, string) {
				var n int
				if err := h.readOnly().QueryRow("SELECT count(*) FROM deliveries WHERE state = 'sending'").Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n == len(want), fmt.Sprint(h.states())
			}); err != nil {
			t.Fatal(err)
		}
		unlock := lockDatabase(t, h.dbPath)
		locked := time.Now()
		if locked.After(due) {
			t.Fatalf("the lock was taken %s after the posts' time: the claim came too late to tell", locked.Sub(due))
		}
		// Both go out while the lock is held, the claim being made before.
		if err := waitfor.Wait(context.Background(), 30*time.Second, "both posts at the server while the database is locked",
			func() (bool, string) {
				f.mu.Lock()
				defer f.mu.Unlock()
				return len(f.first) == len(want), fmt.Sprintf("%d of %d", len(f.first), len(want))
			}); err != nil {
			t.Fatal(err)
		}
		unlock()
		h.waitSettled(time.Minute)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
		t.Logf("write lock taken %s before the posts' time and held until they were at the server: %s",
			due.Sub(locked).Round(time.Millisecond), f.lateness(h, now))
	})

	t.Run("posts with photos", func(t *testing.T) {
		f, h, c := leadingSender(t, bsky, rng, bin, "a sender of photos")
		var mu sync.Mutex
		var uploads []time.Time
		for i := range f.Accounts {
			f.decide(i, func(r faultproxy.Request) faultproxy.Action {
				if r.Path == "/xrpc/com.atproto.repo.uploadBlob" {
					mu.Lock()
					uploads = append(uploads, time.Now())
					mu.Unlock()
				}
				return faultproxy.Action{}
			})
		}
		photos := []store.Media{
			{Path: writePNG(t, "rye.png", 40), Mime: "image/png", AltText: "a rye loaf"},
			{Path: writePNG(t, "spelt.png", 200), Mime: "image/png", AltText: "a spelt loaf"},
		}
		now := time.Now()
		due := now.Add(6 * time.Second)
		want := h.queueAt("with photos", 2, func(int) time.Time { return due }, func(i int) []int { return []int{i} }, photos...)
		h.waitSettled(time.Minute)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
		// The photos went up between each post's claim and its time; at
		// its time only the record was written.
		mu.Lock()
		defer mu.Unlock()
		if len(uploads) != 4 {
			t.Fatalf("%d uploads reached the server, want 4 (two photos, two posts)", len(uploads))
		}
		for _, at := range uploads {
			if !at.Before(due) {
				t.Errorf("a photo was uploaded %s after its post's time, not before it", at.Sub(due).Round(time.Millisecond))
			}
		}
		t.Logf("two posts of two photos each: %s", f.lateness(h, now))
	})

	t.Run("account added while crier runs", func(t *testing.T) {
		f := startFaultyBluesky(t, bsky, rng)
		h := newHarness(t, bin, f.testNetwork)
		// Started with the first account alone in its config...
		writeConfig(t, f.Dir, h.dbPath, f.Accounts[:1])
		c := h.start("a sender started with one account")
		h.waitLead(c)
		// ...then the second is added to the config (as crier login tells
		// one to) and posts are queued for both.
		writeConfig(t, f.Dir, h.dbPath, f.Accounts)
		now := time.Now()
		want := h.queueAt("after the account was added", 2, func(int) time.Time { return now.Add(time.Second) }, spread)
		h.waitSettled(time.Minute)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
		if !strings.Contains(h.stderr(), "set up from the config, read again") {
			t.Error("crier did not say it set up the added account from the config")
		}
	})

	t.Run("database locked at start", func(t *testing.T) {
		f := startFaultyBluesky(t, bsky, rng)
		h := newHarness(t, bin, f.testNetwork)
		now := time.Now()
		want := h.queueAt("after the lock", 2, func(i int) time.Time { return now.Add(2 * time.Second) }, spread)
		unlock := lockDatabase(t, h.dbPath)
		c := h.start("start while another program holds the write lock")
		h.waitLine(c, 0, regexp.MustCompile("locked by another program"), 20*time.Second, "that it waits for the locked database")
		// The lock held on for a while is the scenario: crier must wait it
		// out, however long, rather than give up.
		time.Sleep(3 * time.Second)
		select {
		case <-c.exited:
			t.Fatalf("crier exited while the database was locked: %v", c.err)
		default:
		}
		unlock()
		h.waitReady(c)
		h.waitSettled(time.Minute)
		h.stop(c, syscall.SIGTERM)
		h.checkDelivered(want)
	})
}

// spread sends every third post to both accounts and the others to one
// each, in turn.
func spread(i int) []int {
	switch i % 3 {
	case 0:
		return []int{0, 1}
	case 1:
		return []int{0}
	}
	return []int{1}
}

// leadingSender is how most on-time runs begin: two accounts on bsky, each
// behind a fault proxy of its own, a database, and one crier run (started
// for why) that has taken the sender lease.
func leadingSender(t *testing.T, bsky *testnet.Network, rng *rand.Rand, bin, why string) (*faultyBluesky, *harness, *crierRun) {
	t.Helper()
	f := startFaultyBluesky(t, bsky, rng)
	h := newHarness(t, bin, f.testNetwork)
	c := h.start(why)
	h.waitLead(c)
	return f, h, c
}

// faultyBluesky is two accounts on a Bluesky network, each behind a fault
// proxy of its own that also notes when each record was first written.
type faultyBluesky struct {
	testNetwork
	proxies []*faultproxy.Proxy

	mu     sync.Mutex
	first  map[string]time.Time // rkey -> first putRecord to reach the proxy
	faults []func(faultproxy.Request) faultproxy.Action
}

func startFaultyBluesky(t *testing.T, bsky *testnet.Network, rng *rand.Rand) *faultyBluesky {
	f := &faultyBluesky{first: map[string]time.Time{}}
	f.Dir = t.TempDir()
	var dids []string
	var mu sync.Mutex
	for i, name := range []string{"bakery", "cafe"} {
		acct := bsky.CreateAccount(t, bsky.UniqueHandle(name))
		dids = append(dids, acct.DID)
		seed := rng.Uint64()
		r := rand.New(rand.NewPCG(seed, seed^0x5eed))
		p := faultproxy.New(bsky.PDS, faultproxy.Options{
			Latency: func() time.Duration {
				mu.Lock()
				defer mu.Unlock()
				return 5*time.Millisecond + time.Duration(r.Int64N(int64(15*time.Millisecond)))
			},
			Decide: func(req faultproxy.Request) faultproxy.Action {
				if req.Path == putRecordPath {
					f.noteWrite(req.Body)
				}
				f.mu.Lock()
				decide := f.faults[i]
				f.mu.Unlock()
				if decide == nil {
					return faultproxy.Action{}
				}
				return decide(req)
			},
		})
		t.Cleanup(p.Close)
		f.proxies = append(f.proxies, p)
		f.faults = append(f.faults, nil)
		f.Accounts = append(f.Accounts, testAccount{
			Platform: "bluesky",
			Handle:   acct.Handle,
			Server:   p.URL,
			TokenVar: "ONTIME_BSKY_PASSWORD_" + strings.ToUpper(name),
			Token:    acct.AppPassword,
		})
	}
	f.Landed = func() map[string][]remotePost {
		out := map[string][]remotePost{}
		for i, did := range dids {
			out[f.Accounts[i].Handle] = listPosts(t, bsky, did)
		}
		return out
	}
	f.Publishes = func() int {
		n := 0
		for _, p := range f.proxies {
			n += p.Count(http.MethodPost, putRecordPath)
		}
		return n
	}
	return f
}

// decide sets the faults of account i's proxy.
func (f *faultyBluesky) decide(i int, fn func(faultproxy.Request) faultproxy.Action) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[i] = fn
}

func (f *faultyBluesky) noteWrite(body []byte) {
	rkey := recordKey(body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, seen := f.first[rkey]; !seen {
		f.first[rkey] = time.Now()
	}
}

func recordKey(body []byte) string {
	var in struct {
		Rkey string `json:"rkey"`
	}
	_ = json.Unmarshal(body, &in)
	return in.Rkey
}

// lateness is how late each sent delivery's record first reached the
// server: after its due time, or after it was queued when it was queued
// already due.
type lateness struct {
	n                int
	median, p99, max time.Duration
}

func (l lateness) String() string {
	return fmt.Sprintf("lateness over %d deliveries: median %s, p99 %s, max %s", l.n,
		l.median.Round(time.Millisecond), l.p99.Round(time.Millisecond), l.max.Round(time.Millisecond))
}

func (f *faultyBluesky) lateness(h *harness, queued time.Time) lateness {
	return f.latenessOf(h, queued, "")
}

// latenessOf is lateness for one account (all when handle is "").
func (f *faultyBluesky) latenessOf(h *harness, queued time.Time, handle string) lateness {
	rows, err := h.readOnly().Query(`
		SELECT d.due_at, d.remote_id FROM deliveries d JOIN accounts a ON a.id = d.account_id
		WHERE d.state = 'sent' AND (? = '' OR a.handle = ?)`, handle, handle)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var all []time.Duration
	f.mu.Lock()
	defer f.mu.Unlock()
	for rows.Next() {
		var due int64
		var remote string
		if err := rows.Scan(&due, &remote); err != nil {
			h.t.Fatal(err)
		}
		first, ok := f.first[path.Base(remote)]
		if !ok {
			h.t.Errorf("%s: no write of it reached the server", remote)
			continue
		}
		from := time.UnixMilli(due)
		if from.Before(queued) {
			from = queued
		}
		all = append(all, max(0, first.Sub(from)))
	}
	if err := rows.Err(); err != nil {
		h.t.Fatal(err)
	}
	slices.Sort(all)
	if len(all) == 0 {
		return lateness{}
	}
	at := func(q float64) time.Duration { return all[min(len(all)-1, int(q*float64(len(all))))] }
	return lateness{n: len(all), median: at(0.5), p99: at(0.99), max: all[len(all)-1]}
}

// queueAt queues n posts, post i due at due(i) to the accounts to(i) picks,
// with texts starting with what.
func (h *harness) queueAt(what string, n int, due func(i int) time.Time, to func(i int) []int, media ...store.Media) []wantDelivery {
	t := h.t
	ctx := context.Background()
	st := h.openStore()
	defer st.Close()
	ids := make([]int64, len(h.net.Accounts))
	for i, a := range h.net.Accounts {
		id, err := st.UpsertAccount(ctx, store.Account{Platform: a.Platform, Handle: a.Handle, Server: a.Server})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	var want []wantDelivery
	for i := range n {
		text := fmt.Sprintf("%s, post %d of %d: rye at 8, croissants at 9 🥐", what, i+1, n)
		var targets []store.Target
		for _, a := range to(i) {
			targets = append(targets, store.Target{AccountID: ids[a]})
		}
		now := time.Now()
		id, err := st.SaveDraft(ctx, store.Post{Body: text, Targets: targets, Media: media}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.QueuePost(ctx, id, due(i), "UTC", now); err != nil {
			t.Fatal(err)
		}
		for _, a := range to(i) {
			want = append(want, wantDelivery{postID: id, accountID: ids[a], handle: h.net.Accounts[a].Handle, text: text})
		}
	}
	return want
}

// waitLead waits until c takes the sender lease.
func (h *harness) waitLead(c *crierRun) {
	h.t.Helper()
	select {
	case <-c.leads:
	case <-c.exited:
		h.t.Fatalf("crier exited before it took the sender lease: %v", c.err)
	case <-time.After(45 * time.Second):
		h.t.Fatalf("crier did not take the sender lease within 45 s; %s", h.lease())
	}
}

// stderr is everything the runs have logged so far.
func (h *harness) stderr() string {
	b, err := os.ReadFile(h.log.Name())
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

// lockDatabase takes the database's write lock from a connection of the
// test's own, as another program would, until the returned func is called.
func lockDatabase(t *testing.T, dbPath string) (unlock func()) {
	// The busy timeout waits out a write crier has under way.
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	unlock = func() {
		once.Do(func() {
			conn.ExecContext(context.Background(), "ROLLBACK")
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(unlock)
	return unlock
}

// writePNG writes a small PNG image of one shade into the test's folder.
func writePNG(t *testing.T, name string, shade uint8) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for x := range 32 {
		img.Set(x, x%24, color.RGBA{shade, 40, 40, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
