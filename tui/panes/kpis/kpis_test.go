package kpis

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests need Europe/Berlin wherever they run

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

var berlin = tuitest.Berlin

// now is Thursday 2 April 2026, 10:20 in Berlin (CEST). The clocks went
// forward on Sunday 29 March, inside the 30 days shown.
var now = time.Date(2026, 4, 2, 10, 20, 0, 0, berlin)

type fixture struct {
	c        *common.Common
	st       *store.Store
	mastodon int64
	bluesky  int64
}

// newFixture opens a store seeded with a small bakery's month: a Mastodon
// account counted for the whole window, a Bluesky one that started counting
// its followers ten days ago, eight sent posts and a few inbox items.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	st := tuitest.Store(t)
	f := &fixture{st: st}
	var err error
	if f.mastodon, err = st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@crumbs@bakery.social"}); err != nil {
		t.Fatal(err)
	}
	// The handle came from the network: an escape sequence must not reach the terminal.
	if f.bluesky, err = st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "crumbs\x1b[31m.bsky.social"}); err != nil {
		t.Fatal(err)
	}
	f.c = tuitest.Common(t, st, tuitest.NewClock(now))
	f.c.Width, f.c.Height = 80, 24

	day := func(daysAgo, hour int) time.Time {
		return time.Date(2026, 4, 2-daysAgo, hour, 0, 0, 0, berlin)
	}
	for d := 40; d >= 0; d-- {
		f.followers(t, f.mastodon, day(d, 23), 1180+(40-d)*(40-d)/20)
		if d <= 10 {
			f.followers(t, f.bluesky, day(d, 22), 310-d*3)
		}
	}
	f.followers(t, f.mastodon, day(0, 9), 1262)

	for _, p := range []struct {
		acct    int64
		daysAgo int
		body    string
		m       store.Metrics
	}{
		{f.mastodon, 29, "Sourdough Saturday: the starter is 12 years old today", store.Metrics{Likes: 40, Reposts: 12, Replies: 5, Quotes: 1}},
		{f.mastodon, 20, "New: cardamom buns 🌀 every Friday", store.Metrics{Likes: 88, Reposts: 30, Replies: 14, Quotes: 3}},
		{f.bluesky, 20, "Cardamom buns are here!\nEvery Friday from 8.", store.Metrics{Likes: 120, Reposts: 41, Replies: 9, Quotes: 6}},
		{f.mastodon, 12, "Closed Monday for a family wedding", store.Metrics{Likes: 15, Reposts: 2, Replies: 11}},
		{f.mastodon, 4, "Easter orders open: 復活祭 bread, hot cross buns and more, order by Wednesday please", store.Metrics{Likes: 61, Reposts: 25, Replies: 18, Quotes: 2}},
		{f.bluesky, 4, "Easter orders are open", store.Metrics{Likes: 30, Reposts: 8, Replies: 2}},
		{f.bluesky, 1, "Hot cross buns, fresh at 7", store.Metrics{Likes: 12, Reposts: 1}},
		{f.mastodon, 0, "Morning bake is out", store.Metrics{Likes: 3}},
	} {
		f.sent(t, p.acct, day(p.daysAgo, 8), p.body, p.m)
	}
	var items []store.InboxItem
	for i, acct := range []int64{f.mastodon, f.mastodon, f.mastodon, f.bluesky} {
		items = append(items, store.InboxItem{
			AccountID: acct, Platform: "x", RemoteID: fmt.Sprint(i), Kind: store.KindMention,
			AuthorHandle: "fan", Body: "Are you open on Easter Monday?", ReceivedAt: day(i, 12),
			State: store.InboxOpen, AuthorFollowers: -1,
		})
	}
	items[3].State = store.InboxDone
	// Answered: yesterday's question after 50 minutes, two more this month
	// (2h and 5h 30m), one before the window.
	for i, a := range []struct {
		daysAgo int
		wait    time.Duration
	}{{1, 50 * time.Minute}, {9, 2 * time.Hour}, {20, 5*time.Hour + 30*time.Minute}, {40, time.Hour}} {
		items = append(items, store.InboxItem{
			AccountID: f.bluesky, Platform: "x", RemoteID: fmt.Sprint("answered", i), Kind: store.KindReply,
			AuthorHandle: "regular", Body: "Do you still have rye?", ReceivedAt: day(a.daysAgo, 9),
			State: store.InboxDone, RepliedAt: day(a.daysAgo, 9).Add(a.wait), AuthorFollowers: -1,
		})
	}
	// What listening found: a busy hashtag, the bakery's name, and a term
	// with nothing in the window. The term came from the config, but it is
	// cleaned before drawing all the same.
	heard := func(term string, daysAgo, hour int, body string) store.InboxItem {
		return store.InboxItem{
			AccountID: f.mastodon, Platform: "x", RemoteID: fmt.Sprint(term, daysAgo, hour), Kind: store.KindListening,
			Term: term, AuthorHandle: "someone", Body: body, ReceivedAt: day(daysAgo, hour), AuthorFollowers: -1,
		}
	}
	for d := 0; d < 30; d++ {
		for h := range d % 4 {
			items = append(items, heard("#sourdough", d, 9+h, "Lovely crumb on today's #sourdough"))
		}
	}
	items = append(items,
		heard("#sourdough", 3, 20, "My #sourdough is a disaster, awful"),
		heard("crumbs bakery", 2, 10, "crumbs bakery was rude and slow today, terrible"),
		heard("crumbs bakery", 2, 11, "Sold out again at crumbs bakery. Annoying."),
		heard("crumbs bakery", 12, 10, "Best buns in town at crumbs bakery!"),
		heard("#old\x1b]0;pwned\x07term", 45, 10, "Long ago"),
		heard("#rye\x1b]0;pwned\x07", 5, 10, "Rye is back"),
	)
	if _, err := st.AddInboxItems(ctx, tone.Read(items)); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) followers(t testing.TB, acct int64, at time.Time, n int) {
	t.Helper()
	if _, err := f.st.DB().Exec("INSERT INTO follower_snapshots (account_id, taken_at, followers) VALUES (?, ?, ?)",
		acct, at.UnixMilli(), n); err != nil {
		t.Fatal(err)
	}
}

