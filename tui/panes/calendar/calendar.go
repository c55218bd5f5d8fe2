// Package calendar is the Calendar pane: a month or week grid of scheduled,
// sent, failed and missed posts, a day's agenda, and moving posts in time
// from the keyboard.
package calendar

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timeparse"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
	"github.com/crier-app/crier/tui/components/postcopy"
	"github.com/crier-app/crier/tui/components/prefilled"
	"github.com/crier-app/crier/tui/keys"
)

// inputLayout is how the move field shows the time it starts from.
const inputLayout = "2006-01-02 15:04"

// defaultHour is when a new post on a future day is first set to go out.
const defaultHour = 9

// queryTimeout bounds one store call made for this pane.
const queryTimeout = 10 * time.Second

type viewMode int

const (
	monthView viewMode = iota
	weekView
)

// loadedMsg answers the load with the same seq; any other is stale.
type loadedMsg struct {
	seq      int
	from, to time.Time // the days loaded, [from, to)
	byDay    map[time.Time][]store.PostSummary
	err      error
}

// movedMsg reports a reschedule. fromInput says the time was typed, so an
// error goes under the field rather than to the status bar.
type movedMsg struct {
	id        int64
	at        time.Time
	fromInput bool
	err       error
	held      []string // the networks whose copy a paused queue holds
}

// Model is the Calendar pane.
type Model struct {
	c    *common.Common
	keys KeyMap
	nav  navHelp

	width, height int
	mode          viewMode
	cursor        time.Time // a day (see dates.go)

	// The posts shown, bucketed by local day. loadedFrom/To is the range they
	// cover; wantFrom/To the range of the newest load asked for.
	seq                  int
	loaded               bool
	loadedFrom, loadedTo time.Time
	wantFrom, wantTo     time.Time
	byDay                map[time.Time][]store.PostSummary

	// The day's agenda.
	agenda bool
	sel    int
	selID  int64 // keeps the selection on the same post across reloads
	top    int   // first agenda item drawn

	// The move field, open while moving is set.
	moving    bool
	moveID    int64
	input     prefilled.Input
	moveStart string // what the move field opened with
	inputErr  string
	preview   string // what the typed time reads as, "" while it reads as nothing
	// typedAt is when the typed time was last changed: it is read as of
	// then, so enter moves the post to the time the preview showed, even
	// once midnight has passed ("tomorrow 9am" typed at 23:59).
	typedAt time.Time
	busy    bool // a reschedule is on its way to the store

	// What was read of the photo files of the agenda's posts, by post.
	photoInfo map[int64][]photos.Photo
}

// dayPhotosMsg brings what was read of the photo files of a day's posts.
type dayPhotosMsg struct {
	photos map[int64][]photos.Photo
}

// New builds the pane on today's month. It does no I/O.
func New(c *common.Common) *Model {
	in := c.TextInput("tomorrow 9am, +2h, 2026-12-03 10:30")
	in.CharLimit = 64
	return &Model{
		c:      c,
		keys:   DefaultKeyMap(),
		nav:    newNavHelp(c.Nav),
		cursor: dayOf(c.Now(), c.Zone),
		byDay:  map[time.Time][]store.PostSummary{},
		input:  prefilled.New(in, c.Styles.Selected),

		photoInfo: map[int64][]photos.Photo{},
	}
}

// Init loads the visible range.
func (m *Model) Init() tea.Cmd { return m.reload() }

// SetSize gives the pane its area.
func (m *Model) SetSize(width, height int) tea.Cmd {
	m.width, m.height = width, height
	m.input.Width = max(width-14, 10)
	m.keepSelectionVisible()
	return nil
}

// Capturing is true while the move field takes typed text.
func (m *Model) Capturing() bool { return m.moving }

// visibleRange is the days the current view shows, [from, to).
func (m *Model) visibleRange() (from, to time.Time) {
	if m.mode == weekView {
		from = weekStartOf(m.cursor, m.c.Settings.WeekStart)
		return from, addDays(from, 7)
	}
	first, weeks := monthGrid(m.cursor, m.c.Settings.WeekStart)
	return first, addDays(first, 7*weeks)
}

