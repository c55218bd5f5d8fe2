package keys_test

import (
	"slices"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/tuitest"
)

func TestNavMove(t *testing.T) {
	nav := keys.DefaultNav()
	for _, tc := range []struct {
		key  string
		want int
	}{
		{"up", 4}, {"k", 4}, {"down", 6}, {"j", 6},
		{"pgup", 2}, {"ctrl+u", 2}, {"pgdown", 8}, {"ctrl+d", 8},
		{"home", 0}, {"g", 0}, {"end", 9}, {"G", 9},
		{"x", 5}, {"left", 5},
	} {
		msg := tuitest.Key(tc.key)
		if got := nav.Move(msg, 5, 3, 9); got != tc.want {
			t.Errorf("Move(%q) from 5, page 3, last 9 = %d, want %d", tc.key, got, tc.want)
		}
		moves := tc.want != 5
		if got := key.Matches(msg, nav.Moves()...); got != moves {
			t.Errorf("%q among Moves = %v, want %v", tc.key, got, moves)
		}
	}
}

// Any's help names every key it answers to, in order, arrows as signs.
func TestAnyHelpNamesItsKeys(t *testing.T) {
	for _, c := range []struct {
		keys []string
		help string
	}{
		{[]string{"up", "k"}, "↑/k"},
		{[]string{"pgdown", "ctrl+d"}, "pgdn/ctrl+d"},
		{[]string{"enter", "ctrl+s"}, "enter/ctrl+s"},
		{[]string{"left"}, "←"},
	} {
		b := keys.Any("move", c.keys...)
		if got := b.Help(); got.Key != c.help || got.Desc != "move" {
			t.Errorf("Any(%q): help %q %q, want %q", c.keys, got.Key, got.Desc, c.help)
		}
		if !slices.Equal(b.Keys(), c.keys) {
			t.Errorf("Any(%q) answers to %q", c.keys, b.Keys())
		}
	}
}
