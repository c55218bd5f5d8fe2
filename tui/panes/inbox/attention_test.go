package inbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// seedComplaints adds two complaints to seedSmall's items: a fresh one and
// an older one from an author with many followers.
func seedComplaints(t testing.TB, st *store.Store) {
	t.Helper()
	accounts, err := st.Accounts(context.Background())
	if err != nil || len(accounts) < 2 {
		t.Fatalf("accounts = %v, %v", accounts, err)
	}
	masto, bsky := accounts[0], accounts[1]
	items := []store.InboxItem{
		{AccountID: masto.ID, Platform: masto.Platform, RemoteID: "m-20", Kind: store.KindMention,
			AuthorHandle: "ivy@toot.example", AuthorName: "Ivy", AuthorFollowers: 15,
			Body: "Waited 30 minutes for a stale sandwich. Really disappointed.", ReceivedAt: now.Add(-5 * time.Minute)},
		{AccountID: bsky.ID, Platform: bsky.Platform, RemoteID: "b-21", Kind: store.KindReply,
			AuthorHandle: "localnews.bsky.social", AuthorName: "Local News", AuthorFollowers: 24000,
			Body: "Readers tell us the new opening hours are terrible. Why the change?", ReceivedAt: now.Add(-4 * time.Hour)},
	}
	if _, err := st.AddInboxItems(context.Background(), tone.Read(items)); err != nil {
		t.Fatal(err)
	}
}

func attentionCommon(t testing.TB) (*store.Store, *common.Common) {
	st := openStore(t)
	seedSmall(t, st)
	seedComplaints(t, st)
	return st, newCommon(t, st)
}

func (h *harness) order() []string {
	h.t.Helper()
	var out []string
	for i := range h.m.list.Total() {
		it, ok := h.m.list.Row(i)
		if !ok {
			h.t.Fatalf("row %d not loaded", i)
		}
		out = append(out, it.RemoteID)
	}
	return out
}

func TestNeedsAttentionView(t *testing.T) {
	st, c := attentionCommon(t)
	h := newHarness(t, c, 120, 37)
	if got := strings.Join(h.order(), " "); got != "m-20 m-1 b-2 m-5 m-3 b-21 b-4 m-8" {
		t.Fatalf("newest first: %s", got)
	}
	h.keys("!")
	if got := h.header(); !strings.HasPrefix(got, "Needs attention · all kinds · all accounts — 8 items") {
		t.Fatalf("header = %q", got)
	}
	// Complaints, then questions, then praise, then the rest, each
	// longest waiting first, reach and privacy counting as waiting: Local
	// News (24,000 followers, 4h ago) before Ivy (5m); Carla's direct
	// message (3h ago, and private) before Ana's reply (1,234 followers,
	// 12m ago). Nothing open is left out.
	want := "b-21 m-20 m-3 m-1 m-8 m-5 b-2 b-4"
	if got := strings.Join(h.order(), " "); got != want {
		t.Fatalf("needs attention: %s, want %s", got, want)
	}
	if it := h.selected(); it.RemoteID != "b-21" {
		t.Fatalf("cursor on %s", it.RemoteID)
	}
	// Done takes the item out; the cursor lands on the next in this order.
	h.keys("e")
	if got := storedItem(t, st, itemIDs(t, st)["b-21"]).State; got != store.InboxDone {
		t.Fatalf("b-21 is %s in the store, want done", got)
	}
	if it := h.selected(); it.RemoteID != "m-20" {
		t.Fatalf("after done: on %s, want m-20", it.RemoteID)
	}
	if !strings.Contains(h.header(), "7 items") {
		t.Fatalf("header = %q", h.header())
	}
	// The kind filter narrows the view and keeps its order.
	h.keys("t", "t") // replies
	if got := strings.Join(h.order(), " "); got != "m-1 m-5" {
		t.Fatalf("needs attention, replies: %s", got)
	}
	// ! again: open items newest first; f leaves the view too.
	h.keys("T", "T", "!")
	if got := h.header(); !strings.HasPrefix(got, "Open · all kinds") {
		t.Fatalf("after ! again: %q", got)
	}
	h.keys("!", "f")
	if got := h.header(); !strings.HasPrefix(got, "Snoozed · all kinds") {
		t.Fatalf("f from needs attention: %q", got)
	}
}

func TestRowsAndPreviewShowTheTone(t *testing.T) {
	_, c := attentionCommon(t)
	h := newHarness(t, c, 80, 21)
	h.keys("!")
	view := h.m.View()
	lines := strings.Split(view, "\n")
	// Ivy's complaint was read while the cursor rested on it, newest first.
	for i, want := range []string{"› −", "  −", "  ·", " ●+"} {
		if !strings.HasPrefix(lines[1+i], want) {
			t.Errorf("row %d = %q, want it to start %q", i, lines[1+i], want)
		}
	}
	if !strings.Contains(view, "Tone: negative (−0.") || !strings.Contains(view, "reads as a complaint") {
		t.Fatalf("preview lacks the tone:\n%s", view)
	}
	if got := toneMark(store.InboxItem{}); got != " " {
		t.Errorf("an unscored item is marked %q", got)
	}
}

func TestNeedsAttentionGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			_, c := attentionCommon(t)
			h := newHarness(t, c, size[0], size[1])
			h.keys("!")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
	}
}
