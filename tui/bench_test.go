package tui

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/store"
)

// largeDB is the benchmark database: 100k posts, 500k inbox items and 1M
// metric snapshots, built once and reused across runs.
func largeDB(b *testing.B) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), "crier-bench-large.db")
	st, err := demo.EnsureLarge(context.Background(), path, 1)
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	return path
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
		m := New(testCommon(b, st, time.Now), nil)
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
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
		for _, msg := range msgs {
			feed(m, msg)
		}
		if v := m.View(); len(v) == 0 {
			b.Fatal("empty frame")
		}
		st.Close()
	}
}

// feed delivers a message and, synchronously, what its commands return,
// except timers (anything that takes longer than a moment is left out).
func feed(m *Model, msg tea.Msg) {
	if msg == nil {
		return
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if c != nil {
				feed(m, runQuick(c))
			}
		}
		return
	}
	_, cmd := m.Update(msg)
	if cmd != nil {
		feed(m, runQuick(cmd))
	}
}

// runQuick runs a command, giving up on it (a tick, a debounce) after 50 ms.
func runQuick(cmd tea.Cmd) tea.Msg {
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(50 * time.Millisecond):
		return nil
	}
}
