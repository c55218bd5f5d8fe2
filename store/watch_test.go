package store

import (
	"context"
	"path/filepath"
	"testing"
)

// A commit by another process (another store on the same file) or by
// another of this store's connections is seen; reads are not.
func TestChangeWatcherSeesCommitsFromElsewhere(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	w, err := st.WatchChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	changed := func() bool {
		t.Helper()
		c, err := w.Changed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c
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
		if _, err := w.Changed(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
