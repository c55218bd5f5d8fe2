package drafts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit"
	"github.com/crier-app/crier/tui/components/extedit/extedittest"
)

// A family emoji is seven code points joined by zero-width joiners, one
// grapheme on screen and on Bluesky.
const family = "👩\u200d👩\u200d👧\u200d👦"

func countFor(t *testing.T, m *Model, platform string) netCount {
	t.Helper()
	for _, n := range m.comp.counts {
		if n.platform == platform {
			return n
		}
	}
	t.Fatalf("no counter for %s in %+v", platform, m.comp.counts)
	return netCount{}
}

func TestTypingUpdatesCounters(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	if !h.m.Capturing() {
		t.Fatal("n did not open the composer")
	}
	h.requireInView("mastodon 0/500 · bluesky 0/300")

	h.do(typed("Hi " + family))
	if got := countFor(t, h.m, "bluesky").used; got != 4 {
		t.Errorf("bluesky counts %q as %d, want 4 (the ZWJ sequence is one grapheme)", "Hi "+family, got)
	}
	if got := countFor(t, h.m, "mastodon").used; got != 4 {
		t.Errorf("mastodon counts %q as %d, want 4", "Hi "+family, got)
	}
	h.requireInView("mastodon 4/500 · bluesky 4/300")

	url := "https://example.com/" + strings.Repeat("sourdough-", 10)
	h.do(typed(" " + url))
	if got, want := countFor(t, h.m, "mastodon").used, 4+1+23; got != want {
		t.Errorf("mastodon counts a %d-character URL making %d, want %d (a URL counts 23)", len(url), got, want)
	}
	// Bluesky shows the link as example.com/sourdough-so… (its link
	// facet carries the whole URL), and counts what it shows: "…" is one
	// grapheme.
	if got, want := countFor(t, h.m, "bluesky").used, 4+1+len("example.com/sourdough-so")+1; got != want {
		t.Errorf("bluesky counts %d, want %d (a URL counts as the Bluesky app shows it)", got, want)
	}
	h.requireInView("mastodon 28/500")
}

func TestCountersFollowTargets(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(typed("fresh rye"))
	h.do(alt('2')) // bluesky off, from the text field
	if len(h.m.comp.counts) != 1 || h.m.comp.counts[0].platform != "mastodon" {
		t.Fatalf("after alt+2 counters are %+v, want mastodon only", h.m.comp.counts)
	}
	h.requireInView("[ ] bluesky @rosebakery.bsky.social")
	if got := h.m.comp.text.Value(); got != "fresh rye" {
		t.Errorf("alt+2 typed into the text: %q", got)
	}

	// tab to the accounts, then space toggles the one under the cursor.
	h.do(keyTab)
	if h.m.comp.focus != fieldAccounts {
		t.Fatalf("tab moved focus to %d, want the accounts", h.m.comp.focus)
	}
	if h.m.comp.accCursor != 1 {
		t.Fatalf("account cursor %d, want it left on the account alt+2 toggled", h.m.comp.accCursor)
	}
	h.requireInView("▸ [ ] bluesky")
	h.do(typed("h")) // previous account
	h.do(keySpace)
	h.requireInView("▸ [ ] mastodon @rosebakery")
	h.requireInView("no account chosen")
	h.do(typed("l")) // next account
	h.do(keyEnter)
	h.requireInView("[x] bluesky @rosebakery.bsky.social")
	if got := h.m.comp.text.Value(); got != "fresh rye" {
		t.Errorf("keys on the accounts changed the text: %q", got)
	}
	h.do(keyShiftTab)
	if h.m.comp.focus != fieldText {
		t.Fatalf("shift+tab moved focus to %d, want the text", h.m.comp.focus)
	}
}

func TestOverLimitBlocksQueue(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(typed(strings.Repeat("a", 301)))
	h.do(keyTab)
	h.do(keyTab)
	h.do(typed("tomorrow 9am"))
	h.requireInView("bluesky 301/300 ✗")
	h.requireInView("bluesky is 1 grapheme over its 300 limit")

	h.do(keyCtrlS)
	if !h.m.Capturing() {
		t.Fatal("ctrl+s queued a post that is too long for Bluesky")
	}
	h.requireInView("can't queue: bluesky is 1 grapheme over its 300 limit")
	if n := h.waker.n.Load(); n != 0 {
		t.Errorf("scheduler woken %d times", n)
	}
	var queued int
	if err := h.c.Store.DB().QueryRow("SELECT count(*) FROM posts WHERE state = 'queued'").Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != 0 {
		t.Fatalf("%d posts queued", queued)
	}

	// Bluesky also caps bytes: 300 family emoji are 300 graphemes but 7500 bytes.
	h.do(keyTab) // to the photos
	h.do(keyTab) // to the text
	h.m.comp.text.SetValue("")
	h.do(typed(strings.Repeat(family, 300)))
	if got := countFor(t, h.m, "bluesky"); got.used != 300 || got.bytes != 300*len(family) {
		t.Fatalf("bluesky counter %+v, want 300 graphemes and %d bytes", got, 300*len(family))
	}
	h.do(keyCtrlS)
	h.requireInView("bluesky is 4500 bytes over its 3000-byte limit")
	if !h.m.Capturing() {
		t.Fatal("ctrl+s queued a post over Bluesky's byte limit")
	}
}

