package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// A delivery moves queued -> sending -> sent | failed | queued (retry) |
// unknown. Only the process that claimed a delivery (queued or unknown ->
// sending) writes its outcome, and every outcome is written in the same
// transaction as the post's roll-up state. A queued delivery that came due
// while crier was closed may be held back as missed; the user then sends it
// (queued again) or drops it (dropped, final).

// ErrNotSending is returned when an outcome is written for a delivery that is
// no longer in the state the writer expected: it was not claimed by this
// process, or someone changed it since.
var ErrNotSending = errors.New("the delivery is not being sent by this process")

// DueDelivery is a delivery that may be published now, with everything the
// network needs.
type DueDelivery struct {
	Delivery
	Platform string // of the account
	Handle   string
	Text     string // the account's own text if set, else the post's body
	Media    []Media
	// ReplyTo and ThreadRoot are the remote ids, on this account, of the post
	// this one continues and of the first post of its thread; both "" for a
	// post that starts a thread or stands alone.
	ReplyTo    RemoteRef
	ThreadRoot RemoteRef
	// ReplyItem is the inbox item a reply answers (0 for other posts);
	// Conversation is set when that item is a direct message: the answer
	// goes to the conversation as a direct message.
	ReplyItem    int64
	Conversation string
}

// nextAt is when a pending delivery may next be tried: its due time, or the
// time a retry waits for. The expression matches the deliveries_next index.
const nextAt = "coalesce(d.next_attempt_at, d.due_at)"

// threadReady holds back a delivery that continues a thread until the post it
// answers has gone out on the same account. A parent that was never meant for
// that account does not hold it back: there, the child starts the thread.
const threadReady = `(p.thread_parent IS NULL
	OR NOT EXISTS (SELECT 1 FROM post_targets pt WHERE pt.post_id = p.thread_parent AND pt.account_id = d.account_id)
	OR EXISTS (SELECT 1 FROM deliveries pd
	           WHERE pd.post_id = p.thread_parent AND pd.account_id = d.account_id AND pd.state = 'sent'))`

// accountReady holds back the deliveries of an account whose credentials the
// network refused: they wait for the user to sign in again rather than fail
// one by one.
const accountReady = "a.needs_reauth = 0"

// pending repeats the WHERE clause of the deliveries_pending and
// deliveries_next partial indexes word for word, which is what lets SQLite
// use them.
const pending = "d.state IN ('queued', 'unknown')"

// notHeld leaves out the copies a paused queue holds (heldMS, written out
// here; TestHeldLiteral keeps the two equal): they are not due at any time
// until the queue runs again, so none is "next".
const notHeld = nextAt + " < 253402300799999"

const nextDueQuery = `
	SELECT ` + nextAt + `, d.id, d.post_id
	FROM deliveries d INDEXED BY deliveries_next
	JOIN posts p ON p.id = d.post_id JOIN accounts a ON a.id = d.account_id
	WHERE ` + pending + ` AND ` + notHeld + ` AND ` + accountReady + ` AND ` + threadReady + `
	ORDER BY ` + nextAt + `, d.id LIMIT 1`

const dueCols = `
	d.id, d.post_id, d.account_id, d.state, d.due_at, d.next_attempt_at, d.attempts, d.last_error,
	d.idempotency_key, d.first_attempt_at, a.platform, a.handle, coalesce(t.body_override, p.body), coalesce(p.thread_parent, 0),
	coalesce(p.reply_to_item, 0)`

const dueJoins = `
	JOIN posts p ON p.id = d.post_id
	JOIN accounts a ON a.id = d.account_id
	LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id`

const dueQuery = `SELECT ` + dueCols + `
	FROM deliveries d INDEXED BY deliveries_next` + dueJoins + `
	WHERE ` + pending + ` AND ` + nextAt + ` <= ? AND ` + accountReady + ` AND ` + threadReady + `
	ORDER BY ` + nextAt + `, d.id LIMIT ?`

