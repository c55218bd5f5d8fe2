package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/crier-app/crier/money"
)

// Migration 5 gives the campaigns already stored a slug from their name
// with the same function CreateCampaign uses, through SQLite.
func init() {
	registerTextFunc("crier_slug", 1, func(name []string) string { return Slugify(name[0]) })
}

// Day is a calendar date, counted in days from 1970-01-01: the unit the
// marketing tables keep their rows by, as the sources report them (a
// source's day is its own time zone's).
type Day int32

// DayOf is the calendar date t falls on in t's location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return DateDay(y, m, d)
}

// DateDay is the Day of a year, month and day (out-of-range days roll over,
// as time.Date does).
func DateDay(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDay reads a date written YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date written YYYY-MM-DD", s)
	}
	return DayOf(t), nil
}

// Date is the day as a time at midnight UTC (for its year, month and day).
func (d Day) Date() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Midnight is the instant the day starts in loc.
func (d Day) Midnight(loc *time.Location) time.Time {
	y, m, dd := d.Date().Date()
	return DayStart(y, m, dd, loc)
}

// String writes the day YYYY-MM-DD.
func (d Day) String() string { return d.Date().Format(time.DateOnly) }

// Add is the day n days later (earlier for negative n).
func (d Day) Add(n int) Day { return d + Day(n) }

// Slugify makes a campaign name into what utm_campaign carries: lower
// case, accents dropped, letters and digits kept, everything else one '-'
// ("Sourdough School (May 2026)" -> "sourdough-school-may-2026"). Analytics
// tools match UTM values case-sensitively, so crier writes one fixed form.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	put := func(s string) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(s)
	}
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent, split off its letter by NFKD
		case r == 'ß':
			put("ss")
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			put(string(unicode.ToLower(r)))
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}

// ValidSlug reports whether s is a slug as Slugify writes them.
func ValidSlug(s string) bool { return s != "" && Slugify(s) == s }

// PostContent is the utm_content of a post's link: "post-12" in the text
// for all networks, "post-12-a3" in account 3's own text (a variant).
func PostContent(postID, accountID int64, ownText bool) string {
	s := "post-" + strconv.FormatInt(postID, 10)
	if ownText {
		s += "-a" + strconv.FormatInt(accountID, 10)
	}
	return s
}