// sent publishes a post to one account at `at` with the given counters.
func (f *fixture) sent(t testing.TB, acct int64, at time.Time, body string, m store.Metrics) {
	t.Helper()
	ctx := context.Background()
	id, err := f.st.SaveDraft(ctx, store.Post{Body: body, Targets: []store.Target{{AccountID: acct}}}, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.QueuePost(ctx, id, at, "Europe/Berlin", at); err != nil {
		t.Fatal(err)
	}
	ds, err := f.st.PostDeliveries(ctx, id)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries of post %d: %v %v", id, ds, err)
	}
	if err := f.st.MarkSent(ctx, ds[0].ID, store.RemoteRef{ID: fmt.Sprint("r", id)}, "", at); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.DB().Exec("UPDATE deliveries SET likes = ?, reposts = ?, replies = ?, quotes = ?, metrics_at = ? WHERE id = ?",
		m.Likes, m.Reposts, m.Replies, m.Quotes, now.UnixMilli(), ds[0].ID); err != nil {
		t.Fatal(err)
	}
}

// newModel builds the pane at a size and runs its first load.
func newModel(t *testing.T, f *fixture, w, h int) *Model {
	t.Helper()
	m := New(f.c)
	m.SetSize(w, h)
	feed(t, m, m.Init())
	if !m.loaded {
		t.Fatal("the first load did not land")
	}
	return m
}

// feed runs cmd and gives its message to the pane.
func feed(t *testing.T, m *Model, cmd tea.Cmd) tea.Cmd {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	_, next := m.Update(cmd())
	return next
}

// press gives the pane a key (tuitest.Key) and returns its command, not run.
func press(m *Model, k string) tea.Cmd {
	_, cmd := m.Update(tuitest.Key(k))
	return cmd
}

func TestNewDoesNoIO(t *testing.T) {
	f := newFixture(t)
	f.c.Store = nil // any store call would panic
	m := New(f.c)
	m.SetSize(80, 21)
	if got := m.View(); !strings.Contains(got, "Loading") {
		t.Errorf("before the first load: %q", got)
	}
}

