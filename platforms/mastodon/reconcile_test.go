package mastodon_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

// TestReconcileOnAServerThatIgnoresTheKey is the GoToSocial case: the
// server makes a second status for a repeat with the same key, so after an
// unclear outcome the post must be found, not sent again, also within the
// hour a Mastodon server would remember the key.
func TestReconcileOnAServerThatIgnoresTheKey(t *testing.T) {
	for _, fault := range []mastotest.Fault{
		{Status: 500, Land: true},
		{Drop: true, Land: true},
	} {
		srv, c := newPair(t, mastotest.Config{IgnoreIdempotencyKey: true})
		ctx := context.Background()
		p := newPost(fmt.Sprintf("Fresh rye at 8 <b>&</b> a link: https://shop.example/rye?x=1&y=2\n\nSee you! (%+v)", fault), "k")
		srv.Inject("POST", "/api/v1/statuses", fault)
		_, err := c.Publish(ctx, p)
		wantClass(t, err, platforms.UnknownOutcome)
		pub, ok, err := c.Reconcile(ctx, p)
		if err != nil || !ok {
			t.Fatalf("%+v: Reconcile = %v, %v; want found", fault, ok, err)
		}
		sts := srv.Statuses(srv.Me().ID)
		if len(sts) != 1 || sts[0].ID != pub.Ref.ID {
			t.Errorf("%+v: statuses %+v, want only %s", fault, sts, pub.Ref.ID)
		}
		if n := srv.Count("POST", "/api/v1/statuses"); n != 1 {
			t.Errorf("%+v: %d status POSTs, want 1", fault, n)
		}
	}
}

// settleClock is a clock that moves only by the waits Reconcile asks for,
// which it records; during a wait, arrive (when set) runs, standing for
// what happens on the server meanwhile.
type settleClock struct {
	mu     sync.Mutex
	now    time.Time
	waits  []time.Duration
	arrive func()
}

func newSettleClock() *settleClock { return &settleClock{now: time.Now()} }

func (c *settleClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *settleClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *settleClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	arrive := c.arrive
	c.mu.Unlock()
	if arrive != nil {
		arrive()
	}
	return ctx.Err()
}

// Waits returns the waits asked for since the last call.
func (c *settleClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.waits
	c.waits = nil
	return w
}

func (c *settleClock) options() []mastodon.Option {
	return []mastodon.Option{mastodon.WithClock(c.Now), mastodon.WithSleep(c.Sleep)}
}

// TestReconcileWaitsForAnAttemptStillOnItsWay: crier died (or gave up)
// while its request was still on the way, and the status appears while
// Reconcile waits. Reconcile must not call it lost before the settle time
// has passed since the attempt.
func TestReconcileWaitsForAnAttemptStillOnItsWay(t *testing.T) {
	for _, settle := range []time.Duration{0, time.Second} {
		srv := mastotest.New(mastotest.Config{IgnoreIdempotencyKey: true})
		t.Cleanup(srv.Close)
		// A new client stands for a crier that has just started after a
		// kill: the attempt was made by the process before it.
		clock := newSettleClock()
		c := mastodon.New(srv.URL, srv.Token(), append(clock.options(), mastodon.WithReconcileSettle(settle))...)
		p := newPost("Still on its way", "k")
		clock.arrive = func() { srv.Post(srv.Me().ID, p.Text, "public", "") }
		_, ok, err := c.Reconcile(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		waits := clock.Waits()
		if settle == 0 && (ok || len(waits) != 0) {
			t.Fatalf("without a settle time: found %v after waits %v; want not found at once", ok, waits)
		}
		if settle > 0 && (!ok || len(waits) != 1 || waits[0] != settle) {
			t.Errorf("settle %s: found %v after waits %v; want found after one wait of %s", settle, ok, waits, settle)
		}
	}
}

// TestReconcileSettleCountsFromTheLastAttempt: the wait counts from the
// last attempt that may have reached the server when this client made it;
// an attempt it never made (another crier's, killed a moment ago) is waited
// for in full; one that never went out is not waited for.
func TestReconcileSettleCountsFromTheLastAttempt(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	t.Cleanup(srv.Close)
	settle := 400 * time.Millisecond
	clock := newSettleClock()
	c := mastodon.New(srv.URL, srv.Token(), append(clock.options(), mastodon.WithReconcileSettle(settle))...)
	ctx := context.Background()
	waited := func(p platforms.Post) []time.Duration {
		t.Helper()
		if _, ok, err := c.Reconcile(ctx, p); err != nil || ok {
			t.Fatalf("Reconcile = %v, %v", ok, err)
		}
		return clock.Waits()
	}

	// Another process's attempt, at a time unknown: the full wait.
	if w := waited(newPost("someone else's", "other")); len(w) != 1 || w[0] != settle {
		t.Errorf("Reconcile of a key this client never sent waited %v, want %s", w, settle)
	}

	// This client's attempt that reached the server: from that attempt.
	p := newPost("sent a moment ago", "sent")
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 500})
	if _, err := c.Publish(ctx, p); err == nil {
		t.Fatal("Publish succeeded through a 500")
	}
	clock.Advance(settle / 4)
	if w := waited(p); len(w) != 1 || w[0] != settle-settle/4 {
		t.Errorf("Reconcile a quarter of the settle time after an attempt waited %v, want %s", w, settle-settle/4)
	}
	if w := waited(p); len(w) != 0 {
		t.Errorf("Reconcile once the settle time had passed waited %v", w)
	}

	// An attempt that never left: no wait.
	q := newPost("never left", "unsent")
	unsent := mastodon.New(srv.URL, srv.Token(), append(clock.options(), mastodon.WithReconcileSettle(settle),
		mastodon.WithHTTPClient(&http.Client{Transport: neverSendsPosts{}}))...)
	_, err := unsent.Publish(ctx, q)
	wantClass(t, err, platforms.Transient)
	if left := mastodon.SettleLeft(unsent, q.IdempotencyKey); left > 0 {
		t.Errorf("after an attempt that never went out, %s left to wait", left)
	}
}

