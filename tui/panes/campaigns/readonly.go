package campaigns

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// Writes names the Campaigns keys that write, for a read-only session:
// a campaign or goal made, edited or deleted, a figure typed in, a file
// imported, a report written on the server. The forms, previews and the
// delete question are only reached through them.
func (m *Model) Writes(msg tea.KeyMsg) (string, bool) {
	switch m.top() {
	case modeList, modeDetail, modePosts, modeTrace:
		k := m.keys
		return common.WritesWith(msg, k.New, k.Edit, k.AddGoal, k.EditGoal, k.DelGoal, k.DelCampaign, k.Entry,
			k.Import, k.Export)
	}
	return "", false
}
