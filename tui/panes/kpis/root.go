package kpis

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/form"
)

// HelpSections are the KPI pane's keys.
func (m *Model) HelpSections() []common.HelpSection {
	n := m.nav
	return []common.HelpSection{
		{Title: "The figures", Keys: []key.Binding{n.up, n.down, n.pageUp, n.pageDown, n.first, n.last, m.keys.Reload, m.keys.Export}},
		{Title: "Exporting", Keys: form.DefaultKeyMap().Bindings()},
		{Title: "Top posts", Keys: []key.Binding{m.keys.NextPost, m.keys.PrevPost, m.keys.Open, m.keys.Close}},
		{Title: "Best times", Keys: []key.Binding{m.heatKeys.Account, m.heatKeys.Counts}},
	}
}

// Marks are what the figures draw besides numbers.
func (m *Model) Marks() []common.Mark {
	return []common.Mark{
		{Symbol: "▁▃▅█", Meaning: "a bar a day, from the lowest to the highest"},
		{Symbol: "↑↓ more", Meaning: "more above or below: scroll"},
		{Symbol: "+12 / −3", Meaning: "followers gained or lost over 7 / 30 days"},
		{Symbol: "▲ 12% ▼ 0.4 pts =", Meaning: "up, down or level against the 30 days before (rates in points)"},
		{Symbol: "░▒▓█", Meaning: "best times: engagement from low to high"},
		{Symbol: "·", Meaning: "best times: too few posts in that hour to say"},
		{Symbol: "·2 / 14 / ++", Meaning: "best times (#): posts in that hour; more than fit"},
		{Symbol: "›", Meaning: "the top post enter opens"},
		{Symbol: "Rate —", Meaning: "no follower count when the post went out"},
		{Symbol: "n/a", Meaning: "not enough history for the change yet"},
		{Symbol: "no data", Meaning: "no follower count read yet (ctrl+r syncs)"},
	}
}