func TestBadTimeIsAnInlineError(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(typed("Pretzels at noon"))
	h.do(keyTab)
	h.do(keyTab)
	h.do(typed("next blursday"))
	if h.m.comp.atErr == nil {
		t.Fatal("\"next blursday\" parsed")
	}
	h.requireInView(firstLine(h.m.comp.atErr.Error()))

	h.do(keyCtrlS)
	if !h.m.Capturing() {
		t.Fatal("ctrl+s queued with an unreadable time")
	}
	h.requireInView("can't queue:")
	if got := h.m.comp.text.Value(); got != "Pretzels at noon" {
		t.Fatalf("text is %q after the failed queue", got)
	}

	// A time that reads but has passed is an error for queueing too.
	h.m.comp.when.SetValue("") // clear the field as ctrl+u would
	h.do(typed("2026-10-20 09:00"))
	h.requireInView("in the past")
	h.do(keyCtrlS)
	h.requireInView("is in the past")
	if !h.m.Capturing() {
		t.Fatal("ctrl+s queued a post for yesterday")
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 30 {
		s = s[:30]
	}
	return s
}

func TestQueueAcrossDSTChange(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(typed("Pumpkin loaves tomorrow"))
	h.do(keyTab)
	h.do(keyTab)
	h.do(typed("tomorrow 9am"))
	// Sunday is after the change: 09:00 is CET, UTC+1.
	h.requireInView("tomorrow 09:00 · Sun 25 Oct 2026 09:00 CET")

	h.do(keyCtrlS)
	if h.m.Capturing() {
		t.Fatalf("composer still open after ctrl+s; problem %q, status %+v", h.m.comp.problem, h.status)
	}
	if st := h.lastStatus(); st.Err || !strings.Contains(st.Text, "queued for Sun 25 Oct 09:00 CET") {
		t.Errorf("status %+v, want queued for Sun 25 Oct 09:00 CET", st)
	}
	if n := h.waker.n.Load(); n != 1 {
		t.Errorf("scheduler woken %d times, want 1", n)
	}

	if len(h.m.items) != 1 {
		t.Fatalf("list has %d items, want the queued post", len(h.m.items))
	}
	id := h.m.items[0].ID
	p := h.post(id)
	want := time.Date(2026, 10, 25, 8, 0, 0, 0, time.UTC)
	if p.State != store.PostQueued || !p.ScheduledAt.Equal(want) || p.ScheduledZone != "Europe/Berlin" {
		t.Errorf("post is %s at %s (%s), want queued at %s (Europe/Berlin)", p.State, p.ScheduledAt, p.ScheduledZone, want)
	}
	if p.Body != "Pumpkin loaves tomorrow" || len(p.Targets) != 2 {
		t.Errorf("post body %q, %d targets; want the text, both accounts", p.Body, len(p.Targets))
	}
	due := h.dueTimes(id)
	if len(due) != 2 {
		t.Fatalf("%d deliveries, want 2", len(due))
	}
	for _, d := range due {
		if !d.Equal(want) {
			t.Errorf("delivery due %s, want %s", d, want)
		}
	}
	if h.countPosts() != 1 {
		t.Errorf("%d posts in the store, want 1 (autosave and queue must not each insert)", h.countPosts())
	}
}

func TestQueueNeedsTextTargetAndTime(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(keyCtrlS)
	h.requireInView("can't queue an empty post")
	h.do(typed("Croissants"))
	h.do(alt('1'))
	h.do(alt('2'))
	h.do(keyCtrlS)
	h.requireInView("choose at least one account")
	h.do(alt('1'))
	h.do(keyCtrlS)
	h.requireInView("can't queue without a time")
	if !h.m.Capturing() {
		t.Fatal("composer closed")
	}
}

func TestAutosaveDebounce(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))

	// Three quick edits arm one timer.
	for _, s := range []string{"Sour", "dough", "!"} {
		if msgs := h.collect(h.send(typed(s))); len(msgs) != 0 {
			t.Fatalf("an edit produced %v", msgs)
		}
	}
	ticks := h.clock.TakeWaits()
	if len(ticks) != 1 {
		t.Fatalf("three edits produced %d messages %v, want one autosave tick", len(ticks), ticks)
	}
	h.requireInView("unsaved")
	if h.countPosts() != 0 {
		t.Fatal("saved before the autosave tick")
	}

	// The tick starts one save.
	save := h.send(ticks[0].Msg)
	if save == nil {
		t.Fatal("autosave tick started no save")
	}
	h.requireInView("saving…")

	// An edit while it is in flight arms nothing and starts no second save.
	if msgs := h.collect(h.send(typed(" Fresh"))); len(msgs) != 0 || h.clock.Waiting() != 0 {
		t.Fatalf("an edit during a save produced %v and %d waits", msgs, h.clock.Waiting())
	}
	// A stale tick can't start a parallel save either.
	if cmd := h.send(ticks[0].Msg); cmd != nil {
		t.Fatal("a repeated tick started a save while one is in flight")
	}

	// The first save inserts; as the text changed meanwhile, it is saved
	// again as an update of the same post.
	saved := h.collect(save)
	if len(saved) != 1 {
		t.Fatalf("save produced %v", saved)
	}
	first := saved[0].(savedMsg)
	if first.err != nil || first.id == 0 {
		t.Fatalf("first save: %+v", first)
	}
	again := h.send(first)
	if again == nil {
		t.Fatal("no second save after an edit during the first")
	}
	h.settle(again)
	if n := h.countPosts(); n != 1 {
		t.Fatalf("%d posts, want 1: the second save must update", n)
	}
	if got := h.post(first.id).Body; got != "Sourdough! Fresh" {
		t.Fatalf("saved body %q", got)
	}
	h.requireInView("saved 12:00:00")
	h.requireInView("Draft")
}

