package drafts

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/keys"
)

// maxToggleKeys is how many accounts have an alt+N toggle (alt+1 … alt+9).
const maxToggleKeys = 9

// KeyMap holds the drafts pane's own bindings. Movement comes from the shared
// keys.Nav in Common so it matches every other pane.
type KeyMap struct {
	// List.
	New     key.Binding
	Edit    key.Binding
	Delete  key.Binding
	Unqueue key.Binding // a queued, failed or missed post back to drafts
	SendNow key.Binding // its failed and missed copies, now
	Drop    key.Binding // its failed and missed copies, for good
	// The queue and what plans posts (plan.go).
	Planner    key.Binding
	AddToQueue key.Binding // the draft into the next free slots (list and composer)
	ABTest     key.Binding
	Repeat     key.Binding
	Yes        key.Binding
	No         key.Binding

	// Composer.
	NextField     key.Binding
	PrevField     key.Binding
	Toggle        key.Binding
	ToggleAccount key.Binding // alt+1 … alt+9, from any field
	Version       key.Binding // the text for all, or one account's own
	Queue         key.Binding
	QueueNext     key.Binding // into the next free slots of the queue
	Editor        key.Binding
	Close         key.Binding

	// The Photos field and its prompts.
	Attach   key.Binding
	AltText  key.Binding
	Remove   key.Binding
	Complete key.Binding
	PromptOK key.Binding
}

// DefaultKeyMap returns the drafts pane's bindings.
func DefaultKeyMap() KeyMap {
	toggleKeys := keys.Numbered("alt+", maxToggleKeys)
	return KeyMap{
		New:     keys.New("n", "new post"),
		Edit:    keys.New("enter", "edit"),
		Delete:  keys.New("d", "delete"),
		Unqueue: keys.New("u", "back to drafts"),
		SendNow: keys.New("s", "send failed/missed now"),
		Drop:    keys.New("x", "drop failed/missed"),

		Planner:    keys.New("Q", "queue, A/B tests"),
		AddToQueue: keys.New("a", "add to the queue"),
		ABTest:     keys.New("b", "A/B test this draft"),
		Repeat:     keys.New("r", "repeat this post"),
		Yes:        keys.New("y", "yes, delete"),
		No:         keys.Any("keep it", "n", "esc"),

		NextField:     keys.New("tab", "next field"),
		PrevField:     keys.New("shift+tab", "previous field"),
		Toggle:        key.NewBinding(key.WithKeys(" ", "enter"), key.WithHelp("space", "toggle account")),
		ToggleAccount: key.NewBinding(key.WithKeys(toggleKeys...), key.WithHelp("alt+1…9", "toggle account N")),
		Version:       keys.New("ctrl+o", "next network's text"),
		Queue:         keys.New("ctrl+s", "queue"),
		QueueNext:     keys.New("ctrl+q", "add to the queue"),
		Editor:        keys.New("ctrl+e", "$EDITOR"),
		Close:         keys.New("esc", "save & close"),

		Attach:   keys.New("a", "attach a photo (Photos)"),
		AltText:  keys.New("enter", "alt text (Photos)", "e"),
		Remove:   keys.New("x", "remove photo (Photos)", "delete", "backspace"),
		Complete: keys.New("tab", "complete a photo's path"),
		PromptOK: keys.New("enter", "attach / keep"),
	}
}

func listFullHelp(k KeyMap, nav keys.Nav) [][]key.Binding {
	return [][]key.Binding{
		{nav.Up, nav.Down, nav.PageUp, nav.PageDown, nav.Home, nav.End},
		{k.New, k.Edit, k.Delete, k.Unqueue, k.SendNow, k.Drop},
		{k.AddToQueue, k.Planner, k.ABTest, k.Repeat},
	}
}

func confirmHelp(k KeyMap) []key.Binding { return []key.Binding{k.Yes, k.No} }

func composerShortHelp(k KeyMap) []key.Binding {
	return []key.Binding{k.Queue, k.Close, k.NextField, k.Version, k.ToggleAccount, k.Editor}
}

func composerFullHelp(k KeyMap) [][]key.Binding {
	return [][]key.Binding{
		{k.NextField, k.PrevField, k.Toggle, k.ToggleAccount, k.Version},
		{k.Queue, k.QueueNext, k.Editor, k.Close},
		{k.Attach, k.AltText, k.Remove, k.Complete},
	}
}
