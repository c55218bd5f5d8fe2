package drafts

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
)

// BenchmarkComposerKeystroke measures what one typed character costs in the
// composer: Update (the textarea edit, both networks' counters recounted
// over a 450-character post with a URL and emoji) plus the View that
// follows. Each op is a character typed and then erased.
func BenchmarkComposerKeystroke(b *testing.B) {
	h := newHarness(b, 120, 37)
	h.do(typed("n"))
	h.do(typed(strings.Repeat("Sourdough 🍞 and rye, ", 18) + "https://rosebakery.example/menu"))
	backspace := tea.KeyMsg{Type: tea.KeyBackspace}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.m.Update(typed("x"))
		_ = h.m.View()
		h.m.Update(backspace)
		_ = h.m.View()
	}
}

// BenchmarkListView measures drawing the list at 120x37 when it holds the
// most it loads (listLimit posts): only the visible rows are drawn, so this
// should not grow with the list.
func BenchmarkListView(b *testing.B) {
	h := newHarness(b, 120, 37)
	items := make([]store.PostSummary, listLimit)
	for i := range items {
		items[i] = store.PostSummary{
			ID:          int64(i + 1),
			Body:        fmt.Sprintf("Post %d: today's bakes are pretzels, rye and a cardamom bun 🥨", i),
			State:       []store.PostState{store.PostDraft, store.PostQueued, store.PostFailed}[i%3],
			ScheduledAt: frozen.Add(time.Duration(i) * time.Hour),
			Platforms:   []string{"bluesky", "mastodon"},
			LastError:   "503 Service Unavailable",
		}
	}
	h.m.items, h.m.loaded = items, true
	h.m.cursor = listLimit / 2
	h.m.scrollToCursor()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = h.m.View()
	}
}