// reload asks for the visible range again, whatever is loaded.
func (m *Model) reload() tea.Cmd {
	from, to := m.visibleRange()
	m.seq++
	m.wantFrom, m.wantTo = from, to
	return loadRange(m.c.Store, m.seq, from, to, m.c.Zone)
}

// follow loads the visible range if the cursor left the one asked for.
func (m *Model) follow() tea.Cmd {
	from, to := m.visibleRange()
	if from.Equal(m.wantFrom) && to.Equal(m.wantTo) {
		return nil
	}
	return m.reload()
}

func loadRange(st *store.Store, seq int, from, to time.Time, loc *time.Location) tea.Cmd {
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		posts, err := st.PostsBetween(ctx, startOf(from, loc), startOf(to, loc))
		if err != nil {
			return loadedMsg{seq: seq, err: err}
		}
		byDay := make(map[time.Time][]store.PostSummary)
		for _, p := range posts {
			d := dayOf(p.ScheduledAt, loc)
			byDay[d] = append(byDay[d], p)
		}
		return loadedMsg{seq: seq, from: from, to: to, byDay: byDay}
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
			return m, common.Status("calendar: cannot load posts: "+msg.err.Error(), true)
		}
		m.loaded = true
		m.loadedFrom, m.loadedTo, m.byDay = msg.from, msg.to, msg.byDay
		m.photoInfo = map[int64][]photos.Photo{}
		m.restoreSelection()
		return m, m.readDayPhotos()

	case dayPhotosMsg:
		for id, ph := range msg.photos {
			if _, asked := m.photoInfo[id]; asked {
				m.photoInfo[id] = ph
			}
		}
		return m, nil

	case movedMsg:
		return m, m.moved(msg)

	case decidedMsg:
		return m, m.decided(msg)

	case common.DataChangedMsg, common.FocusMsg:
		return m, m.reload()

	case common.BeforeQuitMsg:
		return m, m.keepMove()

	case movedKeptMsg:
		return m, m.putBackMove(msg)

	case tea.KeyMsg:
		switch {
		case m.moving:
			return m, m.updateInput(msg)
		case m.agenda:
			return m, m.updateAgenda(msg)
		}
		return m, m.updateGrid(msg)
	}
	if m.moving {
		// The field's cursor blinks on its own messages.
		return m, m.input.Update(msg)
	}
	return m, nil
}

func (m *Model) updateGrid(msg tea.KeyMsg) tea.Cmd {
	nav := m.c.Nav
	ws := m.c.Settings.WeekStart
	switch {
	case key.Matches(msg, nav.Left):
		m.cursor = addDays(m.cursor, -1)
	case key.Matches(msg, nav.Right):
		m.cursor = addDays(m.cursor, 1)
	case key.Matches(msg, nav.Up):
		m.cursor = addDays(m.cursor, -7)
	case key.Matches(msg, nav.Down):
		m.cursor = addDays(m.cursor, 7)
	case key.Matches(msg, nav.PageUp):
		m.cursor = m.page(-1)
	case key.Matches(msg, nav.PageDown):
		m.cursor = m.page(1)
	case key.Matches(msg, nav.Home):
		if m.mode == weekView {
			m.cursor = weekStartOf(m.cursor, ws)
		} else {
			m.cursor = firstOfMonth(m.cursor)
		}
	case key.Matches(msg, nav.End):
		if m.mode == weekView {
			m.cursor = addDays(weekStartOf(m.cursor, ws), 6)
		} else {
			m.cursor = addDays(addMonths(firstOfMonth(m.cursor), 1), -1)
		}
	case key.Matches(msg, m.keys.Today):
		m.cursor = dayOf(m.c.Now(), m.c.Zone)
	case key.Matches(msg, m.keys.Toggle):
		if m.mode == monthView {
			m.mode = weekView
		} else {
			m.mode = monthView
		}
	case key.Matches(msg, m.keys.Open):
		m.openAgenda(0)
		return m.readDayPhotos()
	case key.Matches(msg, m.keys.New):
		return m.compose()
	default:
		return nil
	}
	return m.follow()
}

