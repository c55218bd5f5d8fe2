package drafts

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
	"github.com/crier-app/crier/tui/components/postcopy"
)

// Column widths of the list.
const (
	stateWidth = 7  // "queued", "missed"
	whenWidth  = 17 // "Sat 24 Oct 09:00" or "24 Oct 2027 09:00"
	maxNetCol  = 20
	// subIndent is where a row's lines about its copies start: under WHEN.
	subIndent = 2 + stateWidth + 1
)

func (m *Model) onLoaded(msg loadedMsg) tea.Cmd {
	if msg.seq != m.loadSeq {
		return nil
	}
	if msg.err != nil {
		m.loadErr = msg.err // keep showing what was there
		return nil
	}
	keep := m.selectID
	if keep == 0 && m.cursor < len(m.items) {
		keep = m.items[m.cursor].ID
	}
	m.items, m.loaded, m.loadErr, m.selectID = msg.items, true, nil, 0
	m.photoInfo = map[int64][]photos.Photo{}
	for i, it := range m.items {
		if it.ID == keep {
			m.cursor = i
			break
		}
	}
	m.cursor = min(m.cursor, max(len(m.items)-1, 0))
	if m.confirming && !m.hasItem(m.confirmID) {
		m.confirming = false
	}
	m.scrollToCursor()
	return m.readPreviewPhotos()
}

func (m *Model) hasItem(id int64) bool {
	for _, it := range m.items {
		if it.ID == id {
			return true
		}
	}
	return false
}

func (m *Model) current() (store.PostSummary, bool) {
	if m.cursor < 0 || m.cursor >= len(m.items) {
		return store.PostSummary{}, false
	}
	return m.items[m.cursor], true
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	if m.confirming {
		m.confirming = false
		if key.Matches(msg, m.keys.Yes) {
			return deleteCmd(m.c, m.confirmID)
		}
		return nil // any other key keeps the post
	}
	if cmd, ok := m.planKey(msg); ok {
		return cmd
	}
	nav := m.c.Nav
	switch {
	case key.Matches(msg, m.keys.New):
		return m.startComposer(opened{}, "", "")
	case key.Matches(msg, m.keys.Edit):
		if it, ok := m.current(); ok {
			return m.open(it.ID)
		}
	case key.Matches(msg, m.keys.Delete):
		if it, ok := m.current(); ok {
			m.confirming, m.confirmID = true, it.ID
		}
	case key.Matches(msg, m.keys.Unqueue):
		return m.act(func(it store.PostSummary) (tea.Cmd, bool) {
			if it.State == store.PostDraft {
				return common.Status(postName(it.Body)+" is a draft already", true), false
			}
			return unqueueCmd(m.c, it.ID, postName(it.Body), m.c.Now()), true
		})
	case key.Matches(msg, m.keys.SendNow):
		return m.act(m.fixCopies("send: s sends a copy that was not sent or was missed", retryCmd))
	case key.Matches(msg, m.keys.Drop):
		return m.act(m.fixCopies("drop: d deletes a post", dropCmd))
	case key.Matches(msg, nav.Moves()...):
		return m.moveCursor(nav.Move(msg, m.cursor, max(m.rowsHeight()/2, 1), len(m.items)-1) - m.cursor)
	}
	return nil
}

// fixCopies acts on a post's failed and missed copies with fix (send them
// now, or drop them); a post with none is told so, with what the key does
// ("nothing failed or missed to " and then, for the drop key, "drop: d
// deletes a post").
func (m *Model) fixCopies(none string, fix func(c *common.Common, id int64, name, which string, now time.Time) tea.Cmd) func(store.PostSummary) (tea.Cmd, bool) {
	return func(it store.PostSummary) (tea.Cmd, bool) {
		n, which := postcopy.Fixable(it.Copies, nameIn(it.Copies))
		if n == 0 {
			return common.Status(postName(it.Body)+" has nothing failed or missed to "+none, true), false
		}
		return fix(m.c, it.ID, postName(it.Body), which, m.c.Now()), true
	}
}

// act runs a list action on the post under the cursor, one at a time. do
// returns the command, and whether it is the action (not a refusal).
func (m *Model) act(do func(store.PostSummary) (tea.Cmd, bool)) tea.Cmd {
	it, ok := m.current()
	if !ok || m.busy {
		return nil
	}
	cmd, acting := do(it)
	m.busy = acting
	return cmd
}

