package inbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

// ids lists the remote ids of the list as shown, when it is all loaded.
func (h *harness) ids() string {
	h.t.Helper()
	var out []string
	for i := range h.m.list.Total() {
		it, ok := h.m.list.Row(i)
		if !ok {
			h.t.Fatalf("row %d not loaded", i)
		}
		out = append(out, it.RemoteID)
	}
	return strings.Join(out, " ")
}

func TestSearchFindsTextAndAuthorsAsYouType(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 120, 37)
	h.keys("/")
	if !h.m.Capturing() || !strings.HasPrefix(h.header(), "/ ") {
		t.Fatalf("/ did not open the search line: capturing %v, header %q", h.m.Capturing(), h.header())
	}
	// The list follows the typing, within the open items: "rye" as a
	// word, or the start of one (Bo's mention of @ryeandshine).
	h.keys("rye")
	if got := h.ids(); got != "m-1 b-2 m-5" {
		t.Fatalf("open items with rye: %s", got)
	}
	if !strings.Contains(h.header(), "3 items") {
		t.Fatalf("header = %q", h.header())
	}
	h.send(enter)
	if h.m.Capturing() || !strings.HasPrefix(h.header(), "Open · all kinds · all accounts · “rye” — 3 items") {
		t.Fatalf("after enter: capturing %v, header %q", h.m.Capturing(), h.header())
	}
	// The list is the list: moving and triage work on the results.
	h.keys("j", "j")
	if it := h.selected(); it.RemoteID != "m-5" {
		t.Fatalf("j moved to %s", it.RemoteID)
	}
	// Every state; an author's name or handle, the start of a word.
	h.keys("f", "f", "f")
	h.keys("/")
	for range len("rye") {
		h.send(tea.KeyMsg{Type: tea.KeyBackspace})
	}
	h.keys("fra")
	h.send(enter)
	if got := h.ids(); got != "m-6" || !strings.HasPrefix(h.header(), "All states") {
		t.Fatalf("all states, fra: %s (%q)", got, h.header())
	}
	h.keys("/", " CARLA")
	h.send(enter)
	if got := h.ids(); got != "" {
		t.Fatalf("fra carla: %q, want nothing", got)
	}
	if !strings.Contains(h.m.View(), "Nothing found for “fra CARLA”") {
		t.Fatalf("no word on the empty result:\n%s", h.m.View())
	}
	// esc in the list drops the search.
	h.keys("esc")
	if h.m.filter.Search != "" || !strings.HasPrefix(h.header(), "All states · all kinds · all accounts — 8 items") {
		t.Fatalf("after esc: %q", h.header())
	}
	// esc in the search line drops it too.
	h.keys("/", "bagels")
	if got := h.ids(); got != "m-3" {
		t.Fatalf("bagels: %s", got)
	}
	h.keys("esc")
	if h.m.Capturing() || h.m.filter.Search != "" || !strings.Contains(h.header(), "8 items") {
		t.Fatalf("esc in the line: capturing %v, %q", h.m.Capturing(), h.header())
	}
}

// Typing waits for a pause before the list follows: a search started by an
// earlier key is dropped when more came after it.
func TestSearchWaitsForAPauseInTyping(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHeldHarness(t, newCommon(t, st), 120, 37)
	h.waits() // the first item's
	h.keys("/", "r", "y", "e")
	var fired []searchTypedMsg
	for _, w := range h.waits() {
		if m, ok := w.Msg.(searchTypedMsg); ok {
			if d := w.At.Sub(now); d != searchDelay {
				t.Errorf("waits %s, want %s", d, searchDelay)
			}
			fired = append(fired, m)
		} else {
			h.send(w.Msg)
		}
	}
	if len(fired) != 3 || h.m.filter.Search != "" {
		t.Fatalf("%d timers, search %q", len(fired), h.m.filter.Search)
	}
	h.send(fired[0]) // stale: "r"
	if h.m.filter.Search != "" {
		t.Fatalf("a stale pause searched for %q", h.m.filter.Search)
	}
	h.send(fired[2])
	if h.m.filter.Search != "rye" || h.ids() != "m-1 b-2 m-5" {
		t.Fatalf("after the pause: %q, %s", h.m.filter.Search, h.ids())
	}
}

// The needs-attention view has its order; a search lists newest first and
// leaves it, and ! drops the search.
func TestSearchAndNeedsAttention(t *testing.T) {
	_, c := attentionCommon(t)
	h := newHarness(t, c, 120, 37)
	h.keys("!", "/", "rye")
	h.send(enter)
	if got := h.header(); !strings.HasPrefix(got, "Open · all kinds · all accounts · “rye”") {
		t.Fatalf("header = %q", got)
	}
	h.keys("!")
	if got := h.header(); !strings.HasPrefix(got, "Needs attention · all kinds · all accounts — 8 items") || h.m.filter.Search != "" {
		t.Fatalf("! with a search: %q", got)
	}
}

