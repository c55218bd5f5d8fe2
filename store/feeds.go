package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FeedConfig is a feed as the config names it.
type FeedConfig struct {
	Name       string
	URL        string
	Accounts   []int64 // the accounts its drafts are for
	CampaignID int64   // 0 for none
	// FillQueue queues each new entry's post into the next free slots of
	// its accounts. Without it, entries only ever become drafts: nothing
	// of a feed goes out unless the person queues it.
	FillQueue bool
}

// Feed is a feed with what crier knows of its last fetches.
type Feed struct {
	ID int64
	FeedConfig
	Title        string // as the feed names itself
	ETag         string
	LastModified string
	FetchedAt    time.Time // the last attempt (zero: never)
	OKAt         time.Time // the last success
	LastError    string    // of the last attempt; "" when it worked
	Failures     int       // attempts failed in a row
}

// FeedEntry is one entry of a feed as crier keeps it.
type FeedEntry struct {
	FeedID      int64
	EntryID     string // the feed's own id for it (Atom id, RSS guid, else its link)
	Title       string
	Link        string
	Image       string // the image's URL, "" when the entry has none
	PublishedAt time.Time
	SeenAt      time.Time
	PostID      int64 // the draft (or queued post) made of it; 0 when none or deleted
}

// FeedFetch is the outcome of one fetch of a feed.
type FeedFetch struct {
	Err          error // nil when it worked
	NotModified  bool  // the server said nothing changed (304)
	Title        string
	ETag         string
	LastModified string
}

const (
	feedsSQL = `SELECT id, name, url, fill_queue, accounts, coalesce(campaign_id, 0), title, etag, last_modified,
		fetched_at, ok_at, last_error, failures FROM feeds ORDER BY name`

	// A feed's entries, the newest seen first (feed_entries_seen).
	feedEntriesSQL = `SELECT feed_id, entry_id, title, link, image, published_at, seen_at, coalesce(post_id, 0)
		FROM feed_entries WHERE feed_id = ? ORDER BY seen_at DESC LIMIT ?`

	feedEntrySeenSQL = `SELECT 1 FROM feed_entries WHERE feed_id = ? AND entry_id = ?`
)

