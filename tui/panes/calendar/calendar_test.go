package calendar

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	_ "time/tzdata" // the tests need Europe/Berlin wherever they run

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/postcopy"
	"github.com/crier-app/crier/tui/tuitest"
)

var berlin = tuitest.Berlin

// now is Thursday 22 October 2026, 10:20 in Berlin (CEST); the clocks go
// back to CET on Sunday the 25th.
var now = time.Date(2026, 10, 22, 10, 20, 0, 0, berlin)

func berlinAt(y int, mo time.Month, d, h, min int) time.Time {
	return time.Date(y, mo, d, h, min, 0, 0, berlin)
}

type wakeCounter struct{ n atomic.Int32 }

func (w *wakeCounter) Wake() { w.n.Add(1) }

type fixture struct {
	c      *common.Common
	clock  *tuitest.Clock
	st     *store.Store
	waker  *wakeCounter
	accMas int64
	accBsk int64
	accSbx int64
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	st := tuitest.Store(t)
	f := &fixture{st: st, waker: &wakeCounter{}, clock: tuitest.NewClock(now)}
	for _, a := range []struct {
		id       *int64
		platform string
		handle   string
	}{
		{&f.accMas, store.PlatformMastodon, "crumbs@bakery.social"},
		{&f.accBsk, store.PlatformBluesky, "crumbs.bsky.social"},
		{&f.accSbx, store.PlatformSandbox, "sandbox"},
	} {
		id, err := st.UpsertAccount(ctx, store.Account{Platform: a.platform, Handle: a.handle})
		if err != nil {
			t.Fatal(err)
		}
		*a.id = id
	}
	f.c = tuitest.Common(t, st, f.clock)
	f.c.Accounts = nil // the pane reads the store, not the account list
	f.c.Waker = f.waker
	return f
}

