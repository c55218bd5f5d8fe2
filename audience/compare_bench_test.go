package audience_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crier-app/crier/audience"
	"github.com/crier-app/crier/demo"
)

// BenchmarkCompare measures the competitor comparison (twelve weeks of the
// four own accounts and the two competitors side by side) on the large demo
// database.
func BenchmarkCompare(b *testing.B) {
	ctx := context.Background()
	st, err := demo.EnsureLarge(ctx, filepath.Join(os.TempDir(), "crier-bench-large.db"), 1)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now, err := demo.SeededNow(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	var c audience.Comparison
	for b.Loop() {
		if c, err = audience.Compare(ctx, st, audience.CompareOptions{Now: now, Loc: loc}); err != nil {
			b.Fatal(err)
		}
	}
	posts := 0
	for _, s := range c.Sides {
		posts += s.Posts
	}
	b.ReportMetric(float64(len(c.Sides)), "sides")
	b.ReportMetric(float64(posts), "posts/window")
}
