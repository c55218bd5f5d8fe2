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
	"github.com/crier-app/crier/tui/components/vlist"
)

// queuePage is how many copies one read of the queue brings: well over a
// screen. The list holds a few pages, never the whole queue.
const queuePage = 100

// freeShown is how many free slots ahead the queue names.
const freeShown = 3

// queueBack is how far back the queue view starts: copies that came due
// while crier was closed (missed) stay on show for a day.
const queueBack = 24 * time.Hour

type queueList = vlist.Model[store.QueueEntry, store.QueueKey]
type queueRequest = vlist.Request[store.QueueKey]

// queueTab is one account's queue at a time, in a virtual list: it knows
// how many copies there are and reads the rows on screen a page at a time.
type queueTab struct {
	account int // index into Common.Accounts
	seq     int
	loaded  bool
	err     error
	sched   store.QueueSchedule
	free    []time.Time
	list    *queueList
	// accountID and from are what the list's pages are read for.
	accountID int64
	from      time.Time
	// sized is false when the list's height may be stale (a resize, a new
	// schedule line): the next update sets it and reads what it lacks.
	sized bool
}

type queueLoadedMsg struct {
	seq       int
	accountID int64
	from      time.Time
	sched     store.QueueSchedule
	total     int
	start     int
	entries   []store.QueueEntry
	cursor    int
	free      []time.Time
	err       error
}

// queuePageMsg answers one of the list's page requests.
type queuePageMsg struct {
	req     queueRequest
	entries []store.QueueEntry
	err     error
}

func newQueueTab(m *Model) queueTab {
	q := queueTab{}
	q.list = vlist.New(store.QueueEntry.Key, m.queueRow, vlist.Options{PageSize: queuePage})
	q.list.SetPlaceholder(func(selected bool, width int) string {
		return m.c.Styles.Muted.Render(common.Pad("  …", width))
	})
	return q
}

func (q *queueTab) current(m *Model) (store.Account, bool) {
	if len(m.c.Accounts) == 0 {
		return store.Account{}, false
	}
	q.account = max(0, min(q.account, len(m.c.Accounts)-1))
	return m.c.Accounts[q.account], true
}

