package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Competitor is a public account the business watches.
type Competitor struct {
	ID          int64
	Platform    string // mastodon, bluesky
	Handle      string
	DisplayName string
	SyncedAt    time.Time // the last successful read (zero: never)
	LastError   string    // of the last read; "" when it worked
}

// CompetitorSnapshot is a competitor's public counts at a time.
type CompetitorSnapshot struct {
	At                   time.Time
	Followers, Following int
	Posts                int
}

// CompetitorPost is one of a competitor's public posts with its counters.
type CompetitorPost struct {
	CompetitorID int64
	RemoteID     string
	URL          string
	Text         string // a stranger's text: strip it before drawing
	PostedAt     time.Time
	Metrics      Metrics
}

// WindowStats are one account's (or competitor's) posts in a time range:
// how many and their engagement.
type WindowStats struct {
	Posts      int
	Engagement int64
}

const (
	competitorsSQL = `SELECT id, platform, handle, display_name, synced_at, last_error FROM competitors ORDER BY id`

	// Each competitor's follower count at each instant of a JSON array:
	// the newest snapshot at or before it (NULL before the first).
	competitorFollowersAtSQL = `
		SELECT c.id, p.key,
		       (SELECT s.followers FROM competitor_snapshots s
		        WHERE s.competitor_id = c.id AND s.taken_at <= p.value ORDER BY s.taken_at DESC LIMIT 1)
		FROM competitors c CROSS JOIN json_each(?) p`

	// Each competitor's posts and engagement in each [from, to) of a JSON
	// array of pairs, off competitor_posts_time alone.
	competitorWindowsSQL = `
		SELECT c.id, r.key,
		       (SELECT json_array(count(*), coalesce(sum(cp.engagement), 0)) FROM competitor_posts cp
		        WHERE cp.competitor_id = c.id AND cp.posted_at >= r.value ->> 0 AND cp.posted_at < r.value ->> 1)
		FROM competitors c CROSS JOIN json_each(?) r`

	// A competitor's best posts of a window.
	competitorTopSQL = `
		SELECT competitor_id, remote_id, url, body, posted_at, likes, reposts, replies, quotes
		FROM competitor_posts WHERE competitor_id = ? AND posted_at >= ? AND posted_at < ?
		ORDER BY engagement DESC, posted_at DESC LIMIT ?`

	// A competitor's posts of each range by local hour of the week (see
	// PublishedByHourOfWeek): when they post.
	competitorHoursSQL = `
		SELECT r.value ->> 0 AS competitor, ((cp.posted_at + r.value ->> 3) / 3600000 + 72) % 168 AS how, count(*), sum(cp.engagement)
		FROM json_each(?) r
		CROSS JOIN competitor_posts cp INDEXED BY competitor_posts_time
		WHERE cp.competitor_id = r.value ->> 0 AND cp.posted_at >= r.value ->> 1 AND cp.posted_at < r.value ->> 2
		GROUP BY competitor, how`

	// The ranking reads the window's part of deliveries_account_published
	// (which holds engagement) and joins only the winners' rows.
	ownTopSQL = `
		SELECT d.id, d.post_id, coalesce(t.body_override, p.body), d.remote_url, d.sent_at, d.likes, d.reposts, d.replies, d.quotes
		FROM (SELECT s.id FROM deliveries s INDEXED BY deliveries_account_published
		      WHERE s.account_id = ? AND s.state = 'sent' AND s.reply = 0 AND s.sent_at >= ? AND s.sent_at < ?
		      ORDER BY s.engagement DESC, s.sent_at DESC LIMIT ?) best
		JOIN deliveries d ON d.id = best.id
		JOIN posts p ON p.id = d.post_id
		LEFT JOIN post_targets t ON t.post_id = d.post_id AND t.account_id = d.account_id
		ORDER BY d.engagement DESC, d.sent_at DESC`

	// Who wrote to the business most in a window (what listening found
	// left out), from inbox_fans alone; their names come after.
	topFansSQL = `
		SELECT author_handle, count(*), sum(kind = 'reply'), sum(kind = 'mention'), sum(kind = 'quote'), sum(kind = 'dm')
		FROM inbox_items INDEXED BY inbox_fans
		WHERE heard = 0 AND received_at >= ? AND received_at < ?
		GROUP BY author_handle ORDER BY count(*) DESC, author_handle LIMIT ?`
	// A fan's latest name and reach, from their latest item in the window.
	fanNameSQL = `
		SELECT author_name, coalesce(author_followers, -1) FROM inbox_items INDEXED BY inbox_author
		WHERE heard = 0 AND author_handle = ? AND received_at >= ? AND received_at < ?
		ORDER BY received_at DESC LIMIT 1`
)

