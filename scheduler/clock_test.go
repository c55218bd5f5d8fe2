package scheduler

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when the test says, with timers that
// fire when it passes their deadline. Tests see when the scheduler is asleep
// by waiting for its timer.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []*fakeTimer
	changed chan struct{} // closed and replaced whenever the timers change
	// Per owner (see TimerOf): timers set and fired in all, and both as
	// they were at the last Set.
	made, fired           map[string]int
	madeAtSet, firedAtSet map[string]int
}

type fakeTimer struct {
	at    time.Time
	c     chan time.Time
	owner string
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, changed: make(chan struct{}),
		made: map[string]int{}, fired: map[string]int{}, madeAtSet: map[string]int{}, firedAtSet: map[string]int{}}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// notify must be called with mu held.
func (f *fakeClock) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// Timer is a timer for a deadline, as Options.Timer: it fires when the
// clock is set to at or later (at once if it already reads that), so a
// timer for a due time is for that time however the clock moved while the
// scheduler set it.
func (f *fakeClock) Timer(at time.Time) (<-chan time.Time, func() bool) {
	return f.timer(at, "")
}

// TimerOf is Timer for one of several schedulers sharing the clock: its
// timers are counted as owner's, so asleep can tell when it sleeps.
func (f *fakeClock) TimerOf(owner string) func(at time.Time) (<-chan time.Time, func() bool) {
	return func(at time.Time) (<-chan time.Time, func() bool) { return f.timer(at, owner) }
}

func (f *fakeClock) timer(at time.Time, owner string) (<-chan time.Time, func() bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &fakeTimer{at: at, c: make(chan time.Time, 1), owner: owner}
	f.made[owner]++
	if !at.After(f.now) {
		t.c <- f.now
		f.fired[owner]++
		f.notify()
		return t.c, func() bool { return false }
	}
	f.timers = append(f.timers, t)
	f.notify()
	return t.c, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.remove(t)
	}
}

// remove must be called with mu held.
func (f *fakeClock) remove(t *fakeTimer) bool {
	for i, x := range f.timers {
		if x == t {
			f.timers = append(f.timers[:i], f.timers[i+1:]...)
			f.notify()
			return true
		}
	}
	return false
}

// Set moves the clock to now and fires the timers it passed.
func (f *fakeClock) Set(now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
	for k, n := range f.made {
		f.madeAtSet[k] = n
	}
	for k, n := range f.fired {
		f.firedAtSet[k] = n
	}
	for _, t := range append([]*fakeTimer(nil), f.timers...) {
		if !t.at.After(now) {
			t.c <- now
			f.fired[t.owner]++
			f.remove(t)
		}
	}
}

// asleep reports whether owner's goroutines are all asleep again since the
// clock was last set: it has a timer waiting (for later than now), and
// each of its timers that fired since has been followed by a new one, set
// by the goroutine that woke once it had done what waking made it do.
// While it holds, owner does nothing more until the clock moves or
// something wakes it. It assumes what the sender-less scheduler of these
// tests is: one goroutine that sleeps on the clock (the lease's).
func (f *fakeClock) asleep(owner string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	waiting := 0
	for _, t := range f.timers {
		if t.owner == owner {
			waiting++
		}
	}
	return waiting > 0 && f.made[owner]-f.madeAtSet[owner] >= f.fired[owner]-f.firedAtSet[owner]
}

// waitAsleep waits until asleep(owner).
func (f *fakeClock) waitAsleep(t *testing.T, owner string) {
	t.Helper()
	f.waitChanged(t, func() bool { return f.asleep(owner) }, func() string {
		return fmt.Sprintf("%s never went back to sleep after the clock was set to %v", owner, f.Now())
	})
}

// waitChanged waits until ok holds, looking again each time the clock's
// timers change, and fails t with failure after 10 seconds.
func (f *fakeClock) waitChanged(t *testing.T, ok func() bool, failure func() string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		changed := f.changed
		f.mu.Unlock()
		if ok() {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatal(failure())
		}
	}
}

// hasTimer reports whether a timer is waiting for exactly at.
func (f *fakeClock) hasTimer(at time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.timers {
		if t.at.Equal(at) {
			return true
		}
	}
	return false
}

// waitTimer waits until something sleeps until exactly at.
func (f *fakeClock) waitTimer(t *testing.T, at time.Time) {
	t.Helper()
	f.waitChanged(t, func() bool { return f.hasTimer(at) }, func() string {
		return fmt.Sprintf("nothing is waiting for %v (now %v)", at, f.Now())
	})
}
