package kpis

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestGolden snapshots the pane at the sizes it gets in an 80x24 and a
// 120x40 terminal.
func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			f := newFixture(t)
			m := newModel(t, f, size[0], size[1])
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

// TestGoldenScrolled snapshots the compact layout scrolled to the bottom of
// a pane too short for it.
func TestGoldenScrolled(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 80, 12)
	press(m, "end")
	golden.RequireEqual(t, []byte(m.View()))
}
