// Package demo fills a fresh store with the believable history of a small
// business: a neighbourhood bakery, Rye & Shine, posting to Mastodon and
// Bluesky. `crier demo` shows it; `crier demo --large` and the benchmarks use
// the same generator at a hundred times the size.
//
// Everything comes from one seeded generator, so the same seed and clock give
// the same database, row for row.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/crier-app/crier/store"
)

// Options say which demo to build.
type Options struct {
	Seed int64
	// Now is where the history ends and the queue begins.
	Now time.Time
	// Zone is the bakery's: posts go out at its local hours, and its name is
	// kept as the posts' scheduled_zone, so it should come from
	// time.LoadLocation (time.Local is named "Local"). nil means UTC.
	Zone *time.Location
	// Large builds the benchmark data set (100k posts, 500k inbox items,
	// about 1M metric snapshots) instead of the 90-day demo.
	Large bool
	// Scale multiplies the Large sizes (0.01 builds 1% of them); 0 means 1.
	// The normal demo ignores it.
	Scale float64
}

// Meta keys the demo sets.
const (
	MetaDemo     = "demo"          // "1" in a demo database
	MetaSeed     = "demo_seed"     // the seed it was built from
	MetaSize     = "demo_size"     // "normal" or "large"
	MetaScale    = "demo_scale"    // the Large scale factor
	MetaNow      = "demo_now"      // Options.Now, ms since the epoch
	MetaZone     = "demo_zone"     // Options.Zone's name
	MetaSchema   = "demo_schema"   // store.SchemaFingerprint() at build time
	MetaData     = "demo_data"     // dataVersion at build time
	MetaComplete = "demo_complete" // "1", written last
)

// dataVersion names what the generator writes; it changes when the same
// seed comes to give different data (2: the replies to the inbox; 3: photos
// that exist, drawn beside the database; 4: what each inbox item is, labels,
// one deleted reply; 5: campaigns' marketing, marketing.go), so that a
// large demo cached by an older crier is built again.
const dataVersion = "5"

// largeBuildMemory is the soft limit on Go's memory while a large demo is
// built; SQLite's page cache and sorter come on top (see store.NewLoader).
const largeBuildMemory = 160 << 20

// building counts the large builds under way and keeps the memory limit
// that was set before the first.
var building struct {
	sync.Mutex
	n     int
	saved int64
}

// limitMemory lowers Go's soft memory limit to largeBuildMemory until the
// last large build under way calls the function it returns. The plan of
// the large build holds about 90 MB, and left to itself the collector lets
// the heap grow to twice what is live before it looks: the limit keeps
// crier demo --large within a small server's memory, for a little more
// time collecting. A lower limit of the user's (GOMEMLIMIT) stays.
func limitMemory() (restore func()) {
	building.Lock()
	defer building.Unlock()
	if building.n == 0 {
		building.saved = debug.SetMemoryLimit(-1)
		debug.SetMemoryLimit(min(largeBuildMemory, building.saved))
	}
	building.n++
	return func() {
		building.Lock()
		defer building.Unlock()
		if building.n--; building.n == 0 {
			debug.SetMemoryLimit(building.saved)
		}
	}
}

// ErrNotEmpty is returned by Seed for a store that already has content.
var ErrNotEmpty = errors.New("the store already has posts or history: the demo needs a fresh one")

// Seed fills a fresh store: accounts, about 90 days of sent posts with their
// metrics, follower history, an inbox, drafts and a week of queued posts
// (or the Large data set). It fails with ErrNotEmpty when the store already
// has posts, campaigns, inbox items or follower history.
func Seed(ctx context.Context, st *store.Store, o Options) error {
	_, err := seed(ctx, st, o)
	return err
}

// seed is Seed, returning the generator so tests can see what it made.
func seed(ctx context.Context, st *store.Store, o Options) (*gen, error) {
	if o.Now.IsZero() {
		return nil, errors.New("demo: Options.Now is not set")
	}
	o.Now = o.Now.Truncate(time.Millisecond) // the store keeps milliseconds
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	sz := normalSize
	if o.Large {
		if o.Scale == 0 {
			o.Scale = 1
		}
		if o.Scale < 0 {
			return nil, fmt.Errorf("demo: scale %v is negative", o.Scale)
		}
		sz = largeSize(o.Scale)
	}
	if err := checkEmpty(ctx, st.DB()); err != nil {
		return nil, err
	}
	if o.Large {
		defer limitMemory()()
	}
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x63726965722d6465))   // "crier-de"
	say := rand.New(rand.NewPCG(uint64(o.Seed), 0x63726965722d7265)) // "crier-re"
	g := &gen{r: r, f: newFiller(r), say: say, af: newFiller(say), now: o.Now, zone: o.Zone, sz: sz,
		tones: map[string]tone{}, topicOf: map[string]int{}, keysAt: map[int64]int64{}, photoDir: photoDir(st.Path())}
	if err := writePhotos(g.photoDir); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if sz.name == "normal" {
		g.sz.posts += r.IntN(30)
		g.sz.inbox += r.IntN(60)
	}
	for _, spec := range sz.accounts {
		id, err := st.UpsertAccount(ctx, store.Account{
			Platform: spec.platform, Handle: spec.handle, Server: spec.server, DisplayName: spec.displayName,
		})
		if err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", spec.handle, err)
		}
		g.accounts = append(g.accounts, &account{accountSpec: spec, id: id})
	}
	g.plan()
	g.load = st.NewLoader(o.Large)
	if err := g.writeHistory(ctx); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := g.writeUpcoming(ctx, st); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := g.writeListening(ctx); err != nil {
		return nil, fmt.Errorf("demo: listening: %w", err)
	}
	if err := g.writeSavedReplies(ctx, st); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := g.writeMarketing(ctx, st, o.Seed); err != nil { // marketing.go
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := g.writeTiming(ctx, st); err != nil { // timing.go: queue, recurring, feed, A/B test, competitors
		return nil, fmt.Errorf("demo: %w", err)
	}
	meta := [][2]string{
		{MetaDemo, "1"},
		{MetaSeed, strconv.FormatInt(o.Seed, 10)},
		{MetaSize, sz.name},
		{MetaScale, strconv.FormatFloat(sz.scale, 'g', -1, 64)},
		{MetaNow, strconv.FormatInt(o.Now.UnixMilli(), 10)},
		{MetaZone, o.Zone.String()},
		{MetaSchema, store.SchemaFingerprint()},
		{MetaData, dataVersion},
		{MetaComplete, "1"}, // last: a build that stopped before here is not a demo
	}
	if err := g.finish(ctx, st.DB(), meta); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return g, nil
}

