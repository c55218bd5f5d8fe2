package bluesky

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
)

// TestLiveGone: a reply its author deletes is reported gone by the real
// AppView (getPosts leaves it out), while the posts that exist, and ids
// that are not post records, are not.
func TestLiveGone(t *testing.T) {
	net := testnet.Shared(t)
	alice := newLiveAccount(t, net, "alice")
	bob := newLiveAccount(t, net, "bob")
	ctx := context.Background()

	post, err := alice.c.Publish(ctx, livePost("gone-post", "what do you think of the new rye?"))
	if err != nil {
		t.Fatal(err)
	}
	waitfor.Until(t, 10*time.Second, "alice's post in bob's AppView", func() (bool, string) {
		counts, err := bob.c.PostCounts(ctx, []platforms.Ref{post.Ref})
		_, ok := counts[post.Ref.ID]
		return ok, fmt.Sprint(counts, err)
	})
	reply := livePost("gone-reply", "honestly it was burnt")
	reply.ReplyTo = &post.Ref
	bobReply, err := bob.c.Publish(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	chat := platforms.Ref{ID: "3lchatmessage22"} // a chat message's id: not asked about
	refs := []platforms.Ref{post.Ref, bobReply.Ref, chat}
	waitfor.Until(t, 10*time.Second, "bob's reply indexed", func() (bool, string) {
		counts, err := alice.c.PostCounts(ctx, []platforms.Ref{bobReply.Ref})
		_, ok := counts[bobReply.Ref.ID]
		return ok, fmt.Sprint(counts, err)
	})
	if gone, err := alice.c.Gone(ctx, refs); err != nil || len(gone) != 0 {
		t.Fatalf("Gone before the delete = %v, %v; want none", gone, err)
	}

	net.Post(t, bob.acct.AccessJwt, "com.atproto.repo.deleteRecord", map[string]any{
		"repo": bob.did, "collection": PostCollection, "rkey": rkeyOf(bobReply.Ref.ID),
	}, nil)
	waitfor.Until(t, 10*time.Second, "the deleted reply reported gone", func() (bool, string) {
		gone, err := alice.c.Gone(ctx, refs)
		return err == nil && slices.Equal(gone, []string{bobReply.Ref.ID}), fmt.Sprint(gone, err)
	})
	if n := alice.c.ChecksPerSync(); n < getPostsBatch {
		t.Errorf("ChecksPerSync = %d, want at least one full getPosts call", n)
	}
}
