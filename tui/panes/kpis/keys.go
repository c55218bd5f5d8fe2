package kpis

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/keys"
)

// KeyMap holds the pane's own keys. Scrolling uses the shared keys.Nav.
type KeyMap struct {
	Reload key.Binding
	Export key.Binding
	// Picking a top post and opening its numbers over time.
	NextPost, PrevPost, Open, Close key.Binding
}

// DefaultKeyMap returns the KPI pane's key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Reload:   keys.New("r", "reload"),
		Export:   keys.New("x", "export a report"),
		NextPost: keys.New("]", "pick a top post"),
		PrevPost: keys.New("[", "previous top post"),
		Open:     keys.New("enter", "post numbers"),
		Close:    keys.New("esc", "back to the figures"),
	}
}

// navHelp holds help-only copies of the shared movement keys, described as
// they act here.
type navHelp struct {
	scroll                                  key.Binding // one entry for the short help
	up, down, pageUp, pageDown, first, last key.Binding
}

func newNavHelp(n keys.Nav) navHelp {
	return navHelp{
		scroll:   keys.Joined("↑↓", "scroll", n.Up, n.Down),
		up:       keys.Relabel(n.Up, "scroll up"),
		down:     keys.Relabel(n.Down, "scroll down"),
		pageUp:   keys.Relabel(n.PageUp, "page up"),
		pageDown: keys.Relabel(n.PageDown, "page down"),
		first:    keys.Relabel(n.Home, "top"),
		last:     keys.Relabel(n.End, "bottom"),
	}
}
