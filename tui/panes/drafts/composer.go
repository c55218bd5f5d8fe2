package drafts

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit"
)

// autosaveDelay is the longest typed text waits before it is saved: a crash
// or a kill loses at most this much typing.
const autosaveDelay = 2 * time.Second

// inputLayout is the wall-clock form the time input is prefilled with; the
// time parser reads it back.
const inputLayout = "2006-01-02 15:04"

// field is which part of the composer has the keyboard.
type field int

const (
	fieldText field = iota
	fieldAccounts
	fieldTime
	fieldCount
)

// outcome is how a composer ended, for the pane to act on.
type outcome int

const (
	stillOpen outcome = iota
	closedSaved
	closedDiscarded
	closedQueued
)

// labelWidth is the column the account toggles and the time input start at:
// a focus marker and the field's name.
const labelWidth = 8

// composer writes one post: its text, the accounts it goes to and its time.
// It saves itself (one save in flight at a time) and queues on ctrl+s.
type composer struct {
	c     *common.Common
	keys  KeyMap
	gen   int
	delay time.Duration

	base          store.Post             // the post as loaded; keeps media, labels, campaign
	loadedTargets map[int64]store.Target // the targets as loaded, with any per-account text
	saver         *draftSaver

	text        textarea.Model
	when        textinput.Model
	whenPrefill string // the time input as opened; unchanged means keep the stored instant
	selected    []bool // parallel to c.Accounts
	focus       field
	accCursor   int

	// Derived from the fields on every edit.
	counts []netCount
	at     time.Time
	atErr  error

	// Saving. dirty means edits not yet handed to a save; while a save is in
	// flight new edits set it again and the next save starts when it lands.
	dirty       bool
	saving      bool
	tickPending bool
	tickSeq     int
	savedAt     time.Time
	saveFailed  bool
	savedAny    bool
	closing     bool
	queueing    bool
	queueAt     time.Time
	problem     string // why the last ctrl+s did not queue
	done        outcome

	width, height int
}

func newComposer(c *common.Common, km KeyMap, gen int, p store.Post, when, whenPrefill string, mode cursor.Mode, delay time.Duration) (*composer, tea.Cmd) {
	s := c.Styles
	ta := textarea.New()
	ta.Prompt = ""
	ta.ShowLineNumbers = false
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.Placeholder = "Write your post…"
	// ctrl+e opens $EDITOR here; end still goes to the end of the line.
	ta.KeyMap.LineEnd = key.NewBinding(key.WithKeys("end"))
	taStyle := textarea.Style{
		Base: s.Text, CursorLine: s.Text, CursorLineNumber: s.Muted, EndOfBuffer: s.Muted,
		LineNumber: s.Muted, Placeholder: s.Muted, Prompt: s.Muted, Text: s.Text,
	}
	ta.FocusedStyle, ta.BlurredStyle = taStyle, taStyle
	ta.Cursor.SetMode(mode)
	ta.SetValue(p.Body)

	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = "e.g. tomorrow 9am, fri 14:30, 2026-12-03 09:00"
	ti.KeyMap.LineEnd = key.NewBinding(key.WithKeys("end"))
	ti.PromptStyle, ti.TextStyle, ti.PlaceholderStyle = s.Text, s.Text, s.Muted
	ti.Cursor.SetMode(mode)
	ti.SetValue(when)

	m := &composer{
		c: c, keys: km, gen: gen, delay: delay,
		base:          p,
		loadedTargets: map[int64]store.Target{},
		saver:         &draftSaver{id: p.ID},
		text:          ta,
		when:          ti,
		whenPrefill:   whenPrefill,
		selected:      make([]bool, len(c.Accounts)),
	}
	for _, t := range p.Targets {
		m.loadedTargets[t.AccountID] = t
	}
	for i, a := range c.Accounts {
		_, targeted := m.loadedTargets[a.ID]
		m.selected[i] = p.ID == 0 || targeted // a new post goes everywhere
	}
	m.refresh()
	return m, m.setFocus(fieldText)
}

// refresh recomputes the counters and the parsed time.
func (m *composer) refresh() {
	m.counts = measure(m.c.Networks, m.c.Limits, m.c.Accounts, m.selected, m.text.Value(), m.loadedTargets)
	m.parseWhen()
}

