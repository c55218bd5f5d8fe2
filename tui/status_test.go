package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/tui/common"
)

// running is a scheduler status with everything the status bar can show
// besides a message: a next post, a sync, a waiting account when asked for.
func running(waitingOn string) scheduler.Status {
	return scheduler.Status{Running: true, Sender: true, NextDueAt: frozen.Add(26 * time.Hour), NextPost: 256,
		LastSync: frozen.Add(-time.Minute), WaitingOn: waitingOn, WaitingSince: frozen.Add(-2 * time.Minute)}
}

// statusModel is the demo (one missed post) at w x h with the scheduler on.
func statusModel(t *testing.T, w, h int, st scheduler.Status) *rig {
	t.Helper()
	m := loadedModel(t, w, h)
	m.sched = staticStatus{}
	m.send(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventState, Status: st}})
	if m.missed != 1 {
		t.Fatalf("the demo has %d missed posts, want 1", m.missed)
	}
	return m
}

func checkBar(t *testing.T, m *rig, w int) string {
	t.Helper()
	bar := lastLine(m.View())
	if got := common.Width(bar); got > w {
		t.Fatalf("status bar is %d wide at %d:\n%s", got, w, bar)
	}
	return bar
}

// While "1 missed" stands, the newest message is what the status bar shows,
// at every width, and a newer one replaces it.
func TestNewestMessageWins(t *testing.T) {
	for _, w := range []int{80, 92, 100, 120} {
		m := statusModel(t, w, 24, running("@ryeandshine.bsky.social"))
		for _, text := range []string{"done: 1 item", "opened https://bsky.app/profile/kenjigarcia.com/post/3n3b", "reply sent to @ryeandshine.bsky.social"} {
			m.send(common.StatusMsg{Text: text})
			bar := checkBar(t, m, w)
			if !strings.Contains(bar, shortest(text, bar)) {
				t.Errorf("at %d columns the status bar does not show %q:\n%s", w, text, bar)
			}
			if !strings.Contains(bar, "1 missed") || !strings.Contains(bar, "waiting on") {
				t.Errorf("at %d columns the missed post or the waiting account went:\n%s", w, bar)
			}
		}
		m.send(common.StatusMsg{Text: "newer"})
		if bar := checkBar(t, m, w); strings.Contains(bar, "reply sent") || !strings.Contains(bar, "newer") {
			t.Errorf("at %d columns a newer message did not replace the older:\n%s", w, bar)
		}
	}
}

// shortest is the part of text a status bar must show: all of it, or, when
// the bar shortened it, what comes before the "…".
func shortest(text, bar string) string {
	if strings.Contains(bar, text) {
		return text
	}
	i := strings.LastIndex(bar, "│ ")
	if i < 0 || !strings.HasSuffix(strings.TrimRight(bar, " "), "…") {
		return text
	}
	return strings.TrimSuffix(strings.TrimRight(bar[i+len("│ "):], " "), "…")
}

// A message too long for the bar is cut after a whole word, with "…".
func TestLongMessageShortenedAtAWord(t *testing.T) {
	const text = "couldn't open the link (exec: xdg-open: executable file not found in $PATH): https://example.social/@ana/113"
	words := map[string]bool{}
	for _, f := range strings.Fields(text) {
		words[f] = true
	}
	for _, w := range []int{80, 100} {
		m := statusModel(t, w, 24, running(""))
		m.send(common.StatusMsg{Text: text, Err: true})
		bar := strings.TrimRight(checkBar(t, m, w), " ")
		if !strings.HasSuffix(bar, "…") {
			t.Fatalf("at %d columns the long message is not shortened with …:\n%s", w, bar)
		}
		shown := shortest(text, bar)
		if !strings.HasPrefix(text, shown) || len(shown) < 20 {
			t.Fatalf("at %d columns the bar shows %q of the message", w, shown)
		}
		last := strings.Fields(shown)
		if w := strings.TrimRight(last[len(last)-1], ":,;"); !words[w] && !words[w+":"] {
			t.Errorf("the message was cut inside a word: %q", shown)
		}
	}
}