func TestEscSavesAndCloses(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(keyEsc)
	if h.m.Capturing() || h.countPosts() != 0 {
		t.Fatal("esc on an empty new post should close without saving")
	}

	h.do(typed("n"))
	h.send(typed("Rye")) // edited, autosave not yet run
	h.do(keyEsc)
	if h.m.Capturing() {
		t.Fatal("esc did not close")
	}
	if len(h.m.items) != 1 || h.m.items[0].Body != "Rye" || h.m.items[0].State != store.PostDraft {
		t.Fatalf("list %+v, want the draft", h.m.items)
	}
	if h.countPosts() != 1 {
		t.Fatalf("%d posts", h.countPosts())
	}
}

func TestSaveErrorKeepsText(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.send(typed("Bagels"))
	h.c.Store.Close() // every write fails from here
	h.do(keyEsc)
	if !h.m.Capturing() {
		t.Fatal("composer closed although the save failed")
	}
	if st := h.lastStatus(); !st.Err || !strings.Contains(st.Text, "couldn't save") {
		t.Fatalf("status %+v, want the save error", st)
	}
	if got := h.m.comp.text.Value(); got != "Bagels" {
		t.Fatalf("text %q after a failed save", got)
	}
	h.requireInView("unsaved")
}

func TestComposeWithDayPrefillsTime(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(common.ComposeMsg{Day: time.Date(2026, 12, 3, 0, 0, 0, 0, berlin)})
	if !h.m.Capturing() {
		t.Fatal("ComposeMsg did not open the composer")
	}
	if got := h.m.comp.when.Value(); got != "2026-12-03 09:00" {
		t.Fatalf("time input %q", got)
	}
	h.requireInView("Thu 3 Dec 09:00")
	h.requireInView("[x] mastodon @rosebakery")
	h.requireInView("[x] bluesky @rosebakery.bsky.social")
	h.do(typed("Stollen"))
	h.do(keyEsc)
	p := h.post(h.m.items[0].ID)
	if want := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC); !p.ScheduledAt.Equal(want) {
		t.Fatalf("draft time %s, want %s", p.ScheduledAt, want)
	}
}

func TestComposeWithPostIDEdits(t *testing.T) {
	h := newHarness(t, 80, 21)
	at := time.Date(2026, 10, 30, 7, 30, 0, 0, time.UTC)
	id := h.draft("Cinnamon buns", at, h.c.Accounts[1])
	h.do(common.ComposeMsg{PostID: id})
	if !h.m.Capturing() {
		t.Fatalf("composer not open; status %+v", h.status)
	}
	c := h.m.comp
	if c.text.Value() != "Cinnamon buns" || c.when.Value() != "2026-10-30 08:30" {
		t.Fatalf("composer has %q at %q", c.text.Value(), c.when.Value())
	}
	if c.selected[0] || !c.selected[1] {
		t.Fatalf("targets %v, want bluesky only", c.selected)
	}
	h.do(typed(" and more"))
	h.do(keyEsc)
	p := h.post(id)
	if p.Body != "Cinnamon buns and more" || !p.ScheduledAt.Equal(at) || len(p.Targets) != 1 {
		t.Fatalf("saved %+v", p)
	}
	if h.countPosts() != 1 {
		t.Fatal("editing inserted a new post")
	}
}

// TestOpeningAQueuedPostKeepsItQueued: looking at a queued post and leaving
// changes nothing; editing it keeps it queued with the new text; only u
// takes it back to drafts, and says so.
func TestOpeningAQueuedPostKeepsItQueued(t *testing.T) {
	h := newHarness(t, 80, 21)
	at := time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC)
	id := h.queued("Monday bread", at)
	h.do(common.FocusMsg{})
	before := h.deliveries(id)

	h.do(keyEnter)
	if !h.m.Capturing() {
		t.Fatalf("enter did not open the composer; status %+v", h.status)
	}
	h.requireInView("Queued post")
	h.requireInView("goes out Mon 26 Oct 09:00")
	h.do(keyEsc)
	if h.m.Capturing() {
		t.Fatal("esc did not close the composer")
	}
	if p := h.post(id); p.State != store.PostQueued || p.Body != "Monday bread" {
		t.Fatalf("after opening and leaving: %s %q", p.State, p.Body)
	}
	if got := h.deliveries(id); !equalDeliveries(got, before) {
		t.Fatalf("opening and leaving changed its deliveries:\n%+v\n%+v", before, got)
	}
	if n := h.waker.n.Load(); n != 0 {
		t.Errorf("the scheduler was woken %d times by a look", n)
	}

	// Editing keeps it queued: the new text goes out at its time.
	h.do(keyEnter)
	h.do(typed(", still warm"))
	h.do(keyEsc)
	if p := h.post(id); p.State != store.PostQueued || p.Body != "Monday bread, still warm" || !p.ScheduledAt.Equal(at) {
		t.Fatalf("after editing: %s %q at %s", p.State, p.Body, p.ScheduledAt)
	}
	if got := h.deliveries(id); !equalDeliveries(got, before) {
		t.Fatalf("editing the text changed its deliveries:\n%+v\n%+v", before, got)
	}
	if st := h.lastStatus(); st.Err || !strings.Contains(st.Text, "still queued for Mon 26 Oct 09:00") {
		t.Errorf("status %+v, want it to say the post is still queued", st)
	}

	// u takes it back to drafts, and says so.
	h.do(typed("u"))
	if p := h.post(id); p.State != store.PostDraft {
		t.Fatalf("u left the post %s", p.State)
	}
	if st := h.lastStatus(); st.Err || !strings.Contains(st.Text, "back in drafts") {
		t.Errorf("status %+v, want it to say the post is back in drafts", st)
	}
	if h.waker.n.Load() == 0 {
		t.Error("the scheduler was not woken after its post was unqueued")
	}
}

