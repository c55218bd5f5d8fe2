package planner

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/keys"
)

// KeyMap holds the planner's keys. Movement comes from the shared keys.Nav.
type KeyMap struct {
	NextTab, PrevTab, Close key.Binding

	// The queue.
	Account            key.Binding // help only: ←→ is the shared Nav
	MoveUp, MoveDown   key.Binding
	Shuffle, Pause     key.Binding
	EditSlots, Suggest key.Binding

	// A/B tests and repeating posts.
	Start, End, Replan               key.Binding
	EditOne, EditSeries, Reschedule  key.Binding
	Resume, Delete, Yes, No          key.Binding
	NextField, PrevField, AddVariant key.Binding
	Save, Cancel                     key.Binding
}

// DefaultKeyMap returns the planner's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextTab: keys.New("]", "next view"),
		PrevTab: keys.New("[", "previous view"),
		Close:   keys.New("esc", "back to drafts"),

		Account:   key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←→", "other account")),
		MoveUp:    keys.New("K", "move earlier", "shift+up"),
		MoveDown:  keys.New("J", "move later", "shift+down"),
		Shuffle:   keys.New("z", "shuffle"),
		Pause:     keys.New("p", "pause/resume"),
		EditSlots: keys.New("e", "edit weekly slots"),
		Suggest:   keys.New("S", "suggest slots"),

		Start:      keys.New("s", "start the test"),
		End:        keys.New("x", "end / stop"),
		Replan:     keys.New("P", "plan again"),
		EditOne:    keys.New("enter", "edit the next post alone"),
		EditSeries: keys.New("e", "edit the series' texts"),
		Reschedule: keys.New("R", "change the rule"),
		Resume:     keys.New("u", "run a stopped series again"),
		Delete:     keys.New("d", "delete a stopped series"),
		Yes:        keys.New("y", "yes, delete"),
		No:         keys.New("n", "keep it"),

		NextField:  keys.New("tab", "next field", "down"),
		PrevField:  keys.New("shift+tab", "previous field", "up"),
		AddVariant: keys.New("ctrl+n", "add a variant"),
		Save:       keys.New("enter", "save / go on", "ctrl+s"),
		Cancel:     keys.New("esc", "cancel"),
	}
}
