package inbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/vlist"
	"github.com/crier-app/crier/tui/tuitest"
)

// now is the frozen clock of every test.
var now = time.Date(2025, 3, 4, 15, 0, 0, 0, time.UTC)

// zone is the display zone: fixed, so the tests need no tz database.
var zone = time.FixedZone("CET", 3600)

func openStore(t testing.TB) *store.Store { return tuitest.Store(t) }

// newCommon is the kit's Common on a clock of its own frozen at now,
// drawing in zone.
func newCommon(t testing.TB, st *store.Store) *common.Common {
	t.Helper()
	c := tuitest.Common(t, st, tuitest.NewClock(now))
	c.Zone = zone
	c.Settings.SnoozePresets = []time.Duration{time.Hour, 24 * time.Hour, 7 * 24 * time.Hour}
	return c
}

func addAccounts(t testing.TB, st *store.Store) (masto, bsky int64) {
	t.Helper()
	ctx := context.Background()
	masto, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "ryeandshine", Server: "bakery.social"})
	if err != nil {
		t.Fatal(err)
	}
	bsky, err = st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "ryeandshine.bsky.social"})
	if err != nil {
		t.Fatal(err)
	}
	return masto, bsky
}

// seedSmall stores a handful of items at fixed times, and one post of ours
// that two of them answer. It returns the item ids by remote id.
func seedSmall(t testing.TB, st *store.Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	masto, bsky := addAccounts(t, st)
	pid, err := st.SaveDraft(ctx, store.Post{Body: "Fresh rye loaves out of the oven at 7! 🍞",
		Targets: []store.Target{{AccountID: masto}}}, now.Add(-6*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, pid, now.Add(-5*time.Hour), "UTC", now.Add(-6*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(ctx, `UPDATE deliveries SET state = 'sent', remote_id = 'm-100', sent_at = ?
		WHERE post_id = ?`, now.Add(-5*time.Hour).UnixMilli(), pid); err != nil {
		t.Fatal(err)
	}
	item := func(acc int64, remote string, kind store.InboxKind, handle, name string, followers int, body string,
		ago time.Duration, state store.InboxState, read bool) store.InboxItem {
		plat := store.PlatformMastodon
		if acc == bsky {
			plat = store.PlatformBluesky
		}
		return store.InboxItem{AccountID: acc, Platform: plat, RemoteID: remote, Kind: kind, AuthorHandle: handle,
			AuthorName: name, AuthorFollowers: followers, Body: body, ReceivedAt: now.Add(-ago), State: state, Read: read}
	}
	items := []store.InboxItem{
		item(masto, "m-1", store.KindReply, "ana@toot.example", "Ana López", 1234,
			"Do you have a gluten-free option? My daughter would love to try the rye.", 12*time.Minute, store.InboxOpen, false),
		item(bsky, "b-2", store.KindMention, "bo.bsky.social", "Bo", 87,
			"Best croissants in town, hands down. @ryeandshine.bsky.social 🥐", 40*time.Minute, store.InboxOpen, false),
		item(masto, "m-3", store.KindDM, "carla@social.example", "", -1,
			"Hi! Can I order 30 bagels for Friday morning?\nPickup at 8 if possible.", 3*time.Hour, store.InboxOpen, true),
		item(bsky, "b-4", store.KindQuote, "dmitri.bsky.social", "Dmitri 🇺🇦", 5400,
			"This bakery is why I moved to the neighbourhood 😄 漢字も大丈夫", 26*time.Hour, store.InboxOpen, true),
		item(masto, "m-5", store.KindReply, "eve@toot.example", "Eve", 310,
			"Second that, the seeded rye is amazing", 2*time.Hour, store.InboxOpen, false),
		item(masto, "m-6", store.KindMention, "frank@x.example", "Frank", 12,
			"Is the shop open on Sunday?", 3*24*time.Hour, store.InboxSnoozed, true),
		item(bsky, "b-7", store.KindReply, "gia.bsky.social", "Gia", 40,
			"Thanks for the quick reply!", 5*24*time.Hour, store.InboxDone, true),
		item(masto, "m-8", store.KindMention, "hal@toot.example", "Hal", 2,
			"Loved the cinnamon buns at the market", 9*24*time.Hour, store.InboxOpen, true),
	}
	items[0].URL = "https://toot.example/@ana/111"
	items[0].InReplyTo, items[0].ThreadRoot = "m-100", "m-100"
	items[4].InReplyTo, items[4].ThreadRoot = "m-100", "m-100"
	items[5].SnoozedUntil = now.Add(20 * time.Hour)
	if _, err := st.AddInboxItems(ctx, tone.Read(items)); err != nil {
		t.Fatal(err)
	}
	return itemIDs(t, st)
}

func itemIDs(t testing.TB, st *store.Store) map[string]int64 {
	t.Helper()
	all, err := st.InboxPage(context.Background(), store.InboxFilter{}, nil, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, it := range all {
		ids[it.RemoteID] = it.ID
	}
	return ids
}

// seedMany stores n open mentions a minute apart on one account, r0 the newest.
func seedMany(t testing.TB, st *store.Store, n int) {
	t.Helper()
	masto, _ := addAccounts(t, st)
	items := make([]store.InboxItem, n)
	for i := range items {
		items[i] = store.InboxItem{AccountID: masto, Platform: store.PlatformMastodon, RemoteID: fmt.Sprintf("r%d", i),
			Kind: store.KindMention, AuthorHandle: fmt.Sprintf("user%d@example.social", i%13), AuthorFollowers: -1,
			Body: fmt.Sprintf("message number %d", i), ReceivedAt: now.Add(-time.Duration(i+1) * time.Minute)}
	}
	if _, err := st.AddInboxItems(context.Background(), tone.Read(items)); err != nil {
		t.Fatal(err)
	}
}

// harness drives the pane the way the program would (tuitest.Runner):
// commands run, their messages fed back, status messages kept for
// checking. After each step the pane's waits (the debounces, the read
// timer) end at once, as if the person paused; a held harness leaves them
// on the clock for the test to take (waits).
type harness struct {
	t      testing.TB
	m      *Model
	r      *tuitest.Runner
	hold   bool
	status []common.StatusMsg
}

func newHarness(t testing.TB, c *common.Common, w, h int) *harness {
	t.Helper()
	return startHarness(t, c, w, h, false)
}

// newHeldHarness is a harness whose waits stay on the clock.
func newHeldHarness(t testing.TB, c *common.Common, w, h int) *harness {
	t.Helper()
	return startHarness(t, c, w, h, true)
}

func startHarness(t testing.TB, c *common.Common, w, h int, hold bool) *harness {
	t.Helper()
	m := New(c)
	m.SetSize(w, h)
	hs := &harness{t: t, m: m, hold: hold}
	hs.r = tuitest.NewRunner(t, nil, hs.update)
	hs.run(m.Init())
	return hs
}

// run runs cmd and what follows from it until the pane is quiet.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	h.keep(h.r.Run(cmd))
	if !h.hold {
		h.keep(h.r.FastForward())
	}
}

// keep keeps the status messages the pane sent the root.
func (h *harness) keep(msgs []tea.Msg) {
	for _, msg := range msgs {
		if s, ok := msg.(common.StatusMsg); ok {
			h.status = append(h.status, s)
		}
	}
}

// waits takes the waits off the clock (a held harness's).
func (h *harness) waits() []tuitest.Wait {
	if c := h.r.Clock(); c != nil {
		return c.TakeWaits()
	}
	return nil
}

func (h *harness) update(msg tea.Msg) tea.Cmd {
	p, cmd := h.m.Update(msg)
	h.m = p.(*Model)
	return cmd
}

func (h *harness) send(msg tea.Msg) { h.t.Helper(); h.run(h.update(msg)) }

func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(tuitest.Key(k))
	}
}

func (h *harness) selected() store.InboxItem {
	h.t.Helper()
	it, ok := h.m.list.Selected()
	if !ok {
		h.t.Fatalf("no item under the cursor (at %d of %d)", h.m.list.Cursor(), h.m.list.Total())
	}
	return it
}

func (h *harness) header() string {
	return strings.TrimRight(strings.SplitN(h.m.View(), "\n", 2)[0], " ")
}

func (h *harness) lastStatus() common.StatusMsg {
	if len(h.status) == 0 {
		return common.StatusMsg{}
	}
	return h.status[len(h.status)-1]
}

func storedItem(t testing.TB, st *store.Store, id int64) store.InboxItem {
	t.Helper()
	all, err := st.InboxPage(context.Background(), store.InboxFilter{}, nil, nil, 100000)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range all {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("item %d is not stored", id)
	return store.InboxItem{}
}

func TestLoadsOpenItemsNewestFirst(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	got := h.header()
	if !strings.HasPrefix(got, "Open · all kinds · all accounts — 6 items  ") || !strings.HasSuffix(got, "  1 of 6") ||
		lipgloss.Width(got) != 80 {
		t.Fatalf("header: %q", got)
	}
	var order []string
	for i := 0; i < 6; i++ {
		order = append(order, h.selected().RemoteID)
		h.keys("j")
	}
	if got := strings.Join(order, " "); got != "m-1 b-2 m-5 m-3 b-4 m-8" {
		t.Fatalf("order = %s", got)
	}
	if h.m.list.Cursor() != 5 {
		t.Fatalf("cursor went past the end: %d", h.m.list.Cursor())
	}
}

func TestNavigationKeys(t *testing.T) {
	st := openStore(t)
	seedMany(t, st, 250)
	h := newHarness(t, newCommon(t, st), 80, 21)
	listH := h.m.layout().listH
	h.keys("j", "j", "k")
	if h.m.list.Cursor() != 1 {
		t.Fatalf("j j k: cursor %d", h.m.list.Cursor())
	}
	h.keys("pgdown")
	if h.m.list.Cursor() != 1+listH {
		t.Fatalf("page down: cursor %d, want %d", h.m.list.Cursor(), 1+listH)
	}
	h.keys("G")
	if it := h.selected(); h.m.list.Cursor() != 249 || it.RemoteID != "r249" {
		t.Fatalf("G: cursor %d on %s", h.m.list.Cursor(), it.RemoteID)
	}
	h.keys("pgup", "k")
	if it := h.selected(); it.RemoteID != fmt.Sprintf("r%d", 248-listH) {
		t.Fatalf("page up, k: on %s", it.RemoteID)
	}
	h.keys("g")
	if it := h.selected(); it.RemoteID != "r0" {
		t.Fatalf("g: on %s", it.RemoteID)
	}
	// Walking down through every page reads every item in order.
	for i := 1; i < 250; i++ {
		h.keys("down")
		if it := h.selected(); it.RemoteID != fmt.Sprintf("r%d", i) {
			t.Fatalf("down to %d: on %s", i, it.RemoteID)
		}
	}
}

func TestFiltersCycleAndCount(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c := newCommon(t, st)
	h := newHarness(t, c, 120, 37)
	for _, want := range []string{
		"Snoozed · all kinds · all accounts — 1 item",
		"Done · all kinds · all accounts — 1 item",
		"All states · all kinds · all accounts — 8 items",
	} {
		h.keys("f")
		if got := h.header(); !strings.HasPrefix(got, want) {
			t.Fatalf("after f: %q, want %q…", got, want)
		}
	}
	h.keys("f") // back to open
	h.keys("t")
	if got := h.header(); !strings.HasPrefix(got, "Open · mentions · all accounts — 2 items") {
		t.Fatalf("after t: %q", got)
	}
	h.keys("T", "T")
	if got := h.header(); !strings.HasPrefix(got, "Open · listening · all accounts — 0 items") {
		t.Fatalf("after T T: %q", got)
	}
	h.keys("T")
	if got := h.header(); !strings.HasPrefix(got, "Open · DMs · all accounts — 1 item") {
		t.Fatalf("after T T T: %q", got)
	}
	if it := h.selected(); it.RemoteID != "m-3" {
		t.Fatalf("the DM filter shows %s", it.RemoteID)
	}
	h.keys("t", "t", "a")
	if got := h.header(); !strings.HasPrefix(got, "Open · all kinds · @ryeandshine (Mastodon) — 4 items") {
		t.Fatalf("after a: %q", got)
	}
	h.keys("a")
	if got := h.header(); !strings.HasPrefix(got, "Open · all kinds · @ryeandshine.bsky.social (Bluesky) — 2 items") {
		t.Fatalf("after a a: %q", got)
	}
	h.keys("A", "A")
	if got := h.header(); !strings.HasPrefix(got, "Open · all kinds · all accounts — 6 items") {
		t.Fatalf("after A A: %q", got)
	}
}

func TestDoneMovesToTheNextItemAndPersists(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	h.keys("j") // b-2
	h.keys("e")
	if got := storedItem(t, st, ids["b-2"]); got.State != store.InboxDone {
		t.Fatalf("b-2 is %s in the store, want done", got.State)
	}
	if it := h.selected(); it.RemoteID != "m-5" || h.m.list.Cursor() != 1 {
		t.Fatalf("cursor on %s at %d, want m-5 at 1", it.RemoteID, h.m.list.Cursor())
	}
	if s := h.lastStatus(); s.Text != "done · z undoes" || s.Err {
		t.Fatalf("status = %+v", s)
	}
	if !strings.Contains(h.header(), "5 items") {
		t.Fatalf("header = %q", h.header())
	}
	// The last item done: the cursor goes to the one before it.
	h.keys("G", "e")
	if it := h.selected(); it.RemoteID != "b-4" {
		t.Fatalf("after the last went: on %s", it.RemoteID)
	}
	// Under "all states" a done item stays, and the cursor with it.
	h.keys("F")
	h.keys("g")
	first := h.selected().ID
	h.keys("e")
	if it := h.selected(); it.ID != first || it.State != store.InboxDone {
		t.Fatalf("all states: on %d (%s), want %d done", it.ID, it.State, first)
	}
	h.keys("e")
	if s := h.lastStatus(); s.Text != "already done" {
		t.Fatalf("second e: status %+v", s)
	}
}

func TestSnoozeChooser(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	if h.m.Capturing() {
		t.Fatal("capturing before the chooser opened")
	}
	h.keys("s")
	if !h.m.Capturing() || !strings.Contains(h.m.View(), "Snooze until") {
		t.Fatal("s did not open the chooser")
	}
	h.keys("j", "9") // no such preset; j is not movement here
	if !h.m.Capturing() || h.selected().RemoteID != "m-1" {
		t.Fatal("keys other than a preset or esc leaked out of the chooser")
	}
	h.keys("esc")
	if h.m.Capturing() || storedItem(t, st, ids["m-1"]).State != store.InboxOpen {
		t.Fatal("esc did not cancel")
	}
	h.keys("s", "2")
	got := storedItem(t, st, ids["m-1"])
	if h.m.Capturing() || got.State != store.InboxSnoozed || !got.SnoozedUntil.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("after s 2: capturing %v, stored %s until %v", h.m.Capturing(), got.State, got.SnoozedUntil)
	}
	if it := h.selected(); it.RemoteID != "b-2" {
		t.Fatalf("cursor on %s, want b-2", it.RemoteID)
	}
	if s := h.lastStatus(); s.Text != "snoozed until Wed 5 Mar, 16:00 · z undoes" {
		t.Fatalf("status %+v", s)
	}
}

func TestReopen(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	h.keys("f") // snoozed
	if it := h.selected(); it.RemoteID != "m-6" {
		t.Fatalf("snoozed filter shows %s", it.RemoteID)
	}
	h.keys("u")
	got := storedItem(t, st, ids["m-6"])
	if got.State != store.InboxOpen || !got.SnoozedUntil.IsZero() {
		t.Fatalf("m-6 stored as %s until %v", got.State, got.SnoozedUntil)
	}
	if h.m.list.Total() != 0 || !strings.Contains(h.m.View(), "Nothing here.") {
		t.Fatalf("snoozed list after reopening: %d items", h.m.list.Total())
	}
	h.keys("u")
	if s := h.lastStatus(); s.Text != "reopened · z undoes" {
		t.Fatalf("u on an empty list changed the status to %+v", s)
	}
}

func TestFailedActionShowsAnError(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	// The item disappears behind the pane's back.
	if _, err := st.DB().Exec("DELETE FROM inbox_items WHERE id = ?", ids["m-1"]); err != nil {
		t.Fatal(err)
	}
	h.keys("e")
	if s := h.lastStatus(); !s.Err || !strings.Contains(s.Text, "not found") {
		t.Fatalf("status = %+v", s)
	}
}

func TestDataChangedKeepsTheCursorOnItsItem(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	h.keys("j", "j") // m-5
	masto := h.m.c.Accounts[0].ID
	if _, err := st.AddInboxItems(context.Background(), tone.Read([]store.InboxItem{{AccountID: masto, Platform: store.PlatformMastodon,
		RemoteID: "new", Kind: store.KindMention, AuthorHandle: "zed", Body: "just now", ReceivedAt: now, AuthorFollowers: -1}})); err != nil {
		t.Fatal(err)
	}
	h.send(common.DataChangedMsg{What: "synced"})
	if it := h.selected(); it.ID != ids["m-5"] || h.m.list.Cursor() != 3 || h.m.list.Total() != 7 {
		t.Fatalf("after reload: on %s at %d of %d, want m-5 at 3 of 7", it.RemoteID, h.m.list.Cursor(), h.m.list.Total())
	}
	// The item goes elsewhere (done in another pane): the cursor takes the next.
	if err := st.SetInboxState(context.Background(), []int64{ids["m-5"]}, store.InboxDone, time.Time{}); err != nil {
		t.Fatal(err)
	}
	h.send(common.DataChangedMsg{})
	if it := h.selected(); it.RemoteID != "m-3" || h.m.list.Cursor() != 3 {
		t.Fatalf("after its item left: on %s at %d", it.RemoteID, h.m.list.Cursor())
	}
}

func TestFocusWakesSnoozedItems(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c := newCommon(t, st)
	h := newHarness(t, c, 80, 21)
	if err := st.SetInboxState(context.Background(), []int64{ids["m-6"]}, store.InboxSnoozed, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	h.send(common.FocusMsg{})
	if h.m.list.Total() != 7 || storedItem(t, st, ids["m-6"]).State != store.InboxOpen {
		t.Fatalf("after focus: %d open, m-6 is %s", h.m.list.Total(), storedItem(t, st, ids["m-6"]).State)
	}
}

func TestStaleRepliesAreDropped(t *testing.T) {
	st := openStore(t)
	seedMany(t, st, 500)
	h := newHeldHarness(t, newCommon(t, st), 80, 21)
	m := h.m

	// G asks for the last page; hold the answer back.
	_, endCmd := m.Update(tuitest.Key("G"))
	if _, ok := m.list.Selected(); ok {
		t.Fatal("the last item is there before its page came")
	}
	if !strings.Contains(m.View(), "…") {
		t.Fatal("no placeholder row while the last page is on its way")
	}
	lastPage := collect(endCmd)
	// g comes back to the held first page before the answer arrives.
	h.keys("g")
	for _, msg := range lastPage {
		_, cmd := m.Update(msg)
		if start, _ := m.list.Window(); start != 0 {
			t.Fatalf("a late last page replaced the window (start %d)", start)
		}
		for _, next := range collect(cmd) {
			if _, ok := next.(pageMsg); ok {
				t.Fatal("a late last page led to more page fetches")
			}
		}
	}
	if it := h.selected(); it.RemoteID != "r0" {
		t.Fatalf("a late last page moved the list: on %s", it.RemoteID)
	}

	// An old load arriving after a newer one is dropped.
	oldSeq := m.loadSeq
	h.keys("f") // snoozed: none
	if m.list.Total() != 0 {
		t.Fatalf("snoozed filter shows %d items", m.list.Total())
	}
	h.send(loadedMsg{seq: oldSeq, win: store.InboxWindow{Total: 1, Items: []store.InboxItem{{ID: 999, Body: "stale"}}}})
	if m.list.Total() != 0 {
		t.Fatal("a stale load replaced the list")
	}

	// A page from before a filter change is dropped too.
	h.keys("F")
	var pageCmd tea.Cmd
	for i := 0; i < 200 && pageCmd == nil; i++ {
		_, cmd := m.Update(tuitest.Key("j"))
		for _, msg := range collect(cmd) {
			if pm, ok := msg.(pageMsg); ok && pm.req.Dir == vlist.After {
				pageCmd = func() tea.Msg { return pm }
			}
		}
	}
	if pageCmd == nil {
		t.Fatal("walking down never asked for the next page")
	}
	h.keys("t") // mentions: reload
	before := m.list.Total()
	_, rows := m.list.Window()
	held := len(rows)
	h.run(pageCmd)
	if _, rows := m.list.Window(); len(rows) != held || m.list.Total() != before {
		t.Fatalf("a page from before the reload was applied: %d rows held, was %d", len(rows), held)
	}
}

// collect runs a command and returns the messages it (and its batch) made.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, collect(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

func TestMarkReadWaitsForTheCursorToRest(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	h := newHeldHarness(t, newCommon(t, st), 80, 21)
	var timers []tea.Msg
	take := func() {
		for _, w := range h.waits() {
			timers = append(timers, w.Msg)
		}
	}
	take()
	// Scroll past m-1 and b-2 to m-5; only m-5's timer is current.
	h.keys("j", "j")
	take()
	if len(timers) != 3 {
		t.Fatalf("%d settle timers, want 3", len(timers))
	}
	for _, msg := range timers[:2] {
		h.send(msg)
	}
	take()
	if len(timers) != 3 {
		t.Fatal("a stale settle timer started the read timer")
	}
	h.send(timers[2])
	take()
	read, ok := timers[len(timers)-1].(readMsg)
	if !ok {
		t.Fatalf("settling started %T, want the read timer", timers[len(timers)-1])
	}
	if storedItem(t, st, ids["m-5"]).Read {
		t.Fatal("m-5 was read before its timer fired")
	}
	h.send(read)
	for _, id := range []string{"m-1", "b-2"} {
		if storedItem(t, st, ids[id]).Read {
			t.Fatalf("%s was marked read though the cursor only passed it", id)
		}
	}
	if !storedItem(t, st, ids["m-5"]).Read || !h.selected().Read {
		t.Fatal("m-5 was not marked read after resting on it")
	}
	// A timer from before a move does nothing.
	h.keys("k") // b-2, unread
	h.send(read)
	if storedItem(t, st, ids["b-2"]).Read {
		t.Fatal("an old read timer marked b-2 read")
	}
}

func TestNetworkTextCannotEscape(t *testing.T) {
	st := openStore(t)
	masto, _ := addAccounts(t, st)
	evil := "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J"
	if _, err := st.AddInboxItems(context.Background(), tone.Read([]store.InboxItem{{
		AccountID: masto, Platform: store.PlatformMastodon, RemoteID: "x", Kind: store.KindMention,
		AuthorHandle: "mallory" + evil + "@evil.example", AuthorName: "Mal" + evil + "lory", AuthorFollowers: 3,
		Body: "hello " + evil + " world", URL: "https://evil.example/" + evil, ReceivedAt: now.Add(-time.Hour),
	}})); err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		h := newHarness(t, newCommon(t, st), size[0], size[1])
		view := h.m.View()
		if strings.ContainsRune(view, 0x1b) || strings.ContainsRune(view, 0x07) {
			t.Fatalf("%v: an escape from the item reached the screen:\n%q", size, view)
		}
		if !strings.Contains(view, "hello  world") || !strings.Contains(view, "Mallory") {
			t.Fatalf("%v: the item's text is gone:\n%s", size, view)
		}
	}
	// With colours on, the pane's own styling uses escapes, but none of the
	// item's get through.
	c := newCommon(t, st)
	c.Styles = tuitest.StylesFor(termenv.ANSI256)
	view := newHarness(t, c, 120, 37).m.View()
	for _, seq := range []string{"\x1b]52", "\x1b[2J", "\x07"} {
		if strings.Contains(view, seq) {
			t.Fatalf("%q reached the screen", seq)
		}
	}
}

func TestViewFitsItsArea(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	for _, size := range [][2]int{{80, 21}, {120, 37}, {100, 30}, {200, 50}, {80, 1}, {80, 2}, {80, 5}, {30, 12}} {
		h := newHarness(t, newCommon(t, st), size[0], size[1])
		for _, state := range []string{"", "s"} {
			if state != "" {
				h.keys(state)
			}
			lines := strings.Split(h.m.View(), "\n")
			if len(lines) != size[1] {
				t.Fatalf("%v: %d lines", size, len(lines))
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w != size[0] {
					t.Fatalf("%v line %d is %d wide: %q", size, i, w, l)
				}
			}
		}
	}
}

func TestGolden(t *testing.T) {
	// Each view starts from a fresh store: resting on an item marks it read.
	seeded := func(t *testing.T) *common.Common {
		st := openStore(t)
		seedSmall(t, st)
		return newCommon(t, st)
	}
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, seeded(t), size[0], size[1])
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("dm_"+name, func(t *testing.T) {
			h := newHarness(t, seeded(t), size[0], size[1])
			h.keys("j", "j", "j")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("snooze_"+name, func(t *testing.T) {
			h := newHarness(t, seeded(t), size[0], size[1])
			h.keys("s")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("all_states_"+name, func(t *testing.T) {
			h := newHarness(t, seeded(t), size[0], size[1])
			h.keys("F", "G", "k")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
	}
	t.Run("snooze_nine_presets_80x21", func(t *testing.T) {
		c := seeded(t)
		c.Settings.SnoozePresets = nil
		for i := 1; i <= 9; i++ {
			c.Settings.SnoozePresets = append(c.Settings.SnoozePresets, time.Duration(i)*time.Hour)
		}
		h := newHarness(t, c, 80, 21)
		h.keys("s")
		golden.RequireEqual(t, []byte(h.m.View()))
	})
	t.Run("empty_80x21", func(t *testing.T) {
		h := newHarness(t, newCommon(t, openStore(t)), 80, 21)
		golden.RequireEqual(t, []byte(h.m.View()))
	})
}

func TestRowSpansDrawAsRenderWould(t *testing.T) {
	s := tuitest.StylesFor(termenv.ANSI256)
	p := newRowPaint(s)
	for name, pair := range map[string]struct {
		style lipgloss.Style
		span  span
	}{
		"accent": {s.Accent, p.accent}, "warn": {s.Warn, p.warn}, "muted": {s.Muted, p.muted},
		"text": {s.Text, p.text}, "bold": {s.Bold, p.bold}, "selected": {s.Selected, p.selected},
		"danger": {s.Danger, p.danger}, "ok": {s.Ok, p.ok},
	} {
		for _, text := range []string{"reply  ", "Ana López", "漢字 🍞 x"} {
			if got, want := pair.span.on(text), pair.style.Render(text); got != want {
				t.Errorf("%s %q: span gives %q, Render %q", name, text, got, want)
			}
		}
		if pair.span.start == "" {
			t.Errorf("%s: no escape sequence with colours on", name)
		}
	}
}

func TestHandlesGetOneAt(t *testing.T) {
	for in, want := range map[string]string{"ana@toot.example": "@ana@toot.example", "@ana@toot.example": "@ana@toot.example", "bo.bsky.social": "@bo.bsky.social"} {
		if got := at(in); got != want {
			t.Errorf("at(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAccountColumnOnlyWhenANetworkHasTwo(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c := newCommon(t, st)
	h := newHarness(t, c, 80, 21)
	if row := strings.Split(h.m.View(), "\n")[1]; strings.Contains(row, "ryeandshine") {
		t.Fatalf("an account column with one account per network: %q", row)
	}
	if _, err := st.UpsertAccount(context.Background(), store.Account{Platform: store.PlatformMastodon,
		Handle: "@ryeandshinecafe@mastodon.social", Server: "mastodon.social"}); err != nil {
		t.Fatal(err)
	}
	c = newCommon(t, st)
	h = newHarness(t, c, 80, 21)
	row := strings.Split(h.m.View(), "\n")[1]
	if !strings.Contains(row, " masto ryeandshine     Ana López") {
		t.Fatalf("first row: %q", row)
	}
	h.keys("a") // one account: the column goes
	if row := strings.Split(h.m.View(), "\n")[1]; strings.Contains(row, "ryeandshine") {
		t.Fatalf("account column with one account shown: %q", row)
	}
}

func TestPreviewShowsTheConversationAndRefreshesIt(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 120, 37)
	view := h.m.View()
	for _, want := range []string{"Your post @ryeandshine", "Fresh rye loaves out of the oven at 7!", "Eve @eve@toot.example",
		"https://toot.example/@ana/111", "Ana López @ana@toot.example · 1,234 followers", "Tue 4 Mar, 15:48 · 12m ago · open"} {
		if !strings.Contains(view, want) {
			t.Fatalf("preview lacks %q:\n%s", want, view)
		}
	}
	masto := h.m.c.Accounts[0].ID
	if _, err := st.AddInboxItems(context.Background(), tone.Read([]store.InboxItem{{AccountID: masto, Platform: store.PlatformMastodon,
		RemoteID: "m-9", Kind: store.KindReply, AuthorHandle: "ivy@toot.example", AuthorName: "Ivy", Body: "Me too, please!",
		ThreadRoot: "m-100", InReplyTo: "m-100", ReceivedAt: now.Add(-30 * time.Minute), AuthorFollowers: -1}})); err != nil {
		t.Fatal(err)
	}
	h.send(common.DataChangedMsg{})
	if it := h.selected(); it.RemoteID != "m-1" {
		t.Fatalf("cursor moved to %s", it.RemoteID)
	}
	if preview := previewOf(h.m.View()); !strings.Contains(preview, "Ivy @ivy@toot.example") ||
		!strings.Contains(preview, "Me too, please!") {
		t.Fatalf("the conversation was not reloaded:\n%s", preview)
	}
}

func TestPageErrorsShowAndCanBeRetried(t *testing.T) {
	st := openStore(t)
	seedMany(t, st, 400)
	h := newHeldHarness(t, newCommon(t, st), 80, 21)
	m := h.m
	var failed pageMsg
	for i := 0; i < 200 && failed.req.Seq == 0; i++ {
		_, cmd := m.Update(tuitest.Key("j"))
		for _, msg := range collect(cmd) {
			if pm, ok := msg.(pageMsg); ok {
				failed = pm
			}
		}
	}
	failed.items, failed.err = nil, fmt.Errorf("disk on fire")
	h.send(failed)
	if s := h.lastStatus(); !s.Err || !strings.Contains(s.Text, "disk on fire") {
		t.Fatalf("status = %+v", s)
	}
	// The next key asks again, and this time it works.
	h.keys("j")
	for i := 0; i < 200; i++ {
		h.keys("j")
	}
	if it := h.selected(); it.RemoteID != fmt.Sprintf("r%d", m.list.Cursor()) {
		t.Fatalf("at %d: %s", m.list.Cursor(), it.RemoteID)
	}
}

// previewOf cuts the preview out of a wide view: what is right of the rule.
func previewOf(view string) string {
	var b strings.Builder
	for _, l := range strings.Split(view, "\n") {
		if _, right, ok := strings.Cut(l, "│"); ok {
			b.WriteString(right + "\n")
		}
	}
	return b.String()
}

func TestKeysTypedBeforeAReloadWaitForIt(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	// e e e typed faster than the store answers: three items done, not one
	// item three times.
	first := h.update(tuitest.Key("e"))
	for _, k := range []string{"e", "e"} {
		if cmd := h.update(tuitest.Key(k)); cmd != nil {
			for _, msg := range collect(cmd) {
				if _, ok := msg.(loadedMsg); ok {
					t.Fatal("a key acted while the previous action was on its way")
				}
			}
		}
	}
	h.run(first)
	for _, id := range []string{"m-1", "b-2", "m-5"} {
		if got := storedItem(t, st, ids[id]); got.State != store.InboxDone {
			t.Fatalf("%s is %s, want done", id, got.State)
		}
	}
	if it := h.selected(); it.RemoteID != "m-3" || h.m.list.Total() != 3 {
		t.Fatalf("after e e e: on %s of %d", it.RemoteID, h.m.list.Total())
	}
	// A filter change then G: G goes to the end of the new list.
	cmd := h.update(tuitest.Key("F"))
	h.update(tuitest.Key("G"))
	h.run(cmd)
	if h.m.list.Cursor() != h.m.list.Total()-1 || h.m.list.Total() != 8 {
		t.Fatalf("F G: cursor %d of %d", h.m.list.Cursor(), h.m.list.Total())
	}
	// After a failed action the keys typed meanwhile are dropped.
	h.keys("g")
	if _, err := st.DB().Exec("DELETE FROM inbox_items WHERE id = ?", h.selected().ID); err != nil {
		t.Fatal(err)
	}
	cmd = h.update(tuitest.Key("u")) // m-1 is done: reopen it
	h.update(tuitest.Key("j"))
	h.run(cmd)
	if s := h.lastStatus(); !s.Err || h.m.list.Cursor() != 0 {
		t.Fatalf("after a failed u and j: status %+v, cursor %d", s, h.m.list.Cursor())
	}
	h.keys("j")
	if h.m.list.Cursor() != 1 {
		t.Fatal("keys are still held after the failed action")
	}
}

// A taller pane shows more rows, and the rows it now needs come with the
// resize itself: its command fetches them, no key has to follow.
func TestGrowingThePaneFetchesTheRowsItShows(t *testing.T) {
	st := openStore(t)
	seedMany(t, st, 500)
	h := newHarness(t, newCommon(t, st), 80, 12)
	for range 45 {
		h.keys("j")
	}
	start, rows := h.m.list.Window()
	held := start + len(rows)
	cmd := h.m.SetSize(80, 60)
	if cmd == nil {
		t.Fatalf("growing from 12 to 60 rows with %d rows held (cursor at %d) fetched nothing", held, h.m.list.Cursor())
	}
	h.run(cmd)
	if start, rows := h.m.list.Window(); start+len(rows) <= held {
		t.Fatalf("after the resize's command the list holds rows up to %d, as before", start+len(rows))
	}
}

// A catch-up load (the data changed elsewhere) answered after the cursor
// moved does not put the cursor back where it was when it was asked for:
// keys typed while it loaded stand.
func TestCatchUpLoadKeepsKeysTypedMeanwhile(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	first := h.selected()
	// The change arrives; its load is in flight while j is typed.
	var loads []loadedMsg
	for _, msg := range collect(h.update(common.DataChangedMsg{What: "store"})) {
		if l, ok := msg.(loadedMsg); ok {
			loads = append(loads, l)
		}
	}
	if len(loads) != 1 {
		t.Fatalf("the change made %d loads, want 1", len(loads))
	}
	h.keys("j")
	moved := h.selected()
	if moved.ID == first.ID {
		t.Fatal("j did not move the cursor")
	}
	h.send(loads[0])
	if it := h.selected(); it.ID != moved.ID || h.m.list.Cursor() != 1 {
		t.Fatalf("after the load that was asked for before j: on %s at %d, want %s at 1", it.RemoteID, h.m.list.Cursor(), moved.RemoteID)
	}
}

// TestActionAnsweredBeforeAStaleLoad: an action is saved while a load
// asked for after it (a sync's change) has already read the list as it was
// before. The action's answer is not the newest and the newest is stale:
// the pane must ask again, not keep the item the action moved away.
func TestActionAnsweredBeforeAStaleLoad(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	first := h.selected()
	act := h.update(tuitest.Key("e")) // done: saved when its command runs
	var stale []tea.Msg
	for _, msg := range collect(h.update(common.DataChangedMsg{What: "store"})) {
		if _, ok := msg.(loadedMsg); ok {
			stale = append(stale, msg) // read now, before the action is saved
		}
	}
	if len(stale) != 1 {
		t.Fatalf("the change made %d loads, want 1", len(stale))
	}
	acted := collect(act)
	for _, msg := range acted {
		h.send(msg)
	}
	h.send(stale[0])
	for i := range h.m.list.Total() {
		if it, ok := h.m.list.Row(i); ok && it.ID == first.ID {
			t.Fatalf("the item marked done is still listed as open at %d", i)
		}
	}
}

// TestKeysHeldUntilTheActionAnswers: the other order. The stale load
// answers first; keys typed after the action (e again, for the next item)
// must wait for the action's answer and the list read after it, not act
// on the stale rows (where the first item still looks open).
func TestKeysHeldUntilTheActionAnswers(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	first := h.selected()
	h.m.list.Down()
	second := h.selected()
	h.m.list.Up()
	act := h.update(tuitest.Key("e"))
	var stale []tea.Msg
	for _, msg := range collect(h.update(common.DataChangedMsg{What: "store"})) {
		if _, ok := msg.(loadedMsg); ok {
			stale = append(stale, msg)
		}
	}
	if len(stale) != 1 {
		t.Fatalf("the change made %d loads, want 1", len(stale))
	}
	acted := collect(act)
	h.send(tuitest.Key("e")) // held: the list is about to be replaced
	h.send(stale[0])
	for _, msg := range acted {
		h.send(msg)
	}
	for _, id := range []int64{first.ID, second.ID} {
		if it := storedItem(t, st, id); it.State != store.InboxDone {
			t.Errorf("%s is %s, want done", it.RemoteID, it.State)
		}
	}
}
