// Package inbox is the Inbox pane: mentions, replies, quotes and DMs for every
// account, newest first, filtered by state, kind and account, with a preview
// of the message and the conversation it belongs to, and triage keys (done,
// snooze, reopen). The needs-attention view (!) lists the open items
// complaints first, then questions, each oldest first.
//
// The list is virtual (tui/components/vlist): the pane holds a few hundred
// items of however many there are, fetched a page at a time by keyset, so a
// keypress costs the same with 500k items as with 50.
package inbox

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit"
	"github.com/crier-app/crier/tui/components/savedreplies"
	"github.com/crier-app/crier/tui/components/vlist"
)

const (
	// pageSize is how many items one page fetch reads.
	pageSize = 100
	// queryTimeout bounds one store call made for this pane.
	queryTimeout = 10 * time.Second
	// settleDelay is how long the cursor must rest on an item before its
	// thread is loaded; readDelay is how much longer before it counts as read.
	// Neither happens while the user is scrolling past.
	settleDelay = 150 * time.Millisecond
	readDelay   = 850 * time.Millisecond
)

// maxHeldKeys bounds the keys kept while a load is on its way.
const maxHeldKeys = 64

// defaultSnoozePresets are used when the config gives none.
var defaultSnoozePresets = []time.Duration{time.Hour, 3 * time.Hour, 24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour}

// The filter values f/F, t/T cycle through.
var (
	stateCycle = []store.InboxState{store.InboxOpen, store.InboxSnoozed, store.InboxDone, ""}
	kindCycle  = []store.InboxKind{"", store.KindMention, store.KindReply, store.KindQuote, store.KindDM, store.KindListening}
)

type list = vlist.Model[store.InboxItem, store.InboxKey]
type pageRequest = vlist.Request[store.InboxKey]

// loadedMsg answers a (re)load: a window of the filtered list, the cursor's
// index in it, and, when the load followed an action, how the action went.
// Only the load with the newest seq is applied.
type loadedMsg struct {
	seq    int
	win    store.InboxWindow
	cursor int
	err    error
	// From an action saved before this load.
	applied bool   // it was saved
	note    string // what to say when it worked
	actErr  error  // it failed: nothing was reloaded
	undo    *undoRecord
	react   *reactJob
	// The labels in use, for the label filter.
	labels    []string
	labelsErr error
	// Where the cursor was when a catch-up load was asked for (keys are
	// not held for one): if it has moved since, the answer would put it
	// back, undoing the keys.
	asked *cursorMark
}

// cursorMark is where the cursor is: its row and the item on it.
type cursorMark struct {
	row int
	id  int64
}

func (m *Model) cursorMark() cursorMark {
	c := cursorMark{row: m.list.Cursor()}
	if it, ok := m.list.Selected(); ok {
		c.id = it.ID
	}
	return c
}

// pageMsg answers a page request from the list; the list drops stale ones.
type pageMsg struct {
	req   pageRequest
	items []store.InboxItem
	err   error
}

// settledMsg fires when the cursor has rested on an item; seq tells whether
// it has moved since.
type settledMsg struct{ seq int }

// readMsg fires when the cursor has rested long enough to mark the item read.
type readMsg struct{ seq int }

type threadMsg struct {
	itemID  int64
	entries []store.ThreadEntry
	err     error
}

type markedReadMsg struct {
	id  int64
	err error
}

