package analytics

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// CampaignRow is one line of the Campaigns list.
type CampaignRow struct {
	Campaign store.Campaign
	State    store.CampaignState
	Figures  Figures
	Budget   Ratio // spend against the budget
	Goals    []GoalStatus
	// Rows selects the marketing rows behind Figures (store.MarketingRows).
	Rows store.MarketingFilter
}

// periodEnd is the instant a campaign's figures are read at: the end of
// its last day, or now when it is still running or has no end.
func periodEnd(c store.Campaign, today store.Day, loc *time.Location, now time.Time) time.Time {
	if end, ok := c.End(); ok && end < today {
		return end.Add(1).Midnight(loc).Add(-time.Millisecond)
	}
	return now
}

// List is the Campaigns list: every campaign's row, and the goals that
// belong to none.
type List struct {
	Rows  []CampaignRow
	Goals []GoalStatus
}

// Campaigns loads every campaign with its figures, budget use and goals,
// as on today (days in loc; now is the instant follower counts are read at
// for campaigns still running).
func Campaigns(ctx context.Context, st *store.Store, today store.Day, now time.Time, loc *time.Location) ([]CampaignRow, error) {
	l, err := CampaignList(ctx, st, today, now, loc)
	return l.Rows, err
}

// CampaignList loads the Campaigns list: the campaigns' figures beside
// every goal, all evaluated at once (EvaluateAll).
func CampaignList(ctx context.Context, st *store.Store, today store.Day, now time.Time, loc *time.Location) (List, error) {
	var l List
	var cs []store.Campaign
	var totals map[int64]store.MarketingTotals
	var social map[int64]store.Num
	var followers []store.Num
	figures := func() (err error) {
		if cs, err = st.Campaigns(ctx); err != nil {
			return fmt.Errorf("campaigns: %w", err)
		}
		if totals, err = st.CampaignsTotals(ctx); err != nil {
			return fmt.Errorf("campaign figures: %w", err)
		}
		if social, err = st.CampaignsSourceClicks(ctx, SocialNetworks); err != nil {
			return fmt.Errorf("campaign clicks from social networks: %w", err)
		}
		at := make([]time.Time, len(cs))
		for i, c := range cs {
			at[i] = periodEnd(c, today, loc, now)
		}
		if followers, err = st.FollowersAt(ctx, "", at); err != nil {
			return fmt.Errorf("followers: %w", err)
		}
		return nil
	}
	var goals []GoalStatus
	evaluate := func() error {
		gs, err := st.Goals(ctx, today)
		if err != nil {
			return fmt.Errorf("goals: %w", err)
		}
		goals, err = EvaluateAll(ctx, st, gs, today, loc)
		return err
	}
	if err := together(figures, evaluate); err != nil {
		return l, err
	}
	byCampaign := map[int64][]GoalStatus{}
	for _, g := range goals {
		if g.Goal.CampaignID == 0 {
			l.Goals = append(l.Goals, g)
		} else {
			byCampaign[g.Goal.CampaignID] = append(byCampaign[g.Goal.CampaignID], g)
		}
	}
	l.Rows = make([]CampaignRow, len(cs))
	for i, c := range cs {
		t := totals[c.ID]
		l.Rows[i] = CampaignRow{Campaign: c, State: c.State(today), Figures: Compute(t, social[c.ID], followers[i]),
			Budget: BudgetUse(t.Spend, c.Budget()), Rows: store.MarketingFilter{Campaign: c.ID}.EveryDay(),
			Goals: byCampaign[c.ID]}
	}
	return l, nil
}

// together runs reads side by side, each on its own connection (SQLite
// reads in parallel in WAL mode), and returns when all have, with the
// first error.
func together(reads ...func() error) error {
	errs := make([]error, len(reads))
	var wg sync.WaitGroup
	for i, read := range reads[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i+1] = read()
		}()
	}
	errs[0] = reads[0]()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// NetworkFigures are a campaign's figures on one source (network).
type NetworkFigures struct {
	Source  string
	Figures Figures
	Rows    store.MarketingFilter
}

// DayFigures are one day of a campaign's daily chart.
type DayFigures struct {
	Day         store.Day
	Clicks      int64
	Conversions int64 // thousandths
	Spend       money.Sums
	Revenue     money.Sums
}

// LinkFigures are a content's (a post's link or its variant, an ad)
// numbers, with the link as it went out when crier tagged it.
type LinkFigures struct {
	store.ContentTotals
	Links          []store.TaggedLink // the tagged links with this utm_content
	CTR            Ratio
	ConversionRate Ratio // conversions per session, else per click
	// Counted says, per metric, whether the campaign's figures count
	// this link's number: where two kinds of source report a network's
	// metric, one counts (store.MarketingPrecedence), so a per-link list
	// of both adds up to more than the network's figure.
	Counted LinkCounted
}

