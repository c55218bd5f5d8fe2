// Package planner is what decides when posts go out, opened over the
// Drafts pane: each account's queue and its weekly slots, the A/B tests
// and the repeating posts (series). The drafts list opens it (Q), starts an
// A/B test from a draft (b) and makes a draft repeat (r).
package planner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// queryTimeout bounds one store call of the planner.
const queryTimeout = 10 * time.Second

// Tabs of the planner.
const (
	TabQueue = iota
	TabTests
	TabSeries
	TabFeeds
	tabCount
)

var tabNames = [tabCount]string{"Queue", "A/B tests", "Repeating posts", "Feeds"}

// dialog is a form open over a tab: it takes every key while open.
type dialog interface {
	update(m *Model, msg tea.Msg) tea.Cmd
	view(m *Model) []string
	help(k KeyMap) []key.Binding
	// typing is true while a text field has the keyboard.
	typing() bool
}

// Model is the planner.
type Model struct {
	c    *common.Common
	keys KeyMap

	width, height int
	tab           int
	dialogs       []dialog // a stack: the last one has the keys
	closed        bool

	queue  queueTab
	tests  testsTab
	series seriesTab
	feeds  feedsTab
}

// New builds the planner on a tab. It does no I/O: Init loads.
func New(c *common.Common, tab int) *Model {
	m := &Model{c: c, keys: DefaultKeyMap(), tab: tab}
	m.queue = newQueueTab(m)
	return m
}

// Init loads what the tab shows.
func (m *Model) Init() tea.Cmd { return m.reload() }

// SetSize gives the planner its area.
func (m *Model) SetSize(w, h int) {
	if w != m.width || h != m.height {
		m.queue.sized = false
	}
	m.width, m.height = w, h
}

// Closed is true once the person closed the planner.
func (m *Model) Closed() bool { return m.closed }

// Capturing is true while a form is open: it takes every key.
func (m *Model) Capturing() bool { return len(m.dialogs) > 0 }

// TypingText is true while a form's text field has the keyboard.
func (m *Model) TypingText() bool {
	return len(m.dialogs) > 0 && m.dialogs[len(m.dialogs)-1].typing()
}

func (m *Model) push(d dialog) { m.dialogs = append(m.dialogs, d) }
func (m *Model) pop() {
	if len(m.dialogs) > 0 {
		m.dialogs = m.dialogs[:len(m.dialogs)-1]
	}
}

// reload reads what the current tab shows.
func (m *Model) reload() tea.Cmd {
	if m.c.Store == nil {
		return nil
	}
	switch m.tab {
	case TabTests:
		return m.tests.load(m)
	case TabSeries:
		return m.series.load(m)
	case TabFeeds:
		return m.feeds.load(m)
	}
	return m.queue.load(m)
}

// Owns reports whether msg is the planner's own (an answer to its
// commands), which the host hands it even while it is closed.
func Owns(msg tea.Msg) bool {
	switch msg.(type) {
	case queueLoadedMsg, queuePageMsg, actedMsg, suggestedMsg, testsLoadedMsg, plannedMsg, seriesLoadedMsg, feedsLoadedMsg,
		keptMsg:
		return true
	}
	return false
}

// actedMsg reports an action: a status line, and whether posts changed.
type actedMsg struct {
	text string
	err  error
	kept bool // what was typed into the form that asked is kept (keepOnFailure)
}

func acted(text string, err error) tea.Msg { return actedMsg{text: text, err: err} }

// keepOnFailure runs cmd, a kept form's submission made after the form
// closed; when it fails (its actedMsg has an error: the database is busy,
// the series was stopped meanwhile), what was typed is kept under key, so
// the form brings it back when it opens again rather than lose it.
func keepOnFailure(st *store.Store, key string, typed map[string]string, cmd tea.Cmd) tea.Cmd {
	if cmd == nil || len(typed) == 0 || st == nil {
		return cmd
	}
	return func() tea.Msg {
		msg := cmd()
		if a, ok := msg.(actedMsg); ok && a.err != nil {
			a.kept = st.KeepForm(context.Background(), key, typed) == nil
			return a
		}
		return msg
	}
}

func dataChanged() tea.Msg { return common.DataChangedMsg{What: "posts"} }

