package campaigns

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/form"
	"github.com/crier-app/crier/tui/keys"
)

// KeyMap holds the pane's own keys. Movement uses the shared keys.Nav.
type KeyMap struct {
	Open     key.Binding // list: the campaign's detail
	Back     key.Binding
	New      key.Binding // list: a new campaign
	Edit     key.Binding // list and detail: edit the campaign
	AddGoal  key.Binding
	EditGoal key.Binding // detail: the goal chosen with ←/→
	DelGoal  key.Binding // detail: delete the chosen goal (asks); list: the goal under the cursor
	// DelCampaign deletes the campaign under the cursor, or the one open
	// (asks, saying what stays).
	DelCampaign key.Binding
	Yes         key.Binding
	No          key.Binding
	Entry       key.Binding // a typed-in figure (spend on a flyer)
	Import      key.Binding
	Export      key.Binding
	Posts       key.Binding // detail: the campaign's posts, paged
	Rows        key.Binding // detail: the rows its figures add up
	Source      key.Binding // rows: the next network's rows
	Reload      key.Binding

	// In an import preview.
	Cancel  key.Binding
	Confirm key.Binding
	Map     key.Binding // the mapping step: the next field for the column
	MapRead key.Binding // the mapping step: read the file with the mapping
	MapBack key.Binding
}

// DefaultKeyMap returns the Campaigns pane's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Open:        keys.New("enter", "open"),
		Back:        keys.New("esc", "back", "backspace"),
		New:         keys.New("n", "new campaign"),
		Edit:        keys.New("e", "edit the campaign"),
		AddGoal:     keys.New("a", "add a goal"),
		EditGoal:    keys.New("o", "edit the chosen goal"),
		DelGoal:     keys.New("d", "delete the goal (asks)"),
		DelCampaign: keys.New("D", "delete the campaign (asks)"),
		Yes:         keys.New("y", "yes, delete it"),
		No:          keys.Any("no, keep it", "n", "esc"),
		Entry:       keys.New("m", "type in spend, sales…"),
		Import:      keys.New("i", "import a CSV"),
		Export:      keys.New("x", "export a report"),
		Posts:       keys.New("p", "its posts"),
		Rows:        keys.New("t", "rows behind the figures"),
		Source:      keys.New("s", "rows: the next network's"),
		Reload:      keys.New("r", "reload"),

		Cancel:  keys.Any("leave it, importing nothing", "esc", "n"),
		Confirm: keys.Any("import it", "enter", "y"),
		Map:     key.NewBinding(key.WithKeys("right", "l", " "), key.WithHelp("→/space", "next field for the column")),
		MapRead: keys.New("enter", "read the file with this mapping"),
		MapBack: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "previous field for the column")),
	}
}

// navHelp are help-only copies of the shared movement keys, described as
// they act here.
type navHelp struct {
	move, up, down, pageUp, pageDown, first, last, left, right key.Binding
}

func newNavHelp(n keys.Nav) navHelp {
	return navHelp{
		move:     keys.Joined("↑↓", "move", n.Up, n.Down),
		up:       keys.Relabel(n.Up, "up"),
		down:     keys.Relabel(n.Down, "down"),
		pageUp:   keys.Relabel(n.PageUp, "page up"),
		pageDown: keys.Relabel(n.PageDown, "page down"),
		first:    keys.Relabel(n.Home, "first"),
		last:     keys.Relabel(n.End, "last"),
		left:     keys.Relabel(n.Left, "previous goal"),
		right:    keys.Relabel(n.Right, "next goal"),
	}
}

// HelpSections are the pane's keys by where they apply.
func (m *Model) HelpSections() []common.HelpSection {
	k, n := m.keys, m.nav
	return []common.HelpSection{
		{Title: "The list", Keys: []key.Binding{n.up, n.down, n.first, n.last, k.Open, k.New, k.Edit, k.AddGoal, k.DelGoal,
			k.DelCampaign, k.Entry, k.Import, k.Export, k.Reload}},
		{Title: "A campaign", Keys: []key.Binding{n.pageUp, n.pageDown, n.left, n.right, k.EditGoal, k.DelGoal, k.DelCampaign,
			k.Posts, k.Rows, k.Source, k.Back}},
		{Title: "A form", Keys: form.DefaultKeyMap().Bindings()},
		{Title: "An import's preview", Keys: []key.Binding{k.Confirm, k.Cancel}},
		{Title: "Mapping its columns", Keys: []key.Binding{k.MapBack, k.Map, k.MapRead}},
	}
}

// Marks explain the states, and define the figures as the README does.
func (m *Model) Marks() []common.Mark {
	return []common.Mark{
		{Symbol: "CTR", Meaning: "link clicks ÷ impressions, where known"},
		{Symbol: "clk/fol", Meaning: "social link clicks ÷ their followers"},
		{Symbol: "conv rate", Meaning: "conversions ÷ sessions, else ÷ clicks"},
		{Symbol: "CPC", Meaning: "spend ÷ link clicks, where both known"},
		{Symbol: "CPA", Meaning: "spend ÷ conversions"},
		{Symbol: "ROAS", Meaning: "revenue ÷ spend"},
		{Symbol: "ROI", Meaning: "(revenue − spend) ÷ spend"},
		{Symbol: "budget", Meaning: "spend ÷ budget, in its currency"},
		{Symbol: "n/a", Meaning: "cannot be had: the detail says why"},
		{Symbol: "on track", Meaning: "the trend meets the goal in time"},
		{Symbol: "✓ / ·", Meaning: "a row counts / another source's does"},
	}
}
