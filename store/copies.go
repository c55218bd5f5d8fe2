package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// A post goes to each of its accounts as its own copy (a delivery), and the
// copies can part ways: one goes out while another is refused. The functions
// here show each copy as it is and change the copies that have not gone out,
// never one that has.

// Copy is one account's copy of a post, as lists show it.
type Copy struct {
	AccountID int64
	Platform  string
	Handle    string
	// State is "" while the post is a draft: nothing is on its way yet.
	State     DeliveryState
	DueAt     time.Time
	SentAt    time.Time // when the network took it
	LastError string    // the server's reason, for a failed copy or one waiting to retry
	RemoteURL string
	Metrics   Metrics
	MetricsAt time.Time
	// OwnText is set when the account has a text of its own (Text), not
	// the post's.
	OwnText bool
	Text    string
	// Held is set for a queued copy in the queue of an account whose queue
	// is paused: it waits, whatever its time, until the queue runs again
	// (ResumeQueue then sends it at its time, or moves it to a free slot if
	// that passed).
	Held bool
}

// Late is how long after its time a sent copy went out: from the earlier
// of its own due time and the post's time, since sending a missed copy now
// moves its due time but not the time the person chose. 0 when it was on
// time or has not gone out.
func (c Copy) Late(scheduled time.Time) time.Duration {
	if c.State != DeliverySent || c.SentAt.IsZero() {
		return 0
	}
	due := c.DueAt
	if due.IsZero() || (!scheduled.IsZero() && scheduled.Before(due)) {
		due = scheduled
	}
	if due.IsZero() || !c.SentAt.After(due) {
		return 0
	}
	return c.SentAt.Sub(due)
}

// Gone reports whether the copy went out, or may have: it can't change.
func (c Copy) Gone() bool {
	switch c.State {
	case DeliverySent, DeliverySending, DeliveryUnknown:
		return true
	}
	return false
}

// Fixable reports whether the copy failed or was missed: it can be sent
// now, moved or dropped on its own.
func (c Copy) Fixable() bool { return c.State == DeliveryFailed || c.State == DeliveryMissed }

// Errors about changing a post that is not a draft.
var (
	// ErrNotUnsent: the post is a draft (save it as one) or has gone out.
	ErrNotUnsent = errors.New("the post is no longer waiting to go out")
	// ErrWentOut: the change would alter a copy that has gone out.
	ErrWentOut = errors.New("that copy has gone out and can't change")
	// ErrSendingNow: a copy is on its way to the network this moment.
	ErrSendingNow = errors.New("a copy of it is being sent right now: try again in a moment")
	// ErrDueNow: a queued copy is due, so a running scheduler may be
	// about to send it as it stands.
	ErrDueNow = errors.New("it is due to go out now, as it stands: it can't change any more")
)

const copyCols = `
	t.post_id, t.account_id, a.platform, a.handle, t.body_override,
	coalesce(d.state, ''), d.due_at, d.sent_at, coalesce(d.last_error, ''), coalesce(d.remote_url, ''),
	coalesce(d.likes, 0), coalesce(d.reposts, 0), coalesce(d.replies, 0), coalesce(d.quotes, 0), d.metrics_at,
	d.next_attempt_at`

const copyJoins = `
	FROM posts p JOIN post_targets t ON t.post_id = p.id
	JOIN accounts a ON a.id = t.account_id
	LEFT JOIN deliveries d ON d.post_id = t.post_id AND d.account_id = t.account_id`

