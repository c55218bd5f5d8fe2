package inbox

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/keys"
)

// maxPresets is how many snooze presets get a digit key (1 … 9).
const maxPresets = 9

// KeyMap holds the inbox pane's own bindings. Movement is the shared
// keys.Nav from Common (arrows, j/k, g/G, pgup/pgdn), so the letters here
// avoid h, j, k, l, g and G.
type KeyMap struct {
	Done        key.Binding
	Snooze      key.Binding
	Reopen      key.Binding
	State       key.Binding // cycle the state filter
	StateBack   key.Binding
	Kind        key.Binding // cycle the kind filter
	KindBack    key.Binding
	Account     key.Binding // cycle the account filter
	AccountBack key.Binding
	Attention   key.Binding // the needs-attention view on and off
	Reply       key.Binding
	Like        key.Binding
	Repost      key.Binding
	Open        key.Binding // the item's link in the browser
	Label       key.Binding
	Select      key.Binding // mark for a bulk action
	Undo        key.Binding
	Search      key.Binding // the search line
	LabelFilter key.Binding // cycle the label filter
	LabelBack   key.Binding
	ClearSearch key.Binding // drop the search and the label filter
	KeepSearch  key.Binding // in the search line
	DropSearch  key.Binding

	// In the snooze chooser.
	Preset     key.Binding // 1 … 9
	TypeTime   key.Binding
	Cancel     key.Binding
	Confirm    key.Binding
	Clear      key.Binding // drop the selection
	Templates  key.Binding // in the reply composer: saved replies
	Send       key.Binding
	Editor     key.Binding
	CloseReply key.Binding
}

// DefaultKeyMap returns the inbox pane's bindings.
func DefaultKeyMap() KeyMap {
	digits := keys.Numbered("", maxPresets)
	return KeyMap{
		Done:        keys.New("e", "done"),
		Snooze:      keys.New("s", "snooze"),
		Reopen:      keys.New("u", "reopen"),
		State:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f/F", "state filter")),
		StateBack:   keys.New("F", "state filter, back"),
		Kind:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t/T", "kind filter")),
		KindBack:    keys.New("T", "kind filter, back"),
		Account:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a/A", "account filter")),
		AccountBack: keys.New("A", "account filter, back"),
		Attention:   keys.New("!", "needs attention"),
		// Likes and reposts are public: a capital letter guards them
		// from a stray key.
		Reply:       keys.New("r", "reply"),
		Like:        keys.New("L", "like"),
		Repost:      keys.New("B", "boost/repost"),
		Open:        keys.New("o", "open link"),
		Label:       keys.New("#", "label"),
		Select:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "select")),
		Undo:        keys.New("z", "undo"),
		Search:      keys.New("/", "search"),
		LabelFilter: key.NewBinding(key.WithKeys("v"), key.WithHelp("v/V", "label filter")),
		LabelBack:   keys.New("V", "label filter, back"),
		ClearSearch: keys.New("esc", "clear search and label"),
		KeepSearch:  keys.New("enter", "to the list"),
		DropSearch:  keys.New("esc", "clear the search"),
		Preset:      key.NewBinding(key.WithKeys(digits...), key.WithHelp("1…9", "snooze for")),
		TypeTime:    keys.New("t", "type a time"),
		Cancel:      keys.New("esc", "cancel"),
		Confirm:     keys.New("enter", "ok"),
		Clear:       keys.New("esc", "clear selection/search"),
		Templates:   keys.New("ctrl+t", "saved replies"),
		Send:        keys.New("ctrl+s", "send"),
		Editor:      keys.New("ctrl+e", "$EDITOR"),
		CloseReply:  keys.New("esc", "close (text kept)"),
	}
}
