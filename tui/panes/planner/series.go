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

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/keys"
)

// nextShown is how many coming posts of a series are listed.
const nextShown = 4

// seriesTab lists the repeating posts with their coming occurrences: the
// running ones, then those stopped, which can run again or be deleted.
type seriesTab struct {
	tabList[seriesItem]
}

type seriesItem struct {
	r    store.Recurrence
	next []store.Occurrence
}

type seriesLoadedMsg = loadedMsg[seriesItem]

func (t *seriesTab) load(m *Model) tea.Cmd {
	st, now := m.c.Store, m.c.Now()
	return t.tabList.load(func(ctx context.Context) ([]seriesItem, error) {
		rs, err := st.Recurrences(ctx, false)
		if err != nil {
			return nil, err
		}
		var items []seriesItem
		for _, r := range rs {
			next, err := st.Occurrences(ctx, r.ID, now, nextShown)
			if err != nil {
				return nil, err
			}
			items = append(items, seriesItem{r: r, next: next})
		}
		return items, nil
	})
}

func (t *seriesTab) key(m *Model, k tea.KeyMsg) tea.Cmd {
	if t.cursor >= len(t.items) || t.step(m.c.Nav, k) {
		return nil
	}
	it := t.items[t.cursor]
	st, now := m.c.Store, m.c.Now()
	switch {
	case key.Matches(k, m.keys.EditOne):
		for _, o := range it.next {
			if o.PostID != 0 {
				m.closed = true // the composer opens in the drafts pane
				id := o.PostID
				return func() tea.Msg { return common.ComposeMsg{PostID: id} }
			}
		}
		return common.Status("the series has no coming post to edit yet", true)
	case key.Matches(k, m.keys.EditSeries):
		return m.pushKept(newSeriesTextForm(m, it.r))
	case key.Matches(k, m.keys.Reschedule):
		return m.pushKept(newLineDialog(m, seriesKeptKey("rule", it.r.ID), "New rule for the series",
			`such as "weekly on Saturday at 07:30 until 2027-03-01" or an RRULE`, "", func(text string) (tea.Cmd, error) {
				p, first, err := readRule(text, m.c.Now(), m.c.Zone)
				if err != nil {
					return nil, err
				}
				zone := m.c.Zone.String()
				return func() tea.Msg {
					ctx := context.Background()
					if _, err := st.RescheduleRecurrence(ctx, it.r.ID, p.RRule, first, zone, now); err != nil {
						return acted("cannot change the rule", err)
					}
					_, err := timing.MaterializeSeries(ctx, st, it.r.ID, now)
					return acted("the series now repeats "+timing.DescribeRule(p.RRule, first, m.c.Zone), err)
				}, nil
			}))
	case key.Matches(k, m.keys.End):
		if stopped(it.r) {
			return common.Status("the series is stopped already: u runs it again, d deletes it", true)
		}
		return func() tea.Msg {
			n, err := st.EndRecurrence(context.Background(), it.r.ID, now)
			return acted(fmt.Sprintf("stopped the series; %s taken back (those edited alone stay); u runs it again",
				common.Count(n, "coming post", "coming posts")), err)
		}
	case key.Matches(k, m.keys.Resume):
		if !stopped(it.r) {
			return common.Status("the series runs: x stops it", true)
		}
		return func() tea.Msg {
			ctx := context.Background()
			if err := st.ResumeRecurrence(ctx, it.r.ID, now); err != nil {
				return acted("cannot run the series again", err)
			}
			n, err := timing.MaterializeSeries(ctx, st, it.r.ID, now)
			return acted(fmt.Sprintf("the series runs again from now: %s made", common.Count(n, "coming post", "coming posts")), err)
		}
	case key.Matches(k, m.keys.Delete):
		if !stopped(it.r) {
			return common.Status("stop the series first (x): its coming posts are taken back, then d deletes it", true)
		}
		name := common.PostName(it.r.Template.Body, 30, "the series")
		m.push(&confirmDialog{question: "Delete the stopped series " + name + "? The posts it made stay as they are.",
			yes: func() tea.Msg {
				return acted("deleted the series "+name, st.DeleteRecurrence(context.Background(), it.r.ID))
			}})
	}
	return nil
}

// stopped is true for a series that makes no more posts.
func stopped(r store.Recurrence) bool { return !r.EndedAt.IsZero() }

// confirmDialog asks yes or no before something that cannot be undone.
type confirmDialog struct {
	question string
	yes      tea.Cmd
}

func (d *confirmDialog) typing() bool { return false }

