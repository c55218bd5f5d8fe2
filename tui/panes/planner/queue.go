package planner

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// queueLimit is how many queued copies of an account the queue view reads.
const queueLimit = 200

// freeShown is how many free slots ahead the queue names.
const freeShown = 3

// queueTab is one account's queue at a time.
type queueTab struct {
	account int // index into Common.Accounts
	seq     int
	loaded  bool
	err     error
	sched   store.QueueSchedule
	entries []store.QueueEntry
	free    []time.Time
	cursor  int
	offset  int
}

type queueLoadedMsg struct {
	seq     int
	sched   store.QueueSchedule
	entries []store.QueueEntry
	free    []time.Time
	err     error
}

func (q *queueTab) current(m *Model) (store.Account, bool) {
	if len(m.c.Accounts) == 0 {
		return store.Account{}, false
	}
	q.account = max(0, min(q.account, len(m.c.Accounts)-1))
	return m.c.Accounts[q.account], true
}

func (q *queueTab) load(m *Model) tea.Cmd {
	a, ok := q.current(m)
	if !ok {
		return nil
	}
	q.seq++
	seq, st, now := q.seq, m.c.Store, m.c.Now()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		msg := queueLoadedMsg{seq: seq}
		if msg.sched, msg.err = st.QueueSchedule(ctx, a.ID); msg.err != nil {
			return msg
		}
		if msg.entries, msg.err = st.Queue(ctx, a.ID, now.Add(-24*time.Hour), queueLimit); msg.err != nil {
			return msg
		}
		after := now
		for len(msg.free) < freeShown && len(msg.sched.Slots) > 0 {
			at, err := st.NextFreeSlot(ctx, a.ID, after)
			if errors.Is(err, store.ErrNoFreeSlot) || errors.Is(err, store.ErrNoSlots) {
				break
			}
			if err != nil {
				msg.err = err
				return msg
			}
			msg.free = append(msg.free, at)
			after = at.Add(time.Second)
		}
		return msg
	}
}

func (q *queueTab) onLoaded(m *Model, msg queueLoadedMsg) {
	if msg.seq != q.seq {
		return
	}
	q.loaded, q.err = true, msg.err
	if msg.err == nil {
		q.sched, q.entries, q.free = msg.sched, msg.entries, msg.free
	}
	q.cursor = max(0, min(q.cursor, len(q.entries)-1))
}

func (q *queueTab) key(m *Model, k tea.KeyMsg) tea.Cmd {
	nav, keys := m.c.Nav, m.keys
	a, ok := q.current(m)
	if !ok {
		return nil
	}
	st, now := m.c.Store, m.c.Now()
	entry := func() (store.QueueEntry, bool) {
		if q.cursor < len(q.entries) {
			return q.entries[q.cursor], true
		}
		return store.QueueEntry{}, false
	}
	switch {
	case key.Matches(k, nav.Left):
		q.account = (q.account + len(m.c.Accounts) - 1) % len(m.c.Accounts)
		q.cursor, q.offset, q.loaded = 0, 0, false
		return q.load(m)
	case key.Matches(k, nav.Right):
		q.account = (q.account + 1) % len(m.c.Accounts)
		q.cursor, q.offset, q.loaded = 0, 0, false
		return q.load(m)
	case key.Matches(k, nav.Up):
		q.cursor = max(q.cursor-1, 0)
	case key.Matches(k, nav.Down):
		q.cursor = max(0, min(q.cursor+1, len(q.entries)-1))
	case key.Matches(k, keys.MoveUp, keys.MoveDown):
		e, ok := entry()
		if !ok {
			return nil
		}
		// The store's places count only what can still move.
		place := 0
		for _, o := range q.entries[:q.cursor] {
			if o.State == store.DeliveryQueued && o.DueAt.After(now.Add(30*time.Second)) {
				place++
			}
		}
		to := place + 1
		if key.Matches(k, keys.MoveUp) {
			to = place - 1
			q.cursor = max(q.cursor-1, 0)
		} else {
			q.cursor = min(q.cursor+1, len(q.entries)-1)
		}
		if to < 0 {
			return common.Status("it is first in the queue already", true)
		}
		return func() tea.Msg {
			err := st.MoveInQueue(context.Background(), a.ID, e.DeliveryID, to, now)
			return acted("moved "+common.PostName(e.Text, 24, "the post"), err)
		}
	case key.Matches(k, keys.Shuffle):
		seed := uint64(now.UnixNano())
		return func() tea.Msg {
			err := st.ShuffleQueue(context.Background(), a.ID, rand.New(rand.NewPCG(seed, seed>>7)), now)
			return acted("shuffled the queue of "+accountName(a), err)
		}
	case key.Matches(k, keys.Pause):
		if q.sched.Paused() {
			return func() tea.Msg {
				n, err := st.ResumeQueue(context.Background(), a.ID, now)
				text := "the queue of " + accountName(a) + " runs again"
				if n > 0 {
					text += fmt.Sprintf("; %s whose time passed moved to the next free slots", common.Count(n, "post", "posts"))
				}
				return acted(text, err)
			}
		}
		return func() tea.Msg {
			err := st.PauseQueue(context.Background(), a.ID, now)
			return acted("paused the queue of "+accountName(a)+": its posts wait until p again", err)
		}
	case key.Matches(k, keys.EditSlots):
		m.push(newSlotEditor(m, a, q.sched, nil))
	case key.Matches(k, keys.Suggest):
		return suggestCmd(m, a)
	}
	return nil
}

