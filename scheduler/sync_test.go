package scheduler

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crier-app/crier/internal/waitfor"
	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
	"github.com/crier-app/crier/store"
)

type inboxRow struct {
	kind, author, body, inReplyTo, threadRoot string
	received                                  time.Time
}

func (m *mastoHarness) inbox() []inboxRow {
	m.t.Helper()
	rows, err := m.st.DB().Query(`SELECT kind, author_handle, body, in_reply_to, thread_root, received_at
		FROM inbox_items WHERE account_id = ? ORDER BY remote_id`, m.acct)
	if err != nil {
		m.t.Fatal(err)
	}
	defer rows.Close()
	var out []inboxRow
	for rows.Next() {
		var r inboxRow
		var at int64
		if err := rows.Scan(&r.kind, &r.author, &r.body, &r.inReplyTo, &r.threadRoot, &at); err != nil {
			m.t.Fatal(err)
		}
		r.received = time.UnixMilli(at).UTC()
		out = append(out, r)
	}
	return out
}

// sendOne queues a post due now and waits until it is sent; it returns the
// server's status id.
func (m *mastoHarness) sendOne(body string) string {
	m.t.Helper()
	_, d := m.queue(store.Post{Body: body}, m.clock.Now())
	m.sched.Wake()
	m.waitEvent(EventSent, d.ID, EventFailed, EventRetrying)
	return m.delivery(d.ID).RemoteID
}

