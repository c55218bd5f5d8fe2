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

// Triage beyond done/snooze/reopen: labels, the account's reactions, taking
// an action back, and replies. Every change is one transaction, so an action
// is either wholly saved or not at all.

// MaxLabelLen bounds one label, in bytes.
const MaxLabelLen = 40

// NormalizeLabel returns label as stored (lower case, no surrounding space)
// or an error saying why it cannot be one.
func NormalizeLabel(label string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	switch {
	case l == "":
		return "", errors.New("a label needs a name")
	case len(l) > MaxLabelLen:
		return "", fmt.Errorf("label %q is longer than %d bytes", label, MaxLabelLen)
	case strings.ContainsFunc(l, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "", fmt.Errorf("label %q: a label is one word (use - or _ between words)", label)
	}
	return l, nil
}

func splitLabels(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Fields(s)
}

// joinLabels stores labels sorted, without repeats, space-separated.
func joinLabels(labels []string) string {
	l := slices.Clone(labels)
	slices.Sort(l)
	return strings.Join(slices.Compact(l), " ")
}

// ToggleInboxLabel adds label to every item in ids, or, when all of them
// already carry it, takes it off them all. It reports whether the label was
// added.
func (s *Store) ToggleInboxLabel(ctx context.Context, ids []int64, label string) (added bool, err error) {
	label, err = NormalizeLabel(label)
	if err != nil {
		return false, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		items, err := inboxByIDs(ctx, tx, ids)
		if err != nil {
			return err
		}
		added = slices.ContainsFunc(items, func(it InboxItem) bool { return !slices.Contains(it.Labels, label) })
		for _, it := range items {
			labels := slices.DeleteFunc(slices.Clone(it.Labels), func(l string) bool { return l == label })
			if added {
				labels = append(labels, label)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE inbox_items SET labels = ?, label_keys = ? WHERE id = ?",
				joinLabels(labels), labelKeys(splitLabels(joinLabels(labels))), it.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return added, err
}

// Reaction is something the account does to someone else's post.
type Reaction string

const (
	ReactLike   Reaction = "like"
	ReactRepost Reaction = "repost"
)

// SetInboxReaction records that the account has (on) or no longer has (off)
// liked or reposted the items.
func (s *Store) SetInboxReaction(ctx context.Context, ids []int64, r Reaction, on bool) error {
	col := ""
	switch r {
	case ReactLike:
		col = "liked"
	case ReactRepost:
		col = "reposted"
	default:
		return fmt.Errorf("unknown reaction %q", r)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE inbox_items SET "+col+" = ? WHERE id = ?", on, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// InboxItems returns the items with the given ids that still exist, in the
// order of ids.
func (s *Store) InboxItems(ctx context.Context, ids []int64) ([]InboxItem, error) {
	return inboxByIDs(ctx, s.db, ids)
}

func inboxByIDs(ctx context.Context, q queryer, ids []int64) ([]InboxItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	items, err := queryAll(ctx, q, scanInboxItem, "SELECT "+inboxCols+" FROM inbox_items WHERE id IN (?"+
		strings.Repeat(", ?", len(ids)-1)+")", args...)
	if err != nil {
		return nil, err
	}
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		if _, ok := pos[id]; !ok {
			pos[id] = i
		}
	}
	slices.SortFunc(items, func(a, b InboxItem) int { return pos[a.ID] - pos[b.ID] })
	return items, nil
}

// RestoreInboxTriage puts the state fields of items (state, snooze time,
// read mark) back to the values they carry: how a state change (done,
// snooze, reopen, a reply's done mark) is taken back, from the items as
// they were read before it. Labels and reactions are left as they are now:
// a label put on since (in this session or another) is not the change
// being taken back. See RestoreInboxLabel.
func (s *Store) RestoreInboxTriage(ctx context.Context, items []InboxItem) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, it := range items {
			switch it.State {
			case InboxOpen, InboxDone, InboxSnoozed:
			default:
				return fmt.Errorf("inbox item %d: %w: %q", it.ID, ErrBadInboxState, it.State)
			}
			if _, err := tx.ExecContext(ctx,
				"UPDATE inbox_items SET state = ?, snoozed_until = ?, is_read = ? WHERE id = ?",
				string(it.State), nullMS(it.SnoozedUntil), it.Read, it.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// RestoreInboxLabel takes back a toggle of label on items (as they were
// read before it): each item has label again exactly when it had it then,
// and keeps every other label it has now.
func (s *Store) RestoreInboxLabel(ctx context.Context, items []InboxItem, label string) error {
	label, err := NormalizeLabel(label)
	if err != nil {
		return err
	}
	had := map[int64]bool{}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i], had[it.ID] = it.ID, slices.Contains(it.Labels, label)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now, err := inboxByIDs(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, it := range now {
			labels := slices.DeleteFunc(slices.Clone(it.Labels), func(l string) bool { return l == label })
			if had[it.ID] {
				labels = append(labels, label)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE inbox_items SET labels = ?, label_keys = ? WHERE id = ?",
				joinLabels(labels), labelKeys(splitLabels(joinLabels(labels))), it.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// ErrNoConversation is returned for an answer to a direct message that
// has no conversation to answer in.
var ErrNoConversation = errors.New("the direct message has no conversation to answer in")

// ErrDeletedByAuthor is returned for a reply to an item its author has
// deleted: there is nothing left on the network to answer.
var ErrDeletedByAuthor = errors.New("its author deleted it, so there is nothing to reply to")

// QueueReply saves body as a reply to inbox item itemID and queues it to go
// out at once from the account the item came to, in one transaction: the
// post, its delivery (with its idempotency key fixed before any attempt) and
// the item marked done. A reply to the item that failed earlier is replaced
// by this one. It returns the new post's id.
func (s *Store) QueueReply(ctx context.Context, itemID int64, body string, now time.Time) (int64, error) {
	if strings.TrimSpace(body) == "" {
		return 0, errors.New("the reply is empty")
	}
	var postID int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		items, err := inboxByIDs(ctx, tx, []int64{itemID})
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return fmt.Errorf("inbox item %d: %w", itemID, ErrNotFound)
		}
		it := items[0]
		if it.Kind == KindDM && it.ThreadRoot == "" {
			return fmt.Errorf("inbox item %d: %w", itemID, ErrNoConversation)
		}
		if !it.DeletedAt.IsZero() {
			return fmt.Errorf("inbox item %d: %w", itemID, ErrDeletedByAuthor)
		}
		// The draft of this reply, and replies that failed for good, are
		// superseded: nothing of them went out, and their text is what the
		// user has just finished.
		if _, err := tx.ExecContext(ctx,
			"DELETE FROM posts WHERE reply_to_item = ? AND state IN ('draft', 'failed')", itemID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO posts (body, state, scheduled_at, scheduled_zone, reply_to_item, created_at, updated_at)
			VALUES (?, 'queued', ?, 'UTC', ?, ?, ?) RETURNING id`,
			body, ms(now), itemID, ms(now), ms(now)).Scan(&postID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO post_targets (post_id, account_id) VALUES (?, ?)", postID, it.AccountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key, reply)
			VALUES (?, ?, 'queued', ?, ?, 1)`, postID, it.AccountID, ms(now), NewIdempotencyKey()); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			"UPDATE inbox_items SET state = 'done', snoozed_until = NULL, is_read = 1 WHERE id = ?", itemID)
		return err
	})
	return postID, err
}

// SaveReplyDraft keeps the text of a reply not yet sent, one per item, so
// closing the composer (or crier) loses nothing; an empty text removes it.
func (s *Store) SaveReplyDraft(ctx context.Context, itemID int64, body string, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if strings.TrimSpace(body) == "" {
			_, err := tx.ExecContext(ctx, "DELETE FROM posts WHERE reply_to_item = ? AND state = 'draft'", itemID)
			return err
		}
		res, err := tx.ExecContext(ctx,
			"UPDATE posts SET body = ?, updated_at = ? WHERE reply_to_item = ? AND state = 'draft'", body, ms(now), itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		var account int64
		if err := tx.QueryRowContext(ctx, "SELECT account_id FROM inbox_items WHERE id = ?", itemID).Scan(&account); err != nil {
			return orNotFound(err, "inbox item %d", itemID)
		}
		var postID int64
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO posts (body, state, reply_to_item, created_at, updated_at)
			VALUES (?, 'draft', ?, ?, ?) RETURNING id`, body, itemID, ms(now), ms(now)).Scan(&postID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO post_targets (post_id, account_id) VALUES (?, ?)", postID, account)
		return err
	})
}

// ReplyDraft returns the text to start a reply to the item with: its saved
// draft, or else the text of its latest reply that failed, for a retry; ""
// when there is neither.
func (s *Store) ReplyDraft(ctx context.Context, itemID int64) (string, error) {
	var body string
	err := s.db.QueryRowContext(ctx, `
		SELECT body FROM posts INDEXED BY posts_reply_to_item
		WHERE reply_to_item = ? AND state IN ('draft', 'failed')
		ORDER BY state = 'draft' DESC, updated_at DESC, id DESC LIMIT 1`, itemID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return body, err
}

// Reply is one of our replies to an inbox item, as the thread shows it.
type Reply struct {
	PostID    int64
	ItemID    int64
	AccountID int64
	Body      string
	State     DeliveryState
	LastError string
	URL       string
	At        time.Time // sent, or queued
}

// Pending reports whether the reply is still on its way.
func (r Reply) Pending() bool {
	switch r.State {
	case DeliveryQueued, DeliverySending, DeliveryUnknown:
		return true
	}
	return false
}

const repliesSQL = `
	SELECT p.id, p.reply_to_item, d.account_id, coalesce(t.body_override, p.body), d.state, d.last_error,
	       d.remote_url, coalesce(d.sent_at, p.created_at)
	FROM posts p INDEXED BY posts_reply_to_item
	JOIN deliveries d ON d.post_id = p.id
	LEFT JOIN post_targets t ON t.post_id = p.id AND t.account_id = d.account_id
	WHERE p.reply_to_item IN (%s) AND p.reply_to_item IS NOT NULL AND p.state <> 'draft'
	ORDER BY coalesce(d.sent_at, p.created_at), p.id`

// InboxReplies returns our replies to the given items, oldest first.
func (s *Store) InboxReplies(ctx context.Context, itemIDs []int64) ([]Reply, error) {
	if len(itemIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(itemIDs))
	for i, id := range itemIDs {
		args[i] = id
	}
	return queryAll(ctx, s.db, func(rows rowScanner) (Reply, error) {
		var r Reply
		var at int64
		if err := rows.Scan(&r.PostID, &r.ItemID, &r.AccountID, &r.Body, &r.State, &r.LastError, &r.URL, &at); err != nil {
			return r, err
		}
		r.At = fromMS(at)
		return r, nil
	}, fmt.Sprintf(repliesSQL, "?"+strings.Repeat(", ?", len(itemIDs)-1)), args...)
}

// replyRefs fills in what the network needs to answer the item a reply
// post is for: the item's own ref as the parent, the thread's first post as
// the root (the item itself when it starts one), and for a direct message
// the conversation.
func (s *Store) replyRefs(ctx context.Context, d *DueDelivery, itemID int64) error {
	items, err := inboxByIDs(ctx, s.db, []int64{itemID})
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return fmt.Errorf("reply %d: inbox item %d: %w", d.PostID, itemID, ErrNotFound)
	}
	it := items[0]
	d.ReplyItem = itemID
	d.ReplyTo = RemoteRef{ID: it.RemoteID, CID: it.RemoteCID}
	if it.Kind == KindDM {
		d.Conversation = it.ThreadRoot
		d.ThreadRoot = d.ReplyTo
		return nil
	}
	d.ThreadRoot = d.ReplyTo
	if it.ThreadRoot != "" && it.ThreadRoot != it.RemoteID {
		d.ThreadRoot = RemoteRef{ID: it.ThreadRoot, CID: it.RootCID}
	}
	return nil
}
