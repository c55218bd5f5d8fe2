// Package form is a small stack-entry form: a title and a few one-line
// fields, moved between with tab and the arrows, saved with enter on the
// last field or ctrl+s. What was typed stays whatever the save says: an
// error names the field, the cursor goes there, and nothing is lost.
package form

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
)

// KeyMap are a form's keys.
type KeyMap struct {
	NextField key.Binding
	PrevField key.Binding
	Save      key.Binding
	Cancel    key.Binding
}

// DefaultKeyMap returns a form's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextField: keys.Any("next field", "tab", "down"),
		PrevField: keys.Any("previous field", "shift+tab", "up"),
		Save:      keys.Any("save", "enter", "ctrl+s"),
		Cancel:    keys.New("esc", "cancel"),
	}
}

// Bindings are the keys for a help screen.
func (k KeyMap) Bindings() []key.Binding {
	return []key.Binding{k.NextField, k.PrevField, k.Save, k.Cancel}
}

// Field is one line of a form.
type Field struct {
	Name  string // what its errors call it ("slug", "deadline")
	Label string
	Hint  string // under the field while it has the cursor
	in    textinput.Model
}

// Model is a form.
type Model struct {
	c      *common.Common
	keys   KeyMap
	Title  string
	Kind   int   // what the owner saves it as
	ID     int64 // what it edits (0: something new)
	fields []Field
	first  []string // each field's value when the form opened
	focus  int
	err    string
	errAt  string
	saving bool
}

// New makes a form of fields, the cursor on the first.
func New(c *common.Common, kind int, title string, fields ...Field) *Model {
	f := &Model{c: c, keys: DefaultKeyMap(), Kind: kind, Title: title, fields: fields}
	for _, fl := range fields {
		f.first = append(f.first, fl.in.Value())
	}
	f.FocusOn(0)
	return f
}

// Typed returns what was typed: the fields whose text is not what the form
// opened with, by name (nil when nothing was typed). SetTyped brings it
// back, so a form closed by a dropped connection or ctrl+c can be kept and
// opened again as it was.
func (f *Model) Typed() map[string]string {
	var out map[string]string
	for i, fl := range f.fields {
		if v := fl.in.Value(); v != f.first[i] {
			if out == nil {
				out = map[string]string{}
			}
			out[fl.Name] = v
		}
	}
	return out
}

// SetTyped puts typed text (Typed) back into the fields of those names.
func (f *Model) SetTyped(typed map[string]string) {
	for name, v := range typed {
		f.Set(name, v)
	}
}

// NewField is a field holding value.
func NewField(c *common.Common, name, label, value, placeholder, hint string) Field {
	in := c.TextInput(placeholder)
	in.SetValue(value)
	in.CursorEnd()
	return Field{Name: name, Label: label, Hint: hint, in: in}
}

// Keys are the form's bindings.
func (f *Model) Keys() KeyMap { return f.keys }

// FocusOn puts the cursor on field i (wrapping round).
func (f *Model) FocusOn(i int) {
	if len(f.fields) == 0 {
		return
	}
	f.focus = (i + len(f.fields)) % len(f.fields)
	for j := range f.fields {
		if j == f.focus {
			f.fields[j].in.Focus()
		} else {
			f.fields[j].in.Blur()
		}
	}
}

// Value is the trimmed text of the field called name.
func (f *Model) Value(name string) string {
	for _, fl := range f.fields {
		if fl.Name == name {
			return strings.TrimSpace(fl.in.Value())
		}
	}
	return ""
}

// Set puts text in the field called name.
func (f *Model) Set(name, value string) {
	for i := range f.fields {
		if f.fields[i].Name == name {
			f.fields[i].in.SetValue(value)
			f.fields[i].in.CursorEnd()
		}
	}
}

