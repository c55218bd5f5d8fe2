package kpis

import (
	"math"
	"strconv"
	"strings"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/sparkline"
)

// Layout sizes, in cells.
const (
	columnGap      = 3  // between account sections side by side
	compactColumn  = 24 // narrowest section in the compact layout
	roomyColumn    = 34 // narrowest section when there is room to spare
	roomyMinWidth  = 100
	roomyMinHeight = 30
	wideTable      = 150 // the top posts name the account, not just the network
)

// View draws the pinned header and the visible part of the report.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.form != nil {
		return m.form.View(m.width, m.height)
	}
	if m.post != nil {
		return m.postViewText()
	}
	out := make([]string, 0, m.height)
	out = append(out, m.header())
	end := min(m.offset+m.bodyHeight(), len(m.lines))
	out = append(out, m.lines[m.offset:end]...)
	return strings.Join(out, "\n")
}

// header names the window and when it was computed, with a hint when there
// is more above or below.
func (m *Model) header() string {
	s := m.c.Styles
	left := s.Title.Render("KPIs")
	if m.loaded {
		r := m.report
		last := r.Days[len(r.Days)-1].In(m.c.Zone)
		left += s.Muted.Render(" · 30 days to " + last.Format("Mon 2 Jan") +
			" · as of " + r.Now.In(m.c.Zone).Format("15:04"))
	}
	hint := common.MoreHint(m.offset, m.bodyHeight(), len(m.lines))
	if hint == "" {
		return common.Truncate(left, m.width, "…")
	}
	return common.Spread(left, s.Muted.Render(hint), m.width)
}

// layout draws the whole report into m.lines for the current size.
func (m *Model) layout() {
	m.lines = m.lines[:0]
	if m.width <= 0 {
		return
	}
	s := m.c.Styles
	switch {
	case !m.loaded && m.err != nil:
		m.lines = append(m.lines,
			s.Danger.Render(common.Truncate("Cannot load the figures: "+common.Clean(m.err.Error()), m.width, "…")),
			s.Muted.Render("Press r to try again."))
	case !m.loaded:
		m.lines = append(m.lines, s.Muted.Render("Loading…"))
	default:
		m.lines = append(m.lines, "")
		if g := m.goalLines(); len(g) > 0 {
			m.lines = append(m.lines, g...)
			m.lines = append(m.lines, "")
		}
		m.lines = append(m.lines, m.sections()...)
		m.lines = append(m.lines, "")
		m.lines = append(m.lines, m.inboxAndListening()...)
		m.lines = append(m.lines, "")
		m.topLine = len(m.lines) + 2 // below the title and the column heads
		m.lines = append(m.lines, m.topPosts()...)
		m.lines = append(m.lines, "")
		m.lines = append(m.lines, m.insightLines()...)
	}
	for i, l := range m.lines {
		m.lines[i] = common.Truncate(l, m.width, "…")
	}
	m.scrollTo(m.offset)
}

func (m *Model) roomy() bool { return m.width >= roomyMinWidth && m.height >= roomyMinHeight }

// grid is how n sections share the width: how many to a row, and how wide
// each is.
func (m *Model) grid(n int) (perRow, colW int) {
	minCol := compactColumn
	if m.roomy() {
		minCol = roomyColumn
	}
	perRow = max(1, min(n, (m.width+columnGap)/(minCol+columnGap)))
	return perRow, (m.width - columnGap*(perRow-1)) / perRow
}

// sections draws the total and each account side by side, as many to a row
// as fit.
func (m *Model) sections() []string {
	r := m.report
	roomy := m.roomy()
	n := 1 + len(r.Accounts)
	perRow, colW := m.grid(n)

	s := m.c.Styles
	blocks := [][]string{m.section(s.Title.Render("All accounts"), r.Total, colW, roomy)}
	for _, a := range r.Accounts {
		title := s.Title.Render(a.Account.Platform) + " " + s.Text.Render(common.Clean(a.Account.Handle))
		blocks = append(blocks, m.section(title, a.KPIFigures, colW, roomy))
	}
	if len(r.Accounts) == 0 {
		blocks[0] = append(blocks[0], "")
		for _, l := range common.Wrap(m.c.NoAccounts(), colW) {
			blocks[0] = append(blocks[0], s.Muted.Render(l))
		}
	}

	return inRows(blocks, perRow, colW)
}

