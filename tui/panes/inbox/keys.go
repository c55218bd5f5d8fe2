package inbox

import "github.com/charmbracelet/bubbles/key"

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
	digits := make([]string, maxPresets)
	for i := range digits {
		digits[i] = string(rune('1' + i))
	}
	return KeyMap{
		Done:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "done")),
		Snooze:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "snooze")),
		Reopen:      key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "reopen")),
		State:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f/F", "state filter")),
		StateBack:   key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "state filter, back")),
		Kind:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t/T", "kind filter")),
		KindBack:    key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "kind filter, back")),
		Account:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a/A", "account filter")),
		AccountBack: key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "account filter, back")),
		Attention:   key.NewBinding(key.WithKeys("!"), key.WithHelp("!", "needs attention")),
		// Likes and reposts are public: a capital letter guards them
		// from a stray key.
		Reply:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reply")),
		Like:        key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "like")),
		Repost:      key.NewBinding(key.WithKeys("B"), key.WithHelp("B", "boost/repost")),
		Open:        key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open link")),
		Label:       key.NewBinding(key.WithKeys("#"), key.WithHelp("#", "label")),
		Select:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "select")),
		Undo:        key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "undo")),
		Search:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		LabelFilter: key.NewBinding(key.WithKeys("v"), key.WithHelp("v/V", "label filter")),
		LabelBack:   key.NewBinding(key.WithKeys("V"), key.WithHelp("V", "label filter, back")),
		ClearSearch: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search and label")),
		KeepSearch:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "to the list")),
		DropSearch:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear the search")),
		Preset:      key.NewBinding(key.WithKeys(digits...), key.WithHelp("1…9", "snooze for")),
		TypeTime:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "type a time")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Confirm:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "ok")),
		Clear:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear selection/search")),
		Templates:   key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "saved replies")),
		Send:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send")),
		Editor:      key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "$EDITOR")),
		CloseReply:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close (text kept)")),
	}
}

// presetIndex returns which preset (0-based) a digit key picks.
func presetIndex(k string) (int, bool) {
	if len(k) != 1 || k[0] < '1' || k[0] > '9' {
		return 0, false
	}
	return int(k[0] - '1'), true
}