// PostOfContent is the post a utm_content names (PostContent's form), 0 for
// anything else.
func PostOfContent(content string) int64 {
	rest, ok := strings.CutPrefix(content, "post-")
	if !ok || rest == "" || rest[0] < '1' || rest[0] > '9' {
		return 0
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	if end < len(rest) && rest[end] != '-' {
		return 0
	}
	id, err := strconv.ParseInt(rest[:end], 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// CampaignState is where a campaign is on a day.
type CampaignState string

const (
	CampaignPlanned CampaignState = "planned"
	CampaignRunning CampaignState = "running"
	CampaignEnded   CampaignState = "ended"
)

// Start and End are the campaign's first and last days; false when unset.
func (c Campaign) Start() (Day, bool) { return optDay(c.StartsOn) }
func (c Campaign) End() (Day, bool)   { return optDay(c.EndsOn) }

func optDay(s string) (Day, bool) {
	if s == "" {
		return 0, false
	}
	d, err := ParseDay(s)
	return d, err == nil
}

// State is planned before its first day, ended after its last, running in
// between (and when it has no dates: open-ended).
func (c Campaign) State(today Day) CampaignState {
	if s, ok := c.Start(); ok && today < s {
		return CampaignPlanned
	}
	if e, ok := c.End(); ok && today > e {
		return CampaignEnded
	}
	return CampaignRunning
}

// Budget is the campaign's budget as money.
func (c Campaign) Budget() money.Amount {
	return money.Amount{Currency: c.Currency, Minor: c.BudgetCents}
}

// CampaignError says which field of a campaign is wrong and why.
type CampaignError struct {
	Field string // name, slug, starts_on, ends_on, budget, currency
	Msg   string
}

func (e *CampaignError) Error() string { return "campaign " + e.Field + ": " + e.Msg }

// ErrSlugTaken is wrapped by the error for a slug another campaign has.
var ErrSlugTaken = errors.New("slug taken")

func (c *Campaign) normalise() error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return &CampaignError{"name", "a campaign needs a name"}
	}
	if c.Slug == "" {
		c.Slug = Slugify(c.Name)
		if c.Slug == "" {
			return &CampaignError{"slug", fmt.Sprintf("%q gives no slug (letters or digits): type one, such as spring-sale", c.Name)}
		}
	}
	if !ValidSlug(c.Slug) {
		return &CampaignError{"slug", fmt.Sprintf("%q is not a slug: lower-case letters, digits and '-' only (%q would do)", c.Slug, Slugify(c.Slug))}
	}
	start, hasStart := c.Start()
	if c.StartsOn != "" && !hasStart {
		return &CampaignError{"starts_on", fmt.Sprintf("%q is not a date written YYYY-MM-DD", c.StartsOn)}
	}
	end, hasEnd := c.End()
	if c.EndsOn != "" && !hasEnd {
		return &CampaignError{"ends_on", fmt.Sprintf("%q is not a date written YYYY-MM-DD", c.EndsOn)}
	}
	if hasStart && hasEnd && end < start {
		return &CampaignError{"ends_on", fmt.Sprintf("it ends (%s) before it starts (%s)", c.EndsOn, c.StartsOn)}
	}
	if c.Currency == "" {
		c.Currency = "EUR"
	}
	if !money.ValidCode(c.Currency) {
		return &CampaignError{"currency", fmt.Sprintf("%q is not a currency code such as EUR or USD", c.Currency)}
	}
	if c.BudgetCents < 0 {
		return &CampaignError{"budget", "a budget cannot be negative"}
	}
	return nil
}

const campaignColumns = `id, name, slug, starts_on, ends_on, budget_cents, currency, goal, audience, created_at, coalesce(updated_at, created_at)`

func scanCampaign(row rowScanner) (Campaign, error) {
	var c Campaign
	var created, updated int64
	err := row.Scan(&c.ID, &c.Name, &c.Slug, &c.StartsOn, &c.EndsOn, &c.BudgetCents, &c.Currency, &c.Goal, &c.Audience,
		&created, &updated)
	c.CreatedAt, c.UpdatedAt = fromMS(created), fromMS(updated)
	return c, err
}

// CreateCampaign stores a new campaign and returns its id. An empty slug is
// made from the name; an empty currency is EUR.
func (s *Store) CreateCampaign(ctx context.Context, c Campaign, now time.Time) (int64, error) {
	if err := c.normalise(); err != nil {
		return 0, err
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkCampaignUnique(ctx, tx, c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO campaigns (name, slug, starts_on, ends_on, budget_cents, currency, goal, audience, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Name, c.Slug, c.StartsOn, c.EndsOn, c.BudgetCents, c.Currency, c.Goal, c.Audience, ms(now), ms(now))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		if err != nil {
			return err
		}
		// Rows imported before the campaign existed, under its slug or a
		// name that gives it, are its rows now.
		return remapCampaignRows(ctx, tx, c.Slug, c.Name)
	})
	return id, err
}

func checkCampaignUnique(ctx context.Context, tx *sql.Tx, c Campaign) error {
	var other string
	err := tx.QueryRowContext(ctx, "SELECT name FROM campaigns WHERE slug = ? AND slug <> '' AND id <> ?", c.Slug, c.ID).Scan(&other)
	if err == nil {
		return &CampaignError{"slug", fmt.Sprintf("%q is %q's slug already (%v): choose another", c.Slug, other, ErrSlugTaken)}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = tx.QueryRowContext(ctx, "SELECT name FROM campaigns WHERE name = ? AND id <> ?", c.Name, c.ID).Scan(&other)
	if err == nil {
		return &CampaignError{"name", fmt.Sprintf("a campaign is called %q already", c.Name)}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// UpdateCampaign saves a campaign's fields. When its slug changes, the old
// slug is kept as a name of the campaign, so clicks on links that went out
// with it still count.
func (s *Store) UpdateCampaign(ctx context.Context, c Campaign, now time.Time) error {
	if err := c.normalise(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var oldSlug string
		if err := tx.QueryRowContext(ctx, "SELECT slug FROM campaigns WHERE id = ?", c.ID).Scan(&oldSlug); err != nil {
			return orNotFound(err, "campaign %d", c.ID)
		}
		if err := checkCampaignUnique(ctx, tx, c); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE campaigns SET name = ?, slug = ?, starts_on = ?, ends_on = ?, budget_cents = ?, currency = ?,
			       goal = ?, audience = ?, updated_at = ?
			WHERE id = ?`,
			c.Name, c.Slug, c.StartsOn, c.EndsOn, c.BudgetCents, c.Currency, c.Goal, c.Audience, ms(now), c.ID); err != nil {
			return err
		}
		if oldSlug != c.Slug {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO marketing_campaign_names (name, campaign_id, seen_at) VALUES (?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET campaign_id = excluded.campaign_id WHERE campaign_id IS NULL`, oldSlug, c.ID, ms(now)); err != nil {
				return err
			}
		}
		return remapCampaignRows(ctx, tx, c.Slug, c.Name)
	})
}

// DeleteCampaign removes a campaign and its goals. Its posts stay, in no
// campaign; its marketing rows stay under the names their sources gave
// them, counted as no campaign's.
func (s *Store) DeleteCampaign(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustChange(ctx, tx, fmt.Errorf("campaign %d: %w", id, ErrNotFound),
			"DELETE FROM campaigns WHERE id = ?", id); err != nil {
			return err
		}
		return moveCampaignRows(ctx, tx, id, 0, "")
	})
}

