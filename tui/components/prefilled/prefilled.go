// Package prefilled is a one-line text input whose value, when the program
// put it there (a suggested time, the time a post has now), is selected the
// way a dialog's field is: the first character typed or pasted replaces it
// whole, backspace or delete clears it, and a key that moves the cursor
// keeps it to edit. Without this, typing "+2h" into a field showing
// "2026-11-28 09:00" gave "2026-11-28 09:00+2h".
package prefilled

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Input is a textinput.Model with a selectable prefilled value.
type Input struct {
	textinput.Model
	// SelectedStyle draws a selected value, so the person sees that typing
	// replaces it; it should read without colour (reverse video).
	SelectedStyle lipgloss.Style

	selected bool
}

// New wraps in.
func New(in textinput.Model, selected lipgloss.Style) Input {
	return Input{Model: in, SelectedStyle: selected}
}

// Prefill puts a value in and selects it.
func (i *Input) Prefill(v string) {
	i.SetValue(v)
	i.CursorEnd()
	i.selected = v != ""
}

// Select selects what the field holds (when focus comes back to it), so
// typing replaces it; an empty field has nothing to select.
func (i *Input) Select() { i.selected = i.Value() != "" }

// Selected reports whether the next character typed replaces the value.
func (i *Input) Selected() bool { return i.selected }

// Reset empties the field.
func (i *Input) Reset() {
	i.Model.Reset()
	i.selected = false
}

// Update handles a message. A key that types replaces a selected value; a
// key that only moves keeps the value and ends the selection.
func (i *Input) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && i.selected && i.Focused() {
		i.selected = false
		switch k.Type {
		case tea.KeyRunes, tea.KeySpace:
			i.Model.SetValue("")
		case tea.KeyBackspace, tea.KeyDelete, tea.KeyCtrlH:
			i.Model.SetValue("")
			return nil
		}
	}
	var cmd tea.Cmd
	i.Model, cmd = i.Model.Update(msg)
	return cmd
}

// View draws the field, a selected value in SelectedStyle.
func (i Input) View() string {
	if !i.selected || !i.Focused() {
		return i.Model.View()
	}
	m := i.Model
	m.TextStyle = i.SelectedStyle
	return m.View()
}
