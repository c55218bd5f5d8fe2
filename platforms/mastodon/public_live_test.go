package mastodon_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
)

// TestLivePublicReader reads another account on GoToSocial as a
// competitor: its counts by handle, and its own public posts a page at a
// time with their counters, its boosts, replies and direct messages left
// out.
func TestLivePublicReader(t *testing.T) {
	gts, us := liveUsers(t, "shop", "rival")
	shop, rival := us[0], us[1]
	ctx := context.Background()
	var own []platforms.Published
	for i := range 3 {
		p, err := rival.c.Publish(ctx, platforms.Post{Text: fmt.Sprint("Rival bake ", i), IdempotencyKey: liveKey(t, fmt.Sprint(i)), CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		own = append(own, p)
	}
	gts.API(t, rival.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"thanks!"}, "in_reply_to_id": {own[0].Ref.ID}, "visibility": {"public"}}, nil)
	gts.API(t, rival.token, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@" + shop.Acct + " psst"}, "visibility": {"direct"}}, nil)
	ours, err := shop.c.Publish(ctx, platforms.Post{Text: "Our own bake", IdempotencyKey: liveKey(t, "s"), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := rival.c.Repost(ctx, ours.Ref); err != nil {
		t.Fatal(err)
	}
	if err := shop.c.Like(ctx, own[2].Ref); err != nil {
		t.Fatal(err)
	}
	gts.API(t, shop.token, http.MethodPost, "/api/v1/accounts/"+rival.id+"/follow", url.Values{}, nil)
	gts.API(t, rival.token, http.MethodPost, "/api/v1/follow_requests/"+shop.id+"/authorize", url.Values{}, nil)

	var prof platforms.PublicProfile
	waitfor.Holds(t, gtsPatience, "the rival's counts", func() bool {
		prof, err = shop.c.PublicProfile(ctx, "@"+rival.Acct)
		return err == nil && prof.Followers == 1
	})
	if prof.Posts < 4 {
		t.Errorf("profile %+v: want at least the 4 public statuses", prof)
	}
	var got []platforms.PublicPost
	cursor := ""
	for range 10 {
		page, next, err := shop.c.AuthorFeed(ctx, rival.Acct, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(got) != 3 {
		t.Fatalf("read %d posts, want the 3 own public ones: %+v", len(got), got)
	}
	for i, p := range got {
		want := own[2-i]
		if p.Ref.ID != want.Ref.ID || p.Text != fmt.Sprint("Rival bake ", 2-i) || p.CreatedAt.IsZero() || p.URL == "" {
			t.Errorf("post %d = %+v, want %s", i, p, want.Ref.ID)
		}
	}
	if got[0].Counts.Likes != 1 {
		t.Errorf("the liked post's counts: %+v", got[0].Counts)
	}
	if _, err := shop.c.PublicProfile(ctx, "nobody_here"); err == nil {
		t.Error("an unknown handle was read")
	}
}
