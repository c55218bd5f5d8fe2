package bluesky

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
)

// Against the reference network: bob finds alice's post by a word in it,
// likes it twice and reposts it through Reactor; alice is notified and
// sees the counts; bob's undo brings them back; bob's reply built from the
// search result threads under it.
func TestLiveReactAndSearch(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "alice")
	bob := newLiveAccount(t, net, "bob")
	ctx := context.Background()

	word := fmt.Sprintf("crumbquest%d", time.Now().UnixNano())
	post, err := alice.c.Publish(ctx, livePost("searchable", "fresh loaves and "+word+" today"))
	if err != nil {
		t.Fatal(err)
	}
	var found platforms.RemotePost
	var cursor string
	waitfor.Until(t, 10*time.Second, "the post in bob's search", func() (bool, string) {
		got, next, err := bob.c.Search(ctx, word, "")
		if err != nil {
			return false, err.Error()
		}
		cursor = next
		for _, p := range got {
			if p.Ref == post.Ref {
				found = p
				return true, ""
			}
		}
		return false, fmt.Sprint(got)
	})
	if found.Author.ID != alice.did || found.Text != "fresh loaves and "+word+" today" || found.Root != nil {
		t.Errorf("found %+v", found)
	}
	if got, _, err := bob.c.Search(ctx, word, cursor); err != nil || len(got) != 0 {
		t.Errorf("search from the cursor: %+v, %v", got, err)
	}

	_, notes, err := alice.c.Notifications(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := bob.c.Like(ctx, found.Ref); err != nil {
			t.Fatalf("like %d: %v", i+1, err)
		}
	}
	if err := bob.c.Repost(ctx, found.Ref); err != nil {
		t.Fatal(err)
	}
	var likes struct {
		Records []struct {
			URI string `json:"uri"`
		} `json:"records"`
	}
	err = bob.c.call(ctx, xrpcCall{nsid: "com.atproto.repo.listRecords",
		query: url.Values{"repo": {bob.did}, "collection": {LikeCollection}}, auth: authAccess, out: &likes})
	if err != nil || len(likes.Records) != 1 {
		t.Fatalf("bob's like records: %+v, %v", likes, err)
	}

	kinds := map[platforms.NotificationKind]bool{}
	waitfor.Until(t, 10*time.Second, "like and repost notifications", func() (bool, string) {
		news, next, err := alice.c.Notifications(ctx, notes)
		if err != nil {
			return false, err.Error()
		}
		notes = next
		for _, n := range news {
			if n.Author.ID == bob.did && n.Subject != nil && *n.Subject == post.Ref {
				kinds[n.Kind] = true
			}
		}
		return kinds[platforms.NotifyLike] && kinds[platforms.NotifyRepost], fmt.Sprint(kinds)
	})
	counts := func(want platforms.Counts) {
		t.Helper()
		waitfor.Until(t, 10*time.Second, fmt.Sprintf("counts %+v", want), func() (bool, string) {
			got, err := alice.c.PostCounts(ctx, []platforms.Ref{post.Ref})
			if err != nil {
				return false, err.Error()
			}
			return got[post.Ref.ID] == want, fmt.Sprint(got)
		})
	}
	counts(platforms.Counts{Likes: 1, Reposts: 1})

	for i := 0; i < 2; i++ {
		if err := bob.c.Unlike(ctx, found.Ref); err != nil {
			t.Fatalf("unlike %d: %v", i+1, err)
		}
	}
	if err := bob.c.Unrepost(ctx, found.Ref); err != nil {
		t.Fatal(err)
	}
	counts(platforms.Counts{})

	// A reply from the search result: root and parent are alice's post.
	reply := livePost("reply-from-search", "where is your shop?")
	reply.ReplyTo, reply.ThreadRoot = &found.Ref, found.Root
	pub, err := bob.c.Publish(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	rec := getRecord(t, bob, pub.Ref.ID)["reply"].(map[string]any)
	root, parent := rec["root"].(map[string]any), rec["parent"].(map[string]any)
	if root["uri"] != post.Ref.ID || root["cid"] != post.Ref.CID || parent["uri"] != post.Ref.ID || parent["cid"] != post.Ref.CID {
		t.Errorf("reply refs %v", rec)
	}
}
