package kpis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/analytics/periods"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/sparkline"
)

// postView is one sent post's numbers over time, opened from the top
// posts.
type postView struct {
	post     store.TopPost
	seq      int
	loaded   bool
	timeline periods.PostTimeline
	// followers is the account's count when the post went out (-1 not
	// known), for its engagement rate.
	followers int
	err       error
	offset    int
}

// postNumbersMsg answers openPost with the same seq.
type postNumbersMsg struct {
	seq       int
	timeline  periods.PostTimeline
	followers int
	err       error
}

// movePick marks the next or previous top post and scrolls it into view.
func (m *Model) movePick(next bool) {
	n := len(m.report.Top)
	if n == 0 {
		return
	}
	switch {
	case m.pick < 0 && next:
		m.pick = 0
	case m.pick < 0:
		m.pick = n - 1
	case next:
		m.pick = (m.pick + 1) % n
	default:
		m.pick = (m.pick - 1 + n) % n
	}
	m.redrawTopPosts()
	if line := m.topLine + m.pick; line < m.offset || line >= m.offset+m.bodyHeight() {
		m.scrollTo(line - m.bodyHeight()/2)
	}
}

// redrawTopPosts draws the top posts again in place (the marked one
// changed), leaving the rest of the laid-out report as it is: a keypress
// does not lay out the heatmap and the comparison again.
func (m *Model) redrawTopPosts() {
	if !m.loaded {
		return
	}
	start := m.topLine - 2 // the title and the column heads
	for i, l := range m.topPosts() {
		if start+i >= 0 && start+i < len(m.lines) {
			m.lines[start+i] = common.Truncate(l, m.width, "…")
		}
	}
}

// openPost opens the marked top post's numbers over time and reads them.
func (m *Model) openPost() tea.Cmd {
	if m.pick < 0 || m.pick >= len(m.report.Top) || m.c.Store == nil {
		return common.Status("pick a top post first with ] or [", true)
	}
	p := m.report.Top[m.pick]
	m.seq++
	m.post = &postView{post: p, seq: m.seq, followers: -1}
	seq, st := m.seq, m.c.Store
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		msg := postNumbersMsg{seq: seq, followers: -1}
		if msg.timeline, msg.err = periods.PostNumbers(ctx, st, p.DeliveryID); msg.err != nil {
			return msg
		}
		rates, err := st.PostRates(ctx, p.AccountID, p.SentAt, p.SentAt.Add(time.Millisecond), 1)
		if err != nil {
			msg.err = err
			return msg
		}
		if len(rates) == 1 {
			msg.followers = rates[0].Followers
		}
		return msg
	})
}

func (m *Model) onPostNumbers(msg postNumbersMsg) {
	if m.post == nil || msg.seq != m.post.seq {
		return
	}
	m.post.loaded, m.post.timeline, m.post.followers, m.post.err = true, msg.timeline, msg.followers, msg.err
}

// postKey handles keys while a post's numbers show.
func (m *Model) postKey(msg tea.KeyMsg) tea.Cmd {
	nav := m.c.Nav
	switch {
	case key.Matches(msg, m.keys.Close):
		m.post = nil
	case key.Matches(msg, m.keys.Reload):
		return m.openPost()
	case key.Matches(msg, nav.Up):
		m.post.offset = max(m.post.offset-1, 0)
	case key.Matches(msg, nav.Down):
		m.post.offset++
	}
	return nil
}

