package scheduler

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
)

// gatedNet is a sandbox account whose Publish and Reconcile can be held at a
// gate (a server that keeps its answer) and that remembers what it was
// asked to publish; before, when set, runs first in every call.
type gatedNet struct {
	*sandbox.Network
	mu     sync.Mutex
	gate   chan struct{} // nil: open
	posts  []platforms.Post
	before func()
}

func (g *gatedNet) wait(ctx context.Context) error {
	g.mu.Lock()
	gate, before := g.gate, g.before
	g.mu.Unlock()
	if before != nil {
		before()
	}
	if gate == nil {
		return nil
	}
	select {
	case <-gate:
		return nil
	case <-ctx.Done():
		return &platforms.Error{Class: platforms.UnknownOutcome, Reason: "no answer", Err: ctx.Err()}
	}
}

func (g *gatedNet) Publish(ctx context.Context, p platforms.Post) (platforms.Published, error) {
	g.mu.Lock()
	g.posts = append(g.posts, p)
	g.mu.Unlock()
	if err := g.wait(ctx); err != nil {
		return platforms.Published{}, err
	}
	return g.Network.Publish(ctx, p)
}

func (g *gatedNet) Reconcile(ctx context.Context, p platforms.Post) (platforms.Published, bool, error) {
	if err := g.wait(ctx); err != nil {
		return platforms.Published{}, false, err
	}
	return g.Network.Reconcile(ctx, p)
}

func (g *gatedNet) published() []platforms.Post {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]platforms.Post(nil), g.posts...)
}

// TestSlowServerHoldsOnlyItsAccount: one account's server keeps its answer;
// the other account's posts go out at their times all the while, and the
// status names the account that waits.
func TestSlowServerHoldsOnlyItsAccount(t *testing.T) {
	h := newHarness(t)
	slowID := h.account(store.PlatformSandbox, "slow")
	slow := &gatedNet{Network: sandbox.New("slow", h.st, sandbox.WithClock(h.clock.Now)), gate: make(chan struct{})}
	h.opts.Networks[slowID] = slow

	_, held := h.queue(store.Post{Body: "to the slow server", Targets: []store.Target{{AccountID: slowID}}}, t0)
	var fast []store.Delivery
	for i := range 4 {
		_, d := h.queue(store.Post{Body: fmt.Sprint("fast ", i)}, t0.Add(time.Duration(i)*2*time.Second))
		fast = append(fast, d)
	}
	h.start()
	// The slow server has the post before the clock moves on.
	waitfor.Holds(t, 10*time.Second, "the slow server to get its post", func() bool { return len(slow.published()) == 1 })
	for i, d := range fast {
		at := t0.Add(time.Duration(i) * 2 * time.Second)
		if i > 0 {
			h.clock.waitTimer(t, at)
			h.clock.Set(at)
		}
		e := h.waitEvent(EventSent, d.ID, EventFailed)
		if !e.SentAt.Equal(at) || !e.DueAt.Equal(at) {
			t.Fatalf("fast post %d: sent at %v, due %v; want both %v", i, e.SentAt, e.DueAt, at)
		}
	}
	// The clock is past waitingAfter: the slow account shows as waiting on
	// its server.
	h.waitStatus("waiting on the slow server", func(st Status) bool {
		return st.WaitingOn == "slow" && st.WaitingSince.Equal(t0)
	})
	if got := h.delivery(held.ID); got.State != store.DeliverySending {
		t.Fatalf("held delivery = %s, want sending", got.State)
	}
	close(slow.gate)
	h.waitEvent(EventSent, held.ID, EventFailed)
	h.waitStatus("nothing waiting", func(st Status) bool { return st.WaitingOn == "" })
}

