package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var inboxT0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// seedInbox stores n items over two accounts, cycling kinds and states, with
// some pairs sharing a received_at so the id tie-break is exercised.
func seedInbox(t *testing.T, st *Store, n int) (acc1, acc2 int64, items []InboxItem) {
	t.Helper()
	ctx := context.Background()
	var err error
	if acc1, err = st.UpsertAccount(ctx, Account{Platform: PlatformMastodon, Handle: "bakery", Server: "example.social"}); err != nil {
		t.Fatal(err)
	}
	if acc2, err = st.UpsertAccount(ctx, Account{Platform: PlatformBluesky, Handle: "bakery.example.com"}); err != nil {
		t.Fatal(err)
	}
	kinds := []InboxKind{KindMention, KindReply, KindQuote, KindDM}
	states := []InboxState{InboxOpen, InboxOpen, InboxDone, InboxSnoozed, InboxOpen}
	for i := 0; i < n; i++ {
		it := InboxItem{
			AccountID: acc1, Platform: PlatformMastodon, RemoteID: fmt.Sprintf("r%d", i),
			Kind: kinds[i%len(kinds)], AuthorHandle: fmt.Sprintf("user%d", i%7), AuthorFollowers: -1,
			Body: fmt.Sprintf("message %d", i), ReceivedAt: inboxT0.Add(time.Duration(i/2) * time.Minute),
			State: states[i%len(states)],
		}
		if i%3 == 0 {
			it.AccountID, it.Platform = acc2, PlatformBluesky
		}
		if it.State == InboxSnoozed {
			it.SnoozedUntil = inboxT0.Add(time.Duration(i) * time.Hour)
		}
		items = append(items, it)
	}
	added, err := addRead(ctx, st, items)
	if err != nil || added != n {
		t.Fatalf("AddInboxItems = %d, %v; want %d", added, err, n)
	}
	// Read the ids back in insertion order.
	rows, err := st.db.QueryContext(ctx, "SELECT id FROM inbox_items ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(&items[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	return acc1, acc2, items
}

// expectInbox is the filter applied in Go to the seeded items, newest first.
func expectInbox(all []InboxItem, f InboxFilter) []InboxItem {
	var out []InboxItem
	for _, it := range all {
		if (f.State == "" || it.State == f.State) && (f.Kind == "" || it.Kind == f.Kind) &&
			(f.AccountID == 0 || it.AccountID == f.AccountID) {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b InboxItem) int {
		if c := b.ReceivedAt.Compare(a.ReceivedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return out
}

func ids(items []InboxItem) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// allFilters is every combination of the three filters.
func allFilters(acc int64) []InboxFilter {
	var out []InboxFilter
	for _, a := range []int64{0, acc} {
		for _, s := range []InboxState{"", InboxOpen} {
			for _, k := range []InboxKind{"", KindDM} {
				out = append(out, InboxFilter{State: s, Kind: k, AccountID: a})
			}
		}
	}
	return out
}

func TestInboxPagingWalksEveryFilterBothWays(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc1, _, all := seedInbox(t, st, 61)
	for _, f := range allFilters(acc1) {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			want := expectInbox(all, f)
			n, err := st.InboxCount(ctx, f)
			if err != nil || n != len(want) {
				t.Fatalf("InboxCount = %d, %v; want %d", n, err, len(want))
			}
			// Forwards, a page of 4 at a time.
			var got []InboxItem
			page, err := st.InboxPage(ctx, f, nil, nil, 4)
			for ; err == nil && len(page) > 0; page, err = st.InboxPage(ctx, f, &[]InboxKey{page[len(page)-1].Key()}[0], nil, 4) {
				got = append(got, page...)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("forwards:\n got %v\nwant %v", ids(got), ids(want))
			}
			// Backwards from the last page.
			got = nil
			page, err = st.InboxLast(ctx, f, 4)
			for ; err == nil && len(page) > 0; page, err = st.InboxPage(ctx, f, nil, &[]InboxKey{page[0].Key()}[0], 4) {
				got = append(slices.Clone(page), got...)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("backwards:\n got %v\nwant %v", ids(got), ids(want))
			}
			// Between two keys, exclusive.
			if len(want) >= 5 {
				newer, older := want[1].Key(), want[4].Key()
				between, err := st.InboxPage(ctx, f, &newer, &older, 10)
				if err != nil || !slices.Equal(ids(between), ids(want[2:4])) {
					t.Fatalf("between = %v, %v; want %v", ids(between), err, ids(want[2:4]))
				}
			}
		})
	}
}

func TestInboxPageRoundTripsFields(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc, err := st.UpsertAccount(ctx, Account{Platform: PlatformMastodon, Handle: "bakery", Server: "example.social"})
	if err != nil {
		t.Fatal(err)
	}
	in := InboxItem{
		AccountID: acc, Platform: PlatformMastodon, RemoteID: "109", Kind: KindQuote,
		AuthorHandle: "ana@example.social", AuthorName: "Ana", AuthorFollowers: 1234, Body: "Love the rye 🍞",
		URL: "https://example.social/@ana/109", ThreadRoot: "100", InReplyTo: "105",
		ReceivedAt: inboxT0, State: InboxSnoozed, SnoozedUntil: inboxT0.Add(time.Hour), Read: true,
		Sentiment: 0.75, HasSentiment: true,
	}
	if _, err := addRead(ctx, st, []InboxItem{in}); err != nil {
		t.Fatal(err)
	}
	added, err := addRead(ctx, st, []InboxItem{in})
	if err != nil || added != 0 {
		t.Fatalf("adding the same item again = %d, %v; want 0 new", added, err)
	}
	got, err := st.InboxPage(ctx, InboxFilter{}, nil, nil, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("InboxPage = %v, %v", got, err)
	}
	in.ID = got[0].ID
	// Read when stored: praise. Derived by the database: praise comes
	// fourth, and an author with over a thousand followers has four hours'
	// head start; the search key is the time in milliseconds, shifted to
	// leave room for items received in the same millisecond.
	in.Class = ClassPraise
	in.Attention, in.AttentionAt = 3, inboxT0.Add(-4*time.Hour)
	in.SearchKey = inboxT0.UnixMilli() << 20
	if !reflect.DeepEqual(got[0], in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got[0], in)
	}
	// Unknown followers come back as such; an item given no score is scored.
	in2 := InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: "110", Kind: KindDM,
		AuthorHandle: "bo", Body: "hi", ReceivedAt: inboxT0.Add(time.Minute), AuthorFollowers: -1}
	if _, err := addRead(ctx, st, []InboxItem{in2}); err != nil {
		t.Fatal(err)
	}
	got, err = st.InboxPage(ctx, InboxFilter{Kind: KindDM}, nil, nil, 10)
	if err != nil || len(got) != 1 || got[0].AuthorFollowers != -1 || !got[0].HasSentiment || got[0].State != InboxOpen {
		t.Fatalf("sparse item = %+v, %v", got, err)
	}
}