func (m *composer) parseWhen() {
	in := strings.TrimSpace(m.when.Value())
	if in == "" {
		m.at, m.atErr = time.Time{}, nil
		return
	}
	m.at, m.atErr = timeparse.Parse(in, m.c.Now(), m.c.Zone)
}

func (m *composer) setFocus(f field) tea.Cmd {
	m.focus = f
	m.text.Blur()
	m.when.Blur()
	switch f {
	case fieldText:
		return m.text.Focus()
	case fieldTime:
		return m.when.Focus()
	}
	return nil
}

func (m *composer) setSize(w, h int) {
	m.width, m.height = w, h
	inner := max(w-2, 1)
	m.text.SetWidth(inner)
	m.when.Width = max(w-labelWidth-1, 1)
	m.text.SetHeight(max(h-m.chromeHeight(), 1))
}

// chromeHeight is every line the composer draws besides the text itself:
// title, the box's two borders, counters, the issue line, the account
// toggles, the time input and its echo.
func (m *composer) chromeHeight() int {
	return 1 + 2 + 1 + 1 + len(m.accountLines()) + 2
}

// snapshot is the post as it should be saved now. Its time becomes the one
// later snapshots keep while the time input can't be read.
func (m *composer) snapshot() store.Post {
	p := m.base
	p.Body = m.text.Value()
	p.Targets = nil
	for i, a := range m.c.Accounts {
		if !m.selected[i] {
			continue
		}
		t, ok := m.loadedTargets[a.ID]
		if !ok {
			t = store.Target{AccountID: a.ID}
		}
		p.Targets = append(p.Targets, t)
	}
	if m.when.Value() != m.whenPrefill {
		switch {
		case strings.TrimSpace(m.when.Value()) == "":
			p.ScheduledAt, p.ScheduledZone = time.Time{}, ""
		case m.atErr == nil:
			p.ScheduledAt, p.ScheduledZone = m.at.UTC(), m.c.Zone.String()
		}
		// A time that can't be read yet keeps the last one saved.
	}
	m.base.ScheduledAt, m.base.ScheduledZone = p.ScheduledAt, p.ScheduledZone
	return p
}

func (m *composer) handleKey(msg tea.KeyMsg) tea.Cmd {
	if m.queueing || m.closing {
		return nil // the composer closes as soon as the write in flight lands
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Queue):
		return m.queue()
	case key.Matches(msg, k.Close):
		return m.close()
	case key.Matches(msg, k.Editor):
		return m.openEditor()
	case key.Matches(msg, k.NextField):
		return m.setFocus((m.focus + 1) % fieldCount)
	case key.Matches(msg, k.PrevField):
		return m.setFocus((m.focus + fieldCount - 1) % fieldCount)
	case key.Matches(msg, k.ToggleAccount):
		if i, ok := toggleIndex(msg.String()); ok {
			return m.toggle(i)
		}
		return nil
	}
	switch m.focus {
	case fieldAccounts:
		nav := m.c.Nav
		switch {
		case key.Matches(msg, k.Toggle):
			return m.toggle(m.accCursor)
		case key.Matches(msg, nav.Left, nav.Up):
			m.accCursor = max(m.accCursor-1, 0)
		case key.Matches(msg, nav.Right, nav.Down):
			m.accCursor = min(m.accCursor+1, max(len(m.c.Accounts)-1, 0))
		case key.Matches(msg, nav.Home):
			m.accCursor = 0
		case key.Matches(msg, nav.End):
			m.accCursor = max(len(m.c.Accounts)-1, 0)
		}
		return nil
	case fieldTime:
		before := m.when.Value()
		var cmd tea.Cmd
		m.when, cmd = m.when.Update(msg)
		if m.when.Value() != before {
			return tea.Batch(cmd, m.edited())
		}
		return cmd
	}
	return m.forwardToText(msg)
}

// forward passes everything that is not a key (cursor blinks, pastes) to the
// inputs.
func (m *composer) forward(msg tea.Msg) tea.Cmd {
	before := m.when.Value()
	var cmd tea.Cmd
	m.when, cmd = m.when.Update(msg)
	if m.when.Value() != before {
		cmd = tea.Batch(cmd, m.edited())
	}
	return tea.Batch(cmd, m.forwardToText(msg))
}

