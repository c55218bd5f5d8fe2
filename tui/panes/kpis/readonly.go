package kpis

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// Writes names the KPI keys that write, for a read-only session: a report
// written to a file on the server. Its form is only reached through it.
func (m *Model) Writes(msg tea.KeyMsg) (string, bool) {
	if m.form != nil || m.post != nil {
		return "", false
	}
	return common.WritesWith(msg, m.keys.Export)
}