func TestInboxAroundKeepsPlace(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	_, _, all := seedInbox(t, st, 40)
	f := InboxFilter{State: InboxOpen}
	want := expectInbox(all, f)
	at := want[10]
	key := at.Key()

	win, err := st.InboxAround(ctx, f, &key, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	if win.Total != len(want) || win.Start != 7 || win.Index != 10 || !slices.Equal(ids(win.Items), ids(want[7:15])) {
		t.Fatalf("around = total %d start %d %v; want %d, 7, %v", win.Total, win.Start, ids(win.Items), len(want), ids(want[7:15]))
	}

	// The item leaves the filter: index 10 is now the item that followed it.
	if err := st.SetInboxState(ctx, []int64{at.ID}, InboxDone, time.Time{}); err != nil {
		t.Fatal(err)
	}
	win, err = st.InboxAround(ctx, f, &key, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	if win.Total != len(want)-1 || win.Start != 7 || win.Index != 10 || win.Items[3].ID != want[11].ID {
		t.Fatalf("after done: total %d start %d items %v; want %d, 7 and %d at index 10",
			win.Total, win.Start, ids(win.Items), len(want)-1, want[11].ID)
	}

	// Near the top there are fewer newer items than asked for.
	top := want[1].Key()
	win, err = st.InboxAround(ctx, f, &top, 3, 2)
	if err != nil || win.Start != 0 || win.Index != 1 || !slices.Equal(ids(win.Items), ids(want[0:3])) {
		t.Fatalf("near top = %+v, %v", win, err)
	}
	// No key: the first page.
	win, err = st.InboxAround(ctx, f, nil, 3, 4)
	if err != nil || win.Start != 0 || !slices.Equal(ids(win.Items), ids(want[0:4])) {
		t.Fatalf("no key = %+v, %v", win, err)
	}
}

func TestSetInboxState(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	_, _, all := seedInbox(t, st, 10)
	pick := []int64{all[0].ID, all[1].ID}
	until := inboxT0.Add(48 * time.Hour)

	if err := st.SetInboxState(ctx, pick, InboxSnoozed, until); err != nil {
		t.Fatal(err)
	}
	got, _ := st.InboxPage(ctx, InboxFilter{State: InboxSnoozed}, nil, nil, 100)
	snoozed := map[int64]time.Time{}
	for _, it := range got {
		snoozed[it.ID] = it.SnoozedUntil
	}
	for _, id := range pick {
		if !snoozed[id].Equal(until) {
			t.Errorf("item %d snoozed until %v, want %v", id, snoozed[id], until)
		}
	}

	if err := st.SetInboxState(ctx, pick[:1], InboxDone, until); err != nil {
		t.Fatal(err)
	}
	got, _ = st.InboxPage(ctx, InboxFilter{State: InboxDone}, nil, nil, 100)
	if !slices.Contains(ids(got), pick[0]) {
		t.Fatalf("item %d is not done: %v", pick[0], ids(got))
	}
	for _, it := range got {
		if it.ID == pick[0] && !it.SnoozedUntil.IsZero() {
			t.Errorf("done item kept its snooze time %v", it.SnoozedUntil)
		}
	}

	if err := st.SetInboxState(ctx, pick[:1], InboxOpen, time.Time{}); err != nil {
		t.Fatal(err)
	}
	got, _ = st.InboxPage(ctx, InboxFilter{State: InboxOpen}, nil, nil, 100)
	if !slices.Contains(ids(got), pick[0]) {
		t.Fatalf("item %d was not reopened", pick[0])
	}

	if err := st.SetInboxState(ctx, pick, InboxSnoozed, time.Time{}); err == nil {
		t.Error("snoozing without a time succeeded")
	}
	if err := st.SetInboxState(ctx, pick, "archived", time.Time{}); !errors.Is(err, ErrBadInboxState) {
		t.Errorf("unknown state: err = %v", err)
	}
	if err := st.SetInboxState(ctx, []int64{99999}, InboxDone, time.Time{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing item: err = %v", err)
	}
}

func TestMarkInboxRead(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	_, _, all := seedInbox(t, st, 3)
	if err := st.MarkInboxRead(ctx, all[1].ID); err != nil {
		t.Fatal(err)
	}
	got, _ := st.InboxPage(ctx, InboxFilter{}, nil, nil, 10)
	for _, it := range got {
		if it.Read != (it.ID == all[1].ID) {
			t.Errorf("item %d read = %v", it.ID, it.Read)
		}
	}
}

func TestWakeSnoozed(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	_, _, all := seedInbox(t, st, 4)
	soon, later := inboxT0.Add(time.Hour), inboxT0.Add(5*time.Hour)
	if err := st.SetInboxState(ctx, []int64{all[0].ID}, InboxSnoozed, soon); err != nil {
		t.Fatal(err)
	}
	if err := st.SetInboxState(ctx, []int64{all[1].ID}, InboxSnoozed, later); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkInboxRead(ctx, all[0].ID); err != nil {
		t.Fatal(err)
	}

	n, err := st.WakeSnoozed(ctx, soon.Add(-time.Millisecond))
	if err != nil || n != 0 {
		t.Fatalf("before its time: woke %d, %v", n, err)
	}
	// seedInbox snoozed all[3] until inboxT0+3h, between the two.
	n, err = st.WakeSnoozed(ctx, soon)
	if err != nil || n != 1 {
		t.Fatalf("at its time: woke %d, %v; want 1", n, err)
	}
	open, _ := st.InboxPage(ctx, InboxFilter{State: InboxOpen}, nil, nil, 10)
	var woke *InboxItem
	for i := range open {
		if open[i].ID == all[0].ID {
			woke = &open[i]
		}
	}
	if woke == nil || woke.Read || !woke.SnoozedUntil.IsZero() {
		t.Fatalf("woken item = %+v; want open, unread, no snooze time", woke)
	}
	still, _ := st.InboxPage(ctx, InboxFilter{State: InboxSnoozed}, nil, nil, 10)
	if !slices.Contains(ids(still), all[1].ID) || slices.Contains(ids(still), all[0].ID) {
		t.Fatalf("still snoozed = %v, want %d and not %d", ids(still), all[1].ID, all[0].ID)
	}
}

func TestInboxThread(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	acc, err := st.UpsertAccount(ctx, Account{Platform: PlatformMastodon, Handle: "bakery", Server: "example.social"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.UpsertAccount(ctx, Account{Platform: PlatformBluesky, Handle: "bakery.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	// Our post went out as remote id "root" with a text just for this account.
	pid, err := st.SaveDraft(ctx, Post{Body: "generic text", Targets: []Target{
		{AccountID: acc, BodyOverride: "Fresh rye today!", HasOverride: true}, {AccountID: other}}}, inboxT0)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, pid, inboxT0, "UTC", inboxT0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.ExecContext(ctx, `UPDATE deliveries SET state = 'sent', remote_id = 'root', sent_at = ?,
		remote_url = 'https://example.social/@bakery/root' WHERE post_id = ? AND account_id = ?`, ms(inboxT0), pid, acc); err != nil {
		t.Fatal(err)
	}

	mk := func(remote, reply string, account int64, minutes int) InboxItem {
		return InboxItem{AccountID: account, Platform: PlatformMastodon, RemoteID: remote, Kind: KindReply,
			AuthorHandle: "u" + remote, Body: "text " + remote, ThreadRoot: "root", InReplyTo: reply,
			ReceivedAt: inboxT0.Add(time.Duration(minutes) * time.Minute), AuthorFollowers: -1}
	}
	var items []InboxItem
	for i := 0; i < MaxThreadEntries+3; i++ {
		items = append(items, mk(fmt.Sprintf("e%02d", i), "root", acc, i+1))
	}
	target := mk("target", "e22", acc, 100)
	items = append(items, target,
		mk("later", "target", acc, 200),   // after the item: not context
		mk("elsewhere", "root", other, 5), // same root on another account
	)
	if _, err := addRead(ctx, st, items); err != nil {
		t.Fatal(err)
	}
	page, _ := st.InboxPage(ctx, InboxFilter{AccountID: acc}, nil, nil, 1)
	got, err := st.InboxThread(ctx, page[0]) // "later"
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1+MaxThreadEntries || !got[0].Ours || got[0].Body != "Fresh rye today!" ||
		got[0].PostID != pid || got[0].AuthorHandle != "bakery" {
		t.Fatalf("thread of 'later' starts %+v (%d entries)", got[0], len(got))
	}
	// The latest MaxThreadEntries earlier ones, oldest first, ending with "target".
	var bodies []string
	for _, e := range got[1:] {
		bodies = append(bodies, e.Body)
	}
	if bodies[0] != "text e04" || bodies[len(bodies)-1] != "text target" {
		t.Fatalf("earlier entries = %v", bodies)
	}
	for i := 1; i < len(got); i++ {
		if got[i].At.Before(got[i-1].At) {
			t.Fatalf("not oldest first at %d: %v", i, got)
		}
	}
	for _, e := range got {
		if strings.Contains(e.Body, "elsewhere") || strings.Contains(e.Body, "later") {
			t.Fatalf("thread contains %q", e.Body)
		}
	}

	// An answer whose parent is in the inbox under no thread root still shows it.
	lone := InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: "lone", Kind: KindMention,
		AuthorHandle: "x", Body: "first", ReceivedAt: inboxT0.Add(300 * time.Minute), AuthorFollowers: -1}
	answer := InboxItem{AccountID: acc, Platform: PlatformMastodon, RemoteID: "ans", Kind: KindReply,
		AuthorHandle: "y", Body: "second", InReplyTo: "lone", ReceivedAt: inboxT0.Add(301 * time.Minute), AuthorFollowers: -1}
	if _, err := addRead(ctx, st, []InboxItem{lone, answer}); err != nil {
		t.Fatal(err)
	}
	page, _ = st.InboxPage(ctx, InboxFilter{AccountID: acc}, nil, nil, 1)
	got, err = st.InboxThread(ctx, page[0])
	if err != nil || len(got) != 1 || got[0].Body != "first" || got[0].Ours {
		t.Fatalf("thread of a reply to an inbox item = %+v, %v", got, err)
	}
	// A mention that answers nothing has no thread.
	got, err = st.InboxThread(ctx, InboxItem{AccountID: acc})
	if err != nil || got != nil {
		t.Fatalf("no thread = %v, %v", got, err)
	}
}

// planUsesIndexes fails when a step of the plan reads inbox_items (or another
// table) without an index, or sorts when it should not need to.
func planUsesIndexes(t *testing.T, name, plan string, sortOK bool) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(plan), "\n") {
		if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, " INDEX ") {
			t.Errorf("%s: full table scan %q\n%s", name, line, plan)
		}
		if !sortOK && strings.Contains(line, "TEMP B-TREE") {
			t.Errorf("%s: sorts instead of reading an index in order: %q\n%s", name, line, plan)
		}
	}
}

// wantIndex is the index each filter combination should read: its equality
// columns, then received_at and id.
func wantIndex(f InboxFilter) string {
	name := "inbox"
	if f.AccountID != 0 {
		name += "_account"
	}
	if f.State != "" {
		name += "_state"
	}
	if f.Kind != "" {
		name += "_kind"
	}
	if name == "inbox" {
		return "inbox_all"
	}
	return name
}

func TestInboxQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	key := &InboxKey{ReceivedAt: inboxT0, ID: 7}
	older := &InboxKey{ReceivedAt: inboxT0.Add(-time.Hour), ID: 3}
	for _, f := range allFilters(1) {
		idx := wantIndex(f)
		check := func(what, q string, args []any, covering bool) {
			t.Helper()
			plan := explain(t, st, q, args...)
			name := fmt.Sprintf("%+v %s", f, what)
			planUsesIndexes(t, name, plan, false)
			want := "INDEX " + idx
			if covering {
				want = "COVERING " + want
			}
			if !regexp.MustCompile(want + `\b`).MatchString(plan) {
				t.Errorf("%s: want %s, plan:\n%s", name, want, plan)
			}
		}
		// A plain count may read any index that starts with the filter's
		// columns: one with kind after them is as good.
		q, args := inboxCountSQL(f, nil)
		plan := explain(t, st, q, args...)
		planUsesIndexes(t, fmt.Sprintf("%+v count", f), plan, false)
		if !regexp.MustCompile("COVERING INDEX " + idx + `(_kind)?\b`).MatchString(plan) {
			t.Errorf("%+v count: want a covering %s, plan:\n%s", f, idx, plan)
		}
		q, args = inboxCountSQL(f, key)
		check("rank", q, args, true)
		q, args, _ = inboxPageSQL(f, nil, nil, 50)
		check("first page", q, args, false)
		q, args, _ = inboxPageSQL(f, key, nil, 50)
		check("page after", q, args, false)
		q, args, _ = inboxPageSQL(f, nil, key, 50)
		check("page before", q, args, false)
		// Bounded on both sides, the planner may prefer a range on a
		// shorter index; any index read in order will do.
		q, args, _ = inboxPageSQL(f, key, older, 50)
		planUsesIndexes(t, fmt.Sprintf("%+v page between", f), explain(t, st, q, args...), false)
		q, args = inboxLastSQL(f, 50)
		check("last page", q, args, false)
	}

	for name, q := range map[string]string{"SetInboxState": setInboxStateSQL, "MarkInboxRead": markInboxReadSQL} {
		args := []any{1, 2, 3}[:strings.Count(q, "?")]
		plan := explain(t, st, q, args...)
		if !strings.Contains(plan, "USING INTEGER PRIMARY KEY") {
			t.Errorf("%s does not find the item by id:\n%s", name, plan)
		}
	}
	plan := explain(t, st, wakeSnoozedSQL, ms(inboxT0))
	planUsesIndexes(t, "WakeSnoozed", plan, false)
	if !strings.Contains(plan, "inbox_snoozed") {
		t.Errorf("WakeSnoozed does not use inbox_snoozed:\n%s", plan)
	}
	plan = explain(t, st, threadOursSQL, 1, "a", "b")
	planUsesIndexes(t, "thread: our post", plan, false)
	if !strings.Contains(plan, "deliveries_remote") {
		t.Errorf("our post lookup does not use deliveries_remote:\n%s", plan)
	}
	plan = explain(t, st, threadTheirsSQL, 1, "root", ms(inboxT0), 5, MaxThreadEntries)
	planUsesIndexes(t, "thread: earlier items", plan, true) // a thread is small: sorting it is fine
	if !strings.Contains(plan, "inbox_thread") {
		t.Errorf("thread lookup does not use inbox_thread:\n%s", plan)
	}
	plan = explain(t, st, inboxByRemoteSQL, 1, "r")
	planUsesIndexes(t, "thread: parent item", plan, false)
	if !strings.Contains(plan, "INDEX") {
		t.Errorf("parent lookup reads no index:\n%s", plan)
	}
}
