package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

// The store is what the sandbox records into.
var _ sandbox.Recorder = (*store.Store)(nil)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

const sandboxAccount = "bakery"

type harness struct {
	t      *testing.T
	st     *store.Store
	clock  *fakeClock
	net    *sandbox.Network
	acct   int64 // the sandbox account
	events chan Event
	opts   Options
	sched  *Scheduler
	cancel context.CancelFunc
	done   chan error
}

func newHarness(t *testing.T, faults ...sandbox.Fault) *harness {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformSandbox, Handle: sandboxAccount})
	if err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock(t0)
	net := sandbox.New(sandboxAccount, st, sandbox.WithClock(clock.Now), sandbox.WithFaults(faults...))
	h := &harness{t: t, st: st, clock: clock, net: net, acct: acct, events: make(chan Event, 1024)}
	h.opts = Options{
		Store:      st,
		Networks:   map[int64]platforms.Network{acct: net},
		Now:        clock.Now,
		Timer:      clock.Timer,
		Events:     h.events,
		MinBackoff: time.Minute,
		MaxBackoff: 10 * time.Minute,
		MaxSleep:   24 * time.Hour, // sleep until due, so tests can see it
	}
	return h
}

// start runs the scheduler until the test ends.
func (h *harness) start() {
	h.t.Helper()
	h.sched = New(h.opts)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.sched.Run(ctx) }()
	h.t.Cleanup(h.stop)
}

func (h *harness) stop() {
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run = %v", err)
		}
		h.done <- err // for a second stop
	case <-time.After(10 * time.Second):
		h.t.Fatal("Run did not return after its context ended")
	}
}

// account adds an account with no network.
func (h *harness) account(platform, handle string) int64 {
	id, err := h.st.UpsertAccount(context.Background(), store.Account{Platform: platform, Handle: handle})
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// queue queues a post due at `at` and returns its id and its first delivery.
func (h *harness) queue(p store.Post, at time.Time) (int64, store.Delivery) {
	h.t.Helper()
	ctx := context.Background()
	if p.Targets == nil {
		p.Targets = []store.Target{{AccountID: h.acct}}
	}
	id, err := h.st.SaveDraft(ctx, p, t0.Add(-48*time.Hour))
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.st.QueuePost(ctx, id, at, "UTC", t0.Add(-48*time.Hour)); err != nil {
		h.t.Fatal(err)
	}
	ds, err := h.st.PostDeliveries(ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return id, ds[0]
}

// waitEvent reads events until one of kind for the delivery (any when 0)
// comes, failing on an event of a kind in unwanted.
func (h *harness) waitEvent(kind EventKind, delivery int64, unwanted ...EventKind) Event {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e := <-h.events:
			if e.Kind == kind && (delivery == 0 || e.DeliveryID == delivery) {
				return e
			}
			for _, u := range unwanted {
				if e.Kind == u {
					h.t.Fatalf("got %+v while waiting for %s", e, kind)
				}
			}
		case <-deadline:
			h.t.Fatalf("no %s event for delivery %d", kind, delivery)
		}
	}
}

// waitStatus waits until the scheduler's status satisfies ok.
func (h *harness) waitStatus(what string, ok func(Status) bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	// Every change of the status is told as an event (EventState), and
	// the newest is never dropped.
	for !ok(h.sched.Status()) {
		select {
		case <-h.events:
		case <-deadline:
			h.t.Fatalf("status %+v, want %s", h.sched.Status(), what)
		}
	}
}

