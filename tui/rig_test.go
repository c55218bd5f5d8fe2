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
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

// frozen is the demo's clock in these tests: a Friday morning in Berlin.
var frozen = time.Date(2026, 11, 27, 9, 30, 0, 0, tuitest.Berlin)

// seeded is the demo database for frozen, seed 1, made once per test
// binary; each test opens a copy of its file.
var seeded struct {
	once sync.Once
	dir  string
	err  error
}

// seededStore returns a store holding the demo data for frozen, seed 1.
func seededStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	seeded.once.Do(func() {
		seeded.dir, seeded.err = os.MkdirTemp("", "crier-tui-demo-")
		if seeded.err != nil {
			return
		}
		st, err := store.Open(ctx, filepath.Join(seeded.dir, "crier.db"))
		if err != nil {
			seeded.err = err
			return
		}
		seeded.err = demo.Seed(ctx, st, demo.Options{Seed: 1, Now: frozen, Zone: frozen.Location()})
		if err := st.Close(); seeded.err == nil {
			seeded.err = err
		}
	})
	if seeded.err != nil {
		t.Fatal(seeded.err)
	}
	data, err := os.ReadFile(filepath.Join(seeded.dir, "crier.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "crier.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testCommon is the kit's Common for the demo: its networks, snooze
// presets, and DEMO in the tab bar.
func testCommon(t testing.TB, st *store.Store, clock *tuitest.Clock) *common.Common {
	t.Helper()
	c := tuitest.Common(t, st, clock)
	c.Networks = common.Specs(mastodon.Spec(), bluesky.Spec())
	c.Settings.SnoozePresets = []time.Duration{time.Hour, 24 * time.Hour}
	c.Demo = true
	return c
}

// rig is a root model driven by a tuitest.Runner on its clock.
type rig struct {
	*Model
	clock *tuitest.Clock
	run   *tuitest.Runner
}

// drive sizes m to w x h and drives it; nothing has loaded yet.
func drive(t testing.TB, clock *tuitest.Clock, m *Model, w, h int) *rig {
	t.Helper()
	r := &rig{Model: m, clock: clock}
	r.run = tuitest.NewRunner(t, clock, func(msg tea.Msg) tea.Cmd {
		_, cmd := m.Update(msg)
		return cmd
	})
	// The root shows status messages itself: only the program's own
	// messages (tea.Quit) are not its.
	r.run.Deliver = func(msg tea.Msg) bool { return !tuitest.ForProgram(msg) }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return r
}

// newModel is the demo at w x h on its frozen clock, before any load.
func newModel(t testing.TB, w, h int) *rig {
	t.Helper()
	clock := tuitest.NewClock(frozen)
	return drive(t, clock, New(testCommon(t, seededStore(t), clock), nil), w, h)
}

// loadedModel is the demo at w x h with every pane's first load done.
func loadedModel(t testing.TB, w, h int) *rig {
	t.Helper()
	m := newModel(t, w, h)
	m.settle(m.Init())
	return m
}

// send delivers msg and runs what follows until only waits on the clock
// are left.
func (r *rig) send(msg tea.Msg) { r.run.Send(msg) }

// settle runs cmd and what follows until only waits on the clock are left.
func (r *rig) settle(cmd tea.Cmd) { r.run.Run(cmd) }

// press is the key named s (tuitest.Key).
func press(s string) tea.KeyMsg { return tuitest.Key(s) }
