package plausible

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/crier-app/crier/analytics/csvimport"
	"github.com/crier-app/crier/money"
	"github.com/crier-app/crier/store"
)

// Feed is the store feed Plausible's numbers are kept under, from the API
// and from its CSV export alike: a day pulled again replaces what an
// earlier pull, or an import of its CSV export, said about the same keys.
const Feed = "plausible"

// Site says what to pull from one Plausible site.
type Site struct {
	ID string // site_id: the site's domain as Plausible knows it
	// Goals are the goals whose completions count as conversions (their
	// display names); none means every goal of the site.
	Goals []string
}

// row is one key's figures as they are gathered from the answers.
type row struct {
	visits, conversions int64
	revenue             money.Sums
}

type key struct {
	day                       store.Day
	campaign, source, content string
}

var (
	visitDimensions = []string{"time:day", "visit:utm_campaign", "visit:utm_source", "visit:utm_content", "visit:source"}
	goalDimensions  = append(append([]string(nil), visitDimensions...), "event:goal")
)

// Pull asks the site's visits, and its goal completions and revenue, per
// day and UTM campaign, source and content (the visit's source where
// utm_source is not set) from first to last, and stores them as one
// import. Visits that carry no UTM tag and did not come from a social
// network (search engines, other sites, typed addresses) are not what
// social brought in: they are left out. What is stored is sessions (a visit is also a link click that arrived),
// conversions (completions) and revenue in the currency Plausible gives.
// Everything is asked before anything is written: a refused request (401,
// 429) leaves the store as it was. The scheduler's sync calls it; now is
// the import's time (a later pull of the same days is newer).
func Pull(ctx context.Context, st *store.Store, c *Client, site Site, first, last store.Day, now time.Time) (store.ImportResult, error) {
	if last < first {
		return store.ImportResult{}, fmt.Errorf("plausible: the days run backwards (%s to %s)", first, last)
	}
	days := Days(first.String(), last.String())
	rows := map[key]*row{}
	at := func(r Result, dims int) (*row, error) {
		var k key
		vals := make([]string, dims)
		for i := range vals {
			v, err := r.Dimension(i)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrAnswer, err)
			}
			if v == "(not set)" || v == "(none)" {
				v = ""
			}
			// A tag with a line break or an escape sequence in it (a link
			// written by hand) is kept on one line, as an import keeps it;
			// other values exactly as before, so a day pulled again
			// replaces what the last pull said about it.
			if one := store.OneLineName(v); one != strings.TrimSpace(v) {
				v = one
			}
			vals[i] = v
		}
		d, err := store.ParseDay(vals[0])
		if err != nil {
			return nil, fmt.Errorf("%w: time:day %q", ErrAnswer, vals[0])
		}
		k.day, k.campaign, k.source, k.content = d, vals[1], vals[2], vals[3]
		if k.source == "" {
			k.source = vals[4]
		}
		k.source = store.NormalizeSource(k.source)
		if k.campaign == "" && vals[2] == "" && k.content == "" && !store.IsSocialSource(k.source) {
			return nil, nil // untagged, and not from a social network
		}
		if rows[k] == nil {
			rows[k] = &row{}
		}
		return rows[k], nil
	}
	visits, _, err := c.QueryAll(ctx, Query{SiteID: site.ID, Metrics: []string{"visits"}, DateRange: days,
		Dimensions: visitDimensions})
	if err != nil {
		return store.ImportResult{}, err
	}
	for _, r := range visits {
		n, ok, err := r.Int(0)
		if err != nil {
			return store.ImportResult{}, fmt.Errorf("%w: %v", ErrAnswer, err)
		}
		x, err := at(r, len(visitDimensions))
		if err != nil {
			return store.ImportResult{}, err
		}
		if ok && (n < 0 || n > csvimport.MaxCount) {
			// As an import's line: past what a day has, and added up it
			// would stop every figure being read.
			return store.ImportResult{}, fmt.Errorf("%w: %d visits on a day", ErrAnswer, n)
		}
		if ok && x != nil {
			x.visits += n
		}
	}
	q := Query{SiteID: site.ID, Metrics: []string{"events", "total_revenue"}, DateRange: days, Dimensions: goalDimensions}
	if len(site.Goals) > 0 {
		q.Filters = []any{[]any{"is", "event:goal", site.Goals}}
	}
	goals, _, err := c.QueryAll(ctx, q)
	if err != nil {
		return store.ImportResult{}, err
	}
	for _, r := range goals {
		x, err := at(r, len(visitDimensions))
		if err != nil {
			return store.ImportResult{}, err
		}
		if x == nil {
			continue
		}
		n, ok, err := r.Int(0)
		if err != nil {
			return store.ImportResult{}, fmt.Errorf("%w: %v", ErrAnswer, err)
		}
		if ok && (n < 0 || n > csvimport.MaxCount) {
			return store.ImportResult{}, fmt.Errorf("%w: %d goal completions on a day", ErrAnswer, n)
		}
		if ok {
			x.conversions += n * 1000
		}
		rev, ok, err := r.Revenue(1)
		if err != nil {
			return store.ImportResult{}, fmt.Errorf("%w: %v", ErrAnswer, err)
		}
		if ok {
			if !money.ValidCode(rev.Currency) {
				return store.ImportResult{}, fmt.Errorf("%w: revenue in %q", ErrAnswer, rev.Currency)
			}
			minor, err := money.ParseMinor(rev.Value.String(), money.Decimals(rev.Currency))
			if err == nil && (minor > csvimport.MaxMinor || minor < -csvimport.MaxMinor) {
				err = money.ErrTooLarge
			}
			if err != nil {
				return store.ImportResult{}, fmt.Errorf("%w: revenue %s %s: %v", ErrAnswer, rev.Value, rev.Currency, err)
			}
			x.revenue = x.revenue.Add(money.Amount{Currency: rev.Currency, Minor: minor})
		}
	}
	keys := make([]key, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.day != b.day {
			return a.day < b.day
		}
		if a.campaign != b.campaign {
			return a.campaign < b.campaign
		}
		if a.source != b.source {
			return a.source < b.source
		}
		return a.content < b.content
	})
	imp, err := st.BeginImport(ctx, store.ImportBatch{Feed: Feed, Class: store.ClassAnalytics, Preset: "plausible_api",
		Origin: "Plausible API: " + site.ID + " " + first.String() + " to " + last.String(), ExportedAt: now}, now)
	if err != nil {
		return store.ImportResult{}, err
	}
	for _, k := range keys {
		x := rows[k]
		r := store.MarketingRow{Day: k.day, Campaign: k.campaign, Source: k.source, Content: k.content,
			Sessions: store.Known(x.visits), Clicks: store.Known(x.visits), Conversions: store.Known(x.conversions)}
		switch len(x.revenue) {
		case 0:
		case 1:
			r.Currency, r.Revenue = x.revenue[0].Currency, store.Known(x.revenue[0].Minor)
		default:
			imp.Rollback()
			return store.ImportResult{}, fmt.Errorf("plausible: on %s, campaign %q, source %q, content %q the revenue goals are in %s: "+
				"crier keeps one currency a row; pull those goals apart (Site.Goals)", k.day, k.campaign, k.source, k.content,
				strings.Join(x.revenue.Currencies(), " and "))
		}
		if err := imp.Add(r); err != nil {
			imp.Rollback()
			return store.ImportResult{}, err
		}
	}
	return imp.Commit()
}