const unknownQuery = `SELECT ` + dueCols + `
	FROM deliveries d INDEXED BY deliveries_pending` + dueJoins + `
	WHERE ` + pending + ` AND d.state = 'unknown'
	ORDER BY d.due_at, d.id`

// The same questions for one account, which each account's sender asks on
// its own: the deliveries_account_next index serves them.
const accountDueQuery = `SELECT ` + dueCols + `
	FROM deliveries d INDEXED BY deliveries_account_next` + dueJoins + `
	WHERE d.account_id = ? AND ` + pending + ` AND ` + nextAt + ` <= ? AND ` + accountReady + ` AND ` + threadReady + `
	ORDER BY ` + nextAt + `, d.id LIMIT ?`

const accountNextDueQuery = `
	SELECT ` + nextAt + `, d.id, d.post_id
	FROM deliveries d INDEXED BY deliveries_account_next
	JOIN posts p ON p.id = d.post_id JOIN accounts a ON a.id = d.account_id
	WHERE d.account_id = ? AND ` + pending + ` AND ` + notHeld + ` AND ` + accountReady + ` AND ` + threadReady + `
	ORDER BY ` + nextAt + `, d.id LIMIT 1`

const accountUnknownQuery = `SELECT ` + dueCols + `
	FROM deliveries d INDEXED BY deliveries_account_next` + dueJoins + `
	WHERE d.account_id = ? AND ` + pending + ` AND d.state = 'unknown'
	ORDER BY d.due_at, d.id`

const claimQuery = `
	UPDATE deliveries AS d SET state = 'sending', attempts = attempts + 1,
		first_attempt_at = coalesce(first_attempt_at, ?2)
	WHERE d.id = ?1 AND ` + pending + ` AND ` + nextAt + ` <= ?3
	  AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = d.account_id AND NOT ` + accountReady + `)`

// releaseQuery undoes a claim that sent nothing: the delivery is queued
// again as it was, its attempt uncounted.
const releaseQuery = `
	UPDATE deliveries SET state = 'queued', attempts = attempts - 1,
		first_attempt_at = CASE WHEN attempts = 1 THEN NULL ELSE first_attempt_at END
	WHERE id = ? AND state = 'sending' AND attempts > 0`

// paceQuery holds an account's pending deliveries back until a time. The
// account_id and nextAt terms match the deliveries_account_next index.
const paceQuery = `
	UPDATE deliveries AS d SET next_attempt_at = ?
	WHERE d.account_id = ? AND ` + pending + ` AND ` + nextAt + ` < ?`

// A reply is never held back as missed: the person is waiting for it, and
// it is as true late as on time.
const missedQuery = `
	UPDATE deliveries AS d SET state = 'missed', next_attempt_at = NULL
	WHERE ` + pending + ` AND d.state = 'queued' AND d.due_at < ?1 AND (?2 = 0 OR d.account_id = ?2)
	  AND d.due_at >= ?3
	  AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = d.post_id AND p.reply_to_item IS NOT NULL)
	RETURNING id, post_id`

const resetSendingQuery = `UPDATE deliveries SET state = 'unknown' WHERE state = 'sending'`

const reconcileNowQuery = `
	UPDATE deliveries AS d SET next_attempt_at = NULL
	WHERE ` + pending + ` AND d.state = 'unknown' AND d.next_attempt_at IS NOT NULL`

// NextDue reports the earliest time a pending delivery becomes sendable (its
// due time, or the time its retry waits for) and which delivery that is. ok is
// false when nothing is pending. Deliveries waiting for their thread parent
// are left out until the parent has gone out, and those of an account that
// needs signing in again until it is signed in.
func (s *Store) NextDue(ctx context.Context) (at time.Time, deliveryID, postID int64, ok bool, err error) {
	var atMS int64
	err = s.db.QueryRowContext(ctx, nextDueQuery).Scan(&atMS, &deliveryID, &postID)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, 0, 0, false, nil
	}
	if err != nil {
		return time.Time{}, 0, 0, false, err
	}
	return fromMS(atMS), deliveryID, postID, true, nil
}

