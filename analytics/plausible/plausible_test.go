package plausible_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/analytics/plausible"
	"github.com/crier-app/crier/analytics/plausible/plausibletest"
	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

const site = "ryeandshine.bakery"

var now = time.Date(2026, 3, 4, 6, 0, 0, 0, time.UTC)

func server(t *testing.T) *plausibletest.Server {
	t.Helper()
	s := plausibletest.New("secret-key", site)
	t.Cleanup(s.Close)
	s.RevenueGoals["Pre-order"] = "EUR"
	s.AddVisits(
		plausibletest.Visit{Day: "2026-03-01", Campaign: "spring-sale", UTMSource: "mastodon", Content: "post-12", Source: "Mastodon", Visits: 10, Visitors: 9},
		plausibletest.Visit{Day: "2026-03-01", Campaign: "spring-sale", UTMSource: "bluesky", Content: "post-12-a2", Source: "Bluesky", Visits: 7, Visitors: 7},
		plausibletest.Visit{Day: "2026-03-01", Source: "Mastodon", Visits: 3, Visitors: 3}, // an untagged link in a bio
		plausibletest.Visit{Day: "2026-03-01", Source: "Google", Visits: 40, Visitors: 30},
		plausibletest.Visit{Day: "2026-03-02", Campaign: "spring-sale", UTMSource: "mastodon", Content: "post-12", Source: "Mastodon", Visits: 4, Visitors: 4},
	)
	s.AddCompletions(
		plausibletest.Completion{Day: "2026-03-01", Campaign: "spring-sale", UTMSource: "mastodon", Content: "post-12", Source: "Mastodon", Goal: "Pre-order", Events: 2, Revenue: "45.5"},
		plausibletest.Completion{Day: "2026-03-01", Campaign: "spring-sale", UTMSource: "mastodon", Content: "post-12", Source: "Mastodon", Goal: "Newsletter", Events: 1},
		plausibletest.Completion{Day: "2026-03-02", Campaign: "spring-sale", UTMSource: "mastodon", Content: "post-12", Source: "Mastodon", Goal: "Pre-order", Events: 1, Revenue: "12.34"},
	)
	return s
}

func client(s *plausibletest.Server, token string) *plausible.Client {
	return &plausible.Client{BaseURL: s.URL, Token: token, HTTP: s.Client()}
}

