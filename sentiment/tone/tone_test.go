package tone

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/sentiment"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

// What a sync fetched is read before it is stored: scored unless its
// network gave a score, checked for a question, and classed, which is what
// places it in the needs-attention order once stored.
func TestReadScoresEachItem(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	acc, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "bakery.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	item := func(id, body string) store.InboxItem {
		return store.InboxItem{AccountID: acc, Platform: store.PlatformBluesky, RemoteID: id, Kind: store.KindMention,
			AuthorHandle: "x.example.com", AuthorFollowers: -1, Body: body, ReceivedAt: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	}
	given := item("given", "fine")
	given.Sentiment, given.HasSentiment = -0.5, true
	items := []store.InboxItem{
		item("complaint", "Cold coffee and a rude cashier. Terrible."),
		item("praise", "Best croissant I've ever had 😍"),
		item("question", "Are you open on Easter Monday?"),
		item("link", "our menu https://example.com/menu?day=mon"),
		given,
	}
	Read(items)
	if _, err := st.AddInboxItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	got, err := st.InboxPage(ctx, store.InboxFilter{}, nil, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]store.InboxItem{}
	for _, it := range got {
		if !it.HasSentiment {
			t.Errorf("%s: not scored", it.RemoteID)
		}
		byID[it.RemoteID] = it
	}
	if s := byID["complaint"].Sentiment; s > sentiment.NegativeAt {
		t.Errorf("complaint scored %.3f, want negative", s)
	}
	if s := byID["praise"].Sentiment; s < sentiment.PositiveAt {
		t.Errorf("praise scored %.3f, want positive", s)
	}
	if s := byID["given"].Sentiment; s != -0.5 {
		t.Errorf("a given score was replaced: %.3f", s)
	}
	for id, want := range map[string]bool{"question": true, "link": false, "praise": false} {
		if byID[id].Question != want {
			t.Errorf("%s: question = %v, want %v", id, byID[id].Question, want)
		}
	}
	// What a message is places it, not its score alone: "fine" given a
	// score of -0.5 is no complaint.
	for id, want := range map[string]store.InboxClass{"complaint": store.ClassComplaint, "question": store.ClassQuestion,
		"praise": store.ClassPraise, "link": store.ClassOther, "given": store.ClassOther} {
		if byID[id].Class != want {
			t.Errorf("%s: class %q, want %q", id, byID[id].Class, want)
		}
	}
	for id, want := range map[string]int{"complaint": 0, "question": 1, "praise": 3, "link": 4, "given": 4} {
		if byID[id].Attention != want {
			t.Errorf("%s: attention %d, want %d", id, byID[id].Attention, want)
		}
	}
}
