// Package storetest opens fresh crier databases for tests quickly. A new
// database runs every migration, which under the race detector takes most of
// a second; this package migrates one template per test binary and gives
// each test a copy of its file, already up to date.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
)

var template struct {
	once sync.Once
	data []byte
	err  error
}

// Path makes a fresh, fully migrated, empty database file in a temporary
// folder of t's and returns its path, for tests that open it themselves
// (several handles on one file, a crier process).
func Path(t testing.TB) string {
	t.Helper()
	template.once.Do(func() {
		dir, err := os.MkdirTemp("", "crier-storetest-")
		if err != nil {
			template.err = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "template.db")
		st, err := store.Open(context.Background(), path)
		if err != nil {
			template.err = err
			return
		}
		// Closing the last connection checkpoints the WAL into the file.
		if template.err = st.Close(); template.err != nil {
			return
		}
		template.data, template.err = os.ReadFile(path)
	})
	if template.err != nil {
		t.Fatalf("storetest: making the template database: %v", template.err)
	}
	path := filepath.Join(t.TempDir(), "crier.db")
	if err := os.WriteFile(path, template.data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Open opens a fresh, fully migrated, empty database for t, closed when t
// ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), Path(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// WaitCommitted waits until check holds, looking again at each commit to
// st's database by any process (the store's Watch tells of them), and
// fails t saying what check last saw if limit passes first.
func WaitCommitted(t testing.TB, st *store.Store, limit time.Duration, what string, check func() (bool, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	committed := make(chan struct{}, 1)
	tell := func() {
		select {
		case committed <- struct{}{}:
		default:
		}
	}
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		// Opened too: a commit made before the watch began is looked for.
		st.Watch(ctx, 5*time.Millisecond, store.WatchHooks{Opened: tell, Changed: func(store.Change) { tell() }})
	}()
	defer func() { cancel(); <-watched }()
	timeout := time.After(limit)
	for {
		ok, seen := check()
		if ok {
			return
		}
		select {
		case <-committed:
		case <-timeout:
			if ok, seen = check(); !ok {
				t.Fatalf("%s: not so after %s; last seen: %s", what, limit, seen)
			}
			return
		}
	}
}
