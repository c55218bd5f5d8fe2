package tui

import (
	"runtime"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// settle runs cmd and delivers what it answers to m, and so on for the
// commands those answers return, as the program would, until only timers
// are left running (a tick, a cursor blink, a debounce), which are dropped.
// It waits for every other command however slow the machine is, so two
// models fed the same way end the same way.
func settle(m *Model, cmd tea.Cmd) {
	type answer struct {
		id  int
		msg tea.Msg
	}
	answers := make(chan answer, 1024)
	running := map[int]bool{}
	next := 0
	start := func(c tea.Cmd) {
		if c == nil {
			return
		}
		id := next
		next++
		running[id] = true
		go runSettled(c, func(msg tea.Msg) { answers <- answer{id, msg} })
	}
	start(cmd)
	giveUp := time.Now().Add(30 * time.Second)
	for len(running) > 0 && time.Now().Before(giveUp) {
		select {
		case a := <-answers:
			if !running[a.id] {
				continue // a timer given up on
			}
			delete(running, a.id)
			switch msg := a.msg.(type) {
			case nil:
			case tea.BatchMsg:
				for _, c := range msg {
					start(c)
				}
			default:
				_, c := m.Update(msg)
				start(c)
			}
		case <-time.After(10 * time.Millisecond):
			// Look at the goroutines first, the channel second: a
			// command that answered and ended is then in the channel.
			if onlyTimersLeft() && len(answers) == 0 {
				return
			}
		}
	}
}

// runSettled runs one command for settle.
func runSettled(c tea.Cmd, answer func(tea.Msg)) { answer(c()) }

// onlyTimersLeft reports whether every goroutine settle started (in any
// test) that is still there is waiting on a timer: tea.Tick or a text
// cursor's blink.
func onlyTimersLeft() bool {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, "created by github.com/crier-app/crier/tui.settle") {
			continue
		}
		if strings.Contains(g, "bubbletea.Tick.func") || strings.Contains(g, "cursor.(*Model).BlinkCmd.func") {
			continue
		}
		return false
	}
	return true
}

// send delivers msg to m and settles what it started.
func send(m *Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	settle(m, cmd)
}
