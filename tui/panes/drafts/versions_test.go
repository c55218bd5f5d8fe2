package drafts

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/components/extedit/extedittest"
)

var keyCtrlO = tea.KeyMsg{Type: tea.KeyCtrlO}

// ownTextDraft is a draft for both accounts whose Bluesky copy has a
// shorter text of its own.
func (h *harness) ownTextDraft() int64 {
	h.t.Helper()
	p := store.Post{Body: "Pumpkin brioche is back for the weekend: order ahead at the counter or online, we bake 40 a day.",
		Targets: []store.Target{{AccountID: h.c.Accounts[0].ID},
			{AccountID: h.c.Accounts[1].ID, BodyOverride: "Pumpkin brioche is back 🎃", HasOverride: true}}}
	h.edits++
	id, err := h.c.Store.SaveDraft(t0ctx(), p, frozen.Add(-time.Hour))
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// TestOwnTextIsShownAndEdited: every network's version of the text can be
// seen and edited in the composer: ctrl+o moves the box from the text for
// all networks to each account's own.
func TestOwnTextIsShownAndEdited(t *testing.T) {
	h := newHarness(t, 80, 21)
	id := h.ownTextDraft()
	h.do(common.ComposeMsg{PostID: id})
	h.requireInView("Text for ▸All networks · Mastodon · Bluesky (own text)")
	h.requireInView("bluesky 25/300 (own text)")

	h.do(keyCtrlO) // Mastodon: it sends the text for all, which the box starts from
	if got := h.m.comp.text.Value(); !strings.HasPrefix(got, "Pumpkin brioche is back for the weekend") {
		t.Fatalf("Mastodon's version starts as %q", got)
	}
	h.do(keyCtrlO) // Bluesky's own text
	if got := h.m.comp.text.Value(); got != "Pumpkin brioche is back 🎃" {
		t.Fatalf("Bluesky's version is %q", got)
	}
	h.requireInView("▸Bluesky (own text)")
	h.do(typed(" Order ahead!"))
	h.requireInView("bluesky 38/300 (own text)")
	h.do(keyCtrlO) // back to the text for all, unchanged
	if got := h.m.comp.text.Value(); !strings.HasPrefix(got, "Pumpkin brioche is back for the weekend") {
		t.Fatalf("the text for all is now %q", got)
	}
	h.do(keyEsc)
	p := h.post(id)
	if p.Body != "Pumpkin brioche is back for the weekend: order ahead at the counter or online, we bake 40 a day." ||
		p.Targets[0].HasOverride || p.Targets[1].BodyOverride != "Pumpkin brioche is back 🎃 Order ahead!" {
		t.Fatalf("saved %+v", p)
	}

	// Emptying an account's text sends it the text for all again.
	h.do(common.ComposeMsg{PostID: id})
	h.do(keyCtrlO)
	h.do(keyCtrlO)
	h.m.comp.text.SetValue("")
	h.do(typed(" "))
	h.do(tea.KeyMsg{Type: tea.KeyBackspace})
	h.do(keyEsc)
	if p := h.post(id); p.Targets[1].HasOverride {
		t.Fatalf("an emptied own text was kept: %+v", p.Targets[1])
	}
}

// TestEditorCarriesEveryVersion: the $EDITOR file holds the text for all
// networks and a block per account, and what comes back sets each.
func TestEditorCarriesEveryVersion(t *testing.T) {
	h := newHarness(t, 80, 21)
	id := h.ownTextDraft()
	h.do(common.ComposeMsg{PostID: id})
	edited := "Pumpkin brioche, all weekend.\n\n" +
		"~~~ crier · text for mastodon @rosebakery · leave empty to send the text above ~~~\n" +
		"Pumpkin brioche, all weekend, Mastodon edition.\n\n" +
		"~~~ crier · text for bluesky @rosebakery.bsky.social · leave empty to send the text above ~~~\n"
	editor, seen := extedittest.Editor(t, edited, false)
	h.c.Editor = editor
	h.do(extedittest.Run(t, h.send(keyCtrlE)))
	want := "Pumpkin brioche is back for the weekend: order ahead at the counter or online, we bake 40 a day.\n\n" +
		"~~~ crier · text for mastodon @rosebakery · leave empty to send the text above ~~~\n\n\n" +
		"~~~ crier · text for bluesky @rosebakery.bsky.social · leave empty to send the text above ~~~\n" +
		"Pumpkin brioche is back 🎃"
	if got := extedittest.Seen(t, seen); got != want {
		t.Fatalf("the editor was handed\n%q\nwant\n%q", got, want)
	}
	h.do(keyEsc)
	p := h.post(id)
	if p.Body != "Pumpkin brioche, all weekend." ||
		!p.Targets[0].HasOverride || p.Targets[0].BodyOverride != "Pumpkin brioche, all weekend, Mastodon edition." ||
		p.Targets[1].HasOverride {
		t.Fatalf("after the editor: %+v", p)
	}
}

func TestParseEditorFile(t *testing.T) {
	accounts := []store.Account{
		{ID: 1, Platform: "mastodon", Handle: "@shop@example.social"},
		{ID: 2, Platform: "bluesky", Handle: "shop.bsky.social"},
	}
	r := parseEditorFile("Hello\n~~~ not a marker ~~~\n\n"+
		"~~~ crier · text for mastodon @shop@example.social · leave empty to send the text above ~~~\n"+
		"Hi Mastodon\nsecond line\n\n"+
		"~~~ crier · text for bluesky @shop.bsky.social ~~~\n\n"+
		"~~~ crier · text for threads @shop · x ~~~\nlost?\n", accounts)
	if r.main != "Hello\n~~~ not a marker ~~~" || r.own[1] != "Hi Mastodon\nsecond line" || len(r.own) != 1 ||
		!r.seen[1] || !r.seen[2] || len(r.unknown) != 1 || r.unknown[0] != "threads @shop" {
		t.Fatalf("parsed %+v", r)
	}
}

// TestVersionCounterSaysOwnOnlyWhenItDiffers: an account's version that
// still holds the text for all is no text of its own, in the counter too.
func TestVersionCounterSaysOwnOnlyWhenItDiffers(t *testing.T) {
	h := newHarness(t, 80, 21)
	h.do(typed("n"))
	h.do(typed("Rye"))
	h.do(keyCtrlO) // Mastodon's version: a copy of the text for all
	if n := countFor(t, h.m, "mastodon"); n.ownText {
		t.Fatalf("counter %+v says own text for the same text", n)
	}
	h.do(typed("!"))
	if n := countFor(t, h.m, "mastodon"); !n.ownText || n.used != 4 {
		t.Fatalf("counter %+v after Mastodon's text changed", n)
	}
}