// TestPostQueuedByAnotherProcessWakesTheSender: a post queued through
// another handle on the database (another process) goes out without anyone
// calling Wake.
func TestPostQueuedByAnotherProcessWakesTheSender(t *testing.T) {
	h := newHarness(t)
	h.opts.WatchEvery = 10 * time.Millisecond
	h.start()
	h.waitStatus("sending, nothing queued", func(st Status) bool { return st.Sender && st.NextDueAt.IsZero() })

	other, err := store.Open(context.Background(), h.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	id, err := other.SaveDraft(ctx, store.Post{Body: "queued elsewhere", Targets: []store.Target{{AccountID: h.acct}}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.QueuePost(ctx, id, t0, "UTC", t0); err != nil {
		t.Fatal(err)
	}
	e := h.waitEvent(EventSent, 0, EventFailed)
	if e.PostID != id {
		t.Fatalf("sent post %d, want %d", e.PostID, id)
	}
}

// TestOrphanedSendingIsReconciledWhileRunning: a delivery left in sending
// that this process is not sending (its outcome could not be written) is
// reconciled by the running sender, not left until a restart.
func TestOrphanedSendingIsReconciledWhileRunning(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	// No watch for other processes' commits: the test's own writes below
	// would wake the scheduler while the fake clock jumps.
	h.opts.WatchEvery = -1
	due := t0.Add(time.Second + store.ClaimAhead) // before the sweep
	_, d := h.queue(store.Post{Body: "landed, unrecorded"}, due)
	h.queue(store.Post{Body: "later"}, t0.Add(time.Hour))
	h.start()
	h.clock.waitTimer(t, due.Add(-store.ClaimAhead))
	h.clock.waitTimer(t, t0.Add(sweepEvery))
	// As if a send went out and its outcome write failed: claimed, landed,
	// never recorded.
	if ok, err := h.st.ClaimDelivery(ctx, d.ID, due); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, err := h.st.RecordSandboxPost(ctx, sandboxAccount, d.IdempotencyKey, "landed, unrecorded", "", 0, due); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(t0.Add(sweepEvery))
	h.waitEvent(EventSent, d.ID, EventFailed)
	if h.net.Publishes() != 0 || h.net.Reconciles() != 1 {
		t.Fatalf("%d publishes, %d reconciles; want 0 and 1", h.net.Publishes(), h.net.Reconciles())
	}
}

// TestLatePostKeepsItsRealTimes: a post sent after its due time records
// when it really went out, and every attempt at it carries the time of the
// first attempt (Bluesky's createdAt), not the due time.
func TestLatePostKeepsItsRealTimes(t *testing.T) {
	h := newHarness(t)
	h.opts.MissedPolicy = PolicySend
	net := &gatedNet{Network: sandbox.New(sandboxAccount, h.st, sandbox.WithClock(h.clock.Now),
		sandbox.WithFaults(sandbox.Fault{Err: &platforms.Error{Class: platforms.Transient, Reason: "try later"}}))}
	h.opts.Networks[h.acct] = net
	_, d := h.queue(store.Post{Body: "late"}, t0)
	first := t0.Add(10 * time.Second)
	h.clock.Set(first)
	h.start()
	e := h.waitEvent(EventRetrying, d.ID, EventFailed, EventSent)
	h.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
	h.clock.Set(e.RetryAt)
	sent := h.waitEvent(EventSent, d.ID, EventFailed)
	if !sent.SentAt.Equal(e.RetryAt) || !sent.DueAt.Equal(t0) {
		t.Fatalf("sent event: sent at %v, due %v; want %v and %v", sent.SentAt, sent.DueAt, e.RetryAt, t0)
	}
	got := h.delivery(d.ID)
	if !got.SentAt.Equal(e.RetryAt) || !got.FirstAttemptAt.Equal(first) {
		t.Fatalf("delivery sent_at %v, first attempt %v; want %v and %v", got.SentAt, got.FirstAttemptAt, e.RetryAt, first)
	}
	posts := net.published()
	if len(posts) != 2 {
		t.Fatalf("%d attempts, want 2", len(posts))
	}
	for i, p := range posts {
		if !p.CreatedAt.Equal(first) {
			t.Errorf("attempt %d carried createdAt %v, want the first attempt's %v", i+1, p.CreatedAt, first)
		}
	}
}

// TestStoppedSenderSendsNothingAfterATakeover: a sender frozen between its
// claim and its write (SIGSTOP, a suspended laptop) long enough for its
// lease to lapse and pass to another crier sends nothing when it wakes.
func TestStoppedSenderSendsNothingAfterATakeover(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	h.opts.LeaseTTL = 10 * time.Second
	net := &gatedNet{Network: sandbox.New(sandboxAccount, h.st, sandbox.WithClock(h.clock.Now))}
	h.opts.Networks[h.acct] = net
	_, d := h.queue(store.Post{Body: "once only"}, t0)
	// An earlier attempt failed, so the delivery is reconciled first; the
	// freeze lands there, after the claim.
	if ok, err := h.st.ClaimDelivery(ctx, d.ID, t0); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := h.st.MarkRetry(ctx, d.ID, "try later", time.Time{}); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	net.before = func() {
		once.Do(func() {
			// Frozen for a minute; meanwhile another crier took the lease.
			if _, err := h.st.DB().Exec("UPDATE leases SET holder = 'other', host = 'elsewhere', pid = 7, expires_at = ?",
				t0.Add(time.Hour).UnixMilli()); err != nil {
				t.Error(err)
			}
			h.clock.Set(t0.Add(time.Minute))
		})
	}
	h.start()
	h.waitStatus("stopped sending", func(st Status) bool { return !st.Sender && st.Holder != "" })
	if n := len(net.published()); n != 0 {
		t.Fatalf("the frozen sender published %d times after losing its lease", n)
	}
	if got := h.delivery(d.ID); got.State == store.DeliverySending || got.State == store.DeliverySent {
		t.Fatalf("delivery = %s, want it back for the new sender", got.State)
	}
}
