// Package demotest opens the large demo database for benchmarks in any
// package: built once into the temporary folder by demo.EnsureLarge (the
// first caller builds it, the others wait for it) and reused by every later
// benchmark and run until the schema or the generator changes.
package demotest

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/store"
)

// Seed is the large database's seed.
const Seed = 1

// LargePath builds the large demo database if need be and returns its
// path, for benchmarks that open it themselves (a crier process, several
// handles).
func LargePath(tb testing.TB) string {
	tb.Helper()
	path := demo.BenchLargePath()
	st, err := demo.EnsureLarge(context.Background(), path, Seed)
	if err != nil {
		tb.Fatal(err)
	}
	st.Close()
	return path
}

// Large opens the large demo database for tb, closed when tb ends, and
// returns the instant its history ends at (demo.SeededNow).
func Large(tb testing.TB) (*store.Store, time.Time) {
	tb.Helper()
	ctx := context.Background()
	st, err := demo.EnsureLarge(ctx, LargePath(tb), Seed)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	now, err := demo.SeededNow(ctx, st)
	if err != nil {
		tb.Fatal(err)
	}
	return st, now
}
