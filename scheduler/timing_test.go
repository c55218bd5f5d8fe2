package scheduler

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
)

// TestPostAtNineOnDaylightSavingDays queues a post for 09:00 in a named zone
// on the days its clocks change, with the clock at 09:00 the day before, and
// checks it goes out at 09:00 on the wall clock, not 24 hours after the
// clock's start.
func TestPostAtNineOnDaylightSavingDays(t *testing.T) {
	for _, c := range []struct {
		zone string
		day  time.Time // the date; its zone is ignored
	}{
		{"Europe/Berlin", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)},
		{"Europe/Berlin", time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)},
		{"America/New_York", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)},
		{"America/New_York", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(c.zone+" "+c.day.Format(time.DateOnly), func(t *testing.T) {
			loc, err := time.LoadLocation(c.zone)
			if err != nil {
				t.Skipf("no zone data: %v", err)
			}
			y, m, d := c.day.Date()
			due := time.Date(y, m, d, 9, 0, 0, 0, loc)
			dayBefore := time.Date(y, m, d-1, 9, 0, 0, 0, loc)
			if due.Sub(dayBefore) == 24*time.Hour {
				t.Fatalf("%s on %s has no clock change", c.zone, c.day.Format(time.DateOnly))
			}

			h := newHarness(t)
			h.clock.Set(dayBefore)
			post, ds := h.queue(store.Post{Body: "good morning"}, due)
			if err := h.st.ReschedulePost(context.Background(), post, due, c.zone, dayBefore); err != nil {
				t.Fatal(err)
			}
			p, err := h.st.Post(context.Background(), post)
			if err != nil || !p.ScheduledAt.Equal(due) || p.ScheduledZone != c.zone {
				t.Fatalf("stored post = %+v, %v", p, err)
			}
			h.opts.MaxSleep = 48 * time.Hour // so the timer shows the due time itself
			h.start()
			h.clock.waitTimer(t, due) // asleep until exactly 09:00 local
			h.clock.Set(due.Add(-time.Millisecond))
			if len(h.received()) != 0 {
				t.Fatal("sent before 09:00")
			}
			h.clock.Set(due)
			h.waitEvent(EventSent, ds.ID, EventFailed, EventMissed)
			rec := h.received()
			if len(rec) != 1 {
				t.Fatalf("received %d posts", len(rec))
			}
			local := rec[0].ReceivedAt.In(loc)
			if local.Hour() != 9 || local.Minute() != 0 || local.Day() != d {
				t.Fatalf("sent at %v local, want 09:00 on the %d", local, d)
			}
		})
	}
}

// TestSentWithinASecondOfDue runs on the real clock: posts due a few
// hundred milliseconds ahead go out within a second of their due time.
func TestSentWithinASecondOfDue(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "crier.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformSandbox, Handle: sandboxAccount})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan Event, 256)
	s := New(Options{Store: st, Networks: map[int64]platforms.Network{acct: sandbox.New(sandboxAccount, st)}, Events: events})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() {
		cancel()
		<-done
	}()

	start := time.Now()
	dues := map[int64]time.Time{}
	for _, after := range []time.Duration{300 * time.Millisecond, 700 * time.Millisecond, 1500 * time.Millisecond} {
		due := start.Add(after).Truncate(time.Millisecond)
		id, err := st.SaveDraft(ctx, store.Post{Body: after.String(), Targets: []store.Target{{AccountID: acct}}}, start)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.QueuePost(ctx, id, due, "UTC", start); err != nil {
			t.Fatal(err)
		}
		dues[id] = due
		s.Wake()
	}
	deadline := time.After(10 * time.Second)
	for len(dues) > 0 {
		select {
		case e := <-events:
			if e.Kind != EventSent {
				continue
			}
			due := dues[e.PostID]
			delete(dues, e.PostID)
			d, err := st.PostDeliveries(ctx, e.PostID)
			if err != nil {
				t.Fatal(err)
			}
			if late := d[0].SentAt.Sub(due); late < 0 || late > time.Second {
				t.Errorf("post %d sent %v after its due time", e.PostID, late)
			}
		case <-deadline:
			t.Fatalf("%d posts not sent", len(dues))
		}
	}
}

// TestBackoffScheduleOfRepeatedFailures fails one post five times and checks
// each retry waits about twice as long as the one before, with jitter in its
// upper half, up to MaxBackoff.
func TestBackoffScheduleOfRepeatedFailures(t *testing.T) {
	busy := sandbox.Fault{Err: &platforms.Error{Class: platforms.Transient, Status: 503, Reason: "busy"}}
	h := newHarness(t, busy, busy, busy, busy, busy)
	h.opts.MinBackoff, h.opts.MaxBackoff = time.Minute, 5*time.Minute
	_, d := h.queue(store.Post{Body: "stubborn"}, t0)
	h.start()
	failedAt := t0
	for i, ceiling := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute, 5 * time.Minute} {
		e := h.waitEvent(EventRetrying, d.ID, EventSent, EventFailed)
		wait := e.RetryAt.Sub(failedAt)
		if wait < ceiling/2 || wait > ceiling+time.Millisecond {
			t.Fatalf("retry %d waits %v, want within [%v, %v]", i+1, wait, ceiling/2, ceiling)
		}
		if got := h.delivery(d.ID); got.Attempts != i+1 || !got.NextAttemptAt.Equal(e.RetryAt) {
			t.Fatalf("after failure %d: %+v", i+1, got)
		}
		h.clock.waitTimer(t, e.RetryAt)
		h.clock.Set(e.RetryAt)
		failedAt = e.RetryAt
	}
	h.waitEvent(EventSent, d.ID, EventFailed)
	if n := len(h.received()); n != 1 {
		t.Fatalf("received %d posts", n)
	}
}
