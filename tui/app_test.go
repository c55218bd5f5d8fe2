package tui

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/scheduler"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := testnet.Main(m) // stops the reply flows' Bluesky network, if they started it
	if seeded.dir != "" {
		os.RemoveAll(seeded.dir)
	}
	os.Exit(code)
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestTabKeys(t *testing.T) {
	m := newModel(t, 120, 40)
	steps := []struct {
		key  string
		want int
	}{
		{"2", 1}, {"3", 2}, {"4", 3}, {"5", 4}, {"1", 0},
		{"tab", 1}, {"tab", 2}, {"tab", 3}, {"tab", 4}, {"tab", 0},
		{"shift+tab", 4}, {"shift+tab", 3},
	}
	for _, s := range steps {
		m.Update(press(s.key))
		if m.active != s.want {
			t.Fatalf("after %q active pane = %d, want %d", s.key, m.active, s.want)
		}
	}
}

func TestQuitKeys(t *testing.T) {
	m := newModel(t, 120, 40)
	if _, cmd := m.Update(press("q")); !isQuit(cmd) {
		t.Fatal("q did not quit")
	}
	if _, cmd := m.Update(press("ctrl+c")); !isQuit(cmd) {
		t.Fatal("ctrl+c did not quit")
	}
}

// While a pane takes typed text, digits, q and tab are its own; ctrl+c still
// quits, after the pane saved what it holds.
func TestCapturingPaneKeepsItsKeys(t *testing.T) {
	m := newModel(t, 120, 40)
	m.Update(common.ComposeMsg{Day: frozen.AddDate(0, 0, 1)})
	if m.active != 1 || !m.tabs[1].pane.Capturing() {
		t.Fatalf("ComposeMsg: active %d, capturing %v; want the drafts composer", m.active, m.tabs[1].pane.Capturing())
	}
	for _, k := range []string{"1", "q", "?"} {
		_, cmd := m.Update(press(k))
		if m.active != 1 || m.showHelp || isQuit(cmd) {
			t.Fatalf("%q was taken by the root while composing", k)
		}
	}
	_, cmd := m.Update(press("ctrl+c"))
	if cmd == nil {
		t.Fatal("ctrl+c while composing did nothing")
	}
	// The quit runs the composer's save first, then quits: a sequence.
	if isQuit(cmd) {
		t.Fatal("ctrl+c quit without letting the composer save its text")
	}
}

func TestHelpScreenComesFromTheKeyMaps(t *testing.T) {
	m := newModel(t, 120, 40)
	m.Update(press("3"))
	m.Update(press("?"))
	v := m.View()
	for _, want := range []string{"Keys: Inbox", "next pane", "quit"} {
		if !strings.Contains(v, want) {
			t.Errorf("help screen lacks %q:\n%s", want, v)
		}
	}
	for _, b := range m.tabs[2].pane.ShortHelp() {
		if !strings.Contains(v, b.Help().Desc) {
			t.Errorf("help screen lacks the inbox binding %q", b.Help().Desc)
		}
	}
	m.Update(press("j"))
	if m.showHelp {
		t.Fatal("a key did not close the help screen")
	}
	// q closes it as any other key does, as the screen says; it does not
	// quit crier.
	m.Update(press("?"))
	if _, cmd := m.Update(press("q")); m.showHelp || m.quitting || isQuit(cmd) {
		t.Fatalf("q on the help screen: help %v, quitting %v", m.showHelp, m.quitting)
	}
}

