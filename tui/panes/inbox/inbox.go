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
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
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
	kindCycle  = []store.InboxKind{"", store.KindMention, store.KindReply, store.KindQuote, store.KindDM}
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
	note   string // what to say when it worked
	actErr error  // it failed: nothing was reloaded
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

// action is a triage change to save before the next load.
type action struct {
	ids   []int64
	state store.InboxState
	until time.Time
	note  string
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
	// Page requests made while the pane could not return a command (SetSize).
	deferred []pageRequest
	// Keys that arrived while a load with holdKeys (seq holdSeq) was on its
	// way; they are handled when it (or a later load) is applied.
	holdSeq int
	held    []tea.KeyMsg

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

	// The snooze chooser, open while snoozing is set.
	snoozing bool
	snoozeID int64

	// after delivers msg after d. It is tea.Tick; tests make it immediate.
	after func(d time.Duration, msg tea.Msg) tea.Cmd
}

// New returns the Inbox pane. It does no I/O: Init loads.
func New(c *common.Common) *Model {
	m := &Model{
		c:        c,
		keys:     DefaultKeyMap(),
		filter:   store.InboxFilter{State: store.InboxOpen},
		rowCache: map[rowKey]string{},
		after: func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		},
	}
	m.list = vlist.New(store.InboxItem.Key, m.renderRow, vlist.Options{PageSize: pageSize})
	m.list.SetPlaceholder(m.renderPlaceholder)
	return m
}

// Init wakes snoozed items that are due and loads the first page.
func (m *Model) Init() tea.Cmd {
	return m.load(loadSpec{wake: true, holdKeys: true})
}

// Capturing is true while the snooze chooser is open: its digits are not
// tab switches.
func (m *Model) Capturing() bool { return m.snoozing }

// SetSize gives the pane its area.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	l := m.layout()
	m.deferred = append(m.deferred, m.list.SetSize(l.listW, l.listH)...)
}

// ShortHelp is the footer.
func (m *Model) ShortHelp() []key.Binding {
	if m.snoozing {
		return []key.Binding{m.keys.Preset, m.keys.Cancel}
	}
	return []key.Binding{m.keys.Done, m.keys.Snooze, m.keys.Reopen, m.keys.State, m.keys.Kind, m.keys.Account}
}

// FullHelp is the ? screen.
func (m *Model) FullHelp() [][]key.Binding {
	n := m.c.Nav
	return [][]key.Binding{
		{n.Up, n.Down, n.PageUp, n.PageDown, n.Home, n.End},
		{m.keys.Done, m.keys.Snooze, m.keys.Reopen, m.keys.Preset, m.keys.Cancel},
		{m.keys.State, m.keys.Kind, m.keys.Account, m.keys.Attention},
	}
}

// Update handles messages for the pane.
func (m *Model) Update(msg tea.Msg) (common.Pane, tea.Cmd) {
	var cmds []tea.Cmd
	if len(m.deferred) > 0 {
		cmds = append(cmds, m.fetch(m.deferred))
		m.deferred = nil
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmds = append(cmds, m.handleKey(msg))

	case common.FocusMsg:
		cmds = append(cmds, m.load(m.keepPlace(true)))

	case common.DataChangedMsg:
		cmds = append(cmds, m.load(m.keepPlace(false)))

	case loadedMsg:
		cmds = append(cmds, m.loadedMsg(msg))

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
	}
	cmds = append(cmds, m.cursorMoved())
	return m, tea.Batch(cmds...)
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		// Keys typed faster than the terminal is read arrive together
		// ("jjj" from a held j): take them one by one.
		cmds := make([]tea.Cmd, 0, len(msg.Runes))
		for _, r := range msg.Runes {
			cmds = append(cmds, m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		}
		return tea.Batch(cmds...)
	}
	if m.holdSeq != 0 {
		if len(m.held) < maxHeldKeys {
			m.held = append(m.held, msg)
		}
		return nil
	}
	if m.snoozing {
		return m.chooseSnooze(msg)
	}
	if ok, reqs := m.list.HandleKey(m.c.Nav, msg); ok {
		return m.fetch(reqs)
	}
	switch {
	case key.Matches(msg, m.keys.Done):
		return m.act(store.InboxDone, 0)
	case key.Matches(msg, m.keys.Reopen):
		return m.act(store.InboxOpen, 0)
	case key.Matches(msg, m.keys.Snooze):
		if it, ok := m.list.Selected(); ok {
			m.snoozing, m.snoozeID = true, it.ID
		}
	case key.Matches(msg, m.keys.State):
		m.filter.State = cycle(stateCycle, m.filter.State, 1)
		m.filter.Attention = false
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.StateBack):
		m.filter.State = cycle(stateCycle, m.filter.State, -1)
		m.filter.Attention = false
		return m.load(loadSpec{holdKeys: true})
	case key.Matches(msg, m.keys.Attention):
		// The view holds open items only; leaving it shows them newest first.
		m.filter.Attention = !m.filter.Attention
		m.filter.State = store.InboxOpen
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

func (m *Model) chooseSnooze(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.snoozing = false
	case key.Matches(msg, m.keys.Preset):
		i, ok := presetIndex(msg.String())
		presets := m.presets()
		if !ok || i >= len(presets) {
			return nil
		}
		m.snoozing = false
		return m.act(store.InboxSnoozed, presets[i])
	}
	return nil
}

