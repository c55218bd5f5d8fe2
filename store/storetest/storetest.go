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
