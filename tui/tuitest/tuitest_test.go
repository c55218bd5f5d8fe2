package tuitest

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// counter is a model that counts what reaches it and starts the commands
// a test gives it for a message.
type counter struct {
	clock *Clock
	got   []string
	then  map[string]tea.Cmd
}

type note string

func (c *counter) Init() tea.Cmd { return nil }

func (c *counter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case note:
		c.got = append(c.got, string(msg))
		return c, c.then[string(msg)]
	case tea.KeyMsg:
		c.got = append(c.got, "key "+msg.String())
		return c, c.then[msg.String()]
	}
	return c, nil
}

func (c *counter) View() string { return strings.Join(c.got, ",") }

func say(s string) tea.Cmd { return func() tea.Msg { return note(s) } }

func drive(t *testing.T, c *counter) *Runner {
	return NewRunner(t, c.clock, func(msg tea.Msg) tea.Cmd {
		_, cmd := c.Update(msg)
		return cmd
	})
}

func TestRunnerTakesBatchesAndSequencesApart(t *testing.T) {
	c := &counter{clock: NewClock(time.Unix(0, 0)), then: map[string]tea.Cmd{
		"a": tea.Batch(say("b"), tea.Batch(say("c"), nil)),
		"c": tea.Sequence(say("d"), say("e")),
		"d": say("f"), // a sequence runs each command to the end before the next
	}}
	drive(t, c).Run(say("a"))
	if got := strings.Join(c.got, ","); got != "a,b,c,d,f,e" {
		t.Fatalf("delivered %s, want a,b,c,d,f,e", got)
	}
}

func TestRunnerPutsAsideWhatIsNotTheModels(t *testing.T) {
	c := &counter{clock: NewClock(time.Unix(0, 0)), then: map[string]tea.Cmd{"q": tea.Quit}}
	r := drive(t, c)
	r.Deliver = func(msg tea.Msg) bool { return !ForProgram(msg) }
	if aside := r.Press("q"); len(aside) != 1 || aside[0] != tea.Msg(tea.QuitMsg{}) {
		t.Fatalf("put aside %v, want tea.Quit", aside)
	}
	if ForProgram(note("x")) || ForProgram(tea.KeyMsg{}) || !ForProgram(tea.QuitMsg{}) {
		t.Fatal("ForProgram mistakes a model's message for the program's, or the reverse")
	}
}

func TestWaitsEndOnlyWhenTheClockSays(t *testing.T) {
	clock := NewClock(time.Unix(100, 0))
	c := &counter{clock: clock}
	c.then = map[string]tea.Cmd{
		"start": tea.Batch(clock.Tick(2*time.Second, func(time.Time) tea.Msg { return note("late") }),
			clock.Tick(time.Second, func(time.Time) tea.Msg { return note("soon") })),
		"soon": clock.Tick(time.Second, func(time.Time) tea.Msg { return note("after soon") }),
	}
	r := drive(t, c)
	r.Run(say("start"))
	if clock.Waiting() != 2 || len(c.got) != 1 {
		t.Fatalf("%d waits, delivered %v", clock.Waiting(), c.got)
	}
	r.Advance(1500 * time.Millisecond)
	if got := strings.Join(c.got, ","); got != "start,soon" || !clock.Now().Equal(time.Unix(101, 5e8)) {
		t.Fatalf("after 1.5 s: %s at %v", got, clock.Now())
	}
	// The wait soon started ends at 102 s, as late does: in the order
	// they were asked for.
	r.Advance(time.Second)
	if got := strings.Join(c.got, ","); got != "start,soon,late,after soon" {
		t.Fatalf("after 2.5 s: %s", got)
	}
	if clock.Waiting() != 0 {
		t.Fatalf("%d waits left", clock.Waiting())
	}
}

func TestFastForwardEndsWaitsWithoutMovingTheClock(t *testing.T) {
	clock := NewClock(time.Unix(100, 0))
	c := &counter{clock: clock}
	c.then = map[string]tea.Cmd{
		"type": clock.Tick(time.Minute, func(time.Time) tea.Msg { return note("pause") }),
		"pause": clock.Tick(time.Hour, func(at time.Time) tea.Msg {
			return note("read at " + at.Format("15:04:05"))
		}),
	}
	r := drive(t, c)
	r.Run(say("type"))
	r.FastForward()
	if got := strings.Join(c.got, ","); got != "type,pause,read at "+time.Unix(100, 0).Format("15:04:05") ||
		!clock.Now().Equal(time.Unix(100, 0)) {
		t.Fatalf("fast-forward: %s, clock %v", got, clock.Now())
	}
}

func TestTakeWaitsHandsThemOver(t *testing.T) {
	clock := NewClock(time.Unix(100, 0))
	Answers(tea.Batch(clock.Tick(time.Second, func(time.Time) tea.Msg { return note("one") }), say("now")))
	waits := clock.TakeWaits()
	if len(waits) != 1 || waits[0].Msg != tea.Msg(note("one")) || !waits[0].At.Equal(time.Unix(101, 0)) || clock.Waiting() != 0 {
		t.Fatalf("waits %+v, %d left", waits, clock.Waiting())
	}
}

func TestKeysByName(t *testing.T) {
	for name, want := range map[string]tea.KeyMsg{
		"enter":     {Type: tea.KeyEnter},
		"ctrl+s":    {Type: tea.KeyCtrlS},
		"shift+tab": {Type: tea.KeyShiftTab},
		"pgdown":    {Type: tea.KeyPgDown},
		" ":         {Type: tea.KeySpace, Runes: []rune{' '}},
		"space":     {Type: tea.KeySpace, Runes: []rune{' '}},
		"alt+2":     {Type: tea.KeyRunes, Runes: []rune{'2'}, Alt: true},
		"jj":        {Type: tea.KeyRunes, Runes: []rune("jj")},
	} {
		if got := Key(name); got.String() != want.String() || got.Type != want.Type {
			t.Errorf("Key(%q) = %v (%d), want %v (%d)", name, got, got.Type, want, want.Type)
		}
	}
}

// The App knows when the program is idle: every command it started has
// answered and the answer has been handled, however long that took.
func TestAppWaitsUntilIdle(t *testing.T) {
	clock := NewClock(time.Unix(100, 0))
	release := make(chan struct{})
	slow := func() tea.Msg { <-release; return note("slow done") }
	c := &counter{clock: clock, then: map[string]tea.Cmd{
		"s":         tea.Batch(slow, say("quick")),
		"slow done": tea.Sequence(say("one"), say("two")),
		"w":         clock.Tick(time.Minute, func(time.Time) tea.Msg { return note("waited") }),
	}}
	app := Start(t, clock, c, 80, 24)
	app.Send(Key("s"))
	go func() {
		app.WaitView("quick") // handled while the slow command still runs
		close(release)
	}()
	app.WaitIdle()
	if got := app.h.inner.View(); got != "key s,quick,slow done,one,two" {
		t.Fatalf("idle at %q", got)
	}
	app.Press("w") // a wait on the clock does not keep the program busy
	app.Advance(time.Minute)
	app.WaitView("waited")
	app.Quit()
}
