package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit/extedittest"
	"github.com/crier-app/crier/tui/tuitest"
)

// fakeReactor records reactions and refuses them while fail is set.
type fakeReactor struct {
	mu    sync.Mutex
	calls []string
	fail  error
}

func (f *fakeReactor) React(_ context.Context, account int64, ref platforms.Ref, r store.Reaction, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("%d %s %s %v", account, ref.ID, r, on))
	return f.fail
}

type countingWaker struct{ n int }

func (w *countingWaker) Wake() { w.n++ }

// replyCommon is newCommon with the networks' counting and reply prefixes,
// a reactor and a waker.
func replyCommon(t testing.TB, st *store.Store) (*common.Common, *fakeReactor, *countingWaker) {
	c := newCommon(t, st)
	// The networks' own specs, Mastodon's limit lowered to make "over"
	// easy to reach.
	c.Networks = common.Specs(mastodon.Spec(), bluesky.Spec())
	masto := c.Networks[store.PlatformMastodon]
	masto.Limits.MaxChars = 60
	c.Networks[store.PlatformMastodon] = masto
	rx, w := &fakeReactor{}, &countingWaker{}
	c.Reactor, c.Waker = rx, w
	return c, rx, w
}

func ctrl(k string) tea.KeyMsg {
	switch k {
	case "s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "e":
		return tea.KeyMsg{Type: tea.KeyCtrlE}
	case "t":
		return tea.KeyMsg{Type: tea.KeyCtrlT}
	}
	panic(k)
}

var (
	enter = tea.KeyMsg{Type: tea.KeyEnter}
	space = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
)

