package calendar

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/photos"
	"github.com/crier-app/crier/tui/components/postcopy"
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
// networks and id; its text, and each account's own text; where each copy
// is (sent when and how late, with its counters and link; refused why);
// and for the selected post its photos and what can be done about it.
func (m *Model) itemLines(p store.PostSummary, selected bool) []string {
	st := m.c.Styles
	w := m.width
	lk := m.look(shownState(p))
	marker := "  "
	if selected {
		marker = "▸ "
	}
	when := p.ScheduledAt.In(m.c.Zone).Format("15:04")
	state := lk.glyph + " " + fmt.Sprintf("%-9s", lk.word)
	id := "" // room for the campaign and the photo count
	if n := len(p.Media); n > 0 && !selected {
		id = common.Count(n, "photo", "photos")
	}
	if camp := m.c.CampaignMark(p.CampaignID, min(24, w/4)); camp != "" {
		id = strings.TrimSpace(camp + "  " + id)
	}
	lead := marker + when + "  "
	netW := w - common.Width(lead) - common.Width(state) - 2 - common.Width(id) - 1
	nets := ""
	if netW > 0 {
		nets = common.Truncate(m.networksOf(p), netW, "…")
	}
	gap := max(w-common.Width(lead)-common.Width(state)-2-common.Width(nets)-common.Width(id), 1)

	var head string
	if selected {
		head = st.Selected.Render(common.Fit(lead+state+"  "+nets+strings.Repeat(" ", gap)+id, w))
	} else {
		head = st.Text.Render(lead) + lk.style.Render(state) + "  " + st.Muted.Render(nets) +
			strings.Repeat(" ", gap) + st.Muted.Render(id)
		head = common.Truncate(head, w, "")
	}
	out := []string{head}
	cut := func(t string) string { return common.Truncate(agendaIndent+t, w, "…") }
	textW := w - common.Width(agendaIndent)

	n := agendaTextLines
	if selected {
		n = agendaTextLinesAt
	}
	own := 0
	for _, c := range p.Copies {
		if c.OwnText {
			own++
		}
	}
	if own < len(p.Copies) || len(p.Copies) == 0 {
		text := common.OneLine(common.Clean(p.Body))
		if text == "" {
			out = append(out, st.Muted.Render(agendaIndent+"(no text)"))
		} else if own > 0 {
			var names []string
			for _, c := range p.Copies {
				if !c.OwnText {
					names = append(names, postcopy.Name(c, p.Copies))
				}
			}
			text = "For " + strings.Join(names, ", ") + ": " + text
		}
		for _, l := range common.WrapAtMost(text, textW, n) {
			out = append(out, agendaIndent+st.Text.Render(l))
		}
	}
	ownLines := 1
	if selected {
		ownLines = 3
	}
	for _, c := range p.Copies {
		if !c.OwnText {
			continue
		}
		for _, l := range common.WrapAtMost(postcopy.Name(c, p.Copies)+"'s own text: "+common.OneLine(common.Clean(c.Text)), textW, ownLines) {
			out = append(out, agendaIndent+st.Text.Render(l))
		}
	}

	if p.State == store.PostDraft {
		out = append(out, st.Muted.Render(cut(postcopy.GlyphDraft+" a draft: it won't go out until it is queued")))
	}
	mixed := postcopy.Mixed(p.Copies)
	for _, l := range postcopy.Lines(p.Copies, p.ScheduledAt, m.c.Zone, func(c store.Copy) bool {
		// Copies that wait together need no line: the heading says it.
		return c.State != "" && c.State != store.DeliverySent &&
			(mixed || c.State != store.DeliveryQueued || c.LastError != "" || c.Held)
	}) {
		reasonLines := 1
		if selected && (l.State == store.DeliveryFailed || l.State == store.DeliveryMissed) {
			reasonLines = 3 // the server's reason, or a missed post's note, whole
		}
		for _, t := range common.WrapAtMost(l.Text(), textW, reasonLines) {
			out = append(out, l.Style(st).Render(agendaIndent+t))
		}
	}
	for _, c := range p.Copies {
		if c.State != store.DeliverySent {
			continue
		}
		line := postcopy.Status(c, p.ScheduledAt, postcopy.Name(c, p.Copies), m.c.Zone) +
			" · " + postcopy.Counters(c.Metrics)
		out = append(out, st.StateSent.Render(cut(line)))
		if c.RemoteURL != "" && selected {
			out = append(out, st.Muted.Render(cut("  "+common.OneLine(common.Clean(c.RemoteURL)))))
		}
	}
	if selected {
		shown := m.photoInfo[p.ID]
		for i, md := range p.Media {
			ph := photos.Photo{Media: md, Info: photos.Info{Path: md.Path}}
			if i < len(shown) && shown[i].Path == md.Path {
				ph = shown[i]
			}
			out = append(out, st.Text.Render(cut(fmt.Sprintf("Photo %d: %s", i+1, photoText(ph)))))
		}
		if hint := m.hint(p); hint != "" {
			out = append(out, st.Muted.Render(cut(hint)))
		}
	}
	return out
}

