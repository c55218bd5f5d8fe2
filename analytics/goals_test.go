package analytics

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

var d0 = store.DateDay(2026, 3, 1)

// daily makes a series of n days of sums (den 1 a day).
func daily(n int, f func(i int) (num, den float64)) series {
	s := series{first: d0, num: make([]float64, n), den: make([]float64, n), known: make([]bool, n)}
	for i := range n {
		s.num[i], s.den[i] = f(i)
		s.known[i] = true
	}
	return s
}

func run(g store.Goal, today store.Day, cur, base series) GoalStatus {
	s := GoalStatus{Goal: g, Today: today}
	if today < g.StartsOn {
		s.State = GoalNotStarted
	}
	evaluate(&s, cur, base)
	return s
}

func TestAdditiveGoalByHand(t *testing.T) {
	// 100 conversions in 30 days; 10 days in at 3 a day.
	g := store.Goal{Metric: store.GoalConversions, Target: 100_000, StartsOn: d0, Deadline: d0.Add(29)}
	s := run(g, d0.Add(9), daily(10, func(int) (float64, float64) { return 3, 1 }), series{})
	// 30 so far; 3 a day for the 20 days left gives 90: behind. The gap of
	// 70 at 3 a day takes 24 more days (ceil 23.3) from day 10.
	if s.Current.V != 30 || s.Target.V != 100 || !near(s.Progress, 0.3) || s.Projected.V != 90 || s.State != GoalBehind ||
		s.ReachOn != d0.Add(9+24) {
		t.Errorf("3 a day: %+v", s)
	}
	// At 4 a day: 40 so far, 120 projected, the 60 left take 15 days.
	s = run(g, d0.Add(9), daily(10, func(int) (float64, float64) { return 4, 1 }), series{})
	if s.Current.V != 40 || s.Projected.V != 120 || s.State != GoalOnTrack || s.ReachOn != d0.Add(24) {
		t.Errorf("4 a day: %+v", s)
	}
	// The rate is the last 28 days': a slow start does not drag it down.
	s = run(g, d0.Add(29), daily(30, func(i int) (float64, float64) {
		if i < 2 {
			return 0, 1
		}
		return 4, 1
	}), series{})
	if s.Current.V != 112 || s.State != GoalReached || s.ReachOn != d0.Add(26) { // 4×25 = 100 on day 27 (index 26)
		t.Errorf("reached: %+v", s)
	}
	// Past the deadline short of it: missed.
	s = run(g, d0.Add(40), daily(30, func(int) (float64, float64) { return 3, 1 }), series{})
	if s.State != GoalMissed || s.Current.V != 90 {
		t.Errorf("missed: %+v", s)
	}
	// Before its first day: not started; nothing reported: no data.
	if s := run(g, d0.Add(-1), series{}, series{}); s.State != GoalNotStarted {
		t.Errorf("not started: %+v", s)
	}
	empty := series{first: d0, num: make([]float64, 10), den: make([]float64, 10), known: make([]bool, 10)}
	if s := run(g, d0.Add(9), empty, series{}); s.State != GoalNoData || s.Why == "" {
		t.Errorf("no data: %+v", s)
	}
}