// page is the cursor a month (or in week view a week) away.
func (m *Model) page(n int) time.Time {
	if m.mode == weekView {
		return addDays(m.cursor, 7*n)
	}
	return addMonths(m.cursor, n)
}

// compose asks the root for a new post on the cursor's day: at 09:00, or on
// today at the first whole hour from 09:00 on that is still ahead and has no
// post yet.
func (m *Model) compose() tea.Cmd {
	loc := m.c.Zone
	now := m.c.Now()
	today := dayOf(now, loc)
	if m.cursor.Before(today) {
		return common.Status("That day is over: pick today or a later day for a new post", true)
	}
	when := at(m.cursor, defaultHour, 0, loc)
	if m.cursor.Equal(today) {
		if !when.After(now) {
			local := now.In(loc)
			when = at(today, local.Hour()+1, 0, loc)
		}
		busy := map[int]bool{}
		for _, p := range m.byDay[today] {
			busy[p.ScheduledAt.In(loc).Hour()] = true
		}
		for busy[when.In(loc).Hour()] && dayOf(when, loc).Equal(today) {
			when = when.Add(time.Hour)
		}
	}
	return func() tea.Msg { return common.ComposeMsg{Day: when} }
}

// dayPosts are the posts on the cursor's day, earliest first.
func (m *Model) dayPosts() []store.PostSummary { return m.byDay[m.cursor] }

func (m *Model) selected() (store.PostSummary, bool) {
	posts := m.dayPosts()
	if m.sel < 0 || m.sel >= len(posts) {
		return store.PostSummary{}, false
	}
	return posts[m.sel], true
}

func (m *Model) openAgenda(sel int) {
	m.agenda = true
	m.top = 0
	m.setSelection(sel)
}

func (m *Model) setSelection(i int) {
	posts := m.dayPosts()
	m.sel = max(min(i, len(posts)-1), 0)
	m.selID = 0
	if p, ok := m.selected(); ok {
		m.selID = p.ID
	}
	m.keepSelectionVisible()
}

// restoreSelection puts the agenda's selection back on the post it was on
// after the posts were reloaded.
func (m *Model) restoreSelection() {
	for i, p := range m.dayPosts() {
		if p.ID == m.selID {
			m.sel = i
			m.keepSelectionVisible()
			return
		}
	}
	m.setSelection(m.sel)
}

func (m *Model) updateAgenda(msg tea.KeyMsg) tea.Cmd {
	nav := m.c.Nav
	switch {
	case key.Matches(msg, m.keys.Back):
		m.agenda = false
	case key.Matches(msg, nav.Up):
		m.setSelection(m.sel - 1)
	case key.Matches(msg, nav.Down):
		m.setSelection(m.sel + 1)
	case key.Matches(msg, nav.Home):
		m.setSelection(0)
	case key.Matches(msg, nav.End):
		m.setSelection(len(m.dayPosts()) - 1)
	case key.Matches(msg, nav.Left):
		m.cursor = addDays(m.cursor, -1)
		m.openAgenda(0)
		return tea.Batch(m.follow(), m.readDayPhotos())
	case key.Matches(msg, nav.Right):
		m.cursor = addDays(m.cursor, 1)
		m.openAgenda(0)
		return tea.Batch(m.follow(), m.readDayPhotos())
	case key.Matches(msg, m.keys.Today):
		m.cursor = dayOf(m.c.Now(), m.c.Zone)
		m.openAgenda(0)
		return tea.Batch(m.follow(), m.readDayPhotos())
	case key.Matches(msg, m.keys.Edit):
		return m.edit()
	case key.Matches(msg, m.keys.New):
		return m.compose()
	case key.Matches(msg, m.keys.Move):
		return m.startMove()
	case key.Matches(msg, m.keys.Earlier):
		return m.shift(-1)
	case key.Matches(msg, m.keys.Later):
		return m.shift(1)
	case key.Matches(msg, m.keys.SendNow):
		return m.decideMissed(true)
	case key.Matches(msg, m.keys.Drop):
		return m.decideMissed(false)
	}
	return nil
}

