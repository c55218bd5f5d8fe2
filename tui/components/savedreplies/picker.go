// Package savedreplies is the user's templates for answering the inbox:
// filling a template's placeholders for one reply (Fill, Check) and the
// picker the reply composer opens to choose, write, change and delete them.
//
// The picker is not a pane. Its owner calls Open, passes it every message
// while Active, draws View in the area given by SetSize, and takes a
// PickedMsg (the filled text, to insert) or a ClosedMsg (nothing chosen).
// It does no I/O itself: every store call is a command whose answer carries
// the generation of the Open that asked, so a late answer to an earlier
// opening is dropped.
package savedreplies

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// PickedMsg carries the chosen template, filled for the reply.
type PickedMsg struct {
	ID   int64
	Text string
}

// ClosedMsg says the picker closed with nothing chosen.
type ClosedMsg struct{}

// loadedMsg brings the templates.
type loadedMsg struct {
	gen     int
	replies []store.SavedReply
	err     error
}

// savedMsg answers the save of the form.
type savedMsg struct {
	gen  int
	id   int64
	name string
	err  error
}

// deletedMsg answers a delete.
type deletedMsg struct {
	gen  int
	name string
	err  error
}

// queryTimeout bounds one store call.
const queryTimeout = 5 * time.Second

type mode int

const (
	modeList    mode = iota
	modeConfirm      // asking before a delete
	modeForm         // writing a template
)

// Model is the picker.
type Model struct {
	c    *common.Common
	keys KeyMap

	active  bool
	gen     int // counts Opens; answers to an earlier one are dropped
	vars    Vars
	mode    mode
	loading bool
	loadErr error

	all    []store.SavedReply // in the store's order
	shown  []shown            // those the filter keeps, best first
	cursor int
	offset int   // the first list row on screen
	focus  int64 // a template to put the cursor on when the list comes
	filter textinput.Model

	problem string // why the last pick or delete did not happen
	form    form

	width, height int
}

// form writes a new template or changes one.
type form struct {
	id      int64  // 0 for a new template
	was     string // its name when the form opened
	wasBody string // its text when the form opened
	name    textinput.Model
	body    textarea.Model
	onBody  bool
	saving  bool
	problem string
}

// New returns a closed picker. It does no I/O.
func New(c *common.Common) *Model {
	m := &Model{c: c, keys: DefaultKeyMap()}

	m.filter = c.TextInput("type to narrow by name or text")
	m.filter.Prompt = "Filter: "
	m.filter.PromptStyle = c.Styles.InputLabel
	m.filter.Cursor.SetMode(cursor.CursorStatic)

	m.form.name = c.TextInput("a short name to find it by")
	m.form.name.CharLimit = store.MaxSavedReplyName
	m.form.name.Cursor.SetMode(cursor.CursorStatic)

	m.form.body = c.TextArea("Thanks {first_name}! …")
	m.form.body.Cursor.SetMode(cursor.CursorStatic)
	return m
}

// Active reports whether the picker is open and takes the keys.
func (m *Model) Active() bool { return m.active }

// Open shows the picker for a reply with v's values, and loads the
// templates.
func (m *Model) Open(v Vars) tea.Cmd {
	m.gen++
	m.active, m.vars, m.mode = true, v, modeList
	m.loading, m.loadErr, m.problem = true, nil, ""
	m.filter.Reset()
	m.filter.Focus()
	m.shown = filterReplies(m.all, "")
	m.cursor, m.offset, m.focus = 0, 0, 0
	return m.load()
}

func (m *Model) load() tea.Cmd {
	st, gen := m.c.Store, m.gen
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		rs, err := st.SavedReplies(ctx)
		return loadedMsg{gen: gen, replies: rs, err: err}
	})
}

func (m *Model) close() {
	m.active = false
	m.mode = modeList
	m.filter.Blur()
	m.form.name.Blur()
	m.form.body.Blur()
}

// SetSize gives the picker its area, border included.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	iw := m.innerWidth()
	m.filter.Width = max(iw-common.Width(m.filter.Prompt)-1, 1)
	m.form.name.Width = max(iw-common.Width(nameLabel)-1, 1)
	m.form.body.SetWidth(max(iw, 1))
	m.form.body.SetHeight(m.formLayout().body)
	m.scrollToCursor()
}

// current is the highlighted template.
func (m *Model) current() (store.SavedReply, bool) {
	if m.cursor < 0 || m.cursor >= len(m.shown) {
		return store.SavedReply{}, false
	}
	return m.shown[m.cursor].reply, true
}