func (q *queueTab) view(m *Model) []string {
	s := m.c.Styles
	a, ok := q.current(m)
	if !ok {
		return []string{"", s.Muted.Render(m.c.NoAccounts())}
	}
	state := s.Ok.Render("running")
	if q.sched.Paused() {
		state = s.Warn.Render("PAUSED since " + m.when(q.sched.PausedAt) + " (p resumes)")
	}
	title := s.Title.Render(accountName(a)) + s.Muted.Render(fmt.Sprintf(" (%d of %d, ←→ other account)", q.account+1, len(m.c.Accounts)))
	out := []string{common.Spread(title, state, m.width)}
	switch {
	case !q.loaded && q.err == nil:
		return append(out, "", s.Muted.Render("loading…"))
	case q.err != nil:
		return append(out, "", s.Danger.Render("Cannot read the queue: "+common.Clean(q.err.Error())))
	}
	if len(q.sched.Slots) == 0 {
		out = append(out, s.Muted.Render("No weekly slots yet: e sets them (\"Mon-Fri 08:00 12:30, Sat 07:30\"), S suggests some from the best times."))
	} else {
		out = append(out, s.Muted.Render("Weekly slots ("+q.sched.Zone+"): ")+s.Text.Render(FormatSlots(q.sched.Slots)))
		var free []string
		for _, t := range q.free {
			free = append(free, m.when(t))
		}
		if len(free) == 0 {
			free = append(free, "none in the next weeks")
		}
		out = append(out, s.Muted.Render("Next free: ")+s.Text.Render(strings.Join(free, " · ")))
	}
	out = append(out, "")
	if len(q.entries) == 0 {
		return append(out, s.Muted.Render("Nothing queued. In the drafts list, a puts the draft under the cursor in the next free slot."))
	}
	out = append(out, s.Muted.Render("  "+common.Pad("WHEN", 17)+" "+common.Pad("STATE", 7)+" POST"))
	rows := max(m.height-len(out), 1)
	if q.cursor < q.offset {
		q.offset = q.cursor
	}
	if q.cursor >= q.offset+rows {
		q.offset = q.cursor - rows + 1
	}
	for i := q.offset; i < len(q.entries) && i < q.offset+rows; i++ {
		e := q.entries[i]
		state := string(e.State)
		if e.Held {
			state = "held"
		}
		line := common.Pad(m.when(e.DueAt), 17) + " " + common.Pad(state, 7) + " " + common.OneLine(common.Clean(e.Text))
		if i == q.cursor {
			out = append(out, s.Selected.Render(common.Pad("▸ "+common.Truncate(line, m.width-2, "…"), m.width)))
		} else {
			out = append(out, "  "+s.Text.Render(line))
		}
	}
	return out
}

// FormatSlots writes a schedule as ParseQueueSlots reads it, days with the
// same times grouped: "Mon-Fri 08:00 12:30, Sat 07:30".
func FormatSlots(slots []store.QueueSlot) string {
	times := map[time.Weekday][]string{}
	for _, sl := range slots {
		times[sl.Weekday] = append(times[sl.Weekday], fmt.Sprintf("%02d:%02d", sl.Minute/60, sl.Minute%60))
	}
	order := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	var groups []string
	for i := 0; i < len(order); {
		t := strings.Join(times[order[i]], " ")
		j := i + 1
		for j < len(order) && order[j] != time.Sunday && strings.Join(times[order[j]], " ") == t {
			j++
		}
		if t != "" {
			days := order[i].String()[:3]
			if j-i > 1 {
				days += "-" + order[j-1].String()[:3]
			}
			groups = append(groups, days+" "+t)
		}
		i = j
	}
	return strings.Join(groups, ", ")
}
