package mastodon_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
)

func notificationIDs(ns []platforms.Notification) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

func isAscending(ids []string) bool {
	return slices.IsSortedFunc(ids, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
}

func TestNotificationsPageWithACursor(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice := srv.AddAccount("alice")
	mine, err := c.Publish(ctx, newPost("A post to like", "n1"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		srv.Favourite(alice.ID, mine.Ref.ID)
	}

	first, cursor, err := c.Notifications(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 80 {
		t.Fatalf("first call: %d notifications, want the most recent page of 80", len(first))
	}
	ids := notificationIDs(first)
	if !isAscending(ids) || cursor != ids[len(ids)-1] {
		t.Errorf("first call not oldest first, or cursor %q is not the newest %q", cursor, ids[len(ids)-1])
	}

	// 170 more: three pages after the cursor (80, 80, 10).
	for i := 0; i < 170; i++ {
		srv.Reblog(alice.ID, mine.Ref.ID)
	}
	second, cursor2, err := c.Notifications(ctx, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 170 {
		t.Fatalf("second call: %d notifications, want the 170 newer ones", len(second))
	}
	ids2 := notificationIDs(second)
	if !isAscending(ids2) || !isAscending([]string{cursor, ids2[0]}) || cursor2 != ids2[len(ids2)-1] {
		t.Errorf("second call: order or cursor wrong (cursor %q, first %q, next %q)", cursor, ids2[0], cursor2)
	}
	for _, n := range second {
		if n.Kind != platforms.NotifyRepost || n.Subject == nil || n.Subject.ID != mine.Ref.ID {
			t.Fatalf("notification %+v, want a repost of %s", n, mine.Ref.ID)
		}
	}

	third, cursor3, err := c.Notifications(ctx, cursor2)
	if err != nil {
		t.Fatal(err)
	}
	if len(third) != 0 || cursor3 != cursor2 {
		t.Errorf("third call: %d notifications, cursor %q; want none and %q", len(third), cursor3, cursor2)
	}
}

func TestNotificationKinds(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice, bob := srv.AddAccount("alice"), srv.AddAccount("bob@far.example")
	mine, err := c.Publish(ctx, newPost("New loaves in!", "k"))
	if err != nil {
		t.Fatal(err)
	}
	bobs := srv.Post(bob.ID, "Bob's own post", "public", "")

	mention := srv.Post(alice.ID, "Hey @crier, are you open &amp; <baking> today?", "public", "")
	reply := srv.Post(bob.ID, "@crier Looks great", "public", mine.Ref.ID)
	replyElsewhere := srv.Post(alice.ID, "@crier @bob@far.example agreed", "public", bobs)
	srv.Favourite(alice.ID, mine.Ref.ID)
	srv.Reblog(bob.ID, mine.Ref.ID)
	srv.Follow(alice.ID)
	quote := srv.Quote(bob.ID, mine.Ref.ID, "Go and buy these")

	ns, _, err := c.Notifications(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		kind    platforms.NotificationKind
		author  string
		post    string
		subject string
	}
	wants := []want{
		{platforms.NotifyMention, "alice", mention, ""},
		{platforms.NotifyReply, "bob@far.example", reply, mine.Ref.ID},
		{platforms.NotifyReply, "alice", replyElsewhere, ""}, // a reply, but not to us
		{platforms.NotifyLike, "alice", "", mine.Ref.ID},
		{platforms.NotifyRepost, "bob@far.example", "", mine.Ref.ID},
		{platforms.NotifyFollow, "alice", "", ""},
		{platforms.NotifyQuote, "bob@far.example", quote, mine.Ref.ID},
	}
	if len(ns) != len(wants) {
		t.Fatalf("%d notifications, want %d: %+v", len(ns), len(wants), ns)
	}
	for i, w := range wants {
		n := ns[i]
		got := want{kind: n.Kind, author: n.Author.Handle}
		if n.Post != nil {
			got.post = n.Post.Ref.ID
		}
		if n.Subject != nil {
			got.subject = n.Subject.ID
		}
		if got != w {
			t.Errorf("notification %d = %+v, want %+v", i, got, w)
		}
	}
	if got, want := ns[0].Post.Text, "Hey @crier, are you open &amp; <baking> today?"; got != want {
		t.Errorf("mention text = %q, want %q (HTML turned back into the text)", got, want)
	}
	if ns[1].Post.ReplyTo == nil || ns[1].Post.ReplyTo.ID != mine.Ref.ID {
		t.Errorf("reply's ReplyTo = %+v", ns[1].Post.ReplyTo)
	}
	if ns[0].Author.Followers != 0 || ns[0].Author.ID != alice.ID {
		t.Errorf("author = %+v", ns[0].Author)
	}
}

func TestConversations(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice, bob := srv.AddAccount("alice"), srv.AddAccount("bob@far.example")
	srv.Post(alice.ID, "@crier do you deliver?", "direct", "")

	msgs, cursor, err := c.Messages(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].FromMe || msgs[0].Author.ID != alice.ID || msgs[0].Text != "@crier do you deliver?" {
		t.Fatalf("Messages = %+v", msgs)
	}
	conv := msgs[0].ConversationID

	sent, err := c.SendMessage(ctx, conv, "Yes, within 5 km.", "dm-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.SendMessage(ctx, conv, "Yes, within 5 km.", "dm-1")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != sent.ID {
		t.Errorf("same key sent twice: %s and %s", sent.ID, again.ID)
	}
	st, _ := srv.Status(sent.ID)
	if st.Visibility != "direct" || st.InReplyToID != msgs[0].ID || st.Text != "@alice Yes, within 5 km." {
		t.Errorf("server has %+v", st)
	}

	msgs, cursor, err = c.Messages(ctx, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || !msgs[0].FromMe || msgs[0].ID != sent.ID || msgs[0].ConversationID != conv {
		t.Fatalf("after sending, Messages = %+v", msgs)
	}

	srv.Post(bob.ID, "@crier hello from afar", "direct", "")
	msgs, _, err = c.Messages(ctx, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Author.ID != bob.ID || msgs[0].ConversationID == conv {
		t.Fatalf("new conversation: Messages = %+v", msgs)
	}
}

func TestSendMessageFindsTheConversation(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice := srv.AddAccount("alice@other.example")
	// More conversations than one page holds (40).
	for i := 0; i < 45; i++ {
		srv.Post(alice.ID, fmt.Sprintf("@crier message %d", i), "direct", "")
	}
	oldest := srv.Statuses(alice.ID)[0]
	conv := srv.ConversationOf(oldest.ID)
	if conv == "" {
		t.Fatal("the server filed no conversation")
	}
	// c has never listed conversations: it must page to find this one.
	sent, err := c.SendMessage(ctx, conv, "Thanks!", "")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Status(sent.ID)
	if got.InReplyToID != oldest.ID || got.Text != "@alice@other.example Thanks!" || got.Visibility != "direct" {
		t.Errorf("server has %+v", got)
	}
	if n := srv.Count("GET", "/api/v1/conversations"); n != 2 {
		t.Errorf("%d conversation pages read, want 2", n)
	}
	if srv.ConversationOf(sent.ID) != conv {
		t.Errorf("the answer joined conversation %q, want %q", srv.ConversationOf(sent.ID), conv)
	}

	_, err = c.SendMessage(ctx, "999", "to nobody", "")
	wantClass(t, err, platforms.Permanent)
}

// dmFrom has from write to the server's own account and returns the message
// as the client c reads it.
func dmFrom(t *testing.T, srv *mastotest.Server, c *mastodon.Client, from mastotest.Account, text string) platforms.Message {
	t.Helper()
	id := srv.Post(from.ID, text, "direct", "")
	msgs, _, err := c.Messages(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("Messages = %+v, want %s among them", msgs, id)
	return platforms.Message{}
}

func TestPublishAnswersADirectMessage(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	alice := srv.AddAccount("alice")
	dm := dmFrom(t, srv, c, alice, "@crier is the rye vegan?")

	p := newPost("Yes, it is.", "dm-reply")
	p.Conversation, p.ReplyTo = dm.ConversationID, &platforms.Ref{ID: dm.ID}
	pub, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := srv.Status(pub.Ref.ID)
	if st.Visibility != "direct" || st.InReplyToID != dm.ID || st.Text != "@alice Yes, it is." {
		t.Errorf("server has %+v", st)
	}
	if got := srv.ConversationOf(pub.Ref.ID); got != dm.ConversationID {
		t.Errorf("the answer is in conversation %q, want %q", got, dm.ConversationID)
	}

	// Alice finds it in her conversation with us.
	asAlice := mastodon.New(srv.URL, srv.TokenFor(alice.ID))
	theirs, _, err := asAlice.Messages(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(theirs) != 1 || theirs[0].ID != pub.Ref.ID || theirs[0].FromMe || theirs[0].Author.Handle != "crier" ||
		theirs[0].ConversationID != dm.ConversationID {
		t.Errorf("Alice's messages = %+v", theirs)
	}

	again, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if again.Ref.ID != pub.Ref.ID || len(srv.Statuses(srv.Me().ID)) != 1 {
		t.Errorf("a repeat with the same key made %s; statuses %+v", again.Ref.ID, srv.Statuses(srv.Me().ID))
	}

	// A public reply with the very text sent must not pass for the direct one.
	decoy := newPost("@alice Yes, it is.", "decoy")
	decoy.ReplyTo = &platforms.Ref{ID: dm.ID}
	if _, err := c.Publish(ctx, decoy); err != nil {
		t.Fatal(err)
	}
	before := srv.Count("POST", "/api/v1/statuses")
	later := mastodon.New(srv.URL, srv.Token(), mastodon.WithReconcileSettle(0),
		mastodon.WithClock(func() time.Time { return time.Now().Add(2 * time.Hour) }))
	found, ok, err := later.Reconcile(ctx, p)
	if err != nil || !ok || found.Ref.ID != pub.Ref.ID {
		t.Fatalf("Reconcile after the key expired = %+v, %v, %v; want %s", found, ok, err, pub.Ref.ID)
	}
	if after := srv.Count("POST", "/api/v1/statuses"); after != before {
		t.Errorf("Reconcile posted (%d -> %d POSTs)", before, after)
	}
}

func TestReconcileADirectMessageToARemoteAccount(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{})
	ctx := context.Background()
	bob := srv.AddAccount("bob@far.example")
	dm := dmFrom(t, srv, c, bob, "@crier any sourdough left?")

	p := newPost("Two loaves.\n\nCome by before 5: https://shop.example/opening-hours-and-directions", "lost-dm")
	p.Conversation, p.ReplyTo = dm.ConversationID, &platforms.Ref{ID: dm.ID}
	srv.Inject("POST", "/api/v1/statuses", mastotest.Fault{Status: 503, Land: true})
	_, err := c.Publish(ctx, p)
	wantClass(t, err, platforms.UnknownOutcome)
	landed := srv.Statuses(srv.Me().ID)
	if len(landed) != 1 || !strings.HasPrefix(landed[0].Text, "@bob@far.example Two loaves.") {
		t.Fatalf("statuses %+v, want the one that landed, mentioning bob", landed)
	}

	pub, ok, err := c.Reconcile(ctx, p)
	if err != nil || !ok || pub.Ref.ID != landed[0].ID {
		t.Fatalf("Reconcile within the hour = %+v, %v, %v", pub, ok, err)
	}

	// A client that never listed the conversations, after the key expired:
	// the server renders the mention without its domain.
	later := mastodon.New(srv.URL, srv.Token(), mastodon.WithReconcileSettle(0),
		mastodon.WithClock(func() time.Time { return time.Now().Add(2 * time.Hour) }))
	pub, ok, err = later.Reconcile(ctx, p)
	if err != nil || !ok || pub.Ref.ID != landed[0].ID {
		t.Fatalf("Reconcile after the hour = %+v, %v, %v; want %s", pub, ok, err, landed[0].ID)
	}
	never := newPost("This answer never landed", "never-dm")
	never.Conversation, never.ReplyTo = dm.ConversationID, &platforms.Ref{ID: dm.ID}
	if _, ok, err := later.Reconcile(ctx, never); err != nil || ok {
		t.Errorf("Reconcile of a direct message that never landed = %v, %v; want not found", ok, err)
	}
	if n := len(srv.Statuses(srv.Me().ID)); n != 1 {
		t.Errorf("%d statuses, want still 1", n)
	}
}

func TestPublishDirectMessageTooLongWithTheMentions(t *testing.T) {
	srv, c := newPair(t, mastotest.Config{MaxChars: 20})
	ctx := context.Background()
	alice := srv.AddAccount("alice")
	dm := dmFrom(t, srv, c, alice, "@crier open?")
	p := newPost(strings.Repeat("y", 20), "long-dm")
	p.Conversation, p.ReplyTo = dm.ConversationID, &platforms.Ref{ID: dm.ID}
	_, err := c.Publish(ctx, p)
	if pe := wantClass(t, err, platforms.Permanent); !strings.Contains(pe.Reason, "mentions") {
		t.Errorf("reason %q does not say the mentions made it too long", pe.Reason)
	}
	if n := srv.Count("POST", "/api/v1/statuses"); n != 0 {
		t.Errorf("%d statuses sent, want none", n)
	}
}
