package savedreplies

import (
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// What is typed into the form that writes or changes a saved reply
// outlives crier closing with it open (ctrl+c, a dropped SSH connection),
// as the reply's own text does: it is kept (store.KeepForm) and given back
// when the same form (a new template, or that template) opens again.

// keptKey names the form for template id (0: a new one).
func keptKey(id int64) string {
	if id == 0 {
		return "savedreplies/new"
	}
	return "savedreplies/" + strconv.FormatInt(id, 10)
}

// KeptMsg brings back what was typed into a saved reply's form before
// crier closed. A pane that holds a picker hands it to the picker's
// Update while the picker is open, and to KeepAgain otherwise, so that
// it is not lost.
type KeptMsg struct {
	gen   int
	id    int64
	typed map[string]string
	err   error
}

// KeepAgain keeps msg's text again, for the next time its form opens: the
// picker it was for closed before it came.
func KeepAgain(st *store.Store, msg KeptMsg) tea.Cmd {
	if msg.err != nil || len(msg.typed) == 0 {
		return nil
	}
	return common.KeepTyped(st, keptKey(msg.id), msg.typed)
}

// takeKept asks for what was kept of the form just opened.
func (m *Model) takeKept() tea.Cmd {
	gen, id := m.gen, m.form.id
	return common.TakeKept(m.c.Store, keptKey(id), func(typed map[string]string, err error) tea.Msg {
		return KeptMsg{gen: gen, id: id, typed: typed, err: err}
	})
}

// typed is what the open form holds, or nil when nothing was typed in it.
func (m *Model) typed() map[string]string {
	f := &m.form
	if !m.active || m.mode != modeForm || f.name.Value() == f.was && f.body.Value() == f.wasBody {
		return nil
	}
	return map[string]string{"name": f.name.Value(), "body": f.body.Value()}
}

// putBack puts what was kept into the form it was typed in, if that form
// is open and untouched; else it is kept again.
func (m *Model) putBack(msg KeptMsg) tea.Cmd {
	f := &m.form
	switch {
	case msg.err != nil:
		return common.Status("saved replies: cannot read what was typed before crier closed: "+msg.err.Error(), true)
	case len(msg.typed) == 0:
		return nil
	case msg.gen != m.gen || m.mode != modeForm || f.id != msg.id || m.typed() != nil:
		return KeepAgain(m.c.Store, msg)
	}
	f.name.SetValue(msg.typed["name"])
	f.name.CursorEnd()
	f.body.SetValue(msg.typed["body"])
	m.focusField(f.name.Value() != "")
	return common.Status(common.BroughtBack, false)
}

// KeepOnQuit keeps what the open form holds, if anything was typed in it:
// for the pane's BeforeQuitMsg.
func (m *Model) KeepOnQuit() tea.Cmd {
	typed := m.typed()
	if typed == nil {
		return nil
	}
	return common.KeepTyped(m.c.Store, keptKey(m.form.id), typed)
}
