package planner

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/abtest"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
)

// testsShown is how many of the newest tests the tab reads.
const testsShown = 20

// testsTab lists the A/B tests, the one under the cursor in full: its plan,
// each variant's numbers and the verdict.
type testsTab struct {
	tabList[abtest.Report]
	// selectID puts the cursor on this test after the next load.
	selectID int64
}

type testsLoadedMsg = loadedMsg[abtest.Report]

func (t *testsTab) load(m *Model) tea.Cmd {
	st := m.c.Store
	return t.tabList.load(func(ctx context.Context) ([]abtest.Report, error) {
		tests, err := st.ABTests(ctx)
		if err != nil {
			return nil, err
		}
		var reports []abtest.Report
		for _, x := range tests[:min(len(tests), testsShown)] {
			r, err := abtest.Evaluate(ctx, st, x.ID)
			if err != nil {
				return nil, fmt.Errorf("A/B test %q: %w", x.Name, err)
			}
			reports = append(reports, r)
		}
		return reports, nil
	})
}

func (t *testsTab) onLoaded(msg testsLoadedMsg) {
	if !t.receive(msg) || t.err != nil {
		return
	}
	for i, r := range t.items {
		if r.Test.ID == t.selectID {
			t.cursor = i
		}
	}
	t.selectID = 0
	t.clampCursor()
}

func (t *testsTab) key(m *Model, k tea.KeyMsg) tea.Cmd {
	if t.step(m.c.Nav, k) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Start):
		if t.cursor >= len(t.items) {
			return nil
		}
		return startTestCmd(m, t.items[t.cursor].Test)
	case key.Matches(k, m.keys.Replan):
		if t.cursor >= len(t.items) {
			return nil
		}
		return replanCmd(m, t.items[t.cursor])
	case key.Matches(k, m.keys.End):
		if t.cursor >= len(t.items) {
			return nil
		}
		x := t.items[t.cursor].Test
		if x.State == store.ABEnded {
			return common.Status(fmt.Sprintf("A/B test %q has ended already", x.Name), true)
		}
		st, now := m.c.Store, m.c.Now()
		return func() tea.Msg {
			n, err := st.EndABTest(context.Background(), x.ID, now)
			return acted(fmt.Sprintf("ended A/B test %q; %s not sent yet taken back", x.Name, common.Count(n, "post", "posts")), err)
		}
	}
	return nil
}

// replanCmd draws a planned test's plan again from now, as many rounds as
// it had (three if none), into the slots free today.
func replanCmd(m *Model, r abtest.Report) tea.Cmd {
	x := r.Test
	if x.State != store.ABPlanned {
		return common.Status(fmt.Sprintf("A/B test %q is %s: its plan can't change", x.Name, x.State), true)
	}
	rounds := 0
	for _, p := range r.Plan {
		rounds = max(rounds, p.Round+1)
	}
	if rounds == 0 {
		rounds = 3
	}
	st, now := m.c.Store, m.c.Now()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		plan, err := abtest.PlanTest(ctx, st, x.ID, now.Add(planLead), rounds)
		return acted(fmt.Sprintf("planned A/B test %q again: %s from %s", x.Name, common.Count(rounds, "round", "rounds"), firstAt(plan, m)), err)
	})
}

func firstAt(plan []store.ABPlanSlot, m *Model) string {
	if len(plan) == 0 {
		return "—"
	}
	return m.when(plan[0].At)
}

func startTestCmd(m *Model, x store.ABTest) tea.Cmd {
	if x.State != store.ABPlanned {
		return common.Status(fmt.Sprintf("A/B test %q is %s already", x.Name, x.State), true)
	}
	st, now := m.c.Store, m.c.Now()
	return func() tea.Msg {
		err := st.StartABTest(context.Background(), x.ID, now)
		return acted(fmt.Sprintf("started A/B test %q: its posts are queued as planned", x.Name), err)
	}
}

