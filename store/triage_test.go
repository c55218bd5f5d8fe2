package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// addItem stores one inbox item and returns it as read back.
func addItem(t *testing.T, st *Store, it InboxItem) InboxItem {
	t.Helper()
	ctx := context.Background()
	if it.ReceivedAt.IsZero() {
		it.ReceivedAt = inboxT0
	}
	if it.AuthorHandle == "" {
		it.AuthorHandle = "someone"
	}
	if it.Body == "" {
		it.Body = "hello there"
	}
	if _, err := addRead(ctx, st, []InboxItem{it}); err != nil {
		t.Fatal(err)
	}
	page, err := st.InboxPage(ctx, InboxFilter{AccountID: it.AccountID}, nil, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range page {
		if got.RemoteID == it.RemoteID {
			return got
		}
	}
	t.Fatalf("item %s not stored", it.RemoteID)
	return InboxItem{}
}

func dueReply(t *testing.T, st *Store, postID int64, now time.Time) DueDelivery {
	t.Helper()
	due, err := st.DueDeliveries(context.Background(), now, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range due {
		if d.PostID == postID {
			return d
		}
	}
	t.Fatalf("reply %d is not due at %s (due: %+v)", postID, now, due)
	return DueDelivery{}
}

func TestQueueReplyRefsPerKind(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	bsky := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	masto := mustAccount(t, st, PlatformMastodon, "bakery")
	now := inboxT0.Add(time.Hour)

	cases := []struct {
		name             string
		item             InboxItem
		wantParent       RemoteRef
		wantRoot         RemoteRef
		wantConversation string
	}{{
		name: "bluesky reply deep in a thread",
		item: InboxItem{AccountID: bsky, Platform: PlatformBluesky, RemoteID: "at://x/post/3", RemoteCID: "cid3",
			Kind: KindReply, ThreadRoot: "at://me/post/1", RootCID: "cid1", InReplyTo: "at://me/post/1"},
		wantParent: RemoteRef{ID: "at://x/post/3", CID: "cid3"},
		wantRoot:   RemoteRef{ID: "at://me/post/1", CID: "cid1"},
	}, {
		name: "bluesky mention that starts a thread",
		item: InboxItem{AccountID: bsky, Platform: PlatformBluesky, RemoteID: "at://x/post/4", RemoteCID: "cid4",
			Kind: KindMention},
		wantParent: RemoteRef{ID: "at://x/post/4", CID: "cid4"},
		wantRoot:   RemoteRef{ID: "at://x/post/4", CID: "cid4"},
	}, {
		name:       "mastodon mention",
		item:       InboxItem{AccountID: masto, Platform: PlatformMastodon, RemoteID: "1009", Kind: KindMention, InReplyTo: "77", ThreadRoot: "77"},
		wantParent: RemoteRef{ID: "1009"},
		wantRoot:   RemoteRef{ID: "77"},
	}, {
		name:             "mastodon direct message",
		item:             InboxItem{AccountID: masto, Platform: PlatformMastodon, RemoteID: "1010", Kind: KindDM, ThreadRoot: "conv-5"},
		wantParent:       RemoteRef{ID: "1010"},
		wantRoot:         RemoteRef{ID: "1010"},
		wantConversation: "conv-5",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := addItem(t, st, tc.item)
			post, err := st.QueueReply(ctx, it.ID, "thank you!", now)
			if err != nil {
				t.Fatal(err)
			}
			d := dueReply(t, st, post, now)
			if d.AccountID != it.AccountID || d.Text != "thank you!" || d.ReplyItem != it.ID {
				t.Errorf("delivery %+v", d)
			}
			if d.ReplyTo != tc.wantParent || d.ThreadRoot != tc.wantRoot || d.Conversation != tc.wantConversation {
				t.Errorf("refs: parent %+v root %+v conversation %q; want %+v %+v %q",
					d.ReplyTo, d.ThreadRoot, d.Conversation, tc.wantParent, tc.wantRoot, tc.wantConversation)
			}
			if d.IdempotencyKey == "" {
				t.Error("no idempotency key")
			}
			got, err := st.InboxItems(ctx, []int64{it.ID})
			if err != nil || len(got) != 1 || got[0].State != InboxDone {
				t.Errorf("item after reply: %+v, %v", got, err)
			}
		})
	}
}

func TestReplyOutcomeReachesItem(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformMastodon, "bakery")
	it := addItem(t, st, InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: "1", Kind: KindMention})
	now := inboxT0.Add(90 * time.Minute)

	// A reply that fails for good opens the item again and keeps its text.
	post, err := st.QueueReply(ctx, it.ID, "@someone first try", now)
	if err != nil {
		t.Fatal(err)
	}
	d := dueReply(t, st, post, now)
	if ok, err := st.ClaimDelivery(ctx, d.ID, now); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := st.MarkFailed(ctx, d.ID, "422 text too long"); err != nil {
		t.Fatal(err)
	}
	got, _ := st.InboxItems(ctx, []int64{it.ID})
	if got[0].State != InboxOpen || !got[0].RepliedAt.IsZero() {
		t.Fatalf("after a failed reply: %+v", got[0])
	}
	thread, err := st.InboxThread(ctx, got[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 1 || !thread[0].Reply || thread[0].State != DeliveryFailed ||
		thread[0].LastError != "422 text too long" || thread[0].Body != "@someone first try" {
		t.Fatalf("thread after a failed reply: %+v", thread)
	}

	// The retry replaces the failed reply; when it goes out the item
	// records the time of the first answer.
	post2, err := st.QueueReply(ctx, it.ID, "@someone shorter", now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if thread, _ := st.InboxThread(ctx, got[0]); len(thread) != 1 || thread[0].PostID != post2 ||
		thread[0].State != DeliveryQueued || thread[0].Body != "@someone shorter" {
		t.Errorf("the failed reply %d was not replaced: %+v", post, thread)
	}
	d = dueReply(t, st, post2, now.Add(time.Minute))
	if ok, err := st.ClaimDelivery(ctx, d.ID, now.Add(time.Minute)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	sentAt := now.Add(2 * time.Minute)
	if err := st.MarkSent(ctx, d.ID, RemoteRef{ID: "2001"}, "https://example.social/@bakery/2001", sentAt); err != nil {
		t.Fatal(err)
	}
	got, _ = st.InboxItems(ctx, []int64{it.ID})
	if !got[0].RepliedAt.Equal(sentAt) || got[0].State != InboxDone {
		t.Fatalf("after the reply went out: %+v", got[0])
	}
	thread, _ = st.InboxThread(ctx, got[0])
	if len(thread) != 1 || thread[0].State != DeliverySent || thread[0].URL == "" || thread[0].AuthorHandle != "bakery" {
		t.Fatalf("thread: %+v", thread)
	}

	// A second reply does not move the first-answer time.
	post3, _ := st.QueueReply(ctx, it.ID, "@someone and one more thing", sentAt.Add(time.Hour))
	d = dueReply(t, st, post3, sentAt.Add(time.Hour))
	st.ClaimDelivery(ctx, d.ID, sentAt.Add(time.Hour))
	if err := st.MarkSent(ctx, d.ID, RemoteRef{ID: "2002"}, "", sentAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = st.InboxItems(ctx, []int64{it.ID})
	if !got[0].RepliedAt.Equal(sentAt) {
		t.Errorf("replied_at moved to %s", got[0].RepliedAt)
	}

	// Replies stay out of the calendar and the drafts list.
	cal, err := st.PostsBetween(ctx, inboxT0.Add(-time.Hour), inboxT0.Add(24*time.Hour))
	if err != nil || len(cal) != 0 {
		t.Errorf("calendar shows replies: %+v %v", cal, err)
	}
	unsent, err := st.Unsent(ctx, 10)
	if err != nil || len(unsent) != 0 {
		t.Errorf("drafts list shows replies: %+v %v", unsent, err)
	}
}

func TestReplyIsNeverMissed(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformMastodon, "bakery")
	it := addItem(t, st, InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: "1", Kind: KindMention})
	post, err := st.QueueReply(ctx, it.ID, "@someone hi", inboxT0)
	if err != nil {
		t.Fatal(err)
	}
	missed, err := st.MarkMissedBefore(ctx, inboxT0.Add(48*time.Hour))
	if err != nil || len(missed) != 0 {
		t.Fatalf("missed %v, %v", missed, err)
	}
	dueReply(t, st, post, inboxT0.Add(48*time.Hour))
}

func TestQueueReplyRefusals(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformMastodon, "bakery")
	dm := addItem(t, st, InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: "1", Kind: KindDM})
	if _, err := st.QueueReply(ctx, dm.ID, "hi", inboxT0); !errors.Is(err, ErrNoConversation) {
		t.Errorf("DM without a conversation: %v", err)
	}
	if _, err := st.QueueReply(ctx, dm.ID, "  \n", inboxT0); err == nil {
		t.Error("an empty reply was queued")
	}
	if _, err := st.QueueReply(ctx, 999, "hi", inboxT0); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing item: %v", err)
	}
	got, _ := st.InboxItems(ctx, []int64{dm.ID})
	if got[0].State != InboxOpen {
		t.Errorf("a refused reply changed the item: %+v", got[0])
	}
}