func (d *confirmDialog) help(k KeyMap) []key.Binding { return []key.Binding{k.Yes, k.Cancel} }

func (d *confirmDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	switch {
	case !ok:
		return nil
	case key.Matches(k, m.keys.Yes):
		m.pop()
		return d.yes
	case key.Matches(k, m.keys.Cancel, m.keys.No):
		m.pop()
	}
	return nil
}

func (d *confirmDialog) view(m *Model) []string {
	s := m.c.Styles
	out := []string{""}
	for _, l := range common.Wrap(d.question, m.width) {
		out = append(out, s.Warn.Render(l))
	}
	return append(out, "", s.Muted.Render("y deletes · n or esc keeps it"))
}

func (t *seriesTab) view(m *Model) []string {
	s := m.c.Styles
	if lines, ok := t.placeholder(s, "the repeating posts", "No repeating posts. In the drafts list, r makes the draft under the cursor repeat."); ok {
		return lines
	}
	out := []string{""}
	for i, it := range t.items {
		loc, err := time.LoadLocation(it.r.Zone)
		if err != nil {
			loc = m.c.Zone
		}
		head := common.PostName(it.r.Template.Body, 40, "(no text)") + "  " + timing.DescribeRule(it.r.Rule, it.r.StartsAt, loc)
		if stopped(it.r) {
			head = "STOPPED " + m.when(it.r.EndedAt) + "  " + head
		}
		if i == t.cursor {
			out = append(out, s.Selected.Render(common.Pad("▸ "+common.Truncate(head, m.width-2, "…"), m.width)))
		} else {
			out = append(out, "  "+s.Text.Render(head))
		}
		out = append(out, m.ownTexts(it.r)...)
		var next []string
		for _, o := range it.next {
			w := m.when(o.OccursAt)
			switch {
			case o.PostID == 0:
				w += " (deleted)"
			case o.EditedAlone:
				w += " (edited alone)"
			}
			next = append(next, w)
		}
		switch {
		case len(next) == 0 && stopped(it.r):
			next = append(next, "none (u runs it again, d deletes it)")
		case len(next) == 0:
			next = append(next, "none made yet")
		case stopped(it.r):
			next[len(next)-1] += " (u runs it again, d deletes it)"
		}
		out = append(out, s.Muted.Render("    next: "+strings.Join(next, " · ")))
	}
	return out
}

// readRule reads a typed rule and finds its first occurrence after now.
func readRule(text string, now time.Time, loc *time.Location) (timing.PlainRule, time.Time, error) {
	p, err := timing.ParsePlainRule(text, loc)
	if err != nil {
		return p, time.Time{}, err
	}
	first, ok, err := p.FirstAfter(now, loc)
	if err != nil {
		return p, first, err
	}
	if !ok {
		return p, first, fmt.Errorf("repeat rule %q has no occurrence in the next 400 days", text)
	}
	return p, first, nil
}

// repeatForm makes a draft repeat on a rule typed in words or as an RRULE.
// It shows the rule it read and the next posts as it is typed.
type repeatForm struct {
	post  store.PostSummary
	input textinput.Model
	err   string
}

// Repeat opens the repeat form for a draft, with what was typed into it
// before a session closed with it open.
func (m *Model) Repeat(p store.PostSummary) tea.Cmd {
	f := &repeatForm{post: p, input: m.c.TextInput("weekly on Saturday at 07:30 until 2027-03-01")}
	f.input.Width = max(m.width-4, 10)
	f.input.Focus()
	return m.pushKept(f)
}

func (f *repeatForm) typing() bool { return true }

func (f *repeatForm) keptKey() string        { return "planner/repeat/" + strconv.FormatInt(f.post.ID, 10) }
func (f *repeatForm) line() *textinput.Model { return &f.input }
func (f *repeatForm) opened() string         { return "" }

// seriesKeptKey names a series' line form (its text, its rule) for
// store.KeepForm.
func seriesKeptKey(what string, id int64) string {
	return "planner/series-" + what + "/" + strconv.FormatInt(id, 10)
}

func (f *repeatForm) help(k KeyMap) []key.Binding {
	return []key.Binding{keys.New("enter", "make it repeat"), k.Cancel}
}

