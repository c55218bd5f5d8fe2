// Package keys holds crier's global key bindings and the navigation keys that
// every pane shares, so the same key means the same thing everywhere and the
// help screen is generated from the bindings themselves.
package keys

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// Global are handled by the root model before any pane sees a key.
type Global struct {
	Calendar  key.Binding
	Drafts    key.Binding
	Inbox     key.Binding
	KPIs      key.Binding
	Campaigns key.Binding
	NextTab   key.Binding
	PrevTab   key.Binding
	Help      key.Binding
	Quit      key.Binding
	ForceQuit key.Binding
	SyncNow   key.Binding
}

// DefaultGlobal returns the global bindings.
func DefaultGlobal() Global {
	return Global{
		Calendar:  New("1", "calendar"),
		Drafts:    New("2", "drafts"),
		Inbox:     New("3", "inbox"),
		KPIs:      New("4", "KPIs"),
		Campaigns: New("5", "campaigns"),
		NextTab:   New("tab", "next pane"),
		PrevTab:   New("shift+tab", "previous pane"),
		Help:      New("?", "help"),
		Quit:      New("q", "quit"),
		ForceQuit: New("ctrl+c", "quit"),
		SyncNow:   New("ctrl+r", "sync now"),
	}
}

// ShortHelp is what the footer shows.
func (g Global) ShortHelp() []key.Binding {
	return []key.Binding{g.NextTab, g.Help, g.Quit}
}

// FullHelp is the global column of the ? screen.
func (g Global) FullHelp() [][]key.Binding {
	return [][]key.Binding{{g.Calendar, g.Drafts, g.Inbox, g.KPIs, g.Campaigns, g.NextTab, g.PrevTab, g.SyncNow, g.Help, g.Quit, g.ForceQuit}}
}

// Nav are the movement keys shared by lists and grids: arrows and vim keys.
type Nav struct {
	Up       key.Binding
	Down     key.Binding
	Left     key.Binding
	Right    key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding
}

// DefaultNav returns the shared movement keys.
func DefaultNav() Nav {
	return Nav{
		Up:       Any("up", "up", "k"),
		Down:     Any("down", "down", "j"),
		Left:     Any("left", "left", "h"),
		Right:    Any("right", "right", "l"),
		PageUp:   Any("page up", "pgup", "ctrl+u"),
		PageDown: Any("page down", "pgdown", "ctrl+d"),
		Home:     Any("first", "home", "g"),
		End:      Any("last", "end", "G"),
	}
}

// Moves are the keys that move along a list or a page of lines: up and
// down by one or a page, to the first and the last; Move says where.
func (n Nav) Moves() []key.Binding {
	return []key.Binding{n.Up, n.Down, n.PageUp, n.PageDown, n.Home, n.End}
}

// Move is where one of the Moves keys takes a position at in a list whose
// page is page long and whose last position is last: at itself for any
// other key. The caller clamps it.
func (n Nav) Move(msg fmt.Stringer, at, page, last int) int {
	switch {
	case key.Matches(msg, n.Up):
		return at - 1
	case key.Matches(msg, n.Down):
		return at + 1
	case key.Matches(msg, n.PageUp):
		return at - page
	case key.Matches(msg, n.PageDown):
		return at + page
	case key.Matches(msg, n.Home):
		return 0
	case key.Matches(msg, n.End):
		return last
	}
	return at
}

// Relabel is b with the same keys and a description that says what it does
// where it is listed ("↑/k" moves a week in the calendar's grid, a post in
// its agenda).
func Relabel(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// Joined is one binding on every key of bs, listed in help as k with desc:
// a help entry that stands for several moves ("↑↓ move").
func Joined(k, desc string, bs ...key.Binding) key.Binding {
	var all []string
	for _, b := range bs {
		all = append(all, b.Keys()...)
	}
	return key.NewBinding(key.WithKeys(all...), key.WithHelp(k, desc))
}

// Numbered are the keys prefix+"1" to prefix+n, n at most 9: the digits
// ("") or alt+1 and on ("alt+"), for the first n of a list.
func Numbered(prefix string, n int) []string {
	ks := make([]string, min(n, 9))
	for i := range ks {
		ks[i] = prefix + string(rune('1'+i))
	}
	return ks
}

// NumberOf is which of the keys prefix+"1" to prefix+"9" k is, from 0 (the
// place in the list Numbered keys), and false for any other key.
func NumberOf(prefix, k string) (int, bool) {
	d, ok := strings.CutPrefix(k, prefix)
	if !ok || len(d) != 1 || d[0] < '1' || d[0] > '9' {
		return 0, false
	}
	return int(d[0] - '1'), true
}

// Any is a binding on each of ks, listed in help as all of them in that
// order, joined by "/", with the arrows and page down as the help writes
// them ("↑/k", "pgdn/ctrl+d"): as with New, the help names exactly the keys
// the binding answers to.
func Any(desc string, ks ...string) key.Binding {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k
		if n, ok := helpNames[k]; ok {
			names[i] = n
		}
	}
	return key.NewBinding(key.WithKeys(ks...), key.WithHelp(strings.Join(names, "/"), desc))
}

// helpNames are the keys help writes as a sign or shorter.
var helpNames = map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgdown": "pgdn"}

// New is a binding on k (and more keys besides), listed in help as k with
// desc: the help can't name a key the binding does not answer to.
func New(k, desc string, more ...string) key.Binding {
	return key.NewBinding(key.WithKeys(append([]string{k}, more...)...), key.WithHelp(k, desc))
}
