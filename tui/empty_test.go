package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/store"
)

// emptyModel is crier's first start: no accounts, an empty database.
func emptyModel(t *testing.T, w, h int) *Model {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "crier.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := testCommon(t, st, func() time.Time { return frozen })
	c.Demo = false
	c.ConfigFile = "~/.config/crier/config.yaml"
	m := New(c, nil)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	feed(m, runQuick(m.Init()))
	return m
}

// With no accounts, every pane (and the composer) says which command adds
// one and which file holds them, and the screen still fits.
func TestNoAccountsEveryPaneSaysWhatToDo(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"calendar", nil}, {"drafts", []string{"2"}}, {"inbox", []string{"3"}}, {"kpis", []string{"4"}},
		{"composer", []string{"2", "n"}}, {"help", []string{"?"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range screens {
			t.Run(sc.name+"-"+itoa(size[0])+"x"+itoa(size[1]), func(t *testing.T) {
				m := emptyModel(t, size[0], size[1])
				for _, k := range sc.keys {
					feed(m, press(k))
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