func TestLoadShowsReport(t *testing.T) {
	f := newFixture(t)
	// Everything fits at this size.
	m := newModel(t, f, 120, 37)
	if got := m.report.Total.Followers; got != 1262+307 { // Bluesky's count of 22:00 today is not in yet
		t.Errorf("total followers = %d", got)
	}
	view := m.View()
	for _, want := range []string{"as of 10:20", "30 days to Thu 2 Apr", "1,569", "Sourdough",
		"Median first reply (30 days)", "#sourdough", "crumbs bakery"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
}

// TestInboxAndListeningFigures checks what the inbox and listening blocks
// are given and how they say it: open items apart from what listening
// found, medians in minutes, terms busiest first, only those with posts in
// the window, and a dash where there is nothing to measure.
func TestInboxAndListeningFigures(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 120, 37)
	k := m.inbox
	if k.Open != 3 || k.Week.Answered != 1 || k.Week.MedianFirstResponse != 50*time.Minute ||
		k.Month.Answered != 3 || k.Month.MedianFirstResponse != 2*time.Hour {
		t.Errorf("inbox figures = %+v", k)
	}
	var terms []string
	for _, term := range m.listening.Terms {
		terms = append(terms, fmt.Sprintf("%s:%d", term.Term, term.Total.Count))
	}
	if got := strings.Join(terms, " "); got != "#sourdough:44 crumbs bakery:3 #rye\x1b]0;pwned\x07:1" {
		t.Errorf("terms = %q", got)
	}
	if len(m.listening.Days) != len(m.report.Days) || !m.listening.Days[0].Equal(m.report.Days[0]) {
		t.Errorf("listening covers %v, the report %v", m.listening.Days, m.report.Days)
	}
	view := m.View()
	for _, want := range []string{
		`Open items +3 `, `Answered \(30 days\) +3 `, `Median first reply \(7 days\) +50m `,
		`Median first reply \(30 days\) +2h 00m\n`,
		`#sourdough +[▁-█]{30} +44 +\+0\.55 +2%\n`, `crumbs bakery +[▁-█]{30} +3 +-0\.15 +67%\n`, `#rye +[▁-█]{30} +1 `,
	} {
		if !regexp.MustCompile(want).MatchString(view) {
			t.Errorf("view lacks %s:\n%s", want, view)
		}
	}

	// A store with no answers and nothing heard.
	empty := newModel(t, &fixture{c: emptyCommon(t, f)}, 120, 37)
	view = empty.View()
	for _, want := range []string{`Median first reply \(7 days\) +—\n`, `Median first reply \(30 days\) +—\n`,
		`Answered \(7 days\) +0\n`, "Nothing found in the last 30 days."} {
		if !regexp.MustCompile(want).MatchString(view) {
			t.Errorf("empty store: view lacks %s:\n%s", want, view)
		}
	}
}

// emptyCommon is f's Common over a fresh store.
func emptyCommon(t *testing.T, f *fixture) *common.Common {
	t.Helper()
	c := *f.c
	c.Store, c.Accounts = tuitest.Store(t), nil
	return &c
}

func TestFormatWait(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "<1m", 59 * time.Second: "<1m", time.Minute: "1m", 59 * time.Minute: "59m",
		time.Hour: "1h 00m", 3*time.Hour + 5*time.Minute + 59*time.Second: "3h 05m",
		26 * time.Hour: "1d 2h", 9 * 24 * time.Hour: "9d 0h",
	} {
		if got := formatWait(d); got != want {
			t.Errorf("formatWait(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	f := newFixture(t)
	m := New(f.c)
	m.SetSize(80, 21)
	first := m.Init()
	second := press(m, "r")
	if second == nil {
		t.Fatal("r did not reload")
	}
	// The first answer arrives late: dropped, even though nothing is shown yet.
	m.Update(first())
	if m.loaded {
		t.Fatal("a stale answer was shown")
	}
	// A stale failure is dropped too: no status message.
	if _, cmd := m.Update(loadedMsg{seq: m.seq - 1, err: fmt.Errorf("boom")}); cmd != nil || m.err != nil {
		t.Errorf("a stale error was reported: %v %v", cmd, m.err)
	}
	feed(t, m, second)
	if !m.loaded {
		t.Fatal("the current answer was dropped")
	}
}

func TestReloadKeyShowsNewData(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 120, 37)
	before := m.report.Accounts[0].Followers
	f.followers(t, f.mastodon, now.Add(-time.Minute), before+100)
	if m.report.Accounts[0].Followers != before {
		t.Fatal("the pane changed without a reload")
	}
	feed(t, m, press(m, "r"))
	if got := m.report.Accounts[0].Followers; got != before+100 {
		t.Errorf("after r: %d followers, want %d", got, before+100)
	}
}

func TestReloadsOnDataChangedAndFocus(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 80, 21)
	for _, msg := range []tea.Msg{common.DataChangedMsg{What: "sent"}, common.FocusMsg{}} {
		seq := m.seq
		_, cmd := m.Update(msg)
		if cmd == nil || m.seq != seq+1 {
			t.Fatalf("%T: no reload (cmd %v, seq %d→%d)", msg, cmd != nil, seq, m.seq)
		}
		got, ok := cmd().(loadedMsg)
		if !ok || got.seq != m.seq || got.err != nil {
			t.Errorf("%T: load answered %+v", msg, got)
		}
	}
}