// Update handles a message while the picker is open; it ignores all while
// closed.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	if !m.active {
		return m, nil
	}
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.gen == m.gen {
			return m, m.onLoaded(msg)
		}
		return m, nil
	case savedMsg:
		if msg.gen == m.gen {
			return m, m.onSaved(msg)
		}
		return m, nil
	case deletedMsg:
		if msg.gen == m.gen {
			return m, m.onDeleted(msg)
		}
		return m, nil
	case KeptMsg:
		return m, m.putBack(msg)
	case tea.KeyMsg:
		switch m.mode {
		case modeForm:
			return m, m.formKey(msg)
		case modeConfirm:
			return m, m.confirmKey(msg)
		}
		return m, m.listKey(msg)
	}
	// Anything else (the inputs' own messages) goes to the input in use.
	var cmd tea.Cmd
	switch {
	case m.mode == modeForm && m.form.onBody:
		m.form.body, cmd = m.form.body.Update(msg)
	case m.mode == modeForm:
		m.form.name, cmd = m.form.name.Update(msg)
	default:
		m.filter, cmd = m.filter.Update(msg)
	}
	return m, cmd
}

func (m *Model) onLoaded(msg loadedMsg) tea.Cmd {
	m.loading = false
	if msg.err != nil {
		m.loadErr = msg.err
		return nil
	}
	m.loadErr = nil
	at := m.cursor
	m.all = msg.replies
	m.refilter()
	if m.focus == 0 || !m.selectID(m.focus) {
		// On opening that is the best match; after a delete, the next one.
		m.cursor = max(min(at, len(m.shown)-1), 0)
	}
	m.focus = 0
	m.scrollToCursor()
	return nil
}

// refilter applies the filter to the templates, the cursor on the best.
func (m *Model) refilter() {
	m.shown = filterReplies(m.all, m.filter.Value())
	m.cursor, m.offset = 0, 0
}

func (m *Model) selectID(id int64) bool {
	for i, s := range m.shown {
		if s.reply.ID == id {
			m.cursor = i
			m.scrollToCursor()
			return true
		}
	}
	return false
}

func (m *Model) move(by int) {
	if len(m.shown) == 0 {
		return
	}
	m.cursor = max(min(m.cursor+by, len(m.shown)-1), 0)
	m.problem = ""
	m.scrollToCursor()
}

// scrollToCursor keeps the cursor's row on screen.
func (m *Model) scrollToCursor() {
	rows := m.listLayout().rows
	if rows <= 0 {
		return
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(min(m.offset, len(m.shown)-rows), 0)
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Close):
		m.close()
		return func() tea.Msg { return ClosedMsg{} }
	case key.Matches(msg, k.Pick):
		return m.pick()
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-max(m.listLayout().rows, 1))
	case key.Matches(msg, k.PageDown):
		m.move(max(m.listLayout().rows, 1))
	case key.Matches(msg, k.New):
		// What was typed to look for one is likely the new one's name.
		m.openForm(store.SavedReply{Name: strings.TrimSpace(m.filter.Value())})
		return m.takeKept()
	case key.Matches(msg, k.Edit):
		if r, ok := m.current(); ok {
			m.openForm(r)
			return m.takeKept()
		}
	case key.Matches(msg, k.Delete):
		if _, ok := m.current(); ok {
			m.mode, m.problem = modeConfirm, ""
		}
	default:
		before := m.filter.Value()
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		if m.filter.Value() != before {
			m.problem = ""
			m.refilter()
		}
		return cmd
	}
	return nil
}

// pick fills the highlighted template and hands it over; its use is
// counted in the background.
func (m *Model) pick() tea.Cmd {
	r, ok := m.current()
	if !ok {
		switch {
		case m.loading:
		case len(m.all) == 0:
			m.problem = "there is no saved reply yet: ctrl+n writes one"
		default:
			m.problem = "nothing matches the filter"
		}
		return nil
	}
	text, err := Fill(r.Body, m.vars)
	if err != nil {
		m.problem = fmt.Sprintf("%q can't be used here: %v", r.Name, err)
		return nil
	}
	m.close()
	st, id, now := m.c.Store, r.ID, m.c.Now()
	picked := func() tea.Msg { return PickedMsg{ID: id, Text: text} }
	countUse := common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		// A template deleted meanwhile was still used: nothing to count.
		if err := st.MarkSavedReplyUsed(ctx, id, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return common.StatusMsg{Text: "couldn't count the use of a saved reply: " + err.Error(), Err: true}
		}
		return nil
	})
	return tea.Batch(picked, countUse)
}