func (f *repeatForm) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if ok && key.Matches(k, m.keys.Cancel) {
		m.pop()
		return nil
	}
	if ok && k.Type == tea.KeyEnter {
		p, first, err := readRule(f.input.Value(), m.c.Now(), m.c.Zone)
		if err != nil {
			f.err = common.WithoutIDs(err.Error()) // the typed rule stays
			return nil
		}
		m.pop()
		m.tab = TabSeries
		st, now, id, zone := m.c.Store, m.c.Now(), f.post.ID, m.c.Zone.String()
		return tea.Batch(keepOnFailure(st, f.keptKey(), lineKept{f}.typed(), common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
			post, err := st.Post(ctx, id)
			if err != nil {
				return acted("cannot read the draft", err)
			}
			_, err = timing.NewSeries(ctx, st, timing.Series{Rule: p.RRule, Start: first, Zone: zone, Template: post}, now)
			return acted(fmt.Sprintf("%s repeats %s, first %s; the draft stays as it is",
				common.PostName(post.Body, 24, "the post"), timing.DescribeRule(p.RRule, first, m.c.Zone),
				first.In(m.c.Zone).Format("Mon 2 Jan 15:04")), err)
		})), m.reload())
	}
	f.err = ""
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return cmd
}

func (f *repeatForm) view(m *Model) []string {
	s := m.c.Styles
	out := []string{s.Title.Render("Repeat ") + s.Text.Render(common.PostName(f.post.Body, 40, "the draft")), "",
		s.Muted.Render(`In words ("weekly on Saturday at 07:30 until 2027-03-01", "every Mon and Thu at 12:00 for 8 times",`),
		s.Muted.Render(`"monthly on the 1st at 09:00") or an RRULE ("FREQ=WEEKLY;BYDAY=SA at 07:30"). Times in ` + m.c.Zone.String() + "."),
		"", "> " + f.input.View(), ""}
	if strings.TrimSpace(f.input.Value()) != "" {
		p, first, err := readRule(f.input.Value(), m.c.Now(), m.c.Zone)
		if err != nil {
			out = append(out, s.Muted.Render(common.Clean(err.Error())))
		} else {
			out = append(out, s.Muted.Render("Reads as: ")+s.Text.Render(timing.DescribeRule(p.RRule, first, m.c.Zone)),
				s.Muted.Render("RRULE: ")+s.Text.Render(p.RRule))
			if rule, err := timing.ParseRule(p.RRule, first, m.c.Zone); err == nil {
				var next []string
				for _, t := range rule.Between(first.Add(-time.Second), first.AddDate(2, 0, 0), nextShown) {
					next = append(next, m.when(t))
				}
				out = append(out, s.Muted.Render("Posts: ")+s.Text.Render(strings.Join(next, " · ")+" …"))
			}
		}
	}
	if f.err != "" {
		out = append(out, "", s.Danger.Render(common.Clean(f.err)))
	}
	return out
}

// ownTextEverywhere reports whether every account of a post has a text of
// its own, so the main text may be empty.
func ownTextEverywhere(p store.Post) bool {
	for _, t := range p.Targets {
		if !t.HasOverride {
			return false
		}
	}
	return len(p.Targets) > 0
}

// lineDialog asks for one line of text and hands it on. A line that done
// refuses (an error) is named under it and stays as typed.
type lineDialog struct {
	key, title, hint string
	start            string // the value it opened with
	input            textinput.Model
	done             func(string) (tea.Cmd, error)
	err              string
}

func newLineDialog(m *Model, key, title, hint, value string, done func(string) (tea.Cmd, error)) *lineDialog {
	d := &lineDialog{key: key, title: title, hint: hint, start: value, input: m.c.TextInput(hint), done: done}
	d.input.Width = max(m.width-4, 10)
	d.input.SetValue(value)
	d.input.CursorEnd()
	d.input.Focus()
	return d
}

func (d *lineDialog) typing() bool { return true }

func (d *lineDialog) keptKey() string        { return d.key }
func (d *lineDialog) line() *textinput.Model { return &d.input }
func (d *lineDialog) opened() string         { return d.start }

func (d *lineDialog) help(k KeyMap) []key.Binding {
	return []key.Binding{keys.New("enter", "save"), k.Cancel}
}

func (d *lineDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.keys.Cancel):
			m.pop()
			return nil
		case k.Type == tea.KeyEnter:
			cmd, err := d.done(d.input.Value())
			if err != nil {
				d.err = common.WithoutIDs(err.Error()) // the typed line stays
				return nil
			}
			m.pop()
			return keepOnFailure(m.c.Store, d.key, lineKept{d}.typed(), cmd)
		}
		d.err = ""
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return cmd
}

func (d *lineDialog) view(m *Model) []string {
	s := m.c.Styles
	out := []string{s.Title.Render(d.title), s.Muted.Render(d.hint), "", "> " + d.input.View()}
	if d.err != "" {
		out = append(out, "", s.Danger.Render(common.Clean(d.err)))
	}
	return out
}
