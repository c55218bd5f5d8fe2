package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Evergreen is a post in the evergreen pool: its text is shared again into
// free queue slots of its accounts, never sooner than MinInterval after
// the same text last went (or goes) to that account.
type Evergreen struct {
	PostID       int64
	Text         string // the post's text for all accounts
	MinInterval  time.Duration
	LastSharedAt time.Time // zero until it was first shared again
	Shares       int
	Paused       bool
	AddedAt      time.Time
}

// EvergreenShare is one post FillEvergreen made.
type EvergreenShare struct {
	SourceID  int64 // the evergreen post
	PostID    int64 // the new post
	AccountID int64
	At        time.Time
}

const (
	evergreenPoolSQL = `SELECT e.post_id, p.body, e.min_interval_ms, e.last_shared_at, e.shares, e.paused, e.added_at
		FROM evergreen e JOIN posts p ON p.id = e.post_id ORDER BY e.added_at, e.post_id`

	// Who is next: the longest unshared first, those never shared before all.
	evergreenNextSQL = `SELECT e.post_id, e.min_interval_ms FROM evergreen e INDEXED BY evergreen_next
		WHERE e.paused = 0 ORDER BY e.last_shared_at, e.post_id`

	// What went, or goes, to an account around an instant: the texts that
	// a new post must not repeat.
	recentTextsSQL = `SELECT coalesce(t.body_override, p.body)
		FROM deliveries d INDEXED BY deliveries_account_due
		JOIN posts p ON p.id = d.post_id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id
		WHERE d.account_id = ? AND d.due_at > ? AND d.due_at < ? AND d.state <> 'dropped'`

	// Whether a pool post was shared to an account around an instant,
	// whatever became of that share's text since (reworded, taken out of
	// the queue); a deleted share no longer counts.
	shareNearSQL = `SELECT 1 FROM evergreen_shares s INDEXED BY evergreen_shares_source
		JOIN post_targets t ON t.post_id = s.post_id
		WHERE s.source_id = ?1 AND t.account_id = ?2 AND s.shared_at > ?3 AND s.shared_at < ?4 LIMIT 1`
)

// evergreenQueries are the statements above, for the query plan test.
var evergreenQueries = map[string]string{
	"pool":         evergreenPoolSQL,
	"next":         evergreenNextSQL,
	"recent texts": recentTextsSQL,
	"share near":   shareNearSQL,
}

// SameText reports whether two posts' texts are the same as a network that
// refuses duplicates sees them: letters in any case, spaces of any kind and
// number between the words.
func SameText(a, b string) bool {
	return strings.Join(strings.Fields(strings.ToLower(a)), " ") == strings.Join(strings.Fields(strings.ToLower(b)), " ")
}

