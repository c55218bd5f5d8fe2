package calendar

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// Writes names the calendar keys that write, for a read-only session: a
// new post anywhere; in a day's agenda, edit, move, a day earlier or later,
// send or drop failed copies. The move field is only reached through them.
func (m *Model) Writes(msg tea.KeyMsg) (string, bool) {
	k := m.keys
	switch {
	case m.moving:
		return "", false
	case m.agenda:
		return common.WritesWith(msg, k.Edit, k.New, k.Move, k.Earlier, k.Later, k.SendNow, k.Drop)
	}
	return common.WritesWith(msg, k.New)
}