func (h *harness) delivery(id int64) store.Delivery {
	h.t.Helper()
	d, err := h.st.Delivery(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

func (h *harness) postState(id int64) store.PostState {
	h.t.Helper()
	p, err := h.st.Post(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return p.State
}

func (h *harness) received() []store.SandboxPost {
	h.t.Helper()
	ps, err := h.st.SandboxPosts(context.Background(), sandboxAccount)
	if err != nil {
		h.t.Fatal(err)
	}
	return ps
}

func TestDuePostIsSentOnce(t *testing.T) {
	h := newHarness(t)
	post, d := h.queue(store.Post{Body: "fresh rye at 9", Media: []store.Media{{Path: "/rye.jpg", AltText: "a loaf"}}}, t0)
	h.start()

	e := h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	if e.PostID != post || e.AccountID != h.acct || !e.Status.Running || !e.Status.Sender {
		t.Fatalf("sent event = %+v", e)
	}
	got := h.received()
	if len(got) != 1 || got[0].Body != "fresh rye at 9" || got[0].MediaCount != 1 || got[0].IdempotencyKey != d.IdempotencyKey {
		t.Fatalf("the sandbox received %+v, want the post once", got)
	}
	sent := h.delivery(d.ID)
	want := fmt.Sprintf("sandbox:%d", got[0].ID)
	if sent.State != store.DeliverySent || sent.RemoteID != want || sent.RemoteURL != fmt.Sprintf("sandbox://bakery/%d", got[0].ID) ||
		!sent.SentAt.Equal(t0) || sent.Attempts != 1 {
		t.Fatalf("delivery = %+v", sent)
	}
	if s := h.postState(post); s != store.PostSent {
		t.Fatalf("post = %s, want sent", s)
	}
	if n := h.net.Publishes(); n != 1 {
		t.Fatalf("%d publishes, want 1", n)
	}
}

func TestFuturePostWaitsUntilDueAndWakeReschedules(t *testing.T) {
	h := newHarness(t)
	due := t0.Add(time.Hour)
	post, d := h.queue(store.Post{Body: "lunch special"}, due)
	h.start()

	// Asleep until the post is to be claimed, ClaimAhead before its time,
	// not polling.
	claimAt := due.Add(-store.ClaimAhead)
	h.clock.waitTimer(t, claimAt)
	// The publishing loop says what is next beside the worker's sleep.
	h.waitStatus(fmt.Sprintf("post %d next at %v", post, due), func(st Status) bool {
		return st.NextDueAt.Equal(due) && st.NextPost == post
	})
	h.clock.Set(claimAt.Add(-time.Millisecond))
	// Still asleep until then (a worker woken by something else may set
	// its timer again, so this waits for it rather than looking once).
	h.clock.waitTimer(t, claimAt)
	if len(h.received()) != 0 || h.delivery(d.ID).State != store.DeliveryQueued {
		t.Fatal("the scheduler woke before the post was to be claimed")
	}

	// The user moves it to now: a Wake makes the scheduler look again.
	now := h.clock.Now()
	if err := h.st.ReschedulePost(context.Background(), post, now, "UTC", now); err != nil {
		t.Fatal(err)
	}
	h.sched.Wake()
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	if got := h.received(); len(got) != 1 || !got[0].ReceivedAt.Equal(now) {
		t.Fatalf("received %+v, want one post at %v", got, now)
	}
}

// TestSuspendDoesNotDelayAPost: Go's timers stop while the computer sleeps,
// so the scheduler never sleeps longer than MaxSleep before reading the
// clock again.
func TestSuspendDoesNotDelayAPost(t *testing.T) {
	h := newHarness(t)
	h.opts.MaxSleep = time.Minute
	due := t0.Add(3 * time.Hour)
	_, d := h.queue(store.Post{Body: "evening bake"}, due)
	h.start()

	// (the planning loop sleeps at most MaxSleep too: the status says
	// when the publisher has looked)
	h.waitStatus(fmt.Sprintf("the post next at %v", due), func(st Status) bool { return st.NextDueAt.Equal(due) })
	h.clock.waitTimer(t, t0.Add(time.Minute))
	h.clock.Set(t0.Add(time.Minute))
	h.clock.waitTimer(t, t0.Add(2*time.Minute))
	// The lid was closed for hours and the wall clock jumps past the due
	// time. A real timer would then fire within MaxSleep of the resume (the
	// fake one fires at once); one set for the due time would have been
	// late by the whole suspend.
	resumed := due.Add(10 * time.Second)
	h.clock.Set(resumed)
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	if rec := h.received(); len(rec) != 1 || !rec[0].ReceivedAt.Equal(resumed) {
		t.Fatalf("received %+v", rec)
	}
}

// TestLongSuspendHoldsBackWhatCameDueAsMissed: the lid was closed with
// crier running, for hours. What came due meanwhile is what came due while
// crier was closed: the missed policy judges it, as at a start, rather
// than a morning's "open at 8" going out in the evening. A post only a
// little late, and one due after the wake, go out.
func TestLongSuspendHoldsBackWhatCameDueAsMissed(t *testing.T) {
	for _, policy := range []string{PolicyGrace, PolicySend, PolicySkip} {
		t.Run(policy, func(t *testing.T) {
			h := newHarness(t)
			h.opts.MaxSleep = time.Minute
			h.opts.MissedPolicy = policy
			h.opts.MissedGrace = 15 * time.Minute
			oldPost, old := h.queue(store.Post{Body: "open at 8"}, t0.Add(time.Hour))
			_, recent := h.queue(store.Post{Body: "ten minutes ago"}, t0.Add(3*time.Hour-10*time.Minute))
			_, later := h.queue(store.Post{Body: "after the wake"}, t0.Add(4*time.Hour))
			h.start()
			h.waitStatus("the first post next", func(st Status) bool { return st.NextDueAt.Equal(old.DueAt) })
			h.clock.waitTimer(t, t0.Add(time.Minute))
			h.clock.Set(t0.Add(time.Minute))
			h.clock.waitTimer(t, t0.Add(2*time.Minute))

			h.clock.Set(t0.Add(3 * time.Hour)) // the lid opens
			wantMissed := map[string]int{PolicyGrace: 1, PolicySend: 0, PolicySkip: 2}[policy]
			if wantMissed > 0 {
				if e := h.waitEvent(EventMissed, 0, EventSent); e.Count != wantMissed {
					t.Fatalf("%d held back as missed, want %d", e.Count, wantMissed)
				}
			}
			switch policy {
			case PolicyGrace:
				h.waitEvent(EventSent, recent.ID, EventFailed)
			case PolicySend:
				h.waitEvent(EventSent, old.ID, EventFailed, EventMissed)
				h.waitEvent(EventSent, recent.ID, EventFailed, EventMissed)
			}
			wantOld := map[string]store.DeliveryState{PolicyGrace: store.DeliveryMissed, PolicySend: store.DeliverySent,
				PolicySkip: store.DeliveryMissed}[policy]
			if got := h.delivery(old.ID); got.State != wantOld {
				t.Fatalf("the post due two hours into the suspend is %s, want %s", got.State, wantOld)
			}
			if got := h.delivery(later.ID); got.State != store.DeliveryQueued {
				t.Fatalf("the post due after the wake is %s", got.State)
			}
			if policy != PolicySend {
				// The person decides: send it now after all.
				if err := h.st.SendMissedNow(context.Background(), oldPost, h.clock.Now()); err != nil {
					t.Fatal(err)
				}
				h.sched.Wake()
				h.waitEvent(EventSent, old.ID, EventFailed)
			}
			h.clock.waitTimer(t, t0.Add(3*time.Hour+time.Minute))
			h.clock.Set(t0.Add(4 * time.Hour))
			h.waitEvent(EventSent, later.ID, EventFailed, EventMissed)
		})
	}
}

func TestTransientErrorIsRetriedAfterBackoff(t *testing.T) {
	busy := &platforms.Error{Class: platforms.Transient, Status: 503, Reason: "server busy"}
	h := newHarness(t, sandbox.Fault{Err: busy})
	post, d := h.queue(store.Post{Body: "scones"}, t0)
	h.start()

	e := h.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
	// The first retry waits MinBackoff, spread over its upper half.
	if e.RetryAt.Before(t0.Add(30*time.Second)) || e.RetryAt.After(t0.Add(time.Minute)) {
		t.Fatalf("retry at %v, want between 30s and 1m after %v", e.RetryAt, t0)
	}
	if !strings.Contains(e.Err, "server busy (HTTP 503)") || e.PostID != post {
		t.Fatalf("retry event = %+v", e)
	}
	got := h.delivery(d.ID)
	if got.State != store.DeliveryQueued || got.Attempts != 1 || !got.NextAttemptAt.Equal(e.RetryAt) ||
		!strings.Contains(got.LastError, "server busy") {
		t.Fatalf("delivery after a transient error = %+v", got)
	}

	h.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
	h.clock.Set(e.RetryAt.Add(-time.Millisecond))
	h.clock.waitTimer(t, e.RetryAt) // still asleep until then
	if len(h.received()) != 0 {
		t.Fatal("retried before the backoff was over")
	}
	h.clock.Set(e.RetryAt)
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	rec := h.received()
	if len(rec) != 1 || !rec[0].ReceivedAt.Equal(e.RetryAt) {
		t.Fatalf("received %+v, want one post at the retry time %v", rec, e.RetryAt)
	}
	if got := h.delivery(d.ID); got.Attempts != 2 || got.LastError != "" {
		t.Fatalf("delivery after the retry = %+v", got)
	}
	// Before the retry the network was asked whether the first try landed.
	if h.net.Reconciles() != 1 || h.net.Publishes() != 2 {
		t.Fatalf("%d reconciles, %d publishes; want 1 and 2", h.net.Reconciles(), h.net.Publishes())
	}
}

func TestBackoffGrowsUpToMax(t *testing.T) {
	s := New(Options{MinBackoff: time.Second, MaxBackoff: 10 * time.Second})
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second,
		4: 8 * time.Second, 5: 10 * time.Second, 60: 10 * time.Second} {
		for range 50 {
			if got := s.backoff(attempt); got < want/2 || got > want {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, got, want/2, want)
			}
		}
	}
}

func TestRateLimitRetriesWhenTheServerSays(t *testing.T) {
	retryAt := t0.Add(7 * time.Minute)
	limited := &platforms.Error{Class: platforms.RateLimited, Status: 429, Reason: "too many requests", RetryAt: retryAt}
	h := newHarness(t, sandbox.Fault{Err: limited})
	_, d := h.queue(store.Post{Body: "x"}, t0)
	h.start()

	e := h.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
	if !e.RetryAt.Equal(retryAt) {
		t.Fatalf("retry at %v, want the server's %v", e.RetryAt, retryAt)
	}
	h.clock.waitTimer(t, retryAt.Add(-store.ClaimAhead))
	h.clock.Set(retryAt)
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
}

func TestPermanentErrorFailsWithTheServersReason(t *testing.T) {
	refused := &platforms.Error{Class: platforms.Permanent, Status: 422, Reason: "Validation failed: Text is too long"}
	revoked := &platforms.Error{Class: platforms.Permanent, Status: 401, Reason: "The access token was revoked", Reauth: true}
	h := newHarness(t, sandbox.Fault{Err: refused}, sandbox.Fault{Err: revoked})
	// The hour this test lets pass in one step reads, to the scheduler, as
	// a computer that slept through it (no heartbeat ran); with the policy
	// "send" that holds nothing back, and the posts wait for the sign-in
	// alone.
	h.opts.MissedPolicy = PolicySend
	post1, d1 := h.queue(store.Post{Body: "one"}, t0)
	_, d2 := h.queue(store.Post{Body: "two"}, t0.Add(time.Second))
	h.start()

	e := h.waitEvent(EventFailed, d1.ID, EventSent, EventRetrying)
	want := "Validation failed: Text is too long (HTTP 422)"
	if e.Err != want || e.PostID != post1 || e.Status.LastError != want {
		t.Fatalf("failed event = %+v, want the reason %q", e, want)
	}
	if got := h.delivery(d1.ID); got.State != store.DeliveryFailed || got.LastError != want {
		t.Fatalf("delivery = %+v", got)
	}
	if s := h.postState(post1); s != store.PostFailed {
		t.Fatalf("post = %s, want failed", s)
	}

	// A revoked token is not the post's fault: the account is flagged and
	// its posts wait, neither failed nor retried, until it signs in again.
	_, d3 := h.queue(store.Post{Body: "three"}, t0.Add(2*time.Second))
	h.clock.waitTimer(t, t0.Add(time.Second))
	h.clock.Set(t0.Add(time.Second))
	e = h.waitEvent(EventNeedsReauth, d2.ID, EventSent, EventRetrying, EventFailed)
	if !strings.Contains(e.Err, "sign in to bakery again: The access token was revoked (HTTP 401)") {
		t.Fatalf("reauth event = %+v", e)
	}
	a, err := h.st.Account(context.Background(), h.acct)
	if err != nil || !a.NeedsReauth {
		t.Fatalf("account after a revoked token = %+v, %v, want needs reauth", a, err)
	}
	if got := h.delivery(d2.ID); got.State != store.DeliveryQueued || !got.NextAttemptAt.IsZero() {
		t.Fatalf("delivery of the account needing reauth = %+v, want queued at its due time", got)
	}
	// Nothing of the account is due: the scheduler sleeps until woken.
	h.waitStatus("nothing next while the account needs reauth", func(st Status) bool { return st.NextDueAt.IsZero() })
	h.clock.Set(t0.Add(time.Hour))
	if len(h.received()) != 0 || h.delivery(d3.ID).State != store.DeliveryQueued {
		t.Fatal("a post of an account needing reauth went out")
	}

	// The user signs in again; the UI clears the flag and wakes the scheduler.
	if err := h.st.SetNeedsReauth(context.Background(), h.acct, false); err != nil {
		t.Fatal(err)
	}
	h.sched.Wake()
	h.waitEvent(EventSent, d2.ID, EventFailed, EventNeedsReauth)
	h.waitEvent(EventSent, d3.ID, EventFailed, EventNeedsReauth)
	if got := h.received(); len(got) != 2 {
		t.Fatalf("received %+v, want the two waiting posts", got)
	}
}

func TestUnknownOutcomeIsReconciledNotResent(t *testing.T) {
	lost := &platforms.Error{Class: platforms.UnknownOutcome, Reason: "connection reset"}
	h := newHarness(t, sandbox.Fault{Err: lost, Landed: true})
	_, d := h.queue(store.Post{Body: "maybe sent"}, t0)
	h.start()

	e := h.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
	if got := h.delivery(d.ID); got.State != store.DeliveryUnknown || !got.NextAttemptAt.Equal(e.RetryAt) {
		t.Fatalf("delivery after an unknown outcome = %+v", got)
	}
	h.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
	h.clock.Set(e.RetryAt)
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)

	rec := h.received()
	if len(rec) != 1 {
		t.Fatalf("the sandbox has %d posts, want 1", len(rec))
	}
	got := h.delivery(d.ID)
	if got.State != store.DeliverySent || got.RemoteID != fmt.Sprintf("sandbox:%d", rec[0].ID) || !got.SentAt.Equal(t0) {
		t.Fatalf("delivery = %+v, want sent at the time the sandbox got it", got)
	}
	if h.net.Publishes() != 1 || h.net.Reconciles() != 1 {
		t.Fatalf("%d publishes, %d reconciles; want 1 and 1", h.net.Publishes(), h.net.Reconciles())
	}
}

