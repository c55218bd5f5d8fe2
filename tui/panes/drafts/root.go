package drafts

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/postcopy"
	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/panes/planner"
)

// TypingText is true while a text field has the composer's keyboard: the
// text, the time, or a photo's path or alt text (not the accounts or the
// photos list), so the root hands it runes that arrived together as one
// piece of text.
func (m *Model) TypingText() bool {
	if m.comp == nil && m.plan != nil {
		return m.plan.TypingText()
	}
	if m.comp == nil {
		return false
	}
	return m.comp.prompt != nil || m.comp.focus == fieldText || m.comp.focus == fieldTime
}

// HelpSections are the drafts pane's keys under the place each applies.
func (m *Model) HelpSections() []common.HelpSection {
	n, k := m.c.Nav, m.keys
	sections := []common.HelpSection{
		{Title: "The list", Keys: []key.Binding{n.Up, n.Down, n.PageUp, n.PageDown, n.Home, n.End,
			k.New, keys.Relabel(k.Edit, "edit (stays queued)"), k.Delete, k.Unqueue, k.SendNow, k.Drop,
			k.AddToQueue, k.Planner, k.ABTest, k.Repeat}},
		{Title: "Deleting (d asks first)", Keys: []key.Binding{k.Yes, k.No}},
		{Title: "Writing a post (n, enter)", Keys: []key.Binding{k.NextField, k.PrevField, k.Version,
			k.ToggleAccount, k.Queue, k.QueueNext, k.Editor, k.Close}},
		{Title: "In the To field", Keys: []key.Binding{keys.Relabel(k.Toggle, "toggle the account")}},
		{Title: "In the Photos field", Keys: []key.Binding{k.Attach, k.AltText, k.Remove}},
		{Title: "In the Campaign field", Keys: []key.Binding{keys.Relabel(n.Left, "previous campaign"),
			keys.Relabel(n.Right, "next campaign")}},
		{Title: "Typing a photo's path or alt text", Keys: []key.Binding{k.Complete, k.PromptOK}},
	}
	// The planner's keys come next to the list's, where it opens.
	return append(sections[:1], append(planner.HelpSections(planner.DefaultKeyMap()), sections[1:]...)...)
}

// Marks are what the list draws.
func (m *Model) Marks() []common.Mark {
	return []common.Mark{
		{Symbol: "▸", Meaning: "the cursor"},
		{Symbol: "draft", Meaning: "not queued: it won't go out"},
		{Symbol: "queued", Meaning: "goes out at its time"},
		{Symbol: "failed", Meaning: "a copy was not sent"},
		{Symbol: "missed", Meaning: "came due while crier was closed"},
		{Symbol: postcopy.GlyphQueued, Meaning: "a copy waits for its time"},
		{Symbol: postcopy.GlyphHeld, Meaning: "held: its queue is paused"},
		{Symbol: postcopy.GlyphSending, Meaning: "being sent now"},
		{Symbol: postcopy.GlyphSent, Meaning: "sent"},
		{Symbol: postcopy.GlyphFailed, Meaning: "not sent (the reason follows)"},
		{Symbol: postcopy.GlyphMissed, Meaning: "missed: s sends, x drops"},
		{Symbol: postcopy.GlyphDropped, Meaning: "dropped: it won't go out"},
		{Symbol: "◆ name", Meaning: "the post's campaign"},
	}
}

// postName names a post in a status message (common.PostName).
func postName(body string) string { return common.PostName(body, 24, "the post with no text") }

// nameOf names the post with id in the list, or says "the post".
func (m *Model) nameOf(id int64) string {
	for _, it := range m.items {
		if it.ID == id {
			return postName(it.Body)
		}
	}
	return "the post"
}
