// Package tui is crier's terminal interface: a root model with five panes
// (calendar, drafts, inbox, KPIs, campaigns), a status bar and a help screen.
package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/postcopy"
	"github.com/crier-app/crier/tui/keys"
	"github.com/crier-app/crier/tui/panes/calendar"
	"github.com/crier-app/crier/tui/panes/campaigns"
	"github.com/crier-app/crier/tui/panes/drafts"
	"github.com/crier-app/crier/tui/panes/inbox"
	"github.com/crier-app/crier/tui/panes/kpis"
)

// MinWidth and MinHeight are the smallest terminal crier draws in.
const (
	MinWidth  = 80
	MinHeight = 24
)

// chrome is the rows the root draws around a pane: tab bar, help line, status bar.
const chrome = 3

// statusTTL is how long a transient status message stays.
const statusTTL = 5 * time.Second

// SchedulerMsg carries one scheduler event into the program. main forwards
// the scheduler's channel with program.Send.
type SchedulerMsg struct{ Event scheduler.Event }

// LimitsMsg carries what an account's server said it accepts. main asks each
// network once at start, in the background, and sends the answers in.
type LimitsMsg struct {
	AccountID int64
	Limits    platforms.Limits
}

// SchedulerView is what the root reads from the scheduler (nil when it is off).
type SchedulerView interface {
	Status() scheduler.Status
	// SyncNow asks for an inbox and metrics sync at once; it never blocks.
	SyncNow()
}

type tab struct {
	name string
	pane common.Pane
}

// Model is the root model.
type Model struct {
	c        *common.Common
	keys     keys.Global
	tabs     []tab
	active   int
	showHelp bool
	help     help.Model
	quitting bool // quit was asked for: keys after it are not handled
	// helpOffset is the first line of the help screen shown, when it is
	// taller than the terminal.
	helpOffset int

	sched       SchedulerView
	schedStatus scheduler.Status

	statusText string
	statusErr  bool
	statusSeq  int
	now        time.Time // refreshed every second for countdowns

	missed    int // posts held back as missed, until the user decides
	missedSeq int

	campaignsSeq int
}

// campaignNamesMsg answers a load of the campaigns' names; an older answer
// is dropped.
type campaignNamesMsg struct {
	seq   int
	names map[int64]string
	err   error
}

// missedMsg answers a count of missed posts; an older answer is dropped.
type missedMsg struct {
	seq int
	n   int
	err error
}

type clearStatusMsg struct{ seq int }
type tickMsg struct{}

// New builds the root model. It does no I/O: panes load through Init.
func New(c *common.Common, sched SchedulerView) *Model {
	h := help.New()
	h.Styles.ShortKey = c.Styles.HelpKey
	h.Styles.ShortDesc = c.Styles.HelpDesc
	h.Styles.ShortSeparator = c.Styles.HelpSep
	h.Styles.FullKey = c.Styles.HelpKey
	h.Styles.FullDesc = c.Styles.HelpDesc
	h.Styles.FullSeparator = c.Styles.HelpSep
	h.Styles.Ellipsis = c.Styles.HelpSep
	m := &Model{
		c:    c,
		keys: keys.DefaultGlobal(),
		tabs: []tab{
			{"Calendar", calendar.New(c)},
			{"Drafts", drafts.New(c)},
			{"Inbox", inbox.New(c)},
			{"KPIs", kpis.New(c)},
			{"Campaigns", campaigns.New(c)},
		},
		help:  h,
		sched: sched,
		now:   c.Now(),
	}
	if sched != nil {
		m.schedStatus = sched.Status()
	}
	return m
}

// Init starts every pane's first load and the status clock.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.tick(), m.countMissed(), m.loadCampaignNames()}
	for _, t := range m.tabs {
		cmds = append(cmds, t.pane.Init())
	}
	return tea.Batch(cmds...)
}

// tick refreshes the countdowns in the status bar every second.
func (m *Model) tick() tea.Cmd { return m.c.After(time.Second, tickMsg{}) }

