package timing

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
)

func TestDayRangesSplitAtTheChange(t *testing.T) {
	loc := zone(t, "Europe/Berlin")
	from := time.Date(2026, 3, 28, 12, 0, 0, 0, loc).UTC()
	to := time.Date(2026, 3, 30, 6, 0, 0, 0, loc).UTC()
	rs := DayRanges([]int64{7}, from, to, loc)
	var got []string
	for _, r := range rs {
		got = append(got, fmt.Sprintf("%s-%s %v", r.From.In(loc).Format("02 15:04 MST"), r.To.In(loc).Format("02 15:04"), r.Offset))
		if r.AccountID != 7 {
			t.Errorf("account %d", r.AccountID)
		}
	}
	want := "28 12:00 CET-29 00:00 1h0m0s, 29 00:00 CET-29 03:00 1h0m0s, 29 03:00 CEST-30 00:00 2h0m0s, 30 00:00 CEST-30 06:00 2h0m0s"
	if strings.Join(got, ", ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, ", "), want)
	}
}

// bestTimeFixture: an account in Berlin with 1000 followers, then 2000
// from 1 March, posting through the spring change. Saturday mornings
// 07:30 do best (60 engagements: 6% of 1000, 3% of 2000); Tuesdays 12:30
// middling; one lone Sunday 20:00 post did even better but is one post.
func bestTimeFixture(t *testing.T) (*store.Store, int64, *time.Location, time.Time) {
	t.Helper()
	st := openStore(t)
	ctx := context.Background()
	loc := zone(t, "Europe/Berlin")
	a := account(t, st, store.PlatformMastodon, "@bakery@example.social")
	now := time.Date(2026, 4, 20, 9, 0, 0, 0, loc)
	if err := st.RecordFollowers(ctx, a, time.Date(2026, 1, 1, 3, 0, 0, 0, loc), 1000); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordFollowers(ctx, a, time.Date(2026, 3, 1, 3, 0, 0, 0, loc), 2000); err != nil {
		t.Fatal(err)
	}
	post := func(at time.Time, m store.Metrics) { sentPost(t, st, a, at, m) }
	// Saturdays from 14 Feb to 18 April (10), either side of 29 March.
	for d := time.Date(2026, 2, 14, 7, 30, 0, 0, loc); d.Before(now); d = d.AddDate(0, 0, 7) {
		post(d, store.Metrics{Likes: 50, Reposts: 10})
	}
	// Tuesdays 12:30 (10): 20 engagements.
	for d := time.Date(2026, 2, 10, 12, 30, 0, 0, loc); d.Before(now); d = d.AddDate(0, 0, 7) {
		post(d, store.Metrics{Likes: 15, Replies: 5})
	}
	post(time.Date(2026, 4, 12, 20, 0, 0, 0, loc), store.Metrics{Likes: 300})
	// The audience writes on Saturday evenings.
	var items []store.InboxItem
	for i := range 12 {
		at := time.Date(2026, 4, 4+7*(i%3), 18, 10+i, 0, 0, loc)
		items = append(items, store.InboxItem{AccountID: a, Platform: store.PlatformMastodon, RemoteID: fmt.Sprint("i", i),
			Kind: store.KindMention, AuthorHandle: "fan", Body: "see you saturday!", ReceivedAt: at})
	}
	items = append(items, store.InboxItem{AccountID: a, Platform: store.PlatformMastodon, RemoteID: "old",
		Kind: store.KindMention, AuthorHandle: "fan", Body: "long ago", ReceivedAt: now.AddDate(0, -6, 0)})
	if _, err := st.AddInboxItems(ctx, tone.Read(items)); err != nil {
		t.Fatal(err)
	}
	return st, a, loc, now
}

func TestBestTimes(t *testing.T) {
	st, a, loc, now := bestTimeFixture(t)
	h, err := BestTimes(context.Background(), st, BestTimeOptions{Accounts: []int64{a}, Now: now, Loc: loc})
	if err != nil {
		t.Fatal(err)
	}
	sat := h.Cells[time.Saturday][7]
	tue := h.Cells[time.Tuesday][12]
	sun := h.Cells[time.Sunday][20]
	// Three Saturdays (14, 21, 28 Feb) at 1000 followers, seven at 2000:
	// the mean of 60/1000 and 60/2000 by count.
	wantSat := (3*0.06 + 7*0.03) / 10
	if sat.Posts != 10 || !sat.Enough || sat.Engagement != 600 || !close(sat.Rate, wantSat) {
		t.Errorf("Sat 07: %+v, want rate %.4f", sat, wantSat)
	}
	if tue.Posts != 10 || !tue.Enough || !close(tue.Rate, (3*0.02+7*0.01)/10) {
		t.Errorf("Tue 12: %+v", tue)
	}
	if sun.Posts != 1 || sun.Enough {
		t.Errorf("Sun 20, one post: %+v (must be marked too few)", sun)
	}
	if !h.PerFollower || h.Posts != 21 {
		t.Errorf("per follower %v, %d posts", h.PerFollower, h.Posts)
	}
	if len(h.Top) == 0 || h.Top[0].String() != "Sat 07:00-09:00" {
		t.Fatalf("top %v", h.Top)
	}
	for _, w := range h.Top {
		if w.Weekday == time.Sunday {
			t.Errorf("the lone Sunday post made the top: %v", h.Top)
		}
	}
	// The audience: 12 messages on Saturday 18:00, none counted from 6 months ago.
	if c := h.Cells[time.Saturday][18]; c.Audience != 12 || h.Audience != 12 {
		t.Errorf("audience Sat 18: %d of %d", c.Audience, h.Audience)
	}
	sug := h.Suggest(3)
	var got []string
	for _, s := range sug {
		got = append(got, s.Slot.String())
	}
	if strings.Join(got, ", ") != "Sat 07:00, Sat 18:00" || !strings.Contains(sug[0].Why, "Sat 07:00-09:00: +17% engagement, 10 posts") {
		t.Errorf("suggestions %v (%+v)", got, sug)
	}

	// Nothing posted: no top, no rate, nothing to divide by.
	empty := openStore(t)
	h, err = BestTimes(context.Background(), empty, BestTimeOptions{Now: now, Loc: loc})
	if err != nil || h.Posts != 0 || len(h.Top) != 0 || len(h.Suggest(3)) != 0 {
		t.Errorf("empty: %+v, %v", h, err)
	}
}

