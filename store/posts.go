package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"time"
)

// SaveDraft inserts (ID 0) or updates a draft's text, targets, media, labels,
// campaign and chosen time, returning its id. Only drafts can be saved this
// way: a queued post must be unqueued first, so a post can't change under the
// scheduler's feet.
func (s *Store) SaveDraft(ctx context.Context, p Post, now time.Time) (int64, error) {
	id := p.ID
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if id == 0 {
			err := tx.QueryRowContext(ctx, `
				INSERT INTO posts (body, state, scheduled_at, scheduled_zone, campaign_id, thread_parent, created_at, updated_at)
				VALUES (?, 'draft', ?, ?, ?, ?, ?, ?) RETURNING id`,
				p.Body, nullMS(p.ScheduledAt), p.ScheduledZone, nullID(p.CampaignID), nullID(p.ThreadParent),
				ms(now), ms(now)).Scan(&id)
			if err != nil {
				return err
			}
		} else {
			if err := mustChange(ctx, tx, fmt.Errorf("post %d: %w", id, ErrNotDraft), `
				UPDATE posts SET body = ?, scheduled_at = ?, scheduled_zone = ?, campaign_id = ?, updated_at = ?
				WHERE id = ? AND state = 'draft'`,
				p.Body, nullMS(p.ScheduledAt), p.ScheduledZone, nullID(p.CampaignID), ms(now), id); err != nil {
				return err
			}
		}
		return writePostParts(ctx, tx, id, p)
	})
	return id, err
}

// ErrNotDraft is returned when a change needs a draft and the post is not one
// (any more).
var ErrNotDraft = errors.New("the post is no longer a draft")

func writePostParts(ctx context.Context, tx *sql.Tx, id int64, p Post) error {
	for _, q := range []string{
		"DELETE FROM post_targets WHERE post_id = ?",
		"DELETE FROM post_media WHERE post_id = ?",
		"DELETE FROM post_labels WHERE post_id = ?",
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	for _, t := range p.Targets {
		var override any
		if t.HasOverride {
			override = t.BodyOverride
		}
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO post_targets (post_id, account_id, body_override) VALUES (?, ?, ?)",
			id, t.AccountID, override); err != nil {
			return fmt.Errorf("target account %d: %w", t.AccountID, err)
		}
	}
	for i, m := range p.Media {
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO post_media (post_id, position, path, mime, alt_text) VALUES (?, ?, ?, ?, ?)",
			id, i, m.Path, m.Mime, m.AltText); err != nil {
			return err
		}
	}
	for _, l := range p.Labels {
		if _, err := tx.ExecContext(ctx,
			"INSERT OR IGNORE INTO post_labels (post_id, label) VALUES (?, ?)", id, l); err != nil {
			return err
		}
	}
	return nil
}

func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}

// Post loads one post with its targets, media and labels.
func (s *Store) Post(ctx context.Context, id int64) (Post, error) { return loadPost(ctx, s.db, id) }

// postTx is Post inside a transaction.
func postTx(ctx context.Context, tx *sql.Tx, id int64) (Post, error) { return loadPost(ctx, tx, id) }

func loadPost(ctx context.Context, q queryer, id int64) (Post, error) {
	var p Post
	var sched sql.NullInt64
	var camp, parent sql.NullInt64
	var created, updated int64
	err := q.QueryRowContext(ctx, `
		SELECT id, body, state, scheduled_at, scheduled_zone, campaign_id, thread_parent, created_at, updated_at
		FROM posts WHERE id = ?`, id).
		Scan(&p.ID, &p.Body, &p.State, &sched, &p.ScheduledZone, &camp, &parent, &created, &updated)
	if err != nil {
		return p, orNotFound(err, "post %d", id)
	}
	p.ScheduledAt = fromNullMS(sched)
	p.CampaignID, p.ThreadParent = camp.Int64, parent.Int64
	p.CreatedAt, p.UpdatedAt = fromMS(created), fromMS(updated)

	if p.Targets, err = queryAll(ctx, q, func(row rowScanner) (t Target, err error) {
		var o sql.NullString
		err = row.Scan(&t.AccountID, &o)
		t.BodyOverride, t.HasOverride = o.String, o.Valid
		return t, err
	}, "SELECT account_id, body_override FROM post_targets WHERE post_id = ? ORDER BY account_id", id); err != nil {
		return p, err
	}
	if p.Media, err = queryAll(ctx, q, func(row rowScanner) (m Media, err error) {
		err = row.Scan(&m.Path, &m.Mime, &m.AltText)
		return m, err
	}, "SELECT path, mime, alt_text FROM post_media WHERE post_id = ? ORDER BY position", id); err != nil {
		return p, err
	}
	p.Labels, err = queryAll(ctx, q, func(row rowScanner) (l string, err error) {
		err = row.Scan(&l)
		return l, err
	}, "SELECT label FROM post_labels WHERE post_id = ? ORDER BY label", id)
	return p, err
}