func TestRelativeGoalByHand(t *testing.T) {
	// Conversions +15% over the previous 30 days (60 then), over 30 days.
	g := store.Goal{Metric: store.GoalConversions, Relative: true, Target: 1500, StartsOn: d0, Deadline: d0.Add(29),
		BaselineFrom: d0.Add(-30), BaselineTo: d0.Add(-1)}
	base := daily(30, func(int) (float64, float64) { return 2, 1 })
	s := run(g, d0.Add(9), daily(10, func(int) (float64, float64) { return 3, 1 }), base)
	// Target 60 × 1.15 = 69; 30 so far, 3 a day gives 90: on track, the 39
	// left take 13 days.
	if s.Baseline.V != 60 || !near(s.Target.V, 69) || s.State != GoalOnTrack || s.ReachOn != d0.Add(9+13) ||
		!near(s.Progress, 30.0/69) {
		t.Errorf("relative: %+v", s)
	}
	// A baseline period half as long counts double.
	g.BaselineFrom = d0.Add(-15)
	s = run(g, d0.Add(9), daily(10, func(int) (float64, float64) { return 3, 1 }), daily(15, func(int) (float64, float64) { return 2, 1 }))
	if s.Baseline.V != 60 {
		t.Errorf("scaled baseline %+v", s.Baseline)
	}
	// Without a baseline there is nothing to compare with.
	empty := series{first: d0, num: make([]float64, 30), den: make([]float64, 30), known: make([]bool, 30)}
	if s := run(g, d0.Add(9), daily(10, func(int) (float64, float64) { return 3, 1 }), empty); s.State != GoalNoData ||
		!strings.Contains(s.Why, "no baseline") {
		t.Errorf("no baseline: %+v", s)
	}
}

func TestRatioGoalsByHand(t *testing.T) {
	// CTR of 5% with 4 clicks per 100 impressions a day: 4%, and the trend
	// never gets there.
	ctr := store.Goal{Metric: store.GoalCTR, Target: 500, StartsOn: d0, Deadline: d0.Add(29)}
	s := run(ctr, d0.Add(9), daily(10, func(int) (float64, float64) { return 4, 100 }), series{})
	if !near(s.Current.V, 0.04) || !near(s.Progress, 0.8) || s.State != GoalBehind || s.ReachOn != 0 {
		t.Errorf("CTR: %+v", s)
	}
	// Cost per acquisition at most €4.90 (lower is better): the first 10
	// days cost €20 for 2 conversions, the next 20 €20 for 5.
	cpa := store.Goal{Metric: store.GoalCPA, Target: 490, Currency: "EUR", StartsOn: d0, Deadline: d0.Add(59)}
	cur := daily(30, func(i int) (float64, float64) {
		if i < 10 {
			return 20, 2
		}
		return 20, 5
	})
	s = run(cpa, d0.Add(29), cur, series{})
	// So far €600 / 120 = €5.00. The last 28 days: €20 and 116/28
	// conversions a day. (600 + 20t) / (120 + 116t/28) reaches 4.9 when
	// 12 - 0.3t <= 0: t = 40. At the deadline (t = 30) it is 1200/244.29.
	b := 116.0 / 28
	if !near(s.Current.V, 5) || !near(s.Progress, 4.9/5) || s.State != GoalBehind ||
		!near(s.Projected.V, 1200/(120+30*b)) || s.ReachOn != d0.Add(29+int(math.Ceil(12/(4.9*b-20)))) {
		t.Errorf("CPA: %+v (want reach %s)", s, d0.Add(29+int(math.Ceil(12/(4.9*b-20)))))
	}
	// A relative ratio goal: conversion rate +20% over a 2% baseline.
	cr := store.Goal{Metric: store.GoalConversionRate, Relative: true, Target: 2000, StartsOn: d0, Deadline: d0.Add(29),
		BaselineFrom: d0.Add(-30), BaselineTo: d0.Add(-1)}
	s = run(cr, d0.Add(9), daily(10, func(int) (float64, float64) { return 3, 100 }),
		daily(30, func(int) (float64, float64) { return 2, 100 }))
	// Target 2.4%; at 3% it is reached; progress (3-2)/(2.4-2) = 2.5.
	if !near(s.Target.V, 0.024) || s.State != GoalReached || !near(s.Progress, 2.5) {
		t.Errorf("conversion rate: %+v", s)
	}
}

func TestFollowersGoalByHand(t *testing.T) {
	// 1,300 followers in 30 days from 1,000, gaining 10 a day.
	g := store.Goal{Metric: store.GoalFollowers, Target: 1300, StartsOn: d0, Deadline: d0.Add(29)}
	cur := daily(10, func(i int) (float64, float64) { return 1000 + 10*float64(i+1), 1 })
	base := daily(1, func(int) (float64, float64) { return 1000, 1 })
	s := run(g, d0.Add(9), cur, base)
	if s.Current.V != 1100 || s.Baseline.V != 1000 || !near(s.Progress, 1.0/3) || !near(s.Projected.V, 1300) ||
		s.State != GoalOnTrack || s.ReachOn != d0.Add(29) {
		t.Errorf("followers: %+v", s)
	}
}

