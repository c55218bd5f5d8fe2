package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/crier-app/crier/analytics/utm"
	"github.com/crier-app/crier/store"
)

// The marketing side of the demo: what the bakery's campaigns brought in.
// It is written after the rest of the history, from what is in the
// database (so the posts the planner let go of are read back), and draws
// from a random stream of its own: the rest of the demo is the same with
// or without it.
//
// The normal demo's figures come from the posts: each campaign post's
// links to the bakery's site are tagged, and web analytics (Plausible)
// sees visits from them over the days after it went out, some of which
// convert; the social networks send some untagged visits every day; Meta
// ads run for each campaign with a budget, its clicks arriving tagged too;
// and a couple of costs are typed in. The large demo is a benchmark data
// set: every post is in a campaign (an always-on one beside the planned
// ones) and its web analytics rows are generated at the size the
// benchmarks need (largeVisitRows, of which largeConversionRows convert,
// and largeSpendRows ad rows), whatever its text says.

const (
	marketingStream     = 0x63726965722d6d6b // "crier-mk"
	largeVisitRows      = 1_000_000
	largeConversionRows = 100_000
	largeSpendRows      = 10_000
	siteDomain          = SiteDomain
	siteID              = siteDomain
	alwaysOnName        = "Everyday at Rye & Shine"
)

// SiteDomain is the demo bakery's own site: the demo's campaign posts link
// to it, and crier demo tags those links (marketing.domains).
const SiteDomain = "ryeandshine.bakery"

// campaignMarketing is how each kind of campaign sells.
type campaignMarketing struct {
	audience string
	convRate float64 // conversions per visit
	minCents int64   // revenue per conversion, from
	maxCents int64   // to
	ads      []string
	goal     func(c *mkCampaign) store.Goal
}

var marketingByTheme = map[string]campaignMarketing{
	"workshop": {
		audience: "Home bakers nearby who want to learn sourdough; they care about small groups and taking a starter home.",
		convRate: 0.1, minCents: 6500, maxCents: 6500, ads: []string{"Carousel – workshop day", "Reel – shaping a loaf"},
		goal: func(c *mkCampaign) store.Goal { // fill the seats
			return store.Goal{CampaignID: c.id, Metric: store.GoalConversions, Target: 32_000, StartsOn: c.start, Deadline: c.end,
				Note: "32 seats in four weekend workshops"}
		},
	},
	"sale": {
		audience: "Regulars who come for coffee and bread several times a week; they care about rewards and first pick of the weekend bakes.",
		convRate: 0.10, minCents: 750, maxCents: 1400, ads: []string{"Story – every 10th coffee", "Post – card holders first"},
		goal: func(c *mkCampaign) store.Goal { // sign-ups up on the weeks before
			from, to := store.DefaultBaseline(c.start, c.end)
			return store.Goal{CampaignID: c.id, Metric: store.GoalConversions, Relative: true, Target: 1500, StartsOn: c.start,
				Deadline: c.end, BaselineFrom: from, BaselineTo: to, Note: "sign-ups and first purchases +15% on the weeks before"}
		},
	},
	"shop": {
		audience: "Busy families who want Saturday bread without the queue; they care about picking up on time.",
		convRate: 0.07, minCents: 1800, maxCents: 3200, ads: []string{"Carousel – weekend box", "Reel – Saturday 7am"},
		goal: func(c *mkCampaign) store.Goal {
			return store.Goal{CampaignID: c.id, Metric: store.GoalConversions, Target: 150_000, StartsOn: c.start, Deadline: c.end,
				Note: "150 weekend pre-orders through the webshop"}
		},
	},
	"new-pastry": {
		audience: "Pastry lovers and office teams around the corner; they care about what is new and seasonal.",
		convRate: 0.03, minCents: 450, maxCents: 900, ads: []string{"Reel – first bite"},
		goal: func(c *mkCampaign) store.Goal {
			return store.Goal{CampaignID: c.id, Metric: store.GoalROAS, Target: 20_000, Currency: "EUR", StartsOn: c.start,
				Deadline: c.end, Note: "the ads earn twice what they cost"}
		},
	},
}

