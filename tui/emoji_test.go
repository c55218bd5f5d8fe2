package tui

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
	"github.com/crier-app/crier/tui/tuitest"
)

// emojiTexts are what people write that terminals draw at different widths:
// emoji with the presentation selector (❤️), skin tones, joined sequences,
// flags and a lone regional indicator, keycaps, beside ones every terminal
// agrees on.
var emojiTexts = []struct{ author, body string }{
	{"Lucía ❤️", "Mi panadería favorita ❤️"},
	{"Ana 🏳️‍🌈", "👍🏽 see you Saturday, the 👩‍🍳 is the best ❤️‍🔥"},
	{"Tom", "✔️ ordered two loaves ☀️ Sunday"},
	{"Jana 🇩🇪", "Frohe Weihnachten 🇩🇪🇫 und danke 1️⃣ Jahr lang"},
	{"Kenji", "Card or cash only? 😬 Thanks!"},
	{"Familie 👨‍👩‍👧‍👦", "❤️❤️❤️ the whole family loved the stollen ♥️"},
	{"Ben 👋🏿", "⚠️ closed today? the door was locked ☕️"},
}

// emojiStore holds two accounts, an inbox of emojiTexts and posts with such
// emoji, drafted and queued in the week of frozen.
func emojiStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	st := tuitest.Store(t)
	masto, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@shop@example.social", Server: "https://example.social"})
	if err != nil {
		t.Fatal(err)
	}
	bsky, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "shop.bsky.social", Server: "https://bsky.social"})
	if err != nil {
		t.Fatal(err)
	}
	var items []store.InboxItem
	for i, e := range emojiTexts {
		acct, platform := bsky, store.PlatformBluesky
		if i%2 == 1 {
			acct, platform = masto, store.PlatformMastodon
		}
		items = append(items, store.InboxItem{AccountID: acct, Platform: platform, RemoteID: fmt.Sprintf("e%d", i),
			Kind: store.KindReply, AuthorHandle: fmt.Sprintf("person%d.example", i), AuthorName: e.author, AuthorFollowers: 10,
			Body: e.body, ReceivedAt: frozen.Add(-time.Duration(i+1) * 17 * time.Minute), State: store.InboxOpen})
	}
	if _, err := st.AddInboxItems(ctx, tone.Read(items)); err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"Thank you ❤️ for five years 👩‍🍳🎉", "Sunday ☀️ special: 👍🏽 stollen, 🇩🇪 style", "✔️ Open on the 24th ❤️‍🔥"} {
		id, err := st.SaveDraft(ctx, store.Post{Body: body, Targets: []store.Target{{AccountID: masto}, {AccountID: bsky}}}, frozen)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			at := frozen.AddDate(0, 0, i).Add(-2 * time.Hour)
			if err := st.QueuePost(ctx, id, at, frozen.Location().String(), frozen); err != nil {
				t.Fatal(err)
			}
		}
	}
	return st
}

// Rows with emoji that terminals disagree about keep every column where it
// is: every line of every screen is exactly as wide as the terminal by the one
// measure (common.Width), and nothing drawn is a sequence that measure and
// tmux read differently (common.Display leaves every line as it is;
// TestWidthIsWhatTmuxDraws shows tmux agrees with the measure on such text).
func TestGoldenEmojiRows(t *testing.T) {
	screens := []struct {
		name  string
		keys  []string
		want  string
		field bool // a text field is open: its own text keeps its joined emoji
	}{
		{"inbox", []string{"3"}, "Mi panadería", false},
		{"inbox-preview", []string{"3", "j"}, "Ana", false},
		{"drafts", []string{"2"}, "Thank you", false},
		{"composer", []string{"2", "enter"}, "Thank you", true},
		{"reply", []string{"3", "r", "¡Gracias! ❤️ 👍🏽 🇩🇪"}, "Gracias", true},
		{"calendar-week", []string{"v"}, "Sunday", false},
		{"agenda", []string{"l", "enter"}, "Sunday", false},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range screens {
			name := fmt.Sprintf("%s-%dx%d", sc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				clock := tuitest.NewClock(frozen)
				c := testCommon(t, emojiStore(t), clock)
				c.Demo = false
				m := drive(t, clock, New(c, nil), size[0], size[1])
				m.settle(m.Init())
				for _, k := range sc.keys {
					m.send(press(k))
				}
				v := m.View()
				if !strings.Contains(v, sc.want) {
					t.Fatalf("the screen lacks %q:\n%s", sc.want, v)
				}
				for i, l := range strings.Split(v, "\n") {
					if w := common.Width(l); w > size[0] {
						t.Errorf("line %d is %d wide:\n%s", i, w, l)
					}
					display := common.Display
					if sc.field {
						display = common.DisplayField
					}
					if d := display(l); d != l {
						t.Errorf("line %d draws sequences terminals disagree about: %q", i, l)
					}
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}