// post adds a post for the accounts at when in the given state. Queued and
// later states go through QueuePost; sent, failed and missed are then set on
// the rows as the scheduler would leave them.
func (f *fixture) post(t *testing.T, state store.PostState, when time.Time, body string, lastErr string, accounts ...int64) int64 {
	t.Helper()
	ctx := context.Background()
	p := store.Post{Body: body, ScheduledAt: when, ScheduledZone: berlin.String()}
	for _, a := range accounts {
		p.Targets = append(p.Targets, store.Target{AccountID: a})
	}
	id, err := f.st.SaveDraft(ctx, p, now.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if state == store.PostDraft {
		return id
	}
	if err := f.st.QueuePost(ctx, id, when, berlin.String(), now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if state == store.PostQueued {
		return id
	}
	db := f.st.DB()
	var sentAt any
	if state == store.PostSent {
		sentAt = when.UnixMilli()
	}
	if _, err := db.ExecContext(ctx, "UPDATE deliveries SET state = ?, last_error = ?, sent_at = ? WHERE post_id = ?",
		string(state), lastErr, sentAt, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "UPDATE posts SET state = ? WHERE id = ?", string(state), id); err != nil {
		t.Fatal(err)
	}
	return id
}

// seeded holds the ids of the standard set of posts.
type seeded struct {
	sent, failed, missed, today, draft, sat int64
	busy                                    []int64
}

// seed fills the month around now with posts in every state.
func (f *fixture) seed(t *testing.T) seeded {
	var s seeded
	m, b, x := f.accMas, f.accBsk, f.accSbx
	s.sent = f.post(t, store.PostSent, berlinAt(2026, 10, 19, 9, 0),
		"Monday loaves are out: rye, spelt and the seeded sourdough everyone asks about.", "", m, b)
	s.failed = f.post(t, store.PostFailed, berlinAt(2026, 10, 20, 12, 30),
		"Lunch menu: leek tart, tomato soup and a slice of plum cake for dessert.",
		"HTTP 422: Validation failed: Text character limit of 500 exceeded", m)
	s.missed = f.post(t, store.PostMissed, berlinAt(2026, 10, 21, 8, 0),
		"Early bird special until 9: coffee and a croissant for 3.50.", "", b)
	s.today = f.post(t, store.PostQueued, berlinAt(2026, 10, 22, 11, 0),
		"🥐 Croissant day! 今日はクロワッサンの日 — come by after 2pm for the second batch.", "", m, b)
	s.draft = f.post(t, store.PostDraft, berlinAt(2026, 10, 23, 11, 0),
		"Draft: pumpkin bread \x1b[31mis back\x1b[0m next week?\x07", "", x)
	s.sat = f.post(t, store.PostQueued, berlinAt(2026, 10, 24, 9, 30),
		"Saturday market stall: find us by the fountain from 8 until we sell out.", "", m, b, x)
	for i, text := range []string{
		"Morning buns, still warm.",
		"Coffee refill is free today.",
		"Sandwich of the day: brie, fig and walnut on our seeded rye.",
		"Staff pick: the hazelnut cinnamon knot.",
		"Half-price bread after 4 so nothing goes to waste.",
		"Tomorrow's pre-orders close at 6.",
		"Closing soon: last call for loaves.",
		"Thank you for a busy Tuesday!",
	} {
		id := f.post(t, store.PostQueued, berlinAt(2026, 10, 27, 8+i*2, 0), text, "", m)
		s.busy = append(s.busy, id)
	}
	f.post(t, store.PostQueued, berlinAt(2026, 11, 2, 9, 0), "November opening hours: 7 to 18, Sundays 8 to 13.", "", m, b)
	return s
}

// halfSent adds a post on Tuesday 20th at 10:00 whose Mastodon copy went
// out 7 minutes late (with counters and a link) and whose Bluesky copy, with
// a text of its own, the server refused; it carries a photo.
func (f *fixture) halfSent(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	at := berlinAt(2026, 10, 20, 10, 0)
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plum-cake.png")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	id, err := f.st.SaveDraft(ctx, store.Post{Body: "Plum cake season: the first trays are out of the oven at 10, with cream if you ask nicely.",
		ScheduledAt: at, ScheduledZone: berlin.String(),
		Targets: []store.Target{{AccountID: f.accMas}, {AccountID: f.accBsk, BodyOverride: "Plum cake season 🍰 first trays at 10!", HasOverride: true}},
		Media:   []store.Media{{Path: path, Mime: "image/png", AltText: "Three plum cakes cooling on a rack"}}}, now.Add(-72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.QueuePost(ctx, id, at, berlin.String(), now.Add(-72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	db := f.st.DB()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE deliveries SET state = 'sent', sent_at = ?, remote_url = 'https://bakery.social/@crumbs/113', likes = 12, reposts = 3, replies = 2, metrics_at = ? WHERE post_id = ? AND account_id = ?",
			[]any{at.Add(7 * time.Minute).UnixMilli(), now.UnixMilli(), id, f.accMas}},
		{"UPDATE deliveries SET state = 'failed', last_error = 'Invalid app.bsky.feed.post record: Record/embed/images/0/image should be a blob ref (HTTP 400)' WHERE post_id = ? AND account_id = ?",
			[]any{id, f.accBsk}},
		{"UPDATE posts SET state = 'failed' WHERE id = ?", []any{id}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// pane is the calendar driven as the root would: its own answers go back
// to it; what it says to others (a status, the composer, data changed) is
// returned.
type pane struct {
	*Model
	run *tuitest.Runner
}

// newModel builds the pane at a size and loads it.
func newModel(t *testing.T, f *fixture, w, h int) *pane {
	t.Helper()
	m := New(f.c)
	p := &pane{Model: m, run: tuitest.NewRunner(t, f.clock, func(msg tea.Msg) tea.Cmd {
		_, cmd := m.Update(msg)
		return cmd
	})}
	p.run.Deliver = tuitest.OwnMessages(m)
	m.SetSize(w, h)
	p.feed(m.Init())
	return p
}

// feed runs cmd and what follows, and returns the messages for others.
func (p *pane) feed(cmd tea.Cmd) []tea.Msg { return p.run.Run(cmd) }

// press sends keys (tuitest.Key) one by one, each run to the end, and
// returns the messages for others.
func (p *pane) press(keys ...string) []tea.Msg { return p.run.Press(keys...) }

// typeText sends keys to the open move field without running the field's
// cursor-blink commands (which wait on a timer).
func typeText(m *pane, keys ...tea.KeyMsg) {
	for _, k := range keys {
		m.Update(k)
	}
}

func day(y int, mo time.Month, d int) time.Time { return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC) }

func requireCursor(t *testing.T, m *pane, want time.Time) {
	t.Helper()
	if !m.cursor.Equal(want) {
		t.Fatalf("cursor on %s, want %s", m.cursor.Format("Mon 2006-01-02"), want.Format("Mon 2006-01-02"))
	}
}

func statusOf(msgs []tea.Msg) (common.StatusMsg, bool) {
	for _, msg := range msgs {
		if s, ok := msg.(common.StatusMsg); ok {
			return s, true
		}
	}
	return common.StatusMsg{}, false
}

func TestNavigationAcrossMonths(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	m := newModel(t, f, 80, 21)
	requireCursor(t, m, day(2026, 10, 22))

	m.press("l", "right", "right", "right", "right", "right", "right", "right", "right")
	requireCursor(t, m, day(2026, 10, 31))
	m.press("l")
	requireCursor(t, m, day(2026, 11, 1))
	if !strings.Contains(m.View(), "November 2026") {
		t.Fatalf("after moving into November the grid shows:\n%s", m.View())
	}
	// The November grid (Mon 26 Oct .. Sun 6 Dec) was loaded.
	if !m.loadedFrom.Equal(day(2026, 10, 26)) || !m.loadedTo.Equal(day(2026, 12, 7)) {
		t.Fatalf("loaded %s..%s", m.loadedFrom, m.loadedTo)
	}
	m.press("k")
	requireCursor(t, m, day(2026, 10, 25))
	m.press("down", "j")
	requireCursor(t, m, day(2026, 11, 8))
	m.press("h", "left")
	requireCursor(t, m, day(2026, 11, 6))

	// Months of different lengths: 31 Jan -> 28 Feb.
	m.press("G")
	requireCursor(t, m, day(2026, 11, 30))
	m.press("pgup")
	requireCursor(t, m, day(2026, 10, 30))
	m.press("g")
	requireCursor(t, m, day(2026, 10, 1))
	m.press("pgdown", "pgdown", "pgdown", "G", "pgdown")
	requireCursor(t, m, day(2027, 2, 28))

	m.press("t")
	requireCursor(t, m, day(2026, 10, 22))
	if !strings.Contains(m.View(), "October 2026") {
		t.Fatal("t did not bring back October")
	}
}

func TestWeekStartSunday(t *testing.T) {
	f := newFixture(t)
	f.c.Settings.WeekStart = time.Sunday
	m := newModel(t, f, 80, 21)
	if !m.loadedFrom.Equal(day(2026, 9, 27)) || !m.loadedTo.Equal(day(2026, 11, 1)) {
		t.Fatalf("October with Sunday weeks loaded %s..%s", m.loadedFrom, m.loadedTo)
	}
	if lines := strings.Split(m.View(), "\n"); !strings.HasPrefix(lines[1], "Sunday") {
		t.Fatalf("header starts %q", lines[1])
	}
}

func TestToggleWeekView(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	m := newModel(t, f, 120, 37)
	m.press("v")
	if m.mode != weekView {
		t.Fatal("v did not switch to the week view")
	}
	if !m.loadedFrom.Equal(day(2026, 10, 19)) || !m.loadedTo.Equal(day(2026, 10, 26)) {
		t.Fatalf("week loaded %s..%s", m.loadedFrom, m.loadedTo)
	}
	m.press("pgdown")
	requireCursor(t, m, day(2026, 10, 29))
	if !strings.Contains(m.View(), "26 Oct – 1 Nov 2026") {
		t.Fatalf("week title wrong:\n%s", m.View())
	}
	m.press("v")
	if m.mode != monthView {
		t.Fatal("v did not switch back")
	}
	requireCursor(t, m, day(2026, 10, 29))
}

func TestEnterOpensAgendaEscCloses(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	m.press("left", "left", "enter")
	if !m.agenda {
		t.Fatal("enter did not open the agenda")
	}
	v := m.View()
	for _, want := range []string{"Tuesday 20 October 2026", "failed", "✗ Mastodon not sent: HTTP 422: Validation failed"} {
		if !strings.Contains(v, want) {
			t.Fatalf("agenda lacks %q:\n%s", want, v)
		}
	}
	if p, _ := m.selected(); p.ID != ids.failed {
		t.Fatalf("selected post %d, want %d", p.ID, ids.failed)
	}
	m.press("esc")
	if m.agenda {
		t.Fatal("esc did not close the agenda")
	}
	requireCursor(t, m, day(2026, 10, 20))
}

func TestAgendaSelection(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	m.press("j", "enter")
	requireCursor(t, m, day(2026, 10, 29))
	m.press("h", "h")
	requireCursor(t, m, day(2026, 10, 27))
	m.press("down", "down", "down", "down", "down", "down", "down", "down")
	if p, _ := m.selected(); p.ID != ids.busy[7] {
		t.Fatalf("selected %d, want the last post of the day %d", p.ID, ids.busy[7])
	}
	if m.top == 0 {
		t.Fatal("the agenda did not scroll to its last post")
	}
	m.press("up", "g")
	if p, _ := m.selected(); p.ID != ids.busy[0] {
		t.Fatalf("home selected %d", p.ID)
	}
}

func TestNewPostDay(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	m := newModel(t, f, 80, 21)

	compose := func(msgs []tea.Msg) time.Time {
		t.Helper()
		for _, msg := range msgs {
			if c, ok := msg.(common.ComposeMsg); ok {
				return c.Day
			}
		}
		t.Fatalf("no ComposeMsg in %v", msgs)
		return time.Time{}
	}

	// A later day: 09:00 there, in CET after the change.
	m.press("j")
	if got, want := compose(m.press("n")), berlinAt(2026, 10, 29, 9, 0); !got.Equal(want) {
		t.Fatalf("n on the 29th: %s, want %s", got, want)
	}
	// Today at 10:20: 09:00 is gone, 11:00 holds a post, so 12:00.
	m.press("t")
	if got, want := compose(m.press("n")), berlinAt(2026, 10, 22, 12, 0); !got.Equal(want) {
		t.Fatalf("n today: %s, want %s", got, want)
	}
	// From the agenda too.
	m.press("l", "enter")
	if got, want := compose(m.press("n")), berlinAt(2026, 10, 23, 9, 0); !got.Equal(want) {
		t.Fatalf("n in the agenda: %s, want %s", got, want)
	}
	m.press("esc")
	// A day that is over gets a reason instead.
	msgs := m.press("k", "n")
	if s, ok := statusOf(msgs); !ok || !s.Err {
		t.Fatalf("n on a past day: %v", msgs)
	}
	for _, msg := range msgs {
		if _, ok := msg.(common.ComposeMsg); ok {
			t.Fatal("n on a past day opened the composer")
		}
	}
}

// openAgendaOn moves the cursor to d (in the loaded month) and opens its
// agenda on the post with id.
func openAgendaOn(t *testing.T, m *pane, d time.Time, id int64) {
	t.Helper()
	m.cursor = d
	m.feed(m.follow())
	m.press("enter")
	for i, p := range m.dayPosts() {
		if p.ID == id {
			m.setSelection(i)
			return
		}
	}
	t.Fatalf("post %d is not on %s", id, d.Format("2006-01-02"))
}

func TestMoveThroughInputAcrossDST(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 24), ids.sat)

	if m.Capturing() {
		t.Fatal("capturing before m")
	}
	typeText(m, tuitest.Key("m"))
	if !m.Capturing() {
		t.Fatal("the move field is open but the pane does not capture keys")
	}
	if got := m.input.Value(); got != "2026-10-24 09:30" {
		t.Fatalf("field starts with %q", got)
	}
	typeText(m, tuitest.Key("ctrl+u"))
	typeText(m, tuitest.Key("2026-10-26 09:30"))
	out := m.press("enter")

	p, err := f.st.Post(context.Background(), ids.sat)
	if err != nil {
		t.Fatal(err)
	}
	// 09:30 on Monday the 26th is CET (UTC+1), where the post was CEST (UTC+2).
	if want := time.Date(2026, 10, 26, 8, 30, 0, 0, time.UTC); !p.ScheduledAt.Equal(want) {
		t.Fatalf("stored %s, want %s", p.ScheduledAt, want)
	}
	if p.ScheduledZone != "Europe/Berlin" {
		t.Fatalf("zone %q", p.ScheduledZone)
	}
	if f.waker.n.Load() != 1 {
		t.Fatalf("scheduler woken %d times", f.waker.n.Load())
	}
	if m.Capturing() {
		t.Fatal("the field stayed open after the move")
	}
	requireCursor(t, m, day(2026, 10, 26))
	if sel, _ := m.selected(); sel.ID != ids.sat {
		t.Fatalf("the agenda is on post %d, not the moved one", sel.ID)
	}
	var changed bool
	for _, msg := range out {
		changed = changed || msg == tea.Msg(common.DataChangedMsg{What: "posts"})
	}
	if s, ok := statusOf(out); !ok || s.Err || !changed {
		t.Fatalf("after the move: %v", out)
	}
}

func TestShiftKeepsWallClockAcrossDST(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 24), ids.sat)

	m.press("]")
	p, err := f.st.Post(context.Background(), ids.sat)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.ScheduledAt, berlinAt(2026, 10, 25, 9, 30); !got.Equal(want) || got.Hour() != 8 {
		t.Fatalf("after ]: %s (%s in Berlin), want 09:30 CET", got, got.In(berlin))
	}
	requireCursor(t, m, day(2026, 10, 25))
	m.press("[")
	p, _ = f.st.Post(context.Background(), ids.sat)
	if want := time.Date(2026, 10, 24, 7, 30, 0, 0, time.UTC); !p.ScheduledAt.Equal(want) {
		t.Fatalf("after [: %s, want %s", p.ScheduledAt, want)
	}

	// The queued post today at 11:00 can't go to yesterday.
	openAgendaOn(t, m, day(2026, 10, 22), ids.today)
	out := m.press("[")
	if s, ok := statusOf(out); !ok || !s.Err || !strings.Contains(s.Text, "past") {
		t.Fatalf("[ into the past: %v", out)
	}
	p, _ = f.st.Post(context.Background(), ids.today)
	if !p.ScheduledAt.Equal(berlinAt(2026, 10, 22, 11, 0)) {
		t.Fatalf("refused move changed the post to %s", p.ScheduledAt)
	}
}