// load reads the account's schedule, how many copies it has queued, the
// page around the cursor and the next free slots.
func (q *queueTab) load(m *Model) tea.Cmd {
	a, ok := q.current(m)
	if !ok {
		return nil
	}
	q.seq++
	seq, st, now, cursor := q.seq, m.c.Store, m.c.Now(), q.list.Cursor()
	if a.ID != q.accountID {
		cursor = 0
	}
	return common.Query(queryTimeout, func(ctx context.Context) tea.Msg {
		msg := queueLoadedMsg{seq: seq, accountID: a.ID, from: now.Add(-queueBack)}
		if msg.sched, msg.err = st.QueueSchedule(ctx, a.ID); msg.err != nil {
			return msg
		}
		if msg.total, msg.err = st.QueueCount(ctx, a.ID, msg.from); msg.err != nil {
			return msg
		}
		msg.cursor = max(0, min(cursor, msg.total-1))
		msg.start = max(0, min(msg.cursor-queuePage/2, msg.total-queuePage))
		if msg.entries, msg.err = st.QueueAt(ctx, a.ID, msg.from, msg.start, queuePage); msg.err != nil {
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
	})
}

func (q *queueTab) onLoaded(m *Model, msg queueLoadedMsg) tea.Cmd {
	if msg.seq != q.seq {
		return nil
	}
	q.loaded, q.err = true, msg.err
	if msg.err != nil {
		return nil
	}
	q.sched, q.free, q.accountID, q.from = msg.sched, msg.free, msg.accountID, msg.from
	q.list.SetSize(m.width, q.listHeight(m))
	q.sized = true
	return q.fetch(m, q.list.SetWindow(msg.total, msg.start, msg.entries, msg.cursor))
}

// listHeight is how many rows of the queue fit under its header lines.
func (q *queueTab) listHeight(m *Model) int {
	header := 1 + 1 + 1 + 1 + 1 // tabs, title, slots, blank, column names
	if len(q.sched.Slots) > 0 {
		header++ // next free slots
	}
	return max(m.height-header, 1)
}

// resize gives the list its height again after the planner's size changed.
func (q *queueTab) resize(m *Model) tea.Cmd {
	if q.sized || !q.loaded {
		return nil
	}
	q.sized = true
	return q.fetch(m, q.list.SetSize(m.width, q.listHeight(m)))
}

// fetch turns the list's page requests into commands.
func (q *queueTab) fetch(m *Model, reqs []queueRequest) tea.Cmd {
	st, account, from := m.c.Store, q.accountID, q.from
	return vlist.Run(reqs, queryTimeout, func(ctx context.Context, req queueRequest) tea.Msg {
		msg := queuePageMsg{req: req}
		anchor := req.Anchor
		switch req.Dir {
		case vlist.First:
			msg.entries, msg.err = st.QueueAt(ctx, account, from, 0, req.Limit)
		case vlist.After:
			msg.entries, msg.err = st.QueuePage(ctx, account, from, &anchor, nil, req.Limit)
		case vlist.Before:
			msg.entries, msg.err = st.QueuePage(ctx, account, from, nil, &anchor, req.Limit)
		case vlist.Last:
			msg.entries, msg.err = st.QueueLast(ctx, account, from, req.Limit)
		}
		return msg
	})
}

func (q *queueTab) onPage(m *Model, msg queuePageMsg) tea.Cmd {
	if msg.err != nil {
		q.list.Fail(msg.req)
		return common.Status("Cannot read the queue: "+msg.err.Error(), true)
	}
	return q.fetch(m, q.list.Receive(msg.req, msg.entries))
}

func (q *queueTab) key(m *Model, k tea.KeyMsg) tea.Cmd {
	nav, keys := m.c.Nav, m.keys
	a, ok := q.current(m)
	if !ok {
		return nil
	}
	st, now := m.c.Store, m.c.Now()
	switch {
	case key.Matches(k, nav.Left, nav.Right):
		step := 1
		if key.Matches(k, nav.Left) {
			step = len(m.c.Accounts) - 1
		}
		q.account = (q.account + step) % len(m.c.Accounts)
		q.loaded = false
		q.list.SetWindow(0, 0, nil, 0)
		return q.load(m)
	case key.Matches(k, keys.MoveUp, keys.MoveDown):
		e, ok := q.list.Selected()
		if !ok {
			return nil
		}
		by, reqs := 1, []queueRequest(nil)
		if key.Matches(k, keys.MoveUp) {
			by = -1
		}
		// The cursor goes with the post; the reload that follows the move
		// reads the page around it.
		if e.State == store.DeliveryQueued && e.DueAt.After(now.Add(30*time.Second)) {
			reqs = q.list.MoveTo(q.list.Cursor() + by)
		}
		return tea.Batch(q.fetch(m, reqs), func() tea.Msg {
			err := st.MoveInQueueBy(context.Background(), a.ID, e.DeliveryID, by, now)
			return acted("moved "+common.PostName(e.Text, 24, "the post"), err)
		})
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
			sending, err := st.PauseQueue(context.Background(), a.ID, now)
			text := "paused the queue of " + accountName(a) + ": its posts wait until p again"
			if sending > 0 {
				text += fmt.Sprintf("; %s being sent right now %s out all the same",
					common.Count(sending, "post", "posts"), common.Plural(sending, "goes", "go"))
			}
			return acted(text, err)
		}
	case key.Matches(k, keys.EditSlots):
		return m.pushKept(newSlotEditor(m, a, q.sched, nil))
	case key.Matches(k, keys.Suggest):
		return suggestCmd(m, a)
	default:
		if handled, reqs := q.list.HandleKey(nav, k); handled {
			return q.fetch(m, reqs)
		}
	}
	return nil
}

// queueRow draws one copy of the queue.
func (m *Model) queueRow(e store.QueueEntry, selected bool, width int) string {
	s := m.c.Styles
	state := string(e.State)
	if e.Held {
		state = "held"
	}
	line := common.Pad(m.when(e.DueAt), 17) + " " + common.Pad(state, 7) + " " + common.OneLine(common.Clean(e.Text))
	if selected {
		return s.Selected.Render(common.Pad("▸ "+common.Truncate(line, width-2, "…"), width))
	}
	return "  " + s.Text.Render(common.Truncate(line, width-2, "…"))
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
	total := q.list.Total()
	if total == 0 {
		return append(out, s.Muted.Render("Nothing queued. In the drafts list, a puts the draft under the cursor in the next free slot."))
	}
	where := fmt.Sprintf("%d of %d", q.list.Cursor()+1, total)
	out = append(out, common.Spread(s.Muted.Render("  "+common.Pad("WHEN", 17)+" "+common.Pad("STATE", 7)+" POST"), s.Muted.Render(where), m.width))
	return append(out, strings.Split(q.list.View(), "\n")...)
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
		for j < len(order) && strings.Join(times[order[j]], " ") == t {
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