func TestLabelsReactionsAndRestore(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformMastodon, "bakery")
	a := addItem(t, st, InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: "1", Kind: KindMention})
	b := addItem(t, st, InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: "2", Kind: KindReply})
	ids := []int64{a.ID, b.ID}

	if _, err := st.ToggleInboxLabel(ctx, ids, "two words"); err == nil {
		t.Error("a label with a space was taken")
	}
	if added, err := st.ToggleInboxLabel(ctx, []int64{a.ID}, " Wholesale "); err != nil || !added {
		t.Fatalf("label a: %v %v", added, err)
	}
	// b lacks it, so toggling both adds it to b.
	if added, err := st.ToggleInboxLabel(ctx, ids, "wholesale"); err != nil || !added {
		t.Fatalf("label both: %v %v", added, err)
	}
	if _, err := st.ToggleInboxLabel(ctx, ids, "catering"); err != nil {
		t.Fatal(err)
	}
	got, _ := st.InboxItems(ctx, ids)
	for _, it := range got {
		if !slices.Equal(it.Labels, []string{"catering", "wholesale"}) {
			t.Errorf("item %d labels %q", it.ID, it.Labels)
		}
	}
	if added, err := st.ToggleInboxLabel(ctx, ids, "wholesale"); err != nil || added {
		t.Fatalf("unlabel both: %v %v", added, err)
	}

	if err := st.SetInboxReaction(ctx, []int64{a.ID}, ReactLike, true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetInboxReaction(ctx, []int64{b.ID}, ReactRepost, true); err != nil {
		t.Fatal(err)
	}
	before, _ := st.InboxItems(ctx, ids)
	if !before[0].Liked || before[0].Reposted || before[1].Liked || !before[1].Reposted {
		t.Fatalf("reactions: %+v", before)
	}

	// A state change taken back restores state, snooze and read mark; a
	// label toggle taken back restores that label. Neither touches what
	// the other changed since (another session's label, say).
	if err := st.SetInboxState(ctx, ids, InboxSnoozed, inboxT0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	st.ToggleInboxLabel(ctx, ids, "later")
	beforeLabel, _ := st.InboxItems(ctx, ids)
	st.ToggleInboxLabel(ctx, ids[:1], "vip")
	st.ToggleInboxLabel(ctx, ids, "later") // taken off both
	if err := st.RestoreInboxTriage(ctx, before); err != nil {
		t.Fatal(err)
	}
	if err := st.RestoreInboxLabel(ctx, beforeLabel, "later"); err != nil {
		t.Fatal(err)
	}
	after, _ := st.InboxItems(ctx, ids)
	for i := range after {
		want := append(slices.Clone(before[i].Labels), "later")
		if i == 0 {
			want = append(want, "vip")
		}
		slices.Sort(want)
		if after[i].State != before[i].State || !after[i].SnoozedUntil.Equal(before[i].SnoozedUntil) ||
			!slices.Equal(after[i].Labels, want) {
			t.Errorf("restored %+v, want %+v with labels %q", after[i], before[i], want)
		}
	}
	if got, _ := st.InboxItems(ctx, []int64{b.ID, a.ID, 12345}); len(got) != 2 || got[0].ID != b.ID {
		t.Errorf("InboxItems keeps the order asked for and skips missing ids: %+v", got)
	}
}

func TestReplyDrafts(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	it := addItem(t, st, InboxItem{AccountID: acc, Platform: PlatformBluesky, RemoteID: "at://x/1", Kind: KindMention})
	if got, err := st.ReplyDraft(ctx, it.ID); err != nil || got != "" {
		t.Fatalf("no draft yet: %q %v", got, err)
	}
	for _, body := range []string{"Thanks so", "Thanks so much!"} {
		if err := st.SaveReplyDraft(ctx, it.ID, body, inboxT0); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := st.ReplyDraft(ctx, it.ID); got != "Thanks so much!" {
		t.Fatalf("draft %q", got)
	}
	// A reply draft is neither in the drafts list nor in the thread.
	if unsent, _ := st.Unsent(ctx, 10); len(unsent) != 0 {
		t.Errorf("drafts list shows a reply draft: %+v", unsent)
	}
	if thread, _ := st.InboxThread(ctx, it); len(thread) != 0 {
		t.Errorf("thread shows a reply draft: %+v", thread)
	}
	if err := st.SaveReplyDraft(ctx, it.ID, "  ", inboxT0); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.ReplyDraft(ctx, it.ID); got != "" {
		t.Fatalf("an emptied draft is still there: %q", got)
	}
	// Sending replaces the draft.
	st.SaveReplyDraft(ctx, it.ID, "draft text", inboxT0)
	if _, err := st.QueueReply(ctx, it.ID, "final text", inboxT0); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.ReplyDraft(ctx, it.ID); got != "" {
		t.Fatalf("the draft outlived the reply: %q", got)
	}
	if err := st.SaveReplyDraft(ctx, 4242, "x", inboxT0); !errors.Is(err, ErrNotFound) {
		t.Errorf("draft for a missing item: %v", err)
	}
}

func TestListeningHasItsOwnView(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	mention := addItem(t, st, InboxItem{AccountID: acc, Platform: PlatformBluesky, RemoteID: "m", Kind: KindMention,
		Body: "this is awful", ReceivedAt: inboxT0})
	heard := InboxItem{AccountID: acc, Platform: PlatformBluesky, RemoteID: "h", Kind: KindListening, Term: "#rye",
		AuthorHandle: "x", Body: "the worst rye I ever had", ReceivedAt: inboxT0.Add(time.Minute)}
	if _, err := addRead(ctx, st, []InboxItem{heard}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []InboxFilter{
		{}, {State: InboxOpen}, {AccountID: acc}, {AccountID: acc, State: InboxOpen},
		{Attention: true}, {Attention: true, AccountID: acc},
	} {
		page, err := st.InboxPage(ctx, f, nil, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		n, err := st.InboxCount(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 1 || page[0].ID != mention.ID || n != 1 {
			t.Errorf("%+v: %d counted, page %+v; want only the mention", f, n, page)
		}
	}
	for _, f := range []InboxFilter{{Kind: KindListening}, {Kind: KindListening, State: InboxOpen}, {Kind: KindListening, Attention: true}} {
		page, err := st.InboxPage(ctx, f, nil, nil, 10)
		if err != nil || len(page) != 1 || page[0].Term != "#rye" || page[0].Kind != KindListening {
			t.Errorf("%+v: %+v %v", f, page, err)
		}
	}
	// Whoever writes the row, heard follows the kind.
	if _, err := st.DB().Exec(`INSERT INTO inbox_items (account_id, platform, remote_id, kind, author_handle, body, received_at)
		VALUES (?, 'bluesky', 'raw', 'listening', 'y', 'raw row', 1)`, acc); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.InboxCount(ctx, InboxFilter{}); n != 1 {
		t.Errorf("a listening row written by hand shows in the inbox: %d", n)
	}
}