// The demo says so at every width crier draws in, and on the screen that
// asks for a bigger terminal.
func TestDemoBadgeAtEveryWidth(t *testing.T) {
	m := newModel(t, 120, 40)
	for _, size := range [][2]int{{20, 10}, {79, 24}, {100, 12}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if v := m.View(); !strings.Contains(v, "DEMO") || !strings.Contains(v, "small") {
			t.Fatalf("%dx%d:\n%s", size[0], size[1], v)
		}
	}
	for w := MinWidth; w <= 160; w++ {
		m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
		top := strings.SplitN(m.View(), "\n", 2)[0]
		if !strings.Contains(top, "DEMO") || common.Width(top) > w {
			t.Fatalf("at %d columns the tab bar is %q", w, top)
		}
		if !strings.Contains(top, "4 KPIs") && w >= 80 {
			t.Fatalf("at %d columns the tabs gave way to the badge: %q", w, top)
		}
	}
}

var internalID = regexp.MustCompile(`#\d`)

// The status bar speaks of posts by what they say and when they go, never by
// the database's numbers.
func TestStatusBarHasNoInternalIDs(t *testing.T) {
	m := statusModel(t, 120, 40, running(""))
	id, text := anyPost(t, m)
	events := []scheduler.Event{
		{Kind: scheduler.EventSent, PostID: id, AccountID: m.c.Accounts[0].ID},
		{Kind: scheduler.EventFailed, PostID: id, AccountID: m.c.Accounts[0].ID, Err: "the server refused it"},
		{Kind: scheduler.EventRetrying, PostID: id, AccountID: m.c.Accounts[0].ID, Err: "timed out", RetryAt: frozen.Add(time.Minute)},
		{Kind: scheduler.EventMissed, PostID: id, Count: 2},
	}
	for _, e := range events {
		e.Status = running("")
		m.send(SchedulerMsg{Event: e})
		bar := checkBar(t, m, 120)
		if internalID.MatchString(bar) {
			t.Errorf("%s: the status bar shows an id:\n%s", e.Kind, bar)
		}
		if e.Kind != scheduler.EventMissed && !strings.Contains(bar, "“"+text) {
			t.Errorf("%s: the status bar does not name the post by its text %q:\n%s", e.Kind, text, bar)
		}
	}
}

// anyPost returns a post of the demo and its first words.
func anyPost(t *testing.T, m *rig) (int64, string) {
	t.Helper()
	ctx := context.Background()
	posts, err := m.c.Store.PostsBetween(ctx, frozen.AddDate(0, 0, -3), frozen.AddDate(0, 0, 3))
	if err != nil || len(posts) == 0 {
		t.Fatalf("no demo posts: %v", err)
	}
	p, err := m.c.Store.Post(ctx, posts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID, strings.Fields(p.Body)[0]
}

// A post that went out more than a few seconds after its time says how late
// it was; one on time does not.
func TestSentLateSaysSo(t *testing.T) {
	m := statusModel(t, 80, 24, running(""))
	id, _ := anyPost(t, m)
	acct := m.c.Accounts[0]
	sent := func(late time.Duration) string {
		m.send(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventSent, PostID: id, AccountID: acct.ID,
			DueAt: frozen.Add(-late), SentAt: frozen, Status: running("")}})
		return checkBar(t, m, 80)
	}
	if bar := sent(4*time.Minute + 10*time.Second); !strings.Contains(bar, "sent 4 min late") {
		t.Errorf("a post 4m 10s late:\n%s", bar)
	}
	if bar := sent(2 * time.Second); strings.Contains(bar, "late") || !strings.Contains(bar, "sent to") {
		t.Errorf("a post 2s after its time:\n%s", bar)
	}
	m.send(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventSent, ReplyItem: 3, AccountID: acct.ID,
		DueAt: frozen.Add(-time.Minute), SentAt: frozen, Status: running("")}})
	if bar := checkBar(t, m, 80); !strings.Contains(bar, "reply sent") || !strings.Contains(bar, "1 min late") {
		t.Errorf("a reply a minute late:\n%s", bar)
	}
}