func TestTooSmall(t *testing.T) {
	m := newModel(t, 79, 24)
	if v := m.View(); !strings.Contains(v, "too small") || !strings.Contains(v, "80x24") {
		t.Fatalf("79x24 view:\n%s", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 23})
	if v := m.View(); !strings.Contains(v, "too small") {
		t.Fatalf("80x23 view:\n%s", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := m.View(); strings.Contains(v, "too small") {
		t.Fatalf("80x24 is enough, got:\n%s", v)
	}
}

func TestStatusMessageClearsItself(t *testing.T) {
	m := newModel(t, 120, 40)
	_, cmd := m.Update(common.StatusMsg{Text: "could not save", Err: true})
	if !strings.Contains(m.View(), "could not save") {
		t.Fatal("status message not shown")
	}
	if cmd == nil {
		t.Fatal("no timer to clear the message")
	}
	m.Update(clearStatusMsg{seq: m.statusSeq - 1}) // an older message's timer
	if !strings.Contains(m.View(), "could not save") {
		t.Fatal("an older timer cleared a newer message")
	}
	m.Update(clearStatusMsg{seq: m.statusSeq})
	if strings.Contains(m.View(), "could not save") {
		t.Fatal("status message did not clear")
	}
}

// An error a pane passes on from the store names things by their database
// ids; the status bar says it without them.
func TestErrorsInTheStatusBarNameNoInternalIDs(t *testing.T) {
	m := newModel(t, 120, 40)
	m.Update(common.StatusMsg{Text: "couldn't move: post 280 was already sent: it can't be moved", Err: true})
	if v := m.View(); !strings.Contains(v, "couldn't move: the post was already sent") || strings.Contains(v, "280") {
		t.Fatalf("the status bar:\n%s", v)
	}
}

func TestSchedulerEventsReachTheStatusBar(t *testing.T) {
	m := newModel(t, 120, 40)
	next := frozen.Add(90 * time.Minute)
	m.sched = staticStatus{}
	m.Update(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventSent, PostID: 7, AccountID: 1,
		Status: scheduler.Status{Running: true, Sender: true, NextDueAt: next, NextPost: 9}}})
	v := m.View()
	for _, want := range []string{"sent to", "next post", "in 1h 30m", "scheduler on"} {
		if !strings.Contains(v, want) {
			t.Errorf("status bar lacks %q:\n%s", want, lastLine(v))
		}
	}
	m.Update(SchedulerMsg{Event: scheduler.Event{Kind: scheduler.EventState,
		Status: scheduler.Status{Running: true, Sender: false, Holder: "crier on host-b (pid 12)"}}})
	if v := m.View(); !strings.Contains(lastLine(v), "host-b") {
		t.Errorf("status bar does not say who sends:\n%s", lastLine(v))
	}
}

type staticStatus struct{ syncs *int }

func (staticStatus) Status() scheduler.Status { return scheduler.Status{} }
func (s staticStatus) SyncNow() {
	if s.syncs != nil {
		*s.syncs++
	}
}

func TestSyncNowKey(t *testing.T) {
	m := newModel(t, 120, 40)
	m.Update(press("ctrl+r"))
	if !strings.Contains(m.View(), "scheduler is off") {
		t.Fatal("ctrl+r without a scheduler did not say why nothing syncs")
	}
	var n int
	m.sched = staticStatus{syncs: &n}
	m.Update(tea.KeyMsg{Type: tea.KeyCtrlR})
	if n != 1 || !strings.Contains(m.View(), "syncing") {
		t.Fatalf("ctrl+r: %d syncs asked for", n)
	}
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

// Every pane, at both reference sizes, fills exactly the screen.
func TestViewFitsTheScreen(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		m := newModel(t, size[0], size[1])
		for i := range m.tabs {
			m.Update(press(string(rune('1' + i))))
			v := m.View()
			lines := strings.Split(v, "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d pane %d: %d lines", size[0], size[1], i+1, len(lines))
			}
			for n, l := range lines {
				if w := lipgloss.Width(l); w > size[0] {
					t.Errorf("%dx%d pane %d line %d is %d wide", size[0], size[1], i+1, n, w)
				}
			}
		}
	}
}

