package demo

import (
	"context"
	"net/url"
	"testing"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/store"
)

// TestMarketingNormal checks that the demo's campaigns show believable
// figures on the first run: slugs, audiences, goals, tagged links, web
// analytics and ads, typed-in costs, every figure computable where its
// sources exist.
func TestMarketingNormal(t *testing.T) {
	t.Parallel()
	st, g := seeded(t, Options{Seed: 3, Now: testNow, Zone: berlin})
	ctx := context.Background()
	db := st.DB()
	today := store.DayOf(g.now.In(berlin))
	within(t, "campaigns without a slug or audience", count(t, db, "SELECT count(*) FROM campaigns WHERE slug = '' OR audience = ''"), 0, 0)
	within(t, "goals", count(t, db, "SELECT count(*) FROM goals"), 4, 4)
	within(t, "tagged links", count(t, db, "SELECT count(*) FROM tagged_links"), 1, 100)
	within(t, "web analytics rows", count(t, db, "SELECT count(*) FROM marketing_rows WHERE feed = 'plausible'"), 150, 2000)
	within(t, "ad rows", count(t, db, "SELECT count(*) FROM marketing_rows WHERE feed = 'meta_ads'"), 50, 1000)
	within(t, "typed-in costs", count(t, db, "SELECT count(*) FROM marketing_rows WHERE feed = 'manual'"), 2, 2)
	within(t, "imports", count(t, db, "SELECT count(*) FROM marketing_imports"), 5, 60)

	links, err := st.DB().QueryContext(ctx, "SELECT tagged, source, content FROM tagged_links")
	if err != nil {
		t.Fatal(err)
	}
	for links.Next() {
		var tagged, source, content string
		links.Scan(&tagged, &source, &content)
		u, err := url.Parse(tagged)
		if err != nil || u.Host != siteDomain || u.Query().Get("utm_source") != source || u.Query().Get("utm_medium") != "social" ||
			u.Query().Get("utm_content") != content || u.Query().Get("utm_campaign") == "" {
			t.Errorf("tagged link %s (%s, %s)", tagged, source, content)
		}
	}
	links.Close()

	rows, err := analytics.Campaigns(ctx, st, today, g.now, berlin)
	if err != nil {
		t.Fatal(err)
	}
	states := map[store.CampaignState]int{}
	for _, r := range rows {
		states[r.State]++
		f := r.Figures
		if !f.CTR.OK || !f.ConversionRate.OK || !f.CPA.OK || !f.ROAS.OK || !r.Budget.OK || len(r.Goals) != 1 {
			t.Errorf("%s: figures %+v budget %+v goals %d", r.Campaign.Name, f, r.Budget, len(r.Goals))
		}
		if r.Goals[0].State == analytics.GoalNoData || r.Goals[0].State == analytics.GoalNotStarted {
			t.Errorf("%s: goal %+v", r.Campaign.Name, r.Goals[0])
		}
	}
	if states[store.CampaignRunning] != 1 || states[store.CampaignEnded] != 1 {
		t.Errorf("campaign states %v", states)
	}
	// Organic posts report no impressions: CTR there is n/a, never 0.
	fig, nets, err := analytics.Period(ctx, st, today.Add(-29), today, berlin)
	if err != nil {
		t.Fatal(err)
	}
	if !fig.LinkClicks.OK || fig.LinkClicks.V == 0 {
		t.Errorf("period figures %+v", fig)
	}
	sawOrganic := false
	for _, n := range nets {
		if n.Source == store.PlatformMastodon || n.Source == store.PlatformBluesky {
			sawOrganic = true
			if n.Figures.CTR.OK || !n.Figures.ClicksPerFollower.OK {
				t.Errorf("%s: CTR %+v clicks per follower %+v", n.Source, n.Figures.CTR, n.Figures.ClicksPerFollower)
			}
		}
	}
	if !sawOrganic {
		t.Error("no visits from Mastodon or Bluesky")
	}
	// The standing goals are measured too.
	goals, err := st.Goals(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	all, err := analytics.EvaluateAll(ctx, st, goals, today, berlin)
	if err != nil {
		t.Fatal(err)
	}
	for _, gs := range all {
		if gs.State == analytics.GoalNoData {
			t.Errorf("goal %s has no data: %s", analytics.Describe(gs.Goal), gs.Why)
		}
	}
}

// TestMarketingLarge checks the large demo's counts, scaled down.
func TestMarketingLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scaled-down large data set")
	}
	t.Parallel()
	st, g := seededLarge(t)
	db := st.DB()
	m := &mkGen{g: g}
	within(t, "visit rows", count(t, db, "SELECT count(*) FROM marketing_rows WHERE feed = 'plausible' AND clicks > 0"),
		m.scaled(largeVisitRows), m.scaled(largeVisitRows))
	within(t, "rows with conversions", count(t, db, "SELECT count(*) FROM marketing_rows WHERE feed = 'plausible' AND conversions > 0"),
		m.scaled(largeConversionRows), m.scaled(largeConversionRows))
	within(t, "spend rows", count(t, db, "SELECT count(*) FROM marketing_rows WHERE feed = 'meta_ads' AND spend > 0"),
		m.scaled(largeSpendRows), m.scaled(largeSpendRows))
	within(t, "posts in no campaign", count(t, db, "SELECT count(*) FROM posts WHERE campaign_id IS NULL AND reply_to_item IS NULL AND state = 'sent'"+
		" AND id NOT IN (SELECT post_id FROM ab_plan WHERE post_id IS NOT NULL)"), 0, 0) // the A/B test's posts are timing.go's
	// The sums kept along the way are what a rebuild gives.
	var before, after float64
	db.QueryRow("SELECT total(clicks) + total(conversions) FROM marketing_days").Scan(&before)
	if err := st.RebuildMarketingSums(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.QueryRow("SELECT total(clicks) + total(conversions) FROM marketing_days").Scan(&after)
	if before != after || before == 0 {
		t.Errorf("sums %v, rebuilt %v", before, after)
	}
}
