// Package campaigns is the Campaigns pane: every campaign with its dates,
// state, goals, spend against budget and key figures; a campaign's detail
// (goals, figures per network and per link, a daily chart, its posts and
// the rows its figures add up); forms to create and edit campaigns, goals
// and typed-in figures; CSV imports, previewed before they are saved; and
// reports written to a file.
package campaigns

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/analytics/csvimport"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/form"
	"github.com/crier-app/crier/tui/components/vlist"
)

// queryTimeout bounds one load; the large demo's take milliseconds.
const queryTimeout = 10 * time.Second

// mode is a view on the pane's stack: the topmost gets the keys and draws.
type mode int

const (
	modeList mode = iota
	modeDetail
	modePosts   // a campaign's posts, paged
	modeTrace   // the rows a campaign's figures add up, paged
	modeForm    // a campaign, goal, typed-in figure, import or export form
	modePreview // what an import would do
	modeMapping // which column holds which field, for a layout no preset knows
	modeConfirm // delete a goal, or a campaign? y or n
)

// item is a line of the list: a campaign, or a goal that stands alone.
type item struct {
	campaign *analytics.CampaignRow
	goal     *analytics.GoalStatus
}

// Messages answer the command with the same seq; any other is stale.
type (
	listMsg struct {
		seq   int
		rows  []analytics.CampaignRow
		goals []analytics.GoalStatus // standing alone
		err   error
	}
	detailMsg struct {
		seq    int
		id     int64
		detail analytics.CampaignDetail
		err    error
	}
	postsMsg struct {
		req  vlist.Request[int]
		rows []postRow
		err  error
	}
	traceCountMsg struct {
		seq    int
		filter store.MarketingFilter
		n      int
		err    error
	}
	traceMsg struct {
		req  vlist.Request[store.TraceKey]
		rows []store.TraceRow
		err  error
	}
	savedMsg struct {
		seq  int
		what string // said in the status bar
		id   int64  // a new campaign's id, opened after
		kind int
		err  error
	}
	previewMsg struct {
		seq     int
		preview *csvimport.Preview
		err     error
	}
)

// postRow is a post of the paged list with its copies (a line per
// post), carrying its index in the whole list: the store pages a
// campaign's posts by offset. The trace pages by key.
type postRow struct {
	i      int
	copies []store.PostNumbers
}

// Model is the Campaigns pane.
type Model struct {
	c    *common.Common
	keys KeyMap
	nav  navHelp

	width, height int
	stack         []mode

	// The list.
	seq    int
	loaded bool
	err    error
	items  []item
	cursor int
	offset int

	// A campaign's detail.
	detailSeq int
	detailID  int64
	detail    *analytics.CampaignDetail
	detailErr error
	lines     []string // the drawn detail, rebuilt on load and resize
	scroll    int
	goalSel   int

	posts       *vlist.Model[postRow, int]
	trace       *vlist.Model[store.TraceRow, store.TraceKey]
	traceFilter store.MarketingFilter
	traceSource int // -1: every network; else the index in detail.Networks
	traceSeq    int

	form    *form.Model
	saveSeq int
	editing store.Campaign // the campaign the form edits, as loaded
	doomed  store.Goal     // the goal modeConfirm asks about
	// figuresW is the width of the list's figures column: its widest
	// campaign's (at most 30).
	figuresW int
	// budgetW is the widest campaign's spend of budget (spend in another
	// currency makes it wider), which the list gives it while the names
	// keep room enough.
	budgetW int
	// doomedCampaign, when set, is the campaign modeConfirm asks about
	// instead, with what it holds.
	doomedCampaign *store.Campaign
	footprint      store.CampaignFootprint

	imp importState
}

