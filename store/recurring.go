package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Recurrence is a post that repeats on a rule: each occurrence becomes a
// post of its own, queued with its own idempotency keys, made WindowDays
// ahead of time. The store keeps the rule as text; package timing reads it
// (RFC 5545 RRULE) and says when the occurrences are.
type Recurrence struct {
	ID       int64
	Rule     string    // RRULE, e.g. FREQ=WEEKLY;BYDAY=SA;UNTIL=20270101T000000Z
	Zone     string    // IANA zone of its wall-clock times
	StartsAt time.Time // DTSTART: the first occurrence, or where the rule starts counting
	// Template is what each occurrence posts: its Body, Targets (with
	// their own texts), Media, Labels and CampaignID; other fields are
	// ignored.
	Template   Post
	WindowDays int // how far ahead occurrences are made
	// MaterializedUntil is how far occurrences have been made: every one
	// before it exists (or was deleted by the person).
	MaterializedUntil time.Time
	EndedAt           time.Time // zero while the series runs
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Occurrence is one post of a series.
type Occurrence struct {
	RecurrenceID int64
	OccursAt     time.Time
	PostID       int64 // 0 when the person deleted it, or it was skipped (AddOccurrences)
	// EditedAlone is true when the post was changed after the series last
	// wrote it (edited alone, moved): series edits leave it as it is.
	EditedAlone bool
	State       PostState
}

// recurrenceTemplate is Template as stored (JSON).
type recurrenceTemplate struct {
	Body       string   `json:"body"`
	Targets    []Target `json:"targets"`
	Media      []Media  `json:"media,omitempty"`
	Labels     []string `json:"labels,omitempty"`
	CampaignID int64    `json:"campaign_id,omitempty"`
}

func encodeTemplate(p Post) (string, error) {
	b, err := json.Marshal(recurrenceTemplate{Body: p.Body, Targets: p.Targets, Media: p.Media, Labels: p.Labels, CampaignID: p.CampaignID})
	return string(b), err
}

func decodeTemplate(s string) (Post, error) {
	var t recurrenceTemplate
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return Post{}, err
	}
	return Post{Body: t.Body, Targets: t.Targets, Media: t.Media, Labels: t.Labels, CampaignID: t.CampaignID}, nil
}

const (
	recurrenceCols = `id, rule, zone, starts_at, template, window_days, materialized_until, ended_at, created_at, updated_at`

	recurrenceSQL = `SELECT ` + recurrenceCols + ` FROM recurrences WHERE id = ?`

	// The running series, least far made first (recurrences_active).
	activeRecurrencesSQL = `SELECT ` + recurrenceCols + ` FROM recurrences INDEXED BY recurrences_active
		WHERE ended_at IS NULL ORDER BY materialized_until`

	allRecurrencesSQL = `SELECT ` + recurrenceCols + ` FROM recurrences ORDER BY ended_at IS NOT NULL, id`

	// The series a post belongs to (recurrence_posts_post).
	occurrenceOfSQL = `SELECT o.recurrence_id, o.occurs_at, o.post_id, o.written_at <> p.updated_at, p.state
		FROM recurrence_posts o JOIN posts p ON p.id = o.post_id WHERE o.post_id = ?`

	// A series' occurrences from an instant on, in time order (its primary key).
	occurrencesSQL = `SELECT o.recurrence_id, o.occurs_at, coalesce(o.post_id, 0),
		       coalesce(o.written_at <> p.updated_at, 0), coalesce(p.state, '')
		FROM recurrence_posts o LEFT JOIN posts p ON p.id = o.post_id
		WHERE o.recurrence_id = ? AND o.occurs_at >= ? ORDER BY o.occurs_at LIMIT ?`
)

// recurrenceQueries are the statements above, for the query plan test.
var recurrenceQueries = map[string]string{
	"recurrence":         recurrenceSQL,
	"active recurrences": activeRecurrencesSQL,
	"occurrence of":      occurrenceOfSQL,
	"occurrences":        occurrencesSQL,
}

