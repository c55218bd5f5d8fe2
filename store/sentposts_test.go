package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/money"
)

// TestSentPostsAddUpTheirLinks checks a report's posts: each copy sent in
// the span, oldest first, with its account, its own text and what its
// post's links brought in on its network, every content (the post's link,
// an account's variant, the same content counted under another campaign)
// and every currency added up, nothing from another network.
func TestSentPostsAddUpTheirLinks(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	spring := mustCampaign(t, st, Campaign{Name: "Spring Sale", StartsOn: "2026-05-01", EndsOn: "2026-05-31", Currency: "EUR"})
	mustCampaign(t, st, Campaign{Name: "Bread Club", Currency: "EUR"})
	m := mustAccount(t, st, PlatformMastodon, "@bakery@example.social")
	b := mustAccount(t, st, PlatformBluesky, "bakery.example.com")
	at1 := time.Date(2026, 5, 3, 9, 0, 0, 0, time.UTC)
	send := func(p Post, at time.Time, metrics Metrics) int64 {
		t.Helper()
		id, err := st.SaveDraft(ctx, p, at.Add(-2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.QueuePost(ctx, id, at, "UTC", at.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		ds, err := st.PostDeliveries(ctx, id)
		if err != nil || len(ds) != len(p.Targets) {
			t.Fatal(ds, err)
		}
		for i, d := range ds {
			sent := at.Add(time.Duration(i) * time.Minute)
			if ok, err := st.ClaimDelivery(ctx, d.ID, sent); !ok || err != nil {
				t.Fatal(ok, err)
			}
			if err := st.MarkSent(ctx, d.ID, RemoteRef{ID: "r" + itoa(int(d.ID))}, "https://example.social/@bakery/"+itoa(int(d.ID)), sent); err != nil {
				t.Fatal(err)
			}
			if err := st.RecordMetrics(ctx, sent.Add(time.Hour), map[int64]Metrics{d.ID: metrics}); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	p1 := send(Post{Body: "Spring loaves", CampaignID: spring, Targets: []Target{{AccountID: m},
		{AccountID: b, BodyOverride: "Spring loaves, on Bluesky", HasOverride: true}}}, at1, Metrics{Likes: 3, Reposts: 1})
	p2 := send(Post{Body: "Bread club news", Targets: []Target{{AccountID: m}}}, at1.Add(24*time.Hour), Metrics{Replies: 2})
	send(Post{Body: "Too late", Targets: []Target{{AccountID: m}}}, at1.Add(30*24*time.Hour), Metrics{})

	row := func(day Day, campaign, source, content string, clicks, conv, rev int64, cur string) MarketingRow {
		return MarketingRow{Day: day, Campaign: campaign, Source: source, Content: content, Clicks: Known(clicks),
			Sessions: Known(clicks), Conversions: Known(conv), Revenue: Known(rev), Currency: cur}
	}
	importRows(t, st, ImportBatch{Feed: "plausible", Class: ClassAnalytics, Preset: "plausible", Origin: "api", ExportedAt: mkNow},
		row(day1, "spring-sale", "mastodon", PostContent(p1, 0, false), 10, 1000, 500, "EUR"),
		row(day2, "spring-sale", "mastodon", PostContent(p1, 0, false), 4, 0, 250, "USD"),
		row(day1, "spring-sale", "mastodon", PostContent(p1, m, true), 5, 500, 300, "EUR"),
		row(day1, "bread-club", "mastodon", PostContent(p1, 0, false), 3, 0, 100, "EUR"),
		row(day1, "spring-sale", "bsky.app", PostContent(p1, 0, false), 7, 0, 0, "EUR"),
		row(day1, "spring-sale", "facebook", PostContent(p1, 0, false), 99, 9000, 9900, "EUR"),
	)

	posts, err := st.SentPosts(ctx, at1.Add(-time.Hour), at1.Add(25*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Post, Account   int64
		Platform, Text  string
		At              time.Time
		Likes, Replies  int
		Clicks, Conv    int64
		Content         string
		Revenue         money.Sums
		State           DeliveryState
		Handle, URLHost bool
	}
	var have []got
	for _, p := range posts {
		have = append(have, got{p.PostID, p.AccountID, p.Platform, p.Text, p.SentAt, p.Metrics.Likes, p.Metrics.Replies,
			p.Links.Clicks, p.Links.Conversions, p.Links.Content, p.Links.Revenue, p.State, p.Handle != "", p.URL != ""})
		if !p.At.Equal(p.SentAt) || p.CampaignID != map[int64]int64{p1: spring, p2: 0}[p.PostID] {
			t.Errorf("post %d: at %v sent %v campaign %d", p.PostID, p.At, p.SentAt, p.CampaignID)
		}
	}
	eurUSD := money.Sums{{Currency: "EUR", Minor: 900}, {Currency: "USD", Minor: 250}}
	want := []got{
		// Mastodon: the post's link in two currencies, the variant and the
		// same content under the other campaign; not Facebook's.
		{p1, m, PlatformMastodon, "Spring loaves", at1, 3, 0, 22, 1500, PostContent(p1, 0, false), eurUSD, DeliverySent, true, true},
		// Bluesky (bsky.app is Bluesky): its own text, its one content.
		{p1, b, PlatformBluesky, "Spring loaves, on Bluesky", at1.Add(time.Minute), 3, 0, 7, 0, PostContent(p1, 0, false), nil, DeliverySent, true, true},
		// No link numbers at all.
		{p2, m, PlatformMastodon, "Bread club news", at1.Add(24 * time.Hour), 0, 2, 0, 0, "", nil, DeliverySent, true, true},
	}
	if !reflect.DeepEqual(have, want) {
		t.Errorf("sent posts\n%+v\nwant\n%+v", have, want)
	}

	// A campaign's report: its posts only, by the posts' times.
	camp, err := st.CampaignSentPosts(ctx, spring, at1.Add(-time.Hour), at1.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(camp) != 2 || !reflect.DeepEqual(camp, posts[:2]) {
		t.Errorf("campaign sent posts %+v", camp)
	}
	// Its page in the pane counts the same.
	page, err := st.CampaignPosts(ctx, spring, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].Links.Clicks+page[1].Links.Clicks != 29 {
		t.Errorf("campaign posts %+v", page)
	}
	if none, err := st.SentPosts(ctx, at1.Add(-48*time.Hour), at1.Add(-24*time.Hour)); err != nil || len(none) != 0 {
		t.Errorf("a span without posts: %+v %v", none, err)
	}
	// A counter that is no number (written by another program: SQLite
	// keeps what it is given) is an error that names the copy, not a zero.
	if _, err := st.db.ExecContext(ctx, "UPDATE deliveries SET likes = 'lots' WHERE post_id = ? AND account_id = ?", p2, m); err != nil {
		t.Fatal(err)
	}
	_, err = st.SentPosts(ctx, at1.Add(-time.Hour), at1.Add(25*time.Hour))
	if want := "post " + itoa(int(p2)) + "'s copy to account " + itoa(int(m)) + ": column 8 holds string lots, not an integer"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a bad counter: %v, want %q", err, want)
	}
}
