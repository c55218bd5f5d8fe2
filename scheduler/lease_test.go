package scheduler

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

const testTTL = 30 * time.Second

// peer is one crier process on a shared database file: its own store
// handle, its own sandbox client (counting its own publishes) and scheduler.
type peer struct {
	name   string
	st     *store.Store
	net    *sandbox.Network
	sched  *Scheduler
	events chan Event
	cancel context.CancelFunc
	done   chan error
}

func startPeer(t *testing.T, path string, clock *fakeClock, acct int64, name string) *peer {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := &peer{name: name, st: st, events: make(chan Event, 4096), done: make(chan error, 1)}
	p.net = sandbox.New(sandboxAccount, st, sandbox.WithClock(clock.Now))
	p.sched = New(Options{
		Store:      st,
		Networks:   map[int64]platforms.Network{acct: p.net},
		Now:        clock.Now,
		Timer:      clock.Timer,
		Events:     p.events,
		MinBackoff: time.Minute,
		MaxSleep:   time.Hour,
		LeaseTTL:   testTTL,
		Holder:     store.LeaseHolder{ID: name, Host: name + "-host", PID: len(name)},
		Log:        log.New(testWriter{t, name}, "", 0),
	})
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() { p.done <- p.sched.Run(ctx) }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// lookedAsOf reports whether p has done what the lease as of now makes
// it do: it holds the lease, or it has looked at it and sleeps until a
// later look.
func (p *peer) lookedAsOf(t *testing.T, now time.Time) bool {
	return p.sched.nextLook.Load() > now.UnixNano() || leaseHolder(t, p.st) == p.name
}

// stop ends the peer's Run; once stopped, stopping again does nothing.
func (p *peer) stop(t *testing.T) {
	p.cancel()
	select {
	case err, ok := <-p.done:
		if ok && err != nil {
			t.Errorf("%s: Run = %v", p.name, err)
		}
		if ok {
			close(p.done)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: Run did not return", p.name)
	}
}

// kill ends the peer like SIGKILL would: no release of the lease.
func (p *peer) kill(t *testing.T) {
	p.sched.abandon = true
	p.stop(t)
}

// leaseHolder is the id of who holds the sender lease, "" for nobody.
func leaseHolder(t *testing.T, st *store.Store) string {
	t.Helper()
	info, held, err := st.Lease(context.Background(), store.SenderLease)
	if err != nil {
		t.Fatal(err)
	}
	if !held {
		return ""
	}
	return info.ID
}

// sharedQueue makes a database file with a sandbox account and n posts
// due from t0 one minute apart.
func sharedQueue(t *testing.T, n int) (path string, acct int64, ds []store.Delivery) {
	t.Helper()
	ctx := context.Background()
	path = storetest.Path(t)
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct, err = st.UpsertAccount(ctx, store.Account{Platform: store.PlatformSandbox, Handle: sandboxAccount})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		id, err := st.SaveDraft(ctx, store.Post{Body: fmt.Sprint("post ", i), Targets: []store.Target{{AccountID: acct}}}, t0.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.QueuePost(ctx, id, t0.Add(time.Duration(i)*time.Minute), "UTC", t0.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := st.PostDeliveries(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, got...)
	}
	return path, acct, ds
}

func allSent(t *testing.T, st *store.Store, ds []store.Delivery) bool {
	for _, d := range ds {
		got, err := st.Delivery(context.Background(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != store.DeliverySent {
			return false
		}
	}
	return true
}

// TestTwoSchedulersOneSender runs two schedulers on two handles of one
// database file: one takes the lease and sends everything, once; the other
// says who sends. Then the sender is killed without releasing the lease, and
// the other takes over within the lease's expiry and sends the rest.
func TestTwoSchedulersOneSender(t *testing.T) {
	path, acct, ds := sharedQueue(t, 10)
	clock := newFakeClock(t0)
	a := startPeer(t, path, clock, acct, "a")
	waitfor.Holds(t, 10*time.Second, "a to send", func() bool { return a.sched.Status().Sender })
	b := startPeer(t, path, clock, acct, "b")
	waitfor.Holds(t, 10*time.Second, "b to see a's lease", func() bool { return b.sched.Status().Holder == "crier on a-host (pid 1)" })
	if b.sched.Status().Sender {
		t.Fatal("both schedulers send")
	}

	// Walk the clock through the first five posts, in steps shorter than
	// the heartbeat, letting a's heartbeat keep up: the fake clock must not
	// run ahead of a goroutine the race detector slows down.
	for now := t0; now.Before(t0.Add(4*time.Minute + time.Second)); now = now.Add(5 * time.Second) {
		clock.Set(now)
		waitfor.Holds(t, 10*time.Second, "a's heartbeat", func() bool {
			info, _, err := a.st.Lease(context.Background(), store.SenderLease)
			return err == nil && info.ExpiresAt.After(now.Add(testTTL/2))
		})
	}
	waitfor.Holds(t, 10*time.Second, "the first five posts", func() bool { return allSent(t, a.st, ds[:5]) })
	if b.net.Publishes() != 0 || b.sched.Status().Sender {
		t.Fatalf("b published %d times while a held the lease", b.net.Publishes())
	}

	// a dies. Its lease runs out at most testTTL after its last heartbeat;
	// b tries every testTTL/2, so it sends within 1.5 × testTTL.
	info, _, err := a.st.Lease(context.Background(), store.SenderLease)
	if err != nil {
		t.Fatal(err)
	}
	a.kill(t)
	died := clock.Now()
	if info.ExpiresAt.After(died.Add(testTTL)) {
		t.Fatalf("lease expires at %v, more than the TTL after %v", info.ExpiresAt, died)
	}
	var tookOver time.Time
	for now := died; tookOver.IsZero(); now = now.Add(time.Second) {
		if now.After(info.ExpiresAt.Add(testTTL / 2)) {
			t.Fatalf("b had not taken over by %v; the lease expired at %v", now, info.ExpiresAt)
		}
		clock.Set(now)
		waitfor.Holds(t, 10*time.Second, "b's look at the lease", func() bool { return b.lookedAsOf(t, now) })
		if leaseHolder(t, b.st) == "b" {
			tookOver = now
		}
	}
	waitfor.Holds(t, 10*time.Second, "b saying it sends", func() bool { return b.sched.Status().Sender })
	if tookOver.Before(info.ExpiresAt) {
		t.Fatalf("b took over at %v, before the lease expired at %v", tookOver, info.ExpiresAt)
	}
	for now := tookOver; now.Before(t0.Add(10 * time.Minute)); now = now.Add(5 * time.Second) {
		clock.Set(now)
		waitfor.Holds(t, 10*time.Second, "b's heartbeat", func() bool {
			info, _, err := b.st.Lease(context.Background(), store.SenderLease)
			return err == nil && info.ExpiresAt.After(now.Add(testTTL/2))
		})
	}
	waitfor.Holds(t, 10*time.Second, "every post", func() bool { return allSent(t, b.st, ds) })

	// Exactly one publish per delivery between the two, and one post each.
	if pa, pb := a.net.Publishes(), b.net.Publishes(); pa+pb != len(ds) || pb == 0 {
		t.Fatalf("a published %d, b %d; want %d in all, some by b", pa, pb, len(ds))
	}
	rec, err := b.st.SandboxPosts(context.Background(), sandboxAccount)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec) != len(ds) {
		t.Fatalf("the sandbox has %d posts, want %d", len(rec), len(ds))
	}
}

// blockingNet is a sandbox whose Publish waits until released, as a slow
// network would.
type blockingNet struct {
	*sandbox.Network
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (n *blockingNet) Publish(ctx context.Context, p platforms.Post) (platforms.Published, error) {
	n.once.Do(func() { close(n.entered) })
	select {
	case <-n.release:
	case <-ctx.Done(): // a failed test cancels; it must not hang on the send
		return platforms.Published{}, &platforms.Error{Class: platforms.UnknownOutcome, Reason: "cancelled", Err: ctx.Err()}
	}
	return n.Network.Publish(ctx, p)
}

// TestNoRecoveryUnderALiveSender: a crier that starts while another is in
// the middle of a send must not take that send's row for abandoned.
func TestNoRecoveryUnderALiveSender(t *testing.T) {
	path, acct, ds := sharedQueue(t, 1)
	clock := newFakeClock(t0)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	slow := &blockingNet{Network: sandbox.New(sandboxAccount, st, sandbox.WithClock(clock.Now)),
		entered: make(chan struct{}), release: make(chan struct{})}
	a := New(Options{Store: st, Networks: map[int64]platforms.Network{acct: slow}, Now: clock.Now,
		Timer: clock.Timer, LeaseTTL: testTTL, Holder: store.LeaseHolder{ID: "a", Host: "a-host", PID: 1}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	<-slow.entered

	b := startPeer(t, path, clock, acct, "b")
	// The send takes a minute, during which a's heartbeat keeps its lease.
	for now := t0; now.Before(t0.Add(time.Minute)); now = now.Add(5 * time.Second) {
		clock.Set(now)
		// a's heartbeat keeps up with the clock before it moves on: the
		// fake clock must not outrun a goroutine a loaded machine is slow
		// to run.
		waitfor.Holds(t, 10*time.Second, "a's heartbeat", func() bool {
			info, _, err := st.Lease(context.Background(), store.SenderLease)
			return err == nil && info.ExpiresAt.After(now.Add(testTTL/2))
		})
		// b has had its look at the lease as of now.
		waitfor.Holds(t, 10*time.Second, "b's look at the lease", func() bool { return b.lookedAsOf(t, now) })
		if b.sched.Status().Sender || leaseHolder(t, b.st) != "a" {
			t.Fatalf("b took the lease of a live sender (held by %q)", leaseHolder(t, b.st))
		}
		if got, _ := b.st.Delivery(context.Background(), ds[0].ID); got.State != store.DeliverySending {
			t.Fatalf("the row a is sending became %s", got.State)
		}
	}
	close(slow.release)
	waitfor.Holds(t, 10*time.Second, "a's send", func() bool { return allSent(t, st, ds) })
	if b.net.Publishes() != 0 || b.net.Reconciles() != 0 {
		t.Fatalf("b published %d and reconciled %d", b.net.Publishes(), b.net.Reconciles())
	}
}

// TestLosingTheLeaseStopsSending: when another process takes the lease
// over (here: the row is rewritten, as after a heartbeat that could not
// write), the scheduler stops claiming at once and says who sends.
func TestLosingTheLeaseStopsSending(t *testing.T) {
	h := newHarness(t)
	h.opts.LeaseTTL = testTTL
	h.start()
	h.waitStatus("sending", func(st Status) bool { return st.Sender })

	thief := store.LeaseHolder{ID: "thief", Host: "other-host", PID: 99}
	if _, err := h.st.DB().Exec("UPDATE leases SET holder = ?, host = ?, pid = ?, expires_at = ? WHERE name = ?",
		thief.ID, thief.Host, thief.PID, t0.Add(time.Hour).UnixMilli(), store.SenderLease); err != nil {
		t.Fatal(err)
	}
	_, d := h.queue(store.Post{Body: "not ours to send"}, t0)
	h.sched.Wake() // the claim finds the lease gone
	h.waitStatus("another holder", func(st Status) bool {
		return !st.Sender && st.Holder == "crier on other-host (pid 99)"
	})
	if got := h.delivery(d.ID); got.State != store.DeliveryQueued || len(h.received()) != 0 {
		t.Fatalf("delivery = %+v after losing the lease", got)
	}
	// The heartbeat finds out too, without a claim.
	h2 := newHarness(t)
	h2.opts.LeaseTTL = testTTL
	h2.start()
	h2.waitStatus("sending", func(st Status) bool { return st.Sender })
	if _, err := h2.st.DB().Exec("UPDATE leases SET holder = 'thief', expires_at = ?", t0.Add(time.Hour).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	h2.clock.waitTimer(t, t0.Add(testTTL/3)) // the next heartbeat
	h2.clock.Set(t0.Add(testTTL / 3))
	h2.waitStatus("not sending", func(st Status) bool { return !st.Sender })
	if e := h2.sched.Status().LastError; e == "" {
		t.Fatal("no reason given for stopping")
	}
}

// testWriter sends a scheduler's log to the test's.
type testWriter struct {
	t    *testing.T
	name string
}

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s: %s", w.name, p)
	return len(p), nil
}

// TestDeadHolderOnThisMachineIsTakenOverAtOnce: after a crier on this
// machine was killed, the next one need not wait for its lease to expire.
func TestDeadHolderOnThisMachineIsTakenOverAtOnce(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	me := store.NewLeaseHolder()
	dead := store.LeaseHolder{ID: "killed", Host: me.Host, PID: cmd.Process.Pid}
	if processAlive(dead.PID) {
		t.Skipf("pid %d was reused already", dead.PID)
	}
	h := newHarness(t)
	if _, _, err := h.st.AcquireLease(context.Background(), store.SenderLease, dead, t0, time.Hour); err != nil {
		t.Fatal(err)
	}
	_, d := h.queue(store.Post{Body: "after the crash"}, t0)
	h.start()
	h.waitEvent(EventSent, d.ID, EventFailed)

	// A live holder elsewhere is waited for.
	h2 := newHarness(t)
	other := store.LeaseHolder{ID: "other", Host: me.Host + "-elsewhere", PID: cmd.Process.Pid}
	if _, _, err := h2.st.AcquireLease(context.Background(), store.SenderLease, other, t0, time.Hour); err != nil {
		t.Fatal(err)
	}
	h2.start()
	h2.waitStatus("waiting for the other host", func(st Status) bool { return st.Holder != "" })
	if h2.sched.Status().Sender {
		t.Fatal("took a lease from another machine's live holder")
	}
}

// A killed process its parent has not reaped yet (a zombie) is gone: it
// sends nothing more, so its lease need not be waited out.
func TestZombieHolderIsGone(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	pid := cmd.Process.Pid
	if !processAlive(pid) {
		t.Fatal("a running process reads as gone")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// Only the process table tells when the kill has landed.
	waitfor.Holds(t, 5*time.Second, "the killed, unreaped process reading as gone", func() bool { return !processAlive(pid) })
	cmd.Wait()
}

// TestTakingTheLeaseAgainClearsWhyItStopped: a crier that stopped sending
// (its lease taken, or the database locked while it asked) says so; once
// the lease is its own again, the status no longer says it, though
// nothing was sent since.
func TestTakingTheLeaseAgainClearsWhyItStopped(t *testing.T) {
	h := newHarness(t)
	h.opts.LeaseTTL = testTTL
	h.start()
	h.waitStatus("sending", func(st Status) bool { return st.Sender })
	if _, err := h.st.DB().Exec("UPDATE leases SET holder = 'thief', expires_at = ?", t0.Add(time.Minute).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	h.clock.waitTimer(t, t0.Add(testTTL/3)) // the next heartbeat
	h.clock.Set(t0.Add(testTTL / 3))
	h.waitStatus("not sending, saying why", func(st Status) bool { return !st.Sender && st.LastError != "" })

	// The thief's lease runs out; the next look takes it.
	h.clock.Set(t0.Add(time.Minute + time.Second))
	h.sched.Wake()
	h.waitStatus("sending again, with nothing left to say", func(st Status) bool { return st.Sender && st.LastError == "" })
}