func TestSyncPullsInboxMetricsAndFollowers(t *testing.T) {
	ctx := context.Background()
	m := newMastoHarness(t, mastotest.Config{})
	m.start()
	// Taking the lease starts a first sync; nothing is there yet.
	if e := m.waitEvent(EventSynced, 0, EventSyncError); e.Count != 0 {
		t.Fatalf("first sync: %+v", e)
	}
	ours := m.sendOne("Fresh rye today")

	alice := m.srv.AddAccount("alice")
	bob := m.srv.AddAccount("bob@elsewhere.example")
	m.srv.Post(alice.ID, "@crier do you open on Sunday?", "public", "")
	m.srv.Post(bob.ID, "@crier looks great", "public", ours)
	m.srv.Quote(alice.ID, ours, "best bread in town")
	m.srv.Post(alice.ID, "@crier can I order a cake?", "direct", "")
	m.srv.Favourite(alice.ID, ours)
	m.srv.Reblog(bob.ID, ours)
	m.srv.Follow(bob.ID) // not an inbox item
	m.srv.SetFollowers(57)

	m.sched.SyncNow()
	e := m.waitEvent(EventSynced, 0, EventSyncError)
	if e.Count != 4 || !e.Status.LastSync.Equal(m.clock.Now()) {
		t.Fatalf("synced event = %+v, want 4 new items", e)
	}
	got := m.inbox()
	sort.Slice(got, func(i, j int) bool { return got[i].kind < got[j].kind })
	kinds := []string{}
	for _, r := range got {
		kinds = append(kinds, r.kind)
	}
	if strings.Join(kinds, ",") != "dm,mention,quote,reply" {
		t.Fatalf("inbox kinds = %v", kinds)
	}
	byKind := map[string]inboxRow{}
	for _, r := range got {
		byKind[r.kind] = r
	}
	if r := byKind["reply"]; r.author != "bob@elsewhere.example" || r.inReplyTo != ours || r.threadRoot != ours ||
		!strings.Contains(r.body, "looks great") || !r.received.Equal(m.clock.Now()) {
		t.Errorf("reply = %+v", r)
	}
	if r := byKind["quote"]; r.inReplyTo != ours || !strings.Contains(r.body, "best bread") {
		t.Errorf("quote = %+v, want it tied to our post %s", r, ours)
	}
	if r := byKind["dm"]; r.author != "alice" || r.threadRoot == "" || !strings.Contains(r.body, "order a cake") {
		t.Errorf("dm = %+v", r)
	}
	if r := byKind["mention"]; r.inReplyTo != "" || r.author != "alice" {
		t.Errorf("mention = %+v", r)
	}
	if c, _ := m.st.SyncCursor(ctx, m.acct, store.StreamNotifications); c == "" {
		t.Error("no notifications cursor stored")
	}

	// Metrics of our young post and the follower count.
	ds, err := m.st.PostDeliveries(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d := ds[0]; d.Metrics.Likes != 1 || d.Metrics.Reposts != 1 || d.Metrics.Quotes != 1 || d.Metrics.Replies != 1 ||
		!d.MetricsAt.Equal(m.clock.Now()) {
		t.Fatalf("delivery metrics = %+v at %v", d.Metrics, d.MetricsAt)
	}
	if at, _ := m.st.LastFollowersAt(ctx, m.acct); !at.Equal(m.clock.Now()) {
		t.Fatalf("followers recorded at %v", at)
	}

	// The next sync, on the interval, brings only what is new, and reads
	// the young post's counters and the follower count again.
	m.srv.Post(bob.ID, "@crier one more thing", "public", "")
	m.srv.Favourite(bob.ID, ours)
	m.srv.SetFollowers(58)
	next := m.clock.Now().Add(DefaultSyncEvery)
	m.clock.waitTimer(t, next)
	m.clock.Set(next)
	if e := m.waitEvent(EventSynced, 0, EventSyncError); e.Count != 1 {
		t.Fatalf("second sync: %d new, want 1", e.Count)
	}
	if n := len(m.inbox()); n != 5 {
		t.Fatalf("inbox has %d items, want 5 (nothing twice)", n)
	}
	if d, _ := m.st.Delivery(ctx, ds[0].ID); d.Metrics.Likes != 2 || !d.MetricsAt.Equal(next) {
		t.Fatalf("metrics after the second sync = %+v at %v", d.Metrics, d.MetricsAt)
	}
	var snaps, history int
	m.st.DB().QueryRow("SELECT count(*) FROM follower_snapshots WHERE account_id = ?", m.acct).Scan(&snaps)
	m.st.DB().QueryRow("SELECT count(*) FROM delivery_metrics").Scan(&history)
	// The first count stays as history; the second is the current figure.
	if snaps != 2 || history != 2 {
		t.Fatalf("%d follower snapshots (want 2), %d metric rows (want 2)", snaps, history)
	}
	if k, err := m.st.KPIs(ctx, next, time.UTC); err != nil || k.Total.Followers != 58 {
		t.Fatalf("KPI followers after the second sync = %d, %v; want 58", k.Total.Followers, err)
	}
}

// TestSyncErrorsBackOffAndNeverStopPublishing: a failing server makes the
// account's syncs back off (1, 2, 4 ... minutes, up to 30) with an event
// each time, while a post due meanwhile still goes out.
func TestSyncErrorsBackOffAndNeverStopPublishing(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	m.srv.Inject(http.MethodGet, "/api/v1/notifications", mastotest.Fault{Status: http.StatusBadGateway, Times: 100})
	m.start() // taking the lease starts a first sync

	e := m.waitEvent(EventSyncError, 0, EventSynced)
	if !strings.Contains(e.Err, "notifications: Bad Gateway (HTTP 502)") || e.AccountID != m.acct ||
		!e.RetryAt.Equal(m.clock.Now().Add(time.Minute)) {
		t.Fatalf("sync error = %+v, want a retry in a minute", e)
	}
	for _, want := range []time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute} {
		at := e.RetryAt
		m.clock.Set(at.Add(DefaultSyncEvery)) // the next interval sync after the backoff
		e = m.waitEvent(EventSyncError, 0, EventSynced)
		if got := e.RetryAt.Sub(m.clock.Now()); got != want {
			t.Fatalf("backoff %v, want %v", got, want)
		}
	}
	// Publishing goes on all the while.
	_, d := m.queue(store.Post{Body: "still posting"}, m.clock.Now())
	m.sched.Wake()
	m.waitEvent(EventSent, d.ID, EventFailed)

	// The server recovers; the next sync succeeds and the backoff resets.
	m.srv.ClearFaults()
	m.sched.SyncNow()
	m.waitEvent(EventSynced, 0, EventSyncError)

	s := New(Options{SyncInterval: time.Minute})
	var as accountSync
	for range 10 {
		s.syncFailed(context.Background(), store.Account{}, &as, errTest)
	}
	if got := as.retryAt.Sub(time.Now()); got > maxSyncBackoff || got < maxSyncBackoff-time.Second {
		t.Fatalf("backoff after 10 failures = %v, want the cap %v", got, maxSyncBackoff)
	}
}

var errTest = &testError{}

type testError struct{}

func (*testError) Error() string { return "test" }

