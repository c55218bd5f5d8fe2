package tuitest

import (
	"reflect"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// Runner drives a model as the program would, in the test's goroutine: a
// message goes to Update, the command it returns runs, batches and
// sequences are taken apart, and what the commands answer goes back to
// Update, until nothing is left to run. Waits on the clock are parked
// there; Advance and FastForward end them. Messages meant for someone
// else (a status for the root, a program message such as tea.Quit) are
// put aside rather than delivered.
type Runner struct {
	t      testing.TB
	update func(tea.Msg) tea.Cmd
	clock  *Clock
	// Deliver says which messages go back to the model; the others are
	// put aside. By default everything but common.StatusMsg and the
	// program's own messages is delivered.
	Deliver func(tea.Msg) bool
	// Aside is every message put aside so far, in order.
	Aside []tea.Msg
}

// NewRunner drives update (the model's Update, its model result dropped)
// with the waits on clock. With a nil clock the runner takes the clock of
// the first wait it parks.
func NewRunner(t testing.TB, clock *Clock, update func(tea.Msg) tea.Cmd) *Runner {
	return &Runner{t: t, update: update, clock: clock, Deliver: func(msg tea.Msg) bool {
		_, status := msg.(common.StatusMsg)
		return !status && !ForProgram(msg)
	}}
}

// OwnMessages is a Deliver for a component driven on its own: only its
// own answers go back to it (the unexported message types of its
// package); everything else (its exported messages, a status) is for its
// owner.
func OwnMessages(model any) func(tea.Msg) bool {
	pkg := reflect.TypeOf(model)
	for pkg.Kind() == reflect.Pointer {
		pkg = pkg.Elem()
	}
	path := pkg.PkgPath()
	return func(msg tea.Msg) bool {
		t := reflect.TypeOf(msg)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		return t.PkgPath() == path && !exported(t.Name())
	}
}

const teaPkg = "github.com/charmbracelet/bubbletea"

// ForProgram reports whether msg is for the program rather than a model:
// tea.Quit and the messages of Bubble Tea's own commands (run a process,
// clear the screen...).
func ForProgram(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.QuitMsg, tea.InterruptMsg, tea.SuspendMsg:
		return true
	}
	t := reflect.TypeOf(msg)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == teaPkg && t.Name() != "" && !exported(t.Name())
}

// exported reports whether a type name is exported.
func exported(name string) bool { return name[0] >= 'A' && name[0] <= 'Z' }

// cmdType is tea.Cmd, to take tea.Sequence's message apart.
var cmdType = reflect.TypeOf(tea.Cmd(nil))

// sequence returns the commands of a tea.Sequence's message, in order.
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != cmdType || v.Type() == reflect.TypeOf(tea.BatchMsg(nil)) {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i], _ = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// Send delivers msg and runs what follows. It returns what was put aside
// meanwhile.
func (r *Runner) Send(msg tea.Msg) []tea.Msg {
	r.t.Helper()
	return r.Run(r.update(msg))
}

// Press sends keys one after another (see Key), each run to the end
// before the next, and returns what was put aside meanwhile.
func (r *Runner) Press(keys ...string) []tea.Msg {
	r.t.Helper()
	n := len(r.Aside)
	for _, k := range keys {
		r.Send(Key(k))
	}
	return r.Aside[n:]
}

// Type sends text as typed, one key a character.
func (r *Runner) Type(text string) []tea.Msg {
	r.t.Helper()
	n := len(r.Aside)
	for _, c := range text {
		r.Send(Key(string(c)))
	}
	return r.Aside[n:]
}

// Run runs cmd and everything that follows from it until nothing is left
// but waits on the clock, and returns what was put aside meanwhile.
func (r *Runner) Run(cmd tea.Cmd) []tea.Msg {
	r.t.Helper()
	n := len(r.Aside)
	r.run(cmd)
	return r.Aside[n:]
}

// maxSteps bounds a run: a model that never goes quiet fails the test.
const maxSteps = 100000

func (r *Runner) run(cmd tea.Cmd) {
	r.t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > maxSteps {
			r.t.Fatal("tuitest: the model never went quiet")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if cmds, ok := sequence(msg); ok {
			for _, c := range cmds {
				r.run(c) // each to the end before the next
			}
			continue
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case timerMsg:
			if r.clock == nil {
				r.clock = msg.t.clock
			}
			msg.t.clock.park(msg.t)
		default:
			if !r.Deliver(msg) {
				r.Aside = append(r.Aside, msg)
				continue
			}
			queue = append(queue, r.update(msg))
		}
	}
}

// Clock is the runner's clock; nil while it has none and has parked no
// wait.
func (r *Runner) Clock() *Clock { return r.clock }

// Advance moves the clock on by d and ends, in deadline order, the waits
// that came due on the way (and those they start that fall within d), the
// clock reading each one's deadline as it ends. It returns what was put
// aside meanwhile.
func (r *Runner) Advance(d time.Duration) []tea.Msg {
	r.t.Helper()
	n := len(r.Aside)
	if r.clock == nil {
		return nil // nothing waits
	}
	until := r.clock.Now().Add(d)
	for steps := 0; ; steps++ {
		if steps > maxSteps {
			r.t.Fatal("tuitest: waits without end")
		}
		at, ok := r.clock.first()
		if !ok || at.After(until) {
			break
		}
		for _, t := range r.clock.due(at) {
			r.clock.set(t.at)
			r.run(func() tea.Msg { return t.fn(t.at) })
		}
	}
	r.clock.set(until)
	return r.Aside[n:]
}

// FastForward ends every wait on the clock, and those they start, in
// deadline order, as if no time passed: the clock does not move. For a
// pane's debounces and autosaves, whose end the test wants and whose
// length it does not care about; a model that waits for ever (the root's
// status clock) goes through Advance instead. It returns what was put
// aside meanwhile.
func (r *Runner) FastForward() []tea.Msg {
	r.t.Helper()
	n := len(r.Aside)
	for steps := 0; r.clock != nil && r.clock.Waiting() > 0; steps++ {
		if steps > 1000 {
			r.t.Fatal("tuitest: the waits never end (use Advance for a model that waits for ever)")
		}
		at, _ := r.clock.first()
		for _, t := range r.clock.due(at) {
			r.run(func() tea.Msg { return t.fn(r.clock.Now()) })
		}
	}
	return r.Aside[n:]
}

// Answers runs cmd, batches and sequences taken apart, and returns what its
// commands answer, in order, delivered to nobody: for a test that hands
// answers over itself, late or out of order. Waits are parked on their
// clock (Clock.TakeWaits hands them over).
func Answers(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if cmds, ok := sequence(msg); ok {
		msg = tea.BatchMsg(cmds)
	}
	switch msg := msg.(type) {
	case nil:
		return nil
	case timerMsg:
		msg.t.clock.park(msg.t)
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, Answers(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// Drain runs cmd and every command that follows from it to the end, in the
// caller's goroutine, handing each answer to update: batches are taken
// apart, and nothing is parked or put aside (a wait on the real clock is
// waited out). It is for benchmarks, which time a key from press to the
// last answer and have no testing.TB to fail.
func Drain(update func(tea.Msg) tea.Cmd, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			queue = append(queue, update(msg))
		}
	}
}