func (t *testsTab) view(m *Model) []string {
	s := m.c.Styles
	if lines, ok := t.placeholder(s, "the A/B tests", "No A/B tests yet. In the drafts list, b starts one from the draft under the cursor."); ok {
		return lines
	}
	out := []string{""}
	listRows := min(len(t.items), 4)
	start := max(0, min(t.cursor-listRows+1, len(t.items)-listRows))
	for i := start; i < start+listRows; i++ {
		r := t.items[i]
		line := common.Pad(common.Truncate(r.Test.Name, 28, "…"), 28) + " " + common.Pad(r.Test.State, 8) + " " + headline(r)
		if i == t.cursor {
			out = append(out, s.Selected.Render(common.Pad("▸ "+common.Truncate(line, m.width-2, "…"), m.width)))
		} else {
			out = append(out, "  "+s.Text.Render(line))
		}
	}
	out = append(out, "")
	return append(out, reportLines(m, t.items[t.cursor])...)
}

// headline is a test's verdict in one line: on clicks when there are any,
// else on engagement.
func headline(r abtest.Report) string {
	if r.Clicks != nil {
		return "clicks: " + r.Clicks.Summary
	}
	return "engagement: " + r.Engagement.Summary
}

// reportLines draw one test: how it is planned, the plan, each variant's
// numbers and the verdicts.
func reportLines(m *Model, r abtest.Report) []string {
	s := m.c.Styles
	x := r.Test
	pattern := "matched slots on alternating days"
	if x.Pattern == "weeks" {
		pattern = "matched slots in alternating weeks"
	}
	out := []string{s.Bold.Render(common.Clean(x.Name)) + s.Muted.Render(" · "+pattern+" · to "+m.accountNames(x.Accounts))}
	on := "engagement"
	arms := r.Engagement.Arms
	if r.Clicks != nil {
		on, arms = "clicks", r.Clicks.Arms
	}
	textW := max(8, min(26, m.width-70))
	out = append(out, s.Muted.Render(fmt.Sprintf("  %-3s %-*s %5s %5s %8s %9s %7s %6s %6s  %s", "", textW, "VARIANT", "POSTS",
		"SENT", "ENGAGED", "REACHED", "RATE", "CLICKS", "CONV", "P(BEST)")))
	for i, v := range r.Results {
		rate := "—"
		if v.FollowerViews > 0 {
			rate = strconv.FormatFloat(100*float64(v.Engagement)/float64(v.FollowerViews), 'f', 2, 64) + "%"
		}
		best := "—"
		// A variant without views yet has no chance to tell: only the
		// prior's, which reads as a lead it has not earned.
		if i < len(arms) && arms[i].Trials > 0 {
			best = abtest.Percent(arms[i].ProbBest)
		}
		out = append(out, s.Text.Render(fmt.Sprintf("  %-3s %s %5d %5d %8d %9d %7s %6d %6d  %s", v.Label,
			common.Pad(common.Truncate(common.OneLine(common.Clean(v.Body)), textW, "…"), textW), v.Planned, v.Sent,
			v.Engagement, v.FollowerViews, rate, v.Clicks, v.Conversions, best)))
	}
	for _, l := range common.Wrap("posts planned, copies sent (one per account), engagements and followers reached (in the rounds every "+
		"variant has gone out in), clicks and conversions; P(BEST): how probable it is that the variant is best, on "+on, m.width-2) {
		out = append(out, s.Muted.Render("  "+l))
	}
	out = append(out, "")
	verdict := func(name string, v *abtest.Verdict) {
		style := s.Warn
		if v.Winner {
			style = s.Ok
		}
		lines := common.Wrap(name+": "+v.Summary, m.width-2)
		for _, l := range lines {
			out = append(out, "  "+style.Render(l))
		}
	}
	verdict("Engagement per follower reached", &r.Engagement)
	if r.Clicks != nil {
		verdict("Clicks", r.Clicks)
	}
	if r.Conversions != nil {
		verdict("Conversions per click", r.Conversions)
	}
	out = append(out, "")
	rounds := 0
	for _, p := range r.Plan {
		rounds = max(rounds, p.Round+1)
	}
	out = append(out, s.Muted.Render(fmt.Sprintf("Plan, %s (the order turns each round so no variant always has the better day):", common.Count(rounds, "round", "rounds"))))
	out = append(out, planLines(m, r.Plan)...)
	switch x.State {
	case store.ABPlanned:
		out = append(out, "", s.Muted.Render("Planned, not started: s queues its posts as planned; P plans it again into today's free slots."))
	case store.ABRunning:
		out = append(out, "", s.Muted.Render("Running since "+m.when(x.StartedAt)+": x ends it (posts not sent yet are taken back)."))
	}
	return out
}