// postViewText draws the open post: what it said, its counters now and
// its engagement rate, and each reading since it went out.
func (m *Model) postViewText() string {
	s := m.c.Styles
	pv := m.post
	p := pv.post
	w := m.width
	lines := []string{common.Spread(s.Title.Render("Post numbers over time"), s.Muted.Render("esc back"), w)}
	lines = append(lines,
		s.Muted.Render(p.Platform+" "+common.Clean(p.Handle)+" · sent "+p.SentAt.In(m.c.Zone).Format("Mon 2 Jan 2006 15:04")))
	lines = append(lines, common.WrapAtMost(common.OneLine(common.Clean(p.Text)), w, 2)...)
	lines = append(lines, "")
	switch {
	case !pv.loaded:
		lines = append(lines, s.Muted.Render("Loading…"))
	case pv.err != nil:
		lines = append(lines, s.Danger.Render("Cannot read its numbers: "+common.Clean(pv.err.Error())), s.Muted.Render("Press r to try again."))
	default:
		lines = append(lines, m.postNumberLines(w)...)
	}
	if pv.offset > 0 && pv.offset < len(lines) {
		lines = append(lines[:1], lines[1+min(pv.offset, len(lines)-2):]...)
	}
	return strings.Join(common.Lines(strings.Join(lines, "\n"), w, m.height), "\n")
}

func (m *Model) postNumberLines(w int) []string {
	s := m.c.Styles
	pv := m.post
	now := pv.post.Metrics
	rate := "not known (no follower count when it went out)"
	if pv.followers > 0 {
		rate = fmt.Sprintf("%s (%s engagements over %s followers)", rateText(float64(now.Engagement())/float64(pv.followers)),
			thousands(now.Engagement()), thousands(pv.followers))
	}
	out := []string{
		s.Text.Render(fmt.Sprintf("Now: %s likes · %s reposts · %s replies · %s quotes", thousands(now.Likes),
			thousands(now.Reposts), thousands(now.Replies), thousands(now.Quotes))),
		s.Muted.Render("Engagement rate: ") + s.Text.Render(rate),
		"",
	}
	rs := pv.timeline.Readings
	if len(rs) == 0 {
		return append(out, s.Muted.Render("No readings kept yet: each sync adds one while the post is recent."))
	}
	eng := make([]float64, len(rs))
	for i, r := range rs {
		eng[i] = float64(r.Engagement())
	}
	sw := min(w, 60)
	out = append(out, s.Muted.Render("Engagement at each reading"),
		s.Accent.Render(sparkline.Render(eng, sparkline.Options{Width: sw, Labels: true, FromZero: true, Format: thousandsF})),
		s.Muted.Render(common.Spread(age(pv.timeline.Hours[0])+" after", age(pv.timeline.Hours[len(rs)-1])+" after", sw)),
		"")
	heads := []string{"After", "When", "Likes", "Reposts", "Replies", "Quotes", "Engagement"}
	rows := [][]string{heads}
	for i := len(rs) - 1; i >= 0; i-- { // the newest first
		r := rs[i]
		rows = append(rows, []string{age(pv.timeline.Hours[i]), r.At.In(m.c.Zone).Format("Mon 2 Jan 15:04"),
			thousands(r.Likes), thousands(r.Reposts), thousands(r.Replies), thousands(r.Quotes), thousands(r.Engagement())})
	}
	widths := make([]int, len(heads))
	for _, r := range rows {
		for c, cell := range r {
			widths[c] = max(widths[c], common.Width(cell))
		}
	}
	for i, r := range rows {
		var b strings.Builder
		for c, cell := range r {
			if c > 1 {
				b.WriteString(common.PadLeft(cell, widths[c]))
			} else {
				b.WriteString(common.Pad(cell, widths[c]))
			}
			b.WriteString("  ")
		}
		line := strings.TrimRight(b.String(), " ")
		if i == 0 {
			line = s.Muted.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// age writes hours since a post went out: "45m", "6h", "3d 4h".
func age(hours float64) string {
	switch {
	case hours < 1:
		return strconv.Itoa(int(hours*60)) + "m"
	case hours < 48:
		return strconv.Itoa(int(hours)) + "h"
	}
	d, h := int(hours)/24, int(hours)%24
	if h == 0 {
		return strconv.Itoa(d) + "d"
	}
	return fmt.Sprintf("%dd %dh", d, h)
}
