// Package kpis is the KPIs pane: the active goals first, then followers and their growth, what was
// published in the last 30 days and how it did, open inbox items, per
// account and in total, with 30-day sparklines; how fast the inbox is
// answered; what social listening heard, per term; and the five best posts.
package kpis

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/form"
)

// queryTimeout bounds one report; it takes milliseconds on a large database.
const queryTimeout = 10 * time.Second

// loadedMsg answers the load with the same seq; any other is stale.
type loadedMsg struct {
	seq       int
	report    store.KPIReport
	inbox     store.InboxKPIs
	listening store.ListeningTrend
	goals     []analytics.GoalStatus
	more      insights
	err       error
}

// Model is the KPIs pane.
type Model struct {
	c    *common.Common
	keys KeyMap
	nav  navHelp

	width, height int

	seq       int
	loaded    bool
	report    store.KPIReport
	inbox     store.InboxKPIs
	listening store.ListeningTrend   // over the report's Days
	goals     []analytics.GoalStatus // the active ones, shown first
	more      insights
	err       error // of the last load, shown while nothing was loaded yet

	// heat is whose best times the heatmap shows, and how.
	heat     heatChoice
	heatKeys heatKeys

	// pick is the top post marked for its numbers over time (-1 none);
	// post is that view while it is open.
	pick int
	post *postView

	// lines is the drawn content below the pinned header, rebuilt when the
	// report or the size changes; offset is the first one shown.
	lines   []string
	offset  int
	topLine int // the first top post's line

	// form asks where to write a report (x); nil when closed.
	form      *form.Model
	exportSeq int
}

// New builds the pane. It does no I/O: the report loads through Init.
func New(c *common.Common) *Model {
	return &Model{c: c, keys: DefaultKeyMap(), heatKeys: defaultHeatKeys(), nav: newNavHelp(c.Nav), pick: -1}
}

// Init loads the report.
func (m *Model) Init() tea.Cmd { return m.load() }

// SetSize gives the pane its area and lays the report out again.
func (m *Model) SetSize(width, height int) tea.Cmd {
	m.width, m.height = width, height
	m.layout()
	return nil
}

// Capturing is true while the export form takes typed text.
func (m *Model) Capturing() bool { return m.form != nil }

// TypingText is true while the export form has the keyboard.
func (m *Model) TypingText() bool { return m.form != nil }

// load asks for a fresh report; answers to earlier loads will be dropped.
func (m *Model) load() tea.Cmd {
	now, zone, heatAccount := m.c.Now(), m.c.Zone, m.heat.accountID(m.c)
	return m.c.StoreQuery(&m.seq, queryTimeout, func(ctx context.Context, st *store.Store, seq int) tea.Msg {
		msg := loadedMsg{seq: seq}
		if msg.report, msg.err = st.KPIs(ctx, now, zone); msg.err != nil {
			return msg
		}
		if msg.inbox, msg.err = st.InboxKPIs(ctx, now, zone); msg.err != nil {
			return msg
		}
		if msg.listening, msg.err = st.ListeningTrend(ctx, msg.report.Days[0], now, zone); msg.err != nil {
			return msg
		}
		if msg.goals, msg.err = analytics.EvaluateRunning(ctx, st, store.DayOf(now.In(zone)), zone); msg.err != nil {
			return msg
		}
		msg.more, msg.err = loadInsights(ctx, st, now, zone, msg.report.Top, heatAccount)
		return msg
	})
}

// Update handles messages and keys.
func (m *Model) Update(msg tea.Msg) (common.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			m.err = msg.err
			m.layout()
			return m, common.Status("KPIs: cannot load the figures: "+msg.err.Error(), true)
		}
		m.report, m.inbox, m.listening, m.goals, m.more, m.loaded, m.err = msg.report, msg.inbox, msg.listening, msg.goals, msg.more, true, nil
		m.pick = min(m.pick, len(m.report.Top)-1)
		m.layout()
		return m, nil

	case common.DataChangedMsg, common.FocusMsg:
		return m, m.load()

	case exportedMsg:
		return m, m.exported(msg)
	case keptExportMsg:
		return m, common.PutBack(m.c.Store, exportKept, msg.form, m.form == msg.form, msg.typed, msg.err, "KPIs")
	case common.BeforeQuitMsg:
		if m.form == nil {
			return m, nil
		}
		return m, common.KeepOpen(m.c.Store, exportKept, m.form)

	case postNumbersMsg:
		m.onPostNumbers(msg)
		return m, nil

	case tea.KeyMsg:
		if m.form != nil {
			return m, m.formKey(msg)
		}
		if m.post != nil {
			return m, m.postKey(msg)
		}
		if cmd, ok := m.heatKey(msg); ok {
			return m, cmd
		}
		nav := m.c.Nav
		page := max(m.bodyHeight()-1, 1)
		switch {
		case key.Matches(msg, m.keys.Reload):
			return m, m.load()
		case key.Matches(msg, m.keys.Export):
			return m, m.openExport()
		case key.Matches(msg, m.keys.NextPost, m.keys.PrevPost):
			m.movePick(key.Matches(msg, m.keys.NextPost))
		case key.Matches(msg, m.keys.Open):
			return m, m.openPost()
		case key.Matches(msg, nav.Moves()...):
			m.scrollTo(nav.Move(msg, m.offset, page, len(m.lines)))
		}
	}
	return m, nil
}

// bodyHeight is the room below the pinned header line.
func (m *Model) bodyHeight() int { return max(m.height-1, 0) }

// scrollTo moves the first shown line to off, kept within the content.
func (m *Model) scrollTo(off int) {
	m.offset = max(0, min(off, len(m.lines)-m.bodyHeight()))
}

// ShortHelp is the footer's view of the pane's keys.
func (m *Model) ShortHelp() []key.Binding {
	if m.form != nil {
		k := m.form.Keys()
		return []key.Binding{k.NextField, k.Save, k.Cancel}
	}
	if m.post != nil {
		return []key.Binding{m.keys.Close}
	}
	return []key.Binding{m.keys.Reload, m.keys.Export, m.nav.scroll, m.keys.NextPost, m.keys.Open}
}

// FullHelp is the ? screen's view of the pane's keys.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Reload, m.keys.Export, m.keys.NextPost, m.keys.PrevPost, m.keys.Open, m.keys.Close, m.heatKeys.Account, m.heatKeys.Counts},
		{m.nav.up, m.nav.down, m.nav.pageUp, m.nav.pageDown, m.nav.first, m.nav.last},
	}
}