// TestEvaluateFromTheStore runs goals over rows in a store.
func TestEvaluateFromTheStore(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Pre-orders"}, now)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: "plausible", Class: store.ClassAnalytics, Preset: "plausible",
		Origin: "api", ExportedAt: now}, now)
	if err != nil {
		t.Fatal(err)
	}
	// Baseline: 30 days before d0 with 2 conversions a day; since d0, 3 a
	// day, €10 of revenue each, and a stray USD sale.
	for i := -30; i < 10; i++ {
		conv := int64(2000)
		if i >= 0 {
			conv = 3000
		}
		r := store.MarketingRow{Day: d0.Add(i), Campaign: "pre-orders", Source: "mastodon", Content: "post-1",
			Sessions: store.Known(100), Clicks: store.Known(100), Conversions: store.Known(conv), Currency: "EUR",
			Revenue: store.Known(conv * 10 / 10), Line: i + 40}
		if err := imp.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := imp.Add(store.MarketingRow{Day: d0.Add(3), Campaign: "pre-orders", Source: "shop", Currency: "USD",
		Revenue: store.Known(999), Line: 99}); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	rel := store.Goal{CampaignID: camp, Metric: store.GoalConversions, Relative: true, Target: 1500, StartsOn: d0,
		Deadline: d0.Add(29), BaselineFrom: d0.Add(-30), BaselineTo: d0.Add(-1)}
	s, err := Evaluate(ctx, st, rel, d0.Add(9), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if s.Current.V != 30 || s.Baseline.V != 60 || !near(s.Target.V, 69) || s.State != GoalOnTrack || !s.HasRows ||
		s.Rows.Campaign != store.AllCampaigns || s.Rows.From != d0 || s.Rows.To != d0.Add(9) {
		t.Errorf("relative conversions: %+v", s)
	}
	rev := store.Goal{CampaignID: camp, Metric: store.GoalRevenue, Target: 100000, Currency: "EUR", StartsOn: d0, Deadline: d0.Add(29)}
	s, err = Evaluate(ctx, st, rev, d0.Add(9), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	// 10 days × 3 conversions × €10 = €300 of €1,000; the USD sale is left out, and said.
	if s.Current.V != 300 || s.Target.V != 1000 || !strings.Contains(s.Why, "$9.99") || FormatValue(rev.Metric, s.Current) != "€300.00" {
		t.Errorf("revenue: %+v", s)
	}
	// Followers, standing alone.
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@b@example.social"})
	if err != nil {
		t.Fatal(err)
	}
	for i := -1; i < 10; i++ {
		at := d0.Add(i).Midnight(time.UTC).Add(20 * time.Hour)
		if _, err := st.DB().Exec("INSERT INTO follower_snapshots (account_id, taken_at, followers) VALUES (?, ?, ?)",
			acct, at.UnixMilli(), 1000+10*(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	fol := store.Goal{Metric: store.GoalFollowers, Target: 1300, StartsOn: d0, Deadline: d0.Add(29)}
	s, err = Evaluate(ctx, st, fol, d0.Add(9), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if s.Current.V != 1100 || s.Baseline.V != 1000 || s.State != GoalOnTrack || s.ReachOn != d0.Add(29) {
		t.Errorf("followers: %+v", s)
	}
	if got := Describe(rel); got != "conversions +15% over 2026-01-30 – 2026-02-28 by 2026-03-30" {
		t.Errorf("Describe: %q", got)
	}
	if got := Describe(fol); got != "1,300 followers by 2026-03-30" {
		t.Errorf("Describe: %q", got)
	}
}

// Goal values read as precise as they are worth: whole counts, a tenth of
// a conversion, money in its currency; a target rounded toward the side
// the goal must reach.
func TestFormatValuePrecision(t *testing.T) {
	v := func(x float64) Value { return Value{V: x, OK: true} }
	for _, tt := range []struct {
		m      store.GoalMetric
		v      Value
		value  string
		target string
	}{
		{store.GoalConversions, v(17.231), "17.2", "17.3"},
		{store.GoalConversions, v(17), "17", "17"},
		{store.GoalConversions, v(6.1 * 1.15), "7", "7.1"}, // a +15% target: 7.015
		{store.GoalConversions, v(0.1 * 3), "0.3", "0.3"},  // 0.30000000000000004
		{store.GoalConversions, v(1234.56), "1,234.6", "1,234.6"},
		{store.GoalEngagementPerPost, v(3.04), "3", "3.1"},
		{store.GoalFollowers, v(1150.4), "1,150", "1,151"},
		{store.GoalLinkClicks, v(99.5), "100", "100"},
		{store.GoalRevenue, Value{V: 45, OK: true, Currency: "EUR"}, "€45.00", "€45.00"},
		{store.GoalCPA, Value{V: 14.004, OK: true, Currency: "EUR"}, "€14.00", "€14.00"},
		{store.GoalConversionRate, v(0.10526), "10.5%", "10.5%"},
		{store.GoalROAS, v(2.0536), "2.05×", "2.05×"},
		{store.GoalConversions, Value{}, "n/a", "n/a"},
	} {
		if got := FormatValue(tt.m, tt.v); got != tt.value {
			t.Errorf("FormatValue(%s, %v) = %q, want %q", tt.m, tt.v.V, got, tt.value)
		}
		if got := FormatTarget(tt.m, tt.v); got != tt.target {
			t.Errorf("FormatTarget(%s, %v) = %q, want %q", tt.m, tt.v.V, got, tt.target)
		}
	}
}

// A change in percent over a baseline of 0 (no conversions at all in the
// baseline period, a CTR of 0%) is 0 whatever the change: the goal is not
// reached by nothing happening. It says why and asks for a value target.
func TestRelativeGoalOverAZeroBaseline(t *testing.T) {
	zero := daily(30, func(int) (float64, float64) { return 0, 1 })
	for _, g := range []store.Goal{
		{Metric: store.GoalConversions, Relative: true, Target: 1500, StartsOn: d0, Deadline: d0.Add(29),
			BaselineFrom: d0.Add(-30), BaselineTo: d0.Add(-1)},
		{Metric: store.GoalCTR, Relative: true, Target: 2000, StartsOn: d0, Deadline: d0.Add(29),
			BaselineFrom: d0.Add(-30), BaselineTo: d0.Add(-1)},
	} {
		for _, cur := range []series{daily(10, func(int) (float64, float64) { return 0, 1 }), daily(10, func(int) (float64, float64) { return 2, 1 })} {
			s := run(g, d0.Add(9), cur, zero)
			if s.State != GoalNoData || s.Target.OK || !strings.Contains(s.Why, "the baseline, ") || !strings.Contains(s.Why, ", is 0") {
				t.Errorf("%s over a baseline of 0, now %v: state %q, target %+v, why %q", g.Metric, s.Current, s.State, s.Target, s.Why)
			}
		}
	}
	// ROI +15% over a loss (ROI -50%) would be reached by losing more.
	roi := store.Goal{Metric: store.GoalROI, Relative: true, Target: 1500, Currency: "EUR", StartsOn: d0, Deadline: d0.Add(29),
		BaselineFrom: d0.Add(-30), BaselineTo: d0.Add(-1)}
	loss := daily(30, func(int) (float64, float64) { return -50, 100 })
	s := run(roi, d0.Add(9), daily(10, func(int) (float64, float64) { return -60, 100 }), loss)
	if s.State != GoalNoData || s.Target.OK || !strings.Contains(s.Why, "is -50.0%") {
		t.Errorf("ROI over a loss: state %q, target %+v, why %q", s.State, s.Target, s.Why)
	}
}