func (m *composer) forwardToText(msg tea.Msg) tea.Cmd {
	before := m.text.Value()
	var cmd tea.Cmd
	m.text, cmd = m.text.Update(msg)
	if m.text.Value() != before {
		return tea.Batch(cmd, m.edited())
	}
	return cmd
}

func (m *composer) toggle(i int) tea.Cmd {
	if i < 0 || i >= len(m.selected) {
		return nil
	}
	m.selected[i] = !m.selected[i]
	m.accCursor = i
	return m.edited()
}

// edited notes a change and makes sure a save follows within the autosave
// delay. The first edit after a save arms one timer; edits before it fires
// ride along, so steady typing still saves every couple of seconds.
func (m *composer) edited() tea.Cmd {
	m.problem = ""
	m.dirty = true
	m.refresh()
	return m.armAutosave()
}

func (m *composer) armAutosave() tea.Cmd {
	if m.tickPending || m.saving {
		return nil // a timer is armed, or the save in flight is followed by another
	}
	m.tickPending = true
	m.tickSeq++
	return autosaveAfter(m.delay, m.gen, m.tickSeq)
}

func (m *composer) onAutosave(msg autosaveMsg) tea.Cmd {
	if msg.seq != m.tickSeq {
		return nil
	}
	m.tickPending = false
	if !m.dirty || m.saving || m.queueing {
		return nil
	}
	return m.startSave()
}

func (m *composer) startSave() tea.Cmd {
	p := m.snapshot()
	m.dirty = false
	m.saving = true
	return saveCmd(m.c.Store, m.saver, m.gen, p, m.c.Now())
}

func (m *composer) onSaved(msg savedMsg) tea.Cmd {
	m.saving = false
	if msg.err != nil {
		m.dirty, m.saveFailed = true, true
		m.closing, m.queueing = false, false
		return common.Status("couldn't save the draft ("+msg.err.Error()+"); your text is still here", true)
	}
	m.base.ID, m.savedAt, m.saveFailed, m.savedAny = msg.id, msg.at, false, true
	var status tea.Cmd
	if msg.forked {
		status = common.Status(fmt.Sprintf("the post stopped being a draft elsewhere: your text is now draft #%d", msg.id), true)
	}
	switch {
	case m.queueing:
		return tea.Batch(status, m.startQueue())
	case m.dirty:
		return tea.Batch(status, m.startSave())
	case m.closing:
		m.done = closedSaved
	}
	return status
}

// queue checks the post can go out, then saves and queues it.
func (m *composer) queue() tea.Cmd {
	now := m.c.Now()
	m.parseWhen()
	if problem := m.validate(now); problem != "" {
		m.problem = problem
		return nil
	}
	m.problem = ""
	m.queueing, m.queueAt = true, m.at
	if m.saving {
		return nil // starts when the save in flight lands
	}
	return m.startQueue()
}

func (m *composer) validate(now time.Time) string {
	if strings.TrimSpace(m.text.Value()) == "" {
		return "can't queue an empty post: write something first"
	}
	anyTarget := false
	for _, on := range m.selected {
		anyTarget = anyTarget || on
	}
	if !anyTarget {
		return "can't queue: choose at least one account (alt+1…9)"
	}
	if over := m.overLimit(); over != "" {
		return "can't queue: " + over
	}
	switch {
	case strings.TrimSpace(m.when.Value()) == "":
		return "can't queue without a time: type one after When, e.g. tomorrow 9am"
	case m.atErr != nil:
		return "can't queue: " + m.atErr.Error()
	case !m.at.After(now):
		return "can't queue: " + m.at.In(m.c.Zone).Format("Mon 2 Jan 15:04 MST") + " is in the past"
	}
	return ""
}

// overLimit names every network the text is too long for, and by how much.
func (m *composer) overLimit() string {
	var over []string
	for _, n := range m.counts {
		if o := n.overBy(); o != "" {
			over = append(over, o)
		}
	}
	return strings.Join(over, "; ")
}

func (m *composer) startQueue() tea.Cmd {
	p := m.snapshot()
	m.dirty = false
	m.saving = true
	return queueCmd(m.c, m.saver, m.gen, p, m.queueAt, m.c.Now())
}