func close(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// TestBestTimesPerAccount: over several accounts each gets its own best
// windows over the same weeks, from its own posts; over one, none apart.
func TestBestTimesPerAccount(t *testing.T) {
	st, a, loc, now := bestTimeFixture(t)
	ctx := context.Background()
	b := account(t, st, store.PlatformBluesky, "bakery.example.com")
	if err := st.RecordFollowers(ctx, b, time.Date(2026, 1, 1, 3, 0, 0, 0, loc), 500); err != nil {
		t.Fatal(err)
	}
	// Bluesky does well on Wednesday evenings and badly on Saturday mornings.
	send := func(at time.Time, m store.Metrics) { sentPost(t, st, b, at, m) }
	for d := time.Date(2026, 2, 18, 19, 0, 0, 0, loc); d.Before(now); d = d.AddDate(0, 0, 7) {
		send(d, store.Metrics{Likes: 40})
		send(d.AddDate(0, 0, 3).Add(-11*time.Hour-30*time.Minute), store.Metrics{Likes: 2})
	}
	h, err := BestTimes(ctx, st, BestTimeOptions{Accounts: []int64{a, b}, Now: now, Loc: loc})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Accounts) != 2 || h.Accounts[0].AccountID != a || h.Accounts[1].AccountID != b {
		t.Fatalf("accounts apart: %+v", h.Accounts)
	}
	if top := h.Accounts[0].Top; len(top) == 0 || top[0].String() != "Sat 07:00-09:00" || h.Accounts[0].Posts != 21 {
		t.Errorf("mastodon's best: %v (%d posts)", top, h.Accounts[0].Posts)
	}
	if top := h.Accounts[1].Top; len(top) == 0 || top[0].String() != "Wed 18:00-20:00" && top[0].String() != "Wed 19:00-21:00" {
		t.Errorf("bluesky's best: %v", top)
	}
	for _, w := range h.Accounts[1].Top {
		if w.Weekday == time.Saturday {
			t.Errorf("bluesky's weak Saturdays among its best: %v", h.Accounts[1].Top)
		}
	}
	one, _ := BestTimes(ctx, st, BestTimeOptions{Accounts: []int64{b}, Now: now, Loc: loc})
	if len(one.Accounts) != 0 || one.Posts == 0 {
		t.Errorf("one account: %+v apart, %d posts", one.Accounts, one.Posts)
	}
}

// sentPost records a post of the account sent at `at` whose counters read
// m two days later.
func sentPost(t *testing.T, st *store.Store, account int64, at time.Time, m store.Metrics) {
	t.Helper()
	ctx := context.Background()
	id, err := st.SaveDraft(ctx, store.Post{Body: "p", Targets: []store.Target{{AccountID: account}}}, at.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, id, at, "Europe/Berlin", at.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	ds, _ := st.PostDeliveries(ctx, id)
	st.ClaimDelivery(ctx, ds[0].ID, at)
	if err := st.MarkSent(ctx, ds[0].ID, store.RemoteRef{ID: fmt.Sprint(ds[0].ID)}, "", at); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordMetrics(ctx, at.Add(48*time.Hour), map[int64]store.Metrics{ds[0].ID: m}); err != nil {
		t.Fatal(err)
	}
}

// TestDayRangesWhereMidnightIsSkipped: the best times' days in a zone
// whose clocks jump at midnight (Chile) cover the time once, in order, and
// end (the day after the jump was asked for as the same day, for ever).
func TestDayRangesWhereMidnightIsSkipped(t *testing.T) {
	loc := zone(t, "America/Santiago")
	from := time.Date(2026, 9, 1, 12, 0, 0, 0, loc)
	to := time.Date(2026, 9, 10, 12, 0, 0, 0, loc)
	done := make(chan []store.HourRange, 1)
	go func() { done <- DayRanges([]int64{1}, from, to, loc) }()
	select {
	case rs := <-done:
		at := from
		for _, r := range rs {
			if !r.From.Equal(at) || !r.To.After(r.From) {
				t.Fatalf("ranges not end to end at %v: %+v", at, rs)
			}
			at = r.To
		}
		if !at.Equal(to) || len(rs) != 10 {
			t.Errorf("%d ranges to %v", len(rs), at)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the days of Chile's September do not end")
	}
}
