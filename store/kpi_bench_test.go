package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/demo/demotest"
	"github.com/crier-app/crier/store"
)

// BenchmarkKPIs measures one KPI report (what the KPIs pane loads) on the
// large demo database: 100k posts over three years, 500k inbox items, 1M
// metric snapshots. The database is built once into the temp folder and
// reused by later runs. It lives in package store_test because demo imports
// store.
func BenchmarkKPIs(b *testing.B) {
	ctx := context.Background()
	st, now := demotest.Large(b)
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	var r store.KPIReport
	for b.Loop() {
		if r, err = st.KPIs(ctx, now, loc); err != nil {
			b.Fatal(err)
		}
	}
	// How much of the data set the window holds, for comparing runs.
	b.ReportMetric(float64(r.Total.Posts), "posts/window")
	b.ReportMetric(float64(r.Total.OpenInbox), "open-inbox")
}
