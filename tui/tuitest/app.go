package tuitest

import (
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

// Patience bounds every wait of an App: past it the program is stuck and
// the test fails with its screen. It is a guard, never a pace: nothing
// waits for it to pass.
const Patience = 30 * time.Second

// App is the whole program running in a terminal of its own (teatest), a
// model wrapped so that the test knows what it still has to do: every
// command the model returns is counted until what it answers has been
// through Update (or it answered nothing), and every message the test
// sends until it has. The program is idle when the count is zero: only
// waits on the clock are left, which the App parks there.
//
// Messages sent into the program from elsewhere (a scheduler's events) are
// not counted; wait for what they do with WaitView.
type App struct {
	t     testing.TB
	tm    *teatest.TestModel
	h     *host
	clock *Clock
	out   []byte // what the terminal got, read so far
}

// Start runs model in a w x h terminal. It returns once the model's Init
// and first size are through, and what they started has ended.
func Start(t testing.TB, clock *Clock, model tea.Model, w, h int) *App {
	t.Helper()
	hs := &host{inner: model, clock: clock, pending: 1} // Init
	tm := teatest.NewTestModel(t, hs)
	a := &App{t: t, tm: tm, h: hs, clock: clock}
	a.Send(tea.WindowSizeMsg{Width: w, Height: h})
	a.WaitIdle()
	return a
}

// Send gives the program msg, counted: WaitIdle returns once it and what
// follows from it are through.
func (a *App) Send(msg tea.Msg) {
	a.h.add(1)
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		// The program must see the size itself (its renderer cuts lines
		// to the width).
		a.h.mu.Lock()
		a.h.sizes++
		a.h.mu.Unlock()
		a.tm.Send(msg)
		return
	}
	a.tm.Send(tracked{msg})
}

// Press presses keys (see Key) one after another, each handled and what it
// started ended before the next, as a person who reads the screen types.
func (a *App) Press(keys ...string) {
	a.t.Helper()
	for _, k := range keys {
		a.Send(Key(k))
		a.WaitIdle()
	}
}

// Type types text, a key a character, and waits until the program is idle.
func (a *App) Type(text string) {
	a.t.Helper()
	for _, c := range text {
		a.Send(Key(string(c)))
	}
	a.WaitIdle()
}

// Advance moves the clock on by d, gives the program the waits that came
// due on the way, in order, and waits until it is idle.
func (a *App) Advance(d time.Duration) {
	a.t.Helper()
	until := a.clock.Now().Add(d)
	for {
		a.WaitIdle()
		at, ok := a.clock.first()
		if !ok || at.After(until) {
			break
		}
		for _, t := range a.clock.due(at) {
			a.clock.set(t.at)
			a.Send(t.fn(t.at))
		}
	}
	a.clock.set(until)
}

// WaitIdle waits until the program has handled every counted message and
// every command has answered: only waits on the clock are left.
func (a *App) WaitIdle() {
	a.t.Helper()
	a.h.mu.Lock()
	if a.h.pending == 0 {
		a.h.mu.Unlock()
		return
	}
	if a.h.idle == nil {
		a.h.idle = make(chan struct{})
	}
	idle := a.h.idle
	a.h.mu.Unlock()
	select {
	case <-idle:
	case <-time.After(Patience):
		a.Fatalf("the program was still busy after %v", Patience)
	}
}

// WaitView waits until the screen shows one of what, and returns it. The
// screen is looked at each time the model has handled a message, so this
// waits for what the program does on its own (a scheduler's event)
// without polling.
func (a *App) WaitView(what ...string) string {
	a.t.Helper()
	var found string
	a.WaitFor(strings.Join(what, " or "), func(view string) bool {
		for _, w := range what {
			if strings.Contains(view, w) {
				found = w
				return true
			}
		}
		return false
	})
	return found
}

// WaitFor waits until ok holds for the screen (without styles), looked at
// after every message the model handles.
func (a *App) WaitFor(what string, ok func(view string) bool) {
	a.t.Helper()
	done := make(chan struct{})
	a.h.mu.Lock()
	a.h.watches = append(a.h.watches, &watch{ok: ok, done: done})
	a.h.mu.Unlock()
	a.Send(look{}) // look at the screen as it is now
	select {
	case <-done:
	case <-time.After(Patience):
		a.Fatalf("waited %v for %s", Patience, what)
	}
}

// Record keeps, from now on, every screen the model draws: each View after
// a message it handled, styles and all. The renderer draws only the newest
// screen at each frame, so the terminal's output may lack a screen that a
// newer one replaced at once; Frames has them all.
func (a *App) Record() {
	a.h.mu.Lock()
	a.h.record = true
	a.h.mu.Unlock()
}

