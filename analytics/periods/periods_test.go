package periods

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

func TestComparePeriods(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	now := time.Date(2026, 3, 20, 15, 0, 0, 0, loc) // 7 days: 13-20 March, and 6-13 March across the change on the 8th
	a, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@bakery@example.social"})
	b, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "bakery.example.com"})
	st.RecordFollowers(ctx, a, time.Date(2026, 3, 1, 3, 0, 0, 0, loc), 500)
	st.RecordFollowers(ctx, a, time.Date(2026, 3, 10, 3, 0, 0, 0, loc), 520)
	st.RecordFollowers(ctx, a, time.Date(2026, 3, 19, 3, 0, 0, 0, loc), 560)
	var lastDelivery int64
	send := func(acct int64, at time.Time, likes int) {
		id, _ := st.SaveDraft(ctx, store.Post{Body: "p", Targets: []store.Target{{AccountID: acct}}}, at.Add(-time.Hour))
		if err := st.QueuePost(ctx, id, at, "America/New_York", at.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		ds, _ := st.PostDeliveries(ctx, id)
		st.ClaimDelivery(ctx, ds[0].ID, at)
		st.MarkSent(ctx, ds[0].ID, store.RemoteRef{ID: fmt.Sprint(id)}, "", at)
		for h := 1; h <= 3; h++ {
			st.RecordMetrics(ctx, at.Add(time.Duration(h)*time.Hour), map[int64]store.Metrics{ds[0].ID: {Likes: likes * h / 3}})
		}
		lastDelivery = ds[0].ID
	}
	// Before: two posts on a (at 500 and 520 followers), one on b (no followers known).
	send(a, time.Date(2026, 3, 7, 9, 0, 0, 0, loc), 10)
	send(a, time.Date(2026, 3, 11, 9, 0, 0, 0, loc), 26)
	send(b, time.Date(2026, 3, 12, 9, 0, 0, 0, loc), 4)
	// Now: three posts on a (at 520, 520, 560).
	send(a, time.Date(2026, 3, 14, 9, 0, 0, 0, loc), 52)
	send(a, time.Date(2026, 3, 16, 9, 0, 0, 0, loc), 26)
	send(a, time.Date(2026, 3, 20, 9, 0, 0, 0, loc), 56)
	st.AddInboxItems(ctx, tone.Read([]store.InboxItem{
		{AccountID: a, Platform: "mastodon", RemoteID: "1", Kind: store.KindMention, AuthorHandle: "x", Body: "hi", ReceivedAt: now.Add(-time.Hour)},
		{AccountID: b, Platform: "bluesky", RemoteID: "2", Kind: store.KindReply, AuthorHandle: "y", Body: "hi", ReceivedAt: now.AddDate(0, 0, -10)},
	}))

	r, err := ComparePeriods(ctx, st, now, 7, loc)
	if err != nil {
		t.Fatal(err)
	}
	pa := r.Accounts[0]
	if pa.Current.Posts != 3 || pa.Current.Engagement != 134 || pa.Prev.Posts != 2 || pa.Prev.Engagement != 36 {
		t.Errorf("a: %+v / %+v", pa.Current, pa.Prev)
	}
	// Rates: now (52/520 + 26/520 + 56/560)/3; before (10/500 + 26/520)/2.
	wantNow := (52.0/520 + 26.0/520 + 56.0/560) / 3
	wantBefore := (10.0/500 + 26.0/520) / 2
	if !near(pa.Current.EngagementRate, wantNow) || !near(pa.Prev.EngagementRate, wantBefore) {
		t.Errorf("a's rates %.5f / %.5f, want %.5f / %.5f", pa.Current.EngagementRate, pa.Prev.EngagementRate, wantNow, wantBefore)
	}
	if pa.Current.Followers != 560 || pa.Current.FollowersGained != 40 || pa.Prev.Followers != 520 || pa.Prev.FollowersGained != 20 {
		t.Errorf("a's followers %+v / %+v", pa.Current, pa.Prev)
	}
	pb := r.Accounts[1]
	if pb.Prev.Posts != 1 || pb.Prev.RatedPosts != 0 || pb.Current.HasFollowers || pb.Prev.InboxItems != 1 {
		t.Errorf("b: %+v / %+v", pb.Current, pb.Prev)
	}
	tot := r.Total
	if tot.Current.Posts != 3 || tot.Prev.Posts != 3 || tot.Current.InboxItems != 1 || !near(tot.Prev.EngagementRate, wantBefore) {
		t.Errorf("total %+v / %+v", tot.Current, tot.Prev)
	}
	var words []string
	for _, c := range tot.Changes() {
		words = append(words, c.Name+" "+c.String())
	}
	if s := strings.Join(words, ", "); s != "posts = 0%, engagement ▲ 235%, engagement per post ▲ 235%, engagement rate ▲ 138%, inbox = 0%, followers ▲ 8%, new followers ▲ 100%" {
		t.Errorf("changes: %s", s)
	}

	tl, err := PostNumbers(ctx, st, lastDelivery)
	if err != nil || len(tl.Readings) != 3 || tl.Hours[0] != 1 || tl.Readings[2].Likes != 56 {
		t.Errorf("timeline %+v, %v", tl, err)
	}
	rates, err := st.PostRates(ctx, 0, now.AddDate(0, 0, -30), now.Add(time.Millisecond), 10)
	if err != nil || len(rates) != 6 || rates[0].DeliveryID != lastDelivery || !near(rates[0].Rate(), 0.1) || rates[3].Followers != -1 {
		t.Errorf("post rates %+v, %v", rates, err)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestChangeWords(t *testing.T) {
	for _, c := range []struct {
		now, before float64
		want        string
	}{
		{12, 10, "▲ 20%"}, {8, 10, "▼ 20%"}, {5, 0, "▲ 5"}, {0, 0, "="}, {-3, 0, "▼ 3"}, {10, 10, "= 0%"},
	} {
		if got := Compare(c.now, c.before).String(); got != c.want {
			t.Errorf("%v against %v: %q, want %q", c.now, c.before, got, c.want)
		}
	}
}

// Engagement per post and the engagement rate are unknown for a period
// without posts (without rated posts): not 0, so a quiet week does not read
// as engagement per post "▼ 100%", nor the first posts after one as "▲ from
// 0". The counts (posts, engagement) compare as ever.
func TestChangesOfAPeriodWithoutPosts(t *testing.T) {
	busy := Figures{Posts: 4, Engagement: 40, EngagementRate: 0.02, RatedPosts: 4}
	quiet := Figures{}
	for name, p := range map[string]Period{"quiet now": {Current: quiet, Prev: busy}, "quiet before": {Current: busy, Prev: quiet}} {
		got := map[string]NamedChange{}
		for _, c := range p.Changes() {
			got[c.Name] = c
		}
		for _, n := range []string{"engagement per post", "engagement rate"} {
			if c, ok := got[n]; !ok || c.Known {
				t.Errorf("%s: %s is %+v, want it there and not known", name, n, c)
			}
		}
		if c := got["posts"]; !c.Known || c.Diff == 0 {
			t.Errorf("%s: posts %+v", name, c)
		}
	}
	if v, ok := quiet.PerPost(); ok || v != 0 {
		t.Errorf("per post of no posts: %v %v", v, ok)
	}
	if v, ok := busy.PerPost(); !ok || v != 10 {
		t.Errorf("per post of 40 over 4: %v %v", v, ok)
	}
}

// An account whose first follower count came in the middle of the period
// (added then) has no count at its start: the total's followers then are
// not known, so the total's change must not read its whole audience as
// growth; the same for the followers gained when an account joined in the
// period before.
func TestComparePeriodsAccountAddedMidPeriod(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	a, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@bakery@example.social"})
	b, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "bakery.example.com"})
	c, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "cafe.example.com"})
	_ = c
	st.RecordFollowers(ctx, a, now.AddDate(0, 0, -20), 500)
	st.RecordFollowers(ctx, a, now.AddDate(0, 0, -1), 510)
	st.RecordFollowers(ctx, b, now.AddDate(0, 0, -3), 2000) // added 3 days ago

	r, err := ComparePeriods(ctx, st, now, 7, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	tot := r.Total
	if !tot.Current.HasFollowers || tot.Current.Followers != 2510 {
		t.Errorf("total followers now %d (known %v), want 2510", tot.Current.Followers, tot.Current.HasFollowers)
	}
	if tot.Prev.HasFollowers {
		t.Errorf("total followers before known as %d: b had no count then, so all accounts' followers then are unknown", tot.Prev.Followers)
	}
	for _, ch := range tot.Changes() {
		if ch.Name == "followers" {
			t.Errorf("total followers change %v shown, though b had no count a week ago", ch.Change)
		}
	}

	// 14-day windows: b joined in the period before (a week ago its count
	// is known, at the start of the period before it is not), so the
	// gained figures of the two periods cover different accounts.
	st.RecordFollowers(ctx, b, now.AddDate(0, 0, -10), 1900)
	r, err = ComparePeriods(ctx, st, now, 7, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	tot = r.Total
	if !tot.Current.HasGained || tot.Current.FollowersGained != 10+100 {
		t.Errorf("total gained now %d (known %v), want 110", tot.Current.FollowersGained, tot.Current.HasGained)
	}
	if tot.Prev.HasGained {
		t.Errorf("total gained before known as %d: b had no count at its start", tot.Prev.FollowersGained)
	}
	if !tot.Prev.HasFollowers || tot.Prev.Followers != 2400 {
		t.Errorf("total followers a week ago %d (known %v), want 2400", tot.Prev.Followers, tot.Prev.HasFollowers)
	}
}