func (m *composer) onQueued(msg queuedMsg) tea.Cmd {
	m.saving, m.queueing = false, false
	if msg.id != 0 {
		m.base.ID = msg.id
	}
	if msg.err != nil {
		m.problem = "couldn't queue: " + msg.err.Error()
		m.dirty = true
		return tea.Batch(common.Status(m.problem, true), m.armAutosave())
	}
	m.savedAny = true
	m.done = closedQueued
	return nil
}

// close saves what is unsaved and ends the composer once that save lands. A
// new post that was never given any text is dropped.
func (m *composer) close() tea.Cmd {
	if m.base.ID == 0 && !m.saving && strings.TrimSpace(m.text.Value()) == "" {
		m.done = closedDiscarded
		return nil
	}
	if !m.dirty && !m.saving {
		m.done = closedSaved
		return nil
	}
	m.closing = true
	if m.saving {
		return nil
	}
	return m.startSave()
}

func (m *composer) openEditor() tea.Cmd {
	if strings.TrimSpace(m.c.Editor) == "" {
		return common.Status(extedit.NoEditor, true)
	}
	return extedit.Start(m.gen, "crier-post-*.txt", m.text.Value())
}

func (m *composer) onEditorFile(msg extedit.FileMsg) tea.Cmd {
	if msg.Err != nil {
		return common.Status("couldn't prepare a file for the editor: "+msg.Err.Error(), true)
	}
	return extedit.Run(m.c.Editor, msg)
}

func (m *composer) onEditorText(msg extedit.TextMsg) tea.Cmd {
	if msg.Err != nil {
		return common.Status("the editor failed ("+msg.Err.Error()+"); your text is unchanged", true)
	}
	focus := m.setFocus(fieldText)
	if msg.Text == m.text.Value() {
		return focus
	}
	m.text.SetValue(msg.Text)
	m.problem = ""
	m.dirty = true
	m.refresh()
	if m.saving {
		return focus // saved again when the save in flight lands
	}
	return tea.Batch(focus, m.startSave())
}

// quitSave is the command run before crier quits: it writes whatever the
// composer holds that is not yet saved. The saver's lock orders it after any
// save in flight, so it updates rather than inserting a second copy.
func (m *composer) quitSave() tea.Cmd {
	if m.queueing {
		// Saving now could land after the queue and find the post no
		// longer a draft; let the queue in flight finish instead.
		sv := m.saver
		return func() tea.Msg {
			sv.mu.Lock()
			defer sv.mu.Unlock()
			return nil
		}
	}
	if !m.dirty && !m.saving {
		return nil
	}
	if m.base.ID == 0 && !m.saving && strings.TrimSpace(m.text.Value()) == "" {
		return nil
	}
	return saveCmd(m.c.Store, m.saver, m.gen, m.snapshot(), m.c.Now())
}

// ---- drawing ----

func (m *composer) view() string {
	s := m.c.Styles
	w := m.width
	lines := make([]string, 0, m.height)

	title := "New post"
	if m.base.ID != 0 {
		title = fmt.Sprintf("Draft #%d", m.base.ID)
	}
	lines = append(lines, spread(s.Title.Render(title), m.saveState(), w))

	box := s.Box
	if m.focus == fieldText {
		box = s.BoxFocused
	}
	inner := strings.Split(m.text.View(), "\n")
	for i, l := range inner {
		inner[i] = common.Truncate(common.DisplayField(l), max(w-2, 0), "")
	}
	lines = append(lines, strings.Split(box.Width(max(w-2, 0)).Render(strings.Join(inner, "\n")), "\n")...)

	lines = append(lines, m.countersLine(), m.issueLine())
	lines = append(lines, m.accountLines()...)
	lines = append(lines, m.whenLines()...)
	return fit(lines, w, m.height)
}

func (m *composer) saveState() string {
	s := m.c.Styles
	switch {
	case m.queueing:
		return s.Muted.Render("queueing…")
	case m.saving:
		return s.Muted.Render("saving…")
	case m.saveFailed:
		return s.Danger.Render("unsaved: the last save failed")
	case m.dirty:
		return s.Warn.Render("unsaved")
	case !m.savedAt.IsZero():
		return s.Muted.Render("saved " + m.savedAt.In(m.c.Zone).Format("15:04:05"))
	case m.base.ID != 0:
		return s.Muted.Render("no changes")
	}
	return ""
}