func TestBadInputKeepsText(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 24), ids.sat)
	typeText(m, tuitest.Key("m"), tuitest.Key("ctrl+u"))
	typeText(m, tuitest.Key("next blursday"))
	out := m.press("enter")
	if len(out) != 0 {
		t.Fatalf("bad input produced %v", out)
	}
	if !m.Capturing() || m.input.Value() != "next blursday" {
		t.Fatalf("field open %v with %q", m.Capturing(), m.input.Value())
	}
	if m.inputErr == "" || !strings.Contains(m.View(), m.inputErr[:min(len(m.inputErr), 20)]) {
		t.Fatalf("no error under the field:\n%s", m.View())
	}

	typeText(m, tuitest.Key("ctrl+u"))
	typeText(m, tuitest.Key("2026-10-21 09:00"))
	m.press("enter")
	if !m.Capturing() || !strings.Contains(m.inputErr, "in the past") {
		t.Fatalf("a past time was not refused: open %v, err %q", m.Capturing(), m.inputErr)
	}
	p, _ := f.st.Post(context.Background(), ids.sat)
	if !p.ScheduledAt.Equal(berlinAt(2026, 10, 24, 9, 30)) {
		t.Fatalf("refused input moved the post to %s", p.ScheduledAt)
	}
	m.press("esc")
	if m.Capturing() || !m.agenda {
		t.Fatal("esc should close the field and stay in the agenda")
	}
}