// inRows lays blocks out perRow to a row, side by side in columns colW
// wide, a blank line between rows.
func inRows(blocks [][]string, perRow, colW int) []string {
	var out []string
	for start := 0; start < len(blocks); start += perRow {
		if start > 0 {
			out = append(out, "")
		}
		out = append(out, sideBySide(blocks[start:min(start+perRow, len(blocks))], colW)...)
	}
	return out
}

// sideBySide joins blocks of lines into columns colW wide.
func sideBySide(blocks [][]string, colW int) []string {
	height := 0
	for _, b := range blocks {
		height = max(height, len(b))
	}
	gap := strings.Repeat(" ", columnGap)
	out := make([]string, height)
	for i := range out {
		var line strings.Builder
		for j, b := range blocks {
			if j > 0 {
				line.WriteString(gap)
			}
			cell := ""
			if i < len(b) {
				cell = common.Truncate(b[i], colW, "…")
			}
			line.WriteString(cell)
			if j < len(blocks)-1 {
				line.WriteString(strings.Repeat(" ", max(colW-common.Width(cell), 0)))
			}
		}
		out[i] = strings.TrimRight(line.String(), " ")
	}
	return out
}

// section draws one account's (or the total's) figures in w cells.
func (m *Model) section(title string, f store.KPIFigures, w int, roomy bool) []string {
	s := m.c.Styles
	row := func(label, value string) string { return common.Spread(s.Muted.Render(label), value, w) }
	num := func(n int) string { return s.Text.Render(thousands(n)) }

	followers := s.Muted.Render("no data")
	if f.HasFollowers {
		followers = num(f.Followers)
	}
	perPost := s.Muted.Render("–") // no posts: unknown, not 0
	if f.Posts > 0 {
		perPost = s.Text.Render(strconv.FormatFloat(f.EngagementPerPost(), 'f', 1, 64))
	}

	out := []string{title, row("Followers", followers)}
	if roomy {
		out = append(out,
			row("  change over 7 days", m.change(f.Change7d, f.Has7d)),
			row("  change over 30 days", m.change(f.Change30d, f.Has30d)),
			row("Posts published (30 days)", num(f.Posts)),
			row("Engagements on them", num(f.Engagement)),
			row("Engagement per post", perPost),
			row("Open inbox items", num(f.OpenInbox)),
			"",
		)
	} else {
		out = append(out,
			row("  7d / 30d", m.change(f.Change7d, f.Has7d)+s.Muted.Render(" / ")+m.change(f.Change30d, f.Has30d)),
			row("Posts (30d)", num(f.Posts)),
			row("Engagements", num(f.Engagement)),
			row("Per post", perPost),
			row("Open inbox", num(f.OpenInbox)),
		)
	}

	followersLabel, engagementLabel := "Followers by day", "Engagement by day posted"
	if roomy {
		followersLabel, engagementLabel = "Followers at the end of each day", "Engagement of posts, by day posted"
	}
	byDay := make([]float64, len(f.FollowersByDay))
	for i, v := range f.FollowersByDay {
		byDay[i] = float64(v)
		if i < f.FollowersFrom {
			byDay[i] = math.NaN() // no count yet: drawn blank
		}
	}
	followersLine := s.Muted.Render("no follower counts yet")
	if f.FollowersFrom < len(f.FollowersByDay) {
		followersLine = s.Accent.Render(sparkline.Render(byDay, sparkline.Options{Width: w, Labels: true, Format: thousandsF}))
	}
	counts := func(values []int) string {
		fs := make([]float64, len(values))
		for i, v := range values {
			fs[i] = float64(v)
		}
		return s.Info.Render(sparkline.Render(fs, sparkline.Options{Width: w, Labels: true, FromZero: true, Format: thousandsF}))
	}
	out = append(out, s.Muted.Render(followersLabel), followersLine)
	if roomy {
		out = append(out, s.Muted.Render("Posts published by day"), counts(f.PostsByDay))
	}
	out = append(out, s.Muted.Render(engagementLabel), counts(f.EngagementByDay))
	if days := m.report.Days; len(days) > 0 {
		out = append(out, m.dateAxis(days[0], days[len(days)-1], w))
	}
	return out
}

