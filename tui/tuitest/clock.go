// Package tuitest is the test kit of crier's terminal interface: a clock
// that moves only when a test says, a store and a Common to drive panes
// with, keys by name, a Runner that runs a model's commands as the program
// would, one after another and at once, and an App that runs the whole
// program and waits until it has nothing left to do rather than for a
// while. Only tests import it.
package tuitest

import (
	"slices"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Clock is a frozen clock with timers. Its Now is Common.Now and its Tick
// Common.Tick: a command a pane waits with (a debounce, an autosave, the
// status bar's second) is parked on the clock when it runs and answers only
// when the test moves the clock past it (Advance) or fires what waits
// (Runner.FastForward).
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	parked []*timer
}

// timer is a wait a command asked for: it answers fn at its deadline.
type timer struct {
	clock *Clock
	at    time.Time
	seq   int // the order the waits were asked for, for deadlines that tie
	fn    func(time.Time) tea.Msg
}

// timerMsg is what a clock's Tick command answers when it runs: the wait,
// for whoever runs the commands to park on the clock.
type timerMsg struct{ t *timer }

// NewClock is a clock stopped at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now is the time on the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Tick is tea.Tick on this clock: the wait is d from the time the command
// runs, as tea.Tick's.
func (c *Clock) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.seq++
		return timerMsg{&timer{clock: c, at: c.now.Add(d), seq: c.seq, fn: fn}}
	}
}

// Wait is a parked wait: when it ends, and what it answers then.
type Wait struct {
	At  time.Time
	Msg tea.Msg
}

// TakeWaits takes every parked wait off the clock, in deadline order, with
// what each answers as if it had ended (the clock does not move): for a
// test that hands them to the model itself, or not at all.
func (c *Clock) TakeWaits() []Wait {
	var out []Wait
	for _, t := range c.due(maxTime) {
		out = append(out, Wait{At: t.at, Msg: t.fn(t.at)})
	}
	return out
}

// maxTime is after every deadline.
var maxTime = time.Unix(1<<62, 0)

// park keeps a wait until the clock reaches it.
func (c *Clock) park(t *timer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.parked = append(c.parked, t)
}

// Waiting is how many waits are parked.
func (c *Clock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.parked)
}

// due takes the parked waits whose deadline is at or before until, in
// deadline order.
func (c *Clock) due(until time.Time) []*timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	slices.SortStableFunc(c.parked, func(a, b *timer) int {
		if d := a.at.Compare(b.at); d != 0 {
			return d
		}
		return a.seq - b.seq
	})
	n := 0
	for n < len(c.parked) && !c.parked[n].at.After(until) {
		n++
	}
	out := slices.Clone(c.parked[:n])
	c.parked = slices.Delete(c.parked, 0, n)
	return out
}

// first is the earliest parked wait's deadline, and whether there is one.
func (c *Clock) first() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var at time.Time
	for i, t := range c.parked {
		if i == 0 || t.at.Before(at) {
			at = t.at
		}
	}
	return at, len(c.parked) > 0
}

// set moves the clock to now (never back).
func (c *Clock) set(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.After(c.now) {
		c.now = now
	}
}