// Counting is whether the figures count a link's number.
type Counting int8

const (
	NotReported Counting = iota // no source reported it for the link
	CountedAll                  // counted on every day its network has it
	CountedSome                 // counted on some of those days, another source's on others
	CountedNone                 // another source's number counts instead
)

// Mark is the mark a list draws before a number: "✓" counted, "·"
// another source counts instead, "~" counted on some days, "" for none
// reported.
func (c Counting) Mark() string {
	switch c {
	case CountedAll:
		return "✓"
	case CountedSome:
		return "~"
	case CountedNone:
		return "·"
	}
	return ""
}

// String names it in words, for the JSON report.
func (c Counting) String() string {
	switch c {
	case CountedAll:
		return "counted"
	case CountedSome:
		return "counted on some days"
	case CountedNone:
		return "another source counts instead"
	}
	return "not reported"
}

// CountingLegend explains the marks.
const CountingLegend = "✓ counted · another source counts instead ~ on some days"

// LinkCounted is Counting per metric.
type LinkCounted struct {
	Impressions, Clicks, Sessions, Conversions, Revenue, Spend Counting
}

// linkCounted says which of a content's numbers its campaign's figures
// count, from the kinds of source its rows came from and which kind
// counts each metric on its network's days (store.CampaignCounting).
//
// On a day the figures count a kind ranked below the link's
// (store.MarketingPrecedence), the link's kind reported nothing for the
// network, so the link loses nothing there; on a day they count a kind
// ranked above, its rows (if it had any that day) do not count. Which
// days a link has rows on is not kept, so a link whose kind both counts on
// some days and is outranked on others is "counted on some days".
func linkCounted(ct store.ContentTotals, counting map[string][6]store.Counting) LinkCounted {
	by := counting[ct.Source]
	one := func(reported bool, metric int) Counting {
		if !reported {
			return NotReported
		}
		order := store.MarketingPrecedence[store.CountingMetrics[metric]]
		all, none := true, true
		for class, has := range ct.Classes {
			if !has {
				continue
			}
			state := CountedAll
			if c := store.MarketingClass(class); c != store.ClassManual { // typed-in entries always add
				rank := slices.Index(order, c)
				counted, outranked := 0, 0
				for from, days := range by[metric] {
					switch r := slices.Index(order, from); {
					case from == c:
						counted += days
					case r >= 0 && (rank < 0 || r < rank):
						outranked += days
					}
				}
				switch {
				case rank < 0 || (outranked > 0 && counted == 0):
					state = CountedNone
				case outranked > 0:
					state = CountedSome
				}
			}
			all, none = all && state == CountedAll, none && state == CountedNone
		}
		switch {
		case all:
			return CountedAll
		case none:
			return CountedNone
		}
		return CountedSome
	}
	return LinkCounted{
		Impressions: one(ct.Reported.Impressions, 0), Clicks: one(ct.Reported.Clicks, 1),
		Sessions: one(ct.Reported.Sessions, 2), Conversions: one(ct.Reported.Conversions, 3),
		Revenue: one(len(ct.Revenue) > 0, 4), Spend: one(len(ct.Spend) > 0, 5),
	}
}

// CampaignDetail is everything the campaign's detail view shows.
type CampaignDetail struct {
	CampaignRow
	Networks []NetworkFigures
	Days     []DayFigures  // from its first day (or first row) to its last (or today), every day
	Links    []LinkFigures // the LinksShown that brought the most link clicks
	// LinkCount is how many contents the campaign has in all
	// (store.CampaignContents pages through them), or how many Links
	// lists, where it adds tagged links that brought nothing in yet.
	LinkCount int
	// Posts are the PostsShown newest posts, a line per copy; PostCount
	// how many it has (store.CampaignPosts pages through them).
	Posts     []store.PostNumbers
	PostCount int
}

// PostsShown is how many of a campaign's posts its detail loads.
const PostsShown = 50

// LinksShown is how many of a campaign's links its detail loads: those
// with the most link clicks.
const LinksShown = 50

