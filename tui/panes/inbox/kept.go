package inbox

import (
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// What is typed into the pane's one-line fields (a snooze time, a label,
// a search) outlives crier closing with the field open (ctrl+c, a dropped
// SSH connection), as the reply composer's text does: it is kept
// (store.KeepForm) and given back when the same field opens again for the
// same items.

// keptField names one of the pane's typed fields.
type keptField int

const (
	keptSnooze keptField = iota
	keptLabel
	keptSearch
)

// keptKey names field, opened for the items ids, for store.KeepForm. The
// search line is not about items: one key serves every time it opens.
func keptKey(field keptField, ids []int64) string {
	name := [...]string{keptSnooze: "snooze", keptLabel: "label", keptSearch: "search"}[field]
	if field == keptSearch {
		return "inbox/" + name
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "inbox/" + name + "/" + strings.Join(parts, ",")
}

// keptMsg brings back what was typed into a field before crier closed.
type keptMsg struct {
	field keptField
	key   string
	typed map[string]string
	err   error
}

// takeKept asks for what was kept of field opened for ids.
func (m *Model) takeKept(field keptField, ids []int64) tea.Cmd {
	if m.c.ReadOnly {
		// A glance session writes nothing, not even this.
		return nil
	}
	k := keptKey(field, ids)
	return common.TakeKept(m.c.Store, k, func(typed map[string]string, err error) tea.Msg {
		return keptMsg{field: field, key: k, typed: typed, err: err}
	})
}

// fieldOpen tells whether field is open for key with nothing typed in it
// since it opened, so what was kept may go back in.
func (m *Model) fieldOpen(field keptField, key string) bool {
	switch field {
	case keptSnooze:
		return m.snoozing && keptKey(keptSnooze, m.snoozeIDs) == key && (!m.typingTime || m.timeInput.Value() == "")
	case keptLabel:
		return m.labeling && keptKey(keptLabel, m.labelIDs) == key && m.labelInput.Value() == ""
	case keptSearch:
		return m.searching && m.searchInput.Value() == m.searchOpened
	}
	return false
}

// putBack puts what was kept into its field, if it is open and untouched;
// else it is kept again for the next time the field opens.
func (m *Model) putBack(msg keptMsg) tea.Cmd {
	text := msg.typed["text"]
	switch {
	case msg.err != nil:
		return common.Status("inbox: cannot read what was typed before crier closed: "+msg.err.Error(), true)
	case text == "":
		return nil
	case !m.fieldOpen(msg.field, msg.key):
		return common.KeepTyped(m.c.Store, msg.key, msg.typed)
	}
	var cmd tea.Cmd
	switch msg.field {
	case keptSnooze:
		m.typingTime, m.timeErr = true, ""
		m.timeInput.SetValue(text)
		m.timeInput.CursorEnd()
		cmd = m.timeInput.Focus()
	case keptLabel:
		m.labelInput.SetValue(text)
		m.labelInput.CursorEnd()
	case keptSearch:
		m.searchInput.SetValue(text)
		m.searchInput.CursorEnd()
		m.fitSearchInput()
		cmd = m.applySearch(text)
	}
	return tea.Batch(cmd, common.Status(common.BroughtBack, false))
}

// keepOnQuit keeps what the open field holds, if anything was typed in it
// (BeforeQuitMsg).
func (m *Model) keepOnQuit() tea.Cmd {
	var key, text string
	switch {
	case m.c.ReadOnly:
		return nil
	case m.searching && m.searchInput.Value() != m.searchOpened:
		key, text = keptKey(keptSearch, nil), m.searchInput.Value()
	case m.labeling && m.labelInput.Value() != "":
		key, text = keptKey(keptLabel, m.labelIDs), m.labelInput.Value()
	case m.snoozing && m.typingTime && m.timeInput.Value() != "":
		key, text = keptKey(keptSnooze, m.snoozeIDs), m.timeInput.Value()
	default:
		return nil
	}
	return common.KeepTyped(m.c.Store, key, map[string]string{"text": text})
}