// neverSendsPosts fails every status POST before a byte of it is written.
type neverSendsPosts struct{}

func (neverSendsPosts) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses" {
		return nil, io.ErrUnexpectedEOF
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestReconcileStopsWaitingWhenCancelled: a crier told to stop while
// Reconcile waits leaves the outcome unknown.
func TestReconcileStopsWaitingWhenCancelled(t *testing.T) {
	srv := mastotest.New(mastotest.Config{})
	t.Cleanup(srv.Close)
	c := mastodon.New(srv.URL, srv.Token(), mastodon.WithReconcileSettle(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, ok, err := c.Reconcile(ctx, newPost("x", "k"))
	if ok {
		t.Fatal("found a post never sent")
	}
	wantClass(t, err, platforms.UnknownOutcome)
}

// TestReconcileFindsAnEditedStatus: the post landed, the answer was lost,
// and the person edited it in their app before crier looked. The first
// version in its history is what crier sent.
func TestReconcileFindsAnEditedStatus(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{IgnoreIdempotencyKey: true})
	ctx := context.Background()
	p := newPost("Open until 6 today", "k")
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 503, Land: true})
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	landed := srv.Statuses(srv.Me().ID)
	srv.Edit(landed[0].ID, "Open until 7 today (typo, sorry)")

	// A status that was never edited and says something else must not pass.
	srv.Post(srv.Me().ID, "Open until 8 tomorrow", "public", "")

	pub, ok, err := c.Reconcile(ctx, p)
	if err != nil || !ok || pub.Ref.ID != landed[0].ID {
		t.Fatalf("Reconcile = %+v, %v, %v; want %s", pub, ok, err, landed[0].ID)
	}
	if n := srv.Count("POST", "/api/v1/statuses"); n != 1 {
		t.Errorf("%d status POSTs, want 1", n)
	}
}

// TestReconcileReadsTheSourceOfRenderedText: a server that renders the
// text (Markdown here) gives HTML that does not read back as what was
// sent; the status's source does.
func TestReconcileReadsTheSourceOfRenderedText(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{Markdown: true, IgnoreIdempotencyKey: true})
	ctx := context.Background()
	p := newPost("**Today only**: two *pain au chocolat* for 3", "k")
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 500, Land: true})
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	pub, ok, err := c.Reconcile(ctx, p)
	if err != nil || !ok {
		t.Fatalf("Reconcile = %v, %v; want found through the source", ok, err)
	}
	if sts := srv.Statuses(srv.Me().ID); len(sts) != 1 || sts[0].ID != pub.Ref.ID {
		t.Errorf("statuses %+v", sts)
	}
	if srv.Count("GET", "/api/v1/statuses/"+pub.Ref.ID+"/source") != 1 {
		t.Errorf("the source was not read: %v", srv.Requests())
	}
}

