package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
)

// A kept form is what was typed into a form of the app that closed before
// it was saved or cancelled (a dropped SSH connection, ctrl+c), under a
// key that names the form: opening the same form again, in any session,
// takes it back. It lives in the meta table as JSON, one per key.

const keptFormPrefix = "form-kept:"

// KeepForm keeps typed (field name → text) under key, replacing what was
// kept there; an empty typed removes it.
func (s *Store) KeepForm(ctx context.Context, key string, typed map[string]string) error {
	if len(typed) == 0 {
		_, err := s.db.ExecContext(ctx, "DELETE FROM meta WHERE key = ?", keptFormPrefix+key)
		return err
	}
	b, err := json.Marshal(typed)
	if err != nil {
		return err
	}
	return s.SetMeta(ctx, keptFormPrefix+key, string(b))
}

// TakeKeptForm returns what KeepForm kept under key and forgets it (nil
// for nothing): the form it goes back into holds it from then on.
func (s *Store) TakeKeptForm(ctx context.Context, key string) (map[string]string, error) {
	var typed map[string]string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var v string
		err := tx.QueryRowContext(ctx, "DELETE FROM meta WHERE key = ? RETURNING value", keptFormPrefix+key).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if json.Unmarshal([]byte(v), &typed) != nil {
			typed = nil // not ours to read: as if nothing was kept
		}
		return nil
	})
	return typed, err
}
