package campaigns

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestGolden snapshots the list, a campaign's detail, its rows and a form
// at the sizes the pane gets in an 80x24 and a 120x40 terminal.
func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		for _, view := range []struct {
			name string
			keys []string
		}{
			{"list", []string{"j"}},
			{"detail", []string{"j", "enter"}},
			{"detail-end", []string{"j", "enter", "G"}},
			{"rows", []string{"j", "enter", "t"}},
			{"goal-form", []string{"j", "enter", "a"}},
		} {
			t.Run(fmt.Sprintf("%s/%dx%d", view.name, size[0], size[1]), func(t *testing.T) {
				h := newHarness(t, size[0], size[1])
				h.press(view.keys...)
				golden.RequireEqual(t, []byte(h.view()))
			})
		}
	}
}