func TestSentPostCannotMove(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 19), ids.sent)
	for _, k := range []string{"m", "]"} {
		out := m.press(k)
		if s, ok := statusOf(out); !ok || !strings.Contains(s.Text, "sent") {
			t.Fatalf("%s on a sent post: %v", k, out)
		}
		if m.Capturing() {
			t.Fatal("the move field opened for a sent post")
		}
	}
}

func TestMissedAndFailedCanMove(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	for _, c := range []struct {
		d  time.Time
		id int64
	}{{day(2026, 10, 21), ids.missed}, {day(2026, 10, 20), ids.failed}} {
		openAgendaOn(t, m, c.d, c.id)
		typeText(m, tuitest.Key("m"), tuitest.Key("ctrl+u"))
		typeText(m, tuitest.Key("tomorrow 9am"))
		m.press("enter")
		p, err := f.st.Post(context.Background(), c.id)
		if err != nil {
			t.Fatal(err)
		}
		if p.State != store.PostQueued || !p.ScheduledAt.Equal(berlinAt(2026, 10, 23, 9, 0)) {
			t.Fatalf("post %d is %s at %s", c.id, p.State, p.ScheduledAt)
		}
	}
}

func TestStaleLoadDropped(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	m := New(f.c)
	m.SetSize(80, 21)
	first := m.Init()
	_, second := m.Update(tuitest.Key("pgdown")) // November now, asked for after October
	octMsgs, novMsgs := tuitest.Answers(first), tuitest.Answers(second)
	m.Update(novMsgs[0])
	m.Update(octMsgs[0])
	if !m.loadedFrom.Equal(day(2026, 10, 26)) {
		t.Fatalf("the late October reply replaced November: loaded from %s", m.loadedFrom)
	}
	if len(m.byDay[day(2026, 10, 22)]) != 0 {
		t.Fatal("posts of the stale October range are shown")
	}
	if len(m.byDay[day(2026, 11, 2)]) != 1 {
		t.Fatalf("November posts missing: %v", m.byDay)
	}
}

