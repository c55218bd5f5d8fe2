// Package report writes what social media brought in over a campaign or a
// span of days: Markdown for pasting, a CSV of the posts and their numbers
// (as Buffer's posts report), JSON with documented snake_case fields, and
// HTML as one self-contained file (inline SVG charts, no scripts, nothing
// fetched) that opens offline and prints cleanly. Build reads the store
// once; the writers only format. `crier report` and the `x` key call them.
package report

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/crier-app/crier/analytics"
	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// Format is a report's file format.
type Format string

const (
	Markdown Format = "md"
	CSV      Format = "csv"
	HTML     Format = "html"
	JSON     Format = "json"
)

// Formats are the formats, as `--format` takes them.
var Formats = []Format{Markdown, CSV, HTML, JSON}

// ParseFormat reads a format name ("md", "markdown", "csv", "html", "json").
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(s, ".")) {
	case "md", "markdown":
		return Markdown, nil
	case "csv":
		return CSV, nil
	case "html", "htm":
		return HTML, nil
	case "json":
		return JSON, nil
	}
	return "", fmt.Errorf("%q is not a report format: md, csv, html or json", s)
}

// Options say what a report covers.
type Options struct {
	// Campaign is the campaign's id (0 for a span of days over everything).
	Campaign int64
	// From and To are the first and last day (in Zone). For a campaign they
	// default to its dates; for a span they are needed.
	From, To store.Day
	Zone     *time.Location
	Now      time.Time // when the report is made: goals are measured on its day
	// TopPosts is how many posts the Markdown and HTML list (the CSV and
	// JSON list all); 0 is 20.
	TopPosts int
}

// MaxDays is the longest span a report covers: ten years. Every day of
// the span is a row of its chart and its JSON, so a mistyped year
// (0001-01-01 to 9999-12-31) would make a file of half a gigabyte.
const MaxDays = 3653

// SpanError is a span of days longer than MaxDays.
type SpanError struct{ From, To store.Day }

func (e *SpanError) Error() string {
	return fmt.Sprintf("%s to %s is %d days: a report covers at most ten years (%d days)", e.From, e.To,
		int(e.To-e.From)+1, MaxDays)
}

// CheckSpan refuses a span longer than MaxDays.
func CheckSpan(from, to store.Day) error {
	if from != 0 && to != 0 && int(to-from)+1 > MaxDays {
		return &SpanError{From: from, To: to}
	}
	return nil
}

// Report is everything a report says, read from the store.
type Report struct {
	Title     string
	Generated time.Time
	Zone      *time.Location
	From, To  store.Day

	Campaign *store.Campaign // nil for a span of days
	State    store.CampaignState
	Budget   analytics.Ratio

	Figures  analytics.Figures
	Networks []analytics.NetworkFigures
	Days     []analytics.DayFigures
	Goals    []analytics.GoalStatus
	Links    []analytics.LinkFigures // a campaign's
	// Narrowed is true for a campaign's report over some of its days:
	// its budget use is still the whole campaign's, and it has no per link
	// figures (they are kept for the whole campaign, not by day).
	Narrowed bool

	// Posts are the copies sent in the span (a campaign's: all of them that
	// went out), oldest first.
	Posts      []store.PostNumbers
	Engagement int
	// Followers at the start and end of the span, all accounts.
	FollowersStart, FollowersEnd store.Num

	// CampaignSlugs names the campaigns posts belong to.
	CampaignSlugs map[int64]string

	topPosts int
}

