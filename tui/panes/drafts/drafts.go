// Package drafts is the Drafts pane: a list of what has not gone out yet
// (drafts, and queued, failed or missed posts) and the composer that writes
// and queues a post.
package drafts

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit"
)

// Model is the Drafts pane. It shows the list, or the composer while one is
// open.
type Model struct {
	c    *common.Common
	keys KeyMap

	width, height int

	// The list.
	items      []store.PostSummary
	loaded     bool
	loadErr    error
	loadSeq    int
	cursor     int
	offset     int   // first item drawn
	selectID   int64 // put the cursor on this post after the next load
	confirming bool  // asking whether to delete confirmID
	confirmID  int64
	openSeq    int

	// The composer, nil while the list shows.
	comp    *composer
	compGen int

	// cursorMode and autosave are fields so tests can use a still cursor
	// (its blink commands wait) and drive autosave by hand.
	cursorMode cursor.Mode
	autosave   time.Duration
}

// New builds the pane. It does no I/O: the list loads through Init.
func New(c *common.Common) *Model {
	return &Model{c: c, keys: DefaultKeyMap(), cursorMode: cursor.CursorBlink, autosave: autosaveDelay}
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.reload() }

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	if m.comp != nil {
		m.comp.setSize(w, h)
	}
	m.scrollToCursor()
}

// Capturing is true while the composer is open: it takes every key.
func (m *Model) Capturing() bool { return m.comp != nil }

// ShortHelp is the footer's keys for the current mode.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.comp != nil:
		return composerShortHelp(m.keys)
	case m.confirming:
		return confirmHelp(m.keys)
	}
	return listShortHelp(m.keys, m.c.Nav)
}

// FullHelp is the ? screen's keys for the current mode.
func (m *Model) FullHelp() [][]key.Binding {
	if m.comp != nil {
		return composerFullHelp(m.keys)
	}
	return listFullHelp(m.keys, m.c.Nav)
}

func (m *Model) reload() tea.Cmd {
	m.loadSeq++
	return loadCmd(m.c.Store, m.loadSeq)
}

// Update handles the pane's messages.
func (m *Model) Update(msg tea.Msg) (common.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		m.onLoaded(msg)
		return m, nil
	case openedMsg:
		return m, m.onOpened(msg)
	case deletedMsg:
		if msg.err != nil {
			return m, common.Status("couldn't delete post #"+fmt.Sprint(msg.id)+": "+msg.err.Error(), true)
		}
		return m, tea.Batch(common.Status(fmt.Sprintf("deleted post #%d", msg.id), false), dataChanged)
	case common.DataChangedMsg, common.FocusMsg:
		return m, m.reload()
	case common.ComposeMsg:
		return m, m.compose(msg)
	case common.BeforeQuitMsg:
		if m.comp == nil {
			return m, nil
		}
		return m, m.comp.quitSave()

	case autosaveMsg:
		if m.ownsComposer(msg.gen) {
			return m, m.afterComposer(m.comp.onAutosave(msg))
		}
		return m, nil
	case savedMsg:
		if m.ownsComposer(msg.gen) {
			return m, m.afterComposer(m.comp.onSaved(msg))
		}
		return m, nil
	case queuedMsg:
		if m.ownsComposer(msg.gen) {
			return m, m.afterComposer(m.comp.onQueued(msg))
		}
		return m, nil
	case extedit.TextMsg:
		// Only the composer that started the round trip takes its text:
		// the reply composer's answers reach this pane too.
		if tag, ok := msg.Tag.(editorTag); ok && m.ownsComposer(tag.gen) {
			return m, m.comp.onEditorText(msg)
		}
		return m, nil

	case tea.KeyMsg:
		if m.comp != nil {
			return m, m.afterComposer(m.comp.handleKey(msg))
		}
		return m, m.listKey(msg)
	}
	if m.comp != nil {
		return m, m.comp.forward(msg)
	}
	return m, nil
}

func (m *Model) ownsComposer(gen int) bool { return m.comp != nil && m.comp.gen == gen }

// compose opens the composer for the root (the calendar's "new post on this
// day", or "edit this post").
func (m *Model) compose(msg common.ComposeMsg) tea.Cmd {
	if m.comp != nil {
		return common.Status("finish the post you are writing first (esc saves it)", true)
	}
	if msg.PostID != 0 {
		return m.open(msg.PostID)
	}
	when := ""
	if !msg.Day.IsZero() {
		// The calendar's day as the user sees it; the morning is a start
		// they can change.
		when = msg.Day.Format("2006-01-02") + " 09:00"
	}
	return m.startComposer(store.Post{}, when, "")
}

func (m *Model) open(id int64) tea.Cmd {
	m.openSeq++
	return openCmd(m.c, m.openSeq, id, m.c.Now())
}

func (m *Model) onOpened(msg openedMsg) tea.Cmd {
	if msg.seq != m.openSeq {
		return nil
	}
	if msg.err != nil {
		return common.Status(msg.err.Error(), true)
	}
	var cmds []tea.Cmd
	if msg.unqueued {
		cmds = append(cmds, dataChanged, common.Status(fmt.Sprintf(
			"post #%d is back in drafts while you edit it: ctrl+s queues it again", msg.post.ID), false))
	}
	if m.comp != nil {
		// A composer opened while this post loaded; it stays a draft.
		return tea.Batch(append(cmds, common.Status("finish the post you are writing first (esc saves it)", true))...)
	}
	when := ""
	if !msg.post.ScheduledAt.IsZero() {
		when = msg.post.ScheduledAt.In(m.c.Zone).Format(inputLayout)
	}
	return tea.Batch(append(cmds, m.startComposer(msg.post, when, when))...)
}

func (m *Model) startComposer(p store.Post, when, whenPrefill string) tea.Cmd {
	m.compGen++
	m.confirming = false
	comp, cmd := newComposer(m.c, m.keys, m.compGen, p, when, whenPrefill, m.cursorMode, m.autosave)
	comp.setSize(m.width, m.height)
	m.comp = comp
	return cmd
}

// afterComposer closes the composer once it is done and tells the user
// what happened to the post.
func (m *Model) afterComposer(cmd tea.Cmd) tea.Cmd {
	comp := m.comp
	if comp == nil || comp.done == stillOpen {
		return cmd
	}
	m.comp = nil
	m.selectID = comp.base.ID
	switch comp.done {
	case closedQueued:
		at := comp.queueAt
		now := m.c.Now()
		text := fmt.Sprintf("queued for %s (%s)",
			at.In(m.c.Zone).Format("Mon 2 Jan 15:04 MST"), timeparse.Describe(at, now, m.c.Zone))
		return tea.Batch(cmd, common.Status(text, false), dataChanged)
	case closedSaved:
		if comp.savedAny {
			return tea.Batch(cmd, common.Status(fmt.Sprintf("draft #%d saved", comp.base.ID), false), dataChanged)
		}
	}
	return cmd
}

// View draws the list or the composer.
func (m *Model) View() string {
	if m.comp != nil {
		return m.comp.view()
	}
	return m.listView()
}
