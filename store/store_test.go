package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// openTest opens a fresh database for t: a copy of one migrated per test
// binary, as storetest does (which this package's own tests cannot import).
func openTest(t testing.TB) *Store {
	t.Helper()
	template.once.Do(func() {
		dir, err := os.MkdirTemp("", "crier-store-test-")
		if err != nil {
			template.err = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "template.db")
		st, err := Open(context.Background(), path)
		if err != nil {
			template.err = err
			return
		}
		if template.err = st.Close(); template.err == nil {
			template.data, template.err = os.ReadFile(path)
		}
	})
	if template.err != nil {
		t.Fatalf("making the template database: %v", template.err)
	}
	path := filepath.Join(t.TempDir(), "crier.db")
	if err := os.WriteFile(path, template.data, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var template struct {
	once sync.Once
	data []byte
	err  error
}

func TestOpenMigratesFromEmpty(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	var v int
	if err := st.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion() || v < 1 {
		t.Fatalf("user_version = %d, want %d", v, SchemaVersion())
	}
	for _, table := range []string{"accounts", "posts", "post_targets", "post_media", "post_labels", "deliveries",
		"delivery_metrics", "follower_snapshots", "inbox_items", "campaigns", "sync_cursors", "sandbox_posts", "meta"} {
		var n int
		if err := st.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: n=%d err=%v", table, n, err)
		}
	}
	var mode string
	if err := st.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk int
	if err := st.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
	}
	var bt int
	if err := st.db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&bt); err != nil || bt < 1000 {
		t.Errorf("busy_timeout = %d (%v)", bt, err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetMeta(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.Meta(ctx, "k"); err != nil || v != "v" {
		t.Fatalf("meta after reopen = %q, %v", v, err)
	}
}

// Close returns only once a query still under way when it was called has
// finished: a program's last load, ending after the program, must not
// touch the files (or make them again) once the caller has moved on.
func TestCloseWaitsForAQueryUnderWay(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "crier.db"))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wrote atomic.Bool
	finished := make(chan bool)
	go func() {
		st.Close()
		finished <- wrote.Load()
	}()
	// Once closed, the store takes nothing new: the transaction is what
	// remains under way.
	for st.db.PingContext(ctx) == nil {
		runtime.Gosched()
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('late', 'write')"); err != nil {
		t.Fatal(err)
	}
	wrote.Store(true) // the connection is released by the commit, not before
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if !<-finished {
		t.Fatal("Close returned while a transaction was still under way on its connection")
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	future := SchemaVersion() + 3
	if _, err := st.db.ExecContext(ctx, "PRAGMA user_version = "+itoa(future)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = Open(ctx, path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{path, "newer crier", itoa(future), "left unchanged"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestOpenRefusesNonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := writeFile(path, strings.Repeat("this is not sqlite\n", 300)); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open of a text file = %v, want an error naming the path", err)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	// A database whose schema already has a table named like one the first
	// migration creates: the migration fails and must leave no trace.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	raw, err := Open(ctx, path) // creates and migrates
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.db.ExecContext(ctx, "PRAGMA user_version = 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.db.ExecContext(ctx, "CREATE TABLE marker (x)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("Open = %v, want a failed migration", err)
	}
	db, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	if v != 0 {
		t.Fatalf("user_version after a failed migration = %d, want 0", v)
	}
}

func mustAccount(t testing.TB, st *Store, platform, handle string) int64 {
	t.Helper()
	id, err := st.UpsertAccount(context.Background(), Account{Platform: platform, Handle: handle})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAccountsUpsertIsIdempotent(t *testing.T) {
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	c := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	if a != b || a == c {
		t.Fatalf("ids %d %d %d", a, b, c)
	}
	accts, err := st.Accounts(context.Background())
	if err != nil || len(accts) != 2 {
		t.Fatalf("Accounts = %v, %v", accts, err)
	}
}

func TestDraftQueueUnqueueReschedule(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

	id, err := st.SaveDraft(ctx, Post{Body: "fresh rye today",
		Targets: []Target{{AccountID: m}, {AccountID: b, BodyOverride: "rye!", HasOverride: true}},
		Media:   []Media{{Path: "/tmp/rye.jpg", Mime: "image/jpeg", AltText: "a loaf"}},
		Labels:  []string{"bread", "daily"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	// Saving again updates, never inserts a second post.
	if id2, err := st.SaveDraft(ctx, Post{ID: id, Body: "fresh rye today!",
		Targets: []Target{{AccountID: m}, {AccountID: b, BodyOverride: "rye!", HasOverride: true}}}, now); err != nil || id2 != id {
		t.Fatalf("second save = %d, %v", id2, err)
	}
	p, err := st.Post(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Body != "fresh rye today!" || p.State != PostDraft || len(p.Targets) != 2 || !p.Targets[1].HasOverride ||
		p.Targets[1].BodyOverride != "rye!" || len(p.Media) != 0 || len(p.Labels) != 0 {
		t.Fatalf("post = %+v", p)
	}

	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	if err := st.QueuePost(ctx, id, at, "Europe/Berlin", now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveDraft(ctx, Post{ID: id, Body: "changed under the scheduler"}, now); !errors.Is(err, ErrNotDraft) {
		t.Fatalf("saving a queued post = %v, want ErrNotDraft", err)
	}
	if err := st.QueuePost(ctx, id, at, "Europe/Berlin", now); !errors.Is(err, ErrNotDraft) {
		t.Fatalf("queueing twice = %v, want ErrNotDraft", err)
	}
	var n, keys int
	st.db.QueryRow("SELECT count(*), count(DISTINCT idempotency_key) FROM deliveries WHERE post_id = ? AND due_at = ? AND state = 'queued'",
		id, at.UnixMilli()).Scan(&n, &keys)
	if n != 2 || keys != 2 {
		t.Fatalf("deliveries = %d with %d keys, want 2 and 2", n, keys)
	}

	list, err := st.PostsBetween(ctx, at.Add(-time.Hour), at.Add(time.Hour))
	if err != nil || len(list) != 1 || list[0].State != PostQueued || strings.Join(list[0].Platforms, ",") != "bluesky,mastodon" ||
		list[0].ScheduledZone != "Europe/Berlin" || !list[0].ScheduledAt.Equal(at) {
		t.Fatalf("PostsBetween = %+v, %v", list, err)
	}

	later := at.Add(26 * time.Hour)
	if err := st.ReschedulePost(ctx, id, later, "Europe/Berlin", now); err != nil {
		t.Fatal(err)
	}
	st.db.QueryRow("SELECT count(*) FROM deliveries WHERE post_id = ? AND due_at = ?", id, later.UnixMilli()).Scan(&n)
	if n != 2 {
		t.Fatalf("after reschedule %d deliveries at the new time, want 2", n)
	}

	unsent, err := st.Unsent(ctx, 10)
	if err != nil || len(unsent) != 1 || unsent[0].ID != id {
		t.Fatalf("Unsent = %+v, %v", unsent, err)
	}

	if err := st.UnqueuePost(ctx, id, now); err != nil {
		t.Fatal(err)
	}
	p, _ = st.Post(ctx, id)
	st.db.QueryRow("SELECT count(*) FROM deliveries WHERE post_id = ?", id).Scan(&n)
	if p.State != PostDraft || n != 0 {
		t.Fatalf("after unqueue: state %s, %d deliveries", p.State, n)
	}
	if err := st.DeletePost(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Post(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Post after delete = %v", err)
	}
}

func TestSentPostCannotBeUnqueuedOrDeleted(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	id, err := st.SaveDraft(ctx, Post{Body: "hi", Targets: []Target{{AccountID: m}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, id, now, "UTC", now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec("UPDATE deliveries SET state = 'sent', sent_at = ? WHERE post_id = ?", now.UnixMilli(), id); err != nil {
		t.Fatal(err)
	}
	if err := st.UnqueuePost(ctx, id, now); err == nil {
		t.Fatal("unqueueing a sent post succeeded")
	}
	if err := st.DeletePost(ctx, id); err == nil {
		t.Fatal("deleting a sent post succeeded")
	}
	if err := st.ReschedulePost(ctx, id, now.Add(time.Hour), "UTC", now); err != nil {
		// Its roll-up still says queued until the scheduler rolls it up, so
		// the move is allowed but must not touch the sent delivery.
		t.Logf("reschedule: %v", err)
	}
	var due int64
	st.db.QueryRow("SELECT due_at FROM deliveries WHERE post_id = ?", id).Scan(&due)
	if due != now.UnixMilli() {
		t.Fatal("a sent delivery was moved")
	}
}

func TestQueueNeedsTargets(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	id, err := st.SaveDraft(ctx, Post{Body: "to nobody"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, id, now, "UTC", now); err == nil || !strings.Contains(err.Error(), "no target") {
		t.Fatalf("QueuePost without targets = %v", err)
	}
	p, _ := st.Post(ctx, id)
	if p.State != PostDraft {
		t.Fatalf("a failed queue left the post %s", p.State)
	}
}

// TestPaneQueriesUseIndexes checks the query plans of the post queries the
// panes run.
func TestPaneQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	for name, q := range map[string]string{
		"PostsBetween": "SELECT id FROM posts p WHERE p.scheduled_at >= 1 AND p.scheduled_at < 2 ORDER BY p.scheduled_at, p.id",
		"Unsent":       "SELECT id FROM posts p WHERE p.state IN ('queued', 'failed', 'missed')",
		"Drafts":       "SELECT id FROM posts p WHERE p.state = 'draft'",
		"CountMissed":  "SELECT count(*) FROM posts WHERE state = 'missed'",
	} {
		plan := explain(t, st, q)
		if (strings.Contains(plan, "SCAN p") || strings.Contains(plan, "SCAN posts")) && !strings.Contains(plan, "USING") {
			t.Errorf("%s scans posts without an index:\n%s", name, plan)
		}
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "a#b?c%d")
	path := filepath.Join(dir, "crier.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.SetMeta(ctx, "k", "v")
	st.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where it was asked to be: %v", err)
	}
}

func TestCountMissed(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for i, due := range []time.Time{now.Add(-2 * time.Hour), now.Add(-3 * time.Hour), now.Add(time.Hour)} {
		id, err := st.SaveDraft(ctx, Post{Body: "post " + itoa(i), Targets: []Target{{AccountID: m}}}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.QueuePost(ctx, id, due, "UTC", now); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := st.CountMissed(ctx); err != nil || n != 0 {
		t.Fatalf("before: %d, %v", n, err)
	}
	if _, err := st.MarkMissedBefore(ctx, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := st.CountMissed(ctx); err != nil || n != 2 {
		t.Fatalf("after: %d missed, %v; want 2", n, err)
	}
}
