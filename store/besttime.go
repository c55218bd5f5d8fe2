package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// HourRange is a stretch of one account's time in which the local clock
// runs at one offset from UTC: the unit the hour-of-week queries read.
type HourRange struct {
	AccountID int64
	From, To  time.Time // [From, To)
	Offset    time.Duration
}

// HourOfWeek is what happened in one hour of the week, Monday 00:00 local
// being hour 0: the posts published in it, their engagement and their
// engagement per follower summed over posts (only posts whose account had
// a follower count by then: WithFollowers of them), or the inbox items that
// arrived in it.
type HourOfWeek struct {
	AccountID     int64 // the range's account (or competitor)
	Hour          int   // 0..167, Monday 00:00 first
	Posts         int
	Engagement    int64
	PerFollower   float64 // sum over posts of engagement / followers at the time
	WithFollowers int
	Items         int // inbox items (InboxByHourOfWeek)
}

const (
	// Published posts (replies to the inbox left out) of each range by
	// local hour of the week, read from deliveries_account_published
	// alone, each with the newest follower count of its account at the
	// range's start (or, before the first count, the first one).
	publishedByHourSQL = `
		WITH r AS MATERIALIZED (
			SELECT value ->> 0 AS account, value ->> 1 AS lo, value ->> 2 AS hi, value ->> 3 AS off,
			       coalesce((SELECT f.followers FROM follower_snapshots f
			                 WHERE f.account_id = value ->> 0 AND f.taken_at <= value ->> 1
			                 ORDER BY f.taken_at DESC LIMIT 1),
			                (SELECT f.followers FROM follower_snapshots f
			                 WHERE f.account_id = value ->> 0 AND f.taken_at > value ->> 1
			                 ORDER BY f.taken_at LIMIT 1)) AS followers
			FROM json_each(?))
		SELECT r.account, ((d.sent_at + r.off) / 3600000 + 72) % 168 AS how, count(*), sum(d.engagement),
		       sum(d.engagement * 1.0 / r.followers), count(r.followers)
		FROM r CROSS JOIN deliveries d INDEXED BY deliveries_account_published
		WHERE d.account_id = r.account AND d.state = 'sent' AND d.reply = 0
		  AND d.sent_at >= r.lo AND d.sent_at < r.hi
		GROUP BY r.account, how`

	// Inbox items (what listening found left out) of each range by local
	// hour of the week, read from inbox_account alone.
	inboxByHourSQL = `
		WITH r AS MATERIALIZED (
			SELECT value ->> 0 AS account, value ->> 1 AS lo, value ->> 2 AS hi, value ->> 3 AS off FROM json_each(?))
		SELECT r.account, ((i.received_at + r.off) / 3600000 + 72) % 168 AS how, count(*)
		FROM r CROSS JOIN inbox_items i INDEXED BY inbox_account
		WHERE i.account_id = r.account AND i.heard = 0 AND i.received_at >= r.lo AND i.received_at < r.hi
		GROUP BY r.account, how`
)

// When an account posts: its published posts by local hour of the week,
// without the follower counts of publishedByHourSQL.
const postingHoursSQL = `
		WITH r AS MATERIALIZED (
			SELECT value ->> 0 AS account, value ->> 1 AS lo, value ->> 2 AS hi, value ->> 3 AS off FROM json_each(?))
		SELECT r.account, ((d.sent_at + r.off) / 3600000 + 72) % 168 AS how, count(*), sum(d.engagement)
		FROM r CROSS JOIN deliveries d INDEXED BY deliveries_account_published
		WHERE d.account_id = r.account AND d.state = 'sent' AND d.reply = 0 AND d.sent_at >= r.lo AND d.sent_at < r.hi
		GROUP BY r.account, how`

// bestTimeQueries are the statements above, for the query plan test.
var bestTimeQueries = map[string]string{
	"published by hour": publishedByHourSQL,
	"inbox by hour":     inboxByHourSQL,
	"posting hours":     postingHoursSQL,
}

// PostingHours counts the published posts of the ranges by account and
// local hour of the week, with their engagement (PerFollower and
// WithFollowers stay zero): when an account posts. The ranges need only
// split where the clocks change.
func (s *Store) PostingHours(ctx context.Context, rs []HourRange) ([]HourOfWeek, error) {
	return s.hoursOfWeek(ctx, postingHoursSQL, rs, scanPostsByHour)
}

// hoursOfWeek runs a by-hour-of-week query over the ranges (rangesJSON),
// each row read by scan.
func (s *Store) hoursOfWeek(ctx context.Context, query string, rs []HourRange, scan func(rowScanner, *HourOfWeek) error) ([]HourOfWeek, error) {
	arg, err := rangesJSON(rs)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s.db, func(rows rowScanner) (HourOfWeek, error) {
		var h HourOfWeek
		if err := scan(rows, &h); err != nil {
			return h, err
		}
		return h, nil
	}, query, arg)
}

// scanPostsByHour reads an account's posts and their engagement in an hour.
func scanPostsByHour(rows rowScanner, h *HourOfWeek) error {
	return rows.Scan(&h.AccountID, &h.Hour, &h.Posts, &h.Engagement)
}

func rangesJSON(rs []HourRange) (string, error) {
	arr := make([][4]int64, len(rs))
	for i, r := range rs {
		arr[i] = [4]int64{r.AccountID, ms(r.From), ms(r.To), r.Offset.Milliseconds()}
	}
	b, err := json.Marshal(arr)
	return string(b), err
}

// PublishedByHourOfWeek sums the published posts of the ranges by account
// and local hour of the week (only hours with posts are returned).
func (s *Store) PublishedByHourOfWeek(ctx context.Context, rs []HourRange) ([]HourOfWeek, error) {
	return s.hoursOfWeek(ctx, publishedByHourSQL, rs, func(rows rowScanner, h *HourOfWeek) error {
		var per sql.NullFloat64
		err := rows.Scan(&h.AccountID, &h.Hour, &h.Posts, &h.Engagement, &per, &h.WithFollowers)
		h.PerFollower = per.Float64
		return err
	})
}

// InboxByHourOfWeek counts the inbox items of the ranges by account and
// local hour of the week (only hours with items are returned).
func (s *Store) InboxByHourOfWeek(ctx context.Context, rs []HourRange) ([]HourOfWeek, error) {
	return s.hoursOfWeek(ctx, inboxByHourSQL, rs, func(rows rowScanner, h *HourOfWeek) error {
		return rows.Scan(&h.AccountID, &h.Hour, &h.Items)
	})
}
