package scheduler

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
)

// telling is the sandbox with a word each time a publish begins, before
// the sandbox writes anything.
type telling struct {
	*sandbox.Network
	publishing chan string
}

func (n telling) Publish(ctx context.Context, p platforms.Post) (platforms.Published, error) {
	n.publishing <- p.Text
	return n.Network.Publish(ctx, p)
}

// holdWriteLock takes the database's write lock from a connection of its
// own, as a sqlite3 shell with a transaction open does, until unlock. It
// waits for a write of the scheduler's under way (a sync's) to end first.
func holdWriteLock(t *testing.T, path string) (unlock func()) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	done := false
	unlock = func() {
		if !done {
			done = true
			conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
			db.Close()
		}
	}
	t.Cleanup(unlock)
	return unlock
}

// A post is claimed ClaimAhead before its time and sent at its time, so
// another program holding the write lock at that time does not make it
// late: the claim, the one write before the send, is made already.
func TestAWriteLockHeldAtAPostsTimeDoesNotDelayIt(t *testing.T) {
	h := newHarness(t)
	net := telling{h.net, make(chan string, 4)}
	h.opts.Networks = map[int64]platforms.Network{h.acct: net}
	due := t0.Add(time.Hour)
	post, d := h.queue(store.Post{Body: "bagels at noon"}, due)
	h.queue(store.Post{Body: "later"}, due.Add(time.Hour))
	h.start()

	claimAt := due.Add(-store.ClaimAhead)
	h.clock.waitTimer(t, claimAt) // asleep until it is to be claimed
	h.clock.Set(claimAt)
	h.clock.waitTimer(t, due) // claimed, waiting for its time
	if got := h.delivery(d.ID); got.State != store.DeliverySending || got.Attempts != 1 {
		t.Fatalf("delivery before its time = %+v, want claimed (sending, one attempt)", got)
	}
	// Claimed, it is still the next post to go out (the status bar says).
	if st := h.sched.Status(); !st.NextDueAt.Equal(due) || st.NextPost != post {
		t.Fatalf("status while it waits for its time: next post %d at %v, want %d at %v", st.NextPost, st.NextDueAt, post, due)
	}
	if len(h.received()) != 0 {
		t.Fatal("sent before its time")
	}

	unlock := holdWriteLock(t, h.st.Path())
	h.clock.Set(due)
	select {
	case text := <-net.publishing:
		if text != "bagels at noon" {
			t.Fatalf("published %q", text)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the post was not sent at its time while another program held the write lock")
	}
	unlock()
	h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	if got := h.received(); len(got) != 1 || !got[0].ReceivedAt.Equal(due) {
		t.Fatalf("received %+v, want the post once at %v", got, due)
	}
}

// A claim made ahead gives way: crier stopping before the post's time
// puts it back in the queue as it was (no attempt counted, so the next
// crier sends it without asking the network first), and a post queued
// meanwhile for an earlier time goes out first.
func TestAClaimAheadIsGivenBackUnsent(t *testing.T) {
	// claimedAhead is a running scheduler that has claimed a post, due at
	// due, a second before its time.
	claimedAhead := func(t *testing.T, body string) (h *harness, d store.Delivery, due time.Time) {
		h = newHarness(t)
		due = t0.Add(time.Hour)
		_, d = h.queue(store.Post{Body: body}, due)
		h.clock.Set(due.Add(-time.Second))
		h.start()
		h.clock.waitTimer(t, due)
		return h, d, due
	}
	t.Run("crier stops before its time", func(t *testing.T) {
		h, d, _ := claimedAhead(t, "closing early today")
		if got := h.delivery(d.ID); got.State != store.DeliverySending {
			t.Fatalf("delivery = %+v, want claimed", got)
		}
		h.stop()
		got := h.delivery(d.ID)
		if got.State != store.DeliveryQueued || got.Attempts != 0 || !got.FirstAttemptAt.IsZero() || got.LastError != "" {
			t.Fatalf("after a stop before its time the delivery = %+v, want queued as before its claim", got)
		}
		if len(h.received()) != 0 {
			t.Fatal("sent before its time")
		}
	})

	t.Run("an earlier post is queued meanwhile", func(t *testing.T) {
		h, late, due := claimedAhead(t, "the later one")
		_, early := h.queue(store.Post{Body: "the earlier one"}, due.Add(-500*time.Millisecond))
		h.sched.Wake()
		h.clock.waitTimer(t, due.Add(-500*time.Millisecond)) // the earlier one claimed in its place
		if got := h.delivery(late.ID); got.State != store.DeliveryQueued || got.Attempts != 0 {
			t.Fatalf("the later post = %+v, want given back to the queue", got)
		}
		h.clock.Set(due.Add(-500 * time.Millisecond))
		h.waitEvent(EventSent, early.ID, EventFailed, EventRetrying)
		h.clock.Set(due)
		h.waitEvent(EventSent, late.ID, EventFailed, EventRetrying)
		got := h.received()
		if len(got) != 2 || got[0].Body != "the earlier one" || got[1].Body != "the later one" ||
			!got[0].ReceivedAt.Equal(due.Add(-500*time.Millisecond)) || !got[1].ReceivedAt.Equal(due) {
			t.Fatalf("received %+v, want the earlier post then the later, each at its time", got)
		}
	})
}

// preparing is the sandbox as a network that prepares posts ahead
// (platforms.Preparer): it notes when each was prepared, and what each
// publish was given.
type preparing struct {
	*sandbox.Network
	clock     *fakeClock
	fail      bool
	prepared  chan time.Time
	publishes chan platforms.Post
}

func (n preparing) Prepare(ctx context.Context, p platforms.Post) (platforms.Post, error) {
	n.prepared <- n.clock.Now()
	if n.fail {
		return p, &platforms.Error{Class: platforms.Transient, Reason: "upload refused"}
	}
	p.Prepared = "blobs for " + p.Text
	return p, nil
}

func (n preparing) Publish(ctx context.Context, p platforms.Post) (platforms.Published, error) {
	n.publishes <- p
	return n.Network.Publish(ctx, p)
}

// The slow part of sending a post (uploading its photos) is done between
// its claim and its time, on a network that can, so that at its time only
// the write is left; a post that could not be prepared goes out whole.
func TestAPostIsPreparedBeforeItsTime(t *testing.T) {
	for _, fail := range []bool{false, true} {
		h := newHarness(t)
		net := preparing{Network: h.net, clock: h.clock, fail: fail, prepared: make(chan time.Time, 4), publishes: make(chan platforms.Post, 4)}
		h.opts.Networks = map[int64]platforms.Network{h.acct: net}
		due := t0.Add(time.Hour)
		_, d := h.queue(store.Post{Body: "photos of the new rye"}, due)
		h.start()

		claimAt := due.Add(-store.ClaimAhead)
		h.clock.waitTimer(t, claimAt)
		h.clock.Set(claimAt)
		h.clock.waitTimer(t, due) // claimed, prepared, waiting for its time
		select {
		case at := <-net.prepared:
			if !at.Equal(claimAt) {
				t.Fatalf("prepared at %v, want at its claim %v", at, claimAt)
			}
		default:
			t.Fatal("not prepared before its time")
		}
		if len(net.publishes) != 0 {
			t.Fatal("published before its time")
		}
		h.clock.Set(due)
		h.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
		p := <-net.publishes
		want := any("blobs for photos of the new rye")
		if fail {
			want = nil
		}
		if p.Prepared != want {
			t.Fatalf("published with Prepared = %v, want %v (failed to prepare: %v)", p.Prepared, want, fail)
		}
		h.stop()
	}
}
