package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/tui/tuitest"
)

// emptyModel is crier's first start: no accounts, an empty database.
func emptyModel(t *testing.T, w, h int) *rig {
	t.Helper()
	clock := tuitest.NewClock(frozen)
	c := testCommon(t, tuitest.Store(t), clock)
	c.Demo = false
	c.ConfigFile, c.ConfigMissing = "~/.config/crier/config.yaml", true
	m := drive(t, clock, New(c, nil), w, h)
	m.settle(m.Init())
	return m
}

// With no accounts, every pane (and the composer) says which command adds
// one and which file holds them, and the screen still fits.
func TestNoAccountsEveryPaneSaysWhatToDo(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"calendar", nil}, {"drafts", []string{"2"}}, {"inbox", []string{"3"}}, {"kpis", []string{"4"}}, {"campaigns", []string{"5"}},
		{"composer", []string{"2", "n"}}, {"help", []string{"?"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range screens {
			t.Run(sc.name+"-"+itoa(size[0])+"x"+itoa(size[1]), func(t *testing.T) {
				t.Parallel()
				m := emptyModel(t, size[0], size[1])
				for _, k := range sc.keys {
					m.send(press(k))
				}
				v := m.View()
				for _, want := range []string{"crier init", "~/.config/crier/config.yaml"} {
					if !strings.Contains(v, want) {
						t.Errorf("the screen does not say %q:\n%s", want, v)
					}
				}
				if lines := strings.Split(v, "\n"); len(lines) != size[1] {
					t.Errorf("%d lines, want %d", len(lines), size[1])
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// With a config file that lists no accounts, the panes name the file and the
// command that signs in to Mastodon; crier init, which would not change the
// file, is not offered.
func TestNoAccountsInAnExistingConfig(t *testing.T) {
	m := emptyModel(t, 80, 24)
	m.c.ConfigMissing = false
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	v := m.View()
	for _, want := range []string{"~/.config/crier/config.yaml", "crier login mastodon"} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen does not say %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "crier init") {
		t.Errorf("crier init is offered for a file it would not change:\n%s", v)
	}
}