// TestHalfSentPostFixesTheFailedCopyAlone: a post whose Mastodon copy went
// out and whose Bluesky copy was refused shows both, with the reason; its
// Bluesky text is fixed on its own and sent again, and the Mastodon copy is
// never touched.
func TestHalfSentPostFixesTheFailedCopyAlone(t *testing.T) {
	h := newHarness(t, 80, 21)
	at := time.Date(2026, 10, 24, 9, 0, 0, 0, time.UTC)
	id := h.queued("Half out: our rye is back", at)
	db := h.c.Store.DB()
	mas, bsk := h.c.Accounts[0].ID, h.c.Accounts[1].ID
	sentAt := at.Add(7 * time.Minute)
	if _, err := db.Exec("UPDATE deliveries SET state = 'sent', sent_at = ?, remote_url = 'https://mastodon.social/@rosebakery/1' WHERE post_id = ? AND account_id = ?",
		sentAt.UnixMilli(), id, mas); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE deliveries SET state = 'failed', attempts = 1, last_error = 'Invalid app.bsky.feed.post record (HTTP 400)' WHERE post_id = ? AND account_id = ?",
		id, bsk); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE posts SET state = 'failed' WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	h.do(common.FocusMsg{})
	sent := h.delivery(id, mas)

	// The list and its preview show each copy.
	h.requireInView("✓mastodon ✗bluesky")
	h.requireInView("✓ Mastodon sent 11:07, 7 min late")
	h.requireInView("✗ Bluesky not sent: Invalid app.bsky.feed.post record (HTTP 400)")

	h.do(keyEnter)
	if !h.m.Capturing() {
		t.Fatalf("a half-sent post did not open; status %+v", h.status)
	}
	h.requireInView("✗ Bluesky not sent: Invalid app.bsky.feed.post record")
	// Mastodon went out with the text for all: the box holds Bluesky's.
	if h.m.comp.version != bsk {
		t.Fatalf("the composer opened on version %d, want Bluesky's", h.m.comp.version)
	}
	h.do(typed(" 🍞"))
	h.do(keyShiftTab) // the photos
	h.do(keyShiftTab) // the time
	h.do(typed("+1h"))
	h.do(keyCtrlS)
	if h.m.Capturing() {
		t.Fatalf("not queued again: %q", h.m.comp.problem)
	}
	p := h.post(id)
	if p.Body != "Half out: our rye is back" || p.State != store.PostQueued {
		t.Fatalf("post after the fix: %s %q", p.State, p.Body)
	}
	if p.Targets[1].BodyOverride != "Half out: our rye is back 🍞" || !p.Targets[1].HasOverride {
		t.Fatalf("Bluesky's text %+v", p.Targets[1])
	}
	if got := h.delivery(id, mas); got != sent {
		t.Fatalf("the Mastodon copy changed:\n%+v\n%+v", sent, got)
	}
	retried := h.delivery(id, bsk)
	if retried.State != store.DeliveryQueued || !retried.DueAt.Equal(frozen.Add(time.Hour)) || retried.LastError != "" {
		t.Fatalf("the Bluesky copy: %+v", retried)
	}

	// The text that went out can't change, in the box or by taking the
	// account off.
	h.do(common.ComposeMsg{PostID: id})
	h.do(typed("x"))
	h.do(keyEsc)
	if got := h.post(id); got.Body != p.Body || got.Targets[1].BodyOverride != "Half out: our rye is back 🍞x" {
		t.Fatalf("after typing: body %q, Bluesky %q", got.Body, got.Targets[1].BodyOverride)
	}
	h.do(common.ComposeMsg{PostID: id})
	h.do(tea.KeyMsg{Type: tea.KeyCtrlO}) // back to the text for all
	h.do(typed("edit"))
	h.requireInView("Mastodon went out with the text for all networks")
	h.do(alt('1'))
	h.requireInView("Mastodon has this post already")
	h.do(keyEsc)
	if got := h.post(id); got.Body != p.Body || len(got.Targets) != 2 {
		t.Fatalf("the sent copy's text or account changed: %+v", got)
	}
}

