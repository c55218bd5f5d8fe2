package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crier-app/crier/money"
)

// AllCampaigns, in a MarketingFilter, reads every row: each campaign's and
// those in none.
const AllCampaigns int64 = -1

// MarketingFilter selects campaign, day and source groups.
type MarketingFilter struct {
	// Campaign is a campaign's id, 0 for the rows in no campaign, or
	// AllCampaigns.
	Campaign int64
	From, To Day    // inclusive
	Source   string // "" for every source
}

// EveryDay spans every day a row can have.
func (f MarketingFilter) EveryDay() MarketingFilter {
	f.From, f.To = DateDay(1900, 1, 1), DateDay(2999, 12, 31)
	return f
}

// MarketingTotals are the figures of a set of groups, each metric from the
// class that counts (MarketingPrecedence). A metric no row reported is not
// OK. The With* sums are the parts of a ratio that have both sides: clicks
// where impressions are known, conversions where sessions (clicks) are
// known, clicks (spend) where spend (clicks) is known.
type MarketingTotals struct {
	Impressions             Num
	Clicks                  Num
	Sessions                Num
	Conversions             Num // thousandths
	ClicksWithImpressions   Num
	ConversionsWithSessions Num
	ConversionsWithClicks   Num
	PaidClicks              Num
	Revenue                 money.Sums
	Spend                   money.Sums
	SpendOnClicks           money.Sums
	Groups                  int // campaign, day and source groups added up
	First, Last             Day // the first and last day with a group (0 without)
}

// Add sums two totals.
func (t MarketingTotals) Add(u MarketingTotals) MarketingTotals {
	t.Impressions = t.Impressions.Add(u.Impressions)
	t.Clicks = t.Clicks.Add(u.Clicks)
	t.Sessions = t.Sessions.Add(u.Sessions)
	t.Conversions = t.Conversions.Add(u.Conversions)
	t.ClicksWithImpressions = t.ClicksWithImpressions.Add(u.ClicksWithImpressions)
	t.ConversionsWithSessions = t.ConversionsWithSessions.Add(u.ConversionsWithSessions)
	t.ConversionsWithClicks = t.ConversionsWithClicks.Add(u.ConversionsWithClicks)
	t.PaidClicks = t.PaidClicks.Add(u.PaidClicks)
	t.Revenue = t.Revenue.AddAll(u.Revenue)
	t.Spend = t.Spend.AddAll(u.Spend)
	t.SpendOnClicks = t.SpendOnClicks.AddAll(u.SpendOnClicks)
	if u.Groups > 0 {
		if t.Groups == 0 || u.First < t.First {
			t.First = u.First
		}
		if u.Last > t.Last {
			t.Last = u.Last
		}
	}
	t.Groups += u.Groups
	return t
}

// Fields names the sums of MarketingTotals a read needs; the others are
// left zero (not known). Groups, First and Last are always read.
type Fields uint16

const (
	FieldImpressions Fields = 1 << iota
	FieldClicks
	FieldSessions
	FieldConversions
	FieldClicksWithImpressions
	FieldConversionsWithSessions
	FieldConversionsWithClicks
	FieldPaidClicks
	FieldMoney        // Revenue, Spend and SpendOnClicks, per currency
	AllFields  Fields = 1<<iota - 1
)

// countFields are the summed columns of marketing_days, in the order a
// read selects them.
var countFields = []struct {
	field  Fields
	column string
	num    func(*MarketingTotals) *Num
}{
	{FieldImpressions, "impressions", func(t *MarketingTotals) *Num { return &t.Impressions }},
	{FieldClicks, "clicks", func(t *MarketingTotals) *Num { return &t.Clicks }},
	{FieldSessions, "sessions", func(t *MarketingTotals) *Num { return &t.Sessions }},
	{FieldConversions, "conversions", func(t *MarketingTotals) *Num { return &t.Conversions }},
	{FieldClicksWithImpressions, "clicks_with_impressions", func(t *MarketingTotals) *Num { return &t.ClicksWithImpressions }},
	{FieldConversionsWithSessions, "conversions_with_sessions", func(t *MarketingTotals) *Num { return &t.ConversionsWithSessions }},
	{FieldConversionsWithClicks, "conversions_with_clicks", func(t *MarketingTotals) *Num { return &t.ConversionsWithClicks }},
	{FieldPaidClicks, "paid_clicks", func(t *MarketingTotals) *Num { return &t.PaidClicks }},
}

// columns are the sums a read of f selects from marketing_days (scan
// takes them in the same order).
func (f Fields) columns() string {
	var b strings.Builder
	for _, c := range countFields {
		if f&c.field != 0 {
			b.WriteString("sum(" + c.column + "), ")
		}
	}
	return b.String() + "count(*), min(day), max(day)"
}

// scan appends the destinations of f's columns for t to dst.
func (f Fields) scan(dst []any, t *MarketingTotals) []any {
	for _, c := range countFields {
		if f&c.field != 0 {
			dst = append(dst, (*nullNum)(c.num(t)))
		}
	}
	return append(dst, &t.Groups, (*scanDay)(&t.First), (*scanDay)(&t.Last))
}

var totalsColumns = AllFields.columns()

const moneyColumns = `currency, sum(revenue), sum(spend), sum(spend_on_clicks)`

// marketingWhere is the WHERE clause of a filter over marketing_days or
// marketing_day_money, and its arguments.
func marketingWhere(f MarketingFilter) (string, []any) {
	return filterWhere(f, "", "")
}

// filterWhere is the WHERE clause of a filter over a table of the
// marketing figures whose columns are named with prefix ("" or "m."), and
// its arguments. everyCampaign is the condition on the campaign when the
// filter takes every campaign ("" for none).
func filterWhere(f MarketingFilter, prefix, everyCampaign string) (string, []any) {
	w, args := prefix+"day BETWEEN ? AND ?", []any{int64(f.From), int64(f.To)}
	switch {
	case f.Campaign != AllCampaigns:
		w, args = prefix+"campaign_id = ? AND "+w, append([]any{f.Campaign}, args...)
	case everyCampaign != "":
		w = everyCampaign + " AND " + w
	}
	if f.Source != "" {
		w += " AND " + prefix + "source = ?"
		args = append(args, NormalizeSource(f.Source))
	}
	return w, args
}

// totalsQueries are the statements that read totals, by how they group,
// for the query plan test: the counts and the money.
func totalsQueries(group string, f MarketingFilter) (counts, money string, args []any) {
	w, args := marketingWhere(f)
	sel, by := "", ""
	if group != "" {
		sel, by = group+", ", " GROUP BY "+group
	}
	counts = "SELECT " + sel + totalsColumns + " FROM marketing_days WHERE " + w + by
	mby := " GROUP BY currency"
	if group != "" {
		mby = " GROUP BY " + group + ", currency"
	}
	money = "SELECT " + sel + moneyColumns + " FROM marketing_day_money WHERE " + w + mby
	return counts, money, args
}

func scanTotals(dst []any, t *MarketingTotals) []any { return AllFields.scan(dst, t) }

// nullNum scans a nullable integer into a Num.
type nullNum Num

func (n *nullNum) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	*n = nullNum(numOf(x))
	return nil
}

type scanDay Day

func (d *scanDay) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	*d = scanDay(x.Int64)
	return nil
}

