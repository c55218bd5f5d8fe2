package store

import (
	"context"
	"fmt"
)

// Upcoming lists the posts on their way (queued, failed or missed: not all
// of their copies went out), soonest first, with their copies and images,
// for `crier queue` and the glance. Drafts and replies to the inbox are left
// out. It reads the posts by state (posts_state_updated) and sorts the few
// that are on their way; sent posts, however many, are never read.
func (s *Store) Upcoming(ctx context.Context, limit int) ([]PostSummary, error) {
	rows, err := s.db.QueryContext(ctx, upcomingSQL, limit)
	if err != nil {
		return nil, err
	}
	out, err := scanSummariesExtra(rows, 1)
	if err != nil {
		return nil, err
	}
	return out, attachPartsByID(ctx, s.db, out)
}

const upcomingSQL = `
	SELECT ` + summaryCols + `, p.scheduled_at AS k FROM posts p
	WHERE p.state IN ('queued', 'failed', 'missed') AND p.reply_to_item IS NULL
	ORDER BY k, p.id LIMIT ?`

// Summary is one post as lists show it, with its copies and images.
func (s *Store) Summary(ctx context.Context, id int64) (PostSummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+summaryCols+` FROM posts p WHERE p.id = ?`, id)
	if err != nil {
		return PostSummary{}, err
	}
	out, err := scanSummariesExtra(rows, 0)
	if err != nil {
		return PostSummary{}, err
	}
	if len(out) == 0 {
		return PostSummary{}, fmt.Errorf("post %d: %w", id, ErrNotFound)
	}
	if err := attachPartsByID(ctx, s.db, out); err != nil {
		return PostSummary{}, err
	}
	return out[0], nil
}
