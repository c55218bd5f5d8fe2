package inbox

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/demo/demotest"
	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/tuitest"
)

// BenchmarkInboxKeypress measures what one keypress costs in the inbox pane
// at 120x37 with the "all states" filter: Update, the page fetch when the key
// asks for one (the store query run as its command and the answer fed back
// through Update), and View. "down" and "pagedown" walk the list from the
// top (prefetches included, amortised over the keys that need none); "end"
// alternates G and g, so every key replaces the window with the last or the
// first page, and forgets the drawn rows so each screen is drawn afresh. The list holds 1k items, or the 500k of the large demo
// database (built once by demo.EnsureLarge and reused by later runs). The
// cost should not grow with the list.
func BenchmarkInboxKeypress(b *testing.B) {
	ctx := context.Background()
	large, _ := demotest.Large(b)
	// The 1k list is the newest 1k items of the large one, so both lists are
	// made of the same kind of text and only their length differs.
	small := openStore(b)
	if err := copyNewest(ctx, large, small, 1000); err != nil {
		b.Fatal(err)
	}
	for _, size := range []struct {
		name string
		st   *store.Store
	}{{"1k", small}, {"500k", large}} {
		b.Run(size.name, func(b *testing.B) {
			st := size.st
			for _, bench := range []struct {
				name string
				keys []string
			}{
				{"down", []string{"j"}},
				{"pagedown", []string{"pgdown"}},
				{"end", []string{"G", "g"}},
			} {
				b.Run(bench.name, func(b *testing.B) {
					m := benchModel(b, st)
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if m.list.Cursor() == m.list.Total()-1 && bench.name != "end" {
							b.StopTimer()
							press(m, "g")
							b.StartTimer()
						}
						if bench.name == "end" {
							clear(m.rowCache)
						}
						press(m, bench.keys[i%len(bench.keys)])
						_ = m.View()
					}
				})
			}
		})
	}
}

// copyNewest copies the accounts and the newest n inbox items of one store
// into another, with the demo's clock.
func copyNewest(ctx context.Context, from, to *store.Store, n int) error {
	accounts, err := from.Accounts(ctx)
	if err != nil {
		return err
	}
	newID := map[int64]int64{}
	for _, a := range accounts {
		if newID[a.ID], err = to.UpsertAccount(ctx, a); err != nil {
			return err
		}
	}
	items, err := from.InboxPage(ctx, store.InboxFilter{}, nil, nil, n)
	if err != nil {
		return err
	}
	for i := range items {
		items[i].AccountID = newID[items[i].AccountID]
	}
	if _, err := to.AddInboxItems(ctx, tone.Read(items)); err != nil {
		return err
	}
	seededAt, err := from.Meta(ctx, demo.MetaNow)
	if err != nil {
		return err
	}
	return to.SetMeta(ctx, demo.MetaNow, seededAt)
}

// benchModel is a pane over every item in st, loaded, with timers off (they
// would only fire once the keys stop).
func benchModel(b *testing.B, st *store.Store) *Model {
	b.Helper()
	c := newCommon(b, st)
	if n, err := demo.SeededNow(context.Background(), st); err == nil && !n.IsZero() {
		c.Now = func() time.Time { return n }
	}
	c.Tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil } // timers off
	m := New(c)
	m.filter.State = ""
	m.SetSize(120, 37)
	runAll(m, m.Init())
	if m.list.Total() == 0 {
		b.Fatal("no items loaded")
	}
	b.Logf("%d items", m.list.Total())
	return m
}

// press sends a key and runs the commands it returns (page fetches) to the end.
func press(m *Model, k string) {
	_, cmd := m.Update(tuitest.Key(k))
	runAll(m, cmd)
}

func runAll(m *Model, cmd tea.Cmd) {
	tuitest.Drain(func(msg tea.Msg) tea.Cmd { _, next := m.Update(msg); return next }, cmd)
}

// BenchmarkTriageAction measures one triage key from press to the list
// redrawn, at 120x37 over the open items of the large demo database (500k
// items): the change saved in its own transaction, the list reloaded around
// the cursor (the count and the item's rank included), and View. Each step
// presses the action and then z, which takes it back (also saved and
// reloaded), so the data stays the same; a reported op is one key. The
// likes go to a reactor that answers at once: the network's time is not the
// pane's.
func BenchmarkTriageAction(b *testing.B) {
	st, _ := demotest.Large(b)
	for _, bench := range []struct {
		name string
		keys []string
	}{
		{"done", []string{"e"}},
		{"snooze", []string{"s", "1"}},
		{"like", []string{"L"}},
		{"label", []string{"#", "w", "enter"}},
	} {
		b.Run(bench.name, func(b *testing.B) {
			m := benchModel(b, st)
			m.c.Reactor = &fakeReactor{}
			m.filter.State = store.InboxOpen
			runAll(m, m.load(loadSpec{}))
			// Somewhere in the middle of the list, not at its top.
			for i := 0; i < 3; i++ {
				press(m, "pgdown")
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%2 == 1 {
					press(m, "z")
				} else {
					for _, k := range bench.keys {
						pressMsg(m, benchKey(k))
					}
				}
				_ = m.View()
			}
			b.StopTimer()
			if b.N%2 == 1 {
				press(m, "z")
			}
		})
	}
}

func benchKey(k string) tea.KeyMsg {
	if k == "enter" {
		return tea.KeyMsg{Type: tea.KeyEnter}
	}
	return tuitest.Key(k)
}

func pressMsg(m *Model, k tea.KeyMsg) {
	_, cmd := m.Update(k)
	runAll(m, cmd)
}

// BenchmarkSearch measures a search in the pane at 120x37 over the large
// demo database (500k items), from the pause in typing to the list redrawn:
// the count and the first page read from the search index in one read
// transaction, and View. Each op searches for a word and then for none
// (every item again), alternately; a reported op is one of them, so the
// figure is the mean of a search and its clearing. "label" is the label
// filter, v and then v back.
func BenchmarkSearch(b *testing.B) {
	st, _ := demotest.Large(b)
	for _, word := range []string{"kenji", "sourdough", "the", "label"} {
		b.Run(word, func(b *testing.B) {
			m := benchModel(b, st)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				switch {
				case word == "label" && i%2 == 0:
					press(m, "v")
				case word == "label":
					press(m, "V")
				case i%2 == 0:
					runAll(m, m.applySearch(word))
				default:
					runAll(m, m.applySearch(""))
				}
				_ = m.View()
			}
			b.StopTimer()
			if m.list.Total() == 0 {
				b.Fatal("the list is empty")
			}
		})
	}
}