// CampaignFootprint is what a campaign holds, for the question before it
// is deleted: what stays (posts, imported rows, tagged links) and what
// goes with it (goals, the names mapped to it).
type CampaignFootprint struct {
	Posts       int // posts in it: kept, in no campaign
	Goals       int // its goals: deleted with it
	Rows        int // marketing rows counted in it: kept, counted in no campaign
	Links       int // links tagged for it: kept, in no campaign
	MappedNames int // external campaign names mapped to it: unmapped
}

const campaignFootprintSQL = `SELECT
	(SELECT count(*) FROM posts WHERE campaign_id = ?1),
	(SELECT count(*) FROM goals WHERE campaign_id = ?1),
	(SELECT count(*) FROM marketing_rows WHERE campaign_id = ?1),
	(SELECT count(*) FROM tagged_links WHERE campaign_id = ?1),
	(SELECT count(*) FROM marketing_campaign_names WHERE campaign_id = ?1)`

// CampaignFootprint counts what campaign id holds.
func (s *Store) CampaignFootprint(ctx context.Context, id int64) (CampaignFootprint, error) {
	var f CampaignFootprint
	err := s.db.QueryRowContext(ctx, campaignFootprintSQL, id).Scan(&f.Posts, &f.Goals, &f.Rows, &f.Links, &f.MappedNames)
	return f, err
}

// Campaign loads one campaign.
func (s *Store) Campaign(ctx context.Context, id int64) (Campaign, error) {
	c, err := scanCampaign(s.db.QueryRowContext(ctx, "SELECT "+campaignColumns+" FROM campaigns WHERE id = ?", id))
	return c, orNotFound(err, "campaign %d", id)
}

// CampaignBySlug loads the campaign with a slug (for `crier report
// --campaign SLUG`).
func (s *Store) CampaignBySlug(ctx context.Context, slug string) (Campaign, error) {
	c, err := scanCampaign(s.db.QueryRowContext(ctx, campaignBySlugSQL, slug))
	return c, orNotFound(err, "no campaign has the slug %q", slug)
}

const (
	campaignBySlugSQL = "SELECT " + campaignColumns + " FROM campaigns WHERE slug = ? AND slug <> ''"
	// The Campaigns list: the latest to start first, undated ones last.
	campaignsSQL = "SELECT " + campaignColumns + " FROM campaigns ORDER BY starts_on DESC, id DESC"
)

// Campaigns lists every campaign, the latest to start first.
func (s *Store) Campaigns(ctx context.Context) ([]Campaign, error) {
	return queryAll(ctx, s.db, scanCampaign, campaignsSQL)
}

// GoalMetric is what a goal measures.
type GoalMetric string

const (
	GoalFollowers         GoalMetric = "followers"           // all accounts' followers at the end of each day
	GoalEngagementPerPost GoalMetric = "engagement_per_post" // likes+reposts+replies+quotes per published post
	GoalRepliesWithin     GoalMetric = "replies_within"      // share of answered inbox items whose first reply went out within WithinMinutes
	GoalLinkClicks        GoalMetric = "link_clicks"
	GoalConversions       GoalMetric = "conversions"
	GoalRevenue           GoalMetric = "revenue"
	GoalConversionRate    GoalMetric = "conversion_rate"
	GoalCTR               GoalMetric = "ctr"
	GoalCPA               GoalMetric = "cpa" // cost per acquisition: lower is better
	GoalROAS              GoalMetric = "roas"
	GoalROI               GoalMetric = "roi"
)

// GoalMetrics are the metrics a goal can have, in the order a picker shows.
var GoalMetrics = []GoalMetric{GoalLinkClicks, GoalConversions, GoalRevenue, GoalConversionRate, GoalCTR, GoalCPA,
	GoalROAS, GoalROI, GoalFollowers, GoalEngagementPerPost, GoalRepliesWithin}

