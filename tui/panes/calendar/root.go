package calendar

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/postcopy"
	"github.com/crier-app/crier/tui/keys"
)

// TypingText is true while a new time is typed for a post.
func (m *Model) TypingText() bool { return m.moving }

// HelpSections are the calendar's keys under the place each applies: the
// grid, the day's agenda, and typing a new time.
func (m *Model) HelpSections() []common.HelpSection {
	n, k := m.nav, m.keys
	return []common.HelpSection{
		{Title: "Month and week grid", Keys: []key.Binding{n.left, n.right, n.up, n.down, n.pageUp, n.pageDown, n.first, n.last,
			k.Today, keys.Relabel(k.Toggle, "week/month view"), k.Open, keys.Relabel(k.New, "new post on the day")}},
		{Title: "A day's posts (enter)", Keys: []key.Binding{n.agendaUp, n.agendaDown, n.prev, n.next,
			k.Edit, keys.Relabel(k.Move, "move to a typed time"), k.Earlier, k.Later, keys.Relabel(k.New, "new post on the day"),
			k.SendNow, k.Drop, keys.Relabel(k.Back, "back to the grid")}},
		{Title: "Typing a new time (m)", Keys: []key.Binding{k.Confirm, k.Cancel}},
	}
}

// Marks are what the grid and the agenda draw.
func (m *Model) Marks() []common.Mark {
	marks := make([]common.Mark, 0, len(legendStates)+len(common.NetworkLabels)+5)
	for _, s := range legendStates {
		lk := m.look(s)
		if s == postHeld {
			lk.word = "held: its queue is paused (Drafts: Q, p)"
		}
		marks = append(marks, common.Mark{Symbol: lk.glyph, Meaning: lk.word})
	}
	for _, n := range common.NetworkLabels {
		marks = append(marks, common.Mark{Symbol: n.Letter, Meaning: "goes to " + n.Name})
	}
	return append(marks,
		common.Mark{Symbol: postcopy.GlyphFailed + "B" + postcopy.GlyphSent + "M", Meaning: "copies in different states: each letter after its own"},
		common.Mark{Symbol: postcopy.GlyphDropped, Meaning: "a copy dropped: it won't go out"},
		common.Mark{Symbol: "◆ name", Meaning: "in the day's list: the post's campaign"},
		common.Mark{Symbol: postcopy.GlyphSending, Meaning: "a copy being sent now"},
		common.Mark{Symbol: cursorMark, Meaning: "the cursor's day or post"},
		common.Mark{Symbol: "+3 more", Meaning: "more posts than the cell holds"})
}

// postName names a post at the start of a status message
// (common.PostName).
func postName(body string) string { return common.PostName(body, 24, "The post with no text") }

// nameOf names the post with id among those loaded, or says "The post".
func (m *Model) nameOf(id int64) string {
	for _, posts := range m.byDay {
		for _, p := range posts {
			if p.ID == id {
				return postName(p.Body)
			}
		}
	}
	return "The post"
}