func TestStartupReconcilesWhatACrashLeftInFlight(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	// A previous run claimed three deliveries and died: one had reached the
	// network, two had not; one of those is long overdue.
	_, landed := h.queue(store.Post{Body: "landed"}, t0.Add(-time.Minute))
	_, recent := h.queue(store.Post{Body: "not landed, recent"}, t0.Add(-time.Minute))
	oldPost, old := h.queue(store.Post{Body: "not landed, old"}, t0.Add(-3*time.Hour))
	for _, d := range []store.Delivery{landed, recent, old} {
		if ok, err := h.st.ClaimDelivery(ctx, d.ID, t0.Add(-time.Minute)); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	if _, err := h.st.RecordSandboxPost(ctx, sandboxAccount, landed.IdempotencyKey, "landed", "", 0, t0.Add(-50*time.Second)); err != nil {
		t.Fatal(err)
	}
	h.start()

	h.waitEvent(EventSent, landed.ID, EventFailed)
	if e := h.waitEvent(EventMissed, 0, EventFailed); e.Count != 1 {
		t.Fatalf("missed = %d, want 1", e.Count)
	}
	h.waitEvent(EventSent, recent.ID, EventFailed)

	if got := h.delivery(landed.ID); got.State != store.DeliverySent || !got.SentAt.Equal(t0.Add(-50*time.Second)) {
		t.Fatalf("landed delivery = %+v", got)
	}
	if got := h.delivery(old.ID); got.State != store.DeliveryMissed {
		t.Fatalf("old delivery = %+v, want missed (it was not on the network and is 3h late)", got)
	}
	if s := h.postState(oldPost); s != store.PostMissed {
		t.Fatalf("old post = %s", s)
	}
	if rec := h.received(); len(rec) != 2 {
		t.Fatalf("the sandbox has %d posts, want 2 (the landed one was not sent again)", len(rec))
	}
	if h.net.Publishes() != 1 {
		t.Fatalf("%d publishes, want 1", h.net.Publishes())
	}
}

func TestMissedPolicyAtStartup(t *testing.T) {
	for _, c := range []struct {
		policy     string
		missed     int
		sentRecent bool
		sentOld    bool
	}{
		{PolicyGrace, 1, true, false},
		{PolicySend, 0, true, true},
		{PolicySkip, 2, false, false},
	} {
		t.Run(c.policy, func(t *testing.T) {
			h := newHarness(t)
			h.opts.MissedPolicy = c.policy
			h.opts.MissedGrace = 15 * time.Minute
			oldPost, old := h.queue(store.Post{Body: "two hours late"}, t0.Add(-2*time.Hour))
			_, recent := h.queue(store.Post{Body: "five minutes late"}, t0.Add(-5*time.Minute))
			h.start()

			if c.missed > 0 {
				if e := h.waitEvent(EventMissed, 0, EventSent); e.Count != c.missed {
					t.Fatalf("missed %d, want %d", e.Count, c.missed)
				}
			}
			for _, x := range []struct {
				d    store.Delivery
				sent bool
			}{{old, c.sentOld}, {recent, c.sentRecent}} {
				if x.sent {
					h.waitEvent(EventSent, x.d.ID, EventFailed, EventMissed)
				}
			}
			for _, x := range []struct {
				d    store.Delivery
				sent bool
			}{{old, c.sentOld}, {recent, c.sentRecent}} {
				got := h.delivery(x.d.ID)
				if x.sent && got.State != store.DeliverySent || !x.sent && got.State != store.DeliveryMissed {
					t.Errorf("delivery %d due %v: %s", x.d.ID, x.d.DueAt, got.State)
				}
			}

			// The user chooses to send a missed post after all.
			if !c.sentOld {
				if err := h.st.SendMissedNow(context.Background(), oldPost, h.clock.Now()); err != nil {
					t.Fatal(err)
				}
				h.sched.Wake()
				h.waitEvent(EventSent, old.ID, EventFailed)
			}
		})
	}
}

func TestAccountWithoutNetworkFails(t *testing.T) {
	h := newHarness(t)
	ghost := h.account(store.PlatformMastodon, "@ghost@example.social")
	post, d := h.queue(store.Post{Body: "x", Targets: []store.Target{{AccountID: ghost}}}, t0)
	h.start()

	e := h.waitEvent(EventFailed, d.ID, EventSent, EventRetrying)
	// The crier that sends says it is the one without the account: the
	// config the person looks at may well list it (another crier's).
	if !strings.Contains(e.Err, "no network is set up for account @ghost@example.social (mastodon)") || e.AccountID != ghost ||
		!strings.Contains(e.Err, "in the crier that sends ("+h.sched.o.Holder.String()+")") {
		t.Fatalf("failed event = %+v", e)
	}
	if got := h.delivery(d.ID); got.State != store.DeliveryFailed || got.LastError != e.Err {
		t.Fatalf("delivery = %+v", got)
	}
	if s := h.postState(post); s != store.PostFailed {
		t.Fatalf("post = %s", s)
	}
}

// An account added since crier started (crier login in another terminal)
// has no network in Options.Networks: Resolve sets it up, reading the
// config again, and its post goes out; an account the config cannot use
// fails with what Resolve said.
func TestAccountAddedSinceTheStartIsSetUpWhenItsPostIsDue(t *testing.T) {
	h := newHarness(t)
	added := h.account(store.PlatformSandbox, "newshop")
	broken := h.account(store.PlatformMastodon, "@broken@example.social")
	net := sandbox.New("newshop", h.st, sandbox.WithClock(h.clock.Now))
	var asked []int64
	h.opts.Resolve = func(_ context.Context, id int64) (platforms.Network, error) {
		asked = append(asked, id) // (called by one worker at a time)
		switch id {
		case added:
			return net, nil
		case broken:
			return nil, errors.New("account @broken@example.social: its token is in $BROKEN_TOKEN, which is not set")
		}
		return nil, nil
	}
	_, d := h.queue(store.Post{Body: "hello from the new shop", Targets: []store.Target{{AccountID: added}}}, t0)
	_, d2 := h.queue(store.Post{Body: "second", Targets: []store.Target{{AccountID: added}}}, t0.Add(time.Second))
	_, bad := h.queue(store.Post{Body: "x", Targets: []store.Target{{AccountID: broken}}}, t0)
	h.start()

	// The first post sent, and the broken account's failed, in either order.
	seen := map[EventKind]bool{}
	for deadline := time.After(10 * time.Second); !seen[EventSent] || !seen[EventFailed]; {
		select {
		case e := <-h.events:
			switch {
			case e.Kind == EventSent && e.DeliveryID == d.ID, e.Kind == EventFailed && e.DeliveryID == bad.ID:
				seen[e.Kind] = true
			case e.Kind == EventFailed, e.Kind == EventRetrying:
				t.Fatalf("unexpected %+v", e)
			}
		case <-deadline:
			t.Fatalf("saw only %v", seen)
		}
	}
	h.clock.Set(t0.Add(time.Second))
	h.waitEvent(EventSent, d2.ID, EventFailed, EventRetrying)
	got, err := h.st.SandboxPosts(context.Background(), "newshop")
	if err != nil || len(got) != 2 || got[0].Body != "hello from the new shop" {
		t.Fatalf("the new account's sandbox got %+v (%v)", got, err)
	}
	if n := net.Publishes(); n != 2 {
		t.Fatalf("%d publishes through the network Resolve set up, want 2", n)
	}
	if e := h.delivery(bad.ID); e.State != store.DeliveryFailed ||
		!strings.Contains(e.LastError, "no network is set up for account @broken@example.social (mastodon)") ||
		!strings.Contains(e.LastError, "its token is in $BROKEN_TOKEN, which is not set") {
		t.Fatalf("the broken account's delivery = %+v", e)
	}
	h.stop()
	n := 0
	for _, id := range asked {
		if id == added {
			n++
		}
	}
	if n != 1 {
		t.Errorf("Resolve was asked %d times for the new account, want once (the network is kept)", n)
	}
}

// A config that cannot be read just as an added account's post is due (an
// editor caught half way through saving it) holds the post back to be
// tried again, rather than failing it for good.
func TestAnAddedAccountsPostWaitsOutAConfigCaughtHalfSaved(t *testing.T) {
	h := newHarness(t)
	added := h.account(store.PlatformSandbox, "newshop")
	net := sandbox.New("newshop", h.st, sandbox.WithClock(h.clock.Now))
	var mu sync.Mutex
	readable := false
	h.opts.Resolve = func(_ context.Context, id int64) (platforms.Network, error) {
		mu.Lock()
		defer mu.Unlock()
		if !readable {
			return nil, &platforms.Error{Class: platforms.Transient, Reason: "reading the config again: not valid YAML: line 4"}
		}
		return net, nil
	}
	_, d := h.queue(store.Post{Body: "hello from the new shop", Targets: []store.Target{{AccountID: added}}}, t0)
	h.start()

	e := h.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
	if !strings.Contains(e.Err, "setting up account newshop") || !strings.Contains(e.Err, "not valid YAML: line 4") ||
		!strings.Contains(e.Err, "crier will try again") {
		t.Fatalf("retry event = %+v", e)
	}
	if got := h.delivery(d.ID); got.State != store.DeliveryQueued {
		t.Fatalf("delivery after the config could not be read = %+v", got)
	}
	mu.Lock()
	readable = true
	mu.Unlock()
	h.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
	h.clock.Set(e.RetryAt)
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	if n := net.Publishes(); n != 1 {
		t.Fatalf("%d publishes, want 1", n)
	}
}

func TestThreadGoesOutInOrder(t *testing.T) {
	h := newHarness(t)
	first, d1 := h.queue(store.Post{Body: "1/2"}, t0)
	_, d2 := h.queue(store.Post{Body: "2/2", ThreadParent: first}, t0)
	h.start()
	h.waitEvent(EventSent, d1.ID, EventFailed)
	h.waitEvent(EventSent, d2.ID, EventFailed)
	rec := h.received()
	if len(rec) != 2 || rec[0].Body != "1/2" || rec[1].ReplyTo != fmt.Sprintf("sandbox:%d", rec[0].ID) {
		t.Fatalf("received %+v, want 2/2 as a reply to 1/2", rec)
	}
}

func TestRunStopsOnCancelAndReportsIt(t *testing.T) {
	h := newHarness(t)
	h.start()
	for e := h.waitEvent(EventState, 0); !e.Status.Running; e = h.waitEvent(EventState, 0) {
	}
	h.stop()
	var last Event
	for len(h.events) > 0 {
		last = <-h.events
	}
	if last.Status.Running || h.sched.Status().Running {
		t.Fatalf("last event %+v, status %+v: want not running", last, h.sched.Status())
	}
}

// TestSlowReaderNeverBlocksSending sends with nobody reading events, then
// checks the reader still gets the newest status.
func TestSlowReaderNeverBlocksSending(t *testing.T) {
	h := newHarness(t)
	events := make(chan Event) // unbuffered, and nobody reads it yet
	h.opts.Events = events
	var ds []store.Delivery
	for i := range 5 {
		_, d := h.queue(store.Post{Body: fmt.Sprint("post ", i)}, t0)
		ds = append(ds, d)
	}
	h.queue(store.Post{Body: "later"}, t0.Add(time.Hour))
	h.start()

	h.clock.waitTimer(t, t0.Add(time.Hour).Add(-store.ClaimAhead)) // everything due went out, and it sleeps
	for _, d := range ds {
		if got := h.delivery(d.ID); got.State != store.DeliverySent {
			t.Fatalf("delivery %d is %s with no event reader", d.ID, got.State)
		}
	}
	// Whatever was dropped, the reader ends on the newest status.
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Status.NextDueAt.Equal(t0.Add(time.Hour)) {
				return
			}
		case <-deadline:
			t.Fatal("the reader never got the newest status")
		}
	}
}

