package kpis

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crier-app/crier/analytics/periods"
	"github.com/crier-app/crier/audience"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/sparkline"
)

// insightDays is the period compared with the one before it, and the span
// of the new-followers line.
const insightDays = 30

// fanDays is how far back the top fans are counted.
const fanDays = 90

// insights answer "is it working?" below the report: each figure against
// the period before, when posts do best and the audience writes, the
// competitors beside the business's own accounts, top fans and new
// followers.
type insights struct {
	periods periods.Report
	heat    timing.Heatmap
	// heatAccount is whose history heat reads (0: every account's); tops
	// are each account's best windows when it reads all.
	heatAccount int64
	tops        []accountTop
	compare     audience.Comparison
	fans        []store.Fan
	gains       map[int64][]audience.DayGain
	// topRates are the top posts' engagement rates (engagement over the
	// account's followers when each went out), by delivery; a post with no
	// follower count then has none.
	topRates map[int64]float64
}

// loadInsights reads them; it runs inside the pane's load command.
// The heatmap reads heatAccount's history, or every account's for 0.
func loadInsights(ctx context.Context, st *store.Store, now time.Time, zone *time.Location, top []store.TopPost, heatAccount int64) (insights, error) {
	in := insights{topRates: map[int64]float64{}, heatAccount: heatAccount}
	var err error
	if in.periods, err = periods.ComparePeriods(ctx, st, now, insightDays, zone); err != nil {
		return in, fmt.Errorf("the previous period: %w", err)
	}
	if in.heat, in.tops, err = loadBestTimes(ctx, st, now, zone, heatAccount); err != nil {
		return in, err
	}
	if in.compare, err = audience.Compare(ctx, st, audience.CompareOptions{Now: now, Loc: zone}); err != nil {
		return in, err
	}
	if in.fans, err = audience.TopFans(ctx, st, now, fanDays, 5); err != nil {
		return in, fmt.Errorf("top fans: %w", err)
	}
	if in.gains, err = audience.NewFollowers(ctx, st, now, zone, insightDays); err != nil {
		return in, err
	}
	for _, p := range top {
		rs, err := st.PostRates(ctx, p.AccountID, p.SentAt, p.SentAt.Add(time.Millisecond), 1)
		if err != nil {
			return in, fmt.Errorf("top posts' rates: %w", err)
		}
		if len(rs) == 1 && rs[0].DeliveryID == p.DeliveryID && rs[0].Followers > 0 {
			in.topRates[p.DeliveryID] = rs[0].Rate()
		}
	}
	return in, nil
}

// insightLines draws the insights for the current width.
func (m *Model) insightLines() []string {
	var out []string
	out = append(out, m.periodLines()...)
	out = append(out, "")
	out = append(out, m.heatmapLines()...)
	if len(m.more.compare.Sides) > 0 {
		out = append(out, "")
		out = append(out, m.compareLines()...)
	}
	out = append(out, "")
	out = append(out, m.audienceLines()...)
	return out
}

// changeText writes a change so it reads without colour ("▲ 12%",
// "▼ 0.4 pts" for a rate, "▲ from 0", "="), coloured as good or bad news.
func (m *Model) changeText(name string, c periods.Change) string {
	s := m.c.Styles
	text := changeWords(name, c)
	switch {
	case c.Diff > 0:
		return s.Ok.Render(text)
	case c.Diff < 0:
		return s.Danger.Render(text)
	}
	return s.Muted.Render(text)
}

// changeWords is changeText without the colour.
func changeWords(name string, c periods.Change) string {
	switch {
	case c.Diff == 0:
		return "="
	case name == "engagement rate":
		return fmt.Sprintf("%s %.2f pts", c.Arrow(), math.Abs(100*c.Diff))
	case c.HasPercent:
		return fmt.Sprintf("%s %.0f%%", c.Arrow(), math.Abs(c.Percent))
	}
	return c.Arrow() + " from 0"
}

// shortNames are the period figures' labels where columns are narrow.
var shortNames = map[string]string{
	"engagement per post": "per post",
	"engagement rate":     "rate",
	"new followers":       "new foll.",
}