// Model is the Inbox pane.
type Model struct {
	c    *common.Common
	keys KeyMap
	list *list

	width, height int
	filter        store.InboxFilter

	loadSeq int
	loaded  bool  // a load has arrived
	loadErr error // the newest load failed
	// Keys that arrived while a load with holdKeys (seq holdSeq) was on its
	// way; they are handled when it (or a later load) is applied.
	holdSeq int
	// actSeq is the seq of an action's load not yet answered: loads that
	// answer before it may have read the list before it was saved, so
	// held keys wait for it.
	actSeq int
	held   []tea.KeyMsg

	// The cursor item as of the last settle, and the debounce sequence.
	curID     int64
	settleSeq int

	// Drawn list rows: moving the cursor redraws two rows, not a screenful.
	rowCache map[rowKey]string
	paint    *rowPaint // made on first use, from c.Styles

	// The conversation of the item threadFor; stale after a reload, but
	// shown until the new one arrives.
	threadFor   int64
	thread      []store.ThreadEntry
	threadErr   error
	threadStale bool

	// The snooze chooser, open while snoozing is set; typing a time
	// while typingTime is.
	snoozing   bool
	snoozeIDs  []int64
	typingTime bool
	timeInput  textinput.Model
	timeErr    string

	// The label prompt, open while labeling is set.
	labeling   bool
	labelIDs   []int64
	labelInput textinput.Model

	// The search line, open while searching is set (search.go); searchSeq
	// tells the pause after the last key typed from earlier ones.
	searching   bool
	searchInput textinput.Model
	// searchOpened is what the line held when it opened: nothing was
	// typed while it still holds that.
	searchOpened string
	searchSeq    int
	// labels are the labels in use, most used first, for v/V.
	labels []string

	// The reply composer, while one is open; replyGen tells its answers
	// from an earlier composer's.
	reply    *reply
	replyGen int

	// Items marked for a bulk action, by id, in the list markedIn
	// filtered; what z can take back.
	marked   map[int64]store.InboxItem
	markedIn store.InboxFilter
	undos    []undoRecord
	undoSeq  int
}

// New returns the Inbox pane. It does no I/O: Init loads.
func New(c *common.Common) *Model {
	m := &Model{
		c:        c,
		keys:     DefaultKeyMap(),
		filter:   store.InboxFilter{State: store.InboxOpen},
		rowCache: map[rowKey]string{},
		marked:   map[int64]store.InboxItem{},
	}
	m.list = vlist.New(store.InboxItem.Key, m.renderRow, vlist.Options{PageSize: pageSize})
	m.list.SetPlaceholder(m.renderPlaceholder)
	m.timeInput = c.TextInput("tomorrow 9:00, fri 14:30, +2h")
	m.labelInput = c.TextInput("wholesale, complaint, follow-up…")
	m.labelInput.CharLimit = store.MaxLabelLen
	m.searchInput = c.TextInput("words or a name")
	m.searchInput.CharLimit = 200
	m.searchInput.Cursor.SetMode(cursor.CursorStatic)
	// A steady cursor: a blinking one redraws the screen twice a second,
	// which over SSH is most of what crier sends.
	m.timeInput.Cursor.SetMode(cursor.CursorStatic)
	m.labelInput.Cursor.SetMode(cursor.CursorStatic)
	return m
}

// Init wakes snoozed items that are due and loads the first page.
func (m *Model) Init() tea.Cmd {
	return m.load(loadSpec{wake: true, holdKeys: true, labels: true})
}

// Capturing is true while a chooser, a prompt or the reply composer is
// open: their letters and digits are not global keys.
func (m *Model) Capturing() bool { return m.snoozing || m.labeling || m.searching || m.reply != nil }

// SetSize gives the pane its area, and fetches the rows a taller list now
// shows.
func (m *Model) SetSize(width, height int) tea.Cmd {
	m.width, m.height = width, height
	l := m.layout()
	fetch := m.fetch(m.list.SetSize(l.listW, l.listH))
	if m.reply != nil {
		m.reply.setSize(width, max(height-1, 0))
	}
	m.timeInput.Width = max(min(width, 40)-4, 10)
	m.labelInput.Width = max(min(width, 40)-4, 10)
	m.fitSearchInput()
	return fetch
}

// ShortHelp is the footer.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.reply != nil && m.reply.picker.Active():
		return m.reply.picker.ShortHelp()
	case m.reply != nil:
		return []key.Binding{k.Send, k.Templates, k.Editor, k.CloseReply}
	case m.snoozing && m.typingTime:
		return []key.Binding{k.Confirm, k.Cancel}
	case m.snoozing:
		return []key.Binding{k.Preset, k.TypeTime, k.Cancel}
	case m.labeling:
		return []key.Binding{k.Confirm, k.Cancel}
	case m.searching:
		return []key.Binding{k.KeepSearch, k.DropSearch}
	case len(m.marked) > 0:
		return []key.Binding{k.Select, k.Done, k.Snooze, k.Like, k.Label, k.Clear}
	}
	if m.filter.Search != "" || m.filter.Label != "" {
		return []key.Binding{k.Search, k.Reply, k.Done, k.Snooze, k.ClearSearch, k.LabelFilter}
	}
	return []key.Binding{k.Reply, k.Done, k.Snooze, k.Like, k.Undo, k.Search, k.State, k.Kind}
}

