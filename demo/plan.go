package demo

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crier-app/crier/store"
)

// gen holds the generator and what it has planned so far. Every random draw
// goes through r, in a fixed order, so a seed always gives the same data;
// the bakery's replies to its inbox draw from say instead (af fills their
// templates), a stream of their own, so that their texts can change without
// reshuffling the rest of the demo.
type gen struct {
	r    *rand.Rand
	f    *filler
	say  *rand.Rand
	af   *filler
	now  time.Time
	zone *time.Location
	sz   size

	photoDir string // where the demo's photos are (see photos.go)

	start     time.Time // local midnight on the first day of the history
	accounts  []*account
	campaigns []*campaign
	posts     []*post // in time order; ids follow it
	idSeq     uint64  // low bits of Mastodon ids and TID clock ids: ids never repeat

	lastWeek   int // inbox items from the last week so far
	inboxStats inboxStats
	inboxID    int64           // the last inbox item's id
	tones      map[string]tone // how each inbox text of each kind has been read
	keysAt     map[int64]int64 // search keys given out, by millisecond
	deleteOne  bool            // one recent complaint is still to be deleted by its author
	// The items left done, for the reply pass: what was said to the bakery
	// and what listening heard, each in a list of its own, so that neither
	// outgrows the room made for it.
	done, doneHeard []answerable
	topicOf         map[string]int // what each text answered is about: topicIndex
	// load writes the history and the inbox (writeHistory, writeListening);
	// the large build sets the inbox's indexes aside in one and builds them
	// in the other.
	load *store.Loader
}

type account struct {
	accountSpec
	id    int64
	did   string      // Bluesky only
	daily []float64   // followers at local midnight of each day of the history
	sent  []*delivery // sent deliveries in time order, while the posts are planned
	// recent are the sent deliveries, in the same order, as the inbox sees
	// them once the posts are written.
	recent []*ours
}

// ours is one of the bakery's sent posts as people answer it.
type ours struct {
	sentAt   time.Time
	reach    float64
	remoteID string
	replies  []inboxRef // the latest replies under it, for second-level ones
}

type campaign struct {
	id             int64
	name, goal     string
	theme          string
	startsOn, ends time.Time // local midnights
	budgetCents    int64
}

type post struct {
	id       int64
	at       time.Time // scheduled
	created  time.Time
	updated  time.Time
	state    store.PostState
	theme    string
	body     string
	campaign int64
	media    *store.Media
	boost    float64 // how far above its usual reach this post went (viral ones: 6x and more)
	targets  []*delivery
}

type delivery struct {
	id          int64
	post        *post
	acct        *account
	state       store.DeliveryState
	override    string
	hasOverride bool
	key         string
	remoteID    string
	url         string
	sentAt      time.Time
	attempts    int
	lastError   string

	// The engagement model: reach is the likes the post tends to at
	// saturation, tau how fast it gets there, share the other counters
	// relative to likes.
	reach  float64
	tau    time.Duration
	share  [3]float64 // reposts, replies, quotes
	jitter uint64     // spreads the snapshot times
}

type inboxRef struct{ id, user string }

// day returns local midnight of history day i (0 = the first).
func (g *gen) day(i int) time.Time {
	return time.Date(g.start.Year(), g.start.Month(), g.start.Day()+i, 0, 0, 0, 0, g.zone)
}

// at returns the instant of a local wall-clock time on history day i; DST
// is the zone's business.
func (g *gen) at(i, hour, minute int) time.Time {
	d := g.day(i)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, g.zone)
}

// plan decides everything that goes into the history tables, except the
// inbox, which is written as it is generated.
func (g *gen) plan() {
	local := g.now.In(g.zone)
	g.start = time.Date(local.Year(), local.Month(), local.Day()-g.sz.days, 0, 0, 0, 0, g.zone)
	for _, a := range g.accounts {
		if a.platform == store.PlatformBluesky {
			a.did = did(g.r)
		}
	}
	g.planCampaigns()
	g.planPosts()
	g.planFollowers()
	g.planEngagement()
}