func scanRecurrence(row rowScanner) (Recurrence, error) {
	var r Recurrence
	var tmpl string
	var starts, until, created, updated int64
	var ended sql.NullInt64
	if err := row.Scan(&r.ID, &r.Rule, &r.Zone, &starts, &tmpl, &r.WindowDays, &until, &ended, &created, &updated); err != nil {
		return r, err
	}
	r.StartsAt, r.MaterializedUntil, r.EndedAt = fromMS(starts), fromMS(until), fromNullMS(ended)
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	var err error
	if r.Template, err = decodeTemplate(tmpl); err != nil {
		return r, fmt.Errorf("recurring post %d: its template does not read: %w", r.ID, err)
	}
	return r, nil
}

// CreateRecurrence stores a new series; no occurrence exists until
// AddOccurrences makes them (package timing does both). The rule is not
// read here: check it first (timing.ParseRule).
func (s *Store) CreateRecurrence(ctx context.Context, r Recurrence, now time.Time) (int64, error) {
	if len(r.Template.Targets) == 0 {
		return 0, errors.New("a recurring post needs at least one account")
	}
	if _, err := time.LoadLocation(r.Zone); err != nil || r.Zone == "" || r.Zone == "Local" {
		return 0, fmt.Errorf("recurring post zone %q: name an IANA time zone such as Europe/Berlin", r.Zone)
	}
	if r.WindowDays <= 0 {
		r.WindowDays = 14
	}
	tmpl, err := encodeTemplate(r.Template)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.QueryRowContext(ctx, `
		INSERT INTO recurrences (rule, zone, starts_at, template, window_days, materialized_until, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Rule, r.Zone, ms(r.StartsAt), tmpl, r.WindowDays, ms(now), ms(now), ms(now)).Scan(&id)
	return id, err
}

// Recurrence reads one series.
func (s *Store) Recurrence(ctx context.Context, id int64) (Recurrence, error) {
	r, err := scanRecurrence(s.db.QueryRowContext(ctx, recurrenceSQL, id))
	return r, orNotFound(err, "recurring post %d", id)
}

// Recurrences lists every series, running or stopped, the running ones
// first, each part oldest first; active only the running ones, the least
// far made first.
func (s *Store) Recurrences(ctx context.Context, active bool) ([]Recurrence, error) {
	q := allRecurrencesSQL
	if active {
		q = activeRecurrencesSQL
	}
	return queryAll(ctx, s.db, scanRecurrence, q)
}

// OccurrenceOf says which series a post belongs to (ok false for none).
func (s *Store) OccurrenceOf(ctx context.Context, postID int64) (o Occurrence, ok bool, err error) {
	var at int64
	err = s.db.QueryRowContext(ctx, occurrenceOfSQL, postID).Scan(&o.RecurrenceID, &at, &o.PostID, &o.EditedAlone, &o.State)
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	o.OccursAt = fromMS(at)
	return o, err == nil, err
}

// Occurrences lists a series' occurrences from `from` on, in time order, at
// most limit.
func (s *Store) Occurrences(ctx context.Context, id int64, from time.Time, limit int) ([]Occurrence, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (Occurrence, error) {
		var o Occurrence
		var at int64
		if err := rows.Scan(&o.RecurrenceID, &at, &o.PostID, &o.EditedAlone, &o.State); err != nil {
			return o, err
		}
		o.OccursAt = fromMS(at)
		return o, nil
	}, occurrencesSQL, id, ms(from), limit)
}

// occurrenceWriter inserts occurrence posts with prepared statements, so a
// year of a daily series is one transaction of quick inserts.
type occurrenceWriter struct {
	post, target, media, label, delivery, link *sql.Stmt
}

func newOccurrenceWriter(ctx context.Context, tx *sql.Tx) (*occurrenceWriter, error) {
	w := &occurrenceWriter{}
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&w.post, `INSERT INTO posts (body, state, scheduled_at, scheduled_zone, campaign_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`},
		{&w.target, "INSERT INTO post_targets (post_id, account_id, body_override) VALUES (?, ?, ?)"},
		{&w.media, "INSERT INTO post_media (post_id, position, path, mime, alt_text) VALUES (?, ?, ?, ?, ?)"},
		{&w.label, "INSERT OR IGNORE INTO post_labels (post_id, label) VALUES (?, ?)"},
		{&w.delivery, `INSERT INTO deliveries (post_id, account_id, state, due_at, idempotency_key) VALUES (?, ?, ?, ?, ?)`},
		{&w.link, `INSERT INTO recurrence_posts (recurrence_id, occurs_at, post_id, written_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (recurrence_id, occurs_at) DO UPDATE SET post_id = excluded.post_id, written_at = excluded.written_at`},
	} {
		st, err := tx.PrepareContext(ctx, p.q)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.dst = st
	}
	return w, nil
}

func (w *occurrenceWriter) close() {
	for _, st := range []*sql.Stmt{w.post, w.target, w.media, w.label, w.delivery, w.link} {
		if st != nil {
			st.Close()
		}
	}
}

// write makes the post of one occurrence, queued at `at` (or missed, when
// its time has already passed: the person decides, as for any post that
// came due while crier was closed).
func (w *occurrenceWriter) write(ctx context.Context, r Recurrence, at, now time.Time) (int64, error) {
	state, dstate := PostQueued, DeliveryQueued
	if at.Before(now) {
		state, dstate = PostMissed, DeliveryMissed
	}
	t := r.Template
	var id int64
	if err := w.post.QueryRowContext(ctx, t.Body, state, ms(at), r.Zone, nullID(t.CampaignID), ms(now), ms(now)).Scan(&id); err != nil {
		return 0, err
	}
	for _, tg := range t.Targets {
		var override any
		if tg.HasOverride {
			override = tg.BodyOverride
		}
		if _, err := w.target.ExecContext(ctx, id, tg.AccountID, override); err != nil {
			return 0, fmt.Errorf("recurring post %d, account %d: %w", r.ID, tg.AccountID, err)
		}
		if _, err := w.delivery.ExecContext(ctx, id, tg.AccountID, dstate, ms(at), NewIdempotencyKey()); err != nil {
			return 0, err
		}
	}
	for i, m := range t.Media {
		if _, err := w.media.ExecContext(ctx, id, i, m.Path, m.Mime, m.AltText); err != nil {
			return 0, err
		}
	}
	for _, l := range t.Labels {
		if _, err := w.label.ExecContext(ctx, id, l); err != nil {
			return 0, err
		}
	}
	_, err := w.link.ExecContext(ctx, r.ID, ms(at), id, ms(now))
	return id, err
}

// skip records an occurrence that is made without a post (its post_id
// NULL, as for one the person deleted): it is never made again.
func (w *occurrenceWriter) skip(ctx context.Context, r Recurrence, at, now time.Time) error {
	_, err := w.link.ExecContext(ctx, r.ID, ms(at), nil, ms(now))
	return err
}

// skippedNote is the reason on the copies of the one missed post kept of
// a series whose earlier occurrences came due while crier was closed too:
// it says once what became of them.
func skippedNote(r Recurrence, n int, first, last time.Time) string {
	loc, err := time.LoadLocation(r.Zone)
	if err != nil {
		loc = time.UTC
	}
	span := first.In(loc).Format("Mon 2 Jan 2006")
	if n > 1 {
		span = "from " + span + " to " + last.In(loc).Format("Mon 2 Jan 2006")
	} else {
		span = "on " + span
	}
	posts := "post"
	if n > 1 {
		posts = "posts"
	}
	return fmt.Sprintf("the series' %d earlier %s %s were skipped (crier was closed then too): only this latest one is kept", n, posts, span)
}

// AddOccurrences makes the posts of a series' occurrences at the given
// instants and records that every occurrence before through now exists.
// An occurrence made before (even one the person deleted since) is not
// made again, so calling it twice with the same instants makes them once.
// One before the series was created is never made. Of those whose time has
// passed (crier was closed), the latest is made as missed, for the person
// to send or drop, and the earlier ones are skipped: recorded without a
// post (PostID 0), never made, and named once in the reason of the missed
// post's copies. It returns how many posts it made.
func (s *Store) AddOccurrences(ctx context.Context, id int64, at []time.Time, through, now time.Time) (int, error) {
	made := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, err := scanRecurrence(tx.QueryRowContext(ctx, recurrenceSQL, id))
		if err != nil {
			return orNotFound(err, "recurring post %d", id)
		}
		if !r.EndedAt.IsZero() {
			return fmt.Errorf("recurring post %d was stopped on %s: it makes no more posts", id, r.EndedAt.Format(time.DateOnly))
		}
		existing := map[int64]bool{}
		if len(at) > 0 {
			times, err := queryInts(ctx, tx,
				"SELECT occurs_at FROM recurrence_posts WHERE recurrence_id = ? AND occurs_at >= ? AND occurs_at <= ?",
				id, ms(at[0]), ms(at[len(at)-1]))
			if err != nil {
				return err
			}
			for _, v := range times {
				existing[v] = true
			}
		}
		w, err := newOccurrenceWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		// Of the occurrences whose time passed (crier was closed), only the
		// latest becomes a missed post; a daily series closed for months
		// would otherwise fill the missed list with one post a day.
		var latestPast time.Time
		for _, t := range at {
			if !existing[ms(t)] && !t.Before(r.CreatedAt) && t.Before(now) {
				latestPast = t
			}
		}
		var skipped int
		var firstSkipped, lastSkipped time.Time
		for _, t := range at {
			if existing[ms(t)] || t.Before(r.CreatedAt) {
				continue
			}
			if t.Before(latestPast) {
				if err := w.skip(ctx, r, t, now); err != nil {
					return err
				}
				if skipped == 0 {
					firstSkipped = t
				}
				skipped, lastSkipped = skipped+1, t
				existing[ms(t)] = true
				continue
			}
			post, err := w.write(ctx, r, t, now)
			if err != nil {
				return err
			}
			if t.Equal(latestPast) && skipped > 0 {
				if _, err := tx.ExecContext(ctx, "UPDATE deliveries SET last_error = ? WHERE post_id = ? AND state = 'missed'",
					skippedNote(r, skipped, firstSkipped, lastSkipped), post); err != nil {
					return err
				}
			}
			existing[ms(t)] = true
			made++
		}
		_, err = tx.ExecContext(ctx,
			"UPDATE recurrences SET materialized_until = max(materialized_until, ?) WHERE id = ?", ms(through), id)
		return err
	})
	return made, err
}

// untouchedFuture lists the posts of a series that the series may still
// rewrite: occurrences from `from` on that nobody edited alone, none of
// whose copies has been tried, none due within dueGuard of now.
func untouchedFuture(ctx context.Context, tx *sql.Tx, id int64, from, now time.Time) (map[int64]int64, error) {
	out := map[int64]int64{}
	err := eachRow(ctx, tx, `
		SELECT o.occurs_at, o.post_id FROM recurrence_posts o JOIN posts p ON p.id = o.post_id
		WHERE o.recurrence_id = ? AND o.occurs_at >= ? AND o.written_at = p.updated_at AND p.state = 'queued'
		  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id
		                  AND (d.state <> 'queued' OR d.attempts > 0 OR d.due_at <= ?))`, []any{id, ms(from), ms(now.Add(dueGuard))}, func(rows rowScanner) error {
		var at, post int64
		if err := rows.Scan(&at, &post); err != nil {
			return err
		}
		out[at] = post
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateRecurrence changes what a series posts from now on: its template,
// and the posts of its coming occurrences that were not edited alone (nor
// tried, nor about to go out), which are made again from it with new keys.
// It returns how many posts it rewrote.
func (s *Store) UpdateRecurrence(ctx context.Context, id int64, template Post, now time.Time) (int, error) {
	if len(template.Targets) == 0 {
		return 0, errors.New("a recurring post needs at least one account")
	}
	tmpl, err := encodeTemplate(template)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustChange(ctx, tx, fmt.Errorf("recurring post %d: %w", id, ErrNotFound),
			"UPDATE recurrences SET template = ?, updated_at = ? WHERE id = ?", tmpl, ms(now), id); err != nil {
			return err
		}
		r, err := scanRecurrence(tx.QueryRowContext(ctx, recurrenceSQL, id))
		if err != nil {
			return err
		}
		posts, err := untouchedFuture(ctx, tx, id, now, now)
		if err != nil {
			return err
		}
		w, err := newOccurrenceWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		for at, post := range posts {
			if _, err := tx.ExecContext(ctx, "DELETE FROM posts WHERE id = ?", post); err != nil {
				return err
			}
			if _, err := w.write(ctx, r, fromMS(at), now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// RescheduleRecurrence gives a series a new rule (or start, or zone): its
// coming occurrences that nobody edited alone are removed, and the series is
// made again from now on by the next AddOccurrences. It returns how many
// posts it removed.
func (s *Store) RescheduleRecurrence(ctx context.Context, id int64, rule string, startsAt time.Time, zone string, now time.Time) (int, error) {
	if _, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
		return 0, fmt.Errorf("recurring post zone %q: name an IANA time zone such as Europe/Berlin", zone)
	}
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := mustChange(ctx, tx, fmt.Errorf("recurring post %d: %w, or was stopped", id, ErrNotFound),
			`UPDATE recurrences SET rule = ?, starts_at = ?, zone = ?, materialized_until = ?, updated_at = ?
			WHERE id = ? AND ended_at IS NULL`, rule, ms(startsAt), zone, ms(now), ms(now), id)
		if err != nil {
			return err
		}
		n, err = removeUntouched(ctx, tx, id, now)
		return err
	})
	return n, err
}

// removeUntouched deletes a series' coming posts that it may still rewrite,
// and their occurrence rows, so they can be made anew.
func removeUntouched(ctx context.Context, tx *sql.Tx, id int64, now time.Time) (int, error) {
	posts, err := untouchedFuture(ctx, tx, id, now, now)
	if err != nil {
		return 0, err
	}
	for at, post := range posts {
		if _, err := tx.ExecContext(ctx, "DELETE FROM posts WHERE id = ?", post); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx,
			"DELETE FROM recurrence_posts WHERE recurrence_id = ? AND occurs_at = ?", id, at); err != nil {
			return 0, err
		}
	}
	return len(posts), nil
}

// EndRecurrence stops a series: it makes no more posts, and its coming
// posts that nobody edited alone are removed (those edited alone stay, as
// the person left them). It returns how many it removed.
func (s *Store) EndRecurrence(ctx context.Context, id int64, now time.Time) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := mustChange(ctx, tx, fmt.Errorf("recurring post %d: %w, or was already stopped", id, ErrNotFound),
			"UPDATE recurrences SET ended_at = ?, updated_at = ? WHERE id = ? AND ended_at IS NULL", ms(now), ms(now), id)
		if err != nil {
			return err
		}
		n, err = removeUntouched(ctx, tx, id, now)
		return err
	})
	return n, err
}

// ResumeRecurrence lets a stopped series run again from now on: the next
// AddOccurrences makes its coming posts (stopping took back those not edited
// alone; the ones that stayed are not made twice), and none for the time it
// was stopped, which would all be late. Resuming a running series is an
// error.
func (s *Store) ResumeRecurrence(ctx context.Context, id int64, now time.Time) error {
	return mustChange(ctx, s.db, fmt.Errorf("recurring post %d: %w, or is running", id, ErrNotFound),
		`UPDATE recurrences SET ended_at = NULL, materialized_until = ?, updated_at = ?
		WHERE id = ? AND ended_at IS NOT NULL`, ms(now), ms(now), id)
}

// DeleteRecurrence forgets a stopped series. The posts it made stay as they
// are (what went out, and what was edited alone and still waits); they are
// only no longer part of a series. A running series is stopped first
// (EndRecurrence), so nothing it queued goes out unseen.
func (s *Store) DeleteRecurrence(ctx context.Context, id int64) error {
	return mustChange(ctx, s.db, fmt.Errorf("recurring post %d: %w, or is running: stop it first", id, ErrNotFound),
		"DELETE FROM recurrences WHERE id = ? AND ended_at IS NOT NULL", id)
}
