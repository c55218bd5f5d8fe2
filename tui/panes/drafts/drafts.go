// Package drafts is the Drafts pane: a list of what has not gone out yet
// (drafts, and queued, failed or missed posts) and the composer that writes
// and queues a post.
package drafts

import (
	"fmt"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit"
	"github.com/crier-app/crier/tui/components/photos"
	"github.com/crier-app/crier/tui/components/postcopy"
	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/panes/planner"
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
	photoInfo  map[int64][]photos.Photo // the files of posts the preview showed, by post
	busy       bool                     // a list action is on its way to the store

	// The composer, nil while the list shows.
	comp    *composer
	compGen int

	// The planner (queue, A/B tests, repeating posts), nil while closed.
	plan *planner.Model
}

// New builds the pane. It does no I/O: the list loads through Init.
func New(c *common.Common) *Model {
	return &Model{c: c, keys: DefaultKeyMap(), photoInfo: map[int64][]photos.Photo{}}
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.reload() }

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) tea.Cmd {
	m.width, m.height = w, h
	if m.comp != nil {
		m.comp.setSize(w, h)
	}
	if m.plan != nil {
		m.plan.SetSize(w, h)
	}
	m.scrollToCursor()
	return nil
}

// Capturing is true while the composer is open: it takes every key.
func (m *Model) Capturing() bool { return m.comp != nil || m.plan != nil && m.plan.Capturing() }

// ShortHelp is the footer's keys for the current mode.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.comp != nil:
		return composerShortHelp(m.keys)
	case m.plan != nil:
		return m.plan.ShortHelp()
	case m.confirming:
		return confirmHelp(m.keys)
	}
	return m.listShortHelp()
}

// listShortHelp puts first what can be done with the post under the cursor.
func (m *Model) listShortHelp() []key.Binding {
	k, nav := m.keys, m.c.Nav
	it, ok := m.current()
	if !ok {
		return []key.Binding{k.New, nav.Up, nav.Down}
	}
	if n, _ := postcopy.Fixable(it.Copies, nameIn(it.Copies)); n > 0 {
		for _, c := range it.Copies {
			if c.Gone() {
				return []key.Binding{k.SendNow, k.Drop, keys.Relabel(k.Edit, "fix"), k.New, nav.Up, nav.Down}
			}
		}
		return []key.Binding{k.SendNow, k.Drop, keys.Relabel(k.Edit, "fix"), k.New, k.Unqueue, k.Delete}
	}
	if it.State == store.PostQueued {
		return []key.Binding{keys.Relabel(k.Edit, "edit (stays queued)"), k.Unqueue, k.New, k.Delete, nav.Up, nav.Down}
	}
	return []key.Binding{k.New, k.Edit, k.Planner, k.Delete, nav.Up, nav.Down}
}

// FullHelp is the ? screen's keys for the current mode.
func (m *Model) FullHelp() [][]key.Binding {
	if m.comp != nil {
		return composerFullHelp(m.keys)
	}
	if m.plan != nil {
		return m.plan.FullHelp()
	}
	return listFullHelp(m.keys, m.c.Nav)
}

func (m *Model) reload() tea.Cmd {
	m.loadSeq++
	return loadCmd(m.c.Store, m.loadSeq)
}