// periodLines put every figure of the last 30 days beside its change from
// the 30 days before, for all accounts and each one.
func (m *Model) periodLines() []string {
	s := m.c.Styles
	r := m.more.periods
	head := fmt.Sprintf("Last %d days (from %s) against the %d before (from %s)", insightDays,
		r.From.In(m.c.Zone).Format("2 Jan"), insightDays, r.PrevFrom.In(m.c.Zone).Format("2 Jan"))
	out := []string{s.Bold.Render(head)}
	ps := append([]periods.Period{r.Total}, r.Accounts...)
	perRow, colW := m.grid(len(ps))
	var blocks [][]string
	for i, p := range ps {
		title := s.Title.Render("All accounts")
		if i > 0 {
			title = s.Title.Render(p.Account.Platform) + " " + s.Text.Render(common.Clean(p.Account.Handle))
		}
		b := []string{title}
		for _, c := range p.Changes() {
			label := c.Name
			if short, ok := shortNames[label]; ok && colW < roomyColumn {
				label = short
			}
			value, change := s.Muted.Render("–"), s.Muted.Render("–") // unknown: a period without posts
			if c.NowKnown {
				value = s.Text.Render(figure(c.Name, c.Now))
			}
			if c.Known {
				change = m.changeText(c.Name, c.Change)
			}
			b = append(b, common.Spread(s.Muted.Render(label), value+" "+change, colW))
		}
		blocks = append(blocks, b)
	}
	return append(out, inRows(blocks, perRow, colW)...)
}