func TestReloadOnDataChangedAndFocus(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 80, 21)
	if len(m.byDay) != 0 {
		t.Fatal("empty store shows posts")
	}
	f.post(t, store.PostQueued, berlinAt(2026, 10, 23, 15, 0), "Fresh from the oven", "", f.accMas)
	_, cmd := m.Update(common.DataChangedMsg{What: "sent"})
	m.feed(cmd)
	if len(m.byDay[day(2026, 10, 23)]) != 1 {
		t.Fatal("DataChangedMsg did not reload")
	}
	f.post(t, store.PostQueued, berlinAt(2026, 10, 23, 16, 0), "Second batch", "", f.accMas)
	_, cmd = m.Update(common.FocusMsg{})
	m.feed(cmd)
	if len(m.byDay[day(2026, 10, 23)]) != 2 {
		t.Fatal("FocusMsg did not reload")
	}
}

func TestViewFitsEverySize(t *testing.T) {
	f := newFixture(t)
	f.seed(t)
	for _, size := range [][2]int{{80, 21}, {120, 37}, {100, 30}, {200, 60}, {80, 5}, {80, 1}} {
		m := newModel(t, f, size[0], size[1])
		for _, keys := range [][]string{nil, {"v"}, {"v", "enter"}, {"esc", "v", "enter", "m"}} {
			for _, k := range keys {
				typeText(m, tuitest.Key(k)) // no reload needed: the range is already loaded
			}
			lines := strings.Split(m.View(), "\n")
			if len(lines) != size[1] {
				t.Fatalf("%dx%d after %v: %d lines", size[0], size[1], keys, len(lines))
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w > size[0] {
					t.Fatalf("%dx%d after %v: line %d is %d wide: %q", size[0], size[1], keys, i, w, l)
				}
			}
		}
	}
}

func TestRangeAndDaysFollowTheZone(t *testing.T) {
	f := newFixture(t)
	// October's grid runs from Monday 28 September to Sunday 1 November,
	// midnight to midnight in Berlin.
	before := f.post(t, store.PostQueued, berlinAt(2026, 9, 27, 23, 50), "just before the grid", "", f.accMas)
	first := f.post(t, store.PostQueued, berlinAt(2026, 9, 28, 0, 10), "first minutes of the grid", "", f.accMas)
	night := f.post(t, store.PostQueued, berlinAt(2026, 10, 25, 0, 30), "22:30 UTC the day before", "", f.accMas)
	last := f.post(t, store.PostQueued, berlinAt(2026, 11, 1, 23, 59), "last minute of the grid", "", f.accMas)
	after := f.post(t, store.PostQueued, berlinAt(2026, 11, 2, 0, 0), "just after the grid", "", f.accMas)
	m := newModel(t, f, 80, 21)

	on := func(d time.Time, id int64) bool {
		for _, p := range m.byDay[d] {
			if p.ID == id {
				return true
			}
		}
		return false
	}
	if !on(day(2026, 9, 28), first) || !on(day(2026, 10, 25), night) || !on(day(2026, 11, 1), last) {
		t.Fatalf("posts on the wrong days: %v", m.byDay)
	}
	for d, posts := range m.byDay {
		for _, p := range posts {
			if p.ID == before || p.ID == after {
				t.Fatalf("post %d outside the grid was loaded (on %s)", p.ID, d)
			}
		}
	}
}

