package savedreplies

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/keys"
)

// KeyMap are the picker's keys. Letters, digits and space type into the
// filter, so movement and actions sit on arrows and ctrl keys rather than
// the shared vim-style c.Nav.
type KeyMap struct {
	// The list.
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Pick     key.Binding
	New      key.Binding
	Edit     key.Binding
	Delete   key.Binding
	Close    key.Binding

	// Asked before deleting.
	ConfirmDelete key.Binding
	KeepIt        key.Binding

	// The form that writes a template.
	Save      key.Binding
	NextField key.Binding
	PrevField key.Binding
	Cancel    key.Binding
}

// DefaultKeyMap returns the picker's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       keys.Any("up", "up", "ctrl+k"),
		Down:     keys.Any("down", "down", "ctrl+j"),
		PageUp:   keys.New("pgup", "page up"),
		PageDown: keys.Any("page down", "pgdown"),
		Pick:     keys.New("enter", "use it"),
		New:      keys.New("ctrl+n", "new"),
		Edit:     keys.New("ctrl+e", "edit"),
		Delete:   keys.New("ctrl+d", "delete"),
		Close:    keys.New("esc", "close"),

		ConfirmDelete: keys.New("y", "delete it"),
		KeepIt:        keys.Any("keep it", "n", "esc"),

		Save:      keys.New("ctrl+s", "save"),
		NextField: keys.New("tab", "next field"),
		PrevField: keys.New("shift+tab", "previous field"),
		Cancel:    keys.New("esc", "cancel"),
	}
}

// ShortHelp is the footer for what the picker shows now.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return []key.Binding{k.Save, k.NextField, k.Cancel}
	case modeConfirm:
		return []key.Binding{k.ConfirmDelete, k.KeepIt}
	}
	return []key.Binding{k.Pick, k.New, k.Edit, k.Delete, k.Close}
}

// FullHelp is every key of the picker, for the ? screen.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Pick, k.Close},
		{k.New, k.Edit, k.Delete, k.ConfirmDelete, k.KeepIt},
		{k.Save, k.NextField, k.PrevField, k.Cancel},
	}
}
