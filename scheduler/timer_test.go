package scheduler

import (
	"sync"
	"testing"
	"time"
)

// jumpyClock is the wall clock as a suspended laptop or a stepped virtual
// machine sees it: real time plus jumps the test makes.
type jumpyClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (j *jumpyClock) Now() time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	return time.Now().Add(j.ahead)
}

func (j *jumpyClock) jump(d time.Duration) {
	j.mu.Lock()
	j.ahead += d
	j.mu.Unlock()
}

// The wall clock jumps an hour while a real timer waits an hour for a
// time (the computer was suspended, or the clock was set): the timer fires
// as soon as it reads the clock again, within wallCheck, not an hour
// later. A timer stopped first never fires.
func TestWallTimerFollowsTheWallClock(t *testing.T) {
	clock := &jumpyClock{}
	timer := wallTimer(clock.Now)
	at := clock.Now().Add(time.Hour)
	c, _ := timer(at)
	stoppedC, stop := timer(at)
	if !stop() || stop() {
		t.Fatal("stop should report true once, then false")
	}
	clock.jump(time.Hour)
	select {
	case fired := <-c:
		if fired.Before(at) {
			t.Fatalf("fired at %v, before its time %v", fired, at)
		}
	case <-time.After(10 * wallCheck):
		t.Fatalf("the timer did not fire within %v of the clock passing its time", 10*wallCheck)
	}
	select {
	case <-stoppedC:
		t.Fatal("a stopped timer fired")
	case <-time.After(2 * wallCheck):
	}
	// A time already past fires at once.
	if c, _ := timer(clock.Now().Add(-time.Second)); len(c) != 1 {
		t.Fatal("a timer for a time gone by did not fire at once")
	}
}