func TestMonthGrid(t *testing.T) {
	for _, c := range []struct {
		month time.Time
		ws    time.Weekday
		first time.Time
		weeks int
	}{
		{day(2027, 2, 10), time.Monday, day(2027, 2, 1), 4},  // February starting on a Monday
		{day(2026, 2, 10), time.Monday, day(2026, 1, 26), 5}, // starting on a Sunday
		{day(2026, 2, 10), time.Sunday, day(2026, 2, 1), 4},
		{day(2026, 8, 31), time.Monday, day(2026, 7, 27), 6}, // 31 days from a Saturday
	} {
		first, weeks := monthGrid(c.month, c.ws)
		if !first.Equal(c.first) || weeks != c.weeks {
			t.Errorf("%s from %s: %s and %d weeks, want %s and %d",
				c.month.Format("Jan 2006"), c.ws, first.Format("2006-01-02"), weeks, c.first.Format("2006-01-02"), c.weeks)
		}
	}
}

func TestZoneLabel(t *testing.T) {
	f := newFixture(t)
	m := New(f.c)
	for _, c := range []struct {
		from, to time.Time
		want     string
	}{
		{day(2026, 11, 2), day(2026, 11, 9), "Europe/Berlin (CET)"},
		{day(2026, 10, 19), day(2026, 10, 26), "Europe/Berlin (CEST/CET)"},
		{day(2027, 3, 22), day(2027, 3, 29), "Europe/Berlin (CET/CEST)"},
	} {
		if got := m.zoneLabel(c.from, c.to); got != c.want {
			t.Errorf("%s: %q, want %q", c.from.Format("2006-01-02"), got, c.want)
		}
	}
	f.c.Zone = time.UTC
	if got := m.zoneLabel(day(2026, 11, 2), day(2026, 11, 9)); got != "UTC" {
		t.Errorf("UTC: %q", got)
	}
}

// A missed post is sent now with s, or dropped with x; other posts refuse both.
func TestDecideMissed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)

	openAgendaOn(t, m, day(2026, 10, 19), ids.sent)
	if s, ok := statusOf(m.press("s")); !ok || !strings.Contains(s.Text, "nothing failed or missed") {
		t.Fatal("s on a sent post did not refuse")
	}

	openAgendaOn(t, m, day(2026, 10, 21), ids.missed)
	wakes := f.waker.n.Load()
	m.press("s")
	var state string
	var due int64
	f.st.DB().QueryRowContext(ctx, "SELECT state, due_at FROM deliveries WHERE post_id = ?", ids.missed).Scan(&state, &due)
	if state != "queued" || due != now.UnixMilli() || f.waker.n.Load() != wakes+1 {
		t.Fatalf("after s: delivery %s due %v, %d wakes", state, time.UnixMilli(due), f.waker.n.Load()-wakes)
	}

	// Mark it missed again and drop it.
	for _, q := range []string{"UPDATE deliveries SET state = 'missed' WHERE post_id = ?", "UPDATE posts SET state = 'missed' WHERE id = ?"} {
		if _, err := f.st.DB().ExecContext(ctx, q, ids.missed); err != nil {
			t.Fatal(err)
		}
	}
	m.feed(m.reload())
	openAgendaOn(t, m, day(2026, 10, 21), ids.missed)
	out := m.press("x")
	if s, ok := statusOf(out); !ok || !strings.Contains(s.Text, "the Bluesky copy won't go out") || !strings.Contains(s.Text, "draft again") {
		t.Fatalf("x said %q (%v)", s.Text, out)
	}
	// Nothing of it went out, so dropping sends it back to the drafts.
	var left int
	f.st.DB().QueryRowContext(ctx, "SELECT count(*) FROM deliveries WHERE post_id = ?", ids.missed).Scan(&left)
	if p, err := f.st.Post(ctx, ids.missed); err != nil || p.State != store.PostDraft || left != 0 {
		t.Fatalf("after x: post %s, %d deliveries left, %v; want a draft with none", p.State, left, err)
	}
	if n, _ := f.st.CountMissed(ctx); n != 0 {
		t.Fatalf("%d posts still count as missed", n)
	}
}

// TestMoveFieldTypingReplacesTheTime: the move field starts with the post's
// time selected; typing replaces it, so "+2h" moves the post two hours from
// now.
func TestMoveFieldTypingReplacesTheTime(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 24), ids.sat)
	typeText(m, tuitest.Key("m"))
	typeText(m, tuitest.Key("+2h"))
	if got := m.input.Value(); got != "+2h" {
		t.Fatalf("field holds %q, want +2h alone", got)
	}
	m.press("enter")
	p, err := f.st.Post(context.Background(), ids.sat)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(2 * time.Hour); !p.ScheduledAt.Equal(want) {
		t.Fatalf("moved to %s, want %s", p.ScheduledAt, want)
	}
}

