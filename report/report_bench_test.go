package report

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/store"
)

// BenchmarkYearReport makes the report of the last 365 days on the large
// demo database (tens of thousands of posts sent, a million web analytics
// rows) in each format: reading the store once, and writing the file.
func BenchmarkYearReport(b *testing.B) {
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
	today := store.DayOf(now)
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			var r *Report
			for b.Loop() {
				if r, err = Build(ctx, st, Options{From: today.Add(-364), To: today, Zone: time.UTC, Now: now}); err != nil {
					b.Fatal(err)
				}
				if err := r.Write(io.Discard, f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.Posts)), "posts")
		})
	}
}