// NextDueFor is NextDue for one account's deliveries.
func (s *Store) NextDueFor(ctx context.Context, accountID int64) (at time.Time, deliveryID, postID int64, ok bool, err error) {
	var atMS int64
	err = s.db.QueryRowContext(ctx, accountNextDueQuery, accountID).Scan(&atMS, &deliveryID, &postID)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, 0, 0, false, nil
	}
	if err != nil {
		return time.Time{}, 0, 0, false, err
	}
	return fromMS(atMS), deliveryID, postID, true, nil
}

// DueDeliveriesFor is DueDeliveries for one account's deliveries.
func (s *Store) DueDeliveriesFor(ctx context.Context, accountID int64, now time.Time, limit int) ([]DueDelivery, error) {
	return s.loadDue(ctx, accountDueQuery, accountID, ms(now), limit)
}

// UnknownDeliveriesFor is UnknownDeliveries for one account's deliveries.
func (s *Store) UnknownDeliveriesFor(ctx context.Context, accountID int64) ([]DueDelivery, error) {
	return s.loadDue(ctx, accountUnknownQuery, accountID)
}

// DueDeliveries lists up to limit pending deliveries sendable at now, the
// longest waiting first. Unknown ones are among them: they must be
// reconciled with the network before anything is sent again.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]DueDelivery, error) {
	return s.loadDue(ctx, dueQuery, ms(now), limit)
}

// UnknownDeliveries lists every delivery whose outcome is unknown, oldest
// first, for the reconcile at startup.
func (s *Store) UnknownDeliveries(ctx context.Context) ([]DueDelivery, error) {
	return s.loadDue(ctx, unknownQuery)
}