func nameIn(copies []store.Copy) func(store.Copy) string {
	return func(c store.Copy) string { return postcopy.Name(c, copies) }
}

func (m *Model) moveCursor(d int) tea.Cmd {
	if len(m.items) == 0 {
		return nil
	}
	m.cursor = min(max(m.cursor+d, 0), len(m.items)-1)
	m.scrollToCursor()
	return m.readPreviewPhotos()
}

// previewHeight is the lines under the list for the post under the cursor.
func (m *Model) previewHeight() int { return max(6, m.height*2/5) }

// rowsHeight is the lines left for items: the pane less its title, the
// column header, the rule (or footer) and the preview.
func (m *Model) rowsHeight() int { return max(m.height-3-m.previewHeight(), 1) }

// subLines are what a row says under itself about its copies: when they
// went out (and how late), why one was not sent, why one waits to retry.
func (m *Model) subLines(it store.PostSummary) []postcopy.Line {
	if it.State == store.PostDraft {
		return nil
	}
	return postcopy.Lines(it.Copies, it.ScheduledAt, m.c.Zone, func(c store.Copy) bool {
		return c.State == store.DeliverySent || c.State == store.DeliveryFailed ||
			(c.State == store.DeliveryQueued && (c.LastError != "" || c.Held))
	})
}

func (m *Model) itemHeight(it store.PostSummary) int { return 1 + len(m.subLines(it)) }

// scrollToCursor moves the window just enough to show the cursor's item.
func (m *Model) scrollToCursor() {
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	for m.offset < m.cursor {
		used := 0
		for i := m.offset; i <= m.cursor; i++ {
			used += m.itemHeight(m.items[i])
		}
		if used <= m.rowsHeight() {
			break
		}
		m.offset++
	}
	m.offset = max(min(m.offset, len(m.items)-1), 0)
}

func (m *Model) listView() string {
	s := m.c.Styles
	w := m.width
	lines := make([]string, 0, m.height)

	title := s.Title.Render("Drafts & queue")
	if sum := m.summary(); sum != "" {
		title += "  " + s.Muted.Render(sum)
	}
	lines = append(lines, title)
	switch {
	case !m.loaded && m.loadErr == nil:
		lines = append(lines, "", s.Muted.Render("loading…"))
		return common.Block(strings.Join(lines, "\n"), w, m.height)
	case len(m.items) == 0 && m.loadErr == nil:
		lines = append(lines, "", s.Muted.Render("Nothing waiting to go out. Press n to write a post."))
		return common.Block(strings.Join(lines, "\n"), w, m.height)
	}

	netW := 8
	for _, it := range m.items[m.offset:min(len(m.items), m.offset+m.rowsHeight())] {
		netW = max(netW, common.Width(networksText(it)))
	}
	netW = min(netW, maxNetCol)
	lines = append(lines, s.Muted.Render(common.Truncate(
		"  "+common.Pad("STATE", stateWidth)+" "+common.Pad("WHEN", whenWidth)+" "+common.Pad("NETWORKS", netW)+" POST", w, "")))

	room := m.rowsHeight()
	for i := m.offset; i < len(m.items) && room > 0; i++ {
		rows := m.itemLines(m.items[i], i == m.cursor, netW)
		if len(rows) > room {
			rows = rows[:room]
		}
		lines = append(lines, rows...)
		room -= len(rows)
	}
	for ; room > 0; room-- {
		lines = append(lines, "")
	}
	if f := m.footer(); f != "" {
		lines = append(lines, common.Truncate(f, w, "…"))
	} else {
		lines = append(lines, s.Muted.Render(strings.Repeat("─", w)))
	}
	lines = append(lines, m.previewLines(m.previewHeight())...)
	return common.Block(strings.Join(lines, "\n"), w, m.height)
}

func (m *Model) summary() string {
	if !m.loaded {
		return ""
	}
	n := map[store.PostState]int{}
	for _, it := range m.items {
		n[it.State]++
	}
	var parts []string
	for _, st := range []store.PostState{store.PostDraft, store.PostQueued, store.PostFailed, store.PostMissed} {
		if n[st] == 0 {
			continue
		}
		word := string(st)
		if st == store.PostDraft && n[st] > 1 {
			word = "drafts"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n[st], word))
	}
	if len(m.items) >= listLimit {
		parts = append(parts, fmt.Sprintf("first %d shown", listLimit))
	}
	return strings.Join(parts, " · ")
}