// planLines write a plan a round a line, under each set of accounts that
// gets its own posts when the accounts' slots differ.
func planLines(m *Model, plan []store.ABPlanSlot) []string {
	s := m.c.Styles
	var order []string
	parts := map[string][]store.ABPlanSlot{}
	for _, p := range plan {
		k := fmt.Sprint(p.Accounts)
		if _, ok := parts[k]; !ok {
			order = append(order, k)
		}
		parts[k] = append(parts[k], p)
	}
	var out []string
	for _, k := range order {
		if len(order) > 1 {
			out = append(out, s.Muted.Render("  in the slots of "+m.accountNames(parts[k][0].Accounts)+":"))
		}
		for _, l := range strings.Split(strings.TrimSpace(abtest.DescribePlan(parts[k], m.c.Zone)), "\n") {
			if l != "" {
				out = append(out, s.Text.Render("  "+l))
			}
		}
	}
	return out
}

// abForm makes an A/B test from a draft: a name, two or more variants of
// the text, how they alternate and how many rounds. enter plans it and
// shows the plan; s then starts it.
type abForm struct {
	post     store.PostSummary
	accounts []int64
	name     textinput.Model
	variants []textinput.Model
	pattern  textinput.Model
	rounds   textinput.Model
	focus    int
	err      string
	busy     bool
	width    int // of the planner, for the fields

	// Once planned: the stored test and its plan, for review.
	testID int64
	test   store.ABTest
	plan   []store.ABPlanSlot
}

// plannedMsg answers the form's "plan it".
type plannedMsg struct {
	test store.ABTest
	plan []store.ABPlanSlot
	err  error
}

// keptKey names the A/B form of a draft for store.KeepForm.
func (f *abForm) keptKey() string { return "planner/ab/" + strconv.FormatInt(f.post.ID, 10) }

// typed is what the form holds, by field ("name", "variant-1"…, "pattern",
// "rounds"), for store.KeepForm; nil while nothing but variant A's text,
// the draft's own, was written, and once the test is planned.
func (f *abForm) typed() map[string]string {
	if !f.typing() {
		return nil
	}
	wrote := false
	for i := 1; i < len(f.variants); i++ {
		wrote = wrote || strings.TrimSpace(f.variants[i].Value()) != ""
	}
	if !wrote && f.variants[0].Value() == f.post.Body {
		return nil
	}
	out := map[string]string{"name": f.name.Value(), "pattern": f.pattern.Value(), "rounds": f.rounds.Value()}
	for i, v := range f.variants {
		out["variant-"+strconv.Itoa(i)] = v.Value()
	}
	return out
}

// restore puts typed (typed) back into the form.
func (f *abForm) restore(c *common.Common, typed map[string]string) {
	f.name.SetValue(typed["name"])
	f.pattern.SetValue(typed["pattern"])
	f.rounds.SetValue(typed["rounds"])
	for i := 0; ; i++ {
		v, ok := typed["variant-"+strconv.Itoa(i)]
		if !ok {
			break
		}
		for len(f.variants) <= i {
			f.variants = append(f.variants, c.TextInput("the text of variant "+string(rune('A'+len(f.variants)))))
		}
		f.variants[i].SetValue(v)
	}
	f.focusField()
}