// Update handles global keys and routing; panes get the rest.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.help.Width = msg.Width
		ph := max(msg.Height-chrome-m.bannerHeight(), 0)
		cmds := make([]tea.Cmd, 0, len(m.tabs))
		for _, t := range m.tabs {
			cmds = append(cmds, t.pane.SetSize(msg.Width, ph))
		}
		return m, tea.Batch(cmds...)

	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			return m, m.handleBurst(msg)
		}
		return m.handleKey(msg)

	case tickMsg:
		m.now = m.c.Now()
		return m, m.tick()

	case common.StatusMsg:
		return m, m.setStatus(msg.Text, msg.Err)

	case missedMsg:
		if msg.seq == m.missedSeq && msg.err == nil {
			m.missed = msg.n
		}
		return m, nil

	case common.DataChangedMsg:
		return m, tea.Batch(m.countMissed(), m.loadCampaignNames(), m.dataChanged(msg))

	case campaignNamesMsg:
		if msg.seq == m.campaignsSeq && msg.err == nil {
			m.c.Campaigns = msg.names
		}
		return m, nil

	case postStatusMsg:
		if msg.seq == m.statusSeq {
			m.statusText = msg.text
		}
		return m, nil

	case clearStatusMsg:
		if msg.seq == m.statusSeq {
			m.statusText, m.statusErr = "", false
		}
		return m, nil

	case SchedulerMsg:
		return m, m.schedulerEvent(msg.Event)

	case LimitsMsg:
		if m.c.Limits == nil {
			m.c.Limits = map[int64]platforms.Limits{}
		}
		m.c.Limits[msg.AccountID] = msg.Limits
		return m, nil

	case common.ComposeMsg:
		if m.c.ReadOnly {
			return m, m.setStatus(common.ReadOnlyRefusal("writing a post"), true)
		}
		m.active = 1
		return m, m.updatePane(1, msg)
	}
	return m, m.broadcast(msg)
}

// handleBurst takes keys that arrived together one by one. Key repeat, fast
// typing and a laggy SSH link hand the program several runes in one message
// ("jj", "34"), which no binding matches; each is handled here as if it had
// come alone, in order, by the root and then the pane, so "34" switches twice,
// "ll" moves two days, and "nhello" opens the composer and types "hello" into
// it. Once a text field has the keyboard the rest is text: it goes to the
// field whole, in one message, as a paste does (msg.Paste never comes here).
func (m *Model) handleBurst(msg tea.KeyMsg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(msg.Runes))
	for i, r := range msg.Runes {
		if m.quitting {
			break
		}
		if m.typingText() {
			_, cmd := m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[i:], Alt: msg.Alt})
			cmds = append(cmds, cmd)
			break
		}
		_, cmd := m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// typingText reports whether the focused pane has a text field taking keys.
func (m *Model) typingText() bool {
	if m.showHelp {
		return false
	}
	pane := m.tabs[m.active].pane
	tf, ok := pane.(common.TextFocus)
	return ok && pane.Capturing() && tf.TypingText()
}