// SeededNow returns the Options.Now a demo database was built with, for
// benchmarks and tests that need a clock matching its data.
func SeededNow(ctx context.Context, st *store.Store) (time.Time, error) {
	v, err := st.Meta(ctx, MetaNow)
	if err != nil {
		return time.Time{}, err
	}
	if v == "" {
		return time.Time{}, errors.New("not a demo database")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("meta %s = %q: %w", MetaNow, v, err)
	}
	return time.UnixMilli(n).UTC(), nil
}

func checkEmpty(ctx context.Context, db *sql.DB) error {
	var n int
	err := db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM (SELECT 1 FROM posts LIMIT 1)) +
		(SELECT count(*) FROM (SELECT 1 FROM campaigns LIMIT 1)) +
		(SELECT count(*) FROM (SELECT 1 FROM inbox_items LIMIT 1)) +
		(SELECT count(*) FROM (SELECT 1 FROM follower_snapshots LIMIT 1))`).Scan(&n)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if n > 0 {
		return ErrNotEmpty
	}
	return nil
}

// size is how much history to make and how it behaves.
type size struct {
	name          string
	scale         float64
	days          int // of history before Now
	posts         int // sent posts in that history
	inbox         int
	authors       int
	followerSnaps int     // follower snapshots per account per day
	inboxSkew     float64 // > 1 crowds the inbox into recent days
	openRecent    float64 // share of the last two days' items still open
	openWeek      float64 // ... of the rest of the last week
	openOlder     float64 // ... of everything older (forgotten ones)
	snoozeOlder   float64 // share of older items snoozed (the last week's: every 15th)
	campaignEvery int     // days between campaigns (0: the two normal ones)
	accounts      []accountSpec
}

// accountSpec is one of the business's accounts and how it performs.
type accountSpec struct {
	platform    string
	handle      string // as crier stores it
	server      string
	displayName string
	user        string  // Mastodon username or Bluesky handle, for URLs and mentions
	brand       int     // 0 the bakery, 1 its café: a post goes to one brand's accounts
	followers   float64 // at the start of the history
	growth      float64 // new followers a day, on average
	reach       float64 // likes a typical post gets, at the start
}

var (
	bakeryMastodon = accountSpec{
		platform: store.PlatformMastodon, handle: "@ryeandshine@toot.community", server: "https://toot.community",
		displayName: "Rye & Shine Bakery", user: "ryeandshine", followers: 610, growth: 1.6, reach: 9,
	}
	bakeryBluesky = accountSpec{
		platform: store.PlatformBluesky, handle: "ryeandshine.bsky.social", server: "https://bsky.social",
		displayName: "Rye & Shine Bakery", user: "ryeandshine.bsky.social", followers: 1150, growth: 3.2, reach: 21,
	}
	cafeMastodon = accountSpec{
		platform: store.PlatformMastodon, handle: "@ryeandshinecafe@mastodon.social", server: "https://mastodon.social",
		displayName: "Rye & Shine Café", user: "ryeandshinecafe", brand: 1, followers: 240, growth: 0.8, reach: 5,
	}
	cafeBluesky = accountSpec{
		platform: store.PlatformBluesky, handle: "cafe.ryeandshine.bakery", server: "https://bsky.social",
		displayName: "Rye & Shine Café", user: "cafe.ryeandshine.bakery", brand: 1, followers: 420, growth: 1.5, reach: 10,
	}
)

// normalSize is `crier demo`: Seed adds up to 29 posts and 59 inbox items
// to these, drawn from the seed.
var normalSize = size{
	name: "normal", scale: 1, days: 90, posts: 120, inbox: 180, authors: 110,
	followerSnaps: 1, inboxSkew: 1.7, openRecent: 0.85, openWeek: 0.6, openOlder: 0.03, snoozeOlder: 0.004,
	accounts: []accountSpec{bakeryMastodon, bakeryBluesky},
}

// largeSize is the benchmark data set: three years of a busy bakery and café.
func largeSize(scale float64) size {
	n := func(full int) int { return max(1, int(float64(full)*scale+0.5)) }
	return size{
		name: "large", scale: scale, days: 3 * 365, posts: n(100_000), inbox: n(500_000), authors: max(200, n(30_000)),
		followerSnaps: 4, inboxSkew: 1.3, openRecent: 0.7, openWeek: 0.2, openOlder: 0.003, snoozeOlder: 0.0003,
		campaignEvery: 75,
		accounts:      []accountSpec{bakeryMastodon, bakeryBluesky, cafeMastodon, cafeBluesky},
	}
}