// New builds the pane. It does no I/O: the list loads through Init.
func New(c *common.Common) *Model {
	m := &Model{c: c, keys: DefaultKeyMap(), nav: newNavHelp(c.Nav), stack: []mode{modeList}, traceSource: -1}
	m.posts = vlist.New(func(r postRow) int { return r.i }, m.renderPost, vlist.Options{PageSize: 100})
	m.trace = vlist.New(store.TraceRow.Key, m.renderTrace, vlist.Options{PageSize: 100})
	return m
}

func (m *Model) top() mode { return m.stack[len(m.stack)-1] }

func (m *Model) push(md mode) { m.stack = append(m.stack, md) }

func (m *Model) pop() {
	if len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
	}
	if m.top() != modeForm {
		m.form = nil
	}
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.load() }

// SetSize gives the pane its area.
func (m *Model) SetSize(width, height int) tea.Cmd {
	m.width, m.height = width, height
	m.layoutDetail()
	m.clampList()
	return tea.Batch(m.postReqs(m.posts.SetSize(width, m.pagedHeight())), m.traceReqs(m.trace.SetSize(width, m.pagedHeight())))
}

// pagedHeight is the rows the posts and trace lists get: all but their
// title and column heads.
func (m *Model) pagedHeight() int { return max(m.height-3, 1) }

// Capturing is true while a form takes typed text.
func (m *Model) Capturing() bool { return m.top() == modeForm }

// TypingText is true while a form's field has the keyboard.
func (m *Model) TypingText() bool { return m.top() == modeForm }

func (m *Model) today() store.Day { return store.DayOf(m.c.Now().In(m.c.Zone)) }

// load asks for the list; earlier answers will be dropped.
func (m *Model) load() tea.Cmd {
	now, zone := m.c.Now(), m.c.Zone
	today := store.DayOf(now.In(zone))
	return m.c.StoreQuery(&m.seq, queryTimeout, func(ctx context.Context, st *store.Store, seq int) tea.Msg {
		l, err := analytics.CampaignList(ctx, st, today, now, zone)
		return listMsg{seq: seq, rows: l.Rows, goals: l.Goals, err: err}
	})
}

// loadDetail asks for a campaign's detail.
func (m *Model) loadDetail(id int64) tea.Cmd {
	now, zone := m.c.Now(), m.c.Zone
	today := store.DayOf(now.In(zone))
	return m.c.StoreQuery(&m.detailSeq, queryTimeout, func(ctx context.Context, st *store.Store, seq int) tea.Msg {
		d, err := analytics.Campaign(ctx, st, id, today, now, zone)
		return detailMsg{seq: seq, id: id, detail: d, err: err}
	})
}

// postReqs runs the posts list's page requests against the store.
func (m *Model) postReqs(reqs []vlist.Request[int]) tea.Cmd {
	st, id := m.c.Store, m.detailID
	if st == nil {
		return nil
	}
	total := m.posts.Total()
	return vlist.Run(reqs, queryTimeout, func(ctx context.Context, req vlist.Request[int]) tea.Msg {
		offset, limit := pageOf(req, total)
		ps, err := st.CampaignPosts(ctx, id, limit, offset)
		// A page is limit posts, each with its copies in a row.
		var rows []postRow
		for _, p := range ps {
			if n := len(rows); n > 0 && rows[n-1].copies[0].PostID == p.PostID {
				rows[n-1].copies = append(rows[n-1].copies, p)
				continue
			}
			rows = append(rows, postRow{i: offset + len(rows), copies: []store.PostNumbers{p}})
		}
		return postsMsg{req: req, rows: rows, err: err}
	})
}