// TestAgendaFixesTheFailedCopyAlone: on a half-sent post, enter opens it in
// the composer, s sends the refused copy now and x drops it; the copy that
// went out is never touched.
func TestAgendaFixesTheFailedCopyAlone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.seed(t)
	id := f.halfSent(t)
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 20), id)
	sentBefore := deliveryOf(t, f, id, f.accMas)

	out := m.press("enter")
	if len(out) != 1 || out[0] != tea.Msg(common.ComposeMsg{PostID: id}) {
		t.Fatalf("enter gave %v, want the composer on post %d", out, id)
	}

	out = m.press("s")
	if s, ok := statusOf(out); !ok || s.Err || !strings.Contains(s.Text, "sending the Bluesky copy now") {
		t.Fatalf("s said %+v", s)
	}
	if d := deliveryOf(t, f, id, f.accBsk); d.State != store.DeliveryQueued || !d.DueAt.Equal(now) {
		t.Fatalf("the Bluesky copy after s: %+v", d)
	}
	if deliveryOf(t, f, id, f.accMas) != sentBefore {
		t.Fatal("s touched the copy that went out")
	}

	if _, err := f.st.DB().ExecContext(ctx, "UPDATE deliveries SET state = 'failed' WHERE post_id = ? AND account_id = ?", id, f.accBsk); err != nil {
		t.Fatal(err)
	}
	m.feed(m.reload())
	openAgendaOn(t, m, day(2026, 10, 20), id)
	out = m.press("x")
	if s, ok := statusOf(out); !ok || s.Err || !strings.Contains(s.Text, "the Bluesky copy won't go out") {
		t.Fatalf("x said %+v", s)
	}
	if p, _ := f.st.Post(ctx, id); p.State != store.PostSent {
		t.Fatalf("post %s after dropping its failed copy, want sent", p.State)
	}
	if deliveryOf(t, f, id, f.accMas) != sentBefore {
		t.Fatal("x touched the copy that went out")
	}
	// A sent post is not opened for editing.
	if s, ok := statusOf(m.press("enter")); !ok || !s.Err || !strings.Contains(s.Text, "went out") {
		t.Fatalf("enter on a sent post said %+v", s)
	}
}

func deliveryOf(t *testing.T, f *fixture, post, account int64) store.Delivery {
	t.Helper()
	ds, err := f.st.PostDeliveries(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.AccountID == account {
			return d
		}
	}
	t.Fatalf("no delivery of post %d to account %d", post, account)
	return store.Delivery{}
}

// TestMissedPostSentLateShowsWhenItWent: a missed post sent hours after its
// time shows, in the agenda, when it actually went out and how late; the
// grid marks it sent.
func TestMissedPostSentLateShowsWhenItWent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ids := f.seed(t)
	// Sent "now" (s), 3 hours and 12 minutes after its 08:00.
	sentAt := berlinAt(2026, 10, 21, 11, 12)
	if err := f.st.SendMissedNow(ctx, ids.missed, sentAt.Add(-2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.DB().ExecContext(ctx, "UPDATE deliveries SET state = 'sent', sent_at = ?, likes = 5 WHERE post_id = ?",
		sentAt.UnixMilli(), ids.missed); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.DB().ExecContext(ctx, "UPDATE posts SET state = 'sent' WHERE id = ?", ids.missed); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, f, 80, 21)
	if v := m.View(); !strings.Contains(v, "08:00 ✓B") {
		t.Fatalf("the grid does not mark it sent:\n%s", v)
	}
	openAgendaOn(t, m, day(2026, 10, 21), ids.missed)
	if v := m.View(); !strings.Contains(v, "✓ Bluesky sent 11:12, 3 h 12 min late · 5 likes · 0 reposts · 0 replies") {
		t.Fatalf("the agenda does not say when it went out:\n%s", v)
	}
}

// TestMoveTypedBeforeMidnightKeepsItsDay: "tomorrow 9am" typed into the
// move field at 23:59:55 reads, and shows, as the next morning; enter
// pressed after midnight moves the post there, to the time shown when it
// was typed, not a day later.
func TestMoveTypedBeforeMidnightKeepsItsDay(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 24), ids.sat)
	midnight := time.Date(2026, 10, 23, 0, 0, 0, 0, berlin)
	m.run.Advance(midnight.Add(-5 * time.Second).Sub(f.clock.Now())) // Thu 23:59:55
	typeText(m, tuitest.Key("m"))
	typeText(m, tuitest.Key("tomorrow 9am"))
	want := time.Date(2026, 10, 23, 9, 0, 0, 0, berlin)
	if !strings.Contains(m.preview, "Fri 23 Oct 2026 09:00") {
		t.Fatalf("the field reads %q, want Friday 09:00", m.preview)
	}
	m.run.Advance(10 * time.Second) // midnight passes
	m.press("enter")
	p, err := f.st.Post(context.Background(), ids.sat)
	if err != nil {
		t.Fatal(err)
	}
	if !p.ScheduledAt.Equal(want) {
		t.Fatalf("moved to %s, want %s, the time shown when it was typed", p.ScheduledAt.In(berlin), want)
	}
}