func (s *Store) loadDue(ctx context.Context, query string, args ...any) ([]DueDelivery, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []DueDelivery
	var parents, items []int64 // thread parent and replied item of out[i]
	for rows.Next() {
		var d DueDelivery
		var due int64
		var next, first sql.NullInt64
		var parent, item int64
		if err := rows.Scan(&d.ID, &d.PostID, &d.AccountID, &d.State, &due, &next, &d.Attempts, &d.LastError,
			&d.IdempotencyKey, &first, &d.Platform, &d.Handle, &d.Text, &parent, &item); err != nil {
			rows.Close()
			return nil, err
		}
		d.DueAt, d.NextAttemptAt, d.FirstAttemptAt = fromMS(due), fromNullMS(next), fromNullMS(first)
		out = append(out, d)
		parents = append(parents, parent)
		items = append(items, item)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	if err := s.attachMedia(ctx, out); err != nil {
		return nil, err
	}
	for i := range out {
		if items[i] != 0 {
			if err := s.replyRefs(ctx, &out[i], items[i]); err != nil {
				return nil, err
			}
			continue
		}
		if parents[i] == 0 {
			continue
		}
		if out[i].ReplyTo, out[i].ThreadRoot, err = s.threadRefs(ctx, parents[i], out[i].AccountID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// attachMedia loads the images of every delivery in one query.
func (s *Store) attachMedia(ctx context.Context, ds []DueDelivery) error {
	byPost := make(map[int64][]int, len(ds))
	args := make([]any, 0, len(ds))
	for i, d := range ds {
		if _, seen := byPost[d.PostID]; !seen {
			args = append(args, d.PostID)
		}
		byPost[d.PostID] = append(byPost[d.PostID], i)
	}
	media, err := queryAll(ctx, s.db, scanPostMedia, `
		SELECT post_id, path, mime, alt_text FROM post_media
		WHERE post_id IN (?`+strings.Repeat(", ?", len(args)-1)+`) ORDER BY post_id, position`, args...)
	for _, m := range media {
		for _, i := range byPost[m.post] {
			ds[i].Media = append(ds[i].Media, m.Media)
		}
	}
	return err
}

// maxThreadDepth bounds the walk up a thread, so a cycle written by hand into
// the database can't hang the scheduler.
const maxThreadDepth = 1000

// threadRefs finds, on one account, the remote id of the post a thread child
// answers and of the first post of the run of sent posts above it. Both are
// "" when the parent did not go out on that account.
func (s *Store) threadRefs(ctx context.Context, parent, account int64) (replyTo, root RemoteRef, err error) {
	for depth := 0; parent != 0 && depth < maxThreadDepth; depth++ {
		var remote RemoteRef
		var up sql.NullInt64
		err := s.db.QueryRowContext(ctx, `
			SELECT p.thread_parent, d.remote_id, d.remote_cid FROM posts p
			JOIN deliveries d ON d.post_id = p.id AND d.account_id = ? AND d.state = 'sent'
			WHERE p.id = ?`, account, parent).Scan(&up, &remote.ID, &remote.CID)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return RemoteRef{}, RemoteRef{}, err
		}
		if depth == 0 {
			replyTo = remote
		}
		root = remote
		parent = up.Int64
	}
	return replyTo, root, nil
}

// ClaimDelivery moves a pending delivery that is sendable at now to sending
// and counts the attempt (the first attempt's time, now, is kept), in its
// own transaction, before anything goes to the
// network. It reports false when the delivery is not (or no longer) pending
// and due: another process claimed it, the user moved or withdrew it, or its
// account needs signing in again. Of two processes claiming the same
// delivery exactly one gets true.
//
// The scheduler claims with ClaimDeliveryLeased; this form, which checks no
// lease, is for tests and tools that stand in for one.
func (s *Store) ClaimDelivery(ctx context.Context, id int64, now time.Time) (bool, error) {
	return s.claim(ctx, id, now, now, nil)
}

// ClaimDeliveryLeased is ClaimDelivery for the holder of a lease: it fails
// with ErrLeaseLost, claiming nothing, unless hold's holder holds the lease
// unexpired at now, checked in the claim's own transaction. It claims a
// delivery sendable by upTo (no earlier than now): the scheduler claims a
// post a moment before its time, so that a write lock another program
// holds then does not make it late, and sends it at its time.
func (s *Store) ClaimDeliveryLeased(ctx context.Context, id int64, now, upTo time.Time, hold LeaseHold) (bool, error) {
	if upTo.Before(now) {
		upTo = now
	}
	return s.claim(ctx, id, now, upTo, &hold)
}

// ReleaseClaim gives back a claim under which nothing was sent (the
// scheduler claimed a post ahead of its time and stopped before it): the
// delivery is queued again as it was before the claim, its attempt
// uncounted, so that it is sent at its time without asking the network
// first. It fails with ErrNotSending when the delivery is no longer being
// sent (another crier took over and settled it).
func (s *Store) ReleaseClaim(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, releaseQuery, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, fmt.Errorf("delivery %d: %w", id, ErrNotSending))
	}
	return nil
}

func (s *Store) claim(ctx context.Context, id int64, now, upTo time.Time, hold *LeaseHold) (bool, error) {
	var claimed bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if hold != nil {
			if err := checkHold(ctx, tx, *hold, now); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, claimQuery, id, ms(now), ms(upTo))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// finish writes the outcome of an attempt to a delivery in one of the states
// in from, and rolls its post up, in one transaction.
func (s *Store) finish(ctx context.Context, id int64, from, set string, args ...any) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var postID int64
		err := tx.QueryRowContext(ctx,
			"UPDATE deliveries SET "+set+" WHERE id = ? AND state IN ("+from+") RETURNING post_id",
			append(args, id)...).Scan(&postID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("delivery %d: %w", id, ErrNotSending)
		}
		if err != nil {
			return err
		}
		return rollUpPost(ctx, tx, postID)
	})
}