// traceReqs runs the trace list's page requests: by key, so a page deep
// in a million rows costs what the first does.
func (m *Model) traceReqs(reqs []vlist.Request[store.TraceKey]) tea.Cmd {
	st, f := m.c.Store, m.traceFilter
	if st == nil {
		return nil
	}
	return vlist.Run(reqs, queryTimeout, func(ctx context.Context, req vlist.Request[store.TraceKey]) tea.Msg {
		var rows []store.TraceRow
		var err error
		anchor := req.Anchor
		switch req.Dir {
		case vlist.First:
			rows, err = st.TraceAfter(ctx, f, nil, req.Limit)
		case vlist.After:
			rows, err = st.TraceAfter(ctx, f, &anchor, req.Limit)
		case vlist.Before:
			rows, err = st.TraceBefore(ctx, f, &anchor, req.Limit)
		case vlist.Last:
			rows, err = st.TraceBefore(ctx, f, nil, req.Limit)
		}
		return traceMsg{req: req, rows: rows, err: err}
	})
}

// pageOf turns a list's request into the offset and limit the store pages
// by: the rows are keyed by their index.
func pageOf(req vlist.Request[int], total int) (offset, limit int) {
	switch req.Dir {
	case vlist.After:
		return req.Anchor + 1, req.Limit
	case vlist.Before:
		from := max(req.Anchor-req.Limit, 0)
		return from, req.Anchor - from
	case vlist.Last:
		from := max(total-req.Limit, 0)
		return from, req.Limit
	}
	return 0, req.Limit
}