// TestGoldenScreens runs the whole program (teatest) on the demo data with a
// frozen clock and snapshots each pane's full screen at 80x24 and 120x40,
// once everything the pane started loading has landed.
func TestGoldenScreens(t *testing.T) {
	markers := []string{"scheduled", "Drafts & queue", "Open ·", "KPIs ·", "Campaigns ·"}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for i, marker := range markers {
			name := []string{"calendar", "drafts", "inbox", "kpis", "campaigns"}[i]
			t.Run(name+"-"+itoa(size[0])+"x"+itoa(size[1]), func(t *testing.T) {
				clock := tuitest.NewClock(frozen)
				app := tuitest.Start(t, clock, New(testCommon(t, seededStore(t), clock), nil), size[0], size[1])
				if i > 0 {
					app.Press(string(rune('1' + i))) // and wait until every load it started has landed
				}
				// The screen as a person first reads it: a moment after, when
				// the inbox's cursor has rested long enough to load the
				// conversation, and not yet long enough to mark the item read.
				app.Advance(300 * time.Millisecond)
				app.WaitView(marker)
				app.Send(press("ctrl+c"))
				golden.RequireEqual(t, []byte(app.Final().(*Model).View()))
			})
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestLimitsReachTheComposer(t *testing.T) {
	m := newModel(t, 120, 40)
	acct := m.c.Accounts[0]
	m.Update(LimitsMsg{AccountID: acct.ID, Limits: platforms.Limits{MaxChars: 1000}})
	if got := m.c.Limits[acct.ID].MaxChars; got != 1000 {
		t.Fatalf("limits for account %d = %d, want 1000", acct.ID, got)
	}
}

// helpText is the whole help screen of pane i, scrolled through from top
// to bottom with j, and whether it needed scrolling.
func helpText(t *testing.T, m *rig, i int) (string, bool) {
	t.Helper()
	m.Update(press(string(rune('1' + i))))
	m.Update(press("?"))
	if !m.showHelp {
		t.Fatalf("pane %d: ? did not open the help", i+1)
	}
	var b strings.Builder
	scrolled := false
	for n := 0; m.showHelp && n < 100; n++ {
		v := m.View()
		for k, l := range strings.Split(v, "\n") {
			if w := common.Width(l); w > m.c.Width {
				t.Fatalf("pane %d help line %d is %d wide at %d", i+1, k, w, m.c.Width)
			}
		}
		b.WriteString(v)
		before := m.helpOffset
		m.Update(press("j"))
		if m.showHelp && m.helpOffset == before {
			break
		}
		scrolled = scrolled || m.showHelp
	}
	m.Update(press("esc"))
	if m.showHelp {
		t.Fatalf("pane %d: esc did not close the help", i+1)
	}
	return b.String(), scrolled
}

// The help screen shows every key of the pane and of the root at both
// reference sizes, scrolling at 80x24 where it must, and at 120x40 it fits.
func TestHelpShowsEveryKey(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := newModel(t, size[0], size[1])
		for i := range m.tabs {
			text, scrolled := helpText(t, m, i)
			if size[0] == 120 && scrolled {
				t.Errorf("pane %d help does not fit 120x40", i+1)
			}
			groups := m.keys.FullHelp()
			for _, sec := range m.tabs[i].pane.(common.HelpPage).HelpSections() {
				groups = append(groups, sec.Keys)
				if !strings.Contains(text, sec.Title) {
					t.Errorf("pane %d help at %dx%d lacks the heading %q", i+1, size[0], size[1], sec.Title)
				}
			}
			for _, g := range groups {
				for _, b := range g {
					if !strings.Contains(text, b.Help().Desc) || !strings.Contains(text, b.Help().Key) {
						t.Errorf("pane %d help at %dx%d lacks %q %q", i+1, size[0], size[1], b.Help().Key, b.Help().Desc)
					}
				}
			}
		}
	}
}

// The help groups each pane's keys under the place they apply; within one
// heading no key means two things, and every key the pane's own FullHelp
// lists is under some heading.
func TestHelpHeadingsNeverListAKeyTwice(t *testing.T) {
	m := newModel(t, 120, 40)
	for i, tab := range m.tabs {
		page, ok := tab.pane.(common.HelpPage)
		if !ok {
			t.Fatalf("pane %d has no headed help", i+1)
		}
		sections := append(page.HelpSections(), common.HelpSection{Title: "Everywhere", Keys: m.keys.FullHelp()[0]})
		listed := map[string]bool{}
		for _, sec := range sections {
			if sec.Title == "" {
				t.Errorf("pane %d has a section without a heading", i+1)
			}
			means := map[string]string{}
			for _, b := range sec.Keys {
				for _, k := range b.Keys() {
					listed[k] = true
					if was, dup := means[k]; dup && was != b.Help().Desc {
						t.Errorf("pane %d, %q: %q means both %q and %q", i+1, sec.Title, k, was, b.Help().Desc)
					}
					means[k] = b.Help().Desc
				}
			}
		}
		for _, g := range tab.pane.FullHelp() {
			for _, b := range g {
				for _, k := range b.Keys() {
					if !listed[k] {
						t.Errorf("pane %d: %q (%s) is under no heading", i+1, k, b.Help().Desc)
					}
				}
			}
		}
	}
}

// Every mark a pane draws is explained on its help screen.
func TestHelpExplainsEveryMark(t *testing.T) {
	want := map[int][]string{
		0: {"◷", "✓", "✗", "!", "◦", "M ", "B ", "▸", "+3 more"},
		1: {"▸", "draft", "queued", "failed", "missed", "✗"},
		2: {"●", "−", "·", "+", "♥", "↩", "⇄", "z", "*", "✓", "›", "»"},
		3: {"▁", "↑↓ more", "n/a", "no data"},
	}
	m := newModel(t, 120, 40)
	for i := range m.tabs {
		text, _ := helpText(t, m, i)
		marks := text[strings.Index(text, "Marks"):]
		for _, sym := range want[i] {
			if !strings.Contains(marks, sym) {
				t.Errorf("pane %d help does not explain %q:\n%s", i+1, sym, text)
			}
		}
	}
}

// TestGoldenHelp snapshots each pane's help screen (its first page) at both
// reference sizes.
func TestGoldenHelp(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for i, name := range []string{"calendar", "drafts", "inbox", "kpis", "campaigns"} {
			t.Run(name+"-"+itoa(size[0])+"x"+itoa(size[1]), func(t *testing.T) {
				m := newModel(t, size[0], size[1])
				m.Update(press(string(rune('1' + i))))
				m.Update(press("?"))
				golden.RequireEqual(t, []byte(m.View()))
			})
		}
	}
}