// figure writes a figure's value as its name calls for.
func figure(name string, v float64) string {
	switch name {
	case "engagement rate":
		return rateText(v)
	case "engagement per post":
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return thousands(int(math.Round(v)))
}

// rateText writes an engagement rate (engagements per follower) as a
// percentage.
func rateText(v float64) string {
	switch {
	case v == 0:
		return "0%"
	case v < 0.001:
		return strconv.FormatFloat(100*v, 'f', 3, 64) + "%"
	}
	return strconv.FormatFloat(100*v, 'f', 2, 64) + "%"
}

// shades draw a cell's rate from low to high; they read without colour.
var shades = []string{"░", "▒", "▓", "█"}

// Heatmap cell marks besides the shades.
const (
	fewMark  = "·" // some posts, too few to say anything
	noneMark = " " // no posts
)

// heatmapLines draw the best-time heatmap: a row per weekday (the week
// starting as configured), a column per hour in the person's zone, with
// the best windows in words and when the audience writes.
func (m *Model) heatmapLines() []string {
	s := m.c.Styles
	h := m.more.heat
	unit := "engagement per post"
	if h.PerFollower {
		unit = "engagement per follower"
	}
	out := []string{s.Bold.Render("Best times to post") + s.Muted.Render(" · ") + s.Text.Render(m.heatWho()) +
		s.Muted.Render(fmt.Sprintf(" (a) · %s, %s since %s, hours in %s", unit,
			common.Count(h.Posts, "post", "posts"), h.From.In(m.c.Zone).Format("2 Jan 2006"), h.Zone))}
	if h.Posts == 0 {
		return append(out, s.Muted.Render("Nothing sent yet: the heatmap fills in as posts go out and their numbers come in."))
	}
	cellW := 2
	if m.width >= 4+24*3 {
		cellW = 3
	}
	// Shades by rank (quarters of the cells with enough posts), so one
	// outstanding hour does not leave every other one at the lowest shade.
	var rates []float64
	for wd := range h.Cells {
		for _, c := range h.Cells[wd] {
			if c.Enough {
				rates = append(rates, c.Rate)
			}
		}
	}
	sort.Float64s(rates)
	axis := strings.Repeat(" ", 4)
	for hr := 0; hr < 24; hr += 3 {
		axis += common.Pad(fmt.Sprintf("%02d", hr), 3*cellW)
	}
	out = append(out, s.Muted.Render(strings.TrimRight(axis, " ")))
	audience := s.Muted.Render("msg ")
	audienceByHour := make([]int, 24)
	for d := range 7 {
		wd := time.Weekday((int(m.c.Settings.WeekStart) + d) % 7)
		var b strings.Builder
		b.WriteString(s.Muted.Render(wd.String()[:3] + " "))
		for hr, c := range h.Cells[wd] {
			audienceByHour[hr] += c.Audience
			if m.heat.counts {
				b.WriteString(s.Accent.Render(cellCount(c, cellW-1, h.MinPosts)) + " ")
				continue
			}
			mark := noneMark
			switch {
			case c.Posts == 0:
			case !c.Enough:
				mark = fewMark
			default:
				mark = shades[rankLevel(c.Rate, rates, len(shades))]
			}
			b.WriteString(s.Accent.Render(strings.Repeat(mark, cellW-1)) + " ")
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	var audHi int
	for _, n := range audienceByHour {
		audHi = max(audHi, n)
	}
	if audHi > 0 {
		var b strings.Builder
		b.WriteString(audience)
		for _, n := range audienceByHour {
			mark := noneMark
			if n > 0 {
				mark = shades[level(float64(n), float64(audHi), len(shades))]
			}
			b.WriteString(s.Info.Render(strings.Repeat(mark, cellW-1)) + " ")
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	legend := fmt.Sprintf("░▒▓█ low to high (quarters) · %s under %d posts · msg: messages to you · #: counts", fewMark, h.MinPosts)
	if m.heat.counts {
		legend = fmt.Sprintf("posts per cell (%s under %d: too few to say; + more than fit) · msg: messages to you · #: shades", fewMark, h.MinPosts)
	}
	out = append(out, common.Wrap(s.Muted.Render(legend), m.width)...)
	out = append(out, m.topLines()...)
	if busy := busiestAudience(h, 3); len(busy) > 0 {
		out = append(out, common.Wrap(s.Text.Render("Your audience writes most: ")+strings.Join(busy, " · "), m.width)...)
	}
	return out
}

// rankLevel is which of n equal parts of sorted v falls in (ties go to
// the highest part they reach).
func rankLevel(v float64, sorted []float64, n int) int {
	if len(sorted) == 0 {
		return 0
	}
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i] > v }) - 1
	return max(0, min(n-1, i*n/len(sorted)))
}

// level puts v on a scale of n steps up to hi.
func level(v, hi float64, n int) int {
	if hi <= 0 {
		return 0
	}
	return max(0, min(n-1, int(v/hi*float64(n))))
}

// busiestAudience names the hours the most inbox items arrived in.
func busiestAudience(h timing.Heatmap, n int) []string {
	type hour struct {
		wd    time.Weekday
		hr, n int
	}
	var hs []hour
	for wd := range h.Cells {
		for hr, c := range h.Cells[wd] {
			if c.Audience > 0 {
				hs = append(hs, hour{time.Weekday(wd), hr, c.Audience})
			}
		}
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].n > hs[j].n })
	var out []string
	for _, x := range hs[:min(n, len(hs))] {
		out = append(out, fmt.Sprintf("%s (%s)", timing.Window{Weekday: x.wd, Start: x.hr, End: x.hr + 1},
			common.Count(x.n, "message", "messages")))
	}
	return out
}

