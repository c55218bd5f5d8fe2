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

	// In the snooze chooser.
	Preset key.Binding // 1 … 9
	Cancel key.Binding
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
		Preset:      key.NewBinding(key.WithKeys(digits...), key.WithHelp("1…9", "snooze for")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// presetIndex returns which preset (0-based) a digit key picks.
func presetIndex(k string) (int, bool) {
	if len(k) != 1 || k[0] < '1' || k[0] > '9' {
		return 0, false
	}
	return int(k[0] - '1'), true
}
