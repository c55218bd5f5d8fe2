package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/money"
)

var mkNow = time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)

func mustCampaign(t *testing.T, st *Store, c Campaign) int64 {
	t.Helper()
	id, err := st.CreateCampaign(context.Background(), c, mkNow)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// importRows writes rows as one import and fails the test on error.
func importRows(t *testing.T, st *Store, b ImportBatch, rows ...MarketingRow) ImportResult {
	t.Helper()
	res, err := tryImport(st, b, rows...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func tryImport(st *Store, b ImportBatch, rows ...MarketingRow) (ImportResult, error) {
	ctx := context.Background()
	imp, err := st.BeginImport(ctx, b, mkNow)
	if err != nil {
		return ImportResult{}, err
	}
	for _, r := range rows {
		if err := imp.Add(r); err != nil {
			imp.Rollback()
			return ImportResult{}, err
		}
	}
	return imp.Commit()
}

func eur(minor int64) money.Sums { return money.Sums{{Currency: "EUR", Minor: minor}} }

var (
	day1 = DateDay(2026, 5, 1)
	day2 = DateDay(2026, 5, 2)
)

// spring is a campaign with web analytics and ad platform rows on one
// day, two networks: on facebook both report clicks, conversions and
// revenue, and the precedence rules pick.
func springFixture(t *testing.T) (*Store, int64) {
	st := openTest(t)
	id := mustCampaign(t, st, Campaign{Name: "Spring Sale", StartsOn: "2026-05-01", EndsOn: "2026-05-31",
		BudgetCents: 50000, Currency: "EUR"})
	analytics := ImportBatch{Feed: "plausible", Class: ClassAnalytics, Preset: "plausible", Origin: "api",
		ExportedAt: mkNow.Add(-time.Hour)}
	importRows(t, st, analytics,
		MarketingRow{Day: day1, Campaign: "spring-sale", Source: "mastodon", Content: "post-1", Currency: "EUR",
			Clicks: Known(10), Sessions: Known(10), Conversions: Known(2000), Revenue: Known(4500), Line: 2},
		MarketingRow{Day: day1, Campaign: "spring-sale", Source: "Facebook", Content: "post-2", Currency: "EUR",
			Clicks: Known(35), Sessions: Known(35), Conversions: Known(1000), Revenue: Known(3000), Line: 3},
	)
	ads := ImportBatch{Feed: "meta_ads", Class: ClassAds, Preset: "meta", Origin: "ads.csv", ExportedAt: mkNow.Add(-time.Hour)}
	importRows(t, st, ads,
		MarketingRow{Day: day1, Campaign: "Spring Sale", Source: "fb", Content: "Spring carousel", Currency: "EUR",
			Impressions: Known(1000), Clicks: Known(40), Conversions: Known(3000), Spend: Known(2500), Line: 2},
	)
	return st, id
}

func TestMarketingPrecedence(t *testing.T) {
	st, id := springFixture(t)
	ctx := context.Background()
	got, err := st.MarketingTotals(ctx, MarketingFilter{Campaign: id}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	want := MarketingTotals{
		Impressions: Known(1000),
		Clicks:      Known(10 + 40), // facebook: the ad platform's 40, not web analytics' 35
		Sessions:    Known(45),
		Conversions: Known(3000), // facebook: web analytics' 1, not the ads' 3 results
		// Parts of ratios: clicks where impressions are known (facebook),
		// conversions where sessions/clicks are known (both), clicks
		// where spend is known (facebook).
		ClicksWithImpressions:   Known(40),
		ConversionsWithSessions: Known(3000),
		ConversionsWithClicks:   Known(3000),
		PaidClicks:              Known(40),
		Revenue:                 eur(7500),
		Spend:                   eur(2500),
		SpendOnClicks:           eur(2500),
		Groups:                  2, First: day1, Last: day1,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("totals\n got %+v\nwant %+v", got, want)
	}
	bySource, err := st.MarketingBySource(ctx, MarketingFilter{Campaign: id}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	if len(bySource) != 2 || bySource[0].Source != "facebook" || bySource[1].Source != "mastodon" ||
		bySource[0].Clicks != Known(40) || bySource[1].Impressions.OK {
		t.Errorf("by source %+v", bySource)
	}
	// The trace says which row's clicks count.
	rows, err := st.MarketingRows(ctx, MarketingFilter{Campaign: id, Source: "facebook"}.EveryDay(), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("trace rows %+v", rows)
	}
	for _, r := range rows {
		switch r.Class {
		case ClassAnalytics:
			if r.Counted.Clicks || !r.Counted.Sessions || !r.Counted.Conversions || !r.Counted.Revenue {
				t.Errorf("analytics row counted %+v", r.Counted)
			}
		case ClassAds:
			if !r.Counted.Clicks || !r.Counted.Impressions || r.Counted.Conversions || !r.Counted.Spend {
				t.Errorf("ads row counted %+v", r.Counted)
			}
			if r.Origin != "ads.csv" || r.Line != 2 || r.Campaign != "Spring Sale" {
				t.Errorf("ads row origin %+v", r)
			}
		}
	}
	checkSumsMatchRebuild(t, st)
}

// TestMarketingByDaysMatchesOneByOne reads several filters at once (a
// campaign's, every campaign's, one source's, rows in no campaign, money
// in two currencies, a day with spend alone, a span with nothing) and
// compares each with MarketingByDay of that filter.
func TestMarketingByDaysMatchesOneByOne(t *testing.T) {
	st, id := springFixture(t)
	ctx := context.Background()
	other := mustCampaign(t, st, Campaign{Name: "Autumn", StartsOn: "2026-05-01"})
	importRows(t, st, ImportBatch{Feed: "sheet", Class: ClassSheet, Preset: "sheet", Origin: "sheet.csv", ExportedAt: mkNow},
		MarketingRow{Day: day2, Campaign: "spring-sale", Source: "mastodon", Content: "post-1", Currency: "USD",
			Clicks: Known(3), Conversions: Known(500), Revenue: Known(1200), Line: 2},
		MarketingRow{Day: day2, Campaign: "autumn", Source: "bluesky", Content: "post-9", Currency: "EUR",
			Clicks: Known(7), Line: 3},
		MarketingRow{Day: day1, Campaign: "", Source: "mastodon", Content: "", Currency: "EUR",
			Sessions: Known(4), Line: 4},
		MarketingRow{Day: day2.Add(1), Campaign: "autumn", Source: "flyer", Content: "", Currency: "EUR",
			Spend: Known(900), Line: 5},
	)
	fs := []MarketingFilter{
		MarketingFilter{Campaign: id}.EveryDay(),
		{Campaign: AllCampaigns, From: day1, To: day2.Add(1)},
		{Campaign: AllCampaigns, From: day2, To: day2, Source: "mastodon"},
		{Campaign: other, From: day1, To: day2.Add(5)},
		{Campaign: 0, From: day1, To: day2},
		{Campaign: id, From: day2.Add(10), To: day2.Add(20)},
		{Campaign: id, From: day1, To: day1, Source: "fb"},
	}
	// Each filter alone, read by its key, is what groupedTotals adds up
	// for it day by day. No row is older than day1: the days read one by
	// one begin a few before it, not at an open filter's first day.
	for _, f := range fs {
		var want []DayTotals
		for d := max(f.From, day1.Add(-3)); d <= f.To && d <= day2.Add(20); d++ {
			one := f
			one.From, one.To = d, d
			var tot MarketingTotals
			if err := st.groupedTotals(ctx, "", one, nil, func(any) *MarketingTotals { return &tot }); err != nil {
				t.Fatal(err)
			}
			if tot.Groups > 0 || len(tot.Spend)+len(tot.Revenue) > 0 {
				want = append(want, DayTotals{Day: d, MarketingTotals: tot})
			}
		}
		got, err := st.MarketingByDay(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("filter %+v by day\n got %+v\nwant %+v", f, got, want)
		}
	}
	// All at once, each with every sum, with some, or with money alone.
	for _, fields := range []Fields{AllFields, FieldConversions, FieldMoney, FieldClicks | FieldMoney} {
		qs := make([]DaysQuery, len(fs))
		for i, f := range fs {
			qs[i] = DaysQuery{f, fields}
		}
		got, err := st.MarketingByDays(ctx, qs)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range fs {
			want, err := st.MarketingByDay(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var kept []DayTotals
			for _, d := range want {
				k := DayTotals{Day: d.Day}
				if fields&^FieldMoney != 0 {
					k.Groups, k.First, k.Last = d.Groups, d.First, d.Last
				}
				for _, c := range countFields {
					if fields&c.field != 0 {
						*c.num(&k.MarketingTotals) = *c.num(&d.MarketingTotals)
					}
				}
				if fields&FieldMoney != 0 {
					k.Revenue, k.Spend, k.SpendOnClicks = d.Revenue, d.Spend, d.SpendOnClicks
				}
				if k.Groups > 0 || len(k.Revenue)+len(k.Spend)+len(k.SpendOnClicks) > 0 {
					kept = append(kept, k)
				}
			}
			if len(kept) == 0 && len(got[i]) == 0 {
				continue
			}
			if !reflect.DeepEqual(got[i], kept) {
				t.Errorf("fields %b, filter %+v\n got %+v\nwant %+v", fields, f, got[i], kept)
			}
		}
		if fields == AllFields && (len(got[1]) != 3 || len(got[0]) != 2) {
			t.Errorf("the fixture lost its days: %+v", got)
		}
	}
}

// checkSumsMatchRebuild compares what imports, triggers and moves left in
// the sum tables with a rebuild from the rows.
func checkSumsMatchRebuild(t *testing.T, st *Store) {
	t.Helper()
	ctx := context.Background()
	dump := func() string {
		var b strings.Builder
		for _, q := range []string{
			"SELECT * FROM marketing_days ORDER BY campaign_id, day, source",
			"SELECT * FROM marketing_day_money ORDER BY campaign_id, day, source, currency",
			"SELECT * FROM marketing_contents ORDER BY campaign_id, source, content",
			"SELECT * FROM marketing_content_money ORDER BY campaign_id, source, content, currency",
		} {
			rows, err := st.db.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintln(&b, vals...)
			}
			rows.Close()
			b.WriteString("--\n")
		}
		return b.String()
	}
	before := dump()
	if err := st.RebuildMarketingSums(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dump(); before != after {
		t.Errorf("sums kept along the way differ from a rebuild:\nkept:\n%s\nrebuilt:\n%s", before, after)
	}
}

func TestImportIsIdempotentAndNewerReplaces(t *testing.T) {
	st, id := springFixture(t)
	ctx := context.Background()
	ads := func(at time.Time, clicks int64) ImportBatch {
		return ImportBatch{Feed: "meta_ads", Class: ClassAds, Preset: "meta", Origin: "ads.csv", ExportedAt: at}
	}
	row := func(clicks, spend int64) MarketingRow {
		return MarketingRow{Day: day1, Campaign: "Spring Sale", Source: "facebook", Content: "Spring carousel",
			Currency: "EUR", Impressions: Known(1000), Clicks: Known(clicks), Conversions: Known(3000), Spend: Known(spend), Line: 2}
	}
	total := func() MarketingTotals {
		t.Helper()
		tot, err := st.MarketingTotals(ctx, MarketingFilter{Campaign: id}.EveryDay())
		if err != nil {
			t.Fatal(err)
		}
		return tot
	}
	before := total()
	// The same export again: the same rows, nothing counted twice.
	res := importRows(t, st, ads(mkNow.Add(-time.Hour), 40), row(40, 2500))
	if res.Written != 1 || res.Kept != 0 {
		t.Errorf("re-import result %+v", res)
	}
	if got := total(); !reflect.DeepEqual(got, before) {
		t.Errorf("re-import changed the totals:\n%+v\n%+v", got, before)
	}
	// A newer export of the same day (the platform's numbers settled):
	// its values replace the older's.
	importRows(t, st, ads(mkNow, 52), row(52, 2700))
	got := total()
	if got.Clicks != Known(62) || !reflect.DeepEqual(got.Spend, eur(2700)) {
		t.Errorf("after the newer export: clicks %v spend %v", got.Clicks, got.Spend)
	}
	// The older export imported after it changes nothing.
	res = importRows(t, st, ads(mkNow.Add(-2*time.Hour), 40), row(40, 2500))
	if res.Written != 0 || res.Kept != 1 {
		t.Errorf("older export result %+v", res)
	}
	if again := total(); !reflect.DeepEqual(again, got) {
		t.Errorf("an older export changed the totals")
	}
	checkSumsMatchRebuild(t, st)
}

func TestImportAddsLinesOfOneKey(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	id := mustCampaign(t, st, Campaign{Name: "Bread Club"})
	b := ImportBatch{Feed: "meta_ads", Class: ClassAds, Preset: "meta", Origin: "by-ad-set.csv", ExportedAt: mkNow}
	// Two ad sets of one ad on one day: crier keeps the ad, not the set.
	res := importRows(t, st, b,
		MarketingRow{Day: day1, Campaign: "bread-club", Source: "instagram", Content: "Loaf video", Currency: "EUR",
			Impressions: Known(500), Clicks: Known(5), Spend: Known(700), Line: 2},
		MarketingRow{Day: day1, Campaign: "bread-club", Source: "instagram", Content: "Loaf video", Currency: "EUR",
			Impressions: Known(300), Clicks: Known(4), Spend: Known(450), Line: 3},
		MarketingRow{Day: day2, Campaign: "bread-club", Source: "instagram", Content: "Loaf video", Currency: "EUR",
			Impressions: Known(100), Line: 4},
	)
	if res.Written != 3 || res.Lines != 3 || res.First != day1 || res.Last != day2 || res.Campaigns["bread-club"] != id {
		t.Errorf("result %+v", res)
	}
	tot, err := st.MarketingTotals(ctx, MarketingFilter{Campaign: id}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	if tot.Impressions != Known(900) || tot.Clicks != Known(9) || !reflect.DeepEqual(tot.Spend, eur(1150)) ||
		tot.ClicksWithImpressions != Known(9) {
		t.Errorf("totals %+v", tot)
	}
	// Re-importing the same file gives the same sums, not doubled ones.
	importRows(t, st, b,
		MarketingRow{Day: day1, Campaign: "bread-club", Source: "instagram", Content: "Loaf video", Currency: "EUR",
			Impressions: Known(500), Clicks: Known(5), Spend: Known(700), Line: 2},
		MarketingRow{Day: day1, Campaign: "bread-club", Source: "instagram", Content: "Loaf video", Currency: "EUR",
			Impressions: Known(300), Clicks: Known(4), Spend: Known(450), Line: 3},
	)
	tot2, _ := st.MarketingTotals(ctx, MarketingFilter{Campaign: id}.EveryDay())
	if tot2.Impressions != Known(900) || tot2.Clicks != Known(9) {
		t.Errorf("after re-import %+v", tot2)
	}
	cs, err := st.CampaignContents(ctx, id, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Impressions != 900 || cs[0].Clicks != 9 || cs[0].ClicksWithImpressions != 9 ||
		!reflect.DeepEqual(cs[0].Spend, eur(1150)) {
		t.Errorf("contents %+v", cs)
	}
	checkSumsMatchRebuild(t, st)
}

func rowCount(t *testing.T, st *Store) (rows, batches int) {
	t.Helper()
	if err := st.db.QueryRow("SELECT (SELECT count(*) FROM marketing_rows), (SELECT count(*) FROM marketing_imports)").
		Scan(&rows, &batches); err != nil {
		t.Fatal(err)
	}
	return rows, batches
}

func TestImportRefusesTwoCurrenciesForOneKey(t *testing.T) {
	st, _ := springFixture(t)
	rows0, batches0 := rowCount(t, st)
	_, err := tryImport(st, ImportBatch{Feed: "sheet", Class: ClassSheet, Preset: "plain", Origin: "sheet.csv"},
		MarketingRow{Day: day2, Campaign: "spring-sale", Source: "flyer", Content: "a", Currency: "EUR", Spend: Known(100), Line: 2},
		MarketingRow{Day: day2, Campaign: "spring-sale", Source: "flyer", Content: "b", Currency: "USD", Spend: Known(100), Line: 3},
		MarketingRow{Day: day2, Campaign: "spring-sale", Source: "flyer", Content: "a", Currency: "USD", Spend: Known(100), Line: 4},
	)
	var mixed *MixedCurrencyError
	if !errors.As(err, &mixed) || mixed.Line != 2 || !reflect.DeepEqual(mixed.Currencies, []string{"EUR", "USD"}) {
		t.Fatalf("err = %v", err)
	}
	if r, b := rowCount(t, st); r != rows0 || b != batches0 {
		t.Errorf("a refused import left rows %d->%d, batches %d->%d", rows0, r, batches0, b)
	}
	// Two currencies on different keys are fine, and never added together.
	importRows(t, st, ImportBatch{Feed: "sheet", Class: ClassSheet, Preset: "plain", Origin: "sheet.csv"},
		MarketingRow{Day: day2, Campaign: "spring-sale", Source: "flyer", Content: "a", Currency: "EUR", Spend: Known(100), Line: 2},
		MarketingRow{Day: day2, Campaign: "spring-sale", Source: "flyer", Content: "b", Currency: "USD", Spend: Known(250), Line: 3},
	)
	tot, err := st.MarketingTotals(context.Background(), MarketingFilter{Campaign: AllCampaigns, Source: "flyer"}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	if want := (money.Sums{{Currency: "EUR", Minor: 100}, {Currency: "USD", Minor: 250}}); !reflect.DeepEqual(tot.Spend, want) {
		t.Errorf("spend %v, want %v", tot.Spend, want)
	}
}

func TestImportRollbackLeavesNothing(t *testing.T) {
	st, _ := springFixture(t)
	ctx := context.Background()
	rows0, batches0 := rowCount(t, st)
	imp, err := st.BeginImport(ctx, ImportBatch{Feed: "ga4", Class: ClassAnalytics, Preset: "ga4", Origin: "x.csv"}, mkNow)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2*marketingInsertRows + 5 { // more than one statement's worth
		if err := imp.Add(MarketingRow{Day: day1.Add(i), Campaign: "spring-sale", Source: "bluesky",
			Content: "post-9", Sessions: Known(1), Line: i + 2}); err != nil {
			t.Fatal(err)
		}
	}
	imp.Rollback()
	if r, b := rowCount(t, st); r != rows0 || b != batches0 {
		t.Errorf("rolled back import left rows %d->%d, batches %d->%d", rows0, r, batches0, b)
	}
	// The connection went back to the pool usable.
	if _, err := st.MarketingTotals(ctx, MarketingFilter{Campaign: AllCampaigns}.EveryDay()); err != nil {
		t.Fatal(err)
	}
}

func TestCampaignNamesMapAndMove(t *testing.T) {
	st, spring := springFixture(t)
	ctx := context.Background()
	importRows(t, st, ImportBatch{Feed: "google_ads", Class: ClassAds, Preset: "google_ads", Origin: "g.csv", ExportedAt: mkNow},
		MarketingRow{Day: day1, Campaign: "SPRING_Search_DE", Source: "google", Content: "", Currency: "EUR",
			Impressions: Known(2000), Clicks: Known(30), Spend: Known(1800), Line: 4},
		MarketingRow{Day: day1, Campaign: "Summer Fair", Source: "google", Currency: "EUR",
			Impressions: Known(100), Clicks: Known(1), Spend: Known(90), Line: 5},
	)
	names, err := st.CampaignNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]CampaignName{}
	for _, n := range names {
		byName[n.Name] = n
	}
	if byName["SPRING_Search_DE"].CampaignID != 0 || byName["Spring Sale"].CampaignID != spring ||
		byName["spring-sale"].CampaignID != spring || byName["Summer Fair"].CampaignID != 0 {
		t.Fatalf("names %+v", byName)
	}
	none, _ := st.MarketingTotals(ctx, MarketingFilter{Campaign: 0}.EveryDay())
	if none.Clicks != Known(31) {
		t.Errorf("rows in no campaign: %+v", none)
	}
	if err := st.MapCampaignName(ctx, "SPRING_Search_DE", spring, mkNow); err != nil {
		t.Fatal(err)
	}
	tot, _ := st.MarketingTotals(ctx, MarketingFilter{Campaign: spring}.EveryDay())
	if tot.Clicks != Known(80) || !reflect.DeepEqual(tot.Spend, eur(4300)) {
		t.Errorf("after mapping: clicks %v spend %v", tot.Clicks, tot.Spend)
	}
	// A campaign created later takes the rows of the names that give its slug.
	fair := mustCampaign(t, st, Campaign{Name: "Summer fair"})
	fairTot, _ := st.MarketingTotals(ctx, MarketingFilter{Campaign: fair}.EveryDay())
	if fairTot.Clicks != Known(1) {
		t.Errorf("summer fair %+v", fairTot)
	}
	checkSumsMatchRebuild(t, st)
	// Unmapping puts the rows back in no campaign; deleting a campaign
	// leaves its rows in none.
	if err := st.MapCampaignName(ctx, "SPRING_Search_DE", 0, mkNow); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteCampaign(ctx, fair); err != nil {
		t.Fatal(err)
	}
	none, _ = st.MarketingTotals(ctx, MarketingFilter{Campaign: 0}.EveryDay())
	if none.Clicks != Known(31) {
		t.Errorf("after unmapping and deleting: %+v", none)
	}
	checkSumsMatchRebuild(t, st)
}

func TestSlugChangeKeepsOldLinksCounting(t *testing.T) {
	st, spring := springFixture(t)
	ctx := context.Background()
	c, err := st.Campaign(ctx, spring)
	if err != nil {
		t.Fatal(err)
	}
	c.Slug = "spring-2026"
	if err := st.UpdateCampaign(ctx, c, mkNow); err != nil {
		t.Fatal(err)
	}
	// A later Plausible pull still sees the old slug on old links.
	importRows(t, st, ImportBatch{Feed: "plausible", Class: ClassAnalytics, Preset: "plausible", Origin: "api", ExportedAt: mkNow},
		MarketingRow{Day: day2, Campaign: "spring-sale", Source: "bluesky", Content: "post-3", Sessions: Known(7), Clicks: Known(7)})
	tot, _ := st.MarketingTotals(ctx, MarketingFilter{Campaign: spring, Source: "bluesky"}.EveryDay())
	if tot.Sessions != Known(7) {
		t.Errorf("old slug's rows: %+v", tot)
	}
}

func TestManualEntries(t *testing.T) {
	st, spring := springFixture(t)
	ctx := context.Background()
	e := ManualEntry{Day: day1, CampaignID: spring, Source: "Flyer", Label: "500 flyers", Currency: "EUR", Spend: Known(6000)}
	if _, err := st.AddManualEntry(ctx, e, mkNow); err != nil {
		t.Fatal(err)
	}
	// Typed in twice (an edit): one entry.
	e.Spend = Known(6500)
	if _, err := st.AddManualEntry(ctx, e, mkNow.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// A boosted post on facebook adds to the ad platform's spend there.
	boost := ManualEntry{Day: day1, CampaignID: spring, Source: "facebook", Label: "boost", Currency: "EUR", Spend: Known(1000)}
	if _, err := st.AddManualEntry(ctx, boost, mkNow); err != nil {
		t.Fatal(err)
	}
	tot, _ := st.MarketingTotals(ctx, MarketingFilter{Campaign: spring}.EveryDay())
	if !reflect.DeepEqual(tot.Spend, eur(2500+6500+1000)) {
		t.Errorf("spend %v", tot.Spend)
	}
	list, err := st.ManualEntries(ctx, day1, day1)
	if err != nil || len(list) != 2 {
		t.Fatalf("manual entries %+v %v", list, err)
	}
	if err := st.DeleteManualEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
	tot, _ = st.MarketingTotals(ctx, MarketingFilter{Campaign: spring}.EveryDay())
	if !reflect.DeepEqual(tot.Spend, eur(3500)) {
		t.Errorf("spend after delete %v", tot.Spend)
	}
	for _, bad := range []ManualEntry{
		{Day: day1, Source: "flyer", Spend: Known(1), Currency: "EUR"},
		{Day: day1, Source: "", Label: "x", Spend: Known(1), Currency: "EUR"},
		{Day: day1, Source: "flyer", Label: "x", Spend: Known(1), Currency: "euro"},
		{Day: day1, Source: "flyer", Label: "x"},
	} {
		if _, err := st.AddManualEntry(ctx, bad, mkNow); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	checkSumsMatchRebuild(t, st)
}

func TestCampaignsAndGoals(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	id := mustCampaign(t, st, Campaign{Name: "  Café Crème Week (Mai 2026) ", StartsOn: "2026-05-04", EndsOn: "2026-05-10",
		BudgetCents: 12000, Audience: "office workers nearby; they care about speed"})
	c, err := st.Campaign(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Slug != "cafe-creme-week-mai-2026" || c.Name != "Café Crème Week (Mai 2026)" || c.Currency != "EUR" {
		t.Errorf("campaign %+v", c)
	}
	for day, want := range map[Day]CampaignState{
		DateDay(2026, 5, 3): CampaignPlanned, DateDay(2026, 5, 4): CampaignRunning,
		DateDay(2026, 5, 10): CampaignRunning, DateDay(2026, 5, 11): CampaignEnded,
	} {
		if got := c.State(day); got != want {
			t.Errorf("%s: %s, want %s", day, got, want)
		}
	}
	for _, bad := range []struct {
		c     Campaign
		field string
	}{
		{Campaign{Name: ""}, "name"},
		{Campaign{Name: "x", Slug: "Not A Slug"}, "slug"},
		{Campaign{Name: "!!!"}, "slug"},
		{Campaign{Name: "x", StartsOn: "5/4/2026"}, "starts_on"},
		{Campaign{Name: "x", StartsOn: "2026-05-04", EndsOn: "2026-05-01"}, "ends_on"},
		{Campaign{Name: "x", Currency: "eur"}, "currency"},
		{Campaign{Name: "x", BudgetCents: -1}, "budget"},
		{Campaign{Name: "Other", Slug: "cafe-creme-week-mai-2026"}, "slug"},
		{Campaign{Name: "Café Crème Week (Mai 2026)", Slug: "other"}, "name"},
	} {
		_, err := st.CreateCampaign(ctx, bad.c, mkNow)
		var ce *CampaignError
		if !errors.As(err, &ce) || ce.Field != bad.field {
			t.Errorf("%+v: err %v, want a %s error", bad.c, err, bad.field)
		}
	}
	if got, err := st.CampaignBySlug(ctx, "cafe-creme-week-mai-2026"); err != nil || got.ID != id {
		t.Errorf("by slug %+v %v", got, err)
	}
	if _, err := st.CampaignBySlug(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing slug: %v", err)
	}

	goals := []Goal{
		{CampaignID: id, Metric: GoalConversions, Relative: true, Target: 1500, StartsOn: DateDay(2026, 5, 4),
			Deadline: DateDay(2026, 5, 10), BaselineFrom: DateDay(2026, 4, 27), BaselineTo: DateDay(2026, 5, 3)},
		{Metric: GoalFollowers, Target: 1000, StartsOn: DateDay(2026, 1, 1), Deadline: DateDay(2026, 6, 30)},
		{Metric: GoalCPA, Target: 500, Currency: "EUR", StartsOn: DateDay(2026, 1, 1), Deadline: DateDay(2026, 3, 31)},
	}
	for i := range goals {
		if goals[i].ID, err = st.AddGoal(ctx, goals[i], mkNow); err != nil {
			t.Fatal(err)
		}
	}
	// On 5 May: the campaign's goal and the followers goal are open (the
	// soonest deadline first), the CPA goal is past.
	all, err := st.Goals(ctx, DateDay(2026, 5, 5))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != goals[0].ID || all[1].ID != goals[1].ID || all[2].ID != goals[2].ID {
		t.Errorf("goal order %+v", all)
	}
	if !all[0].Relative || all[0].BaselineTo != DateDay(2026, 5, 3) || all[2].Currency != "EUR" {
		t.Errorf("goals read back %+v", all)
	}
	cg, _ := st.CampaignGoals(ctx, id)
	if len(cg) != 1 {
		t.Errorf("campaign goals %+v", cg)
	}
	for _, bad := range []Goal{
		{Metric: "likes", Target: 1, StartsOn: 1, Deadline: 2},
		{Metric: GoalRevenue, Target: 1, StartsOn: 1, Deadline: 2},
		{Metric: GoalRepliesWithin, Target: 9000, StartsOn: 1, Deadline: 2},
		{Metric: GoalClicksOrPanic(), Target: 1, StartsOn: 5, Deadline: 2},
		{Metric: GoalConversions, Relative: true, Target: 1500, StartsOn: 10, Deadline: 20, BaselineFrom: 5, BaselineTo: 10},
	} {
		if _, err := st.AddGoal(ctx, bad, mkNow); err == nil {
			t.Errorf("goal %+v accepted", bad)
		}
	}
	// Deleting the campaign deletes its goals, not the others.
	if err := st.DeleteCampaign(ctx, id); err != nil {
		t.Fatal(err)
	}
	all, _ = st.Goals(ctx, DateDay(2026, 5, 20))
	if len(all) != 2 {
		t.Errorf("goals after deleting the campaign: %d", len(all))
	}
}

// TestDeleteCampaignKeepsWhatItHeld: the question before a delete counts
// what the campaign holds, and after it the posts, the imported rows and
// the tagged links are all still there, in no campaign; only the campaign,
// its goals and the names mapped to it go.
func TestDeleteCampaignKeepsWhatItHeld(t *testing.T) {
	st, spring := springFixture(t)
	ctx := context.Background()
	acct := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	pid, err := st.SaveDraft(ctx, Post{Body: "Spring is here https://shop.example/spring", CampaignID: spring,
		Targets: []Target{{AccountID: acct}}}, mkNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordTaggedLinks(ctx, []TaggedLink{{PostID: pid, AccountID: acct, URL: "https://shop.example/spring",
		Tagged: "https://shop.example/spring?utm_campaign=spring-sale", CampaignID: spring, Source: "mastodon",
		Content: "post-1"}}, mkNow); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddGoal(ctx, Goal{CampaignID: spring, Metric: GoalLinkClicks, Target: 100, StartsOn: day1,
		Deadline: day1.Add(30)}, mkNow); err != nil {
		t.Fatal(err)
	}
	if err := st.MapCampaignName(ctx, "Spring Sale", spring, mkNow); err != nil {
		t.Fatal(err)
	}
	before, err := st.MarketingTotals(ctx, MarketingFilter{Campaign: AllCampaigns}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.CampaignFootprint(ctx, spring)
	if err != nil {
		t.Fatal(err)
	}
	if want := (CampaignFootprint{Posts: 1, Goals: 1, Rows: 3, Links: 1, MappedNames: 1}); f != want {
		t.Errorf("footprint %+v, want %+v", f, want)
	}
	if err := st.DeleteCampaign(ctx, spring); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Campaign(ctx, spring); !errors.Is(err, ErrNotFound) {
		t.Errorf("the campaign is still there: %v", err)
	}
	p, err := st.Post(ctx, pid)
	if err != nil || p.CampaignID != 0 || p.Body != "Spring is here https://shop.example/spring" {
		t.Errorf("the post after the delete: %+v, %v", p, err)
	}
	links, err := st.PostTaggedLinks(ctx, pid)
	if err != nil || len(links) != 1 || links[0].CampaignID != 0 || !strings.Contains(links[0].Tagged, "utm_campaign=spring-sale") {
		t.Errorf("the tagged links after the delete: %+v, %v", links, err)
	}
	after, err := st.MarketingTotals(ctx, MarketingFilter{Campaign: AllCampaigns}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	none, err := st.MarketingTotals(ctx, MarketingFilter{Campaign: 0}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) || !reflect.DeepEqual(none, after) {
		t.Errorf("the rows after the delete: all %+v, in none %+v; before %+v", after, none, before)
	}
	if f, err := st.CampaignFootprint(ctx, spring); err != nil || f != (CampaignFootprint{}) {
		t.Errorf("footprint after the delete %+v, %v", f, err)
	}
	checkSumsMatchRebuild(t, st)
}

// GoalClicksOrPanic is the link-clicks metric (a helper so the table
// above reads as data).
func GoalClicksOrPanic() GoalMetric { return GoalLinkClicks }

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Spring Sale":                 "spring-sale",
		"Sourdough School (May 2026)": "sourdough-school-may-2026",
		"Straße & Brötchen":           "strasse-brotchen",
		"  --Hello--World--  ":        "hello-world",
		"日本語":                         "",
		"Q3/2026: 10% off!":           "q3-2026-10-off",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int64{"post-12": 12, "post-12-a3": 12, "post-0": 0, "post-": 0, "post-12x": 0, "ad": 0} {
		if got := PostOfContent(in); got != want {
			t.Errorf("PostOfContent(%q) = %d, want %d", in, got, want)
		}
	}
	if PostContent(12, 3, true) != "post-12-a3" || PostContent(12, 3, false) != "post-12" {
		t.Error("PostContent")
	}
}

// TestMigrationGivesSlugs opens a version-4 database holding campaigns and
// checks that migration 5 gives each a unique slug.
func TestMigrationGivesSlugs(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/old.db"
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	// Take it back to version 4's campaigns table.
	for _, q := range []string{
		"DROP INDEX campaigns_slug", "DROP INDEX campaigns_starts",
		"ALTER TABLE campaigns DROP COLUMN slug", "ALTER TABLE campaigns DROP COLUMN audience",
		"ALTER TABLE campaigns DROP COLUMN updated_at",
		"DROP TABLE goals", "DROP TABLE tagged_links", "DROP TABLE marketing_imports", "DROP TABLE marketing_rows",
		"DROP TABLE marketing_days", "DROP TABLE marketing_day_money", "DROP TABLE marketing_contents",
		"DROP TABLE marketing_layouts", "DROP TABLE marketing_campaign_names", "DROP TABLE marketing_content_money",
		"DROP INDEX posts_campaign_time",
		// and before version 6's (timing), which is made again after it
		"DROP TABLE queue_slots", "DROP TABLE queue_settings", "DROP TABLE queue_entries", "DROP INDEX deliveries_account_due",
		"DROP TABLE recurrence_posts", "DROP TABLE recurrences", "DROP TABLE evergreen_shares", "DROP TABLE evergreen",
		"DROP TABLE feed_entries", "DROP TABLE feeds", "DROP TABLE ab_test_accounts", "DROP TABLE ab_plan",
		"DROP TABLE ab_variants", "DROP TABLE ab_tests", "DROP TABLE competitor_posts", "DROP TABLE competitor_snapshots",
		"DROP TABLE competitors", "DROP INDEX inbox_fans", "DROP INDEX inbox_author",
		"INSERT INTO campaigns (name, created_at) VALUES ('Spring Sale!', 1), ('spring sale', 2), ('???', 3)",
		"PRAGMA user_version = 4",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, err := st.Campaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slugs := map[string]string{}
	for _, c := range cs {
		slugs[c.Name] = c.Slug
	}
	want := map[string]string{"Spring Sale!": "spring-sale", "spring sale": "spring-sale-2", "???": "campaign-3"}
	if !reflect.DeepEqual(slugs, want) {
		t.Errorf("slugs %v, want %v", slugs, want)
	}
}

func TestTaggedLinksAndPosts(t *testing.T) {
	st, spring := springFixture(t)
	ctx := context.Background()
	m := mustAccount(t, st, PlatformMastodon, "@bakery@example.social")
	pid, err := st.SaveDraft(ctx, Post{Body: "Spring loaves https://bakery.example/spring", CampaignID: spring,
		Targets: []Target{{AccountID: m}}}, mkNow)
	if err != nil {
		t.Fatal(err)
	}
	link := TaggedLink{PostID: pid, AccountID: m, URL: "https://bakery.example/spring", CampaignID: spring,
		Tagged: "https://bakery.example/spring?utm_source=mastodon", Source: "mastodon", Content: PostContent(pid, m, false)}
	if err := st.RecordTaggedLinks(ctx, []TaggedLink{link, link}, mkNow); err != nil {
		t.Fatal(err)
	}
	links, err := st.CampaignLinks(ctx, spring, 10)
	if err != nil || len(links) != 1 || links[0].Tagged != link.Tagged {
		t.Fatalf("links %+v %v", links, err)
	}
	importRows(t, st, ImportBatch{Feed: "plausible", Class: ClassAnalytics, Preset: "plausible", Origin: "api", ExportedAt: mkNow},
		MarketingRow{Day: day2, Campaign: "spring-sale", Source: "mastodon", Content: PostContent(pid, m, false),
			Sessions: Known(12), Clicks: Known(12), Conversions: Known(1000), Revenue: Known(900), Currency: "EUR"})
	posts, err := st.CampaignPosts(ctx, spring, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's Plausible rows named post-1 on mastodon already (10
	// visits, 2 conversions, €45): this draft is post 1.
	if len(posts) != 1 || posts[0].PostID != pid || posts[0].Links.Clicks != 22 || posts[0].Links.Conversions != 3000 ||
		!reflect.DeepEqual(posts[0].Links.Revenue, eur(5400)) || posts[0].State != "" {
		t.Errorf("campaign posts %+v", posts)
	}
}

// TestMarketingQueriesUseIndexes checks every marketing query's plan.
func TestMarketingQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	one := MarketingFilter{Campaign: 3, From: 1, To: 9}
	all := MarketingFilter{Campaign: AllCampaigns, From: 1, To: 9, Source: "x"}
	type check struct {
		q    string
		args []any
		want []string
	}
	var checks []check
	// A copies' query for two accounts: its post's contents on the copy's
	// network are looked up by the post.
	copies := func(q, account string, args []any, want ...string) check {
		q, args = copyQuery(q, account, []Account{{ID: 1, Platform: PlatformMastodon}, {ID: 2, Platform: PlatformBluesky}}, args)
		return check{q, args, append(want, "SEARCH c USING INDEX marketing_contents_post (post_id=?)",
			"SEARCH m USING PRIMARY KEY (campaign_id=? AND source=? AND content=?)")}
	}
	for _, g := range []string{"", "day", "source"} {
		c, m, args := totalsQueries(g, one)
		checks = append(checks,
			check{c, args, []string{"SEARCH marketing_days USING PRIMARY KEY (campaign_id=? AND day>? AND day<?)"}},
			check{m, args, []string{"SEARCH marketing_day_money USING PRIMARY KEY (campaign_id=? AND day>? AND day<?)"}})
		c, m, args = totalsQueries(g, all)
		checks = append(checks,
			check{c, args, []string{"SEARCH marketing_days USING INDEX marketing_days_day (day>? AND day<?)"}},
			check{m, args, []string{"SEARCH marketing_day_money USING INDEX marketing_day_money_day (day>? AND day<?)"}})
	}
	q1, a1 := traceSQL(one)
	qa, aa := traceSQL(all)
	many := []DaysQuery{{one, AllFields}, {all, AllFields}}
	for _, c := range []struct{ table, cols, group string }{{"marketing_days", totalsColumns, ""},
		{"marketing_day_money", moneyColumns, ", currency"}} {
		q, args, err := daysSQL(many, []int{0, 1}, c.cols, c.table, c.group)
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks, check{q, args, []string{"SEARCH m USING PRIMARY KEY (campaign_id=? AND day>? AND day<?)",
			"SEARCH m USING INDEX " + c.table + "_day (day>? AND day<?)"}})
		q, args, err = daysSQL(many, []int{0}, c.cols, c.table, c.group)
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks, check{q, args, []string{"SEARCH " + c.table + " USING PRIMARY KEY (campaign_id=? AND day>? AND day<?)"}})
	}
	checks = append(checks,
		check{campaignsTotalsSQL, nil, []string{"SEARCH marketing_days USING PRIMARY KEY (campaign_id>?)"}},
		check{campaignsSourceClicksSQL, []any{`["mastodon"]`}, []string{"SEARCH marketing_days USING PRIMARY KEY (campaign_id>?)"}},
		check{campaignsMoneySQL, nil, []string{"SEARCH marketing_day_money USING PRIMARY KEY (campaign_id>?)"}},
		check{campaignContentsSQL, []any{1, 10, 0}, []string{"SEARCH marketing_contents USING INDEX marketing_contents_top (campaign_id=?)",
			"SEARCH m USING PRIMARY KEY (campaign_id=? AND source=? AND content=?)"}},
		check{campaignContentsCountSQL, []any{1}, []string{"SEARCH marketing_contents USING COVERING INDEX marketing_contents_top (campaign_id=?)"}},
		check{postContentsSQL, []any{1}, []string{"SEARCH c USING INDEX marketing_contents_post (post_id=?)",
			"SEARCH m USING PRIMARY KEY (campaign_id=? AND source=? AND content=?)"}},
		check{q1, append(a1, 10, 0), []string{"SEARCH m USING PRIMARY KEY (campaign_id=? AND day>? AND day<?)",
			"SEARCH d USING PRIMARY KEY (campaign_id=? AND day=? AND source=?)", "SEARCH i USING INTEGER PRIMARY KEY"}},
		check{qa, append(aa, 10, 0), []string{"SEARCH m USING PRIMARY KEY (campaign_id=? AND day>? AND day<?)"}},
		check{manualEntriesSQL, []any{1, 2}, []string{"SEARCH m USING INDEX marketing_rows_manual (day>? AND day<?)"}},
		check{marketingMixedSQL, []any{1}, []string{"SEARCH marketing_rows USING INDEX marketing_rows_mixed (batch_id=?)"}},
		check{marketingImportsSQL, []any{10}, []string{"SCAN marketing_imports"}}, // newest first by id: the table's own order
		check{importsOfFileSQL, []any{"a", "b"}, []string{"SEARCH marketing_imports USING INDEX marketing_imports_feed (feed=?)"}},
		check{feedImportsOverSQL, []any{"a", 1, 2}, []string{"SEARCH marketing_imports USING INDEX marketing_imports_feed (feed=?)"}},
		check{campaignLinksSQL, []any{1, 10}, []string{"SEARCH tagged_links USING INDEX tagged_links_campaign (campaign_id=?)"}},
		check{contentLinksSQL, []any{1, `["a"]`}, []string{"SEARCH tagged_links USING INDEX tagged_links_campaign (campaign_id=? AND content=?)"}},
		check{postTaggedLinksSQL, []any{1}, []string{"SEARCH tagged_links USING PRIMARY KEY (post_id=?)"}},
		copies(campaignPostsSQL, "t.account_id", []any{1, 10, 0}, "SEARCH posts USING COVERING INDEX posts_campaign_time (campaign_id=?)",
			"SEARCH t USING PRIMARY KEY (post_id=?)", "SEARCH d USING INDEX sqlite_autoindex_deliveries_2 (post_id=? AND account_id=?)"),
		check{campaignPostCountSQL, []any{1}, []string{"SEARCH posts USING COVERING INDEX posts_campaign_time (campaign_id=?)"}},
		copies(campaignSentPostsSQL, "d.account_id", []any{1, 2, 3}, "SEARCH p USING INDEX posts_campaign_time (campaign_id=? AND <expr>>? AND <expr><?)"),
		copies(sentPostsSQL, "d.account_id", []any{1, 2}, "SEARCH d USING INDEX deliveries_sent (sent_at>? AND sent_at<?)"),
		check{publishedSQL, []any{1, 2}, []string{"SEARCH d USING INDEX deliveries_account_published (account_id=? AND sent_at>? AND sent_at<?)"}},
		check{campaignPublishedSQL, []any{1, 2, 3}, []string{"posts_campaign (campaign_id=?)"}},
		check{repliesByDaySQL, []any{"[[1,2]]", 3}, []string{"SEARCH i USING COVERING INDEX inbox_replied_in_time (received_at>? AND received_at<?)"}},
		check{campaignFootprintSQL, []any{1}, []string{"posts USING COVERING INDEX posts_campaign (campaign_id=?)",
			"goals USING COVERING INDEX goals_campaign (campaign_id=?)", "marketing_rows USING PRIMARY KEY (campaign_id=?)",
			"tagged_links USING COVERING INDEX tagged_links_campaign (campaign_id=?)",
			"marketing_campaign_names USING COVERING INDEX marketing_campaign_names_campaign (campaign_id=?)"}},
		check{campaignCountingSQL, []any{1}, []string{"SEARCH marketing_days USING PRIMARY KEY (campaign_id=?)"}},
		check{campaignBySlugSQL, []any{"x"}, []string{"SEARCH campaigns USING INDEX campaigns_slug (slug=?)"}},
		check{campaignsSQL, nil, []string{"SCAN campaigns USING INDEX campaigns_starts"}},
		check{campaignGoalsSQL, []any{1}, []string{"SEARCH goals USING INDEX goals_campaign (campaign_id=?)"}},
		check{goalsOpenSQL, []any{1}, []string{"SEARCH goals USING INDEX goals_deadline (deadline>?)"}},
		check{goalsPastSQL, []any{1}, []string{"SEARCH goals USING INDEX goals_deadline (deadline<?)"}},
	)
	for _, c := range checks {
		plan := explain(t, st, c.q, c.args...)
		for _, w := range c.want {
			if !strings.Contains(plan, w) {
				t.Errorf("plan lacks %q:\n%s\nquery: %s", w, plan, c.q)
			}
		}
		if strings.Contains(plan, "SCAN marketing_rows") || strings.Contains(plan, "SCAN m\n") {
			t.Errorf("a full scan of the rows:\n%s\nquery: %s", plan, c.q)
		}
	}
	// The statements that recompute sums read the groups they were given
	// through the rows' key, in order, and never scan the rows.
	conn, err := st.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), `CREATE TEMP TABLE marketing_dirty (
		campaign_id INTEGER NOT NULL, day INTEGER NOT NULL, source TEXT NOT NULL,
		PRIMARY KEY (campaign_id, day, source)) WITHOUT ROWID`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{marketingDaysDeleteSQL, marketingMoneyDeleteSQL, marketingDaysSQL, marketingMoneySQL,
		marketingMoneyMixedSQL, marketingContentsFoldSQL, marketingMoneyFoldSQL} {
		var args []any
		if q == marketingContentsFoldSQL || q == marketingMoneyFoldSQL {
			args = []any{1}
		}
		plan := explainConn(t, conn, q, args...)
		if !strings.Contains(plan, "(campaign_id=? AND day=? AND source=?)") && !strings.Contains(plan, "(day=? AND campaign_id=? AND source=?)") ||
			strings.Contains(plan, "SCAN m\n") || strings.Contains(plan, "SCAN marketing_rows") {
			t.Errorf("recompute plan:\n%s\nquery: %s", plan, q)
		}
	}
	// The per-class sums read the rows in key order: only their (few)
	// results are sorted.
	for _, q := range []string{marketingDaysSQL, marketingMoneySQL} {
		plan := explainConn(t, conn, q)
		first := plan[strings.Index(plan, "SEARCH m"):]
		if i := strings.Index(first, "\n"); strings.Contains(first[i+1:min(len(first), i+30)], "TEMP B-TREE") {
			t.Errorf("the per-class sums sort the rows:\n%s", plan)
		}
	}
}

func explainConn(t *testing.T, conn *sql.Conn, q string, args ...any) string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// TestRepliesByDay counts by hand, in a zone with a change to summer time
// in the span: items said to the business on each calendar day there,
// those answered, those answered within the hour (the hour itself
// included); listening and items outside the span left out.
func TestRepliesByDay(t *testing.T) {
	st := openTest(t)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	a := mustAccount(t, st, PlatformSandbox, "sandbox")
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, berlin) }
	addInboxRows(t, st, []inboxRow{
		{acct: a, received: at(27, 23, 59), replied: at(28, 0, 1)},                                     // the day before
		{acct: a, received: at(28, 23, 30), replied: at(28, 23, 40)},                                   // 28th, in time
		{acct: a, received: at(29, 0, 10), replied: at(29, 3, 10)},                                     // 29th (22:10 UTC on the 28th), late
		{acct: a, received: at(29, 12, 0)},                                                             // 29th, not answered
		{acct: a, kind: KindListening, term: "bread", received: at(29, 13, 0), replied: at(29, 13, 5)}, // heard: not counted
		{acct: a, received: at(30, 0, 0), replied: at(30, 1, 0)},                                       // 30th, exactly the hour
		{acct: a, received: at(31, 0, 0), replied: at(31, 0, 5)},                                       // the day after
	})
	first := DateDay(2026, 3, 28)
	got, err := st.RepliesByDay(context.Background(), time.Hour, first, first.Add(2), berlin)
	if err != nil {
		t.Fatal(err)
	}
	want := []DayReplies{
		{Day: first, Items: 1, Answered: 1, InTime: 1},
		{Day: first.Add(1), Items: 2, Answered: 1, InTime: 0},
		{Day: first.Add(2), Items: 1, Answered: 1, InTime: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replies by day\n got %+v\nwant %+v", got, want)
	}
}

// TestImportSumsMatchRebuildAtRandom imports random batches of every class
// (new groups and groups other imports hold, lines added up on one key,
// metrics not reported, money in two currencies, a line with money and no
// currency, a newer and an older export of a feed, typed-in entries) and
// after each compares the sums kept with a rebuild from the rows; once
// with the groups summed in memory, once with them left to SQLite.
func TestImportSumsMatchRebuildAtRandom(t *testing.T) {
	for _, c := range []struct{ limit, imports int }{{maxSumGroups, 36}, {3, 12}} {
		limit := c.limit
		t.Run(fmt.Sprintf("in memory up to %d groups", limit), func(t *testing.T) {
			defer func(old int) { maxSumGroups = old }(maxSumGroups)
			maxSumGroups = limit
			st := openTest(t)
			mustCampaign(t, st, Campaign{Name: "Spring"})
			mustCampaign(t, st, Campaign{Name: "Autumn"})
			r := rand.New(rand.NewPCG(7, uint64(limit)))
			num := func() Num {
				if r.IntN(4) == 0 {
					return Num{}
				}
				return Known(int64(r.IntN(50)))
			}
			feeds := []ImportBatch{
				{Feed: "plausible", Class: ClassAnalytics, Preset: "plausible"},
				{Feed: "ga4", Class: ClassAnalytics, Preset: "ga4"},
				{Feed: "meta_ads", Class: ClassAds, Preset: "meta"},
				{Feed: "sheet", Class: ClassSheet, Preset: "plain"},
				{Feed: "manual", Class: ClassManual, Preset: "manual"},
			}
			for i := range c.imports {
				b := feeds[r.IntN(len(feeds))]
				b.Origin = fmt.Sprintf("export-%d.csv", i)
				b.ExportedAt = mkNow.Add(time.Duration(r.IntN(10)-5) * time.Hour)
				var rows []MarketingRow
				noCurrencyMoney := r.IntN(3) == 0
				for j := range 1 + r.IntN(40) {
					row := MarketingRow{Day: day1.Add(r.IntN(6) + 3*i), Campaign: []string{"spring", "autumn", "Other"}[r.IntN(3)],
						Source: []string{"mastodon", "bluesky", "fb"}[r.IntN(3)], Content: fmt.Sprintf("post-%d", r.IntN(4)),
						Impressions: num(), Clicks: num(), Sessions: num(), Conversions: num(), Line: j + 2}
					if r.IntN(3) > 0 {
						row.Revenue, row.Spend = num(), num()
						row.Currency = []string{"EUR", "EUR", "USD", ""}[r.IntN(4)]
						if row.Currency == "" && !noCurrencyMoney {
							row.Revenue, row.Spend = Num{}, Num{}
						}
					}
					rows = append(rows, row)
				}
				if _, err := tryImport(st, b, rows...); err != nil {
					var mixed *MixedCurrencyError
					if !errors.As(err, &mixed) {
						t.Fatalf("import %d: %v", i, err)
					}
				}
				checkSumsMatchRebuild(t, st)
			}
		})
	}
}

// A long import whose statements carry different metrics (a metric no row
// of a statement reports is left out of it) and currencies (a statement's
// one currency is written into it) stores every line as given: the first
// statement's rows report clicks in euros, the second's spend too, some in
// dollars, the third's only sessions, without a currency from its middle
// on, and the last few rows impressions, in dollars.
func TestImportStoresEachStatementsMetrics(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	const lines = 3*marketingInsertRows + 7
	want := map[string][6]Num{}
	wantCurrency := map[string]string{}
	var rows []MarketingRow
	for i := range lines {
		r := MarketingRow{Day: day1.Add(i % 30), Campaign: "c", Source: "mastodon", Content: fmt.Sprintf("post-%d", i),
			Currency: "EUR", Line: i + 2}
		switch i / marketingInsertRows {
		case 0:
			r.Clicks = Known(int64(i))
		case 1:
			r.Clicks, r.Spend = Known(int64(i)), Known(int64(2*i))
			if i%3 == 0 {
				r.Spend = Num{}
			}
			if i%5 == 0 {
				r.Currency = "USD"
			}
		case 2:
			r.Sessions = Known(int64(i))
			if i%marketingInsertRows >= marketingInsertRows/2 {
				r.Currency = ""
			}
		default:
			r.Impressions = Known(int64(i))
			r.Currency = "USD"
		}
		want[r.Content] = [6]Num{r.Impressions, r.Clicks, r.Sessions, r.Conversions, r.Revenue, r.Spend}
		wantCurrency[r.Content] = r.Currency
		rows = append(rows, r)
	}
	if res := importRows(t, st, ImportBatch{Feed: "sheet", Class: ClassSheet, Preset: "plain", Origin: "long.csv"}, rows...); res.Written != lines {
		t.Fatalf("wrote %d lines, want %d", res.Written, lines)
	}
	got, err := st.db.QueryContext(ctx, "SELECT content, impressions, clicks, sessions, conversions, revenue, spend, line, currency FROM marketing_rows")
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	n := 0
	for got.Next() {
		var content string
		var v [6]sql.NullInt64
		var line int
		var currency string
		if err := got.Scan(&content, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &line, &currency); err != nil {
			t.Fatal(err)
		}
		var nums [6]Num
		for i := range v {
			nums[i] = numOf(v[i])
		}
		if nums != want[content] {
			t.Errorf("%s (line %d): %v, want %v", content, line, nums, want[content])
		}
		if currency != wantCurrency[content] {
			t.Errorf("%s (line %d): currency %q, want %q", content, line, currency, wantCurrency[content])
		}
		n++
	}
	if n != lines {
		t.Errorf("%d rows stored, want %d", n, lines)
	}
	checkSumsMatchRebuild(t, st)
}

// An import whose statement fails while later lines are still being added
// (here its context is cancelled) stops with the error, by Add or by
// Commit, and leaves nothing stored; the next import goes in.
func TestImportStopsOnAWriteError(t *testing.T) {
	st := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	imp, err := st.BeginImport(ctx, ImportBatch{Feed: "sheet", Class: ClassSheet, Preset: "plain", Origin: "a.csv"}, mkNow)
	if err != nil {
		t.Fatal(err)
	}
	row := func(i int) MarketingRow {
		return MarketingRow{Day: day1.Add(i % 30), Campaign: "c", Source: "mastodon", Content: fmt.Sprintf("post-%d", i),
			Clicks: Known(int64(i)), Line: i + 2}
	}
	var addErr error
	for i := 0; i < 20*marketingInsertRows && addErr == nil; i++ {
		if i == 2*marketingInsertRows {
			cancel()
		}
		addErr = imp.Add(row(i))
	}
	_, err = imp.Commit()
	if addErr == nil && err == nil {
		t.Fatal("the import went in after its context was cancelled")
	}
	if addErr != nil {
		if !errors.Is(addErr, context.Canceled) {
			t.Errorf("Add: %v, want the context's error", addErr)
		}
		if err == nil {
			t.Error("Commit succeeded after Add failed")
		}
	}
	for _, table := range []string{"marketing_rows", "marketing_imports", "marketing_days"} {
		var n int
		if err := st.db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s holds %d rows after the failed import", table, n)
		}
	}
	if res := importRows(t, st, ImportBatch{Feed: "sheet", Class: ClassSheet, Preset: "plain", Origin: "b.csv"}, row(1), row(2)); res.Written != 2 {
		t.Errorf("the next import wrote %d rows, want 2", res.Written)
	}
}

// A content's count that no source reported is unknown, not 0: an ad
// platform gives no sessions and web analytics no impressions. The
// import's own sums and a rebuild agree on it, and a newer export that
// stops reporting a metric takes its knowing away.
func TestContentCountsNoSourceReportedAreUnknown(t *testing.T) {
	st, id := springFixture(t)
	ctx := context.Background()
	byContent := func() map[string]ContentTotals {
		t.Helper()
		cs, err := st.CampaignContents(ctx, id, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]ContentTotals{}
		for _, c := range cs {
			out[c.Content] = c
		}
		return out
	}
	cs := byContent()
	ad, visits := cs["Spring carousel"], cs["post-2"]
	if want := (Reported{Impressions: true, Clicks: true, Conversions: true}); ad.Reported != want {
		t.Errorf("the ad's counts reported %+v, want %+v", ad.Reported, want)
	}
	if ad.SessionsNum().OK || ad.ClicksNum() != Known(40) || ad.ConversionsNum() != Known(3000) {
		t.Errorf("the ad's sessions %+v, clicks %+v, conversions %+v", ad.SessionsNum(), ad.ClicksNum(), ad.ConversionsNum())
	}
	if visits.ImpressionsNum().OK || visits.SessionsNum() != Known(35) {
		t.Errorf("the visits' impressions %+v, sessions %+v", visits.ImpressionsNum(), visits.SessionsNum())
	}
	checkSumsMatchRebuild(t, st)

	// A newer export of the ads, lines in day order, no conversions now.
	ads := ImportBatch{Feed: "meta_ads", Class: ClassAds, Preset: "meta", Origin: "ads2.csv", ExportedAt: mkNow}
	importRows(t, st, ads,
		MarketingRow{Day: day1, Campaign: "Spring Sale", Source: "fb", Content: "Spring carousel", Currency: "EUR",
			Impressions: Known(1000), Clicks: Known(41), Spend: Known(2500), Line: 2},
		MarketingRow{Day: day2, Campaign: "Spring Sale", Source: "fb", Content: "Spring carousel", Currency: "EUR",
			Impressions: Known(500), Clicks: Known(9), Spend: Known(900), Line: 3},
	)
	ad = byContent()["Spring carousel"]
	if ad.ConversionsNum().OK || ad.SessionsNum().OK || ad.ClicksNum() != Known(50) || ad.ImpressionsNum() != Known(1500) {
		t.Errorf("after the newer export: %+v", ad)
	}
	checkSumsMatchRebuild(t, st)
	// Its posts' numbers say the same.
	posts, err := st.CampaignPosts(ctx, id, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if p.Links.Content != "" && p.Links.Reported.Impressions {
			t.Errorf("post %d's links report impressions: %+v", p.PostID, p.Links)
		}
	}
}