// decidedMsg reports what the user decided about a post's failed or missed
// copies.
type decidedMsg struct {
	id    int64
	send  bool
	which string // "the Mastodon copy"
	draft bool   // nothing of it went out: it is a draft again
	err   error
}

// decideMissed sends the selected post's failed and missed copies now, or
// drops them; a copy that went out is never touched.
func (m *Model) decideMissed(send bool) tea.Cmd {
	p, ok := m.selected()
	if !ok || m.busy {
		return nil
	}
	n, which := postcopy.Fixable(p.Copies, func(c store.Copy) string { return postcopy.Name(c, p.Copies) })
	if n == 0 {
		return common.Status(postName(p.Body)+" has nothing failed or missed: s and x decide about copies a network refused or crier held back", true)
	}
	m.busy = true
	c, id, now := m.c, p.ID, m.c.Now()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		var err error
		draft := false
		if send {
			if err = c.Store.RetryUnsent(ctx, id, now); err == nil {
				c.Wake()
			}
		} else if err = c.Store.DropUnsent(ctx, id, now); err == nil {
			if post, perr := c.Store.Post(ctx, id); perr == nil {
				draft = post.State == store.PostDraft
			}
		}
		return decidedMsg{id: id, send: send, which: which, draft: draft, err: err}
	})
}

func (m *Model) decided(msg decidedMsg) tea.Cmd {
	m.busy = false
	if msg.err != nil {
		return common.Status(fmt.Sprintf("%s: %v", m.nameOf(msg.id), msg.err), true)
	}
	var text string
	switch {
	case msg.send:
		text = fmt.Sprintf("%s: sending %s now", m.nameOf(msg.id), msg.which)
	case msg.draft:
		text = fmt.Sprintf("%s: %s won't go out; nothing of it did, so it is a draft again (in Drafts)", m.nameOf(msg.id), msg.which)
	default:
		text = fmt.Sprintf("%s: %s won't go out", m.nameOf(msg.id), msg.which)
	}
	changed := func() tea.Msg { return common.DataChangedMsg{What: "posts"} }
	return tea.Batch(m.reload(), common.Status(text, false), changed)
}

// edit opens the selected post in the composer.
func (m *Model) edit() tea.Cmd {
	p, ok := m.selected()
	if !ok {
		return nil
	}
	if p.State == store.PostSent {
		return common.Status(postName(p.Body)+" went out: it can't be edited", true)
	}
	id := p.ID
	return func() tea.Msg { return common.ComposeMsg{PostID: id} }
}

// readDayPhotos reads the photo files of the agenda's posts that have not
// been read since the last load.
func (m *Model) readDayPhotos() tea.Cmd {
	if !m.agenda {
		return nil
	}
	want := map[int64][]store.Media{}
	for _, p := range m.dayPosts() {
		if _, asked := m.photoInfo[p.ID]; len(p.Media) > 0 && !asked {
			want[p.ID] = p.Media
			m.photoInfo[p.ID] = nil
		}
	}
	if len(want) == 0 {
		return nil
	}
	return func() tea.Msg {
		out := map[int64][]photos.Photo{}
		for id, media := range want {
			for _, md := range media {
				ph := photos.Photo{Media: md}
				ph.Info, ph.Err = photos.Inspect(md.Path)
				out[id] = append(out[id], ph)
			}
		}
		return dayPhotosMsg{photos: out}
	}
}

// movable says whether p can be moved, and if not, why.
func movable(p store.PostSummary) (bool, string) {
	if p.State == store.PostSent {
		return false, postName(p.Body) + " has been sent: it can't be moved"
	}
	return true, ""
}

func (m *Model) startMove() tea.Cmd {
	p, ok := m.selected()
	if !ok {
		return nil
	}
	if ok, why := movable(p); !ok {
		return common.Status(why, true)
	}
	m.moving, m.moveID, m.inputErr = true, p.ID, ""
	// Selected, so typing "+2h" or "fri 9am" replaces the post's time.
	m.input.Prefill(p.ScheduledAt.In(m.c.Zone).Format(inputLayout))
	m.moveStart = m.input.Value()
	m.updatePreview()
	id := p.ID
	return tea.Batch(m.input.Focus(), common.TakeKept(m.c.Store, moveKeptKey(id), func(typed map[string]string, err error) tea.Msg {
		return movedKeptMsg{id: id, typed: typed, err: err}
	}))
}

