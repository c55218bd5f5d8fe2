package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/crier-app/crier/tui/tuitest"
)

// burst is runes that reached the program in one key message, as key repeat,
// fast typing and a laggy SSH link deliver them.
func burst(s string) tea.KeyMsg { return tuitest.Key(s) }

// Keys that arrive together do what they do one by one, in every pane and in
// the root: the screen after a burst is the screen after the same keys typed
// slowly, and not the screen before it.
func TestKeysThatArriveTogether(t *testing.T) {
	cases := []struct {
		name  string
		w, h  int
		prep  []string // typed one by one first
		burst string
		want  string // on screen afterwards, when set
	}{
		{name: "calendar: ll moves two days", w: 120, h: 40, burst: "ll"},
		{name: "calendar: jk and h", w: 120, h: 40, burst: "jjh"},
		{name: "calendar: v then l", w: 80, h: 24, burst: "vl"},
		{name: "drafts: jj", w: 120, h: 40, prep: []string{"2"}, burst: "jj"},
		{name: "drafts: G", w: 80, h: 24, prep: []string{"2"}, burst: "jG"},
		{name: "inbox: jj", w: 120, h: 40, prep: []string{"3"}, burst: "jj"},
		{name: "KPIs: jj scrolls", w: 80, h: 24, prep: []string{"4"}, burst: "jj"},
		{name: "root: 34 switches panes", w: 120, h: 40, burst: "34", want: "Top posts"},
		{name: "root: 2 then j", w: 120, h: 40, burst: "2j", want: "Drafts & queue"},
		{name: "help closes, then moves", w: 120, h: 40, prep: []string{"?"}, burst: "ll"},
		{name: "drafts composer: typed text stays whole", w: 120, h: 40, prep: []string{"2", "n"}, burst: "Fresh34q?", want: "Fresh34q?"},
		{name: "drafts: n opens the composer and the rest is typed into it", w: 120, h: 40, prep: []string{"2"}, burst: "nRye", want: "Rye"},
		{name: "drafts composer: the account list takes ll as moves", w: 120, h: 40, prep: []string{"2", "n", "tab"}, burst: "ll"},
		{name: "calendar agenda: a typed time stays whole", w: 120, h: 40, prep: []string{"l", "enter", "m"}, burst: "+2h", want: "+2h"},
		{name: "inbox: snooze preset, then move", w: 120, h: 40, prep: []string{"3", "s"}, burst: "1j"},
		{name: "inbox reply: typed text stays whole", w: 120, h: 40, prep: []string{"3", "r"}, burst: "Thanks12q", want: "Thanks12q"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			together := loadedModel(t, tc.w, tc.h)
			apart := loadedModel(t, tc.w, tc.h)
			for _, m := range []*rig{together, apart} {
				for _, k := range tc.prep {
					m.send(press(k))
				}
			}
			before := together.View()
			together.send(burst(tc.burst))
			for _, r := range tc.burst {
				apart.send(press(string(r)))
			}
			got, want := together.View(), apart.View()
			if got != want {
				t.Fatalf("%q in one message differs from the same keys one by one:\n--- together\n%s\n--- apart\n%s", tc.burst, got, want)
			}
			if got == before {
				t.Fatalf("%q in one message changed nothing:\n%s", tc.burst, got)
			}
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Fatalf("screen lacks %q after %q:\n%s", tc.want, tc.burst, got)
			}
			if together.quitting {
				t.Fatalf("%q quit", tc.burst)
			}
		})
	}
}

// A bracketed paste is text, never keys: in the composer it lands whole,
// digits, q and ? included; in a list it does nothing at all.
func TestPasteStaysWhole(t *testing.T) {
	m := loadedModel(t, 120, 40)
	m.send(press("2"))
	m.send(press("n"))
	m.send(tuitest.Paste("q1 ?jj"))
	if v := m.View(); !strings.Contains(v, "q1 ?jj") || m.active != 1 || m.quitting || m.showHelp {
		t.Fatalf("paste into the composer: active %d, quitting %v, help %v:\n%s", m.active, m.quitting, m.showHelp, v)
	}

	m = loadedModel(t, 120, 40)
	before := m.View()
	m.send(tuitest.Paste("4q"))
	if m.active != 0 || m.quitting || m.View() != before {
		t.Fatalf("a paste into the calendar acted as keys: active %d, quitting %v", m.active, m.quitting)
	}
}

// q in a burst quits once; what follows it is not handled.
func TestBurstStopsAtQuit(t *testing.T) {
	m := loadedModel(t, 120, 40)
	_, cmd := m.Update(burst("q2"))
	if !m.quitting || m.active != 0 {
		t.Fatalf("after \"q2\": quitting %v, active pane %d", m.quitting, m.active)
	}
	if cmd == nil {
		t.Fatal("q in a burst did not quit")
	}
}