func (m *Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.quitting {
		// The panes are saving what they hold; nothing more is typed, and
		// a second ctrl+c does not wait for them.
		if key.Matches(msg, m.keys.ForceQuit) {
			return m, tea.Quit
		}
		return m, nil
	}
	if key.Matches(msg, m.keys.ForceQuit) {
		return m, m.quit()
	}
	if m.showHelp {
		// The arrows scroll a help screen taller than the terminal; any
		// other key closes it, q too, as the screen says (as in less and
		// man): quitting is ctrl+c, or q once it is closed.
		if m.scrollHelp(msg) {
			return m, nil
		}
		m.showHelp = false
		return m, nil
	}
	pane := m.tabs[m.active].pane
	if !pane.Capturing() {
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m, m.quit()
		case key.Matches(msg, m.keys.Help):
			m.showHelp, m.helpOffset = true, 0
			return m, nil
		case key.Matches(msg, m.keys.Calendar):
			return m, m.focus(0)
		case key.Matches(msg, m.keys.Drafts):
			return m, m.focus(1)
		case key.Matches(msg, m.keys.Inbox):
			return m, m.focus(2)
		case key.Matches(msg, m.keys.KPIs):
			return m, m.focus(3)
		case key.Matches(msg, m.keys.Campaigns):
			return m, m.focus(4)
		case key.Matches(msg, m.keys.NextTab):
			return m, m.focus(m.nextTab(1))
		case key.Matches(msg, m.keys.PrevTab):
			return m, m.focus(m.nextTab(len(m.tabs) - 1))
		case key.Matches(msg, m.keys.SyncNow):
			if m.sched == nil {
				return m, m.setStatus("the scheduler is off (scheduler.enabled in the config): nothing syncs", true)
			}
			m.sched.SyncNow()
			return m, m.setStatus("syncing…", false)
		}
	}
	if g, ok := pane.(common.WriteGuard); ok && m.c.ReadOnly {
		if what, writes := g.Writes(msg); writes {
			return m, m.setStatus(common.ReadOnlyRefusal(what), true)
		}
	}
	return m, m.updatePane(m.active, msg)
}

// quit gives every pane a chance to save what it holds, then quits.
func (m *Model) quit() tea.Cmd {
	m.quitting = true
	var saves []tea.Cmd
	for i := range m.tabs {
		if cmd := m.updatePane(i, common.BeforeQuitMsg{}); cmd != nil {
			saves = append(saves, cmd)
		}
	}
	if len(saves) == 0 {
		return tea.Quit
	}
	return tea.Sequence(tea.Sequence(saves...), tea.Quit)
}

// draftsTab is the Drafts tab's place, the one pane a glance session does
// not show: everything in it is a post not yet out.
const draftsTab = 1

// nextTab is the tab step tabs on from the active one, passing over what a
// glance session does not show.
func (m *Model) nextTab(step int) int {
	i := (m.active + step) % len(m.tabs)
	if m.c.ReadOnly && i == draftsTab {
		i = (i + step) % len(m.tabs)
	}
	return i
}

func (m *Model) focus(i int) tea.Cmd {
	if m.c.ReadOnly && i == draftsTab {
		return m.setStatus("a glance shows the calendar, inbox, KPIs and campaigns; drafts and the queue need a full key", true)
	}
	if i == m.active {
		return nil
	}
	m.active = i
	return m.updatePane(i, common.FocusMsg{})
}

func (m *Model) updatePane(i int, msg tea.Msg) tea.Cmd {
	p, cmd := m.tabs[i].pane.Update(msg)
	m.tabs[i].pane = p
	return cmd
}

// broadcast sends a message to every pane: each ignores the ones that are
// not its own.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.tabs))
	for i := range m.tabs {
		cmds = append(cmds, m.updatePane(i, msg))
	}
	return tea.Batch(cmds...)
}

func (m *Model) setStatus(text string, isErr bool) tea.Cmd {
	if isErr {
		text = common.WithoutIDs(text)
	}
	m.statusSeq++
	m.statusText, m.statusErr = text, isErr
	seq := m.statusSeq
	return m.c.After(statusTTL, clearStatusMsg{seq: seq})
}