// DeletePost removes a draft (or a post whose deliveries all failed or were
// missed) for good. Sent posts and ones on their way can't be deleted here.
func (s *Store) DeletePost(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if why, err := goneOut(ctx, tx, id); err != nil {
			return err
		} else if why != "" {
			return fmt.Errorf("post %d %s: it can't be deleted", id, why)
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM posts WHERE id = ?", id)
		return err
	})
}

// goneOut says whether a copy of post id went out, or may have (its
// outcome is unknown), or is being sent (claimed, which the scheduler does
// up to ClaimAhead before its time): "" when none is.
func goneOut(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var out, sending int
	err := tx.QueryRowContext(ctx, `
		SELECT coalesce(sum(state IN ('sent', 'unknown')), 0), coalesce(sum(state = 'sending'), 0)
		FROM deliveries WHERE post_id = ?`, id).Scan(&out, &sending)
	switch {
	case err != nil:
		return "", err
	case out > 0:
		return "has gone out to some accounts (or may have)", nil
	case sending > 0:
		return "is being sent right now", nil
	}
	return "", nil
}

// NewIdempotencyKey returns a fresh random key for a delivery.
func NewIdempotencyKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// QueuePost turns a draft into a queued post due at `at` (chosen in zone),
// creating one delivery per target account, each with its idempotency key
// fixed now, before any attempt.
func (s *Store) QueuePost(ctx context.Context, id int64, at time.Time, zone string, now time.Time) error {
	if at.IsZero() {
		return errors.New("a queued post needs a time")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustChange(ctx, tx, fmt.Errorf("post %d: %w", id, ErrNotDraft), `
			UPDATE posts SET state = 'queued', scheduled_at = ?, scheduled_zone = ?, updated_at = ?
			WHERE id = ? AND state = 'draft'`, ms(at), zone, ms(now), id); err != nil {
			return err
		}
		accounts, err := queryInts(ctx, tx, "SELECT account_id FROM post_targets WHERE post_id = ?", id)
		if err != nil {
			return err
		}
		if len(accounts) == 0 {
			return fmt.Errorf("post %d has no target account", id)
		}
		for _, a := range accounts {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key)
				VALUES (?, ?, 'queued', ?, ?)`, id, a, ms(at), NewIdempotencyKey()); err != nil {
				return err
			}
		}
		return nil
	})
}

// UnqueuePost turns a queued (or missed, or failed) post back into a draft
// for editing. Deliveries that went out, or may have, stay, and then the post
// can't be unqueued.
func (s *Store) UnqueuePost(ctx context.Context, id int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if why, err := goneOut(ctx, tx, id); err != nil {
			return err
		} else if why != "" {
			return fmt.Errorf("post %d %s: it can't go back to drafts", id, why)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM deliveries WHERE post_id = ?", id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			"UPDATE posts SET state = 'draft', updated_at = ? WHERE id = ?", ms(now), id)
		return err
	})
}

// ReschedulePost moves a queued, failed or missed post to a new time.
// Copies that have not gone out move with it and are queued again, a failed
// or missed one as a new post to its network (see refreshUnsent); a copy
// that went out stays as it went. While a copy is being sent (or its
// outcome is unknown) the post does not move: ErrSendingNow.
func (s *Store) ReschedulePost(ctx context.Context, id int64, at time.Time, zone string, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, "SELECT state FROM posts WHERE id = ?", id).Scan(&state); err != nil {
			return orNotFound(err, "post %d", id)
		}
		switch PostState(state) {
		case PostDraft:
			_, err := tx.ExecContext(ctx,
				"UPDATE posts SET scheduled_at = ?, scheduled_zone = ?, updated_at = ? WHERE id = ?",
				ms(at), zone, ms(now), id)
			return err
		case PostSent:
			return fmt.Errorf("post %d was already sent: it can't be moved", id)
		}
		// A copy being sent (claimed up to ClaimAhead before its time), or
		// whose outcome is being checked, goes out at the time it has: the
		// post can't be said to move while it does.
		var busy int
		if err := tx.QueryRowContext(ctx,
			"SELECT count(*) FROM deliveries WHERE post_id = ? AND state IN ('sending', 'unknown')", id).Scan(&busy); err != nil {
			return err
		}
		if busy > 0 {
			return fmt.Errorf("post %d: %w", id, ErrSendingNow)
		}
		if _, err := refreshUnsent(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, moveUnsentQuery, ms(at), id, int64(heldMS)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx,
			"UPDATE posts SET scheduled_at = ?, scheduled_zone = ?, updated_at = ? WHERE id = ?",
			ms(at), zone, ms(now), id); err != nil {
			return err
		}
		return rollUpPost(ctx, tx, id)
	})
}

// moveUnsentQuery queues a post's copies that have not gone out (queued,
// failed, missed) again at a new time (?1, of post ?2), as a move does. A
// copy in the queue of an account whose queue is paused stays held (see
// heldMS): the queue says its posts wait until it runs again, and a move
// must not let one out meanwhile. ResumeQueue lets it go at its time, or
// moves it to a free slot if its time passed.
const moveUnsentQuery = `
	UPDATE deliveries SET due_at = ?1, state = 'queued',
		next_attempt_at = CASE WHEN EXISTS (
			SELECT 1 FROM queue_entries e JOIN queue_settings qs ON qs.account_id = e.account_id
			WHERE e.delivery_id = deliveries.id AND qs.paused_at IS NOT NULL) THEN ?3 END
	WHERE post_id = ?2 AND state IN ('queued', 'missed', 'failed')`

// rollUpPost recomputes a post's state from its deliveries.
func rollUpPost(ctx context.Context, tx *sql.Tx, postID int64) error {
	var total, sent, failed, missed, dropped int
	err := tx.QueryRowContext(ctx, `
		SELECT count(*),
		       coalesce(sum(state = 'sent'), 0),
		       coalesce(sum(state = 'failed'), 0),
		       coalesce(sum(state = 'missed'), 0),
		       coalesce(sum(state = 'dropped'), 0)
		FROM deliveries WHERE post_id = ?`, postID).Scan(&total, &sent, &failed, &missed, &dropped)
	if err != nil {
		return err
	}
	if total == 0 {
		return nil
	}
	state := PostQueued
	switch {
	case failed > 0:
		state = PostFailed
	case missed > 0:
		state = PostMissed
	case sent > 0 && sent+dropped == total: // the user dropped the rest
		state = PostSent
	}
	if _, err = tx.ExecContext(ctx, "UPDATE posts SET state = ? WHERE id = ? AND state <> 'draft'", state, postID); err != nil {
		return err
	}
	return rollUpReply(ctx, tx, postID, state)
}

// rollUpReply carries a reply's outcome to the item it answers: the first
// reply that goes out sets the item's replied_at (for the first-response
// KPI), and a reply that failed for good opens the item again, so the
// failure is seen in the list rather than buried among the done.
func rollUpReply(ctx context.Context, tx *sql.Tx, postID int64, state PostState) error {
	switch state {
	case PostSent:
		_, err := tx.ExecContext(ctx, `
			UPDATE inbox_items SET replied_at = (SELECT min(sent_at) FROM deliveries WHERE post_id = ?1 AND state = 'sent')
			WHERE id = (SELECT reply_to_item FROM posts WHERE id = ?1) AND replied_at IS NULL`, postID)
		return err
	case PostFailed:
		_, err := tx.ExecContext(ctx, `
			UPDATE inbox_items SET state = 'open', snoozed_until = NULL
			WHERE id = (SELECT reply_to_item FROM posts WHERE id = ?)`, postID)
		return err
	}
	return nil
}

// PostSummary is a post as lists and the calendar show it.
type PostSummary struct {
	ID            int64
	Body          string
	State         PostState
	ScheduledAt   time.Time
	ScheduledZone string
	Platforms     []string // of the target accounts, sorted, without repeats
	LastError     string   // of a copy that has not gone out, if any
	CampaignID    int64    // 0 for none
	UpdatedAt     time.Time
	// Copies are the post's copies, one per account, by account id; Media
	// its images in order.
	Copies []Copy
	Media  []Media
}

// summaryCols are a summary's own columns; its copies and images (and the
// platforms and error drawn from them) are read beside it by attachParts.
const summaryCols = `p.id, p.body, p.state, p.scheduled_at, p.scheduled_zone, p.updated_at, coalesce(p.campaign_id, 0)`

// PostsBetween lists posts scheduled (or sent) in [from, to), oldest first,
// with their copies and images, for the calendar; replies to the inbox are
// not in it. A busy month holds thousands of posts, so the copies and images
// are read in two range queries beside the posts rather than once per post.
func (s *Store) PostsBetween(ctx context.Context, from, to time.Time) ([]PostSummary, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `
		SELECT `+summaryCols+`
		FROM posts p WHERE p.scheduled_at >= ? AND p.scheduled_at < ? AND p.reply_to_item IS NULL
		ORDER BY p.scheduled_at, p.id`, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	out, err := scanSummariesExtra(rows, 0)
	if err != nil || len(out) == 0 {
		return out, err
	}
	index := make(map[int64]int, len(out))
	for i, p := range out {
		index[p.ID] = i
	}

	if err := attachParts(ctx, tx, out, index, "p.scheduled_at >= ? AND p.scheduled_at < ?", ms(from), ms(to)); err != nil {
		return nil, err
	}
	return out, nil
}

// addPlatform adds p to a sorted set of platform names.
func addPlatform(set []string, p string) []string {
	if p == "" {
		return set
	}
	i := sort.SearchStrings(set, p)
	if i < len(set) && set[i] == p {
		return set
	}
	set = append(set, "")
	copy(set[i+1:], set[i:])
	set[i] = p
	return set
}

// Unsent lists drafts and posts that have not all gone out (queued, failed,
// missed), with their copies and images, drafts first by last change, then
// the rest by due time. Replies
// to the inbox are shown with their items, not here.
func (s *Store) Unsent(ctx context.Context, limit int) ([]PostSummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM (
		SELECT `+summaryCols+`, 0 AS grp, -p.updated_at AS k FROM posts p WHERE p.state = 'draft'
		  AND p.reply_to_item IS NULL
		UNION ALL
		SELECT `+summaryCols+`, 1 AS grp, p.scheduled_at AS k FROM posts p WHERE p.state IN ('queued', 'failed', 'missed')
		  AND p.reply_to_item IS NULL
	) ORDER BY grp, k LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	out, err := scanSummariesExtra(rows, 2) // the last two columns are sort keys
	if err != nil {
		return nil, err
	}
	return out, attachPartsByID(ctx, s.db, out)
}

func scanSummariesExtra(rows *sql.Rows, extra int) ([]PostSummary, error) {
	defer rows.Close()
	var out []PostSummary
	for rows.Next() {
		var p PostSummary
		var sched sql.NullInt64
		var updated int64
		dst := []any{&p.ID, &p.Body, &p.State, &sched, &p.ScheduledZone, &updated, &p.CampaignID}
		for i := 0; i < extra; i++ {
			dst = append(dst, new(any))
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		p.ScheduledAt, p.UpdatedAt = fromNullMS(sched), fromMS(updated)
		out = append(out, p)
	}
	return out, rows.Err()
}

// CountMissed counts posts held back because they came due while crier was
// closed, for the status bar.
func (s *Store) CountMissed(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM posts WHERE state = 'missed'").Scan(&n)
	return n, err
}
