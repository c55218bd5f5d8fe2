package inbox

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
)

// What is typed into the snooze time, the label prompt and the search
// line outlives crier closing with it open (ctrl+c, a dropped SSH
// session), as the reply composer's text does, and comes back when the
// same field opens again for the same item.
func TestTypedFieldsOutliveQuitting(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	reopen := func() *harness {
		t.Helper()
		return newHarness(t, c, 120, 37)
	}

	// The snooze time.
	h := reopen()
	h.keys("s", "t", "tomorrow 9:00")
	h.send(common.BeforeQuitMsg{})
	h = reopen()
	h.keys("s")
	if !h.m.typingTime || h.m.timeInput.Value() != "tomorrow 9:00" {
		t.Fatalf("snooze time after reopening: typing %v, %q", h.m.typingTime, h.m.timeInput.Value())
	}
	if s := h.lastStatus(); s.Text != common.BroughtBack {
		t.Fatalf("status %+v", s)
	}
	h.send(enter)
	if got := storedItem(t, st, ids["m-1"]); got.State != store.InboxSnoozed ||
		!got.SnoozedUntil.Equal(time.Date(2025, 3, 5, 9, 0, 0, 0, zone)) {
		t.Fatalf("snoozed %s until %s", got.State, got.SnoozedUntil)
	}
	h.keys("z") // the item back, for the label

	// The label, kept for its item only: another item's prompt opens
	// empty, and the item's own brings it back.
	h = reopen()
	target := h.selected().ID
	h.keys("#", "wholes")
	h.send(common.BeforeQuitMsg{})
	h = reopen()
	h.keys("j", "#")
	if got := h.m.labelInput.Value(); got != "" {
		t.Fatalf("another item's label prompt holds %q", got)
	}
	h.keys("esc", "k", "#")
	if h.selected().ID != target || h.m.labelInput.Value() != "wholes" {
		t.Fatalf("label prompt after reopening: %q", h.m.labelInput.Value())
	}
	h.keys("ale")
	h.send(enter)
	if got := storedItem(t, st, target).Labels; len(got) != 1 || got[0] != "wholesale" {
		t.Fatalf("labels %q", got)
	}

	// The search line: the list follows what comes back.
	h = reopen()
	h.keys("/", "rye")
	h.send(common.BeforeQuitMsg{})
	h = reopen()
	h.keys("/")
	if got := h.m.searchInput.Value(); got != "rye" {
		t.Fatalf("search line after reopening: %q", got)
	}
	if got := h.ids(); got != "m-1 b-2 m-5" {
		t.Fatalf("items found after reopening: %s", got)
	}

	// Nothing typed, nothing kept.
	h.send(enter)
	h.keys("s")
	h.send(common.BeforeQuitMsg{})
	if typed, err := st.TakeKeptForm(context.Background(), keptKey(keptSnooze, []int64{h.selected().ID})); err != nil || typed != nil {
		t.Fatalf("kept %v, %v for an untouched chooser", typed, err)
	}
	if strings.Contains(h.lastStatus().Text, "cannot") {
		t.Fatalf("status %+v", h.lastStatus())
	}
}

// A label typed for an item that went away meanwhile is not put on the
// item the cursor moved to.
func TestLabelPromptRefusesWhenItsItemWentAway(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 120, 37)
	first := h.selected().ID
	h.keys("#", "urgent")
	if err := st.SetInboxState(context.Background(), []int64{first}, store.InboxDone, time.Time{}); err != nil {
		t.Fatal(err)
	}
	h.send(common.DataChangedMsg{})
	if h.selected().ID == first {
		t.Fatal("the done item is still under the cursor")
	}
	h.send(enter)
	for name, id := range ids {
		if got := storedItem(t, st, id).Labels; len(got) != 0 {
			t.Fatalf("%s labelled %q", name, got)
		}
	}
	if s := h.lastStatus(); !s.Err || !strings.Contains(s.Text, "changed meanwhile") {
		t.Fatalf("status %+v", s)
	}
}

// A saved reply being written in the reply composer's picker when crier
// closes comes back in the next ctrl+n, through the pane.
func TestSavedReplyFormOutlivesQuitting(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 120, 37)
	h.keys("r", "ctrl+t", "ctrl+n", "Parking", "enter", "Park behind the shop")
	h.send(common.BeforeQuitMsg{})
	h = newHarness(t, c, 120, 37)
	h.keys("r", "ctrl+t", "ctrl+n")
	if v := h.m.View(); !strings.Contains(v, "Park behind the shop") {
		t.Fatalf("the saved reply's form after reopening:\n%s", v)
	}
}

// A glance session (read-only) neither keeps a search typed when it
// closes nor takes one a full session kept.
func TestGlanceSessionKeepsNoTyping(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	full := newHarness(t, c, 120, 37)
	full.keys("/", "rye")
	full.send(common.BeforeQuitMsg{})

	glance := *c
	glance.ReadOnly = true
	h := newHarness(t, &glance, 120, 37)
	h.keys("/")
	if got := h.m.searchInput.Value(); got != "" {
		t.Fatalf("a glance session took the kept search: %q", got)
	}
	h.keys("bagels")
	h.send(common.BeforeQuitMsg{})
	typed, err := st.TakeKeptForm(context.Background(), keptKey(keptSearch, nil))
	if err != nil || typed["text"] != "rye" {
		t.Fatalf("kept %v, %v; want the full session's rye", typed, err)
	}
}
