package common

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
)

// What was typed into a form open when crier closed (a dropped SSH
// connection, ctrl+c) is kept under a key naming the form
// (store.KeepForm) and given back when the same form opens again.

// KeepTyped keeps typed under key; a failure is a status line.
func KeepTyped(st *store.Store, key string, typed map[string]string) tea.Cmd {
	if st == nil {
		return nil
	}
	return func() tea.Msg {
		if err := st.KeepForm(context.Background(), key, typed); err != nil {
			return StatusMsg{Text: "cannot keep what was typed: " + err.Error(), Err: true}
		}
		return nil
	}
}

// TakeKept takes what was kept under key (forgetting it there) and hands
// it to msg, for the form that asked.
func TakeKept(st *store.Store, key string, msg func(typed map[string]string, err error) tea.Msg) tea.Cmd {
	if st == nil {
		return nil
	}
	return func() tea.Msg { return msg(st.TakeKeptForm(context.Background(), key)) }
}

// BroughtBack is the status line of a form given back what was typed.
const BroughtBack = "brought back what you typed before crier closed (esc drops it)"

// Typer is a form whose typing can be kept: what it holds (nil while
// nothing was typed in it) and a way to put it back.
type Typer interface {
	Typed() map[string]string
	SetTyped(typed map[string]string)
}

// KeepOpen keeps what was typed into f, the form open as crier closes
// (BeforeQuitMsg), under key: nothing when nothing was typed.
func KeepOpen(st *store.Store, key string, f Typer) tea.Cmd {
	typed := f.Typed()
	if typed == nil {
		return nil
	}
	return KeepTyped(st, key, typed)
}

// PutBack gives what TakeKept read for f (typed, or err) back to it, if
// f is still the form on show (open) and nothing was typed into it
// meanwhile; else it is kept again for the next time the form opens.
// pane names the pane in an error.
func PutBack(st *store.Store, key string, f Typer, open bool, typed map[string]string, err error, pane string) tea.Cmd {
	switch {
	case err != nil:
		return Status(pane+": cannot read what was typed before crier closed: "+err.Error(), true)
	case len(typed) == 0:
		return nil
	case !open || f.Typed() != nil:
		return KeepTyped(st, key, typed)
	}
	f.SetTyped(typed)
	return Status(BroughtBack, false)
}
