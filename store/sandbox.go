package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// The sandbox network is offline: what it is sent lands in sandbox_posts, so
// the demo and tests can see exactly what would have been published.

// SandboxPost is one post the sandbox network received.
type SandboxPost struct {
	ID             int64
	Account        string
	IdempotencyKey string
	Body           string
	ReplyTo        string
	MediaCount     int
	ReceivedAt     time.Time
}

// RecordSandboxPost stores a post sent to the sandbox network and returns its
// id. The key makes it idempotent: sending the same key again returns the
// first post's id and writes nothing, as a real network does with an
// idempotency key.
func (s *Store) RecordSandboxPost(ctx context.Context, account, idempotencyKey, body, replyTo string,
	mediaCount int, at time.Time) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx,
			"SELECT id FROM sandbox_posts WHERE idempotency_key = ?", idempotencyKey).Scan(&id)
		switch {
		case err == nil:
			return nil // received before
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO sandbox_posts (account, idempotency_key, body, reply_to, media_count, received_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			account, idempotencyKey, body, replyTo, mediaCount, ms(at)).Scan(&id)
	})
	return id, err
}

// SandboxPostByKey finds the sandbox post sent with an idempotency key.
func (s *Store) SandboxPostByKey(ctx context.Context, key string) (id int64, at time.Time, ok bool, err error) {
	var atMS int64
	err = s.db.QueryRowContext(ctx,
		"SELECT id, received_at FROM sandbox_posts WHERE idempotency_key = ?", key).Scan(&id, &atMS)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, time.Time{}, false, err
	}
	return id, fromMS(atMS), true, nil
}

// SandboxPosts lists what the sandbox received for an account, in order of
// arrival. The table only ever holds what the demo and tests sent, so it is
// read without an index on account.
func (s *Store) SandboxPosts(ctx context.Context, account string) ([]SandboxPost, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (SandboxPost, error) {
		var p SandboxPost
		var at int64
		if err := rows.Scan(&p.ID, &p.Account, &p.IdempotencyKey, &p.Body, &p.ReplyTo, &p.MediaCount, &at); err != nil {
			return p, err
		}
		p.ReceivedAt = fromMS(at)
		return p, nil
	}, `
		SELECT id, account, idempotency_key, body, reply_to, media_count, received_at
		FROM sandbox_posts WHERE account = ? ORDER BY id`, account)
}