func (m *Model) schedulerEvent(e scheduler.Event) tea.Cmd {
	m.schedStatus = e.Status
	var cmds []tea.Cmd
	to, on := m.accountSuffix(e.AccountID), ""
	if name := m.accountName(e.AccountID); name != "" {
		on = " on " + name
	}
	switch k := e.Kind; {
	case k == scheduler.EventSent && e.ReplyItem != 0:
		cmds = append(cmds, m.setStatus("reply sent"+late(e)+to, false))
	case k == scheduler.EventSent:
		cmds = append(cmds, m.postStatus(e.PostID, e.Text, false, func(post string) string {
			return "sent" + late(e) + to + ": " + post
		}))
	case k == scheduler.EventFailed && e.ReplyItem != 0:
		cmds = append(cmds, m.setStatus("a reply failed (its item is open again, with the reason): "+e.Err, true))
	case k == scheduler.EventFailed:
		cmds = append(cmds, m.postStatus(e.PostID, e.Text, true, func(post string) string {
			return post + " failed" + on + ": " + e.Err
		}))
	case k == scheduler.EventRetrying && e.ReplyItem != 0:
		cmds = append(cmds, m.setStatus(fmt.Sprintf("a reply will be retried at %s: %s",
			e.RetryAt.In(m.c.Zone).Format("15:04:05"), e.Err), true))
	case k == scheduler.EventRetrying:
		at := e.RetryAt.In(m.c.Zone).Format("15:04:05")
		cmds = append(cmds, m.postStatus(e.PostID, e.Text, true, func(post string) string {
			return post + to + " will be retried at " + at + ": " + e.Err
		}))
	case k == scheduler.EventMissed:
		n := max(e.Count, 1)
		cmds = append(cmds, m.setStatus(common.Count(n, "post", "posts")+" came due while crier was closed: decide in the calendar", true))
	case k == scheduler.EventSynced:
		if e.Count > 0 {
			cmds = append(cmds, m.setStatus(common.Count(e.Count, "new inbox item", "new inbox items"), false))
		}
	case k == scheduler.EventSyncError:
		cmds = append(cmds, m.setStatus("sync: "+e.Err, true))
	case k == scheduler.EventNeedsReauth:
		cmds = append(cmds, m.setStatus(fmt.Sprintf("sign in again%s: %s (its posts wait)", to, e.Err), true))
	case k == scheduler.EventState:
		return nil
	}
	cmds = append(cmds, m.countMissed(), m.dataChanged(common.DataChangedMsg{What: string(e.Kind)}))
	return tea.Batch(cmds...)
}

// dataChanged tells the pane on show that the data changed: it reloads
// what it shows. The others reload when they are shown (each pane treats
// FocusMsg as it does DataChangedMsg), so a change costs one pane's
// queries, not every pane's: with fifty crier serve sessions open, all of
// them reloading every pane at once held up the keys.
func (m *Model) dataChanged(msg common.DataChangedMsg) tea.Cmd {
	return m.updatePane(m.active, msg)
}

// late says how late a sent post went out, in the words the agenda and the
// drafts list use (" 7 min late"), when it was later than postcopy.LateAfter.
func late(e scheduler.Event) string {
	if e.DueAt.IsZero() || e.SentAt.IsZero() {
		return ""
	}
	if l := postcopy.Lateness(e.SentAt.Sub(e.DueAt)); l != "" {
		return " " + l
	}
	return ""
}

// postSnippetWidth is how much of a post's text a status message quotes.
const postSnippetWidth = 28

// postStatusMsg replaces the status message numbered seq with text, which
// now quotes the post, unless a newer message has taken its place.
type postStatusMsg struct {
	seq  int
	text string
}

// postStatus shows a message about a post at once, calling it "a post", and
// asks the store for the post's first words to name it by: people know their
// posts by what they say, not by a number.
//
// known is the post's text where the caller has it (a scheduler event
// carries what went out): then the status names it at once.
func (m *Model) postStatus(id int64, known string, isErr bool, text func(post string) string) tea.Cmd {
	if name := common.PostName(known, postSnippetWidth, ""); name != "" {
		return m.setStatus(text(name), isErr)
	}
	clear := m.setStatus(text("a post"), isErr)
	seq, st := m.statusSeq, m.c.Store
	if st == nil || id == 0 {
		return clear
	}
	return tea.Batch(clear, common.Query(5*time.Second, func(ctx context.Context) tea.Msg {
		p, err := st.Post(ctx, id)
		if err != nil {
			return nil
		}
		name := common.PostName(p.Body, postSnippetWidth, "")
		if name == "" {
			return nil
		}
		return postStatusMsg{seq: seq, text: text(name)}
	}))
}