type mkCampaign struct {
	id         int64
	name, slug string
	theme      string
	start, end store.Day
	budget     int64
	kind       campaignMarketing
}

// mkGen writes the marketing data.
type mkGen struct {
	g      *gen
	st     *store.Store
	r      *rand.Rand
	tagger *utm.Tagger
	today  store.Day
	camps  []*mkCampaign
	byID   map[int64]*mkCampaign
}

// writeMarketing adds the demo's campaigns' marketing: slugs and audiences,
// goals, tagged links, web analytics, ad spend and typed-in costs.
func (g *gen) writeMarketing(ctx context.Context, st *store.Store, seed int64) error {
	tagger, err := utm.NewTagger([]string{siteDomain})
	if err != nil {
		return err
	}
	m := &mkGen{g: g, st: st, r: rand.New(rand.NewPCG(uint64(seed), marketingStream)), tagger: tagger,
		today: store.DayOf(g.now.In(g.zone)), byID: map[int64]*mkCampaign{}}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"campaigns", m.campaigns}, {"goals", m.goals}, {"links and visits", m.linksAndVisits},
		{"ads", m.ads}, {"typed-in costs", m.manual},
	}
	for _, s := range steps {
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("marketing %s: %w", s.name, err)
		}
	}
	return nil
}

func (m *mkGen) large() bool { return m.g.sz.name == "large" }

// scaled is a large demo count at the build's scale.
func (m *mkGen) scaled(full int) int { return max(1, int(float64(full)*m.g.sz.scale+0.5)) }

// campaigns gives the planned campaigns their slugs and audiences and, in
// the large demo, adds the always-on campaign every other post joins.
func (m *mkGen) campaigns(ctx context.Context) error {
	db := m.st.DB()
	seen := map[string]bool{}
	for _, c := range m.g.campaigns {
		mc := &mkCampaign{id: c.id, name: c.name, theme: c.theme, start: store.DayOf(c.startsOn),
			end: store.DayOf(c.ends).Add(-1), budget: c.budgetCents, kind: marketingByTheme[c.theme]}
		mc.slug = store.Slugify(c.name)
		for n := 2; seen[mc.slug]; n++ {
			mc.slug = fmt.Sprintf("%s-%d", store.Slugify(c.name), n)
		}
		seen[mc.slug] = true
		if _, err := db.ExecContext(ctx, "UPDATE campaigns SET slug = ?, audience = ?, updated_at = created_at WHERE id = ?",
			mc.slug, mc.kind.audience, mc.id); err != nil {
			return err
		}
		m.camps = append(m.camps, mc)
		m.byID[mc.id] = mc
	}
	if !m.large() {
		return nil
	}
	first := store.DayOf(m.g.start)
	res, err := db.ExecContext(ctx, `INSERT INTO campaigns (name, slug, starts_on, ends_on, budget_cents, currency, goal, audience,
		created_at, updated_at) VALUES (?, ?, ?, '', 0, 'EUR', ?, ?, ?, ?)`, alwaysOnName, store.Slugify(alwaysOnName),
		first.String(), "Every post links to the shop", "Everyone who follows the bakery and the café",
		m.g.start.UnixMilli(), m.g.start.UnixMilli())
	if err != nil {
		return err
	}
	id, _ := res.LastInsertId()
	mc := &mkCampaign{id: id, name: alwaysOnName, slug: store.Slugify(alwaysOnName), start: first, end: m.today.Add(365),
		kind: campaignMarketing{convRate: 0.05, minCents: 600, maxCents: 3000, ads: []string{"Boosted post", "Story – today's bake"}}}
	m.camps = append(m.camps, mc)
	m.byID[id] = mc
	_, err = db.ExecContext(ctx, "UPDATE posts SET campaign_id = ? WHERE campaign_id IS NULL AND reply_to_item IS NULL", id)
	return err
}