// attachParts fills in the copies and images of the summaries in out
// (index maps a post id to its place) for the posts where matches, a
// condition on posts p.
func attachParts(ctx context.Context, q queryer, out []PostSummary, index map[int64]int, where string, args ...any) error {
	rows, err := q.QueryContext(ctx, "SELECT "+copyCols+copyJoins+" WHERE "+where+" ORDER BY t.post_id, t.account_id", args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var post int64
		var c Copy
		var own sql.NullString
		var due, sent, metricsAt, next sql.NullInt64
		if err := rows.Scan(&post, &c.AccountID, &c.Platform, &c.Handle, &own, &c.State, &due, &sent,
			&c.LastError, &c.RemoteURL, &c.Metrics.Likes, &c.Metrics.Reposts, &c.Metrics.Replies, &c.Metrics.Quotes,
			&metricsAt, &next); err != nil {
			rows.Close()
			return err
		}
		c.OwnText, c.Text = own.Valid, own.String
		c.DueAt, c.SentAt, c.MetricsAt = fromNullMS(due), fromNullMS(sent), fromNullMS(metricsAt)
		c.Held = c.State == DeliveryQueued && next.Valid && next.Int64 == heldMS
		if i, ok := index[post]; ok {
			out[i].Copies = append(out[i].Copies, c)
			out[i].Platforms = addPlatform(out[i].Platforms, c.Platform)
			if out[i].LastError == "" && c.LastError != "" && c.State != DeliverySent {
				out[i].LastError = c.LastError
			}
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	media, err := queryAll(ctx, q, scanPostMedia, `SELECT m.post_id, m.path, m.mime, m.alt_text FROM posts p
		JOIN post_media m ON m.post_id = p.id WHERE `+where+` ORDER BY m.post_id, m.position`, args...)
	for _, m := range media {
		if i, ok := index[m.post]; ok {
			out[i].Media = append(out[i].Media, m.Media)
		}
	}
	return err
}

// postMedia is an image of a post, as scanPostMedia reads it: post_id,
// path, mime, alt_text.
type postMedia struct {
	post int64
	Media
}

func scanPostMedia(row rowScanner) (postMedia, error) {
	var m postMedia
	err := row.Scan(&m.post, &m.Path, &m.Mime, &m.AltText)
	return m, err
}

// attachPartsByID is attachParts for a list of posts by id, a chunk at a
// time so the statement stays within SQLite's limit on parameters.
func attachPartsByID(ctx context.Context, q queryer, out []PostSummary) error {
	index := make(map[int64]int, len(out))
	for i := range out {
		index[out[i].ID] = i
		out[i].Platforms, out[i].LastError = nil, ""
	}
	const chunk = 500
	for start := 0; start < len(out); start += chunk {
		part := out[start:min(start+chunk, len(out))]
		args := make([]any, len(part))
		for i, p := range part {
			args[i] = p.ID
		}
		where := "p.id IN (?" + strings.Repeat(", ?", len(args)-1) + ")"
		if err := attachParts(ctx, q, out, index, where, args...); err != nil {
			return err
		}
	}
	return nil
}

// PostCopies lists one post's copies, by account id.
func (s *Store) PostCopies(ctx context.Context, id int64) ([]Copy, error) {
	out := []PostSummary{{ID: id}}
	if err := attachParts(ctx, s.db, out, map[int64]int{id: 0}, "p.id = ?", id); err != nil {
		return nil, err
	}
	return out[0].Copies, nil
}

// postDelivery is what changing a post's copies needs of one delivery.
type postDelivery struct {
	id, account    int64
	state          DeliveryState
	due, next      sql.NullInt64
	waitsForSignIn bool // its account must sign in again: no scheduler takes it
}

func postDeliveries(ctx context.Context, tx *sql.Tx, postID int64) (map[int64]postDelivery, error) {
	out := map[int64]postDelivery{}
	err := eachRow(ctx, tx, `
		SELECT d.id, d.account_id, d.state, d.due_at, d.next_attempt_at, a.needs_reauth
		FROM deliveries d JOIN accounts a ON a.id = d.account_id WHERE d.post_id = ?`, []any{postID}, func(rows rowScanner) error {
		var d postDelivery
		if err := rows.Scan(&d.id, &d.account, &d.state, &d.due, &d.next, &d.waitsForSignIn); err != nil {
			return err
		}
		out[d.account] = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// textFor is the text a post sends to an account.
func textFor(p Post, account int64) (string, bool) {
	for _, t := range p.Targets {
		if t.AccountID == account {
			if t.HasOverride {
				return t.BodyOverride, true
			}
			return p.Body, true
		}
	}
	return "", false
}

func accountLabel(ctx context.Context, tx *sql.Tx, id int64) string {
	var platform, handle string
	if err := tx.QueryRowContext(ctx, "SELECT platform, handle FROM accounts WHERE id = ?", id).Scan(&platform, &handle); err != nil {
		return fmt.Sprintf("account %d", id)
	}
	return platform + " " + handle
}

// dueGuard is how close to its time a queued copy stops taking changes. A
// scheduler reads the copies that are due (or due within ClaimAhead), then
// claims and sends them one by one; a change saved between the read and
// the claim would not be what it sends. Every copy it has read is due
// within ClaimAhead, so refusing changes to copies due within this margin
// (or overdue) leaves no such window.
const dueGuard = 30 * time.Second

// ClaimAhead is how long before its time the scheduler claims a queued
// copy (ClaimDeliveryLeased's upTo) and then waits for the time to send
// it: a write lock held by another program at that time (a sqlite3 shell,
// a backup tool) no longer makes the post late, as the claim, the one
// write before the send, is already made.
const ClaimAhead = 3 * time.Second

// A copy claimed ahead must already be closed to changes.
const _ = uint(dueGuard - ClaimAhead)

// SaveUnsent saves a queued, failed or missed post as edited (text, the
// text of each account, accounts, images, labels, campaign and time) and
// keeps it where it was: a queued post stays queued and goes out at its
// time with the new text. A copy that went out stays as it went: its
// account, its text and the images can't change (ErrWentOut); nothing can
// while a copy is being sent (ErrSendingNow), nor once a queued copy is
// due (ErrDueNow). A draft, or a post that has gone out, is refused with
// ErrNotUnsent.
//
// A failed or missed copy keeps its state (and its reason) until it is
// sent again, moved or dropped, and then sends the new text. A new time
// moves the copies that have not gone out, as ReschedulePost does: a
// failed or missed one is queued again at it. A zero time keeps the one
// the post has.
func (s *Store) SaveUnsent(ctx context.Context, p Post, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := postTx(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		switch old.State {
		case PostQueued, PostFailed, PostMissed:
		default:
			return fmt.Errorf("post %d is %s: %w", p.ID, old.State, ErrNotUnsent)
		}
		ds, err := postDeliveries(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		mediaChanged := !slices.Equal(old.Media, p.Media)
		for account, d := range ds {
			switch d.state {
			case DeliverySending, DeliveryUnknown:
				return fmt.Errorf("post %d: %w", p.ID, ErrSendingNow)
			case DeliveryQueued:
				next := d.due
				if d.next.Valid {
					next = d.next
				}
				if next.Int64 <= ms(now.Add(dueGuard)) && !d.waitsForSignIn {
					return fmt.Errorf("post %d: %w", p.ID, ErrDueNow)
				}
			case DeliverySent:
				newText, ok := textFor(p, account)
				oldText, _ := textFor(old, account)
				switch {
				case !ok:
					return fmt.Errorf("post %d went out on %s, which can't be taken off it: %w", p.ID, accountLabel(ctx, tx, account), ErrWentOut)
				case newText != oldText:
					return fmt.Errorf("post %d went out on %s with its text: %w", p.ID, accountLabel(ctx, tx, account), ErrWentOut)
				case mediaChanged:
					return fmt.Errorf("post %d went out on %s with its images: %w", p.ID, accountLabel(ctx, tx, account), ErrWentOut)
				}
			}
		}
		if len(p.Targets) == 0 {
			return fmt.Errorf("post %d needs at least one account while it is queued (u puts it back in drafts)", p.ID)
		}

		at, zone := old.ScheduledAt, old.ScheduledZone
		moved := !p.ScheduledAt.IsZero() && !p.ScheduledAt.Equal(old.ScheduledAt)
		if moved {
			at, zone = p.ScheduledAt, p.ScheduledZone
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE posts SET body = ?, scheduled_at = ?, scheduled_zone = ?, campaign_id = ?, updated_at = ?
			WHERE id = ?`, p.Body, ms(at), zone, nullID(p.CampaignID), ms(now), p.ID); err != nil {
			return err
		}
		if err := writePostParts(ctx, tx, p.ID, p); err != nil {
			return err
		}
		for account, d := range ds {
			if _, targeted := textFor(p, account); !targeted {
				// Only copies that have not gone out get here (checked above).
				if _, err := tx.ExecContext(ctx, "DELETE FROM deliveries WHERE id = ?", d.id); err != nil {
					return err
				}
				continue
			}
		}
		if moved {
			// A new time is a move, as ReschedulePost makes it: a failed or
			// missed copy is queued again at it (as a new post to its
			// network), not left failed or missed at a time it was not given.
			if _, err := refreshUnsent(ctx, tx, p.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, moveUnsentQuery, ms(at), p.ID, int64(heldMS)); err != nil {
				return err
			}
		}
		for _, t := range p.Targets {
			if _, ok := ds[t.AccountID]; ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key)
				VALUES (?, ?, 'queued', ?, ?)`, p.ID, t.AccountID, ms(at), NewIdempotencyKey()); err != nil {
				return err
			}
		}
		return rollUpPost(ctx, tx, p.ID)
	})
}

// refreshUnsent gives a post's failed and missed copies a new identity
// before they are queued again: a new idempotency key, no attempts, no first
// attempt, no old reason. Neither went out (the network refused a failed
// one; a missed one was held back), so it is a new post to the network, and
// a Bluesky record written now carries the time it is written.
func refreshUnsent(ctx context.Context, tx *sql.Tx, postID int64) (int, error) {
	ids, err := queryInts(ctx, tx, "SELECT id FROM deliveries WHERE post_id = ? AND state IN ('failed', 'missed')", postID)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `
			UPDATE deliveries SET idempotency_key = ?, attempts = 0, first_attempt_at = NULL, last_error = ''
			WHERE id = ?`, NewIdempotencyKey(), id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// RetryUnsent sends a post's failed and missed copies now: they are queued
// again, due at now, each as a new post to its network (see refreshUnsent).
// Copies that went out, or are on their way, are not touched.
func (s *Store) RetryUnsent(ctx context.Context, postID int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		n, err := refreshUnsent(ctx, tx, postID)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("post %d has no failed or missed copy to send", postID)
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE deliveries SET state = 'queued', due_at = ?, next_attempt_at = NULL
			WHERE post_id = ? AND state IN ('failed', 'missed')`, ms(now), postID); err != nil {
			return err
		}
		return rollUpPost(ctx, tx, postID)
	})
}

// DropUnsent is the person's choice not to send a post's failed and missed
// copies: they are dropped for good. When another copy went out the post
// then reads as sent; when none did and none is on its way, it goes back to
// the drafts, unchanged, to be queued again or deleted.
func (s *Store) DropUnsent(ctx context.Context, postID int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustChange(ctx, tx, fmt.Errorf("post %d has no failed or missed copy to drop", postID), `
			UPDATE deliveries SET state = 'dropped', next_attempt_at = NULL
			WHERE post_id = ? AND state IN ('failed', 'missed')`, postID); err != nil {
			return err
		}
		var live int
		if err := tx.QueryRowContext(ctx,
			"SELECT count(*) FROM deliveries WHERE post_id = ? AND state <> 'dropped'", postID).Scan(&live); err != nil {
			return err
		}
		if live > 0 {
			return rollUpPost(ctx, tx, postID)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM deliveries WHERE post_id = ?", postID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE posts SET state = 'draft', updated_at = ? WHERE id = ?", ms(now), postID)
		return err
	})
}
