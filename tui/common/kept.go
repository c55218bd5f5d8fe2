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