// countMissed asks the store how many posts wait for the user's decision.
func (m *Model) countMissed() tea.Cmd {
	return m.c.StoreQuery(&m.missedSeq, 5*time.Second, func(ctx context.Context, st *store.Store, seq int) tea.Msg {
		n, err := st.CountMissed(ctx)
		return missedMsg{seq: seq, n: n, err: err}
	})
}

// loadCampaignNames asks the store for the campaigns' names, which the
// calendar and the drafts mark posts with.
func (m *Model) loadCampaignNames() tea.Cmd {
	return m.c.StoreQuery(&m.campaignsSeq, 5*time.Second, func(ctx context.Context, st *store.Store, seq int) tea.Msg {
		cs, err := st.Campaigns(ctx)
		names := make(map[int64]string, len(cs))
		for _, c := range cs {
			names[c.ID] = c.Name
		}
		return campaignNamesMsg{seq: seq, names: names, err: err}
	})
}

// accountSuffix is " to " and the account, as accountName says it; "" for
// an unknown account.
func (m *Model) accountSuffix(id int64) string {
	if name := m.accountName(id); name != "" {
		return " to " + name
	}
	return ""
}

// accountName names an account in few words: its network ("Mastodon") when
// it is the only account there, else its handle.
func (m *Model) accountName(id int64) string {
	a, ok := m.c.Account(id)
	if !ok {
		return ""
	}
	for _, o := range m.c.Accounts {
		if o.ID != id && o.Platform == a.Platform {
			return common.Clean(a.Handle)
		}
	}
	return common.NetworkName(common.Clean(a.Platform))
}

// View draws the whole screen.
func (m *Model) View() string {
	w, h := m.c.Width, m.c.Height
	if w == 0 || h == 0 {
		return ""
	}
	if w < MinWidth || h < MinHeight {
		return m.tooSmall(w, h)
	}
	s := m.c.Styles
	var body string
	if m.showHelp {
		body = m.helpView(w, h-chrome-m.bannerHeight())
	} else {
		body = m.tabs[m.active].pane.View()
	}
	body = common.Block(body, w, h-chrome-m.bannerHeight())
	if b := m.banner(w); len(b) > 0 {
		body = strings.Join(b, "\n") + "\n" + body
	}
	helpLine := common.Truncate(m.shortHelp(), w, "…")
	return lipgloss.JoinVertical(lipgloss.Left,
		m.tabBar(w),
		body,
		s.StatusBar.Render(helpLine),
		m.statusBar(w),
	)
}

// banner is the notice above every pane while there are no accounts: which
// command adds one, and which file holds them.
func (m *Model) banner(w int) []string {
	if m.c.Demo || len(m.c.Accounts) > 0 || w <= 0 {
		return nil
	}
	lines := common.Wrap(m.c.NoAccounts(), w)
	for i, l := range lines {
		lines[i] = m.c.Styles.Warn.Render(l)
	}
	return lines
}

func (m *Model) bannerHeight() int { return len(m.banner(m.c.Width)) }

func (m *Model) tooSmall(w, h int) string {
	msg := fmt.Sprintf("The terminal is too small: %dx%d.\ncrier needs at least %dx%d.\n\nEnlarge the window, or press q to quit.",
		w, h, MinWidth, MinHeight)
	lines := strings.Split(msg, "\n")
	if m.c.Demo {
		// The demo says so even here.
		lines = append([]string{m.c.Styles.DemoBadge.Render("DEMO"), ""}, lines...)
	}
	var wrapped []string
	for _, l := range lines {
		wrapped = append(wrapped, common.Wrap(l, w)...)
	}
	return m.c.Styles.Renderer.Place(w, h, lipgloss.Center, lipgloss.Center, strings.Join(wrapped, "\n"))
}

