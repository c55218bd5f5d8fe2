package scheduler

import (
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
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, changed: make(chan struct{})}
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
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &fakeTimer{at: at, c: make(chan time.Time, 1)}
	if !at.After(f.now) {
		t.c <- f.now
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
	for _, t := range append([]*fakeTimer(nil), f.timers...) {
		if !t.at.After(now) {
			t.c <- now
			f.remove(t)
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
	deadline := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		changed := f.changed
		f.mu.Unlock()
		if f.hasTimer(at) {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("nothing is waiting for %v (now %v)", at, f.Now())
		}
	}
}