// Update handles the pane's messages.
func (m *Model) Update(msg tea.Msg) (common.Pane, tea.Cmd) {
	if cmd, ok := m.planUpdate(msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case loadedMsg:
		return m, m.onLoaded(msg)
	case previewPhotosMsg:
		if _, asked := m.photoInfo[msg.id]; asked {
			m.photoInfo[msg.id] = msg.photos
		}
		return m, nil
	case openedMsg:
		return m, m.onOpened(msg)
	case deletedMsg:
		if msg.err != nil {
			return m, common.Status("couldn't delete "+m.nameOf(msg.id)+": "+msg.err.Error(), true)
		}
		return m, tea.Batch(common.Status("deleted "+m.nameOf(msg.id), false), dataChanged)
	case actedMsg:
		m.busy = false
		if msg.err != nil {
			return m, common.Status(fmt.Sprintf("%s: %v", m.nameOf(msg.id), msg.err), true)
		}
		m.selectID = msg.id
		return m, tea.Batch(common.Status(msg.text, false), dataChanged)
	case common.DataChangedMsg, common.FocusMsg:
		return m, m.reload()
	case common.ComposeMsg:
		return m, m.compose(msg)
	case common.BeforeQuitMsg:
		if m.comp == nil {
			return m, nil
		}
		return m, tea.Batch(m.comp.keepPath(), m.comp.quitSave())
	case keptPathMsg:
		switch {
		case msg.err != nil:
			return m, common.Status("drafts: cannot read what was typed before crier closed: "+msg.err.Error(), true)
		case msg.typed["path"] == "":
			return m, nil
		case !m.ownsComposer(msg.gen):
			return m, common.KeepTyped(m.c.Store, attachKept, msg.typed)
		}
		return m, m.comp.onKeptPath(msg)

	case autosaveMsg:
		return m, toComposer(m, msg.gen, msg, (*composer).onAutosave)
	case savedMsg:
		return m, toComposer(m, msg.gen, msg, (*composer).onSaved)
	case queuedMsg:
		return m, toComposer(m, msg.gen, msg, (*composer).onQueued)
	case addedMsg:
		if m.ownsComposer(msg.gen) {
			return m, m.afterComposer(m.comp.onAdded(msg))
		}
		return m, dataChanged
	case completedMsg:
		if m.ownsComposer(msg.gen) {
			m.comp.onCompleted(msg)
		}
		return m, m.afterComposer(nil)
	case campaignsMsg:
		return m, toComposer(m, msg.gen, msg, (*composer).onCampaigns)
	case photoReadMsg:
		return m, toComposer(m, msg.gen, msg, (*composer).onPhotoRead)
	case extedit.TextMsg:
		// Only the composer that started the round trip takes its text:
		// the reply composer's answers reach this pane too.
		if tag, ok := msg.Tag.(editorTag); ok && m.ownsComposer(tag.gen) {
			return m, m.afterComposer(m.comp.onEditorText(msg))
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

// toComposer hands msg to the open composer numbered gen; an answer for one
// that has since closed is dropped.
func toComposer[M any](m *Model, gen int, msg M, on func(*composer, M) tea.Cmd) tea.Cmd {
	if !m.ownsComposer(gen) {
		return nil
	}
	return m.afterComposer(on(m.comp, msg))
}

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
	return m.startComposer(opened{}, when, "")
}

func (m *Model) open(id int64) tea.Cmd {
	m.openSeq++
	return openCmd(m.c, m.openSeq, id)
}

func (m *Model) onOpened(msg openedMsg) tea.Cmd {
	if msg.seq != m.openSeq {
		return nil
	}
	if msg.err != nil {
		return common.Status(msg.err.Error(), true)
	}
	if m.comp != nil {
		return common.Status("finish the post you are writing first (esc saves it)", true)
	}
	when := ""
	if p := msg.open.post; !p.ScheduledAt.IsZero() {
		when = p.ScheduledAt.In(m.c.Zone).Format(inputLayout)
	}
	return m.startComposer(msg.open, when, when)
}

func (m *Model) startComposer(o opened, when, whenPrefill string) tea.Cmd {
	m.compGen++
	m.confirming = false
	comp, cmd := newComposer(m.c, m.keys, m.compGen, o, when, whenPrefill)
	comp.setSize(m.width, m.height)
	m.comp = comp
	return cmd
}

// afterComposer closes the composer once it is done and tells the user
// what happened to the post.
func (m *Model) afterComposer(cmd tea.Cmd) tea.Cmd {
	comp := m.comp
	if comp == nil {
		return cmd
	}
	if comp.done == stillOpen {
		// Lines above and below the text come and go (a prompt, a
		// focused field's hint, a version line): the box takes the rest.
		comp.resize()
		return cmd
	}
	m.comp = nil
	m.selectID = comp.base.ID
	now := m.c.Now()
	switch comp.done {
	case closedQueued:
		at := comp.queueAt
		note := heldNote(m.c, comp.heldAt)
		text := fmt.Sprintf("queued%s for %s (%s)", note,
			at.In(m.c.Zone).Format("Mon 2 Jan 15:04 MST"), timeparse.Describe(at, now, m.c.Zone))
		if comp.saver.isUnsent() {
			text = fmt.Sprintf("%s saved%s: it goes out %s (%s)", postName(comp.mainText()), note,
				at.In(m.c.Zone).Format("Mon 2 Jan 15:04 MST"), timeparse.Describe(at, now, m.c.Zone))
		}
		return tea.Batch(cmd, common.Status(text, false), dataChanged)
	case closedSaved:
		switch {
		case !comp.savedAny, comp.copied:
		case comp.saver.isUnsent():
			still := "still"
			if comp.base.State != comp.openedAs {
				still = "now"
			}
			var held []int64
			for _, c := range comp.copies {
				if c.Held {
					held = append(held, c.AccountID)
				}
			}
			slices.Sort(held)
			return tea.Batch(cmd, common.Status(fmt.Sprintf("%s saved%s; %s %s", postName(comp.mainText()), heldNote(m.c, held),
				still, stillText(comp.base, m.c.Zone, now)), false), dataChanged)
		default:
			return tea.Batch(cmd, common.Status("draft "+postName(comp.mainText())+" saved", false), dataChanged)
		}
	}
	return cmd
}

// View draws the list or the composer.
func (m *Model) View() string {
	if m.comp != nil {
		return m.comp.view()
	}
	if m.plan != nil {
		return m.plan.View()
	}
	return m.listView()
}

// stillText says where a saved post on its way still is.
func stillText(p store.Post, zone *time.Location, now time.Time) string {
	if p.State == store.PostQueued {
		return fmt.Sprintf("queued for %s (%s)", p.ScheduledAt.In(zone).Format("Mon 2 Jan 15:04 MST"),
			timeparse.Describe(p.ScheduledAt, now, zone))
	}
	return string(p.State) + ": s in the list sends what did not go out, x drops it"
}