// RemoteIDTaken reports whether a delivery to account other than except
// already names remoteID as the post it made: reconciling by content must
// not take another post's status for its own.
func (s *Store) RemoteIDTaken(ctx context.Context, accountID int64, remoteID string, except int64) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx,
		"SELECT 1 FROM deliveries WHERE account_id = ? AND remote_id = ? AND id <> ? LIMIT 1",
		accountID, remoteID, except).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// MarkSent records that a delivery went out. A successful publish is the
// truth, so it is recorded even when the row was meanwhile set back to
// unknown or queued.
func (s *Store) MarkSent(ctx context.Context, id int64, remote RemoteRef, remoteURL string, at time.Time) error {
	return s.finish(ctx, id, "'sending', 'unknown', 'queued'",
		"state = 'sent', remote_id = ?, remote_cid = ?, remote_url = ?, sent_at = ?, next_attempt_at = NULL, last_error = ''",
		remote.ID, remote.CID, remoteURL, ms(at))
}

// MarkRetry puts a delivery that did not go out back in the queue, to be
// tried again at retryAt (a zero retryAt means at its due time).
func (s *Store) MarkRetry(ctx context.Context, id int64, errText string, retryAt time.Time) error {
	return s.finish(ctx, id, "'sending'",
		"state = 'queued', next_attempt_at = ?, last_error = ?", nullMS(retryAt), errText)
}

// MarkFailed records that a delivery failed for good, with the reason.
func (s *Store) MarkFailed(ctx context.Context, id int64, errText string) error {
	return s.finish(ctx, id, "'sending'",
		"state = 'failed', next_attempt_at = NULL, last_error = ?", errText)
}

// MarkUnknown records that a delivery may or may not have gone out. It stays
// pending and comes due again at reconcileAt, when the network is asked
// before anything is sent again.
func (s *Store) MarkUnknown(ctx context.Context, id int64, errText string, reconcileAt time.Time) error {
	return s.finish(ctx, id, "'sending'",
		"state = 'unknown', next_attempt_at = ?, last_error = ?", nullMS(reconcileAt), errText)
}

// ResetInFlight is run by a process that has just taken the lease hold
// names, before it sends anything: deliveries left in sending by a holder that
// died become unknown, and every unknown delivery is made due at once so it is
// reconciled before the queue moves on. It returns how many were left in
// sending. It fails with ErrLeaseLost unless hold's holder holds the lease
// at now: a row in sending is only abandoned when nobody else may still be
// sending it.
func (s *Store) ResetInFlight(ctx context.Context, hold LeaseHold, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkHold(ctx, tx, hold, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, resetSendingQuery)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, reconcileNowQuery)
		return err
	})
	return int(n), err
}

