package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestSyncCursorRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	if c, err := st.SyncCursor(ctx, a, StreamNotifications); c != "" || err != nil {
		t.Fatalf("cursor before any sync = %q, %v", c, err)
	}
	for _, c := range []string{"100", "250"} {
		if err := st.SetSyncCursor(ctx, a, StreamNotifications, c, schedT0); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetSyncCursor(ctx, a, StreamMessages, "7", schedT0); err != nil {
		t.Fatal(err)
	}
	if c, _ := st.SyncCursor(ctx, a, StreamNotifications); c != "250" {
		t.Fatalf("notifications cursor = %q", c)
	}
	if c, _ := st.SyncCursor(ctx, a, StreamMessages); c != "7" {
		t.Fatalf("messages cursor = %q", c)
	}
}

// sentAt queues and sends a post on account at `at` and returns its delivery.
func sentAt(t *testing.T, st *Store, account int64, at time.Time, remote string) int64 {
	t.Helper()
	_, ds := queueTestPost(t, st, Post{Body: remote, Targets: targets(account)}, at)
	mustClaim(t, st, ds[0].ID, at)
	if err := st.MarkSent(context.Background(), ds[0].ID, RemoteRef{ID: remote}, "https://x/"+remote, at); err != nil {
		t.Fatal(err)
	}
	return ds[0].ID
}

func metricsIDs(ts []MetricsTarget) string {
	var s []int64
	for _, t := range ts {
		s = append(s, t.DeliveryID)
	}
	return fmt.Sprint(s)
}

func TestMetricsScheduleByAge(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	other := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	now := schedT0
	hour, day := time.Hour, 24*time.Hour
	young := sentAt(t, st, a, now.Add(-2*hour), "young")
	week := sentAt(t, st, a, now.Add(-3*day), "week")
	month := sentAt(t, st, a, now.Add(-10*day), "month")
	old := sentAt(t, st, a, now.Add(-60*day), "old")
	sentAt(t, st, a, now.Add(-91*day), "too-old")
	sentAt(t, st, other, now.Add(-hour), "other-account")

	// Never read: all within 90 days are due, youngest first.
	got, err := st.DeliveriesForMetrics(ctx, a, now, 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint([]int64{young, week, month, old}); metricsIDs(got) != want {
		t.Fatalf("due = %s, want %s", metricsIDs(got), want)
	}
	if got[0].Remote.ID != "young" || !got[0].SentAt.Equal(now.Add(-2*hour)) {
		t.Fatalf("target = %+v", got[0])
	}
	if got, _ := st.DeliveriesForMetrics(ctx, a, now, 2); len(got) != 2 {
		t.Fatalf("limit 2 = %s", metricsIDs(got))
	}

	all := map[int64]Metrics{young: {Likes: 1}, week: {Likes: 2}, month: {Likes: 3}, old: {Likes: 4}}
	if err := st.RecordMetrics(ctx, now, all); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		after time.Duration
		want  []int64
	}{
		{time.Minute, []int64{young}},                         // young: every sync
		{hour, []int64{young, week}},                          // a week old: hourly
		{6 * hour, []int64{young, week, month}},               // a month old: every 6 hours
		{day, []int64{young, week, month, old}},               // older: daily
		{day - time.Millisecond, []int64{young, week, month}}, // not quite a day
	} {
		got, err := st.DeliveriesForMetrics(ctx, a, now.Add(c.after), 100)
		if err != nil {
			t.Fatal(err)
		}
		if metricsIDs(got) != fmt.Sprint(c.want) {
			t.Errorf("%v after a reading: due %s, want %v", c.after, metricsIDs(got), c.want)
		}
	}
}

func TestRecordMetricsKeepsHistoryAndLatest(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	d := sentAt(t, st, a, schedT0, "1")
	if err := st.RecordMetrics(ctx, schedT0.Add(time.Hour), map[int64]Metrics{d: {Likes: 5, Reposts: 1, Replies: 2, Quotes: 1}}); err != nil {
		t.Fatal(err)
	}
	// A late answer from an earlier reading goes to history only.
	if err := st.RecordMetrics(ctx, schedT0.Add(30*time.Minute), map[int64]Metrics{d: {Likes: 3}}); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Delivery(ctx, d)
	if got.Metrics != (Metrics{Likes: 5, Reposts: 1, Replies: 2, Quotes: 1}) || !got.MetricsAt.Equal(schedT0.Add(time.Hour)) {
		t.Fatalf("latest = %+v at %v", got.Metrics, got.MetricsAt)
	}
	var n, likes int
	if err := st.db.QueryRowContext(ctx, "SELECT count(*), sum(likes) FROM delivery_metrics WHERE delivery_id = ?", d).
		Scan(&n, &likes); err != nil || n != 2 || likes != 8 {
		t.Fatalf("history: %d rows, %d likes, %v", n, likes, err)
	}
	var engagement int
	if err := st.db.QueryRowContext(ctx, "SELECT engagement FROM deliveries WHERE id = ?", d).Scan(&engagement); err != nil || engagement != 9 {
		t.Fatalf("engagement = %d, %v", engagement, err)
	}
}

func TestFollowerSnapshots(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	if at, err := st.LastFollowersAt(ctx, a); !at.IsZero() || err != nil {
		t.Fatalf("before any = %v, %v", at, err)
	}
	for i, at := range []time.Time{schedT0, schedT0.Add(6 * time.Hour)} {
		if err := st.RecordFollowers(ctx, a, at, 40+i); err != nil {
			t.Fatal(err)
		}
	}
	if at, _ := st.LastFollowersAt(ctx, a); !at.Equal(schedT0.Add(6 * time.Hour)) {
		t.Fatalf("last = %v", at)
	}
	r, err := st.KPIs(ctx, schedT0.Add(7*time.Hour), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Accounts) != 1 || !r.Accounts[0].HasFollowers || r.Accounts[0].Followers != 41 {
		t.Fatalf("the KPIs read %+v, want the latest count, 41", r.Accounts)
	}
}