// Update handles messages and keys.
func (m *Model) Update(msg tea.Msg) (common.Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case listMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			m.err = msg.err
			return m, common.Status("Campaigns: cannot load them: "+msg.err.Error(), true)
		}
		m.setItems(msg.rows, msg.goals)
		return m, nil

	case detailMsg:
		if msg.seq != m.detailSeq || msg.id != m.detailID {
			return m, nil
		}
		if msg.err != nil {
			m.detailErr = msg.err
			m.layoutDetail()
			return m, common.Status("Campaigns: cannot load the campaign: "+msg.err.Error(), true)
		}
		d := msg.detail
		m.detail, m.detailErr = &d, nil
		m.goalSel = min(m.goalSel, max(len(d.Goals)-1, 0))
		m.layoutDetail()
		return m, nil

	case postsMsg:
		if msg.err != nil {
			return m, common.Status("Campaigns: cannot load the posts: "+msg.err.Error(), true)
		}
		return m, m.postReqs(m.posts.Receive(msg.req, msg.rows))

	case traceCountMsg:
		if msg.seq != m.traceSeq {
			return m, nil
		}
		if msg.err != nil {
			return m, common.Status("Campaigns: cannot count the rows: "+msg.err.Error(), true)
		}
		return m, m.traceReqs(m.trace.SetWindow(msg.n, 0, nil, 0))

	case traceMsg:
		if msg.err != nil {
			return m, common.Status("Campaigns: cannot load the rows: "+msg.err.Error(), true)
		}
		return m, m.traceReqs(m.trace.Receive(msg.req, msg.rows))

	case savedMsg:
		return m, m.saved(msg)

	case keptFormMsg:
		return m, m.keptForm(msg)

	case common.BeforeQuitMsg:
		return m, m.keepForm()

	case previewMsg:
		return m, m.previewed(msg)

	case importedMsg:
		return m, m.importAnswer(msg)

	case deletedMsg:
		m.goalSel = max(m.goalSel-1, 0)
		return m, tea.Batch(common.Status("deleted the goal: "+msg.what, false),
			func() tea.Msg { return common.DataChangedMsg{What: "marketing"} })

	case footprintMsg:
		if msg.err != nil {
			return m, common.Status("cannot count what "+common.Clean(msg.campaign.Name)+" holds: "+msg.err.Error(), true)
		}
		c := msg.campaign
		m.doomedCampaign, m.footprint = &c, msg.footprint
		m.push(modeConfirm)
		return m, nil

	case campaignDeletedMsg:
		// Its detail (and what was opened from it) has nothing left to show.
		if m.detailID == msg.campaign.ID {
			m.stack = m.stack[:1]
			m.form = nil
			m.detailID, m.detail, m.detailErr = 0, nil, nil
		}
		text := "deleted the campaign " + common.Clean(msg.campaign.Name)
		if n := msg.footprint.Posts; n > 0 {
			text += "; its " + counted(n, "post stays", "posts stay") + ", in no campaign"
		}
		return m, tea.Batch(common.Status(text, false),
			func() tea.Msg { return common.DataChangedMsg{What: "marketing"} })

	case common.DataChangedMsg, common.FocusMsg:
		cmds := []tea.Cmd{m.load()}
		if m.detailID != 0 && m.top() != modeList {
			cmds = append(cmds, m.loadDetail(m.detailID))
		}
		return m, tea.Batch(cmds...)

	case tea.KeyMsg:
		return m, m.handleKey(msg)
	}
	if m.top() == modeForm && m.form != nil {
		_, _, cmd := m.form.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) setItems(rows []analytics.CampaignRow, goals []analytics.GoalStatus) {
	var sel int64 = -1
	if m.cursor < len(m.items) && m.items[m.cursor].campaign != nil {
		sel = m.items[m.cursor].campaign.Campaign.ID
	}
	m.items = m.items[:0]
	m.figuresW, m.budgetW = common.Width(figuresHead), 0
	for i := range rows {
		m.items = append(m.items, item{campaign: &rows[i]})
		m.figuresW = max(m.figuresW, min(common.Width(figuresText(rows[i].Figures)), 30))
		m.budgetW = max(m.budgetW, common.Width(budgetText(rows[i])))
	}
	for i := range goals {
		m.items = append(m.items, item{goal: &goals[i]})
	}
	m.loaded, m.err = true, nil
	for i, it := range m.items {
		if it.campaign != nil && it.campaign.Campaign.ID == sel {
			m.cursor = i
		}
	}
	m.clampList()
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	switch m.top() {
	case modeForm:
		return m.formKey(msg)
	case modePreview:
		return m.previewKey(msg)
	case modeMapping:
		return m.mappingKey(msg)
	case modeConfirm:
		return m.confirmKey(msg)
	case modePosts:
		if key.Matches(msg, m.keys.Back) {
			m.pop()
			return nil
		}
		_, reqs := m.posts.HandleKey(m.c.Nav, msg)
		return m.postReqs(reqs)
	case modeTrace:
		switch {
		case key.Matches(msg, m.keys.Back):
			m.pop()
			return nil
		case key.Matches(msg, m.keys.Source):
			return m.nextTraceSource()
		}
		_, reqs := m.trace.HandleKey(m.c.Nav, msg)
		return m.traceReqs(reqs)
	case modeDetail:
		return m.detailKey(msg)
	}
	return m.listKey(msg)
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	nav := m.c.Nav
	switch {
	case key.Matches(msg, nav.Moves()...):
		m.cursor = nav.Move(msg, m.cursor, m.listRows(), len(m.items)-1)
	case key.Matches(msg, m.keys.Reload):
		return m.load()
	case key.Matches(msg, m.keys.New):
		return m.openCampaignForm(nil)
	case key.Matches(msg, m.keys.Import):
		return m.openImportForm()
	case key.Matches(msg, m.keys.Export):
		return m.openExportForm(m.selectedCampaign())
	case key.Matches(msg, m.keys.Entry):
		return m.openEntryForm(m.selectedCampaign())
	case key.Matches(msg, m.keys.AddGoal):
		return m.openGoalForm(nil, m.selectedCampaign())
	case key.Matches(msg, m.keys.DelGoal):
		if m.cursor < len(m.items) && m.items[m.cursor].goal != nil {
			return m.askDelete(m.items[m.cursor].goal.Goal)
		}
	case key.Matches(msg, m.keys.DelCampaign):
		if m.cursor < len(m.items) && m.items[m.cursor].campaign != nil {
			return m.askDeleteCampaign(m.items[m.cursor].campaign.Campaign)
		}
	case key.Matches(msg, m.keys.Edit), key.Matches(msg, m.keys.Open):
		if m.cursor >= len(m.items) {
			return nil
		}
		it := m.items[m.cursor]
		if it.goal != nil {
			g := it.goal.Goal
			return m.openGoalForm(&g, nil)
		}
		if key.Matches(msg, m.keys.Edit) {
			c := it.campaign.Campaign
			return m.openCampaignForm(&c)
		}
		return m.openDetail(it.campaign.Campaign.ID)
	}
	m.clampList()
	return nil
}