var campaignKinds = []struct {
	name, theme, goal string
	budgetCents       int64
}{
	{"Sourdough School", "workshop", "Fill four weekend workshops: 32 seats", 25000},
	{"Loyalty Card Launch", "sale", "Hand out 500 loyalty cards", 12000},
	{"Pre-order Weekends", "shop", "150 weekend pre-orders through the webshop", 8000},
	{"New Pastry Season", "new-pastry", "Twice the usual engagement on launch posts", 5000},
}

// planCampaigns makes one campaign that ended a while ago and one running
// now (normal), or one every few weeks over the years (large).
func (g *gen) planCampaigns() {
	type window struct{ from, days, kind int }
	today := g.sz.days
	var ws []window
	if g.sz.campaignEvery == 0 {
		ws = []window{{today - 70, 28, 0}, {today - 12, 28, 1}}
	} else {
		for i, from := 0, 20; from < today; i, from = i+1, from+g.sz.campaignEvery {
			ws = append(ws, window{from, 21 + g.r.IntN(21), i % len(campaignKinds)})
		}
	}
	for i, w := range ws {
		k := campaignKinds[w.kind]
		from := g.day(w.from)
		g.campaigns = append(g.campaigns, &campaign{
			id:          int64(i + 1),
			name:        k.name + " (" + from.Format("Jan 2006") + ")",
			goal:        k.goal,
			theme:       k.theme,
			startsOn:    from,
			ends:        g.day(w.from + w.days),
			budgetCents: k.budgetCents + 500*int64(g.r.IntN(20)),
		})
	}
}