// Update handles a message.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if resized := m.queue.resize(m); resized != nil {
		return tea.Batch(resized, m.update(msg))
	}
	return m.update(msg)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case actedMsg:
		if msg.err != nil {
			text := msg.text + ": " + msg.err.Error()
			if msg.kept {
				text += "; what you typed comes back when you open the form again"
			}
			return common.Status(text, true)
		}
		return tea.Batch(common.Status(msg.text, false), dataChanged)
	case common.DataChangedMsg, common.FocusMsg:
		return m.reload()
	case queueLoadedMsg:
		return m.queue.onLoaded(m, msg)
	case queuePageMsg:
		return m.queue.onPage(m, msg)
	case suggestedMsg:
		return m.onSuggested(msg)
	case testsLoadedMsg:
		m.tests.onLoaded(msg)
		return nil
	case seriesLoadedMsg:
		m.series.receive(msg)
		return nil
	case feedsLoadedMsg:
		m.feeds.receive(msg)
		return nil
	case keptMsg:
		return m.putBack(msg)
	case common.BeforeQuitMsg:
		return m.keepOnQuit()
	}
	if len(m.dialogs) > 0 {
		return m.dialogs[len(m.dialogs)-1].update(m, msg)
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Close):
		m.closed = true
		return nil
	case key.Matches(k, m.keys.NextTab):
		m.tab = (m.tab + 1) % tabCount
		return m.reload()
	case key.Matches(k, m.keys.PrevTab):
		m.tab = (m.tab + tabCount - 1) % tabCount
		return m.reload()
	}
	switch m.tab {
	case TabTests:
		return m.tests.key(m, k)
	case TabSeries:
		return m.series.key(m, k)
	case TabFeeds:
		return m.feeds.key(m, k)
	}
	return m.queue.key(m, k)
}

// View draws the tab, or the open form.
func (m *Model) View() string {
	s := m.c.Styles
	var lines []string
	if len(m.dialogs) > 0 {
		lines = m.dialogs[len(m.dialogs)-1].view(m)
	} else {
		var tabs []string
		for i, n := range tabNames {
			if i == m.tab {
				tabs = append(tabs, s.Selected.Render(" "+n+" "))
			} else {
				tabs = append(tabs, s.Muted.Render(" "+n+" "))
			}
		}
		lines = append(lines, common.Spread(strings.Join(tabs, ""), s.Muted.Render("[ ] views · esc back to drafts"), m.width))
		switch m.tab {
		case TabTests:
			lines = append(lines, m.tests.view(m)...)
		case TabSeries:
			lines = append(lines, m.series.view(m)...)
		case TabFeeds:
			lines = append(lines, m.feeds.view(m)...)
		default:
			lines = append(lines, m.queue.view(m)...)
		}
	}
	for i, l := range lines {
		lines[i] = common.Truncate(l, m.width, "…")
	}
	return common.Block(strings.Join(lines, "\n"), m.width, m.height)
}

// ShortHelp is the footer's keys for what is open.
func (m *Model) ShortHelp() []key.Binding {
	if len(m.dialogs) > 0 {
		return m.dialogs[len(m.dialogs)-1].help(m.keys)
	}
	k := m.keys
	switch m.tab {
	case TabTests:
		return []key.Binding{k.Start, k.Replan, k.End, k.NextTab, k.Close}
	case TabSeries:
		if t := m.series; t.cursor < len(t.items) && stopped(t.items[t.cursor].r) {
			return []key.Binding{k.Resume, k.Delete, k.EditOne, k.EditSeries, k.NextTab, k.Close}
		}
		return []key.Binding{k.EditOne, k.EditSeries, k.Reschedule, k.End, k.NextTab, k.Close}
	case TabFeeds:
		return []key.Binding{k.NextTab, k.PrevTab, k.Close}
	}
	return []key.Binding{k.MoveUp, k.MoveDown, k.Shuffle, k.Pause, k.EditSlots, k.Suggest, k.Account, k.NextTab, k.Close}
}

// FullHelp is the ? screen's keys.
func (m *Model) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, s := range HelpSections(m.keys) {
		out = append(out, s.Keys)
	}
	return out
}

// HelpSections are the planner's keys under the place each applies.
func HelpSections(k KeyMap) []common.HelpSection {
	return []common.HelpSection{
		{Title: "The queue (Q in the list)", Keys: []key.Binding{k.Account, k.MoveUp, k.MoveDown, k.Shuffle, k.Pause,
			k.EditSlots, k.Suggest, k.NextTab, k.PrevTab, k.Close}},
		{Title: "A/B tests, repeating posts", Keys: []key.Binding{k.Start, k.Replan, k.End, k.EditOne, k.EditSeries, k.Reschedule,
			k.Resume, k.Delete, k.AddVariant}},
	}
}

// accountName names an account as the panes do: "mastodon @crumbs".
func accountName(a store.Account) string {
	return a.Platform + " " + common.Clean(a.Handle)
}

// accountByID finds an account among those known.
func (m *Model) accountByID(id int64) (store.Account, bool) {
	for _, a := range m.c.Accounts {
		if a.ID == id {
			return a, true
		}
	}
	return store.Account{}, false
}

// accountNames names the accounts of ids, in order ("bluesky @a, mastodon @b").
func (m *Model) accountNames(ids []int64) string {
	var names []string
	for _, id := range ids {
		if a, ok := m.accountByID(id); ok {
			names = append(names, accountName(a))
		} else {
			names = append(names, fmt.Sprintf("account %d", id))
		}
	}
	return strings.Join(names, ", ")
}

// when writes an instant as the planner shows it.
func (m *Model) when(t time.Time) string { return t.In(m.c.Zone).Format("Mon 2 Jan 15:04") }
