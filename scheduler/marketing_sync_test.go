package scheduler

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/analytics/plausible"
	"github.com/crier-app/crier/analytics/plausible/plausibletest"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

const plausibleSite = "ryeandshine.bakery"

// plausibleHarness is a harness whose sync reads a Plausible test server
// with a campaign's visits on the day before t0 and on t0's.
func plausibleHarness(t *testing.T) (*harness, *plausibletest.Server, int64) {
	t.Helper()
	srv := plausibletest.New("stats-key", plausibleSite)
	t.Cleanup(srv.Close)
	srv.AddVisits(
		plausibletest.Visit{Day: "2026-11-26", Campaign: "harvest", UTMSource: "mastodon", Content: "post-1", Source: "Mastodon", Visits: 5, Visitors: 5},
		plausibletest.Visit{Day: "2026-11-27", Campaign: "harvest", UTMSource: "bluesky", Content: "post-1", Source: "Bluesky", Visits: 2, Visitors: 2},
		plausibletest.Visit{Day: "2026-11-20", Campaign: "harvest", UTMSource: "bluesky", Content: "post-1", Source: "Bluesky", Visits: 100, Visitors: 90},
	)
	h := newHarness(t)
	camp, err := h.st.CreateCampaign(context.Background(), store.Campaign{Name: "Harvest"}, t0.Add(-72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	h.opts.SyncInterval = time.Minute
	h.opts.Plausible = &PlausibleSync{
		Client: &plausible.Client{BaseURL: srv.URL, Token: "stats-key", HTTP: srv.Client()},
		Site:   plausible.Site{ID: plausibleSite},
		Every:  time.Hour,
		Days:   2,
		Zone:   time.UTC,
	}
	return h, srv, camp
}

// waitSessions waits, through the sync's events, until the campaign's
// sessions read want.
func (h *harness) waitSessions(camp int64, want int64) {
	h.t.Helper()
	storetest.WaitCommitted(h.t, h.st, 10*time.Second, fmt.Sprintf("campaign %d's sessions at %d", camp, want), func() (bool, string) {
		got, err := h.st.MarketingTotals(context.Background(), store.MarketingFilter{Campaign: camp}.EveryDay())
		if err != nil {
			h.t.Fatal(err)
		}
		return got.Sessions == store.Known(want), fmt.Sprintf("%+v", got.Sessions)
	})
}

// The sender reads Plausible as soon as it starts, the last Days days,
// and again an interval later, not on every account sync in between.
func TestPlausibleIsReadOnTheSync(t *testing.T) {
	h, srv, camp := plausibleHarness(t)
	h.start()
	h.waitSessions(camp, 7) // the 26th and 27th; the 20th is outside two days
	asked := srv.Requests()
	if !strings.Contains(string(srv.Queries()[0]), `"date_range":["2026-11-26","2026-11-27"]`) {
		t.Errorf("first query %s", srv.Queries()[0])
	}

	// Account syncs every minute; Plausible waits for its hour.
	for m := 1; m <= 3; m++ {
		at := t0.Add(time.Duration(m) * time.Minute)
		h.clock.waitTimer(t, at)
		h.clock.Set(at)
	}
	h.clock.waitTimer(t, t0.Add(4*time.Minute))
	if n := srv.Requests(); n != asked {
		t.Fatalf("%d requests after three account syncs, want still %d", n, asked)
	}

	srv.AddVisits(plausibletest.Visit{Day: "2026-11-27", Campaign: "harvest", UTMSource: "bluesky", Content: "post-1", Source: "Bluesky", Visits: 3})
	at := t0.Add(time.Hour)
	h.clock.Set(at)
	h.waitSessions(camp, 10)
	if n := srv.Requests(); n <= asked {
		t.Fatalf("no request an hour later")
	}
}

// A failed read is reported on the status bar (a sync error naming
// Plausible) and tried again an interval later; the posts go out
// meanwhile.
func TestPlausibleFailureIsReportedAndRetried(t *testing.T) {
	h, srv, camp := plausibleHarness(t)
	srv.FailNext(1)
	_, d := h.queue(store.Post{Body: "bread"}, t0)
	h.start()
	// Both are told as events, in either order: the failed read and the
	// post going out while it failed.
	var e Event
	var sent bool
	for deadline := time.After(10 * time.Second); e.Kind == "" || !sent; {
		select {
		case got := <-h.events:
			switch {
			case got.Kind == EventSyncError && strings.Contains(got.Err, "Plausible"):
				e = got
			case got.Kind == EventSent && got.DeliveryID == d.ID:
				sent = true
			}
		case <-deadline:
			t.Fatalf("after 10 s: Plausible's sync error %v, the post sent %v (it is %s)", e.Kind != "", sent, h.delivery(d.ID).State)
		}
	}
	if !strings.HasPrefix(e.Err, "Plausible "+plausibleSite+": ") || !e.RetryAt.Equal(t0.Add(time.Hour)) || e.AccountID != 0 {
		t.Fatalf("sync error %+v", e)
	}
	if got := h.delivery(d.ID).State; got != store.DeliverySent {
		t.Fatalf("the post is %s while Plausible failed, want sent", got)
	}
	var rows int
	h.st.DB().QueryRow("SELECT count(*) FROM marketing_rows").Scan(&rows)
	if rows != 0 {
		t.Fatalf("a failed read wrote %d rows", rows)
	}
	h.clock.Set(t0.Add(time.Hour))
	h.waitSessions(camp, 7)
}

// Past Plausible's rate limit, not even a sync asked for (ctrl+r) asks
// again before the limit lifts; once it has, an asked-for sync does.
func TestPlausibleRateLimitHoldsOnDemandToo(t *testing.T) {
	h, srv, camp := plausibleHarness(t)
	srv.Limit = 1 // the visits are answered, the goals refused with 429
	s := New(h.opts)
	ms := &marketingSync{}
	ctx := context.Background()
	s.syncMarketing(ctx, ms, false)
	// An hour's share of one request an hour: the limit lifts in an hour.
	if ms.failures != 1 || !ms.limited.Equal(t0.Add(time.Hour)) || !ms.next.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after a 429: %+v, want the pulls held until %s", ms, t0.Add(time.Hour))
	}
	asked := srv.Requests()
	s.syncMarketing(ctx, ms, true)
	if n := srv.Requests(); n != asked {
		t.Fatalf("%d requests on demand inside the rate limit, want still %d", n, asked)
	}
	var rows int
	h.st.DB().QueryRow("SELECT count(*) FROM marketing_rows").Scan(&rows)
	if rows != 0 {
		t.Fatalf("a refused pull wrote %d rows", rows)
	}

	srv.Limit = 100
	h.clock.Set(ms.limited)
	s.syncMarketing(ctx, ms, true)
	if srv.Requests() == asked {
		t.Fatal("no request on demand once the limit lifted")
	}
	h.waitSessions(camp, 7)
}