func addMoney(t *MarketingTotals, cur string, rev, spend, onClicks sql.NullInt64) {
	if rev.Valid {
		t.Revenue = t.Revenue.Add(money.Amount{Currency: cur, Minor: rev.Int64})
	}
	if spend.Valid {
		t.Spend = t.Spend.Add(money.Amount{Currency: cur, Minor: spend.Int64})
	}
	if onClicks.Valid {
		t.SpendOnClicks = t.SpendOnClicks.Add(money.Amount{Currency: cur, Minor: onClicks.Int64})
	}
}

// groupedTotals reads totals grouped by one column (or none) in one read
// transaction, calling at(key) for the totals of each key.
func (s *Store) groupedTotals(ctx context.Context, group string, f MarketingFilter, key func(any) (any, error),
	at func(k any) *MarketingTotals) error {
	counts, moneyQ, args := totalsQueries(group, f)
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	err = eachRow(ctx, tx, counts, args, func(rows rowScanner) (err error) {
		var t MarketingTotals
		var k any
		if group != "" {
			var kv any
			if err := rows.Scan(scanTotals([]any{&kv}, &t)...); err != nil {
				return err
			}
			if k, err = key(kv); err != nil {
				return err
			}
		} else if err := rows.Scan(scanTotals(nil, &t)...); err != nil {
			return err
		}
		if t.Groups == 0 {
			return nil
		}
		p := at(k)
		rev, spend, onClicks := p.Revenue, p.Spend, p.SpendOnClicks
		*p = t
		p.Revenue, p.Spend, p.SpendOnClicks = rev, spend, onClicks
		return nil
	})
	if err != nil {
		return err
	}
	err = eachRow(ctx, tx, moneyQ, args, func(rows rowScanner) (err error) {
		var cur string
		var rev, spend, onClicks sql.NullInt64
		var k any
		if group != "" {
			var kv any
			if err := rows.Scan(&kv, &cur, &rev, &spend, &onClicks); err != nil {
				return err
			}
			if k, err = key(kv); err != nil {
				return err
			}
		} else if err := rows.Scan(&cur, &rev, &spend, &onClicks); err != nil {
			return err
		}
		addMoney(at(k), cur, rev, spend, onClicks)
		return nil
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}

// MarketingTotals adds up the groups a filter selects.
func (s *Store) MarketingTotals(ctx context.Context, f MarketingFilter) (MarketingTotals, error) {
	var t MarketingTotals
	err := s.groupedTotals(ctx, "", f, nil, func(any) *MarketingTotals { return &t })
	return t, err
}

// DayTotals are one day's figures.
type DayTotals struct {
	Day Day
	MarketingTotals
}

// MarketingByDay adds up a filter's groups per day, in day order; days
// without rows are left out.
func (s *Store) MarketingByDay(ctx context.Context, f MarketingFilter) ([]DayTotals, error) {
	days, err := s.MarketingByDays(ctx, []DaysQuery{{f, AllFields}})
	if err != nil {
		return nil, err
	}
	return days[0], nil
}

// DaysQuery asks for a filter's groups per day, with the sums it needs.
type DaysQuery struct {
	MarketingFilter
	Fields Fields
}

// daysSQL reads the groups of the queries numbered idx per day: for one,
// by its filter (in the key's order, no sorting); for several, in one
// statement whose ?1 is a JSON array of [campaign, from, to, source,
// number] (source "" for every one): a campaign's days read by its key,
// AllCampaigns' by the day index. The first column is the query's number.
func daysSQL(qs []DaysQuery, idx []int, cols, table, group string) (string, []any, error) {
	if len(idx) == 1 {
		w, args := marketingWhere(qs[idx[0]].MarketingFilter)
		return "SELECT " + strconv.Itoa(idx[0]) + ", day, " + cols + " FROM " + table + " WHERE " + w + " GROUP BY day" + group,
			args, nil
	}
	spec := make([][5]any, len(idx))
	for k, i := range idx {
		f := qs[i].MarketingFilter
		spec[k] = [5]any{f.Campaign, int64(f.From), int64(f.To), NormalizeSource(f.Source), i}
	}
	j, err := json.Marshal(spec)
	if err != nil {
		return "", nil, err
	}
	part := func(campaign, where string) string {
		return "SELECT f.value->>4, m.day, " + cols + " FROM json_each(?1) f CROSS JOIN " + table + " m" + campaign +
			" m.day BETWEEN f.value->>1 AND f.value->>2 AND (f.value->>3 = '' OR m.source = f.value->>3)" +
			" WHERE " + where + " GROUP BY f.key, m.day" + group
	}
	return part(" ON m.campaign_id = f.value->>0 AND", "f.value->>0 >= 0") + " UNION ALL " +
		part(" INDEXED BY "+table+"_day ON", "f.value->>0 = -1"), []any{string(j)}, nil
}

// MarketingByDays adds up the groups of several filters per day at once
// (the goals of a list): a read of the counts for the queries that need
// any, one of the money for those that need it. Each query's days are in
// day order, days without rows left out.
func (s *Store) MarketingByDays(ctx context.Context, qs []DaysQuery) ([][]DayTotals, error) {
	out := make([][]DayTotals, len(qs))
	var counts, money []int
	var fields Fields
	for i, q := range qs {
		if q.Fields&^FieldMoney != 0 {
			counts = append(counts, i)
			fields |= q.Fields &^ FieldMoney
		}
		if q.Fields&FieldMoney != 0 {
			money = append(money, i)
		}
	}
	if len(counts) == 0 && len(money) == 0 {
		return out, nil
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// where[i][day] is the day's place in out[i].
	where := make([]map[Day]int, len(qs))
	at := func(i int, d Day) *MarketingTotals {
		if where[i] == nil {
			where[i] = map[Day]int{}
		}
		k, ok := where[i][d]
		if !ok {
			k = len(out[i])
			where[i][d] = k
			out[i] = append(out[i], DayTotals{Day: d})
		}
		return &out[i][k].MarketingTotals
	}
	if len(counts) > 0 {
		q, args, err := daysSQL(qs, counts, fields.columns(), "marketing_days", "")
		if err != nil {
			return nil, err
		}
		err = eachRow(ctx, tx, q, args, func(rows rowScanner) error {
			var i int
			var d Day
			var t MarketingTotals
			if err := rows.Scan(fields.scan([]any{&i, &d}, &t)...); err != nil {
				return err
			}
			*at(i, d) = t
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(money) > 0 {
		q, args, err := daysSQL(qs, money, moneyColumns, "marketing_day_money", ", currency")
		if err != nil {
			return nil, err
		}
		err = eachRow(ctx, tx, q, args, func(rows rowScanner) error {
			var i int
			var d Day
			var cur string
			var rev, spend, onClicks sql.NullInt64
			if err := rows.Scan(&i, &d, &cur, &rev, &spend, &onClicks); err != nil {
				return err
			}
			addMoney(at(i, d), cur, rev, spend, onClicks)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for i := range out {
		slices.SortFunc(out[i], func(a, b DayTotals) int { return cmp.Compare(a.Day, b.Day) })
	}
	return out, tx.Commit()
}

func sortDays(ds []Day) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j] < ds[j-1]; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// SourceTotals are one source's (network's) figures.
type SourceTotals struct {
	Source string
	MarketingTotals
}

// MarketingBySource adds up a filter's groups per source, in the order of
// their names.
func (s *Store) MarketingBySource(ctx context.Context, f MarketingFilter) ([]SourceTotals, error) {
	by := map[string]*MarketingTotals{}
	var order []string
	err := s.groupedTotals(ctx, "source", f, func(v any) (any, error) {
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
		return nil, fmt.Errorf("source %v", v)
	}, func(k any) *MarketingTotals {
		src := k.(string)
		if by[src] == nil {
			by[src] = &MarketingTotals{}
			order = append(order, src)
		}
		return by[src]
	})
	if err != nil {
		return nil, err
	}
	out := make([]SourceTotals, 0, len(order))
	for _, src := range sortedStrings(order) {
		out = append(out, SourceTotals{Source: src, MarketingTotals: *by[src]})
	}
	return out, nil
}

func sortedStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// CampaignsTotals adds up every campaign's groups over all their days: the
// Campaigns list's figures, by campaign id.
func (s *Store) CampaignsTotals(ctx context.Context) (map[int64]MarketingTotals, error) {
	out := map[int64]MarketingTotals{}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	err = eachRow(ctx, tx, campaignsTotalsSQL, nil, func(rows rowScanner) error {
		var id int64
		var t MarketingTotals
		if err := rows.Scan(scanTotals([]any{&id}, &t)...); err != nil {
			return err
		}
		out[id] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, tx, campaignsMoneySQL, nil, func(rows rowScanner) error {
		var id int64
		var cur string
		var rev, spend, onClicks sql.NullInt64
		if err := rows.Scan(&id, &cur, &rev, &spend, &onClicks); err != nil {
			return err
		}
		t := out[id]
		addMoney(&t, cur, rev, spend, onClicks)
		out[id] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CampaignsSourceClicks adds up every campaign's link clicks from some
// sources (the social networks, for clicks per follower), by campaign id.
func (s *Store) CampaignsSourceClicks(ctx context.Context, sources []string) (map[int64]Num, error) {
	j, err := json.Marshal(sources)
	if err != nil {
		return nil, err
	}
	out := map[int64]Num{}
	err = eachRow(ctx, s.db, campaignsSourceClicksSQL, []any{string(j)}, func(rows rowScanner) error {
		var id int64
		var n Num
		if err := rows.Scan(&id, (*nullNum)(&n)); err != nil {
			return err
		}
		out[id] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const (
	campaignsSourceClicksSQL = `SELECT campaign_id, sum(clicks) FROM marketing_days
		WHERE campaign_id > 0 AND source IN (SELECT value FROM json_each(?)) GROUP BY campaign_id`
)

var (
	campaignsTotalsSQL = "SELECT campaign_id, " + totalsColumns + " FROM marketing_days WHERE campaign_id > 0 GROUP BY campaign_id"
	campaignsMoneySQL  = "SELECT campaign_id, " + moneyColumns + " FROM marketing_day_money WHERE campaign_id > 0 GROUP BY campaign_id, currency"
)

// ContentTotals are a content's (a post's link, its variant, an ad) rows
// added up over all days, every class counted: what each source said about
// that content.
type ContentTotals struct {
	Source                string
	Content               string
	PostID                int64 // the post utm_content names; 0 for none
	Impressions           int64 // 0 where none were reported (organic posts): see Reported
	ClicksWithImpressions int64
	Clicks                int64
	Sessions              int64
	Conversions           int64 // thousandths
	Revenue               money.Sums
	Spend                 money.Sums
	// Reported says which counts a source reported: a count none did is
	// unknown (an ad's sessions), not 0, and reads as such.
	Reported Reported
	// Classes are the kinds of source its rows came from (by
	// MarketingClass, from 1): with CampaignCounting, whether the figures
	// count its numbers.
	Classes [ClassManual + 1]bool
}

// Reported says which of a content's counts some source reported.
type Reported struct {
	Impressions, Clicks, Sessions, Conversions bool
}

// ImpressionsNum, ClicksNum, SessionsNum and ConversionsNum are a
// content's counts, not known where no source reported them.
func (c ContentTotals) ImpressionsNum() Num { return Num{c.Impressions, c.Reported.Impressions} }
func (c ContentTotals) ClicksNum() Num      { return Num{c.Clicks, c.Reported.Clicks} }
func (c ContentTotals) SessionsNum() Num    { return Num{c.Sessions, c.Reported.Sessions} }
func (c ContentTotals) ConversionsNum() Num { return Num{c.Conversions, c.Reported.Conversions} }

const (
	contentColumns = `c.source, c.content, c.post_id, c.impressions, c.clicks_with_impressions, c.clicks, c.sessions,
		c.conversions, c.impressions_rows > 0, c.clicks_rows > 0, c.sessions_rows > 0, c.conversions_rows > 0,
		c.class_1_rows > 0, c.class_2_rows > 0, c.class_3_rows > 0, c.class_4_rows > 0,
		coalesce(m.currency, ''), coalesce(m.revenue, 0), coalesce(m.spend, 0)`
	contentMoneyJoin = ` LEFT JOIN marketing_content_money m
		ON m.campaign_id = c.campaign_id AND m.source = c.source AND m.content = c.content`
	// A campaign's contents that brought in the most clicks, a page at a
	// time (its money joined, a line per currency).
	campaignContentsSQL = `SELECT ` + contentColumns + ` FROM (SELECT * FROM marketing_contents
		WHERE campaign_id = ? ORDER BY clicks DESC, source, content LIMIT ? OFFSET ?) c` + contentMoneyJoin +
		` ORDER BY c.clicks DESC, c.source, c.content`
	campaignContentsCountSQL = `SELECT count(*) FROM marketing_contents INDEXED BY marketing_contents_top WHERE campaign_id = ?`
	// The contents that name a post.
	postContentsSQL = "SELECT " + contentColumns + " FROM marketing_contents c" + contentMoneyJoin +
		" WHERE c.post_id = ? ORDER BY c.source, c.content"
)

func scanContents(rows *sql.Rows) ([]ContentTotals, error) {
	defer rows.Close()
	var out []ContentTotals
	for rows.Next() {
		var c ContentTotals
		var cur string
		var rev, spend int64
		if err := rows.Scan(&c.Source, &c.Content, &c.PostID, &c.Impressions, &c.ClicksWithImpressions,
			&c.Clicks, &c.Sessions, &c.Conversions, &c.Reported.Impressions, &c.Reported.Clicks, &c.Reported.Sessions,
			&c.Reported.Conversions, &c.Classes[ClassAnalytics], &c.Classes[ClassAds], &c.Classes[ClassSheet],
			&c.Classes[ClassManual], &cur, &rev, &spend); err != nil {
			return nil, err
		}
		if cur != "" {
			if rev != 0 {
				c.Revenue = c.Revenue.Add(money.Amount{Currency: cur, Minor: rev})
			}
			if spend != 0 {
				c.Spend = c.Spend.Add(money.Amount{Currency: cur, Minor: spend})
			}
		}
		// The same content on the line before: another currency of its money.
		if n := len(out); n > 0 && out[n-1].Source == c.Source && out[n-1].Content == c.Content && out[n-1].PostID == c.PostID {
			out[n-1].Revenue = out[n-1].Revenue.AddAll(c.Revenue)
			out[n-1].Spend = out[n-1].Spend.AddAll(c.Spend)
			continue
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (c ContentTotals) add(d ContentTotals) ContentTotals {
	c.Impressions += d.Impressions
	c.ClicksWithImpressions += d.ClicksWithImpressions
	c.Clicks += d.Clicks
	c.Sessions += d.Sessions
	c.Conversions += d.Conversions
	c.Reported.Impressions = c.Reported.Impressions || d.Reported.Impressions
	c.Reported.Clicks = c.Reported.Clicks || d.Reported.Clicks
	c.Reported.Sessions = c.Reported.Sessions || d.Reported.Sessions
	c.Reported.Conversions = c.Reported.Conversions || d.Reported.Conversions
	for i, ok := range d.Classes {
		c.Classes[i] = c.Classes[i] || ok
	}
	c.Revenue = c.Revenue.AddAll(d.Revenue)
	c.Spend = c.Spend.AddAll(d.Spend)
	return c
}

// Counting is which kind of source a campaign's figures count a metric
// from, on how many of a network's days (MarketingPrecedence picks one
// per campaign, day and network; typed-in entries always add).
type Counting map[MarketingClass]int

// CountingMetrics names the metrics of a CampaignCounting, in the order
// of marketing_days' *_from columns.
var CountingMetrics = [6]string{"impressions", "clicks", "sessions", "conversions", "revenue", "spend"}

// CampaignCounting says, per network (source) and metric
// (CountingMetrics), which kinds of source a campaign's figures count and
// on how many days: with ContentTotals.Classes, whether a link's numbers
// are in them.
func (s *Store) CampaignCounting(ctx context.Context, campaignID int64) (map[string][6]Counting, error) {
	out := map[string][6]Counting{}
	err := eachRow(ctx, s.db, campaignCountingSQL, []any{campaignID}, func(rows rowScanner) error {
		var src string
		var from [6]sql.NullInt64
		var days int
		if err := rows.Scan(&src, &from[0], &from[1], &from[2], &from[3], &from[4], &from[5], &days); err != nil {
			return err
		}
		c, ok := out[src]
		if !ok {
			for i := range c {
				c[i] = Counting{}
			}
		}
		for i, f := range from {
			if f.Valid {
				c[i][MarketingClass(f.Int64)] += days
			}
		}
		out[src] = c
		return nil
	})
	return out, err
}

const campaignCountingSQL = `SELECT source, impressions_from, clicks_from, sessions_from, conversions_from, revenue_from,
	spend_from, count(*) FROM marketing_days WHERE campaign_id = ?
	GROUP BY source, impressions_from, clicks_from, sessions_from, conversions_from, revenue_from, spend_from`

// CampaignContents lists a campaign's contents (its posts' links, their
// variants, its ads) with what the sources reported for each, those that
// brought the most link clicks first, limit at a time from offset.
func (s *Store) CampaignContents(ctx context.Context, campaignID int64, limit, offset int) ([]ContentTotals, error) {
	rows, err := s.db.QueryContext(ctx, campaignContentsSQL, campaignID, limit, offset)
	if err != nil {
		return nil, err
	}
	return scanContents(rows)
}

// CountCampaignContents is how many contents a campaign has.
func (s *Store) CountCampaignContents(ctx context.Context, campaignID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, campaignContentsCountSQL, campaignID).Scan(&n)
	return n, err
}

// PostContents lists what the sources reported for a post's links, per
// source and content.
func (s *Store) PostContents(ctx context.Context, postID int64) ([]ContentTotals, error) {
	rows, err := s.db.QueryContext(ctx, postContentsSQL, postID)
	if err != nil {
		return nil, err
	}
	return scanContents(rows)
}

// TraceRow is one stored row with where it came from and which of its
// metrics a figure counts (the others lost to a source that counts first,
// MarketingPrecedence).
type TraceRow struct {
	MarketingRow
	CampaignID int64
	Feed       string
	Class      MarketingClass
	BatchID    int64
	Origin     string
	ExportedAt time.Time
	Counted    Counted
}

// Counted says which of a row's metrics its group's figures count.
type Counted struct {
	Impressions, Clicks, Sessions, Conversions, Revenue, Spend bool
}

const traceColumns = `m.campaign_id, m.day, m.source, m.content, m.ext_campaign, m.currency, m.impressions, m.clicks,
	m.sessions, m.conversions, m.revenue, m.spend, m.line, m.feed, m.class, m.batch_id, coalesce(i.origin, ''),
	m.exported_at, d.impressions_from, d.clicks_from, d.sessions_from, d.conversions_from, d.revenue_from, d.spend_from`

// traceSQL lists the rows behind a filter's figures, a page at a time.
func traceSQL(f MarketingFilter) (string, []any) {
	w, args := traceFilterSQL(f)
	return `SELECT ` + traceColumns + ` FROM marketing_rows m
		LEFT JOIN marketing_days d ON d.campaign_id = m.campaign_id AND d.day = m.day AND d.source = m.source
		LEFT JOIN marketing_imports i ON i.id = m.batch_id
		WHERE ` + w + ` ORDER BY m.campaign_id, m.day, m.source, m.content, m.feed, m.ext_campaign LIMIT ? OFFSET ?`, args
}

// MarketingRows lists the stored rows a filter's figures add up, with
// what each counts for: the trace behind a figure. offset pages on.
func (s *Store) MarketingRows(ctx context.Context, f MarketingFilter, limit, offset int) ([]TraceRow, error) {
	q, args := traceSQL(f)
	return queryAll(ctx, s.db, scanTraceRow, q, append(args, limit, offset)...)
}

func scanTraceRow(row rowScanner) (TraceRow, error) {
	var r TraceRow
	var day, exported int64
	var impr, clicks, sess, conv, rev, spend sql.NullInt64
	var picks [6]sql.NullInt64
	if err := row.Scan(&r.CampaignID, &day, &r.Source, &r.Content, &r.Campaign, &r.Currency, &impr, &clicks, &sess,
		&conv, &rev, &spend, &r.Line, &r.Feed, &r.Class, &r.BatchID, &r.Origin, &exported,
		&picks[0], &picks[1], &picks[2], &picks[3], &picks[4], &picks[5]); err != nil {
		return r, err
	}
	r.Day, r.ExportedAt = Day(day), fromMS(exported)
	r.Impressions, r.Clicks, r.Sessions = numOf(impr), numOf(clicks), numOf(sess)
	r.Conversions, r.Revenue, r.Spend = numOf(conv), numOf(rev), numOf(spend)
	counts := func(n Num, pick sql.NullInt64) bool {
		return n.OK && (r.Class == ClassManual || pick.Valid && MarketingClass(pick.Int64) == r.Class)
	}
	r.Counted = Counted{
		Impressions: counts(r.Impressions, picks[0]), Clicks: counts(r.Clicks, picks[1]),
		Sessions: counts(r.Sessions, picks[2]), Conversions: counts(r.Conversions, picks[3]),
		Revenue: counts(r.Revenue, picks[4]), Spend: counts(r.Spend, picks[5]),
	}
	return r, nil
}

// ManualEntry is a figure typed in the app: spend on a flyer, a boosted
// post, sales at a market stall. It is always added to the figures.
type ManualEntry struct {
	Day         Day
	CampaignID  int64  // 0: none
	Source      string // where it happened: "flyer", "mastodon" (a boosted post), "market"
	Label       string // what it was ("Spring flyers, 500 copies"); entries are one per day, campaign, source and label
	Currency    string
	Clicks      Num
	Conversions Num // thousandths
	Revenue     Num
	Spend       Num
}

// AddManualEntry stores a typed-in entry; one with the same day, campaign,
// source and label replaces it.
func (s *Store) AddManualEntry(ctx context.Context, e ManualEntry, now time.Time) (ImportResult, error) {
	e.Label = strings.TrimSpace(e.Label)
	if e.Label == "" {
		return ImportResult{}, errors.New("manual entry: say what it was (a label such as \"spring flyers\")")
	}
	if NormalizeSource(e.Source) == "" {
		return ImportResult{}, errors.New("manual entry: say where it happened (a source such as flyer or mastodon)")
	}
	if (e.Revenue.OK || e.Spend.OK) && !money.ValidCode(e.Currency) {
		return ImportResult{}, fmt.Errorf("manual entry: %q is not a currency code such as EUR", e.Currency)
	}
	if !e.Clicks.OK && !e.Conversions.OK && !e.Revenue.OK && !e.Spend.OK {
		return ImportResult{}, errors.New("manual entry: give at least one figure (clicks, conversions, revenue or spend)")
	}
	name := ""
	if e.CampaignID != 0 {
		c, err := s.Campaign(ctx, e.CampaignID)
		if err != nil {
			return ImportResult{}, err
		}
		name = c.Slug
	}
	imp, err := s.BeginImport(ctx, ImportBatch{Feed: "manual", Class: ClassManual, Preset: "manual",
		Origin: "typed in: " + e.Label, ExportedAt: now}, now)
	if err != nil {
		return ImportResult{}, err
	}
	if err := imp.Add(MarketingRow{Day: e.Day, Campaign: name, Source: e.Source, Content: e.Label, Currency: e.Currency,
		Clicks: e.Clicks, Conversions: e.Conversions, Revenue: e.Revenue, Spend: e.Spend}); err != nil {
		imp.Rollback()
		return ImportResult{}, err
	}
	return imp.Commit()
}

// DeleteManualEntry removes a typed-in entry, found by its day, campaign,
// source and label.
func (s *Store) DeleteManualEntry(ctx context.Context, e ManualEntry) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM marketing_rows
			WHERE campaign_id = ? AND day = ? AND source = ? AND content = ? AND feed = 'manual'`,
			e.CampaignID, int64(e.Day), NormalizeSource(e.Source), strings.TrimSpace(e.Label))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("manual entry %s %s %q: %w", e.Day, e.Source, e.Label, ErrNotFound)
		}
		return recomputeGroups(ctx, tx, map[groupKey]struct{}{{e.CampaignID, e.Day, NormalizeSource(e.Source)}: {}})
	})
}

// manualEntriesSQL lists typed-in rows by day.
const manualEntriesSQL = `SELECT ` + traceColumns + ` FROM marketing_rows m
	LEFT JOIN marketing_days d ON d.campaign_id = m.campaign_id AND d.day = m.day AND d.source = m.source
	LEFT JOIN marketing_imports i ON i.id = m.batch_id
	WHERE m.class = 4 AND m.day BETWEEN ? AND ? ORDER BY m.day, m.campaign_id, m.source, m.content`

// ManualEntries lists the typed-in entries of a span of days.
func (s *Store) ManualEntries(ctx context.Context, from, to Day) ([]TraceRow, error) {
	return queryAll(ctx, s.db, scanTraceRow, manualEntriesSQL, int64(from), int64(to))
}

// ImportInfo is one stored import.
type ImportInfo struct {
	ID          int64
	Feed        string
	Class       MarketingClass
	Preset      string
	Origin      string
	SHA256      string
	ExportedAt  time.Time
	ImportedAt  time.Time
	First, Last Day
	Lines       int
	Written     int
	Kept        int
}

const importColumns = `id, feed, class, preset, origin, sha256, exported_at, imported_at, coalesce(first_day, 0),
	coalesce(last_day, 0), lines, rows_written, rows_kept`

const (
	// The imports, newest first (the typed-in entries are listed apart).
	marketingImportsSQL = "SELECT " + importColumns + " FROM marketing_imports WHERE feed <> 'manual' ORDER BY id DESC LIMIT ?"
	// A feed's imports of a file with these exact contents.
	importsOfFileSQL = "SELECT " + importColumns + " FROM marketing_imports WHERE feed = ? AND sha256 = ? ORDER BY imported_at DESC"
	// A feed's imports that cover a day of a span, newest export first.
	feedImportsOverSQL = "SELECT " + importColumns + ` FROM marketing_imports
		WHERE feed = ? AND first_day <= ? AND last_day >= ? ORDER BY exported_at DESC`
)

func scanImport(row rowScanner) (ImportInfo, error) {
	var i ImportInfo
	var exported, imported, first, last int64
	if err := row.Scan(&i.ID, &i.Feed, &i.Class, &i.Preset, &i.Origin, &i.SHA256, &exported, &imported, &first, &last,
		&i.Lines, &i.Written, &i.Kept); err != nil {
		return i, err
	}
	i.ExportedAt, i.ImportedAt, i.First, i.Last = fromMS(exported), fromMS(imported), Day(first), Day(last)
	return i, nil
}

// MarketingImports lists the latest imports, newest first.
func (s *Store) MarketingImports(ctx context.Context, limit int) ([]ImportInfo, error) {
	return queryAll(ctx, s.db, scanImport, marketingImportsSQL, limit)
}

// ImportsOfFile lists a feed's imports of a file with these exact contents
// (its SHA-256), newest first: a preview says it was imported before.
func (s *Store) ImportsOfFile(ctx context.Context, feed, sha256 string) ([]ImportInfo, error) {
	return queryAll(ctx, s.db, scanImport, importsOfFileSQL, feed, sha256)
}

// FeedImportsOver lists a feed's imports that cover any day from first to
// last, the newest export first: what an import of those days meets.
func (s *Store) FeedImportsOver(ctx context.Context, feed string, first, last Day) ([]ImportInfo, error) {
	return queryAll(ctx, s.db, scanImport, feedImportsOverSQL, feed, int64(last), int64(first))
}

// NameCount is an external campaign name and how many rows hold it.
type NameCount struct {
	Name  string
	Lines int
}

// FeedCampaignNamesOver lists the campaign names (as the source wrote
// them) of a feed's rows from first to last, with how many rows each has.
func (s *Store) FeedCampaignNamesOver(ctx context.Context, feed string, first, last Day) ([]NameCount, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (NameCount, error) {
		var n NameCount
		err := rows.Scan(&n.Name, &n.Lines)
		return n, err
	}, `SELECT ext_campaign, count(*) FROM marketing_rows WHERE feed = ? AND day BETWEEN ? AND ?
		GROUP BY ext_campaign ORDER BY ext_campaign`, feed, int64(first), int64(last))
}

// CampaignName is an external campaign name an import has seen.
type CampaignName struct {
	Name       string
	CampaignID int64 // the crier campaign it maps to (0: none)
	Mapped     bool  // the user mapped it (else it maps by slug or name, or not at all)
	SeenAt     time.Time
}

// CampaignNames lists every external campaign name imports have seen,
// with the campaign each maps to.
func (s *Store) CampaignNames(ctx context.Context) ([]CampaignName, error) {
	r, err := loadCampaignResolver(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s.db, func(rows rowScanner) (CampaignName, error) {
		var n CampaignName
		var seen int64
		if err := rows.Scan(&n.Name, &n.Mapped, &seen); err != nil {
			return n, err
		}
		n.SeenAt, n.CampaignID = fromMS(seen), r.resolve(n.Name)
		return n, nil
	}, "SELECT name, campaign_id IS NOT NULL, seen_at FROM marketing_campaign_names ORDER BY name")
}

// TaggedLink is a link crier tagged in one account's copy of a post.
type TaggedLink struct {
	PostID     int64
	AccountID  int64
	URL        string // as written
	Tagged     string // as sent
	CampaignID int64
	Source     string
	Content    string
	CreatedAt  time.Time
}

// RecordTaggedLinks keeps the links a post's copies carry (the scheduler
// calls it when it sends them, the composer may when it shows them); a
// link already recorded for that copy is updated.
func (s *Store) RecordTaggedLinks(ctx context.Context, links []TaggedLink, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, l := range links {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO tagged_links (post_id, account_id, url, tagged, campaign_id, source, content, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (post_id, account_id, url) DO UPDATE SET tagged = excluded.tagged,
					campaign_id = excluded.campaign_id, source = excluded.source, content = excluded.content`,
				l.PostID, l.AccountID, l.URL, l.Tagged, nullID(l.CampaignID), l.Source, l.Content, ms(now)); err != nil {
				return err
			}
		}
		return nil
	})
}

const (
	tagColumns       = `post_id, account_id, url, tagged, coalesce(campaign_id, 0), source, content, created_at`
	campaignLinksSQL = "SELECT " + tagColumns + " FROM tagged_links WHERE campaign_id = ? ORDER BY content, post_id, account_id, url LIMIT ?"
	// The tagged links of some of a campaign's contents (a JSON array).
	contentLinksSQL = "SELECT " + tagColumns + ` FROM tagged_links
		WHERE campaign_id = ? AND content IN (SELECT value FROM json_each(?)) ORDER BY content, post_id, account_id, url`
	postTaggedLinksSQL = "SELECT " + tagColumns + " FROM tagged_links WHERE post_id = ? ORDER BY account_id, url"
)

func scanLink(row rowScanner) (TaggedLink, error) {
	var l TaggedLink
	var created int64
	if err := row.Scan(&l.PostID, &l.AccountID, &l.URL, &l.Tagged, &l.CampaignID, &l.Source, &l.Content, &created); err != nil {
		return l, err
	}
	l.CreatedAt = fromMS(created)
	return l, nil
}

// CampaignLinks lists the links tagged in a campaign's posts, at most
// limit.
func (s *Store) CampaignLinks(ctx context.Context, campaignID int64, limit int) ([]TaggedLink, error) {
	return queryAll(ctx, s.db, scanLink, campaignLinksSQL, campaignID, limit)
}

// ContentLinks lists the links tagged in a campaign's posts with some
// utm_content values.
func (s *Store) ContentLinks(ctx context.Context, campaignID int64, contents []string) ([]TaggedLink, error) {
	j, err := json.Marshal(contents)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s.db, scanLink, contentLinksSQL, campaignID, string(j))
}

// PostTaggedLinks lists the links tagged in a post's copies.
func (s *Store) PostTaggedLinks(ctx context.Context, postID int64) ([]TaggedLink, error) {
	return queryAll(ctx, s.db, scanLink, postTaggedLinksSQL, postID)
}

// PostNumbers is one copy of a post (a delivery) with its engagement and
// what the sources reported for its links.
type PostNumbers struct {
	PostID     int64
	CampaignID int64
	AccountID  int64
	Platform   string
	Handle     string
	Text       string        // what went to this account
	State      DeliveryState // "" for a copy not queued yet (a draft)
	SentAt     time.Time
	At         time.Time // when it went out, is due, or (a draft) was last changed
	URL        string
	Metrics    Metrics
	// Links are the contents (utm_content) of this post on this account's
	// source, added up: link clicks, sessions, conversions and revenue
	// the post brought in there.
	Links ContentTotals
}

// The copies' queries. Each lists a copy's columns (copyColumns), then its
// post's contents on its network with their money (linkColumns, from
// linkJoins): a line per content and currency, NULLs for none, the lines
// of one copy one after the other. The network's name is the copy's
// account's, as NormalizeSource writes it (%[1]s: a CASE over the
// accounts, their parameters after the query's own). Accounts' platforms
// and handles are read apart (a handful of rows), not looked up on every
// line.
const (
	copyColumns = `p.id, coalesce(p.campaign_id, 0), %[2]s, coalesce(t.body_override, p.body),
	coalesce(d.state, ''), coalesce(d.sent_at, 0), coalesce(d.remote_url, ''),
	coalesce(d.likes, 0), coalesce(d.reposts, 0), coalesce(d.replies, 0), coalesce(d.quotes, 0),
	coalesce(d.sent_at, d.due_at, p.scheduled_at, p.updated_at)`
	linkColumns = `c.campaign_id, c.content, c.impressions, c.clicks_with_impressions, c.clicks, c.sessions,
	c.conversions, m.currency, m.revenue, m.spend,
	c.impressions_rows > 0, c.clicks_rows > 0, c.sessions_rows > 0, c.conversions_rows > 0`
	linkJoins = `
		LEFT JOIN marketing_contents c INDEXED BY marketing_contents_post ON c.post_id = p.id AND c.source = %[1]s
		LEFT JOIN marketing_content_money m ON m.campaign_id = c.campaign_id AND m.source = c.source AND m.content = c.content`

	// A page of a campaign's posts, newest first (by their time, or when a
	// draft without one was last changed), every copy (target account),
	// drafts and queued ones too.
	campaignPostsSQL = `SELECT ` + copyColumns + `, ` + linkColumns + ` FROM (SELECT id FROM posts INDEXED BY posts_campaign_time
			WHERE campaign_id = ?1 AND campaign_id IS NOT NULL AND reply_to_item IS NULL
			ORDER BY coalesce(scheduled_at, updated_at) DESC, id DESC LIMIT ?2 OFFSET ?3) page
		JOIN posts p ON p.id = page.id
		JOIN post_targets t ON t.post_id = p.id
		LEFT JOIN deliveries d ON d.post_id = p.id AND d.account_id = t.account_id` + linkJoins + `
		ORDER BY coalesce(p.scheduled_at, p.updated_at) DESC, p.id DESC, t.account_id`
	campaignPostCountSQL = `SELECT count(*) FROM posts INDEXED BY posts_campaign_time
		WHERE campaign_id = ? AND campaign_id IS NOT NULL AND reply_to_item IS NULL`
	// A campaign's copies sent in a span of time: a campaign report's posts.
	campaignSentPostsSQL = `SELECT ` + copyColumns + `, ` + linkColumns + ` FROM posts p INDEXED BY posts_campaign_time
		JOIN deliveries d ON d.post_id = p.id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id` + linkJoins + `
		WHERE p.campaign_id = ?1 AND p.campaign_id IS NOT NULL AND p.reply_to_item IS NULL
		  AND coalesce(p.scheduled_at, p.updated_at) >= ?2 AND coalesce(p.scheduled_at, p.updated_at) < ?3
		  AND d.state = 'sent' AND d.reply = 0
		ORDER BY d.sent_at, d.id`
	// The copies sent in a span of time, replies to the inbox left out: a
	// report's posts.
	sentPostsSQL = `SELECT ` + copyColumns + `, ` + linkColumns + ` FROM deliveries d INDEXED BY deliveries_sent
		JOIN posts p ON p.id = d.post_id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id` + linkJoins + `
		WHERE d.state = 'sent' AND d.sent_at >= ?1 AND d.sent_at < ?2 AND d.reply = 0
		ORDER BY d.sent_at, d.id`
)

// CampaignPosts lists a page of a campaign's posts, newest first, one
// entry per copy (account), with their numbers: limit posts from offset.
func (s *Store) CampaignPosts(ctx context.Context, campaignID int64, limit, offset int) ([]PostNumbers, error) {
	return s.postNumbers(ctx, campaignPostsSQL, "t.account_id", campaignID, limit, offset)
}

// CountCampaignPosts is how many posts a campaign has.
func (s *Store) CountCampaignPosts(ctx context.Context, campaignID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, campaignPostCountSQL, campaignID).Scan(&n)
	return n, err
}

// CampaignSentPosts lists the copies of a campaign's posts sent in [from,
// to) (by the posts' times), oldest first, with their numbers.
func (s *Store) CampaignSentPosts(ctx context.Context, campaignID int64, from, to time.Time) ([]PostNumbers, error) {
	return s.postNumbers(ctx, campaignSentPostsSQL, "d.account_id", campaignID, ms(from), ms(to))
}

// SentPosts lists the copies sent in [from, to) (replies to the inbox left
// out), with their numbers: a report's posts.
func (s *Store) SentPosts(ctx context.Context, from, to time.Time) ([]PostNumbers, error) {
	return s.postNumbers(ctx, sentPostsSQL, "d.account_id", ms(from), ms(to))
}

// copyQuery is one of the copies' queries for these accounts, the copy's
// account in column account, and its arguments after args: the accounts'
// ids and their sources.
func copyQuery(q, account string, accounts []Account, args []any) (string, []any) {
	if len(accounts) == 0 {
		return fmt.Sprintf(q, "NULL", account), args
	}
	var src strings.Builder
	src.WriteString("CASE " + account)
	for _, a := range accounts {
		args = append(args, a.ID, NormalizeSource(a.Platform))
		fmt.Fprintf(&src, " WHEN ?%d THEN ?%d", len(args)-1, len(args))
	}
	src.WriteString(" END")
	return fmt.Sprintf(q, src.String(), account), args
}

// postNumbers reads the copies one of the copies' queries lists (a year's
// report: tens of thousands) in one read transaction.
func (s *Store) postNumbers(ctx context.Context, q, account string, args ...any) ([]PostNumbers, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	accounts, err := queryAll(ctx, tx, scanAccount, accountsSQL)
	if err != nil {
		return nil, err
	}
	type accountSource struct {
		Account
		source string // NormalizeSource of its platform
	}
	byID := make(map[int64]accountSource, len(accounts))
	for _, a := range accounts {
		byID[a.ID] = accountSource{a, NormalizeSource(a.Platform)}
	}
	q, args = copyQuery(q, account, accounts, args)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// Filled a block at a time and put together once at the end: growing
	// one slice of tens of thousands of copies would move them again and
	// again.
	var blocks [][]PostNumbers
	block := make([]PostNumbers, 0, 64)
	var p *PostNumbers // the copy of the line
	// The contents (campaign, content) of p's lines so far: the next line
	// of one is its money in another currency.
	type content struct {
		campaign int64
		name     string
	}
	var contents []content
	l := newLine(26)
	for rows.Next() {
		if err := rows.Scan(l.dest...); err != nil {
			return nil, err
		}
		post, account := l.int(0), l.int(2)
		if p == nil || post != p.PostID || account != p.AccountID {
			a, ok := byID[account]
			if !ok {
				p = nil
				continue // an account gone (its copies go with it)
			}
			if len(block) == cap(block) {
				blocks = append(blocks, block)
				block = make([]PostNumbers, 0, min(2*cap(block), 8192))
			}
			block = append(block, PostNumbers{PostID: post, CampaignID: l.int(1), AccountID: account,
				Platform: a.Platform, Handle: a.Handle, Text: l.str(3), State: DeliveryState(l.str(4)), URL: l.str(6),
				At: fromMS(l.int(11)), Metrics: Metrics{Likes: int(l.int(7)), Reposts: int(l.int(8)),
					Replies: int(l.int(9)), Quotes: int(l.int(10))}})
			p = &block[len(block)-1]
			if sent := l.int(5); sent != 0 {
				p.SentAt = fromMS(sent)
			}
			contents = contents[:0]
		}
		if l.err != nil {
			return nil, fmt.Errorf("store: post %d's copy to account %d: %w", post, account, l.err)
		}
		if l.v[12] == nil {
			continue // no content names the post on this network
		}
		c := ContentTotals{Impressions: l.int(14), ClicksWithImpressions: l.int(15), Clicks: l.int(16),
			Sessions: l.int(17), Conversions: l.int(18),
			Reported: Reported{l.int(22) != 0, l.int(23) != 0, l.int(24) != 0, l.int(25) != 0}}
		if cur := l.str(19); cur != "" {
			if rev := l.int(20); rev != 0 {
				c.Revenue = c.Revenue.Add(money.Amount{Currency: cur, Minor: rev})
			}
			if spend := l.int(21); spend != 0 {
				c.Spend = c.Spend.Add(money.Amount{Currency: cur, Minor: spend})
			}
		}
		this := content{l.int(12), l.str(13)}
		if l.err != nil {
			return nil, fmt.Errorf("store: post %d's copy to account %d: %w", post, account, l.err)
		}
		seen := slices.Contains(contents, this)
		switch {
		case seen:
			// Its money in another currency.
			p.Links.Revenue = p.Links.Revenue.AddAll(c.Revenue)
			p.Links.Spend = p.Links.Spend.AddAll(c.Spend)
		case len(contents) == 0:
			c.Source, c.Content, c.PostID = byID[p.AccountID].source, this.name, p.PostID
			p.Links = c
		default:
			p.Links = p.Links.add(c)
			p.Links.Content = PostContent(p.PostID, 0, false)
		}
		if !seen {
			contents = append(contents, this)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	n := len(block)
	for _, b := range blocks {
		n += len(b)
	}
	var out []PostNumbers
	if n > 0 {
		out = make([]PostNumbers, 0, n)
		for _, b := range append(blocks, block) {
			out = append(out, b...)
		}
	}
	return out, tx.Commit()
}

// line is a query's line as the driver gives its values (int64, float64,
// string, []byte or nil), read as database/sql would convert them into
// integers and strings (NULL as 0 and ""), without its reflection and the
// round trip through text it takes for every int. A value that is no such
// number is the line's error.
type line struct {
	v    []any
	dest []any // pointers to v, for Scan
	err  error
}

func newLine(columns int) *line {
	l := &line{v: make([]any, columns), dest: make([]any, columns)}
	for i := range l.v {
		l.dest[i] = &l.v[i]
	}
	return l
}

func (l *line) int(i int) int64 {
	switch x := l.v[i].(type) {
	case int64:
		return x
	case nil:
		return 0
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x)
		}
	case string, []byte:
		if n, err := strconv.ParseInt(asText(x), 10, 64); err == nil {
			return n
		}
	}
	if l.err == nil {
		l.err = fmt.Errorf("column %d holds %T %v, not an integer", i+1, l.v[i], l.v[i])
	}
	return 0
}

func (l *line) str(i int) string {
	switch x := l.v[i].(type) {
	case string:
		return x
	case nil:
		return ""
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	if l.err == nil {
		l.err = fmt.Errorf("column %d holds %T, not text", i+1, l.v[i])
	}
	return ""
}

func asText(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v.(string)
}

// FollowersAt is the number of followers of the accounts on a platform
// ("" for all) at each instant: each account's latest count at or before
// it, added up. An instant before any count reads 0 and not OK.
func (s *Store) FollowersAt(ctx context.Context, platform string, at []time.Time) ([]Num, error) {
	byAccount, err := s.FollowersByAccountAt(ctx, false, at)
	if err != nil {
		return nil, err
	}
	var onPlatform map[int64]bool
	if platform != "" {
		accounts, err := s.Accounts(ctx)
		if err != nil {
			return nil, err
		}
		onPlatform = map[int64]bool{}
		for _, a := range accounts {
			onPlatform[a.ID] = a.Platform == platform
		}
	}
	out := make([]Num, len(at))
	for id, counts := range byAccount {
		if onPlatform != nil && !onPlatform[id] {
			continue
		}
		for k, v := range counts {
			if v >= 0 {
				out[k] = out[k].Add(Known(int64(v)))
			}
		}
	}
	return out, nil
}

// DayPublished is what was published on a day: posts (copies) and the
// engagement they have had since.
type DayPublished struct {
	Day        Day
	Posts      int
	Engagement int
}

// PublishedByDay counts the copies published on each day from first to
// last in loc (replies to the inbox left out), of one campaign's posts or
// (campaignID 0) of all.
func (s *Store) PublishedByDay(ctx context.Context, campaignID int64, first, last Day, loc *time.Location) ([]DayPublished, error) {
	if loc == nil {
		loc = time.UTC
	}
	n := int(last-first) + 1
	if n <= 0 {
		return nil, nil
	}
	out := make([]DayPublished, n)
	for i := range out {
		out[i].Day = first.Add(i)
	}
	from, to := first.Midnight(loc), last.Add(1).Midnight(loc)
	query, args := publishedSQL, []any{ms(from), ms(to)}
	if campaignID != 0 {
		query, args = campaignPublishedSQL, append([]any{campaignID}, args...)
	}
	err := eachRow(ctx, s.db, query, args, func(rows rowScanner) error {
		var sent int64
		var eng int
		if err := rows.Scan(&sent, &eng); err != nil {
			return err
		}
		i := int(DayOf(fromMS(sent).In(loc)) - first)
		if i >= 0 && i < n {
			out[i].Posts++
			out[i].Engagement += eng
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const (
	// Published copies and their engagement, every account, by time.
	publishedSQL = `SELECT d.sent_at, d.engagement FROM accounts a
		CROSS JOIN deliveries d INDEXED BY deliveries_account_published
		ON d.account_id = a.id AND d.state = 'sent' AND d.reply = 0 AND d.sent_at >= ? AND d.sent_at < ?`
	// A campaign's published copies.
	campaignPublishedSQL = `SELECT d.sent_at, d.engagement FROM posts p
		JOIN deliveries d ON d.post_id = p.id
		WHERE p.campaign_id = ? AND d.state = 'sent' AND d.reply = 0 AND d.sent_at >= ? AND d.sent_at < ?`
)

// DayReplies is how many inbox items that arrived on a day (listening's
// left out) were answered, and how many within a time.
type DayReplies struct {
	Day      Day
	Items    int
	Answered int
	InTime   int
}

// RepliesByDay counts, for each day from first to last in loc, the inbox
// items that arrived (listening's left out), those answered, and those
// answered within the given time.
func (s *Store) RepliesByDay(ctx context.Context, within time.Duration, first, last Day, loc *time.Location) ([]DayReplies, error) {
	if loc == nil {
		loc = time.UTC
	}
	n := int(last-first) + 1
	if n <= 0 {
		return nil, nil
	}
	out := make([]DayReplies, n)
	for i := range out {
		out[i].Day = first.Add(i)
	}
	// Each day's span in loc, added up by the database: one pass over the
	// inbox's time index, a row per day out.
	spans := make([][2]int64, n)
	for i := range spans {
		spans[i] = [2]int64{ms(first.Add(i).Midnight(loc)), ms(first.Add(i + 1).Midnight(loc))}
	}
	j, err := json.Marshal(spans)
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, s.db, repliesByDaySQL, []any{string(j), within.Milliseconds()}, func(rows rowScanner) error {
		var i int
		var d DayReplies
		if err := rows.Scan(&i, &d.Items, &d.Answered, &d.InTime); err != nil {
			return err
		}
		d.Day = out[i].Day
		out[i] = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// repliesByDaySQL counts, per span of time (?1, a JSON array of [from,
// to) in milliseconds), the items said to the business, those answered,
// and those answered within ?2 milliseconds.
const repliesByDaySQL = `SELECT b.key, count(*), count(i.replied_at), coalesce(sum(i.replied_at - i.received_at <= ?2), 0)
	FROM json_each(?1) b CROSS JOIN inbox_items i INDEXED BY inbox_replied_in_time
	ON i.heard = 0 AND i.received_at >= b.value->>0 AND i.received_at < b.value->>1
	GROUP BY b.key`

// ResolveCampaignNames says which crier campaign each external campaign
// name maps to now (0: none), as an import would map it.
func (s *Store) ResolveCampaignNames(ctx context.Context, names []string) (map[string]int64, error) {
	r, err := loadCampaignResolver(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(names))
	for _, n := range names {
		out[n] = r.resolve(n)
	}
	return out, nil
}

// MarketingLayout is a column mapping remembered for a file layout (its
// normalised header).
type MarketingLayout struct {
	Header    string
	Name      string
	Mapping   string // JSON, the importer's
	UpdatedAt time.Time
}

const layoutSQL = "SELECT header, name, mapping, updated_at FROM marketing_layouts WHERE header = ?"

// Layout loads the mapping remembered for a header.
func (s *Store) Layout(ctx context.Context, header string) (MarketingLayout, bool, error) {
	var l MarketingLayout
	var updated int64
	err := s.db.QueryRowContext(ctx, layoutSQL, header).Scan(&l.Header, &l.Name, &l.Mapping, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	l.UpdatedAt = fromMS(updated)
	return l, err == nil, err
}

// SaveLayout remembers a mapping for a header.
func (s *Store) SaveLayout(ctx context.Context, l MarketingLayout, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO marketing_layouts (header, name, mapping, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (header) DO UPDATE SET name = excluded.name, mapping = excluded.mapping, updated_at = excluded.updated_at`,
		l.Header, l.Name, l.Mapping, ms(now))
	return err
}

// Layouts lists the remembered mappings by name.
func (s *Store) Layouts(ctx context.Context) ([]MarketingLayout, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (MarketingLayout, error) {
		var l MarketingLayout
		var updated int64
		if err := rows.Scan(&l.Header, &l.Name, &l.Mapping, &updated); err != nil {
			return l, err
		}
		l.UpdatedAt = fromMS(updated)
		return l, nil
	}, "SELECT header, name, mapping, updated_at FROM marketing_layouts ORDER BY name, header")
}
