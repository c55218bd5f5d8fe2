package drafts

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// Writes names the list keys that write, for a read-only session: a new
// post, opening one to edit, delete, back to drafts, send or drop its
// failed copies, add it to the queue, an A/B test or a repeat of it, and
// the planner (whose keys change the queue). The composer, the planner and
// the delete question are only reached through them.
func (m *Model) Writes(msg tea.KeyMsg) (string, bool) {
	if m.comp != nil || m.confirming || m.plan != nil {
		return "", false
	}
	k := m.keys
	return common.WritesWith(msg, k.New, k.Edit, k.Delete, k.Unqueue, k.SendNow, k.Drop,
		k.AddToQueue, k.ABTest, k.Repeat, k.Planner)
}