// competitorQueries are the statements above, for the query plan test.
var competitorQueries = map[string]string{
	"competitors":             competitorsSQL,
	"competitor followers at": competitorFollowersAtSQL,
	"competitor windows":      competitorWindowsSQL,
	"competitor top":          competitorTopSQL,
	"competitor hours":        competitorHoursSQL,
	"own top":                 ownTopSQL,
	"top fans":                topFansSQL,
	"fan name":                fanNameSQL,
}

// UpsertCompetitor records a watched account named in the config and
// returns its id.
func (s *Store) UpsertCompetitor(ctx context.Context, platform, handle string, now time.Time) (int64, error) {
	handle = strings.TrimSpace(handle)
	if platform != PlatformBluesky && platform != PlatformMastodon {
		return 0, fmt.Errorf("competitor %q: crier watches Bluesky and Mastodon accounts, not %q", handle, platform)
	}
	if handle == "" {
		return 0, errors.New("a competitor needs a handle")
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO competitors (platform, handle, created_at) VALUES (?, ?, ?)
		ON CONFLICT (platform, handle) DO UPDATE SET handle = excluded.handle RETURNING id`,
		platform, handle, ms(now)).Scan(&id)
	return id, err
}

// RemoveCompetitor stops watching an account and forgets what was read.
func (s *Store) RemoveCompetitor(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM competitors WHERE id = ?", id)
	return err
}

// Competitors lists the watched accounts in the order they were added.
func (s *Store) Competitors(ctx context.Context) ([]Competitor, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (Competitor, error) {
		var c Competitor
		var synced sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Platform, &c.Handle, &c.DisplayName, &synced, &c.LastError); err != nil {
			return c, err
		}
		c.SyncedAt = fromNullMS(synced)
		return c, nil
	}, competitorsSQL)
}

// RecordCompetitorRead stores one read of a competitor: its counts and
// name, and its posts with their counters as they are now (a post read
// before gets its new counters). A failed read (err set) only records the
// failure.
func (s *Store) RecordCompetitorRead(ctx context.Context, id int64, displayName string, snap CompetitorSnapshot, posts []CompetitorPost, readErr error, now time.Time) error {
	if readErr != nil {
		_, err := s.db.ExecContext(ctx, "UPDATE competitors SET last_error = ? WHERE id = ?", readErr.Error(), id)
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			UPDATE competitors SET display_name = CASE WHEN ? <> '' THEN ? ELSE display_name END, synced_at = ?, last_error = ''
			WHERE id = ?`, displayName, displayName, ms(now), id); err != nil {
			return err
		}
		if !snap.At.IsZero() {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO competitor_snapshots (competitor_id, taken_at, followers, following, posts) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (competitor_id, taken_at) DO UPDATE SET followers = excluded.followers,
					following = excluded.following, posts = excluded.posts`,
				id, ms(snap.At), snap.Followers, snap.Following, snap.Posts); err != nil {
				return err
			}
		}
		stmt, err := tx.PrepareContext(ctx, `
			INSERT INTO competitor_posts (competitor_id, remote_id, url, body, posted_at, likes, reposts, replies, quotes, metrics_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (competitor_id, remote_id) DO UPDATE SET url = excluded.url, body = excluded.body,
				likes = excluded.likes, reposts = excluded.reposts, replies = excluded.replies, quotes = excluded.quotes,
				metrics_at = excluded.metrics_at
			WHERE excluded.metrics_at >= competitor_posts.metrics_at`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, p := range posts {
			m := p.Metrics
			if _, err := stmt.ExecContext(ctx, id, p.RemoteID, p.URL, p.Text, ms(p.PostedAt),
				m.Likes, m.Reposts, m.Replies, m.Quotes, ms(now)); err != nil {
				return err
			}
		}
		return nil
	})
}

// FollowersByAccountAt reads follower counts at instants: for own accounts
// (competitors false) or competitors, by id, one value per instant (-1
// where no count is known by then). One read snapshot for all.
func (s *Store) FollowersByAccountAt(ctx context.Context, competitors bool, at []time.Time) (map[int64][]int, error) {
	arr := make([]int64, len(at))
	for i, t := range at {
		arr[i] = ms(t)
	}
	b, err := json.Marshal(arr)
	if err != nil {
		return nil, err
	}
	q := kpiFollowersAtSQL // the business's own accounts, as the KPIs read them
	if competitors {
		q = competitorFollowersAtSQL
	}
	out := map[int64][]int{}
	err = eachAt(ctx, s.db, q, b, func(id int64, k int, v sql.NullInt64) error {
		vs, ok := out[id]
		if !ok {
			vs = make([]int, len(at))
			for i := range vs {
				vs[i] = -1
			}
			out[id] = vs
		}
		if v.Valid && k < len(vs) {
			vs[k] = int(v.Int64)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PostsInWindows counts posts and their engagement in each [from, to) of
// windows: own accounts' published posts (competitors false) or
// competitors' posts, by id, one WindowStats per window.
func (s *Store) PostsInWindows(ctx context.Context, competitors bool, windows [][2]time.Time) (map[int64][]WindowStats, error) {
	b, err := windowsJSON(windows)
	if err != nil {
		return nil, err
	}
	q := kpiPublishedSQL // the business's own accounts, as the KPIs read them
	if competitors {
		q = competitorWindowsSQL
	}
	out := map[int64][]WindowStats{}
	err = eachWindowCounts(ctx, s.db, q, b, func(id int64, k int, posts int, engagement int64) error {
		if _, ok := out[id]; !ok {
			out[id] = make([]WindowStats, len(windows))
		}
		if k < len(windows) {
			out[id][k] = WindowStats{Posts: posts, Engagement: engagement}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TopCompetitorPosts lists a competitor's most engaging posts in [from, to).
func (s *Store) TopCompetitorPosts(ctx context.Context, id int64, from, to time.Time, limit int) ([]CompetitorPost, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (CompetitorPost, error) {
		var p CompetitorPost
		var at int64
		if err := rows.Scan(&p.CompetitorID, &p.RemoteID, &p.URL, &p.Text, &at,
			&p.Metrics.Likes, &p.Metrics.Reposts, &p.Metrics.Replies, &p.Metrics.Quotes); err != nil {
			return p, err
		}
		p.PostedAt = fromMS(at)
		return p, nil
	}, competitorTopSQL, id, ms(from), ms(to), limit)
}

// OwnTopPost is one of an account's most engaging published posts.
type OwnTopPost struct {
	DeliveryID, PostID int64
	Text, URL          string
	SentAt             time.Time
	Metrics            Metrics
}

// TopOwnPosts lists an account's most engaging published posts in [from, to).
func (s *Store) TopOwnPosts(ctx context.Context, accountID int64, from, to time.Time, limit int) ([]OwnTopPost, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (OwnTopPost, error) {
		var p OwnTopPost
		var at int64
		if err := rows.Scan(&p.DeliveryID, &p.PostID, &p.Text, &p.URL, &at,
			&p.Metrics.Likes, &p.Metrics.Reposts, &p.Metrics.Replies, &p.Metrics.Quotes); err != nil {
			return p, err
		}
		p.SentAt = fromMS(at)
		return p, nil
	}, ownTopSQL, accountID, ms(from), ms(to), limit)
}

// CompetitorPostsByHourOfWeek is PublishedByHourOfWeek for competitors'
// posts (the ranges' AccountID is the competitor's id).
func (s *Store) CompetitorPostsByHourOfWeek(ctx context.Context, rs []HourRange) ([]HourOfWeek, error) {
	return s.hoursOfWeek(ctx, competitorHoursSQL, rs, scanPostsByHour)
}

// Fan is someone who wrote to the business often.
type Fan struct {
	Handle, Name                   string
	Followers                      int // -1 when unknown
	Items                          int // everything they wrote in the window
	Replies, Mentions, Quotes, DMs int
}

// TopFans lists who wrote to the business most in [from, to): replies,
// mentions, quotes and direct messages (the networks do not say who liked
// or reposted, only how many), the most first.
func (s *Store) TopFans(ctx context.Context, from, to time.Time, limit int) ([]Fan, error) {
	out, err := queryAll(ctx, s.db, func(rows rowScanner) (Fan, error) {
		var f Fan
		if err := rows.Scan(&f.Handle, &f.Items, &f.Replies, &f.Mentions, &f.Quotes, &f.DMs); err != nil {
			return f, err
		}
		return f, nil
	}, topFansSQL, ms(from), ms(to), limit)
	if err != nil {
		return nil, err
	}
	for i := range out {
		// Their latest name and reach, from their latest item.
		err := s.db.QueryRowContext(ctx, fanNameSQL, out[i].Handle, ms(from), ms(to)).Scan(&out[i].Name, &out[i].Followers)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
