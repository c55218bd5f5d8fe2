package audience

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/sentiment/tone"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

// fakeReader serves made-up public accounts, a page of two posts at a
// time; it stands in for a network in these unit tests only.
type fakeReader struct {
	profiles map[string]platforms.PublicProfile
	posts    map[string][]platforms.PublicPost // newest first
	calls    int
}

func (f *fakeReader) PublicProfile(ctx context.Context, handle string) (platforms.PublicProfile, error) {
	p, ok := f.profiles[handle]
	if !ok {
		return platforms.PublicProfile{}, errors.New("profile not found")
	}
	return p, nil
}

func (f *fakeReader) AuthorFeed(ctx context.Context, handle, cursor string, limit int) ([]platforms.PublicPost, string, error) {
	f.calls++
	all := f.posts[handle]
	start := 0
	if cursor != "" {
		fmt.Sscan(cursor, &start)
	}
	end := min(len(all), start+min(limit, 2))
	next := ""
	if end < len(all) {
		next = fmt.Sprint(end)
	}
	return all[start:end], next, nil
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st := storetest.Open(t)
	return st
}

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	return loc
}

func TestSyncAndCompare(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	loc := berlin(t)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, loc) // a Friday
	own, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: "ryeandshine.bsky.social"})
	if err != nil {
		t.Fatal(err)
	}
	crumb, _ := st.UpsertCompetitor(ctx, store.PlatformBluesky, "crumbandco.bsky.social", now)
	gone, _ := st.UpsertCompetitor(ctx, store.PlatformBluesky, "deleted.bsky.social", now)
	masto, _ := st.UpsertCompetitor(ctx, store.PlatformMastodon, "@baker@example.social", now)
	if _, err := st.UpsertCompetitor(ctx, "myspace", "tom", now); err == nil {
		t.Error("a competitor on an unknown network was taken")
	}

	// Crumb & Co post on Tuesdays at 12:15 and Saturdays at 08:10, one
	// a week each, over five weeks; and once long ago.
	rd := &fakeReader{profiles: map[string]platforms.PublicProfile{"crumbandco.bsky.social": {DisplayName: "Crumb & Co", Followers: 2400, Following: 90, Posts: 812}},
		posts: map[string][]platforms.PublicPost{}}
	var posts []platforms.PublicPost
	for w := range 5 {
		sat := time.Date(2026, 11, 21-7*w, 8, 10, 0, 0, loc)
		tue := time.Date(2026, 11, 24-7*w, 12, 15, 0, 0, loc)
		posts = append(posts,
			pub(fmt.Sprint("tue", w), "lunch special", "", tue, platforms.Counts{Likes: 10 + w}),
			pub(fmt.Sprint("sat", w), fmt.Sprint("saturday bake ", w), "https://bsky.app/x", sat, platforms.Counts{Likes: 40, Reposts: w}))
	}
	posts = append(posts, pub("old", "", "", now.AddDate(-1, 0, 0), platforms.Counts{}))
	rd.posts["crumbandco.bsky.social"] = posts

	res, err := Sync(ctx, st, map[string]Reader{store.PlatformBluesky: rd}, SyncOptions{Since: 60 * 24 * time.Hour}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].Err != nil || res[0].Posts != 10 {
		t.Fatalf("crumb: %+v", res)
	}
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "deleted.bsky.social") || !strings.Contains(res[1].Err.Error(), "profile not found") {
		t.Errorf("a gone account: %v", res[1].Err)
	}
	if res[2].Err == nil || !strings.Contains(res[2].Err.Error(), "no reader for mastodon") {
		t.Errorf("no mastodon reader: %v", res[2].Err)
	}
	cs, _ := st.Competitors(ctx)
	for _, c := range cs {
		switch c.ID {
		case crumb:
			if c.DisplayName != "Crumb & Co" || !c.SyncedAt.Equal(now) || c.LastError != "" {
				t.Errorf("crumb recorded as %+v", c)
			}
		case gone, masto:
			if c.LastError == "" || !c.SyncedAt.IsZero() {
				t.Errorf("%s recorded as %+v", c.Handle, c)
			}
		}
	}
	// Read again a week later, with more likes: the counters move, no post doubles.
	posts[1].Counts.Likes = 90
	rd.profiles["crumbandco.bsky.social"] = platforms.PublicProfile{Followers: 2450}
	if _, err := Sync(ctx, st, map[string]Reader{store.PlatformBluesky: rd}, SyncOptions{Since: 60 * 24 * time.Hour}, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	// Our own account: 1000 followers a month ago, 1100 now; posts on Friday mornings.
	st.RecordFollowers(ctx, own, now.AddDate(0, 0, -40), 1000)
	st.RecordFollowers(ctx, own, now.Add(-time.Hour), 1100)
	for w := range 3 {
		at := time.Date(2026, 11, 20-7*w, 9, 0, 0, 0, loc)
		id, _ := st.SaveDraft(ctx, store.Post{Body: fmt.Sprint("our post ", w), Targets: []store.Target{{AccountID: own}}}, at.Add(-time.Hour))
		st.QueuePost(ctx, id, at, "Europe/Berlin", at.Add(-time.Hour))
		ds, _ := st.PostDeliveries(ctx, id)
		st.ClaimDelivery(ctx, ds[0].ID, at)
		st.MarkSent(ctx, ds[0].ID, store.RemoteRef{ID: fmt.Sprint(id)}, "", at)
		st.RecordMetrics(ctx, at.Add(time.Hour), map[int64]store.Metrics{ds[0].ID: {Likes: 20 * (w + 1)}})
	}

	c, err := Compare(ctx, st, CompareOptions{Now: now.Add(2 * time.Hour), Loc: loc, Weeks: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sides) != 4 || !c.Sides[0].Own || c.Sides[1].ID != crumb {
		t.Fatalf("sides %+v", c.Sides)
	}
	if len(c.Days) != 28 || len(c.Weeks) != 4 {
		t.Errorf("%d days, %d weeks", len(c.Days), len(c.Weeks))
	}
	us, them := c.Sides[0], c.Sides[1]
	// Four weeks back from Friday 27 November: from Saturday 31 October.
	if us.Posts != 3 || us.Gained != 100 || us.Followers[len(us.Followers)-1] != 1100 || us.EngagementPerPost != 40 {
		t.Errorf("us: %d posts, gained %d, followers %v, %.1f per post", us.Posts, us.Gained, us.Followers, us.EngagementPerPost)
	}
	if us.Busiest != "Fri 09:00-11:00" || us.Hours[time.Friday][9] != 3 {
		t.Errorf("we post %q", us.Busiest)
	}
	// Theirs in the window: Saturdays 31 Oct (w=3), 7, 14, 21 Nov and
	// Tuesdays 3, 10, 17, 24 Nov: 8 posts, 2 a week.
	if them.Posts != 8 || them.PostsPerWeek < 1.9 || them.PostsPerWeek > 2.1 {
		t.Errorf("them: %d posts, %.2f a week", them.Posts, them.PostsPerWeek)
	}
	if them.Followers[len(them.Followers)-1] != 2450 || them.Followers[0] != -1 {
		t.Errorf("their followers %v", them.Followers)
	}
	// We were counted before the window: the change over it. They were
	// first counted today: a change since today, not "+0" over four weeks.
	if !us.GainedFrom.Equal(c.Days[0]) || !them.GainedFrom.Equal(c.Days[len(c.Days)-1]) {
		t.Errorf("gains read from %v (us) and %v (them)", us.GainedFrom, them.GainedFrom)
	}
	if len(them.Best) != 3 || them.Best[0].Metrics.Likes != 90 || them.Best[0].Text != "saturday bake 0" {
		t.Errorf("their best %+v", them.Best)
	}
	if them.Busiest != "Sat 08:00-10:00" && them.Busiest != "Tue 12:00-14:00" {
		t.Errorf("they post %q", them.Busiest)
	}
	if them.Hours[time.Saturday][8] != 4 || them.Hours[time.Tuesday][12] != 4 {
		t.Errorf("their hours: Sat 8 %d, Tue 12 %d", them.Hours[time.Saturday][8], them.Hours[time.Tuesday][12])
	}
	if c.Sides[2].LastError == "" {
		t.Errorf("the gone one shows no error: %+v", c.Sides[2])
	}
}

func TestTopFansAndNewFollowers(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	loc := berlin(t)
	now := time.Date(2026, 3, 30, 12, 0, 0, 0, loc) // the day after the clocks went forward
	a, _ := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformMastodon, Handle: "@bakery@example.social"})
	var items []store.InboxItem
	add := func(who, name string, kind store.InboxKind, n int, ago time.Duration) {
		for i := range n {
			items = append(items, store.InboxItem{AccountID: a, Platform: "mastodon", RemoteID: fmt.Sprint(who, kind, i, ago),
				Kind: kind, AuthorHandle: who, AuthorName: name, AuthorFollowers: 50, Body: "hello", ReceivedAt: now.Add(-ago - time.Duration(i)*time.Minute)})
		}
	}
	add("@anna@example.social", "Anna", store.KindReply, 5, 24*time.Hour)
	add("@anna@example.social", "Anna B.", store.KindMention, 2, time.Hour) // her latest name
	add("@ben@example.social", "Ben", store.KindDM, 3, 48*time.Hour)
	add("@cara@example.social", "Cara", store.KindReply, 9, 200*24*time.Hour) // too long ago
	add("@listener@example.social", "L", store.KindListening, 20, time.Hour)  // said about us, not to us
	if _, err := st.AddInboxItems(ctx, tone.Read(items)); err != nil {
		t.Fatal(err)
	}
	fans, err := TopFans(ctx, st, now, 90, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(fans) != 2 || fans[0].Handle != "@anna@example.social" || fans[0].Items != 7 || fans[0].Replies != 5 ||
		fans[0].Mentions != 2 || fans[0].Name != "Anna B." || fans[1].DMs != 3 {
		t.Errorf("fans %+v", fans)
	}

	// 100 on the 27th, 110 late on the 28th, 112 on the 29th (a 23-hour day), 118 now.
	for _, s := range []struct {
		at time.Time
		n  int
	}{
		{time.Date(2026, 3, 27, 3, 0, 0, 0, loc), 100},
		{time.Date(2026, 3, 28, 23, 30, 0, 0, loc), 110},
		{time.Date(2026, 3, 29, 3, 30, 0, 0, loc), 112},
		{time.Date(2026, 3, 30, 11, 0, 0, 0, loc), 118},
	} {
		if err := st.RecordFollowers(ctx, a, s.at, s.n); err != nil {
			t.Fatal(err)
		}
	}
	gains, err := NewFollowers(ctx, st, now, loc, 4)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range gains[a] {
		got = append(got, fmt.Sprintf("%s %v %d", g.Day.Format("02"), g.Known, g.Gained))
	}
	if s := strings.Join(got, ", "); s != "27 false 0, 28 true 10, 29 true 2, 30 true 6" {
		t.Errorf("gains %s", s)
	}
}

