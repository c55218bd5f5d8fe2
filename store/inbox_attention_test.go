package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/crier-app/crier/sentiment"
)

// The inbox: a private complaint with no strong word in it was 33rd
// of 38, a question whose "died" VADER reads as grief was first.
func TestNeedsAttentionPutsWhatAMessageIsFirst(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc, err := st.UpsertAccount(ctx, Account{Platform: PlatformBluesky, Handle: "bakery.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	at := func(h int) time.Time { return inboxT0.Add(time.Duration(h) * time.Hour) }
	item := func(id string, kind InboxKind, received time.Time, body string) InboxItem {
		return InboxItem{AccountID: acc, Platform: PlatformBluesky, RemoteID: id, Kind: kind,
			AuthorHandle: id + ".example.com", AuthorFollowers: 50, Body: body, ReceivedAt: received}
	}
	if _, err := addRead(ctx, st, []InboxItem{
		item("starter", KindReply, at(0), "Do you sell your starter? Mine just died 😬"),
		item("killer", KindReply, at(1), "Killer cinnamon buns. Dangerous."),
		item("chatter", KindReply, at(2), "Ha, the queue this morning!"),
		item("order", KindDM, at(20), "Didn't want to say this publicly, but my order yesterday was wrong and nobody answered the phone."),
		item("public-question", KindReply, at(3), "Are you open on Sunday?"),
		// A private question six hours newer than a public one has waited
		// as long: someone wrote to the business alone.
		item("dm-question", KindDM, at(9), "Hi! Can I order a cake for Saturday?"),
		item("german", KindReply, at(21), "Die Brötchen waren heute total hart und alt. Schade."),
		item("spanish", KindMention, at(22), "Mi pedido llegó incompleto y nadie contesta al teléfono."),
	}); err != nil {
		t.Fatal(err)
	}
	got, err := st.InboxPage(ctx, InboxFilter{Attention: true}, nil, nil, 20)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, it := range got {
		order = append(order, it.RemoteID)
	}
	want := []string{
		"order", "german", "spanish", // complaints, in three languages, oldest first
		"starter", "public-question", "dm-question", // questions, "died" and all
		"killer",  // praise, in slang
		"chatter", // the rest
	}
	if !slices.Equal(order, want) {
		t.Fatalf("needs attention:\n got %v\nwant %v", order, want)
	}
}

func TestNeedsAttentionOrder(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc, err := st.UpsertAccount(ctx, Account{Platform: PlatformMastodon, Handle: "bakery", Server: "example.social"})
	if err != nil {
		t.Fatal(err)
	}
	at := func(h int) time.Time { return inboxT0.Add(time.Duration(h) * time.Hour) }
	item := func(id string, received time.Time, followers int, body string) InboxItem {
		return InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: id, Kind: KindReply,
			AuthorHandle: id, AuthorFollowers: followers, Body: body, ReceivedAt: received}
	}
	done := item("done-complaint", at(0), 10, "This is awful, I want a refund")
	done.State = InboxDone
	snoozed := item("snoozed-complaint", at(0), 10, "Awful, just awful")
	snoozed.State, snoozed.SnoozedUntil = InboxSnoozed, at(100)
	items := []InboxItem{
		item("old-chatter", at(0), 10, "Saw your van on Main Street today"),
		item("new-complaint", at(50), 10, "The bread was stale and mouldy. Disappointed."),
		item("old-complaint", at(10), -1, "Worst birthday cake ever, ruined the party"),
		item("question", at(40), 10, "Do you deliver to Northside?"),
		item("angry-question", at(45), 10, "Why was my order wrong AGAIN?! Terrible."),
		item("new-praise", at(30), 10, "Lovely loaf today, thank you"),
		// Twenty minutes newer than new-praise, but 15,000 followers are
		// worth twelve hours of waiting.
		item("big-account", at(30).Add(20*time.Minute), 15000, "Best bread in town, says the radio station"),
		// Five hours newer: the four hours' head start of 1,000 followers
		// does not make up for it.
		item("mid-account", at(35), 1000, "Delicious croissants"),
		item("link", at(5), 10, "our menu https://example.com/?page=2"),
		done, snoozed,
	}
	if _, err := addRead(ctx, st, items); err != nil {
		t.Fatal(err)
	}
	f := InboxFilter{Attention: true, State: InboxDone} // State is ignored
	n, err := st.InboxCount(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.InboxPage(ctx, f, nil, nil, 20)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, it := range got {
		order = append(order, it.RemoteID)
	}
	want := []string{
		"old-complaint", "angry-question", "new-complaint", // complaints, longest waiting first
		"question",                                 // then questions
		"big-account", "new-praise", "mid-account", // then praise
		"old-chatter", "link", // then the rest
	}
	if !slices.Equal(order, want) {
		t.Fatalf("needs attention:\n got %v\nwant %v", order, want)
	}
	if n != len(want) {
		t.Errorf("count = %d, want %d", n, len(want))
	}
	// Closing an item takes it out; reopening brings it back in its place.
	if err := st.SetInboxState(ctx, []int64{got[0].ID}, InboxDone, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if page, _ := st.InboxPage(ctx, f, nil, nil, 1); len(page) != 1 || page[0].RemoteID != "angry-question" {
		t.Fatalf("after closing the first: %+v", page)
	}
	if err := st.SetInboxState(ctx, []int64{got[0].ID}, InboxOpen, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if page, _ := st.InboxPage(ctx, f, nil, nil, 1); len(page) != 1 || page[0].RemoteID != "old-complaint" {
		t.Fatalf("after reopening it: %+v", page)
	}
}

// seedVariedInbox stores n items of every tone, with and without questions
// and known followers, over two accounts, all kinds and all states.
func seedVariedInbox(t *testing.T, st *Store, n int) (acc1 int64, items []InboxItem) {
	t.Helper()
	ctx := context.Background()
	acc1, err := st.UpsertAccount(ctx, Account{Platform: PlatformMastodon, Handle: "bakery", Server: "example.social"})
	if err != nil {
		t.Fatal(err)
	}
	acc2, err := st.UpsertAccount(ctx, Account{Platform: PlatformBluesky, Handle: "bakery.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	bodies := []string{"Terrible service, so rude", "Lovely buns!", "Open on Sunday?", "saw you at the market",
		"Why is it always sold out?! Annoying", "https://example.com/?x=1"}
	followers := []int{-1, 5, 1200, 20000, 300000, 999}
	kinds := []InboxKind{KindMention, KindReply, KindQuote, KindDM}
	states := []InboxState{InboxOpen, InboxOpen, InboxDone, InboxSnoozed, InboxOpen, InboxOpen, InboxOpen}
	for i := range n {
		it := InboxItem{
			AccountID: acc1, Platform: PlatformMastodon, RemoteID: fmt.Sprintf("v%d", i),
			Kind: kinds[i%len(kinds)], AuthorHandle: "someone", AuthorFollowers: followers[i%len(followers)],
			Body: bodies[(i/2)%len(bodies)], ReceivedAt: inboxT0.Add(time.Duration(i/2) * time.Hour),
			State: states[i%len(states)],
		}
		if i%3 == 0 {
			it.AccountID, it.Platform = acc2, PlatformBluesky
		}
		if it.State == InboxSnoozed {
			it.SnoozedUntil = inboxT0.Add(1000 * time.Hour)
		}
		items = append(items, it)
	}
	if _, err := addRead(ctx, st, items); err != nil {
		t.Fatal(err)
	}
	items, err = st.InboxPage(ctx, InboxFilter{}, nil, nil, n+1)
	if err != nil || len(items) != n {
		t.Fatalf("read back %d items, %v", len(items), err)
	}
	return acc1, items
}

// expectAttention is the needs-attention view worked out in Go from the
// items' text, kind and followers, independently of the generated columns.
func expectAttention(all []InboxItem, f InboxFilter) []InboxItem {
	rank := func(it InboxItem) int {
		return slices.Index([]sentiment.Class{sentiment.Complaint, sentiment.Question, sentiment.Concern, sentiment.Praise, sentiment.Other},
			sentiment.Classify(it.Body, channelOf(it.Kind)))
	}
	waited := func(it InboxItem) time.Time {
		at := it.ReceivedAt
		switch n := it.AuthorFollowers; {
		case n >= 100000:
			at = at.Add(-24 * time.Hour)
		case n >= 10000:
			at = at.Add(-12 * time.Hour)
		case n >= 1000:
			at = at.Add(-4 * time.Hour)
		}
		if it.Kind == KindDM {
			at = at.Add(-6 * time.Hour)
		}
		return at
	}
	var out []InboxItem
	for _, it := range all {
		if it.State == InboxOpen && it.DeletedAt.IsZero() && (f.Kind == "" || it.Kind == f.Kind) && (f.AccountID == 0 || it.AccountID == f.AccountID) {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b InboxItem) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		if c := waited(a).Compare(waited(b)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out
}

func attentionFilters(acc int64) []InboxFilter {
	var out []InboxFilter
	for _, a := range []int64{0, acc} {
		for _, k := range []InboxKind{"", KindDM} {
			out = append(out, InboxFilter{Attention: true, Kind: k, AccountID: a})
		}
	}
	return out
}

func TestNeedsAttentionPagesEveryFilterBothWays(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc1, all := seedVariedInbox(t, st, 97)
	for _, f := range attentionFilters(acc1) {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			want := expectAttention(all, f)
			if len(want) < 8 {
				t.Fatalf("only %d items to page through", len(want))
			}
			n, err := st.InboxCount(ctx, f)
			if err != nil || n != len(want) {
				t.Fatalf("InboxCount = %d, %v; want %d", n, err, len(want))
			}
			var got []InboxItem
			page, err := st.InboxPage(ctx, f, nil, nil, 3)
			for ; err == nil && len(page) > 0; page, err = st.InboxPage(ctx, f, &[]InboxKey{page[len(page)-1].Key()}[0], nil, 3) {
				got = append(got, page...)
			}
			if err != nil || !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("forwards (%v):\n got %v\nwant %v", err, ids(got), ids(want))
			}
			got = nil
			page, err = st.InboxLast(ctx, f, 3)
			for ; err == nil && len(page) > 0; page, err = st.InboxPage(ctx, f, nil, &[]InboxKey{page[0].Key()}[0], 3) {
				got = append(slices.Clone(page), got...)
			}
			if err != nil || !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("backwards (%v):\n got %v\nwant %v", err, ids(got), ids(want))
			}
			first, last := want[1].Key(), want[4].Key()
			between, err := st.InboxPage(ctx, f, &first, &last, 10)
			if err != nil || !slices.Equal(ids(between), ids(want[2:4])) {
				t.Fatalf("between = %v, %v; want %v", ids(between), err, ids(want[2:4]))
			}
			// Reloading around an item keeps its place.
			key := want[5].Key()
			win, err := st.InboxAround(ctx, f, &key, 2, 3)
			if err != nil || win.Total != len(want) || win.Index != 5 || win.Start != 3 ||
				!slices.Equal(ids(win.Items), ids(want[3:8])) {
				t.Fatalf("InboxAround = %+v, %v; want index 5, items %v", win, err, ids(want[3:8]))
			}
		})
	}
}

func TestNeedsAttentionQueriesUseItsIndexes(t *testing.T) {
	st := openTest(t)
	key := &InboxKey{ReceivedAt: inboxT0, ID: 7, Attention: 1, AttentionAt: inboxT0}
	later := &InboxKey{ReceivedAt: inboxT0, ID: 9, Attention: 2, AttentionAt: inboxT0}
	for _, f := range attentionFilters(1) {
		idx := "inbox_attention"
		if f.Kind != "" {
			idx = "inbox_attention_kind"
		}
		check := func(what, q string, args []any) {
			t.Helper()
			plan := explain(t, st, q, args...)
			name := fmt.Sprintf("%+v %s", f, what)
			planUsesIndexes(t, name, plan, false)
			if !regexp.MustCompile(`INDEX ` + idx + `\b`).MatchString(plan) {
				t.Errorf("%s: want %s, plan:\n%s", name, idx, plan)
			}
		}
		q, args := inboxCountSQL(f, nil)
		check("count", q, args)
		q, args = inboxCountSQL(f, key)
		check("rank", q, args)
		q, args, _ = inboxPageSQL(f, nil, nil, 50)
		check("first page", q, args)
		q, args, _ = inboxPageSQL(f, key, nil, 50)
		check("page after", q, args)
		q, args, _ = inboxPageSQL(f, nil, key, 50)
		check("page before", q, args)
		q, args, _ = inboxPageSQL(f, key, later, 50)
		check("page between", q, args)
		q, args = inboxLastSQL(f, 50)
		check("last page", q, args)
	}
}
