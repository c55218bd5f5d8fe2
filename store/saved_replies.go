package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Saved replies are the user's own templates for answering the inbox. The
// store keeps their text as written; filling in the placeholders is the
// picker's business.

// SavedReply is one template.
type SavedReply struct {
	ID         int64
	Name       string
	Body       string
	Uses       int       // how many times it was picked
	LastUsedAt time.Time // zero if never
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// MaxSavedReplyName bounds a saved reply's name, in characters: it is a
// label in a list, not a text.
const MaxSavedReplyName = 60

// SavedReplyExistsError is returned when a saved reply would take the name
// of another one. Names are compared ignoring case.
type SavedReplyExistsError struct {
	Name string // the other reply's name, as stored
}

func (e *SavedReplyExistsError) Error() string {
	return fmt.Sprintf("a saved reply named %q exists", e.Name)
}

// normalizeSavedReply returns the name as stored (no surrounding space), or
// why the pair cannot be saved.
func normalizeSavedReply(name, body string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", errors.New("a saved reply needs a name")
	case strings.ContainsFunc(name, unicode.IsControl):
		return "", errors.New("a saved reply's name is one line, without tabs")
	case utf8.RuneCountInString(name) > MaxSavedReplyName:
		return "", fmt.Errorf("a saved reply's name is at most %d characters", MaxSavedReplyName)
	case strings.TrimSpace(body) == "":
		return "", fmt.Errorf("saved reply %q has no text", name)
	}
	return name, nil
}

// checkNameFree fails with a *SavedReplyExistsError when another reply
// (not id) has name.
func checkNameFree(ctx context.Context, tx *sql.Tx, name string, id int64) error {
	var other string
	err := tx.QueryRowContext(ctx, savedReplyNamedSQL, name, id).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	return &SavedReplyExistsError{Name: other}
}

const savedReplyNamedSQL = "SELECT name FROM saved_replies WHERE name = ? AND id <> ?"

// SavedReplies returns every saved reply, the most used first, then by name.
func (s *Store) SavedReplies(ctx context.Context) ([]SavedReply, error) {
	return queryAll(ctx, s.db, func(rows rowScanner) (SavedReply, error) {
		var r SavedReply
		var last sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&r.ID, &r.Name, &r.Body, &r.Uses, &last, &created, &updated); err != nil {
			return r, err
		}
		r.LastUsedAt, r.CreatedAt, r.UpdatedAt = fromNullMS(last), fromMS(created), fromMS(updated)
		return r, nil
	}, savedRepliesSQL)
}

const savedRepliesSQL = `
	SELECT id, name, body, uses, last_used_at, created_at, updated_at
	FROM saved_replies ORDER BY uses DESC, name`

// CreateSavedReply saves a new template and returns its id.
func (s *Store) CreateSavedReply(ctx context.Context, name, body string, now time.Time) (int64, error) {
	name, err := normalizeSavedReply(name, body)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkNameFree(ctx, tx, name, 0); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO saved_replies (name, body, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
			name, body, ms(now), ms(now)).Scan(&id)
	})
	return id, err
}

// UpdateSavedReply replaces the name and text of template id; how often it
// was used stays.
func (s *Store) UpdateSavedReply(ctx context.Context, id int64, name, body string, now time.Time) error {
	name, err := normalizeSavedReply(name, body)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkNameFree(ctx, tx, name, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx,
			"UPDATE saved_replies SET name = ?, body = ?, updated_at = ? WHERE id = ?", name, body, ms(now), id)
		if err != nil {
			return err
		}
		return savedReplyTouched(res, id)
	})
}

// DeleteSavedReply removes template id.
func (s *Store) DeleteSavedReply(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM saved_replies WHERE id = ?", id)
	if err != nil {
		return err
	}
	return savedReplyTouched(res, id)
}

// MarkSavedReplyUsed counts one more use of template id, at now: the picker
// offers the most used first.
func (s *Store) MarkSavedReplyUsed(ctx context.Context, id int64, now time.Time) error {
	res, err := s.db.ExecContext(ctx,
		"UPDATE saved_replies SET uses = uses + 1, last_used_at = ? WHERE id = ?", ms(now), id)
	if err != nil {
		return err
	}
	return savedReplyTouched(res, id)
}

// savedReplyTouched turns a statement that changed no row into ErrNotFound.
func savedReplyTouched(res sql.Result, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("saved reply %d: %w", id, ErrNotFound)
	}
	return nil
}
