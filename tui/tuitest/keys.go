package tuitest

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// keyTypes are Bubble Tea's own key names ("enter", "ctrl+s", "pgdown",
// "shift+tab"...), read from the key types themselves.
var keyTypes = func() map[string]tea.KeyType {
	names := map[string]tea.KeyType{}
	for k := tea.KeyType(-256); k < 256; k++ {
		if n := k.String(); n != "" && k != tea.KeyRunes {
			if _, dup := names[n]; !dup {
				names[n] = k
			}
		}
	}
	return names
}()

// Key is the key message a terminal sends for a key named as Bubble Tea
// and key bindings name it: "enter", "esc", "ctrl+s", "pgdown", "space" or
// " ", "alt+2"; anything else is typed text, all in one message as a
// burst of keys arrives.
func Key(name string) tea.KeyMsg {
	if name == "space" {
		name = " " // Bubble Tea's name for it
	}
	if t, ok := keyTypes[name]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	if rest, ok := strings.CutPrefix(name, "alt+"); ok && rest != "" {
		k := Key(rest)
		k.Alt = true
		return k
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// Paste is text pasted into the terminal (a bracketed paste).
func Paste(text string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true}
}