// TestReconcileComparesImagesAndAltText: the same text with another image
// description is another post.
func TestReconcileComparesImagesAndAltText(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{SyncMedia: true, IgnoreIdempotencyKey: true})
	ctx := context.Background()
	img := pngFile(t)
	decoy := newPost("New loaf!", "decoy")
	decoy.Images = []platforms.Image{{Path: img, AltText: "A rye loaf"}}
	if _, err := c.Publish(ctx, decoy); err != nil {
		t.Fatal(err)
	}
	noImage := newPost("New loaf!", "no-image")
	if _, err := c.Publish(ctx, noImage); err != nil {
		t.Fatal(err)
	}
	p := newPost("New loaf!", "k")
	p.Images = []platforms.Image{{Path: img, AltText: "A spelt loaf, sliced"}}
	if _, ok, err := c.Reconcile(ctx, p); err != nil || ok {
		t.Fatalf("Reconcile = %v, %v; a status with another alt text (or none) passed for the post", ok, err)
	}
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 500, Land: true})
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	pub, ok, err := c.Reconcile(ctx, p)
	if err != nil || !ok {
		t.Fatalf("Reconcile = %v, %v; want found", ok, err)
	}
	st, _ := srv.Status(pub.Ref.ID)
	if m, _ := srv.Media(st.MediaIDs[0]); m.Description != "A spelt loaf, sliced" {
		t.Errorf("found the status with alt text %q", m.Description)
	}
}

// TestReconcileUsesTheServersClock: the server's clock is ten minutes
// behind crier's, so its created_at is earlier than the first attempt by
// crier's clock. The Date header tells the difference.
func TestReconcileUsesTheServersClock(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{IgnoreIdempotencyKey: true,
		Now: func() time.Time { return time.Now().Add(-10 * time.Minute) }})
	ctx := context.Background()
	p := newPost("Clocks differ", "k")
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 500, Land: true})
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	if _, ok, err := c.Reconcile(ctx, p); err != nil || !ok {
		t.Fatalf("Reconcile = %v, %v; want found despite the clock difference", ok, err)
	}
}

// TestReconcileGivesUpRatherThanGuess: with more statuses since the first
// attempt than it reads, Reconcile cannot tell, and says so for a person
// to decide rather than send again.
func TestReconcileGivesUpRatherThanGuess(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	p := newPost("Lost among many", "k")
	for i := range 401 {
		srv.Post(srv.Me().ID, fmt.Sprintf("busy account, status %d", i), "public", "")
	}
	_, ok, err := c.Reconcile(context.Background(), p)
	if ok {
		t.Fatal("found a post never sent")
	}
	pe := wantClass(t, err, platforms.Permanent)
	t.Logf("reason: %s", pe.Reason)
}

// TestReconcileDoesNotSeeADeletedStatus documents the limit of looking: a
// status its author deleted before crier looked cannot be told from one
// never made.
func TestReconcileDoesNotSeeADeletedStatus(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{IgnoreIdempotencyKey: true})
	ctx := context.Background()
	p := newPost("Deleted before crier looked", "k")
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 500, Land: true})
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	srv.Delete(srv.Statuses(srv.Me().ID)[0].ID)
	if _, ok, err := c.Reconcile(ctx, p); err != nil || ok {
		t.Fatalf("Reconcile = %v, %v; a deleted status cannot be found", ok, err)
	}
}

// TestReconcilePassesOverClaimedStatuses: the account's only status with
// the post's text is already another of crier's posts (the same words
// posted a moment before). The post is not found, so it goes out; when
// crier cannot read its records, the answer is a transient error, not a
// guess either way.
func TestReconcilePassesOverClaimedStatuses(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{IgnoreIdempotencyKey: true})
	ctx := context.Background()
	earlier := srv.Post(srv.Me().ID, "Fresh bread today!", "public", "")
	p := newPost("Fresh bread today!", "k2")
	p.Claimed = func(_ context.Context, id string) (bool, error) { return id == earlier, nil }
	if pub, ok, err := c.Reconcile(ctx, p); err != nil || ok {
		t.Fatalf("Reconcile = %+v, %v, %v; want not found", pub, ok, err)
	}
	p.Claimed = func(context.Context, string) (bool, error) { return false, io.ErrUnexpectedEOF }
	_, ok, err := c.Reconcile(ctx, p)
	if ok {
		t.Fatal("found while crier could not read its records")
	}
	wantClass(t, err, platforms.Transient)
}
