package planner

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/crier-app/crier/abtest"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/timing"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

var now = time.Date(2027, 3, 24, 9, 0, 0, 0, tuitest.Berlin) // a Wednesday, days before the clocks go forward

type harness struct {
	st  *store.Store
	c   *common.Common
	m   *Model
	run *tuitest.Runner
	acc int64
}

func newHarness(t *testing.T, tab int) *harness {
	t.Helper()
	st := tuitest.Store(t)
	acc, err := st.UpsertAccount(context.Background(), store.Account{Platform: "mastodon", Handle: "@shop@example.social", Server: "https://example.social"})
	if err != nil {
		t.Fatal(err)
	}
	clock := tuitest.NewClock(now)
	h := &harness{st: st, c: tuitest.Common(t, st, clock), acc: acc}
	h.m = New(h.c, tab)
	h.m.SetSize(100, 30)
	h.run = tuitest.NewRunner(t, clock, h.m.Update)
	h.run.Deliver = func(msg tea.Msg) bool {
		_, changed := msg.(common.DataChangedMsg)
		return Owns(msg) || changed
	}
	h.run.Run(h.m.Init())
	return h
}

func (h *harness) view() string { return ansi.Strip(h.m.View()) }

// statuses are the status lines put aside since n.
func statuses(aside []tea.Msg) []string {
	var out []string
	for _, m := range aside {
		if s, ok := m.(common.StatusMsg); ok {
			out = append(out, s.Text)
		}
	}
	return out
}

func TestFormatSlotsReadsBack(t *testing.T) {
	for _, text := range []string{
		"Mon-Fri 08:00 12:30, Sat 07:30",
		"Tue-Sat 08:00 12:30 17:15, Sun 07:30",
		"Mon 09:00, Wed 09:00, Fri 09:00",
		"Sun 10:00",
		"",
	} {
		slots, err := store.ParseQueueSlots(text)
		if err != nil {
			t.Fatal(err)
		}
		back, err := store.ParseQueueSlots(FormatSlots(slots))
		if err != nil {
			t.Fatalf("%q written as %q does not read: %v", text, FormatSlots(slots), err)
		}
		if len(back) != len(slots) {
			t.Fatalf("%q written as %q reads %v", text, FormatSlots(slots), back)
		}
		for i := range back {
			if back[i] != slots[i] {
				t.Errorf("%q written as %q reads %v", text, FormatSlots(slots), back)
			}
		}
	}
	slots, _ := store.ParseQueueSlots("Mon-Fri 08:00 12:30, Sat 07:30")
	if got := FormatSlots(slots); got != "Mon-Fri 08:00 12:30, Sat 07:30" {
		t.Errorf("FormatSlots = %q", got)
	}
}

// The slot editor saves what is typed; a slot that does not read is
// named and the typed text stays.
func TestSlotEditorKeepsTextOnError(t *testing.T) {
	h := newHarness(t, TabQueue)
	if !strings.Contains(h.view(), "No weekly slots yet") {
		t.Fatalf("an account without slots:\n%s", h.view())
	}
	h.run.Press("e")
	if !h.m.Capturing() || !h.m.TypingText() {
		t.Fatal("the editor does not take the keys")
	}
	h.run.Type("Mon-Fri 08:00, Sat 7.30")
	h.run.Press("enter")
	v := h.view()
	if !strings.Contains(v, `"7.30" is not a time of day`) || !strings.Contains(v, "Mon-Fri 08:00, Sat 7.30") {
		t.Fatalf("a bad slot:\n%s", v)
	}
	for range len(" 7.30") {
		h.run.Press("backspace")
	}
	aside := h.run.Type(" 07:30")
	aside = append(aside, h.run.Press("enter")...)
	if h.m.Capturing() {
		t.Fatalf("the editor stayed open:\n%s", h.view())
	}
	if got := statuses(aside); len(got) == 0 || !strings.Contains(got[len(got)-1], "posts at Mon-Fri 08:00, Sat 07:30") {
		t.Errorf("status: %v", got)
	}
	sch, err := h.st.QueueSchedule(context.Background(), h.acc)
	if err != nil || len(sch.Slots) != 6 || sch.Zone != "Europe/Berlin" {
		t.Fatalf("stored: %+v %v", sch, err)
	}
	// The view reloads on the change and names the next free slots, on
	// the wall clock across the change to summer time on the 28th.
	h.run.Send(common.DataChangedMsg{})
	v = h.view()
	for _, want := range []string{"Weekly slots (Europe/Berlin): Mon-Fri 08:00, Sat 07:30", "Next free: Thu 25 Mar 08:00 · Fri 26 Mar 08:00 · Sat 27 Mar 07:30"} {
		if !strings.Contains(v, want) {
			t.Errorf("queue view lacks %q:\n%s", want, v)
		}
	}
}

