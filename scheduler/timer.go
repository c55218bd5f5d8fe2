package scheduler

import (
	"context"
	"time"
)

// The scheduler sets its timers by deadline, never by duration: a timer for
// a due time is for that time, whatever the clock did between being read
// and the timer being set (a test's clock may move in between; the wall
// clock moves a little too).

// timer is a one-shot timer; c is nil for one that never fires.
type timer struct {
	c    <-chan time.Time
	stop func() bool
}

// never is the timer of a wait that only a wake-up or the end ends.
var never = timer{stop: func() bool { return false }}

// at is a timer that fires once the clock reads at.
func (s *Scheduler) at(at time.Time) timer {
	c, stop := s.o.Timer(at)
	return timer{c: c, stop: stop}
}

// until is a timer for at, or for MaxSleep from now when at is later: Go's
// timers stop while the computer is suspended, so a long wait looks at the
// clock again on the way.
func (s *Scheduler) until(at time.Time) timer {
	if limit := s.o.Now().Add(s.o.MaxSleep); at.After(limit) {
		at = limit
	}
	return s.at(at)
}

// after is a timer for d from now; never for d < 0.
func (s *Scheduler) after(d time.Duration) timer {
	if d < 0 {
		return never
	}
	return s.at(s.o.Now().Add(d))
}

// wallAfter is a timer for d on the wall clock, for waits that are about
// other programs (a lock held), not about when posts are due.
func wallAfter(d time.Duration) timer {
	t := time.NewTimer(d)
	return timer{c: t.C, stop: t.Stop}
}

// wallTimer is the default Options.Timer: a timer on the wall clock for the
// time from now (as the clock now reads) until at.
func wallTimer(now func() time.Time) func(at time.Time) (<-chan time.Time, func() bool) {
	return func(at time.Time) (<-chan time.Time, func() bool) {
		t := time.NewTimer(at.Sub(now()))
		return t.C, t.Stop
	}
}

// sleep waits until t fires, wake is poked (nil: never) or ctx ends, then
// stops t, and reports whether ctx is still live.
func sleep(ctx context.Context, wake <-chan struct{}, t timer) bool {
	defer t.stop()
	select {
	case <-ctx.Done():
		return false
	case <-wake:
	case <-t.c:
	}
	return true
}