// FullHelp is the ? screen.
func (m *Model) FullHelp() [][]key.Binding {
	n, k := m.c.Nav, m.keys
	return [][]key.Binding{
		{n.Up, n.Down, n.PageUp, n.PageDown, n.Home, n.End},
		{k.Reply, k.Done, k.Snooze, k.Reopen, k.Undo, k.Like, k.Repost, k.Label, k.Open},
		{k.Select, k.Clear, k.State, k.Kind, k.Account, k.Attention, k.Search, k.LabelFilter},
		{k.Send, k.Templates, k.Editor, k.CloseReply, k.Preset, k.TypeTime},
	}
}

// Update handles messages for the pane.
func (m *Model) Update(msg tea.Msg) (common.Pane, tea.Cmd) {
	var cmds []tea.Cmd
	if _, isKey := msg.(tea.KeyMsg); !isKey && m.reply != nil && m.reply.picker.Active() {
		// The picker's own answers (templates loaded, saved, deleted).
		var cmd tea.Cmd
		m.reply.picker, cmd = m.reply.picker.Update(msg)
		cmds = append(cmds, cmd)
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmds = append(cmds, m.handleKey(msg))

	case savedreplies.PickedMsg:
		if m.reply != nil {
			m.reply.onPicked(msg)
		}

	case savedreplies.KeptMsg:
		if m.reply == nil || !m.reply.picker.Active() {
			// The picker it was for closed before it came: kept again.
			cmds = append(cmds, savedreplies.KeepAgain(m.c.Store, msg))
		}

	case common.FocusMsg:
		cmds = append(cmds, m.load(m.keepPlace(true)))

	case common.DataChangedMsg:
		cmds = append(cmds, m.load(m.keepPlace(false)))

	case loadedMsg:
		cmds = append(cmds, m.loadedMsg(msg))

	case searchTypedMsg:
		cmds = append(cmds, m.onSearchTyped(msg))

	case pageMsg:
		if msg.err != nil {
			m.list.Fail(msg.req)
			cmds = append(cmds, common.Status("inbox: "+msg.err.Error(), true))
			break
		}
		cmds = append(cmds, m.fetch(m.list.Receive(msg.req, msg.items)))

	case settledMsg:
		if msg.seq == m.settleSeq {
			cmds = append(cmds, m.settled())
		}

	case readMsg:
		if msg.seq == m.settleSeq {
			cmds = append(cmds, m.markRead())
		}

	case threadMsg:
		if it, ok := m.list.Selected(); ok && it.ID == msg.itemID {
			m.threadFor, m.thread, m.threadErr = msg.itemID, msg.entries, msg.err
			m.threadStale = false
		}

	case markedReadMsg:
		if msg.err != nil {
			cmds = append(cmds, common.Status("inbox: could not mark as read: "+msg.err.Error(), true))
		}

	case replyDraftMsg:
		if m.reply != nil && m.reply.gen == msg.gen {
			cmds = append(cmds, m.reply.onDraft(msg))
		}

	case repliedMsg:
		cmds = append(cmds, m.onReplied(msg))

	case draftKeptMsg:
		if msg.err != nil {
			cmds = append(cmds, common.Status("the reply's text could not be kept: "+msg.err.Error(), true))
		}

	case extedit.TextMsg:
		if tag, ok := msg.Tag.(editorTag); ok && m.reply != nil && m.reply.gen == tag.gen {
			cmds = append(cmds, m.reply.onEditorText(msg))
		}

	case reactedMsg:
		cmds = append(cmds, m.onReacted(msg))

	case openedMsg:
		switch {
		case msg.err != nil:
			cmds = append(cmds, common.Status("couldn't open the link ("+msg.err.Error()+"): "+msg.url, true))
		case msg.shown:
			cmds = append(cmds, common.Status("no browser here: "+msg.url, false))
		default:
			cmds = append(cmds, common.Status("opened "+msg.url, false))
		}

	case common.BeforeQuitMsg:
		if m.reply != nil {
			cmds = append(cmds, m.reply.keepDraft(), m.reply.picker.KeepOnQuit())
		}
		cmds = append(cmds, m.keepOnQuit())

	case keptMsg:
		cmds = append(cmds, m.putBack(msg))
	}
	cmds = append(cmds, m.cursorMoved())
	return m, tea.Batch(cmds...)
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if m.holdSeq != 0 {
		if len(m.held) < maxHeldKeys {
			m.held = append(m.held, msg)
		}
		return nil
	}
	switch {
	case m.reply != nil:
		return m.replyKey(msg)
	case m.searching:
		return m.searchKey(msg)
	case m.snoozing:
		return m.chooseSnooze(msg)
	case m.labeling:
		return m.labelKey(msg)
	}
	if ok, reqs := m.list.HandleKey(m.c.Nav, msg); ok {
		return m.fetch(reqs)
	}
	switch {
	case key.Matches(msg, m.keys.Done):
		return m.stateAction(m.targets(), store.InboxDone, time.Time{})
	case key.Matches(msg, m.keys.Reopen):
		return m.stateAction(m.targets(), store.InboxOpen, time.Time{})
	case key.Matches(msg, m.keys.Snooze):
		if items := m.targets(); len(items) > 0 {
			m.snoozing, m.snoozeIDs = true, ids(items)
			return m.takeKept(keptSnooze, m.snoozeIDs)
		}
	case key.Matches(msg, m.keys.Reply):
		return m.openReply()
	case key.Matches(msg, m.keys.Like):
		return m.react(store.ReactLike)
	case key.Matches(msg, m.keys.Repost):
		return m.react(store.ReactRepost)
	case key.Matches(msg, m.keys.Label):
		if items := m.targets(); len(items) > 0 {
			m.labeling, m.labelIDs = true, ids(items)
			m.labelInput.SetValue("")
			return tea.Batch(m.labelInput.Focus(), m.takeKept(keptLabel, m.labelIDs))
		}
	case key.Matches(msg, m.keys.Select):
		return m.toggleMark()
	case key.Matches(msg, m.keys.Clear) && len(m.marked) > 0:
		clear(m.marked)
	case key.Matches(msg, m.keys.ClearSearch):
		return m.clearSearch()
	case key.Matches(msg, m.keys.Search):
		return m.openSearch()
	case key.Matches(msg, m.keys.LabelFilter):
		return m.cycleLabel(1)
	case key.Matches(msg, m.keys.LabelBack):
		return m.cycleLabel(-1)
	case key.Matches(msg, m.keys.Undo):
		return m.undo()
	case key.Matches(msg, m.keys.Open):
		return m.openLink()
	case key.Matches(msg, m.keys.State):
		m.filter.State = cycle(stateCycle, m.filter.State, 1)
		m.filter.Attention = false
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.StateBack):
		m.filter.State = cycle(stateCycle, m.filter.State, -1)
		m.filter.Attention = false
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.Attention):
		// The view holds open items only; leaving it shows them newest
		// first. It has an order of its own, which a search would not.
		m.filter.Attention = !m.filter.Attention
		m.filter.State = store.InboxOpen
		if m.filter.Attention {
			m.filter.Search, m.filter.Label = "", ""
		}
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.Kind):
		m.filter.Kind = cycle(kindCycle, m.filter.Kind, 1)
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.KindBack):
		m.filter.Kind = cycle(kindCycle, m.filter.Kind, -1)
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.Account):
		m.filter.AccountID = cycle(m.accountCycle(), m.filter.AccountID, 1)
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.AccountBack):
		m.filter.AccountID = cycle(m.accountCycle(), m.filter.AccountID, -1)
		return m.load(loadSpec{holdKeys: true})
	}
	return nil
}