// Label is the label of the field called name (name itself when there is
// none), for errors that say which field they are about.
func (f *Model) Label(name string) string {
	for _, fl := range f.fields {
		if fl.Name == name {
			return fl.Label
		}
	}
	return name
}

// Saving marks the form as waiting for its save's answer.
func (f *Model) Saving() { f.saving, f.err, f.errAt = true, "", "" }

// IsSaving reports whether a save is under way.
func (f *Model) IsSaving() bool { return f.saving }

// Fail shows an error about a field ("" for the form as a whole) and puts
// the cursor there. Internal ids in it are left out (common.WithoutIDs).
func (f *Model) Fail(field, msg string) {
	f.saving, f.err, f.errAt = false, common.WithoutIDs(msg), field
	for i, fl := range f.fields {
		if fl.Name == field {
			f.FocusOn(i)
			return
		}
	}
}

// Err is the error shown, "" for none.
func (f *Model) Err() string { return f.err }

// Update handles a message: a key moves, types, saves (save is true) or
// cancels (the owner closes the form); pasted text goes to the field with
// the cursor.
func (f *Model) Update(msg tea.Msg) (save, cancel bool, cmd tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		var c tea.Cmd
		f.fields[f.focus].in, c = f.fields[f.focus].in.Update(msg)
		return false, false, c
	}
	switch {
	case k.Paste:
	case key.Matches(k, f.keys.Cancel):
		return false, true, nil
	case k.Type == tea.KeyEnter && f.focus < len(f.fields)-1:
		f.FocusOn(f.focus + 1)
		return false, false, nil
	case key.Matches(k, f.keys.Save):
		return !f.saving, false, nil
	case key.Matches(k, f.keys.NextField):
		f.FocusOn(f.focus + 1)
		return false, false, nil
	case key.Matches(k, f.keys.PrevField):
		f.FocusOn(f.focus - 1)
		return false, false, nil
	}
	var c tea.Cmd
	f.fields[f.focus].in, c = f.fields[f.focus].in.Update(msg)
	return false, false, c
}

// View draws the form in w x h.
func (f *Model) View(w, h int) string {
	s := f.c.Styles
	labelW := 0
	for _, fl := range f.fields {
		labelW = max(labelW, common.Width(fl.Label))
	}
	inW := max(w-labelW-5, 10)
	lines := []string{s.Title.Render(f.Title), ""}
	focusLine := 0
	for i := range f.fields {
		fl := &f.fields[i]
		fl.in.Width = inW
		label := common.PadLeft(fl.Label, labelW)
		mark := "  "
		switch {
		case f.err != "" && fl.Name == f.errAt:
			label = s.InputError.Render(label)
		case i == f.focus:
			label = s.Bold.Render(label)
		default:
			label = s.InputLabel.Render(label)
		}
		if i == f.focus {
			mark = s.Accent.Render("▸ ")
			focusLine = len(lines)
		}
		lines = append(lines, mark+label+"  "+fl.in.View())
		if i == f.focus && fl.Hint != "" {
			for _, l := range common.Wrap(fl.Hint, inW) {
				lines = append(lines, strings.Repeat(" ", labelW+4)+s.Muted.Render(l))
			}
		}
	}
	lines = append(lines, "")
	switch {
	case f.saving:
		lines = append(lines, s.Muted.Render("Saving…"))
	case f.err != "":
		for _, l := range common.Wrap(common.Clean(f.err), w) {
			lines = append(lines, s.Danger.Render(l))
		}
	}
	lines = append(lines, s.Muted.Render("tab/↓ next field · enter on the last field or ctrl+s saves · esc cancels"))
	for i, l := range lines {
		lines[i] = common.Truncate(l, w, "…")
	}
	if h > 0 && len(lines) > h {
		// Keep the cursor's field and the error in view: the error lines
		// last, the field as high as needed.
		start := min(max(focusLine-2, 0), len(lines)-h)
		lines = lines[start : start+h]
	}
	return strings.Join(lines, "\n")
}