// NewTest opens the A/B test form for a draft, with what was typed into it
// before a session closed with it open.
func (m *Model) NewTest(p store.PostSummary) tea.Cmd {
	f := &abForm{post: p, name: m.c.TextInput("name"), pattern: m.c.TextInput("days or weeks"), rounds: m.c.TextInput("3"),
		width: m.width}
	for _, c := range p.Copies {
		f.accounts = append(f.accounts, c.AccountID)
	}
	f.name.SetValue(common.Shorten(common.OneLine(p.Body), 30))
	a := m.c.TextInput("the text of variant A")
	a.SetValue(p.Body)
	f.variants = []textinput.Model{a, m.c.TextInput("the text of variant B")}
	f.pattern.SetValue("days")
	f.rounds.SetValue("3")
	f.focus = 2 // variant B: the one to write
	f.focusField()
	return m.pushKept(f)
}

func (f *abForm) fields() []*textinput.Model {
	out := []*textinput.Model{&f.name}
	for i := range f.variants {
		out = append(out, &f.variants[i])
	}
	return append(out, &f.pattern, &f.rounds)
}

func (f *abForm) focusField() {
	for i, in := range f.fields() {
		in.Width = max(f.width-20, 10)
		if i == f.focus {
			in.Focus()
			in.CursorEnd()
		} else {
			in.Blur()
		}
	}
}

func (f *abForm) typing() bool { return f.testID == 0 }

func (f *abForm) help(k KeyMap) []key.Binding {
	if f.testID != 0 {
		return []key.Binding{k.Start, keys.New("esc", "keep it planned")}
	}
	return []key.Binding{keys.New("enter", "plan it"), k.NextField, k.AddVariant, k.Cancel}
}

func (f *abForm) update(m *Model, msg tea.Msg) tea.Cmd {
	if pm, ok := msg.(plannedMsg); ok {
		f.busy = false
		if pm.err != nil && pm.test.ID != 0 {
			// Stored without a plan: the A/B tests view shows it, and P
			// plans it again once slots are free.
			m.pop()
			m.tab, m.tests.selectID = TabTests, pm.test.ID
			return tea.Batch(common.Status(pm.err.Error(), true), m.reload())
		}
		if pm.err != nil {
			f.err = common.WithoutIDs(pm.err.Error())
			return nil
		}
		f.testID, f.test, f.plan = pm.test.ID, pm.test, pm.plan
		return dataChanged
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		in := f.fields()[f.focus]
		var cmd tea.Cmd
		*in, cmd = in.Update(msg)
		return cmd
	}
	if f.testID != 0 { // reviewing the plan
		switch {
		case key.Matches(k, m.keys.Start):
			m.pop()
			m.tab, m.tests.selectID = TabTests, f.testID
			return tea.Batch(startTestCmd(m, f.test), m.reload())
		case key.Matches(k, m.keys.Cancel):
			m.pop()
			m.tab, m.tests.selectID = TabTests, f.testID
			return tea.Batch(common.Status(fmt.Sprintf("A/B test %q is planned; s in the A/B tests view starts it", f.test.Name), false), m.reload())
		}
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Cancel):
		m.pop()
		return nil
	case key.Matches(k, m.keys.NextField):
		f.focus = (f.focus + 1) % len(f.fields())
		f.focusField()
		return nil
	case key.Matches(k, m.keys.PrevField):
		f.focus = (f.focus + len(f.fields()) - 1) % len(f.fields())
		f.focusField()
		return nil
	case key.Matches(k, m.keys.AddVariant):
		if len(f.variants) < 26 {
			f.variants = append(f.variants, m.c.TextInput(fmt.Sprintf("the text of variant %c", 'A'+len(f.variants))))
			f.focus = len(f.variants)
			f.focusField()
		}
		return nil
	case key.Matches(k, m.keys.Save):
		if f.busy {
			return nil
		}
		return f.planCmd(m)
	}
	f.err = ""
	in := f.fields()[f.focus]
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}

