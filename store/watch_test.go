package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// watchedPair opens two stores on one new file, as two processes would,
// and a change watcher on the first; all are closed when t ends.
func watchedPair(t *testing.T) (st, other *Store, w *ChangeWatcher) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	var err error
	if st, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if other, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	if w, err = st.WatchChanges(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return st, other, w
}

// wantPoll fails t unless w's next poll, after what, reports want.
func wantPoll(t *testing.T, w *ChangeWatcher, what string, want Change) {
	t.Helper()
	got, err := w.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("after %s: %+v, want %+v", what, got, want)
	}
}

// A commit by another process (another store on the same file) or by
// another of this store's connections is seen; reads are not.
func TestChangeWatcherSeesCommitsFromElsewhere(t *testing.T) {
	ctx := context.Background()
	st, other, w := watchedPair(t)
	changed := func() bool {
		t.Helper()
		c, err := w.Poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c.Committed
	}
	if changed() {
		t.Fatal("changed before anything was written")
	}
	if _, err := other.Meta(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if changed() {
		t.Fatal("a read counted as a change")
	}
	if err := other.SetMeta(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	if !changed() {
		t.Fatal("another process's commit was not seen")
	}
	if changed() {
		t.Fatal("one commit was seen twice")
	}
	if err := st.SetMeta(ctx, "k", "w"); err != nil {
		t.Fatal(err)
	}
	if !changed() {
		t.Fatal("a commit on this store's other connection was not seen")
	}
}

// The sender lease's heartbeat and the sync cursors are commits but not
// content; a draft, an account, an inbox item, a lease and cursor written
// in the same transaction as content, are content. Each is written by
// another process (another store on the same file).
func TestChangeWatcherTellsContentFromBookkeeping(t *testing.T) {
	ctx := context.Background()
	_, other, w := watchedPair(t)
	poll := func(what string, want Change) { t.Helper(); wantPoll(t, w, what, want) }
	bookkeeping, content, nothing := Change{Committed: true}, Change{Committed: true, Content: true}, Change{}

	poll("nothing", nothing)
	acct, err := other.UpsertAccount(ctx, Account{Platform: PlatformMastodon, Handle: "@shop@example.social", Server: "example.social"})
	if err != nil {
		t.Fatal(err)
	}
	poll("an account added", content)

	h := NewLeaseHolder()
	if ok, _, err := other.AcquireLease(ctx, SenderLease, h, schedT0, time.Minute); !ok || err != nil {
		t.Fatalf("lease: %v %v", ok, err)
	}
	poll("the sender lease taken", bookkeeping)
	for i := range 3 {
		if _, err := other.RenewLease(ctx, LeaseHold{Name: SenderLease, HolderID: h.ID}, schedT0.Add(time.Duration(i+1)*time.Second), time.Minute); err != nil {
			t.Fatal(err)
		}
		poll("a heartbeat", bookkeeping)
	}
	if err := other.SetSyncCursor(ctx, acct, StreamNotifications, "100", schedT0); err != nil {
		t.Fatal(err)
	}
	poll("a sync cursor", bookkeeping)
	poll("nothing", nothing)

	id, err := other.SaveDraft(ctx, Post{Body: "Fresh sourdough at 8"}, schedT0)
	if err != nil {
		t.Fatal(err)
	}
	poll("a draft saved", content)
	if _, err := other.SaveDraft(ctx, Post{ID: id, Body: "Fresh sourdough at 9"}, schedT0); err != nil {
		t.Fatal(err)
	}
	poll("a draft edited", content)
	if err := other.SetNeedsReauth(ctx, acct, true); err != nil {
		t.Fatal(err)
	}
	poll("an account's sign-in lapsed", content)

	// A heartbeat and a draft between two looks: content.
	if _, err := other.RenewLease(ctx, LeaseHold{Name: SenderLease, HolderID: h.ID}, schedT0.Add(time.Minute), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := other.SaveDraft(ctx, Post{ID: id, Body: "Fresh sourdough at 10"}, schedT0); err != nil {
		t.Fatal(err)
	}
	poll("a heartbeat and a draft", content)
	if err := other.ReleaseLease(ctx, LeaseHold{Name: SenderLease, HolderID: h.ID}); err != nil {
		t.Fatal(err)
	}
	poll("the lease released", bookkeeping)
}

// bookkeepingTables are the tables whose writes are not content: the
// sender lease, where each sync left off, and the revision itself.
var bookkeepingTables = map[string]bool{"leases": true, "sync_cursors": true, "content_revision": true}

// onceATransactionTables are shown, but a million-row import writes them
// row by row: they have no triggers (migration 9), and every write to
// them ends in recomputeDirty, which bumps the revision once.
// TestMarketingWritesBumpTheContentRevision checks each kind of write.
var onceATransactionTables = map[string]bool{"marketing_rows": true, "marketing_days": true,
	"marketing_day_money": true, "marketing_contents": true, "marketing_content_money": true}

// Every table but the bookkeeping and a virtual table's own (the inbox
// search index, which follows inbox_items) bumps the content revision on
// insert, update and delete: a table added by a later migration without
// its triggers fails here, and sessions would not see its changes.
func TestEveryShownTableBumpsTheContentRevision(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	rows, err := st.db.QueryContext(ctx, `SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	var virtual []string
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(strings.ToUpper(sql), "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, name)
			continue
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	triggers := map[string]string{}
	trows, err := st.db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	for trows.Next() {
		var name, sql string
		if err := trows.Scan(&name, &sql); err != nil {
			t.Fatal(err)
		}
		triggers[name] = sql
	}
	checked := 0
	once := 0
next:
	for _, table := range tables {
		if bookkeepingTables[table] {
			continue
		}
		if onceATransactionTables[table] {
			once++
			for _, op := range []string{"insert", "update", "delete"} {
				if name := "content_" + op + "_" + table; triggers[name] != "" {
					t.Errorf("table %s still has %s, a bump per row that migration 9 dropped", table, name)
				}
			}
			continue
		}
		for _, v := range virtual {
			if strings.HasPrefix(table, v+"_") {
				continue next
			}
		}
		for _, op := range []string{"insert", "update", "delete"} {
			name := "content_" + op + "_" + table
			want := "AFTER " + strings.ToUpper(op) + " ON " + table + " BEGIN UPDATE content_revision SET n = n + 1; END"
			if got, ok := triggers[name]; !ok || !strings.Contains(got, want) {
				t.Errorf("table %s: no trigger %s (%q) bumps the content revision: add it in the migration that makes the table, or name the table in bookkeepingTables if the app shows nothing of it", table, name, want)
			}
		}
		checked++
	}
	if checked < 30 {
		t.Errorf("only %d tables checked: the query for them is wrong", checked)
	}
	if once != len(onceATransactionTables) {
		t.Errorf("%d of the %d tables bumped once a transaction exist: the list names a table that is gone", once, len(onceATransactionTables))
	}
}

// Every kind of write to the marketing rows and their sums is seen as
// content by another process, though those tables have no triggers: an
// import, a newer export replacing its rows, an older one that keeps
// none, a typed-in entry added and deleted, a campaign name mapped, a
// campaign deleted (its rows move out), a rebuild. An import bumps the
// revision a few times, not once a row; one rolled back is not seen.
func TestMarketingWritesBumpTheContentRevision(t *testing.T) {
	ctx := context.Background()
	st, other, w := watchedPair(t)
	revision := func() int64 {
		t.Helper()
		var n int64
		if err := st.db.QueryRowContext(ctx, "SELECT n FROM content_revision").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	poll := func(what string, want Change) { t.Helper(); wantPoll(t, w, what, want) }
	content, nothing := Change{Committed: true, Content: true}, Change{}
	now := schedT0
	camp, err := other.CreateCampaign(ctx, Campaign{Name: "Spring"}, now)
	if err != nil {
		t.Fatal(err)
	}
	poll("a campaign made", content)

	const lines = 500
	importSheet := func(exported time.Time, clicks int64, commit bool) ImportResult {
		t.Helper()
		imp, err := other.BeginImport(ctx, ImportBatch{Feed: "sheet", Class: ClassSheet, Preset: "plain", Origin: "sheet.csv",
			ExportedAt: exported}, now)
		if err != nil {
			t.Fatal(err)
		}
		for i := range lines {
			if err := imp.Add(MarketingRow{Day: DateDay(2026, 3, 1).Add(i / 50), Campaign: []string{"spring", "Summer"}[i%2],
				Source: "mastodon", Content: fmt.Sprintf("post-%d", i%50+1), Currency: "EUR",
				Clicks: Known(clicks), Revenue: Known(int64(i)), Line: i + 2}); err != nil {
				t.Fatal(err)
			}
		}
		if !commit {
			imp.Rollback()
			return ImportResult{}
		}
		res, err := imp.Commit()
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	before := revision()
	importSheet(now.Add(-time.Hour), 3, true)
	poll("an import", content)
	if d := revision() - before; d >= 10 {
		t.Errorf("an import of %d lines bumped the revision %d times: once a row again?", lines, d)
	}
	importSheet(now.Add(-time.Hour), 5, false)
	poll("an import rolled back", nothing)
	if res := importSheet(now, 4, true); res.Written != lines {
		t.Fatalf("the newer export wrote %d lines, want %d", res.Written, lines)
	}
	poll("a newer export replacing the rows", content)
	if res := importSheet(now.Add(-2*time.Hour), 1, true); res.Kept != lines {
		t.Fatalf("the older export kept %d lines, want %d", res.Kept, lines)
	}
	poll("an older export, every row kept", content)

	entry := ManualEntry{Day: DateDay(2026, 3, 2), CampaignID: camp, Source: "flyer", Label: "500 flyers", Currency: "EUR",
		Spend: Known(4500)}
	if _, err := other.AddManualEntry(ctx, entry, now); err != nil {
		t.Fatal(err)
	}
	poll("a typed-in entry", content)
	if err := other.DeleteManualEntry(ctx, entry); err != nil {
		t.Fatal(err)
	}
	poll("a typed-in entry deleted", content)
	if err := other.MapCampaignName(ctx, "Summer", camp, now); err != nil {
		t.Fatal(err)
	}
	poll("a campaign name mapped", content)
	if err := other.RebuildMarketingSums(ctx); err != nil {
		t.Fatal(err)
	}
	poll("the sums rebuilt", content)
	if err := other.DeleteCampaign(ctx, camp); err != nil {
		t.Fatal(err)
	}
	poll("a campaign deleted, its rows moved out", content)
	var left int
	if err := st.db.QueryRowContext(ctx, "SELECT count(*) FROM marketing_rows WHERE campaign_id = ?", camp).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d rows left in the deleted campaign (%v)", left, err)
	}
}

// BenchmarkChangeWatcher measures one look at the database for changes
// when nothing changed: what a sender pays on every poll.
func BenchmarkChangeWatcher(b *testing.B) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(b.TempDir(), "crier.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	w, err := st.WatchChanges(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	for b.Loop() {
		if _, err := w.Poll(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// Watch opens its watcher, saying so, and hands on each commit by another
// process until ctx ends.
func TestWatchHandsOnCommits(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	st, other, _ := watchedPair(t)
	opened, changes := make(chan struct{}, 10), make(chan Change, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		st.Watch(ctx, time.Millisecond, WatchHooks{
			Opened:  func() { opened <- struct{}{} },
			Changed: func(c Change) { changes <- c },
		})
	}()
	<-opened
	for _, v := range []string{"v", "w"} {
		if err := other.SetMeta(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
		if c := <-changes; !c.Committed {
			t.Fatalf("a commit handed on as %+v", c)
		}
	}
	cancel()
	<-done
	if len(opened) != 0 {
		t.Errorf("opened %d more times with nothing failing", len(opened))
	}
}