// feedQueries are the statements above, for the query plan test.
var feedQueries = map[string]string{
	"feeds":        feedsSQL,
	"feed entries": feedEntriesSQL,
	"entry seen":   feedEntrySeenSQL,
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, " ")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Fields(s) {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// UpsertFeed records a feed named in the config (by name; its URL,
// accounts, campaign and queue filling follow the config) and returns its
// id. What crier knows of its fetches and entries stays; a new URL starts
// its conditional requests afresh.
func (s *Store) UpsertFeed(ctx context.Context, c FeedConfig, now time.Time) (int64, error) {
	if strings.TrimSpace(c.Name) == "" {
		return 0, errors.New("a feed needs a name")
	}
	if !strings.HasPrefix(c.URL, "http://") && !strings.HasPrefix(c.URL, "https://") {
		return 0, fmt.Errorf("feed %q: its url %q must start with http:// or https://", c.Name, c.URL)
	}
	if len(c.Accounts) == 0 {
		return 0, fmt.Errorf("feed %q: name the accounts its drafts are for", c.Name)
	}
	for _, a := range c.Accounts {
		var one int
		if err := s.db.QueryRowContext(ctx, "SELECT 1 FROM accounts WHERE id = ?", a).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return 0, fmt.Errorf("feed %q: its drafts are for account %d, which crier does not have", c.Name, a)
			}
			return 0, err
		}
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO feeds (name, url, fill_queue, accounts, campaign_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET
			etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag ELSE '' END,
			last_modified = CASE WHEN feeds.url = excluded.url THEN feeds.last_modified ELSE '' END,
			url = excluded.url, fill_queue = excluded.fill_queue, accounts = excluded.accounts,
			campaign_id = excluded.campaign_id
		RETURNING id`,
		c.Name, c.URL, c.FillQueue, joinIDs(c.Accounts), nullID(c.CampaignID), ms(now)).Scan(&id)
	return id, err
}

// RenameFeed gives a stored feed a new name, keeping what it remembers (the
// entries it has seen, so none comes again).
func (s *Store) RenameFeed(ctx context.Context, from, to string) error {
	return mustChange(ctx, s.db, fmt.Errorf("feed %q: %w", from, ErrNotFound), "UPDATE feeds SET name = ? WHERE name = ?", to, from)
}

// RemoveFeed forgets a feed that left the config, with its entries; the
// drafts made of them stay.
func (s *Store) RemoveFeed(ctx context.Context, name string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM feeds WHERE name = ?", name)
	return err
}

// Feeds lists the feeds by name.
func (s *Store) Feeds(ctx context.Context) ([]Feed, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (Feed, error) {
		var f Feed
		var accounts string
		var fetched, ok sql.NullInt64
		if err := rows.Scan(&f.ID, &f.Name, &f.URL, &f.FillQueue, &accounts, &f.CampaignID, &f.Title, &f.ETag,
			&f.LastModified, &fetched, &ok, &f.LastError, &f.Failures); err != nil {
			return f, err
		}
		f.Accounts, f.FetchedAt, f.OKAt = splitIDs(accounts), fromNullMS(fetched), fromNullMS(ok)
		return f, nil
	}, feedsSQL)
}

// RecordFeedFetch keeps the outcome of a fetch on the feed: when, whether it
// worked (and why not), and what the next conditional request sends.
func (s *Store) RecordFeedFetch(ctx context.Context, feedID int64, f FeedFetch, now time.Time) error {
	if f.Err != nil {
		_, err := s.db.ExecContext(ctx,
			"UPDATE feeds SET fetched_at = ?, last_error = ?, failures = failures + 1 WHERE id = ?",
			ms(now), f.Err.Error(), feedID)
		return err
	}
	_, err := s.db.ExecContext(ctx, `
		UPDATE feeds SET fetched_at = ?1, ok_at = ?1, last_error = '', failures = 0,
			title = CASE WHEN ?2 <> '' THEN ?2 ELSE title END,
			etag = CASE WHEN ?5 THEN etag ELSE ?3 END,
			last_modified = CASE WHEN ?5 THEN last_modified ELSE ?4 END
		WHERE id = ?6`, ms(now), f.Title, f.ETag, f.LastModified, f.NotModified, feedID)
	return err
}

// NoteFeedProblem records a problem on a feed that did not stop its fetch
// (an entry that could not be queued), keeping the fetch's success.
func (s *Store) NoteFeedProblem(ctx context.Context, feedID int64, problem string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE feeds SET last_error = ? WHERE id = ?", problem, feedID)
	return err
}

// FeedEntrySeen reports whether a feed's entry was seen before.
func (s *Store) FeedEntrySeen(ctx context.Context, feedID int64, entryID string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, feedEntrySeenSQL, feedID, entryID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// AddFeedEntry records an entry as seen and, with a draft (draft.Targets
// set), saves that draft for it, in one transaction. An entry seen before
// is left alone: it returns 0, false. Otherwise it returns the draft's id
// (0 without one) and true.
func (s *Store) AddFeedEntry(ctx context.Context, e FeedEntry, draft *Post, now time.Time) (int64, bool, error) {
	var postID int64
	added := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, feedEntrySeenSQL, e.FeedID, e.EntryID).Scan(&one)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if draft != nil {
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO posts (body, state, campaign_id, created_at, updated_at)
				VALUES (?, 'draft', ?, ?, ?) RETURNING id`,
				draft.Body, nullID(draft.CampaignID), ms(now), ms(now)).Scan(&postID); err != nil {
				return err
			}
			if err := writePostParts(ctx, tx, postID, *draft); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO feed_entries (feed_id, entry_id, title, link, image, published_at, seen_at, post_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.FeedID, e.EntryID, e.Title, e.Link, e.Image, nullMS(e.PublishedAt), ms(now), nullID(postID)); err != nil {
			return err
		}
		added = true
		return nil
	})
	return postID, added, err
}

// FeedEntries lists a feed's entries, the newest seen first.
func (s *Store) FeedEntries(ctx context.Context, feedID int64, limit int) ([]FeedEntry, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (FeedEntry, error) {
		var e FeedEntry
		var pub sql.NullInt64
		var seen int64
		if err := rows.Scan(&e.FeedID, &e.EntryID, &e.Title, &e.Link, &e.Image, &pub, &seen, &e.PostID); err != nil {
			return e, err
		}
		e.PublishedAt, e.SeenAt = fromNullMS(pub), fromMS(seen)
		return e, nil
	}, feedEntriesSQL, feedID, limit)
}