// Unit is how a metric's values (and an absolute goal's Target) are kept.
type Unit int

const (
	UnitCount       Unit = iota // a whole number
	UnitMilli                   // thousandths: conversions, engagement per post
	UnitMinor                   // minor units of the goal's currency
	UnitBasisPoints             // ten-thousandths of one: 1.5% is 150, a ROAS of 3.2 is 32000
)

// Unit is the unit of the metric's values.
func (m GoalMetric) Unit() Unit {
	switch m {
	case GoalFollowers, GoalLinkClicks:
		return UnitCount
	case GoalConversions, GoalEngagementPerPost:
		return UnitMilli
	case GoalRevenue, GoalCPA:
		return UnitMinor
	}
	return UnitBasisPoints
}

// LowerIsBetter is true for costs.
func (m GoalMetric) LowerIsBetter() bool { return m == GoalCPA }

// Money is true for the metrics counted in a currency.
func (m GoalMetric) Money() bool { return m == GoalRevenue || m == GoalCPA }

func (m GoalMetric) valid() bool {
	for _, x := range GoalMetrics {
		if m == x {
			return true
		}
	}
	return false
}

// Goal is a metric, a target and a deadline. An absolute goal's Target is
// in the metric's Unit; a relative goal's is the change over the baseline
// period in basis points (+15% is 1500, -10% is -1000). An absolute goal
// of a campaign counts the campaign's rows; a relative one compares the
// whole business in the baseline period and while the goal runs (the
// campaign has no rows of its own before it starts).
type Goal struct {
	ID            int64
	CampaignID    int64 // 0: stands alone, counting every campaign and none
	Metric        GoalMetric
	Relative      bool
	Target        int64
	Currency      string // money metrics
	WithinMinutes int    // replies_within
	StartsOn      Day
	Deadline      Day
	BaselineFrom  Day // relative goals
	BaselineTo    Day
	Note          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// GoalError says which field of a goal is wrong and why.
type GoalError struct {
	Field string
	Msg   string
}

func (e *GoalError) Error() string { return "goal " + e.Field + ": " + e.Msg }

func (g *Goal) validate() error {
	switch {
	case !g.Metric.valid():
		return &GoalError{"metric", fmt.Sprintf("%q is not a metric crier knows", g.Metric)}
	case g.Deadline < g.StartsOn:
		return &GoalError{"deadline", fmt.Sprintf("%s is before the goal starts (%s)", g.Deadline, g.StartsOn)}
	case g.Metric.Money() && !money.ValidCode(g.Currency):
		return &GoalError{"currency", fmt.Sprintf("%s is counted in money: give a currency code such as EUR (not %q)", g.Metric, g.Currency)}
	case g.Metric == GoalRepliesWithin && g.WithinMinutes <= 0:
		return &GoalError{"within", "say how soon a reply must go out (minutes above 0)"}
	case g.Relative && g.BaselineTo < g.BaselineFrom:
		return &GoalError{"baseline", fmt.Sprintf("the baseline period ends (%s) before it starts (%s)", g.BaselineTo, g.BaselineFrom)}
	case g.Relative && g.BaselineTo >= g.StartsOn:
		return &GoalError{"baseline", fmt.Sprintf("the baseline period (to %s) must end before the goal starts (%s)", g.BaselineTo, g.StartsOn)}
	case !g.Relative && g.Target < 0 && g.Metric != GoalROI:
		return &GoalError{"target", "a target cannot be negative"}
	case g.Relative && g.Target <= -10000:
		return &GoalError{"target", "a change of -100% or less leaves nothing"}
	}
	if !g.Metric.Money() && g.Metric != GoalROAS && g.Metric != GoalROI {
		g.Currency = ""
	}
	return nil
}

// DefaultBaseline is the baseline period a relative goal gets when none is
// chosen: as many days as the goal runs, just before it starts.
func DefaultBaseline(start, deadline Day) (from, to Day) {
	n := int(deadline-start) + 1
	return start.Add(-n), start.Add(-1)
}

func nullDay(d Day, ok bool) sql.NullInt64 { return sql.NullInt64{Int64: int64(d), Valid: ok} }

// AddGoal stores a goal and returns its id.
func (s *Store) AddGoal(ctx context.Context, g Goal, now time.Time) (int64, error) {
	if err := g.validate(); err != nil {
		return 0, err
	}
	kind := "absolute"
	if g.Relative {
		kind = "relative"
	}
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO goals (campaign_id, metric, kind, target, currency, within_minutes, starts_on, deadline,
		                   baseline_from, baseline_to, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(g.CampaignID), string(g.Metric), kind, g.Target, g.Currency, g.WithinMinutes, int64(g.StartsOn),
		int64(g.Deadline), nullDay(g.BaselineFrom, g.Relative), nullDay(g.BaselineTo, g.Relative), g.Note, ms(now), ms(now))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UpdateGoal saves a goal's fields.
func (s *Store) UpdateGoal(ctx context.Context, g Goal, now time.Time) error {
	if err := g.validate(); err != nil {
		return err
	}
	kind := "absolute"
	if g.Relative {
		kind = "relative"
	}
	return mustChange(ctx, s.db, fmt.Errorf("goal %d: %w", g.ID, ErrNotFound), `
		UPDATE goals SET campaign_id = ?, metric = ?, kind = ?, target = ?, currency = ?, within_minutes = ?,
		       starts_on = ?, deadline = ?, baseline_from = ?, baseline_to = ?, note = ?, updated_at = ?
		WHERE id = ?`,
		nullID(g.CampaignID), string(g.Metric), kind, g.Target, g.Currency, g.WithinMinutes, int64(g.StartsOn),
		int64(g.Deadline), nullDay(g.BaselineFrom, g.Relative), nullDay(g.BaselineTo, g.Relative), g.Note, ms(now), g.ID)
}

// DeleteGoal removes a goal.
func (s *Store) DeleteGoal(ctx context.Context, id int64) error {
	return mustChange(ctx, s.db, fmt.Errorf("goal %d: %w", id, ErrNotFound),
		"DELETE FROM goals WHERE id = ?", id)
}

const goalColumns = `id, coalesce(campaign_id, 0), metric, kind, target, currency, within_minutes, starts_on, deadline,
	coalesce(baseline_from, 0), coalesce(baseline_to, 0), note, created_at, updated_at`

const (
	goalSQL = "SELECT " + goalColumns + " FROM goals WHERE id = ?"
	// A campaign's goals, the soonest deadline first.
	campaignGoalsSQL = "SELECT " + goalColumns + " FROM goals WHERE campaign_id = ? ORDER BY deadline, id"
	// Goals whose deadline has not passed (the active ones, and those yet to
	// start), soonest first; then the rest, the latest deadline first.
	goalsOpenSQL = "SELECT " + goalColumns + " FROM goals WHERE deadline >= ? ORDER BY deadline, starts_on, id"
	goalsPastSQL = "SELECT " + goalColumns + " FROM goals WHERE deadline < ? ORDER BY deadline DESC, starts_on DESC, id DESC"
)

func scanGoal(row rowScanner) (Goal, error) {
	var g Goal
	var metric, kind string
	var start, deadline, bfrom, bto, created, updated int64
	if err := row.Scan(&g.ID, &g.CampaignID, &metric, &kind, &g.Target, &g.Currency, &g.WithinMinutes,
		&start, &deadline, &bfrom, &bto, &g.Note, &created, &updated); err != nil {
		return g, err
	}
	g.Metric, g.Relative = GoalMetric(metric), kind == "relative"
	g.StartsOn, g.Deadline, g.BaselineFrom, g.BaselineTo = Day(start), Day(deadline), Day(bfrom), Day(bto)
	g.CreatedAt, g.UpdatedAt = fromMS(created), fromMS(updated)
	return g, nil
}

// Goal loads one goal.
func (s *Store) Goal(ctx context.Context, id int64) (Goal, error) {
	gs, err := queryAll(ctx, s.db, scanGoal, goalSQL, id)
	if err != nil {
		return Goal{}, err
	}
	if len(gs) == 0 {
		return Goal{}, fmt.Errorf("goal %d: %w", id, ErrNotFound)
	}
	return gs[0], nil
}

// CampaignGoals lists a campaign's goals, the soonest deadline first.
func (s *Store) CampaignGoals(ctx context.Context, campaignID int64) ([]Goal, error) {
	return queryAll(ctx, s.db, scanGoal, campaignGoalsSQL, campaignID)
}

// Goals lists every goal, those still running on today first (soonest
// deadline first), then the ones whose deadline has passed.
func (s *Store) Goals(ctx context.Context, today Day) ([]Goal, error) {
	open, err := queryAll(ctx, s.db, scanGoal, goalsOpenSQL, int64(today))
	if err != nil {
		return nil, err
	}
	past, err := queryAll(ctx, s.db, scanGoal, goalsPastSQL, int64(today))
	return append(open, past...), err
}