func (m *composer) countersLine() string {
	s := m.c.Styles
	if len(m.counts) == 0 {
		return s.Muted.Render("no account chosen")
	}
	parts := make([]string, len(m.counts))
	for i, n := range m.counts {
		txt := n.platform + " "
		if n.max > 0 {
			txt += fmt.Sprintf("%d/%d", n.used, n.max)
		} else {
			txt += fmt.Sprintf("%d %s", n.used, n.unitFor(n.used))
		}
		if n.maxBytes > 0 && n.bytes*10 >= n.maxBytes*9 {
			txt += fmt.Sprintf(" (%d/%d bytes)", n.bytes, n.maxBytes)
		}
		if n.ownText {
			// The post carries a separate text for this network, which
			// the composer keeps as it is; say so, or the count puzzles.
			txt += " (own text)"
		}
		switch {
		case n.overBy() != "":
			parts[i] = s.Danger.Render(txt + " ✗")
		case n.nearLimit():
			parts[i] = s.Warn.Render(txt)
		default:
			parts[i] = s.Muted.Render(txt)
		}
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}

// issueLine says why the post can't be queued: the last ctrl+s's reason, or
// live, a text that is over a network's limit.
func (m *composer) issueLine() string {
	s := m.c.Styles
	if m.problem != "" {
		return s.Danger.Render(m.problem)
	}
	if over := m.overLimit(); over != "" {
		return s.Danger.Render("too long: " + over)
	}
	return ""
}

// accountLines lays the account toggles out left to right, wrapping under
// the label.
func (m *composer) accountLines() []string {
	s := m.c.Styles
	first := m.label("To", fieldAccounts)
	indent := strings.Repeat(" ", labelWidth)
	if len(m.c.Accounts) == 0 {
		lines := common.Wrap(m.c.NoAccounts(), max(m.width-labelWidth, 10))
		for i, l := range lines {
			lines[i] = indent + s.Muted.Render(l)
		}
		lines[0] = first + strings.TrimPrefix(lines[0], indent)
		return lines
	}
	const sep = "   "
	var lines []string
	cur, curItems := first, 0
	for i, a := range m.c.Accounts {
		box := "[ ]"
		if m.selected[i] {
			box = "[x]"
		}
		toggle := fmt.Sprintf("%s %s @%s", box, a.Platform, strings.TrimPrefix(common.Clean(a.Handle), "@"))
		var item string
		switch {
		case m.focus == fieldAccounts && i == m.accCursor:
			// The marker stands in for the number so the cursor shows
			// even without colour.
			item = s.Accent.Render("▸") + " " + s.Selected.Render(toggle)
		case m.selected[i]:
			item = s.Muted.Render(fmt.Sprint(i+1)) + " " + s.Text.Render(toggle)
		default:
			item = s.Muted.Render(fmt.Sprint(i+1)) + " " + s.Muted.Render(toggle)
		}
		if a.NeedsReauth {
			item += s.Warn.Render(" (sign in again)")
		}
		if curItems > 0 && common.Width(cur)+common.Width(sep)+common.Width(item) > m.width {
			lines = append(lines, cur)
			cur, curItems = indent+item, 1
			continue
		}
		if curItems > 0 {
			cur += sep
		}
		cur += item
		curItems++
	}
	return append(lines, cur)
}

func (m *composer) whenLines() []string {
	s := m.c.Styles
	indent := strings.Repeat(" ", labelWidth)
	input := m.label("When", fieldTime) + m.when.View()
	var echo string
	now := m.c.Now()
	switch {
	case strings.TrimSpace(m.when.Value()) == "":
		echo = s.Muted.Render("no time yet: it stays a draft until it has one")
	case m.atErr != nil:
		echo = s.InputError.Render(m.atErr.Error())
	case !m.at.After(now):
		echo = s.Danger.Render("in the past: " + m.at.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04 MST"))
	default:
		echo = s.Info.Render(timeparse.Describe(m.at, now, m.c.Zone)) +
			s.Muted.Render(" · "+m.at.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04 MST"))
	}
	return []string{input, indent + common.Truncate(echo, max(m.width-labelWidth, 0), "…")}
}

// label is a field's name in the left column, marked while it has focus.
func (m *composer) label(name string, f field) string {
	s := m.c.Styles
	if m.focus == f {
		return s.Accent.Render(padRight("▸ "+name, labelWidth))
	}
	return s.InputLabel.Render(padRight("  "+name, labelWidth))
}