func (m *Model) selectedCampaign() *store.Campaign {
	if m.top() != modeList && m.detail != nil {
		c := m.detail.Campaign
		return &c
	}
	if m.cursor < len(m.items) && m.items[m.cursor].campaign != nil {
		c := m.items[m.cursor].campaign.Campaign
		return &c
	}
	return nil
}

func (m *Model) openDetail(id int64) tea.Cmd {
	if m.detailID != id {
		m.detail, m.detailErr, m.scroll, m.goalSel = nil, nil, 0, 0
	}
	m.detailID = id
	m.push(modeDetail)
	m.layoutDetail()
	return m.loadDetail(id)
}

func (m *Model) detailKey(msg tea.KeyMsg) tea.Cmd {
	nav := m.c.Nav
	page := max(m.height-2, 1)
	switch {
	case key.Matches(msg, m.keys.Back):
		m.pop()
		return m.load()
	case key.Matches(msg, nav.Moves()...):
		m.scrollTo(nav.Move(msg, m.scroll, page, len(m.lines)))
	case key.Matches(msg, nav.Left):
		m.goalSel = max(m.goalSel-1, 0)
		m.layoutDetail()
	case key.Matches(msg, nav.Right):
		if m.detail != nil {
			m.goalSel = min(m.goalSel+1, max(len(m.detail.Goals)-1, 0))
		}
		m.layoutDetail()
	case key.Matches(msg, m.keys.Reload):
		return m.loadDetail(m.detailID)
	}
	if m.detail == nil {
		return nil
	}
	c := m.detail.Campaign
	switch {
	case key.Matches(msg, m.keys.Edit):
		return m.openCampaignForm(&c)
	case key.Matches(msg, m.keys.AddGoal):
		return m.openGoalForm(nil, &c)
	case key.Matches(msg, m.keys.EditGoal):
		if m.goalSel < len(m.detail.Goals) {
			g := m.detail.Goals[m.goalSel].Goal
			return m.openGoalForm(&g, &c)
		}
	case key.Matches(msg, m.keys.DelGoal):
		if m.goalSel < len(m.detail.Goals) {
			return m.askDelete(m.detail.Goals[m.goalSel].Goal)
		}
	case key.Matches(msg, m.keys.DelCampaign):
		return m.askDeleteCampaign(c)
	case key.Matches(msg, m.keys.Entry):
		return m.openEntryForm(&c)
	case key.Matches(msg, m.keys.Import):
		return m.openImportForm()
	case key.Matches(msg, m.keys.Export):
		return m.openExportForm(&c)
	case key.Matches(msg, m.keys.Posts):
		m.push(modePosts)
		return m.postReqs(m.posts.SetWindow(m.detail.PostCount, 0, nil, 0))
	case key.Matches(msg, m.keys.Rows):
		m.traceSource = -1
		m.push(modeTrace)
		return m.openTrace(m.detail.Rows)
	}
	return nil
}

// askDelete asks whether to delete goal g.
func (m *Model) askDelete(g store.Goal) tea.Cmd {
	m.doomed, m.doomedCampaign = g, nil
	m.push(modeConfirm)
	return nil
}

// askDeleteCampaign counts what campaign c holds; the answer asks whether
// to delete it, saying what stays and what goes.
func (m *Model) askDeleteCampaign(c store.Campaign) tea.Cmd {
	st := m.c.Store
	if st == nil {
		return nil
	}
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		f, err := st.CampaignFootprint(ctx, c.ID)
		return footprintMsg{campaign: c, footprint: f, err: err}
	})
}