func (m *Model) footer() string {
	s := m.c.Styles
	switch {
	case m.confirming:
		what := "this post"
		for _, it := range m.items {
			if it.ID == m.confirmID {
				what = fmt.Sprintf("the %s post “%s”", it.State, common.Truncate(common.OneLine(common.Clean(it.Body)), 30, "…"))
			}
		}
		return s.Warn.Render("Delete "+what+" for good?") + " " + s.Bold.Render("y/n")
	case m.loadErr != nil:
		return s.Danger.Render("couldn't load the list: " + m.loadErr.Error())
	}
	return ""
}

// networksText is a post's networks for the NETWORKS column; where its
// copies are not all in one state, each carries its own mark.
func networksText(it store.PostSummary) string {
	if len(it.Copies) == 0 {
		return "no account"
	}
	mixed := postcopy.Mixed(it.Copies)
	var parts []string
	seen := map[string]bool{}
	for _, c := range it.Copies {
		p := common.Clean(c.Platform)
		if mixed {
			parts = append(parts, postcopy.CopyGlyph(c)+p)
			continue
		}
		if !seen[p] {
			parts = append(parts, p)
			seen[p] = true
		}
	}
	return strings.Join(parts, " ")
}

// campaignWidth is the most a post's campaign mark takes in its row.
const campaignWidth = 20

func (m *Model) itemLines(it store.PostSummary, selected bool, netW int) []string {
	s := m.c.Styles
	w := m.width
	marker := "  "
	if selected {
		marker = "▸ "
	}
	nets := common.Pad(common.Truncate(networksText(it), netW, "…"), netW)
	when := common.Pad(m.formatWhen(it.ScheduledAt), whenWidth)
	// A queued post a paused queue holds whole is not going out: its
	// state says so, as the calendar's mark does.
	stateWord, stateStyle := string(it.State), postcopy.PostStyle(s, it.State)
	if it.State == store.PostQueued && postcopy.AllHeld(it.Copies) {
		stateWord, stateStyle = "held", s.Warn
	}
	state := common.Pad(stateWord, stateWidth)
	lead := marker + state + " " + when + " " + nets + " "
	text := common.OneLine(common.Clean(it.Body))
	if text == "" {
		text = "(empty)"
	}
	if n := len(it.Media); n > 0 {
		text = "[" + common.Count(n, "photo", "photos") + "] " + text
	}
	// The campaign, where the row leaves room for it beside the text.
	camp := m.c.CampaignMark(it.CampaignID, min(campaignWidth, (w-common.Width(lead))/3))
	if camp != "" {
		camp += " "
	}
	text = common.Truncate(text, max(w-common.Width(lead)-common.Width(camp), 0), "…")

	var first string
	if selected {
		first = s.Selected.Render(common.Pad(lead+camp+text, w))
	} else {
		whenStyle := s.Text
		if it.ScheduledAt.IsZero() {
			whenStyle = s.Muted
		}
		first = marker + stateStyle.Render(state) + " " + whenStyle.Render(when) + " " +
			s.Muted.Render(nets) + " " + s.Accent.Render(camp) + s.Text.Render(text)
	}
	lines := []string{common.Truncate(first, w, "")}
	for _, sub := range m.subLines(it) {
		style := s.Muted
		switch sub.State {
		case store.DeliveryFailed:
			style = s.Danger
		case store.DeliveryQueued:
			style = s.Warn
		}
		lines = append(lines, style.Render(common.Truncate(strings.Repeat(" ", subIndent)+sub.Text(), w, "…")))
	}
	return lines
}

// formatWhen shows a post's time in the display zone, with the year only
// when it is not this year's.
func (m *Model) formatWhen(t time.Time) string {
	if t.IsZero() {
		return "no time"
	}
	lt := t.In(m.c.Zone)
	if lt.Year() != m.c.Now().In(m.c.Zone).Year() {
		return lt.Format("02 Jan 2006 15:04")
	}
	return lt.Format("Mon 02 Jan 15:04")
}