func (m *Model) tabBar(w int) string {
	s := m.c.Styles
	parts := make([]string, 0, len(m.tabs)+2)
	for i, t := range m.tabs {
		label := fmt.Sprintf("%d %s", i+1, t.name)
		if i == m.active && !m.showHelp {
			parts = append(parts, s.TabActive.Render(label))
		} else {
			parts = append(parts, s.TabInactive.Render(label))
		}
	}
	left := s.Title.Render("crier") + "  " + strings.Join(parts, "")
	if !m.c.Demo {
		return common.Truncate(left, w, "")
	}
	// The demo says so at every width: the longest badge that fits, and the
	// tabs give way to it before it goes.
	var right string
	for _, badge := range demoBadges {
		right = s.DemoBadge.Render(badge)
		if common.Width(left)+1+common.Width(right) <= w {
			break
		}
	}
	left = common.Truncate(left, max(w-1-common.Width(right), 0), "")
	return left + strings.Repeat(" ", max(w-common.Width(left)-common.Width(right), 0)) + right
}

// demoBadges are the demo's marks in the tab bar, longest first.
var demoBadges = []string{
	"DEMO: sample data, posts go to a local sandbox",
	"DEMO: sample data, local sandbox",
	"DEMO: sample data",
	"DEMO",
}

func (m *Model) shortHelp() string {
	pane := m.tabs[m.active].pane
	bindings := pane.ShortHelp()
	if !pane.Capturing() {
		bindings = append(bindings, m.keys.ShortHelp()...)
	} else {
		bindings = append(bindings, m.keys.ForceQuit)
	}
	return m.help.ShortHelpView(bindings)
}

func (m *Model) helpView(w, h int) string {
	s := m.c.Styles
	lines := m.helpLines(w)
	more := len(lines) > h-1
	hint := "   (any key closes this)"
	if more {
		hint = "   (↑↓ scroll · any other key closes this)"
	}
	title := common.Truncate(s.Title.Render("Keys: "+m.tabs[m.active].name)+s.Muted.Render(hint), w, "…")
	room := max(h-1, 0)
	lines = lines[min(m.helpOffset, max(len(lines)-room, 0)):]
	if len(lines) > room {
		lines = lines[:room]
	}
	return title + "\n" + strings.Join(lines, "\n")
}

// scrollHelp moves the help screen for a movement key, when it is taller
// than the terminal, and says whether it did.
func (m *Model) scrollHelp(msg tea.KeyMsg) bool {
	room := max(m.c.Height-chrome-m.bannerHeight()-1, 1)
	total := len(m.helpLines(m.c.Width))
	if total <= room {
		return false
	}
	nav := m.c.Nav
	if !key.Matches(msg, nav.Moves()...) {
		return false
	}
	m.helpOffset = min(max(nav.Move(msg, m.helpOffset, room-1, total-room), 0), total-room)
	return true
}

// helpLines is the whole help screen below its title: the pane's keys under
// a heading for each place they apply, what its marks mean, and the keys
// that work everywhere, in as many columns as the width holds.
func (m *Model) helpLines(w int) []string {
	s := m.c.Styles
	pane := m.tabs[m.active].pane
	var sections []common.HelpSection
	var marks []common.Mark
	if hp, ok := pane.(common.HelpPage); ok {
		sections, marks = hp.HelpSections(), hp.Marks()
	} else {
		for _, g := range pane.FullHelp() {
			sections = append(sections, common.HelpSection{Keys: g})
		}
	}
	var blocks [][]string
	for _, sec := range sections {
		blocks = append(blocks, m.helpBlock(sec.Title, sec.Keys))
	}
	if len(marks) > 0 {
		symW := 0
		for _, mk := range marks {
			symW = max(symW, common.Width(mk.Symbol))
		}
		block := []string{s.Bold.Render("Marks")}
		for _, mk := range marks {
			block = append(block, s.HelpKey.Render(common.Pad(mk.Symbol, symW))+" "+s.HelpDesc.Render(mk.Meaning))
		}
		blocks = append(blocks, block)
	}
	global := append([]key.Binding(nil), m.keys.FullHelp()[0]...)
	for i, b := range global {
		if b.Help().Key == m.keys.ForceQuit.Help().Key {
			b.SetHelp(b.Help().Key, b.Help().Desc+", even while typing")
			global[i] = b
		}
	}
	blocks = append(blocks, m.helpBlock("Everywhere, except while typing", global))
	return columns(blocks, w, 3)
}