// A stale load (the person moved to the other account meanwhile) is
// dropped.
func TestStaleQueueLoadIsDropped(t *testing.T) {
	h := newHarness(t, TabQueue)
	old := h.m.queue.load(h.m)
	if err := h.st.SetQueueSchedule(context.Background(), h.acc, "Europe/Berlin", []store.QueueSlot{{Weekday: time.Monday, Minute: 600}}); err != nil {
		t.Fatal(err)
	}
	fresh := h.m.queue.load(h.m)
	h.m.Update(fresh())
	h.m.Update(old())
	if !strings.Contains(h.view(), "Mon 10:00") {
		t.Errorf("the stale answer replaced the fresh one:\n%s", h.view())
	}
}

// Pause holds the queue, and p again lets it run.
func TestPauseAndResume(t *testing.T) {
	h := newHarness(t, TabQueue)
	ctx := context.Background()
	if err := h.st.SetQueueSchedule(ctx, h.acc, "Europe/Berlin", []store.QueueSlot{{Weekday: time.Thursday, Minute: 600}}); err != nil {
		t.Fatal(err)
	}
	h.run.Send(common.DataChangedMsg{})
	h.run.Press("p")
	h.run.Send(common.DataChangedMsg{})
	if !strings.Contains(h.view(), "PAUSED since") {
		t.Fatalf("after p:\n%s", h.view())
	}
	if sch, _ := h.st.QueueSchedule(ctx, h.acc); !sch.Paused() {
		t.Fatal("the store's queue runs")
	}
	h.run.Press("p")
	h.run.Send(common.DataChangedMsg{})
	if strings.Contains(h.view(), "PAUSED") {
		t.Fatalf("after p again:\n%s", h.view())
	}
}

