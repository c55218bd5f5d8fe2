package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/postcopy"
)

type stateLook struct {
	glyph, word string
	style       lipgloss.Style
}

func (m *Model) look(s store.PostState) stateLook {
	switch s {
	case postHeld:
		return stateLook{postcopy.GlyphHeld, "held", m.c.Styles.Warn}
	case store.PostQueued:
		return stateLook{postcopy.PostGlyph(s), "scheduled", postcopy.PostStyle(m.c.Styles, s)}
	}
	return stateLook{postcopy.PostGlyph(s), string(s), postcopy.PostStyle(m.c.Styles, s)}
}

// postHeld is how the calendar shows a queued post whose every copy a
// paused queue holds: it does not go out at its time, so it is not
// "scheduled". It is not a state the store keeps.
const postHeld store.PostState = "held"

// shownState is the state a post is drawn in: its own, or postHeld.
func shownState(p store.PostSummary) store.PostState {
	if p.State == store.PostQueued && postcopy.AllHeld(p.Copies) {
		return postHeld
	}
	return p.State
}

// legendStates is the order states are listed in, on screen and in counts.
var legendStates = []store.PostState{store.PostQueued, postHeld, store.PostSent, store.PostFailed, store.PostMissed, store.PostDraft}

// byNetwork orders items by their platform, the networks crier knows
// first in their order (M B S), then the others as they come.
func byNetwork[T any](items []T, platform func(T) string) []T {
	out := make([]T, 0, len(items))
	for _, n := range common.NetworkLabels {
		for _, it := range items {
			if platform(it) == n.Platform {
				out = append(out, it)
			}
		}
	}
	for _, it := range items {
		if _, known := common.LabelOf(platform(it)); !known {
			out = append(out, it)
		}
	}
	return out
}

func itself(p string) string { return p }

// networkLetters abbreviates a post's platforms, always in the order M B S.
func networkLetters(platforms []string) string {
	var b strings.Builder
	for _, p := range byNetwork(platforms, itself) {
		l, _ := common.LabelOf(p)
		b.WriteString(l.Letter)
	}
	return b.String()
}

// marks are a post's state and networks in the grid: one glyph before the
// letters while its copies are all in one state ("◷MB"), else each letter
// after its own copy's glyph ("✓B✗M": out on Bluesky, refused on
// Mastodon).
func marks(glyph string, p store.PostSummary) string {
	if !postcopy.Mixed(p.Copies) {
		return glyph + networkLetters(p.Platforms)
	}
	var b strings.Builder
	for _, c := range byNetwork(p.Copies, func(c store.Copy) string { return c.Platform }) {
		l, _ := common.LabelOf(c.Platform)
		b.WriteString(postcopy.CopyGlyph(c) + l.Letter)
	}
	return b.String()
}

// networkNames names a post's platforms, in the order M B S.
func networkNames(platforms []string) string {
	var names []string
	for _, p := range byNetwork(platforms, itself) {
		names = append(names, common.NetworkName(p))
	}
	if len(names) == 0 {
		return "no account"
	}
	return strings.Join(names, ", ")
}

