package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/crier-app/crier/store"
)

// BenchLargePath is where the benchmarks keep the large database they
// share (seed 1), built once and reused while its schema and data version
// hold.
func BenchLargePath() string { return filepath.Join(os.TempDir(), "crier-bench-large.db") }

// EnsureLarge returns the large demo database at path, building it first
// unless the file there is a complete large demo of this schema, this
// generator (dataVersion) and seed. The build goes to path+".tmp" and is
// renamed into place when done, so an interrupted build never leaves a file
// that passes for complete. Several processes (go test runs packages in
// parallel) may call it at once: one builds while the others wait for it.
//
// The data ends at the time of the build (see SeededNow), in UTC.
func EnsureLarge(ctx context.Context, path string, seed int64) (*store.Store, error) {
	return ensureLarge(ctx, path, seed, 1)
}

func ensureLarge(ctx context.Context, path string, seed int64, scale float64) (*store.Store, error) {
	if st, ok := openComplete(ctx, path, seed, scale); ok {
		return st, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	unlock, err := lockFile(ctx, path+".lock")
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Someone else may have finished it while we waited for the lock.
	if st, ok := openComplete(ctx, path, seed, scale); ok {
		return st, nil
	}
	tmp := path + ".tmp"
	if err := removeDB(tmp); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, tmp)
	if err != nil {
		return nil, err
	}
	err = Seed(ctx, st, Options{Seed: seed, Now: time.Now().UTC().Truncate(time.Second), Zone: time.UTC,
		Large: true, Scale: scale})
	if cerr := st.Close(); err == nil {
		err = cerr // closing the last connection checkpoints the WAL into the file
	}
	if err != nil {
		removeDB(tmp)
		return nil, fmt.Errorf("building the large demo at %s: %w", tmp, err)
	}
	if err := removeDB(path); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	st, err = store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if !isComplete(ctx, st, seed, scale) {
		st.Close()
		return nil, fmt.Errorf("the large demo at %s does not read back as complete", path)
	}
	return st, nil
}

// openComplete opens path if it holds a complete large demo built from seed
// at scale by this schema and dataVersion.
func openComplete(ctx context.Context, path string, seed int64, scale float64) (*store.Store, bool) {
	if _, err := os.Stat(path); err != nil {
		return nil, false
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, false
	}
	if !isComplete(ctx, st, seed, scale) {
		st.Close()
		return nil, false
	}
	return st, true
}

func isComplete(ctx context.Context, st *store.Store, seed int64, scale float64) bool {
	want := map[string]string{
		MetaComplete: "1",
		MetaSize:     "large",
		MetaSeed:     strconv.FormatInt(seed, 10),
		MetaScale:    strconv.FormatFloat(scale, 'g', -1, 64),
		MetaSchema:   store.SchemaFingerprint(),
		MetaData:     dataVersion,
	}
	for _, k := range []string{MetaComplete, MetaSize, MetaSeed, MetaScale, MetaSchema, MetaData} {
		if v, err := st.Meta(ctx, k); err != nil || v != want[k] {
			return false
		}
	}
	return true
}

// removeDB removes a database file and the WAL files SQLite keeps beside it;
// a stale WAL next to a new file would be replayed into it.
func removeDB(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