func TestLabelFilterAndLabelsOnRows(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	ctx := context.Background()
	for label, items := range map[string][]int64{"wholesale": {ids["m-3"], ids["b-4"]}, "follow-up": {ids["m-1"]}} {
		if _, err := st.ToggleInboxLabel(ctx, items, label); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, newCommon(t, st), 80, 21)
	if row := h.m.View(); !strings.Contains(row, "[wholesale] Hi! Can I order") || !strings.Contains(row, "[follow-up] Do you have") {
		t.Fatalf("labels not on the rows:\n%s", row)
	}
	h.keys("v") // the most used label first
	if got := h.ids(); got != "m-3 b-4" || !strings.Contains(h.header(), "label wholesale — 2 items") {
		t.Fatalf("v: %s, %q", got, h.header())
	}
	h.keys("v")
	if got := h.ids(); got != "m-1" {
		t.Fatalf("v v: %s", got)
	}
	h.keys("v")
	if h.m.filter.Label != "" || !strings.Contains(h.header(), "6 items") {
		t.Fatalf("v v v: label %q, %q", h.m.filter.Label, h.header())
	}
	h.keys("V")
	if h.m.filter.Label != "follow-up" {
		t.Fatalf("V: label %q", h.m.filter.Label)
	}
	// With a search: both.
	h.keys("esc", "v", "/", "bagels")
	h.send(enter)
	if got := h.ids(); got != "m-3" || !strings.Contains(h.header(), "“bagels” · label wholesale — 1 item") {
		t.Fatalf("search and label: %s, %q", got, h.header())
	}
	// A label put on with # shows on the row at once (esc took the
	// cursor back to the top, to Ana's reply).
	h.keys("esc", "#", "allergy")
	h.send(enter)
	if !strings.Contains(h.m.View(), "[allergy follow-up] Do you have") {
		t.Fatalf("the new label is not on the row:\n%s", h.m.View())
	}
}

func TestLabelFilterWithNoLabelsSaysSo(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 80, 21)
	h.keys("v")
	if s := h.lastStatus(); !strings.Contains(s.Text, "no item has a label yet") {
		t.Fatalf("status %+v", s)
	}
}

// An item its author deleted: marked on its row and in the preview, out of
// the needs-attention view, and the reply composer says why a reply can't
// go, keeping what was typed.
func TestDeletedItemIsMarkedAndCannotBeAnswered(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	ctx := context.Background()
	if _, err := st.MarkInboxChecked(ctx, nil, []int64{ids["m-1"]}, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 120, 37)
	view := h.m.View()
	if !strings.Contains(view, "deleted masto Ana López") || !strings.Contains(view, "Deleted by its author") {
		t.Fatalf("the deleted item is not marked:\n%s", view)
	}
	h.keys("!")
	if strings.Contains(h.ids(), "m-1") {
		t.Fatalf("needs attention holds the deleted item: %s", h.ids())
	}
	h.keys("!")
	if it := h.selected(); it.RemoteID != "m-1" {
		t.Fatalf("cursor on %s", it.RemoteID)
	}
	h.keys("r")
	if !strings.Contains(h.m.View(), "can't send: its author deleted it") {
		t.Fatalf("the composer does not say why:\n%s", h.m.View())
	}
	h.keys("So sorry about that")
	h.send(ctrl("s"))
	if h.m.reply == nil || !strings.Contains(h.m.View(), "can't send: its author deleted it") || !strings.Contains(h.m.View(), "So sorry about that") {
		t.Fatalf("ctrl+s on a deleted item:\n%s", h.m.View())
	}
	if rs := replies(t, st, ids["m-1"]); len(rs) != 0 {
		t.Fatalf("a reply was queued: %+v", rs)
	}
	h.keys("esc")
	if text, _ := st.ReplyDraft(ctx, ids["m-1"]); !strings.Contains(text, "So sorry about that") {
		t.Fatalf("the typed text was lost: %q", text)
	}
}

func TestSearchGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		setup := func(t *testing.T) (*harness, map[string]int64) {
			st := openStore(t)
			ids := seedSmall(t, st)
			ctx := context.Background()
			if _, err := st.ToggleInboxLabel(ctx, []int64{ids["m-3"]}, "wholesale"); err != nil {
				t.Fatal(err)
			}
			if _, err := st.MarkInboxChecked(ctx, nil, []int64{ids["m-5"]}, now.Add(-10*time.Minute)); err != nil {
				t.Fatal(err)
			}
			c, _, _ := replyCommon(t, st)
			return newHarness(t, c, size[0], size[1]), ids
		}
		t.Run("typing_"+name, func(t *testing.T) {
			h, _ := setup(t)
			h.keys("/", "rye")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("labels_and_deleted_"+name, func(t *testing.T) {
			h, _ := setup(t)
			h.keys("j", "j") // on the deleted reply
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("reply_to_deleted_"+name, func(t *testing.T) {
			h, _ := setup(t)
			h.keys("j", "j", "r")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
	}
}

// A reply written while a sync finds its item deleted is refused by the
// store when sent, and the composer says why, in words.
func TestReplyToAnItemDeletedMeanwhile(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 120, 37)
	h.keys("r", "Yes, we do!")
	if _, err := st.MarkInboxChecked(context.Background(), nil, []int64{ids["m-1"]}, now); err != nil {
		t.Fatal(err)
	}
	h.send(ctrl("s"))
	view := h.m.View()
	if h.m.reply == nil || !strings.Contains(view, "can't send: its author deleted it") || strings.Contains(view, "inbox item") {
		t.Fatalf("after ctrl+s:\n%s", view)
	}
	if rs := replies(t, st, ids["m-1"]); len(rs) != 0 {
		t.Fatalf("a reply was queued: %+v", rs)
	}
}

// Typing on after a kept search shows the whole search in the line, not
// only what was typed last (the line had scrolled at its narrower width).
func TestSearchLineShowsWhatWasTypedOnto(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	h := newHarness(t, newCommon(t, st), 120, 37)
	h.keys("/", "rye")
	h.send(enter)
	h.keys("/", " sour")
	if !strings.HasPrefix(h.header(), "/ rye sour") {
		t.Fatalf("the search line shows %q", h.header())
	}
}
