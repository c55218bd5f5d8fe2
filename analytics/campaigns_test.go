package analytics

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

// An always-on campaign's daily chart runs to today, not to its last
// imported row: the days since are days of nothing, and show so.
func TestAlwaysOnCampaignChartsToToday(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	id, err := st.CreateCampaign(ctx, store.Campaign{Name: "Always on", StartsOn: "2026-03-01"}, now)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: "sheet", Class: store.ClassSheet, Preset: "plain", Origin: "s.csv", ExportedAt: now}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := imp.Add(store.MarketingRow{Day: store.DateDay(2026, 3, 2), Campaign: "always-on", Source: "flyer", Clicks: store.Known(4)}); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	today := store.DateDay(2026, 3, 10)
	d, err := Campaign(ctx, st, id, today, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.Days); n == 0 || d.Days[0].Day != store.DateDay(2026, 3, 1) || d.Days[n-1].Day != today {
		t.Fatalf("the chart's days: %d, %v to %v; want 2026-03-01 to today", n, d.Days[0].Day, d.Days[n-1].Day)
	}
}
