package tui

import (
	"context"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/demo/demotest"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/tuitest"
)

// largeDB is the benchmark database: 100k posts, 500k inbox items and 1M
// metric snapshots, built once and reused across runs.
func largeDB(b *testing.B) string {
	b.Helper()
	return demotest.LargePath(b)
}

// BenchmarkStartupFirstFrame measures what happens between starting crier on
// the large database and its first complete frame: opening the store (and
// checking its schema), building the model, sizing it, every pane's first
// load (run concurrently, as the program runs them) and drawing the screen.
// Target: 150 ms or less.
func BenchmarkStartupFirstFrame(b *testing.B) {
	path := largeDB(b)
	ctx := context.Background()
	for b.Loop() {
		st, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		clock := tuitest.NewClock(time.Now())
		c := testCommon(b, st, clock)
		c.Now = time.Now
		m := drive(b, clock, New(c, nil), 120, 40)
		msgs := make([]tea.Msg, len(m.tabs))
		var wg sync.WaitGroup
		for i, t := range m.tabs {
			wg.Add(1)
			go func(i int, cmd tea.Cmd) {
				defer wg.Done()
				if cmd != nil {
					msgs[i] = cmd()
				}
			}(i, t.pane.Init())
		}
		wg.Wait()
		// The answers, and what they start (a page, a conversation), as
		// the program would run them; waits stay on the clock.
		for _, msg := range msgs {
			m.settle(func() tea.Msg { return msg })
		}
		if v := m.View(); len(v) == 0 {
			b.Fatal("empty frame")
		}
		st.Close()
	}
}
