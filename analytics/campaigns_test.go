package analytics

import (
	"context"
	"strconv"
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

// The detail's count of links is of the links it lists: a tagged link that
// went out and brought nothing in yet is listed, so it is counted too
// ("3 with the most clicks of 2" was the list beside a count of the
// contents with rows alone).
func TestLinkCountCountsTheLinksListed(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	id, err := st.CreateCampaign(ctx, store.Campaign{Name: "Spring", StartsOn: "2026-03-01", EndsOn: "2026-03-31"}, now)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: "sheet", Class: store.ClassSheet, Preset: "plain", Origin: "s.csv", ExportedAt: now}, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, content := range []string{"post-1", "flyer-a"} {
		if err := imp.Add(store.MarketingRow{Day: store.DateDay(2026, 3, 2), Campaign: "spring", Source: "mastodon",
			Content: content, Clicks: store.Known(4)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	pid, err := st.SaveDraft(ctx, store.Post{Body: "Spring https://shop.example/spring", CampaignID: id,
		Targets: []store.Target{{AccountID: acct}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	content := "post-" + strconv.FormatInt(pid, 10)
	if err := st.RecordTaggedLinks(ctx, []store.TaggedLink{{PostID: pid, AccountID: acct, URL: "https://shop.example/spring",
		Tagged: "https://shop.example/spring?utm_campaign=spring&utm_content=" + content, CampaignID: id, Source: "bluesky",
		Content: content}}, now); err != nil {
		t.Fatal(err)
	}
	d, err := Campaign(ctx, st, id, store.DateDay(2026, 3, 10), now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Links) != 3 || d.LinkCount != len(d.Links) {
		t.Errorf("%d links listed, %d counted; want 3 and 3", len(d.Links), d.LinkCount)
	}
}

// A link's conversion rate is n/a where no source reported its
// conversions, not 0%; it divides by sessions where those are known.
func TestContentRatiosOfUnreportedCounts(t *testing.T) {
	ad := store.ContentTotals{Impressions: 1000, ClicksWithImpressions: 20, Clicks: 20,
		Reported: store.Reported{Impressions: true, Clicks: true}}
	ctr, cr := contentRatios(ad)
	if !ctr.OK || ctr.Value != 0.02 || cr.OK {
		t.Errorf("ad without conversions: CTR %+v, conv rate %+v", ctr, cr)
	}
	visits := store.ContentTotals{Clicks: 40, Sessions: 40, Conversions: 2000,
		Reported: store.Reported{Clicks: true, Sessions: true, Conversions: true}}
	if ctr, cr = contentRatios(visits); ctr.OK || !cr.OK || cr.Value != 0.05 {
		t.Errorf("visits: CTR %+v, conv rate %+v", ctr, cr)
	}
}

// Which of a link's numbers the figures count, from the kinds of source its
// rows came from and which kind counts on its network's days.
func TestLinkCounted(t *testing.T) {
	analyticsRows := store.ContentTotals{Source: "facebook", Reported: store.Reported{Clicks: true, Sessions: true, Conversions: true}}
	analyticsRows.Classes[store.ClassAnalytics] = true
	adRows := store.ContentTotals{Source: "facebook", Reported: store.Reported{Impressions: true, Clicks: true, Conversions: true}}
	adRows.Classes[store.ClassAds] = true
	typedIn := store.ContentTotals{Source: "facebook", Reported: store.Reported{Clicks: true}}
	typedIn.Classes[store.ClassManual] = true
	// 24 days both report (the ads' clicks and the visits' conversions
	// count), 4 days only the ads do (their conversions count).
	var counting [6]store.Counting
	for i := range counting {
		counting[i] = store.Counting{}
	}
	counting[0][store.ClassAds] = 28
	counting[1][store.ClassAds] = 28
	counting[2][store.ClassAnalytics] = 24
	counting[3][store.ClassAnalytics], counting[3][store.ClassAds] = 24, 4
	by := map[string][6]store.Counting{"facebook": counting}
	for _, c := range []struct {
		name string
		ct   store.ContentTotals
		want LinkCounted
	}{
		// The visits' conversions count wherever they were reported: on the
		// ads' 4 days there were none.
		{"visits", analyticsRows, LinkCounted{Clicks: CountedNone, Sessions: CountedAll, Conversions: CountedAll}},
		// The ads' results count on the 4 days alone, and are outranked on
		// the 24: on some days.
		{"ads", adRows, LinkCounted{Impressions: CountedAll, Clicks: CountedAll, Conversions: CountedSome}},
		{"typed in", typedIn, LinkCounted{Clicks: CountedAll}},
	} {
		if got := linkCounted(c.ct, by); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	// Web analytics' impressions never count (the ad platform's or a
	// sheet's do): another source's, even on a network no day of which
	// has impressions counted.
	odd := analyticsRows
	odd.Reported.Impressions = true
	if got := linkCounted(odd, map[string][6]store.Counting{}); got.Impressions != CountedNone || got.Clicks != CountedAll {
		t.Errorf("web analytics' impressions: %+v", got)
	}
}
