package scheduler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

// rivalReader is a sandbox account that can also read one public account,
// for these unit tests; the real readers are tested against the Bluesky
// reference network and GoToSocial.
type rivalReader struct {
	platforms.Network
	reads int
}

func (r *rivalReader) PublicProfile(ctx context.Context, handle string) (platforms.PublicProfile, error) {
	r.reads++
	if handle != "rival.example" {
		return platforms.PublicProfile{}, fmt.Errorf("no account %s", handle)
	}
	return platforms.PublicProfile{DisplayName: "Rival", Followers: 1200, Posts: 3}, nil
}

func (r *rivalReader) AuthorFeed(ctx context.Context, handle, cursor string, limit int) ([]platforms.PublicPost, string, error) {
	return []platforms.PublicPost{{RemotePost: platforms.RemotePost{Ref: platforms.Ref{ID: "r1"}, Text: "rival bake",
		CreatedAt: t0.Add(-time.Hour)}, Counts: platforms.Counts{Likes: 7}}}, "", nil
}

// While it sends, the scheduler makes a series' posts for the window ahead
// and sends them at their time, turns a feed's new entries into drafts
// (never queued), and reads the competitors: all from the lease's first
// round, without a person doing anything.
func TestPlanningWhileSending(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
<item><guid>e1</guid><title>How we feed our starter</title><link>https://bakery.example/starter</link></item>
</channel></rss>`)
	}))
	defer feed.Close()
	if _, err := h.st.UpsertFeed(ctx, store.FeedConfig{Name: "blog", URL: feed.URL, Accounts: []int64{h.acct}}, t0); err != nil {
		t.Fatal(err)
	}
	// A Bluesky account (here a sandbox that can read one public account)
	// reads the Bluesky competitor.
	bsky := h.account(store.PlatformBluesky, "shop.bsky.example")
	h.opts.Networks[bsky] = &rivalReader{Network: h.net}
	if _, err := h.st.UpsertCompetitor(ctx, store.PlatformBluesky, "rival.example", t0); err != nil {
		t.Fatal(err)
	}
	// A daily series whose posts were never made (created, not materialised).
	first := t0.Add(10 * time.Minute)
	if _, err := h.st.CreateRecurrence(ctx, store.Recurrence{Rule: "FREQ=DAILY;COUNT=3", Zone: "UTC", StartsAt: first, WindowDays: 1,
		Template: store.Post{Body: "Morning buns are out", Targets: []store.Target{{AccountID: h.acct}}}}, t0); err != nil {
		t.Fatal(err)
	}
	h.start()

	// The first round queues the occurrence of the next day (the window),
	// the feed's entry becomes a draft, the competitor is read.
	h.waitEvent(EventSynced, 0, EventSyncError)
	waitfor.Until(t, 10*time.Second, "the series' posts, the feed's draft and the competitor's read", func() (bool, string) {
		queued := h.count("SELECT count(*) FROM posts WHERE state = 'queued' AND body = 'Morning buns are out'")
		drafts := h.count("SELECT count(*) FROM posts WHERE state = 'draft' AND body LIKE '%How we feed our starter%'")
		snaps := h.count("SELECT count(*) FROM competitor_snapshots")
		return queued == 1 && drafts == 1 && snaps == 1, fmt.Sprintf("queued %d, drafts %d, competitor snapshots %d", queued, drafts, snaps)
	})
	h.clock.waitTimer(t, first.Add(-store.ClaimAhead))
	h.clock.Set(first)
	e := h.waitEvent(EventSent, 0, EventFailed, EventRetrying)
	if rec := h.received(); len(rec) != 1 || rec[0].Body != "Morning buns are out" || !e.SentAt.Equal(first) {
		t.Fatalf("sent %+v (event %+v)", rec, e)
	}
	// A day on, an hour at a time: the next occurrence is made and sent,
	// and the feed, read again every 30 minutes, makes no second draft of
	// the same entry.
	next := first.Add(24 * time.Hour)
	for at := first.Add(time.Minute); !at.After(next); at = at.Add(time.Hour) {
		h.clock.Set(at)
	}
	h.clock.Set(next)
	waitfor.Until(t, 10*time.Second, "the second occurrence sent", func() (bool, string) {
		return len(h.received()) == 2, fmt.Sprint(len(h.received()), " sent")
	})
	if n := h.count("SELECT count(*) FROM posts WHERE body LIKE '%How we feed our starter%'"); n != 1 {
		t.Errorf("%d drafts of the one feed entry", n)
	}
}

func (h *harness) count(q string) int {
	h.t.Helper()
	var n int
	if err := h.st.DB().QueryRow(q).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}