func pub(id, text, link string, at time.Time, c platforms.Counts) platforms.PublicPost {
	return platforms.PublicPost{RemotePost: platforms.RemotePost{Ref: platforms.Ref{ID: id}, Text: text, URL: link, CreatedAt: at}, Counts: c}
}

// TestGainOfACompetitorWatchedSince: a competitor first counted within the
// window (watched since ten days) gains what it gained since that first
// count, and says from when: not "+0" over the whole window.
func TestGainOfACompetitorWatchedSince(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	loc := berlin(t)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, loc)
	id, err := st.UpsertCompetitor(ctx, store.PlatformBluesky, "crumbandco.bsky.social", now.AddDate(0, 0, -10))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		at        time.Time
		followers int
	}{{now.AddDate(0, 0, -10), 2000}, {now.AddDate(0, 0, -3), 2060}, {now.Add(-time.Hour), 2100}} {
		if err := st.RecordCompetitorRead(ctx, id, "Crumb & Co", store.CompetitorSnapshot{At: r.at, Followers: r.followers}, nil, nil, r.at); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Compare(ctx, st, CompareOptions{Now: now, Loc: loc, Weeks: 4})
	if err != nil {
		t.Fatal(err)
	}
	them := c.Sides[len(c.Sides)-1]
	if them.Gained != 100 || !them.GainedFrom.Equal(time.Date(2026, 11, 17, 0, 0, 0, 0, loc)) {
		t.Errorf("gained %d from %v, want 100 from 17 Nov", them.Gained, them.GainedFrom)
	}
}
