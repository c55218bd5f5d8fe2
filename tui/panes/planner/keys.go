package planner

import "github.com/charmbracelet/bubbles/key"

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
		NextTab: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next view")),
		PrevTab: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous view")),
		Close:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to drafts")),

		Account:   key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←→", "other account")),
		MoveUp:    key.NewBinding(key.WithKeys("K", "shift+up"), key.WithHelp("K", "move earlier")),
		MoveDown:  key.NewBinding(key.WithKeys("J", "shift+down"), key.WithHelp("J", "move later")),
		Shuffle:   key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "shuffle")),
		Pause:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause/resume")),
		EditSlots: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit weekly slots")),
		Suggest:   key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "suggest slots")),

		Start:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "start the test")),
		End:        key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "end / stop")),
		Replan:     key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "plan again")),
		EditOne:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit the next post alone")),
		EditSeries: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit the series' text")),
		Reschedule: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "change the rule")),
		Resume:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "run a stopped series again")),
		Delete:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete a stopped series")),
		Yes:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, delete")),
		No:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "keep it")),

		NextField:  key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		PrevField:  key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		AddVariant: key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "add a variant")),
		Save:       key.NewBinding(key.WithKeys("enter", "ctrl+s"), key.WithHelp("enter", "save / go on")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}
