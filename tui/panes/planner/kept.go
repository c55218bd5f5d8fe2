package planner

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
)

// A kept form is a planner dialog whose typing outlives crier closing
// with it open (a dropped SSH connection, ctrl+c): what it holds is kept
// (store.KeepForm) and given back when the same form opens again, in any
// session.
type keptForm interface {
	dialog
	// keptKey names the form and what it is for, for store.KeepForm.
	keptKey() string
	// typed is what it holds, by field; nil while nothing was typed.
	typed() map[string]string
	// restore puts typed back.
	restore(c *common.Common, typed map[string]string)
}

// A line form is a dialog of one typed line (a repeat rule, a series'
// text or rule, an account's slots); lineKept makes it a kept form.
type lineForm interface {
	dialog
	keptKey() string
	line() *textinput.Model
	// opened is what the line held when it opened: nothing was typed
	// while it still holds that.
	opened() string
}

type lineKept struct{ lineForm }

func (l lineKept) typed() map[string]string {
	if l.line().Value() == l.opened() {
		return nil
	}
	return map[string]string{"line": l.line().Value()}
}

func (l lineKept) restore(_ *common.Common, typed map[string]string) {
	l.line().SetValue(typed["line"])
	l.line().CursorEnd()
}

// kept is d as a kept form, if it is one.
func kept(d dialog) (keptForm, bool) {
	switch f := d.(type) {
	case keptForm:
		return f, true
	case lineForm:
		return lineKept{f}, true
	}
	return nil, false
}

// keptMsg brings back what was typed into a kept form before a session
// closed with it open.
type keptMsg struct {
	form  dialog
	typed map[string]string
	err   error
}

// pushKept opens a kept form, with what was kept of it.
func (m *Model) pushKept(d dialog) tea.Cmd {
	m.push(d)
	f, ok := kept(d)
	if !ok {
		return nil
	}
	return common.TakeKept(m.c.Store, f.keptKey(), func(typed map[string]string, err error) tea.Msg {
		return keptMsg{form: d, typed: typed, err: err}
	})
}

// putBack puts what was kept back into the form that asked, if it is
// still open and nothing was typed in it meanwhile; else it is kept again.
func (m *Model) putBack(msg keptMsg) tea.Cmd {
	if msg.err != nil {
		return common.Status("cannot read what was typed before crier closed: "+msg.err.Error(), true)
	}
	f, _ := kept(msg.form)
	if len(msg.typed) == 0 || f == nil {
		return nil
	}
	if len(m.dialogs) == 0 || m.dialogs[len(m.dialogs)-1] != msg.form || f.typed() != nil {
		return common.KeepTyped(m.c.Store, f.keptKey(), msg.typed)
	}
	f.restore(m.c, msg.typed)
	return common.Status(common.BroughtBack, false)
}

// keepOnQuit keeps what the open kept form holds, if anything was typed
// in it (BeforeQuitMsg).
func (m *Model) keepOnQuit() tea.Cmd {
	if len(m.dialogs) == 0 {
		return nil
	}
	f, ok := kept(m.dialogs[len(m.dialogs)-1])
	if !ok {
		return nil
	}
	typed := f.typed()
	if typed == nil {
		return nil
	}
	return common.KeepTyped(m.c.Store, f.keptKey(), typed)
}
