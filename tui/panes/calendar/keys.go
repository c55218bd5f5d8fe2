package calendar

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/keys"
)

// KeyMap holds the calendar's own keys. Movement comes from the shared
// keys.Nav so arrows and hjkl mean the same here as in every other pane.
type KeyMap struct {
	Today  key.Binding
	Toggle key.Binding
	Open   key.Binding
	Back   key.Binding
	New    key.Binding
	Move   key.Binding
	// Earlier and Later shift the selected post by a day, keeping its
	// wall-clock time.
	Earlier key.Binding
	Later   key.Binding
	Confirm key.Binding
	Cancel  key.Binding
	// SendNow and Drop decide about a post's failed or missed copies: a
	// network refused them, or they came due while crier was closed.
	SendNow key.Binding
	Drop    key.Binding
	// Edit opens the selected post in the composer.
	Edit key.Binding
}

// DefaultKeyMap returns the calendar's key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Today:   keys.New("t", "today"),
		Toggle:  keys.New("v", "week/month"),
		Open:    keys.New("enter", "day's posts"),
		Back:    keys.New("esc", "back"),
		New:     keys.New("n", "new post"),
		Move:    keys.New("m", "move"),
		Earlier: keys.New("[", "day earlier"),
		Later:   keys.New("]", "day later"),
		Confirm: keys.New("enter", "move"),
		Cancel:  keys.New("esc", "cancel"),
		SendNow: keys.New("s", "send failed/missed now"),
		Drop:    keys.New("x", "drop failed/missed"),
		Edit:    keys.New("enter", "edit"),
	}
}

// navHelp holds help-only copies of the shared movement keys, described as
// they act in the grid and in the agenda.
type navHelp struct {
	move                             key.Binding // one summary entry for the short help
	left, right, up, down            key.Binding
	pageUp, pageDown, first, last    key.Binding
	agendaUp, agendaDown, prev, next key.Binding
}

func newNavHelp(n keys.Nav) navHelp {
	return navHelp{
		move:       keys.Joined("←↓↑→", "move", n.Left, n.Down, n.Up, n.Right),
		left:       keys.Relabel(n.Left, "previous day"),
		right:      keys.Relabel(n.Right, "next day"),
		up:         keys.Relabel(n.Up, "previous week"),
		down:       keys.Relabel(n.Down, "next week"),
		pageUp:     keys.Relabel(n.PageUp, "previous month/week"),
		pageDown:   keys.Relabel(n.PageDown, "next month/week"),
		first:      keys.Relabel(n.Home, "first day"),
		last:       keys.Relabel(n.End, "last day"),
		agendaUp:   keys.Relabel(n.Up, "previous post"),
		agendaDown: keys.Relabel(n.Down, "next post"),
		prev:       keys.Relabel(n.Left, "previous day"),
		next:       keys.Relabel(n.Right, "next day"),
	}
}