// movedKeptMsg brings back a time typed into a post's move field before
// crier closed with it open.
type movedKeptMsg struct {
	id    int64
	typed map[string]string
	err   error
}

// moveKeptKey names a post's move field for store.KeepForm.
func moveKeptKey(id int64) string { return "calendar/move/" + strconv.FormatInt(id, 10) }

// keepMove keeps the time typed into the move field, open as crier closes
// (BeforeQuitMsg): nothing when nothing was typed.
func (m *Model) keepMove() tea.Cmd {
	if !m.moving || m.input.Value() == m.moveStart {
		return nil
	}
	return common.KeepTyped(m.c.Store, moveKeptKey(m.moveID), map[string]string{"when": m.input.Value()})
}

// putBackMove puts a kept time back into the move field of the post it
// was typed for, if that field is open and untouched; else keeps it again.
func (m *Model) putBackMove(msg movedKeptMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		return common.Status("calendar: cannot read what was typed before crier closed: "+msg.err.Error(), true)
	case msg.typed["when"] == "":
		return nil
	case !m.moving || m.moveID != msg.id || m.input.Value() != m.moveStart:
		return common.KeepTyped(m.c.Store, moveKeptKey(msg.id), msg.typed)
	}
	m.input.Reset() // not selected: what comes back is to edit, not to type over
	m.input.SetValue(msg.typed["when"])
	m.input.CursorEnd()
	m.updatePreview()
	return common.Status(common.BroughtBack, false)
}

func (m *Model) closeInput() {
	m.moving, m.inputErr, m.preview, m.busy = false, "", "", false
	m.input.Blur()
	m.input.Reset()
}

func (m *Model) updateInput(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.closeInput()
		return nil
	case key.Matches(msg, m.keys.Confirm):
		if m.busy {
			return nil
		}
		now := m.c.Now()
		when, err := timeparse.Parse(strings.TrimSpace(m.input.Value()), m.typedAt, m.c.Zone)
		if err != nil {
			m.inputErr = err.Error()
			return nil
		}
		if !when.After(now) {
			m.inputErr = when.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04") + " is in the past: pick a later time"
			return nil
		}
		m.inputErr = ""
		m.busy = true
		return m.reschedule(m.moveID, when, true)
	}
	cmd := m.input.Update(msg)
	m.inputErr = ""
	m.updatePreview()
	return cmd
}

// updatePreview reads the typed time back to the user as they type.
func (m *Model) updatePreview() {
	m.preview = ""
	now := m.c.Now()
	m.typedAt = now
	when, err := timeparse.Parse(strings.TrimSpace(m.input.Value()), now, m.c.Zone)
	if err != nil {
		return
	}
	m.preview = when.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04")
	// Describe's words for a near time ("in 2h", "tomorrow 09:00") say more
	// than the date does; for a far one they would only repeat it.
	if d := timeparse.Describe(when, now, m.c.Zone); strings.HasPrefix(d, "in ") ||
		strings.HasPrefix(d, "today") || strings.HasPrefix(d, "tomorrow") || strings.HasSuffix(d, " ago") {
		m.preview += " (" + d + ")"
	}
}

// shift moves the selected post by days, keeping its wall-clock time in the
// display zone: the date changes, 09:30 stays 09:30 across a DST change.
func (m *Model) shift(days int) tea.Cmd {
	p, ok := m.selected()
	if !ok || m.busy {
		return nil
	}
	if ok, why := movable(p); !ok {
		return common.Status(why, true)
	}
	loc := m.c.Zone
	local := p.ScheduledAt.In(loc)
	when := time.Date(local.Year(), local.Month(), local.Day()+days,
		local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), loc)
	if !when.After(m.c.Now()) {
		return common.Status(fmt.Sprintf("%s can't move to %s: that is in the past",
			postName(p.Body), when.Format("Mon 2 Jan 15:04")), true)
	}
	m.busy = true
	return m.reschedule(p.ID, when, false)
}

