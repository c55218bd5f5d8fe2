package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"
)

// Streams a sync reads incrementally, as named in sync_cursors.
const (
	StreamNotifications = "notifications"
	StreamMessages      = "messages"
)

// SyncCursor returns where the last pull of an account's stream left off
// ("" before the first).
func (s *Store) SyncCursor(ctx context.Context, accountID int64, stream string) (string, error) {
	var cursor string
	err := s.db.QueryRowContext(ctx,
		"SELECT cursor FROM sync_cursors WHERE account_id = ? AND stream = ?", accountID, stream).Scan(&cursor)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return cursor, err
}

// SetSyncCursor records where a pull left off. Store what the pull brought
// first: a crash in between then only reads the same items again, which
// AddInboxItems skips.
func (s *Store) SetSyncCursor(ctx context.Context, accountID int64, stream, cursor string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO sync_cursors (account_id, stream, cursor, synced_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id, stream) DO UPDATE SET cursor = excluded.cursor, synced_at = excluded.synced_at`,
		accountID, stream, cursor, ms(at))
	return err
}

// How often a sent post's counters are read, by its age: a post gathers
// most of its likes in its first day, so young posts are read on every sync
// and old ones rarely, and none after MetricsMaxAge.
const (
	MetricsMaxAge = 90 * 24 * time.Hour
	metricsDay    = 24 * time.Hour
)

// metricsEvery is the gap between two readings of a post of each age; the
// CASE in metricsDueQuery says the same.
var metricsEvery = []struct{ youngerThan, every time.Duration }{
	{metricsDay, 0}, // every sync
	{7 * metricsDay, time.Hour},
	{30 * metricsDay, 6 * time.Hour},
	{MetricsMaxAge, metricsDay},
}

// metricsDueQuery reads an account's sent deliveries in the index
// deliveries_account_sent, newest first, keeping those whose last reading
// is older than their age asks for.
const metricsDueQuery = `
	SELECT d.id, d.remote_id, d.remote_cid, d.sent_at
	FROM deliveries d INDEXED BY deliveries_account_sent
	WHERE d.account_id = ? AND d.state = 'sent' AND d.sent_at > ? AND d.remote_id <> ''
	  AND (d.metrics_at IS NULL OR d.metrics_at <= ? - CASE
	        WHEN d.sent_at > ? THEN ?
	        WHEN d.sent_at > ? THEN ?
	        WHEN d.sent_at > ? THEN ?
	        ELSE ? END)
	ORDER BY d.sent_at DESC LIMIT ?`

// MetricsTarget is a sent delivery whose counters are due to be read.
type MetricsTarget struct {
	DeliveryID int64
	Remote     RemoteRef
	SentAt     time.Time
}

// DeliveriesForMetrics lists up to limit of an account's deliveries sent in
// the last MetricsMaxAge whose counters are due to be read at now, the
// youngest first: every sync while a post is less than a day old, hourly
// in its first week, every six hours in its first month, then daily.
func (s *Store) DeliveriesForMetrics(ctx context.Context, accountID int64, now time.Time, limit int) ([]MetricsTarget, error) {
	args := []any{accountID, ms(now.Add(-MetricsMaxAge)), ms(now)}
	for _, m := range metricsEvery[:3] {
		args = append(args, ms(now.Add(-m.youngerThan)), m.every.Milliseconds())
	}
	args = append(args, metricsEvery[3].every.Milliseconds(), limit)
	return queryAll(ctx, s.db, func(rows rowScanner) (MetricsTarget, error) {
		var t MetricsTarget
		var sent int64
		if err := rows.Scan(&t.DeliveryID, &t.Remote.ID, &t.Remote.CID, &sent); err != nil {
			return t, err
		}
		t.SentAt = fromMS(sent)
		return t, nil
	}, metricsDueQuery, args...)
}

// RecordMetrics stores one reading of the counters of deliveries (by id)
// taken at `at`: a row of history each, and the latest counts on the
// delivery row, all in one transaction. A reading older than the one a
// delivery already shows is kept as history only.
func (s *Store) RecordMetrics(ctx context.Context, at time.Time, byDelivery map[int64]Metrics) error {
	if len(byDelivery) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(byDelivery))
	for id := range byDelivery {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		history, err := tx.PrepareContext(ctx, `
			INSERT INTO delivery_metrics (delivery_id, taken_at, likes, reposts, replies, quotes)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (delivery_id, taken_at) DO UPDATE SET
				likes = excluded.likes, reposts = excluded.reposts, replies = excluded.replies, quotes = excluded.quotes`)
		if err != nil {
			return err
		}
		defer history.Close()
		latest, err := tx.PrepareContext(ctx, `
			UPDATE deliveries SET likes = ?, reposts = ?, replies = ?, quotes = ?, metrics_at = ?
			WHERE id = ? AND (metrics_at IS NULL OR metrics_at <= ?)`)
		if err != nil {
			return err
		}
		defer latest.Close()
		for _, id := range ids {
			m := byDelivery[id]
			if _, err := history.ExecContext(ctx, id, ms(at), m.Likes, m.Reposts, m.Replies, m.Quotes); err != nil {
				return err
			}
			if _, err := latest.ExecContext(ctx, m.Likes, m.Reposts, m.Replies, m.Quotes, ms(at), id, ms(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecordFollowers stores an account's follower count at `at`.
func (s *Store) RecordFollowers(ctx context.Context, accountID int64, at time.Time, followers int) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO follower_snapshots (account_id, taken_at, followers) VALUES (?, ?, ?)
		ON CONFLICT (account_id, taken_at) DO UPDATE SET followers = excluded.followers`,
		accountID, ms(at), followers)
	return err
}

