package drafts

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/common"
)

// TypingText is true while the composer's text or time field has the
// keyboard (not its account list), so the root hands it runes that arrived
// together as one piece of text.
func (m *Model) TypingText() bool { return m.comp != nil && m.comp.focus != fieldAccounts }

// HelpSections are the drafts pane's keys under the place each applies: the
// list, the question before deleting, and the composer.
func (m *Model) HelpSections() []common.HelpSection {
	n, k := m.c.Nav, m.keys
	return []common.HelpSection{
		{Title: "The list", Keys: []key.Binding{n.Up, n.Down, n.PageUp, n.PageDown, n.Home, n.End, k.New, k.Edit, k.Delete}},
		{Title: "Deleting (d asks first)", Keys: []key.Binding{k.Yes, k.No}},
		{Title: "Writing a post (n, enter)", Keys: []key.Binding{k.NextField, k.PrevField,
			relabel(k.Toggle, "toggle the account (in the accounts)"), k.ToggleAccount, k.Queue, k.Editor, k.Close}},
	}
}

// Marks are what the list draws.
func (m *Model) Marks() []common.Mark {
	return []common.Mark{
		{Symbol: "▸", Meaning: "the cursor"},
		{Symbol: "draft", Meaning: "not queued: it won't go out"},
		{Symbol: "queued", Meaning: "goes out at its time"},
		{Symbol: "failed", Meaning: "a network refused it"},
		{Symbol: "missed", Meaning: "came due while crier was closed"},
		{Symbol: "✗", Meaning: "the network's reason for a failure"},
	}
}

// relabel returns b with the same keys and a description that says what it
// does here.
func relabel(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