// TestDirectMessagesUnavailable: an account whose server refuses direct
// messages for good is asked once; the rest of its sync goes on, with no
// error shown.
func TestDirectMessagesUnavailable(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	m.srv.Inject(http.MethodGet, "/api/v1/conversations", mastotest.Fault{Status: http.StatusNotFound})
	alice := m.srv.AddAccount("alice")
	m.srv.Post(alice.ID, "@crier hello", "public", "")
	m.start() // taking the lease starts a first sync

	if e := m.waitEvent(EventSynced, 0, EventSyncError); e.Count != 1 {
		t.Fatalf("synced %d, want the mention", e.Count)
	}
	m.sched.SyncNow()
	m.waitEvent(EventSynced, 0, EventSyncError)
	if n := m.srv.Count(http.MethodGet, "/api/v1/conversations"); n != 1 {
		t.Fatalf("conversations asked %d times, want once", n)
	}
}

// TestRevokedTokenStopsSyncingTheAccount: a 401 while syncing flags the
// account, and it is not synced again until it is signed in.
func TestRevokedTokenStopsSyncingTheAccount(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	m.srv.Inject(http.MethodGet, "/api/v1/conversations", mastotest.Fault{Status: http.StatusUnauthorized})
	m.srv.Inject(http.MethodGet, "/api/v1/notifications", mastotest.Fault{Status: http.StatusUnauthorized})
	m.start() // taking the lease starts a first sync
	// Direct messages are refused for good (and not synced again); the
	// notifications' 401 then flags the account.
	e := m.waitEvent(EventNeedsReauth, 0, EventSynced)
	if !strings.Contains(e.Err, "sign in again") {
		t.Fatalf("event = %+v", e)
	}
	a, err := m.st.Account(context.Background(), m.acct)
	if err != nil || !a.NeedsReauth {
		t.Fatalf("account = %+v, %v", a, err)
	}
	before := len(m.srv.Requests())
	m.syncRounds(2)
	if after := len(m.srv.Requests()); after != before {
		t.Fatalf("%d requests to a flagged account", after-before)
	}
}

// syncRounds asks for n syncs on demand and returns once the sync loop has
// run them all to the end. The loop takes a request only from its select,
// between rounds, so the request after the nth being taken means the nth
// round is over.
func (h *harness) syncRounds(n int) {
	h.t.Helper()
	for range n + 1 {
		h.sched.SyncNow()
		// Taking a request is told by nothing but the request gone.
		waitfor.Holds(h.t, 10*time.Second, "the sync loop taking a sync request", func() bool { return len(h.sched.syncNow) == 0 })
	}
}

// An account added to the config while crier runs is synced too, on the
// interval, once its network can be set up: its mentions reach the inbox,
// and a like from the inbox goes out, without a restart.
func TestAnAccountAddedSinceTheStartIsSynced(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	var mu sync.Mutex
	added := false
	m.opts.Networks = nil
	rounds := 0
	m.opts.RecordAdded = func(context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		rounds++
		return nil
	}
	m.opts.Resolve = func(_ context.Context, id int64) (platforms.Network, error) {
		mu.Lock()
		defer mu.Unlock()
		if !added || id != m.acct {
			return nil, nil // not in the config (yet)
		}
		return m.client, nil
	}
	m.start()
	alice := m.srv.AddAccount("alice")
	hello := m.srv.Post(alice.ID, "@crier are you open on Sunday?", "public", "")

	// The first round, on the interval, finds nothing it can sync.
	next := m.clock.Now().Add(DefaultSyncEvery)
	m.clock.waitTimer(t, next)
	m.clock.Set(next)
	m.clock.waitTimer(t, next.Add(DefaultSyncEvery))
	if n := len(m.inbox()); n != 0 {
		t.Fatalf("%d inbox items before the account was in the config", n)
	}

	mu.Lock()
	added = true
	mu.Unlock()
	next = next.Add(DefaultSyncEvery)
	m.clock.Set(next)
	if e := m.waitEvent(EventSynced, 0, EventSyncError); e.Count != 1 {
		t.Fatalf("sync after the account was added: %+v, want 1 new item", e)
	}
	if got := m.inbox(); len(got) != 1 || got[0].kind != "mention" || !strings.Contains(got[0].body, "open on Sunday") {
		t.Fatalf("inbox = %+v", got)
	}
	mu.Lock()
	if rounds < 2 {
		t.Errorf("RecordAdded ran %d times, want once before each of the 2 rounds at least", rounds)
	}
	mu.Unlock()
	if err := m.sched.React(context.Background(), m.acct, platforms.Ref{ID: hello}, store.ReactLike, true); err != nil {
		t.Fatalf("liking from the added account: %v", err)
	}
	if n := m.srv.Count(http.MethodPost, "/api/v1/statuses/"+hello+"/favourite"); n != 1 {
		t.Fatalf("%d favourite requests, want 1", n)
	}
}
