package inbox

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/savedreplies"
	"github.com/crier-app/crier/tui/keys"
)

// TypingText is true while a text field has the keyboard: the reply (not
// its saved-reply picker), a label, the search, or a typed snooze time. The snooze
// presets take their digits one by one, as keys.
func (m *Model) TypingText() bool {
	return m.labeling || m.searching || (m.snoozing && m.typingTime) || (m.reply != nil && (m.reply.picker == nil || !m.reply.picker.Active()))
}

// HelpSections are the inbox's keys under the place each applies.
func (m *Model) HelpSections() []common.HelpSection {
	n, k := m.c.Nav, m.keys
	p := savedreplies.DefaultKeyMap()
	return []common.HelpSection{
		{Title: "The list", Keys: []key.Binding{n.Up, n.Down, n.PageUp, n.PageDown, n.Home, n.End}},
		{Title: "The item (or the selection)", Keys: []key.Binding{k.Reply, k.Done, k.Snooze, k.Reopen, k.Undo,
			k.Like, k.Repost, k.Label, k.Open}},
		{Title: "Selecting for a bulk action", Keys: []key.Binding{k.Select, keys.Relabel(k.Clear, "clear the selection")}},
		{Title: "Filters and search", Keys: []key.Binding{k.State, k.Kind, k.Account, k.LabelFilter, k.Attention, k.Search, keys.Relabel(k.ClearSearch, "clear search and label")}},
		{Title: "Typing a search (/)", Keys: []key.Binding{k.KeepSearch, k.DropSearch}},
		{Title: "Snoozing (s)", Keys: []key.Binding{k.Preset, k.TypeTime, keys.Relabel(k.Confirm, "snooze until the typed time"), k.Cancel}},
		{Title: "Labelling (#)", Keys: []key.Binding{keys.Relabel(k.Confirm, "add the label"), k.Cancel}},
		{Title: "Replying (r)", Keys: []key.Binding{k.Send, k.Templates, k.Editor, k.CloseReply}},
		{Title: "Saved replies (ctrl+t while replying)", Keys: []key.Binding{p.Up, p.Down,
			keys.Relabel(p.Pick, "insert it"), p.New, keys.Relabel(p.Edit, "edit it"), keys.Relabel(p.Delete, "delete it (asks)"), p.Close}},
	}
}

// Marks are what the list draws in its first columns.
func (m *Model) Marks() []common.Mark {
	return []common.Mark{
		{Symbol: "›", Meaning: "the cursor (» when it is also selected)"},
		{Symbol: "*", Meaning: "selected for a bulk action (space)"},
		{Symbol: "●", Meaning: "unread"},
		{Symbol: "✓", Meaning: "done"},
		{Symbol: "z", Meaning: "snoozed"},
		{Symbol: "−", Meaning: "negative tone"},
		{Symbol: "·", Meaning: "neutral tone"},
		{Symbol: "+", Meaning: "positive tone"},
		{Symbol: "↩", Meaning: "you replied"},
		{Symbol: "♥", Meaning: "you liked it"},
		{Symbol: "⇄", Meaning: "you boosted/reposted it"},
		{Symbol: "[label]", Meaning: "its labels, before the text (#)"},
		{Symbol: "deleted", Meaning: "its author deleted it: no reply goes to it"},
	}
}
