package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/demo/demotest"
	"github.com/crier-app/crier/store"
)

// BenchmarkInboxKPIs measures the inbox figures the KPIs pane loads (open
// items, items answered and the median first response over 7 and 30 days)
// on the large demo database: 500k inbox items over three years, most of
// the answered ones with a first reply time.
func BenchmarkInboxKPIs(b *testing.B) {
	ctx := context.Background()
	st, now := demotest.Large(b)
	var k store.InboxKPIs
	var err error
	for b.Loop() {
		if k, err = st.InboxKPIs(ctx, now, nil); err != nil {
			b.Fatal(err)
		}
	}
	// How much the windows hold, for comparing runs.
	b.ReportMetric(float64(k.Month.Answered), "answered/30d")
	b.ReportMetric(float64(k.Open), "open")
}

// BenchmarkListeningTrend measures the KPIs pane's listening section on the
// large demo database: every term's count, negatives and mean sentiment on
// each of the last 30 days, in Berlin's days.
func BenchmarkListeningTrend(b *testing.B) {
	ctx := context.Background()
	st, now := demotest.Large(b)
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	local := now.In(loc)
	from := time.Date(local.Year(), local.Month(), local.Day()-29, 0, 0, 0, 0, loc)
	var tr store.ListeningTrend
	for b.Loop() {
		if tr, err = st.ListeningTrend(ctx, from, now, loc); err != nil {
			b.Fatal(err)
		}
	}
	found := 0
	for _, t := range tr.Terms {
		found += t.Total.Count
	}
	b.ReportMetric(float64(len(tr.Terms)), "terms")
	b.ReportMetric(float64(found), "found/30d")
}