// TestMissedPostGivenATimeAndClosedGoesOutThen: a new time typed for a
// missed post, then esc (save and close), queues it at that time, as ctrl+s
// would: the composer, the status bar and the list all say so, and none
// says it is still missed.
func TestMissedPostGivenATimeAndClosedGoesOutThen(t *testing.T) {
	h := newHarness(t, 100, 30)
	at := frozen.Add(-26 * time.Hour)
	id := h.queued("Walnut sourdough today", at)
	db := h.c.Store.DB()
	if _, err := db.Exec("UPDATE deliveries SET state = 'missed' WHERE post_id = ?", id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE posts SET state = 'missed' WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	h.do(common.FocusMsg{})
	h.do(keyEnter)
	h.requireInView("missed: it came due while crier was not running")
	h.do(keyShiftTab) // the photos
	h.do(keyShiftTab) // the time
	h.do(typed("+2h"))
	h.do(keyEsc)
	if h.m.Capturing() {
		t.Fatal("esc did not close the composer")
	}
	want := frozen.Add(2 * time.Hour)
	if p := h.post(id); p.State != store.PostQueued || !p.ScheduledAt.Equal(want) {
		t.Fatalf("post after a new time and esc: %s at %v, want queued at %v", p.State, p.ScheduledAt, want)
	}
	for _, a := range h.c.Accounts {
		if d := h.delivery(id, a.ID); d.State != store.DeliveryQueued || !d.DueAt.Equal(want) {
			t.Fatalf("copy to %s: %s at %v, want queued at %v", a.Handle, d.State, d.DueAt, want)
		}
	}
	if st := h.lastStatus(); st.Err || strings.Contains(st.Text, "missed") || !strings.Contains(st.Text, "now queued for") {
		t.Errorf("status %+v, want it to say the post is queued for its new time", st)
	}
	h.requireInView("queued")
	// Opened again, it shows where it is: queued, not missed.
	h.do(keyEnter)
	if v := h.m.View(); strings.Contains(v, "missed") {
		t.Errorf("the composer still says missed:\n%s", v)
	}
}

// TestSendAndDropTheFailedCopyFromTheList: s sends a post's failed copy
// now, x drops it; the copy that went out stays as it went.
func TestSendAndDropTheFailedCopyFromTheList(t *testing.T) {
	h := newHarness(t, 80, 21)
	at := time.Date(2026, 10, 24, 9, 0, 0, 0, time.UTC)
	id := h.queued("Rye", at)
	mas, bsk := h.c.Accounts[0].ID, h.c.Accounts[1].ID
	h.markCopy(id, mas, store.DeliverySent, "")
	h.markCopy(id, bsk, store.DeliveryFailed, "Bad request (HTTP 400)")
	h.setPostState(id, store.PostFailed)
	h.do(common.FocusMsg{})
	sent := h.delivery(id, mas)

	h.do(typed("s"))
	if st := h.lastStatus(); st.Err || !strings.Contains(st.Text, "sending the Bluesky copy now") {
		t.Fatalf("status %+v", st)
	}
	if d := h.delivery(id, bsk); d.State != store.DeliveryQueued || !d.DueAt.Equal(frozen) {
		t.Fatalf("Bluesky copy after s: %+v", d)
	}
	if h.waker.n.Load() == 0 {
		t.Error("the scheduler was not woken")
	}

	h.markCopy(id, bsk, store.DeliveryFailed, "Bad request (HTTP 400)")
	h.setPostState(id, store.PostFailed)
	h.do(common.FocusMsg{})
	h.do(typed("x"))
	if st := h.lastStatus(); st.Err || !strings.Contains(st.Text, "the Bluesky copy won't go out") {
		t.Fatalf("status %+v", st)
	}
	if p := h.post(id); p.State != store.PostSent {
		t.Fatalf("post %s after dropping its failed copy", p.State)
	}
	if got := h.delivery(id, mas); got != sent {
		t.Fatal("the sent copy changed")
	}
}

func TestDeleteAsksFirst(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.draft("Keep me", time.Time{})
	gone := h.draft("Delete me", time.Time{})
	h.do(common.FocusMsg{})
	if len(h.m.items) != 2 || h.m.items[0].ID != gone {
		t.Fatalf("list %+v: the newest draft should come first", h.m.items)
	}

	h.do(typed("d"))
	h.requireInView("Delete the draft post “Delete me” for good? y/n")
	h.do(typed("n"))
	if h.countPosts() != 2 || h.m.confirming {
		t.Fatal("n deleted, or kept asking")
	}

	h.do(typed("d"))
	h.do(typed("y"))
	if h.countPosts() != 1 {
		t.Fatalf("%d posts after y", h.countPosts())
	}
	if _, err := h.c.Store.Post(context.Background(), gone); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted post still loads: %v", err)
	}
	if len(h.m.items) != 1 || h.m.items[0].Body != "Keep me" {
		t.Fatalf("list after delete %+v", h.m.items)
	}
	if st := h.lastStatus(); st.Err || !strings.Contains(st.Text, "deleted") {
		t.Errorf("status %+v", st)
	}
}

func TestListMovesAndDropsStaleLoads(t *testing.T) {
	h := newHarness(t, 80, 21)
	for _, b := range []string{"one", "two", "three"} {
		h.draft(b, time.Time{})
	}
	h.do(common.DataChangedMsg{})
	if len(h.m.items) != 3 {
		t.Fatalf("%d items", len(h.m.items))
	}
	h.do(keyDown)
	h.do(typed("j"))
	if h.m.cursor != 2 {
		t.Fatalf("cursor %d after two downs", h.m.cursor)
	}
	h.do(typed("G"))
	h.do(typed("k"))
	if h.m.cursor != 1 {
		t.Fatalf("cursor %d", h.m.cursor)
	}

	// A reply to an older load is dropped.
	old := h.m.loadSeq
	h.send(common.DataChangedMsg{})
	h.send(loadedMsg{seq: old, items: nil})
	if len(h.m.items) != 3 {
		t.Fatal("a stale load replaced the list")
	}
}

func TestEditorMissing(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(typed("Scones"))
	h.do(keyCtrlE)
	if st := h.lastStatus(); !st.Err || !strings.Contains(st.Text, "$EDITOR") {
		t.Fatalf("status %+v, want a hint to set $EDITOR", st)
	}
	if h.m.comp.text.Value() != "Scones" {
		t.Fatal("text changed")
	}
}