// View draws the pane in exactly its height.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var lines []string
	switch {
	case m.agenda:
		lines = m.agendaLines()
	case m.mode == weekView:
		lines = m.weekLines()
	default:
		lines = m.monthLines()
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// titleLine puts left and right (both already styled) at the two ends.
func (m *Model) titleLine(left, right string) string {
	gap := m.width - common.Width(left) - common.Width(right)
	if gap < 2 {
		return common.Truncate(left, m.width, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) title(text string) string {
	s := m.c.Styles.Title.Render(text)
	if !m.loaded {
		s += m.c.Styles.Muted.Render(" · loading…")
	}
	return s
}

// zoneLabel names the display zone and its abbreviation over the days
// [from, to), both abbreviations when a DST change falls inside.
func (m *Model) zoneLabel(from, to time.Time) string {
	loc := m.c.Zone
	name := loc.String()
	a, _ := startOf(from, loc).Zone()
	b, _ := startOf(to, loc).Add(-time.Second).Zone()
	abbr := a
	if b != a {
		abbr = a + "/" + b
	}
	if abbr == name {
		return m.c.Styles.Muted.Render(name)
	}
	return m.c.Styles.Muted.Render(name + " (" + abbr + ")")
}

// columns splits the width into seven day columns and six separators.
func (m *Model) columns() []int {
	avail := max(m.width-6, 7)
	cols := make([]int, 7)
	for i := range cols {
		cols[i] = avail / 7
		if i < avail%7 {
			cols[i]++
		}
	}
	return cols
}

func (m *Model) sep() string { return m.c.Styles.Muted.Render("│") }

// joinRow joins one line of each of the seven cells.
func (m *Model) joinRow(cells []string) string {
	return strings.Join(cells, m.sep())
}

func (m *Model) rule(cols []int) string {
	parts := make([]string, len(cols))
	for i, w := range cols {
		parts[i] = strings.Repeat("─", w)
	}
	return m.c.Styles.Muted.Render(strings.Join(parts, "┼"))
}

func (m *Model) weekdayHeader(cols []int, first time.Time) string {
	long := true
	for i, w := range cols {
		if common.Width(addDays(first, i).Weekday().String()) > w {
			long = false
		}
	}
	cells := make([]string, 7)
	for i, w := range cols {
		name := addDays(first, i).Weekday().String()
		if !long {
			name = name[:3]
		}
		cells[i] = m.c.Styles.Bold.Render(common.Fit(name, w))
	}
	return m.joinRow(cells)
}

// legend explains the glyphs and letters; it is the pane's last line.
func (m *Model) legend() string {
	st := m.c.Styles
	var states, nets []string
	for _, s := range legendStates {
		lk := m.look(s)
		states = append(states, lk.style.Render(lk.glyph)+" "+st.Muted.Render(lk.word))
	}
	for _, n := range common.NetworkLabels {
		nets = append(nets, st.Muted.Render(n.Letter+" "+n.Name))
	}
	for _, gap := range []string{"  ", " "} {
		line := strings.Join(states, gap) + st.Muted.Render(" │ ") + strings.Join(nets, gap)
		if common.Width(line) <= m.width {
			return line
		}
	}
	// Narrower: each state's word right after its glyph ("◷scheduled").
	tight := make([]string, 0, len(legendStates))
	for _, s := range legendStates {
		lk := m.look(s)
		tight = append(tight, lk.style.Render(lk.glyph)+st.Muted.Render(lk.word))
	}
	if line := strings.Join(tight, " ") + st.Muted.Render(" │ ") + strings.Join(nets, " "); common.Width(line) <= m.width {
		return line
	}
	return common.Truncate(strings.Join(states, " ")+st.Muted.Render(" │ ")+strings.Join(nets, " "), m.width, "…")
}

// postLine is a post in a grid cell: time, state glyph, network letters, and
// the start of its text where the cell has room.
func (m *Model) postLine(p store.PostSummary, w int, withText bool) string {
	lk := m.look(shownState(p))
	s := p.ScheduledAt.In(m.c.Zone).Format("15:04") + " " + marks(lk.glyph, p)
	if rem := w - common.Width(s) - 1; withText && rem >= 4 {
		s += " " + common.Truncate(common.OneLine(common.Clean(p.Body)), rem, "…")
	}
	return lk.style.Render(common.Fit(s, w))
}

func (m *Model) more(n, w int) string {
	return m.c.Styles.Muted.Render(common.Fit(fmt.Sprintf("+%d more", n), w))
}

// cursorMark starts the cursor day's label: reverse video alone vanishes
// under NO_COLOR, where lipgloss draws no attributes at all.
const cursorMark = "▸"

// dayLabel marks the cursor day's label.
func (m *Model) dayLabel(day time.Time, label string) string {
	if day.Equal(m.cursor) {
		return cursorMark + label
	}
	return label
}

// dayStyle is how a day's number or heading is drawn: the cursor in reverse
// video, today in the accent, days of other months muted.
func (m *Model) dayStyle(day time.Time, otherMonth bool) lipgloss.Style {
	st := m.c.Styles
	switch {
	case day.Equal(m.cursor):
		return st.Selected
	case day.Equal(dayOf(m.c.Now(), m.c.Zone)):
		return st.Title
	case otherMonth:
		return st.Muted
	}
	return st.Text
}

func (m *Model) monthLines() []string {
	ws := m.c.Settings.WeekStart
	first, weeks := monthGrid(m.cursor, ws)
	cols := m.columns()
	lines := []string{
		m.titleLine(m.title(m.cursor.Format("January 2006")), m.zoneLabel(first, addDays(first, 7*weeks))),
		m.weekdayHeader(cols, first),
	}
	gridH := m.height - 3
	ruled := gridH/weeks >= 5
	if ruled {
		gridH -= weeks
	}
	cells := make([][]string, 7)
	for w, rows := range m.weekRows(first, weeks, max(gridH, 0)) {
		if ruled {
			lines = append(lines, m.rule(cols))
		}
		for d := range 7 {
			cells[d] = m.monthCell(addDays(first, 7*w+d), cols[d], rows)
		}
		row := make([]string, 7)
		for r := range rows {
			for d := range 7 {
				row[d] = cells[d][r]
			}
			lines = append(lines, m.joinRow(row))
		}
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	return append(lines, m.legend())
}

// weekRows shares the grid's lines among the weeks: evenly, then the lines
// left over to the weeks whose busiest day has the most posts that would not
// fit. Lines nobody needs stay blank under the grid.
func (m *Model) weekRows(first time.Time, weeks, lines int) []int {
	rows := make([]int, weeks)
	need := make([]int, weeks) // lines the busiest day of each week wants
	for w := range rows {
		rows[w] = lines / weeks
		for d := range 7 {
			need[w] = max(need[w], 1+len(m.byDay[addDays(first, 7*w+d)]))
		}
	}
	for left := lines % weeks; left > 0; left-- {
		best := -1
		for w := range rows {
			if short := need[w] - rows[w]; short > 0 && (best < 0 || short > need[best]-rows[best]) {
				best = w
			}
		}
		if best < 0 {
			break
		}
		rows[best]++
	}
	return rows
}

// monthCell is one day of the month grid: its number, then as many posts as
// fit, then "+N more".
func (m *Model) monthCell(day time.Time, w, rows int) []string {
	today := dayOf(m.c.Now(), m.c.Zone)
	label := strconv.Itoa(day.Day())
	if day.Day() == 1 {
		label += " " + day.Format("Jan")
	}
	if day.Equal(today) {
		label += " today"
		if common.Width(label) > w {
			label = strconv.Itoa(day.Day()) + " today"
		}
	}
	out := make([]string, 0, rows)
	out = append(out, m.dayStyle(day, day.Month() != m.cursor.Month()).Render(common.Fit(m.dayLabel(day, label), w)))
	out = append(out, m.postLines(m.byDay[day], w, rows-1, 0, false)...)
	for len(out) < rows {
		out = append(out, strings.Repeat(" ", w))
	}
	return out
}

// postLines lays posts out in n lines of width w, each post taking one line
// plus up to extra lines of its text (and a blank line between posts when
// spaced), ending with "+N more" when they don't all fit.
func (m *Model) postLines(posts []store.PostSummary, w, n, extra int, spaced bool) []string {
	if n <= 0 || len(posts) == 0 {
		return nil
	}
	shown := len(posts)
	if shown > n {
		shown = n - 1
	}
	var out []string
	for i, p := range posts[:shown] {
		if spaced && i > 0 {
			out = append(out, strings.Repeat(" ", w))
		}
		out = append(out, m.postLine(p, w, extra == 0))
		for _, l := range common.WrapAtMost(common.OneLine(common.Clean(p.Body)), w, extra) {
			out = append(out, m.c.Styles.Text.Render(common.Fit(l, w)))
		}
	}
	if shown < len(posts) {
		if shown == 0 {
			out = append(out, m.c.Styles.Muted.Render(common.Fit(fmt.Sprintf("%d posts", len(posts)), w)))
		} else {
			out = append(out, m.more(len(posts)-shown, w))
		}
	}
	return out
}

// weekTitle names a week: "9 – 15 November 2026", "30 Nov – 6 Dec 2026".
func weekTitle(from time.Time) string {
	to := addDays(from, 6)
	switch {
	case from.Year() != to.Year():
		return from.Format("2 Jan 2006") + " – " + to.Format("2 Jan 2006")
	case from.Month() != to.Month():
		return from.Format("2 Jan") + " – " + to.Format("2 Jan 2006")
	}
	return from.Format("2") + " – " + to.Format("2 January 2006")
}

func (m *Model) weekLines() []string {
	from := weekStartOf(m.cursor, m.c.Settings.WeekStart)
	cols := m.columns()
	today := dayOf(m.c.Now(), m.c.Zone)
	heads := make([]string, 7)
	for i, w := range cols {
		day := addDays(from, i)
		label := day.Format("Mon 2")
		if day.Equal(today) {
			label = "Today " + strconv.Itoa(day.Day())
		}
		heads[i] = m.dayStyle(day, false).Render(common.Fit(m.dayLabel(day, label), w))
	}
	lines := []string{
		m.titleLine(m.title(weekTitle(from)), m.zoneLabel(from, addDays(from, 7))),
		m.joinRow(heads),
		m.rule(cols),
	}
	rows := m.height - 4
	cells := make([][]string, 7)
	for i, w := range cols {
		cells[i] = m.weekColumn(addDays(from, i), w, rows)
	}
	row := make([]string, 7)
	for r := 0; r < rows; r++ {
		for d := range 7 {
			row[d] = cells[d][r]
		}
		lines = append(lines, m.joinRow(row))
	}
	return append(lines, m.legend())
}

// weekTextLines caps the text a post shows in the week view.
const weekTextLines = 8

// weekColumn is one day of the week view: every post with as much of its
// text as the column's height allows, spaced apart when there is room.
func (m *Model) weekColumn(day time.Time, w, rows int) []string {
	posts := m.byDay[day]
	extra, spaced := 0, false
	if n := len(posts); n > 0 {
		// With a blank line between posts, n posts of 1+extra lines take
		// n*(2+extra)-1 lines.
		if per := (rows + 1) / n; per >= 3 {
			extra, spaced = min(per-2, weekTextLines), true
		} else {
			extra = max(min(rows/n-1, weekTextLines), 0)
		}
	}
	out := m.postLines(posts, w, rows, extra, spaced)
	for len(out) < rows {
		out = append(out, strings.Repeat(" ", w))
	}
	return out[:max(rows, 0)]
}
