package inbox

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// Writes names the inbox keys that change an item or answer it, for a
// read-only session: in the list, reply, done, snooze, reopen, like,
// boost, label and undo. The reply, snooze and label modes are only
// reached through them.
func (m *Model) Writes(msg tea.KeyMsg) (string, bool) {
	if m.reply != nil || m.searching || m.snoozing || m.labeling {
		return "", false
	}
	k := m.keys
	return common.WritesWith(msg, k.Reply, k.Done, k.Snooze, k.Reopen, k.Like, k.Repost, k.Label, k.Undo)
}