func (m *Model) confirmKey(msg tea.KeyMsg) tea.Cmd {
	m.mode = modeList
	r, ok := m.current()
	if !ok || !key.Matches(msg, m.keys.ConfirmDelete) {
		return nil // any other key keeps it
	}
	st, gen := m.c.Store, m.gen
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		return deletedMsg{gen: gen, name: r.Name, err: st.DeleteSavedReply(ctx, r.ID)}
	})
}

func (m *Model) onDeleted(msg deletedMsg) tea.Cmd {
	if msg.err != nil && !errors.Is(msg.err, store.ErrNotFound) {
		m.problem = fmt.Sprintf("couldn't delete %q: %v", msg.name, msg.err)
		return nil
	}
	return tea.Batch(m.load(), common.Status(fmt.Sprintf("deleted the saved reply %q", common.Clean(msg.name)), false))
}

// openForm starts writing r: a new template when r.ID is 0.
func (m *Model) openForm(r store.SavedReply) {
	f := &m.form
	f.id, f.was, f.wasBody, f.saving, f.problem = r.ID, r.Name, r.Body, false, ""
	f.name.SetValue(r.Name)
	f.name.CursorEnd()
	f.body.SetValue(r.Body)
	m.mode, m.problem = modeForm, ""
	m.filter.Blur()
	m.focusField(r.Name != "")
}

func (m *Model) focusField(body bool) {
	f := &m.form
	f.onBody = body
	if body {
		f.name.Blur()
		f.body.Focus()
	} else {
		f.body.Blur()
		f.name.Focus()
	}
}

func (m *Model) formKey(msg tea.KeyMsg) tea.Cmd {
	k, f := m.keys, &m.form
	switch {
	case key.Matches(msg, k.Cancel):
		// The text goes: esc is how the user says so.
		m.mode = modeList
		f.name.Blur()
		f.body.Blur()
		m.filter.Focus()
		return nil
	case f.saving:
		return nil // the text is on its way; it stays if the save fails
	case key.Matches(msg, k.Save):
		return m.save()
	case key.Matches(msg, k.NextField), key.Matches(msg, k.PrevField):
		m.focusField(!f.onBody)
		return nil
	case !f.onBody && msg.Type == tea.KeyEnter:
		m.focusField(true)
		return nil
	}
	var cmd tea.Cmd
	if f.onBody {
		f.body, cmd = f.body.Update(msg)
	} else {
		f.name, cmd = f.name.Update(msg)
	}
	f.problem = ""
	return cmd
}

// save stores the form's template; a placeholder problem is refused before
// the store is asked, and any refusal keeps the text.
func (m *Model) save() tea.Cmd {
	f := &m.form
	name, body := f.name.Value(), f.body.Value()
	if err := Check(body); err != nil {
		f.problem = "not saved: " + err.Error()
		return nil
	}
	f.saving = true
	st, gen, id, now := m.c.Store, m.gen, f.id, m.c.Now()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		var err error
		if id == 0 {
			id, err = st.CreateSavedReply(ctx, name, body, now)
		} else {
			err = st.UpdateSavedReply(ctx, id, name, body, now)
		}
		return savedMsg{gen: gen, id: id, name: strings.TrimSpace(name), err: err}
	})
}

func (m *Model) onSaved(msg savedMsg) tea.Cmd {
	f := &m.form
	if m.mode != modeForm {
		// The form was left while saving: show the template if it saved.
		if msg.err != nil {
			return nil
		}
		m.focus = msg.id
		return m.load()
	}
	f.saving = false
	switch {
	case errors.Is(msg.err, store.ErrNotFound):
		f.id = 0
		f.problem = "not saved: it was deleted meanwhile; ctrl+s saves it as a new one"
		return nil
	case msg.err != nil:
		f.problem = "not saved: " + msg.err.Error()
		return nil
	}
	m.mode = modeList
	f.name.Blur()
	f.body.Blur()
	// Show the whole list, with the saved one under the cursor.
	m.filter.Reset()
	m.filter.Focus()
	m.refilter()
	m.focus = msg.id
	return tea.Batch(m.load(), common.Status(fmt.Sprintf("saved the reply %q", common.Clean(msg.name)), false))
}