// AddEvergreen puts a post into the evergreen pool (again: its interval
// changes). The post may have gone out already; what is shared is its text,
// images and labels, to the accounts it was for.
func (s *Store) AddEvergreen(ctx context.Context, postID int64, minInterval time.Duration, now time.Time) error {
	if minInterval < 24*time.Hour {
		return fmt.Errorf("evergreen post %d: the shortest interval between shares is a day (got %v)", postID, minInterval)
	}
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO evergreen (post_id, min_interval_ms, added_at) VALUES (?, ?, ?)
		ON CONFLICT (post_id) DO UPDATE SET min_interval_ms = excluded.min_interval_ms`,
		postID, minInterval.Milliseconds(), ms(now))
	if sqliteCode(err) == 19 { // SQLITE_CONSTRAINT: no such post
		return fmt.Errorf("evergreen post %d: %w", postID, ErrNotFound)
	}
	return err
}

// RemoveEvergreen takes a post out of the pool; what it shared stays.
func (s *Store) RemoveEvergreen(ctx context.Context, postID int64) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM evergreen WHERE post_id = ?", postID)
	return err
}

// PauseEvergreen stops (or, with paused false, restarts) sharing a post.
func (s *Store) PauseEvergreen(ctx context.Context, postID int64, paused bool) error {
	_, err := s.db.ExecContext(ctx, "UPDATE evergreen SET paused = ? WHERE post_id = ?", paused, postID)
	return err
}

// EvergreenPool lists the pool, oldest first.
func (s *Store) EvergreenPool(ctx context.Context) ([]Evergreen, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (Evergreen, error) {
		var e Evergreen
		var interval, added int64
		var last sql.NullInt64
		if err := rows.Scan(&e.PostID, &e.Text, &interval, &last, &e.Shares, &e.Paused, &added); err != nil {
			return e, err
		}
		e.MinInterval, e.LastSharedAt, e.AddedAt = time.Duration(interval)*time.Millisecond, fromNullMS(last), fromMS(added)
		return e, nil
	}, evergreenPoolSQL)
}

// FillEvergreen shares pool posts into the free queue slots of the next
// `ahead` (from now plus dueGuard), account by account, slot by slot: each
// slot takes the longest-unshared pool post meant for that account whose
// text did not go, and is not going, to the account within its interval
// either side of the slot, and which was not shared to it within that
// interval (a share reworded or taken out of the queue still counts). A paused queue is not filled; a slot no pool
// post may take stays free. Each share is a new queued post for that one
// account, in its queue, with its own idempotency key. It returns what it
// made.
func (s *Store) FillEvergreen(ctx context.Context, now time.Time, ahead time.Duration) ([]EvergreenShare, error) {
	var made []EvergreenShare
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		made = made[:0]
		type item struct {
			id       int64
			interval time.Duration
			post     Post
		}
		var pool []*item
		err := eachRow(ctx, tx, evergreenNextSQL, nil, func(rows rowScanner) error {
			it := &item{}
			var interval int64
			if err := rows.Scan(&it.id, &interval); err != nil {
				return err
			}
			it.interval = time.Duration(interval) * time.Millisecond
			pool = append(pool, it)
			return nil
		})
		if err != nil || len(pool) == 0 {
			return err
		}
		for _, it := range pool {
			if it.post, err = postTx(ctx, tx, it.id); err != nil {
				return err
			}
		}
		accounts, err := queuedAccounts(ctx, tx)
		if err != nil {
			return err
		}
		for _, acct := range accounts {
			sch, err := queueSchedule(ctx, tx, acct)
			if err != nil {
				return err
			}
			if sch.Paused() || len(sch.Slots) == 0 {
				continue
			}
			var taken []time.Time
			from := now.Add(dueGuard)
			for {
				slot, err := nextFreeSlot(ctx, tx, sch, from, taken)
				if errors.Is(err, ErrNoFreeSlot) || err == nil && slot.After(now.Add(ahead)) {
					break
				}
				if err != nil {
					return err
				}
				from, taken = slot, append(taken, slot)
				for i, it := range pool {
					text, ok := textFor(it.post, acct)
					if !ok {
						continue
					}
					clash, err := textNear(ctx, tx, acct, text, slot, it.interval)
					if err == nil && !clash {
						clash, err = shareNear(ctx, tx, it.id, acct, slot, it.interval)
					}
					if err != nil {
						return err
					}
					if clash {
						continue
					}
					id, err := shareEvergreen(ctx, tx, it.post, acct, text, slot, sch.Zone, now)
					if err != nil {
						return err
					}
					made = append(made, EvergreenShare{SourceID: it.id, PostID: id, AccountID: acct, At: slot})
					// To the back of the line.
					pool = append(append(pool[:i:i], pool[i+1:]...), it)
					break
				}
			}
		}
		return nil
	})
	return made, err
}

// queuedAccounts lists the accounts that have queue slots.
func queuedAccounts(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	return queryInts(ctx, tx, "SELECT account_id FROM queue_settings ORDER BY account_id")
}

// textNear reports whether text went, or goes, to the account within
// interval either side of at.
func textNear(ctx context.Context, tx *sql.Tx, account int64, text string, at time.Time, interval time.Duration) (bool, error) {
	rows, err := tx.QueryContext(ctx, recentTextsSQL, account, ms(at.Add(-interval)), ms(at.Add(interval)))
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return false, err
		}
		if SameText(t, text) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// shareNear reports whether the pool post was shared to the account within
// interval either side of at (its share's text may have changed since).
func shareNear(ctx context.Context, tx *sql.Tx, source, account int64, at time.Time, interval time.Duration) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, shareNearSQL, source, account, ms(at.Add(-interval)), ms(at.Add(interval))).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// shareEvergreen makes the new post of one share: the source's text for the
// account, its images and labels, queued in the slot and in the queue.
func shareEvergreen(ctx context.Context, tx *sql.Tx, src Post, account int64, text string, at time.Time, zone string, now time.Time) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO posts (body, state, scheduled_at, scheduled_zone, campaign_id, created_at, updated_at)
		VALUES (?, 'queued', ?, ?, ?, ?, ?) RETURNING id`,
		text, ms(at), zone, nullID(src.CampaignID), ms(now), ms(now)).Scan(&id); err != nil {
		return 0, err
	}
	p := Post{Targets: []Target{{AccountID: account}}, Media: src.Media, Labels: src.Labels}
	if err := writePostParts(ctx, tx, id, p); err != nil {
		return 0, err
	}
	var did int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key)
		VALUES (?, ?, 'queued', ?, ?) RETURNING id`, id, account, ms(at), NewIdempotencyKey()).Scan(&did); err != nil {
		return 0, err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO queue_entries (delivery_id, account_id, added_at) VALUES (?, ?, ?)", []any{did, account, ms(now)}},
		{"INSERT INTO evergreen_shares (post_id, source_id, shared_at) VALUES (?, ?, ?)", []any{id, src.ID, ms(at)}},
		{"UPDATE evergreen SET shares = shares + 1, last_shared_at = max(coalesce(last_shared_at, 0), ?) WHERE post_id = ?", []any{ms(at), src.ID}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return 0, err
		}
	}
	return id, nil
}