func (m *Model) reschedule(id int64, when time.Time, fromInput bool) tea.Cmd {
	c := m.c
	now := c.Now()
	zone := c.Zone.String()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		err := c.Store.ReschedulePost(ctx, id, when, zone, now)
		var held []string
		if err == nil {
			c.Wake()
			// Only a note: a failed read leaves it out.
			if copies, err := c.Store.PostCopies(ctx, id); err == nil {
				for _, cp := range copies {
					if cp.Held {
						held = append(held, common.NetworkName(cp.Platform))
					}
				}
			}
		}
		return movedMsg{id: id, at: when, fromInput: fromInput, err: err, held: held}
	})
}

// heldNote says which copies of a moved post a paused queue holds: they
// wait for the queue, not for the new time.
func heldNote(networks []string) string {
	switch len(networks) {
	case 0:
		return ""
	case 1:
		return " (the " + networks[0] + " copy is held: its queue is paused)"
	}
	return " (the " + strings.Join(networks, " and ") + " copies are held: their queues are paused)"
}

// moved follows a moved post to its new day, so the agenda stays on it.
func (m *Model) moved(msg movedMsg) tea.Cmd {
	m.busy = false
	if msg.err != nil {
		if msg.fromInput && m.moving {
			m.inputErr = msg.err.Error()
			return nil
		}
		return common.Status("Could not move the post: "+msg.err.Error(), true)
	}
	if m.moving && m.moveID == msg.id {
		m.closeInput()
	}
	m.cursor = dayOf(msg.at, m.c.Zone)
	m.selID = msg.id
	m.sel = 0
	m.top = 0
	changed := func() tea.Msg { return common.DataChangedMsg{What: "posts"} }
	return tea.Batch(
		m.reload(),
		common.Status(fmt.Sprintf("Moved %s%s to %s", m.nameOf(msg.id), heldNote(msg.held),
			msg.at.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04")), false),
		changed,
	)
}

// ShortHelp is the footer's list for what the pane is doing now.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.moving:
		return []key.Binding{m.keys.Confirm, m.keys.Cancel}
	case m.agenda:
		p, ok := m.selected()
		if ok {
			if n, _ := postcopy.Fixable(p.Copies, func(c store.Copy) string { return c.Platform }); n > 0 {
				return []key.Binding{m.keys.SendNow, m.keys.Move, m.keys.Drop, keys.Relabel(m.keys.Edit, "fix"), m.nav.agendaUp, m.nav.agendaDown, m.keys.Back}
			}
		}
		if ok && p.State != store.PostSent {
			return []key.Binding{m.nav.agendaUp, m.nav.agendaDown, m.keys.Edit, m.keys.Move, m.keys.Earlier, m.keys.Later, m.keys.New, m.keys.Back}
		}
		return []key.Binding{m.nav.agendaUp, m.nav.agendaDown, m.keys.Move, m.keys.Earlier, m.keys.Later, m.keys.New, m.keys.Back}
	}
	return []key.Binding{m.nav.move, m.keys.Open, m.keys.New, m.toggleHelp(), m.keys.Today}
}

// FullHelp is the pane's part of the ? screen.
func (m *Model) FullHelp() [][]key.Binding {
	n := m.nav
	return [][]key.Binding{
		{n.left, n.right, n.up, n.down, n.pageUp, n.pageDown, n.first, n.last},
		{m.keys.Today, m.toggleHelp(), m.keys.Open, m.keys.New},
		{keys.Relabel(m.keys.Back, "back to the grid"), n.agendaUp, n.agendaDown, m.keys.Edit, m.keys.Move, m.keys.Earlier, m.keys.Later},
		{m.keys.SendNow, m.keys.Drop},
	}
}

func (m *Model) toggleHelp() key.Binding {
	if m.mode == monthView {
		return keys.Relabel(m.keys.Toggle, "week view")
	}
	return keys.Relabel(m.keys.Toggle, "month view")
}
