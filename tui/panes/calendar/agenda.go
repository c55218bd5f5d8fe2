package calendar

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// Lines of a post's text the agenda shows: more for the selected post.
const (
	agendaTextLines   = 2
	agendaTextLinesAt = 6
	agendaIndent      = "    "
)

// agendaHead is the title, the summary and a blank line.
const agendaHead = 3

// inputFooter is a blank line, the move field and two lines for its message.
const inputFooter = 4

func (m *Model) listHeight() int {
	h := m.height - agendaHead
	if m.moving {
		h -= inputFooter
	}
	return max(h, 1)
}

// itemHeight is the lines post i takes in the agenda, with the blank line
// after it.
func (m *Model) itemHeight(i int, p store.PostSummary) int {
	return len(m.itemLines(p, i == m.sel)) + 1
}

// scrollTop is the first item to draw, starting from top and moved just
// enough that the selected item is on screen whole.
func (m *Model) scrollTop(top int) int {
	posts := m.dayPosts()
	if m.sel < top {
		top = m.sel
	}
	for top < m.sel {
		h := -1 // the last item needs no blank line after it
		for i := top; i <= m.sel; i++ {
			h += m.itemHeight(i, posts[i])
		}
		if h <= m.listHeight() {
			break
		}
		top++
	}
	return max(top, 0)
}

func (m *Model) keepSelectionVisible() {
	if m.agenda {
		m.top = m.scrollTop(m.top)
	}
}

// itemLines draws one post of the agenda: a heading with time, state,
// networks and id, its text, and a line on what went wrong, if anything did.
func (m *Model) itemLines(p store.PostSummary, selected bool) []string {
	st := m.c.Styles
	w := m.width
	lk := m.look(p.State)
	marker := "  "
	if selected {
		marker = "▸ "
	}
	when := p.ScheduledAt.In(m.c.Zone).Format("15:04")
	state := lk.glyph + " " + fmt.Sprintf("%-9s", lk.word)
	id := fmt.Sprintf("#%d", p.ID)
	lead := marker + when + "  "
	netW := w - common.Width(lead) - common.Width(state) - 2 - common.Width(id) - 1
	nets := ""
	if netW > 0 {
		nets = common.Truncate(networkNames(p.Platforms), netW, "…")
	}
	gap := max(w-common.Width(lead)-common.Width(state)-2-common.Width(nets)-common.Width(id), 1)

	var head string
	if selected {
		head = st.Selected.Render(fit(lead+state+"  "+nets+strings.Repeat(" ", gap)+id, w))
	} else {
		head = st.Text.Render(lead) + lk.style.Render(state) + "  " + st.Muted.Render(nets) +
			strings.Repeat(" ", gap) + st.Muted.Render(id)
		head = common.Truncate(head, w, "")
	}
	out := []string{head}

	n := agendaTextLines
	if selected {
		n = agendaTextLinesAt
	}
	text := oneLine(p.Body)
	if text == "" {
		out = append(out, st.Muted.Render(agendaIndent+"(no text)"))
	}
	for _, l := range wrapText(text, w-common.Width(agendaIndent), n) {
		out = append(out, agendaIndent+st.Text.Render(l))
	}
	if note, style := m.note(p); note != "" {
		out = append(out, style.Render(common.Truncate(agendaIndent+note, w, "…")))
	}
	return out
}

// note says what went wrong with a post, or what it still needs.
func (m *Model) note(p store.PostSummary) (string, lipgloss.Style) {
	st := m.c.Styles
	reason := oneLine(p.LastError)
	switch p.State {
	case store.PostFailed:
		if reason == "" {
			reason = "no reason was recorded"
		}
		return glyphFailed + " failed: " + reason, st.Danger
	case store.PostMissed:
		if reason != "" {
			return glyphMissed + " missed: " + reason, st.Warn
		}
		return glyphMissed + " missed: it came due while crier was not running; m picks a new time", st.Warn
	case store.PostQueued:
		if reason != "" {
			return "↻ will retry: " + reason, st.Warn
		}
	case store.PostDraft:
		return glyphDraft + " a draft: it won't go out until it is queued", st.Muted
	}
	return "", st.Muted
}

// summary counts the day's posts by state.
func (m *Model) summary(posts []store.PostSummary) string {
	if len(posts) == 0 {
		return "No posts on this day. n writes one."
	}
	var parts []string
	for _, s := range legendStates {
		n := 0
		for _, p := range posts {
			if p.State == s {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, m.look(s).word))
		}
	}
	noun := "posts"
	if len(posts) == 1 {
		noun = "post"
	}
	return fmt.Sprintf("%d %s: %s", len(posts), noun, strings.Join(parts, ", "))
}

func (m *Model) agendaLines() []string {
	st := m.c.Styles
	day := m.cursor
	posts := m.dayPosts()
	title := day.Format("Monday 2 January 2006")
	if day.Equal(dayOf(m.c.Now(), m.c.Zone)) {
		title += " · today"
	}

	listH := m.listHeight()
	top := m.scrollTop(m.top)
	var list []string
	below := 0
	for i := top; i < len(posts); i++ {
		item := m.itemLines(posts[i], i == m.sel)
		if len(list)+len(item) > listH {
			below = len(posts) - i
			break
		}
		list = append(list, item...)
		if i < len(posts)-1 {
			list = append(list, "")
		}
	}
	if len(list) > listH {
		list = list[:listH] // only a trailing blank line can be over
	}
	for len(list) < listH {
		list = append(list, "")
	}

	sum := m.summary(posts)
	if top > 0 {
		sum += fmt.Sprintf(" · ↑ %d above", top)
	}
	if below > 0 {
		sum += fmt.Sprintf(" · ↓ %d below", below)
	}
	lines := []string{
		m.titleLine(m.title(title), m.zoneLabel(day, addDays(day, 1))),
		st.Muted.Render(common.Truncate(sum, m.width, "…")),
		"",
	}
	lines = append(lines, list...)
	if m.moving {
		lines = append(lines, "", m.inputLine())
		lines = append(lines, m.inputMessage()...)
	}
	return lines
}

func (m *Model) inputLine() string {
	label := m.c.Styles.InputLabel.Render(fmt.Sprintf("Move #%d to: ", m.moveID))
	return common.Truncate(label+m.input.View(), m.width, "")
}

// inputMessage is the two lines under the move field: the error, or what
// the typed time reads as, or how to type one.
func (m *Model) inputMessage() []string {
	st := m.c.Styles
	var s string
	style := st.Muted
	switch {
	case m.inputErr != "":
		s, style = glyphFailed+" "+common.Clean(m.inputErr), st.InputError
	case m.busy:
		s = "moving…"
	case m.preview != "":
		s = "→ " + common.Clean(m.preview) + " · enter moves, esc cancels"
	default:
		s = "e.g. tomorrow 9am, +2h, 2026-12-03 10:30 · enter moves, esc cancels"
	}
	lines := wrapText(s, m.width, 2)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}