// Build reads a report from the store.
func Build(ctx context.Context, st *store.Store, o Options) (*Report, error) {
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.TopPosts == 0 {
		o.TopPosts = 20
	}
	today := store.DayOf(o.Now.In(o.Zone))
	r := &Report{Generated: o.Now, Zone: o.Zone, topPosts: o.TopPosts, CampaignSlugs: map[int64]string{}}
	cs, err := st.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		r.CampaignSlugs[c.ID] = c.Slug
	}
	if o.Campaign != 0 {
		d, err := analytics.Campaign(ctx, st, o.Campaign, today, o.Now, o.Zone)
		if err != nil {
			return nil, err
		}
		c := d.Campaign
		r.Campaign, r.State, r.Budget = &c, d.State, d.Budget
		r.Figures, r.Networks, r.Goals, r.Links = d.Figures, d.Networks, d.Goals, d.Links
		r.From, r.To = o.From, o.To
		if r.From == 0 {
			if s, ok := c.Start(); ok {
				r.From = s
			} else if len(d.Days) > 0 {
				r.From = d.Days[0].Day
			}
		}
		if r.To == 0 {
			if e, ok := c.End(); ok {
				r.To = e
			} else if len(d.Days) > 0 {
				// Always on: to today, or its last row if later.
				r.To = max(d.Days[len(d.Days)-1].Day, today)
			}
		}
		if o.To == 0 && r.To > today {
			r.To = max(today, r.From) // a running campaign: up to today
		}
		if o.From == 0 && o.To == 0 && len(d.Days) > 0 {
			// The whole campaign: its figures count every row it has, a
			// day before its first or after its last too (a late sale
			// from its link), so its days run from the first such row to
			// the last, as the detail's chart does: the days add up to
			// the figures.
			r.From, r.To = min(r.From, d.Days[0].Day), max(r.To, d.Days[len(d.Days)-1].Day)
		}
		if r.From == 0 || r.To == 0 {
			r.From, r.To = today, today
		}
		if err := CheckSpan(r.From, r.To); err != nil {
			return nil, err
		}
		r.Title = c.Name
		// Every day of the span, in order, those without rows as zeros.
		r.Days = make([]analytics.DayFigures, int(r.To-r.From)+1)
		for i := range r.Days {
			r.Days[i].Day = r.From.Add(i)
		}
		for _, day := range d.Days {
			if day.Day >= r.From && day.Day <= r.To {
				r.Days[day.Day-r.From] = day
			}
		}
		if o.From != 0 || o.To != 0 {
			// A part of the campaign: its figures over those days, per
			// network too. Per link figures are kept for the whole
			// campaign only: they are left out (Narrowed says so).
			if r.Figures, r.Networks, err = analytics.CampaignPeriod(ctx, st, c.ID, r.From, r.To, o.Zone); err != nil {
				return nil, err
			}
			r.Links, r.Narrowed = nil, true
		}
		if r.Posts, err = st.CampaignSentPosts(ctx, c.ID, r.From.Midnight(o.Zone), r.To.Add(1).Midnight(o.Zone)); err != nil {
			return nil, err
		}
	} else {
		if o.From == 0 || o.To == 0 || o.To < o.From {
			return nil, fmt.Errorf("report: give the first and last day (from %s to %s)", o.From, o.To)
		}
		if err := CheckSpan(o.From, o.To); err != nil {
			return nil, err
		}
		r.From, r.To = o.From, o.To
		r.Title = "Social media " + r.From.String() + " to " + r.To.String()
		if r.Figures, r.Networks, err = analytics.Period(ctx, st, r.From, r.To, o.Zone); err != nil {
			return nil, err
		}
		days, err := st.MarketingByDay(ctx, store.MarketingFilter{Campaign: store.AllCampaigns, From: r.From, To: r.To})
		if err != nil {
			return nil, err
		}
		r.Days = make([]analytics.DayFigures, int(r.To-r.From)+1)
		for i := range r.Days {
			r.Days[i].Day = r.From.Add(i)
		}
		for _, d := range days {
			r.Days[d.Day-r.From] = analytics.DayFigures{Day: d.Day, Clicks: d.Clicks.V, Conversions: d.Conversions.V,
				Spend: d.Spend, Revenue: d.Revenue}
		}
		goals, err := st.Goals(ctx, r.From)
		if err != nil {
			return nil, err
		}
		var within []store.Goal
		for _, g := range goals {
			if g.StartsOn <= r.To && g.Deadline >= r.From {
				within = append(within, g)
			}
		}
		on := min(today, r.To)
		if r.Goals, err = analytics.EvaluateAll(ctx, st, within, on, o.Zone); err != nil {
			return nil, err
		}
		if r.Posts, err = st.SentPosts(ctx, r.From.Midnight(o.Zone), r.To.Add(1).Midnight(o.Zone)); err != nil {
			return nil, err
		}
	}
	for _, p := range r.Posts {
		r.Engagement += p.Metrics.Engagement()
	}
	fs, err := st.FollowersAt(ctx, "", []time.Time{r.From.Midnight(o.Zone), minTime(r.To.Add(1).Midnight(o.Zone), o.Now)})
	if err != nil {
		return nil, err
	}
	r.FollowersStart, r.FollowersEnd = fs[0], fs[1]
	return r, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// writers are the formats' writers.