// An account whose server keeps a write waiting is named, with how long, and
// stays in view at 80 columns; it goes when the wait ends.
func TestWaitingAccountShown(t *testing.T) {
	m := statusModel(t, 120, 40, running("@ryeandshine@mastodon.example"))
	if bar := checkBar(t, m, 120); !strings.Contains(bar, "waiting on the server of @ryeandshine@mastodon.example for 2m 00s") {
		t.Errorf("120 columns:\n%s", bar)
	}
	m.send(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventState, Status: running("@a.example, @b.example")}})
	if bar := checkBar(t, m, 120); !strings.Contains(bar, "servers of @a.example, @b.example") {
		t.Errorf("two accounts:\n%s", bar)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.send(common.StatusMsg{Text: "a message long enough to push the standing parts of the status bar to their shortest words"})
	if bar := checkBar(t, m, 80); !strings.Contains(bar, "waiting on 2 servers") {
		t.Errorf("80 columns with a message:\n%s", bar)
	}
	m.send(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventState, Status: running("")}})
	if bar := checkBar(t, m, 80); strings.Contains(bar, "waiting") {
		t.Errorf("the wait ended but the bar still says:\n%s", bar)
	}
}

// TestGoldenStatusBar snapshots the tab bar and the status bar through the
// situations that compete for their room, at 80 and 120 columns.
func TestGoldenStatusBar(t *testing.T) {
	for _, w := range []int{80, 120} {
		t.Run(itoa(w), func(t *testing.T) {
			m := statusModel(t, w, 24, running(""))
			id, _ := anyPost(t, m)
			acct := m.c.Accounts[0].ID
			var b strings.Builder
			snap := func(what string) {
				v := strings.Split(m.View(), "\n")
				b.WriteString("── " + what + "\n" + v[0] + "\n" + v[len(v)-1] + "\n")
			}
			snap("standing parts only")
			m.send(common.StatusMsg{Text: "done: 1 item"})
			snap("a short message")
			m.send(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventSent, PostID: id, AccountID: acct,
				DueAt: frozen.Add(-4*time.Minute - 10*time.Second), SentAt: frozen, Status: running("")}})
			snap("a post sent late")
			m.send(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventFailed, PostID: id, AccountID: acct,
				Err: "Validation failed: Text character limit of 500 exceeded (HTTP 422)", Status: running("")}})
			snap("a post failed")
			m.send(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventState, Status: running("@ryeandshine@mastodon.example")}})
			snap("an account waiting on its server, with the failure still shown")
			m.Update(clearStatusMsg{seq: m.statusSeq})
			snap("an account waiting on its server")
			golden.RequireEqual(t, []byte(b.String()))
		})
	}
}

// The panes' own messages name posts by their words too: deleting a draft,
// taking a queued post back, moving one in the agenda.
func TestPaneMessagesHaveNoInternalIDs(t *testing.T) {
	steps := []struct {
		name string
		keys []string
		want string
	}{
		{"delete a draft", []string{"2", "d", "y"}, "deleted “"},
		{"a queued post back to drafts", []string{"2", "G", "u"}, "is back in drafts"},
		{"move a post a day later", []string{"1", "l", "enter", "]"}, "Moved “"},
	}
	for _, s := range steps {
		m := loadedModel(t, 120, 40)
		for _, k := range s.keys {
			m.send(press(k))
		}
		bar := checkBar(t, m, 120)
		if !strings.Contains(bar, s.want) || internalID.MatchString(bar) {
			t.Errorf("%s: the status bar says:\n%s", s.name, bar)
		}
	}
}