// Campaign loads one campaign's detail as on today.
func Campaign(ctx context.Context, st *store.Store, id int64, today store.Day, now time.Time, loc *time.Location) (CampaignDetail, error) {
	var d CampaignDetail
	// Counting the campaign's links and posts walks every one of them, the
	// longest reads of the detail, and needs nothing the figures read: the
	// counts run beside the figures.
	var links, posts int
	err := together(func() (err error) {
		d, err = campaignFigures(ctx, st, id, today, now, loc)
		return err
	}, func() (err error) {
		if links, err = st.CountCampaignContents(ctx, id); err != nil {
			return fmt.Errorf("figures per link: %w", err)
		}
		if posts, err = st.CountCampaignPosts(ctx, id); err != nil {
			return fmt.Errorf("posts: %w", err)
		}
		return nil
	})
	// The list has every content with rows and, where they all fit, the
	// tagged links that brought nothing in yet: those count as links too.
	d.LinkCount, d.PostCount = max(links, len(d.Links)), posts
	return d, err
}

// campaignFigures loads a campaign's detail but for its counts.
func campaignFigures(ctx context.Context, st *store.Store, id int64, today store.Day, now time.Time, loc *time.Location) (CampaignDetail, error) {
	var d CampaignDetail
	c, err := st.Campaign(ctx, id)
	if err != nil {
		return d, err
	}
	all := store.MarketingFilter{Campaign: id}.EveryDay()
	bySource, err := st.MarketingBySource(ctx, all)
	if err != nil {
		return d, fmt.Errorf("figures per network: %w", err)
	}
	var t store.MarketingTotals // the campaign's figures: its networks' added up
	for _, s := range bySource {
		t = t.Add(s.MarketingTotals)
	}
	end := periodEnd(c, today, loc, now)
	followersBy := map[string]store.Num{}
	var social, followers store.Num
	for _, p := range SocialNetworks {
		fs, err := st.FollowersAt(ctx, p, []time.Time{end})
		if err != nil {
			return d, fmt.Errorf("followers: %w", err)
		}
		followersBy[p] = fs[0]
		followers = followers.Add(fs[0])
	}
	for _, s := range bySource {
		if _, ok := followersBy[s.Source]; ok {
			social = social.Add(s.Clicks)
		}
	}
	d.CampaignRow = CampaignRow{Campaign: c, State: c.State(today), Figures: Compute(t, social, followers),
		Budget: BudgetUse(t.Spend, c.Budget()), Rows: all}
	for _, s := range bySource {
		var sc, fl store.Num
		if f, ok := followersBy[s.Source]; ok {
			sc, fl = s.Clicks, f
		}
		rows := all
		rows.Source = s.Source
		d.Networks = append(d.Networks, NetworkFigures{Source: s.Source, Figures: Compute(s.MarketingTotals, sc, fl), Rows: rows})
	}
	goals, err := st.CampaignGoals(ctx, id)
	if err != nil {
		return d, fmt.Errorf("goals: %w", err)
	}
	if d.Goals, err = EvaluateAll(ctx, st, goals, today, loc); err != nil {
		return d, err
	}
	// The daily chart: the campaign's days, widened to its rows.
	first, firstOK := c.Start()
	last, lastOK := c.End()
	if t.Groups > 0 {
		if !firstOK || t.First < first {
			first, firstOK = t.First, true
		}
		if !lastOK || t.Last > last {
			last, lastOK = t.Last, true
		}
	}
	if lastOK && last > today && (t.Groups == 0 || t.Last <= today) {
		last = max(today, first)
	}
	if _, hasEnd := c.End(); !hasEnd && firstOK && lastOK && last < today {
		last = today // always on: its days run to today
	}
	if firstOK && lastOK && last >= first {
		chart := store.DaysQuery{MarketingFilter: store.MarketingFilter{Campaign: id, From: first, To: last},
			Fields: store.FieldClicks | store.FieldConversions | store.FieldMoney}
		byDay, err := st.MarketingByDays(ctx, []store.DaysQuery{chart})
		if err != nil {
			return d, fmt.Errorf("figures per day: %w", err)
		}
		days := byDay[0]
		d.Days = make([]DayFigures, int(last-first)+1)
		for i := range d.Days {
			d.Days[i].Day = first.Add(i)
		}
		for _, day := range days {
			i := int(day.Day - first)
			d.Days[i] = DayFigures{Day: day.Day, Clicks: day.Clicks.V, Conversions: day.Conversions.V, Spend: day.Spend,
				Revenue: day.Revenue}
		}
	}
	contents, err := st.CampaignContents(ctx, id, LinksShown, 0)
	if err != nil {
		return d, fmt.Errorf("figures per link: %w", err)
	}
	counting, err := st.CampaignCounting(ctx, id)
	if err != nil {
		return d, fmt.Errorf("figures per link: %w", err)
	}
	// The tagged links of the contents shown; and, while the list has every
	// content, the links that went out and brought nothing in yet.
	shown := make([]string, len(contents))
	for i, ct := range contents {
		shown[i] = ct.Content
	}
	links, err := st.ContentLinks(ctx, id, shown)
	if err != nil {
		return d, fmt.Errorf("tagged links: %w", err)
	}
	if len(contents) < LinksShown { // every content of the campaign
		all, err := st.CampaignLinks(ctx, id, LinksShown)
		if err != nil {
			return d, fmt.Errorf("tagged links: %w", err)
		}
		links = append(links, all...)
	}
	byContent := map[[2]string][]store.TaggedLink{}
	seen := map[store.TaggedLink]bool{}
	for _, l := range links {
		if seen[l] {
			continue
		}
		seen[l] = true
		k := [2]string{l.Source, l.Content}
		byContent[k] = append(byContent[k], l)
	}
	for _, ct := range contents {
		lf := LinkFigures{ContentTotals: ct, Links: byContent[[2]string{ct.Source, ct.Content}]}
		delete(byContent, [2]string{ct.Source, ct.Content})
		lf.CTR, lf.ConversionRate = contentRatios(ct)
		lf.Counted = linkCounted(ct, counting)
		d.Links = append(d.Links, lf)
	}
	for _, l := range links {
		k := [2]string{l.Source, l.Content}
		if ls, ok := byContent[k]; ok && len(d.Links) < LinksShown {
			lf := LinkFigures{ContentTotals: store.ContentTotals{Source: l.Source, Content: l.Content, PostID: l.PostID}, Links: ls}
			lf.CTR, lf.ConversionRate = contentRatios(lf.ContentTotals)
			d.Links = append(d.Links, lf)
			delete(byContent, k)
		}
	}
	if d.Posts, err = st.CampaignPosts(ctx, id, PostsShown, 0); err != nil {
		return d, fmt.Errorf("posts: %w", err)
	}
	return d, nil
}