// compareLines put the business's accounts and the competitors side by
// side over the comparison's weeks.
func (m *Model) compareLines() []string {
	s := m.c.Styles
	c := m.more.compare
	out := []string{s.Bold.Render(fmt.Sprintf("You and your competitors, last %d weeks", len(c.Weeks)))}
	perRow, colW := m.grid(len(c.Sides))
	var blocks [][]string
	for _, side := range c.Sides {
		who := "competitor"
		if side.Own {
			who = "yours"
		}
		b := []string{s.Title.Render(side.Platform) + " " + s.Text.Render(common.Clean(side.Handle)) + s.Muted.Render(" "+who)}
		row := func(label, value string) string {
			return common.Spread(s.Muted.Render(label), s.Text.Render(value), colW)
		}
		followers, series := "no data", make([]float64, len(side.Followers))
		for i, f := range side.Followers {
			series[i] = math.NaN()
			if f >= 0 {
				series[i] = float64(f)
				followers = thousands(f)
			}
		}
		// The change over the window, or since the first count within it;
		// none from a first count made on the last day.
		switch from := side.GainedFrom; {
		case from.IsZero() || !from.Before(c.Days[len(c.Days)-1]):
		case from.Equal(c.Days[0]):
			followers += fmt.Sprintf(" (%+d)", side.Gained)
		default:
			followers += fmt.Sprintf(" (%+d since %s)", side.Gained, from.Format("2 Jan"))
		}
		b = append(b,
			row("Followers", followers),
			row("Posts a week", strconv.FormatFloat(side.PostsPerWeek, 'f', 1, 64)),
			row("Engagement per post", strconv.FormatFloat(side.EngagementPerPost, 'f', 1, 64)),
			row("Per follower", rateText(side.PerFollower)),
		)
		busiest := side.Busiest
		if busiest == "" {
			busiest = "—"
		}
		b = append(b, row("Most at", busiest))
		if followers != "no data" {
			b = append(b, s.Accent.Render(sparkline.Render(series, sparkline.Options{Width: colW, Labels: true, Format: thousandsF})),
				m.dateAxis(c.Days[0], c.Days[len(c.Days)-1], colW))
		}
		if len(side.Best) > 0 {
			p := side.Best[0]
			b = append(b, s.Muted.Render("Best: ")+s.Text.Render(thousands(p.Metrics.Engagement())+" "+common.OneLine(common.Clean(p.Text))))
		}
		if side.LastError != "" {
			b = append(b, s.Danger.Render("last read failed: "+common.OneLine(common.Clean(side.LastError))))
		}
		blocks = append(blocks, b)
	}
	return append(out, inRows(blocks, perRow, colW)...)
}

// dateAxis labels a sparkline w cells wide with its first and last days.
func (m *Model) dateAxis(from, to time.Time, w int) string {
	return m.c.Styles.Muted.Render(common.Spread(from.In(m.c.Zone).Format("2 Jan"), to.In(m.c.Zone).Format("2 Jan"), w))
}

// audienceLines list the top fans and each account's new followers by day.
func (m *Model) audienceLines() []string {
	s := m.c.Styles
	var fans []string
	fans = append(fans, s.Bold.Render(fmt.Sprintf("Top fans, last %d days", fanDays)))
	if len(m.more.fans) == 0 {
		fans = append(fans, s.Muted.Render("Nobody wrote to you yet."))
	}
	for i, f := range m.more.fans {
		var what []string
		for _, x := range []struct {
			n        int
			one, any string
		}{{f.Replies, "reply", "replies"}, {f.Mentions, "mention", "mentions"}, {f.Quotes, "quote", "quotes"}, {f.DMs, "DM", "DMs"}} {
			if x.n > 0 {
				what = append(what, common.Count(x.n, x.one, x.any))
			}
		}
		fans = append(fans, fmt.Sprintf("%d. %s %s", i+1, s.Text.Render(common.Clean(f.Handle)),
			s.Muted.Render(strings.Join(what, ", "))))
	}

	var gains []string
	gains = append(gains, s.Bold.Render(fmt.Sprintf("New followers by day, last %d days", insightDays)))
	perRow, colW := m.grid(2)
	if perRow < 2 || m.width < roomyMinWidth {
		perRow, colW = 1, m.width
	}
	shown := false
	for _, a := range m.report.Accounts {
		gs := m.more.gains[a.Account.ID]
		if len(gs) == 0 {
			continue
		}
		vs := make([]float64, len(gs))
		total, known := 0, false
		for i, g := range gs {
			vs[i] = math.NaN()
			if g.Known {
				vs[i], total, known = float64(g.Gained), total+g.Gained, true
			}
		}
		if !known {
			continue
		}
		shown = true
		gains = append(gains,
			common.Spread(s.Title.Render(a.Account.Platform)+" "+s.Text.Render(common.Clean(a.Account.Handle)),
				s.Text.Render(fmt.Sprintf("%+d", total)), colW),
			s.Info.Render(sparkline.Render(vs, sparkline.Options{Width: colW, Labels: true, FromZero: true, Format: thousandsF})),
			m.dateAxis(gs[0].Day, gs[len(gs)-1].Day, colW))
	}
	if !shown {
		gains = append(gains, s.Muted.Render("No follower counts yet (ctrl+r syncs)."))
	}
	if perRow >= 2 {
		return sideBySide([][]string{fans, gains}, colW)
	}
	return append(append(fans, ""), gains...)
}
