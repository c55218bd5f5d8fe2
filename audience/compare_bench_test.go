package audience_test

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/audience"
	"github.com/crier-app/crier/demo/demotest"
)

// BenchmarkCompare measures the competitor comparison (twelve weeks of the
// four own accounts and the two competitors side by side) on the large demo
// database.
func BenchmarkCompare(b *testing.B) {
	ctx := context.Background()
	st, now := demotest.Large(b)
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