// ResetOrphans is run by the lease's holder while it sends: deliveries in
// sending that it is not sending (their outcome could not be written, or a
// process that lost the lease left them) become unknown and due at once, so
// they are reconciled with the network instead of waiting for a restart.
// inFlight lists the deliveries the holder has claimed and not settled. It
// fails with ErrLeaseLost unless hold's holder holds the lease at now.
func (s *Store) ResetOrphans(ctx context.Context, hold LeaseHold, now time.Time, inFlight []int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkHold(ctx, tx, hold, now); err != nil {
			return err
		}
		q := "UPDATE deliveries SET state = 'unknown', next_attempt_at = NULL WHERE state = 'sending'"
		args := make([]any, len(inFlight))
		for i, id := range inFlight {
			args[i] = id
		}
		if len(inFlight) > 0 {
			q += " AND id NOT IN (?" + strings.Repeat(", ?", len(inFlight)-1) + ")"
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// MarkMissedBefore marks queued deliveries due before cutoff as missed (they
// came due while crier was not running) and returns their ids.
func (s *Store) MarkMissedBefore(ctx context.Context, cutoff time.Time) ([]int64, error) {
	return s.MarkMissedBeforeFor(ctx, 0, cutoff)
}

// MarkMissedBeforeFor is MarkMissedBefore for one account's deliveries (all
// accounts' when accountID is 0).
func (s *Store) MarkMissedBeforeFor(ctx context.Context, accountID int64, cutoff time.Time) ([]int64, error) {
	var ids []int64
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		ids, err = markMissed(ctx, tx, accountID, time.UnixMilli(0), cutoff)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// markMissed marks the queued deliveries of account (every account's when
// 0) due from from until before cutoff as missed, and returns their ids in
// order.
func markMissed(ctx context.Context, tx *sql.Tx, accountID int64, from, cutoff time.Time) ([]int64, error) {
	var ids []int64
	rows, err := tx.QueryContext(ctx, missedQuery, ms(cutoff), accountID, ms(from))
	if err != nil {
		return nil, err
	}
	posts := map[int64]bool{}
	for rows.Next() {
		var id, post int64
		if err := rows.Scan(&id, &post); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
		posts[post] = true
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for post := range posts {
		if err := rollUpPost(ctx, tx, post); err != nil {
			return nil, err
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// PaceAccount holds every pending delivery of an account back until until
// (a rate limit's reset time), leaving later ones as they are, and returns
// how many it moved. Their due times stay, so the calendar still shows when
// they were meant to go out.
func (s *Store) PaceAccount(ctx context.Context, accountID int64, until time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, paceQuery, ms(until), accountID, ms(until))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// SendMissedNow queues a post's missed deliveries again, due at now.
func (s *Store) SendMissedNow(ctx context.Context, postID int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustChange(ctx, tx, fmt.Errorf("post %d has no missed delivery to send", postID), `
			UPDATE deliveries SET state = 'queued', due_at = ?, next_attempt_at = NULL, last_error = ''
			WHERE post_id = ? AND state = 'missed'`, ms(now), postID); err != nil {
			return err
		}
		return rollUpPost(ctx, tx, postID)
	})
}

const deliveryCols = `
	id, post_id, account_id, state, due_at, next_attempt_at, attempts, last_error, idempotency_key,
	remote_id, remote_cid, remote_url, sent_at, likes, reposts, replies, quotes, metrics_at, first_attempt_at`

func scanDelivery(row rowScanner) (Delivery, error) {
	var d Delivery
	var due int64
	var next, sent, metrics, first sql.NullInt64
	err := row.Scan(&d.ID, &d.PostID, &d.AccountID, &d.State, &due, &next, &d.Attempts, &d.LastError,
		&d.IdempotencyKey, &d.RemoteID, &d.RemoteCID, &d.RemoteURL, &sent,
		&d.Metrics.Likes, &d.Metrics.Reposts, &d.Metrics.Replies, &d.Metrics.Quotes, &metrics, &first)
	d.DueAt, d.NextAttemptAt, d.SentAt, d.MetricsAt = fromMS(due), fromNullMS(next), fromNullMS(sent), fromNullMS(metrics)
	d.FirstAttemptAt = fromNullMS(first)
	return d, err
}

// Delivery loads one delivery by id.
func (s *Store) Delivery(ctx context.Context, id int64) (Delivery, error) {
	d, err := scanDelivery(s.db.QueryRowContext(ctx, "SELECT "+deliveryCols+" FROM deliveries WHERE id = ?", id))
	return d, orNotFound(err, "delivery %d", id)
}

// PostDeliveries lists a post's deliveries, one per target account, by account.
func (s *Store) PostDeliveries(ctx context.Context, postID int64) ([]Delivery, error) {
	return queryAll(ctx, s.db, scanDelivery,
		"SELECT "+deliveryCols+" FROM deliveries WHERE post_id = ? ORDER BY account_id", postID)
}
