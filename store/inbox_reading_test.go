package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// A database of version 3 with items, a reply tied to one and a label,
// opened by this crier: every item is read for what it is and gets its
// place in the search index, and nothing tied to an item is lost (the
// migration changes columns in place; rebuilding the table would have
// deleted the replies with it).
func TestMigrationFourReadsStoredItems(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:3] {
		if _, err := db.ExecContext(ctx, m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	at := inboxT0.UnixMilli()
	for _, q := range []string{
		"PRAGMA user_version = 3",
		"INSERT INTO accounts (id, platform, handle, created_at) VALUES (1, 'bluesky', 'bakery.example.com', 0)",
		fmt.Sprintf(`INSERT INTO inbox_items (id, account_id, platform, remote_id, kind, author_handle, body, received_at, sentiment, labels)
			VALUES (1, 1, 'bluesky', 'a', 'dm', 'kim.example.com', 'My order yesterday was wrong and nobody answered the phone.', %d, 0, 'follow-up'),
			       (2, 1, 'bluesky', 'b', 'reply', 'lou.example.com', 'Do you sell your starter? Mine just died 😬', %d, -0.6, ''),
			       (3, 1, 'bluesky', 'c', 'reply', 'max.example.com', 'Same time, same millisecond', %d, 0, '')`, at, at+1, at+1),
		fmt.Sprintf(`INSERT INTO posts (id, body, state, reply_to_item, created_at, updated_at) VALUES (9, 'So sorry!', 'draft', 1, %d, %d)`, at, at),
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	items, err := st.InboxItems(ctx, []int64{1, 2, 3})
	if err != nil || len(items) != 3 {
		t.Fatalf("items after the migration: %v, %v", items, err)
	}
	if items[0].Class != ClassComplaint || items[0].Attention != 0 || items[1].Class != ClassQuestion || items[1].Attention != 1 {
		t.Errorf("classes %q (attention %d), %q (attention %d); want a complaint first and a question",
			items[0].Class, items[0].Attention, items[1].Class, items[1].Attention)
	}
	// Two items in one millisecond get keys one apart, in id order.
	if k1, k2, k3 := items[0].SearchKey, items[1].SearchKey, items[2].SearchKey; k1 != at<<20 || k2 != (at+1)<<20 || k3 != k2+1 {
		t.Errorf("search keys %d %d %d", k1, k2, k3)
	}
	if text, err := st.ReplyDraft(ctx, 1); err != nil || text != "So sorry!" {
		t.Errorf("the reply draft = %q, %v; want it kept", text, err)
	}
	for _, f := range []InboxFilter{{Search: "nobody"}, {Search: "kim"}, {Label: "follow-up"}} {
		got, err := st.InboxPage(ctx, f, nil, nil, 10)
		if err != nil || len(got) != 1 || got[0].ID != 1 {
			t.Errorf("%+v finds %v, %v; want item 1", f, ids(got), err)
		}
	}
	// A new item after the migration gets the next key in its millisecond.
	if _, err := addRead(ctx, st, []InboxItem{{AccountID: 1, Platform: PlatformBluesky, RemoteID: "d", Kind: KindMention,
		AuthorHandle: "ned.example.com", AuthorFollowers: -1, Body: "third in a millisecond", ReceivedAt: time.UnixMilli(at + 1)}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.InboxPage(ctx, InboxFilter{Search: "millisecond"}, nil, nil, 10); len(got) != 2 || got[0].SearchKey != items[2].SearchKey+1 {
		t.Errorf("after adding: %+v", got)
	}
}

// searchSeed stores items over two accounts with text and authors to find.
func searchSeed(t *testing.T, st *Store) (acc1, acc2 int64) {
	t.Helper()
	ctx := context.Background()
	acc1 = mustAccount(t, st, PlatformMastodon, "bakery")
	acc2 = mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	var items []InboxItem
	for i := range 120 {
		it := InboxItem{
			AccountID: acc1, Platform: PlatformMastodon, RemoteID: fmt.Sprint("s", i), Kind: KindReply,
			AuthorHandle: "ana@example.social", AuthorName: "Ana Müller", AuthorFollowers: -1,
			Body: "Lovely rye bread", ReceivedAt: inboxT0.Add(time.Duration(i) * time.Minute),
		}
		switch i % 4 {
		case 1:
			it.AuthorHandle, it.AuthorName, it.Body = "kenjigarcia.com", "Kenji G.", "Do you deliver Brötchen on Sunday?"
			it.AccountID, it.Platform = acc2, PlatformBluesky
		case 2:
			it.Body, it.Kind = "Sourdough workshop? I'd love to join", KindDM
		case 3:
			it.Body, it.Kind = "heard: the sourdough at the corner bakery", KindListening
		}
		if i%5 == 0 {
			it.State = InboxDone
		}
		if i%3 == 0 {
			it.Labels = []string{"wholesale"}
		}
		items = append(items, it)
	}
	// Two received in the same millisecond.
	items = append(items, InboxItem{AccountID: acc1, Platform: PlatformMastodon, RemoteID: "twin", Kind: KindMention,
		AuthorHandle: "twin@example.social", AuthorFollowers: -1, Body: "Lovely rye, twin", ReceivedAt: inboxT0.Add(7 * time.Minute)})
	if _, err := addRead(ctx, st, items); err != nil {
		t.Fatal(err)
	}
	return acc1, acc2
}

// expectSearch is a filter's search worked out in Go over every item.
func expectSearch(t *testing.T, st *Store, f InboxFilter) []InboxItem {
	t.Helper()
	all, err := st.InboxPage(context.Background(), InboxFilter{Kind: ""}, nil, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	heard, err := st.InboxPage(context.Background(), InboxFilter{Kind: KindListening}, nil, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, heard...)
	fold := strings.NewReplacer("ö", "o", "ü", "u", "ä", "a")
	var out []InboxItem
	for _, it := range all {
		text := strings.ToLower(fold.Replace(it.Body + " " + it.AuthorHandle + " " + it.AuthorName))
		ok := (f.State == "" || it.State == f.State) && (f.AccountID == 0 || it.AccountID == f.AccountID) &&
			(f.Kind == it.Kind || f.Kind == "" && it.Kind != KindListening) &&
			(f.Label == "" || slices.Contains(it.Labels, f.Label))
		for _, w := range strings.Fields(strings.ToLower(fold.Replace(f.Search))) {
			words := strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) })
			ok = ok && slices.ContainsFunc(words, func(x string) bool { return strings.HasPrefix(x, w) })
		}
		if ok {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b InboxItem) int { return int(b.SearchKey - a.SearchKey) })
	return out
}

func TestInboxSearchPagesEveryFilterBothWays(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc1, _ := searchSeed(t, st)
	for _, f := range []InboxFilter{
		{Search: "lovely"},
		{Search: "LOVELY rye"},
		{Search: "brot"}, // Brötchen, as a person types it
		{Search: "kenji"},
		{Search: "müller", State: InboxOpen},
		{Search: "sour", Kind: KindDM},
		{Search: "sour", Kind: KindListening},
		{Search: "lovely", AccountID: acc1, State: InboxDone},
		{Label: "wholesale"},
		{Label: "wholesale", State: InboxOpen, Search: "rye"},
	} {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			want := expectSearch(t, st, f)
			if len(want) < 6 {
				t.Fatalf("only %d to page through: %v", len(want), ids(want))
			}
			n, err := st.InboxCount(ctx, f)
			if err != nil || n != len(want) {
				t.Fatalf("InboxCount = %d, %v; want %d", n, err, len(want))
			}
			var got []InboxItem
			page, err := st.InboxPage(ctx, f, nil, nil, 4)
			for ; err == nil && len(page) > 0; page, err = st.InboxPage(ctx, f, &[]InboxKey{page[len(page)-1].Key()}[0], nil, 4) {
				got = append(got, page...)
			}
			if err != nil || !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("forwards (%v):\n got %v\nwant %v", err, ids(got), ids(want))
			}
			got = nil
			page, err = st.InboxLast(ctx, f, 4)
			for ; err == nil && len(page) > 0; page, err = st.InboxPage(ctx, f, nil, &[]InboxKey{page[0].Key()}[0], 4) {
				got = append(slices.Clone(page), got...)
			}
			if err != nil || !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("backwards (%v):\n got %v\nwant %v", err, ids(got), ids(want))
			}
			key := want[3].Key()
			win, err := st.InboxAround(ctx, f, &key, 2, 3)
			if err != nil || win.Total != len(want) || win.Index != 3 || win.Start != 1 || !slices.Equal(ids(win.Items), ids(want[1:6])) {
				t.Fatalf("InboxAround = %+v, %v; want index 3, items %v", win, err, ids(want[1:6]))
			}
		})
	}
}