// act saves a state change for the cursor item, then reloads around it: if it
// left the filtered view, the cursor lands on the item that followed it.
func (m *Model) act(state store.InboxState, snoozeFor time.Duration) tea.Cmd {
	it, ok := m.list.Selected()
	if !ok {
		return nil
	}
	if state == store.InboxSnoozed && it.ID != m.snoozeID {
		// A reload while the chooser was open took the item away.
		m.snoozeID = 0
		return common.Status("the item changed meanwhile: not snoozed", true)
	}
	m.snoozeID = 0
	if it.State == state && state != store.InboxSnoozed {
		return common.Status(fmt.Sprintf("already %s", state), false)
	}
	a := &action{ids: []int64{it.ID}, state: state}
	switch state {
	case store.InboxDone:
		a.note = "done"
	case store.InboxOpen:
		a.note = "reopened"
	case store.InboxSnoozed:
		a.until = m.c.Now().Add(snoozeFor)
		a.note = "snoozed until " + m.formatTime(a.until)
	}
	key := it.Key()
	return m.load(loadSpec{at: &key, act: a, holdKeys: true})
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
	// holdKeys makes keys wait for the answer: after a filter change or an
	// action the list on screen is about to be replaced, and a key meant for
	// the new one (e e e to clear three items) must not act on the old.
	holdKeys bool
}

// keepPlace is the load that keeps the cursor where it is.
func (m *Model) keepPlace(wake bool) loadSpec {
	spec := loadSpec{wake: wake}
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
	m.loadSeq++
	seq, st, f, now := m.loadSeq, m.c.Store, m.filter, m.c.Now()
	if spec.holdKeys {
		m.holdSeq = seq
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		msg := loadedMsg{seq: seq}
		if a := spec.act; a != nil {
			if err := st.SetInboxState(ctx, a.ids, a.state, a.until); err != nil {
				msg.actErr = err
				return msg
			}
			msg.note = a.note
		}
		if spec.wake {
			if _, err := st.WakeSnoozed(ctx, now); err != nil {
				msg.err = err
				return msg
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
	}
}

func (m *Model) loadedMsg(msg loadedMsg) tea.Cmd {
	newest := msg.seq == m.loadSeq
	var held []tea.KeyMsg
	if newest && m.holdSeq != 0 {
		held, m.held, m.holdSeq = m.held, nil, 0
	}
	if msg.actErr != nil {
		// Keys typed after a failed action were meant for a list that
		// never came: drop them.
		return common.Status("inbox: "+msg.actErr.Error(), true)
	}
	var cmds []tea.Cmd
	if msg.note != "" {
		cmds = append(cmds, common.Status(msg.note, false))
	}
	if !newest {
		return tea.Batch(cmds...)
	}
	if msg.err != nil {
		m.loadErr = msg.err
		return tea.Batch(append(cmds, common.Status("inbox: "+msg.err.Error(), true))...)
	}
	m.loaded, m.loadErr = true, nil
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
	if len(reqs) == 0 {
		return nil
	}
	st, f := m.c.Store, m.filter
	cmds := make([]tea.Cmd, 0, len(reqs))
	for _, req := range reqs {
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
			defer cancel()
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
	return tea.Batch(cmds...)
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
	return m.after(settleDelay, settledMsg{seq: m.settleSeq})
}

// settled loads the thread of the item the cursor rests on and starts the
// read timer.
func (m *Model) settled() tea.Cmd {
	it, ok := m.list.Selected()
	if !ok {
		return nil
	}
	cmds := []tea.Cmd{m.after(readDelay, readMsg{seq: m.settleSeq})}
	if (m.threadFor != it.ID || m.threadStale) && (it.InReplyTo != "" || it.ThreadRoot != "") {
		st := m.c.Store
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
			defer cancel()
			entries, err := st.InboxThread(ctx, it)
			return threadMsg{itemID: it.ID, entries: entries, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// markRead marks the cursor item read, at once on screen and then in the store.
func (m *Model) markRead() tea.Cmd {
	it, ok := m.list.Selected()
	if !ok || it.Read {
		return nil
	}
	it.Read = true
	m.list.Replace(it)
	st := m.c.Store
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		return markedReadMsg{id: it.ID, err: st.MarkInboxRead(ctx, it.ID)}
	}
}