func (m *Model) accountCycle() []int64 {
	ids := []int64{0}
	for _, a := range m.c.Accounts {
		ids = append(ids, a.ID)
	}
	return ids
}

func (m *Model) presets() []time.Duration {
	p := m.c.Settings.SnoozePresets
	if len(p) == 0 {
		p = defaultSnoozePresets
	}
	return p[:min(len(p), maxPresets)]
}

// cycle returns the value after (or before, dir -1) cur in values, wrapping.
func cycle[T comparable](values []T, cur T, dir int) T {
	i := 0
	for j, v := range values {
		if v == cur {
			i = j
			break
		}
	}
	return values[(i+dir+len(values))%len(values)]
}

// loadSpec says what a load reads.
type loadSpec struct {
	at      *store.InboxKey // keep the cursor on (or just after) this item
	fromEnd bool            // the cursor is at the end: read the last page
	wake    bool            // wake due snoozed items first
	act     *action         // save this first
	labels  bool            // read the labels in use too (for v/V)
	// holdKeys makes keys wait for the answer: after a filter change or an
	// action the list on screen is about to be replaced, and a key meant for
	// the new one (e e e to clear three items) must not act on the old.
	holdKeys bool
}

// keepPlace is the load that keeps the cursor where it is. It is how the
// pane catches up with changes made elsewhere, labels included.
func (m *Model) keepPlace(wake bool) loadSpec {
	spec := loadSpec{wake: wake, labels: true}
	if it, ok := m.list.Selected(); ok {
		k := it.Key()
		spec.at = &k
	} else if m.loaded && m.list.Total() > 0 && m.list.Cursor() >= m.list.Total()/2 {
		spec.fromEnd = true
	}
	return spec
}

