package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func cpuSeconds() float64 {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}

// BenchmarkImportWriter measures the store's side of an import: a million
// rows of a plain sheet (a year of days, 15 campaigns, 5 sources, many
// contents) through BeginImport, Add and Commit into an empty database,
// sums included. rows/s is wall time, rows/cpu-s the process's CPU time
// (the machine may be shared).
func BenchmarkImportWriter(b *testing.B) {
	ctx := context.Background()
	const n = 1_000_000
	srcs := []string{"mastodon", "bluesky", "facebook", "instagram", "newsletter"}
	for b.Loop() {
		b.StopTimer()
		st, err := Open(ctx, filepath.Join(b.TempDir(), "crier.db"))
		if err != nil {
			b.Fatal(err)
		}
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 15 {
			if _, err := st.CreateCampaign(ctx, Campaign{Name: "Campaign " + strconv.Itoa(i)}, now); err != nil {
				b.Fatal(err)
			}
		}
		if os.Getenv("NOTRIG") != "" {
			for _, t := range []string{"marketing_contents_replace", "marketing_contents_drop", "marketing_contents_move"} {
				st.db.Exec("DROP TRIGGER " + t)
			}
		}
		b.StartTimer()
		start, c0 := time.Now(), cpuSeconds()
		imp, err := st.BeginImport(ctx, ImportBatch{Feed: "sheet", Class: ClassSheet, Preset: "plain", Origin: "bench.csv"}, now)
		if err != nil {
			b.Fatal(err)
		}
		day0 := DateDay(2025, 1, 1)
		for i := range n {
			d := i / 2740
			rest := i % 2740
			if err := imp.Add(MarketingRow{Day: day0.Add(d), Campaign: "campaign-" + strconv.Itoa(rest%15),
				Source: srcs[(rest/15)%5], Content: "post-" + strconv.Itoa(rest/75+1), Currency: "EUR",
				Clicks: Known(int64(i % 50)), Conversions: Known(int64(i%3) * 1000), Revenue: Known(int64(i % 900)),
				Spend: Known(int64(i % 70)), Line: i + 2}); err != nil {
				b.Fatal(err)
			}
		}
		res, err := imp.Commit()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(n/time.Since(start).Seconds(), "rows/s")
		b.ReportMetric(n/(cpuSeconds()-c0), "rows/cpu-s")
		b.ReportMetric(float64(res.Groups), "groups")
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}