func TestLoadErrorGoesToStatusAndKeepsTheReport(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 80, 21)
	f.st.Close()
	status := feed(t, m, press(m, "r"))
	if status == nil {
		t.Fatal("no status message")
	}
	sm, ok := status().(common.StatusMsg)
	if !ok || !sm.Err || !strings.Contains(sm.Text, "KPIs") {
		t.Errorf("status = %+v", sm)
	}
	if !strings.Contains(m.View(), "1,569") {
		t.Error("the last report was lost on an error")
	}

	// With nothing loaded yet, the error shows in the pane.
	m2 := New(f.c)
	m2.SetSize(80, 21)
	feed(t, m2, m2.Init())
	if view := m2.View(); !strings.Contains(view, "Cannot load") {
		t.Errorf("first load failed silently:\n%s", view)
	}
}

func TestScroll(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 80, 10)
	if len(m.lines) <= m.bodyHeight() {
		t.Fatalf("content (%d lines) fits in 10: nothing to scroll", len(m.lines))
	}
	first := m.View()
	if !strings.Contains(first, "↓ more") {
		t.Errorf("no hint that there is more:\n%s", first)
	}
	press(m, "up")
	if m.offset != 0 {
		t.Errorf("scrolled above the top: %d", m.offset)
	}
	press(m, "down")
	press(m, "j")
	if m.offset != 2 {
		t.Errorf("offset after two downs = %d", m.offset)
	}
	press(m, "end")
	bottom := len(m.lines) - m.bodyHeight()
	if m.offset != bottom {
		t.Errorf("end: offset %d, want %d", m.offset, bottom)
	}
	press(m, "down")
	if m.offset != bottom {
		t.Errorf("scrolled past the bottom: %d", m.offset)
	}
	if view := m.View(); !strings.Contains(view, "New followers by day") || strings.Contains(view, "↓") {
		t.Errorf("bottom view:\n%s", view)
	}
	press(m, "home")
	if m.offset != 0 {
		t.Errorf("home: offset %d", m.offset)
	}
	// Growing the pane pulls the offset back so no blank space shows at the bottom.
	press(m, "end")
	m.SetSize(120, 37)
	if want := max(len(m.lines)-m.bodyHeight(), 0); m.offset != want {
		t.Errorf("after growing: offset %d, want %d", m.offset, want)
	}
}

// TestViewFitsItsArea checks that no size makes the pane draw outside its
// area, and that nothing from the network reaches the terminal raw.
func TestViewFitsItsArea(t *testing.T) {
	f := newFixture(t)
	m := newModel(t, f, 80, 21)
	for _, size := range [][2]int{{80, 21}, {120, 37}, {80, 5}, {40, 12}, {99, 29}, {100, 30}, {200, 60}, {1, 1}} {
		w, h := size[0], size[1]
		m.SetSize(w, h)
		for _, k := range []string{"", "end"} {
			if k != "" {
				press(m, k)
			}
			view := m.View()
			lines := strings.Split(view, "\n")
			if len(lines) > h {
				t.Errorf("%dx%d: %d lines", w, h, len(lines))
			}
			for i, l := range lines {
				if lipgloss.Width(l) > w {
					t.Errorf("%dx%d line %d is %d wide: %q", w, h, i, lipgloss.Width(l), l)
				}
			}
			if strings.ContainsRune(view, '\x1b') {
				t.Errorf("%dx%d: an escape sequence reached the view", w, h)
			}
		}
	}
}

func TestHelp(t *testing.T) {
	f := newFixture(t)
	m := New(f.c)
	if len(m.ShortHelp()) == 0 || len(m.FullHelp()) == 0 {
		t.Error("no help")
	}
	if m.Capturing() {
		t.Error("the pane takes no text")
	}
}

func TestNumberFormats(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := thousandsF(2.5); got != "2.5" {
		t.Errorf("thousandsF(2.5) = %q", got)
	}
	if got := thousandsF(12000); got != "12,000" {
		t.Errorf("thousandsF(12000) = %q", got)
	}
}
