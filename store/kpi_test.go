package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// kpiFixture is a small hand-made database around a spring-forward DST change
// (New York, 9 March 2025), with the report taken on 20 March at 15:00 EDT.
type kpiFixture struct {
	st        *Store
	loc       *time.Location
	now       time.Time
	a, b, c   int64 // mastodon, bluesky, and a sandbox account with no data
	sharedPID int64 // a post that went to both a and b
}

func newKPIFixture(t *testing.T) kpiFixture {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	st := openTest(t)
	f := kpiFixture{
		st:  st,
		loc: loc,
		now: time.Date(2025, 3, 20, 15, 0, 0, 0, loc),
		a:   mustAccount(t, st, PlatformMastodon, "@bakery@example.social"),
		b:   mustAccount(t, st, PlatformBluesky, "bakery.example.com"),
		c:   mustAccount(t, st, PlatformSandbox, "sandbox"),
	}
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2025, mo, d, h, m, 0, 0, loc) }

	for _, s := range []struct {
		acct      int64
		at        time.Time
		followers int
	}{
		{f.a, at(2, 1, 10, 0), 100},
		{f.a, at(2, 18, 14, 30), 110}, // before now-30d (18 Feb 15:00 EST); an hour after now-720h
		{f.a, at(2, 18, 15, 30), 111},
		{f.a, at(3, 9, 1, 0), 120},   // EST, before the clocks jump
		{f.a, at(3, 9, 23, 0), 125},  // EDT, end of the 23-hour day
		{f.a, at(3, 13, 15, 0), 130}, // exactly now-7d: counts as "at or before"
		{f.a, at(3, 13, 16, 0), 131},
		{f.a, at(3, 20, 14, 0), 150},
		{f.a, at(3, 20, 16, 0), 999}, // after now: not yet
		{f.b, at(3, 15, 12, 0), 50},  // b's first count: no 7- or 30-day change
		{f.b, at(3, 19, 9, 0), 58},
	} {
		if _, err := st.db.Exec("INSERT INTO follower_snapshots (account_id, taken_at, followers) VALUES (?, ?, ?)",
			s.acct, ms(s.at), s.followers); err != nil {
			t.Fatal(err)
		}
	}

	post := func(body string) int64 {
		var id int64
		if err := st.db.QueryRow(`INSERT INTO posts (body, state, created_at, updated_at)
			VALUES (?, 'sent', 0, 0) RETURNING id`, body).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	deliver := func(pid, acct int64, state DeliveryState, sent time.Time, m Metrics) {
		t.Helper()
		if _, err := st.db.Exec(`INSERT INTO deliveries
			(post_id, account_id, state, due_at, idempotency_key, sent_at, likes, reposts, replies, quotes)
			VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
			pid, acct, state, NewIdempotencyKey(), nullMS(sent), m.Likes, m.Reposts, m.Replies, m.Quotes); err != nil {
			t.Fatal(err)
		}
	}
	deliver(post("before the window"), f.a, DeliverySent, at(2, 18, 14, 30), Metrics{Likes: 1000})
	deliver(post("window, before the first day"), f.a, DeliverySent, at(2, 18, 16, 0), Metrics{Likes: 3, Reposts: 1})
	deliver(post("late on 8 March"), f.a, DeliverySent, at(3, 8, 23, 30), Metrics{Likes: 5, Replies: 2})
	f.sharedPID = post("Spring is here: rhubarb tarts from Monday")
	deliver(f.sharedPID, f.a, DeliverySent, at(3, 9, 23, 30), Metrics{Likes: 10, Reposts: 2, Replies: 1, Quotes: 1})
	deliver(f.sharedPID, f.b, DeliverySent, at(3, 9, 23, 31), Metrics{Likes: 20, Reposts: 5, Replies: 3, Quotes: 2})
	if _, err := st.db.Exec("INSERT INTO post_targets (post_id, account_id, body_override) VALUES (?, ?, ?)",
		f.sharedPID, f.b, "Rhubarb tarts are back 🌱"); err != nil {
		t.Fatal(err)
	}
	deliver(post("just after midnight, 10 March"), f.a, DeliverySent, at(3, 10, 0, 30), Metrics{Likes: 2})
	deliver(post("right now"), f.a, DeliverySent, f.now, Metrics{Likes: 1})
	deliver(post("after now"), f.a, DeliverySent, at(3, 20, 15, 30), Metrics{Likes: 500})
	deliver(post("failed"), f.a, DeliveryFailed, time.Time{}, Metrics{})
	deliver(post("queued"), f.a, DeliveryQueued, time.Time{}, Metrics{})
	deliver(post("bluesky, 19 March"), f.b, DeliverySent, at(3, 19, 10, 0), Metrics{Likes: 7})

	for i, it := range []struct {
		acct  int64
		state InboxState
	}{
		{f.a, InboxOpen}, {f.a, InboxOpen}, {f.a, InboxOpen}, {f.a, InboxDone}, {f.a, InboxSnoozed}, {f.b, InboxOpen},
	} {
		if _, err := st.db.Exec(`INSERT INTO inbox_items
			(account_id, platform, remote_id, kind, author_handle, body, received_at, state)
			VALUES (?, 'x', ?, 'mention', 'someone', 'hi', ?, ?)`,
			it.acct, fmt.Sprint(i), ms(at(1, 1, 0, 0)), it.state); err != nil {
			t.Fatal(err)
		}
	}

	// Neither of these counts: an open post that listening found (said
	// about the bakery, waiting for nobody), and our reply to the done
	// mention, liked more than any post of the window.
	if _, err := st.db.Exec(`INSERT INTO inbox_items
		(account_id, platform, remote_id, kind, term, author_handle, body, received_at, state)
		VALUES (?, 'x', 'heard', 'listening', '#rhubarb', 'someone', 'rhubarb!', ?, 'open')`,
		f.a, ms(at(3, 12, 9, 0))); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var done int64
	if err := st.db.QueryRow("SELECT id FROM inbox_items WHERE remote_id = '3'").Scan(&done); err != nil {
		t.Fatal(err)
	}
	reply, err := st.QueueReply(ctx, done, "Thank you, see you Saturday!", at(3, 15, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := st.PostDeliveries(ctx, reply)
	if err != nil || len(ds) != 1 {
		t.Fatalf("reply deliveries %v, %v", ds, err)
	}
	if err := st.MarkSent(ctx, ds[0].ID, RemoteRef{ID: "our-reply"}, "", at(3, 15, 9, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec("UPDATE deliveries SET likes = 900 WHERE id = ?", ds[0].ID); err != nil {
		t.Fatal(err)
	}
	return f
}

// series builds a 30-day series from runs of (first day index, value).
func series(runs ...int) []int {
	out := make([]int, KPIDays)
	for i := 0; i < len(runs); i += 2 {
		for d := runs[i]; d < KPIDays; d++ {
			out[d] = runs[i+1]
		}
	}
	return out
}

// spikes builds a 30-day series that is 0 except at (day index, value) pairs.
func spikes(pairs ...int) []int {
	out := make([]int, KPIDays)
	for i := 0; i < len(pairs); i += 2 {
		out[pairs[i]] = pairs[i+1]
	}
	return out
}

func TestKPIsFigures(t *testing.T) {
	f := newKPIFixture(t)
	r, err := f.st.KPIs(context.Background(), f.now, f.loc)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Now.Equal(f.now) {
		t.Errorf("Now = %v", r.Now)
	}
	if want := time.Date(2025, 2, 18, 15, 0, 0, 0, f.loc); !r.Since.Equal(want) {
		t.Errorf("Since = %v, want %v (30 calendar days, not 720 hours)", r.Since.In(f.loc), want)
	}
	if len(r.Days) != KPIDays {
		t.Fatalf("%d days", len(r.Days))
	}
	// Day indexes: 19 Feb is 0, 8 March 17, 9 March 18 (23 hours long), 13 March 22, 20 March 29.
	for i, want := range map[int]time.Time{
		0:  time.Date(2025, 2, 19, 0, 0, 0, 0, f.loc),
		18: time.Date(2025, 3, 9, 0, 0, 0, 0, f.loc),
		19: time.Date(2025, 3, 10, 0, 0, 0, 0, f.loc),
		29: time.Date(2025, 3, 20, 0, 0, 0, 0, f.loc),
	} {
		if !r.Days[i].Equal(want) {
			t.Errorf("Days[%d] = %v, want %v", i, r.Days[i], want)
		}
	}
	if got := r.Days[19].Sub(r.Days[18]); got != 23*time.Hour {
		t.Errorf("9 March lasts %v, want 23h", got)
	}

	if len(r.Accounts) != 3 {
		t.Fatalf("%d accounts", len(r.Accounts))
	}
	a, b, c := r.Accounts[0], r.Accounts[1], r.Accounts[2]
	if a.Account.ID != f.a || b.Account.ID != f.b || c.Account.ID != f.c {
		t.Fatalf("accounts out of order: %d %d %d", a.Account.ID, b.Account.ID, c.Account.ID)
	}
	if a.Account.Handle != "@bakery@example.social" || b.Account.Platform != PlatformBluesky {
		t.Errorf("account details lost: %+v %+v", a.Account, b.Account)
	}

	check := func(name string, got KPIFigures, want KPIFigures) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
	}
	check("mastodon", a.KPIFigures, KPIFigures{
		Followers: 150, HasFollowers: true,
		Change7d: 20, Has7d: true, // 150 - 130 (the count at exactly now-7d)
		Change30d: 40, Has30d: true, // 150 - 110
		Posts: 5, Engagement: 4 + 7 + 14 + 2 + 1,
		OpenInbox:       3,
		FollowersByDay:  series(0, 111, 18, 125, 22, 131, 29, 150),
		FollowersFrom:   0,
		PostsByDay:      spikes(17, 1, 18, 1, 19, 1, 29, 1),
		EngagementByDay: spikes(17, 7, 18, 14, 19, 2, 29, 1),
	})
	check("bluesky", b.KPIFigures, KPIFigures{
		Followers: 58, HasFollowers: true,
		Posts: 2, Engagement: 30 + 7,
		OpenInbox:       1,
		FollowersByDay:  series(24, 50, 28, 58),
		FollowersFrom:   24,
		PostsByDay:      spikes(18, 1, 28, 1),
		EngagementByDay: spikes(18, 30, 28, 7),
	})
	check("sandbox", c.KPIFigures, KPIFigures{
		FollowersByDay:  make([]int, KPIDays),
		FollowersFrom:   KPIDays,
		PostsByDay:      make([]int, KPIDays),
		EngagementByDay: make([]int, KPIDays),
	})
	check("total", r.Total, KPIFigures{
		Followers: 208, HasFollowers: true,
		Change7d: 20, Has7d: true, // b has no count from a week ago, so only a's growth counts
		Change30d: 40, Has30d: true,
		Posts: 7, Engagement: 65,
		OpenInbox: 4,
		// b's first count is on day 24: before it the sum is not the
		// total (it would draw b's 50 followers as day 24's growth).
		FollowersByDay:  series(24, 181, 28, 189, 29, 208),
		FollowersFrom:   24,
		PostsByDay:      spikes(17, 1, 18, 2, 19, 1, 28, 1, 29, 1),
		EngagementByDay: spikes(17, 7, 18, 44, 19, 2, 28, 7, 29, 1),
	})
	if got := a.EngagementPerPost(); got != 5.6 {
		t.Errorf("mastodon engagement per post = %v, want 5.6", got)
	}
	if got := c.EngagementPerPost(); got != 0 {
		t.Errorf("engagement per post without posts = %v, want 0", got)
	}

	type top struct {
		acct       int64
		text       string
		engagement int
	}
	var got []top
	for _, p := range r.Top {
		got = append(got, top{p.AccountID, p.Text, p.Engagement()})
	}
	want := []top{
		{f.b, "Rhubarb tarts are back 🌱", 30}, // b's override, not the post's body
		{f.a, "Spring is here: rhubarb tarts from Monday", 14},
		{f.b, "bluesky, 19 March", 7}, // ties go to the newer post
		{f.a, "late on 8 March", 7},
		{f.a, "window, before the first day", 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("top posts:\n got %+v\nwant %+v", got, want)
	}
	first := r.Top[0]
	if first.PostID != f.sharedPID || first.Platform != PlatformBluesky || first.Handle != "bakery.example.com" ||
		first.Metrics != (Metrics{Likes: 20, Reposts: 5, Replies: 3, Quotes: 2}) ||
		!first.SentAt.Equal(time.Date(2025, 3, 9, 23, 31, 0, 0, f.loc)) || first.DeliveryID == 0 {
		t.Errorf("top post details: %+v", first)
	}
}

// TestKPIsOnEmptyStore checks that a fresh database gives a report of zeros.
func TestKPIsOnEmptyStore(t *testing.T) {
	st := openTest(t)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	r, err := st.KPIs(context.Background(), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Accounts) != 0 || len(r.Top) != 0 || r.Total.HasFollowers || r.Total.FollowersFrom != KPIDays {
		t.Errorf("empty report: %+v", r)
	}
	if !r.Days[KPIDays-1].Equal(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("last day = %v", r.Days[KPIDays-1])
	}
}

// TestKPIsFallBackDay checks the 25-hour day when clocks go back: a post at
// 01:30 after the change still belongs to that day.
func TestKPIsFallBackDay(t *testing.T) {
	f := newKPIFixture(t) // for its accounts only; the report below is in November
	loc := f.loc
	now := time.Date(2025, 11, 10, 9, 0, 0, 0, loc)
	// 2 November 2025: 01:30 EDT happens, then 01:30 EST an hour later.
	secondHalf := time.Date(2025, 11, 2, 1, 30, 0, 0, loc).Add(time.Hour)
	if _, offset := secondHalf.Zone(); offset != -5*3600 {
		t.Fatalf("test instant is not in EST: %v", secondHalf)
	}
	lastMinute := time.Date(2025, 11, 2, 23, 59, 0, 0, loc) // a 24-hour day would put it on 3 November
	for _, sent := range []time.Time{secondHalf, lastMinute} {
		var pid int64
		if err := f.st.db.QueryRow(`INSERT INTO posts (body, state, created_at, updated_at)
			VALUES ('fall back', 'sent', 0, 0) RETURNING id`).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.db.Exec(`INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key, sent_at, likes)
			VALUES (?, ?, 'sent', 0, ?, ?, 3)`, pid, f.c, NewIdempotencyKey(), ms(sent)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.st.KPIs(context.Background(), now, loc)
	if err != nil {
		t.Fatal(err)
	}
	day := -1
	for i, d := range r.Days {
		if d.Equal(time.Date(2025, 11, 2, 0, 0, 0, 0, loc)) {
			day = i
		}
	}
	if day < 0 {
		t.Fatal("2 November is not in the series")
	}
	if got := r.Days[day+1].Sub(r.Days[day]); got != 25*time.Hour {
		t.Errorf("2 November lasts %v, want 25h", got)
	}
	sandbox := r.Accounts[2]
	if sandbox.PostsByDay[day] != 2 || sandbox.EngagementByDay[day] != 6 || sandbox.PostsByDay[day+1] != 0 {
		t.Errorf("2 November: %d posts / %d engagement; 3 November: %d posts",
			sandbox.PostsByDay[day], sandbox.EngagementByDay[day], sandbox.PostsByDay[day+1])
	}
}

// TestKPIQueriesUseIndexes checks that every KPI query reaches the big tables
// through an index, and through the one meant for it.
func TestKPIQueriesUseIndexes(t *testing.T) {
	st := openTest(t)
	want := map[string][]string{
		"followers at":  {"SEARCH f USING PRIMARY KEY (account_id=? AND taken_at<?)"},
		"published":     {"SEARCH d USING INDEX deliveries_account_published (account_id=? AND sent_at>? AND sent_at<?)"},
		"open inbox":    {"SEARCH i USING INDEX inbox_account_state (account_id=? AND state=? AND heard=?)"},
		"top posts":     {"SEARCH s USING INDEX deliveries_account_published (account_id=? AND sent_at>? AND sent_at<?)"},
		"accounts list": {"SCAN accounts"},
	}
	args := map[string][]any{
		"followers at": {"[1, 2]"},
		"published":    {"[[1, 2]]"},
		"top posts":    {1, 2, KPITopPosts},
	}
	if len(want) != len(kpiQueries) {
		t.Fatalf("%d KPI queries, %d checked", len(kpiQueries), len(want))
	}
	// Full scans are fine only over the accounts (a handful of rows) and
	// the JSON arrays of instants the query is given.
	smallScans := []string{"SCAN a ", "SCAN a\n", "SCAN sa ", "SCAN accounts", "SCAN p VIRTUAL TABLE", "SCAN r VIRTUAL TABLE", "SCAN best"}
	for name, q := range kpiQueries {
		plan := explain(t, st, q, args[name]...)
		for _, w := range want[name] {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: plan lacks %q:\n%s", name, w, plan)
			}
		}
		for _, line := range strings.Split(strings.TrimSpace(plan), "\n") {
			if !strings.HasPrefix(line, "SCAN") {
				continue
			}
			ok := false
			for _, s := range smallScans {
				ok = ok || strings.HasPrefix(line+"\n", s)
			}
			if !ok {
				t.Errorf("%s scans a table: %q\n%s", name, line, plan)
			}
		}
	}
	// The plan can't show it, but the sums and the ranking stay off the
	// table rows only while the index holds engagement.
	var cols []string
	if err := kpiRowsDB(st, "SELECT name FROM pragma_index_info('deliveries_account_published')", func(name string) {
		cols = append(cols, name)
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(cols, ",") != "account_id,sent_at,engagement" {
		t.Errorf("deliveries_account_published has columns %v, want account_id, sent_at, engagement", cols)
	}
}

func kpiRowsDB(st *Store, q string, fn func(string)) error {
	rows, err := st.db.Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		fn(v)
	}
	return rows.Err()
}

// BenchmarkKPIsBusyMonth measures one KPIs report on a database harder on it
// than the large demo (see BenchmarkKPIs): the same 100k posts crowded into
// 90 days, so the 30-day window holds 50k deliveries, 500k inbox items of
// which 40% are open, 1M delivery metric snapshots and a follower count
// every 10 minutes for 3 accounts. It is built once into the temp folder.
func BenchmarkKPIsBusyMonth(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2025, 3, 20, 15, 0, 0, 0, time.UTC)
	st := openKPIBench(b, now)
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.UTC
	}
	if _, err := st.KPIs(ctx, now, loc); err != nil { // warm the page cache
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := st.KPIs(ctx, now, loc); err != nil {
			b.Fatal(err)
		}
	}
}

func openKPIBench(b *testing.B, now time.Time) *Store {
	b.Helper()
	path := filepath.Join(os.TempDir(), "crier-bench-kpi-v2.db")
	ctx := context.Background()
	if _, err := os.Stat(path); err == nil {
		st, err := Open(ctx, path)
		if err == nil {
			if done, _ := st.Meta(ctx, "kpi-bench"); done == "complete" {
				b.Cleanup(func() { st.Close() })
				return st
			}
			st.Close()
		}
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	b.Logf("building %s (once)", path)
	st, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := fillKPIBench(ctx, st, now); err != nil {
		b.Fatal(err)
	}
	if err := st.SetMeta(ctx, "kpi-bench", "complete"); err != nil {
		b.Fatal(err)
	}
	return st
}

// benchFillTx runs fn in a transaction on a connection of its own, set up
// for filling a benchmark's database: the rows go in at random times, so
// each insert lands somewhere else in a dozen indexes, and a cache that
// holds them, without fsyncs (a crash loses only the benchmark's file),
// builds it several times faster than the store's own settings, with the
// same rows.
func benchFillTx(ctx context.Context, st *Store, fn func(tx *sql.Tx) error) error {
	conn, err := st.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, p := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -131072"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	defer func() {
		// The connection goes back to the store's pool as Open made it.
		for _, p := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -2000"} {
			conn.ExecContext(context.WithoutCancel(ctx), p)
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func fillKPIBench(ctx context.Context, st *Store, now time.Time) error {
	const (
		posts      = 100_000
		inboxItems = 500_000
		metrics    = 1_000_000
		days       = 90
	)
	rng := rand.New(rand.NewPCG(1, 2))
	start := now.AddDate(0, 0, -days)
	span := now.Sub(start)
	var accounts []int64
	for _, a := range []Account{
		{Platform: PlatformMastodon, Handle: "@bakery@example.social"},
		{Platform: PlatformBluesky, Handle: "bakery.example.com"},
		{Platform: PlatformSandbox, Handle: "sandbox"},
	} {
		id, err := st.UpsertAccount(ctx, a)
		if err != nil {
			return err
		}
		accounts = append(accounts, id)
	}
	return benchFillTx(ctx, st, func(tx *sql.Tx) error {
		insPost, err := tx.PrepareContext(ctx, `INSERT INTO posts (id, body, state, scheduled_at, created_at, updated_at)
			VALUES (?, ?, 'sent', ?, ?, ?)`)
		if err != nil {
			return err
		}
		insTarget, err := tx.PrepareContext(ctx, "INSERT INTO post_targets (post_id, account_id) VALUES (?, ?)")
		if err != nil {
			return err
		}
		insDelivery, err := tx.PrepareContext(ctx, `INSERT INTO deliveries
			(id, post_id, account_id, state, due_at, idempotency_key, sent_at, likes, reposts, replies, quotes, metrics_at)
			VALUES (?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		var deliveries []int64
		for p := int64(1); p <= posts; p++ {
			at := start.Add(time.Duration(rng.Int64N(int64(span))))
			if _, err := insPost.ExecContext(ctx, p, fmt.Sprintf("Fresh from the oven, batch %d", p), ms(at), ms(at), ms(at)); err != nil {
				return err
			}
			n := 1 + rng.IntN(2)
			for _, acct := range rng.Perm(len(accounts))[:n] {
				if _, err := insTarget.ExecContext(ctx, p, accounts[acct]); err != nil {
					return err
				}
				id := int64(len(deliveries) + 1)
				deliveries = append(deliveries, id)
				if _, err := insDelivery.ExecContext(ctx, id, p, accounts[acct], ms(at), fmt.Sprintf("k%d", id),
					ms(at), rng.IntN(200), rng.IntN(40), rng.IntN(20), rng.IntN(5), ms(now)); err != nil {
					return err
				}
			}
		}
		insMetric, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO delivery_metrics
			(delivery_id, taken_at, likes, reposts, replies, quotes) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		for i := range metrics {
			d := deliveries[i%len(deliveries)]
			if _, err := insMetric.ExecContext(ctx, d, ms(now)-int64(i/len(deliveries))*3_600_000,
				rng.IntN(200), rng.IntN(40), rng.IntN(20), rng.IntN(5)); err != nil {
				return err
			}
		}
		insFollowers, err := tx.PrepareContext(ctx,
			"INSERT INTO follower_snapshots (account_id, taken_at, followers) VALUES (?, ?, ?)")
		if err != nil {
			return err
		}
		for _, acct := range accounts {
			n := 500
			for at := start; !at.After(now); at = at.Add(10 * time.Minute) {
				n += rng.IntN(3) - 1
				if _, err := insFollowers.ExecContext(ctx, acct, ms(at), n); err != nil {
					return err
				}
			}
		}
		insInbox, err := tx.PrepareContext(ctx, `INSERT INTO inbox_items
			(account_id, platform, remote_id, kind, author_handle, body, received_at, state)
			VALUES (?, 'x', ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		kinds := []InboxKind{KindMention, KindReply, KindQuote, KindDM}
		states := []InboxState{InboxOpen, InboxOpen, InboxDone, InboxDone, InboxSnoozed}
		for i := range inboxItems {
			at := start.Add(time.Duration(rng.Int64N(int64(span))))
			if _, err := insInbox.ExecContext(ctx, accounts[rng.IntN(len(accounts))], fmt.Sprint(i),
				kinds[rng.IntN(len(kinds))], fmt.Sprintf("@fan%d", rng.IntN(5000)), "Love the croissants!",
				ms(at), states[rng.IntN(len(states))]); err != nil {
				return err
			}
		}
		return nil
	})
}

// Where the clocks jump forward at midnight (Chile on 6 Sep 2026), the
// KPIs' day and a campaign's day start on their own date, at the jump,
// not at 23:00 of the day before.
func TestKPIDaysWhereMidnightIsSkipped(t *testing.T) {
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip(err)
	}
	st := openTest(t)
	now := time.Date(2026, 9, 6, 12, 0, 0, 0, loc)
	r, err := st.KPIs(context.Background(), now, loc)
	if err != nil {
		t.Fatal(err)
	}
	jump := time.Date(2026, 9, 6, 1, 0, 0, 0, loc)
	if last := r.Days[KPIDays-1]; !last.Equal(jump) {
		t.Errorf("the KPIs' last day starts at %v, want %v", last.In(loc), jump)
	}
	day, _ := ParseDay("2026-09-06")
	if got := day.Midnight(loc); !got.Equal(jump) {
		t.Errorf("the day starts at %v, want %v", got.In(loc), jump)
	}
}
