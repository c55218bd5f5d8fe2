package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/demo"
	"github.com/crier-app/crier/store"
)

// largeMarketing opens the large demo database (built once into the temp
// folder, as BenchmarkKPIs does) with its clock.
func largeMarketing(b *testing.B) (*store.Store, time.Time, store.Day) {
	b.Helper()
	ctx := context.Background()
	st, err := demo.EnsureLarge(ctx, demo.BenchLargePath(), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	now, err := demo.SeededNow(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	return st, now, store.DayOf(now)
}

// BenchmarkCampaignList measures the Campaigns list on the large demo
// database (a million web analytics rows, 10k ad rows, an always-on
// campaign beside the planned ones) as the pane loads it: every campaign's
// figures and budget use, and every goal (the campaigns' and those in
// none: followers, replies answered in time) evaluated.
func BenchmarkCampaignList(b *testing.B) {
	st, now, today := largeMarketing(b)
	ctx := context.Background()
	var l analytics.List
	var err error
	for b.Loop() {
		if l, err = analytics.CampaignList(ctx, st, today, now, time.UTC); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(l.Rows)), "campaigns")
	b.ReportMetric(float64(len(l.Goals)), "goals-alone")
}

// BenchmarkCampaignListStore measures the store's part of the list alone:
// the sums of every campaign.
func BenchmarkCampaignListStore(b *testing.B) {
	st, _, _ := largeMarketing(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := st.CampaignsTotals(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := st.CampaignsSourceClicks(ctx, analytics.SocialNetworks); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCampaignDetail measures one campaign's detail view (figures,
// per network, per day, its top links, its posts, its goals) on the large
// demo: the biggest campaign (always on: two thirds of the rows) and a
// planned one of a few weeks.
func BenchmarkCampaignDetail(b *testing.B) {
	st, now, today := largeMarketing(b)
	ctx := context.Background()
	cs, err := st.Campaigns(ctx)
	if err != nil {
		b.Fatal(err)
	}
	totals, err := st.CampaignsTotals(ctx)
	if err != nil {
		b.Fatal(err)
	}
	biggest, planned := cs[0], cs[0]
	for _, c := range cs {
		if totals[c.ID].Groups > totals[biggest.ID].Groups {
			biggest = c
		}
	}
	for _, c := range cs {
		if c.ID != biggest.ID && totals[c.ID].Groups > 0 {
			planned = c
			break
		}
	}
	for _, c := range []store.Campaign{biggest, planned} {
		name := "planned"
		if c.ID == biggest.ID {
			name = "always-on"
		}
		b.Run(name, func(b *testing.B) {
			var d analytics.CampaignDetail
			for b.Loop() {
				if d, err = analytics.Campaign(ctx, st, c.ID, today, now, time.UTC); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(d.Figures.Totals.Groups), "groups")
			b.ReportMetric(float64(len(d.Posts)), "posts")
		})
	}
}

// BenchmarkSentPosts measures the store's part of a year's report on the
// large demo database: the copies sent in the last 365 days (tens of
// thousands) with their numbers and what their links brought in.
func BenchmarkSentPosts(b *testing.B) {
	st, _, today := largeMarketing(b)
	ctx := context.Background()
	var ps []store.PostNumbers
	var err error
	for b.Loop() {
		if ps, err = st.SentPosts(ctx, today.Add(-364).Midnight(time.UTC), today.Add(1).Midnight(time.UTC)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ps)), "posts")
}