func contentRatios(c store.ContentTotals) (ctr, cr Ratio) {
	if c.Impressions > 0 {
		ctr = Ratio{Value: float64(c.ClicksWithImpressions) / float64(c.Impressions), OK: true}
	} else {
		ctr = na("no impressions reported for this link")
	}
	switch {
	case !c.Reported.Conversions:
		cr = na("no conversions reported for this link")
	case c.Sessions > 0:
		cr = Ratio{Value: float64(c.Conversions) / 1000 / float64(c.Sessions), OK: true}
	case c.Clicks > 0:
		cr = Ratio{Value: float64(c.Conversions) / 1000 / float64(c.Clicks), OK: true}
	default:
		cr = na("no sessions or clicks")
	}
	return ctr, cr
}

// Period loads the figures of every row in a span of days (all campaigns
// and none), per network too: the KPIs pane's marketing figures and a
// date-range report's.
func Period(ctx context.Context, st *store.Store, first, last store.Day, loc *time.Location) (Figures, []NetworkFigures, error) {
	return CampaignPeriod(ctx, st, store.AllCampaigns, first, last, loc)
}

// CampaignPeriod is Period for one campaign's rows (store.AllCampaigns:
// every row): a campaign's report narrowed to some of its days.
func CampaignPeriod(ctx context.Context, st *store.Store, campaign int64, first, last store.Day, loc *time.Location) (Figures, []NetworkFigures, error) {
	f := store.MarketingFilter{Campaign: campaign, From: first, To: last}
	t, err := st.MarketingTotals(ctx, f)
	if err != nil {
		return Figures{}, nil, err
	}
	bySource, err := st.MarketingBySource(ctx, f)
	if err != nil {
		return Figures{}, nil, err
	}
	end := last.Add(1).Midnight(loc).Add(-time.Millisecond)
	followersBy := map[string]store.Num{}
	var social, followers store.Num
	for _, p := range SocialNetworks {
		fs, err := st.FollowersAt(ctx, p, []time.Time{end})
		if err != nil {
			return Figures{}, nil, err
		}
		followersBy[p] = fs[0]
		followers = followers.Add(fs[0])
	}
	var nets []NetworkFigures
	for _, s := range bySource {
		var sc, fl store.Num
		if fw, ok := followersBy[s.Source]; ok {
			sc, fl = s.Clicks, fw
			social = social.Add(s.Clicks)
		}
		rows := f
		rows.Source = s.Source
		nets = append(nets, NetworkFigures{Source: s.Source, Figures: Compute(s.MarketingTotals, sc, fl), Rows: rows})
	}
	return Compute(t, social, followers), nets, nil
}