// planCmd checks the form, then stores the test and its plan.
func (f *abForm) planCmd(m *Model) tea.Cmd {
	pattern := strings.ToLower(strings.TrimSpace(f.pattern.Value()))
	rounds, err := strconv.Atoi(strings.TrimSpace(f.rounds.Value()))
	switch {
	case pattern != "days" && pattern != "weeks":
		f.err = fmt.Sprintf("Alternate by: write days or weeks, not %q", pattern)
		return nil
	case err != nil || rounds < 1 || rounds > 52:
		f.err = fmt.Sprintf("Rounds: write a number from 1 to 52, not %q", f.rounds.Value())
		return nil
	case len(f.accounts) == 0:
		f.err = "The draft goes to no account: choose one in the composer first."
		return nil
	}
	t := store.ABTest{Name: strings.TrimSpace(f.name.Value()), Pattern: pattern, Zone: m.c.Zone.String(), Source: "posts", Accounts: f.accounts}
	for _, v := range f.variants {
		if body := strings.TrimSpace(v.Value()); body != "" {
			t.Variants = append(t.Variants, store.ABVariant{Body: body})
		}
	}
	if len(t.Variants) < 2 {
		f.err = "Write at least two variants of the text."
		return nil
	}
	f.busy = true
	st, now := m.c.Store, m.c.Now()
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		id, err := st.CreateABTest(ctx, t, now)
		if err != nil {
			return plannedMsg{err: err}
		}
		stored, err := st.ABTest(ctx, id)
		if err != nil {
			return plannedMsg{err: err}
		}
		plan, err := abtest.PlanTest(ctx, st, id, now.Add(planLead), rounds)
		// Without a plan the test stays planned, named in the error: P
		// in the A/B tests view plans it again.
		return plannedMsg{test: stored, plan: plan, err: err}
	})
}

// planLead is how far ahead of now a plan's first post must be: a start
// refuses posts due within seconds.
const planLead = time.Minute

func (f *abForm) view(m *Model) []string {
	s := m.c.Styles
	if f.testID != 0 {
		out := []string{s.Title.Render("A/B test planned: ") + s.Text.Render(common.Clean(f.test.Name)), ""}
		for _, l := range common.Wrap("Each round posts every variant once, at the same time of day, on days (or weeks) next to each other, "+
			"to "+m.accountNames(f.test.Accounts)+", each in free weekly slots of its own queue:", m.width) {
			out = append(out, s.Muted.Render(l))
		}
		out = append(out, planLines(m, f.plan)...)
		for _, v := range f.test.Variants {
			out = append(out, s.Muted.Render("  "+v.Label+": ")+s.Text.Render(common.OneLine(common.Clean(v.Body)))+
				s.Muted.Render(" (links tagged utm_content="+v.UTMContent+")"))
		}
		return append(out, "", s.Bold.Render("s starts it (its posts are queued as above) · esc keeps it planned"))
	}
	label := func(i int, name string) string {
		if i == f.focus {
			return s.Accent.Render("› " + common.Pad(name, 14))
		}
		return s.Muted.Render("  " + common.Pad(name, 14))
	}
	out := []string{s.Title.Render("New A/B test") + s.Muted.Render(" from "+common.PostName(f.post.Body, 30, "the draft")), ""}
	out = append(out, label(0, "Name")+f.name.View())
	for i := range f.variants {
		out = append(out, label(1+i, fmt.Sprintf("Variant %c", 'A'+i))+f.variants[i].View())
	}
	n := len(f.variants)
	out = append(out, label(1+n, "Alternate by")+f.pattern.View()+s.Muted.Render("  (days or weeks)"),
		label(2+n, "Rounds")+f.rounds.View(), "")
	for _, l := range common.Wrap("It posts only in free weekly slots that each of its accounts has ("+m.accountNames(f.accounts)+"). "+
		"enter plans it and shows the plan before anything is queued.", m.width) {
		out = append(out, s.Muted.Render(l))
	}
	if f.busy {
		out = append(out, s.Muted.Render("planning…"))
	}
	if f.err != "" {
		out = append(out, "", s.Danger.Render(common.Clean(f.err)))
	}
	return out
}