func TestEditorRoundTrip(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(alt('2')) // Mastodon only: the file is the text alone
	h.do(typed("Scones"))

	// The editor fails: the text stays, and the status says so.
	editor, seen := extedittest.Editor(t, "never", true)
	h.c.Editor = editor
	h.do(extedittest.Run(t, h.send(keyCtrlE)))
	if got := extedittest.Seen(t, seen); got != "Scones" {
		t.Fatalf("the editor was handed %q", got)
	}
	if h.m.comp.text.Value() != "Scones" || !h.lastStatus().Err {
		t.Fatalf("after a failed editor: text %q, status %+v", h.m.comp.text.Value(), h.lastStatus())
	}

	// The editor succeeds: its text replaces the composer's and is saved.
	h.c.Editor, _ = extedittest.Editor(t, "Scones, warm\nwith jam", false)
	h.status = nil
	h.do(extedittest.Run(t, h.send(keyCtrlE)))
	if got := h.m.comp.text.Value(); got != "Scones, warm\nwith jam" {
		t.Fatalf("text %q after the editor", got)
	}
	if got := h.post(h.m.comp.base.ID).Body; got != "Scones, warm\nwith jam" {
		t.Fatalf("saved %q", got)
	}
	if st := h.lastStatus(); st.Err {
		t.Fatalf("status %+v after a round trip that worked", st)
	}
}

// TestOtherEditorsTextIsNotTaken: the root gives every pane every editor
// answer; the composer takes only its own.
func TestOtherEditorsTextIsNotTaken(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(typed("Scones"))
	gen := h.m.comp.gen
	for _, tag := range []any{gen, struct{ gen int }{gen}, editorTag{gen: gen + 1}} {
		h.do(extedit.TextMsg{Tag: tag, Text: "a reply, not this post"})
		h.do(extedit.TextMsg{Tag: tag, Err: errors.New("open /tmp/crier-reply-1.txt: no such file or directory")})
	}
	if got := h.m.comp.text.Value(); got != "Scones" {
		t.Fatalf("the composer took another editor's text: %q", got)
	}
	if len(h.status) != 0 {
		t.Fatalf("the composer reported another editor's outcome: %+v", h.status)
	}
}

func TestBeforeQuitSavesUnsavedText(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.send(typed("Last words"))
	h.collect(h.send(common.BeforeQuitMsg{}))
	if h.countPosts() != 1 {
		t.Fatalf("%d posts after quitting with unsaved text", h.countPosts())
	}
}

func TestComposeWhileComposingKeepsText(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(typed("Mine"))
	h.do(common.ComposeMsg{Day: frozen})
	if h.m.comp.text.Value() != "Mine" || !h.lastStatus().Err {
		t.Fatalf("a second compose replaced the open one")
	}
}

func TestDraftQueuedElsewhereKeepsText(t *testing.T) {
	h := newHarness(t, 80, 21)
	id := h.draft("Shared", time.Time{}, h.c.Accounts...)
	h.do(common.ComposeMsg{PostID: id})
	// Something else queues the post while it is open here.
	if err := h.c.Store.QueuePost(context.Background(), id, frozen.Add(time.Hour), "Europe/Berlin", frozen); err != nil {
		t.Fatal(err)
	}
	h.do(typed(" edit"))
	if st := h.lastStatus(); !st.Err || !strings.Contains(st.Text, "now a new draft") {
		t.Fatalf("status %+v, want a note that the text went to a new draft", st)
	}
	if h.countPosts() != 2 || h.m.comp.base.ID == id {
		t.Fatalf("%d posts, composer on #%d", h.countPosts(), h.m.comp.base.ID)
	}
	if got := h.post(h.m.comp.base.ID).Body; got != "Shared edit" {
		t.Fatalf("new draft holds %q", got)
	}
	if p := h.post(id); p.State != store.PostQueued || p.Body != "Shared" {
		t.Fatalf("the queued post changed: %s %q", p.State, p.Body)
	}
}

// TestTypedTimeReplacesThePrefilledOne: the time the calendar suggests is
// selected when the field gets focus, so "+2h" replaces it rather than
// being added to its end; a key that moves keeps it to edit.
func TestTypedTimeReplacesThePrefilledOne(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(common.ComposeMsg{Day: time.Date(2026, 10, 26, 0, 0, 0, 0, berlin)})
	h.do(typed("Pretzels"))
	h.do(keyTab)
	h.do(keyTab)
	h.do(typed("+2h"))
	if got := h.m.comp.when.Value(); got != "+2h" {
		t.Fatalf("time field %q, want the typed +2h alone", got)
	}
	if want := frozen.Add(2 * time.Hour); h.m.comp.atErr != nil || !h.m.comp.at.Equal(want) {
		t.Fatalf("time reads as %s (%v), want %s", h.m.comp.at, h.m.comp.atErr, want)
	}
	h.do(keyCtrlS)
	if h.m.Capturing() {
		t.Fatalf("not queued: %q", h.m.comp.problem)
	}

	// Back in the field, a movement key keeps the value for editing.
	h.do(common.ComposeMsg{Day: time.Date(2026, 10, 26, 0, 0, 0, 0, berlin)})
	h.do(keyShiftTab) // the photos
	h.do(keyShiftTab) // the time
	h.do(tea.KeyMsg{Type: tea.KeyLeft})
	h.do(tea.KeyMsg{Type: tea.KeyBackspace})
	h.do(typed("5"))
	if got := h.m.comp.when.Value(); got != "2026-10-26 09:50" {
		t.Fatalf("editing the suggested time gave %q", got)
	}
}

