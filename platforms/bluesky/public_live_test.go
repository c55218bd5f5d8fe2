package bluesky

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
)

// TestLivePublicReader reads a second account as a competitor, as the
// audience sync does: its counts, and its own posts a page at a time with
// their counters, its reposts and replies left out.
func TestLivePublicReader(t *testing.T) {
	net := testnet.Shared(t)
	shop := newLiveAccount(t, net, "shop")
	rival := newLiveAccount(t, net, "rival")
	ctx := context.Background()

	var own []platforms.Published
	for i := range 3 {
		p, err := rival.c.Publish(ctx, livePost(fmt.Sprint("rival-", i), fmt.Sprint("Rival bake ", i)))
		if err != nil {
			t.Fatal(err)
		}
		own = append(own, p)
	}
	reply := livePost("rival-reply", "thanks!")
	reply.ReplyTo = &own[0].Ref
	if _, err := rival.c.Publish(ctx, reply); err != nil {
		t.Fatal(err)
	}
	shopPost, err := shop.c.Publish(ctx, livePost("shop", "Our own bake"))
	if err != nil {
		t.Fatal(err)
	}
	createRecord(t, rival, "app.bsky.feed.repost", map[string]any{"subject": map[string]any{"uri": shopPost.Ref.ID, "cid": shopPost.Ref.CID}})
	createRecord(t, shop, "app.bsky.feed.like", map[string]any{"subject": map[string]any{"uri": own[2].Ref.ID, "cid": own[2].Ref.CID}})
	createRecord(t, shop, "app.bsky.graph.follow", map[string]any{"subject": rival.did})

	waitfor.Until(t, 10*time.Second, "the rival's profile counts", func() (bool, string) {
		p, err := shop.c.PublicProfile(ctx, "@"+rival.handle)
		return err == nil && p.Followers == 1 && p.Posts == 4, fmt.Sprintf("%+v %v", p, err)
	})
	var got []platforms.PublicPost
	waitfor.Until(t, 10*time.Second, "the rival's own posts, two a page", func() (bool, string) {
		got = got[:0]
		cursor := ""
		for range 5 {
			page, next, err := shop.c.AuthorFeed(ctx, rival.handle, cursor, 2)
			if err != nil {
				return false, err.Error()
			}
			got = append(got, page...)
			if next == "" {
				break
			}
			cursor = next
		}
		return len(got) == 3 && got[0].Counts.Likes == 1, fmt.Sprintf("%+v", got)
	})
	for i, p := range got {
		want := own[2-i]
		if p.Ref.ID != want.Ref.ID || p.Text != fmt.Sprint("Rival bake ", 2-i) || p.Author.Handle != rival.handle ||
			p.URL != want.URL || p.CreatedAt.IsZero() {
			t.Errorf("post %d = %+v, want %s", i, p, want.Ref.ID)
		}
	}
	if _, err := shop.c.PublicProfile(ctx, "not a handle"); err == nil {
		t.Error("a handle with a space was read")
	}
}
