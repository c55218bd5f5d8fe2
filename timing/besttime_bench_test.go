package timing_test

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/timing"
)

// BenchmarkBestTimes measures one best-time heatmap (what the KPIs pane
// loads) on the large demo database: 100k posts over three years on four
// accounts, 500k inbox items; half a year of posts and eight weeks of the
// audience are read. The database is built once into the temp folder and
// reused (see store's BenchmarkKPIs).
func BenchmarkBestTimes(b *testing.B) {
	ctx := context.Background()
	st, err := demo.EnsureLarge(ctx, demo.BenchLargePath(), 1)
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
	var h timing.Heatmap
	for b.Loop() {
		if h, err = timing.BestTimes(ctx, st, timing.BestTimeOptions{Now: now, Loc: loc}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(h.Posts), "posts/window")
	b.ReportMetric(float64(h.Audience), "inbox/window")
}