func TestOutboxKeepsTheNewest(t *testing.T) {
	var o outbox
	o.ready = make(chan struct{}, 1)
	for i := range 3 * maxQueued {
		o.push(Event{Count: i})
	}
	first, _ := o.take(false)
	if first.Count != 2*maxQueued {
		t.Fatalf("oldest kept = %d, want %d", first.Count, 2*maxQueued)
	}
	last, _ := o.take(true)
	if last.Count != 3*maxQueued-1 {
		t.Fatalf("newest = %d", last.Count)
	}
	if _, ok := o.take(false); ok {
		t.Fatal("take(true) left events behind")
	}
}

func TestRunRefusesABadPolicy(t *testing.T) {
	h := newHarness(t)
	h.opts.MissedPolicy = "later"
	if err := New(h.opts).Run(context.Background()); err == nil || !strings.Contains(err.Error(), `"later"`) {
		t.Fatalf("Run = %v", err)
	}
}

// panicky is a network whose code has a bug.
type panicky struct{ *sandbox.Network }

func (panicky) Publish(context.Context, platforms.Post) (platforms.Published, error) {
	panic("nil map")
}

func TestPanicInANetworkLeavesTheOutcomeUnknown(t *testing.T) {
	h := newHarness(t)
	h.opts.Networks = map[int64]platforms.Network{h.acct: panicky{h.net}}
	_, d := h.queue(store.Post{Body: "x"}, t0)
	h.start()
	e := h.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
	if !strings.Contains(e.Err, "network code crashed while publishing: nil map") {
		t.Fatalf("retry event = %+v", e)
	}
	if got := h.delivery(d.ID); got.State != store.DeliveryUnknown {
		t.Fatalf("delivery = %+v, want unknown", got)
	}
}
