package planner

import (
	"context"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// A line form is a planner dialog of one typed line (a repeat rule, a
// series' text or rule, an account's slots). What was typed into one that
// was open when crier closed (a dropped SSH connection, ctrl+c) is kept,
// as the A/B form's is, and given back when the same form opens again.
type lineForm interface {
	dialog
	// keptKey names the form and what it is for, for store.KeepForm.
	keptKey() string
	// line is its input.
	line() *textinput.Model
	// opened is what the line held when it opened: nothing was typed
	// while it still holds that.
	opened() string
}

// keptLineMsg brings back what was typed into a line form.
type keptLineMsg struct {
	form lineForm
	text string
	err  error
}

// pushLine opens a line form, with what was kept of it.
func (m *Model) pushLine(f lineForm) tea.Cmd {
	m.push(f)
	st := m.c.Store
	if st == nil {
		return nil
	}
	key := f.keptKey()
	return func() tea.Msg {
		typed, err := st.TakeKeptForm(context.Background(), key)
		return keptLineMsg{form: f, text: typed["line"], err: err}
	}
}

// keptLine puts what was kept back into the form that asked, if it is
// still open and nothing was typed in it meanwhile; else it is kept again.
func (m *Model) keptLine(msg keptLineMsg) tea.Cmd {
	if msg.err != nil {
		return common.Status("cannot read what was typed before crier closed: "+msg.err.Error(), true)
	}
	if msg.text == "" {
		return nil
	}
	f := msg.form
	if len(m.dialogs) == 0 || m.dialogs[len(m.dialogs)-1] != dialog(f) || f.line().Value() != f.opened() {
		return m.keepLine(f.keptKey(), msg.text)
	}
	f.line().SetValue(msg.text)
	f.line().CursorEnd()
	return common.Status("brought back what you typed before crier closed (esc drops it)", false)
}

// keepLineOnQuit keeps what the open line form holds, if anything was
// typed in it (BeforeQuitMsg).
func (m *Model) keepLineOnQuit() tea.Cmd {
	if len(m.dialogs) == 0 {
		return nil
	}
	f, ok := m.dialogs[len(m.dialogs)-1].(lineForm)
	if !ok || f.line().Value() == f.opened() {
		return nil
	}
	return m.keepLine(f.keptKey(), f.line().Value())
}

func (m *Model) keepLine(key, text string) tea.Cmd {
	st := m.c.Store
	if st == nil {
		return nil
	}
	return func() tea.Msg {
		if err := st.KeepForm(context.Background(), key, map[string]string{"line": text}); err != nil {
			return common.StatusMsg{Text: "cannot keep what was typed: " + err.Error(), Err: true}
		}
		return nil
	}
}
