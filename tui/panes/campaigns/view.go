package campaigns

import (
	"fmt"
	"math"
	"strings"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/sparkline"
)

// summaryLines is how many lines the list's foot gives the chosen
// campaign's figures.
const summaryLines = 5

// wide is the width from which the list adds columns.
const wide = 110

// View draws the topmost view on the stack.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	switch m.top() {
	case modeForm:
		if m.form != nil {
			return m.form.View(m.width, m.height)
		}
	case modePreview:
		return m.previewView()
	case modeMapping:
		return m.mappingView()
	case modeConfirm:
		s := m.c.Styles
		lines := []string{s.Title.Render("Delete this goal?"), "", common.Clean(analytics.Describe(m.doomed))}
		if m.doomedCampaign != nil {
			lines = m.deleteCampaignLines()
		}
		lines = append(lines, "", s.Accent.Render("y deletes it")+s.Muted.Render(" · n or esc keeps it"))
		return m.fit(lines)
	case modePosts:
		return m.pagedView("Posts of "+m.detailName(), m.postsHead(), m.posts.View())
	case modeTrace:
		return m.pagedView("Rows behind the figures of "+m.detailName()+" · "+m.traceWhich(), m.traceHead(), m.trace.View())
	case modeDetail:
		return m.detailView()
	}
	return m.listView()
}

// deleteCampaignLines ask whether to delete m.doomedCampaign, saying what
// stays and what goes with it.
func (m *Model) deleteCampaignLines() []string {
	s, c, f := m.c.Styles, m.doomedCampaign, m.footprint
	say := func(text string) []string { return common.Wrap(text, max(m.width-2, 20)) }
	var lines []string
	for _, l := range say("Delete the campaign " + common.Clean(c.Name) + " (" + c.Slug + ")?") {
		lines = append(lines, s.Title.Render(l))
	}
	lines = append(lines, "")
	lines = append(lines, say("Its "+counted(f.Posts, "post stays", "posts stay")+": nothing in them changes, they just "+
		"leave the campaign (queued ones still go out; links not sent yet are no longer tagged).")...)
	lines = append(lines, say("Its "+counted(f.Rows, "imported row stays", "imported rows stay")+
		", counted in no campaign under the names their sources gave them; its "+
		counted(f.Links, "tagged link stays", "tagged links stay")+", as they were sent.")...)
	goes := "Deleted with it: its " + counted(f.Goals, "goal", "goals")
	if f.MappedNames > 0 {
		goes += ", and the mapping of " + counted(f.MappedNames, "external campaign name", "external campaign names") +
			" to it (the names stay, mapped to none)"
	}
	return append(lines, say(goes+".")...)
}

// counted is n with thousands separated, and the word for it.
func counted(n int, one, many string) string {
	return analytics.Count(store.Known(int64(n))) + " " + common.Plural(n, one, many)
}

func (m *Model) detailName() string {
	if m.detail == nil {
		return "the campaign"
	}
	return common.Clean(m.detail.Campaign.Name)
}

// listHeight is the rows the list gets: all but its header and the
// chosen campaign's figures.
func (m *Model) listHeight() int {
	h := m.height - 1
	if m.height >= 16 {
		h -= summaryLines + 1
	}
	return max(h, 2)
}

