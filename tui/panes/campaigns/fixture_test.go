package campaigns

import (
	"context"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/tui/common"
	"github.com/crier-app/crier/tui/tuitest"
)

var berlin = tuitest.Berlin

// now is Thursday 2 April 2026, 10:20 in Berlin.
var now = time.Date(2026, 4, 2, 10, 20, 0, 0, berlin)

// harness drives the pane as the root would: messages in, commands run,
// their answers fed back; status messages kept for checking.
type harness struct {
	t      testing.TB
	m      *Model
	c      *common.Common
	st     *store.Store
	run    *tuitest.Runner
	status []common.StatusMsg

	spring, winter, summer int64
	mastodon, bluesky      int64
}

func day(s string) store.Day {
	d, err := store.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// newHarness builds a store with three campaigns (running, ended,
// planned), follower counts, posts, and what an ad platform and web
// analytics reported for the running one, then loads the pane.
//
// Spring Sale's rows, by hand:
//
//	Meta (ads), instagram, 10 and 11 March: 1,000 + 600 impressions,
//	  25 + 15 link clicks, €10.00 + €6.00 spend, 1 + 0 results;
//	web analytics, instagram, the same days: 20 + 10 sessions, 2 + 1
//	  conversions, €60.00 + €30.00 revenue;
//	web analytics, mastodon, post-1, 12 March: 8 sessions, 1 conversion,
//	  €25.00 revenue (organic: no impressions);
//	typed in, flyer, 1 March: €40.00 spend.
//
// So: impressions 1,600; link clicks 40 (ads) + 8 (analytics' visits on
// mastodon) = 48, of which 40 where impressions are known: CTR 2.5%;
// sessions 38, conversions 4 (the analytics' count beats the ad's
// results): conversion rate 4/38 = 10.5% of sessions; spend €56.00,
// revenue €115.00: ROAS 2.05×, ROI (115 - 56)/56 = 105.4%; budget €500:
// 11.2% spent.
//
// Its goal, conversions +15% over 31 December – 28 February: 6 then, over
// 60 days, is 6.1 over the goal's 61: the target is 7.015. 4 so far, all
// in the last 28 days (4/28 a day), with 28 days to go: projected 8, on
// track, reaching 7.015 after ceil(3.015 × 7) = 22 days, on 24 April.
func newHarness(t testing.TB, w, h int) *harness {
	t.Helper()
	ctx := context.Background()
	st := tuitest.Store(t)
	hs := &harness{t: t, st: st}
	var err error
	if hs.mastodon, err = st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "rosebakery", Server: "mastodon.social"}); err != nil {
		t.Fatal(err)
	}
	if hs.bluesky, err = st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "rosebakery.bsky.social"}); err != nil {
		t.Fatal(err)
	}
	for d := 60; d >= 0; d-- {
		at := now.AddDate(0, 0, -d)
		must(t, st.RecordFollowers(ctx, hs.mastodon, at, 1000+(60-d)*2))
		must(t, st.RecordFollowers(ctx, hs.bluesky, at, 400+(60-d)))
	}
	mk := func(c store.Campaign) int64 {
		id, err := st.CreateCampaign(ctx, c, now.AddDate(0, -3, 0))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	hs.spring = mk(store.Campaign{Name: "Spring Sale", StartsOn: "2026-03-01", EndsOn: "2026-04-30", BudgetCents: 50000,
		Currency: "EUR", Audience: "Neighbours who buy bread on Saturdays; they care about fresh and local."})
	hs.winter = mk(store.Campaign{Name: "Winter Bakes", StartsOn: "2026-01-05", EndsOn: "2026-02-15", BudgetCents: 20000, Currency: "EUR"})
	hs.summer = mk(store.Campaign{Name: "Summer Fest", StartsOn: "2026-06-01", EndsOn: "2026-06-30"})

	for i, body := range []string{"Spring loaves are here: https://rosebakery.example/spring", "Last week of the sale 🥖 https://rosebakery.example/sale"} {
		if _, err := st.SaveDraft(ctx, store.Post{Body: body, CampaignID: hs.spring,
			Targets: []store.Target{{AccountID: hs.mastodon}, {AccountID: hs.bluesky}}}, now.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}

	imp := func(b store.ImportBatch, rows ...store.MarketingRow) {
		t.Helper()
		m, err := st.BeginImport(ctx, b, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := m.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := m.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	k := store.Known
	imp(store.ImportBatch{Feed: "meta_ads", Class: store.ClassAds, Preset: "meta_ads", Origin: "meta.csv", ExportedAt: now},
		store.MarketingRow{Day: day("2026-03-10"), Campaign: "spring-sale", Source: "instagram", Content: "Reel", Currency: "EUR",
			Impressions: k(1000), Clicks: k(25), Spend: k(1000), Conversions: k(1000), Line: 2},
		store.MarketingRow{Day: day("2026-03-11"), Campaign: "spring-sale", Source: "instagram", Content: "Reel", Currency: "EUR",
			Impressions: k(600), Clicks: k(15), Spend: k(600), Conversions: k(0), Line: 3})
	imp(store.ImportBatch{Feed: "ga4", Class: store.ClassAnalytics, Preset: "ga4", Origin: "ga4.csv", ExportedAt: now},
		store.MarketingRow{Day: day("2026-03-10"), Campaign: "spring-sale", Source: "instagram", Content: "reel", Currency: "EUR",
			Sessions: k(20), Clicks: k(20), Conversions: k(2000), Revenue: k(6000), Line: 5},
		store.MarketingRow{Day: day("2026-03-11"), Campaign: "spring-sale", Source: "instagram", Content: "reel", Currency: "EUR",
			Sessions: k(10), Clicks: k(10), Conversions: k(1000), Revenue: k(3000), Line: 6},
		store.MarketingRow{Day: day("2026-03-12"), Campaign: "spring-sale", Source: "mastodon", Content: "post-1", Currency: "EUR",
			Sessions: k(8), Clicks: k(8), Conversions: k(1000), Revenue: k(2500), Line: 7})
	// Before the campaign, the business's conversions (the relative goal's
	// baseline): 6 over the 60 days from 31 December to 28 February.
	imp(store.ImportBatch{Feed: "ga4", Class: store.ClassAnalytics, Preset: "ga4", Origin: "ga4-winter.csv", ExportedAt: now},
		store.MarketingRow{Day: day("2026-01-20"), Campaign: "winter-bakes", Source: "mastodon", Content: "post-0", Currency: "EUR",
			Sessions: k(30), Clicks: k(30), Conversions: k(4000), Revenue: k(8000), Line: 2},
		store.MarketingRow{Day: day("2026-02-10"), Campaign: "", Source: "bluesky", Currency: "EUR",
			Sessions: k(12), Clicks: k(12), Conversions: k(2000), Line: 3})
	if _, err := st.AddManualEntry(ctx, store.ManualEntry{Day: day("2026-03-01"), CampaignID: hs.spring, Source: "flyer",
		Label: "Spring flyers", Currency: "EUR", Spend: k(4000)}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddGoal(ctx, store.Goal{CampaignID: hs.spring, Metric: store.GoalConversions, Relative: true, Target: 1500,
		StartsOn: day("2026-03-01"), Deadline: day("2026-04-30"), BaselineFrom: day("2025-12-31"), BaselineTo: day("2026-02-28")}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddGoal(ctx, store.Goal{Metric: store.GoalFollowers, Target: 1600, StartsOn: day("2026-03-01"),
		Deadline: day("2026-06-30")}, now); err != nil {
		t.Fatal(err)
	}

	clock := tuitest.NewClock(now)
	hs.c = tuitest.Common(t, st, clock)
	hs.m = New(hs.c)
	hs.m.SetSize(w, h)
	hs.run = tuitest.NewRunner(t, clock, hs.send)
	hs.settle(hs.m.Init())
	if !hs.m.loaded {
		t.Fatal("the list did not load")
	}
	return hs
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (h *harness) send(msg tea.Msg) tea.Cmd {
	h.t.Helper()
	p, cmd := h.m.Update(msg)
	if p != h.m {
		h.t.Fatal("Update returned another pane")
	}
	return cmd
}

func (h *harness) keep(msgs []tea.Msg) {
	for _, msg := range msgs {
		if s, ok := msg.(common.StatusMsg); ok {
			h.status = append(h.status, s)
		}
	}
}

func (h *harness) settle(cmd tea.Cmd) {
	h.t.Helper()
	h.keep(h.run.Run(cmd))
}

// press presses keys (tuitest.Key names) one after another.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.settle(h.send(tuitest.Key(k)))
	}
}

// typeText types text into the field with the cursor.
func (h *harness) typeText(s string) {
	h.t.Helper()
	h.settle(h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}))
}

// clearField empties the field with the cursor.
func (h *harness) clearField() { h.press("ctrl+e", "ctrl+u") }

func (h *harness) lastStatus() common.StatusMsg {
	if len(h.status) == 0 {
		return common.StatusMsg{}
	}
	return h.status[len(h.status)-1]
}

func (h *harness) view() string { return h.m.View() }

func (h *harness) requireInView(want ...string) {
	h.t.Helper()
	v := h.view()
	for _, w := range want {
		if !strings.Contains(v, w) {
			h.t.Fatalf("the view lacks %q:\n%s", w, v)
		}
	}
}

// focusField moves the form's cursor to the field labelled label.
func (h *harness) focusField(label string) {
	h.t.Helper()
	for i := 0; i < 12; i++ {
		for _, l := range strings.Split(h.view(), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "▸") && strings.Contains(l, " "+label+"  ") {
				return
			}
		}
		h.press("tab")
	}
	h.t.Fatalf("no field %q in the form:\n%s", label, h.view())
}