// The index follows triage: an item closed, labelled, or whose account is
// removed is found (or not) as it now is.
func TestInboxSearchFollowsChanges(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc1, acc2 := searchSeed(t, st)
	count := func(f InboxFilter) int {
		t.Helper()
		n, err := st.InboxCount(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	kenji := InboxFilter{Search: "kenji", State: InboxOpen}
	open := count(kenji)
	first, err := st.InboxPage(ctx, kenji, nil, nil, 1)
	if err != nil || len(first) != 1 {
		t.Fatal(first, err)
	}
	if err := st.SetInboxState(ctx, ids(first), InboxDone, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := count(kenji); n != open-1 {
		t.Errorf("after closing one: %d open, want %d", n, open-1)
	}
	if _, err := st.ToggleInboxLabel(ctx, ids(first), "Café☕"); err != nil {
		t.Fatal(err)
	}
	if n := count(InboxFilter{Label: "café☕"}); n != 1 {
		t.Errorf("label with punctuation and emoji: %d, want 1", n)
	}
	if n := count(InboxFilter{Label: "café"}); n != 0 {
		t.Errorf("a label's prefix is another label: %d, want 0", n)
	}
	labels, err := st.InboxLabels(ctx)
	if err != nil || len(labels) != 2 || labels[0] != (LabelCount{"wholesale", 40}) || labels[1] != (LabelCount{"café☕", 1}) {
		t.Errorf("InboxLabels = %v, %v", labels, err)
	}
	if _, err := st.db.ExecContext(ctx, "DELETE FROM accounts WHERE id = ?", acc2); err != nil {
		t.Fatal(err)
	}
	if n := count(InboxFilter{Search: "kenji"}); n != 0 {
		t.Errorf("a removed account's items still found: %d", n)
	}
	if n := count(InboxFilter{Search: "lovely", AccountID: acc1}); n == 0 {
		t.Error("the other account's items lost")
	}
	if n := count(InboxFilter{Search: "!!! —"}); n != 0 {
		t.Errorf("a search of punctuation finds %d", n)
	}
}

func TestInboxSearchQueriesUseTheIndex(t *testing.T) {
	st := openTest(t)
	key := &InboxKey{SearchKey: 1 << 40}
	later := &InboxKey{SearchKey: 1 << 30}
	for _, f := range []InboxFilter{{Search: "rye"}, {Label: "x", State: InboxOpen, AccountID: 2}, {Search: "a b", Kind: KindDM}} {
		check := func(what, q string, args []any) {
			t.Helper()
			plan := explain(t, st, q, args...)
			name := fmt.Sprintf("%+v %s", f, what)
			planUsesIndexes(t, name, plan, false)
			if !strings.Contains(plan, "VIRTUAL TABLE INDEX") {
				t.Errorf("%s: not read from the search index:\n%s", name, plan)
			}
			if strings.Contains(q, "inbox_items") && !strings.Contains(plan, "inbox_search_key") {
				t.Errorf("%s: items not read by their key:\n%s", name, plan)
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
	plan := explain(t, st, inboxToRecheckSQL, 1, 10)
	planUsesIndexes(t, "recheck", plan, false)
	if !strings.Contains(plan, "inbox_recheck") {
		t.Errorf("recheck: want inbox_recheck, plan:\n%s", plan)
	}
	plan = explain(t, st, inboxLabelsSQL)
	if !strings.Contains(plan, "inbox_labelled") {
		t.Errorf("labels: want inbox_labelled, plan:\n%s", plan)
	}
}

// A sync asks about open items, never asked first, then the longest
// unasked; one found gone is marked, leaves the needs-attention view,
// stays in the inbox and cannot be answered.
func TestInboxRecheckMarksDeleted(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	item := func(id string, kind InboxKind, state InboxState) InboxItem {
		return InboxItem{AccountID: acc, Platform: PlatformBluesky, RemoteID: id, Kind: kind, State: state,
			AuthorHandle: "kim.example.com", AuthorFollowers: -1, Body: "The rye was burnt, I want a refund", ReceivedAt: inboxT0}
	}
	if _, err := addRead(ctx, st, []InboxItem{
		item("a", KindReply, InboxOpen), item("b", KindMention, InboxOpen), item("c", KindDM, InboxOpen),
		item("done", KindReply, InboxDone), item("heard", KindListening, InboxOpen),
	}); err != nil {
		t.Fatal(err)
	}
	remote := func(items []InboxItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.RemoteID)
		}
		return out
	}
	first, err := st.InboxToRecheck(ctx, acc, 2)
	if err != nil || !slices.Equal(remote(first), []string{"a", "b"}) {
		t.Fatalf("first round = %v, %v", remote(first), err)
	}
	n, err := st.MarkInboxChecked(ctx, ids(first), []int64{first[1].ID}, inboxT0.Add(time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("MarkInboxChecked = %d, %v", n, err)
	}
	// c was never asked about; a was, a minute ago; b is gone.
	second, err := st.InboxToRecheck(ctx, acc, 5)
	if err != nil || !slices.Equal(remote(second), []string{"c", "a"}) {
		t.Fatalf("second round = %v, %v", remote(second), err)
	}
	got, err := st.InboxItems(ctx, []int64{first[1].ID})
	if err != nil || len(got) != 1 || !got[0].DeletedAt.Equal(inboxT0.Add(time.Minute)) || got[0].State != InboxOpen {
		t.Fatalf("the gone item = %+v, %v", got, err)
	}
	attention, err := st.InboxPage(ctx, InboxFilter{Attention: true}, nil, nil, 10)
	if err != nil || slices.Contains(remote(attention), "b") || len(attention) != 2 {
		t.Errorf("needs attention = %v, %v; want a and c", remote(attention), err)
	}
	if n, _ := st.InboxCount(ctx, InboxFilter{State: InboxOpen}); n != 3 {
		t.Errorf("open items = %d, want 3: the deleted one is still listed", n)
	}
	if _, err := st.QueueReply(ctx, got[0].ID, "Sorry to hear that", inboxT0); err == nil || !strings.Contains(err.Error(), "deleted") {
		t.Errorf("QueueReply to a deleted item = %v", err)
	}
	// Marking it again changes nothing.
	if n, err := st.MarkInboxChecked(ctx, nil, []int64{got[0].ID}, inboxT0.Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("marking again = %d, %v", n, err)
	}
}

// The figure shown is always the last count read; the history keeps about
// one count per grain.
func TestRecordFollowersNow(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	const grain = 6 * time.Hour
	readings := []struct {
		after time.Duration
		n     int
	}{{0, 10}, {time.Minute, 11}, {2 * time.Hour, 12}, {5 * time.Hour, 13}, {6*time.Hour + time.Minute, 14}, {7 * time.Hour, 15}, {13 * time.Hour, 16}}
	for _, r := range readings {
		at := inboxT0.Add(r.after)
		if err := st.RecordFollowersNow(ctx, acc, at, r.n, grain); err != nil {
			t.Fatal(err)
		}
		k, err := st.KPIs(ctx, at, time.UTC)
		if err != nil || k.Total.Followers != r.n {
			t.Fatalf("after reading %d at +%s: figure %d, %v", r.n, r.after, k.Total.Followers, err)
		}
	}
	rows, err := st.db.QueryContext(ctx, "SELECT taken_at, followers FROM follower_snapshots WHERE account_id = ? ORDER BY taken_at", acc)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var at int64
		var n int
		rows.Scan(&at, &n)
		got = append(got, fmt.Sprintf("+%s:%d", time.UnixMilli(at).Sub(inboxT0), n))
	}
	want := []string{"+0s:10", "+5h0m0s:13", "+7h0m0s:15", "+13h0m0s:16"}
	if !slices.Equal(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
}
