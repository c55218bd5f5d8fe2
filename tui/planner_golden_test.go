package tui

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/tui/tuitest"
)

// TestGoldenPlanner snapshots the planner over the drafts pane at both
// reference sizes: the queue of each account, the slot editor with
// suggestions from the best times, the demo's running A/B test with its
// verdict, the repeating posts, and the forms that make a test and a
// repeat from a draft.
func TestGoldenPlanner(t *testing.T) {
	screens := []struct {
		name   string
		keys   []string
		typed  string
		marker string
	}{
		{"queue", []string{"Q"}, "", "Weekly slots"},
		{"queue-second-account", []string{"Q", "right"}, "", "2 of 2"},
		{"slots-suggested", []string{"Q", "S"}, "", "Suggested from the best times"},
		{"abtests", []string{"Q", "]"}, "", "VARIANT"},
		{"series", []string{"Q", "]", "]"}, "", "next:"},
		{"abtest-form", []string{"g", "b"}, "Stollen: forty loaves, one recipe", "New A/B test"},
		{"repeat-form", []string{"g", "r"}, "weekly on Saturday at 07:30 until 2027-03-01", "Posts: "},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range screens {
			t.Run(sc.name+"-"+itoa(size[0])+"x"+itoa(size[1]), func(t *testing.T) {
				clock := tuitest.NewClock(frozen)
				app := tuitest.Start(t, clock, New(testCommon(t, seededStore(t), clock), nil), size[0], size[1])
				app.Press("2")
				app.WaitView("Drafts & queue")
				app.Press(sc.keys...)
				if sc.typed != "" {
					app.Type(sc.typed)
				}
				app.WaitView(sc.marker)
				app.Send(press("ctrl+c"))
				golden.RequireEqual(t, []byte(app.Final().(*Model).View()))
			})
		}
	}
}
