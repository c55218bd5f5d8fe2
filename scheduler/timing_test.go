package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/sandbox"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
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
			h.clock.waitTimer(t, due.Add(-store.ClaimAhead)) // asleep until exactly 09:00 local
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

// wallClockRun is a scheduler on the wall clock with a sandbox account,
// running until the test ends.
type wallClockRun struct {
	st     *store.Store
	acct   int64
	sched  *Scheduler
	events chan Event
}

func startWallClock(tb testing.TB) *wallClockRun {
	tb.Helper()
	ctx := context.Background()
	st := storetest.Open(tb)
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformSandbox, Handle: sandboxAccount})
	if err != nil {
		tb.Fatal(err)
	}
	w := &wallClockRun{st: st, acct: acct, events: make(chan Event, 256)}
	w.sched = New(Options{Store: st, Networks: map[int64]platforms.Network{acct: sandbox.New(sandboxAccount, st)}, Events: w.events})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.sched.Run(runCtx) }()
	tb.Cleanup(func() {
		cancel()
		<-done
	})
	return w
}

// queue queues a post due at due and wakes the scheduler.
func (w *wallClockRun) queue(tb testing.TB, body string, due time.Time) int64 {
	tb.Helper()
	ctx := context.Background()
	id, err := w.st.SaveDraft(ctx, store.Post{Body: body, Targets: []store.Target{{AccountID: w.acct}}}, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.st.QueuePost(ctx, id, due, "UTC", time.Now()); err != nil {
		tb.Fatal(err)
	}
	w.sched.Wake()
	return id
}

// sent waits until every post in dues (due times by post id) has gone out
// and returns how late each went (negative: early).
func (w *wallClockRun) sent(tb testing.TB, dues map[int64]time.Time) map[int64]time.Duration {
	tb.Helper()
	late := map[int64]time.Duration{}
	deadline := time.After(30 * time.Second) // a bound on a broken run, not a target
	for len(late) < len(dues) {
		select {
		case e := <-w.events:
			due, ours := dues[e.PostID]
			switch {
			case !ours:
			case e.Kind == EventFailed:
				tb.Fatalf("post %d failed: %s", e.PostID, e.Err)
			case e.Kind == EventSent:
				d, err := w.st.PostDeliveries(context.Background(), e.PostID)
				if err != nil {
					tb.Fatal(err)
				}
				late[e.PostID] = d[0].SentAt.Sub(due)
			}
		case <-deadline:
			tb.Fatalf("%d of %d posts not sent", len(dues)-len(late), len(dues))
		}
	}
	return late
}

// TestSentOnTheWallClock runs the scheduler on the real clock (its default
// timers): posts due a few hundred milliseconds ahead each go out, once,
// and none before its time. How late they go out is measured by
// BenchmarkLatenessOnTheWallClock.
func TestSentOnTheWallClock(t *testing.T) {
	w := startWallClock(t)
	start := time.Now()
	dues := map[int64]time.Time{}
	for _, after := range []time.Duration{300 * time.Millisecond, 700 * time.Millisecond, 1500 * time.Millisecond} {
		due := start.Add(after).Truncate(time.Millisecond)
		dues[w.queue(t, after.String(), due)] = due
	}
	for post, late := range w.sent(t, dues) {
		if late < 0 {
			t.Errorf("post %d went out %v before its time", post, -late)
		}
	}
	rec, err := w.st.SandboxPosts(context.Background(), sandboxAccount)
	if err != nil || len(rec) != len(dues) {
		t.Fatalf("the sandbox has %d posts (%v), want %d", len(rec), err, len(dues))
	}
}

// BenchmarkLatenessOnTheWallClock measures how late the scheduler on the
// real clock sends a post after its due time: each iteration queues a post
// due 50 ms ahead and waits for it to go out. It reports the mean and the
// worst lateness in milliseconds. Target: the worst under 1000 ms-late.
func BenchmarkLatenessOnTheWallClock(b *testing.B) {
	w := startWallClock(b)
	var sum, worst time.Duration
	n := 0
	for b.Loop() {
		due := time.Now().Add(50 * time.Millisecond).Truncate(time.Millisecond)
		post := w.queue(b, "on time", due)
		late := w.sent(b, map[int64]time.Time{post: due})[post]
		sum += late
		worst = max(worst, late)
		n++
	}
	b.ReportMetric(float64(sum.Microseconds())/1000/float64(n), "ms-late")
	b.ReportMetric(float64(worst.Microseconds())/1000, "ms-late-worst")
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
		h.clock.waitTimer(t, e.RetryAt.Add(-store.ClaimAhead))
		h.clock.Set(e.RetryAt)
		failedAt = e.RetryAt
	}
	h.waitEvent(EventSent, d.ID, EventFailed)
	if n := len(h.received()); n != 1 {
		t.Fatalf("received %d posts", n)
	}
}