// helpBlock is one heading and its keys, the keys in a column of their own.
func (m *Model) helpBlock(title string, bindings []key.Binding) []string {
	s := m.c.Styles
	keyW := 0
	for _, b := range bindings {
		if b.Enabled() {
			keyW = max(keyW, common.Width(b.Help().Key))
		}
	}
	var block []string
	if title != "" {
		block = append(block, s.Bold.Render(title))
	}
	for _, b := range bindings {
		if b.Enabled() {
			block = append(block, s.HelpKey.Render(common.Pad(b.Help().Key, keyW))+" "+s.HelpDesc.Render(b.Help().Desc))
		}
	}
	return block
}

// columns lays blocks out in as many columns as fit in w, in order, top to
// bottom and then left to right, with their heights as even as whole blocks
// allow; a blank line separates blocks in a column.
func columns(blocks [][]string, w, gap int) []string {
	if len(blocks) == 0 {
		return nil
	}
	total := 0
	for _, b := range blocks {
		total += len(b) + 1
	}
	for n := len(blocks); n >= 1; n-- {
		target := (total + n - 1) / n
		cols := make([][]string, 1, n)
		for _, b := range blocks {
			c := &cols[len(cols)-1]
			if len(*c) > 0 && len(*c)+1+len(b) > target && len(cols) < n {
				cols = append(cols, nil)
				c = &cols[len(cols)-1]
			}
			if len(*c) > 0 {
				*c = append(*c, "")
			}
			*c = append(*c, b...)
		}
		widths, sum := make([]int, len(cols)), gap*(len(cols)-1)
		for i, c := range cols {
			for _, l := range c {
				widths[i] = max(widths[i], common.Width(l))
			}
			sum += widths[i]
		}
		if sum > w && n > 1 {
			continue
		}
		height := 0
		for _, c := range cols {
			height = max(height, len(c))
		}
		out := make([]string, height)
		for row := range out {
			var line strings.Builder
			for i, c := range cols {
				cell := ""
				if row < len(c) {
					cell = c[row]
				}
				if i < len(cols)-1 {
					cell = common.Pad(cell, widths[i]) + strings.Repeat(" ", gap)
				}
				line.WriteString(cell)
			}
			out[row] = strings.TrimRight(line.String(), " ")
		}
		return out
	}
	return nil
}

// statusBar shows the scheduler's state, an account waiting on its server,
// missed posts, the next due post with its countdown, the last sync and the
// zone, and after them the newest transient message. The message wins the
// room: the other parts shorten, then go, lowest first, and the message is
// shortened at a word only when even the least of them leaves too little.
func (m *Model) statusBar(w int) string {
	s := m.c.Styles
	sep := s.HelpSep.Render(" · ")
	msg, msgStyle := m.statusText, s.StatusOk
	if m.statusErr {
		msgStyle = s.StatusError
	}
	if msg == "" && m.schedStatus.LastError != "" {
		msg, msgStyle = m.schedStatus.LastError, s.StatusError
	}
	msg = common.OneLine(common.Clean(msg))
	bar := s.HelpSep.Render(" │ ")
	zone := s.Muted.Render(m.c.Zone.String())

	level, left := 0, ""
	for ; level < statusLevels; level++ {
		left = strings.Join(m.statusParts(level), sep)
		need := common.Width(left)
		if msg != "" {
			need += common.Width(bar) + common.Width(msg)
		}
		if level == 0 {
			need += 1 + common.Width(zone) // only the fullest level has the zone
		}
		if need <= w || level == statusLevels-1 {
			break
		}
	}
	if msg != "" {
		left += bar + msgStyle.Render(common.Shorten(msg, max(w-common.Width(left)-common.Width(bar), 1)))
	}
	if gap := w - common.Width(left) - common.Width(zone); level == 0 && gap >= 1 {
		return left + strings.Repeat(" ", gap) + zone
	}
	return common.Truncate(left, w, "…")
}

