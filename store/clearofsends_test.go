package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

// stepClock reads schedT0+from and moves on by step at each reading.
func stepClock(from, step time.Duration) func() time.Time {
	var mu sync.Mutex
	at := schedT0.Add(from)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := at
		at = at.Add(step)
		return t
	}
}

// TestClearOfSendsWaitsForAPostDueDuringTheWrite: a post due a second into
// a ten-second write is waited for until a sender has claimed it; a post
// due after the write, and one long overdue that no sender takes, are not.
func TestClearOfSendsWaitsForAPostDueDuringTheWrite(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	_, ds := queueTestPost(t, st, Post{Body: "out at nine", Targets: targets(a)}, schedT0)

	var waited []time.Time
	claimed := make(chan error, 1)
	err := st.ClearOfSends(ctx, 10*time.Second, stepClock(-time.Second, 10*time.Millisecond), func(due time.Time) {
		waited = append(waited, due)
		go func() {
			_, err := st.ClaimDelivery(ctx, ds[0].ID, schedT0)
			claimed <- err
		}()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(waited) != 1 || !waited[0].Equal(schedT0) {
		t.Fatalf("waited for %v; want the post due at %v, once", waited, schedT0)
	}
	// Read before hearing from the claim: ClearOfSends has returned, so
	// the claim must already be written.
	d, err := st.Delivery(ctx, ds[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-claimed; err != nil {
		t.Fatal(err)
	}
	if d.State != DeliverySending {
		t.Fatalf("the write went ahead with the post %s: it must wait until a sender has claimed it", d.State)
	}

	// Due after the write and its margin: no wait.
	queueTestPost(t, st, Post{Body: "out at ten", Targets: targets(a)}, schedT0.Add(time.Hour))
	waited = nil
	if err := st.ClearOfSends(ctx, 10*time.Second, stepClock(0, 10*time.Millisecond), func(due time.Time) { waited = append(waited, due) }); err != nil || len(waited) > 0 {
		t.Fatalf("ClearOfSends = %v, waited for %v; nothing falls due in the write", err, waited)
	}

	// Still queued past its time and the grace: no sender takes it, so
	// the write stops waiting for it.
	waited = nil
	err = st.ClearOfSends(ctx, 10*time.Second, stepClock(time.Hour-time.Second, time.Second), func(due time.Time) { waited = append(waited, due) })
	if err != nil || len(waited) != 1 {
		t.Fatalf("ClearOfSends = %v, waited for %v; want one wait that ends", err, waited)
	}
}
