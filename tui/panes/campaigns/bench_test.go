package campaigns

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/tuitest"
)

// BenchmarkCampaignsKeypress measures what one keypress costs in the
// Campaigns pane at 120x37 on the large demo database (built once by
// demo.EnsureLarge and reused): Update, the page fetch when the key asks
// for one (run as its command, the answer fed back through Update), and
// View. "list" moves down and up the campaigns; "detail" scrolls the
// always-on campaign's detail; "rows" walks the rows behind its figures
// (about 900k) down a row, down a page, and from end to start and back
// (G and g alternately, each a fresh page read by key). The cost should
// not grow with the rows.
func BenchmarkCampaignsKeypress(b *testing.B) {
	ctx := context.Background()
	st, err := demo.EnsureLarge(ctx, demo.BenchLargePath(), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	for _, bench := range []struct {
		name  string
		setup []string
		keys  []string
	}{
		{"list/down", nil, []string{"j", "j", "k", "k"}},
		{"detail/down", []string{"enter"}, []string{"j", "j", "k", "k"}},
		{"rows/down", []string{"enter", "t"}, []string{"j"}},
		{"rows/pagedown", []string{"enter", "t"}, []string{"pgdown"}},
		{"rows/end", []string{"enter", "t"}, []string{"G", "g"}},
	} {
		b.Run(bench.name, func(b *testing.B) {
			m := benchModel(b, st)
			for _, k := range bench.setup {
				benchPress(m, k)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				benchPress(m, bench.keys[i%len(bench.keys)])
				_ = m.View()
			}
		})
	}
}

func benchModel(b *testing.B, st *store.Store) *Model {
	b.Helper()
	n, err := demo.SeededNow(context.Background(), st)
	if err != nil {
		b.Fatal(err)
	}
	c := tuitest.Common(b, st, tuitest.NewClock(n.In(time.UTC)))
	c.Tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m := New(c)
	m.SetSize(120, 37)
	benchRun(m, m.Init())
	if len(m.items) == 0 {
		b.Fatal("no campaigns loaded")
	}
	// The campaign with the most rows: the always-on one.
	best, most := 0, 0
	for i, it := range m.items {
		if it.campaign != nil && it.campaign.Figures.Totals.Groups > most {
			best, most = i, it.campaign.Figures.Totals.Groups
		}
	}
	m.cursor = best
	b.Logf("%d campaigns; %q has %d groups", len(m.items), m.items[best].campaign.Campaign.Name, most)
	return m
}

func benchPress(m *Model, k string) {
	_, cmd := m.Update(tuitest.Key(k))
	benchRun(m, cmd)
}

func benchRun(m *Model, cmd tea.Cmd) {
	tuitest.Drain(func(msg tea.Msg) tea.Cmd { _, next := m.Update(msg); return next }, cmd)
}

// BenchmarkCampaignsLoad measures the pane's loads on the large demo
// database, each from the command to its answer through Update: the list
// (every campaign's figures, budget use and goals, and the goals in no
// campaign), and the always-on campaign's detail.
func BenchmarkCampaignsLoad(b *testing.B) {
	ctx := context.Background()
	st, err := demo.EnsureLarge(ctx, demo.BenchLargePath(), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	m := benchModel(b, st)
	id := m.items[m.cursor].campaign.Campaign.ID
	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			benchRun(m, m.load())
		}
	})
	b.Run("detail", func(b *testing.B) {
		m.detailID = id
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			benchRun(m, m.loadDetail(id))
		}
		if m.detail == nil {
			b.Fatal("no detail")
		}
	})
}