// TestEditsOfAPostThatGoesOutAreKept: a queued post due within moments
// can't change (a scheduler may be sending it as it stands); the typed text
// stays, and once the post has gone out it is kept as a new draft.
func TestEditsOfAPostThatGoesOutAreKept(t *testing.T) {
	h := newHarness(t, 80, 21)
	id := h.queued("Pretzels at noon", frozen.Add(10*time.Second))
	h.do(common.ComposeMsg{PostID: id})
	h.do(typed(", still warm"))
	if st := h.lastStatus(); !st.Err || !strings.Contains(st.Text, "due to go out now") {
		t.Fatalf("status %+v, want a refusal that says the post is due", st)
	}
	if p := h.post(id); p.Body != "Pretzels at noon" {
		t.Fatalf("the post changed as it went out: %q", p.Body)
	}
	if got := h.m.comp.text.Value(); got != "Pretzels at noon, still warm" {
		t.Fatalf("the typed text is gone: %q", got)
	}
	// It goes out; the next save keeps the text as a new draft.
	h.markCopy(id, h.c.Accounts[0].ID, store.DeliverySent, "")
	h.markCopy(id, h.c.Accounts[1].ID, store.DeliverySent, "")
	h.setPostState(id, store.PostSent)
	h.do(typed("!"))
	if st := h.lastStatus(); !st.Err || !strings.Contains(st.Text, "now a new draft") {
		t.Fatalf("status %+v, want the text kept as a new draft", st)
	}
	if got := h.post(h.m.comp.base.ID); got.ID == id || got.Body != "Pretzels at noon, still warm!" || got.State != store.PostDraft {
		t.Fatalf("the new draft: %+v", got)
	}
	if p := h.post(id); p.Body != "Pretzels at noon" || p.State != store.PostSent {
		t.Fatalf("the sent post changed: %+v", p)
	}
}

// TestQueuedPostIsNotSavedIntoSomethingThatCantGoOut: edits that would make
// a queued post fail (too long for a network) are not saved into it; it
// goes on as it was, and on esc the edits are kept as a new draft.
func TestQueuedPostIsNotSavedIntoSomethingThatCantGoOut(t *testing.T) {
	h := newHarness(t, 80, 21)
	id := h.queued("Rye", time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC))
	h.do(common.ComposeMsg{PostID: id})
	h.do(typed(strings.Repeat(" and spelt", 40)))
	h.requireInView("unsaved: it can't go out like this")
	if p := h.post(id); p.Body != "Rye" {
		t.Fatalf("an edit too long for Bluesky went into the queue: %d bytes", len(p.Body))
	}
	h.do(keyEsc)
	if h.m.Capturing() {
		t.Fatal("esc did not close")
	}
	st := h.lastStatus()
	if !st.Err || !strings.Contains(st.Text, "goes on as it was") || !strings.Contains(st.Text, "bluesky is") {
		t.Fatalf("status %+v", st)
	}
	if p := h.post(id); p.Body != "Rye" || p.State != store.PostQueued {
		t.Fatalf("the queued post changed: %s %q", p.State, p.Body)
	}
	if h.countPosts() != 2 {
		t.Fatalf("%d posts: the edits were not kept", h.countPosts())
	}
}

// TestAPictureNetworkNeedsAPhoto: a network whose every post is a picture
// (Limits.MinImages, as Instagram's would be) keeps a post without one from
// being queued, and says why.
func TestAPictureNetworkNeedsAPhoto(t *testing.T) {
	h := newHarness(t, 100, 24)
	spec := h.c.Networks["bluesky"]
	spec.Limits.MinImages = 1
	h.c.Networks["bluesky"] = spec
	h.do(typed("n"))
	h.do(typed("Fresh rye today"))
	h.do(keyTab)
	h.do(keyTab)
	h.do(typed("tomorrow 9am"))
	h.do(keyCtrlS)
	h.requireInView("can't queue: ")
	h.requireInView("posts need a photo; this post has none")
	if !h.m.Capturing() {
		t.Fatal("ctrl+s queued a post without a photo for a network that needs one")
	}
	var queued int
	if err := h.c.Store.DB().QueryRow("SELECT count(*) FROM posts WHERE state = 'queued'").Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != 0 {
		t.Fatalf("%d posts queued", queued)
	}
}

// TestQuitKeepsEditsOfAPostDueNow: crier quits (q, ctrl+c, an SSH session
// dropped) while the composer holds edits of a queued post too close to
// its time to change. The post goes out as it stands, and the typed text
// is kept as a new draft rather than lost with the program.
func TestQuitKeepsEditsOfAPostDueNow(t *testing.T) {
	for _, due := range []time.Duration{10 * time.Second, time.Hour, -time.Hour} {
		h := newHarness(t, 80, 21)
		id := h.queued("Pretzels at noon", frozen.Add(due.Abs()))
		h.do(common.ComposeMsg{PostID: id})
		if due < 0 {
			// A copy is being sent this moment (a retry, say), however
			// far its time.
			h.markCopy(id, h.c.Accounts[0].ID, store.DeliverySending, "")
			due = 0
		}
		h.send(typed(", still warm")) // not yet saved: the autosave waits
		h.collect(h.send(common.BeforeQuitMsg{}))
		if p := h.post(id); p.State != store.PostQueued {
			t.Fatalf("due in %s: quitting left the post %s", due, p.State)
		}
		want := "Pretzels at noon, still warm"
		if due > time.Minute {
			// Far from its time, the edit goes into the queued post.
			if p := h.post(id); p.Body != want || h.countPosts() != 1 {
				t.Fatalf("due in %s: post %q, %d posts", due, p.Body, h.countPosts())
			}
			continue
		}
		if p := h.post(id); p.Body != "Pretzels at noon" {
			t.Fatalf("due in %s: the post changed as it went out: %q", due, p.Body)
		}
		if h.countPosts() != 2 {
			t.Fatalf("due in %s: %d posts after quitting: the typed text is lost", due, h.countPosts())
		}
	}
}