// replies lists what is queued to answer item id: body and delivery state.
func replies(t testing.TB, st *store.Store, id int64) []store.Reply {
	t.Helper()
	rs, err := st.InboxReplies(context.Background(), []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestReplyQueuesAnswersAndUndoReopens(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, waker := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	if h.selected().RemoteID != "m-1" {
		t.Fatal("not on m-1")
	}
	h.keys("r")
	if h.m.reply == nil || !h.m.Capturing() {
		t.Fatal("r did not open the reply composer")
	}
	if got := h.m.reply.text.Value(); got != "@ana@toot.example " {
		t.Fatalf("a Mastodon reply starts with %q, want the author's mention", got)
	}
	view := h.m.View()
	for _, want := range []string{"Reply to @ana@toot.example on Mastodon", "Fresh rye loaves", "gluten-free option",
		"Mastodon 4/60 chars"} {
		if !strings.Contains(view, want) {
			t.Fatalf("composer lacks %q:\n%s", want, view)
		}
	}
	// Letters are text here, not triage keys or tab switches.
	h.keys("Yes! Rye-free loaves on Saturdays.")
	if got := h.m.reply.text.Value(); got != "@ana@toot.example Yes! Rye-free loaves on Saturdays." {
		t.Fatalf("typed %q", got)
	}
	if storedItem(t, st, ids["m-1"]).State != store.InboxOpen {
		t.Fatal("typing changed the item")
	}
	h.send(ctrl("s"))
	if h.m.reply != nil {
		t.Fatalf("the composer stayed open: %q", h.m.reply.problem)
	}
	rs := replies(t, st, ids["m-1"])
	if len(rs) != 1 || rs[0].Body != "@ana@toot.example Yes! Rye-free loaves on Saturdays." || rs[0].State != store.DeliveryQueued {
		t.Fatalf("queued replies: %+v", rs)
	}
	if storedItem(t, st, ids["m-1"]).State != store.InboxDone {
		t.Fatal("the answered item is not done")
	}
	if waker.n == 0 {
		t.Error("the scheduler was not woken to send the reply")
	}
	if !strings.HasPrefix(h.lastStatus().Text, "reply queued") {
		t.Errorf("status %+v", h.lastStatus())
	}
	if h.selected().RemoteID != "b-2" {
		t.Fatalf("after replying the cursor is on %s, want the next item", h.selected().RemoteID)
	}
	// z takes the done mark back; the reply still goes out.
	h.keys("z")
	if got := storedItem(t, st, ids["m-1"]); got.State != store.InboxOpen {
		t.Fatalf("after z: %s", got.State)
	}
	if h.selected().RemoteID != "m-1" {
		t.Fatalf("after z the cursor is on %s", h.selected().RemoteID)
	}
	if len(replies(t, st, ids["m-1"])) != 1 {
		t.Fatal("undo touched the reply")
	}
	// The preview shows the reply in the conversation.
	h.run(h.m.SetSize(120, 37))
	if !strings.Contains(h.m.View(), "Your reply") || !strings.Contains(h.m.View(), "sending…") {
		t.Fatalf("the reply is not in the conversation:\n%s", h.m.View())
	}
}

func TestReplyRefusesEmptyAndTooLongAndKeepsDrafts(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	h.keys("r")
	h.send(ctrl("s"))
	if h.m.reply == nil || h.m.reply.problem != "the reply is empty" {
		t.Fatalf("an empty reply: %+v", h.m.reply)
	}
	h.keys(strings.Repeat("ab", 30))
	if !strings.Contains(h.m.View(), "✗") {
		t.Fatal("the counter does not flag a reply over the limit")
	}
	h.send(ctrl("s"))
	if h.m.reply == nil || !strings.HasPrefix(h.m.reply.problem, "too long: 5 chars over Mastodon's limit of 60") {
		t.Fatalf("too long: %+v", h.m.reply)
	}
	if len(replies(t, st, ids["m-1"])) != 0 {
		t.Fatal("a refused reply was queued")
	}
	// esc closes and keeps the text; r brings it back.
	h.keys("esc")
	if h.m.reply != nil || h.m.Capturing() {
		t.Fatal("esc did not close the composer")
	}
	if got, _ := st.ReplyDraft(context.Background(), ids["m-1"]); !strings.HasSuffix(got, "abab") {
		t.Fatalf("draft kept: %q", got)
	}
	h.keys("r")
	if got := h.m.reply.text.Value(); got != "@ana@toot.example "+strings.Repeat("ab", 30) {
		t.Fatalf("reopened with %q", got)
	}
	// Quitting crier while it is open keeps it too.
	h.keys("!")
	h.send(common.BeforeQuitMsg{})
	if got, _ := st.ReplyDraft(context.Background(), ids["m-1"]); !strings.HasSuffix(got, "ab!") {
		t.Fatalf("draft kept at quit: %q", got)
	}
}

func TestReplyThatCannotBeQueuedKeepsItsText(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	h.keys("r", "See you then")
	// The item goes away behind crier's back.
	if _, err := st.DB().Exec("DELETE FROM inbox_items WHERE id = ?", ids["m-1"]); err != nil {
		t.Fatal(err)
	}
	h.send(ctrl("s"))
	if h.m.reply == nil || !strings.Contains(h.m.reply.problem, "not sent") {
		t.Fatalf("composer after a failed send: %+v", h.m.reply)
	}
	if got := h.m.reply.text.Value(); got != "@ana@toot.example See you then" {
		t.Fatalf("text after a failed send: %q", got)
	}
}

func TestFailedReplyIsShownAndOfferedForRetry(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	ctx := context.Background()
	post, err := st.QueueReply(ctx, ids["b-2"], "Thank you Bo!", now.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := st.PostDeliveries(ctx, post)
	st.ClaimDelivery(ctx, ds[0].ID, now)
	if err := st.MarkFailed(ctx, ds[0].ID, "Invalid reply: the post was deleted"); err != nil {
		t.Fatal(err)
	}
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 120, 37)
	h.keys("j")
	if h.selected().RemoteID != "b-2" || h.selected().State != store.InboxOpen {
		t.Fatalf("the failed reply's item is not back in the open list: %+v", h.selected())
	}
	view := h.m.View()
	for _, want := range []string{"Your reply", "failed", "the post was deleted", "send again"} {
		if !strings.Contains(view, want) {
			t.Fatalf("preview lacks %q:\n%s", want, view)
		}
	}
	h.keys("r")
	if got := h.m.reply.text.Value(); got != "Thank you Bo!" {
		t.Fatalf("retry starts with %q", got)
	}
}

func TestEditorWritesTheReply(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	editor, seen := extedittest.Editor(t, "@ana@toot.example Written\nin vi", false)
	c.Editor = editor
	h := newHarness(t, c, 80, 21)
	h.keys("r")
	h.send(extedittest.Run(t, h.update(ctrl("e"))))
	if got := extedittest.Seen(t, seen); got != "@ana@toot.example " {
		t.Fatalf("the editor's file held %q", got)
	}
	if got := h.m.reply.text.Value(); got != "@ana@toot.example Written\nin vi" {
		t.Fatalf("text after the editor: %q", got)
	}
}

func TestLikeRepostAndUndo(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, rx, _ := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	h.keys("L")
	if !storedItem(t, st, ids["m-1"]).Liked {
		t.Fatal("L did not save the like")
	}
	if len(rx.calls) != 1 || !strings.HasSuffix(rx.calls[0], "m-1 like true") {
		t.Fatalf("network calls: %v", rx.calls)
	}
	h.keys("B")
	if !storedItem(t, st, ids["m-1"]).Reposted || !strings.HasSuffix(rx.calls[1], "m-1 repost true") {
		t.Fatalf("B: %v", rx.calls)
	}
	// z takes the repost back, on the network too; then the like.
	h.keys("z")
	if got := storedItem(t, st, ids["m-1"]); got.Reposted || !got.Liked {
		t.Fatalf("after one z: %+v", got)
	}
	if !strings.HasSuffix(rx.calls[2], "m-1 repost false") {
		t.Fatalf("undo sent %v", rx.calls)
	}
	h.keys("z")
	if got := storedItem(t, st, ids["m-1"]); got.Liked || !strings.HasSuffix(rx.calls[3], "m-1 like false") {
		t.Fatalf("after two z: %+v, %v", got, rx.calls)
	}
	h.keys("z")
	if h.lastStatus().Text != "nothing to undo" {
		t.Fatalf("status %+v", h.lastStatus())
	}

	// A refusal unmarks the item again and says why.
	rx.fail = errors.New("rate limited")
	h.keys("L")
	if storedItem(t, st, ids["m-1"]).Liked {
		t.Fatal("a refused like stayed marked")
	}
	if s := h.lastStatus(); !s.Err || !strings.Contains(s.Text, "like failed: rate limited") {
		t.Fatalf("status %+v", s)
	}
	// What the network refused did not happen: z has nothing to take back.
	h.keys("z")
	if got := storedItem(t, st, ids["m-1"]); got.Liked || h.lastStatus().Text != "nothing to undo" {
		t.Fatalf("z after a refused like: liked %v, status %+v", got.Liked, h.lastStatus())
	}

	// Direct messages can't be liked.
	h.keys("j", "j", "j")
	if h.selected().Kind != store.KindDM {
		t.Fatal("not on the DM")
	}
	n := len(rx.calls)
	h.keys("L")
	if len(rx.calls) != n || !h.lastStatus().Err {
		t.Fatalf("liking a DM: %v %+v", rx.calls, h.lastStatus())
	}

	// Nor can what its author deleted: the network no longer has it.
	h.keys("g")
	if _, err := st.MarkInboxChecked(context.Background(), nil, []int64{ids["m-1"]}, time.Now()); err != nil {
		t.Fatal(err)
	}
	h.send(common.DataChangedMsg{What: "store"})
	h.keys("L")
	if got := storedItem(t, st, ids["m-1"]); got.Liked || len(rx.calls) != n || !h.lastStatus().Err ||
		!strings.Contains(h.lastStatus().Text, "deleted") {
		t.Fatalf("liking a deleted item: liked %v, calls %v, status %+v", got.Liked, rx.calls, h.lastStatus())
	}
}

func TestBulkSelectionAndUndo(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	h.send(space)
	h.send(space)
	if len(h.m.marked) != 2 || !strings.Contains(h.header(), "2 selected") {
		t.Fatalf("after two spaces: %d marked, header %q", len(h.m.marked), h.header())
	}
	if h.selected().RemoteID != "m-5" {
		t.Fatalf("space moves down: on %s", h.selected().RemoteID)
	}
	h.keys("e")
	for _, r := range []string{"m-1", "b-2"} {
		if storedItem(t, st, ids[r]).State != store.InboxDone {
			t.Fatalf("%s is not done", r)
		}
	}
	if storedItem(t, st, ids["m-5"]).State != store.InboxOpen {
		t.Fatal("the cursor item was done too")
	}
	if len(h.m.marked) != 0 || h.lastStatus().Text != "done (2 items) · z undoes" {
		t.Fatalf("after the bulk action: %d marked, status %+v", len(h.m.marked), h.lastStatus())
	}
	h.keys("z")
	for _, r := range []string{"m-1", "b-2"} {
		if storedItem(t, st, ids[r]).State != store.InboxOpen {
			t.Fatalf("%s not reopened by z", r)
		}
	}
	// esc drops a selection.
	h.send(space)
	h.keys("esc")
	if len(h.m.marked) != 0 {
		t.Fatal("esc kept the selection")
	}
}

func TestLabelsToggle(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 120, 37)
	h.keys("#")
	if !h.m.Capturing() || !strings.Contains(h.m.View(), "Label") {
		t.Fatal("# did not open the label prompt")
	}
	h.keys("Gluten-free")
	h.send(enter)
	if got := storedItem(t, st, ids["m-1"]).Labels; len(got) != 1 || got[0] != "gluten-free" {
		t.Fatalf("labels %q", got)
	}
	if !strings.Contains(h.m.View(), "Labels: gluten-free") {
		t.Fatal("the preview does not show the label")
	}
	h.keys("#", "two words")
	h.send(enter)
	if s := h.lastStatus(); !s.Err || !strings.Contains(s.Text, "one word") {
		t.Fatalf("status %+v", s)
	}
	h.keys("#", "gluten-free")
	h.send(enter)
	if got := storedItem(t, st, ids["m-1"]).Labels; len(got) != 0 {
		t.Fatalf("label not taken off: %q", got)
	}
	h.keys("z")
	if got := storedItem(t, st, ids["m-1"]).Labels; len(got) != 1 {
		t.Fatalf("z did not put the label back: %q", got)
	}
}

func TestSnoozeUntilATypedTime(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	h.keys("s", "t", "yesterday")
	h.send(enter)
	if !h.m.snoozing || h.m.timeErr == "" {
		t.Fatalf("a past time was taken: snoozing %v, err %q", h.m.snoozing, h.m.timeErr)
	}
	if !strings.Contains(h.m.View(), h.m.timeErr[:20]) {
		t.Fatalf("the error is not shown:\n%s", h.m.View())
	}
	h.m.timeInput.SetValue("")
	h.keys("tomorrow 9:00")
	h.send(enter)
	got := storedItem(t, st, ids["m-1"])
	want := time.Date(2025, 3, 5, 9, 0, 0, 0, zone)
	if got.State != store.InboxSnoozed || !got.SnoozedUntil.Equal(want) {
		t.Fatalf("snoozed %s until %s, want %s", got.State, got.SnoozedUntil, want)
	}
}

func TestOpenLinkShowsItWithoutABrowser(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	t.Setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
	h := newHarness(t, c, 80, 21)
	h.keys("o")
	if s := h.lastStatus(); s.Text != "no browser here: https://toot.example/@ana/111" {
		t.Fatalf("status %+v", s)
	}
	h.keys("j", "o")
	if s := h.lastStatus(); s.Text != "this item has no link" {
		t.Fatalf("status %+v", s)
	}
}

func TestTriageGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		setup := func(t *testing.T) *harness {
			st := openStore(t)
			seedSmall(t, st)
			c, _, _ := replyCommon(t, st)
			return newHarness(t, c, size[0], size[1])
		}
		t.Run("reply_"+name, func(t *testing.T) {
			h := setup(t)
			h.keys("r", "Yes, on Saturdays!")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("selection_"+name, func(t *testing.T) {
			h := setup(t)
			h.keys("L")
			h.send(space)
			h.send(space)
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("label_"+name, func(t *testing.T) {
			h := setup(t)
			h.keys("#", "wholesale")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("saved_replies_"+name, func(t *testing.T) {
			h := setup(t)
			if _, err := h.m.c.Store.CreateSavedReply(context.Background(), "Thanks", "Thank you {first_name}!", now); err != nil {
				t.Fatal(err)
			}
			h.keys("r")
			h.send(ctrl("t"))
			golden.RequireEqual(t, []byte(h.m.View()))
		})
		t.Run("snooze_typed_"+name, func(t *testing.T) {
			h := setup(t)
			h.keys("s", "t", "fri 14:")
			golden.RequireEqual(t, []byte(h.m.View()))
		})
	}
}

func TestSavedReplyFillsTheComposer(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	ctx := context.Background()
	if _, err := st.CreateSavedReply(ctx, "Thanks", "Thank you {first_name}! See you at the counter 🍞", now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateSavedReply(ctx, "Hours", "We're open 7-18, {name}.", now); err != nil {
		t.Fatal(err)
	}
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	h.keys("r")
	h.send(ctrl("t"))
	if !h.m.reply.picker.Active() || !strings.Contains(h.m.View(), "Hours") {
		t.Fatalf("ctrl+t did not show the saved replies:\n%s", h.m.View())
	}
	h.keys("thank")
	h.send(enter)
	if h.m.reply == nil || h.m.reply.picker.Active() {
		t.Fatal("picking closed the composer, or not the picker")
	}
	want := "@ana@toot.example Thank you Ana! See you at the counter 🍞"
	if got := h.m.reply.text.Value(); got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
	// esc in the picker closes the picker only.
	h.send(ctrl("t"))
	h.keys("esc")
	if h.m.reply == nil || h.m.reply.picker.Active() {
		t.Fatal("esc in the picker closed the composer")
	}
	h.send(ctrl("s"))
	if rs := replies(t, st, ids["m-1"]); len(rs) != 1 || rs[0].Body != want {
		t.Fatalf("sent %+v", rs)
	}
	saved, _ := st.SavedReplies(ctx)
	if saved[0].Name != "Thanks" || saved[0].Uses != 1 {
		t.Errorf("use not counted: %+v", saved)
	}
}

func TestKeysTypedWhileAReplyIsSavedWaitForTheList(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	h.keys("r", "Yes, on Saturdays")
	// ctrl+s and then e before the save has answered: e is for the next
	// item of the reloaded list, not text and not lost.
	send := h.update(ctrl("s"))
	h.send(tuitest.Key("e"))
	h.run(send)
	if got := storedItem(t, st, ids["m-1"]); got.State != store.InboxDone {
		t.Fatalf("m-1 is %s", got.State)
	}
	if rs := replies(t, st, ids["m-1"]); len(rs) != 1 || rs[0].Body != "@ana@toot.example Yes, on Saturdays" {
		t.Fatalf("reply %+v", rs)
	}
	if got := storedItem(t, st, ids["b-2"]); got.State != store.InboxDone {
		t.Fatalf("the e typed during the send did not reach the next item: b-2 is %s", got.State)
	}
}

// z takes back only what the action changed: undoing a label does not
// reopen an item done since (in another session, say), and undoing a done
// does not take off a label put on since.
func TestUndoTakesBackOnlyWhatTheActionChanged(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 120, 37)
	ctx := context.Background()
	first := h.selected().ID
	h.keys("#", "vip")
	h.send(enter)
	// Another session closes the item.
	if err := st.SetInboxState(ctx, []int64{first}, store.InboxDone, time.Time{}); err != nil {
		t.Fatal(err)
	}
	h.send(common.DataChangedMsg{})
	h.keys("z")
	if got := storedItem(t, st, first); got.State != store.InboxDone || len(got.Labels) != 0 {
		t.Fatalf("after undoing the label: %s, labels %q", got.State, got.Labels)
	}

	second := h.selected().ID
	h.keys("e")
	if _, err := st.ToggleInboxLabel(ctx, []int64{second}, "wholesale"); err != nil {
		t.Fatal(err)
	}
	h.send(common.DataChangedMsg{})
	h.keys("z")
	if got := storedItem(t, st, second); got.State != store.InboxOpen || len(got.Labels) != 1 || got.Labels[0] != "wholesale" {
		t.Fatalf("after undoing done: %s, labels %q", got.State, got.Labels)
	}
}

// At 80x24 the snooze chooser with a typed time and the reason it can't be
// taken stays whole: the reason in full, the keys and the box's border.
func TestSnoozeChooserFitsWithItsError(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	c.Settings.SnoozePresets = []time.Duration{time.Hour, 3 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour}
	for _, size := range [][2]int{{80, 21}, {60, 21}, {120, 37}} {
		h := newHarness(t, c, size[0], size[1])
		h.keys("s", "t", "yesterday")
		h.send(enter)
		if h.m.timeErr == "" {
			t.Fatal("yesterday was taken")
		}
		view := h.m.View()
		// The reason may be wrapped: compare without the spaces.
		squeeze := func(s string) string {
			return strings.Join(strings.Fields(strings.NewReplacer("│", " ", "─", " ").Replace(s)), "")
		}
		if !strings.Contains(view, "╰") || !strings.Contains(view, "esc back") || !strings.Contains(squeeze(view), squeeze(h.m.timeErr)) {
			t.Fatalf("at %dx%d the chooser is cut:\n%s", size[0], size[1], view)
		}
	}
}

// A selection belongs to the list it was made in: after the filters
// change, a triage key acts on the item on show, not on items marked in a
// list that is no longer there.
func TestSelectionDoesNotOutliveItsList(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 80, 21)
	h.send(space)
	h.send(space)
	h.keys("f") // the snoozed items
	if len(h.m.marked) != 0 || strings.Contains(h.header(), "selected") {
		t.Fatalf("after f: %d marked, header %q", len(h.m.marked), h.header())
	}
	if s := h.lastStatus(); !strings.Contains(s.Text, "selection of 2 items cleared") {
		t.Fatalf("status %+v", s)
	}
	snoozed := h.selected()
	if snoozed.State != store.InboxSnoozed {
		t.Fatalf("on %s (%s)", snoozed.RemoteID, snoozed.State)
	}
	h.keys("e")
	if got := storedItem(t, st, snoozed.ID).State; got != store.InboxDone {
		t.Fatalf("the snoozed item on show is %s", got)
	}
	for _, r := range []string{"m-1", "b-2"} {
		if storedItem(t, st, ids[r]).State != store.InboxOpen {
			t.Fatalf("%s, marked in the open list, was acted on", r)
		}
	}
	// A reload of the same list (a sync) keeps the selection.
	h.keys("F")
	h.send(space)
	h.send(common.DataChangedMsg{})
	if len(h.m.marked) != 1 {
		t.Fatalf("a sync's reload dropped the selection: %d marked", len(h.m.marked))
	}
}

// A direct message is answered within the limits of a direct message:
// Bluesky's chat takes 1,000 graphemes where a post takes 300; a Mastodon
// direct message is a status like any other.
func TestDirectReplyCountsAsADirectMessage(t *testing.T) {
	st := openStore(t)
	ids := seedSmall(t, st)
	ctx := context.Background()
	bsky := storedItem(t, st, ids["b-2"]).AccountID
	if _, err := st.AddInboxItems(ctx, []store.InboxItem{{AccountID: bsky, Platform: store.PlatformBluesky, RemoteID: "chat-1",
		Kind: store.KindDM, AuthorHandle: "zoe.bsky.social", AuthorFollowers: -1, ThreadRoot: "convo-1",
		Body: "Could you tell me everything about the sourdough workshop?", ReceivedAt: now.Add(-time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	c, _, _ := replyCommon(t, st)
	h := newHarness(t, c, 120, 37)
	long := strings.Repeat("ab ", 150) // 450 graphemes
	if h.selected().RemoteID != "chat-1" {
		t.Fatalf("on %s", h.selected().RemoteID)
	}
	h.keys("r", long)
	if over := h.m.reply.over(); over != "" || !strings.Contains(h.m.View(), "Bluesky 450/1000 graphemes") {
		t.Fatalf("a 450-grapheme chat answer: over %q\n%s", over, h.m.View())
	}
	h.keys("esc", "j", "j", "r", long) // Bo's public mention
	if h.selected().RemoteID != "b-2" || h.m.reply.over() == "" {
		t.Fatalf("a 450-grapheme reply to %s is not over: %q", h.selected().RemoteID, h.m.reply.over())
	}
	h.keys("esc", "j", "j", "r") // Carla's Mastodon DM: a status, within the server's limit (60 here)
	if h.selected().RemoteID != "m-3" || !strings.Contains(h.m.View(), "/60 chars") {
		t.Fatalf("on %s:\n%s", h.selected().RemoteID, h.m.View())
	}
}

// At 80 columns the reply composer still says that a direct message's
// answer is private: the sending account gives way first.
func TestDirectReplySaysPrivateAt80Columns(t *testing.T) {
	st := openStore(t)
	seedSmall(t, st)
	c, _, _ := replyCommon(t, st)
	if _, err := st.DB().Exec("UPDATE accounts SET handle = 'ryeandshine-sourdough-and-pastries' WHERE platform = 'mastodon'"); err != nil {
		t.Fatal(err)
	}
	c.Accounts[0].Handle = "ryeandshine-sourdough-and-pastries"
	h := newHarness(t, c, 80, 21)
	h.keys("j", "j", "j", "r")
	if h.selected().Kind != store.KindDM {
		t.Fatalf("on %s", h.selected().RemoteID)
	}
	if line := strings.Split(h.m.View(), "\n")[1]; !strings.Contains(line, "private (direct message)") {
		t.Fatalf("the title at 80 columns: %q", line)
	}
}