// footprintMsg is what a campaign holds, counted before asking whether to
// delete it.
type footprintMsg struct {
	campaign  store.Campaign
	footprint store.CampaignFootprint
	err       error
}

// campaignDeletedMsg says a campaign is gone, and what it held.
type campaignDeletedMsg struct {
	campaign  store.Campaign
	footprint store.CampaignFootprint
}

func (m *Model) confirmKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.No):
		m.pop()
	case key.Matches(msg, m.keys.Yes):
		m.pop()
		g, st := m.doomed, m.c.Store
		if st == nil {
			return nil
		}
		if c := m.doomedCampaign; c != nil {
			f := m.footprint
			m.doomedCampaign = nil
			return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
				if err := st.DeleteCampaign(ctx, c.ID); err != nil {
					return common.StatusMsg{Text: "cannot delete the campaign " + common.Clean(c.Name) + ": " + err.Error(), Err: true}
				}
				return campaignDeletedMsg{campaign: *c, footprint: f}
			})
		}
		return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
			if err := st.DeleteGoal(ctx, g.ID); err != nil {
				return common.StatusMsg{Text: "cannot delete the goal: " + err.Error(), Err: true}
			}
			return deletedMsg{what: analytics.Describe(g)}
		})
	}
	return nil
}

// deletedMsg says a goal is gone: the status says which, and every pane
// reloads.
type deletedMsg struct{ what string }

// nextTraceSource shows the next network's rows (then every network's).
func (m *Model) nextTraceSource() tea.Cmd {
	if m.detail == nil {
		return nil
	}
	m.traceSource++
	if m.traceSource >= len(m.detail.Networks) {
		m.traceSource = -1
	}
	f := m.detail.Rows
	if m.traceSource >= 0 {
		f = m.detail.Networks[m.traceSource].Rows
	}
	return m.openTrace(f)
}

// openTrace lists the rows behind a filter: it counts them, then pages.
func (m *Model) openTrace(f store.MarketingFilter) tea.Cmd {
	m.traceSeq++
	m.traceFilter = f
	m.trace.SetWindow(0, 0, nil, 0)
	seq, st := m.traceSeq, m.c.Store
	if st == nil {
		return nil
	}
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		n, err := st.CountMarketingRows(ctx, f)
		return traceCountMsg{seq: seq, filter: f, n: n, err: err}
	})
}

func (m *Model) scrollTo(off int) {
	m.scroll = max(0, min(off, len(m.lines)-max(m.height-1, 1)))
}

// listRows is how many list lines are on screen.
func (m *Model) listRows() int { return max(m.listHeight()-1, 1) }

func (m *Model) clampList() {
	m.cursor = max(0, min(m.cursor, len(m.items)-1))
	rows := m.listRows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(0, min(m.offset, len(m.items)-rows))
}

// ShortHelp is the footer's view of the pane's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.top() {
	case modeForm:
		fk := form.DefaultKeyMap()
		return []key.Binding{fk.NextField, fk.Save, fk.Cancel}
	case modePreview:
		return []key.Binding{k.Confirm, k.Cancel}
	case modeConfirm:
		return []key.Binding{k.Yes, k.No}
	case modeMapping:
		return []key.Binding{m.nav.move, k.Map, k.MapRead, k.Cancel}
	case modePosts:
		return []key.Binding{m.nav.move, k.Back}
	case modeTrace:
		return []key.Binding{m.nav.move, k.Source, k.Back}
	case modeDetail:
		return []key.Binding{k.Edit, k.AddGoal, k.Posts, k.Rows, k.Export, k.Back}
	}
	return []key.Binding{k.Open, k.New, k.Import, k.Export}
}

// FullHelp is every key, for a help screen without sections.
func (m *Model) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, s := range m.HelpSections() {
		out = append(out, s.Keys)
	}
	return out
}