// Moving a post of a paused queue says its copy stays held: it goes out
// once the queue runs again, not at the new time alone.
func TestMovingAPostOfAPausedQueueSaysItIsHeld(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.SetQueueSchedule(ctx, f.accMas, "Europe/Berlin", []store.QueueSlot{{Weekday: time.Friday, Minute: 9 * 60}}); err != nil {
		t.Fatal(err)
	}
	id, err := f.st.SaveDraft(ctx, store.Post{Body: "Pretzel Friday", Targets: []store.Target{{AccountID: f.accMas}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.AddToQueue(ctx, id, now); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.PauseQueue(ctx, f.accMas, now); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 23), id)
	out := m.press("]")
	s, ok := statusOf(out)
	if !ok || !strings.Contains(s.Text, "Moved") || !strings.Contains(s.Text, "the Mastodon copy is held: its queue is paused") {
		t.Fatalf("status after moving a post of a paused queue: %q", s.Text)
	}
}

// A time typed into the move field when crier closes with it open (an SSH
// session dropped, ctrl+c) comes back when the same post's field opens
// again; the post is not moved meanwhile.
func TestMoveFieldKeepsWhatWasTypedOverAQuit(t *testing.T) {
	f := newFixture(t)
	ids := f.seed(t)
	m := newModel(t, f, 80, 21)
	openAgendaOn(t, m, day(2026, 10, 24), ids.sat)
	before, _ := f.st.Post(context.Background(), ids.sat)
	m.press("m")
	typeText(m, tuitest.Key("ctrl+u"))
	typeText(m, tuitest.Key("next fri 11:15"))
	_, cmd := m.Update(common.BeforeQuitMsg{})
	m.feed(cmd)

	m2 := newModel(t, f, 80, 21)
	openAgendaOn(t, m2, day(2026, 10, 24), ids.sat)
	m2.press("m")
	if got := m2.input.Value(); got != "next fri 11:15" {
		t.Fatalf("the move field opened again with %q, want what was typed", got)
	}
	if after, _ := f.st.Post(context.Background(), ids.sat); !after.ScheduledAt.Equal(before.ScheduledAt) {
		t.Errorf("the post moved to %v", after.ScheduledAt)
	}
	// It was given back once: the next opening starts from the post's time.
	typeText(m2, tuitest.Key("esc"))
	m2.press("m")
	if got := m2.input.Value(); got != "2026-10-24 09:30" {
		t.Errorf("the field opened a second time with %q", got)
	}
}

// heldPosts queues two posts while Mastodon's queue is paused: one for
// Mastodon alone (Saturday 24th 10:00, held whole) and one for Mastodon
// and Bluesky (Friday 23rd 09:00, only its Mastodon copy held).
func (f *fixture) heldPosts(t *testing.T) (whole, half int64) {
	t.Helper()
	ctx := context.Background()
	slots := []store.QueueSlot{{Weekday: time.Friday, Minute: 9 * 60}, {Weekday: time.Saturday, Minute: 10 * 60}}
	for _, a := range []int64{f.accMas, f.accBsk} {
		if err := f.st.SetQueueSchedule(ctx, a, "Europe/Berlin", slots); err != nil {
			t.Fatal(err)
		}
	}
	add := func(body string, accounts ...int64) int64 {
		p := store.Post{Body: body}
		for _, a := range accounts {
			p.Targets = append(p.Targets, store.Target{AccountID: a})
		}
		id, err := f.st.SaveDraft(ctx, p, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.AddToQueue(ctx, id, now); err != nil {
			t.Fatal(err)
		}
		return id
	}
	half = add("Pretzel Friday on both networks", f.accMas, f.accBsk)
	whole = add("Saturday rolls on Mastodon", f.accMas)
	if _, err := f.st.PauseQueue(ctx, f.accMas, now); err != nil {
		t.Fatal(err)
	}
	return whole, half
}

// A post a paused queue holds does not go out at its time: no calendar
// view may mark it scheduled. The month and week grids draw it with the
// held mark (each copy its own where only one is held), the legend
// explains the mark at both sizes, and the agenda's heading says held.
func TestHeldPostsAreMarkedHeldInEveryView(t *testing.T) {
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			f := newFixture(t)
			whole, _ := f.heldPosts(t)
			m := newModel(t, f, size[0], size[1])
			check := func(where string) {
				t.Helper()
				out := m.View()
				if !strings.Contains(out, "10:00 "+postcopy.GlyphHeld+"M") {
					t.Errorf("%s: the held post is not marked held on Saturday:\n%s", where, out)
				}
				if strings.Contains(out, "10:00 "+postcopy.GlyphQueued) {
					t.Errorf("%s: the held post is marked scheduled:\n%s", where, out)
				}
				if !strings.Contains(out, "09:00 "+postcopy.GlyphHeld+"M"+postcopy.GlyphQueued+"B") {
					t.Errorf("%s: the half-held post does not mark each copy:\n%s", where, out)
				}
				legend := out[strings.LastIndex(out, "\n")+1:]
				if !strings.Contains(legend, postcopy.GlyphHeld+" held") && !strings.Contains(legend, postcopy.GlyphHeld+"held") {
					t.Errorf("%s: the legend does not explain the held mark: %q", where, legend)
				}
			}
			check("month")
			m.press("v")
			check("week")
			m.press("v")
			openAgendaOn(t, m, day(2026, 10, 24), whole)
			out := m.View()
			if !strings.Contains(out, "10:00  "+postcopy.GlyphHeld+" held") || strings.Contains(out, "scheduled") {
				t.Errorf("the agenda's heading does not say held:\n%s", out)
			}
			if !strings.Contains(out, "1 post: 1 held") {
				t.Errorf("the agenda's summary does not count the post as held:\n%s", out)
			}
		})
	}
}