// goals gives each campaign the goal its kind has, and the bakery two
// goals of its own: followers, and answering in time.
func (m *mkGen) goals(ctx context.Context) error {
	created := m.g.now.Add(-72 * time.Hour)
	for _, c := range m.camps {
		if c.kind.goal == nil {
			continue
		}
		g := c.kind.goal(c)
		if _, err := m.st.AddGoal(ctx, g, created); err != nil {
			return err
		}
	}
	fs, err := m.st.FollowersAt(ctx, "", []time.Time{m.g.now})
	if err != nil {
		return err
	}
	local := m.g.now.In(m.g.zone)
	endOfNextMonth := store.DateDay(local.Year(), local.Month()+2, 0)
	target := int64(math.Ceil(float64(fs[0].V)*1.08/50) * 50)
	// Both began a month ago: a goal begun on the first of this month
	// would have next to nothing to show on the first days of a month.
	for _, g := range []store.Goal{
		{Metric: store.GoalFollowers, Target: target, StartsOn: m.today.Add(-30), Deadline: endOfNextMonth,
			Note: "more neighbours following along"},
		{Metric: store.GoalRepliesWithin, Target: 7500, WithinMinutes: 240, StartsOn: m.today.Add(-30), Deadline: endOfNextMonth,
			Note: "three in four answers within four hours"},
	} {
		if _, err := m.st.AddGoal(ctx, g, created); err != nil {
			return err
		}
	}
	return nil
}

// sent is one copy of a campaign post that went out.
type sent struct {
	postID, accountID, campaignID int64
	platform                      string
	content                       string
	day                           store.Day
	engagement                    int
	tagged                        bool // a link to the site in its text
}

