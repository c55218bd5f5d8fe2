package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// KPIDays is how many local calendar days the report's daily series cover:
// today and the 29 days before it.
const KPIDays = 30

// KPITopPosts is how many posts the report ranks by engagement.
const KPITopPosts = 5

// KPIReport is the business's social media at a glance: per account and in
// total, over the last 30 days.
type KPIReport struct {
	Now time.Time // the instant the report describes, UTC
	// Since is the start of the 30-day window: now minus 30 calendar days in
	// the report's zone (so a DST change inside the window doesn't shift it).
	Since time.Time
	// Days are the local midnights starting each day of the series, oldest
	// first; the last one is today, which ends at Now.
	Days     []time.Time
	Total    KPIFigures
	Accounts []AccountKPIs
	Top      []TopPost // at most KPITopPosts, best first
}

// AccountKPIs are one account's figures.
type AccountKPIs struct {
	Account Account
	KPIFigures
}

// KPIFigures are the numbers shown for one account, or summed over all of
// them. The 7- and 30-day changes compare the latest follower count with the
// latest one at or before now minus 7 (30) calendar days.
type KPIFigures struct {
	Followers    int  // the latest count at or before Now (in a total, the sum of the accounts')
	HasFollowers bool // false until a first follower count was recorded
	Change7d     int
	Has7d        bool // a count from 7 days ago exists; a total sums the accounts that have one
	Change30d    int
	Has30d       bool

	Posts      int // deliveries sent in [Since, Now], replies to the inbox left out
	Engagement int // likes+reposts+replies+quotes on them, at their latest counts
	OpenInbox  int // inbox items in the open state, whenever they arrived, listening's left out

	// FollowersByDay is the follower count at the end of each of the
	// report's Days (at Now for today), the last known count carried
	// forward. Days before FollowersFrom had no count yet and hold 0; in a
	// total, they are the days before every account that has a count had
	// one (a sum without an account is not the total).
	FollowersByDay []int
	FollowersFrom  int
	// PostsByDay and EngagementByDay count the posts published on each of
	// the report's Days and the engagement those posts have had since.
	PostsByDay      []int
	EngagementByDay []int
}

// EngagementPerPost is the mean engagement of the window's posts (0 without
// posts).
func (f KPIFigures) EngagementPerPost() float64 {
	return Ratio(f.Engagement, f.Posts)
}

// TopPost is one of the best performing deliveries of the window.
type TopPost struct {
	DeliveryID int64
	PostID     int64
	AccountID  int64
	Platform   string
	Handle     string
	Text       string // what went to this account (its override, or the post's body)
	SentAt     time.Time
	Metrics    Metrics
}

// Engagement is the post's likes + reposts + replies + quotes.
func (t TopPost) Engagement() int { return t.Metrics.Engagement() }

const (
	// Each account's follower count at each instant of a JSON array: the
	// newest snapshot at or before it (NULL when there is none).
	kpiFollowersAtSQL = `
		SELECT a.id, p.key,
		       (SELECT f.followers FROM follower_snapshots f
		        WHERE f.account_id = a.id AND f.taken_at <= p.value
		        ORDER BY f.taken_at DESC LIMIT 1)
		FROM accounts a CROSS JOIN json_each(?) p`

	// Sent deliveries and their engagement per account in each [from, to)
	// range of a JSON array of pairs, as a JSON array [posts, engagement]. A
	// scalar subquery per range aggregates straight off the index; a GROUP BY
	// over a join would sort every row first (several times slower). Our
	// replies to the inbox are posts too, but not what "published" means
	// here: deliveries_account_published holds the rest.
	kpiPublishedSQL = `
		SELECT a.id, r.key,
		       (SELECT json_array(count(*), coalesce(sum(d.engagement), 0))
		        FROM deliveries d INDEXED BY deliveries_account_published
		        WHERE d.account_id = a.id AND d.state = 'sent' AND d.reply = 0
		          AND d.sent_at >= r.value ->> 0 AND d.sent_at < r.value ->> 1)
		FROM accounts a CROSS JOIN json_each(?) r`

	// What listening found waits for nobody, and an item its author
	// deleted cannot be answered (see InboxKPIs; deleted_at is read from
	// the open items' rows).
	kpiOpenInboxSQL = `
		SELECT a.id, (SELECT count(*) FROM inbox_items i INDEXED BY inbox_account_state
		              WHERE i.account_id = a.id AND i.state = 'open' AND i.heard = 0 AND i.deleted_at IS NULL)
		FROM accounts a`

	// The ranking runs on each account's part of
	// deliveries_account_published, which holds engagement, so only the
	// winners' rows are read. CROSS JOIN keeps accounts as the outer loop:
	// SQLite would otherwise pick deliveries_sent and read every row of the
	// window. Replies are left out, as in kpiPublishedSQL.
	kpiTopSQL = `
		SELECT d.id, d.post_id, d.account_id, a.platform, a.handle, d.sent_at,
		       d.likes, d.reposts, d.replies, d.quotes, coalesce(t.body_override, p.body)
		FROM (SELECT s.id FROM accounts sa
		      CROSS JOIN deliveries s INDEXED BY deliveries_account_published
		            ON s.account_id = sa.id AND s.state = 'sent' AND s.reply = 0 AND s.sent_at >= ? AND s.sent_at < ?
		      ORDER BY s.engagement DESC, s.sent_at DESC, s.id DESC LIMIT ?) best
		JOIN deliveries d ON d.id = best.id
		JOIN posts p ON p.id = d.post_id
		JOIN accounts a ON a.id = d.account_id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id
		ORDER BY d.engagement DESC, d.sent_at DESC, d.id DESC`

	kpiAccountsSQL = accountsSQL
)

