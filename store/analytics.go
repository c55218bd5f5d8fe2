package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// MetricsSnapshot is one reading of a post's counters.
type MetricsSnapshot struct {
	At time.Time
	Metrics
}

// PostRate is one published copy with its engagement rate: its counters
// over its account's followers when it went out.
type PostRate struct {
	DeliveryID int64
	PostID     int64
	AccountID  int64
	Text       string
	SentAt     time.Time
	Metrics    Metrics
	Followers  int // -1 when no count was known by then
}

// Rate is engagement per follower (0 when the followers are unknown).
func (p PostRate) Rate() float64 {
	return Ratio(p.Metrics.Engagement(), p.Followers)
}

// number is what a count or a sum of the figures is held in.
type number interface {
	~int | ~int64 | ~float64
}

// Ratio is num over den, 0 unless den is above 0: a rate or a mean of
// counts, where nothing counted yet (or a count that is unknown, -1) means
// no rate rather than a division by zero.
func Ratio[N, D number](num N, den D) float64 {
	if den <= 0 {
		return 0
	}
	return float64(num) / float64(den)
}

const (
	// A copy's counters over time, oldest first (its primary key).
	metricsHistorySQL = `SELECT taken_at, likes, reposts, replies, quotes FROM delivery_metrics
		WHERE delivery_id = ? ORDER BY taken_at`

	// Published copies of a window, newest first, each with its account's
	// follower count when it went out; all accounts read deliveries_sent,
	// one account deliveries_account_published.
	postRatesSQL = postRatesColumns + `
		FROM deliveries d INDEXED BY deliveries_sent` + postRatesJoins + `
		WHERE d.state = 'sent' AND d.sent_at >= ? AND d.sent_at < ? AND d.reply = 0
		ORDER BY d.sent_at DESC LIMIT ?`
	accountPostRatesSQL = postRatesColumns + `
		FROM deliveries d INDEXED BY deliveries_account_published` + postRatesJoins + `
		WHERE d.account_id = ? AND d.state = 'sent' AND d.reply = 0 AND d.sent_at >= ? AND d.sent_at < ?
		ORDER BY d.sent_at DESC LIMIT ?`
	// What both read of a copy: its post's text as that account sent it,
	// its counters and its account's followers when it went out.
	postRatesColumns = `SELECT d.id, d.post_id, d.account_id, coalesce(t.body_override, p.body), d.sent_at,
		       d.likes, d.reposts, d.replies, d.quotes,
		       coalesce((SELECT f.followers FROM follower_snapshots f
		                 WHERE f.account_id = d.account_id AND f.taken_at <= d.sent_at
		                 ORDER BY f.taken_at DESC LIMIT 1), -1)`
	postRatesJoins = `
		JOIN posts p ON p.id = d.post_id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id`

	// Inbox items received per account in each [from, to) of a JSON array
	// (what listening found left out), from inbox_account alone.
	inboxInWindowsSQL = `
		SELECT a.id, r.key,
		       (SELECT count(*) FROM inbox_items i INDEXED BY inbox_account
		        WHERE i.account_id = a.id AND i.heard = 0 AND i.received_at >= r.value ->> 0 AND i.received_at < r.value ->> 1)
		FROM accounts a CROSS JOIN json_each(?) r`
)

// analyticsQueries are the statements above, for the query plan test.
var analyticsQueries = map[string]string{
	"metrics history":    metricsHistorySQL,
	"post rates":         postRatesSQL,
	"account post rates": accountPostRatesSQL,
	"inbox in windows":   inboxInWindowsSQL,
}

// MetricsHistory lists the readings of a copy's counters, oldest first:
// a sent post's numbers over time.
func (s *Store) MetricsHistory(ctx context.Context, deliveryID int64) ([]MetricsSnapshot, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (MetricsSnapshot, error) {
		var m MetricsSnapshot
		var at int64
		if err := rows.Scan(&at, &m.Likes, &m.Reposts, &m.Replies, &m.Quotes); err != nil {
			return m, err
		}
		m.At = fromMS(at)
		return m, nil
	}, metricsHistorySQL, deliveryID)
}

// PostRates lists the copies published in [from, to), newest first, at
// most limit, with their engagement rates: of one account, or all
// (accountID 0). Page on by passing the last SentAt as the next `to`.
func (s *Store) PostRates(ctx context.Context, accountID int64, from, to time.Time, limit int) ([]PostRate, error) {
	query, args := postRatesSQL, []any{ms(from), ms(to), limit}
	if accountID != 0 {
		query, args = accountPostRatesSQL, append([]any{accountID}, args...)
	}
	return queryAll(ctx, s.db, func(rows rowScanner) (PostRate, error) {
		var p PostRate
		var at int64
		if err := rows.Scan(&p.DeliveryID, &p.PostID, &p.AccountID, &p.Text, &at,
			&p.Metrics.Likes, &p.Metrics.Reposts, &p.Metrics.Replies, &p.Metrics.Quotes, &p.Followers); err != nil {
			return p, err
		}
		p.SentAt = fromMS(at)
		return p, nil
	}, query, args...)
}

// windowsJSON is windows as a JSON array of [from, to) pairs in
// milliseconds, the argument of the by-window queries.
func windowsJSON(windows [][2]time.Time) ([]byte, error) {
	arr := make([][2]int64, len(windows))
	for i, w := range windows {
		arr[i] = [2]int64{ms(w[0]), ms(w[1])}
	}
	return json.Marshal(arr)
}

// eachAt runs a query that reads a value per account (or competitor) at
// each of the instants or windows it is given as one JSON array: rows of
// (id, k, v), v the value at the k-th. It hands each row to fn.
func eachAt[V any](ctx context.Context, q queryer, query string, at []byte, fn func(id int64, k int, v V) error) error {
	return eachRow(ctx, q, query, []any{string(at)}, func(rows rowScanner) error {
		var id int64
		var k int
		var v V
		if err := rows.Scan(&id, &k, &v); err != nil {
			return err
		}
		return fn(id, k, v)
	})
}

// eachWindowCounts runs a query of eachAt's kind whose value is a window's
// posts and their engagement, as the JSON pair [posts, engagement].
func eachWindowCounts(ctx context.Context, q queryer, query string, windows []byte, fn func(id int64, k int, posts int, engagement int64) error) error {
	return eachAt(ctx, q, query, windows, func(id int64, k int, counts string) error {
		var pe [2]int64
		if err := json.Unmarshal([]byte(counts), &pe); err != nil {
			return fmt.Errorf("range %d: %w", k, err)
		}
		return fn(id, k, int(pe[0]), pe[1])
	})
}

// InboxInWindows counts the inbox items each account received in each
// window (what listening found left out), by account id.
func (s *Store) InboxInWindows(ctx context.Context, windows [][2]time.Time) (map[int64][]int, error) {
	b, err := windowsJSON(windows)
	if err != nil {
		return nil, err
	}
	out := map[int64][]int{}
	err = eachAt(ctx, s.db, inboxInWindowsSQL, b, func(id int64, k int, n int) error {
		if out[id] == nil {
			out[id] = make([]int, len(windows))
		}
		if k < len(windows) {
			out[id][k] = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