var writers = map[Format]func(*Report, io.Writer) error{
	Markdown: (*Report).WriteMarkdown, CSV: (*Report).WriteCSV, HTML: (*Report).WriteHTML, JSON: (*Report).WriteJSON,
}

// Write writes the report in a format.
func (r *Report) Write(w io.Writer, f Format) error {
	if write, ok := writers[f]; ok {
		return write(r, w)
	}
	return fmt.Errorf("report: no format %q", f)
}

// TopPosts are the posts with the most engagement (link clicks break ties,
// then the order they went out in), at most the report's TopPosts. They
// are picked in one pass over the posts, not by sorting them all.
func (r *Report) TopPosts() []store.PostNumbers {
	n := min(len(r.Posts), r.topPosts)
	if n <= 0 {
		return nil
	}
	before := func(a, b *store.PostNumbers) bool {
		if ea, eb := a.Metrics.Engagement(), b.Metrics.Engagement(); ea != eb {
			return ea > eb
		}
		return a.Links.Clicks > b.Links.Clicks
	}
	// top holds the best so far, in order; a post goes after those it does
	// not beat (the earlier of two equals first).
	top := make([]int, 0, n+1)
	for i := range r.Posts {
		p := &r.Posts[i]
		if len(top) == n && !before(p, &r.Posts[top[n-1]]) {
			continue
		}
		at := sort.Search(len(top), func(k int) bool { return before(p, &r.Posts[top[k]]) })
		top = slices.Insert(top, at, i)[:min(len(top)+1, n)]
	}
	out := make([]store.PostNumbers, len(top))
	for k, i := range top {
		out[k] = r.Posts[i]
	}
	return out
}

// Period writes the report's span of days for people.
func (r *Report) Period() string {
	if r.From == r.To {
		return r.From.Date().Format("Mon 2 Jan 2006")
	}
	return r.From.Date().Format("2 Jan 2006") + " – " + r.To.Date().Format("2 Jan 2006")
}

// campaignPeriod writes a campaign report's span of days, and the
// campaign's own days where its rows outside them widen the span.
func (r *Report) campaignPeriod() string {
	p, c := r.Period(), r.Campaign
	if c == nil || r.Narrowed {
		return p
	}
	s, sOK := c.Start()
	e, eOK := c.End()
	if (!sOK || r.From >= s) && (!eOK || r.To <= e) {
		return p
	}
	own := ""
	switch {
	case sOK && eOK:
		own = s.Date().Format("2 Jan 2006") + " – " + e.Date().Format("2 Jan 2006")
	case sOK:
		own = "from " + s.Date().Format("2 Jan 2006")
	case eOK:
		own = "to " + e.Date().Format("2 Jan 2006")
	}
	return p + " (the campaign's days are " + own + "; its rows on other days count too)"
}

// mainCurrency is the currency most of the money is in (for charts).
func (r *Report) mainCurrency() string {
	all := r.Figures.Spend.AddAll(r.Figures.Revenue)
	best, amount := "", int64(-1)
	for _, a := range all {
		if a.Minor > amount {
			best, amount = a.Currency, a.Minor
		}
	}
	if best == "" && r.Campaign != nil {
		best = r.Campaign.Currency
	}
	return best
}

// firstLine is a post's text on one line, cut at n runes.
func firstLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) > n {
		return strings.TrimSpace(string(rs[:n-1])) + "…"
	}
	return s
}

// countingNote says what the per-link table's marks mean.
const countingNote = "✓ counted in the figures above; · another source's number counts instead; ~ counted on some days. " +
	"Where two kinds of source report a network's metric, one counts: the ad platform's link clicks before web analytics' " +
	"visits, your sheet's conversions and revenue, then web analytics', then the ad platform's results. " +
	"A network's ✓ numbers, with what its ~ ones count on their days, add up to its figure."

// marked writes a per-link number with its counting mark ("✓113",
// "·81"); a number no source reported ("—") has none.
func marked(text string, c analytics.Counting) string { return c.Mark() + text }

// moneyText writes sums ("€12.00 + $3.00"), "—" for none.
func moneyText(s money.Sums) string { return analytics.Sums(s) }