// kpiQueries are the statements KPIs runs, for the query plan test.
var kpiQueries = map[string]string{
	"followers at":  kpiFollowersAtSQL,
	"published":     kpiPublishedSQL,
	"open inbox":    kpiOpenInboxSQL,
	"top posts":     kpiTopSQL,
	"accounts list": kpiAccountsSQL,
}

// KPIs computes the report at now, with days as calendar days in loc. All
// figures come from one read snapshot, so the total is the sum of the
// accounts.
func (s *Store) KPIs(ctx context.Context, now time.Time, loc *time.Location) (KPIReport, error) {
	if loc == nil {
		loc = time.UTC
	}
	local := now.In(loc)
	r := KPIReport{
		Now:   now.UTC(),
		Since: local.AddDate(0, 0, -30).UTC(),
		Days:  make([]time.Time, KPIDays),
	}
	y, m, d := local.Date()
	for i := range r.Days {
		r.Days[i] = DayStart(y, m, d-(KPIDays-1)+i, loc)
	}
	// dayEnd(i) is the exclusive end of day i in ms; today ends just after now.
	end := ms(now) + 1
	dayEnd := func(i int) int64 {
		if i == KPIDays-1 {
			return end
		}
		return ms(r.Days[i+1])
	}

	// Follower instants: now, a week ago, a month ago, then each day's last millisecond.
	const atNow, at7, at30, atDays = 0, 1, 2, 3
	instants := []int64{ms(now), ms(local.AddDate(0, 0, -7)), ms(local.AddDate(0, 0, -30))}
	for i := range r.Days {
		instants = append(instants, dayEnd(i)-1)
	}
	// Publishing ranges: the part of the window before the first day, then each day.
	ranges := [][2]int64{{ms(r.Since), ms(r.Days[0])}}
	for i := range r.Days {
		ranges = append(ranges, [2]int64{ms(r.Days[i]), dayEnd(i)})
	}
	instantsJSON, err := json.Marshal(instants)
	if err != nil {
		return r, err
	}
	rangesJSON, err := json.Marshal(ranges)
	if err != nil {
		return r, err
	}

	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return r, err
	}
	defer tx.Rollback()

	byID := map[int64]*AccountKPIs{}
	if err := eachRow(ctx, tx, kpiAccountsSQL, nil, func(rows rowScanner) error {
		a, err := scanAccount(rows)
		if err != nil {
			return err
		}
		r.Accounts = append(r.Accounts, AccountKPIs{Account: a, KPIFigures: newKPIFigures()})
		return nil
	}); err != nil {
		return r, fmt.Errorf("accounts: %w", err)
	}
	for i := range r.Accounts {
		byID[r.Accounts[i].Account.ID] = &r.Accounts[i]
	}

	followersAt := map[int64][]sql.NullInt64{}
	for id := range byID {
		followersAt[id] = make([]sql.NullInt64, len(instants))
	}
	if err := eachAt(ctx, tx, kpiFollowersAtSQL, instantsJSON, func(id int64, k int, v sql.NullInt64) error {
		if vs, ok := followersAt[id]; ok && k < len(vs) {
			vs[k] = v
		}
		return nil
	}); err != nil {
		return r, fmt.Errorf("follower counts: %w", err)
	}

	if err := eachWindowCounts(ctx, tx, kpiPublishedSQL, rangesJSON, func(id int64, k int, posts int, eng int64) error {
		engagement := int(eng)
		a, ok := byID[id]
		if !ok {
			return nil
		}
		a.Posts += posts
		a.Engagement += engagement
		if day := k - 1; day >= 0 && day < KPIDays {
			a.PostsByDay[day] = posts
			a.EngagementByDay[day] = engagement
		}
		return nil
	}); err != nil {
		return r, fmt.Errorf("published posts: %w", err)
	}

	if err := eachRow(ctx, tx, kpiOpenInboxSQL, nil, func(rows rowScanner) error {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		if a, ok := byID[id]; ok {
			a.OpenInbox = n
		}
		return nil
	}); err != nil {
		return r, fmt.Errorf("open inbox items: %w", err)
	}

	if err := eachRow(ctx, tx, kpiTopSQL, []any{ms(r.Since), end, KPITopPosts}, func(rows rowScanner) error {
		var t TopPost
		var sent int64
		if err := rows.Scan(&t.DeliveryID, &t.PostID, &t.AccountID, &t.Platform, &t.Handle, &sent,
			&t.Metrics.Likes, &t.Metrics.Reposts, &t.Metrics.Replies, &t.Metrics.Quotes, &t.Text); err != nil {
			return err
		}
		t.SentAt = fromMS(sent)
		r.Top = append(r.Top, t)
		return nil
	}); err != nil {
		return r, fmt.Errorf("top posts: %w", err)
	}

	r.Total = newKPIFigures()
	r.Total.FollowersFrom = KPIDays
	for i := range r.Accounts {
		a := &r.Accounts[i]
		at := followersAt[a.Account.ID]
		if at[atNow].Valid {
			a.Followers, a.HasFollowers = int(at[atNow].Int64), true
			if at[at7].Valid {
				a.Change7d, a.Has7d = a.Followers-int(at[at7].Int64), true
			}
			if at[at30].Valid {
				a.Change30d, a.Has30d = a.Followers-int(at[at30].Int64), true
			}
		}
		a.FollowersFrom = KPIDays
		for day := KPIDays - 1; day >= 0 && at[atDays+day].Valid; day-- {
			a.FollowersByDay[day] = int(at[atDays+day].Int64)
			a.FollowersFrom = day
		}
		r.Total.add(a.KPIFigures)
	}
	// The total's series starts on the first day every counted account
	// has a count: before it, an account's whole audience would appear on
	// the day of its first count (an account added) as that day's growth.
	from := -1
	for _, a := range r.Accounts {
		if a.FollowersFrom < KPIDays {
			from = max(from, a.FollowersFrom)
		}
	}
	if from < 0 {
		from = KPIDays
	}
	r.Total.FollowersFrom = from
	for i := range from {
		r.Total.FollowersByDay[i] = 0
	}
	return r, tx.Commit()
}

func newKPIFigures() KPIFigures {
	return KPIFigures{
		FollowersByDay:  make([]int, KPIDays),
		PostsByDay:      make([]int, KPIDays),
		EngagementByDay: make([]int, KPIDays),
	}
}

// add sums an account's figures into a total. Changes add up over the
// accounts that have them, so an account that is younger than a week does
// not count its whole audience as a week's growth.
func (f *KPIFigures) add(a KPIFigures) {
	if a.HasFollowers {
		f.Followers += a.Followers
		f.HasFollowers = true
	}
	if a.Has7d {
		f.Change7d += a.Change7d
		f.Has7d = true
	}
	if a.Has30d {
		f.Change30d += a.Change30d
		f.Has30d = true
	}
	f.Posts += a.Posts
	f.Engagement += a.Engagement
	f.OpenInbox += a.OpenInbox
	for i := range KPIDays {
		f.FollowersByDay[i] += a.FollowersByDay[i]
		f.PostsByDay[i] += a.PostsByDay[i]
		f.EngagementByDay[i] += a.EngagementByDay[i]
	}
}