// Frames are the screens kept since Record.
func (a *App) Frames() []string {
	a.h.mu.Lock()
	defer a.h.mu.Unlock()
	return slices.Clone(a.h.frames)
}

// Output is what the terminal received so far, escape sequences and all,
// from the start.
func (a *App) Output() []byte {
	b, _ := io.ReadAll(a.tm.Output())
	a.out = append(a.out, b...)
	return a.out
}

// Quit stops the program from outside (tea.Quit, not a key: the panes
// save nothing) and returns the model as it ended.
func (a *App) Quit() tea.Model {
	a.t.Helper()
	if err := a.tm.Quit(); err != nil {
		a.t.Fatal(err)
	}
	return a.Final()
}

// Final waits until the program has ended (the model quit) and returns
// the model as it ended.
func (a *App) Final() tea.Model {
	a.t.Helper()
	return a.tm.FinalModel(a.t, teatest.WithFinalTimeout(Patience)).(*host).inner
}

// Fatalf stops the program and fails the test with its last screen.
func (a *App) Fatalf(format string, args ...any) {
	a.t.Helper()
	a.tm.Quit()
	final := a.tm.FinalModel(a.t, teatest.WithFinalTimeout(5*time.Second)).(*host).inner
	a.t.Fatalf("tuitest: "+format+"; the screen is:\n%s", append(args, ansi.Strip(final.View()))...)
}

// host wraps the model under test and counts what it still has to do.
type host struct {
	inner tea.Model
	clock *Clock

	mu      sync.Mutex
	pending int
	sizes   int           // counted window sizes on their way
	idle    chan struct{} // closed when pending comes down to zero
	watches []*watch
	record  bool
	frames  []string
}

// tracked is a counted message: sent by the test or answered by a
// command the host wrapped.
type tracked struct{ msg tea.Msg }

// look makes the host look at the screen for the watches.
type look struct{}

type watch struct {
	ok   func(string) bool
	done chan struct{}
}

func (h *host) add(n int) {
	h.mu.Lock()
	h.pending += n
	h.mu.Unlock()
}

func (h *host) done() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pending--
	if h.pending == 0 && h.idle != nil {
		close(h.idle)
		h.idle = nil
	}
}

func (h *host) Init() tea.Cmd {
	defer h.done()
	return h.wrap(h.inner.Init())
}

func (h *host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	counted := false
	switch m := msg.(type) {
	case tracked:
		msg, counted = m.msg, true
	case tea.WindowSizeMsg:
		h.mu.Lock()
		if h.sizes > 0 {
			h.sizes--
			counted = true
		}
		h.mu.Unlock()
	}
	var cmd tea.Cmd
	if _, ok := msg.(look); !ok {
		h.inner, cmd = h.inner.Update(msg)
	}
	cmd = h.wrap(cmd)
	h.check()
	h.mu.Lock()
	if h.record {
		h.frames = append(h.frames, h.inner.View())
	}
	h.mu.Unlock()
	if counted {
		h.done()
	}
	return h, cmd
}

func (h *host) View() string { return h.inner.View() }

// check ends the watches the screen now satisfies.
func (h *host) check() {
	h.mu.Lock()
	watches := h.watches
	h.mu.Unlock()
	if len(watches) == 0 {
		return
	}
	view := ansi.Strip(h.inner.View())
	var left []*watch
	for _, w := range watches {
		if w.ok(view) {
			close(w.done)
		} else {
			left = append(left, w)
		}
	}
	h.mu.Lock()
	// Watches added meanwhile are kept.
	h.watches = append(left, h.watches[len(watches):]...)
	h.mu.Unlock()
}

// wrap counts cmd until what it answers has been handled.
func (h *host) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	h.add(1)
	return func() tea.Msg { return h.answer(cmd()) }
}

// answer is what a wrapped command gives the program instead of msg.
func (h *host) answer(msg tea.Msg) tea.Msg {
	if cmds, ok := sequence(msg); ok {
		seq := reflect.MakeSlice(reflect.TypeOf(msg), len(cmds), len(cmds))
		for i, c := range cmds {
			if w := h.wrap(c); w != nil {
				seq.Index(i).Set(reflect.ValueOf(w))
			}
		}
		h.done()
		return seq.Interface()
	}
	switch m := msg.(type) {
	case nil:
		h.done()
		return nil
	case tea.BatchMsg:
		batch := make(tea.BatchMsg, len(m))
		for i, c := range m {
			batch[i] = h.wrap(c)
		}
		h.done()
		return batch
	case timerMsg:
		m.t.clock.park(m.t)
		h.done()
		return nil
	}
	if ForProgram(msg) {
		h.done()
		return msg
	}
	return tracked{msg}
}
