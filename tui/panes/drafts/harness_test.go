package drafts

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin on machines without a zone database

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

var berlin = tuitest.Berlin

// frozen is Saturday 24 October 2026, noon in Berlin: the night after, the
// clocks go back from CEST (+2) to CET (+1).
var frozen = time.Date(2026, 10, 24, 12, 0, 0, 0, berlin)

type countingWaker struct{ n atomic.Int32 }

func (w *countingWaker) Wake() { w.n.Add(1) }

// harness drives the pane as the root would (tuitest.Runner): messages in,
// commands run, their messages fed back, status messages kept for checking.
type harness struct {
	t      testing.TB
	m      *Model
	c      *common.Common
	clock  *tuitest.Clock
	run    *tuitest.Runner
	waker  *countingWaker
	status []common.StatusMsg
	edits  int // fixtures are saved a minute apart so lists sort the same every run
}

func newHarness(t testing.TB, w, h int) *harness {
	t.Helper()
	ctx := context.Background()
	st := tuitest.Store(t)
	for _, a := range []store.Account{
		{Platform: store.PlatformMastodon, Handle: "rosebakery", Server: "mastodon.social"},
		{Platform: store.PlatformBluesky, Handle: "rosebakery.bsky.social"},
	} {
		if _, err := st.UpsertAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	clock := tuitest.NewClock(frozen)
	c := tuitest.Common(t, st, clock)
	c.Networks = testNetworks()
	waker := &countingWaker{}
	c.Waker = waker
	m := New(c)
	m.SetSize(w, h)
	hs := &harness{t: t, m: m, c: c, clock: clock, waker: waker}
	hs.run = tuitest.NewRunner(t, clock, hs.send)
	hs.settle(m.Init())
	return hs
}

// send gives the pane one message and returns its command without running it.
func (h *harness) send(msg tea.Msg) tea.Cmd {
	h.t.Helper()
	p, cmd := h.m.Update(msg)
	if p != h.m {
		h.t.Fatalf("Update returned another pane")
	}
	return cmd
}

// keep keeps the status messages among msgs, as the root shows them.
func (h *harness) keep(msgs []tea.Msg) []tea.Msg {
	var rest []tea.Msg
	for _, msg := range msgs {
		if s, ok := msg.(common.StatusMsg); ok {
			h.status = append(h.status, s)
		} else {
			rest = append(rest, msg)
		}
	}
	return rest
}

// collect runs a command and returns the messages it produced, not
// delivered; status messages are kept aside, waits parked on the clock.
func (h *harness) collect(cmd tea.Cmd) []tea.Msg {
	h.t.Helper()
	return h.keep(tuitest.Answers(cmd))
}

// settle runs cmd and everything that follows from it until the pane is
// quiet, its waits (the autosave) ended as they would be.
func (h *harness) settle(cmd tea.Cmd) {
	h.t.Helper()
	h.keep(h.run.Run(cmd))
	h.keep(h.run.FastForward())
}

// do sends a message and settles what follows.
func (h *harness) do(msg tea.Msg) { h.t.Helper(); h.settle(h.send(msg)) }

func (h *harness) lastStatus() common.StatusMsg {
	if len(h.status) == 0 {
		return common.StatusMsg{}
	}
	return h.status[len(h.status)-1]
}

func (h *harness) view() string { return h.m.View() }

func (h *harness) requireInView(want string) {
	h.t.Helper()
	if v := h.view(); !strings.Contains(v, want) {
		h.t.Fatalf("view lacks %q:\n%s", want, v)
	}
}

// Keys as the terminal sends them (tuitest.Key).
func typed(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var (
	keyEnter    = tuitest.Key("enter")
	keyEsc      = tuitest.Key("esc")
	keyTab      = tuitest.Key("tab")
	keyShiftTab = tuitest.Key("shift+tab")
	keySpace    = tuitest.Key("space")
	keyCtrlS    = tuitest.Key("ctrl+s")
	keyCtrlE    = tuitest.Key("ctrl+e")
	keyDown     = tuitest.Key("down")
)

func alt(digit rune) tea.KeyMsg { return tuitest.Key("alt+" + string(digit)) }

// Store fixtures.

func (h *harness) draft(body string, at time.Time, accounts ...store.Account) int64 {
	h.t.Helper()
	p := store.Post{Body: body, ScheduledAt: at}
	if !at.IsZero() {
		p.ScheduledZone = berlin.String()
	}
	for _, a := range accounts {
		p.Targets = append(p.Targets, store.Target{AccountID: a.ID})
	}
	h.edits++
	id, err := h.c.Store.SaveDraft(context.Background(), p, frozen.Add(-time.Hour+time.Duration(h.edits)*time.Minute))
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

func (h *harness) queued(body string, at time.Time) int64 {
	h.t.Helper()
	id := h.draft(body, at, h.c.Accounts...)
	if err := h.c.Store.QueuePost(context.Background(), id, at, berlin.String(), frozen.Add(-time.Hour)); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// markDeliveries puts a queued post's deliveries (and so the post) in a
// state the scheduler would have left them in.
func (h *harness) markDeliveries(id int64, state store.DeliveryState, postState store.PostState, lastError string) {
	h.t.Helper()
	db := h.c.Store.DB()
	if _, err := db.Exec("UPDATE deliveries SET state = ?, last_error = ? WHERE post_id = ?", state, lastError, id); err != nil {
		h.t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE posts SET state = ? WHERE id = ?", postState, id); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) post(id int64) store.Post {
	h.t.Helper()
	p, err := h.c.Store.Post(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) countPosts() int {
	h.t.Helper()
	var n int
	if err := h.c.Store.DB().QueryRow("SELECT count(*) FROM posts").Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) dueTimes(id int64) []time.Time {
	h.t.Helper()
	rows, err := h.c.Store.DB().Query("SELECT due_at FROM deliveries WHERE post_id = ? ORDER BY account_id", id)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var ms int64
		if err := rows.Scan(&ms); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, time.UnixMilli(ms).UTC())
	}
	return out
}

func (h *harness) deliveries(id int64) []store.Delivery {
	h.t.Helper()
	ds, err := h.c.Store.PostDeliveries(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return ds
}

func (h *harness) delivery(id, account int64) store.Delivery {
	h.t.Helper()
	for _, d := range h.deliveries(id) {
		if d.AccountID == account {
			return d
		}
	}
	h.t.Fatalf("post %d has no delivery for account %d", id, account)
	return store.Delivery{}
}

func equalDeliveries(a, b []store.Delivery) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// markCopy puts one account's copy of a post in a state, as the scheduler
// would leave it (a sent copy went out 7 minutes late).
func (h *harness) markCopy(id, account int64, state store.DeliveryState, lastError string) {
	h.t.Helper()
	var sentAt any
	if state == store.DeliverySent {
		sentAt = h.post(id).ScheduledAt.Add(7 * time.Minute).UnixMilli()
	}
	if _, err := h.c.Store.DB().Exec("UPDATE deliveries SET state = ?, last_error = ?, sent_at = ? WHERE post_id = ? AND account_id = ?",
		state, lastError, sentAt, id, account); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) setPostState(id int64, state store.PostState) {
	h.t.Helper()
	if _, err := h.c.Store.DB().Exec("UPDATE posts SET state = ? WHERE id = ?", state, id); err != nil {
		h.t.Fatal(err)
	}
}

func t0ctx() context.Context { return context.Background() }
