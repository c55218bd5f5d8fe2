package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// UpsertAccount records an account declared in config, returning its id. The
// config is the source of truth for which accounts exist; the row keeps what
// the database learns about them.
func (s *Store) UpsertAccount(ctx context.Context, a Account) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO accounts (platform, handle, server, display_name, created_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (platform, handle, server) DO UPDATE SET
			display_name = CASE WHEN excluded.display_name <> '' THEN excluded.display_name ELSE accounts.display_name END
		RETURNING id`,
		a.Platform, a.Handle, a.Server, a.DisplayName, ms(time.Now())).Scan(&id)
	return id, err
}

const (
	accountCols = "id, platform, handle, server, display_name, needs_reauth"
	accountsSQL = "SELECT " + accountCols + " FROM accounts ORDER BY id"
)

func scanAccount(row rowScanner) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.Platform, &a.Handle, &a.Server, &a.DisplayName, &a.NeedsReauth)
	return a, err
}

// Accounts lists every account, in the order they were added.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	return queryAll(ctx, s.db, scanAccount, accountsSQL)
}

// Account returns one account by id.
func (s *Store) Account(ctx context.Context, id int64) (Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountCols+" FROM accounts WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// SetNeedsReauth flags (or clears) an account whose credentials the network refused.
func (s *Store) SetNeedsReauth(ctx context.Context, id int64, v bool) error {
	_, err := s.db.ExecContext(ctx, "UPDATE accounts SET needs_reauth = ? WHERE id = ?", v, id)
	return err
}