// networksOf names a post's networks; where its copies are not all in one
// state, each name carries its copy's mark ("✓Mastodon ✗Bluesky").
func (m *Model) networksOf(p store.PostSummary) string {
	if !postcopy.Mixed(p.Copies) {
		return networkNames(p.Platforms)
	}
	var names []string
	for _, c := range p.Copies {
		names = append(names, postcopy.CopyGlyph(c)+postcopy.Name(c, p.Copies))
	}
	return strings.Join(names, " ")
}

// photoText is a photo on one line: name, size, dimensions and alt text.
func photoText(ph photos.Photo) string {
	alt := "no alt text"
	if a := strings.TrimSpace(ph.AltText); a != "" {
		alt = "alt “" + common.OneLine(common.Clean(a)) + "”"
	}
	switch {
	case ph.Err != nil:
		return common.Clean(filepath.Base(ph.Path)) + " · can't be read · " + alt
	case ph.Info.Size == 0:
		return common.Clean(filepath.Base(ph.Path)) + " · " + alt
	}
	return common.Clean(ph.Info.Summary()) + " · " + alt
}

// hint says what the keys do for the selected post.
func (m *Model) hint(p store.PostSummary) string {
	n, which := postcopy.Fixable(p.Copies, func(c store.Copy) string { return postcopy.Name(c, p.Copies) })
	switch {
	case n > 0:
		them := "it"
		if n > 1 {
			them = "them"
		}
		return fmt.Sprintf("s sends %s now · x drops %s · m moves · enter edits", which, them)
	case p.State == store.PostQueued && postcopy.AllHeld(p.Copies):
		return "held until its queue runs again (Drafts: Q, then p) · enter edits · m moves"
	case p.State == store.PostQueued && slices.ContainsFunc(p.Copies, func(c store.Copy) bool { return c.Held }):
		return "the ǁ held copy waits for its queue (Drafts: Q, then p) · enter edits · m moves"
	case p.State == store.PostQueued:
		return "enter edits it (it stays queued) · m moves it · [ ] a day earlier or later"
	case p.State == store.PostDraft:
		return "enter edits it"
	}
	return ""
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
			if shownState(p) == s {
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
	label := m.c.Styles.InputLabel.Render("Move it to: ")
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
		s, style = postcopy.GlyphFailed+" "+common.Clean(m.inputErr), st.InputError
	case m.busy:
		s = "moving…"
	case m.preview != "":
		s = "→ " + common.Clean(m.preview) + " · enter moves, esc cancels"
	default:
		s = "e.g. tomorrow 9am, +2h, 2026-12-03 10:30 · enter moves, esc cancels"
	}
	lines := common.WrapAtMost(s, m.width, 2)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}