// The repeat form reads a rule in words and shows the posts it makes;
// a rule it cannot read is named and the text stays.
func TestRepeatFormPreviewsAndKeepsText(t *testing.T) {
	h := newHarness(t, TabSeries)
	id, err := h.st.SaveDraft(context.Background(), store.Post{Body: "Saturday special", Targets: []store.Target{{AccountID: h.acc}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	h.m.Repeat(store.PostSummary{ID: id, Body: "Saturday special", State: store.PostDraft})
	h.run.Type("weekly on Saturday at 07:30")
	v := h.view()
	for _, want := range []string{"RRULE: FREQ=WEEKLY;BYDAY=SA", "Sat 27 Mar 07:30 · Sat 3 Apr 07:30"} {
		if !strings.Contains(v, want) {
			t.Errorf("preview lacks %q:\n%s", want, v)
		}
	}
	h.run.Type(" soon")
	h.run.Press("enter")
	if v := h.view(); !strings.Contains(v, `"soon" is not understood`) || !strings.Contains(v, "at 07:30 soon") {
		t.Fatalf("a bad rule:\n%s", v)
	}
	for range len(" soon") {
		h.run.Press("backspace")
	}
	h.run.Press("enter")
	rs, err := h.st.Recurrences(context.Background(), true)
	if err != nil || len(rs) != 1 || rs[0].Rule != "FREQ=WEEKLY;BYDAY=SA" {
		t.Fatalf("series: %+v %v", rs, err)
	}
	if l := rs[0].StartsAt.In(tuitest.Berlin); l.Weekday() != time.Saturday || l.Hour() != 7 || l.Minute() != 30 {
		t.Errorf("starts %v", l)
	}
	if v := h.view(); !strings.Contains(v, "next: Sat 27 Mar 07:30 · Sat 3 Apr 07:30") {
		t.Errorf("series view:\n%s", v)
	}
	// x stops it; its coming posts are taken back.
	h.run.Press("x")
	if rs, _ := h.st.Recurrences(context.Background(), true); len(rs) != 0 {
		t.Errorf("still running: %+v", rs)
	}
}

// Ten thousand queued posts scroll as a virtual list: the view reads a page
// at a time (never the whole queue), G reaches the last, and moving,
// shuffling and pausing work there.
func TestQueueOfTenThousandScrolls(t *testing.T) {
	h := newHarness(t, TabQueue)
	ctx := context.Background()
	slots, _ := store.ParseQueueSlots("Mon-Sun 08:00 10:00 12:00 14:00 16:00 18:00")
	if err := h.st.SetQueueSchedule(ctx, h.acc, "Europe/Berlin", slots); err != nil {
		t.Fatal(err)
	}
	sch, _ := h.st.QueueSchedule(ctx, h.acc)
	const n = 10000
	at := sch.SlotsBetween(now.Add(time.Hour), now.AddDate(6, 0, 0))[:n]
	tx, err := h.st.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Each statement is prepared once for the 10000 rows: SQLite parsing
	// it anew for each row was most of the test's time under -race.
	prepare := func(query string) *sql.Stmt {
		s, err := tx.Prepare(query)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	addPost := prepare(`INSERT INTO posts (body, state, scheduled_at, scheduled_zone, created_at, updated_at)
		VALUES (?, 'queued', ?, 'Europe/Berlin', 0, 0) RETURNING id`)
	addTarget := prepare("INSERT INTO post_targets (post_id, account_id) VALUES (?, ?)")
	addDelivery := prepare(`INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key)
		VALUES (?, ?, 'queued', ?, ?) RETURNING id`)
	addEntry := prepare("INSERT INTO queue_entries (delivery_id, account_id, added_at) VALUES (?, ?, 0)")
	for i, due := range at {
		var pid, did int64
		if err := addPost.QueryRow("queued post "+strconv.Itoa(i), due.UnixMilli()).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		if _, err := addTarget.Exec(pid, h.acc); err != nil {
			t.Fatal(err)
		}
		if err := addDelivery.QueryRow(pid, h.acc, due.UnixMilli(), store.NewIdempotencyKey()).Scan(&did); err != nil {
			t.Fatal(err)
		}
		if _, err := addEntry.Exec(did, h.acc); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	h.run.Send(common.DataChangedMsg{})
	if v := h.view(); !strings.Contains(v, "1 of 10000") || !strings.Contains(v, "queued post 0") {
		t.Fatalf("the queue's top:\n%s", v)
	}
	held := func() int { _, rows := h.m.queue.list.Window(); return len(rows) }
	h.run.Press("G")
	v := h.view()
	if !strings.Contains(v, "10000 of 10000") || !strings.Contains(v, "queued post 9999") {
		t.Fatalf("after G:\n%s", v)
	}
	if held() > 4*queuePage {
		t.Errorf("the list holds %d rows", held())
	}
	// Far down by pages: every row on screen is a real one, in order.
	h.run.Press("g")
	for range 5000 / 20 {
		h.run.Press("pgdown")
	}
	v = h.view()
	_, rows, _ := strings.Cut(v, "POST")
	for _, l := range strings.Split(strings.TrimSpace(rows), "\n")[1:] {
		if !strings.Contains(l, "queued post") {
			t.Errorf("mid-queue row %q (%d rows held):\n%s", l, held(), v)
			break
		}
	}
	if held() > 4*queuePage {
		t.Errorf("mid-queue: %d rows held", held())
	}
	cursor := h.m.queue.list.Cursor()
	e, _ := h.m.queue.list.Selected()
	if e.Text != "queued post "+strconv.Itoa(cursor) {
		t.Errorf("row %d under the cursor is %q", cursor, e.Text)
	}

	// K moves it one place earlier: it takes the slot before, and the
	// cursor goes with it.
	h.run.Press("K")
	q, _ := h.st.QueueAt(ctx, h.acc, now, cursor-1, 2)
	if q[0].Text != e.Text || !q[0].DueAt.Equal(at[cursor-1]) || q[1].Text != "queued post "+strconv.Itoa(cursor-1) {
		t.Errorf("after K: %+v", q)
	}
	if sel, _ := h.m.queue.list.Selected(); sel.Text != e.Text || h.m.queue.list.Cursor() != cursor-1 {
		t.Errorf("the cursor stayed on %q at %d", sel.Text, h.m.queue.list.Cursor())
	}

	// Shuffle keeps the slots and the count; pause holds all of them.
	h.run.Press("z")
	if n, _ := h.st.QueueCount(ctx, h.acc, now); n != 10000 {
		t.Errorf("%d queued after shuffling", n)
	}
	if first, _ := h.st.QueueAt(ctx, h.acc, now, 0, 1); first[0].Text == "queued post 0" && !first[0].DueAt.Equal(at[0]) {
		t.Errorf("shuffled: %+v", first)
	}
	h.run.Press("p")
	if v := h.view(); !strings.Contains(v, "PAUSED since") || !strings.Contains(v, "held") {
		t.Errorf("after p:\n%s", v)
	}
}

// saturdaySeries makes a weekly "Saturday special" series on the
// harness's account, from 27 March 2027 at 07:30 Berlin, and shows it.
func (h *harness) saturdaySeries(t *testing.T) int64 {
	t.Helper()
	id, err := timing.NewSeries(context.Background(), h.st, timing.Series{Rule: "FREQ=WEEKLY;BYDAY=SA",
		Start: time.Date(2027, 3, 27, 7, 30, 0, 0, tuitest.Berlin), Zone: "Europe/Berlin",
		Template: store.Post{Body: "Saturday special", Targets: []store.Target{{AccountID: h.acc}}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	h.run.Send(common.DataChangedMsg{})
	return id
}

// A series: enter edits the next post alone (the composer opens on it), e
// rewrites every coming post but that one, x stops it and it stays listed,
// u runs it again from now, and d (asked) deletes the stopped series while
// the posts it made stay.
func TestSeriesEditStopResumeDelete(t *testing.T) {
	h := newHarness(t, TabSeries)
	ctx := context.Background()
	id := h.saturdaySeries(t)
	occ, _ := h.st.Occurrences(ctx, id, now, 10)
	if len(occ) < 2 {
		t.Fatalf("%d occurrences", len(occ))
	}
	// enter: the composer opens on the next post.
	var compose common.ComposeMsg
	for _, msg := range h.run.Press("enter") {
		if c, ok := msg.(common.ComposeMsg); ok {
			compose = c
		}
	}
	if compose.PostID != occ[0].PostID || !h.m.Closed() {
		t.Fatalf("enter asked to compose %+v, want post %d", compose, occ[0].PostID)
	}
	p, _ := h.st.Post(ctx, occ[0].PostID)
	p.Body = "this week: cardamom knots"
	if err := h.st.SaveUnsent(ctx, p, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	h.m = New(h.c, TabSeries)
	h.m.SetSize(100, 30)
	h.run = tuitest.NewRunner(t, h.run.Clock(), h.m.Update)
	h.run.Deliver = func(msg tea.Msg) bool { _, changed := msg.(common.DataChangedMsg); return Owns(msg) || changed }
	h.run.Run(h.m.Init())
	if v := h.view(); !strings.Contains(v, "Sat 27 Mar 07:30 (edited alone)") {
		t.Fatalf("after editing one:\n%s", v)
	}
	// e: the series' text; the one edited alone keeps its own.
	h.run.Press("e")
	for range len("special") {
		h.run.Press("backspace")
	}
	h.run.Type("bake")
	h.run.Press("enter")
	occ, _ = h.st.Occurrences(ctx, id, now, 10)
	for i, o := range occ {
		p, _ := h.st.Post(ctx, o.PostID)
		want := "Saturday bake"
		if i == 0 {
			want = "this week: cardamom knots"
		}
		if p.Body != want {
			t.Errorf("occurrence %d says %q, want %q", i, p.Body, want)
		}
	}
	// x stops it: still listed, marked, with its edited post.
	h.run.Press("x")
	v := h.view()
	if !strings.Contains(v, "STOPPED") || !strings.Contains(v, "Saturday bake") || !strings.Contains(v, "u runs it again") {
		t.Fatalf("a stopped series:\n%s", v)
	}
	if o, _ := h.st.Occurrences(ctx, id, now, 10); len(o) != 1 {
		t.Errorf("after stopping, %d occurrences stay", len(o))
	}
	// u: it runs again from now, its coming posts made anew.
	h.run.Press("u")
	if v := h.view(); strings.Contains(v, "STOPPED") || !strings.Contains(v, "Sat 3 Apr 07:30") {
		t.Fatalf("after u:\n%s", v)
	}
	if rs, _ := h.st.Recurrences(ctx, true); len(rs) != 1 {
		t.Fatalf("running series: %d", len(rs))
	}
	// d on a running series refuses; stopped, it asks, n keeps, y deletes.
	if got := statuses(h.run.Press("d")); len(got) == 0 || !strings.Contains(got[0], "stop the series first") {
		t.Errorf("d on a running series: %v", got)
	}
	h.run.Press("x")
	h.run.Press("d")
	if !h.m.Capturing() || !strings.Contains(h.view(), "Delete the stopped series") {
		t.Fatalf("d did not ask:\n%s", h.view())
	}
	h.run.Press("n")
	if rs, _ := h.st.Recurrences(ctx, false); len(rs) != 1 || h.m.Capturing() {
		t.Fatalf("n deleted it or stayed open: %d", len(rs))
	}
	h.run.Press("d")
	h.run.Press("y")
	if rs, _ := h.st.Recurrences(ctx, false); len(rs) != 0 {
		t.Fatalf("y kept it: %+v", rs)
	}
	if p, err := h.st.Post(ctx, occ[0].PostID); err != nil || p.Body != "this week: cardamom knots" || p.State != store.PostQueued {
		t.Errorf("the post edited alone after deleting its series: %+v %v", p, err)
	}
	if v := h.view(); !strings.Contains(v, "No repeating posts") {
		t.Errorf("after deleting:\n%s", v)
	}
}

// The Feeds view names each feed, how its last read went (a failing one is
// reported on it, with the error and when it last worked) and its newest
// entries with the drafts they became.
func TestFeedsViewReportsAFailingFeed(t *testing.T) {
	h := newHarness(t, TabFeeds)
	ctx := context.Background()
	if v := h.view(); !strings.Contains(v, "No feeds") {
		t.Fatalf("without feeds:\n%s", v)
	}
	blog, err := h.st.UpsertFeed(ctx, store.FeedConfig{Name: "blog", URL: "https://shop.example/feed.xml", Accounts: []int64{h.acc}}, now)
	if err != nil {
		t.Fatal(err)
	}
	draft := &store.Post{Body: "Spring menu https://shop.example/spring", Targets: []store.Target{{AccountID: h.acc}}}
	if _, _, err := h.st.AddFeedEntry(ctx, store.FeedEntry{FeedID: blog, EntryID: "1", Title: "Spring menu", Link: "https://shop.example/spring"}, draft, now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := h.st.RecordFeedFetch(ctx, blog, store.FeedFetch{Title: "The shop's blog"}, now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	news, _ := h.st.UpsertFeed(ctx, store.FeedConfig{Name: "supplier", URL: "https://mill.example/news.rss", Accounts: []int64{h.acc}, FillQueue: true}, now)
	if err := h.st.RecordFeedFetch(ctx, news, store.FeedFetch{Err: errors.New("https://mill.example/news.rss: 404 Not Found")}, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	h.run.Send(common.DataChangedMsg{})
	v := h.view()
	for _, want := range []string{"blog · The shop's blog", "read Wed 24 Mar 07:00", "supplier", "FAILING (1 time in a row)",
		"entries become drafts for mastodon @shop@example.social", "Spring menu", "draft made"} {
		if !strings.Contains(v, want) {
			t.Errorf("the Feeds view lacks %q:\n%s", want, v)
		}
	}
	h.run.Press("j")
	v = h.view()
	for _, want := range []string{"failed: https://mill.example/news.rss: 404 Not Found", "queued into the next free slots", "none yet"} {
		if !strings.Contains(v, want) {
			t.Errorf("the failing feed lacks %q:\n%s", want, v)
		}
	}
}

// An A/B test's form closed before it was planned (a dropped SSH
// connection, ctrl+c) keeps what was typed, variant B's text first of all:
// the next time a test is made from that draft, in any session, it is back.
func TestABFormClosedByQuitKeepsWhatWasTyped(t *testing.T) {
	h := newHarness(t, TabTests)
	id, err := h.st.SaveDraft(context.Background(), store.Post{Body: "Stollen are back", Targets: []store.Target{{AccountID: h.acc}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	draft := store.PostSummary{ID: id, Body: "Stollen are back", State: store.PostDraft, Copies: []store.Copy{{AccountID: h.acc}}}
	h.run.Run(h.m.NewTest(draft))
	h.run.Type("Only 40 stollen this year: pre-order now")
	h.run.Run(h.m.Update(common.BeforeQuitMsg{}))

	// Another session.
	h.m = New(h.c, TabTests)
	h.m.SetSize(100, 30)
	h.run = tuitest.NewRunner(t, tuitest.NewClock(now), h.m.Update)
	h.run.Deliver = func(msg tea.Msg) bool { return Owns(msg) }
	h.run.Run(h.m.Init())
	h.run.Run(h.m.NewTest(draft))
	if v := h.view(); !strings.Contains(v, "Only 40 stollen this year") {
		t.Fatalf("variant B is gone:\n%s", v)
	}
	// Taken back once: a test made from it later starts afresh.
	h.run.Press("esc")
	h.run.Run(h.m.NewTest(draft))
	if v := h.view(); strings.Contains(v, "Only 40 stollen this year") {
		t.Errorf("kept twice:\n%s", v)
	}
}

// TestLineFormsClosedByQuitKeepWhatWasTyped: the planner's one-line forms
// (an account's slots, a draft's repeat rule) open when crier closes (a
// dropped SSH connection, ctrl+c) keep what was typed, and give it back
// once when the same form opens again, in another session; a form left
// as it opened keeps nothing.
func TestLineFormsClosedByQuitKeepWhatWasTyped(t *testing.T) {
	h := newHarness(t, TabQueue)
	again := func(tab int) {
		h.m = New(h.c, tab)
		h.m.SetSize(100, 30)
		h.run = tuitest.NewRunner(t, tuitest.NewClock(now), h.m.Update)
		h.run.Deliver = func(msg tea.Msg) bool { return Owns(msg) }
		h.run.Run(h.m.Init())
	}

	h.run.Press("e")
	h.run.Type("Mon-Fri 08:00, Sat 07:30")
	h.run.Run(h.m.Update(common.BeforeQuitMsg{}))
	again(TabQueue)
	h.run.Press("e")
	if v := h.view(); !strings.Contains(v, "Mon-Fri 08:00, Sat 07:30") {
		t.Fatalf("the slots typed are gone:\n%s", v)
	}
	h.run.Press("esc")
	h.run.Press("e")
	if v := h.view(); strings.Contains(v, "Mon-Fri 08:00, Sat 07:30") {
		t.Fatalf("given back twice:\n%s", v)
	}
	// Opened and left as it was: nothing to keep.
	h.run.Run(h.m.Update(common.BeforeQuitMsg{}))
	again(TabQueue)
	h.run.Press("e")
	if v := h.view(); strings.Contains(v, "brought back") {
		t.Fatalf("an untouched form brought something back:\n%s", v)
	}

	id, err := h.st.SaveDraft(context.Background(), store.Post{Body: "Saturday special", Targets: []store.Target{{AccountID: h.acc}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	draft := store.PostSummary{ID: id, Body: "Saturday special", State: store.PostDraft, Copies: []store.Copy{{AccountID: h.acc}}}
	again(TabSeries)
	h.run.Run(h.m.Repeat(draft))
	h.run.Type("weekly on Saturday at 07:30")
	h.run.Run(h.m.Update(common.BeforeQuitMsg{}))
	again(TabSeries)
	h.run.Run(h.m.Repeat(draft))
	if v := h.view(); !strings.Contains(v, "weekly on Saturday at 07:30") {
		t.Fatalf("the rule typed is gone:\n%s", v)
	}
}

// Pausing while a post of the queue is being sent (the scheduler claims
// it a moment before its time) says that one goes out all the same, rather
// than that every post waits.
func TestPauseSaysWhatIsBeingSentGoesOut(t *testing.T) {
	h := newHarness(t, TabQueue)
	ctx := context.Background()
	if err := h.st.SetQueueSchedule(ctx, h.acc, "Europe/Berlin", []store.QueueSlot{{Weekday: time.Thursday, Minute: 600}}); err != nil {
		t.Fatal(err)
	}
	id, err := h.st.SaveDraft(ctx, store.Post{Body: "Pretzel day", Targets: []store.Target{{AccountID: h.acc}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	at, err := h.st.AddToQueue(ctx, id, now)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := h.st.PostDeliveries(ctx, id)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %v, %v", ds, err)
	}
	if ok, err := h.st.ClaimDelivery(ctx, ds[0].ID, at[h.acc]); !ok || err != nil {
		t.Fatalf("claim = %v, %v", ok, err)
	}
	h.run.Send(common.DataChangedMsg{})
	got := statuses(h.run.Press("p"))
	if len(got) == 0 || !strings.Contains(got[len(got)-1], "1 post being sent right now goes out all the same") {
		t.Errorf("status after pausing while a post is being sent: %v", got)
	}
}

// A series' new rule that does not read, or a text emptied, is named in
// the dialog, which stays open with what was typed (the repeat form and the
// slot editor do the same); nothing is changed.
func TestSeriesLineDialogsKeepWhatWasTyped(t *testing.T) {
	h := newHarness(t, TabSeries)
	ctx := context.Background()
	id := h.saturdaySeries(t)

	h.run.Press("R")
	h.run.Type("every blursday at 25:00")
	h.run.Press("enter")
	v := h.view()
	if !h.m.Capturing() || !strings.Contains(v, "every blursday at 25:00") || !strings.Contains(v, "not understood") {
		t.Fatalf("a rule that does not read closed the dialog or lost the text:\n%s", v)
	}
	for range len("every blursday at 25:00") {
		h.run.Press("backspace")
	}
	h.run.Type("weekly on Sunday at 08:00")
	h.run.Press("enter")
	if h.m.Capturing() {
		t.Fatalf("a good rule left the dialog open:\n%s", h.view())
	}
	r, err := h.st.Recurrence(ctx, id)
	if err != nil || !strings.Contains(r.Rule, "BYDAY=SU") {
		t.Fatalf("the rule after the good one: %q, %v", r.Rule, err)
	}

	h.run.Send(common.DataChangedMsg{})
	h.run.Press("e")
	for range len("Saturday special") {
		h.run.Press("backspace")
	}
	h.run.Press("enter")
	if v := h.view(); !h.m.Capturing() || !strings.Contains(v, "the text is empty") {
		t.Fatalf("an empty series text closed the dialog:\n%s", v)
	}
	if r, _ := h.st.Recurrence(ctx, id); r.Template.Body != "Saturday special" {
		t.Errorf("the series' text became %q", r.Template.Body)
	}
}

// A kept form whose saving fails after it closed (here the series was
// stopped in another session meanwhile) keeps what was typed: the form
// brings it back when it opens again.
func TestFailedSubmissionKeepsWhatWasTyped(t *testing.T) {
	h := newHarness(t, TabSeries)
	ctx := context.Background()
	id := h.saturdaySeries(t)
	h.run.Press("R")
	h.run.Type("weekly on Sunday at 08:00")
	if _, err := h.st.EndRecurrence(ctx, id, now); err != nil {
		t.Fatal(err)
	}
	got := statuses(h.run.Press("enter"))
	if len(got) == 0 || !strings.Contains(got[len(got)-1], "what you typed comes back when you open the form again") {
		t.Fatalf("status after a failed rule change: %v", got)
	}
	if err := h.st.ResumeRecurrence(ctx, id, now); err != nil {
		t.Fatal(err)
	}
	h.run.Send(common.DataChangedMsg{})
	h.run.Press("R")
	if v := h.view(); !strings.Contains(v, "weekly on Sunday at 08:00") {
		t.Fatalf("the rule form opened again without what was typed:\n%s", v)
	}
}

// TestABTestNotSentShowsNoChance: before a test's variants reached anyone,
// the table shows no probability of being best (a prior's 50% read as a
// chance the data gave), and the verdict names the variants nobody saw.
func TestABTestNotSentShowsNoChance(t *testing.T) {
	h := newHarness(t, TabTests)
	ctx := context.Background()
	if err := h.st.SetQueueSchedule(ctx, h.acc, "Europe/Berlin", []store.QueueSlot{{Weekday: time.Thursday, Minute: 750}, {Weekday: time.Friday, Minute: 750}}); err != nil {
		t.Fatal(err)
	}
	id, err := h.st.CreateABTest(ctx, store.ABTest{Name: "Rye wording", Pattern: "days", Zone: "Europe/Berlin", Accounts: []int64{h.acc},
		Variants: []store.ABVariant{{Body: "Rye is back"}, {Body: "Our rye loaf returns"}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := abtest.PlanTest(ctx, h.st, id, now, 2); err != nil {
		t.Fatal(err)
	}
	h.run.Run(h.m.Update(common.DataChangedMsg{}))
	v := h.view()
	if !strings.Contains(v, "P(BEST)") || strings.Contains(v, "50%") {
		t.Errorf("a variant nobody saw has a chance of being best:\n%s", v)
	}
}

// TestSuggestedSlotsInTheQueuesZone: a queue kept in another zone than
// crier's (here New York, crier in Berlin) gets slots suggested on its own
// clock: Saturday 13:30 in Berlin is 07:30 in New York, so the best window
// suggests Sat 07:00, not Sat 13:00.
func TestSuggestedSlotsInTheQueuesZone(t *testing.T) {
	h := newHarness(t, TabQueue)
	ctx := context.Background()
	if err := h.st.SetQueueSchedule(ctx, h.acc, "America/New_York", []store.QueueSlot{{Weekday: time.Monday, Minute: 600}}); err != nil {
		t.Fatal(err)
	}
	if err := h.st.RecordFollowers(ctx, h.acc, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 1000); err != nil {
		t.Fatal(err)
	}
	sent := func(at time.Time, likes int) {
		id, err := h.st.SaveDraft(ctx, store.Post{Body: "Bake " + at.String(), Targets: []store.Target{{AccountID: h.acc}}}, at.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := h.st.QueuePost(ctx, id, at, "Europe/Berlin", at.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		ds, _ := h.st.PostDeliveries(ctx, id)
		for _, d := range ds {
			if _, err := h.st.ClaimDelivery(ctx, d.ID, at); err != nil {
				t.Fatal(err)
			}
			if err := h.st.MarkSent(ctx, d.ID, store.RemoteRef{ID: "r" + strconv.FormatInt(d.ID, 10)}, "", at); err != nil {
				t.Fatal(err)
			}
			if err := h.st.RecordMetrics(ctx, at.Add(24*time.Hour), map[int64]store.Metrics{d.ID: {Likes: likes}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// February, when Berlin is 6 hours ahead of New York.
	for d := 6; d <= 27; d += 7 {
		sent(time.Date(2027, 2, d, 13, 30, 0, 0, tuitest.Berlin), 80)  // Saturdays
		sent(time.Date(2027, 2, d-4, 18, 0, 0, 0, tuitest.Berlin), 10) // Tuesdays
	}
	h.run.Send(common.DataChangedMsg{})
	h.run.Press("S")
	v := h.view()
	if !strings.Contains(v, "Suggested from the best times") {
		t.Fatalf("no suggestions:\n%s", v)
	}
	if !strings.Contains(v, "Sat 07:00") || strings.Contains(v, "Sat 13:00") {
		t.Errorf("suggested on Berlin's clock for a New York queue:\n%s", v)
	}
}

// A series made from a post with a Bluesky text of its own: the list says
// so, e shows and edits every network's text, and the coming posts carry
// what the form showed; emptying the Bluesky text makes Bluesky post the
// main text.
func TestSeriesTextEditsEveryNetworksText(t *testing.T) {
	h := newHarness(t, TabSeries)
	ctx := context.Background()
	bsky, err := h.st.UpsertAccount(ctx, store.Account{Platform: "bluesky", Handle: "shop.bsky.social"})
	if err != nil {
		t.Fatal(err)
	}
	if h.c.Accounts, err = h.st.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
	id, err := timing.NewSeries(ctx, h.st, timing.Series{Rule: "FREQ=WEEKLY;BYDAY=SA", Start: time.Date(2027, 3, 27, 7, 30, 0, 0, tuitest.Berlin),
		Zone: "Europe/Berlin", Template: store.Post{Body: "Saturday special", Targets: []store.Target{
			{AccountID: h.acc}, {AccountID: bsky, BodyOverride: "Saturday special 🥐 on Bluesky", HasOverride: true}}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	h.run.Send(common.DataChangedMsg{})
	if v := h.view(); !strings.Contains(v, "Bluesky's own text: Saturday special 🥐 on Bluesky") {
		t.Fatalf("the series list does not show the Bluesky text:\n%s", v)
	}
	texts := func() map[int64]string { // each account's text of the coming posts, all alike
		t.Helper()
		occ, err := h.st.Occurrences(ctx, id, now, 10)
		if err != nil || len(occ) < 2 {
			t.Fatalf("occurrences: %d, %v", len(occ), err)
		}
		var first map[int64]string
		for _, o := range occ {
			p, err := h.st.Post(ctx, o.PostID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[int64]string{}
			for _, tg := range p.Targets {
				got[tg.AccountID] = p.Body
				if tg.HasOverride {
					got[tg.AccountID] = tg.BodyOverride
				}
			}
			if first != nil && (got[h.acc] != first[h.acc] || got[bsky] != first[bsky]) {
				t.Fatalf("occurrences differ: %v and %v", first, got)
			}
			first = got
		}
		return first
	}

	h.run.Press("e")
	if v := h.view(); !strings.Contains(v, "Bluesky's own text") || !strings.Contains(v, "Saturday special 🥐 on Bluesky") {
		t.Fatalf("the series' text form does not show the Bluesky text:\n%s", v)
	}
	for range len("special") {
		h.run.Press("backspace")
	}
	h.run.Type("bake")
	h.run.Press("tab") // the Mastodon field: empty, it posts the main text
	h.run.Press("tab") // the Bluesky field
	for range []rune("special 🥐 on Bluesky") {
		h.run.Press("backspace")
	}
	h.run.Type("bake 🥨 on Bluesky")
	got := statuses(h.run.Press("enter"))
	if h.m.Capturing() {
		t.Fatalf("enter left the form open:\n%s", h.view())
	}
	if len(got) == 0 || !strings.Contains(got[len(got)-1], "on Bluesky") {
		t.Errorf("the status does not say what Bluesky posts: %v", got)
	}
	if tx := texts(); tx[h.acc] != "Saturday bake" || tx[bsky] != "Saturday bake 🥨 on Bluesky" {
		t.Fatalf("after the edit, the coming posts say %v", tx)
	}

	// Emptied, Bluesky's text gives way to the main text.
	h.run.Send(common.DataChangedMsg{})
	h.run.Press("e")
	h.run.Press("shift+tab") // from the main text round to the last field, Bluesky's
	for range len("Saturday bake 🥨 on Bluesky") {
		h.run.Press("backspace")
	}
	h.run.Press("enter")
	if tx := texts(); tx[h.acc] != "Saturday bake" || tx[bsky] != "Saturday bake" {
		t.Fatalf("after emptying the Bluesky text, the coming posts say %v", tx)
	}
	if r, _ := h.st.Recurrence(ctx, id); r.Template.Targets[1].HasOverride {
		t.Errorf("the template keeps a Bluesky text: %+v", r.Template.Targets)
	}
}

// The series' text form, open when crier closes, keeps every field typed
// (the Bluesky text too) and gives it back when it opens again.
func TestSeriesTextFormClosedByQuitKeepsEveryField(t *testing.T) {
	h := newHarness(t, TabSeries)
	ctx := context.Background()
	bsky, err := h.st.UpsertAccount(ctx, store.Account{Platform: "bluesky", Handle: "shop.bsky.social"})
	if err != nil {
		t.Fatal(err)
	}
	if h.c.Accounts, err = h.st.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := timing.NewSeries(ctx, h.st, timing.Series{Rule: "FREQ=WEEKLY;BYDAY=SA", Start: time.Date(2027, 3, 27, 7, 30, 0, 0, tuitest.Berlin),
		Zone: "Europe/Berlin", Template: store.Post{Body: "Saturday special", Targets: []store.Target{
			{AccountID: h.acc}, {AccountID: bsky, BodyOverride: "on Bluesky", HasOverride: true}}}}, now); err != nil {
		t.Fatal(err)
	}
	h.run.Send(common.DataChangedMsg{})
	h.run.Press("e")
	h.run.Type(" today")
	h.run.Press("shift+tab")
	h.run.Type(" only")
	h.run.Run(h.m.Update(common.BeforeQuitMsg{}))

	h.m = New(h.c, TabSeries)
	h.m.SetSize(100, 30)
	h.run = tuitest.NewRunner(t, tuitest.NewClock(now), h.m.Update)
	h.run.Deliver = func(msg tea.Msg) bool { return Owns(msg) }
	h.run.Run(h.m.Init())
	h.run.Press("e")
	if v := h.view(); !strings.Contains(v, "Saturday special today") || !strings.Contains(v, "on Bluesky only") {
		t.Fatalf("the texts typed are gone:\n%s", v)
	}
}