const lastFollowersQuery = "SELECT max(taken_at) FROM follower_snapshots WHERE account_id = ?"

// LastFollowersAt is when an account's follower count was last recorded
// (zero when never).
func (s *Store) LastFollowersAt(ctx context.Context, accountID int64) (time.Time, error) {
	var at sql.NullInt64
	if err := s.db.QueryRowContext(ctx, lastFollowersQuery, accountID).Scan(&at); err != nil {
		return time.Time{}, err
	}
	return fromNullMS(at), nil
}

// RecordFollowersNow stores an account's follower count read at `at`, the
// figure the KPIs show, while keeping the history at a coarser grain: the
// newest snapshot moves forward to each new reading until it is grain
// newer than the one before it, and only then does a reading start a new
// snapshot. So the latest count is always the last one read, and the
// history holds about one count per grain.
func (s *Store) RecordFollowersNow(ctx context.Context, accountID int64, at time.Time, followers int, grain time.Duration) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var last, before sql.NullInt64
		taken, err := queryInts(ctx, tx,
			"SELECT taken_at FROM follower_snapshots WHERE account_id = ? ORDER BY taken_at DESC LIMIT 2", accountID)
		if err != nil {
			return err
		}
		if len(taken) > 0 {
			last = sql.NullInt64{Int64: taken[0], Valid: true}
		}
		if len(taken) > 1 {
			before = sql.NullInt64{Int64: taken[1], Valid: true}
		}
		if last.Valid && before.Valid && last.Int64 < ms(at) && ms(at)-before.Int64 < grain.Milliseconds() {
			_, err := tx.ExecContext(ctx,
				"UPDATE follower_snapshots SET taken_at = ?, followers = ? WHERE account_id = ? AND taken_at = ?",
				ms(at), followers, accountID, last.Int64)
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO follower_snapshots (account_id, taken_at, followers) VALUES (?, ?, ?)
			ON CONFLICT (account_id, taken_at) DO UPDATE SET followers = excluded.followers`,
			accountID, ms(at), followers)
		return err
	})
}