// change draws a follower change, green when up and red when down.
func (m *Model) change(n int, ok bool) string {
	s := m.c.Styles
	switch {
	case !ok:
		return s.Muted.Render("n/a")
	case n > 0:
		return s.Ok.Render("+" + thousands(n))
	case n < 0:
		return s.Danger.Render(thousands(n))
	}
	return s.Muted.Render("+0")
}

// topPosts draws the table of the window's best posts.
func (m *Model) topPosts() []string {
	s := m.c.Styles
	roomy := m.roomy()
	out := []string{s.Bold.Render("Top posts of the last 30 days, by engagement") + s.Muted.Render(" · [ ] pick one, enter: its numbers over time")}
	if len(m.report.Top) == 0 {
		return append(out, s.Muted.Render("Nothing was published in the last 30 days."))
	}

	heads := []string{"#", "Eng", "Rate", "Lk", "Rp", "Re", "Qt", "Network", "Sent", "Post"}
	dateLayout := "2 Jan"
	if roomy {
		heads = []string{"#", "Engagement", "Rate", "Likes", "Reposts", "Replies", "Quotes", "Network", "Sent", "Post"}
		dateLayout = "Mon 2 Jan 15:04"
	}
	if m.width >= wideTable {
		heads[7] = "Account"
	}
	const post = 9 // the last column takes what is left
	rows := make([][]string, len(m.report.Top))
	for i, p := range m.report.Top {
		network := p.Platform
		if m.width >= wideTable {
			network += " " + common.Clean(p.Handle)
		}
		rank := strconv.Itoa(i + 1)
		if i == m.pick {
			rank = "›" + rank
		}
		rate := "—" // no follower count when it went out
		if r, ok := m.more.topRates[p.DeliveryID]; ok {
			rate = rateText(r)
		}
		rows[i] = []string{
			rank,
			thousands(p.Engagement()),
			rate,
			thousands(p.Metrics.Likes), thousands(p.Metrics.Reposts),
			thousands(p.Metrics.Replies), thousands(p.Metrics.Quotes),
			common.Truncate(network, 28, "…"),
			p.SentAt.In(m.c.Zone).Format(dateLayout),
			common.OneLine(common.Clean(p.Text)),
		}
	}
	widths := make([]int, len(heads))
	for c, h := range heads {
		widths[c] = common.Width(h)
		for _, r := range rows {
			widths[c] = max(widths[c], common.Width(r[c]))
		}
	}
	gap := 2
	fixed := func() int {
		sum := 0
		for c := range post {
			sum += widths[c] + gap
		}
		return sum
	}
	if m.width-fixed() < 20 {
		gap = 1
	}
	widths[post] = max(m.width-fixed(), 1)

	line := func(cells []string, style func(col int) func(...string) string) string {
		var b strings.Builder
		for c, cell := range cells {
			cell = common.Truncate(cell, widths[c], "…")
			pad := strings.Repeat(" ", max(widths[c]-common.Width(cell), 0))
			switch {
			case c == post:
				b.WriteString(style(c)(cell))
			case c < 7: // rank and counts line up on the right
				b.WriteString(pad + style(c)(cell))
			default:
				b.WriteString(style(c)(cell) + pad)
			}
			if c < post {
				b.WriteString(strings.Repeat(" ", gap))
			}
		}
		return b.String()
	}
	out = append(out, line(heads, func(int) func(...string) string { return s.Muted.Render }))
	for _, r := range rows {
		out = append(out, line(r, func(c int) func(...string) string {
			switch c {
			case 1:
				return s.Bold.Render
			case 0, 8:
				return s.Muted.Render
			}
			return s.Text.Render
		}))
	}
	return out
}

// thousands writes n with thousands separators: 12,345.
func thousands(n int) string {
	digits := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return sign + b.String()
}

// thousandsF labels a sparkline: whole numbers with separators, others to a
// tenth.
func thousandsF(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < math.MaxInt32 {
		return thousands(int(v))
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