// load asks for the filtered list in the shape spec says. Only the newest
// load's answer is applied.
func (m *Model) load(spec loadSpec) tea.Cmd {
	dropped := m.dropMarksOfAnotherList()
	m.loadSeq++
	seq, st, f, now := m.loadSeq, m.c.Store, m.filter, m.c.Now()
	if spec.holdKeys {
		m.holdSeq = seq
	}
	if spec.act != nil {
		m.actSeq = seq
	}
	var asked *cursorMark
	if !spec.holdKeys && spec.act == nil && m.loaded {
		c := m.cursorMark()
		asked = &c
	}
	return tea.Batch(dropped, common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		msg := loadedMsg{seq: seq, asked: asked}
		if a := spec.act; a != nil {
			var before []store.InboxItem
			if a.undoable {
				var err error
				if before, err = st.InboxItems(ctx, a.ids); err != nil {
					msg.actErr = err
					return msg
				}
			}
			note, err := a.apply(ctx, st)
			if err != nil {
				msg.actErr = err
				return msg
			}
			msg.applied, msg.note, msg.react = true, note, a.react
			if a.undoable {
				msg.undo = &undoRecord{before: before, note: note, labels: a.labels, label: a.label}
				if a.react != nil {
					msg.undo.reaction = a.react.r
				}
			}
		}
		if spec.wake {
			if _, err := st.WakeSnoozed(ctx, now); err != nil {
				msg.err = err
				return msg
			}
		}
		if spec.labels || spec.act != nil && spec.act.labels {
			msg.labels, msg.labelsErr = []string{}, nil
			if counts, err := st.InboxLabels(ctx); err == nil {
				for _, c := range counts {
					msg.labels = append(msg.labels, c.Label)
				}
			} else {
				msg.labelsErr = err
			}
		}
		if spec.fromEnd {
			total, err := st.InboxCount(ctx, f)
			if err != nil {
				msg.err = err
				return msg
			}
			items, err := st.InboxLast(ctx, f, pageSize)
			msg.win = store.InboxWindow{Total: total, Start: max(total-len(items), 0), Items: items}
			msg.cursor, msg.err = total-1, err
			return msg
		}
		msg.win, msg.err = st.InboxAround(ctx, f, spec.at, pageSize/2, pageSize)
		msg.cursor = msg.win.Index
		return msg
	}))
}

// dropMarksOfAnotherList clears the selection when the filters changed
// since it was made: a bulk action must act on the items on show, not on
// ones marked in a list that is gone (u in the snoozed view reopening the
// open items marked before f).
func (m *Model) dropMarksOfAnotherList() tea.Cmd {
	if len(m.marked) == 0 || m.filter == m.markedIn {
		return nil
	}
	n := len(m.marked)
	clear(m.marked)
	return common.Status("selection of "+common.Count(n, "item", "items")+" cleared: it was made in another list", false)
}

