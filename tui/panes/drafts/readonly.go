package drafts

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// Writes names the list keys that write, for a read-only session: a new
// post, opening one to edit, delete, back to drafts, send or drop its
// failed copies. The composer and the delete question are only reached
// through them.
func (m *Model) Writes(msg tea.KeyMsg) (string, bool) {
	if m.comp != nil || m.confirming {
		return "", false
	}
	k := m.keys
	return common.WritesWith(msg, k.New, k.Edit, k.Delete, k.Unqueue, k.SendNow, k.Drop)
}