func TestQueryShape(t *testing.T) {
	s := server(t)
	c := client(s, "secret-key")
	r, err := c.Query(context.Background(), plausible.Query{SiteID: site, Metrics: []string{"visits", "visitors"},
		DateRange: plausible.Days("2026-03-01", "2026-03-01"), Dimensions: []string{"visit:utm_source"},
		Include: &plausible.Include{TotalRows: true}})
	if err != nil {
		t.Fatal(err)
	}
	// Documented order: first metric descending; "(not set)" for no UTM.
	got := [][2]any{}
	for _, row := range r.Results {
		d, _ := row.Dimension(0)
		v, _, _ := row.Int(0)
		got = append(got, [2]any{d, v})
	}
	want := [][2]any{{"(not set)", int64(43)}, {"mastodon", int64(10)}, {"bluesky", int64(7)}}
	if !reflect.DeepEqual(got, want) || r.Meta.TotalRows == nil || *r.Meta.TotalRows != 3 {
		t.Errorf("results %v meta %+v", got, r.Meta)
	}
	// Revenue is an object, exact; a goal without revenue is null.
	r, err = c.Query(context.Background(), plausible.Query{SiteID: site, Metrics: []string{"events", "total_revenue"},
		DateRange: plausible.Days("2026-03-01", "2026-03-02"), Dimensions: []string{"event:goal"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range r.Results {
		goal, _ := row.Dimension(0)
		rev, ok, err := row.Revenue(1)
		switch {
		case err != nil:
			t.Fatal(err)
		case goal == "Pre-order" && (!ok || rev.Currency != "EUR" || rev.Value.String() != "57.84"):
			t.Errorf("pre-order revenue %+v %v", rev, ok)
		case goal == "Newsletter" && ok:
			t.Errorf("newsletter revenue %+v", rev)
		}
	}
}

func TestErrors(t *testing.T) {
	s := server(t)
	ctx := context.Background()
	q := plausible.Query{SiteID: site, Metrics: []string{"visits"}, DateRange: plausible.Days("2026-03-01", "2026-03-02")}
	var pe *plausible.Error
	if _, err := client(s, "wrong").Query(ctx, q); !errors.As(err, &pe) || pe.Status != 401 ||
		!strings.Contains(err.Error(), "Invalid API key or site ID") || !strings.Contains(err.Error(), "Stats API key") {
		t.Errorf("wrong key: %v", err)
	}
	other := q
	other.SiteID = "someone-else.example"
	if _, err := client(s, "secret-key").Query(ctx, other); !errors.As(err, &pe) || pe.Status != 401 {
		t.Errorf("someone else's site: %v", err)
	}
	bad := q
	bad.Metrics = []string{"total_revenue"}
	if _, err := client(s, "secret-key").Query(ctx, bad); !errors.As(err, &pe) || pe.Status != 400 ||
		!strings.Contains(err.Error(), "event:goal") {
		t.Errorf("revenue without goals: %v", err)
	}
	s.FailNext(1)
	if _, err := client(s, "secret-key").Query(ctx, q); !errors.As(err, &pe) || pe.Status != 503 || !pe.Temporary() {
		t.Errorf("503: %v", err)
	}
	s.Limit = s.Requests() + 1
	if _, err := client(s, "secret-key").Query(ctx, q); err != nil {
		t.Fatalf("the last request within the limit: %v", err)
	}
	_, err := client(s, "secret-key").Query(ctx, q)
	var rl *plausible.RateLimitError
	if !errors.As(err, &rl) || rl.Limit != s.Limit || rl.RetryAfter <= 0 {
		t.Errorf("429: %v", err)
	}
	if _, err := (&plausible.Client{BaseURL: s.URL, Token: "secret-key"}).Query(ctx, plausible.Query{Metrics: []string{"visits"}}); err == nil {
		t.Error("a query without a site")
	}
}

func TestQueryAllPages(t *testing.T) {
	s := plausibletest.New("k", site)
	defer s.Close()
	var vs []plausibletest.Visit
	for i := range plausible.MaxLimit + 500 {
		vs = append(vs, plausibletest.Visit{Day: "2026-03-01", Campaign: fmt.Sprintf("c%05d", i), Visits: 1})
	}
	s.AddVisits(vs...)
	rows, meta, err := (&plausible.Client{BaseURL: s.URL, Token: "k"}).QueryAll(context.Background(), plausible.Query{
		SiteID: site, Metrics: []string{"visits"}, DateRange: "all", Dimensions: []string{"visit:utm_campaign"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != plausible.MaxLimit+500 || *meta.TotalRows != plausible.MaxLimit+500 || s.Requests() != 2 {
		t.Errorf("%d rows in %d requests", len(rows), s.Requests())
	}
	var q struct {
		Pagination plausible.Pagination `json:"pagination"`
	}
	json.Unmarshal(s.Queries()[1], &q)
	if q.Pagination.Offset != plausible.MaxLimit {
		t.Errorf("second page %+v", q.Pagination)
	}
}

func openStore(t *testing.T) *store.Store {
	st := storetest.Open(t)
	return st
}

func TestPull(t *testing.T) {
	s := server(t)
	st := openStore(t)
	ctx := context.Background()
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Spring Sale"}, now)
	if err != nil {
		t.Fatal(err)
	}
	first, last := store.DateDay(2026, 3, 1), store.DateDay(2026, 3, 2)
	res, err := plausible.Pull(ctx, st, client(s, "secret-key"), plausible.Site{ID: site, Goals: []string{"Pre-order"}}, first, last, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 4 || res.Campaigns["spring-sale"] != camp { // Google's visits left out
		t.Errorf("result %+v", res)
	}
	tot, err := st.MarketingTotals(ctx, store.MarketingFilter{Campaign: camp}.EveryDay())
	if err != nil {
		t.Fatal(err)
	}
	// Only the Pre-order goal counts: 3 completions, €45.50 + €12.34.
	if tot.Sessions != store.Known(21) || tot.Clicks != store.Known(21) || tot.Conversions != store.Known(3000) ||
		!reflect.DeepEqual(tot.Revenue, money.Sums{{Currency: "EUR", Minor: 5784}}) {
		t.Errorf("campaign %+v", tot)
	}
	// The untagged visits from Mastodon count under mastodon, no campaign;
	// Google's are not social and stay out.
	none, _ := st.MarketingTotals(ctx, store.MarketingFilter{Campaign: 0, Source: "mastodon"}.EveryDay())
	if none.Sessions != store.Known(3) {
		t.Errorf("untagged %+v", none)
	}
	if g, _ := st.MarketingTotals(ctx, store.MarketingFilter{Campaign: 0, Source: "google"}.EveryDay()); g.Groups != 0 {
		t.Errorf("search visits were kept: %+v", g)
	}
	// Pulled again (the scheduler's next sync): the same numbers, not twice.
	if _, err := plausible.Pull(ctx, st, client(s, "secret-key"), plausible.Site{ID: site, Goals: []string{"Pre-order"}}, first, last, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	again, _ := st.MarketingTotals(ctx, store.MarketingFilter{Campaign: camp}.EveryDay())
	if !reflect.DeepEqual(again, tot) {
		t.Errorf("second pull %+v", again)
	}
	// A later pull sees more visits that day: they replace the earlier count.
	s.AddVisits(plausibletest.Visit{Day: "2026-03-02", Campaign: "spring-sale", UTMSource: "mastodon", Content: "post-12", Source: "Mastodon", Visits: 6})
	if _, err := plausible.Pull(ctx, st, client(s, "secret-key"), plausible.Site{ID: site, Goals: []string{"Pre-order"}}, last, last, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	later, _ := st.MarketingTotals(ctx, store.MarketingFilter{Campaign: camp}.EveryDay())
	if later.Sessions != store.Known(27) {
		t.Errorf("after more visits %+v", later)
	}
}

func TestPullWritesNothingWhenRefused(t *testing.T) {
	s := server(t)
	st := openStore(t)
	ctx := context.Background()
	s.Limit = 1 // the visits are answered, the goals refused
	_, err := plausible.Pull(ctx, st, client(s, "secret-key"), plausible.Site{ID: site}, store.DateDay(2026, 3, 1), store.DateDay(2026, 3, 2), now)
	var rl *plausible.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v", err)
	}
	var rows, imports int
	st.DB().QueryRow("SELECT (SELECT count(*) FROM marketing_rows), (SELECT count(*) FROM marketing_imports)").Scan(&rows, &imports)
	if rows != 0 || imports != 0 {
		t.Errorf("a refused pull wrote %d rows, %d imports", rows, imports)
	}
	if _, err := plausible.Pull(ctx, st, client(s, "wrong"), plausible.Site{ID: site}, store.DateDay(2026, 3, 1), store.DateDay(2026, 3, 2), now); err == nil {
		t.Error("a wrong key pulled")
	}
}

// A tag with a line break or an escape sequence in it (a link written by
// hand, utm_campaign=Loyalty%0ACard) is kept on one line, as a CSV import
// keeps it: the campaign named "Loyalty Card" takes its visits.
func TestPullKeepsTagsOnOneLine(t *testing.T) {
	s := plausibletest.New("secret-key", site)
	t.Cleanup(s.Close)
	s.AddVisits(plausibletest.Visit{Day: "2026-03-01", Campaign: "Loyalty\nCard", UTMSource: "insta\tgram", Content: "Re\x1b[31mel\r\nB",
		Source: "Instagram", Visits: 5, Visitors: 5})
	st := openStore(t)
	ctx := context.Background()
	camp, err := st.CreateCampaign(ctx, store.Campaign{Name: "Loyalty Card"}, now)
	if err != nil {
		t.Fatal(err)
	}
	day := store.DateDay(2026, 3, 1)
	res, err := plausible.Pull(ctx, st, client(s, "secret-key"), plausible.Site{ID: site}, day, day, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Campaigns["Loyalty Card"] != camp {
		t.Errorf("campaigns %v, want Loyalty Card → %d", res.Campaigns, camp)
	}
	contents, err := st.CampaignContents(ctx, camp, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(contents) != 1 || contents[0].Source != "insta gram" || contents[0].Content != "Reel B" {
		t.Errorf("contents %+v, want insta gram / Reel B", contents)
	}
}

// Numbers past what a day has are an answer crier does not take, as an
// import's line: two days of 2^62 visits would add up past int64 and stop
// every figure being read. Nothing is written.
func TestPullRefusesNumbersNoDayHas(t *testing.T) {
	s := plausibletest.New("secret-key", site)
	t.Cleanup(s.Close)
	s.AddVisits(
		plausibletest.Visit{Day: "2026-03-01", Campaign: "spring-sale", UTMSource: "mastodon", Source: "Mastodon", Visits: 1 << 62, Visitors: 1},
		plausibletest.Visit{Day: "2026-03-02", Campaign: "spring-sale", UTMSource: "mastodon", Source: "Mastodon", Visits: 1 << 62, Visitors: 1},
	)
	st := openStore(t)
	ctx := context.Background()
	_, err := plausible.Pull(ctx, st, client(s, "secret-key"), plausible.Site{ID: site}, store.DateDay(2026, 3, 1), store.DateDay(2026, 3, 2), now)
	if !errors.Is(err, plausible.ErrAnswer) {
		t.Fatalf("err %v, want ErrAnswer", err)
	}
	if tot, err := st.MarketingTotals(ctx, store.MarketingFilter{Campaign: store.AllCampaigns}.EveryDay()); err != nil || tot.Groups != 0 {
		t.Errorf("written: %+v %v", tot, err)
	}
}