// statusLevels is how many levels of detail statusParts has.
const statusLevels = 8

// statusParts are the standing parts of the status bar at a level of detail.
// Level 0 says everything (and leaves room for the zone); each level after
// it gives up one more detail, the least needed first: the zone, the next
// post's day and time, the last sync, the missed posts' hint, the waiting
// accounts' names and time, the scheduler's words, the next post.
func (m *Model) statusParts(level int) []string {
	s := m.c.Styles
	st := m.schedStatus
	var parts []string
	stateShort := level >= 6
	switch {
	case m.sched == nil:
		parts = append(parts, s.Warn.Render(pick(stateShort, "off", "scheduler off")))
	case !st.Running:
		parts = append(parts, s.Muted.Render(pick(stateShort, "starting", "scheduler starting")))
	case !st.Sender && st.Holder != "":
		parts = append(parts, s.Warn.Render(pick(stateShort, "paused", "sending paused: "+common.Clean(st.Holder)+" sends")))
	default:
		parts = append(parts, s.StatusOk.Render(pick(stateShort, "● on", "● scheduler on")))
	}
	if st.WaitingOn != "" {
		parts = append(parts, s.Warn.Render(m.waiting(level >= 5)))
	}
	if m.missed > 0 {
		parts = append(parts, s.StateMissed.Render(fmt.Sprintf("%d missed", m.missed)+pick(level >= 4, "", ": decide in the calendar")))
	}
	if level >= 7 {
		return parts
	}
	if !st.NextDueAt.IsZero() {
		d := st.NextDueAt.Sub(m.now)
		switch {
		case d <= 0:
			parts = append(parts, "next post due now")
		case level >= 2:
			parts = append(parts, "next in "+countdown(d))
		default:
			parts = append(parts, fmt.Sprintf("next post %s (in %s)", st.NextDueAt.In(m.c.Zone).Format("Mon 15:04"), countdown(d)))
		}
	} else if m.sched != nil && level < 3 {
		parts = append(parts, s.Muted.Render("nothing queued"))
	}
	if !st.LastSync.IsZero() && level < 3 {
		parts = append(parts, "synced "+st.LastSync.In(m.c.Zone).Format("15:04"))
	}
	return parts
}

// waiting names the accounts whose server is keeping a write waiting, and
// for how long.
func (m *Model) waiting(short bool) string {
	handles := strings.Split(common.Clean(m.schedStatus.WaitingOn), ",")
	for i := range handles {
		handles[i] = strings.TrimSpace(handles[i])
	}
	since := ""
	if t := m.schedStatus.WaitingSince; !t.IsZero() && m.now.After(t) {
		since = " for " + countdown(m.now.Sub(t))
	}
	if short {
		if len(handles) == 1 {
			return "waiting on " + handles[0]
		}
		return fmt.Sprintf("waiting on %d servers", len(handles))
	}
	if len(handles) == 1 {
		return "waiting on the server of " + handles[0] + since
	}
	return "waiting on the servers of " + strings.Join(handles, ", ") + since
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// countdown formats a duration for the status bar: 2d 3h, 1h 05m, 4m 09s.
func countdown(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd %dh", d/(24*time.Hour), (d%(24*time.Hour))/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh %02dm", d/time.Hour, (d%time.Hour)/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%dm %02ds", d/time.Minute, (d%time.Minute)/time.Second)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}
