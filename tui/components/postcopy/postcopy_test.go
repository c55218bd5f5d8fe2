package postcopy

import (
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
)

// TestAFailedCopyIsNotCalledRefused: a copy fails for reasons of crier's
// own too (no client for its account, an earlier try it cannot check), so
// its line says it was not sent and why, never that the network refused it.
func TestAFailedCopyIsNotCalledRefused(t *testing.T) {
	for _, reason := range []string{
		"no network is set up for account @shop@example.social (mastodon): add it to the config, or take the account off the post",
		"HTTP 422: Validation failed: Text character limit of 500 exceeded",
		"",
	} {
		got := Where(store.Copy{State: store.DeliveryFailed, LastError: reason}, time.Time{}, time.UTC)
		if !strings.HasPrefix(got, "not sent: ") || strings.Contains(got, "refused") {
			t.Errorf("Where(failed, %q) = %q; want \"not sent: \" and the reason", reason, got)
		}
	}
}

// A queued copy held by a paused queue does not go out at its time: its
// line says it is held, never that it is due then.
func TestAHeldCopyIsNotCalledDue(t *testing.T) {
	at := time.Date(2026, 12, 8, 8, 0, 0, 0, time.UTC)
	got := Where(store.Copy{State: store.DeliveryQueued, DueAt: at, Held: true}, at, time.UTC)
	if !strings.HasPrefix(got, "held: its queue is paused") || strings.HasPrefix(got, "due") {
		t.Errorf("Where(held) = %q; want it held, not due", got)
	}
	if got := Where(store.Copy{State: store.DeliveryQueued, DueAt: at}, at, time.UTC); got != "due Tue 8 Dec 08:00" {
		t.Errorf("Where(queued) = %q", got)
	}
}

// A missed copy's line keeps its note (what became of a series' earlier
// occurrences), and a held copy has its own mark, apart from a queued one.
func TestMissedNoteAndHeldMark(t *testing.T) {
	note := "the series' 2 earlier posts came due while crier was closed too: they were skipped"
	if got := Where(store.Copy{State: store.DeliveryMissed, LastError: note}, time.Time{}, time.UTC); !strings.HasPrefix(got, "missed: ") || !strings.HasSuffix(got, note) {
		t.Errorf("Where(missed with a note) = %q", got)
	}
	held, queued := store.Copy{State: store.DeliveryQueued, Held: true}, store.Copy{State: store.DeliveryQueued}
	if CopyGlyph(held) != GlyphHeld || CopyGlyph(queued) != GlyphQueued {
		t.Errorf("marks: held %q, queued %q", CopyGlyph(held), CopyGlyph(queued))
	}
	if !Mixed([]store.Copy{queued, held}) || Mixed([]store.Copy{held, held}) || !AllHeld([]store.Copy{held, held}) || AllHeld([]store.Copy{held, queued}) {
		t.Error("a held copy beside a queued one is not told apart")
	}
}
