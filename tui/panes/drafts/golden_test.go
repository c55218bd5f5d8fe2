package drafts

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// paneSizes are the pane areas of an 80x24 and a 120x40 terminal.
var paneSizes = []struct{ w, h int }{{80, 21}, {120, 37}}

// requireFits checks the pane draws exactly its area.
func requireFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			t.Fatalf("line %d is %d cells wide, more than %d: %q", i, lipgloss.Width(l), w, l)
		}
	}
}

func (h *harness) seedList() {
	h.t.Helper()
	h.draft("Idea: a loyalty card for the Saturday regulars, stamp per loaf, tenth one free", time.Time{}, h.c.Accounts...)
	h.draft("Halloween: pumpkin\nbrioche all week", time.Date(2026, 10, 31, 7, 0, 0, 0, time.UTC), h.c.Accounts[0])
	h.queued("Sunday opening hours: 8 to 12. Fresh croissants from 8!", time.Date(2026, 10, 25, 7, 0, 0, 0, time.UTC))
	failed := h.queued("Our new rye is here 🍞 come and try it", time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC))
	h.markDeliveries(failed, store.DeliveryFailed, store.PostFailed, "422 Unprocessable Entity: Validation failed: Text character limit of 500 exceeded")
	missed := h.queued("Good morning! Ovens are on.", time.Date(2026, 10, 23, 5, 0, 0, 0, time.UTC))
	h.markDeliveries(missed, store.DeliveryMissed, store.PostMissed, "")
	h.queued("New year, new bakes", time.Date(2027, 1, 2, 8, 0, 0, 0, time.UTC))
	h.do(common.DataChangedMsg{})
}

func TestListGolden(t *testing.T) {
	for _, sz := range paneSizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			h := newHarness(t, sz.w, sz.h)
			h.seedList()
			h.do(keyDown)
			h.do(keyDown)
			h.do(keyDown) // on the failed post
			v := h.view()
			requireFits(t, v, sz.w, sz.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestListDeleteGolden(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.seedList()
	h.do(typed("d"))
	v := h.view()
	requireFits(t, v, 80, 21)
	golden.RequireEqual(t, []byte(v))
}

func TestListEmptyGolden(t *testing.T) {
	h := newHarness(t, 80, 21)
	v := h.view()
	requireFits(t, v, 80, 21)
	golden.RequireEqual(t, []byte(v))
}

func TestComposerGolden(t *testing.T) {
	for _, sz := range paneSizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			h := newHarness(t, sz.w, sz.h)
			h.do(typed("n"))
			h.do(typed("Pumpkin brioche is back for the weekend 🎃 Order ahead: https://rosebakery.example/order?item=pumpkin-brioche&size=large"))
			h.do(keyEnter)
			h.do(typed("See you Sunday!"))
			h.do(keyTab)
			h.do(keyTab)
			h.do(typed("tomorrow 9am"))
			v := h.view()
			requireFits(t, v, sz.w, sz.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestComposerProblemsGolden(t *testing.T) {
	for _, sz := range paneSizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			h := newHarness(t, sz.w, sz.h)
			h.do(typed("n"))
			h.do(typed(strings.Repeat("Rye, spelt and oat: ", 16)))
			h.do(keyTab)
			h.do(keyTab)
			h.do(typed("fri 25:00"))
			h.do(keyCtrlS)
			h.do(keyShiftTab) // the cursor on the accounts
			v := h.view()
			requireFits(t, v, sz.w, sz.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// halfSent adds a post whose Mastodon copy went out 7 minutes late and
// whose Bluesky copy, with a text of its own, the server refused; it
// carries a photo with alt text.
func (h *harness) halfSent() int64 {
	h.t.Helper()
	photo := writePNG(h.t, h.t.TempDir(), "plum-cake.png", 800, 600, 0)
	at := time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC)
	p := store.Post{Body: "Plum cake season: the first trays are out of the oven at 10, with cream if you ask nicely.",
		ScheduledAt: at, ScheduledZone: berlin.String(),
		Targets: []store.Target{{AccountID: h.c.Accounts[0].ID},
			{AccountID: h.c.Accounts[1].ID, BodyOverride: "Plum cake season 🍰 first trays at 10!", HasOverride: true}},
		Media: []store.Media{{Path: photo, Mime: "image/png", AltText: "Three plum cakes cooling on a rack"}}}
	h.edits++
	id, err := h.c.Store.SaveDraft(t0ctx(), p, frozen.Add(-2*time.Hour))
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.c.Store.QueuePost(t0ctx(), id, at, berlin.String(), frozen.Add(-2*time.Hour)); err != nil {
		h.t.Fatal(err)
	}
	h.markCopy(id, h.c.Accounts[0].ID, store.DeliverySent, "")
	h.markCopy(id, h.c.Accounts[1].ID, store.DeliveryFailed,
		"Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes (HTTP 400)")
	h.setPostState(id, store.PostFailed)
	return id
}

// The list on a half-sent post: each copy's state in the row, and the
// preview with both texts, the reason, the late copy and the photo.
func TestListHalfSentGolden(t *testing.T) {
	for _, sz := range paneSizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			h := newHarness(t, sz.w, sz.h)
			h.seedList()
			h.halfSent()
			h.do(common.DataChangedMsg{})
			for i := 0; i < 3; i++ {
				h.do(keyDown)
			}
			v := h.view()
			requireFits(t, v, sz.w, sz.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// The composer on a half-sent post: where each copy is, with the server's
// reason; the box on the text Bluesky will send; the photo.
func TestComposerHalfSentGolden(t *testing.T) {
	for _, sz := range paneSizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			h := newHarness(t, sz.w, sz.h)
			id := h.halfSent()
			h.do(common.ComposeMsg{PostID: id})
			h.toPhotos()
			v := h.view()
			requireFits(t, v, sz.w, sz.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}