// postsPerDay spreads the posts over the days: fewer on Mondays (closed)
// and Sundays, more on Saturdays, more as the business grows, with noise,
// and today only as far as it has gone.
func (g *gen) postsPerDay() []int {
	w := make([]float64, g.sz.days+1)
	var sum float64
	for i := range w {
		f := 1.0
		switch g.day(i).Weekday() {
		case time.Monday:
			f = 0.35
		case time.Sunday:
			f = 0.7
		case time.Saturday:
			f = 1.25
		}
		if i == g.sz.days {
			// Today: only the part of the posting day that is over.
			local := g.now.Add(-30 * time.Minute).In(g.zone)
			f *= min(1, max(0, (float64(local.Hour())+float64(local.Minute())/60-7)/13))
		}
		w[i] = f * (0.75 + 0.5*float64(i)/float64(g.sz.days)) * math.Exp(0.35*g.r.NormFloat64())
		sum += w[i]
	}
	// Largest remainder: whole posts, exactly sz.posts of them.
	counts := make([]int, len(w))
	rest := make([]int, len(w))
	left := g.sz.posts
	fracs := make([]float64, len(w))
	for i := range w {
		exact := float64(g.sz.posts) * w[i] / sum
		counts[i] = int(exact)
		fracs[i] = exact - float64(counts[i])
		left -= counts[i]
		rest[i] = i
	}
	slices.SortStableFunc(rest, func(a, b int) int { return -cmpFloat(fracs[a], fracs[b]) })
	for _, i := range rest[:left] {
		counts[i]++
	}
	return counts
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// postHours weighs the local hours the bakery posts at: early for the
// bread, lunchtime, and the end-of-day deals.
var postHours = []float64{
	7: 5, 8: 6, 9: 4, 10: 3, 11: 4, 12: 5, 13: 3, 14: 2, 15: 2, 16: 3, 17: 3, 18: 2, 19: 1,
}

// postTime picks a local time on a day at one of the bakery's posting
// hours, at least half an hour before now; false when there is none left.
func (g *gen) postTime(day int) (time.Time, bool) {
	latest := g.now.Add(-30 * time.Minute)
	for range 12 {
		h := weighted(g.r, postHours)
		m := 15 * g.r.IntN(4)
		if chance(g.r, 0.1) {
			m = g.r.IntN(60)
		}
		if t := g.at(day, h, m); t.Before(latest) {
			return t, true
		}
	}
	return time.Time{}, false
}

// weighted draws an index with probability proportional to its weight.
func weighted(r *rand.Rand, w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	x := r.Float64() * sum
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

func (g *gen) planPosts() {
	for day, n := range g.postsPerDay() {
		for range n {
			d := day
			at, ok := g.postTime(d)
			for !ok && d > 0 { // today, before the bakery's first post time
				d--
				at, ok = g.postTime(d)
			}
			th := themeFor(g.r, at.In(g.zone).Hour())
			p := &post{at: at, state: store.PostSent, theme: th, body: g.postBody(th, at), boost: g.boost()}
			p.created = at.Add(-time.Duration(10+g.r.IntN(3*24*60)) * time.Minute)
			p.campaign = g.campaignFor(p)
			if (th == "bread-of-the-day" || th == "new-pastry" || th == "behind-the-scenes") && chance(g.r, 0.4) {
				p.media = g.photo()
			}
			g.target(p)
			g.posts = append(g.posts, p)
		}
	}
	g.posts = append(g.posts, g.failedPost(), g.missedPost())
	slices.SortStableFunc(g.posts, func(a, b *post) int { return a.at.Compare(b.at) })

	var deliveryID int64
	for i, p := range g.posts {
		p.id = int64(i + 1)
		for _, d := range p.targets {
			deliveryID++
			d.id = deliveryID
			d.post = p
			d.key = idempotencyKey(g.r)
			if d.state != store.DeliverySent {
				continue
			}
			if d.sentAt.IsZero() {
				d.sentAt = p.at.Add(time.Duration(300+g.r.IntN(4000)) * time.Millisecond)
			}
			d.remoteID, d.url = g.ourRemoteID(d.acct, d.sentAt)
			d.acct.sent = append(d.acct.sent, d)
			p.updated = d.sentAt
		}
		if p.updated.IsZero() {
			p.updated = p.at
		}
	}
}

// ourRemoteID is where a sent post of ours lives on its network.
func (g *gen) ourRemoteID(a *account, at time.Time) (id, url string) {
	g.idSeq++
	if a.platform == store.PlatformMastodon {
		id = mastodonID(at, g.idSeq)
		return id, a.server + "/@" + a.user + "/" + id
	}
	rkey := tid(at, g.idSeq)
	return bskyPostURI(a.did, rkey), bskyPostURL(a.user, rkey)
}

// boost is how a post does against the usual: most are ordinary, some do
// well, a few take off.
func (g *gen) boost() float64 {
	switch x := g.r.Float64(); {
	case x < 0.03:
		return 6 + 20*g.r.Float64()
	case x < 0.13:
		return 2 + 1.5*g.r.Float64()
	}
	return 1
}

// postBody writes a post on a theme, with the hashtags the bakery likes.
func (g *gen) postBody(theme string, at time.Time) string {
	g.f.when = at.In(g.zone)
	body := g.f.fill(pick(g.r, postTemplates[theme]))
	var tags []string
	for n := weighted(g.r, []float64{2, 4, 3, 1}); len(tags) < n; {
		pool := themeTags[theme]
		if chance(g.r, 0.4) {
			pool = anyTags
		}
		if t := pick(g.r, pool); !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	if len(tags) > 0 && runes(body)+runes(strings.Join(tags, " ")) < 290 {
		body += "\n\n" + strings.Join(tags, " ")
	}
	return body
}

// withoutTags drops the hashtag line Mastodon likes and Bluesky less so.
func withoutTags(body string) string {
	if i := strings.LastIndex(body, "\n\n#"); i >= 0 {
		return body[:i]
	}
	return body
}

func (g *gen) campaignFor(p *post) int64 {
	for _, c := range g.campaigns {
		if p.at.Before(c.startsOn) || !p.at.Before(c.ends) {
			continue
		}
		if (p.theme == c.theme && chance(g.r, 0.9)) || chance(g.r, 0.15) {
			return c.id
		}
	}
	return 0
}

var photoAlts = []string{
	"Loaves of {bread} cooling on a wire rack, crusts cracked open.",
	"A tray of {pastry} fresh from the oven, steam still rising.",
	"{staff} shaping dough at the floury bench.",
	"The counter in the morning light, baskets full of bread.",
	"A cut {bread} on a wooden board, showing an open crumb.",
}

func (g *gen) photo() *store.Media {
	g.r.IntN(9000) // once a file number; drawn still, so a seed gives the data it always gave
	alt := pick(g.r, photoAlts)
	return &store.Media{
		Path:    filepath.Join(g.photoDir, demoPhotos()[slices.Index(photoAlts, alt)].name),
		Mime:    "image/png",
		AltText: g.f.fill(alt),
	}
}

// target picks the accounts a post goes to: one brand's, both networks or
// one of them. Bluesky sometimes gets the text without the hashtags.
func (g *gen) target(p *post) {
	brand := 0
	if g.sz.name == "large" && chance(g.r, 0.25) {
		brand = 1
	}
	var mine []*account
	for _, a := range g.accounts {
		if a.brand == brand {
			mine = append(mine, a)
		}
	}
	switch x := g.r.Float64(); {
	case x < 0.2:
		mine = filterPlatform(mine, store.PlatformMastodon)
	case x < 0.45:
		mine = filterPlatform(mine, store.PlatformBluesky)
	}
	for _, a := range mine {
		d := &delivery{acct: a, state: store.DeliverySent, attempts: 1}
		if a.platform == store.PlatformBluesky && len(mine) > 1 && strings.Contains(p.body, "\n\n#") && chance(g.r, 0.3) {
			d.override, d.hasOverride = withoutTags(p.body), true
		}
		p.targets = append(p.targets, d)
	}
}

func filterPlatform(as []*account, platform string) []*account {
	var out []*account
	for _, a := range as {
		if a.platform == platform {
			out = append(out, a)
		}
	}
	return out
}

func (g *gen) brandAccounts(brand int) (mastodon, bluesky *account) {
	for _, a := range g.accounts {
		if a.brand != brand {
			continue
		}
		if a.platform == store.PlatformMastodon {
			mastodon = a
		} else {
			bluesky = a
		}
	}
	return mastodon, bluesky
}

// failedPostBody is too long for Mastodon's 500 characters; the Bluesky copy
// has its own short text and went out.
const failedPostBody = `Five years of Rye & Shine! 🎉 When we opened on Linden Street we had one oven, one mixer and a starter called Gerald. Today there are nine of us, Gerald is still going strong, and we bake around 400 loaves every day. Thank you to every single one of you who came in for a loaf, stood in the Saturday queue, brought your kids to a workshop or told a friend about us. To celebrate, this Saturday every loaf comes with a free cardamom bun, and there will be cake for everyone from 10:00 until it runs out. See you there! 🥖💛

#bakery #sourdough #shoplocal`

const failedPostBluesky = `Five years of Rye & Shine! 🎉 One oven and a starter called Gerald became nine bakers and 400 loaves a day. Thank you all! This Saturday every loaf comes with a free cardamom bun, and there's cake from 10:00 until it runs out. 🥖💛`

// failedPost went out to Bluesky two days ago but Mastodon refused it.
func (g *gen) failedPost() *post {
	at := g.at(g.sz.days-2, 11, 30)
	p := &post{at: at, created: at.Add(-26 * time.Hour), state: store.PostFailed, theme: "community",
		body: failedPostBody, boost: 3}
	m, b := g.brandAccounts(0)
	p.targets = []*delivery{
		{acct: m, state: store.DeliveryFailed, attempts: 1,
			lastError: "Validation failed: Text character limit of 500 exceeded (HTTP 422)"},
		{acct: b, state: store.DeliverySent, attempts: 1, override: failedPostBluesky, hasOverride: true},
	}
	return p
}

// missedPost came due yesterday morning while crier was closed.
func (g *gen) missedPost() *post {
	at := g.at(g.sz.days-1, 8, 15)
	p := &post{at: at, created: at.Add(-40 * time.Hour), state: store.PostMissed, theme: "bread-of-the-day",
		body:  "Bread of the day: walnut sourdough. Toasted walnuts, a long cold ferment, a crust that sings. Out of the oven at 8:30. 🥖\n\n#sourdough #realbread",
		boost: 1}
	m, b := g.brandAccounts(0)
	for _, a := range []*account{m, b} {
		p.targets = append(p.targets, &delivery{acct: a, state: store.DeliveryMissed})
	}
	return p
}

// planFollowers walks each account's follower count day by day: steady
// growth with noise, bumps after a post takes off, the odd dip.
func (g *gen) planFollowers() {
	days := g.sz.days + 1
	// A bakery posting ninety times a day (the large set) does not win
	// ninety times the followers from its good posts.
	damp := min(1, 1.5*float64(g.sz.days)/float64(g.sz.posts))
	for _, a := range g.accounts {
		bumps := make([]float64, days+2)
		for _, d := range a.sent {
			if d.post.boost >= 2 {
				i := int(d.sentAt.Sub(g.start).Hours() / 24)
				gain := a.reach * d.post.boost * 0.07 * damp
				bumps[i] += gain * 0.65
				bumps[i+1] += gain * 0.35
			}
		}
		f := make([]float64, days+1)
		f[0] = a.followers
		for i := 1; i <= days; i++ {
			delta := a.growth*(1+0.8*g.r.NormFloat64()) + bumps[i-1]
			if chance(g.r, 0.05) {
				delta -= float64(2 + g.r.IntN(12)) // a spam wave cleaned up, a few unfollows
			}
			f[i] = max(0, f[i-1]+delta)
		}
		a.daily = f
	}
}

// followersAt interpolates an account's followers at an instant.
func (g *gen) followersAt(a *account, t time.Time) float64 {
	x := t.Sub(g.start).Hours() / 24
	i := int(x)
	if i < 0 {
		return a.daily[0]
	}
	if i >= len(a.daily)-1 {
		return a.daily[len(a.daily)-1]
	}
	return a.daily[i] + (x-float64(i))*(a.daily[i+1]-a.daily[i])
}

// planEngagement sets each sent delivery's curve. Reach grows with the
// account's followers; Bluesky's crowd reacts faster than Mastodon's.
func (g *gen) planEngagement() {
	appeal := map[string]float64{}
	for _, t := range themes {
		appeal[t.label] = t.appeal
	}
	for _, p := range g.posts {
		for _, d := range p.targets {
			if d.state != store.DeliverySent {
				continue
			}
			a := d.acct
			growth := math.Pow(g.followersAt(a, d.sentAt)/a.followers, 0.8)
			d.reach = a.reach * appeal[p.theme] * p.boost * growth * math.Exp(0.55*g.r.NormFloat64())
			hours := 6.0
			d.share = [3]float64{0.33, 0.12, 0.015}
			if a.platform == store.PlatformBluesky {
				hours = 3
				d.share = [3]float64{0.18, 0.09, 0.05}
			}
			if p.boost > 4 {
				hours *= 3 // a post that takes off keeps travelling for a day or two
			}
			d.tau = time.Duration(hours * (0.6 + g.r.Float64()) * float64(time.Hour))
			for i := range d.share {
				d.share[i] *= 0.6 + 0.8*g.r.Float64()
			}
			d.jitter = g.r.Uint64()
		}
	}
}

// snapshotAfter are when crier's metric sync tends to look at a post again.
var snapshotAfter = []time.Duration{
	time.Hour, 6 * time.Hour, 24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour,
}

type snapshot struct {
	at      time.Time
	metrics store.Metrics
}

// snapshots are a sent delivery's metric history up to now: a saturating
// curve, so every counter only grows.
func (d *delivery) snapshots(now time.Time, out []snapshot) []snapshot {
	out = out[:0]
	for i, after := range snapshotAfter {
		jitter := time.Duration(d.jitter>>(8*i)&0xff) * 3 * time.Second
		at := d.sentAt.Add(after + jitter).Truncate(time.Millisecond)
		if !at.Before(now) {
			break
		}
		t := float64(after + jitter)
		f := 0.9*(1-math.Exp(-t/float64(d.tau))) + 0.1*(1-math.Exp(-t/float64(9*24*time.Hour)))
		likes := d.reach * f
		out = append(out, snapshot{at: at, metrics: store.Metrics{
			Likes:   int(likes),
			Reposts: int(likes * d.share[0]),
			Replies: int(likes * d.share[1]),
			Quotes:  int(likes * d.share[2]),
		}})
	}
	return out
}

// runes is an upper bound on graphemes, enough to keep sent posts under
// Bluesky's 300.
func runes(s string) int { return utf8.RuneCountInString(s) }
