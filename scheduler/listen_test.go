package scheduler

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/platforms/mastodon/mastotest"
	"github.com/crier-app/crier/store"
)

type heardRow struct {
	kind, term, author, body string
}

// heard lists the account's inbox in remote id order (the server's order of
// writing), with the fields listening sets.
func (m *mastoHarness) heard() []heardRow {
	m.t.Helper()
	rows, err := m.st.DB().Query(`SELECT kind, term, author_handle, body FROM inbox_items
		WHERE account_id = ? ORDER BY length(remote_id), remote_id`, m.acct)
	if err != nil {
		m.t.Fatal(err)
	}
	defer rows.Close()
	var out []heardRow
	for rows.Next() {
		var r heardRow
		if err := rows.Scan(&r.kind, &r.term, &r.author, &r.body); err != nil {
			m.t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestListeningFilesWhatTermsFind: on a sync, hashtag and keyword searches
// file public posts as listening items under their term; a post that also
// mentions the account stays a mention, the account's own posts are left
// out, and a term whose search fails is reported and retried later while
// the other terms and the rest of the sync go on.
func TestListeningFilesWhatTermsFind(t *testing.T) {
	ctx := context.Background()
	m := newMastoHarness(t, mastotest.Config{})
	m.opts.Listen = map[int64][]string{m.acct: {"#sourdough", "rye bread", "#broken"}}
	alice := m.srv.AddAccount("alice")
	bob := m.srv.AddAccount("bob@elsewhere.example")
	m.srv.Post(alice.ID, "Best #sourdough in town, no contest", "public", "")
	m.srv.Post(bob.ID, "@crier your #sourdough is worth the queue", "public", "")
	m.srv.Post(m.srv.Me().ID, "#sourdough Saturday: the starter is fed", "public", "")
	m.srv.Post(alice.ID, "Where can I find good rye bread near the market?", "public", "")
	m.srv.Post(alice.ID, "rye bread, but a private note", "direct", "")
	m.srv.Post(bob.ID, "this one is #broken", "public", "")
	m.srv.SetFollowers(40)
	m.srv.Inject(http.MethodGet, "/api/v1/timelines/tag/broken", mastotest.Fault{Status: http.StatusBadGateway, Times: 100})

	m.start() // taking the lease starts a first sync
	e := m.waitEvent(EventSyncError, 0, EventSynced)
	if e.AccountID != m.acct || !strings.Contains(e.Err, `listening for "#broken": Bad Gateway (HTTP 502)`) ||
		!e.RetryAt.Equal(m.clock.Now().Add(DefaultSyncEvery)) {
		t.Fatalf("sync error = %+v, want the term's failure with a retry in a minute", e)
	}
	// Not the private note: a search finds public posts only.
	if e := m.waitEvent(EventSynced, 0, EventSyncError); e.Count != 3 {
		t.Fatalf("first sync stored %d new items, want 3", e.Count)
	}
	want := []heardRow{
		{"listening", "#sourdough", "alice", "Best #sourdough in town, no contest"},
		{"mention", "", "bob@elsewhere.example", "@crier your #sourdough is worth the queue"},
		{"listening", "rye bread", "alice", "Where can I find good rye bread near the market?"},
	}
	got := m.heard()
	if len(got) != len(want) {
		t.Fatalf("inbox = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("item %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, term := range []string{"#sourdough", "rye bread"} {
		if c, _ := m.st.SyncCursor(ctx, m.acct, "listen:"+term); c == "" {
			t.Errorf("no cursor stored for %q", term)
		}
	}
	if c, _ := m.st.SyncCursor(ctx, m.acct, "listen:#broken"); c != "" {
		t.Errorf("the failed term has a cursor %q", c)
	}
	// The rest of the sync ran.
	if at, _ := m.st.LastFollowersAt(ctx, m.acct); !at.Equal(m.clock.Now()) {
		t.Errorf("followers recorded at %v, want now", at)
	}
	items, err := m.st.InboxPage(ctx, store.InboxFilter{Kind: store.KindListening}, nil, nil, 10)
	if err != nil || len(items) != 2 || !items[0].HasSentiment || items[0].AuthorFollowers < 0 {
		t.Fatalf("listening items %+v, %v: want 2, scored, with the author's reach", items, err)
	}

	// The next sync reads on from the cursors: only what is new, nothing
	// twice. The broken term waits for its backoff, so no error yet.
	carol := m.srv.AddAccount("carol")
	m.srv.Post(carol.ID, "#Sourdough toast for breakfast, so good", "public", "")
	timeline := func() int { return m.srv.Count(http.MethodGet, "/api/v1/timelines/tag/broken") }
	before := timeline()
	next := m.clock.Now().Add(DefaultSyncEvery / 2)
	m.clock.Set(next)
	m.sched.SyncNow()
	if e := m.waitEvent(EventSynced, 0, EventSyncError); e.Count != 1 {
		t.Fatalf("second sync: %d new, want 1", e.Count)
	}
	if timeline() != before {
		t.Error("the failing term was searched again before its backoff")
	}

	// The server recovers; after the backoff the term is searched and filed.
	m.srv.ClearFaults()
	at := e.RetryAt.Add(time.Second)
	m.clock.Set(at)
	m.sched.SyncNow()
	if e := m.waitEvent(EventSynced, 0, EventSyncError); e.Count != 1 {
		t.Fatalf("after recovery: %d new, want the #broken post", e.Count)
	}
	found := false
	for _, r := range m.heard() {
		found = found || (r.term == "#broken" && r.kind == "listening" && r.body == "this one is #broken")
	}
	if !found {
		t.Errorf("the #broken post was not filed: %+v", m.heard())
	}
}

// TestListeningRefusedTerm: a search the server refuses for good (here a
// token without the search scope) is reported once and not asked again;
// the account is not flagged, and its other terms still run.
func TestListeningRefusedTerm(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	m.opts.Listen = map[int64][]string{m.acct: {"rye bread", "#rye"}}
	alice := m.srv.AddAccount("alice")
	m.srv.Post(alice.ID, "fresh #rye today", "public", "")
	m.srv.Inject(http.MethodGet, "/api/v2/search", mastotest.Fault{Status: http.StatusForbidden,
		Body: `{"error": "This action is outside the authorized scopes"}`})
	m.start()
	e := m.waitEvent(EventSyncError, 0, EventSynced, EventNeedsReauth)
	if !strings.Contains(e.Err, "outside the authorized scopes") || !strings.Contains(e.Err, "not searching for it again") ||
		!strings.Contains(e.Err, "sign in again") || !e.RetryAt.IsZero() {
		t.Fatalf("error = %+v", e)
	}
	if e := m.waitEvent(EventSynced, 0, EventSyncError, EventNeedsReauth); e.Count != 1 {
		t.Fatalf("synced %d, want the #rye post", e.Count)
	}
	for range 2 {
		m.sched.SyncNow()
		m.waitEvent(EventSynced, 0, EventSyncError, EventNeedsReauth)
	}
	if n := m.srv.Count(http.MethodGet, "/api/v2/search"); n != 1 {
		t.Errorf("search asked %d times, want once", n)
	}
	if a, err := m.st.Account(context.Background(), m.acct); err != nil || a.NeedsReauth {
		t.Errorf("account = %+v, %v: a missing search scope must not stop publishing", a, err)
	}
}

// TestListeningRateLimit: a rate limit on one term holds back every term of
// the account until it lifts, with one error saying when.
func TestListeningRateLimit(t *testing.T) {
	m := newMastoHarness(t, mastotest.Config{})
	m.opts.Listen = map[int64][]string{m.acct: {"#one", "#two"}}
	reset := t0.Add(20 * time.Minute)
	m.srv.Inject(http.MethodGet, "/api/v1/timelines/tag/one", mastotest.Fault{Status: http.StatusTooManyRequests,
		Header: http.Header{"X-Ratelimit-Reset": {mastotest.ResetHeader(reset)}, "X-Ratelimit-Remaining": {"0"}}})
	m.start()
	if e := m.waitEvent(EventSyncError, 0, EventSynced); !e.RetryAt.Equal(reset) || !strings.Contains(e.Err, `"#one"`) {
		t.Fatalf("error = %+v, want a retry at the reset %v", e, reset)
	}
	m.waitEvent(EventSynced, 0, EventSyncError)
	two := func() int { return m.srv.Count(http.MethodGet, "/api/v1/timelines/tag/two") }
	if two() != 0 {
		t.Fatal("the second term was searched into the rate limit")
	}
	m.sched.SyncNow()
	m.waitEvent(EventSynced, 0, EventSyncError)
	if two() != 0 {
		t.Fatal("a term was searched before the limit lifted")
	}
	m.clock.Set(reset)
	m.sched.SyncNow()
	m.waitEvent(EventSynced, 0, EventSyncError)
	if two() != 1 || m.srv.Count(http.MethodGet, "/api/v1/timelines/tag/one") != 2 {
		t.Fatalf("after the reset: #two asked %d times, #one %d; want both again", two(),
			m.srv.Count(http.MethodGet, "/api/v1/timelines/tag/one"))
	}
}

// noSearch is a network that cannot search: listening leaves it alone.
type noSearch struct{ platforms.Network }

func TestListeningSkipsNetworksWithoutSearch(t *testing.T) {
	s := New(Options{Listen: map[int64][]string{1: {"#rye"}}})
	n, err := s.syncListening(context.Background(), store.Account{ID: 1}, noSearch{}, &accountSync{})
	if n != 0 || err != nil {
		t.Errorf("syncListening = %d, %v", n, err)
	}
}

func TestOwnHandle(t *testing.T) {
	masto := store.Account{Platform: store.PlatformMastodon, Handle: "@Shop@example.social"}
	bsky := store.Account{Platform: store.PlatformBluesky, Handle: "shop.bsky.social"}
	for _, tt := range []struct {
		a      store.Account
		author string
		own    bool
	}{
		{masto, "shop", true}, // the server's own user, named without its domain
		{masto, "shop@example.social", true},
		{masto, "@SHOP@example.social", true},
		{masto, "shop@elsewhere.social", false}, // another server's shop
		{masto, "shopkeeper", false},
		{masto, "", false},
		{bsky, "shop.bsky.social", true},
		{bsky, "@Shop.bsky.social", true},
		{bsky, "shop", false}, // a bare name is a Mastodon habit
		{bsky, "shop.bsky.social.evil.example", false},
	} {
		if got := ownHandle(tt.a, tt.author); got != tt.own {
			t.Errorf("ownHandle(%q, %q) = %v, want %v", tt.a.Handle, tt.author, got, tt.own)
		}
	}
}
