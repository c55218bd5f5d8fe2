package scheduler

import (
	"context"
	"sync"
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

// wallCheck is how often a wall-clock timer reads the clock on its way to
// its time. Go's timers run on the monotonic clock, which stands still
// while the computer is suspended and ignores the clock being set (NTP
// stepping a virtual machine's clock): a timer set only for the time left
// would be late by as much as either.
const wallCheck = time.Second

// wallTimer is the default Options.Timer: a timer that fires once the wall
// clock (now) reads at. It reads the clock at least every wallCheck, so a
// post due just after the computer wakes goes out within wallCheck of its
// time, not as late as the suspend was long.
func wallTimer(now func() time.Time) func(at time.Time) (<-chan time.Time, func() bool) {
	return func(at time.Time) (<-chan time.Time, func() bool) {
		c := make(chan time.Time, 1)
		var mu sync.Mutex
		var t *time.Timer
		done := false // fired or stopped
		var arm func()
		arm = func() { // with mu held
			left := at.Sub(now())
			if left <= 0 {
				done = true
				c <- now()
				return
			}
			t = time.AfterFunc(min(left, wallCheck), func() {
				mu.Lock()
				defer mu.Unlock()
				if !done {
					arm()
				}
			})
		}
		mu.Lock()
		arm()
		mu.Unlock()
		return c, func() bool {
			mu.Lock()
			defer mu.Unlock()
			if done {
				return false
			}
			done = true
			t.Stop()
			return true
		}
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
