package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, on machines without a zone database
	"unicode/utf8"

	"github.com/crier-app/crier/store"
	"github.com/crier-app/crier/store/storetest"
)

// berlin and testNow put the 90 days of history across the switch to summer
// time (30 March 2025), so local posting hours are checked on both sides.
var (
	berlin  = mustZone("Europe/Berlin")
	testNow = time.Date(2025, 4, 10, 10, 37, 12, 0, berlin)
)

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	return storetest.Open(t)
}

// seeded is a store holding the demo built with o, closed when t ends,
// with the generator that built it. Each distinct o is built once per test
// binary (seconds under the race detector); every test gets a copy of its
// file, so tests that change their store never see each other's changes.
func seeded(t *testing.T, o Options) (*store.Store, *gen) {
	t.Helper()
	key := fmt.Sprintf("%d|%d|%s|%t|%g", o.Seed, o.Now.UnixNano(), o.Zone, o.Large, o.Scale)
	builds.mu.Lock()
	b := builds.m[key]
	if b == nil {
		b = &build{}
		builds.m[key] = b
	}
	builds.mu.Unlock()
	b.once.Do(func() { b.data, b.g, b.err = buildFile(o) })
	if b.err != nil {
		t.Fatalf("building the demo (%+v): %v", o, b.err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	if err := os.WriteFile(path, b.data, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, b.g
}

// seededFresh builds the demo with o into a new store, not from a copy:
// for tests of the build itself (two builds come out the same; the photos
// its rows name exist beside the file).
func seededFresh(t *testing.T, o Options) (*store.Store, *gen) {
	t.Helper()
	st := openStore(t)
	g, err := seed(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	return st, g
}

// build is one demo data set built for the tests: its file's bytes and
// the generator that built it.
type build struct {
	once sync.Once
	data []byte
	g    *gen
	err  error
}

var builds = struct {
	mu sync.Mutex
	m  map[string]*build
}{m: map[string]*build{}}

// buildFile builds the demo with o into a file of its own and returns the
// file's bytes.
func buildFile(o Options) ([]byte, *gen, error) {
	dir, err := os.MkdirTemp("", "crier-demo-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "demo.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		return nil, nil, err
	}
	g, err := seed(context.Background(), st, o)
	// Closing the last connection checkpoints the WAL into the file.
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(path)
	return data, g, err
}

// seededLarge is the large data set at 1% (seed 5) that several tests
// read, built once per test binary (about a minute under the race
// detector).
func seededLarge(t *testing.T) (*store.Store, *gen) {
	t.Helper()
	return seeded(t, Options{Seed: 5, Now: testNow, Zone: time.UTC, Large: true, Scale: 0.01})
}

// photoPaths matches the folder a demo's photos were drawn in, in a row:
// beside the database that was built, so each build's own (a copy's rows
// name the folder of the build it came from).
var photoPaths = regexp.MustCompile(`[^"\s]*/demo-photos/`)

// digest hashes every row of every table, order-independently; the folder
// the demo's photos were drawn in reads as one name, so a copy (seeded)
// and a build of its own (seededFresh) can be compared.
func digest(t *testing.T, st *store.Store) string {
	t.Helper()
	db := st.DB()
	tables := queryStrings(t, db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	h := sha256.New()
	for _, table := range tables {
		rows, err := db.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, photoPaths.ReplaceAllString(fmt.Sprintf("%q", vals), "PHOTOS/"))
		}
		rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(h, "%s %d\n%s\n", table, len(lines), strings.Join(lines, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func within(t *testing.T, what string, got, lo, hi int) {
	t.Helper()
	if got < lo || got > hi {
		t.Errorf("%s = %d, want %d..%d", what, got, lo, hi)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	// The build the other tests share, and the same options built again
	// here: two builds in one process.
	o := Options{Seed: 7, Now: testNow, Zone: berlin}
	a, _ := seeded(t, o)
	b, _ := seededFresh(t, o)
	da, db := digest(t, a), digest(t, b)
	if da != db {
		t.Fatalf("same seed and clock gave different databases: %s vs %s", da, db)
	}
	o.Seed = 3
	c, _ := seeded(t, o)
	if dc := digest(t, c); dc == da {
		t.Fatal("a different seed gave the same database")
	}
}

func TestSeedRefusesNonEmptyStore(t *testing.T) {
	st, _ := seeded(t, Options{Seed: 7, Now: testNow, Zone: berlin})
	err := Seed(context.Background(), st, Options{Seed: 2, Now: testNow, Zone: berlin})
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("seeding a seeded store: err = %v, want ErrNotEmpty", err)
	}

	other := openStore(t)
	if _, err := other.SaveDraft(context.Background(), store.Post{Body: "mine"}, testNow); err != nil {
		t.Fatal(err)
	}
	if err := Seed(context.Background(), other, Options{Seed: 2, Now: testNow}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("seeding a store with a draft: err = %v, want ErrNotEmpty", err)
	}
}

// The normal demo's shape, checked at several seeds and clocks: across both
// DST changes, early on a day (nothing posted yet today) and just before
// midnight.
func TestSeedNormalShape(t *testing.T) {
	t.Parallel()
	cases := []struct {
		seed int64
		now  time.Time
	}{
		{7, testNow},
		{101, time.Date(2025, 10, 26, 6, 10, 0, 0, berlin)},
		{102, time.Date(2025, 12, 31, 23, 50, 0, 0, berlin)},
		{103, time.Date(2026, 3, 29, 3, 30, 0, 0, berlin)},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("seed%d-%s", c.seed, c.now.Format("2006-01-02T1504")), func(t *testing.T) {
			st, g := seeded(t, Options{Seed: c.seed, Now: c.now, Zone: berlin})
			t.Run("posts", func(t *testing.T) { checkPosts(t, st, g, c.now) })
			t.Run("deliveries", func(t *testing.T) { checkDeliveries(t, st, g, c.now) })
			t.Run("metrics", func(t *testing.T) { checkMetrics(t, st, g, c.now) })
			t.Run("inbox", func(t *testing.T) { checkInbox(t, st, g, c.now) })
			t.Run("calendar", func(t *testing.T) { checkCalendar(t, st, g, c.now) })
		})
	}
}

func checkPosts(t *testing.T, st *store.Store, g *gen, clock time.Time) {
	db := st.DB()
	ctx := context.Background()

	accounts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 2 || accounts[0].Platform != store.PlatformMastodon || accounts[1].Platform != store.PlatformBluesky {
		t.Fatalf("accounts = %+v, want one Mastodon and one Bluesky", accounts)
	}

	// The bakery's own posts; its replies to the inbox are checked in
	// answers_test.go.
	within(t, "sent posts", count(t, db, "SELECT count(*) FROM posts WHERE state = 'sent' AND reply_to_item IS NULL"), 90, 180)
	within(t, "drafts", count(t, db, "SELECT count(*) FROM posts WHERE state = 'draft'"), 3, 5)
	within(t, "failed posts", count(t, db, "SELECT count(*) FROM posts WHERE state = 'failed'"), 1, 1)
	// The upcoming week's posts; those of the A/B test and the recurring
	// special (timing.go) are counted in timing_test.go.
	within(t, "queued posts in the next 7 days", count(t, db,
		"SELECT count(*) FROM posts WHERE state = 'queued' AND scheduled_at > ? AND scheduled_at <= ? AND id NOT IN ("+timingPosts+")",
		clock.UnixMilli(), clock.Add(7*24*time.Hour).UnixMilli()), 8, 12)
	within(t, "queued posts", count(t, db, "SELECT count(*) FROM posts WHERE state = 'queued' AND id NOT IN ("+timingPosts+")"), 8, 12)
	within(t, "campaigns", count(t, db, "SELECT count(*) FROM campaigns"), 1, 3)
	within(t, "posts in a campaign", count(t, db, "SELECT count(*) FROM posts WHERE campaign_id IS NOT NULL"), 3, 100)
	within(t, "drafts over Bluesky's 300 and within Mastodon's 500", count(t, db,
		"SELECT count(*) FROM posts WHERE state = 'draft' AND length(body) > 300 AND length(body) <= 500"), 1, 5)
	within(t, "drafts with an override", count(t, db, `SELECT count(*) FROM post_targets t JOIN posts p ON p.id = t.post_id
		WHERE p.state = 'draft' AND t.body_override IS NOT NULL`), 1, 5)

	yesterday := clock.AddDate(0, 0, -1).Format(time.DateOnly)
	missed := queryStrings(t, db, "SELECT scheduled_at FROM posts WHERE state = 'missed'")
	if len(missed) != 1 {
		t.Fatalf("missed posts: %v, want one", missed)
	}
	var missedAt int64
	fmt.Sscan(missed[0], &missedAt)
	if d := time.UnixMilli(missedAt).In(berlin).Format(time.DateOnly); d != yesterday {
		t.Errorf("missed post is from %s, want yesterday (%s)", d, yesterday)
	}
	if n := count(t, db, "SELECT count(*) FROM deliveries WHERE state = 'failed' AND last_error LIKE '%HTTP 422%'"); n != 1 {
		t.Errorf("failed deliveries with the server's reason: %d, want 1", n)
	}

	// Every post of the history went out at a daytime hour in the bakery's zone.
	rows, err := db.Query("SELECT scheduled_at, scheduled_zone FROM posts WHERE state = 'sent' AND reply_to_item IS NULL")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var at int64
		var zone string
		rows.Scan(&at, &zone)
		local := time.UnixMilli(at).In(berlin)
		if h := local.Hour(); h < 7 || h > 19 || zone != "Europe/Berlin" {
			t.Errorf("sent post at %s (zone %q): want 7:00-19:59 Europe/Berlin", local, zone)
		}
		if !time.UnixMilli(at).Before(clock) || time.UnixMilli(at).Before(clock.AddDate(0, 0, -91)) {
			t.Errorf("sent post at %s is outside the 90 days before now", local)
		}
	}
	rows.Close()

	// Sent posts, and replies, fit their networks.
	rows, err = db.Query(`SELECT a.platform, coalesce(t.body_override, p.body) FROM deliveries d
		JOIN posts p ON p.id = d.post_id JOIN accounts a ON a.id = d.account_id
		JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id WHERE d.state = 'sent'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var platform, text string
		rows.Scan(&platform, &text)
		limit := map[string]int{store.PlatformMastodon: 500, store.PlatformBluesky: 300}[platform]
		if n := utf8.RuneCountInString(text); n > limit {
			t.Errorf("sent to %s with %d characters: %q", platform, n, text)
		}
	}
	rows.Close()
}

var (
	mastodonRemote = regexp.MustCompile(`^1\d{17}$`)
	bskyRemote     = regexp.MustCompile(`^at://did:plc:[a-z2-7]{24}/app\.bsky\.feed\.post/([2-7a-z]{13})$`)
	hexKey         = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

func checkDeliveries(t *testing.T, st *store.Store, g *gen, clock time.Time) {
	db := st.DB()

	rows, err := db.Query(`SELECT a.platform, d.remote_id, d.remote_url, d.sent_at FROM deliveries d
		JOIN accounts a ON a.id = d.account_id WHERE d.state = 'sent' AND d.reply = 0`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var platform, id, url string
		var sentAt int64
		rows.Scan(&platform, &id, &url, &sentAt)
		n++
		switch platform {
		case store.PlatformMastodon:
			if !mastodonRemote.MatchString(id) || url != "https://toot.community/@ryeandshine/"+id {
				t.Errorf("Mastodon delivery id %q url %q", id, url)
			}
		case store.PlatformBluesky:
			m := bskyRemote.FindStringSubmatch(id)
			if m == nil || url != "https://bsky.app/profile/ryeandshine.bsky.social/post/"+m[1] {
				t.Errorf("Bluesky delivery id %q url %q", id, url)
			}
		}
		if sentAt >= clock.UnixMilli() {
			t.Errorf("delivery %s sent at %d, after now", id, sentAt)
		}
	}
	rows.Close()
	if n < 90 {
		t.Fatalf("%d sent deliveries", n)
	}

	keys := queryStrings(t, db, "SELECT idempotency_key FROM deliveries WHERE state = 'queued'")
	within(t, "queued deliveries", count(t, db, "SELECT count(*) FROM deliveries WHERE state = 'queued' AND post_id NOT IN ("+timingPosts+")"), 8, 24)
	seen := map[string]bool{}
	for _, k := range keys {
		if !hexKey.MatchString(k) || seen[k] {
			t.Errorf("queued delivery key %q is malformed or repeated", k)
		}
		seen[k] = true
	}
	if n := count(t, db, "SELECT count(*) FROM deliveries WHERE state = 'queued' AND due_at <= ?", clock.UnixMilli()); n != 0 {
		t.Errorf("%d queued deliveries are already due", n)
	}
}

func checkMetrics(t *testing.T, st *store.Store, g *gen, clock time.Time) {
	db := st.DB()

	within(t, "metric snapshots", count(t, db, "SELECT count(*) FROM delivery_metrics"), 500, 2000)
	rows, err := db.Query("SELECT delivery_id, taken_at, likes, reposts, replies, quotes FROM delivery_metrics ORDER BY delivery_id, taken_at")
	if err != nil {
		t.Fatal(err)
	}
	var prevID int64
	var prev [4]int
	for rows.Next() {
		var id, at int64
		var m [4]int
		rows.Scan(&id, &at, &m[0], &m[1], &m[2], &m[3])
		if at >= clock.UnixMilli() {
			t.Errorf("delivery %d: snapshot at %d is after now", id, at)
		}
		if id == prevID {
			for i := range m {
				if m[i] < prev[i] {
					t.Errorf("delivery %d: counter %d fell from %d to %d at %d", id, i, prev[i], m[i], at)
				}
			}
		}
		prevID, prev = id, m
	}
	rows.Close()

	if n := count(t, db, `SELECT count(*) FROM deliveries d JOIN delivery_metrics m ON m.delivery_id = d.id
		AND m.taken_at = (SELECT max(taken_at) FROM delivery_metrics WHERE delivery_id = d.id)
		WHERE d.likes <> m.likes OR d.reposts <> m.reposts OR d.replies <> m.replies OR d.quotes <> m.quotes
		   OR d.metrics_at IS NOT m.taken_at`); n != 0 {
		t.Errorf("%d deliveries disagree with their latest snapshot", n)
	}
	if n := count(t, db, `SELECT count(*) FROM deliveries d WHERE d.metrics_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM delivery_metrics WHERE delivery_id = d.id)`); n != 0 {
		t.Errorf("%d deliveries have metrics but no history", n)
	}

	// A few posts take off: the best does many times the median.
	likes := queryStrings(t, db, "SELECT likes FROM deliveries WHERE state = 'sent' AND metrics_at IS NOT NULL ORDER BY likes")
	var median, top int
	fmt.Sscan(likes[len(likes)/2], &median)
	fmt.Sscan(likes[len(likes)-1], &top)
	if top < 5*max(1, median) {
		t.Errorf("likes: median %d, top %d: want an outlier", median, top)
	}
	// Bluesky's audience is the bigger one here.
	var masto, bsky float64
	db.QueryRow(`SELECT avg(d.likes) FROM deliveries d JOIN accounts a ON a.id = d.account_id
		WHERE a.platform = 'mastodon' AND d.state = 'sent' AND d.reply = 0`).Scan(&masto)
	db.QueryRow(`SELECT avg(d.likes) FROM deliveries d JOIN accounts a ON a.id = d.account_id
		WHERE a.platform = 'bluesky' AND d.state = 'sent' AND d.reply = 0`).Scan(&bsky)
	if bsky <= masto {
		t.Errorf("average likes: Bluesky %.1f, Mastodon %.1f: want Bluesky ahead", bsky, masto)
	}

	// A follower count a day per account, growing overall.
	for _, platform := range []string{store.PlatformMastodon, store.PlatformBluesky} {
		q := `SELECT count(*), count(DISTINCT (f.taken_at / 86400000)) FROM follower_snapshots f
			JOIN accounts a ON a.id = f.account_id WHERE a.platform = ?`
		var rowsN, daysN int
		db.QueryRow(q, platform).Scan(&rowsN, &daysN)
		within(t, platform+" follower snapshot days", daysN, 90, 92)
		first := count(t, db, `SELECT followers FROM follower_snapshots f JOIN accounts a ON a.id = f.account_id
			WHERE a.platform = ? ORDER BY taken_at LIMIT 1`, platform)
		last := count(t, db, `SELECT followers FROM follower_snapshots f JOIN accounts a ON a.id = f.account_id
			WHERE a.platform = ? ORDER BY taken_at DESC LIMIT 1`, platform)
		if last <= first {
			t.Errorf("%s followers went from %d to %d: want growth", platform, first, last)
		}
	}
}

func checkInbox(t *testing.T, st *store.Store, g *gen, clock time.Time) {
	db := st.DB()
	now := clock.UnixMilli()
	week := clock.Add(-7 * 24 * time.Hour).UnixMilli()

	// What listening found is checked in listening_test.go.
	within(t, "inbox items", count(t, db, "SELECT count(*) FROM inbox_items WHERE kind <> 'listening'"), 150, 300)
	for _, k := range []string{"reply", "mention", "quote", "dm"} {
		within(t, k+" items", count(t, db, "SELECT count(*) FROM inbox_items WHERE kind = ?", k), 1, 300)
	}
	for f := range numFlavours {
		within(t, f.String()+" items", g.inboxStats.flavours[f], 5, 300)
	}
	if n := count(t, db, "SELECT count(*) FROM inbox_items WHERE received_at >= ? OR sentiment IS NULL", now); n != 0 {
		t.Errorf("%d items from the future or not scored", n)
	}
	// The generator's complaints read as complaints to VADER, and its
	// questions as questions.
	within(t, "complaints", count(t, db, "SELECT count(*) FROM inbox_items WHERE attention = 0"), 5, 300)
	within(t, "questions", count(t, db, "SELECT count(*) FROM inbox_items WHERE question"), 5, 300)
	// Read as the store reads what a sync brings, labelled now and then,
	// and one recent open complaint deleted by its author, all findable.
	if n := count(t, db, "SELECT count(*) FROM inbox_items WHERE class IS NULL OR search_key IS NULL"); n != 0 {
		t.Errorf("%d items not read or keyed", n)
	}
	within(t, "open complaints", count(t, db, "SELECT count(*) FROM inbox_items WHERE class = 'complaint' AND state = 'open' AND kind <> 'listening'"), 2, 60)
	within(t, "labelled items", count(t, db, "SELECT count(*) FROM inbox_items WHERE labels <> ''"), 3, 60)
	within(t, "deleted items", count(t, db, "SELECT count(*) FROM inbox_items WHERE deleted_at IS NOT NULL AND state = 'open'"), 1, 1)
	if n, err := st.InboxCount(context.Background(), store.InboxFilter{Search: "bread"}); err != nil || n == 0 {
		t.Errorf("a search finds %d, %v", n, err)
	}
	if n, m := count(t, db, "SELECT count(*) FROM inbox_items"), count(t, db, "SELECT count(*) FROM inbox_search"); n != m {
		t.Errorf("%d items, %d in the search index", n, m)
	}
	// Denser lately.
	recent := count(t, db, "SELECT count(*) FROM inbox_items WHERE received_at >= ?", week)
	older := count(t, db, "SELECT count(*) FROM inbox_items WHERE received_at < ? AND received_at >= ?",
		week, clock.Add(-14*24*time.Hour).UnixMilli())
	if recent <= older {
		t.Errorf("last week %d items, the week before %d: want more lately", recent, older)
	}
	// Triage: the last week mostly open, older mostly done and read.
	openRecent := count(t, db, "SELECT count(*) FROM inbox_items WHERE received_at >= ? AND state = 'open'", week)
	if openRecent*2 < recent {
		t.Errorf("%d of %d items from the last week are open: want most", openRecent, recent)
	}
	old := count(t, db, "SELECT count(*) FROM inbox_items WHERE received_at < ?", week)
	doneOld := count(t, db, "SELECT count(*) FROM inbox_items WHERE received_at < ? AND state = 'done' AND is_read = 1", week)
	if doneOld*10 < old*8 {
		t.Errorf("%d of %d older items are done: want most", doneOld, old)
	}
	within(t, "snoozed items", count(t, db, "SELECT count(*) FROM inbox_items WHERE state = 'snoozed'"), 1, 30)
	if n := count(t, db, "SELECT count(*) FROM inbox_items WHERE (state = 'snoozed') <> (snoozed_until > ?)", now); n != 0 {
		t.Errorf("%d items snoozed without a future time (or with one, not snoozed)", n)
	}

	// Replies hang under our posts, some under another reply in the thread.
	if n := count(t, db, `SELECT count(*) FROM inbox_items i WHERE kind = 'reply' AND NOT EXISTS
		(SELECT 1 FROM deliveries d WHERE d.account_id = i.account_id AND d.remote_id = i.thread_root AND d.sent_at < i.received_at)`); n != 0 {
		t.Errorf("%d replies whose thread root is not an earlier post of ours", n)
	}
	second := count(t, db, `SELECT count(*) FROM inbox_items i WHERE kind = 'reply' AND in_reply_to <> thread_root`)
	if second == 0 {
		t.Error("no second-level replies")
	}
	if n := count(t, db, `SELECT count(*) FROM inbox_items i WHERE kind = 'reply' AND in_reply_to <> thread_root
		AND NOT EXISTS (SELECT 1 FROM inbox_items p WHERE p.account_id = i.account_id AND p.remote_id = i.in_reply_to
		AND p.thread_root = i.thread_root AND p.received_at < i.received_at)`); n != 0 {
		t.Errorf("%d second-level replies answer nothing in their thread", n)
	}
	// Handles and links in each network's shape.
	if n := count(t, db, `SELECT count(*) FROM inbox_items WHERE platform = 'mastodon'
		AND (author_handle NOT GLOB '@*@*.*' OR url NOT GLOB 'https://*/@*/[0-9]*')`); n != 0 {
		t.Errorf("%d Mastodon items with a handle or url out of shape", n)
	}
	if n := count(t, db, `SELECT count(*) FROM inbox_items WHERE platform = 'bluesky' AND kind <> 'dm'
		AND (remote_id NOT GLOB 'at://did:plc:*/app.bsky.feed.post/*' OR url NOT GLOB 'https://bsky.app/profile/*/post/*')`); n != 0 {
		t.Errorf("%d Bluesky items with a remote id or url out of shape", n)
	}

	// Varied texts, some of them not in English.
	bodies := queryStrings(t, db, "SELECT body FROM inbox_items")
	distinct := map[string]bool{}
	nonLatin := 0
	for _, b := range bodies {
		distinct[b] = true
		if strings.ContainsAny(b, "äöüßéèñ¡¿ãąłż") || strings.ContainsFunc(b, func(r rune) bool { return r >= 0x3040 && r <= 0x30ff }) {
			nonLatin++
		}
	}
	if len(distinct)*100 < len(bodies)*85 {
		t.Errorf("%d distinct texts among %d inbox items", len(distinct), len(bodies))
	}
	if nonLatin == 0 {
		t.Error("no text in another language")
	}
	within(t, "distinct authors", count(t, db, "SELECT count(DISTINCT author_handle) FROM inbox_items"), 40, 300)
}

func checkCalendar(t *testing.T, st *store.Store, g *gen, clock time.Time) {
	ps, err := st.PostsBetween(context.Background(), clock.AddDate(0, 0, -3), clock.AddDate(0, 0, 8))
	if err != nil {
		t.Fatal(err)
	}
	states := map[store.PostState]bool{}
	for _, p := range ps {
		states[p.State] = true
		if p.State == store.PostFailed && !strings.Contains(p.LastError, "500") {
			t.Errorf("failed post's error %q", p.LastError)
		}
	}
	for _, s := range []store.PostState{store.PostSent, store.PostQueued, store.PostFailed, store.PostMissed, store.PostDraft} {
		if !states[s] {
			t.Errorf("no %s post around now", s)
		}
	}
}

func TestSeedAcrossZones(t *testing.T) {
	t.Parallel()
	// Now just after midnight in a zone west of UTC, days after the US
	// switch to summer time.
	ny := mustZone("America/New_York")
	now := time.Date(2025, 3, 12, 0, 20, 0, 0, ny)
	st, _ := seeded(t, Options{Seed: 11, Now: now, Zone: ny})
	db := st.DB()
	for _, s := range queryStrings(t, db, "SELECT scheduled_at FROM posts WHERE state IN ('sent', 'queued') AND reply_to_item IS NULL") {
		var at int64
		fmt.Sscan(s, &at)
		if h := time.UnixMilli(at).In(ny).Hour(); h < 7 || h > 19 {
			t.Errorf("post at %s local", time.UnixMilli(at).In(ny))
		}
	}
	within(t, "queued posts in the next 7 days", count(t, db,
		"SELECT count(*) FROM posts WHERE state = 'queued' AND scheduled_at > ? AND scheduled_at <= ? AND id NOT IN ("+timingPosts+")",
		now.UnixMilli(), now.Add(7*24*time.Hour).UnixMilli()), 8, 12)
	if n := count(t, db, "SELECT count(*) FROM posts WHERE state = 'sent' AND scheduled_at >= ?", now.UnixMilli()); n != 0 {
		t.Errorf("%d sent posts after now", n)
	}
}

func TestSeedLargeScaledDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scaled-down large data set")
	}
	t.Parallel()
	st, g := seededLarge(t)
	db := st.DB()
	within(t, "accounts", count(t, db, "SELECT count(*) FROM accounts"), 4, 4)
	within(t, "sent posts", count(t, db, "SELECT count(*) FROM posts WHERE state = 'sent' AND reply_to_item IS NULL AND id NOT IN ("+timingPosts+")"), 1000, 1000)
	within(t, "inbox items", count(t, db, "SELECT count(*) FROM inbox_items WHERE kind <> 'listening'"), 5000, 5000)
	within(t, "metric snapshots", count(t, db, "SELECT count(*) FROM delivery_metrics"), 9000, 12000)
	within(t, "open inbox items", g.inboxStats.states[store.InboxOpen], 10, 150)
	within(t, "snoozed inbox items", g.inboxStats.states[store.InboxSnoozed], 1, 30)
	within(t, "campaigns", count(t, db, "SELECT count(*) FROM campaigns"), 10, 20)
	within(t, "posts on the café's accounts", count(t, db, `SELECT count(DISTINCT t.post_id) FROM post_targets t
		JOIN accounts a ON a.id = t.account_id JOIN posts p ON p.id = t.post_id
		WHERE a.display_name LIKE '%Café' AND p.reply_to_item IS NULL`), 150, 350)
	// The indexes dropped for the build are all back.
	const indexes = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = 'index' ORDER BY name)"
	if got, want := queryStrings(t, db, indexes), queryStrings(t, openStore(t).DB(), indexes); !slices.Equal(got, want) {
		t.Errorf("indexes after the build:\n%v\nwant\n%v", got, want)
	}
	// So are the search index's triggers, and every item is in the index.
	const triggers = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name)"
	if got, want := queryStrings(t, db, triggers), queryStrings(t, openStore(t).DB(), triggers); !slices.Equal(got, want) {
		t.Errorf("triggers after the build:\n%v\nwant\n%v", got, want)
	}
	if n, m := count(t, db, "SELECT count(*) FROM inbox_items"), count(t, db, "SELECT count(*) FROM inbox_search"); n != m {
		t.Errorf("%d items, %d in the search index", n, m)
	}
	if n, err := st.InboxCount(context.Background(), store.InboxFilter{Search: "sourdough", State: store.InboxDone}); err != nil || n == 0 {
		t.Errorf("a search finds %d, %v", n, err)
	}
	if n := count(t, db, `SELECT count(*) FROM deliveries d JOIN delivery_metrics m ON m.delivery_id = d.id
		AND m.taken_at = (SELECT max(taken_at) FROM delivery_metrics WHERE delivery_id = d.id)
		WHERE d.likes <> m.likes OR d.metrics_at IS NOT m.taken_at`); n != 0 {
		t.Errorf("%d deliveries disagree with their latest snapshot", n)
	}
	if v, _ := st.Meta(context.Background(), MetaSize); v != "large" {
		t.Errorf("meta %s = %q", MetaSize, v)
	}
}

func TestEnsureLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scaled-down large data set twice")
	}
	t.Parallel()
	ctx := context.Background()
	const scale = 0.002
	// The folder is made if need be (a first run's cache folder).
	path := filepath.Join(t.TempDir(), "cache", "crier", "large.db")

	// Two callers at once (go test runs packages in parallel): one builds,
	// the other waits and opens the same file.
	var stores [2]*store.Store
	var errs [2]error
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = ensureLarge(ctx, path, 9, scale) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := stores[0].SetMeta(ctx, "marker", "first build"); err != nil {
		t.Fatal(err)
	}
	if v, _ := stores[1].Meta(ctx, "marker"); v != "first build" {
		t.Fatal("the two callers ended up with different files")
	}
	stores[1].Close()
	st := stores[0]
	now, err := SeededNow(ctx, st)
	if err != nil || time.Since(now) > time.Hour {
		t.Errorf("SeededNow = %v, %v: want about now", now, err)
	}
	st.Close()

	// Same seed: the file is reused.
	st, err = ensureLarge(ctx, path, 9, scale)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Meta(ctx, "marker"); v != "first build" {
		t.Errorf("second call rebuilt the database (marker %q)", v)
	}
	st.Close()

	// Another seed: rebuilt. Leftovers of an interrupted build must not
	// get in the way: half a file and the lock file of a build that died.
	if err := os.WriteFile(path+".tmp", []byte("half a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".lock", []byte("12345\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path+".lock", long, long); err != nil {
		t.Fatal(err)
	}
	st, err = ensureLarge(ctx, path, 10, scale)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Meta(ctx, "marker"); v != "" {
		t.Errorf("a different seed reused the old database")
	}
	if v, _ := st.Meta(ctx, MetaSeed); v != "10" {
		t.Errorf("meta %s = %q", MetaSeed, v)
	}
	st.Close()
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.tmp left behind (%v)", path, err)
	}

	// A file that is not a complete demo (a build that never finished its
	// meta) is not reused, nor is one an older crier built, whose generator
	// wrote other data: ensureLarge rebuilds what openComplete turns down,
	// as the other seed above was rebuilt.
	for _, c := range []struct{ why, key, value string }{
		{"an incomplete file", MetaComplete, "0"},
		{"a file of an older data version", MetaData, "1"},
	} {
		st, err = store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		old, _ := st.Meta(ctx, c.key)
		st.SetMeta(ctx, c.key, c.value)
		st.Close()
		if st, ok := openComplete(ctx, path, 10, scale); ok {
			st.Close()
			t.Errorf("%s would be reused", c.why)
		}
		st, err = store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		st.SetMeta(ctx, c.key, old)
		st.Close()
		if st, ok := openComplete(ctx, path, 10, scale); !ok {
			t.Errorf("the file, put back after %s, is not reused", c.why)
		} else {
			st.Close()
		}
	}
}

// BenchmarkSeedNormal measures `crier demo`: seeding the 90-day bakery
// into a new database file (open and migrate not included).
func BenchmarkSeedNormal(b *testing.B) {
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("crier-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := Seed(ctx, st, Options{Seed: int64(i), Now: testNow, Zone: berlin}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkSeedLarge measures building the full large data set (100k
// posts, 500k inbox items, ~1M metric snapshots) into a new file, and
// reports the file's size and, on Linux, the process's peak resident
// memory (VmHWM), which the build should keep under 300 MB: a user on a
// small server runs crier demo --large too. Run it alone, so that the peak
// is the build's: go test -run '^$' -bench SeedLarge -benchtime 1x ./demo
//
// Where the shared database the other packages' benchmarks read
// (BenchLargePath) is not built yet, as on a new machine, the first build
// measured is that one, so the large data set is built once, not twice.
func BenchmarkSeedLarge(b *testing.B) {
	ctx := context.Background()
	shared := BenchLargePath()
	if st, ok := openComplete(ctx, shared, 1, 1); ok {
		st.Close()
		shared = ""
	}
	for i := 0; b.Loop(); i++ {
		if shared != "" {
			st, err := EnsureLarge(ctx, shared, 1)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			st.Close()
			if fi, err := os.Stat(shared); err == nil {
				b.ReportMetric(float64(fi.Size())/(1<<20), "MiB")
			}
			shared = ""
			b.StartTimer()
			continue
		}
		b.StopTimer()
		path := filepath.Join(b.TempDir(), fmt.Sprintf("large-%d.db", i))
		st, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := Seed(ctx, st, Options{Seed: 1, Now: testNow, Zone: time.UTC, Large: true}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		if fi, err := os.Stat(path); err == nil {
			b.ReportMetric(float64(fi.Size())/(1<<20), "MiB")
		}
		b.StartTimer()
	}
	if kb, ok := peakRSS(); ok {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MiB")
	}
}

// peakRSS is the process's peak resident memory in kB, where /proc says.
func peakRSS() (int64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			_, err := fmt.Sscanf(rest, "%d kB", &kb)
			return kb, err == nil
		}
	}
	return 0, false
}

func TestQueueLive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := testNow
	st, _ := seeded(t, Options{Seed: 7, Now: now, Zone: berlin})
	id, err := QueueLive(ctx, st, now, berlin)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Post(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	accounts, _ := st.Accounts(ctx)
	if p.State != store.PostQueued || !p.ScheduledAt.Equal(now.Add(LiveDelay)) || len(p.Targets) != len(accounts) {
		t.Fatalf("live post: %s at %v to %d accounts", p.State, p.ScheduledAt, len(p.Targets))
	}
}
