package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var schedT0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// queueTestPost saves p as a draft, queues it at `at` and returns the post id
// and its deliveries in account order.
func queueTestPost(t testing.TB, st *Store, p Post, at time.Time) (int64, []Delivery) {
	t.Helper()
	ctx := context.Background()
	id, err := st.SaveDraft(ctx, p, schedT0.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueuePost(ctx, id, at, "UTC", schedT0.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ds, err := st.PostDeliveries(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return id, ds
}

func targets(accounts ...int64) []Target {
	var ts []Target
	for _, a := range accounts {
		ts = append(ts, Target{AccountID: a})
	}
	return ts
}

func mustClaim(t testing.TB, st *Store, id int64, now time.Time) {
	t.Helper()
	ok, err := st.ClaimDelivery(context.Background(), id, now)
	if err != nil || !ok {
		t.Fatalf("claim delivery %d = %v, %v", id, ok, err)
	}
}

func postState(t testing.TB, st *Store, id int64) PostState {
	t.Helper()
	p, err := st.Post(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.State
}

func dueIDs(ds []DueDelivery) string {
	var s []string
	for _, d := range ds {
		s = append(s, fmt.Sprint(d.ID))
	}
	return strings.Join(s, ",")
}

func TestNextDueAndDueDeliveries(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")

	if _, _, _, ok, err := st.NextDue(ctx); ok || err != nil {
		t.Fatalf("NextDue on an empty queue = %v, %v", ok, err)
	}

	later, _ := queueTestPost(t, st, Post{Body: "later", Targets: targets(m)}, schedT0.Add(time.Hour))
	soon, soonDs := queueTestPost(t, st, Post{Body: "croissants are out",
		Targets: []Target{{AccountID: m}, {AccountID: b, BodyOverride: "🥐 out now", HasOverride: true}},
		Media: []Media{
			{Path: "/img/a.jpg", Mime: "image/jpeg", AltText: "a tray"},
			{Path: "/img/b.jpg", Mime: "image/jpeg", AltText: "a basket"},
		}}, schedT0)

	at, did, pid, ok, err := st.NextDue(ctx)
	if err != nil || !ok || !at.Equal(schedT0) || pid != soon || did != soonDs[0].ID {
		t.Fatalf("NextDue = %v %d %d %v %v, want %v, delivery %d of post %d", at, did, pid, ok, err, schedT0, soonDs[0].ID, soon)
	}

	if ds, err := st.DueDeliveries(ctx, schedT0.Add(-time.Millisecond), 10); err != nil || len(ds) != 0 {
		t.Fatalf("due a millisecond early = %v, %v", dueIDs(ds), err)
	}
	ds, err := st.DueDeliveries(ctx, schedT0, 10)
	if err != nil || len(ds) != 2 {
		t.Fatalf("due at t0 = %+v, %v", ds, err)
	}
	for i, want := range []struct {
		account          int64
		platform, handle string
		text             string
	}{{m, PlatformMastodon, "@shop@example.social", "croissants are out"}, {b, PlatformBluesky, "shop.bsky.social", "🥐 out now"}} {
		d := ds[i]
		if d.AccountID != want.account || d.Platform != want.platform || d.Handle != want.handle || d.Text != want.text ||
			d.State != DeliveryQueued || d.IdempotencyKey == "" || !d.DueAt.Equal(schedT0) || d.ReplyTo.ID != "" {
			t.Errorf("due[%d] = %+v", i, d)
		}
		if len(d.Media) != 2 || d.Media[0].AltText != "a tray" || d.Media[1].Path != "/img/b.jpg" {
			t.Errorf("due[%d] media = %+v", i, d.Media)
		}
	}
	if ds, _ := st.DueDeliveries(ctx, schedT0, 1); len(ds) != 1 || ds[0].ID != soonDs[0].ID {
		t.Fatalf("limit 1 = %v", dueIDs(ds))
	}

	// A retry waits for next_attempt_at, not the due time.
	mustClaim(t, st, soonDs[0].ID, schedT0)
	mustClaim(t, st, soonDs[1].ID, schedT0)
	retryAt := schedT0.Add(90 * time.Minute)
	if err := st.MarkRetry(ctx, soonDs[0].ID, "HTTP 503", retryAt); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkSent(ctx, soonDs[1].ID, RemoteRef{ID: "r1"}, "https://bsky.app/r1", schedT0); err != nil {
		t.Fatal(err)
	}
	at, _, pid, _, _ = st.NextDue(ctx)
	if !at.Equal(schedT0.Add(time.Hour)) || pid != later {
		t.Fatalf("NextDue after a retry = %v of post %d, want the later post at %v", at, pid, schedT0.Add(time.Hour))
	}
	ds, _ = st.DueDeliveries(ctx, schedT0.Add(time.Hour), 10)
	if len(ds) != 1 || ds[0].PostID != later {
		t.Fatalf("due at t0+1h = %+v", ds)
	}
	ds, _ = st.DueDeliveries(ctx, retryAt, 10)
	if len(ds) != 2 || ds[0].PostID != later || ds[1].ID != soonDs[0].ID || ds[1].Attempts != 1 ||
		ds[1].LastError != "HTTP 503" || !ds[1].NextAttemptAt.Equal(retryAt) {
		t.Fatalf("due at the retry time = %+v", ds)
	}
}

func TestThreadChildWaitsForItsParent(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	x := mustAccount(t, st, PlatformSandbox, "test")

	parent, parentDs := queueTestPost(t, st, Post{Body: "1/3", Targets: targets(m, b)}, schedT0)
	child, childDs := queueTestPost(t, st, Post{Body: "2/3", ThreadParent: parent, Targets: targets(m, b, x)}, schedT0)
	_, grandDs := queueTestPost(t, st, Post{Body: "3/3", ThreadParent: child, Targets: targets(m)}, schedT0)

	// The parent goes first; the child only where the parent was never meant to go.
	ds, err := st.DueDeliveries(ctx, schedT0, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d,%d,%d", parentDs[0].ID, parentDs[1].ID, childDs[2].ID)
	if got := dueIDs(ds); got != want {
		t.Fatalf("due = %s, want %s (the parent on both accounts, the child alone on the sandbox)", got, want)
	}
	if ds[2].ReplyTo.ID != "" || ds[2].ThreadRoot.ID != "" {
		t.Fatalf("the child starts its own thread where the parent did not go: %+v", ds[2])
	}

	mustClaim(t, st, parentDs[0].ID, schedT0)
	if err := st.MarkSent(ctx, parentDs[0].ID, RemoteRef{ID: "m-1", CID: "cid-1"}, "https://example.social/@shop/1", schedT0); err != nil {
		t.Fatal(err)
	}
	ds, _ = st.DueDeliveries(ctx, schedT0, 10)
	want = fmt.Sprintf("%d,%d,%d", parentDs[1].ID, childDs[0].ID, childDs[2].ID)
	if got := dueIDs(ds); got != want {
		t.Fatalf("due after the parent went out on mastodon = %s, want %s", got, want)
	}
	if ds[1].ReplyTo != (RemoteRef{ID: "m-1", CID: "cid-1"}) || ds[1].ThreadRoot != (RemoteRef{ID: "m-1", CID: "cid-1"}) {
		t.Fatalf("child on mastodon: reply to %q root %q, want m-1 for both", ds[1].ReplyTo.ID, ds[1].ThreadRoot.ID)
	}

	mustClaim(t, st, childDs[0].ID, schedT0)
	if err := st.MarkSent(ctx, childDs[0].ID, RemoteRef{ID: "m-2"}, "", schedT0); err != nil {
		t.Fatal(err)
	}
	ds, _ = st.DueDeliveries(ctx, schedT0, 10)
	var grand *DueDelivery
	for i := range ds {
		if ds[i].ID == grandDs[0].ID {
			grand = &ds[i]
		}
	}
	if grand == nil || grand.ReplyTo.ID != "m-2" || grand.ThreadRoot.ID != "m-1" {
		t.Fatalf("grandchild = %+v, want a reply to m-2 in the thread of m-1", grand)
	}

	// With the parent failed on bluesky, its child there waits and NextDue
	// does not offer it (or the scheduler would wake for nothing).
	mustClaim(t, st, parentDs[1].ID, schedT0)
	if err := st.MarkFailed(ctx, parentDs[1].ID, "refused"); err != nil {
		t.Fatal(err)
	}
	for _, d := range []int64{childDs[2].ID, grandDs[0].ID} {
		mustClaim(t, st, d, schedT0)
		if err := st.MarkSent(ctx, d, RemoteRef{ID: "r"}, "", schedT0); err != nil {
			t.Fatal(err)
		}
	}
	if _, did, _, ok, _ := st.NextDue(ctx); ok {
		t.Fatalf("NextDue = delivery %d, want nothing while the child waits for a failed parent", did)
	}
	if ds, _ := st.DueDeliveries(ctx, schedT0.Add(time.Hour), 10); len(ds) != 0 {
		t.Fatalf("due = %s, want nothing", dueIDs(ds))
	}
}

// TestClaimDeliveryOnlyOnce races two processes (two Store handles on one
// file) for the same deliveries: each must be claimed exactly once.
func TestClaimDeliveryOnlyOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	one, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	two, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()

	a := mustAccount(t, one, PlatformSandbox, "test")
	var ids []int64
	for i := 0; i < 20; i++ {
		_, ds := queueTestPost(t, one, Post{Body: fmt.Sprint("post ", i), Targets: targets(a)}, schedT0)
		ids = append(ids, ds[0].ID)
	}
	for _, id := range ids {
		var wins [2]bool
		var errs [2]error
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, st := range []*Store{one, two} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				wins[i], errs[i] = st.ClaimDelivery(ctx, id, schedT0)
			}()
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("delivery %d: claim errors %v, %v", id, errs[0], errs[1])
		}
		if wins[0] == wins[1] {
			t.Fatalf("delivery %d: claims = %v, want exactly one winner", id, wins)
		}
		d, _ := one.Delivery(ctx, id)
		if d.State != DeliverySending || d.Attempts != 1 {
			t.Fatalf("delivery %d after the race: %s, %d attempts", id, d.State, d.Attempts)
		}
	}
}

func TestClaimNeedsAPendingDueDelivery(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := mustAccount(t, st, PlatformSandbox, "test")
	_, ds := queueTestPost(t, st, Post{Body: "x", Targets: targets(a)}, schedT0)
	id := ds[0].ID
	if ok, err := st.ClaimDelivery(ctx, id, schedT0.Add(-time.Second)); ok || err != nil {
		t.Fatalf("claim before due = %v, %v", ok, err)
	}
	mustClaim(t, st, id, schedT0)
	if ok, _ := st.ClaimDelivery(ctx, id, schedT0); ok {
		t.Fatal("claimed a delivery already being sent")
	}
	if err := st.MarkRetry(ctx, id, "timeout", schedT0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.ClaimDelivery(ctx, id, schedT0.Add(30*time.Second)); ok {
		t.Fatal("claimed a retry before its time")
	}
	mustClaim(t, st, id, schedT0.Add(time.Minute))
	if d, _ := st.Delivery(ctx, id); d.Attempts != 2 {
		t.Fatalf("attempts = %d, want 2", d.Attempts)
	}
	if ok, _ := st.ClaimDelivery(ctx, 9999, schedT0); ok {
		t.Fatal("claimed a delivery that does not exist")
	}
}

func TestOutcomesRollUpThePost(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	post, ds := queueTestPost(t, st, Post{Body: "x", Targets: targets(m, b)}, schedT0)

	// Outcomes are only written by whoever claimed the delivery.
	for name, mark := range map[string]func() error{
		"retry":   func() error { return st.MarkRetry(ctx, ds[0].ID, "x", schedT0) },
		"failed":  func() error { return st.MarkFailed(ctx, ds[0].ID, "x") },
		"unknown": func() error { return st.MarkUnknown(ctx, ds[0].ID, "x", schedT0) },
	} {
		if err := mark(); !errors.Is(err, ErrNotSending) {
			t.Errorf("%s on an unclaimed delivery = %v, want ErrNotSending", name, err)
		}
	}

	mustClaim(t, st, ds[0].ID, schedT0)
	mustClaim(t, st, ds[1].ID, schedT0)
	sentAt := schedT0.Add(2 * time.Second)
	if err := st.MarkSent(ctx, ds[0].ID, RemoteRef{ID: "109"}, "https://example.social/@shop/109", sentAt); err != nil {
		t.Fatal(err)
	}
	if s := postState(t, st, post); s != PostQueued {
		t.Fatalf("post with one delivery sent, one sending = %s, want queued", s)
	}
	d, _ := st.Delivery(ctx, ds[0].ID)
	if d.State != DeliverySent || d.RemoteID != "109" || d.RemoteURL != "https://example.social/@shop/109" ||
		!d.SentAt.Equal(sentAt) || d.LastError != "" {
		t.Fatalf("sent delivery = %+v", d)
	}

	reconcileAt := schedT0.Add(time.Minute)
	if err := st.MarkUnknown(ctx, ds[1].ID, "connection reset", reconcileAt); err != nil {
		t.Fatal(err)
	}
	d, _ = st.Delivery(ctx, ds[1].ID)
	if d.State != DeliveryUnknown || !d.NextAttemptAt.Equal(reconcileAt) || d.LastError != "connection reset" {
		t.Fatalf("unknown delivery = %+v", d)
	}
	if at, did, _, ok, _ := st.NextDue(ctx); !ok || did != ds[1].ID || !at.Equal(reconcileAt) {
		t.Fatalf("NextDue = %v %d, want the unknown delivery at %v", at, did, reconcileAt)
	}
	mustClaim(t, st, ds[1].ID, reconcileAt)
	if err := st.MarkFailed(ctx, ds[1].ID, "422: text too long"); err != nil {
		t.Fatal(err)
	}
	if s := postState(t, st, post); s != PostFailed {
		t.Fatalf("post with a failed delivery = %s, want failed", s)
	}
	sum, _ := st.Unsent(ctx, 10)
	if len(sum) != 1 || sum[0].LastError != "422: text too long" {
		t.Fatalf("Unsent = %+v, want the failure's reason", sum)
	}

	// Once everything is sent the post is sent.
	post2, ds2 := queueTestPost(t, st, Post{Body: "y", Targets: targets(m, b)}, schedT0)
	for _, d := range ds2 {
		mustClaim(t, st, d.ID, schedT0)
		if err := st.MarkSent(ctx, d.ID, RemoteRef{ID: fmt.Sprint("r", d.ID)}, "", schedT0); err != nil {
			t.Fatal(err)
		}
	}
	if s := postState(t, st, post2); s != PostSent {
		t.Fatalf("post with every delivery sent = %s", s)
	}
}

func TestResetInFlightAndUnknownDeliveries(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	a := mustAccount(t, st, PlatformSandbox, "test")
	_, ds1 := queueTestPost(t, st, Post{Body: "crashed mid-send", Targets: targets(a)}, schedT0)
	_, ds2 := queueTestPost(t, st, Post{Body: "waiting to reconcile", Targets: targets(a)}, schedT0)
	_, ds3 := queueTestPost(t, st, Post{Body: "still queued", Targets: targets(a)}, schedT0)
	mustClaim(t, st, ds1[0].ID, schedT0)
	mustClaim(t, st, ds2[0].ID, schedT0)
	if err := st.MarkUnknown(ctx, ds2[0].ID, "timeout", schedT0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	// Only the holder of the sender lease may abandon rows in sending.
	dead := LeaseHolder{ID: "dead", Host: "h", PID: 1}
	if _, _, err := st.AcquireLease(ctx, SenderLease, dead, schedT0.Add(-time.Hour), time.Minute); err != nil {
		t.Fatal(err)
	}
	me := LeaseHolder{ID: "me", Host: "h", PID: 2}
	hold := LeaseHold{Name: SenderLease, HolderID: me.ID}
	if _, err := st.ResetInFlight(ctx, hold, schedT0); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("ResetInFlight without the lease = %v, want ErrLeaseLost", err)
	}
	if d, _ := st.Delivery(ctx, ds1[0].ID); d.State != DeliverySending {
		t.Fatalf("ResetInFlight without the lease changed a row to %s", d.State)
	}
	if got, _, err := st.AcquireLease(ctx, SenderLease, me, schedT0, time.Minute); !got || err != nil {
		t.Fatal(got, err)
	}
	n, err := st.ResetInFlight(ctx, hold, schedT0)
	if err != nil || n != 1 {
		t.Fatalf("ResetInFlight = %d, %v, want 1", n, err)
	}
	unknown, err := st.UnknownDeliveries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dueIDs(unknown), fmt.Sprintf("%d,%d", ds1[0].ID, ds2[0].ID); got != want {
		t.Fatalf("unknown = %s, want %s", got, want)
	}
	for _, d := range unknown {
		if d.State != DeliveryUnknown || !d.NextAttemptAt.IsZero() || d.Text == "" {
			t.Errorf("unknown delivery = %+v, want due at once for a reconcile", d)
		}
	}
	if d, _ := st.Delivery(ctx, ds3[0].ID); d.State != DeliveryQueued {
		t.Fatalf("a queued delivery became %s", d.State)
	}
	if n, _ := st.ResetInFlight(ctx, hold, schedT0); n != 0 {
		t.Fatalf("second ResetInFlight = %d, want 0", n)
	}
}

func TestMissedAndSendNow(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	start := schedT0
	old, oldDs := queueTestPost(t, st, Post{Body: "two hours late", Targets: targets(m, b)}, start.Add(-2*time.Hour))
	recent, _ := queueTestPost(t, st, Post{Body: "five minutes late", Targets: targets(m)}, start.Add(-5*time.Minute))
	_, unknownDs := queueTestPost(t, st, Post{Body: "maybe sent", Targets: targets(m)}, start.Add(-3*time.Hour))
	mustClaim(t, st, unknownDs[0].ID, start.Add(-3*time.Hour))
	if err := st.MarkUnknown(ctx, unknownDs[0].ID, "timeout", time.Time{}); err != nil {
		t.Fatal(err)
	}

	ids, err := st.MarkMissedBefore(ctx, start.Add(-15*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(ids), fmt.Sprint([]int64{oldDs[0].ID, oldDs[1].ID}); got != want {
		t.Fatalf("missed = %s, want %s (an unknown delivery may have gone out: it is not missed)", got, want)
	}
	if s := postState(t, st, old); s != PostMissed {
		t.Fatalf("late post = %s, want missed", s)
	}
	if s := postState(t, st, recent); s != PostQueued {
		t.Fatalf("post within the grace = %s, want queued", s)
	}
	if ds, _ := st.DueDeliveries(ctx, start, 10); len(ds) != 2 {
		t.Fatalf("due after marking missed = %+v, want the recent and the unknown one", ds)
	}

	now := start.Add(time.Minute)
	if err := st.SendMissedNow(ctx, old, now); err != nil {
		t.Fatal(err)
	}
	if s := postState(t, st, old); s != PostQueued {
		t.Fatalf("post sent now = %s, want queued", s)
	}
	for _, d := range oldDs {
		got, _ := st.Delivery(ctx, d.ID)
		if got.State != DeliveryQueued || !got.DueAt.Equal(now) {
			t.Fatalf("delivery after send-now = %+v", got)
		}
	}
	if err := st.SendMissedNow(ctx, old, now); err == nil {
		t.Fatal("send-now of a post with nothing missed: no error")
	}
}

// TestDeliveryQueriesUseIndexes checks the query plans of everything the
// scheduler runs in its loop and at startup.
func TestDeliveryQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	for _, c := range []struct {
		name, query, index string
	}{
		{"NextDue", nextDueQuery, "deliveries_next"},
		{"DueDeliveries", dueQuery, "deliveries_next (<expr><?)"},
		{"UnknownDeliveries", unknownQuery, "deliveries_pending (state=?)"},
		{"ClaimDelivery", claimQuery, "INTEGER PRIMARY KEY"},
		{"MarkMissedBefore", missedQuery, "deliveries_pending (state=? AND due_at>? AND due_at<?)"},
		{"ResetInFlight sending", resetSendingQuery, "deliveries_sending"},
		{"ResetInFlight unknown", reconcileNowQuery, "deliveries_pending (state=?)"},
		{"PaceAccount", paceQuery, "deliveries_account_next (account_id=? AND <expr><?)"},
		{"DeliveriesForMetrics", metricsDueQuery, "deliveries_account_sent (account_id=? AND sent_at>?)"},
		{"LastFollowersAt", lastFollowersQuery, "PRIMARY KEY"},
	} {
		args := make([]any, strings.Count(c.query, "?"))
		for i := range args {
			args[i] = 1
		}
		plan := explain(t, st, c.query, args...)
		if !strings.Contains(plan, c.index) {
			t.Errorf("%s does not use %s:\n%s", c.name, c.index, plan)
		}
		if strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s sorts instead of reading in index order:\n%s", c.name, plan)
		}
		for _, line := range strings.Split(plan, "\n") {
			if strings.HasPrefix(line, "SCAN") && !strings.Contains(line, "INDEX") {
				t.Errorf("%s scans a table: %s", c.name, line)
			}
		}
	}
}

// fillQueue adds n queued single-account posts with deliveries due one
// minute apart from first, a third of them with an image, in one transaction.
func fillQueue(tb testing.TB, st *Store, n int, first time.Time) {
	tb.Helper()
	ctx := context.Background()
	acct := mustAccount(tb, st, PlatformMastodon, "@bench@example.social")
	err := st.inTx(ctx, func(tx *sql.Tx) error {
		var stmts [4]*sql.Stmt
		for i, q := range []string{
			"INSERT INTO posts (body, state, scheduled_at, created_at, updated_at) VALUES (?, 'queued', ?, ?, ?) RETURNING id",
			"INSERT INTO post_targets (post_id, account_id) VALUES (?, ?)",
			"INSERT INTO post_media (post_id, position, path, alt_text) VALUES (?, 0, '/img.jpg', 'bread')",
			"INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key) VALUES (?, ?, 'queued', ?, ?)",
		} {
			stmt, err := tx.PrepareContext(ctx, q)
			if err != nil {
				return err
			}
			defer stmt.Close()
			stmts[i] = stmt
		}
		insertPost, insertTarget, insertMedia, insertDelivery := stmts[0], stmts[1], stmts[2], stmts[3]
		for i := 0; i < n; i++ {
			due := ms(first.Add(time.Duration(i) * time.Minute))
			var post int64
			if err := insertPost.QueryRowContext(ctx, fmt.Sprint("post ", i), due, due, due).Scan(&post); err != nil {
				return err
			}
			if _, err := insertTarget.ExecContext(ctx, post, acct); err != nil {
				return err
			}
			if i%3 == 0 {
				if _, err := insertMedia.ExecContext(ctx, post); err != nil {
					return err
				}
			}
			if _, err := insertDelivery.ExecContext(ctx, post, acct, due, fmt.Sprint("bench-", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkNextDue measures the scheduler's "when do I wake up next?" over a
// queue of 100k pending deliveries.
func BenchmarkNextDue(b *testing.B) {
	st := openTest(b)
	fillQueue(b, st, 100_000, schedT0)
	ctx := context.Background()
	for b.Loop() {
		if _, _, _, ok, err := st.NextDue(ctx); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkDueDeliveries measures picking one batch (16, the scheduler's
// batch size) of sendable deliveries, with their media, out of 100k pending
// ones of which 1000 are due.
func BenchmarkDueDeliveries(b *testing.B) {
	st := openTest(b)
	fillQueue(b, st, 100_000, schedT0)
	ctx := context.Background()
	now := schedT0.Add(999 * time.Minute)
	for b.Loop() {
		ds, err := st.DueDeliveries(ctx, now, 16)
		if err != nil || len(ds) != 16 {
			b.Fatal(len(ds), err)
		}
	}
}

// Dropping a post's missed copies (DropUnsent) when crier was down.
func TestDropUnsentMissedCopies(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	// One post went out on Mastodon before crier stopped; its Bluesky copy
	// and a second post were missed.
	half, halfDs := queueTestPost(t, st, Post{Body: "half sent", Targets: targets(m, b)}, schedT0.Add(-2*time.Hour))
	whole, wholeDs := queueTestPost(t, st, Post{Body: "all missed", Targets: targets(m, b)}, schedT0.Add(-2*time.Hour))
	mustClaim(t, st, halfDs[0].ID, schedT0.Add(-2*time.Hour))
	if err := st.MarkSent(ctx, halfDs[0].ID, RemoteRef{ID: "1"}, "https://example.social/1", schedT0.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MarkMissedBefore(ctx, schedT0.Add(-15*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if s := postState(t, st, half); s != PostMissed {
		t.Fatalf("half-sent post = %s, want missed", s)
	}

	now := schedT0.Add(time.Minute)
	if err := st.DropUnsent(ctx, half, now); err != nil {
		t.Fatal(err)
	}
	if s := postState(t, st, half); s != PostSent {
		t.Fatalf("half-sent post after dropping the rest = %s, want sent (not missed)", s)
	}
	if d, _ := st.Delivery(ctx, halfDs[1].ID); d.State != DeliveryDropped {
		t.Fatalf("dropped delivery = %s", d.State)
	}
	if d, _ := st.Delivery(ctx, halfDs[0].ID); d.State != DeliverySent {
		t.Fatalf("the sent delivery became %s", d.State)
	}
	// Dropped is final: not due, not missed again, not sent now.
	if ds, _ := st.DueDeliveries(ctx, now.Add(time.Hour), 10); len(ds) != 0 {
		t.Fatalf("due after a drop: %v", dueIDs(ds))
	}
	if err := st.SendMissedNow(ctx, half, now); err == nil {
		t.Fatal("send-now of a dropped delivery: no error")
	}
	if err := st.DropUnsent(ctx, half, now); err == nil {
		t.Fatal("dropping twice: no error")
	}

	// None of it went out: the post goes back to the drafts and can be
	// queued again.
	if err := st.DropUnsent(ctx, whole, now); err != nil {
		t.Fatal(err)
	}
	if s := postState(t, st, whole); s != PostDraft {
		t.Fatalf("all-missed post after a drop = %s, want draft", s)
	}
	if ds, _ := st.PostDeliveries(ctx, whole); len(ds) != 0 {
		t.Fatalf("a draft kept deliveries: %+v", ds)
	}
	if _, err := st.Delivery(ctx, wholeDs[0].ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old delivery = %v", err)
	}
	if err := st.QueuePost(ctx, whole, now.Add(time.Hour), "UTC", now); err != nil {
		t.Fatalf("queueing the dropped post again: %v", err)
	}
}

func TestPaceAccountHoldsItsQueueBack(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	_, d1 := queueTestPost(t, st, Post{Body: "now", Targets: targets(m, b)}, schedT0)
	_, d2 := queueTestPost(t, st, Post{Body: "in a minute", Targets: targets(m)}, schedT0.Add(time.Minute))
	_, d3 := queueTestPost(t, st, Post{Body: "tomorrow", Targets: targets(m)}, schedT0.Add(24*time.Hour))

	until := schedT0.Add(5 * time.Minute)
	n, err := st.PaceAccount(ctx, m, until)
	if err != nil || n != 2 {
		t.Fatalf("PaceAccount = %d, %v, want the two due before %v", n, err, until)
	}
	for _, c := range []struct {
		id   int64
		next time.Time
	}{{d1[0].ID, until}, {d2[0].ID, until}, {d3[0].ID, time.Time{}}, {d1[1].ID, time.Time{}}} {
		d, _ := st.Delivery(ctx, c.id)
		if !d.NextAttemptAt.Equal(c.next) || d.State != DeliveryQueued {
			t.Errorf("delivery %d: next attempt %v, want %v", c.id, d.NextAttemptAt, c.next)
		}
	}
	// The other account's copy is not held back.
	if ds, _ := st.DueDeliveries(ctx, schedT0.Add(2*time.Minute), 10); dueIDs(ds) != fmt.Sprint(d1[1].ID) {
		t.Fatalf("due during the pause = %s, want only the other account's", dueIDs(ds))
	}
	if ds, _ := st.DueDeliveries(ctx, until, 10); len(ds) != 3 {
		t.Fatalf("due at the reset = %s", dueIDs(ds))
	}
}

func TestAccountNeedingReauthWaits(t *testing.T) {
	ctx := context.Background()
	st := openTest(t)
	m := mustAccount(t, st, PlatformMastodon, "@shop@example.social")
	b := mustAccount(t, st, PlatformBluesky, "shop.bsky.social")
	_, ds := queueTestPost(t, st, Post{Body: "x", Targets: targets(m, b)}, schedT0)
	if err := st.SetNeedsReauth(ctx, m, true); err != nil {
		t.Fatal(err)
	}
	if due, _ := st.DueDeliveries(ctx, schedT0, 10); dueIDs(due) != fmt.Sprint(ds[1].ID) {
		t.Fatalf("due = %s, want only the signed-in account's", dueIDs(due))
	}
	if _, id, _, ok, _ := st.NextDue(ctx); !ok || id != ds[1].ID {
		t.Fatalf("next due = %d", id)
	}
	mustClaim(t, st, ds[1].ID, schedT0)
	if err := st.MarkSent(ctx, ds[1].ID, RemoteRef{ID: "r"}, "", schedT0); err != nil {
		t.Fatal(err)
	}
	if _, _, _, ok, _ := st.NextDue(ctx); ok {
		t.Fatal("a delivery of an account needing reauth is next due")
	}
	if err := st.SetNeedsReauth(ctx, m, false); err != nil {
		t.Fatal(err)
	}
	if due, _ := st.DueDeliveries(ctx, schedT0, 10); dueIDs(due) != fmt.Sprint(ds[0].ID) {
		t.Fatalf("due after signing in = %s", dueIDs(due))
	}
}