func (m *Model) loadedMsg(msg loadedMsg) tea.Cmd {
	newest := msg.seq == m.loadSeq
	var held []tea.KeyMsg
	if msg.seq == m.actSeq {
		m.actSeq = 0
	}
	if newest && m.holdSeq != 0 && m.actSeq == 0 {
		held, m.held, m.holdSeq = m.held, nil, 0
	}
	if msg.actErr != nil {
		// Keys typed after a failed action were meant for a list that
		// never came: drop them.
		return common.Status("inbox: "+msg.actErr.Error(), true)
	}
	var cmds []tea.Cmd
	if msg.note != "" {
		note := msg.note
		if msg.undo != nil {
			note += " · z undoes"
		}
		cmds = append(cmds, common.Status(note, false))
	}
	seq := m.pushUndo(msg.undo)
	if msg.react != nil && len(msg.react.items) > 0 {
		job := *msg.react
		job.undoSeq = seq
		cmds = append(cmds, m.sendReactions(job))
	}
	if !newest {
		if msg.applied {
			// A load asked for after this one (a sync's change, say) may
			// have read the list before this action was saved: the
			// screen must not keep its older rows. Ask again.
			spec := m.keepPlace(false)
			spec.holdKeys = m.holdSeq != 0 // keys typed meanwhile wait for it
			cmds = append(cmds, m.load(spec))
		}
		return tea.Batch(cmds...)
	}
	if msg.err != nil {
		m.loadErr = msg.err
		return tea.Batch(append(cmds, common.Status("inbox: "+msg.err.Error(), true))...)
	}
	if msg.asked != nil && *msg.asked != m.cursorMark() {
		// The cursor moved while this loaded: ask again from where it is
		// now rather than move it back.
		return tea.Batch(append(cmds, m.load(m.keepPlace(false)))...)
	}
	m.loaded, m.loadErr = true, nil
	if msg.labels != nil && msg.labelsErr == nil {
		m.labels = msg.labels
	}
	reqs := m.list.SetWindow(msg.win.Total, msg.win.Start, msg.win.Items, msg.cursor)
	// The item on show may have changed, or its conversation grown: settle
	// again (which reloads the conversation).
	m.threadStale = true
	m.curID = -1
	cmds = append(cmds, m.fetch(reqs))
	for _, k := range held {
		cmds = append(cmds, m.handleKey(k))
	}
	return tea.Batch(cmds...)
}

// fetch turns the list's page requests into commands.
func (m *Model) fetch(reqs []pageRequest) tea.Cmd {
	st, f := m.c.Store, m.filter
	return vlist.Run(reqs, queryTimeout, func(ctx context.Context, req pageRequest) tea.Msg {
		msg := pageMsg{req: req}
		anchor := req.Anchor
		switch req.Dir {
		case vlist.First:
			msg.items, msg.err = st.InboxPage(ctx, f, nil, nil, req.Limit)
		case vlist.After:
			msg.items, msg.err = st.InboxPage(ctx, f, &anchor, nil, req.Limit)
		case vlist.Before:
			msg.items, msg.err = st.InboxPage(ctx, f, nil, &anchor, req.Limit)
		case vlist.Last:
			msg.items, msg.err = st.InboxLast(ctx, f, req.Limit)
		}
		return msg
	})
}

// cursorMoved starts the settle timer when the item under the cursor changed.
func (m *Model) cursorMoved() tea.Cmd {
	var id int64
	if it, ok := m.list.Selected(); ok {
		id = it.ID
	}
	if id == m.curID {
		return nil
	}
	m.curID = id
	m.settleSeq++
	if id == 0 {
		return nil
	}
	return m.c.After(settleDelay, settledMsg{seq: m.settleSeq})
}

// settled loads the thread of the item the cursor rests on and starts the
// read timer.
func (m *Model) settled() tea.Cmd {
	it, ok := m.list.Selected()
	if !ok {
		return nil
	}
	cmds := []tea.Cmd{m.c.After(readDelay, readMsg{seq: m.settleSeq})}
	if m.threadFor != it.ID || m.threadStale {
		cmds = append(cmds, m.loadThread(it))
	}
	return tea.Batch(cmds...)
}

// loadThread reads the conversation around it: what it answers and our
// replies to it.
func (m *Model) loadThread(it store.InboxItem) tea.Cmd {
	st := m.c.Store
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		entries, err := st.InboxThread(ctx, it)
		return threadMsg{itemID: it.ID, entries: entries, err: err}
	})
}

// markRead marks the cursor item read, at once on screen and then in the store.
func (m *Model) markRead() tea.Cmd {
	it, ok := m.list.Selected()
	if !ok || it.Read || m.c.ReadOnly { // a glance leaves the owner's unread marks
		return nil
	}
	it.Read = true
	m.list.Replace(it)
	st := m.c.Store
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		return markedReadMsg{id: it.ID, err: st.MarkInboxRead(ctx, it.ID)}
	})
}
