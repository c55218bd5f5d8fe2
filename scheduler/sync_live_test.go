package scheduler

// Syncing against the real Bluesky servers (PDS, AppView and PLC from
// @atproto/dev-env; see platforms/bluesky/testnet): the follower figure a
// person reads is the server's after one sync, and a reply its author
// deletes is marked so on the next.

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/bluesky"
	"github.com/crier-app/crier/platforms/bluesky/testnet"
	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

func liveClient(t *testing.T, net *testnet.Network, acct testnet.Account) *bluesky.Client {
	t.Helper()
	c := bluesky.New(net.PDS, acct.Handle, bluesky.WithAppPassword(acct.AppPassword),
		bluesky.WithSessionStore(bluesky.FileSessionStore(filepath.Join(t.TempDir(), acct.Handle+".json"))))
	if _, err := c.Session(context.Background()); err != nil {
		t.Fatalf("signing in as %s: %v", acct.Handle, err)
	}
	return c
}

func livePost(text string) platforms.Post {
	return platforms.Post{Text: text, IdempotencyKey: store.NewIdempotencyKey(), CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
}

func TestLiveSyncFollowersAndDeletedReplies(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the Bluesky reference network")
	}
	net := testnet.Shared(t)
	ctx := context.Background()
	bizAcct := net.CreateAccount(t, net.UniqueHandle("bakery"))
	custAcct := net.CreateAccount(t, net.UniqueHandle("customer"))
	otherAcct := net.CreateAccount(t, net.UniqueHandle("neighbour"))
	biz := liveClient(t, net, bizAcct)
	cust := liveClient(t, net, custAcct)

	st := storetest.Open(t)
	acct, err := st.UpsertAccount(ctx, store.Account{Platform: store.PlatformBluesky, Handle: bizAcct.Handle, Server: net.PDS})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan Event, 64)
	sched := New(Options{Store: st, Networks: map[int64]platforms.Network{acct: biz}, Events: events})
	runCtx, cancel := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { defer close(ran); sched.Run(runCtx) }()
	defer func() { cancel(); <-ran }()
	// syncOnce asks for one sync and waits for it: a sync of the accounts
	// that began after the ask (one under way already, and the other
	// syncs' events, do not count).
	syncOnce := func() {
		t.Helper()
		asked := time.Now()
		sched.SyncNow()
		for deadline := time.After(20 * time.Second); ; {
			select {
			case e := <-events:
				switch {
				case e.Kind == EventSynced && !e.Status.LastSync.Before(asked):
					return
				case e.Kind == EventSyncError:
					t.Fatalf("sync failed: %s", e.Err)
				}
			case <-deadline:
				t.Fatal("no sync within 20s")
			}
		}
	}
	figure := func() int {
		t.Helper()
		k, err := st.KPIs(ctx, time.Now(), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		return k.Total.Followers
	}
	syncOnce()
	if n := figure(); n != 0 {
		t.Fatalf("followers after the first sync = %d, want 0", n)
	}

	// Two people follow; once the server says 2, one sync makes the figure 2.
	for _, who := range []testnet.Account{custAcct, otherAcct} {
		net.Post(t, who.AccessJwt, "com.atproto.repo.createRecord", map[string]any{
			"repo": who.DID, "collection": "app.bsky.graph.follow",
			"record": map[string]any{"$type": "app.bsky.graph.follow", "subject": bizAcct.DID,
				"createdAt": time.Now().UTC().Format("2006-01-02T15:04:05.000Z")},
		}, nil)
	}
	waitfor.Until(t, 20*time.Second, "the server counting two followers", func() (bool, string) {
		n, err := biz.Followers(ctx)
		return err == nil && n == 2, fmt.Sprint(n, err)
	})
	syncOnce()
	if n := figure(); n != 2 {
		t.Fatalf("followers after one sync = %d, the server says 2", n)
	}

	// A customer replies; the sync brings it in, open. Then the customer
	// deletes it; the next sync marks it and takes it out of the
	// needs-attention view, and a reply to it is refused.
	ours, err := biz.Publish(ctx, livePost("Fresh rye today"))
	if err != nil {
		t.Fatal(err)
	}
	waitfor.Until(t, 20*time.Second, "our post in the customer's AppView", func() (bool, string) {
		counts, err := cust.PostCounts(ctx, []platforms.Ref{ours.Ref})
		_, ok := counts[ours.Ref.ID]
		return ok, fmt.Sprint(counts, err)
	})
	reply := livePost("The rye yesterday was burnt, really disappointed")
	reply.ReplyTo = &ours.Ref
	theirs, err := cust.Publish(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	var item store.InboxItem
	waitfor.Until(t, 20*time.Second, "the reply in the inbox", func() (bool, string) {
		syncOnce()
		items, err := st.InboxPage(ctx, store.InboxFilter{Attention: true}, nil, nil, 10)
		for _, it := range items {
			if it.RemoteID == theirs.Ref.ID {
				item = it
				return true, ""
			}
		}
		return false, fmt.Sprint(len(items), " items needing attention, ", err)
	})
	if item.Class != store.ClassComplaint || !item.DeletedAt.IsZero() {
		t.Fatalf("the reply came in as %+v", item)
	}
	net.Post(t, custAcct.AccessJwt, "com.atproto.repo.deleteRecord", map[string]any{
		"repo": custAcct.DID, "collection": bluesky.PostCollection, "rkey": path.Base(theirs.Ref.ID),
	}, nil)
	waitfor.Until(t, 20*time.Second, "the server no longer having the reply", func() (bool, string) {
		gone, err := biz.Gone(ctx, []platforms.Ref{theirs.Ref})
		return err == nil && len(gone) == 1, fmt.Sprint(gone, err)
	})
	syncOnce()
	got, err := st.InboxItems(ctx, []int64{item.ID})
	if err != nil || len(got) != 1 || got[0].DeletedAt.IsZero() || got[0].State != store.InboxOpen {
		t.Fatalf("after one sync: %+v, %v; want it open and marked deleted", got, err)
	}
	if n, err := st.InboxCount(ctx, store.InboxFilter{Attention: true}); err != nil || n != 0 {
		t.Errorf("needs attention holds %d items, %v; want none", n, err)
	}
	if _, err := st.QueueReply(ctx, item.ID, "So sorry, we'll make it right", time.Now()); err == nil {
		t.Error("a reply to a deleted item was queued")
	}
}