// TestTimeTypedBeforeMidnightKeepsItsDay: "tomorrow 9am" typed at 23:59:50
// reads, and shows, as the next morning. Queued after midnight (ctrl+s a
// few seconds later, more text typed first), it goes out at the time shown
// when it was typed, not a day later: a time is read as of when it was
// typed.
func TestTimeTypedBeforeMidnightKeepsItsDay(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.run.Advance(11*time.Hour + 59*time.Minute + 50*time.Second) // Sat 23:59:50
	h.do(typed("n"))
	h.do(typed("Pumpkin loaves"))
	h.do(keyTab)
	h.do(keyTab)
	h.do(typed("tomorrow 9am"))
	h.requireInView("Sun 25 Oct 2026 09:00 CET")
	h.do(keyShiftTab)
	h.do(keyShiftTab)
	h.run.Advance(15 * time.Second) // midnight passes
	h.do(typed(" are back"))
	h.run.Advance(5 * time.Second)
	h.requireInView("Sun 25 Oct 2026 09:00 CET")
	h.do(keyCtrlS)
	if h.m.Capturing() {
		t.Fatalf("not queued: %q", h.m.comp.problem)
	}
	want := time.Date(2026, 10, 25, 8, 0, 0, 0, time.UTC)
	if p := h.post(h.m.items[0].ID); !p.ScheduledAt.Equal(want) {
		t.Fatalf("queued for %s, want %s, the time shown when it was typed", p.ScheduledAt.In(berlin), want.In(berlin))
	}
}

// TestEscOnAPostDueNowClosesAndKeepsEdits: edits of a queued post that is
// due (or overdue while no crier sends, or a copy is being sent) can't go
// into it. esc still closes the composer, and the edits are kept as a new
// draft: the person is never held in the composer by a post that can't
// change.
func TestEscOnAPostDueNowClosesAndKeepsEdits(t *testing.T) {
	for _, due := range []time.Duration{10 * time.Second, -time.Hour} {
		h := newHarness(t, 80, 21)
		id := h.queued("Pretzels at noon", frozen.Add(due))
		h.do(common.ComposeMsg{PostID: id})
		h.do(typed(", still warm"))
		h.do(keyEsc)
		if h.m.Capturing() {
			t.Fatalf("due in %s: esc left the composer open; status %+v", due, h.lastStatus())
		}
		if p := h.post(id); p.State != store.PostQueued || p.Body != "Pretzels at noon" {
			t.Fatalf("due in %s: the post changed: %s %q", due, p.State, p.Body)
		}
		if h.countPosts() != 2 {
			t.Fatalf("due in %s: %d posts: the edits were not kept", due, h.countPosts())
		}
		if st := h.lastStatus(); !st.Err || !strings.Contains(st.Text, "new draft") {
			t.Fatalf("due in %s: status %+v, want it to say where the edits went", due, st)
		}
	}
}

// TestLookingAtAQueuedPostChangesNothing: a queued post opened and left by
// every way there is (esc; crier quitting, as ctrl+c, q or a dropped SSH
// session do; a resize; the pane losing and getting focus; a change made
// elsewhere; the autosave's timer; the cursor moving over it) stays as it
// was queued, and the scheduler is not woken.
func TestLookingAtAQueuedPostChangesNothing(t *testing.T) {
	at := time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC)
	for _, leave := range []struct {
		name string
		do   func(h *harness)
	}{
		{"esc", func(h *harness) { h.do(keyEsc) }},
		{"quit", func(h *harness) { h.collect(h.send(common.BeforeQuitMsg{})) }},
		{"resize, then esc", func(h *harness) {
			h.do(tea.WindowSizeMsg{Width: 120, Height: 40})
			h.m.SetSize(120, 37)
			h.do(keyEsc)
		}},
		{"focus and data changes, then quit", func(h *harness) {
			h.do(common.FocusMsg{})
			h.do(common.DataChangedMsg{What: "database"})
			h.collect(h.send(common.BeforeQuitMsg{}))
		}},
		{"the autosave's time passes, then esc", func(h *harness) {
			h.run.Advance(3 * autosaveDelay)
			h.do(keyEsc)
		}},
		{"tab through every field, then esc", func(h *harness) {
			for range fieldCount {
				h.do(keyTab)
			}
			h.do(keyEsc)
		}},
	} {
		t.Run(leave.name, func(t *testing.T) {
			h := newHarness(t, 80, 21)
			id := h.queued("Monday bread", at)
			h.queued("Tuesday rolls", at.Add(24*time.Hour))
			h.do(common.FocusMsg{})
			before := h.deliveries(id)
			h.do(typed("j"))
			h.do(typed("k"))
			h.do(keyEnter)
			if !h.m.Capturing() || h.m.comp.base.ID != id {
				t.Fatalf("enter did not open post %d in the composer", id)
			}
			leave.do(h)
			if p := h.post(id); p.State != store.PostQueued || p.Body != "Monday bread" || !p.ScheduledAt.Equal(at) {
				t.Fatalf("after looking: %s %q at %s", p.State, p.Body, p.ScheduledAt)
			}
			if got := h.deliveries(id); !equalDeliveries(got, before) {
				t.Fatalf("looking changed its deliveries:\n%+v\n%+v", before, got)
			}
			if h.countPosts() != 2 {
				t.Fatalf("%d posts after looking", h.countPosts())
			}
			if n := h.waker.n.Load(); n != 0 {
				t.Errorf("the scheduler was woken %d times by a look", n)
			}
		})
	}
}