func (m *Model) listView() string {
	s := m.c.Styles
	w := m.width
	title := s.Title.Render("Campaigns")
	switch {
	case !m.loaded && m.err != nil:
		return title + "\n" + s.Danger.Render(common.Truncate("Cannot load the campaigns: "+common.Clean(m.err.Error()), w, "…")) +
			"\n" + s.Muted.Render("Press r to try again.")
	case !m.loaded:
		return title + "\n" + s.Muted.Render("Loading…")
	case len(m.items) == 0:
		lines := []string{title, ""}
		for _, l := range common.Wrap("No campaigns yet. Press n to create one (a name, its dates, a budget), a to set a goal, i to import an analytics or ads CSV.", w) {
			lines = append(lines, s.Muted.Render(l))
		}
		return strings.Join(lines, "\n")
	}
	n := 0
	for _, it := range m.items {
		if it.campaign != nil {
			n++
		}
	}
	head := title + s.Muted.Render(" · "+common.Count(n, "campaign", "campaigns")+" · as of "+m.c.Now().In(m.c.Zone).Format("Mon 2 Jan 15:04"))
	hint := "enter opens · n new · i import · x export"
	if w < wide {
		hint = "enter opens · ? keys"
	}
	lines := []string{common.Spread(head, s.Muted.Render(hint), w)}
	lines = append(lines, s.Muted.Render(common.Truncate(m.listHead(), w, "")))
	rows := m.listRows()
	for i := m.offset; i < len(m.items) && i < m.offset+rows; i++ {
		line := m.listLine(m.items[i], w)
		if i == m.cursor {
			line = s.Selected.Render(common.Pad(common.Truncate(line, w, "…"), w))
		}
		lines = append(lines, line)
	}
	if m.height >= 16 {
		for len(lines) < m.height-summaryLines-1 {
			lines = append(lines, "")
		}
		lines = append(lines, s.Muted.Render(strings.Repeat("─", w)))
		lines = append(lines, m.summary(w)...)
	}
	for i, l := range lines {
		lines[i] = common.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}

// columns are the list's column widths at a width: name takes the rest.
type columns struct{ name, dates, state, goal, budget, figures int }

func (m *Model) cols(w int) columns {
	c := columns{dates: 15, state: 7, goal: 15, budget: 17}
	if w >= wide {
		c.figures = max(m.figuresW, common.Width(figuresHead)) // the name gets the rest
	}
	gaps := 2 * 4
	if c.figures > 0 {
		gaps += 2
	}
	c.name = max(w-c.dates-c.state-c.goal-c.budget-c.figures-gaps, 8)
	// A wider spend (in two currencies) takes from the name, which keeps
	// 16 cells.
	if more := min(m.budgetW-c.budget, c.name-16); more > 0 {
		c.budget += more
		c.name -= more
	}
	return c
}

func (m *Model) listHead() string {
	c := m.cols(m.width)
	parts := []string{common.Pad("campaign", c.name), common.Pad("dates", c.dates), common.Pad("state", c.state),
		common.Pad("goal", c.goal), common.Pad("spend of budget", c.budget)}
	if c.figures > 0 {
		parts = append(parts, common.Pad(figuresHead, c.figures))
	}
	return strings.Join(parts, "  ")
}

func (m *Model) listLine(it item, w int) string {
	s := m.c.Styles
	c := m.cols(w)
	if it.goal != nil {
		name := "goal: " + analytics.Describe(it.goal.Goal)
		return common.Pad(common.Truncate(name, c.name+c.dates+c.state+4, "…"), c.name+c.dates+c.state+4) + "  " +
			common.Pad(m.goalShort(*it.goal), c.goal)
	}
	r := it.campaign
	parts := []string{
		common.Pad(common.Truncate(common.Clean(r.Campaign.Name), c.name, "…"), c.name),
		common.Pad(shortDates(r.Campaign), c.dates),
		common.Pad(m.stateText(r.State), c.state),
		common.Pad(m.goalsShort(r.Goals), c.goal),
		common.Pad(m.overBudget(*r, common.Truncate(budgetText(*r), c.budget, "…")), c.budget),
	}
	if c.figures > 0 {
		parts = append(parts, common.Truncate(figuresText(r.Figures), c.figures, "…"))
	}
	_ = s
	return strings.Join(parts, "  ")
}

// figuresHead heads the list's figures column (figuresText).
const figuresHead = "clicks · conv · ROI"

func figuresText(f analytics.Figures) string {
	return analytics.Count(f.LinkClicks) + " · " + analytics.Milli(f.Conversions) + " · " + f.ROI.Percent()
}

func (m *Model) stateText(st store.CampaignState) string {
	s := m.c.Styles
	switch st {
	case store.CampaignRunning:
		return s.Ok.Render(string(st))
	case store.CampaignPlanned:
		return s.Info.Render(string(st))
	}
	return s.Muted.Render(string(st))
}

// shortDates writes a campaign's days as "1 Mar – 31 May".
func shortDates(c store.Campaign) string {
	start, okS := c.Start()
	end, okE := c.End()
	f := func(d store.Day) string { return d.Date().Format("2 Jan") }
	switch {
	case okS && okE:
		return f(start) + " – " + f(end)
	case okS:
		return "from " + f(start)
	case okE:
		return "until " + f(end)
	}
	return "always on"
}

func fullDates(c store.Campaign) string {
	start, okS := c.Start()
	end, okE := c.End()
	switch {
	case okS && okE:
		return start.String() + " – " + end.String()
	case okS:
		return "from " + start.String()
	case okE:
		return "until " + end.String()
	}
	return "no dates (always on)"
}

func budgetText(r analytics.CampaignRow) string {
	b := r.Campaign.Budget()
	if b.Minor <= 0 {
		if len(r.Figures.Spend) == 0 {
			return "no budget"
		}
		return analytics.Sums(r.Figures.Spend) + ", no budget"
	}
	spent := r.Figures.Spend.In(b.Currency)
	out := fmt.Sprintf("%s / %s", spent, b)
	// Spend in another currency is named beside it, not converted.
	for _, a := range r.Figures.Spend {
		if a.Currency != b.Currency && a.Minor != 0 {
			out += " + " + a.String()
		}
	}
	return out
}

// overBudget draws the spend in Warn when it is past the budget.
func (m *Model) overBudget(r analytics.CampaignRow, text string) string {
	if b := r.Campaign.Budget(); b.Minor > 0 && r.Figures.Spend.In(b.Currency).Minor > b.Minor {
		return m.c.Styles.Warn.Render(text)
	}
	return text
}

// goalsShort is a campaign's goals in a few cells: the first one's
// progress and state, and how many more.
func (m *Model) goalsShort(gs []analytics.GoalStatus) string {
	if len(gs) == 0 {
		return m.c.Styles.Muted.Render("no goal")
	}
	out := m.goalShort(gs[0])
	if len(gs) > 1 {
		out += fmt.Sprintf(" +%d", len(gs)-1)
	}
	return out
}

func (m *Model) goalShort(g analytics.GoalStatus) string {
	st := m.goalState(g.State)
	switch g.State {
	case analytics.GoalNoData, analytics.GoalNotStarted:
		return st
	}
	return fmt.Sprintf("%d%% %s", int(math.Round(g.Progress*100)), st)
}

func (m *Model) goalState(st analytics.GoalState) string {
	s := m.c.Styles
	switch st {
	case analytics.GoalReached, analytics.GoalOnTrack:
		return s.Ok.Render(string(st))
	case analytics.GoalBehind:
		return s.Warn.Render(string(st))
	case analytics.GoalMissed:
		return s.Danger.Render(string(st))
	}
	return s.Muted.Render(string(st))
}

// summary is the chosen line's figures, under the list.
func (m *Model) summary(w int) []string {
	s := m.c.Styles
	if m.cursor >= len(m.items) {
		return nil
	}
	it := m.items[m.cursor]
	if it.goal != nil {
		return append([]string{s.Bold.Render("A goal of the business (no campaign)") + s.Muted.Render(" · enter edits")},
			m.goalLines(*it.goal, w)...)
	}
	r := it.campaign
	head := s.Bold.Render(common.Clean(r.Campaign.Name)) + s.Muted.Render(" · "+r.Campaign.Slug+" · "+fullDates(r.Campaign))
	out := []string{head}
	out = append(out, m.figureLines(r.Figures, r.Budget, w)...)
	return out
}

// figureLines are the sums and the ratios, wrapped to w.
func (m *Model) figureLines(f analytics.Figures, budget analytics.Ratio, w int) []string {
	s := m.c.Styles
	sums := []string{
		"link clicks " + analytics.Count(f.LinkClicks),
		"sessions " + analytics.Count(f.Sessions),
		"conversions " + analytics.Milli(f.Conversions),
		"revenue " + analytics.Sums(f.Revenue),
		"spend " + analytics.Sums(f.Spend),
		"impressions " + analytics.Count(f.Impressions),
	}
	ratios := []string{
		"CTR " + f.CTR.Percent(),
		"conv rate " + f.ConversionRate.Percent() + basis(f.ConversionBasis),
		"clk/fol " + f.ClicksPerFollower.Plain(3),
		"CPC " + f.CPC.Money(),
		"CPA " + f.CPA.Money(),
		"ROAS " + f.ROAS.Times(),
		"ROI " + f.ROI.Percent(),
		"budget " + budget.Percent(),
	}
	sep := s.Muted.Render(" · ")
	var out []string
	out = append(out, flow(sums, sep, w)...)
	out = append(out, flow(ratios, sep, w)...)
	return out
}

func basis(b string) string {
	if b == "" {
		return ""
	}
	return " of " + b
}

// flow lays items out on as few lines of w as they fit, sep between.
func flow(items []string, sep string, w int) []string {
	var out []string
	line := ""
	for _, it := range items {
		switch {
		case line == "":
			line = it
		case common.Width(line)+common.Width(sep)+common.Width(it) <= w:
			line += sep + it
		default:
			out = append(out, line)
			line = it
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// goalLines say a goal: what it is, then where it stands and where the
// trend takes it.
func (m *Model) goalLines(g analytics.GoalStatus, w int) []string {
	s := m.c.Styles
	metric := g.Goal.Metric
	val := func(v analytics.Value) string { return analytics.FormatValue(metric, v) }
	what := analytics.Describe(g.Goal)
	var parts []string
	parts = append(parts, "now "+val(g.Current))
	if g.Goal.Relative || g.Baseline.OK {
		parts = append(parts, "baseline "+val(g.Baseline))
	}
	parts = append(parts, "target "+analytics.FormatTarget(metric, g.Target))
	if g.State != analytics.GoalNoData && g.State != analytics.GoalNotStarted {
		parts = append(parts, fmt.Sprintf("%d%% of the way", int(math.Round(g.Progress*100))))
		if g.Projected.OK {
			parts = append(parts, "projected "+val(g.Projected)+" by "+g.Goal.Deadline.String())
		}
	}
	state := m.goalState(g.State)
	switch {
	case g.State == analytics.GoalReached && g.ReachOn != 0:
		state += " on " + g.ReachOn.String()
	case (g.State == analytics.GoalOnTrack || g.State == analytics.GoalBehind) && g.ReachOn != 0:
		state += ": reaches it " + g.ReachOn.String()
	case g.State == analytics.GoalBehind:
		state += ": the trend never reaches it"
	case g.State == analytics.GoalNotStarted:
		state += ": starts " + g.Goal.StartsOn.String()
	}
	parts = append(parts, state)
	out := []string{what}
	out = append(out, flow(parts, s.Muted.Render(" · "), w-2)...)
	if g.Why != "" {
		out = append(out, s.Muted.Render(common.Truncate(g.Why, w-2, "…")))
	}
	for i := 1; i < len(out); i++ {
		out[i] = "  " + out[i]
	}
	return out
}

func (m *Model) detailView() string {
	s := m.c.Styles
	w := m.width
	title := s.Title.Render(m.detailName())
	if m.detail == nil {
		if m.detailErr != nil {
			return title + "\n" + s.Danger.Render(common.Truncate("Cannot load the campaign: "+common.Clean(m.detailErr.Error()), w, "…"))
		}
		return title + "\n" + s.Muted.Render("Loading…")
	}
	body := max(m.height-1, 0)
	hint := common.MoreHint(m.scroll, body, len(m.lines))
	head := title + s.Muted.Render(" · "+m.detail.Campaign.Slug+" · "+string(m.detail.State))
	out := []string{common.Spread(head, s.Muted.Render(hint+"  esc back"), w)}
	end := min(m.scroll+body, len(m.lines))
	out = append(out, m.lines[m.scroll:end]...)
	return strings.Join(out, "\n")
}

// layoutDetail draws the detail into m.lines for the current size.
func (m *Model) layoutDetail() {
	m.lines = m.lines[:0]
	if m.detail == nil || m.width <= 0 {
		return
	}
	s := m.c.Styles
	w := m.width
	d := m.detail
	c := d.Campaign
	add := func(l ...string) { m.lines = append(m.lines, l...) }
	add(fullDates(c) + s.Muted.Render(" · budget ") + budgetLine(d.CampaignRow))
	if a := strings.TrimSpace(c.Audience); a != "" {
		for _, l := range common.WrapAtMost("Audience: "+common.Clean(a), w, 2) {
			add(s.Muted.Render(l))
		}
	}
	add("")
	add(s.Bold.Render("Goals") + s.Muted.Render(" · a adds · ←/→ chooses · o edits · d deletes"))
	if len(d.Goals) == 0 {
		add(s.Muted.Render("  none yet: press a to set one (conversions +15% over the 28 days before…)"))
	}
	for i, g := range d.Goals {
		gl := m.goalLines(g, w-2)
		mark := "  "
		if i == m.goalSel {
			mark = s.Accent.Render("▸ ")
		}
		gl[0] = mark + s.Text.Render(gl[0])
		for j := 1; j < len(gl); j++ {
			gl[j] = "  " + gl[j]
		}
		add(gl...)
	}
	add("")
	add(s.Bold.Render("Figures") + s.Muted.Render(" · t lists the rows they add up"))
	for _, l := range m.figureLines(d.Figures, d.Budget, w-2) {
		add("  " + l)
	}
	// What each ratio divides, so a figure can be checked by hand.
	for _, r := range []struct {
		name string
		r    analytics.Ratio
	}{{"CTR", d.Figures.CTR}, {"conv rate", d.Figures.ConversionRate}, {"clk/fol", d.Figures.ClicksPerFollower},
		{"CPC", d.Figures.CPC}, {"CPA", d.Figures.CPA}, {"ROAS", d.Figures.ROAS}, {"ROI", d.Figures.ROI}} {
		add(s.Muted.Render(common.Truncate("  "+r.name+": "+ratioParts(r.r), w, "…")))
	}
	add("")
	add(s.Bold.Render("Day by day") + s.Muted.Render(m.daysRange()))
	if len(d.Days) == 0 {
		add(s.Muted.Render("  no days yet"))
	} else {
		for _, l := range dayChart(d, w) {
			add(l)
		}
	}
	add("")
	add(s.Bold.Render("Per network"))
	add(s.Muted.Render("  " + netHead(w)))
	for _, n := range d.Networks {
		add("  " + netLine(n, w))
	}
	if len(d.Networks) == 0 {
		add(s.Muted.Render("  nothing reported yet: i imports an analytics or ads CSV"))
	}
	add("")
	add(s.Bold.Render("Per link") + s.Muted.Render(fmt.Sprintf(" · %d with the most clicks of %d", len(d.Links), d.LinkCount)))
	if len(d.Links) > 0 {
		add(s.Muted.Render("  " + analytics.CountingLegend))
	}
	for _, l := range d.Links {
		add("  " + linkLine(l, w-2))
	}
	add("")
	add(s.Bold.Render("Posts") + s.Muted.Render(fmt.Sprintf(" · %s, a line per account · p pages through them", common.Count(d.PostCount, "post", "posts"))))
	for i, p := range d.Posts {
		if i >= 10 {
			add(s.Muted.Render("  … more: press p"))
			break
		}
		add("  " + m.postLine(p, w-2))
	}
	for i, l := range m.lines {
		m.lines[i] = common.Truncate(l, w, "…")
	}
	m.scrollTo(m.scroll)
}

func budgetLine(r analytics.CampaignRow) string {
	b := r.Campaign.Budget()
	if b.Minor <= 0 {
		return "none"
	}
	out := b.String() + ", " + r.Budget.Percent() + " spent (" + r.Figures.Spend.In(b.Currency).String() + ")"
	if r.Budget.Why != "" {
		out += "; " + r.Budget.Why
	}
	return out
}

func ratioParts(r analytics.Ratio) string {
	parts := make([]string, len(r.Parts))
	for i, p := range r.Parts {
		parts[i] = p.Value + " " + p.Label
	}
	out := strings.Join(parts, " ÷ ")
	if !r.OK && r.Why != "" {
		out = "n/a: " + r.Why
	}
	return out
}

func (m *Model) daysRange() string {
	d := m.detail.Days
	if len(d) == 0 {
		return ""
	}
	return " · " + d[0].Day.String() + " – " + d[len(d)-1].Day.String()
}

// spendCurrency is the currency the spend chart draws: the budget's, else
// the first spent.
// dayChart draws the daily chart: a row per series, its smallest and
// largest value on either side, the bars of every row on the same days
// and in the same cells (a bar a day where the width allows, else each
// bar the mean of a run of days).
func dayChart(d *analytics.CampaignDetail, w int) []string {
	cur := spendCurrency(d)
	rows := []struct {
		name   string
		values []float64
		format func(float64) string
	}{
		{name: "link clicks", format: func(v float64) string { return analytics.Count(store.Known(int64(math.Round(v)))) }},
		{name: "conversions", format: func(v float64) string { return analytics.MilliString(int64(math.Round(v * 1000))) }},
		{name: "spend", format: func(v float64) string {
			return money.Amount{Currency: cur, Minor: int64(math.Round(v * math.Pow10(money.Decimals(cur))))}.String()
		}},
	}
	for i := range rows {
		rows[i].values = make([]float64, len(d.Days))
	}
	for i, day := range d.Days {
		rows[0].values[i] = float64(day.Clicks)
		rows[1].values[i] = float64(day.Conversions) / 1000
		rows[2].values[i] = day.Spend.In(cur).Float()
	}
	const labelW = 12
	lefts, rights := make([]string, len(rows)), make([]string, len(rows))
	leftW, rightW := 0, 0
	for i, r := range rows {
		lo, hi := 0.0, 0.0 // from zero, as counts are read
		for _, v := range r.values {
			lo, hi = min(lo, v), max(hi, v)
		}
		lefts[i], rights[i] = r.format(lo), r.format(hi)
		leftW, rightW = max(leftW, common.Width(lefts[i])), max(rightW, common.Width(rights[i]))
	}
	bars := min(len(d.Days), w-2-labelW-leftW-rightW-2)
	if bars < sparkline.MinBars {
		leftW, rightW, lefts, rights = 0, 0, make([]string, len(rows)), make([]string, len(rows))
		bars = max(min(len(d.Days), w-2-labelW), 1)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		line := "  " + common.Pad(r.name, labelW) + common.PadLeft(lefts[i], leftW)
		if leftW > 0 {
			line += " "
		}
		line += sparkline.Render(r.values, sparkline.Options{Width: bars, FromZero: true})
		if rightW > 0 {
			line += " " + rights[i]
		}
		out[i] = line
	}
	return out
}

func spendCurrency(d *analytics.CampaignDetail) string {
	if d.Campaign.Currency != "" {
		return d.Campaign.Currency
	}
	if len(d.Figures.Spend) > 0 {
		return d.Figures.Spend[0].Currency
	}
	return "EUR"
}

func netHead(w int) string {
	if w < wide {
		return fmt.Sprintf("%-10s %7s %7s %11s %6s %9s %7s", "network", "clicks", "conv.", "spend", "CTR", "conv rate", "ROI")
	}
	return common.Truncate(fmt.Sprintf("%-12s %9s %9s %9s %8s %11s %11s %6s %9s %7s", "network", "impr.", "clicks", "sessions",
		"conv.", "revenue", "spend", "CTR", "conv rate", "ROI"), w-2, "")
}

func netLine(n analytics.NetworkFigures, w int) string {
	f := n.Figures
	if w < wide {
		return common.Truncate(fmt.Sprintf("%-10s %7s %7s %11s %6s %9s %7s", common.Truncate(common.NetworkName(n.Source), 10, "…"),
			analytics.Count(f.LinkClicks), analytics.Milli(f.Conversions), analytics.Sums(f.Spend), f.CTR.Percent(),
			f.ConversionRate.Percent(), f.ROI.Percent()), w-2, "…")
	}
	return common.Truncate(fmt.Sprintf("%-12s %9s %9s %9s %8s %11s %11s %6s %9s %7s", common.Truncate(common.NetworkName(n.Source), 12, "…"),
		analytics.Count(f.Impressions), analytics.Count(f.LinkClicks), analytics.Count(f.Sessions), analytics.Milli(f.Conversions),
		analytics.Sums(f.Revenue), analytics.Sums(f.Spend), f.CTR.Percent(), f.ConversionRate.Percent(), f.ROI.Percent()), w-2, "…")
}

func linkLine(l analytics.LinkFigures, w int) string {
	link := ""
	if len(l.Links) > 0 {
		link = l.Links[0].Tagged
	}
	cw := max(12, (w-70)/2)
	// Each number is marked as the rows view marks them: ✓ in the
	// figures, · another source's counts instead (CountingLegend).
	marked := func(text string, c analytics.Counting) string {
		m := c.Mark()
		if m == "" {
			m = " "
		}
		return m + text
	}
	head := fmt.Sprintf("%-10s %s %8s %s %7s conv  CTR %5s  conv %5s  ", common.Truncate(common.NetworkName(l.Source), 10, "…"),
		common.Pad(common.Truncate(common.OneLine(common.Clean(l.Content)), cw, "…"), cw),
		marked(analytics.Count(l.ClicksNum()), l.Counted.Clicks), common.Plural(int(l.Clicks), "click ", "clicks"),
		marked(analytics.Milli(l.ConversionsNum()), l.Counted.Conversions), l.CTR.Percent(), l.ConversionRate.Percent())
	return common.Truncate(head+common.Clean(link), w, "…")
}

func (m *Model) postLine(p store.PostNumbers, w int) string {
	when := p.At.In(m.c.Zone).Format("Mon _2 Jan 15:04")
	nums := fmt.Sprintf("♥%d ↻%d ↩%d · %d %s · %s conv", p.Metrics.Likes, p.Metrics.Reposts, p.Metrics.Replies,
		p.Links.Clicks, common.Plural(int(p.Links.Clicks), "click", "clicks"), analytics.MilliString(p.Links.Conversions))
	nums = common.PadLeft(nums, 34)
	left := when + "  " + common.Pad(common.Truncate(common.NetworkName(p.Platform), 9, "…"), 9) + "  "
	text := common.OneLine(common.Clean(p.Text))
	room := w - common.Width(left) - common.Width(nums) - 2
	if room < 8 {
		return common.Truncate(left+nums, w, "…")
	}
	return left + common.Pad(common.Truncate(text, room, "…"), room) + "  " + nums
}

// renderPost draws a post of the paged list: its networks, and its copies'
// numbers added up.
func (m *Model) renderPost(r postRow, selected bool, w int) string {
	sum := r.copies[0]
	if len(r.copies) > 1 {
		var letters []string
		for _, c := range r.copies {
			l, _ := common.LabelOf(c.Platform)
			letters = append(letters, l.Letter)
		}
		sum.Platform = strings.Join(letters, " ")
		for _, c := range r.copies[1:] {
			sum.Metrics.Likes += c.Metrics.Likes
			sum.Metrics.Reposts += c.Metrics.Reposts
			sum.Metrics.Replies += c.Metrics.Replies
			sum.Links.Clicks += c.Links.Clicks
			sum.Links.Conversions += c.Links.Conversions
		}
	}
	line := m.postLine(sum, w)
	if selected {
		return m.c.Styles.Selected.Render(common.Pad(line, w))
	}
	return line
}

func (m *Model) postsHead() string {
	return common.Pad("when", 18) + common.Pad("networks", 11) + "post · its copies' likes, reposts, replies · what its links brought"
}

// pagedView is a title, a head line and a paged list.
func (m *Model) pagedView(title, head, list string) string {
	s := m.c.Styles
	w := m.width
	lines := []string{common.Spread(s.Title.Render(common.Truncate(title, w-12, "…")), s.Muted.Render("esc back"), w),
		s.Muted.Render(common.Truncate(head, w, "")), ""}
	lines[2] = list
	return strings.Join(lines, "\n")
}

func (m *Model) traceWhich() string {
	if m.traceSource < 0 || m.detail == nil || m.traceSource >= len(m.detail.Networks) {
		return "every network · " + common.Count(m.trace.Total(), "row", "rows")
	}
	return common.NetworkName(m.detail.Networks[m.traceSource].Source) + " · " + common.Count(m.trace.Total(), "row", "rows")
}

func (m *Model) traceHead() string {
	if m.width < wide {
		return "day         network    from       ✓ counted · another source counts instead"
	}
	return "day         network     content       from           ✓ counted  · another source counts instead"
}

// shortClass names a source's kind in a few cells.
func shortClass(c store.MarketingClass) string {
	switch c {
	case store.ClassAnalytics:
		return "analytics"
	case store.ClassAds:
		return "ads"
	case store.ClassSheet:
		return "sheet"
	case store.ClassManual:
		return "typed in"
	}
	return c.String()
}

func (m *Model) renderTrace(t store.TraceRow, selected bool, w int) string {
	mark := func(label string, n store.Num, counted bool, f func(int64) string) string {
		if !n.OK {
			return ""
		}
		c := "·"
		if counted {
			c = "✓"
		}
		return c + label + " " + f(n.V)
	}
	count := func(v int64) string { return analytics.Count(store.Known(v)) }
	amount := func(v int64) string { return money.Amount{Currency: t.Currency, Minor: v}.String() }
	var nums []string
	for _, p := range []string{
		mark("impr", t.Impressions, t.Counted.Impressions, count),
		mark("clicks", t.Clicks, t.Counted.Clicks, count),
		mark("sessions", t.Sessions, t.Counted.Sessions, count),
		mark("conv", t.Conversions, t.Counted.Conversions, analytics.MilliString),
		mark("revenue", t.Revenue, t.Counted.Revenue, amount),
		mark("spend", t.Spend, t.Counted.Spend, amount),
	} {
		if p != "" {
			nums = append(nums, p)
		}
	}
	origin := common.OneLine(common.Clean(t.Origin))
	if t.Line > 0 {
		origin += fmt.Sprintf(":%d", t.Line)
	}
	var line string
	if w < wide {
		line = fmt.Sprintf("%s  %-9s  %-9s  %s  %s", t.Day, common.Truncate(common.NetworkName(t.Source), 9, "…"),
			shortClass(t.Class), strings.Join(nums, " "), origin)
	} else {
		line = fmt.Sprintf("%s  %-10s  %-12s  %-13s  %s  %s", t.Day, common.Truncate(common.NetworkName(t.Source), 10, "…"),
			common.Truncate(common.OneLine(common.Clean(t.Content)), 12, "…"), t.Class, strings.Join(nums, " "), origin)
	}
	line = common.Truncate(line, w, "…")
	if selected {
		return m.c.Styles.Selected.Render(common.Pad(line, w))
	}
	return line
}