// sentInCampaigns reads the campaign posts' copies that went out, tags
// their links to the site and keeps them in tagged_links.
func (m *mkGen) sentInCampaigns(ctx context.Context) ([]sent, error) {
	db := m.st.DB()
	rows, err := db.QueryContext(ctx, `SELECT p.id, p.campaign_id, d.account_id, a.platform, coalesce(t.body_override, p.body),
		t.body_override IS NOT NULL, d.sent_at, d.engagement
		FROM posts p JOIN deliveries d ON d.post_id = p.id AND d.state = 'sent' AND d.reply = 0
		JOIN accounts a ON a.id = d.account_id
		LEFT JOIN post_targets t ON t.post_id = p.id AND t.account_id = d.account_id
		WHERE p.campaign_id IS NOT NULL ORDER BY d.sent_at, d.id`)
	if err != nil {
		return nil, err
	}
	var out []sent
	var links []store.TaggedLink
	for rows.Next() {
		var s sent
		var body string
		var own bool
		var at int64
		if err := rows.Scan(&s.postID, &s.campaignID, &s.accountID, &s.platform, &body, &own, &at, &s.engagement); err != nil {
			rows.Close()
			return nil, err
		}
		c := m.byID[s.campaignID]
		if c == nil {
			continue
		}
		sentAt := time.UnixMilli(at)
		s.day = store.DayOf(sentAt.In(m.g.zone))
		s.content = store.PostContent(s.postID, s.accountID, own)
		_, found := m.tagger.TagText(body, utm.Tags{Source: s.platform, Medium: utm.MediumSocial, Campaign: c.slug, Content: s.content})
		for _, l := range found {
			if l.Tagged {
				s.tagged = true
				links = append(links, store.TaggedLink{PostID: s.postID, AccountID: s.accountID, URL: l.Original, Tagged: l.Final,
					CampaignID: s.campaignID, Source: s.platform, Content: s.content, CreatedAt: sentAt})
			}
		}
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, m.writeLinks(ctx, links)
}

func (m *mkGen) writeLinks(ctx context.Context, links []store.TaggedLink) error {
	return m.st.NewLoader(false).Load(ctx, func(ctx context.Context, tx *store.LoadTx) error {
		return writeLinkRows(ctx, tx, links)
	})
}

func writeLinkRows(ctx context.Context, tx *store.LoadTx, links []store.TaggedLink) error {
	w, err := tx.Rows(ctx, "tagged_links", "post_id", "account_id", "url", "tagged", "campaign_id", "source", "content", "created_at")
	if err != nil {
		return err
	}
	seen := map[[3]any]bool{}
	for _, l := range links {
		k := [3]any{l.PostID, l.AccountID, l.URL}
		if seen[k] {
			continue
		}
		seen[k] = true
		w.Add(l.PostID, l.AccountID, l.URL, l.Tagged, l.CampaignID, l.Source, l.Content, l.CreatedAt.UnixMilli())
	}
	return w.Close()
}

// tail is how a link's visits spread over the days after it went out.
var tail = []float64{0.46, 0.2, 0.1, 0.06, 0.045, 0.035, 0.025, 0.02, 0.015, 0.012, 0.01, 0.008, 0.006, 0.004}

// batches writes rows as imports of one feed, a new import whenever
// cut(day) changes: the demo's history of pulls and files.
type batches struct {
	m       *mkGen
	ctx     context.Context
	feed    string
	class   store.MarketingClass
	preset  string
	origin  func(from, to store.Day) string
	cut     func(store.Day) int
	open    bool
	key     int
	first   store.Day
	last    store.Day
	pending []store.MarketingRow
	rows    int
}

func (b *batches) add(r store.MarketingRow) error {
	k := b.cut(r.Day)
	if b.open && k != b.key {
		if err := b.flush(); err != nil {
			return err
		}
	}
	if !b.open {
		// The import's name needs its last day: its rows wait until the
		// next import begins.
		b.open, b.key, b.first, b.last = true, k, r.Day, r.Day
		b.pending = b.pending[:0]
	}
	b.first, b.last = min(b.first, r.Day), max(b.last, r.Day)
	b.rows++
	r.Line = len(b.pending) + 2
	b.pending = append(b.pending, r)
	return nil
}

// flush writes the waiting rows as one import, exported the morning after
// its last day.
func (b *batches) flush() error {
	if !b.open {
		return nil
	}
	b.open = false
	exported := b.last.Add(1).Midnight(b.m.g.zone).Add(6 * time.Hour)
	if exported.After(b.m.g.now) {
		exported = b.m.g.now.Add(-time.Minute).Truncate(time.Millisecond)
	}
	imp, err := b.m.st.BeginImport(b.ctx, store.ImportBatch{Feed: b.feed, Class: b.class, Preset: b.preset,
		Origin: b.origin(b.first, b.last), ExportedAt: exported}, exported.Add(time.Minute))
	if err != nil {
		return err
	}
	for _, r := range b.pending {
		if err := imp.Add(r); err != nil {
			imp.Rollback()
			return err
		}
	}
	_, err = imp.Commit()
	return err
}

// weekly cuts imports by week, monthly by month.
func weekly(d store.Day) int { return int(d+3) / 7 }
func monthly(d store.Day) int {
	y, mo, _ := d.Date().Date()
	return y*12 + int(mo)
}

// visitsOf draws a link's total visits from its copy's engagement.
func (m *mkGen) visitsOf(s sent) int {
	k := 0.45
	if s.platform == store.PlatformBluesky {
		k = 0.32
	}
	v := float64(s.engagement)*k*math.Exp(0.4*m.r.NormFloat64()) + 1
	return int(v)
}

// conversions draws how many of n visits convert.
func (m *mkGen) conversions(n int, rate float64) int {
	c := 0
	for range n {
		if m.r.Float64() < rate {
			c++
		}
	}
	return c
}

func (m *mkGen) revenue(c *mkCampaign, conversions int) int64 {
	var cents int64
	for range conversions {
		cents += c.kind.minCents + m.r.Int64N(c.kind.maxCents-c.kind.minCents+1)
	}
	return cents
}

// linksAndVisits writes the tagged links and what web analytics saw.
func (m *mkGen) linksAndVisits(ctx context.Context) error {
	copies, err := m.sentInCampaigns(ctx)
	if err != nil {
		return err
	}
	plausible := &batches{m: m, ctx: ctx, feed: "plausible", class: store.ClassAnalytics, preset: "plausible_api",
		origin: func(from, to store.Day) string { return fmt.Sprintf("Plausible API: %s %s to %s", siteID, from, to) },
		cut:    weekly}
	if m.large() {
		plausible.cut = monthly
		err = m.largeVisits(copies, plausible)
	} else {
		err = m.normalVisits(copies, plausible)
	}
	if err != nil {
		return err
	}
	return plausible.flush()
}

// normalVisits: each tagged link's visits over the days after it went out,
// and the networks' untagged visits every day.
func (m *mkGen) normalVisits(copies []sent, out *batches) error {
	byDay := map[store.Day][]store.MarketingRow{}
	for _, s := range copies {
		if !s.tagged {
			continue
		}
		c := m.byID[s.campaignID]
		total := m.visitsOf(s)
		for i, w := range tail {
			day := s.day.Add(i)
			if day > m.today {
				break
			}
			n := int(math.Round(float64(total)*w + 0.3*m.r.NormFloat64()))
			if n <= 0 {
				continue
			}
			conv := m.conversions(n, c.kind.convRate)
			r := store.MarketingRow{Day: day, Campaign: c.slug, Source: s.platform, Content: s.content,
				Sessions: store.Known(int64(n)), Clicks: store.Known(int64(n)), Conversions: store.Known(int64(conv) * 1000)}
			if rev := m.revenue(c, conv); rev > 0 {
				r.Revenue, r.Currency = store.Known(rev), "EUR"
			}
			byDay[day] = append(byDay[day], r)
		}
	}
	// Untagged visits: the profile's link, links shared on.
	first := store.DayOf(m.g.start)
	for day := first; day <= m.today; day++ {
		for _, a := range m.g.accounts {
			n := int(a.followers/140*math.Exp(0.35*m.r.NormFloat64())) + m.r.IntN(3)
			if n <= 0 {
				continue
			}
			conv := m.conversions(n, 0.02)
			r := store.MarketingRow{Day: day, Source: a.platform, Sessions: store.Known(int64(n)), Clicks: store.Known(int64(n)),
				Conversions: store.Known(int64(conv) * 1000)}
			if conv > 0 {
				r.Revenue, r.Currency = store.Known(int64(conv)*(900+m.r.Int64N(900))), "EUR"
			}
			byDay[day] = append(byDay[day], r)
		}
		for _, r := range byDay[day] {
			if err := out.add(r); err != nil {
				return err
			}
		}
		delete(byDay, day)
	}
	return nil
}

// largeVisits writes exactly the large demo's number of visit rows, spread
// over every campaign copy's days, a tenth of them with conversions.
func (m *mkGen) largeVisits(copies []sent, out *batches) error {
	target := m.scaled(largeVisitRows)
	convRows := m.scaled(largeConversionRows)
	// Days each copy gets: 6 to start with (fewer near today), then one
	// more at a time until the rows add up to the target.
	days := make([]int, len(copies))
	room := make([]int, len(copies))
	total := 0
	for i, s := range copies {
		room[i] = min(len(tail), int(m.today-s.day)+1)
		days[i] = min(room[i], 6)
		total += days[i]
	}
	for total > target {
		for i := len(days) - 1; i >= 0 && total > target; i-- {
			if days[i] > 0 {
				days[i]--
				total--
			}
		}
	}
	for total < target {
		grew := false
		for i := range days {
			if total == target {
				break
			}
			if days[i] < room[i] {
				days[i]++
				total++
				grew = true
			}
		}
		if !grew {
			return fmt.Errorf("the copies have room for %d visit rows, not %d", total, target)
		}
	}
	// Rows come in day order for the imports: gather each day's as the
	// copies reach it (copies are in time order, so a day is complete once
	// the copies have moved past it and its tail).
	pending := map[store.Day][]store.MarketingRow{}
	written, converting := 0, 0
	emit := func(upTo store.Day) error {
		var ds []store.Day
		for d := range pending {
			if d <= upTo {
				ds = append(ds, d)
			}
		}
		sortDays(ds)
		for _, d := range ds {
			for _, r := range pending[d] {
				// Exactly one row in ten converts: the target's share.
				if written*convRows/target != (written+1)*convRows/target && converting < convRows {
					c := m.byID[campaignOfSlug(m, r.Campaign)]
					conv := 1 + m.r.IntN(3)
					r.Conversions = store.Known(int64(conv) * 1000)
					r.Revenue, r.Currency = store.Known(m.revenue(c, conv)), "EUR"
					converting++
				}
				written++
				if err := out.add(r); err != nil {
					return err
				}
			}
			delete(pending, d)
		}
		return nil
	}
	for i, s := range copies {
		if i > 0 && copies[i-1].day < s.day {
			if err := emit(s.day - 1); err != nil {
				return err
			}
		}
		c := m.byID[s.campaignID]
		base := m.visitsOf(s) + 4
		for k := 0; k < days[i]; k++ {
			n := max(1, int(math.Round(float64(base)*tail[k]*3)))
			pending[s.day.Add(k)] = append(pending[s.day.Add(k)], store.MarketingRow{Day: s.day.Add(k), Campaign: c.slug,
				Source: s.platform, Content: s.content, Sessions: store.Known(int64(n)), Clicks: store.Known(int64(n)),
				Conversions: store.Known(0)})
		}
	}
	if err := emit(m.today.Add(len(tail))); err != nil {
		return err
	}
	if written != target || converting != convRows {
		return fmt.Errorf("wrote %d visit rows (%d converting), want %d (%d)", written, converting, target, convRows)
	}
	return nil
}

func campaignOfSlug(m *mkGen, slug string) int64 {
	for _, c := range m.camps {
		if c.slug == slug {
			return c.id
		}
	}
	return 0
}

func sortDays(ds []store.Day) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j] < ds[j-1]; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// ads writes what Meta reported for each campaign with a budget, and the
// visits its tagged ads brought to the site.
func (m *mkGen) ads(ctx context.Context) error {
	meta := &batches{m: m, ctx: ctx, feed: "meta_ads", class: store.ClassAds, preset: "meta_ads",
		origin: func(from, to store.Day) string {
			return fmt.Sprintf("Rye-and-Shine-Ads-%s-%s.csv", from.Date().Format("2-Jan-2006"), to.Date().Format("2-Jan-2006"))
		}, cut: monthly}
	visits := &batches{m: m, ctx: ctx, feed: "plausible", class: store.ClassAnalytics, preset: "plausible",
		origin: func(from, to store.Day) string {
			return fmt.Sprintf("imported_sources_%s_%s.csv", from.Date().Format("20060102"), to.Date().Format("20060102"))
		}, cut: monthly}
	platforms := []string{"instagram", "facebook"}
	type adDay struct {
		c   *mkCampaign
		day store.Day
	}
	var plan []adDay
	for _, c := range m.camps {
		if c.budget <= 0 && c.name != alwaysOnName {
			continue
		}
		for d := c.start; d <= min(c.end, m.today); d++ {
			plan = append(plan, adDay{c, d})
		}
	}
	// Ads run in day order across campaigns.
	for i := 1; i < len(plan); i++ {
		for j := i; j > 0 && plan[j].day < plan[j-1].day; j-- {
			plan[j], plan[j-1] = plan[j-1], plan[j]
		}
	}
	// The large demo runs more variants of each ad, and keeps exactly
	// largeSpendRows of its rows, spread evenly over the days.
	variants := []string{""}
	if m.large() {
		variants = []string{" (A)", " (B)", " (C)", " (D)"}
	}
	candidates := 0
	for _, p := range plan {
		candidates += len(platforms) * len(p.c.kind.ads) * len(variants)
	}
	want := candidates
	if m.large() {
		want = min(candidates, m.scaled(largeSpendRows))
	}
	rows, seen := 0, 0
	for _, p := range plan {
		c := p.c
		days := int(c.end-c.start) + 1
		daily := float64(c.budget) * 0.75 / float64(days)
		if c.name == alwaysOnName {
			daily = 400 // a few euros a day boosting the day's post
		}
		for _, pl := range platforms {
			for _, base := range c.kind.ads {
				for _, v := range variants {
					// Candidate seen keeps its place when the share of rows
					// kept so far falls behind want/candidates.
					keep := (seen+1)*want/candidates != seen*want/candidates
					seen++
					if !keep {
						continue
					}
					ad := base + v
					share := 0.6
					if pl == "facebook" {
						share = 0.4
					}
					spend := max(1, int64(daily*share/float64(len(c.kind.ads)*len(variants))*math.Exp(0.25*m.r.NormFloat64())))
					cpm := 6.0 + 3*m.r.Float64() // € per 1,000 impressions
					impressions := int64(float64(spend) / 100 / cpm * 1000)
					clicks := int64(float64(impressions) * (0.009 + 0.008*m.r.Float64()))
					results := int64(m.conversions(int(clicks), c.kind.convRate*0.8))
					if err := meta.add(store.MarketingRow{Day: p.day, Campaign: c.name, Source: pl, Content: ad, Currency: "EUR",
						Impressions: store.Known(impressions), Clicks: store.Known(clicks), Conversions: store.Known(results * 1000),
						Spend: store.Known(spend)}); err != nil {
						return err
					}
					rows++
					// The ad's link is tagged: web analytics sees most of its
					// clicks arrive, and the site's own count of what they bought.
					if arrived := int64(float64(clicks) * (0.8 + 0.1*m.r.Float64())); arrived > 0 && !m.large() {
						conv := m.conversions(int(arrived), c.kind.convRate)
						r := store.MarketingRow{Day: p.day, Campaign: c.slug, Source: pl, Content: store.Slugify(ad),
							Sessions: store.Known(arrived), Clicks: store.Known(arrived), Conversions: store.Known(int64(conv) * 1000)}
						if rev := m.revenue(c, conv); rev > 0 {
							r.Revenue, r.Currency = store.Known(rev), "EUR"
						}
						if err := visits.add(r); err != nil {
							return err
						}
					}
				}
			}
		}
	}
	if rows != want {
		return fmt.Errorf("wrote %d ad rows, want %d", rows, want)
	}
	if err := meta.flush(); err != nil {
		return err
	}
	return visits.flush()
}

// manual types in what happened off the networks: flyers for the
// workshops, cards printed for the loyalty launch.
func (m *mkGen) manual(ctx context.Context) error {
	for _, c := range m.camps {
		var e store.ManualEntry
		switch c.theme {
		case "workshop":
			e = store.ManualEntry{Source: "flyer", Label: "A5 flyers, 500 copies", Spend: store.Known(6000)}
		case "sale":
			e = store.ManualEntry{Source: "print", Label: "Loyalty cards printed (1,000)", Spend: store.Known(8500)}
		default:
			continue
		}
		if c.start > m.today {
			continue
		}
		e.Day, e.CampaignID, e.Currency = c.start, c.id, "EUR"
		at := c.start.Midnight(m.g.zone).Add(9 * time.Hour)
		if _, err := m.st.AddManualEntry(ctx, e, at); err != nil {
			return err
		}
	}
	return nil
}
