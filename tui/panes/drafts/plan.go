package drafts

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/panes/planner"
)

// The drafts pane hosts the planner (each account's queue and slots, the
// A/B tests, the repeating posts) over its list, and puts drafts into the
// queue's next free slots: from the list (a) and from the composer.

// planKey handles the list's keys that reach the planner or the queue.
func (m *Model) planKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Planner):
		return m.openPlanner(planner.TabQueue), true
	case key.Matches(msg, k.AddToQueue):
		return m.act(func(it store.PostSummary) (tea.Cmd, bool) {
			if it.State != store.PostDraft {
				return common.Status(postName(it.Body)+" is "+string(it.State)+" already: u takes it back to drafts first", true), false
			}
			return addToQueueCmd(m.c, it.ID, postName(it.Body), m.c.Now()), true
		}), true
	case key.Matches(msg, k.ABTest):
		it, ok := m.current()
		if !ok {
			return nil, true
		}
		if it.State != store.PostDraft {
			return common.Status("an A/B test starts from a draft; "+postName(it.Body)+" is "+string(it.State), true), true
		}
		cmd := m.openPlanner(planner.TabTests)
		return tea.Batch(cmd, m.plan.NewTest(it)), true
	case key.Matches(msg, k.Repeat):
		it, ok := m.current()
		if !ok {
			return nil, true
		}
		cmd := m.openPlanner(planner.TabSeries)
		return tea.Batch(cmd, m.plan.Repeat(it)), true
	}
	return nil, false
}

func (m *Model) openPlanner(tab int) tea.Cmd {
	m.plan = planner.New(m.c, tab)
	m.plan.SetSize(m.width, m.height)
	return m.plan.Init()
}

// planUpdate gives the planner what is its: its answers, and every key
// while it is open over the list. ok is false for what the pane handles
// itself (after the planner saw it, for data changes).
func (m *Model) planUpdate(msg tea.Msg) (tea.Cmd, bool) {
	if planner.Owns(msg) {
		if m.plan == nil {
			return nil, true // an answer for a planner closed since
		}
		return m.plan.Update(msg), true
	}
	if m.plan == nil {
		return nil, false
	}
	switch msg.(type) {
	case common.ComposeMsg:
		m.plan = nil // the composer opens in its place
		return nil, false
	case tea.KeyMsg:
		if m.comp != nil {
			return nil, false
		}
		cmd := m.plan.Update(msg)
		if m.plan.Closed() {
			m.plan = nil
			return tea.Batch(cmd, m.reload()), true
		}
		return cmd, true
	case common.DataChangedMsg, common.FocusMsg:
		return tea.Batch(m.plan.Update(msg), m.reload()), true
	}
	if m.comp == nil {
		return m.plan.Update(msg), true // cursor blinks of its fields
	}
	return nil, false
}

// addToQueueCmd puts a draft in the next free slot of each of its accounts.
func addToQueueCmd(c *common.Common, id int64, name string, now time.Time) tea.Cmd {
	st, zone := c.Store, c.Zone
	return func() tea.Msg {
		at, err := st.AddToQueue(context.Background(), id, now)
		if err != nil {
			return actedMsg{id: id, err: err}
		}
		c.Wake()
		held := heldCopies(context.Background(), st, id)
		return actedMsg{id: id, text: name + " added to the queue" + heldNote(c, held) + ": " + slotTimes(c, at, zone)}
	}
}

// slotTimes says when each account's copy goes out, in account order.
func slotTimes(c *common.Common, at map[int64]time.Time, zone *time.Location) string {
	ids := make([]int64, 0, len(at))
	for id := range at {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var parts []string
	for _, id := range ids {
		name := fmt.Sprint("account ", id)
		for _, a := range c.Accounts {
			if a.ID == id {
				name = a.Platform
			}
		}
		parts = append(parts, name+" "+at[id].In(zone).Format("Mon 2 Jan 15:04"))
	}
	return strings.Join(parts, ", ")
}

// addedMsg answers the composer's "add to queue".
type addedMsg struct {
	gen  int
	id   int64
	at   map[int64]time.Time
	err  error
	held []int64 // see queuedMsg
}

// addToQueue saves the draft being written and puts it in the next free
// slot of each of its accounts, then closes as queueing does.
func (m *composer) addToQueue() tea.Cmd {
	now := m.c.Now()
	if !m.unsent() && m.base.ID != 0 && m.base.State != store.PostDraft {
		return common.Status("this post is "+string(m.base.State)+" already: ctrl+s keeps its time", true)
	}
	if m.saving {
		return common.Status("the draft is being saved: press the key again in a moment", true)
	}
	m.refresh()
	if problem := m.contentProblem(); problem != "" {
		m.problem = problem
		return nil
	}
	m.problem = ""
	m.queueing = true // no more keys: the composer closes when the answer lands
	p := m.snapshot()
	p.ScheduledAt, p.ScheduledZone = time.Time{}, ""
	m.dirty, m.saving = false, true
	st, sv, gen, c := m.c.Store, m.saver, m.gen, m.c
	return func() tea.Msg {
		ctx := context.Background()
		r, err := sv.save(ctx, st, p, now)
		if err != nil {
			return addedMsg{gen: gen, id: r.id, err: err}
		}
		at, err := st.AddToQueue(ctx, r.id, now)
		var held []int64
		if err == nil {
			c.Wake()
			held = heldCopies(ctx, st, r.id)
		}
		return addedMsg{gen: gen, id: r.id, at: at, err: err, held: held}
	}
}

// contentProblem is what keeps the post from going out, its time aside.
func (m *composer) contentProblem() string {
	m.keepVersion()
	if strings.TrimSpace(m.main) == "" {
		for i, a := range m.c.Accounts {
			if _, own := m.own[a.ID]; m.selected[i] && !own {
				return "can't queue an empty post: write something first"
			}
		}
	}
	anyTarget := false
	for _, on := range m.selected {
		anyTarget = anyTarget || on
	}
	if !anyTarget {
		return "can't queue: choose at least one account (alt+1…9)"
	}
	if over := m.overLimit(); over != "" {
		return "can't queue: " + over
	}
	for _, p := range m.problems {
		if p.Blocks {
			return "can't queue: " + p.Text
		}
	}
	return ""
}

// onAdded closes the composer as a queued post does, at the earliest of
// its copies' slots.
func (m *composer) onAdded(msg addedMsg) tea.Cmd {
	for _, t := range msg.at {
		if m.queueAt.IsZero() || t.Before(m.queueAt) {
			m.queueAt = t
		}
	}
	return m.onQueued(queuedMsg{gen: msg.gen, id: msg.id, err: msg.err, held: msg.held})
}
